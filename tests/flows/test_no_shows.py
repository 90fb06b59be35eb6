"""No-shows on both scheduling backends: a visit marked a no-show (by staff, or read from YClients' attendance by the
sweep) gets one polite re-invite the next day — exactly once across a scheduler that died holding its claim, its
restart and a second scheduler — and none when the mark was corrected or the customer booked again; a customer
with an earlier no-show is asked to confirm early, and unconfirmed after the grace time, with someone waiting, the
time is released to the waiting list."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from booking_bot.domain import (
    Attendance,
    Booking,
    BookingStatus,
    FollowUpKind,
    FollowUpStatus,
    OpeningStatus,
    VisitMark,
    VisitSource,
)
from booking_bot.settings import Settings
from booking_bot.waitlist import WaitlistRounds, record_attendance, send_followup
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID
from tests.conftest import Chat, FixedClock
from tests.flows.waitlist_harness import BACKENDS, Salon, books, open_salon, openings, waits

REINVITE = "We missed you at Demo Salon yesterday. Would you like to book a new time? Just write to me here."
TUESDAY_3PM = "Book a men's haircut with Anna on Tuesday at 3pm"
TUESDAY_3PM_UTC = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def salon(request: pytest.FixtureRequest, settings: Settings, clock: FixedClock) -> AsyncIterator[Salon]:
    async with open_salon(request.param, settings, clock) as opened:
        yield opened


async def mark(salon: Salon, booking: Booking, attendance: Attendance, source: VisitSource) -> VisitMark | None:
    services = salon.embedded.services
    return await record_attendance(
        services.store, services.events, services.clock(), salon.company, booking, attendance, source
    )


async def no_show(salon: Salon, chat: Chat) -> Booking:
    """The customer books tomorrow 15:00 and does not come: marked by staff on the built-in calendar, and by the
    salon's staff in YClients (attendance -1), which the sweep reads."""
    await books(chat)
    [booking] = await salon.live_bookings(chat.customer)
    salon.clock.now = booking.end + timedelta(minutes=30)
    if salon.fake is None:
        marked = await mark(salon, booking, Attendance.NO_SHOW, VisitSource.STAFF)
        assert marked is not None
    else:
        salon.fake.companies[DEMO_YCLIENTS_COMPANY_ID].records[int(booking.backend_id)].attendance = -1
        assert await salon.rounds.sync() == 1
        assert await salon.rounds.sync() == 0  # marked once
    assert await salon.embedded.store.no_shows(salon.company.id, chat.customer) == 1
    return booking


async def test_a_no_show_is_reinvited_once_across_a_dead_scheduler_its_restart_and_a_second_one(salon: Salon) -> None:
    chat = salon.chat("+79160000101")
    booking = await no_show(salon, chat)
    services, company = salon.embedded.services, salon.company.id
    followup = await salon.embedded.store.get_followup(company, f"reinvite:{company}:{booking.id}")
    assert followup is not None and followup.kind is FollowUpKind.REINVITE
    assert followup.due_at == datetime(2026, 11, 29, 8, 0, tzinfo=UTC)  # Sunday 11:00 in Moscow, the day after
    first, second = WaitlistRounds(services, "scheduler-a"), WaitlistRounds(services, "scheduler-b")
    await asyncio.gather(first.tick(), second.tick())
    assert salon.jobs.take("send_followup") == []  # not due yet

    salon.clock.now = followup.due_at + timedelta(seconds=30)
    await first.tick()
    lost = salon.jobs.take("send_followup")  # the first scheduler claimed it and died before a worker ran it
    assert len(lost) == 1
    restarted = WaitlistRounds(services, "scheduler-a")
    await asyncio.gather(restarted.tick(), second.tick())
    assert salon.jobs.take("send_followup") == []  # claimed: nobody takes it again while the claim is fresh
    salon.clock.advance(minutes=6)
    await asyncio.gather(restarted.tick(), second.tick(), restarted.tick())
    queued = salon.jobs.take("send_followup")
    assert len(queued) == 1  # the stale claim taken again by exactly one scheduler
    for ids in queued + queued + lost:  # a redelivered job, and the lost one turning up late
        await send_followup(services, *ids)
    await asyncio.gather(restarted.tick(), second.tick())
    for ids in salon.jobs.take("send_followup"):
        await send_followup(services, *ids)
    assert await salon.sent_to(chat.customer, "reinvite:") == [REINVITE]
    done = await salon.embedded.store.get_followup(company, followup.key)
    assert done is not None and done.status is FollowUpStatus.SENT


