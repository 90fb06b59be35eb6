"""One contract for every `SchedulingBackend`: the built-in calendar and YClients (against the fake server).

Both hold the demo salon (Europe/Moscow, 10:00–20:00 every day; Anna, Bari, Olga; a 30-minute men's haircut).
"Now" is Friday 27 November 2026, 12:00 in Moscow. Ids differ between backends, so tests look them up by name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking_bot.domain import Booking, BookingStatus, Company, Customer, OutcomeKind, Slot
from booking_bot.ports import SchedulingBackend
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from integrations.scheduling.builtin.demo_salon import demo_company, seed_demo_salon
from integrations.storage.sqlite import SqliteStore
from tests.conftest import FixedClock
from tests.yclients.harness import yclients_stack

MOSCOW = ZoneInfo("Europe/Moscow")
TODAY = date(2026, 11, 27)
TOMORROW = date(2026, 11, 28)


def moscow(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MOSCOW).astimezone(UTC)


@dataclass
class Case:
    backend: SchedulingBackend
    company: Company
    store: SqliteStore
    cut: str = ""  # Men's haircut, 30 min
    colour: str = ""  # Hair colouring, 120 min
    anna: str = ""
    bari: str = ""

    async def customer(self, n: int = 1) -> Customer:
        customer = Customer(company_id=self.company.id, id=f"chat-{n}", phone=f"+7999000000{n}", name=f"Client {n}")
        return await self.store.upsert_customer(customer)

    async def book(self, customer: Customer, start: datetime, key: str, staff: str | None = None) -> Booking:
        outcome = await self.backend.book(self.company, customer, self.cut, staff or self.anna, start, key)
        assert outcome.kind is OutcomeKind.BOOKED, outcome
        assert outcome.booking is not None
        return outcome.booking

    async def starts(self, day: date, staff: str | None = None, service: str | None = None) -> list[datetime]:
        slots = await self.backend.free_slots(self.company, service or self.cut, day, staff)
        return [slot.start for slot in slots]


@pytest.fixture(params=["builtin", "yclients"])
async def case(request: pytest.FixtureRequest, clock: FixedClock) -> AsyncIterator[Case]:
    store = SqliteStore(":memory:", clock)
    try:
        if request.param == "builtin":
            calendar = BuiltinCalendar(":memory:", clock)
            seed_demo_salon(calendar)
            company = demo_company()
            await store.upsert_company(company)
            found = await _named(Case(calendar, company, store))
            yield found
            calendar.close()
        else:
            async with yclients_stack(store, clock) as stack:
                await store.upsert_company(stack.company)
                yield await _named(Case(stack.backend, stack.company, store))
    finally:
        store.close()


async def _named(case: Case) -> Case:
    services = {s.name: s.id for s in await case.backend.services(case.company)}
    staff = {m.name: m.id for m in await case.backend.staff(case.company)}
    case.cut, case.colour = services["Men's haircut"], services["Hair colouring"]
    case.anna, case.bari = staff["Anna"], staff["Bari"]
    return case


async def test_catalog_lists_services_with_durations_and_staff(case: Case) -> None:
    services = {s.name: s for s in await case.backend.services(case.company)}
    assert {"Men's haircut", "Women's haircut", "Manicure", "Hair colouring"} <= set(services)
    assert services["Men's haircut"].duration_minutes == 30
    assert services["Hair colouring"].duration_minutes == 120
    assert services["Men's haircut"].price == 1500
    assert {m.name for m in await case.backend.staff(case.company)} == {"Anna", "Bari", "Olga"}


async def test_free_slots_are_future_working_hours_of_the_staff_member(case: Case, clock: FixedClock) -> None:
    slots = await case.backend.free_slots(case.company, case.cut, TOMORROW, case.anna)
    assert slots, "a whole free working day must have free times"
    assert all(isinstance(s, Slot) and s.staff_id == case.anna and s.service_id == case.cut for s in slots)
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    local = [s.start.astimezone(MOSCOW) for s in slots]
    assert local[0].time() == time(10, 0) and local[-1].time() == time(19, 30)
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    today = await case.starts(TODAY, case.anna)
    assert today and all(start > clock.now for start in today)  # nothing in the past, salon's today
    assert await case.starts(TODAY - timedelta(days=1), case.anna) == []


async def test_free_slots_without_staff_cover_everyone_sorted(case: Case) -> None:
    slots = await case.backend.free_slots(case.company, case.colour, TOMORROW)
    assert {s.staff_id for s in slots} == {m.id for m in await case.backend.staff(case.company)}
    assert [(s.start, s.staff_id) for s in slots] == sorted((s.start, s.staff_id) for s in slots)
    assert all(s.end - s.start == timedelta(minutes=120) for s in slots)


async def test_book_confirms_a_real_booking_that_takes_the_slot(case: Case) -> None:
    customer = await case.customer()
    start = moscow(TOMORROW, 15)
    booking = await case.book(customer, start, "m-1")
    assert (booking.company_id, booking.customer_id) == (case.company.id, customer.id)
    assert (booking.service_id, booking.staff_id, booking.start, booking.end) == (
        case.cut,
        case.anna,
        start,
        start + timedelta(minutes=30),
    )
    assert booking.status is BookingStatus.BOOKED and booking.backend_id
    assert start not in await case.starts(TOMORROW, case.anna)
    assert start in await case.starts(TOMORROW, case.bari)  # other staff unaffected
    assert await case.backend.customer_bookings(case.company, customer) == [booking]


async def test_same_idempotency_key_books_once(case: Case) -> None:
    customer = await case.customer()
    first = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    retry = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    assert retry == first
    assert await case.backend.customer_bookings(case.company, customer) == [first]


async def test_taken_or_past_slot_is_slot_taken(case: Case, clock: FixedClock) -> None:
    customer, rival = await case.customer(1), await case.customer(2)
    await case.book(rival, moscow(TOMORROW, 15), "rival-1")
    taken = await case.backend.book(case.company, customer, case.cut, case.anna, moscow(TOMORROW, 15, 15), "m-1")
    assert taken.kind is OutcomeKind.SLOT_TAKEN and taken.booking is None
    past = await case.backend.book(case.company, customer, case.cut, case.anna, clock.now - timedelta(hours=1), "m-2")
    assert past.kind is OutcomeKind.SLOT_TAKEN
    assert await case.backend.customer_bookings(case.company, customer) == []


async def test_unknown_service_or_staff_is_not_found(case: Case) -> None:
    customer = await case.customer()
    start = moscow(TOMORROW, 15)
    assert (await case.backend.book(case.company, customer, "999999", case.anna, start, "k1")).kind is (
        OutcomeKind.NOT_FOUND
    )
    assert (await case.backend.book(case.company, customer, case.cut, "999999", start, "k2")).kind is (
        OutcomeKind.NOT_FOUND
    )


async def test_move_changes_the_time_and_frees_the_old_one(case: Case) -> None:
    customer = await case.customer()
    booking = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    outcome = await case.backend.move(case.company, booking, moscow(TOMORROW, 17), case.anna, "m-2")
    assert outcome.kind is OutcomeKind.MOVED and outcome.booking is not None
    moved = outcome.booking
    assert (moved.id, moved.start, moved.end) == (booking.id, moscow(TOMORROW, 17), moscow(TOMORROW, 17, 30))
    free = await case.starts(TOMORROW, case.anna)
    assert moscow(TOMORROW, 15) in free and moscow(TOMORROW, 17) not in free
    assert await case.backend.customer_bookings(case.company, customer) == [moved]


async def test_move_onto_a_taken_time_is_slot_taken_and_changes_nothing(case: Case) -> None:
    customer, rival = await case.customer(1), await case.customer(2)
    booking = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    await case.book(rival, moscow(TOMORROW, 17), "rival-1")
    outcome = await case.backend.move(case.company, booking, moscow(TOMORROW, 17), case.anna, "m-2")
    assert outcome.kind is OutcomeKind.SLOT_TAKEN
    assert await case.backend.customer_bookings(case.company, customer) == [booking]


async def test_cancel_frees_the_slot_and_is_idempotent(case: Case) -> None:
    customer = await case.customer()
    booking = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    first = await case.backend.cancel(case.company, booking, "c-1")
    assert first.kind is OutcomeKind.CANCELLED and first.booking is not None
    assert first.booking.status is BookingStatus.CANCELLED and first.booking.id == booking.id
    assert await case.backend.customer_bookings(case.company, customer) == []
    assert moscow(TOMORROW, 15) in await case.starts(TOMORROW, case.anna)
    again = await case.backend.cancel(case.company, booking, "c-2")
    assert again.kind is OutcomeKind.CANCELLED


async def test_current_booking_follows_moves_and_cancellations_keeping_our_id(case: Case) -> None:
    customer = await case.customer()
    booking = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    current = await case.backend.current_booking(case.company, booking)
    assert current is not None and (current.id, current.start, current.status) == (
        booking.id,
        booking.start,
        BookingStatus.BOOKED,
    )
    moved = await case.backend.move(case.company, booking, moscow(TOMORROW, 17), booking.staff_id, "mv-1")
    assert moved.kind is OutcomeKind.MOVED and moved.booking is not None
    now = await case.backend.current_booking(case.company, booking)
    assert now is not None and now.id == booking.id and now.start == moscow(TOMORROW, 17)
    assert (await case.backend.cancel(case.company, moved.booking, "c-1")).kind is OutcomeKind.CANCELLED
    gone = await case.backend.current_booking(case.company, booking)
    assert gone is None or gone.status is BookingStatus.CANCELLED


async def test_confirming_a_visit_is_idempotent_and_only_for_live_own_bookings(case: Case) -> None:
    customer, other = await case.customer(1), await case.customer(2)
    booking = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    first = await case.backend.confirm_visit(case.company, booking, "v-1")
    assert first.kind is OutcomeKind.CONFIRMED and first.booking is not None and first.booking.id == booking.id
    assert (await case.backend.confirm_visit(case.company, booking, "v-2")).kind is OutcomeKind.CONFIRMED
    foreign = booking.model_copy(update={"customer_id": other.id})
    assert (await case.backend.confirm_visit(case.company, foreign, "v-3")).kind is OutcomeKind.NOT_FOUND
    await case.backend.cancel(case.company, booking, "c-1")
    assert (await case.backend.confirm_visit(case.company, booking, "v-4")).kind is OutcomeKind.NOT_FOUND


async def test_someone_elses_booking_cannot_be_cancelled_or_moved(case: Case) -> None:
    customer, other = await case.customer(1), await case.customer(2)
    booking = await case.book(customer, moscow(TOMORROW, 15), "m-1")
    foreign = booking.model_copy(update={"customer_id": other.id})
    assert (await case.backend.cancel(case.company, foreign, "c-1")).kind is OutcomeKind.NOT_FOUND
    moved = await case.backend.move(case.company, foreign, moscow(TOMORROW, 17), case.anna, "m-2")
    assert moved.kind is OutcomeKind.NOT_FOUND
    assert await case.backend.customer_bookings(case.company, customer) == [booking]


async def test_customer_bookings_are_own_future_live_and_earliest_first(case: Case) -> None:
    customer, other = await case.customer(1), await case.customer(2)
    later = await case.book(customer, moscow(TOMORROW + timedelta(days=1), 11), "m-1")
    earlier = await case.book(customer, moscow(TOMORROW, 11), "m-2")
    cancelled = await case.book(customer, moscow(TOMORROW, 16), "m-3")
    await case.backend.cancel(case.company, cancelled, "c-3")
    await case.book(other, moscow(TOMORROW, 12), "m-4")
    assert await case.backend.customer_bookings(case.company, customer) == [earlier, later]


async def test_times_are_the_salons_wall_clock(case: Case) -> None:
    customer = await case.customer()
    booking = await case.book(customer, moscow(TOMORROW, 10), "m-1")
    assert booking.start.astimezone(MOSCOW).time() == time(10, 0)
    assert booking.start == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
