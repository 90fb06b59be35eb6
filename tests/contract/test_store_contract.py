"""The `Store` contract: every store implementation must pass this suite.

Add an implementation by appending an async context manager factory to `STORE_FACTORIES`
(e.g. the Supabase/PostgreSQL store, skipped when its database is not configured).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import SecretStr

from booking_bot.domain import (
    Booking,
    BookingIntent,
    BookingIntentStatus,
    BookingStatus,
    BuiltinBackendSettings,
    Company,
    Customer,
    DeliveryStatus,
    Event,
    EventType,
    InboundMessage,
    IntegrationToken,
    OutboundMessage,
    ReminderPolicy,
    ReminderStatus,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
    event_id,
)
from booking_bot.ports import Store
from integrations.storage.sqlite import SqliteStore
from tests.supabase.pg import supabase_stack

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@asynccontextmanager
async def sqlite_file_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = SqliteStore(tmp_path / "store.db", clock)
    try:
        yield store
    finally:
        store.close()


@asynccontextmanager
async def sqlite_memory_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = SqliteStore(":memory:", clock)
    try:
        yield store
    finally:
        store.close()


@asynccontextmanager
async def supabase_store(tmp_path: Path) -> AsyncIterator[Store]:
    """SupabaseStore over HTTP to the PostgREST-compatible fake, on a fresh migrated PostgreSQL database."""
    async with supabase_stack(clock) as stack:
        yield stack.store


StoreFactory = Callable[[Path], AbstractAsyncContextManager[Store]]

STORE_FACTORIES: list[tuple[str, StoreFactory]] = [
    ("sqlite-file", sqlite_file_store),
    ("sqlite-memory", sqlite_memory_store),
    ("supabase", supabase_store),
]


@pytest.fixture(params=[factory for _, factory in STORE_FACTORIES], ids=[name for name, _ in STORE_FACTORIES])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    factory: StoreFactory = request.param
    async with factory(tmp_path) as opened:
        yield opened


def inbound(message_id: str, chat_id: str = "chat-1", company_id: str = "acme", **extra: object) -> InboundMessage:
    return InboundMessage.model_validate(
        {
            "company_id": company_id,
            "message_id": message_id,
            "chat_id": chat_id,
            "text": f"text of {message_id}",
            "received_at": NOW,
            **extra,
        }
    )


def outbound(key: str, reply_to: str | None = "m1", company_id: str = "acme", text: str = "hi") -> OutboundMessage:
    return OutboundMessage(company_id=company_id, chat_id="chat-1", text=text, reply_to=reply_to, idempotency_key=key)


def booking(
    booking_id: str = "b1",
    company_id: str = "acme",
    start: datetime = NOW + timedelta(days=2),
    status: BookingStatus = BookingStatus.BOOKED,
) -> Booking:
    return Booking(
        id=booking_id,
        company_id=company_id,
        customer_id="cust-1",
        service_id="cut",
        staff_id="anna",
        start=start,
        end=start + timedelta(minutes=30),
        status=status,
        backend_id=f"backend-{booking_id}",
    )


# -- companies ------------------------------------------------------------------------------------------


async def test_company_round_trips_with_defaults(store: Store) -> None:
    company = Company(id="acme", name="Acme Salon")
    await store.upsert_company(company)
    assert await store.get_company("acme") == company
    assert await store.get_company("nope") is None


async def test_company_round_trips_nested_settings(store: Store) -> None:
    company = Company(
        id="romashka",
        name="Салон «Ромашка»",
        timezone="Europe/Moscow",
        default_language="ru",
        currency="RUB",
        backend=BuiltinBackendSettings(slot_step_minutes=30, booking_horizon_days=14),
        reminders=ReminderPolicy(offsets_minutes=(60,), confirm_by_reply=False),
    )
    await store.upsert_company(company)
    loaded = await store.get_company("romashka")
    assert loaded == company
    assert loaded is not None and loaded.name == "Салон «Ромашка»"
    assert loaded.backend.slot_step_minutes == 30
    assert loaded.reminders.offsets_minutes == (60,)


async def test_upsert_company_replaces_and_lists(store: Store) -> None:
    await store.upsert_company(Company(id="b-salon", name="B"))
    await store.upsert_company(Company(id="a-salon", name="A"))
    await store.upsert_company(
        Company(id="b-salon", name="B renamed", backend=BuiltinBackendSettings(slot_step_minutes=30))
    )
    companies = await store.list_companies()
    assert sorted(c.id for c in companies) == ["a-salon", "b-salon"]
    renamed = await store.get_company("b-salon")
    assert renamed is not None and renamed.name == "B renamed"
    assert isinstance(renamed.backend, BuiltinBackendSettings)
    assert renamed.backend.slot_step_minutes == 30


# -- customers ------------------------------------------------------------------------------------------


async def test_customer_merge_never_overwrites_known_values_with_none(store: Store) -> None:
    first = await store.upsert_customer(Customer(company_id="acme", id="c1", phone="+100", name="Ann"))
    assert first == Customer(company_id="acme", id="c1", phone="+100", name="Ann")
    merged = await store.upsert_customer(Customer(company_id="acme", id="c1", language="ru"))
    assert merged == Customer(company_id="acme", id="c1", phone="+100", name="Ann", language="ru")
    renamed = await store.upsert_customer(Customer(company_id="acme", id="c1", name="Anna"))
    assert renamed.name == "Anna" and renamed.phone == "+100" and renamed.language == "ru"
    assert await store.get_customer("acme", "c1") == renamed
    assert await store.get_customer("acme", "missing") is None


# -- inbound log ----------------------------------------------------------------------------------------


async def test_record_inbound_dedupes_by_company_and_message_id(store: Store) -> None:
    assert await store.record_inbound(inbound("m1")) is True
    assert await store.record_inbound(inbound("m1", text="a redelivery")) is False
    assert await store.record_inbound(inbound("m1", company_id="other")) is True
    pending = await store.pending_inbound("acme", "chat-1")
    assert [m.message_id for m in pending] == ["m1"]
    assert pending[0].text == "text of m1"


async def test_pending_inbound_in_arrival_order_per_chat(store: Store) -> None:
    # Arrival order is the order of recording, not received_at.
    await store.record_inbound(inbound("m-c", received_at=NOW + timedelta(seconds=3)))
    await store.record_inbound(inbound("m-a", received_at=NOW + timedelta(seconds=1)))
    await store.record_inbound(inbound("other-chat", chat_id="chat-2"))
    await store.record_inbound(inbound("m-b", received_at=NOW + timedelta(seconds=2)))
    assert [m.message_id for m in await store.pending_inbound("acme", "chat-1")] == ["m-c", "m-a", "m-b"]
    assert [m.message_id for m in await store.pending_inbound("acme", "chat-2")] == ["other-chat"]


async def test_stale_inbound_finds_waiting_messages_of_every_company(store: Store) -> None:
    """What the scheduler's sweep hands to the queue again: nothing handled, nothing newer than asked."""
    await store.record_inbound(inbound("m1"))
    await store.record_inbound(inbound("m2", chat_id="chat-2"))
    await store.record_inbound(inbound("m3", company_id="other"))
    await store.record_inbound(inbound("handled"))
    await store.mark_inbound_done("acme", "handled")
    later = NOW + timedelta(seconds=1)
    found = await store.stale_inbound(later, 10)
    assert sorted((m.company_id, m.chat_id, m.message_id) for m in found) == [
        ("acme", "chat-1", "m1"),
        ("acme", "chat-2", "m2"),
        ("other", "chat-1", "m3"),
    ]
    assert len(await store.stale_inbound(later, 2)) == 2
    assert await store.stale_inbound(NOW, 10) == []  # recorded at NOW: not before it