async def test_no_reinvite_when_the_mark_was_corrected_or_the_customer_booked_again(salon: Salon) -> None:
    corrected, rebooked = salon.chat("+79160000111"), salon.chat("+79160000112")
    await books(rebooked, "Book a women's haircut with Olga tomorrow at 5pm")
    first = await no_show(salon, corrected)
    salon.clock.now = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)  # 18:30 in Moscow: both visits are over
    [second] = [
        b for b in await salon.embedded.store.list_bookings(salon.company.id) if b.customer_id == rebooked.customer
    ]
    await mark(salon, second, Attendance.NO_SHOW, VisitSource.STAFF)
    # Staff correct the first: the customer came after all (a staff mark is final, the salon's system cannot undo it).
    assert await mark(salon, first, Attendance.ATTENDED, VisitSource.STAFF)
    assert await mark(salon, first, Attendance.NO_SHOW, VisitSource.SALON) is None
    # The second books again before the re-invite is due.
    await books(rebooked, "Book a manicure with Bari on Wednesday at 2pm")
    salon.clock.now = datetime(2026, 11, 29, 8, 1, tzinfo=UTC)
    await salon.scheduler_round()
    assert await salon.sent_to(corrected.customer, "reinvite:") == []
    assert await salon.sent_to(rebooked.customer, "reinvite:") == []
    for booking in (first, second):
        key = f"reinvite:{salon.company.id}:{booking.id}"
        skipped = await salon.embedded.store.get_followup(salon.company.id, key)
        assert skipped is not None and skipped.status is FollowUpStatus.SKIPPED


async def test_an_earlier_no_show_is_asked_to_confirm_early_and_unconfirmed_the_time_is_released(
    salon: Salon,
) -> None:
    customer, waiting = salon.chat("+79160000121"), salon.chat("+79160000122")
    await no_show(salon, customer)
    await books(customer, TUESDAY_3PM)
    await waits(waiting, TUESDAY_3PM)
    await salon.scheduler_round()  # reads the new booking: a customer with a no-show gets the early request planned
    company = salon.company.id
    [booking] = [b for b in await salon.live_bookings(customer.customer) if b.start == TUESDAY_3PM_UTC]
    stamp = TUESDAY_3PM_UTC.isoformat()
    confirm = await salon.embedded.store.get_followup(company, f"confirm:{company}:{booking.id}:{stamp}")
    release = await salon.embedded.store.get_followup(company, f"release:{company}:{booking.id}:{stamp}")
    assert confirm is not None and release is not None
    assert confirm.due_at == TUESDAY_3PM_UTC - timedelta(hours=48)  # Sunday 15:00: earlier than the 24 h reminder
    # 12 h of grace end at 03:00, in the salon's quiet hours: the release waits for 09:00 Monday.
    assert release.due_at == datetime(2026, 11, 30, 6, 0, tzinfo=UTC)

    salon.clock.now = confirm.due_at + timedelta(seconds=10)
    await salon.scheduler_round()
    [request] = await salon.sent_to(customer.customer, "confirm:")
    assert request.startswith("Please confirm your visit: Men's haircut with Anna, Tuesday, 1 December, 3:00 PM.")
    assert "If we don't hear from you by tomorrow, Monday, 30 November, 9:00 AM, we may offer" in request

    salon.clock.now = release.due_at + timedelta(seconds=10)  # no answer
    await salon.scheduler_round()
    [released] = await salon.sent_to(customer.customer, "release:")
    assert "has been released for someone on our waiting list" in released
    assert await salon.live_bookings(customer.customer) == []
    [opening] = await openings(salon)
    assert opening.freed_by.value == "release"
    salon.clock.advance(minutes=1)
    await salon.scheduler_round()
    [offer] = await salon.sent_to(waiting.customer)
    assert "A time has freed up" in offer and "Tuesday, 1 December, 3:00 PM" in offer
    assert "You are booked" in (await waiting.say("yes"))[0]
    [refilled] = await salon.live_bookings(waiting.customer)
    assert refilled.start == TUESDAY_3PM_UTC
    assert (await openings(salon))[0].status is OpeningStatus.FILLED


async def test_an_ok_to_the_early_request_keeps_the_visit(salon: Salon) -> None:
    customer, waiting = salon.chat("+79160000131"), salon.chat("+79160000132")
    await no_show(salon, customer)
    await books(customer, TUESDAY_3PM)
    await waits(waiting, TUESDAY_3PM)
    await salon.scheduler_round()
    salon.clock.now = TUESDAY_3PM_UTC - timedelta(hours=48, seconds=-10)
    await salon.scheduler_round()
    assert len(await salon.sent_to(customer.customer, "confirm:")) == 1
    salon.clock.advance(hours=2)
    assert "confirmed" in (await customer.say("ok, see you then"))[0]
    salon.clock.advance(hours=11)
    await salon.scheduler_round()
    assert await salon.sent_to(customer.customer, "release:") == []
    [kept] = await salon.live_bookings(customer.customer)
    assert kept.start == TUESDAY_3PM_UTC and kept.status is BookingStatus.BOOKED
    assert await salon.sent_to(waiting.customer) == []


async def test_a_no_show_marked_after_booking_again_still_gets_the_early_request(salon: Salon) -> None:
    customer = salon.chat("+79160000141")
    await books(customer, TUESDAY_3PM)
    await books(customer, "And a women's haircut with Olga tomorrow at 5pm")
    [first, later] = sorted(await salon.live_bookings(customer.customer), key=lambda b: b.start)
    salon.clock.now = first.end + timedelta(minutes=30)
    assert await mark(salon, first, Attendance.NO_SHOW, VisitSource.STAFF)
    company = salon.company.id
    confirm = await salon.embedded.store.get_followup(
        company, f"confirm:{company}:{later.id}:{TUESDAY_3PM_UTC.isoformat()}"
    )
    assert confirm is not None and confirm.due_at == TUESDAY_3PM_UTC - timedelta(hours=48)
