"""The waiting list at scale: 1,000 waiting customers, 200 freed times, two schedulers at once.

    .venv/bin/python benchmarks/waitlist.py [--waiting 1000] [--freed 200] [--seed 19] [--json]

The embedded stack (SQLite store and the built-in calendar in a temp dir, conversation state in memory): a salon
with 10 masters whose next day is fully booked (200 half-hour visits). 1,000 customers wait for that day (a part of
the day, an hour around a time, or any time; a named master or anyone), asking at different moments. The visits
are cancelled through the bot's path (calendar, mirror, `booking.cancelled` event), 20 a minute of the run's clock;
two `WaitlistRounds` (two schedulers) tick together every minute and the offer jobs run; each offered customer
answers through the whole pipeline — "yes" (55 %, booked through the honest path), "no" (25 %) or nothing (20 %:
the hold of 15 minutes ends and the time passes on). The run ends when no freed time is open, held or claimed.

Printed: offers sent, booked (refilled), declined, expired, freed times closed unfilled, and the duplicates found
— a freed time held by two offers at once, an offer sent twice, a time booked twice, a customer booked twice —
which must be 0. Exit 1 when a duplicate is found.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from booking_bot.composition import Embedded, build_embedded, seed_demo
from booking_bot.domain import (
    Booking,
    BookingStatus,
    Customer,
    EventType,
    InboundMessage,
    OfferStatus,
    Opening,
    OpeningStatus,
    StaffMember,
    TimeWindow,
    WaitEntry,
    booking_data,
)
from booking_bot.jobs import InlineJobs
from booking_bot.settings import Settings
from booking_bot.waitlist import WaitlistRounds
from integrations.messaging.simulated import SimulatedChannel
from integrations.scheduling.builtin.demo_salon import DEMO_HOURS
from tests.conftest import Chat, FixedClock

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Friday 12:00 in Moscow; the full day is Saturday
DAY = date(2026, 11, 28)
MASTERS = 10
PARTS = tuple(TimeWindow(start=clock_time(a), end=clock_time(b)) for a, b in ((10, 12), (12, 17), (17, 20)))


@dataclass
class Figures:
    waiting: int
    freed: int
    offers_sent: int = 0
    booked: int = 0
    declined: int = 0
    expired: int = 0
    closed_unfilled: int = 0
    duplicates: int = 0
    minutes_simulated: int = 0
    seconds: float = 0.0
    ms_per_offer: float = 0.0


def _window(rng: random.Random) -> TimeWindow | None:
    pick = rng.random()
    if pick < 0.4:
        return None
    if pick < 0.8:
        return rng.choice(PARTS)
    hour = rng.randint(11, 18)
    return TimeWindow(start=clock_time(hour - 1), end=clock_time(hour + 1))


async def _seed(embedded: Embedded, rng: random.Random, waiting: int) -> tuple[list[Booking], list[Chat]]:
    company = await seed_demo(embedded)
    staff = [StaffMember(id=f"m{n}", name=f"Master {n}") for n in range(MASTERS)]
    for member in staff:
        embedded.calendar.add_staff(company.id, member, DEMO_HOURS)
    for demo_id in ("anna", "bari", "olga"):  # the demo's own masters are off that day: only the ten work
        embedded.calendar.add_staff(company.id, StaffMember(id=demo_id, name=demo_id.title()), {})
    clock = embedded.services.clock
    held: list[Booking] = []
    for n, member in enumerate(staff):
        for slot in range(20):
            start = datetime.combine(DAY, clock_time(10), tzinfo=company.zone) + timedelta(minutes=30 * slot)
            holder = Customer(company_id=company.id, id=f"+7900{n:02d}{slot:05d}", phone=f"+7900{n:02d}{slot:05d}")
            outcome = await embedded.calendar.book(
                company, holder, "mens-haircut", member.id, start.astimezone(UTC), f"seed-{n}-{slot}"
            )
            assert outcome.booking is not None, outcome
            await embedded.store.save_booking(outcome.booking)
            held.append(outcome.booking)
    chats: list[Chat] = []
    for n in range(waiting):
        customer = f"+7916{n:07d}"
        await embedded.store.upsert_customer(Customer(company_id=company.id, id=customer, phone=customer))
        # They asked in the chat to be told (an offer goes only to customers who wrote or opted in).
        asked = InboundMessage(
            company_id=company.id,
            message_id=f"asked-{customer}",
            chat_id=customer,
            phone=customer,
            text="tell me if something frees up",
            received_at=clock() - timedelta(hours=12),
        )
        await embedded.store.record_inbound(asked)
        await embedded.store.mark_inbound_done(company.id, asked.message_id)  # answered back then
        named = rng.random() < 0.3
        entry = WaitEntry(
            id=WaitEntry.id_for(company.id, customer, DAY, "mens-haircut"),
            company_id=company.id,
            customer_id=customer,
            service_id="mens-haircut",
            staff_id=rng.choice(staff).id if named else None,
            day=DAY,
            window=_window(rng),
            requested_at=clock() - timedelta(minutes=rng.randint(1, 600)),
        )
        await embedded.store.save_wait_entry(entry)
        assert isinstance(clock, FixedClock)
        chats.append(Chat(embedded=embedded, company=company, clock=clock, customer=customer, name=None))
    return held, chats


async def _cancel(embedded: Embedded, booking: Booking) -> None:
    """What the bot's cancel does: the calendar first, then the mirror and the event the waiting list reads."""
    company = await embedded.store.get_company(booking.company_id)
    assert company is not None
    outcome = await embedded.calendar.cancel(company, booking, f"cancel-{booking.id}")
    assert outcome.booking is not None
    await embedded.store.save_booking(outcome.booking)
    await embedded.services.events.emit(
        company.id, EventType.BOOKING_CANCELLED, f"cancel-{booking.id}", booking_data(outcome.booking)
    )