async def test_inbound_done_states(store: Store) -> None:
    await store.record_inbound(inbound("m1"))
    await store.record_inbound(inbound("m2"))
    assert await store.inbound_done("acme", "m1") is False
    assert await store.inbound_done("acme", "unknown") is None
    await store.mark_inbound_done("acme", "m1")
    assert await store.inbound_done("acme", "m1") is True
    assert [m.message_id for m in await store.pending_inbound("acme", "chat-1")] == ["m2"]
    await store.mark_inbound_done("acme", "m1")  # idempotent
    assert await store.inbound_done("acme", "m1") is True


async def test_inbound_message_round_trips_in_utc(store: Store) -> None:
    local = datetime(2026, 3, 10, 12, 30, 15, 123456, tzinfo=timezone(timedelta(hours=3)))
    message = inbound("m1", phone="+79990000000", sender_name="Иван", language="ru", received_at=local, from_me=True)
    await store.record_inbound(message)
    [loaded] = await store.pending_inbound("acme", "chat-1")
    assert loaded == message
    assert loaded.received_at.utcoffset() == timedelta(0)
    assert loaded.received_at == datetime(2026, 3, 10, 9, 30, 15, 123456, tzinfo=UTC)


# -- outbound log ---------------------------------------------------------------------------------------


async def test_record_outbound_dedupes_by_idempotency_key(store: Store) -> None:
    assert await store.record_outbound(outbound("k1", text="first")) is True
    assert await store.record_outbound(outbound("k1", text="again")) is False
    assert [m.text for m in await store.outbound_replies("acme", "m1")] == ["first"]


