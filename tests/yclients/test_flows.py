"""Conversations end to end through the core with the demo salon's calendar in YClients (the fake server)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from booking_bot.composition import Embedded
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID, FakeRecord, FakeYClients, Fault
from tests.conftest import Chat, FixedClock
from tests.yclients.harness import YClientsStack, use_yclients, yclients_stack


@pytest.fixture
async def yc_chat(embedded: Embedded, clock: FixedClock) -> AsyncIterator[tuple[Chat, YClientsStack]]:
    server = FakeYClients(clock)
    server.faults.timeout_delay = 0.8
    async with yclients_stack(embedded.store, clock, server=server) as stack:
        company = await use_yclients(embedded, stack)
        yield Chat(embedded=embedded, company=company, clock=clock, customer="+79160000001", name="Ivan"), stack


def live(stack: YClientsStack) -> list[FakeRecord]:
    return stack.server.companies[DEMO_YCLIENTS_COMPANY_ID].live_records()


async def test_book_move_cancel_in_yclients(yc_chat: tuple[Chat, YClientsStack]) -> None:
    chat, stack = yc_chat
    question = await chat.say("Can I book a men's haircut with Anna tomorrow at 3pm?")
    assert "Shall I book this?" in question[0] and "3:00 PM" in question[0]
    assert live(stack) == []
    assert "You are booked" in (await chat.say("yes"))[0]
    [record] = live(stack)
    assert (record.start, record.staff_id) == (datetime(2026, 11, 28, 15, 0), 201)
    [mirrored] = await chat.bookings()
    assert mirrored.backend_id == str(record.id)

    assert "4:00 PM" in (await chat.say("Please move it to the day after tomorrow at 4pm"))[0]
    assert "moved" in (await chat.say("yes"))[0]
    [record] = live(stack)
    assert record.start == datetime(2026, 11, 29, 16, 0)

    assert "cancel" in (await chat.say("cancel my appointment"))[0].lower()
    assert "cancelled" in (await chat.say("yes"))[0]
    assert live(stack) == []


async def test_reschedule_forbidden_by_the_salon_is_said_honestly(yc_chat: tuple[Chat, YClientsStack]) -> None:
    chat, stack = yc_chat
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    assert "You are booked" in (await chat.say("yes"))[0]
    stack.server.companies[DEMO_YCLIENTS_COMPANY_ID].allow_change_record = False
    await chat.say("move it to the day after tomorrow at 4pm")
    replies = "\n".join(await chat.say("yes"))
    assert "doesn't allow moving appointments here" in replies and "moved:" not in replies
    [record] = live(stack)
    assert record.start == datetime(2026, 11, 28, 15, 0)
    # The honest alternative: cancel, then book the asked time (confirmed again, since it may be gone).
    cancelled, confirm = await chat.say("yes")
    assert "cancelled" in cancelled and live(stack) == []
    assert "Shall I book this?" in confirm and "4:00 PM" in confirm
    assert "You are booked" in (await chat.say("yes"))[0]
    [record] = live(stack)
    assert record.start == datetime(2026, 11, 29, 16, 0)


async def test_a_chat_without_a_phone_number_is_asked_for_one(yc_chat: tuple[Chat, YClientsStack]) -> None:
    chat, stack = yc_chat
    chat.customer = "1234567890@lid"  # WhatsApp gave no phone number for this sender
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    [ask] = await chat.say("yes")
    assert "I need your phone number" in ask and live(stack) == []
    assert "phone number with its country code" in (await chat.say("hmm, why?"))[0]
    done = await chat.say("+7 916 000-00-02")
    assert "You are booked" in done[0]
    [record] = live(stack)
    assert record.start == datetime(2026, 11, 28, 15, 0)


async def test_lost_answer_to_booking_is_booked_once(yc_chat: tuple[Chat, YClientsStack]) -> None:
    chat, stack = yc_chat
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    stack.server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)
    assert "You are booked" in (await chat.say("yes"))[0]
    assert len(live(stack)) == 1 and stack.server.calls("book_record") == 1


async def test_slot_raced_at_confirmation_offers_fresh_times(yc_chat: tuple[Chat, YClientsStack]) -> None:
    chat, stack = yc_chat
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    stack.server.faults.script("book_check", Fault.RACE_422)
    text = "\n".join(await chat.say("yes"))
    assert "just been taken" in text and "Free times " in text and "3:00 PM" not in text
    assert [r.api_id for r in live(stack)] == [""]  # only the rival's record
    assert await chat.bookings() == []


async def test_move_whose_answer_was_lost_leaves_one_appointment_not_the_old_and_a_new_one(
    yc_chat: tuple[Chat, YClientsStack],
) -> None:
    chat, stack = yc_chat
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    assert "You are booked" in (await chat.say("yes"))[0]
    assert "4:00 PM" in (await chat.say("Please move it to the day after tomorrow at 4pm"))[0]
    stack.server.faults.slow_delay = (0.9, 0.9)  # lands after the client's 0.5 s timeout
    stack.server.faults.script("move_record", Fault.SLOW, Fault.FORBIDDEN_MOVE)
    reply = "\n".join(await chat.say("yes"))
    await asyncio.sleep(0.9)
    assert "moved" in reply and "doesn't allow" not in reply
    [record] = live(stack)
    assert record.start == datetime(2026, 11, 29, 16, 0)
