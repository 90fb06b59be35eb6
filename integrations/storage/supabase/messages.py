"""`MessageLog` on Supabase: the inbox and the outbox, deduped by PostgREST's ignore-duplicates upserts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from postgrest.types import ReturnMethod

from booking_bot.domain import InboundMessage, OutboundMessage
from integrations.storage.rows import to_iso
from integrations.storage.supabase.base import SupabaseStoreBase, stored_time

_INBOUND_COLUMNS = "company_id,message_id,chat_id,phone,sender_name,text,language,received_at,from_me"


def _inbound(row: dict[str, Any]) -> InboundMessage:
    return InboundMessage.model_validate({**row, "received_at": stored_time(row["received_at"])})


class SupabaseMessageLog(SupabaseStoreBase):
    """The inbound and outbound message log."""

    # -- inbound log --------------------------------------------------------------------------------------

    async def record_inbound(self, message: InboundMessage) -> bool:
        row = {
            "company_id": message.company_id,
            "message_id": message.message_id,
            "chat_id": message.chat_id,
            "phone": message.phone,
            "sender_name": message.sender_name,
            "text": message.text,
            "language": message.language,
            "received_at": to_iso(message.received_at),
            "from_me": message.from_me,
            "recorded_at": self._now(),
        }
        # ignore-duplicates + representation: PostgREST returns only the rows it inserted.
        inserted = await self._run(
            self._table("inbound").upsert(
                row, on_conflict="company_id,message_id", ignore_duplicates=True, returning=ReturnMethod.representation
            )
        )
        return len(inserted) == 1

    async def pending_inbound(self, company_id: str, chat_id: str) -> list[InboundMessage]:
        rows = await self._run(
            self._table("inbound")
            .select(_INBOUND_COLUMNS)
            .eq("company_id", company_id)
            .eq("chat_id", chat_id)
            .eq("done", False)
            .order("seq")
        )
        return [_inbound(row) for row in rows]

    async def stale_inbound(self, recorded_before: datetime, limit: int) -> list[InboundMessage]:
        rows = await self._run(
            self._table("inbound")
            .select(_INBOUND_COLUMNS)
            .eq("done", False)
            .lt("recorded_at", to_iso(recorded_before))
            .order("recorded_at")
            .limit(limit)
        )
        return [_inbound(row) for row in rows]

    async def mark_inbound_done(self, company_id: str, message_id: str) -> None:
        await self._run(
            self._table("inbound")
            .update({"done": True}, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("message_id", message_id)
        )

    async def inbound_done(self, company_id: str, message_id: str) -> bool | None:
        rows = await self._run(
            self._table("inbound").select("done").eq("company_id", company_id).eq("message_id", message_id)
        )
        return bool(rows[0]["done"]) if rows else None

    async def last_inbound_at(self, company_id: str, chat_id: str) -> datetime | None:
        rows = await self._run(
            self._table("inbound")
            .select("received_at")
            .eq("company_id", company_id)
            .eq("chat_id", chat_id)
            .eq("from_me", False)
            .order("received_at", desc=True)
            .limit(1)
        )
        return stored_time(rows[0]["received_at"]) if rows else None

    # -- outbound log -------------------------------------------------------------------------------------

    async def record_outbound(self, message: OutboundMessage) -> bool:
        row = {
            "company_id": message.company_id,
            "chat_id": message.chat_id,
            "text": message.text,
            "reply_to": message.reply_to,
            "idempotency_key": message.idempotency_key,
            "recorded_at": self._now(),
        }
        inserted = await self._run(
            self._table("outbound").upsert(
                row,
                on_conflict="company_id,idempotency_key",
                ignore_duplicates=True,
                returning=ReturnMethod.representation,
            )
        )
        return len(inserted) == 1

    async def outbound_replies(
        self, company_id: str, reply_to: str, *, unsent_only: bool = False
    ) -> list[OutboundMessage]:
        query = (
            self._table("outbound")
            .select("company_id,chat_id,text,reply_to,idempotency_key")
            .eq("company_id", company_id)
            .eq("reply_to", reply_to)
        )
        if unsent_only:
            query = query.is_("sent_at", "null")
        rows = await self._run(query.order("seq"))
        return [OutboundMessage.model_validate(row) for row in rows]

    async def mark_outbound_sent(self, company_id: str, idempotency_key: str) -> None:
        await self._run(
            self._table("outbound")
            .update({"sent_at": self._now()}, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("idempotency_key", idempotency_key)
            .is_("sent_at", "null")
        )