async def test_outbound_replies_in_insertion_order(store: Store) -> None:
    for key in ("z", "a", "m"):
        await store.record_outbound(outbound(key, text=f"reply {key}"))
    await store.record_outbound(outbound("other", reply_to="m2"))
    await store.record_outbound(outbound("no-reply-to", reply_to=None))
    replies = await store.outbound_replies("acme", "m1")
    assert [m.idempotency_key for m in replies] == ["z", "a", "m"]
    assert replies[0] == outbound("z", text="reply z")
    assert await store.outbound_replies("acme", "nothing") == []


async def test_outbound_sent_marks_leave_only_unsent_for_redelivery(store: Store) -> None:
    for key in ("r0", "r1"):
        await store.record_outbound(outbound(key))
    await store.mark_outbound_sent("acme", "r0")
    await store.mark_outbound_sent("other-company", "r1")  # another company's mark touches nothing here
    unsent = await store.outbound_replies("acme", "m1", unsent_only=True)
    assert [m.idempotency_key for m in unsent] == ["r1"]
    assert len(await store.outbound_replies("acme", "m1")) == 2


# -- booking intents ------------------------------------------------------------------------------------


async def test_booking_intent_recorded_once_and_finished(store: Store) -> None:
    intent = BookingIntent(
        company_id="acme",
        key="acme:m1",
        api_id="bb-1",
        customer_id="+1555",
        service_id="s1",
        staff_id="st1",
        start=NOW + timedelta(days=1),
    )
    assert await store.begin_booking_intent(intent) == intent
    retried = await store.begin_booking_intent(intent.model_copy(update={"api_id": "bb-2"}))
    assert retried.api_id == "bb-1" and retried.status is BookingIntentStatus.PENDING
    await store.finish_booking_intent("acme", "acme:m1", BookingIntentStatus.CONFIRMED, backend_id="777")
    again = await store.begin_booking_intent(intent)
    assert (again.status, again.backend_id) == (BookingIntentStatus.CONFIRMED, "777")
    other = await store.begin_booking_intent(intent.model_copy(update={"company_id": "other"}))
    assert other.status is BookingIntentStatus.PENDING  # keys are per company


# -- bookings -------------------------------------------------------------------------------------------


async def test_booking_round_trips_and_upserts(store: Store) -> None:
    original = booking("b1")
    await store.save_booking(original)
    assert await store.get_booking("acme", "b1") == original
    cancelled = original.model_copy(update={"status": BookingStatus.CANCELLED})
    await store.save_booking(cancelled)
    assert await store.get_booking("acme", "b1") == cancelled
    assert await store.list_bookings("acme") == [cancelled]
    assert await store.get_booking("acme", "missing") is None


async def test_booking_times_come_back_aware_utc(store: Store) -> None:
    start = datetime(2026, 3, 12, 13, 0, tzinfo=timezone(timedelta(hours=3)))
    await store.save_booking(booking("b1", start=start))
    loaded = await store.get_booking("acme", "b1")
    assert loaded is not None
    assert loaded.start == datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    assert loaded.start.utcoffset() == timedelta(0) and loaded.end.utcoffset() == timedelta(0)


async def test_list_bookings_ordered_by_start(store: Store) -> None:
    await store.save_booking(booking("late", start=NOW + timedelta(days=3)))
    await store.save_booking(booking("early", start=NOW + timedelta(hours=1)))
    await store.save_booking(booking("middle", start=NOW + timedelta(days=1, microseconds=500)))
    assert [b.id for b in await store.list_bookings("acme")] == ["early", "middle", "late"]


# -- reminders ------------------------------------------------------------------------------------------


