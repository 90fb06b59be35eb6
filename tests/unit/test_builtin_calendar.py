from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking_bot.domain import (
    Booking,
    BookingStatus,
    BuiltinBackendSettings,
    Company,
    Customer,
    OutcomeKind,
    Service,
    Slot,
    StaffMember,
)
from booking_bot.ports import SchedulingBackend
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from integrations.scheduling.builtin.catalog import local_to_utc
from integrations.scheduling.builtin.demo_salon import demo_company, seed_demo_salon

MADRID = ZoneInfo("Europe/Madrid")
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Madrid
TOMORROW = date(2026, 3, 11)  # Wednesday

CUT = Service(id="cut", name="Haircut", duration_minutes=30, price=20, aliases=("trim",), names={"es": "Corte"})
COLOUR = Service(id="colour", name="Colouring", duration_minutes=120, price=80, price_max=120)
ANNA = StaffMember(id="anna", name="Anna", aliases=("Ann",), names={"ru": "Анна"})
BOB = StaffMember(id="bob", name="Bob", service_ids=("cut",))
WEEKDAYS_10_TO_14 = {weekday: [(time(10), time(14))] for weekday in range(5)}
BOB_HOURS = {weekday: [(time(10), time(11)), (time(12), time(13))] for weekday in range(5)}


