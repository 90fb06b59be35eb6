"""`TokenStore` on Supabase: the HTTP API's integration tokens."""

from __future__ import annotations

from postgrest.types import ReturnMethod

from booking_bot.domain import IntegrationToken
from integrations.storage.rows import to_iso
from integrations.storage.supabase.base import SupabaseStoreBase


class SupabaseTokenStore(SupabaseStoreBase):
    """Integration tokens, revoked ones kept."""

    async def save_integration_token(self, token: IntegrationToken) -> None:
        row = {
            "company_id": token.company_id,
            "id": token.id,
            "data": token.model_dump(mode="json"),
            "created_at": to_iso(token.created_at),
        }
        await self._run(
            self._table("integration_tokens").upsert(row, on_conflict="company_id,id", returning=ReturnMethod.minimal)
        )

    async def get_integration_token(self, company_id: str, token_id: str) -> IntegrationToken | None:
        rows = await self._run(
            self._table("integration_tokens").select("data").eq("company_id", company_id).eq("id", token_id)
        )
        return IntegrationToken.model_validate(rows[0]["data"]) if rows else None

    async def list_integration_tokens(self, company_id: str) -> list[IntegrationToken]:
        rows = await self._run(
            self._table("integration_tokens")
            .select("data")
            .eq("company_id", company_id)
            .order("created_at")
            .order("id")
        )
        return [IntegrationToken.model_validate(row["data"]) for row in rows]