async def test_replace_reminders_plans_keys_and_cancels_dropped(store: Store) -> None:
    visit = booking("b1")
    day_before, two_hours = visit.start - timedelta(days=1), visit.start - timedelta(hours=2)
    await store.replace_reminders(visit, [day_before, two_hours])
    reminders = await store.list_reminders("acme", "b1")
    assert [r.due_at for r in reminders] == [day_before, two_hours]
    assert all(r.status is ReminderStatus.PLANNED for r in reminders)
    assert reminders[0].key == f"reminder:acme:b1:{day_before.isoformat()}"
    assert reminders[0].customer_id == "cust-1"

    await store.replace_reminders(visit, [day_before, two_hours])  # idempotent
    assert await store.list_reminders("acme", "b1") == reminders

    moved = visit.model_copy(update={"start": visit.start + timedelta(hours=3)})
    new_due = moved.start - timedelta(hours=2)
    await store.replace_reminders(moved, [day_before, new_due])
    by_due = {r.due_at: r.status for r in await store.list_reminders("acme", "b1")}
    assert by_due == {
        day_before: ReminderStatus.PLANNED,
        two_hours: ReminderStatus.CANCELLED,
        new_due: ReminderStatus.PLANNED,
    }


async def test_replace_reminders_with_nothing_cancels_all_planned(store: Store) -> None:
    visit = booking("b1")
    await store.replace_reminders(visit, [visit.start - timedelta(hours=2)])
    await store.replace_reminders(visit, [])
    assert [r.status for r in await store.list_reminders("acme", "b1")] == [ReminderStatus.CANCELLED]


async def test_reminder_planned_again_when_a_booking_moves_back(store: Store) -> None:
    visit = booking("b1")
    due = visit.start - timedelta(hours=2)
    await store.replace_reminders(visit, [due])
    await store.replace_reminders(visit, [due + timedelta(hours=1)])
    await store.replace_reminders(visit, [due])
    by_due = {r.due_at: r.status for r in await store.list_reminders("acme", "b1")}
    assert by_due == {due: ReminderStatus.PLANNED, due + timedelta(hours=1): ReminderStatus.CANCELLED}


async def test_cancel_reminders_cancels_planned_only_of_that_booking(store: Store) -> None:
    first, second = booking("b1"), booking("b2", start=NOW + timedelta(days=5))
    await store.replace_reminders(first, [first.start - timedelta(hours=2), first.start - timedelta(days=1)])
    await store.replace_reminders(second, [second.start - timedelta(hours=2)])
    await store.cancel_reminders("acme", "b1")
    assert {r.status for r in await store.list_reminders("acme", "b1")} == {ReminderStatus.CANCELLED}
    assert [r.status for r in await store.list_reminders("acme", "b2")] == [ReminderStatus.PLANNED]
    assert len(await store.list_reminders("acme")) == 3


async def test_cancelled_booking_gets_no_planned_reminders(store: Store) -> None:
    visit = booking("b1")
    due = visit.start - timedelta(hours=2)
    await store.replace_reminders(visit, [due])
    await store.replace_reminders(visit.model_copy(update={"status": BookingStatus.CANCELLED}), [due])
    assert [r.status for r in await store.list_reminders("acme", "b1")] == [ReminderStatus.CANCELLED]


async def test_reminders_listed_by_due_time(store: Store) -> None:
    late, early = booking("late", start=NOW + timedelta(days=4)), booking("early", start=NOW + timedelta(days=2))
    await store.replace_reminders(late, [late.start - timedelta(hours=2)])
    await store.replace_reminders(early, [early.start - timedelta(hours=2), early.start - timedelta(days=1)])
    reminders = await store.list_reminders("acme")
    assert [r.due_at for r in reminders] == sorted(r.due_at for r in reminders)
    assert [r.booking_id for r in reminders] == ["early", "early", "late"]
    assert all(r.due_at.utcoffset() == timedelta(0) for r in reminders)


# -- isolation ------------------------------------------------------------------------------------------