class Clock:
    """A fixed clock that a test can move on."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def madrid(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MADRID).astimezone(UTC)


def make_company(company_id: str = "acme", step: int = 15, horizon: int = 60) -> Company:
    return Company(
        id=company_id,
        name=company_id.title(),
        timezone="Europe/Madrid",
        backend=BuiltinBackendSettings(slot_step_minutes=step, booking_horizon_days=horizon),
    )


def seed(calendar: BuiltinCalendar, company_id: str = "acme") -> None:
    calendar.add_service(company_id, CUT)
    calendar.add_service(company_id, COLOUR)
    calendar.add_staff(company_id, ANNA, WEEKDAYS_10_TO_14)
    calendar.add_staff(company_id, BOB, BOB_HOURS)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def calendar(clock: Clock) -> Iterator[BuiltinCalendar]:
    opened = BuiltinCalendar(":memory:", clock)
    seed(opened)
    yield opened
    opened.close()


@pytest.fixture
def company() -> Company:
    return make_company()


@pytest.fixture
def customer() -> Customer:
    return Customer(company_id="acme", id="chat-1", name="Ann")


def starts(slots: list[Slot]) -> list[datetime]:
    return [slot.start for slot in slots]


async def book(
    calendar: BuiltinCalendar,
    company: Company,
    customer: Customer,
    start: datetime,
    key: str,
    staff_id: str = "anna",
    service_id: str = "cut",
) -> Booking:
    outcome = await calendar.book(company, customer, service_id, staff_id, start, key)
    assert outcome.kind is OutcomeKind.BOOKED, outcome
    assert outcome.booking is not None
    return outcome.booking


# -- protocol & catalog -----------------------------------------------------------------------------------


async def test_catalog_changed_by_another_process_is_seen_within_the_cache_time(
    tmp_path: Path, clock: Clock, company: Company
) -> None:
    path = tmp_path / "calendar.db"
    worker, admin = BuiltinCalendar(path, clock, catalog_cache_seconds=0.2), BuiltinCalendar(path, clock)
    seed(admin)
    assert [s.id for s in await worker.services(company)] == ["cut", "colour"]
    admin.add_service("acme", CUT.model_copy(update={"id": "beard", "name": "Beard trim"}))
    await asyncio.sleep(0.3)
    assert [s.id for s in await worker.services(company)] == ["cut", "colour", "beard"]
    worker.add_staff("acme", BOB.model_copy(update={"name": "Robert"}), BOB_HOURS)
    assert [m.name for m in await worker.staff(company)] == ["Anna", "Robert"]  # its own change: at once
    worker.close()
    admin.close()


def test_is_a_scheduling_backend(calendar: BuiltinCalendar) -> None:
    backend: SchedulingBackend = calendar
    assert backend is calendar


async def test_catalog_round_trips_exactly(calendar: BuiltinCalendar, company: Company) -> None:
    assert await calendar.services(company) == [CUT, COLOUR]
    assert await calendar.staff(company) == [ANNA, BOB]
    assert calendar.has_catalog("acme") is True
    assert calendar.has_catalog("nobody") is False


async def test_add_service_and_staff_replace_existing(calendar: BuiltinCalendar, company: Company) -> None:
    longer = CUT.model_copy(update={"duration_minutes": 45, "aliases": ("trim", "cut")})
    calendar.add_service("acme", longer)
    calendar.add_staff("acme", BOB, {0: [(time(18), time(19))]})
    assert await calendar.services(company) == [longer, COLOUR]
    monday = date(2026, 3, 16)
    assert starts(await calendar.free_slots(company, "cut", monday, "bob")) == [
        madrid(monday, 18),
        madrid(monday, 18, 15),  # 45 minutes now: 18:15–19:00 still fits
    ]


def test_add_staff_rejects_bad_hours(calendar: BuiltinCalendar) -> None:
    with pytest.raises(ValueError, match="after"):
        calendar.add_staff("acme", ANNA, {0: [(time(12), time(10))]})
    with pytest.raises(ValueError, match="weekday"):
        calendar.add_staff("acme", ANNA, {7: [(time(10), time(12))]})


# -- free slots -------------------------------------------------------------------------------------------


async def test_free_slots_step_through_working_hours(calendar: BuiltinCalendar, company: Company) -> None:
    slots = await calendar.free_slots(company, "cut", TOMORROW, "anna")
    expected = [madrid(TOMORROW, 10) + timedelta(minutes=15 * i) for i in range(15)]  # 10:00 … 13:30
    assert starts(slots) == expected
    assert slots[0].start == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    assert slots[0].start.tzinfo is UTC
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert {(s.staff_id, s.service_id) for s in slots} == {("anna", "cut")}


async def test_free_slots_use_the_company_step(calendar: BuiltinCalendar) -> None:
    slots = await calendar.free_slots(make_company(step=60), "colour", TOMORROW)
    assert starts(slots) == [madrid(TOMORROW, hour) for hour in (10, 11, 12)]


async def test_free_slots_sorted_by_start_then_staff_and_skip_staff_without_the_service(
    calendar: BuiltinCalendar, company: Company
) -> None:
    cut = await calendar.free_slots(company, "cut", TOMORROW)
    assert [(s.start, s.staff_id) for s in cut] == sorted((s.start, s.staff_id) for s in cut)
    assert [s.staff_id for s in cut[:2]] == ["anna", "bob"]
    # Bob's two intervals: 10–11 and 12–13, nothing in his lunch hour.
    bob = [s.start for s in cut if s.staff_id == "bob"]
    assert bob == [madrid(TOMORROW, h, m) for h in (10, 12) for m in (0, 15, 30)]
    colour = await calendar.free_slots(company, "colour", TOMORROW)
    assert {s.staff_id for s in colour} == {"anna"}


async def test_unknown_service_or_staff_gives_no_slots(calendar: BuiltinCalendar, company: Company) -> None:
    assert await calendar.free_slots(company, "massage", TOMORROW) == []
    assert await calendar.free_slots(company, "cut", TOMORROW, "nobody") == []


async def test_slots_are_half_open_around_bookings(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")  # 11:00–11:30
    free = starts(await calendar.free_slots(company, "cut", TOMORROW, "anna"))
    assert madrid(TOMORROW, 10, 30) in free  # ends 11:00 exactly when the booking starts
    assert madrid(TOMORROW, 10, 45) not in free
    assert madrid(TOMORROW, 11) not in free
    assert madrid(TOMORROW, 11, 15) not in free
    assert madrid(TOMORROW, 11, 30) in free  # starts exactly when the booking ends
    # Another staff member is not blocked.
    await book(calendar, company, customer, madrid(TOMORROW, 12), "k2")
    assert madrid(TOMORROW, 12) in starts(await calendar.free_slots(company, "cut", TOMORROW, "bob"))


async def test_cancelled_bookings_do_not_block(calendar: BuiltinCalendar, company: Company, customer: Customer) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    await calendar.cancel(company, booking, "cancel-1")
    assert madrid(TOMORROW, 11) in starts(await calendar.free_slots(company, "cut", TOMORROW, "anna"))


async def test_past_slots_are_never_offered(calendar: BuiltinCalendar, company: Company, clock: Clock) -> None:
    today = date(2026, 3, 10)
    clock.now = madrid(today, 10, 15)
    free = starts(await calendar.free_slots(company, "cut", today, "anna"))
    assert free[0] == madrid(today, 10, 30)  # 10:15 is now: not offered
    assert await calendar.free_slots(company, "cut", date(2026, 3, 9)) == []


async def test_today_is_the_salons_today(clock: Clock) -> None:
    # 23:30 UTC on the 10th is already the 11th in Tokyo.
    clock.now = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    tokyo = Company(id="tokyo", name="Tokyo", timezone="Asia/Tokyo")
    calendar = BuiltinCalendar(":memory:", clock)
    seed(calendar, "tokyo")
    slots = await calendar.free_slots(tokyo, "cut", date(2026, 3, 11), "anna")
    assert slots[0].start == datetime(2026, 3, 11, 1, 0, tzinfo=UTC)  # 10:00 JST
    calendar.close()


async def test_days_beyond_the_horizon_have_no_slots(calendar: BuiltinCalendar, customer: Customer) -> None:
    company = make_company(horizon=7)
    last = date(2026, 3, 17)  # today + 7, a Tuesday
    assert await calendar.free_slots(company, "cut", last, "anna") != []
    assert await calendar.free_slots(company, "cut", last + timedelta(days=1), "anna") == []
    outcome = await calendar.book(company, customer, "cut", "anna", madrid(last + timedelta(days=1), 10), "k")
    assert outcome.kind is OutcomeKind.SLOT_TAKEN


# -- DST ----------------------------------------------------------------------------------------------------

SPRING_FORWARD = date(2026, 3, 29)  # Madrid: 02:00 CET → 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # Madrid: 03:00 CEST → 02:00 CET


@pytest.fixture
def night_calendar(clock: Clock) -> Iterator[BuiltinCalendar]:
    opened = BuiltinCalendar(":memory:", clock)
    opened.add_service("acme", CUT)
    sundays = {6: [(time(1), time(5)), (time(10), time(11))]}
    opened.add_staff("acme", StaffMember(id="night", name="Night"), sundays)
    yield opened
    opened.close()


async def test_spring_forward_day_has_no_slot_in_the_gap(night_calendar: BuiltinCalendar) -> None:
    company = make_company(step=30, horizon=365)
    slots = await night_calendar.free_slots(company, "cut", SPRING_FORWARD)
    local = [s.start.astimezone(MADRID).strftime("%H:%M%z") for s in slots]
    assert local == [
        "01:00+0100",
        "01:30+0100",
        "03:00+0200",
        "03:30+0200",
        "04:00+0200",
        "04:30+0200",
        "10:00+0200",
        "10:30+0200",
    ]
    assert slots[0].start == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert slots[2].start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # right after 01:30–02:00 CET
    assert slots[-1].start == datetime(2026, 3, 29, 8, 30, tzinfo=UTC)
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)


async def test_spring_forward_day_closes_at_local_closing_time(
    night_calendar: BuiltinCalendar, customer: Customer
) -> None:
    company = make_company(step=30, horizon=365)
    # The night shift 01:00–05:00 is three real hours long that day; 04:30 CEST is the last start.
    last = datetime(2026, 3, 29, 2, 30, tzinfo=UTC)
    assert (await night_calendar.book(company, customer, "cut", "night", last, "k1")).kind is OutcomeKind.BOOKED
    closing = datetime(2026, 3, 29, 3, 0, tzinfo=UTC)  # 05:00 CEST
    assert (await night_calendar.book(company, customer, "cut", "night", closing, "k2")).kind is (
        OutcomeKind.SLOT_TAKEN
    )


def test_local_to_utc_handles_gaps_and_overlaps() -> None:
    # A nonexistent wall time resolves to the first instant after the gap.
    assert local_to_utc(SPRING_FORWARD, time(2, 30), MADRID) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    # An ambiguous one to its first occurrence (fold=0, still summer time).
    assert local_to_utc(FALL_BACK, time(2, 30), MADRID) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert local_to_utc(FALL_BACK, time(10), MADRID) == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)


async def test_opening_inside_the_gap_starts_when_the_gap_ends(clock: Clock) -> None:
    calendar = BuiltinCalendar(":memory:", clock)
    calendar.add_service("acme", CUT)
    calendar.add_staff("acme", StaffMember(id="early", name="Early"), {6: [(time(2, 30), time(4))]})
    slots = await calendar.free_slots(make_company(step=30, horizon=365), "cut", SPRING_FORWARD)
    assert [s.start.astimezone(MADRID).strftime("%H:%M%z") for s in slots] == [
        "03:00+0200",
        "03:30+0200",
    ]
    calendar.close()


async def test_fall_back_day_offers_the_repeated_hour_twice(night_calendar: BuiltinCalendar) -> None:
    company = make_company(step=30, horizon=365)
    slots = await night_calendar.free_slots(company, "cut", FALL_BACK)
    local = [s.start.astimezone(MADRID).strftime("%H:%M%z") for s in slots]
    assert local == [
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "02:00+0100",
        "02:30+0100",
        "03:00+0100",
        "03:30+0100",
        "04:00+0100",
        "04:30+0100",
        "10:00+0100",
        "10:30+0100",
    ]
    assert slots[0].start == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert slots[-2].start == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    assert len({s.start for s in slots}) == len(slots)


async def test_booking_across_the_fall_back_lasts_its_real_duration(
    night_calendar: BuiltinCalendar, customer: Customer
) -> None:
    company = make_company(step=30, horizon=365)
    start = datetime(2026, 10, 25, 0, 45, tzinfo=UTC)  # 02:45 CEST
    booking = await book(night_calendar, company, customer, start, "k1", staff_id="night")
    assert booking.end == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)  # 02:15 CET
    free = starts(await night_calendar.free_slots(company, "cut", FALL_BACK))
    assert datetime(2026, 10, 25, 0, 30, tzinfo=UTC) not in free  # 02:30 CEST overlaps
    assert datetime(2026, 10, 25, 1, 0, tzinfo=UTC) not in free  # 02:00 CET overlaps
    assert datetime(2026, 10, 25, 1, 30, tzinfo=UTC) in free  # 02:30 CET is free


# -- book ---------------------------------------------------------------------------------------------------


async def test_book_confirms_a_free_slot(calendar: BuiltinCalendar, company: Company, customer: Customer) -> None:
    start = madrid(TOMORROW, 12)
    outcome = await calendar.book(company, customer, "colour", "anna", start, "job-1")
    assert outcome.kind is OutcomeKind.BOOKED and outcome.succeeded
    booking = outcome.booking
    assert booking is not None
    assert booking.id and booking.backend_id
    assert booking.status is BookingStatus.BOOKED
    assert (booking.company_id, booking.customer_id, booking.service_id, booking.staff_id) == (
        "acme",
        "chat-1",
        "colour",
        "anna",
    )
    assert booking.start == start and booking.end == madrid(TOMORROW, 14)
    assert await calendar.customer_bookings(company, customer) == [booking]


async def test_book_accepts_any_aware_start(calendar: BuiltinCalendar, company: Company, customer: Customer) -> None:
    local_start = datetime.combine(TOMORROW, time(12), tzinfo=MADRID)
    booking = await book(calendar, company, customer, local_start, "k1")
    assert booking.start == local_start and booking.start.tzinfo is UTC


async def test_retried_booking_job_never_books_twice(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    start = madrid(TOMORROW, 12)
    first = await calendar.book(company, customer, "cut", "anna", start, "job-42")
    retry = await calendar.book(company, customer, "cut", "anna", start, "job-42")
    assert first.kind is retry.kind is OutcomeKind.BOOKED
    assert retry.booking == first.booking
    assert len(await calendar.customer_bookings(company, customer)) == 1
    # A different job for the same slot is a real conflict.
    other = await calendar.book(company, customer, "cut", "anna", start, "job-43")
    assert other.kind is OutcomeKind.SLOT_TAKEN and other.booking is None


async def test_book_refuses_taken_and_impossible_slots(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    await book(calendar, company, customer, madrid(TOMORROW, 11), "k0")  # anna 11:00–11:30

    async def kind(start: datetime, key: str, staff: str = "anna", service: str = "cut") -> OutcomeKind:
        return (await calendar.book(company, customer, service, staff, start, key)).kind

    assert await kind(madrid(TOMORROW, 11, 15), "overlap") is OutcomeKind.SLOT_TAKEN
    assert await kind(madrid(TOMORROW, 10), "colour-overlap", service="colour") is OutcomeKind.SLOT_TAKEN
    assert await kind(madrid(TOMORROW, 9, 45), "before-opening") is OutcomeKind.SLOT_TAKEN
    assert await kind(madrid(TOMORROW, 13, 45), "past-closing") is OutcomeKind.SLOT_TAKEN
    assert await kind(madrid(TOMORROW, 12), "not-his-service", staff="bob", service="colour") is (
        OutcomeKind.SLOT_TAKEN
    )
    assert await kind(madrid(date(2026, 3, 14), 11), "saturday") is OutcomeKind.SLOT_TAKEN
    assert await kind(NOW - timedelta(hours=1), "past") is OutcomeKind.SLOT_TAKEN
    assert await kind(madrid(TOMORROW, 12), "no-service", service="massage") is OutcomeKind.NOT_FOUND
    assert await kind(madrid(TOMORROW, 12), "no-staff", staff="nobody") is OutcomeKind.NOT_FOUND
    # Half-open: right after the booking is fine, and so is another staff member at the same time.
    assert await kind(madrid(TOMORROW, 11, 30), "adjacent") is OutcomeKind.BOOKED
    assert await kind(madrid(TOMORROW, 12), "anna-12") is OutcomeKind.BOOKED
    assert await kind(madrid(TOMORROW, 12), "bob-12", staff="bob") is OutcomeKind.BOOKED


async def test_concurrent_bookings_of_one_slot_book_it_once(
    tmp_path: Path, company: Company, customer: Customer, clock: Clock
) -> None:
    calendar = BuiltinCalendar(tmp_path / "calendar.db", clock)
    seed(calendar)
    start = madrid(TOMORROW, 12)
    kinds: list[OutcomeKind] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        outcome = asyncio.run(calendar.book(company, customer, "cut", "anna", start, f"job-{n}"))
        kinds.append(outcome.kind)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kinds).count(OutcomeKind.BOOKED) == 1
    assert kinds.count(OutcomeKind.SLOT_TAKEN) == 7
    calendar.close()


async def test_bookings_survive_reopening_the_file(
    tmp_path: Path, company: Company, customer: Customer, clock: Clock
) -> None:
    path = tmp_path / "calendar.db"
    calendar = BuiltinCalendar(path, clock)
    seed(calendar)
    booking = await book(calendar, company, customer, madrid(TOMORROW, 12), "k1")
    calendar.close()
    reopened = BuiltinCalendar(path, clock)
    assert await reopened.customer_bookings(company, customer) == [booking]
    assert await reopened.services(company) == [CUT, COLOUR]
    reopened.close()


# -- move ---------------------------------------------------------------------------------------------------


async def test_move_keeps_the_booking_and_frees_the_old_time(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    outcome = await calendar.move(company, booking, madrid(TOMORROW, 12), "bob", "move-1")
    assert outcome.kind is OutcomeKind.MOVED
    moved = outcome.booking
    assert moved is not None
    assert moved.id == booking.id and moved.backend_id == booking.backend_id
    assert (moved.start, moved.end, moved.staff_id) == (madrid(TOMORROW, 12), madrid(TOMORROW, 12, 30), "bob")
    assert madrid(TOMORROW, 11) in starts(await calendar.free_slots(company, "cut", TOMORROW, "anna"))
    assert madrid(TOMORROW, 12) not in starts(await calendar.free_slots(company, "cut", TOMORROW, "bob"))
    assert await calendar.customer_bookings(company, customer) == [moved]


async def test_move_may_overlap_its_own_old_time(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    outcome = await calendar.move(company, booking, madrid(TOMORROW, 11, 15), "anna", "move-1")
    assert outcome.kind is OutcomeKind.MOVED


async def test_free_slots_for_a_move_count_the_moved_bookings_own_time_as_free(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")  # 11:00-11:30
    blocked = starts(await calendar.free_slots(company, "cut", TOMORROW, "anna"))
    assert madrid(TOMORROW, 11, 15) not in blocked
    for_the_move = starts(await calendar.free_slots(company, "cut", TOMORROW, "anna", ignoring=booking))
    assert madrid(TOMORROW, 11, 15) in for_the_move and madrid(TOMORROW, 11) in for_the_move
    other = booking.model_copy(update={"company_id": "other"})
    assert starts(await calendar.free_slots(company, "cut", TOMORROW, "anna", ignoring=other)) == blocked


async def test_retried_move_returns_the_current_booking(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    first = await calendar.move(company, booking, madrid(TOMORROW, 12), "anna", "move-1")
    retry = await calendar.move(company, booking, madrid(TOMORROW, 12), "anna", "move-1")
    assert retry.kind is OutcomeKind.MOVED
    assert retry.booking == first.booking
    # The retry neither moved it again nor treated its own new time as taken.
    assert await calendar.customer_bookings(company, customer) == [first.booking]


async def test_move_outcomes(calendar: BuiltinCalendar, company: Company, customer: Customer, clock: Clock) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    await book(calendar, company, customer, madrid(TOMORROW, 13), "k2")

    async def kind(target: Booking, start: datetime, key: str, staff: str = "anna") -> OutcomeKind:
        return (await calendar.move(company, target, start, staff, key)).kind

    assert await kind(booking, madrid(TOMORROW, 13), "m-taken") is OutcomeKind.SLOT_TAKEN
    assert await kind(booking, NOW - timedelta(minutes=30), "m-past") is OutcomeKind.SLOT_TAKEN
    assert await kind(booking, madrid(TOMORROW, 12), "m-no-staff", staff="nobody") is OutcomeKind.NOT_FOUND
    unknown = booking.model_copy(update={"id": "bi-unknown"})
    assert await kind(unknown, madrid(TOMORROW, 12), "m-unknown") is OutcomeKind.NOT_FOUND
    someone_else = booking.model_copy(update={"customer_id": "chat-2"})
    assert await kind(someone_else, madrid(TOMORROW, 12), "m-other-customer") is OutcomeKind.NOT_FOUND
    other_company = make_company("rival")
    moved_elsewhere = await calendar.move(other_company, booking, madrid(TOMORROW, 12), "anna", "m-rival")
    assert moved_elsewhere.kind is OutcomeKind.NOT_FOUND

    clock.now = madrid(TOMORROW, 11, 10)  # the visit has started
    assert await kind(booking, madrid(TOMORROW, 12), "m-started") is OutcomeKind.NOT_ALLOWED

    clock.now = NOW
    cancelled = (await calendar.cancel(company, booking, "c1")).booking
    assert cancelled is not None
    assert await kind(cancelled, madrid(TOMORROW, 12), "m-cancelled") is OutcomeKind.NOT_FOUND
    # Nothing above changed the booking.
    stored = await calendar.cancel(company, booking, "c2")
    assert stored.booking is not None and stored.booking.start == madrid(TOMORROW, 11)


# -- cancel -------------------------------------------------------------------------------------------------


async def test_cancel_is_idempotent_and_frees_the_slot(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    first = await calendar.cancel(company, booking, "cancel-1")
    assert first.kind is OutcomeKind.CANCELLED
    assert first.booking == booking.model_copy(update={"status": BookingStatus.CANCELLED})
    again = await calendar.cancel(company, booking, "cancel-2")
    assert again.kind is OutcomeKind.CANCELLED and again.booking == first.booking
    assert await calendar.customer_bookings(company, customer) == []
    assert madrid(TOMORROW, 11) in starts(await calendar.free_slots(company, "cut", TOMORROW, "anna"))


async def test_cancel_unknown_or_foreign_booking_is_not_found(
    calendar: BuiltinCalendar, company: Company, customer: Customer
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    unknown = booking.model_copy(update={"id": "bi-unknown"})
    assert (await calendar.cancel(company, unknown, "c1")).kind is OutcomeKind.NOT_FOUND
    foreign = booking.model_copy(update={"customer_id": "chat-2"})
    assert (await calendar.cancel(company, foreign, "c2")).kind is OutcomeKind.NOT_FOUND
    assert (await calendar.cancel(make_company("rival"), booking, "c3")).kind is OutcomeKind.NOT_FOUND
    assert await calendar.customer_bookings(company, customer) == [booking]


async def test_cancel_after_the_start_is_not_allowed(
    calendar: BuiltinCalendar, company: Company, customer: Customer, clock: Clock
) -> None:
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "k1")
    clock.now = madrid(TOMORROW, 11)
    assert (await calendar.cancel(company, booking, "c1")).kind is OutcomeKind.NOT_ALLOWED


# -- customer bookings ----------------------------------------------------------------------------------------


async def test_customer_bookings_future_booked_own_earliest_first(
    calendar: BuiltinCalendar, company: Company, customer: Customer, clock: Clock
) -> None:
    later = await book(calendar, company, customer, madrid(TOMORROW, 13), "k1")
    earlier = await book(calendar, company, customer, madrid(TOMORROW, 10), "k2")
    cancelled = await book(calendar, company, customer, madrid(TOMORROW, 12), "k3")
    await calendar.cancel(company, cancelled, "c3")
    someone_else = Customer(company_id="acme", id="chat-2")
    await book(calendar, company, someone_else, madrid(TOMORROW, 11), "k4")
    assert await calendar.customer_bookings(company, customer) == [earlier, later]

    clock.now = madrid(TOMORROW, 10, 15)  # in progress: still listed until it ends
    assert await calendar.customer_bookings(company, customer) == [earlier, later]
    clock.now = madrid(TOMORROW, 10, 30)  # ended
    assert await calendar.customer_bookings(company, customer) == [later]


# -- isolation ------------------------------------------------------------------------------------------------


async def test_companies_are_isolated(calendar: BuiltinCalendar, company: Company, customer: Customer) -> None:
    rival = make_company("rival")
    assert await calendar.services(rival) == []
    assert await calendar.staff(rival) == []
    assert await calendar.free_slots(rival, "cut", TOMORROW) == []

    seed(calendar, "rival")
    booking = await book(calendar, company, customer, madrid(TOMORROW, 11), "same-key")
    # The same slot, staff id and idempotency key in another company are independent.
    rival_customer = Customer(company_id="rival", id="chat-1")
    assert madrid(TOMORROW, 11) in starts(await calendar.free_slots(rival, "cut", TOMORROW, "anna"))
    rival_booking = await book(calendar, rival, rival_customer, madrid(TOMORROW, 11), "same-key")
    assert rival_booking.id != booking.id and rival_booking.company_id == "rival"
    assert await calendar.customer_bookings(rival, rival_customer) == [rival_booking]
    assert await calendar.customer_bookings(company, customer) == [booking]
    # A customer of one company cannot book or list through another.
    assert await calendar.customer_bookings(rival, customer) == []
    wrong = await calendar.book(rival, customer, "cut", "anna", madrid(TOMORROW, 12), "k-wrong")
    assert wrong.kind is OutcomeKind.NOT_FOUND


# -- demo salon -----------------------------------------------------------------------------------------------


async def test_demo_salon_seed(clock: Clock) -> None:
    calendar = BuiltinCalendar(":memory:", clock)
    company = demo_company()
    assert (company.id, company.name, company.timezone, company.default_language, company.currency) == (
        "demo-salon",
        "Demo Salon",
        "Europe/Moscow",
        "en",
        "RUB",
    )
    assert isinstance(company.backend, BuiltinBackendSettings)
    assert calendar.has_catalog("demo-salon") is False
    seed_demo_salon(calendar)
    seed_demo_salon(calendar)  # idempotent
    assert calendar.has_catalog("demo-salon") is True

    services = {s.id: s for s in await calendar.services(company)}
    assert list(services) == ["mens-haircut", "womens-haircut", "manicure", "hair-colouring"]
    assert [(s.name, s.duration_minutes, s.price) for s in services.values()] == [
        ("Men's haircut", 30, 1500),
        ("Women's haircut", 60, 2500),
        ("Manicure", 45, 2000),
        ("Hair colouring", 120, 6000),
    ]
    assert services["mens-haircut"].title("ru") == "Мужская стрижка"
    assert services["hair-colouring"].title("ru") == "Окрашивание"
    assert {"dye", "hair color", "покраска"} <= set(services["hair-colouring"].aliases)
    assert "nails" in services["manicure"].aliases

    staff = await calendar.staff(company)
    assert [(m.id, m.name) for m in staff] == [("anna", "Anna"), ("bari", "Bari"), ("olga", "Olga")]
    assert staff[0].title("ru") == "Анна" and "Аня" in staff[0].aliases
    assert all(m.service_ids == () for m in staff)

    saturday = date(2026, 3, 14)
    slots = await calendar.free_slots(company, "hair-colouring", saturday)
    moscow = ZoneInfo("Europe/Moscow")
    local = sorted({s.start.astimezone(moscow).time() for s in slots})
    assert local[0] == time(10) and local[-1] == time(18)
    assert slots[0].start == datetime(2026, 3, 14, 7, 0, tzinfo=UTC)
    assert {s.staff_id for s in slots} == {"anna", "bari", "olga"}
    calendar.close()
