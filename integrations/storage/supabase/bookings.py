"""`BookingMirror` on Supabase: our copy of the bookings, and the booking intents (one SQL function begins one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postgrest.types import ReturnMethod

from booking_bot.domain import Booking, BookingIntent, BookingIntentStatus, BookingStatus
from integrations.storage.rows import to_iso
from integrations.storage.supabase.base import Row, SupabaseStoreBase, stored_time


class SupabaseBookingMirror(SupabaseStoreBase):
    """Bookings and booking intents."""

    # -- bookings -----------------------------------------------------------------------------------------

    async def save_booking(self, booking: Booking) -> None:
        row = {
            "company_id": booking.company_id,
            "id": booking.id,
            "customer_id": booking.customer_id,
            "service_id": booking.service_id,
            "staff_id": booking.staff_id,
            "start_at": to_iso(booking.start),
            "end_at": to_iso(booking.end),
            "status": booking.status.value,
            "backend_id": booking.backend_id,
        }
        await self._run(
            self._table("bookings").upsert(row, on_conflict="company_id,id", returning=ReturnMethod.minimal)
        )

    @staticmethod
    def _booking(row: Mapping[str, Any]) -> Booking:
        return Booking(
            id=row["id"],
            company_id=row["company_id"],
            customer_id=row["customer_id"],
            service_id=row["service_id"],
            staff_id=row["staff_id"],
            start=stored_time(row["start_at"]),
            end=stored_time(row["end_at"]),
            status=BookingStatus(row["status"]),
            backend_id=row["backend_id"],
        )

    async def get_booking(self, company_id: str, booking_id: str) -> Booking | None:
        rows = await self._run(self._table("bookings").select("*").eq("company_id", company_id).eq("id", booking_id))
        return self._booking(rows[0]) if rows else None

    async def list_bookings(self, company_id: str) -> list[Booking]:
        rows = await self._run(
            self._table("bookings").select("*").eq("company_id", company_id).order("start_at").order("id")
        )
        return [self._booking(row) for row in rows]

    # -- booking intents ----------------------------------------------------------------------------------

    async def begin_booking_intent(self, intent: BookingIntent) -> BookingIntent:
        [row] = await self._rpc(
            "begin_booking_intent",
            {
                "p_company_id": intent.company_id,
                "p_key": intent.key,
                "p_api_id": intent.api_id,
                "p_customer_id": intent.customer_id,
                "p_service_id": intent.service_id,
                "p_staff_id": intent.staff_id,
                "p_start_at": to_iso(intent.start),
                "p_status": intent.status.value,
                "p_backend_id": intent.backend_id,
                "p_now": self._now(),
            },
        )
        return BookingIntent(
            company_id=row["company_id"],
            key=row["key"],
            api_id=row["api_id"],
            customer_id=row["customer_id"],
            service_id=row["service_id"],
            staff_id=row["staff_id"],
            start=stored_time(row["start_at"]),
            status=BookingIntentStatus(row["status"]),
            backend_id=row["backend_id"],
        )

    async def finish_booking_intent(
        self, company_id: str, key: str, status: BookingIntentStatus, backend_id: str | None = None
    ) -> None:
        patch: Row = {"status": status.value, "updated_at": self._now()}
        if backend_id is not None:
            patch["backend_id"] = backend_id
        await self._run(
            self._table("booking_intents")
            .update(patch, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("key", key)
        )
