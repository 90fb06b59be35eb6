"""`ReminderStore` on Supabase: planning and claiming are SQL functions (`replace_reminders`, `claim_due_reminders`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from postgrest.types import ReturnMethod

from booking_bot.domain import Booking, BookingStatus, Reminder, ReminderStatus
from integrations.storage.rows import reminder_key, to_iso
from integrations.storage.supabase.base import SupabaseStoreBase, stored_time


class SupabaseReminderStore(SupabaseStoreBase):
    """Reminders of every company; concurrent schedulers claim disjoint sets."""

    @staticmethod
    def _reminder(row: Mapping[str, Any]) -> Reminder:
        return Reminder(
            key=row["key"],
            company_id=row["company_id"],
            booking_id=row["booking_id"],
            customer_id=row["customer_id"],
            due_at=stored_time(row["due_at"]),
            status=ReminderStatus(row["status"]),
        )

    async def replace_reminders(self, booking: Booking, due: list[datetime]) -> None:
        if booking.status is BookingStatus.CANCELLED:
            due = []  # a cancelled visit gets no reminders
        wanted = {reminder_key(booking.company_id, booking.id, at): to_iso(at) for at in due}
        await self._rpc(
            "replace_reminders",
            {
                "p_company_id": booking.company_id,
                "p_booking_id": booking.id,
                "p_customer_id": booking.customer_id,
                "p_keys": list(wanted),
                "p_due": list(wanted.values()),
            },
        )

    async def cancel_reminders(self, company_id: str, booking_id: str) -> None:
        await self._run(
            self._table("reminders")
            .update({"status": ReminderStatus.CANCELLED.value}, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("booking_id", booking_id)
            .in_("status", [ReminderStatus.PLANNED.value, ReminderStatus.CLAIMED.value])
        )

    async def list_reminders(self, company_id: str, booking_id: str | None = None) -> list[Reminder]:
        query = self._table("reminders").select("*").eq("company_id", company_id)
        if booking_id is not None:
            query = query.eq("booking_id", booking_id)
        rows = await self._run(query.order("due_at").order("seq"))
        return [self._reminder(row) for row in rows]

    async def claim_due_reminders(
        self, now: datetime, limit: int, claimer: str, stale_after: timedelta = timedelta(minutes=5)
    ) -> list[Reminder]:
        """Atomically take planned reminders due by `now` (and claims older than `stale_after`), any company.

        One SQL function (`FOR UPDATE SKIP LOCKED`): concurrent claimers get disjoint sets.
        """
        rows = await self._rpc(
            "claim_due_reminders",
            {
                "p_now": to_iso(now),
                "p_limit": limit,
                "p_claimer": claimer,
                "p_stale_after": f"{stale_after.total_seconds()} seconds",
            },
        )
        rows.sort(key=lambda row: (stored_time(row["due_at"]), int(row["seq"])))
        return [self._reminder(row) for row in rows]

    async def upcoming_reminders(self, until: datetime, limit: int) -> list[Reminder]:
        rows = await self._run(
            self._table("reminders")
            .select("*")
            .eq("status", ReminderStatus.PLANNED.value)
            .lte("due_at", to_iso(until))
            .order("due_at")
            .order("seq")
            .limit(limit)
        )
        return [self._reminder(row) for row in rows]

    async def get_reminder(self, company_id: str, key: str) -> Reminder | None:
        rows = await self._run(self._table("reminders").select("*").eq("company_id", company_id).eq("key", key))
        return self._reminder(rows[0]) if rows else None

    async def finish_reminder(self, company_id: str, key: str, status: ReminderStatus) -> bool:
        """Move a claimed reminder to `status` (sent / skipped); False if it is no longer claimed."""
        rows = await self._run(
            self._table("reminders")
            .update({"status": status.value, "finished_at": self._now()})
            .eq("company_id", company_id)
            .eq("key", key)
            .eq("status", ReminderStatus.CLAIMED.value)
        )
        return len(rows) == 1
