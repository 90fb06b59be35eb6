"""One test per architecture invariant, named after what it prevents."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from booking_bot.domain import (
    Booking,
    Company,
    ConversationKey,
    ConversationState,
    Customer,
    Outcome,
    OutcomeKind,
    ReminderStatus,
    Slot,
)
from booking_bot.pipeline import process_conversation
from booking_bot.ports import BackendUnavailable, SchedulingBackend
from booking_bot.settings import Settings
from integrations.conversation.memory import MemoryConversationStore, MemoryLocks
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from tests.conftest import Chat, FixedClock


class BrokenBackend:
    """The calendar, except that writes fail the way a real outage does (or reads too, if asked)."""

    def __init__(self, calendar: BuiltinCalendar, reads_fail: bool = False) -> None:
        self.calendar = calendar
        self.reads_fail = reads_fail

    async def services(self, company: Company) -> list[object]:
        return await self.calendar.services(company)  # type: ignore[return-value]

    async def staff(self, company: Company) -> list[object]:
        return await self.calendar.staff(company)  # type: ignore[return-value]

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
    ) -> list[Slot]:
        if self.reads_fail:
            raise BackendUnavailable("timeout")
        return await self.calendar.free_slots(company, service_id, day, staff_id, ignoring)

    async def book(self, *args: object) -> Outcome:
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE)

    async def move(self, *args: object) -> Outcome:
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE)

    async def cancel(self, *args: object) -> Outcome:
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE)

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        return await self.calendar.customer_bookings(company, customer)

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        return await self.calendar.current_booking(company, booking)


def use_backend(chat: Chat, backend: object) -> None:
    def backend_for(company: Company) -> SchedulingBackend:
        return backend  # type: ignore[return-value]

    chat.embedded.services = dataclasses.replace(chat.embedded.services, backend_for=backend_for)


async def test_backend_outage_is_never_reported_as_booked(chat: Chat) -> None:
    assert "Shall I book this?" in (await chat.say("Book a men's haircut with Anna tomorrow at 3pm"))[0]
    use_backend(chat, BrokenBackend(chat.embedded.calendar))
    reply = "\n".join(await chat.say("yes"))
    assert "not answering" in reply and "booked" not in reply
    assert await chat.bookings() == []
    # The question survives the outage: "yes" again books once the backend is back.
    use_backend(chat, chat.embedded.calendar)
    assert "You are booked" in (await chat.say("yes"))[0]


async def test_backend_read_outage_gets_a_polite_reply_not_a_crash(chat: Chat) -> None:
    use_backend(chat, BrokenBackend(chat.embedded.calendar, reads_fail=True))
    reply = "\n".join(await chat.say("Book a men's haircut with Anna tomorrow at 3pm"))
    assert "not answering" in reply


async def test_retried_job_after_a_crash_does_not_book_twice_or_repeat_replies(chat: Chat) -> None:
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    services = chat.embedded.services

    class CrashingChannel:
        calls = 0

        async def send(self, message: object) -> None:
            CrashingChannel.calls += 1
            raise ConnectionError("gateway went away mid-send")

    chat.embedded.services = dataclasses.replace(services, channel=CrashingChannel())
    message = chat.message("yes")
    assert await chat.embedded.store.record_inbound(message)
    with pytest.raises(ConnectionError):  # the job fails, so the queue retries it
        await process_conversation(chat.embedded.services, message.company_id, message.chat_id)
    # The booking happened once and its reply waits, recorded, to be delivered.
    assert len(await chat.bookings()) == 1
    # A redelivery of the same job (e.g. after a worker restart) books nothing more.
    chat.embedded.services = services
    await chat.embedded.store.record_inbound(message)
    await process_conversation(services, message.company_id, message.chat_id)
    assert len(await chat.bookings()) == 1
    replies = await chat.embedded.store.outbound_replies(message.company_id, message.message_id)
    assert sum("You are booked" in r.text for r in replies) == 1
    assert "You are booked" in chat.embedded.services.channel.sent(chat_id=chat.customer)[-2].text  # type: ignore[attr-defined]
    assert await chat.embedded.store.outbound_replies(message.company_id, message.message_id, unsent_only=True) == []


async def test_a_bug_in_handling_one_message_does_not_block_the_chat(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(turn: object) -> None:
        raise RuntimeError("bug")

    with monkeypatch.context() as patch:
        patch.setattr("booking_bot.pipeline.respond", broken)
        reply = await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    assert reply and "went wrong" in reply[0]
    assert "Shall I book this?" in (await chat.say("Book a men's haircut with Anna tomorrow at 3pm"))[0]


async def test_message_from_the_salons_own_phone_pauses_the_bot_in_that_chat(chat: Chat, clock: FixedClock) -> None:
    staff_note = chat.message("Hi, this is Olga from the salon, I'll help you", from_me=True)
    await chat.embedded.store.record_inbound(staff_note)
    await process_conversation(chat.embedded.services, staff_note.company_id, staff_note.chat_id)
    assert await chat.say("Can I book a manicure tomorrow?") == []
    clock.advance(hours=13)
    assert await chat.say("Hello?") != []


async def test_one_companys_conversation_state_is_not_another_companys() -> None:
    store = MemoryConversationStore(ttl_seconds=60)
    mine, theirs = ConversationKey("salon-a", "+1555"), ConversationKey("salon-b", "+1555")
    await store.save(mine, ConversationState(language="ru"))
    assert await store.load(theirs) is None
    assert str(mine).startswith("conv:salon-a:")


async def test_lock_map_shrinks_after_use_and_conversation_state_expires() -> None:
    locks = MemoryLocks()
    async with locks.hold("conv:a:1"):
        assert len(locks) == 1
    assert len(locks) == 0
    now = [0.0]
    store = MemoryConversationStore(ttl_seconds=10, monotonic=lambda: now[0])
    await store.save(ConversationKey("a", "1"), ConversationState())
    now[0] = 11
    assert await store.load(ConversationKey("a", "1")) is None


async def test_logs_carry_the_company_id_and_never_the_phone_or_the_text(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    chat.customer = "+15557654321"
    with caplog.at_level(logging.DEBUG):
        await chat.say("Book a men's haircut with Anna tomorrow at 3pm, my secret note")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "company=demo-salon" in text
    assert "5557654321" not in text and "secret note" not in text


async def test_moving_or_cancelling_a_booking_moves_or_cancels_its_reminders(chat: Chat) -> None:
    await chat.say("Book a men's haircut with Anna on Monday at 3pm")
    await chat.say("yes")
    [booking] = await chat.bookings()
    planned = await chat.embedded.store.list_reminders(chat.company.id, booking.id)
    assert sorted(r.due_at for r in planned) == [
        booking.start - timedelta(hours=24),
        booking.start - timedelta(hours=2),
    ]
    assert all(r.due_at.tzinfo is not None and r.due_at.utcoffset() == timedelta(0) for r in planned)

    await chat.say("move it to Tuesday at 4pm")
    await chat.say("yes")
    [moved] = await chat.bookings()
    active = [
        r for r in await chat.embedded.store.list_reminders(chat.company.id) if r.status is ReminderStatus.PLANNED
    ]
    assert sorted(r.due_at for r in active) == [moved.start - timedelta(hours=24), moved.start - timedelta(hours=2)]

    await chat.say("cancel my appointment")
    await chat.say("yes")
    reminders = await chat.embedded.store.list_reminders(chat.company.id)
    assert reminders and all(r.status is ReminderStatus.CANCELLED for r in reminders)


async def test_times_are_stored_in_utc(chat: Chat) -> None:
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    await chat.say("yes")
    [booking] = await chat.bookings()
    assert booking.start.utcoffset() == timedelta(0)
    assert booking.start == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_secrets_never_appear_in_settings_reprs() -> None:
    settings = Settings(redis_url="redis://:hunter2@127.0.0.1:6379/0", _env_file=None)  # type: ignore[arg-type,call-arg]
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.model_dump())


class TakenThenDown(BrokenBackend):
    """The slot is taken at booking time, and then free times cannot be read."""

    async def book(self, *args: object) -> Outcome:
        return Outcome(kind=OutcomeKind.SLOT_TAKEN)


async def test_yes_after_a_taken_slot_whose_fresh_times_failed_is_not_a_crash_or_a_booking(chat: Chat) -> None:
    assert "Shall I book this?" in (await chat.say("Book a men's haircut with Anna tomorrow at 3pm"))[0]
    use_backend(chat, TakenThenDown(chat.embedded.calendar, reads_fail=True))
    replies = "\n".join(await chat.say("yes"))
    assert "just been taken" in replies and "try again in a few minutes" in replies
    assert "write “yes” again" not in replies  # nothing is left to say yes to
    again = "\n".join(await chat.say("yes"))
    assert "went wrong" not in again and "booked" not in again
    assert await chat.bookings() == []
