"""The owner's daily digest on both scheduling backends: planned by the scheduler's leader, sent once the next
morning at the salon's hour to the owner's WhatsApp number (opted in: the salon set it) and as a webhook event, with
yesterday's bookings made by the assistant, refills from the waiting list, no-shows and unanswered handoffs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from booking_bot.domain import DigestPolicy, EventType, FollowUpStatus
from booking_bot.inbound import accept_inbound
from booking_bot.settings import Settings
from integrations.messaging.simulated import SimulatedChannel
from tests.conftest import FixedClock
from tests.flows.waitlist_harness import BACKENDS, Salon, books, open_salon

OWNER = "+7 916 555-00-77"
OWNER_CHAT = "79165550077@s.whatsapp.net"


@pytest.fixture(params=BACKENDS)
async def salon(request: pytest.FixtureRequest, settings: Settings, clock: FixedClock) -> AsyncIterator[Salon]:
    async with open_salon(request.param, settings, clock) as opened:
        opened.company = opened.company.model_copy(update={"digest": DigestPolicy(owner_phone=OWNER, hour=9)})
        await opened.embedded.store.upsert_company(opened.company)
        yield opened


async def test_the_owner_gets_yesterdays_figures_once_in_the_morning(salon: Salon) -> None:
    await books(salon.chat("+79160000201"))
    waiting, answered = salon.chat("+79160000202"), salon.chat("+79160000203")
    for chat in (waiting, answered):
        assert "member of staff" in (await chat.say("I want to talk to a person"))[0]
    salon.clock.advance(minutes=3)
    staff = answered.message("Hello, this is Maria from the salon", from_me=True)
    assert await accept_inbound(salon.embedded.services, staff)
    await salon.jobs.run_pending(salon.embedded.services)

    assert await salon.rounds.plan() == 1
    assert await salon.rounds.plan() == 0  # planned once
    company = salon.company.id
    followup = await salon.embedded.store.get_followup(company, f"digest:{company}:2026-11-27")
    assert followup is not None and followup.due_at == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # 09:00 Moscow

    salon.clock.now = followup.due_at - timedelta(minutes=1)
    await salon.scheduler_round()
    channel = salon.embedded.services.channel
    assert isinstance(channel, SimulatedChannel)
    assert channel.sent(chat_id=OWNER_CHAT) == []
    salon.clock.now = followup.due_at + timedelta(seconds=20)
    await salon.scheduler_round()
    await salon.scheduler_round()
    [digest] = channel.sent(chat_id=OWNER_CHAT)
    assert digest.text == (
        "Demo Salon, yesterday (Friday, 27 November):\n"
        "Bookings made by the assistant: 1\n"
        "Freed times refilled from the waiting list: 0\n"
        "No-shows: 0\n"
        "Requests for a person not answered yet: 1 of 2"
    )
    owner = await salon.embedded.store.find_identity(company, customer_id=OWNER_CHAT)
    assert owner is not None and owner.opted_in_at is not None  # the gateway's proactive check lets it through
    [event] = await salon.embedded.store.events_between(
        (EventType.DIGEST_DAILY,), followup.due_at, salon.clock.now + timedelta(seconds=1), company_id=company
    )
    assert event.data == {
        "day": "2026-11-27",
        "bookings_made": 1,
        "refilled": 0,
        "no_shows": 0,
        "handoffs": 2,
        "handoffs_unanswered": 1,
    }
    done = await salon.embedded.store.get_followup(company, followup.key)
    assert done is not None and done.status is FollowUpStatus.SENT