async def test_one_company_never_sees_another_companys_data(store: Store) -> None:
    await store.upsert_company(Company(id="acme", name="Acme"))
    await store.upsert_customer(Customer(company_id="acme", id="shared-chat", name="Acme customer"))
    await store.record_inbound(inbound("shared-msg", chat_id="shared-chat"))
    await store.record_outbound(outbound("shared-key", reply_to="shared-msg"))
    acme_visit = booking("shared-booking")
    await store.save_booking(acme_visit)
    await store.replace_reminders(acme_visit, [acme_visit.start - timedelta(hours=2)])

    # The other company sees none of it, even under the same ids.
    assert await store.get_company("rival") is None
    assert await store.get_customer("rival", "shared-chat") is None
    assert await store.pending_inbound("rival", "shared-chat") == []
    assert await store.inbound_done("rival", "shared-msg") is None
    assert await store.outbound_replies("rival", "shared-msg") == []
    assert await store.get_booking("rival", "shared-booking") is None
    assert await store.list_bookings("rival") == []
    assert await store.list_reminders("rival") == []
    assert await store.list_reminders("rival", "shared-booking") == []

    # ... and the same ids in the other company are independent records.
    assert await store.record_inbound(inbound("shared-msg", chat_id="shared-chat", company_id="rival"))
    assert await store.record_outbound(outbound("shared-key", reply_to="shared-msg", company_id="rival"))
    await store.upsert_customer(Customer(company_id="rival", id="shared-chat", phone="+200"))
    rival_visit = booking("shared-booking", company_id="rival", start=NOW + timedelta(days=9))
    await store.save_booking(rival_visit)
    await store.replace_reminders(rival_visit, [rival_visit.start - timedelta(hours=2)])

    await store.mark_inbound_done("rival", "shared-msg")
    await store.cancel_reminders("rival", "shared-booking")
    assert await store.inbound_done("acme", "shared-msg") is False
    acme_customer = await store.get_customer("acme", "shared-chat")
    assert acme_customer is not None and acme_customer.phone is None
    assert acme_customer.name == "Acme customer"
    assert await store.get_booking("acme", "shared-booking") == acme_visit
    assert [r.status for r in await store.list_reminders("acme")] == [ReminderStatus.PLANNED]
    assert [m.company_id for m in await store.outbound_replies("acme", "shared-msg")] == ["acme"]
    assert [c.id for c in await store.list_companies()] == ["acme"]


# -- reminder claims --------------------------------------------------------------------------------------


async def test_due_reminders_are_claimed_once_and_finished(store: Store) -> None:
    visit = booking("b1", start=NOW + timedelta(hours=3))
    await store.save_booking(visit)
    await store.replace_reminders(visit, [NOW - timedelta(minutes=1), NOW + timedelta(hours=1)])
    [claimed] = await store.claim_due_reminders(NOW, limit=10, claimer="scheduler-a")
    assert claimed.status is ReminderStatus.CLAIMED and claimed.due_at == NOW - timedelta(minutes=1)
    assert await store.claim_due_reminders(NOW, limit=10, claimer="scheduler-b") == []
    assert [r.due_at for r in await store.upcoming_reminders(NOW + timedelta(hours=2), 10)] == [
        NOW + timedelta(hours=1)
    ]
    assert await store.finish_reminder("acme", claimed.key, ReminderStatus.SENT) is True
    assert await store.finish_reminder("acme", claimed.key, ReminderStatus.SENT) is False  # only from claimed
    sent = await store.get_reminder("acme", claimed.key)
    assert sent is not None and sent.status is ReminderStatus.SENT
    assert await store.get_reminder("rival", claimed.key) is None


async def test_a_stale_claim_is_reclaimed(store: Store) -> None:
    visit = booking("b1", start=NOW + timedelta(hours=3))
    await store.save_booking(visit)
    await store.replace_reminders(visit, [NOW - timedelta(minutes=1)])
    assert len(await store.claim_due_reminders(NOW, 10, "crashed")) == 1
    assert await store.claim_due_reminders(NOW + timedelta(minutes=1), 10, "other") == []
    [again] = await store.claim_due_reminders(NOW + timedelta(minutes=6), 10, "other")
    assert again.status is ReminderStatus.CLAIMED


async def test_moving_a_booking_cancels_its_claimed_reminder_too(store: Store) -> None:
    visit = booking("b1", start=NOW + timedelta(hours=3))
    await store.save_booking(visit)
    await store.replace_reminders(visit, [NOW - timedelta(minutes=1)])
    [claimed] = await store.claim_due_reminders(NOW, 10, "scheduler")
    moved = visit.model_copy(update={"start": NOW + timedelta(days=2), "end": NOW + timedelta(days=2, hours=1)})
    await store.replace_reminders(moved, [moved.start - timedelta(hours=2)])
    old = await store.get_reminder("acme", claimed.key)
    assert old is not None and old.status is ReminderStatus.CANCELLED
    assert await store.finish_reminder("acme", claimed.key, ReminderStatus.SENT) is False


