"""Reminders go out once, in the customer's language, only for bookings that still stand; "ok 👍" confirms."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime, timedelta

import pytest

from booking_bot.domain import Booking, ChatForms, EventType, Reminder, ReminderStatus, plan_reminders
from booking_bot.metrics import Metrics
from booking_bot.reminders import REMINDERS_DEFERRED, REMINDERS_SKIPPED, send_reminder
from booking_bot.scheduler import ReminderScheduler, SoleLeader
from booking_bot.services import Services
from tests.conftest import Chat, warming_up

DAY_BEFORE = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # 24 h before tomorrow 15:00 in Moscow


def scheduler_for(chat: Chat) -> ReminderScheduler:
    async def dispatch(reminder: Reminder) -> None:
        await send_reminder(chat.embedded.services, reminder.company_id, reminder.key)

    return ReminderScheduler(chat.embedded.store, dispatch, chat.clock, SoleLeader())


def reminder_texts(chat: Chat) -> list[str]:
    return [
        m.text for m in chat.embedded.services.channel.sent(chat_id=chat.customer) if m.reply_to.startswith("reminder:")
    ]  # type: ignore[attr-defined]


async def book_tomorrow_3pm(chat: Chat) -> None:
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    assert "You are booked" in (await chat.say("yes"))[0]


async def test_reminder_sent_once_in_the_customers_language_and_ok_confirms_the_visit(chat: Chat) -> None:
    chat.customer, chat.name = "+79990000001", "Иван"
    await chat.say("Хочу записаться на мужскую стрижку к Ане завтра в 15:00")
    await chat.say("да")
    scheduler = scheduler_for(chat)
    assert await scheduler.tick() == 0  # nothing due yet
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    assert await scheduler.tick() == 1
    assert await scheduler.tick() == 0  # claimed once, sent once
    [text] = reminder_texts(chat)
    assert text.startswith("Напоминаем о записи: Мужская стрижка, мастер Анна, завтра, суббота, 28 ноября, 15:00")
    assert "Адрес: Tverskaya St. 1, Moscow" in text

    [thanks] = await chat.say("ок 👍")
    assert thanks.startswith("Спасибо! Ваш визит подтверждён")
    [booking] = await chat.bookings()
    assert chat.embedded.calendar.is_confirmed(chat.company.id, booking.id)
    # A second "ok" is just an ok: nothing is confirmed twice, no second thank-you for the visit.
    assert "подтверждён" not in " ".join(await chat.say("ок"))


async def test_moved_and_cancelled_bookings_never_get_the_old_reminder(chat: Chat) -> None:
    await book_tomorrow_3pm(chat)
    await chat.say("move it to Tuesday at 4pm")
    await chat.say("yes")
    scheduler = scheduler_for(chat)
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    assert await scheduler.tick() == 0
    assert reminder_texts(chat) == []
    await chat.say("cancel my appointment")
    await chat.say("yes")
    chat.clock.now = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)  # the moved visit's 2 h reminder time
    assert await scheduler.tick() == 0
    assert reminder_texts(chat) == []


async def test_a_reminder_claimed_before_a_move_is_not_sent(chat: Chat) -> None:
    await book_tomorrow_3pm(chat)
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    [claimed] = await chat.embedded.store.claim_due_reminders(chat.clock(), 10, "slow-scheduler")
    await chat.say("move it to Tuesday at 4pm")
    await chat.say("yes")
    assert await send_reminder(chat.embedded.services, claimed.company_id, claimed.key) is ReminderStatus.CANCELLED
    assert reminder_texts(chat) == []


async def test_a_reminder_found_too_late_is_skipped_not_sent(chat: Chat) -> None:
    await book_tomorrow_3pm(chat)
    chat.clock.now = DAY_BEFORE + timedelta(hours=2)  # the scheduler was down for two hours
    [claimed] = await chat.embedded.store.claim_due_reminders(chat.clock(), 10, "late")
    assert await send_reminder(chat.embedded.services, claimed.company_id, claimed.key) is ReminderStatus.SKIPPED
    assert reminder_texts(chat) == []


async def test_cancel_right_after_a_reminder_means_that_visit(chat: Chat) -> None:
    await book_tomorrow_3pm(chat)
    await chat.say("Book a manicure with Olga on Monday at 11am")
    await chat.say("yes")
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    assert await scheduler_for(chat).tick() == 1
    [question] = await chat.say("I need to cancel")
    assert question.startswith("Shall I cancel this appointment?") and "Men's haircut" in question


async def test_confirming_is_idempotent_in_the_calendar(chat: Chat) -> None:
    await book_tomorrow_3pm(chat)
    [booking] = await chat.bookings()
    calendar = chat.embedded.calendar
    first = await calendar.confirm_visit(chat.company, booking, "k1")
    again = await calendar.confirm_visit(chat.company, booking, "k2")
    assert first.kind == again.kind == "confirmed"


async def test_booking_cancelled_in_the_salons_system_gets_no_reminder_and_is_mirrored(chat: Chat) -> None:
    from booking_bot.domain import BookingStatus, OutcomeKind

    await book_tomorrow_3pm(chat)
    [booking] = await chat.bookings()
    # The salon cancels it in its own system (the front desk, the YClients app): our store is not told.
    outcome = await chat.embedded.calendar.cancel(chat.company, booking, "front-desk-cancel")
    assert outcome.kind is OutcomeKind.CANCELLED
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    assert await scheduler_for(chat).tick() == 1  # claimed and checked ...
    assert reminder_texts(chat) == []  # ... and not sent
    [mirrored] = await chat.bookings()
    assert mirrored.status is BookingStatus.CANCELLED
    statuses = {r.status for r in await chat.embedded.store.list_reminders(chat.company.id, booking.id)}
    assert statuses <= {ReminderStatus.SKIPPED, ReminderStatus.CANCELLED}


async def test_booking_moved_in_the_salons_system_is_reminded_at_its_new_time(chat: Chat) -> None:
    from zoneinfo import ZoneInfo

    from booking_bot.domain import OutcomeKind

    await book_tomorrow_3pm(chat)
    [booking] = await chat.bookings()
    new_start = datetime(2026, 11, 30, 16, 0, tzinfo=ZoneInfo("Europe/Moscow"))  # Monday 16:00 instead
    outcome = await chat.embedded.calendar.move(chat.company, booking, new_start, "anna", "front-desk-move")
    assert outcome.kind is OutcomeKind.MOVED
    scheduler = scheduler_for(chat)
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    await scheduler.tick()
    assert reminder_texts(chat) == []  # not for Saturday 15:00
    [mirrored] = await chat.bookings()
    assert mirrored.start == new_start and mirrored.id == booking.id
    chat.clock.now = new_start - timedelta(hours=24) + timedelta(seconds=20)
    assert await scheduler.tick() == 1
    [text] = reminder_texts(chat)
    assert "30 November" in text and "4:00 PM" in text


async def test_a_different_length_alone_is_no_move_and_the_reminder_goes_out(chat: Chat) -> None:
    await book_tomorrow_3pm(chat)
    [booking] = await chat.bookings()
    # The salon's system keeps the appointment 15 minutes longer (its own rounding): same time, same person.
    chat.embedded.calendar.import_booking(booking.model_copy(update={"end": booking.end + timedelta(minutes=15)}))
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    assert await scheduler_for(chat).tick() == 1
    [text] = reminder_texts(chat)
    assert "3:00 PM" in text


def desk_booking(chat: Chat, customer_id: str) -> Booking:
    """Tomorrow 15:00 with Anna, made at the salon's desk for a customer who never wrote to the bot."""
    start = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
    return Booking(
        id="desk-1",
        company_id=chat.company.id,
        customer_id=customer_id,
        service_id="mens-haircut",
        staff_id="anna",
        start=start,
        end=start + timedelta(minutes=30),
        backend_id="bi-desk-1",
    )