async def run(waiting: int, freed: int, seed: int) -> Figures:
    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not secrets
    clock = FixedClock(START)
    base = Path(tempfile.mkdtemp(prefix="bb-waitlist-"))
    channel = SimulatedChannel()
    settings = Settings(data_dir=base, _env_file=None)  # type: ignore[call-arg]
    embedded = build_embedded(settings, channel, clock=clock, inline_jobs=True)
    figures = Figures(waiting=waiting, freed=freed)
    try:
        held, chats = await _seed(embedded, rng, waiting)
        by_customer = {c.customer: c for c in chats}
        services, jobs = embedded.services, embedded.jobs
        assert isinstance(jobs, InlineJobs)
        schedulers = (WaitlistRounds(services, "scheduler-a"), WaitlistRounds(services, "scheduler-b"))
        to_free = rng.sample(held, freed)
        answered: set[str] = set()
        started = time.perf_counter()
        for minute in range(24 * 60):
            for booking in to_free[minute * 20 : minute * 20 + 20]:
                await _cancel(embedded, booking)
            await asyncio.gather(*(s.tick() for s in schedulers))
            await jobs.run_pending(services, only="offer_opening")
            figures.duplicates += await _held_twice(embedded, clock())
            for offer_id, chat_id in [(m.reply_to, m.chat_id) for m in channel.sent()]:
                if not (offer_id or "").startswith("offer:") or offer_id in answered:
                    continue
                answered.add(str(offer_id))
                pick = rng.random()
                if pick < 0.55:
                    await by_customer[chat_id].say("yes")
                elif pick < 0.80:
                    await by_customer[chat_id].say("no, thanks")
            jobs.take("deliver_webhook")
            clock.advance(minutes=1)
            figures.minutes_simulated = minute + 1
            if minute * 20 >= freed and not await _pending(embedded):
                break
        figures.seconds = round(time.perf_counter() - started, 2)
        await _count(embedded, channel, figures)
        figures.ms_per_offer = round(1000 * figures.seconds / max(1, figures.offers_sent), 1)
        return figures
    finally:
        embedded.close()


async def _pending(embedded: Embedded) -> bool:
    """Any freed time still open, claimed or held?"""
    openings = await _openings(embedded)
    return any(o.status in (OpeningStatus.OPEN, OpeningStatus.CLAIMED, OpeningStatus.HELD) for o in openings)


async def _openings(embedded: Embedded) -> list[Opening]:
    """Every freed time recorded (each was reported once as waitlist.slot_freed)."""
    store, found = embedded.store, []
    window = (START - timedelta(days=1), START + timedelta(days=3))
    for event in await store.events_between((EventType.SLOT_FREED,), *window):
        start = datetime.fromisoformat(str(event.data["start"]))
        opening_id = Opening.id_for(event.company_id, str(event.data["booking_id"]), start)
        opening = await store.get_opening(event.company_id, opening_id)
        if opening is not None:
            found.append(opening)
    return found


async def _held_twice(embedded: Embedded, now: datetime) -> int:
    """Freed times held by two offers at this moment."""
    holding = collections.Counter(o.opening_id for o in await embedded.store.holding_offers("demo-salon", now))
    return sum(n - 1 for n in holding.values())


async def _count(embedded: Embedded, channel: SimulatedChannel, figures: Figures) -> None:
    store = embedded.store
    sends = collections.Counter(m.reply_to for m in channel.sent() if (m.reply_to or "").startswith("offer:"))
    figures.offers_sent = len(sends)
    duplicates = figures.duplicates + sum(n - 1 for n in sends.values())  # held twice; a message sent twice
    for opening in await _openings(embedded):
        offers = await store.offers(opening.company_id, opening.id)
        statuses = collections.Counter(o.status for o in offers)
        figures.booked += statuses[OfferStatus.ACCEPTED]
        figures.declined += statuses[OfferStatus.DECLINED]
        figures.expired += statuses[OfferStatus.EXPIRED]
        duplicates += max(0, statuses[OfferStatus.ACCEPTED] - 1)  # a freed time filled twice
        figures.closed_unfilled += opening.status is OpeningStatus.CLOSED
    live = [b for b in await store.list_bookings("demo-salon") if b.status is BookingStatus.BOOKED]
    times = collections.Counter((b.staff_id, b.start) for b in live)
    duplicates += sum(n - 1 for n in times.values())  # a time booked twice
    waiting_booked = collections.Counter(b.customer_id for b in live if b.customer_id.startswith("+7916"))
    duplicates += sum(n - 1 for n in waiting_booked.values())  # a waiting customer booked twice
    figures.duplicates = duplicates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=1000)
    parser.add_argument("--freed", type=int, default=200)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(run(args.waiting, args.freed, args.seed))
    if args.json:
        print(json.dumps(asdict(figures)))
    else:
        print(
            f"{figures.waiting:,} waiting customers and {figures.freed} freed times processed: "
            f"offers sent {figures.offers_sent}, booked {figures.booked}, declined {figures.declined}, "
            f"expired {figures.expired}, closed unfilled {figures.closed_unfilled}, duplicates = {figures.duplicates} "
            f"({figures.minutes_simulated} minutes simulated in {figures.seconds} s, "
            f"{figures.ms_per_offer} ms an offer)"
        )
    return 1 if figures.duplicates else 0


if __name__ == "__main__":
    raise SystemExit(main())