# -- integrations: events, webhooks, integration tokens, activity (issue 12) ----------------------------


def _event(key: str, event_type: str = "booking.created", company_id: str = "acme", **data: object) -> Event:
    return Event(
        id=event_id(company_id, event_type, key),
        company_id=company_id,
        type=EventType(event_type),
        occurred_at=NOW - timedelta(minutes=5),
        data=dict(data),
    )


async def test_event_is_recorded_once_and_read_back(store: Store) -> None:
    event = _event("acme:m1", booking={"id": "b1", "start": "2026-03-12T09:00:00+00:00"}, chat_id="chat-1")
    assert await store.record_event(event) is True
    assert await store.record_event(event) is False  # a retried job's emit: the same event
    assert await store.get_event("acme", event.id) == event
    assert await store.get_event("other", event.id) is None


async def test_webhook_endpoints_keep_their_secret_and_can_be_removed(store: Store) -> None:
    first = WebhookEndpoint(
        id="wh_" + "1" * 16,
        company_id="acme",
        url="https://crm.example/hook",
        secret=SecretStr("whsec_abc"),
        events=(EventType.BOOKING_CREATED,),
        created_at=NOW,
    )
    second = first.model_copy(update={"id": "wh_" + "2" * 16, "events": (), "created_at": NOW + timedelta(seconds=1)})
    await store.save_webhook_endpoint(first)
    await store.save_webhook_endpoint(second)
    await store.save_webhook_endpoint(first.model_copy(update={"enabled": False}))
    listed = await store.list_webhook_endpoints("acme")
    assert [e.id for e in listed] == [first.id, second.id]
    assert listed[0].secret.get_secret_value() == "whsec_abc" and listed[0].enabled is False
    assert await store.list_webhook_endpoints("other") == []
    assert await store.delete_webhook_endpoint("other", first.id) is False
    assert await store.delete_webhook_endpoint("acme", first.id) is True
    assert [e.id for e in await store.list_webhook_endpoints("acme")] == [second.id]


async def test_stale_webhook_deliveries_are_the_pending_ones_untouched_for_long(store: Store) -> None:
    """What the scheduler's sweep hands to the queue again: pending only, oldest touch first, any company."""

    def delivery(n: int, company: str, touched: datetime) -> WebhookDelivery:
        return WebhookDelivery(
            id=f"evt-{n}.wh",
            company_id=company,
            event_id=f"evt-{n}",
            endpoint_id="wh",
            created_at=NOW,
            updated_at=touched,
        )

    old, older, recent = NOW - timedelta(hours=3), NOW - timedelta(hours=4), NOW - timedelta(minutes=1)
    for item in (delivery(1, "acme", old), delivery(2, "other", older), delivery(3, "acme", recent)):
        await store.add_webhook_delivery(item)
    delivered = delivery(4, "acme", older)
    await store.add_webhook_delivery(delivered)
    await store.update_webhook_delivery(delivered.model_copy(update={"status": DeliveryStatus.DELIVERED}))
    found = await store.stale_webhook_deliveries(NOW - timedelta(hours=2), 10)
    assert [(d.company_id, d.id) for d in found] == [("other", "evt-2.wh"), ("acme", "evt-1.wh")]
    assert len(await store.stale_webhook_deliveries(NOW, 1)) == 1


async def test_webhook_deliveries_are_added_once_updated_and_listed_by_status(store: Store) -> None:
    deliveries = [
        WebhookDelivery(
            id=f"evt-{n}.wh", company_id="acme", event_id=f"evt-{n}", endpoint_id="wh", created_at=NOW, updated_at=NOW
        )
        for n in range(3)
    ]
    for delivery in deliveries:
        assert await store.add_webhook_delivery(delivery) is True
    assert await store.add_webhook_delivery(deliveries[0]) is False
    dead = deliveries[1].model_copy(
        update={
            "status": DeliveryStatus.DEAD,
            "attempts": 5,
            "last_status": 500,
            "last_error": "HTTP 500",
            "updated_at": NOW + timedelta(minutes=3),
        }
    )
    await store.update_webhook_delivery(dead)
    assert await store.get_webhook_delivery("acme", dead.id) == dead
    assert await store.get_webhook_delivery("other", dead.id) is None
    assert await store.list_webhook_deliveries("acme", DeliveryStatus.DEAD) == [dead]
    assert [d.id for d in await store.list_webhook_deliveries("acme")] == ["evt-2.wh", "evt-1.wh", "evt-0.wh"]
    assert [d.id for d in await store.list_webhook_deliveries("acme", limit=1)] == ["evt-2.wh"]
    assert await store.list_webhook_deliveries("other") == []


