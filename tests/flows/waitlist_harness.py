"""What the waiting-list flow tests share: the demo salon on one scheduling backend (the built-in calendar or YClients
on its fake server), its customers' chats, and one scheduler's waiting-list rounds run by hand."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from booking_bot.composition import Embedded, build_embedded, seed_demo
from booking_bot.domain import Booking, BookingStatus, Company, ConversationKey, EventType, Opening, Stage
from booking_bot.jobs import InlineJobs
from booking_bot.settings import Settings
from booking_bot.waitlist import WaitlistRounds
from integrations.messaging.simulated import SimulatedChannel
from integrations.scheduling.yclients.fake import FakeYClients
from tests.conftest import Chat, FixedClock
from tests.yclients.harness import use_yclients, yclients_stack

BACKENDS = ("builtin", "yclients")
TOMORROW_3PM = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # 15:00 in Moscow, Saturday
ASK = "Book a men's haircut with Anna tomorrow at 3pm"


@dataclass
class Salon:
    """The demo salon on one backend, its customers' chats, and one scheduler's waiting-list rounds."""

    embedded: Embedded
    company: Company
    clock: FixedClock
    fake: FakeYClients | None
    rounds: WaitlistRounds

    def chat(self, customer: str, name: str = "Alex") -> Chat:
        return Chat(embedded=self.embedded, company=self.company, clock=self.clock, customer=customer, name=name)

    @property
    def jobs(self) -> InlineJobs:
        assert isinstance(self.embedded.jobs, InlineJobs)
        return self.embedded.jobs

    async def scheduler_round(self) -> None:
        """One sweep of the scheduler's leader, and the offer and follow-up jobs it queued, run."""
        await self.rounds.tick()
        for job in ("offer_opening", "send_followup"):
            await self.jobs.run_pending(self.embedded.services, only=job)

    async def sent_to(self, customer: str, kind: str = "offer:") -> list[str]:
        """What the bot wrote to the customer on its own (not in reply to a message): by default its offers."""
        channel = self.embedded.services.channel
        assert isinstance(channel, SimulatedChannel)
        return [m.text for m in channel.sent() if m.chat_id == customer and (m.reply_to or "").startswith(kind)]

    async def stage_of(self, customer: str) -> Stage:
        state = await self.embedded.services.conversations.load(ConversationKey(self.company.id, customer))
        assert state is not None
        return state.stage

    async def live_bookings(self, customer: str) -> list[Booking]:
        """The customer's bookings still to come, as our mirror and the salon's system both have them."""
        backend = self.embedded.services.backend_for(self.company)
        return [
            b
            for b in await self.embedded.store.list_bookings(self.company.id)
            if b.customer_id == customer
            and b.status is BookingStatus.BOOKED
            and b.end > self.clock.now
            and (await backend.current_booking(self.company, b)) is not None
        ]


@contextlib.asynccontextmanager
async def open_salon(backend: str, settings: Settings, clock: FixedClock) -> AsyncIterator[Salon]:
    embedded = build_embedded(settings, SimulatedChannel(), clock=clock, in_memory=True, inline_jobs=True)
    try:
        company = await seed_demo(embedded)
        if backend == "builtin":
            yield Salon(embedded, company, clock, None, WaitlistRounds(embedded.services, "scheduler-1"))
            return
        fake = FakeYClients(clock)
        async with yclients_stack(embedded.store, clock, server=fake) as stack:
            company = await use_yclients(embedded, stack)
            yield Salon(embedded, company, clock, fake, WaitlistRounds(embedded.services, "scheduler-1"))
    finally:
        embedded.close()


async def books(chat: Chat, text: str = ASK) -> None:
    assert "Shall I book this?" in (await chat.say(text))[0]
    assert "You are booked" in (await chat.say("yes"))[0]


async def waits(chat: Chat, text: str = ASK) -> None:
    """Asks for the taken time, is offered others and the waiting list, says yes to the waiting list."""
    replies = await chat.say(text)
    assert "is not free" in replies[0] and "Shall I tell you if something frees up" in replies[-1]
    [joined] = await chat.say("yes")
    assert "I'll write to you here if a time frees up" in joined


async def openings(salon: Salon) -> list[Opening]:
    """The freed times recorded so far (each reported once as waitlist.slot_freed)."""
    found = []
    store, company = salon.embedded.store, salon.company.id
    day = timedelta(days=1)
    for event in await store.events_between((EventType.SLOT_FREED,), salon.clock.now - day, salon.clock.now + day):
        start = datetime.fromisoformat(str(event.data["start"]))
        opening = await store.get_opening(company, Opening.id_for(company, str(event.data["booking_id"]), start))
        assert opening is not None
        found.append(opening)
    return found


async def staff_ids(salon: Salon) -> dict[str, str]:
    backend = salon.embedded.services.backend_for(salon.company)
    return {m.name: m.id for m in await backend.staff(salon.company)}
