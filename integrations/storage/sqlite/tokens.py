"""`TokenStore` on SQLite: the HTTP API's integration tokens."""

from __future__ import annotations

from booking_bot.domain import IntegrationToken
from integrations.storage.rows import to_iso
from integrations.storage.sqlite.base import SqliteStoreBase

TABLES = """
CREATE TABLE IF NOT EXISTS integration_tokens (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
"""


class SqliteTokenStore(SqliteStoreBase):
    """Integration tokens, revoked ones kept."""

    async def save_integration_token(self, token: IntegrationToken) -> None:
        self._execute(
            "INSERT INTO integration_tokens (company_id, id, data, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (company_id, id) DO UPDATE SET data = excluded.data",
            (token.company_id, token.id, token.model_dump_json(), to_iso(token.created_at)),
        )

    async def get_integration_token(self, company_id: str, token_id: str) -> IntegrationToken | None:
        row = self._fetchone(
            "SELECT data FROM integration_tokens WHERE company_id = ? AND id = ?", (company_id, token_id)
        )
        return None if row is None else IntegrationToken.model_validate_json(row[0])

    async def list_integration_tokens(self, company_id: str) -> list[IntegrationToken]:
        rows = self._fetchall(
            "SELECT data FROM integration_tokens WHERE company_id = ? ORDER BY created_at, id", (company_id,)
        )
        return [IntegrationToken.model_validate_json(row[0]) for row in rows]
