"""The scheduling port: a salon's own system (the built-in calendar, YClients/Altegio)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from booking_bot.domain import (
    Attendance,
    Booking,
    Company,
    Customer,
    Outcome,
    Service,
    Slot,
    StaffMember,
)


class BackendUnavailable(Exception):
    """The scheduling backend could not be reached or answered with a server error."""


class SchedulingBackend(Protocol):
    """A salon's scheduling system: the catalog, free times and the bookings themselves.

    Operations return typed outcomes and never report success the backend did not confirm.
    Read methods raise `BackendUnavailable` when the system cannot answer.
    """

    async def services(self, company: Company) -> list[Service]: ...

    async def staff(self, company: Company) -> list[StaffMember]: ...

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
        fresh: bool = False,
    ) -> list[Slot]:
        """Free start times on the salon's local `day`. `ignoring`: the booking being moved — the time it holds
        counts as free where the system can tell (a move to 15:30 of a 15:00–16:00 appointment). `fresh`: asked of
        the system itself, never of what an adapter keeps (a freed time about to be offered)."""
        ...

    async def book(
        self,
        company: Company,
        customer: Customer,
        service_id: str,
        staff_id: str,
        start: datetime,
        idempotency_key: str,
    ) -> Outcome: ...

    async def move(
        self, company: Company, booking: Booking, new_start: datetime, staff_id: str, idempotency_key: str
    ) -> Outcome: ...

    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome: ...

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        """The customer's future, not cancelled bookings, earliest first."""
        ...

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        """`booking` (our mirror, matched by `backend_id`) as the salon's system has it now — the salon may have
        moved or cancelled it there. Keeps our id. None: the system no longer has it. Raises `BackendUnavailable`
        when it cannot tell."""
        ...

    async def confirm_visit(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        """The customer confirmed the visit (a reply to a reminder): CONFIRMED, or why not."""
        ...

    async def attendance(self, company: Company, booking: Booking) -> Attendance:
        """The visit as the salon's system tells it, else UNKNOWN; may raise `BackendUnavailable`."""