async def plan_desk_booking(chat: Chat, booking: Booking) -> None:
    chat.embedded.calendar.import_booking(booking)  # the salon's system has it
    await chat.embedded.store.save_booking(booking)
    await chat.embedded.store.replace_reminders(booking, plan_reminders(chat.company, booking, chat.clock()))


async def test_reminder_to_a_customer_who_never_wrote_nor_opted_in_is_skipped_not_reported_as_sent(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    # The gateway drops a proactive message to a number that never wrote (that is how numbers get banned): a
    # reminder marked sent, counted in the stats and reported to webhooks would be a lie.
    stranger = "+15550009999"
    booking = desk_booking(chat, stranger)
    await plan_desk_booking(chat, booking)
    metrics = Metrics()
    services = dataclasses.replace(chat.embedded.services, metrics=metrics)

    async def dispatch(reminder: Reminder) -> None:
        assert await send_reminder(services, reminder.company_id, reminder.key) is ReminderStatus.SKIPPED

    scheduler = ReminderScheduler(chat.embedded.store, dispatch, chat.clock, SoleLeader())
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    with caplog.at_level(logging.INFO, logger="booking_bot.reminders"):
        assert await scheduler.tick() == 1
    assert services.channel.sent(chat_id=stranger) == []  # type: ignore[attr-defined]
    statuses = [r.status for r in await chat.embedded.store.list_reminders(chat.company.id, booking.id)]
    assert ReminderStatus.SKIPPED in statuses and ReminderStatus.SENT not in statuses
    sent_events = await chat.embedded.store.events_between(
        (EventType.REMINDER_SENT,), DAY_BEFORE - timedelta(days=1), DAY_BEFORE + timedelta(days=1), chat.company.id
    )
    assert sent_events == []
    assert metrics.value(REMINDERS_SKIPPED, why="no_conversation") == 1
    [line] = [r.getMessage() for r in caplog.records if "never wrote" in r.getMessage()]
    assert line == f"company={chat.company.id} reminder skipped: the customer never wrote to the salon nor opted in"
    assert "5550009999" not in caplog.text  # company id only, never the customer's number


async def test_reminder_to_a_customer_who_opted_in_at_the_desk_is_sent(chat: Chat) -> None:
    customer = "+15550009998"
    identity = await chat.embedded.store.link_identity(chat.company.id, ChatForms(phone=customer), customer)
    assert await chat.embedded.store.record_opt_in(chat.company.id, identity.customer_id, chat.clock())
    await plan_desk_booking(chat, desk_booking(chat, identity.customer_id))
    chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
    assert await scheduler_for(chat).tick() == 1
    [text] = [m.text for m in chat.embedded.services.channel.sent(chat_id=customer)]  # type: ignore[attr-defined]
    assert text.startswith("Reminder: Men's haircut with Anna")


def scheduler_with(chat: Chat, services: Services) -> ReminderScheduler:
    async def dispatch(reminder: Reminder) -> None:
        await send_reminder(services, reminder.company_id, reminder.key)

    return ReminderScheduler(chat.embedded.store, dispatch, chat.clock, SoleLeader())


async def test_a_reminder_held_back_by_the_warm_up_is_not_reported_as_sent_and_goes_with_the_next_days_budget(
    chat: Chat, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A newly linked number may send no proactive message today: the gateway would hold the reminder back while
    # the store, the stats and the webhooks said "sent". It waits for tomorrow's budget instead, as the salon expects.
    await book_tomorrow_3pm(chat)
    linked = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # its day 2 begins Friday 23:00 in Moscow, in quiet hours
    async with warming_up(redis_url, chat.company.id, (0, 10), linked, chat.clock) as budget:
        metrics = Metrics()
        services = dataclasses.replace(chat.embedded.services, proactive_budget=budget, metrics=metrics)
        scheduler = scheduler_with(chat, services)
        chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
        with caplog.at_level(logging.INFO, logger="booking_bot.reminders"):
            assert await scheduler.tick() == 1
        assert reminder_texts(chat) == []
        [booking] = await chat.bookings()
        reminders = {r.due_at: r.status for r in await chat.embedded.store.list_reminders(chat.company.id, booking.id)}
        quiet_end = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # Saturday 09:00 in Moscow, 6 h before the visit
        assert reminders == {
            DAY_BEFORE: ReminderStatus.SKIPPED,
            quiet_end: ReminderStatus.PLANNED,
            booking.start - timedelta(hours=2): ReminderStatus.PLANNED,
        }
        window = (DAY_BEFORE - timedelta(days=1), DAY_BEFORE + timedelta(days=2))
        assert await chat.embedded.store.events_between((EventType.REMINDER_SENT,), *window, chat.company.id) == []
        assert metrics.value(REMINDERS_DEFERRED, why="warm_up") == 1
        assert "reminder deferred to the number's next warm-up day" in caplog.text

        chat.clock.now = quiet_end + timedelta(seconds=20)
        assert await scheduler.tick() == 1
        [text] = reminder_texts(chat)
        assert text.startswith("Reminder: Men's haircut with Anna")
        [sent] = [
            r for r in await chat.embedded.store.list_reminders(chat.company.id, booking.id) if r.due_at == quiet_end
        ]
        assert sent.status is ReminderStatus.SENT
        assert await budget.taken(chat.company.id, f"out:{chat.company.id}:{sent.key}:0")  # the gateway sends it
        assert (await budget.today("15550000042")).used == 1


async def test_a_reminder_held_back_by_the_warm_up_is_dropped_not_sent_late_when_the_visit_would_be_too_near(
    chat: Chat, redis_url: str
) -> None:
    # Day 2 of the number begins ten minutes before the visit: a reminder then (or after it) helps nobody.
    await book_tomorrow_3pm(chat)
    [booking] = await chat.bookings()
    linked = booking.start - timedelta(days=1, minutes=10)
    async with warming_up(redis_url, chat.company.id, (0, 10), linked, chat.clock) as budget:
        metrics = Metrics()
        services = dataclasses.replace(chat.embedded.services, proactive_budget=budget, metrics=metrics)
        scheduler = scheduler_with(chat, services)
        chat.clock.now = DAY_BEFORE + timedelta(seconds=20)
        assert await scheduler.tick() == 1  # the 24 h one: the 2 h one comes before the budget would allow it
        chat.clock.now = booking.start - timedelta(hours=2, seconds=-20)
        assert await scheduler.tick() == 1  # the 2 h one: the budget allows it only 10 minutes before the visit
        assert reminder_texts(chat) == []
        statuses = [r.status for r in await chat.embedded.store.list_reminders(chat.company.id, booking.id)]
        assert statuses == [ReminderStatus.SKIPPED, ReminderStatus.SKIPPED]
        assert metrics.value(REMINDERS_SKIPPED, why="warm_up") == 2
        assert metrics.value(REMINDERS_DEFERRED, why="warm_up") == 0
