"""The YClients adapter against the fake server: freshness, idempotent booking, reconciliation, honest outcomes."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from booking_bot.config import YClientsOptions
from booking_bot.domain import (
    BookingIntent,
    BookingIntentStatus,
    Company,
    Customer,
    Outcome,
    OutcomeKind,
)
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID, FakeRecord, FakeYClients, Fault
from integrations.scheduling.yclients.mapping import api_id_for
from integrations.storage.sqlite import SqliteStore
from tests.conftest import FixedClock
from tests.yclients.harness import YClientsStack, yclients_stack

MOSCOW = ZoneInfo("Europe/Moscow")
TOMORROW = date(2026, 11, 28)
CUT, ANNA, BARI = "101", "201", "202"
PHONE = "+79161234567"


def moscow(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MOSCOW).astimezone(UTC)


async def customer(store: SqliteStore, n: int = 1, phone: str | None = PHONE) -> Customer:
    return await store.upsert_customer(
        Customer(company_id="demo-salon", id=f"chat-{n}", phone=phone, name="Ivan Petrov")
    )


def live(server: FakeYClients) -> list[FakeRecord]:
    return server.companies[DEMO_YCLIENTS_COMPANY_ID].live_records()


async def book(stack: YClientsStack, who: Customer, start: datetime, key: str, staff: str = ANNA) -> Outcome:
    return await stack.backend.book(stack.company, who, CUT, staff, start, key)


async def intent_status(store: SqliteStore, key: str) -> BookingIntentStatus:
    probe = BookingIntent(
        company_id="demo-salon", key=key, api_id="probe", customer_id="x", service_id="x", staff_id="x",
        start=datetime(2030, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    return (await store.begin_booking_intent(probe)).status


async def test_booking_sends_check_then_record_with_api_id_and_confirms_the_intent(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    outcome = await book(stack, who, moscow(15), "demo-salon:msg-1")
    assert outcome.kind is OutcomeKind.BOOKED and outcome.booking is not None
    [record] = live(server)
    assert outcome.booking.backend_id == str(record.id) and outcome.booking.id == f"yc-{record.id}"
    assert record.start == datetime(2026, 11, 28, 15, 0)  # the salon's wall clock
    assert record.api_id == api_id_for("demo-salon", who.id, CUT, ANNA, datetime(2026, 11, 28, 15, 0))
    writes = [route for _, route in server.requests if route in ("book_check", "book_record")]
    assert writes == ["book_check", "book_record"]
    assert await intent_status(store, "demo-salon:msg-1") is BookingIntentStatus.CONFIRMED


async def test_commit_then_timeout_is_reconciled_not_booked_twice(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.BOOKED and outcome.booking is not None
    [record] = live(server)
    assert outcome.booking.backend_id == str(record.id)
    assert server.calls("book_record") == 1  # found by api_id, never sent again
    assert server.calls("records") >= 1


async def test_timeout_before_commit_resubmits_once_after_reconciling(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    server.faults.script("book_record", Fault.SERVER_ERROR)
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.BOOKED
    assert len(live(server)) == 1
    assert server.calls("book_record") == 2
    order = [route for _, route in server.requests if route in ("book_record", "records", "clients_search")]
    assert order.index("clients_search") < order.index("book_record", 1)  # reconciled before the resubmission


async def test_unreadable_records_after_a_lost_answer_never_resubmit_and_never_confirm(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)
    server.faults.script("clients_search", *[Fault.SERVER_ERROR] * 10)
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.BACKEND_UNAVAILABLE and outcome.booking is None
    assert server.calls("book_record") == 1
    assert await intent_status(store, "k-1") is BookingIntentStatus.PENDING  # still to be reconciled
    # The customer says "yes" again (a new message, a new key): the slot is held by our own record → booked.
    server.faults.stop()
    again = await book(stack, who, moscow(15), "k-2")
    assert again.kind is OutcomeKind.BOOKED and again.booking is not None
    [record] = live(server)
    assert again.booking.backend_id == str(record.id)
    assert server.calls("book_record") == 1


async def test_retried_job_after_a_crash_finds_its_record_instead_of_booking_again(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    # The first run committed and crashed before recording the outcome: the intent is still pending.
    await store.begin_booking_intent(
        BookingIntent(
            company_id="demo-salon",
            key="k-1",
            api_id=api_id_for("demo-salon", who.id, CUT, ANNA, datetime(2026, 11, 28, 15, 0)),
            customer_id=who.id,
            service_id=CUT,
            staff_id=ANNA,
            start=moscow(15),
        )
    )
    server.add_record(
        DEMO_YCLIENTS_COMPANY_ID, 201, 101, datetime(2026, 11, 28, 15, 0), phone=PHONE,
        api_id=api_id_for("demo-salon", who.id, CUT, ANNA, datetime(2026, 11, 28, 15, 0)),
    )  # fmt: skip
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.BOOKED
    assert len(live(server)) == 1 and server.calls("book_record") == 0


async def test_raced_slot_is_slot_taken_and_fresh_times_are_fetched(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    before = await stack.backend.free_slots(stack.company, CUT, TOMORROW, ANNA)
    assert moscow(15) in [s.start for s in before]
    server.faults.script("book_record", Fault.RACE_422)
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.SLOT_TAKEN and outcome.booking is None
    assert server.calls("book_record") == 1  # never retried blindly
    assert await intent_status(store, "k-1") is BookingIntentStatus.FAILED
    times_calls = server.calls("book_times")
    after = await stack.backend.free_slots(stack.company, CUT, TOMORROW, ANNA)
    assert server.calls("book_times") == times_calls + 1  # the cached times were dropped
    assert moscow(15) not in [s.start for s in after]
    [rival] = live(server)
    assert rival.api_id == ""  # the only record is the rival's


async def test_free_times_cached_briefly_but_the_slot_is_rechecked_before_booking(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    await stack.backend.free_slots(stack.company, CUT, TOMORROW, ANNA)
    await stack.backend.free_slots(stack.company, CUT, TOMORROW, ANNA)
    assert server.calls("book_times") == 1
    server.add_record(DEMO_YCLIENTS_COMPANY_ID, 201, 101, datetime(2026, 11, 28, 15, 0))  # front desk
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.SLOT_TAKEN
    assert server.calls("book_check") == 1 and server.calls("book_record") == 0


def test_free_times_are_never_cached_for_more_than_a_minute() -> None:
    with pytest.raises(ValueError, match="60 s"):
        YClientsOptions(times_ttl_seconds=120)


async def test_reschedule_forbidden_by_the_salon_is_not_reported_as_success(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    server.companies[DEMO_YCLIENTS_COMPANY_ID].allow_change_record = False
    outcome = await stack.backend.move(stack.company, booked, moscow(17), ANNA, "k-2")
    assert outcome.kind is OutcomeKind.NOT_ALLOWED and outcome.booking is None
    [record] = live(server)
    assert record.start == datetime(2026, 11, 28, 15, 0)


async def test_move_to_another_staff_member_is_not_allowed_online(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    outcome = await stack.backend.move(stack.company, booked, moscow(17), BARI, "k-2")
    assert outcome.kind is OutcomeKind.NOT_ALLOWED
    assert server.calls("move_record") == 0


async def test_move_with_a_lost_answer_is_reconciled_by_reading_the_record(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    server.faults.script("move_record", Fault.COMMIT_THEN_TIMEOUT)
    outcome = await stack.backend.move(stack.company, booked, moscow(17), ANNA, "k-2")
    assert outcome.kind is OutcomeKind.MOVED and outcome.booking is not None
    assert outcome.booking.start == moscow(17)
    assert server.calls("move_record") == 1
    [record] = live(server)
    assert record.start == datetime(2026, 11, 28, 17, 0)


async def test_move_failing_with_5xx_is_resent_only_after_reading_it_did_not_happen(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    server.faults.script("move_record", Fault.SERVER_ERROR, Fault.SERVER_ERROR)
    outcome = await stack.backend.move(stack.company, booked, moscow(17), ANNA, "k-2")
    assert outcome.kind is OutcomeKind.BACKEND_UNAVAILABLE  # two sends, neither applied: nothing claimed
    [record] = live(server)
    assert record.start == datetime(2026, 11, 28, 15, 0)


async def test_cancel_with_a_lost_answer_reports_cancelled_once_it_is_gone(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    server.faults.script("cancel_admin", Fault.COMMIT_THEN_TIMEOUT)
    outcome = await stack.backend.cancel(stack.company, booked, "k-2")
    assert outcome.kind is OutcomeKind.CANCELLED
    assert live(server) == [] and server.calls("cancel_admin") == 1


async def test_cancel_that_fails_is_not_reported_as_cancelled(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    server.faults.script("cancel_admin", Fault.SERVER_ERROR, Fault.SECOND_SHAPE_ERROR)
    outcome = await stack.backend.cancel(stack.company, booked, "k-2")
    assert outcome.kind is OutcomeKind.BACKEND_UNAVAILABLE
    assert len(live(server)) == 1


async def test_customer_without_a_phone_number_is_asked_for_one(stack: YClientsStack, store: SqliteStore) -> None:
    lid = await customer(store, phone=None)
    outcome = await book(stack, lid, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.NEEDS_INFO
    assert await stack.backend.customer_bookings(stack.company, lid) == []


async def test_salon_zone_comes_from_yclients_and_the_naive_date_is_the_truth(
    store: SqliteStore, clock: FixedClock
) -> None:
    # Our config says UTC (wrong); YClients says Europe/Moscow; the records' `datetime` carries a wrong offset.
    server = FakeYClients(clock, wrong_offsets=True)
    async with yclients_stack(store, clock, server=server) as stack:
        company = stack.company.model_copy(update={"timezone": "UTC"})
        await store.upsert_company(company)
        who = await customer(store)
        slots = await stack.backend.free_slots(company, CUT, TOMORROW, ANNA)
        assert slots[0].start == moscow(10)
        assert (await book(stack, who, moscow(15), "k-1")).kind is OutcomeKind.BOOKED
        [listed] = await stack.backend.customer_bookings(company, who)
        assert listed.start == moscow(15)


async def test_salons_today_after_local_midnight(store: SqliteStore, clock: FixedClock, stack: YClientsStack) -> None:
    clock.now = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # 00:30 on Saturday in Moscow, Friday in UTC
    assert await stack.backend.free_slots(stack.company, CUT, date(2026, 11, 27), ANNA) == []
    saturday = await stack.backend.free_slots(stack.company, CUT, date(2026, 11, 28), ANNA)
    assert saturday[0].start == moscow(10)


async def test_records_are_found_by_client_id_never_by_phone_filter(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    who, other = await customer(store, 1), await customer(store, 2, phone="+79161234500")
    await book(stack, other, moscow(11), "k-0")
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    # quick_search matches substrings: "79161234567" is not "79161234500", so only the customer's own record.
    assert await stack.backend.customer_bookings(stack.company, who) == [booked]


async def test_wrong_tokens_make_the_backend_unavailable_and_are_logged_without_secrets(
    stack: YClientsStack, store: SqliteStore, caplog: pytest.LogCaptureFixture
) -> None:
    server_token = stack.server.partner_token
    stack.server.partner_token = "rotated"
    caplog.set_level(logging.INFO)
    who = await customer(store)
    outcome = await book(stack, who, moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.BACKEND_UNAVAILABLE
    text = caplog.text
    assert "demo-salon" in text and server_token not in text and "79161234567" not in text


async def test_logs_carry_company_ids_never_phone_numbers(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    who = await customer(store)
    server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)
    server.faults.script("clients_search", Fault.SERVER_ERROR)
    assert (await book(stack, who, moscow(15), "k-1")).kind is OutcomeKind.BOOKED
    assert "company=demo-salon" in caplog.text
    assert "79161234567" not in caplog.text and "Ivan" not in caplog.text


async def test_other_companies_settings_are_not_used(stack: YClientsStack, store: SqliteStore) -> None:
    builtin = Company(id="other", name="Other")
    from booking_bot.ports import BackendUnavailable

    with pytest.raises(BackendUnavailable):
        await stack.backend.services(builtin)


async def test_current_booking_sees_what_the_salon_changed_in_yclients(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    """The reminder sender's check: a record the salon moved or deleted in YClients, as it is now (our id kept)."""
    from booking_bot.ports import BackendUnavailable

    who = await customer(store)
    booked = (await book(stack, who, moscow(15), "k-1")).booking
    assert booked is not None
    current = await stack.backend.current_booking(stack.company, booked)
    assert current is not None and (current.id, current.start) == (booked.id, booked.start)
    [record] = live(server)
    record.start = record.start.replace(hour=17)  # moved by the salon in its app
    moved = await stack.backend.current_booking(stack.company, booked)
    assert moved is not None and moved.id == booked.id and moved.start == moscow(17)
    record.deleted = True  # deleted by the salon
    gone = await stack.backend.current_booking(stack.company, booked)
    assert gone is None or gone.status.value == "cancelled"
    server.faults.script("records", *[Fault.SERVER_ERROR] * 8)  # more than the client's retries
    with pytest.raises(BackendUnavailable):  # cannot tell: the sender then reminds as booked
        await stack.backend.current_booking(stack.company, booked)