async def test_integration_tokens_round_trip_and_stay_after_revocation(store: Store) -> None:
    token = IntegrationToken(
        id="bbi_" + "a" * 16,
        company_id="acme",
        name="CRM",
        scopes=(Scope.SEND, Scope.STATUS),
        secret_hash="0" * 64,
        created_at=NOW,
    )
    await store.save_integration_token(token)
    assert await store.get_integration_token("acme", token.id) == token
    assert await store.get_integration_token("other", token.id) is None
    revoked = token.model_copy(update={"revoked_at": NOW + timedelta(hours=1)})
    await store.save_integration_token(revoked)
    assert await store.list_integration_tokens("acme") == [revoked]
    assert not revoked.active


async def test_last_inbound_at_is_the_chats_latest_customer_message(store: Store) -> None:
    assert await store.last_inbound_at("acme", "chat-1") is None
    await store.record_inbound(inbound("m1", received_at=NOW - timedelta(days=2)))
    await store.record_inbound(inbound("m2", received_at=NOW - timedelta(days=1)))
    await store.record_inbound(inbound("m3", received_at=NOW, from_me=True))  # the salon's own phone
    assert await store.last_inbound_at("acme", "chat-1") == NOW - timedelta(days=1)
    assert await store.last_inbound_at("acme", "chat-2") is None
    assert await store.last_inbound_at("other", "chat-1") is None


async def test_activity_counts_messages_events_understanding_and_median_reply_time(store: Store) -> None:
    # Replies are recorded at NOW (the store's clock): reply times are 10 s, 30 s and 20 s; m4 got no reply.
    for message_id, chat, ago in (("m1", "chat-1", 10), ("m2", "chat-2", 30), ("m3", "chat-1", 20), ("m4", "c3", 5)):
        await store.record_inbound(inbound(message_id, chat_id=chat, received_at=NOW - timedelta(seconds=ago)))
    await store.record_inbound(inbound("mine", received_at=NOW - timedelta(seconds=3), from_me=True))
    await store.record_inbound(inbound("o1", company_id="other", received_at=NOW - timedelta(seconds=3)))
    for message_id in ("m1", "m2", "m3"):
        await store.record_outbound(outbound(f"out:{message_id}:0", reply_to=message_id))
        await store.record_outbound(outbound(f"out:{message_id}:1", reply_to=message_id))
    for key in ("k1", "k2"):
        await store.record_event(_event(key))
    await store.record_event(_event("k3", "booking.moved"))
    await store.record_event(_event("k4", "booking.cancelled"))
    await store.record_event(_event("r1", "reminder.sent"))
    await store.record_event(_event("r2", "reminder.sent"))
    await store.record_event(_event("r1c", "reminder.confirmed"))
    await store.record_event(_event("x", "booking.created", company_id="other"))
    sure = {"decided_by": "stage1", "why": "stage1_sure"}
    unsure = {"decided_by": "stage1", "why": "no_provider"}
    for key, understanding in (("m1", sure), ("m2", sure), ("m3", unsure), ("m4", None)):
        await store.record_event(_event(key, "message.received", understanding=understanding))

    day = NOW - timedelta(hours=1)
    [now_bucket, empty] = await store.activity("acme", [day, NOW + timedelta(seconds=1), NOW + timedelta(hours=1)])
    assert now_bucket.model_dump(exclude={"start", "end"}) == {
        "messages_in": 4,
        "messages_out": 6,
        "conversations": 3,
        "bookings_created": 2,
        "bookings_moved": 1,
        "bookings_cancelled": 1,
        "reminders_sent": 2,
        "reminders_confirmed": 1,
        "understood": 3,
        "understood_locally": 2,
        "replies_timed": 3,
        "median_reply_seconds": 20.0,
    }
    assert (now_bucket.start, now_bucket.end) == (day, NOW + timedelta(seconds=1))
    assert empty.messages_in == empty.messages_out == empty.bookings_created == 0
    assert empty.median_reply_seconds is None
    [other] = await store.activity("other", [day, NOW + timedelta(seconds=1)])
    assert (other.messages_in, other.bookings_created, other.messages_out) == (1, 1, 0)
