"""`MessageLog` on SQLite: the inbox (deduped on company and message id) and the outbox (on its idempotency key)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from booking_bot.domain import InboundMessage, OutboundMessage
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.sqlite.base import SqliteStoreBase

TABLES = """
CREATE TABLE IF NOT EXISTS inbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    phone TEXT,
    sender_name TEXT,
    text TEXT NOT NULL,
    language TEXT,
    received_at TEXT NOT NULL,
    from_me INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL,
    UNIQUE (company_id, message_id)
);
CREATE INDEX IF NOT EXISTS inbound_pending ON inbound (company_id, chat_id, done, seq);
CREATE INDEX IF NOT EXISTS inbound_waiting ON inbound (recorded_at) WHERE done = 0;
CREATE TABLE IF NOT EXISTS outbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    text TEXT NOT NULL,
    reply_to TEXT,
    idempotency_key TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (company_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS outbound_reply_to ON outbound (company_id, reply_to, seq);
"""

_INBOUND_COLUMNS = "company_id, message_id, chat_id, phone, sender_name, text, language, received_at, from_me"
_OUTBOUND_COLUMNS = "company_id, chat_id, text, reply_to, idempotency_key"


def _inbound(row: Sequence[Any]) -> InboundMessage:
    """An `InboundMessage` from a row selected with `_INBOUND_COLUMNS`."""
    return InboundMessage(
        company_id=row[0],
        message_id=row[1],
        chat_id=row[2],
        phone=row[3],
        sender_name=row[4],
        text=row[5],
        language=row[6],
        received_at=from_iso(row[7]),
        from_me=bool(row[8]),
    )


class SqliteMessageLog(SqliteStoreBase):
    """The inbound and outbound message log."""

    # -- inbound log --------------------------------------------------------------------------------------

    async def record_inbound(self, message: InboundMessage) -> bool:
        changed = self._execute(
            f"INSERT OR IGNORE INTO inbound ({_INBOUND_COLUMNS}, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.company_id,
                message.message_id,
                message.chat_id,
                message.phone,
                message.sender_name,
                message.text,
                message.language,
                to_iso(message.received_at),
                int(message.from_me),
                self._now(),
            ),
        )
        return changed == 1

    async def pending_inbound(self, company_id: str, chat_id: str) -> list[InboundMessage]:
        rows = self._fetchall(
            f"SELECT {_INBOUND_COLUMNS} FROM inbound WHERE company_id = ? AND chat_id = ? AND done = 0 ORDER BY seq",
            (company_id, chat_id),
        )
        return [_inbound(row) for row in rows]

    async def stale_inbound(self, recorded_before: datetime, limit: int) -> list[InboundMessage]:
        rows = self._fetchall(
            f"SELECT {_INBOUND_COLUMNS} FROM inbound WHERE done = 0 AND recorded_at < ? ORDER BY recorded_at LIMIT ?",
            (to_iso(recorded_before), limit),
        )
        return [_inbound(row) for row in rows]

    async def mark_inbound_done(self, company_id: str, message_id: str) -> None:
        self._execute("UPDATE inbound SET done = 1 WHERE company_id = ? AND message_id = ?", (company_id, message_id))

    async def inbound_done(self, company_id: str, message_id: str) -> bool | None:
        row = self._fetchone(
            "SELECT done FROM inbound WHERE company_id = ? AND message_id = ?", (company_id, message_id)
        )
        return None if row is None else bool(row[0])

    async def last_inbound_at(self, company_id: str, chat_id: str) -> datetime | None:
        row = self._fetchone(
            "SELECT max(received_at) FROM inbound WHERE company_id = ? AND chat_id = ? AND from_me = 0",
            (company_id, chat_id),
        )
        return None if row is None or row[0] is None else from_iso(row[0])

    # -- outbound log -------------------------------------------------------------------------------------

    async def record_outbound(self, message: OutboundMessage) -> bool:
        changed = self._execute(
            f"INSERT OR IGNORE INTO outbound ({_OUTBOUND_COLUMNS}, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                message.company_id,
                message.chat_id,
                message.text,
                message.reply_to,
                message.idempotency_key,
                self._now(),
            ),
        )
        return changed == 1

    async def outbound_replies(
        self, company_id: str, reply_to: str, *, unsent_only: bool = False
    ) -> list[OutboundMessage]:
        unsent = " AND sent_at IS NULL" if unsent_only else ""
        rows = self._fetchall(
            f"SELECT {_OUTBOUND_COLUMNS} FROM outbound WHERE company_id = ? AND reply_to = ?{unsent} ORDER BY seq",
            (company_id, reply_to),
        )
        return [
            OutboundMessage(company_id=row[0], chat_id=row[1], text=row[2], reply_to=row[3], idempotency_key=row[4])
            for row in rows
        ]

    async def mark_outbound_sent(self, company_id: str, idempotency_key: str) -> None:
        self._execute(
            "UPDATE outbound SET sent_at = ? WHERE company_id = ? AND idempotency_key = ? AND sent_at IS NULL",
            (self._now(), company_id, idempotency_key),
        )
