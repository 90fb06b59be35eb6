"""The waiting list's proactive messages ask the gateway's rule before anything is recorded, held or reported: only
customers who wrote to the salon or opted in, within a newly linked number's warm-up budget (real Redis). A message
the gateway would drop is never `sent`, an offer it would drop holds no time, and each is counted with its reason.
The rule does not depend on the salon's system: these run on the built-in calendar only."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta

import pytest

from booking_bot.domain import (
    Attendance,
    Booking,
    BookingStatus,
    DigestPolicy,
    EventType,
    FollowUpStatus,
    OpeningStatus,
    Stage,
    TimeWindow,
    VisitSource,
    WaitEntry,
    confirmation_followups,
    confirmation_key,
)
from booking_bot.metrics import Metrics
from booking_bot.settings import Settings
from booking_bot.waitlist import WaitlistRounds
from booking_bot.waitlist.offers import NOT_SENT
from integrations.messaging.simulated import SimulatedChannel
from integrations.warm_up import WarmUpBudget
from tests.conftest import FixedClock, warming_up
from tests.flows.test_no_shows import TUESDAY_3PM, TUESDAY_3PM_UTC, mark, no_show
from tests.flows.waitlist_harness import TOMORROW_3PM, Salon, books, open_salon, openings, waits

STRANGER = "+79160000399"  # on the list without ever writing to the salon (an entry made at the desk)


@pytest.fixture
async def salon(settings: Settings, clock: FixedClock) -> AsyncIterator[Salon]:
    async with open_salon("builtin", settings, clock) as opened:
        yield opened


def metrics_of(salon: Salon) -> Metrics:
    assert salon.embedded.services.metrics is not None
    return salon.embedded.services.metrics


def with_budget(salon: Salon, budget: WarmUpBudget) -> None:
    """The salon's jobs and rounds from now on take their places in the number's warm-up budget."""
    services = dataclasses.replace(salon.embedded.services, proactive_budget=budget)
    salon.embedded = dataclasses.replace(salon.embedded, services=services)
    salon.rounds = WaitlistRounds(services, "scheduler-1")


async def events(salon: Salon, kind: EventType) -> list[str]:
    now, day = salon.clock.now, timedelta(days=3)
    return [e.id for e in await salon.embedded.store.events_between((kind,), now - day, now + day, salon.company.id)]


def desk_booking(salon: Salon, customer: str, start: datetime) -> Booking:
    return Booking(
        id=f"desk-{customer[-4:]}",
        company_id=salon.company.id,
        customer_id=customer,
        service_id="mens-haircut",
        staff_id="anna",
        start=start,
        end=start + timedelta(minutes=30),
        backend_id=f"bi-desk-{customer[-4:]}",
    )


async def test_a_waiting_list_offer_to_a_customer_who_cannot_be_reached_passes_to_the_next_one(
    salon: Salon, caplog: pytest.LogCaptureFixture
) -> None:
    # First in line, but never wrote nor opted in: the gateway would drop the offer while the time was held for
    # them — the freed chair kept from everyone for the hold, and waitlist.offered reported for nothing.
    rival, next_one = salon.chat("+79160000301"), salon.chat("+79160000302")
    await books(rival)
    entry = WaitEntry(
        id=WaitEntry.id_for(salon.company.id, STRANGER, TOMORROW_3PM.date(), "mens-haircut"),
        company_id=salon.company.id,
        customer_id=STRANGER,
        service_id="mens-haircut",
        day=TOMORROW_3PM.date(),
        window=TimeWindow(start=time(14), end=time(16)),
        requested_at=salon.clock.now - timedelta(hours=1),
    )
    await salon.embedded.store.save_wait_entry(entry)
    await waits(next_one)
    assert "cancel" in (await rival.say("cancel my appointment"))[0].lower()
    assert "cancelled" in (await rival.say("yes"))[0]
    with caplog.at_level(logging.INFO, logger="booking_bot.waitlist"):
        await salon.scheduler_round()
    assert await salon.sent_to(STRANGER) == []
    [offer] = await salon.sent_to(next_one.customer)
    assert offer.startswith("A time has freed up: Men's haircut with Anna, tomorrow, Saturday, 28 November, 3:00 PM")
    [opening] = await openings(salon)
    [held] = await salon.embedded.store.offers(salon.company.id, opening.id)
    assert held.customer_id == next_one.customer and opening.status is OpeningStatus.HELD
    assert len(await events(salon, EventType.WAITLIST_OFFERED)) == 1
    assert metrics_of(salon).value(NOT_SENT, kind="offer", why="no_conversation") == 1
    line = f"company={salon.company.id} offer not sent: the customer never wrote to the salon nor opted in"
    assert line in [r.getMessage() for r in caplog.records]
    assert STRANGER.lstrip("+") not in caplog.text  # the company id only, never a number


async def test_an_offer_over_the_numbers_warm_up_budget_holds_the_time_for_nobody_until_the_next_day(
    salon: Salon, redis_url: str
) -> None:
    # The newly linked number has no proactive message left today: the offer would be held back at the gateway
    # while the time was held for the customer and waitlist.offered said it went. The time waits, unheld.
    rival, waiting = salon.chat("+79160000311"), salon.chat("+79160000312")
    await books(rival)
    await waits(waiting)
    linked = salon.clock.now - timedelta(hours=1)  # day 2 begins Saturday 11:00 in Moscow
    async with warming_up(redis_url, salon.company.id, (0, 10), linked, salon.clock) as budget:
        with_budget(salon, budget)
        assert "cancel" in (await rival.say("cancel my appointment"))[0].lower()
        assert "cancelled" in (await rival.say("yes"))[0]
        await salon.scheduler_round()
        assert await salon.sent_to(waiting.customer) == []
        [opening] = await openings(salon)
        assert opening.status is OpeningStatus.OPEN and opening.not_before == linked + timedelta(days=1)
        assert await salon.embedded.store.offers(salon.company.id, opening.id) == []
        assert await events(salon, EventType.WAITLIST_OFFERED) == []
        assert await salon.stage_of(waiting.customer) is not Stage.WAITLIST_OFFER
        assert metrics_of(salon).value(NOT_SENT, kind="offer", why="warm_up") == 1

        salon.clock.now = linked + timedelta(days=1, seconds=30)
        await salon.scheduler_round()
        [offer] = await salon.sent_to(waiting.customer)
        assert "3:00 PM" in offer and "holding it for you" in offer
        assert (await openings(salon))[0].status is OpeningStatus.HELD
        assert "You are booked" in (await waiting.say("yes"))[0]


async def test_a_no_show_who_never_wrote_gets_no_reinvite_and_it_is_skipped_not_reported_as_sent(
    salon: Salon, caplog: pytest.LogCaptureFixture
) -> None:
    # Booked at the desk, did not come: the re-invite would be dropped at the gateway, the follow-up said "sent".
    booking = desk_booking(salon, STRANGER, TOMORROW_3PM)
    salon.embedded.calendar.import_booking(booking)
    await salon.embedded.store.save_booking(booking)
    salon.clock.now = booking.end + timedelta(minutes=30)
    assert await mark(salon, booking, Attendance.NO_SHOW, VisitSource.STAFF)
    key = f"reinvite:{salon.company.id}:{booking.id}"
    followup = await salon.embedded.store.get_followup(salon.company.id, key)
    assert followup is not None
    salon.clock.now = followup.due_at + timedelta(seconds=30)
    with caplog.at_level(logging.INFO, logger="booking_bot.waitlist"):
        await salon.scheduler_round()
    assert await salon.sent_to(STRANGER, "reinvite:") == []
    done = await salon.embedded.store.get_followup(salon.company.id, key)
    assert done is not None and done.status is FollowUpStatus.SKIPPED
    assert await events(salon, EventType.VISIT_REINVITED) == []
    assert metrics_of(salon).value(NOT_SENT, kind="reinvite", why="no_conversation") == 1
    line = f"company={salon.company.id} reinvite not sent: the customer never wrote to the salon nor opted in"
    assert line in [r.getMessage() for r in caplog.records]
    assert STRANGER.lstrip("+") not in caplog.text


async def test_an_earlier_no_show_who_never_wrote_is_not_asked_to_confirm_and_the_visit_is_never_released(
    salon: Salon,
) -> None:
    # Without the rule the request was dropped at the gateway yet marked sent, and the release then cancelled the
    # visit of a customer who was never asked — and "told" them through the same dropped path.
    first = desk_booking(salon, STRANGER, TOMORROW_3PM)
    salon.embedded.calendar.import_booking(first)
    await salon.embedded.store.save_booking(first)
    salon.clock.now = first.end + timedelta(minutes=30)
    assert await mark(salon, first, Attendance.NO_SHOW, VisitSource.STAFF)
    later = desk_booking(salon, STRANGER, TUESDAY_3PM_UTC).model_copy(update={"id": "desk-later"})
    salon.embedded.calendar.import_booking(later)
    await salon.embedded.store.save_booking(later)
    assert await salon.embedded.store.plan_followups(confirmation_followups(salon.company, later, salon.clock.now))
    await waits(salon.chat("+79160000322"), TUESDAY_3PM)
    company = salon.company.id
    key = confirmation_key(company, later.id, later.start)
    for followup_key, kind in ((key, "confirm"), ("release:" + key.removeprefix("confirm:"), "release")):
        followup = await salon.embedded.store.get_followup(company, followup_key)
        assert followup is not None, kind
        salon.clock.now = followup.due_at + timedelta(seconds=10)
        await salon.scheduler_round()
        done = await salon.embedded.store.get_followup(company, followup_key)
        assert done is not None and done.status is FollowUpStatus.SKIPPED, kind
    assert metrics_of(salon).value(NOT_SENT, kind="confirm", why="no_conversation") == 1
    assert await salon.sent_to(STRANGER, "confirm:") == [] and await salon.sent_to(STRANGER, "release:") == []
    kept = await salon.embedded.store.get_booking(company, later.id)
    assert kept is not None and kept.status is BookingStatus.BOOKED
    assert await salon.embedded.calendar.current_booking(salon.company, later) is not None


async def test_a_visit_whose_confirmation_request_the_warm_up_held_back_is_not_released(
    salon: Salon, redis_url: str
) -> None:
    # The request went nowhere (the number's budget was spent that day); the next day's budget would let the
    # release's message through — but a customer never asked to confirm must not lose the visit for not answering.
    customer = salon.chat("+79160000331")
    await no_show(salon, customer)
    await books(customer, TUESDAY_3PM)
    await waits(salon.chat("+79160000332"), TUESDAY_3PM)
    await salon.scheduler_round()  # the early request and the release planned
    company = salon.company.id
    key = confirmation_key(company, (await salon.live_bookings(customer.customer))[0].id, TUESDAY_3PM_UTC)
    confirm = await salon.embedded.store.get_followup(company, key)
    release = await salon.embedded.store.get_followup(company, "release:" + key.removeprefix("confirm:"))
    assert confirm is not None and release is not None
    linked = confirm.due_at - timedelta(hours=23)  # the request's day has no budget, the release's has
    async with warming_up(redis_url, company, (0, 10), linked, salon.clock) as budget:
        with_budget(salon, budget)
        salon.clock.now = confirm.due_at + timedelta(seconds=10)
        await salon.scheduler_round()
        assert await salon.sent_to(customer.customer, "confirm:") == []
        done = await salon.embedded.store.get_followup(company, key)
        assert done is not None and done.status is FollowUpStatus.SKIPPED
        assert metrics_of(salon).value(NOT_SENT, kind="confirm", why="warm_up") == 1
        salon.clock.now = release.due_at + timedelta(seconds=10)
        await salon.scheduler_round()
        assert await salon.sent_to(customer.customer, "release:") == []
        [kept] = await salon.live_bookings(customer.customer)
        assert kept.start == TUESDAY_3PM_UTC
        assert (await budget.today("15550000042")).used == 0  # nothing took a place: nothing was sent


OWNER = "+7 916 555-00-77"
OWNER_CHAT = "79165550077@s.whatsapp.net"


async def owner_digest_due(salon: Salon) -> datetime:
    salon.company = salon.company.model_copy(update={"digest": DigestPolicy(owner_phone=OWNER, hour=9)})
    await salon.embedded.store.upsert_company(salon.company)
    assert await salon.rounds.plan() == 1
    followup = await salon.embedded.store.get_followup(salon.company.id, f"digest:{salon.company.id}:2026-11-27")
    assert followup is not None
    return followup.due_at


async def test_the_owners_digest_still_goes_to_the_owners_own_number_and_takes_its_place_in_the_budget(
    salon: Salon, redis_url: str
) -> None:
    # The owner never wrote to the salon's number: their number is opted in (the salon set it), so the rule
    # lets the digest through — and the job takes its place in the warm-up budget, so the gateway sends it.
    due = await owner_digest_due(salon)
    async with warming_up(redis_url, salon.company.id, (3,), due - timedelta(hours=1), salon.clock) as budget:
        with_budget(salon, budget)
        salon.clock.now = due + timedelta(seconds=20)
        await salon.scheduler_round()
        channel = salon.embedded.services.channel
        assert isinstance(channel, SimulatedChannel)
        [digest] = channel.sent(chat_id=OWNER_CHAT)
        assert digest.text.startswith("Demo Salon, yesterday (Friday, 27 November):")
        key = f"digest:{salon.company.id}:2026-11-27"
        assert await budget.taken(salon.company.id, f"out:{salon.company.id}:{key}:0")
        done = await salon.embedded.store.get_followup(salon.company.id, key)
        assert done is not None and done.status is FollowUpStatus.SENT


async def test_the_owners_digest_over_the_warm_up_budget_is_skipped_not_reported_as_sent_and_webhooks_still_get_it(
    salon: Salon, redis_url: str
) -> None:
    due = await owner_digest_due(salon)
    async with warming_up(redis_url, salon.company.id, (0,), due - timedelta(hours=1), salon.clock) as budget:
        with_budget(salon, budget)
        salon.clock.now = due + timedelta(seconds=20)
        await salon.scheduler_round()
        channel = salon.embedded.services.channel
        assert isinstance(channel, SimulatedChannel)
        assert channel.sent(chat_id=OWNER_CHAT) == []
        key = f"digest:{salon.company.id}:2026-11-27"
        done = await salon.embedded.store.get_followup(salon.company.id, key)
        assert done is not None and done.status is FollowUpStatus.SKIPPED
        assert len(await events(salon, EventType.DIGEST_DAILY)) == 1  # the figures still reach the webhooks
        assert metrics_of(salon).value(NOT_SENT, kind="digest", why="warm_up") == 1
