"""`SchedulingBackend.attendance` and `free_slots(fresh=True)` (issue 19) on both backends of the scheduling contract:
a visit is UNKNOWN until confirmed, CONFIRMED after the customer's "ok"; YClients also tells arrived and no-show;
a fresh read sees at once a cancellation made in the salon's system, which the kept free times do not yet."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from booking_bot.domain import Attendance, OutcomeKind
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from integrations.scheduling.builtin.demo_salon import demo_company, seed_demo_salon
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID, FakeYClients
from integrations.storage.sqlite import SqliteStore
from tests.conftest import FixedClock
from tests.contract.test_scheduling_contract import TOMORROW, Case, _named, moscow
from tests.yclients.harness import yclients_stack


@pytest.fixture(params=["builtin", "yclients"])
async def case(request: pytest.FixtureRequest, clock: FixedClock) -> AsyncIterator[tuple[Case, FakeYClients | None]]:
    store = SqliteStore(":memory:", clock)
    try:
        if request.param == "builtin":
            calendar = BuiltinCalendar(":memory:", clock)
            seed_demo_salon(calendar)
            company = demo_company()
            await store.upsert_company(company)
            yield await _named(Case(calendar, company, store)), None
            calendar.close()
        else:
            server = FakeYClients(clock)
            async with yclients_stack(store, clock, server=server) as stack:
                await store.upsert_company(stack.company)
                yield await _named(Case(stack.backend, stack.company, store)), server
    finally:
        store.close()


async def test_a_visit_is_unknown_until_confirmed(case: tuple[Case, FakeYClients | None]) -> None:
    salon, _ = case
    booking = await salon.book(await salon.customer(), moscow(TOMORROW, 15), "k1")
    assert await salon.backend.attendance(salon.company, booking) is Attendance.UNKNOWN
    confirmed = await salon.backend.confirm_visit(salon.company, booking, "k2")
    assert confirmed.kind is OutcomeKind.CONFIRMED
    assert await salon.backend.attendance(salon.company, booking) is Attendance.CONFIRMED


async def test_the_salons_own_marks_and_a_fresh_read_of_free_times(case: tuple[Case, FakeYClients | None]) -> None:
    salon, server = case
    booking = await salon.book(await salon.customer(), moscow(TOMORROW, 15), "k1")
    assert moscow(TOMORROW, 15) not in await salon.starts(TOMORROW, salon.anna)
    if server is None:  # the built-in calendar keeps nothing: every read is fresh
        assert (await salon.backend.cancel(salon.company, booking, "k2")).succeeded
        assert moscow(TOMORROW, 15) in await salon.starts(TOMORROW, salon.anna)
        return
    record = server.companies[DEMO_YCLIENTS_COMPANY_ID].records[int(booking.backend_id)]
    for value, expected in ((1, Attendance.ATTENDED), (-1, Attendance.NO_SHOW), (0, Attendance.UNKNOWN)):
        record.attendance = value
        assert await salon.backend.attendance(salon.company, booking) is expected
    record.deleted = True  # the front desk cancels it in YClients
    assert moscow(TOMORROW, 15) not in await salon.starts(TOMORROW, salon.anna)  # the free times kept a few seconds
    fresh = await salon.backend.free_slots(salon.company, salon.cut, TOMORROW, salon.anna, fresh=True)
    assert moscow(TOMORROW, 15) in [slot.start for slot in fresh]
    assert await salon.backend.attendance(salon.company, booking) is Attendance.UNKNOWN  # cancelled: no visit to mark
