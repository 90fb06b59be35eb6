"""The waiting list end to end through the core, on both scheduling backends (the built-in calendar and YClients on
its fake server): customers join it from the dialogue, a freed time goes to exactly one of them at a time and is
held for them, a hold that ends passes it on, a cancellation made in the salon's own system is found by the sweep,
and a "yes" books through the honest path while a "no" passes it on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from booking_bot.domain import BookingStatus, EventType, OfferStatus, OpeningStatus, Stage, WaitStatus, event_id
from booking_bot.settings import Settings
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID
from tests.conftest import FixedClock
from tests.flows.waitlist_harness import (
    ASK,
    BACKENDS,
    TOMORROW_3PM,
    Salon,
    books,
    open_salon,
    openings,
    staff_ids,
    waits,
)


@pytest.fixture(params=BACKENDS)
async def salon(request: pytest.FixtureRequest, settings: Settings, clock: FixedClock) -> AsyncIterator[Salon]:
    async with open_salon(request.param, settings, clock) as opened:
        yield opened


async def test_a_freed_time_goes_to_one_waiting_customer_and_the_next_one_to_the_other(salon: Salon) -> None:
    rival, first, second = salon.chat("+79160000001"), salon.chat("+79160000002"), salon.chat("+79160000003")
    other = salon.chat("+79160000004")
    await books(rival)
    await books(other, "Book a men's haircut with Anna tomorrow at 3:30pm")
    await waits(first)
    salon.clock.advance(minutes=1)
    await waits(second)
    assert len(await salon.embedded.store.wait_entries(salon.company.id)) == 2

    assert "cancel" in (await rival.say("cancel my appointment"))[0].lower()
    assert "cancelled" in (await rival.say("yes"))[0]
    await salon.scheduler_round()
    [offer] = await salon.sent_to(first.customer)
    assert offer.startswith("A time has freed up: Men's haircut with Anna, tomorrow, Saturday, 28 November, 3:00 PM")
    assert "holding it for you for 15 minutes" in offer
    assert await salon.sent_to(second.customer) == []  # exactly one of them is offered it
    assert await salon.stage_of(first.customer) is Stage.WAITLIST_OFFER

    # Held: the other customer asking for it now is told it is not free, and cannot take it.
    assert "is not free" in (await second.say(ASK))[0]
    await salon.scheduler_round()
    assert await salon.sent_to(second.customer) == []  # no second offer of the same time

    assert "You are booked" in (await first.say("yes"))[0]
    [booked] = await salon.live_bookings(first.customer)
    assert (booked.start, booked.staff_id) == (TOMORROW_3PM, (await staff_ids(salon))["Anna"])
    [opening] = await openings(salon)
    assert opening.status is OpeningStatus.FILLED
    company = salon.company.id
    [filled] = await salon.embedded.store.offers(company, opening.id)
    assert filled.status is OfferStatus.ACCEPTED
    assert await salon.embedded.store.get_event(company, event_id(company, EventType.WAITLIST_BOOKED, filled.id))

    # The next time that frees up around 3 pm goes to the other customer — not while they are busy choosing among
    # other times (an offer does not interrupt a conversation), but once that has rested.
    assert "cancel" in (await other.say("cancel my appointment"))[0].lower()
    assert "cancelled" in (await other.say("yes"))[0]
    await salon.scheduler_round()
    assert await salon.sent_to(second.customer) == []
    salon.clock.advance(minutes=31)
    await salon.scheduler_round()
    [second_offer] = await salon.sent_to(second.customer)
    assert "3:30 PM" in second_offer
    assert len(await salon.sent_to(first.customer)) == 1


async def test_a_hold_that_ends_unanswered_passes_the_time_on(salon: Salon) -> None:
    rival, first, second = salon.chat("+79160000011"), salon.chat("+79160000012"), salon.chat("+79160000013")
    await books(rival)
    await waits(first)
    salon.clock.advance(minutes=1)
    await waits(second)
    await rival.say("cancel my appointment")
    await rival.say("yes")
    await salon.scheduler_round()
    assert len(await salon.sent_to(first.customer)) == 1 and await salon.sent_to(second.customer) == []

    salon.clock.advance(minutes=14)
    await salon.scheduler_round()
    assert await salon.sent_to(second.customer) == []  # still held for the first
    salon.clock.advance(minutes=2)
    await salon.scheduler_round()
    [offer] = await salon.sent_to(second.customer)
    assert "A time has freed up" in offer and "3:00 PM" in offer
    [opening] = await openings(salon)
    [expired, holding] = sorted(
        await salon.embedded.store.offers(salon.company.id, opening.id), key=lambda o: o.sent_at
    )
    assert (expired.status, holding.status) == (OfferStatus.EXPIRED, OfferStatus.HOLDING)

    # The first customer's late yes: the time is someone else's now, nothing is booked for them.
    late = await first.say("yes")
    assert "no longer held for you" in late[0]
    assert await salon.live_bookings(first.customer) == []
    # The second says no: passed on, nobody left for it.
    assert "offer it to someone else" in (await second.say("no, thanks"))[0]
    await salon.scheduler_round()
    assert [o.status for o in await openings(salon)] == [OpeningStatus.CLOSED]
    assert await salon.live_bookings(second.customer) == []


async def test_a_cancellation_in_the_salons_system_is_found_by_the_sweep(salon: Salon) -> None:
    rival, waiting = salon.chat("+79160000021"), salon.chat("+79160000022")
    await books(rival)
    await waits(waiting)
    [held] = await salon.live_bookings(rival.customer)
    # The front desk cancels it in the salon's own system, not through the bot.
    if salon.fake is None:
        assert (await salon.embedded.calendar.cancel(salon.company, held, "front-desk")).succeeded
    else:
        salon.fake.companies[DEMO_YCLIENTS_COMPANY_ID].records[int(held.backend_id)].deleted = True
    await salon.scheduler_round()
    assert await salon.sent_to(waiting.customer) == []  # the event log knows nothing of it
    assert await salon.rounds.sync() == 1
    mirrored = await salon.embedded.store.get_booking(salon.company.id, held.id)
    assert mirrored is not None and mirrored.status is BookingStatus.CANCELLED
    await salon.scheduler_round()
    [offer] = await salon.sent_to(waiting.customer)
    assert "A time has freed up" in offer and "3:00 PM" in offer
    assert "You are booked" in (await waiting.say("yes please"))[0]
    [booked] = await salon.live_bookings(waiting.customer)
    assert booked.start == TOMORROW_3PM
    [entry] = await salon.embedded.store.wait_entries(salon.company.id)
    assert entry.status is WaitStatus.BOOKED


async def test_a_freed_time_taken_meanwhile_in_the_salons_system_is_never_offered(salon: Salon) -> None:
    rival, waiting = salon.chat("+79160000031"), salon.chat("+79160000032")
    await books(rival)
    await waits(waiting)
    await rival.say("cancel my appointment")
    await rival.say("yes")
    await books(salon.chat("+79160000033"))  # someone books it before the scheduler's next round
    await salon.scheduler_round()
    assert await salon.sent_to(waiting.customer) == []
    assert [o.status for o in await openings(salon)] == [OpeningStatus.CLOSED]


async def test_two_times_freed_at_once_go_one_to_each_waiting_customer(salon: Salon) -> None:
    """A customer holds one offer at a time: the second freed time goes to the next in line, not to them too."""
    rivals = [salon.chat("+79160000041"), salon.chat("+79160000042")]
    first, second = salon.chat("+79160000043"), salon.chat("+79160000044")
    await books(rivals[0])
    await books(rivals[1], "Book a men's haircut with Anna tomorrow at 3:30pm")
    await waits(first)
    salon.clock.advance(minutes=1)
    await waits(second)
    for rival in rivals:
        await rival.say("cancel my appointment")
        await rival.say("yes")
    await salon.scheduler_round()
    [to_first] = await salon.sent_to(first.customer)
    [to_second] = await salon.sent_to(second.customer)
    assert "3:00 PM" in to_first and "3:30 PM" in to_second
    assert "You are booked" in (await second.say("yes"))[0]
    assert "You are booked" in (await first.say("yes"))[0]
    assert [b.start for b in await salon.live_bookings(first.customer)] == [TOMORROW_3PM]
    assert [b.start for b in await salon.live_bookings(second.customer)] == [TOMORROW_3PM + timedelta(minutes=30)]


async def test_a_held_time_cannot_be_taken_by_moving_onto_it(salon: Salon) -> None:
    rival, waiting, mover = salon.chat("+79160000051"), salon.chat("+79160000052"), salon.chat("+79160000053")
    await books(rival)
    await books(mover, "Book a men's haircut with Anna tomorrow at 5pm")
    await waits(waiting)
    await rival.say("cancel my appointment")
    await rival.say("yes")
    await salon.scheduler_round()
    assert len(await salon.sent_to(waiting.customer)) == 1  # 15:00 is held for them
    moved = await mover.say("Please move my appointment to 3pm")
    assert "is not free" in moved[0]
    [kept] = await salon.live_bookings(mover.customer)
    assert kept.start == TOMORROW_3PM + timedelta(hours=2)
