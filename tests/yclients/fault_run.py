"""Booking, moving and cancelling conversations through the whole core against YClients-on-the-fake, with faults.

Each customer books (a quarter without naming a staff member), and some then move and cancel (a share book twice,
on days far apart, and move one), in plain English, answering like a patient person: "yes" to a confirmation, "yes"
again after "not answering" (a third of them say their request again instead), "the first one" when fresh times are
offered, the number of the right appointment when asked which. What every customer was
told is compared with the fake's own records and write log at the end (fault_check.py says what is counted).

Used by `tests/yclients/test_fault_run.py` (small) and `scripts/bench_yclients_faults.py` (1,000 conversations).
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import re
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from booking_bot.composition import Embedded, build_embedded
from booking_bot.config import RetryPolicy, YClientsOptions
from booking_bot.domain import Booking, Company, Outcome, OutcomeKind
from booking_bot.metrics import CountingBackend, Metrics
from booking_bot.ports import SchedulingBackend
from booking_bot.settings import Settings
from integrations.messaging.simulated import SimulatedChannel
from integrations.scheduling.yclients.fake import FakeYClients
from tests.conftest import Chat, FixedClock
from tests.yclients.fault_check import (
    APOLOGY,
    BOOKED,
    CANCELLED,
    MOVED,
    NO_APPOINTMENT,
    NOT_ALLOWED,
    NOT_UNDERSTOOD,
    NOTHING_FREE,
    OUT_OF_TURNS,
    REBOOKED,
    SKIPPED,
    UNAVAILABLE,
    Conversation,
    FaultRunReport,
    Step,
    check,
)
from tests.yclients.harness import use_yclients, yclients_stack

MOSCOW = ZoneInfo("Europe/Moscow")
SERVICES = ("men's haircut", "women's haircut", "manicure", "hair colouring")
STAFF = ("Anna", "Bari", "Olga")
MAX_TURNS = 10  # bot replies per step before the customer gives up

# What customers do, with their shares of all customers (the rest only book).
PLANS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.15, ("book", "book", "move")),  # two bookings on days far apart, then one of them moves
    (0.20, ("book", "move")),
    (0.15, ("book", "move", "cancel")),
    (0.10, ("book", "cancel")),
)

FAILED = ("nothing has been changed", "doesn't allow", "has just been taken", "couldn't find that", "no upcoming")
LISTED = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)


class OutcomeLog(CountingBackend):
    """The backend as the core sees it, keeping the last done outcome of each kind per customer: which record a
    reply's "booked", "moved" or "cancelled" was about."""

    def __init__(self, backend: SchedulingBackend) -> None:
        super().__init__(backend, Metrics())
        self.done: dict[tuple[str, OutcomeKind], Booking] = {}

    def _count(self, op: str, outcome: Outcome) -> Outcome:
        if outcome.booking is not None:
            self.done[(outcome.booking.customer_id, outcome.kind)] = outcome.booking
        return super()._count(op, outcome)


def _day_text(day: date) -> str:
    return f"{day.day} {day.strftime('%B')}"


def _kinds(rng: random.Random) -> tuple[str, ...]:
    share = rng.random()
    for part, kinds in PLANS:
        if share < part:
            return kinds
        share -= part
    return ("book",)


def _plans(rng: random.Random, count: int, today: date) -> list[Conversation]:
    plans = []
    for n in range(count):
        first = today + timedelta(days=rng.randint(1, 40))
        days = [first, first + timedelta(days=rng.randint(45, 55))]  # far apart: no move a few days on overlaps
        steps: list[Step] = []
        for kind in _kinds(rng):
            if kind == "book":
                day = days[len(steps)]
                when = f"{_day_text(day)} at {rng.randint(10, 17)}:{rng.choice(('00', '30'))}"
                named = rng.choice((*STAFF, ""))  # a quarter of the requests name no staff member
                staff = f" with {named}" if named else ""
                steps.append(Step("book", f"Book a {rng.choice(SERVICES)}{staff} on {when}"))
            elif kind == "move":
                target = rng.randrange(len(steps))
                day = days[target] + timedelta(days=rng.choice((0, 1, 2, 3)))  # a later hour, or days on
                when = f"{_day_text(day)} at {rng.randint(10, 17)}:{rng.choice(('00', '30'))}"
                steps.append(Step("move", f"Please move my appointment to {when}", target, when))
            else:
                steps.append(Step("cancel", "I need to cancel my appointment"))
        # A third of the customers, told "not answering", say their request again rather than "yes".
        plans.append(Conversation(customer=f"+7999{n:07d}", steps=steps, repeats=rng.random() < 1 / 3))
    return plans


class Customer:
    """One customer going through their steps in one chat."""

    def __init__(self, chat: Chat, conversation: Conversation, outcomes: OutcomeLog, server: FakeYClients) -> None:
        self.chat, self.conversation, self.outcomes, self.server = chat, conversation, outcomes, server
        self.held: dict[int, datetime] = {}  # record id → local start, as told

    async def say(self, text: str) -> str:
        replies = await self.chat.say(text)
        self.conversation.transcript += [f"> {text}", *(f"< {r}" for r in replies)]
        reply = "\n".join(replies)
        self.conversation.answers.append((len(self.server.applied), any(f in reply for f in FAILED)))
        for marker, kind, what in (
            ("Your appointment is moved", OutcomeKind.MOVED, "moved"),
            ("your appointment is cancelled", OutcomeKind.CANCELLED, "deleted"),
            ("You are booked", OutcomeKind.BOOKED, "created"),
        ):
            if marker in reply:
                booking = self.outcomes.done.pop((self.chat.customer, kind), None)
                assert booking is not None, f"{marker!r} said without a {kind} outcome: {reply!r}"
                record_id = int(booking.backend_id)
                start = booking.start.astimezone(MOSCOW).replace(tzinfo=None)
                self.conversation.told.append((what, record_id, None if what == "deleted" else start))
                if what == "created":
                    self.conversation.booked_ids.append(record_id)
                    self.held[record_id] = start
                elif what == "moved":
                    self.held[record_id] = start
                else:
                    self.held.pop(record_id, None)
        return reply

    def _which(self, reply: str, step: Step) -> str:
        """The number of the step's appointment in the bot's list (found by its day)."""
        ids = self.conversation.booked_ids
        start = self.held.get(ids[step.booking]) if step.booking < len(ids) else None
        for number, line in LISTED.findall(reply):
            if start is not None and f" {_day_text(start.date())}," in line:
                return number
        return "1"

    async def run(self) -> None:
        done = True
        for step in self.conversation.steps:
            if not done or (step.kind != "book" and not self.held):
                step.ending = SKIPPED
                continue
            step.ending = await self.step(step)
            done = step.kind != "book" or step.ending == BOOKED  # a move or cancel needs every booking made

    async def step(self, step: Step) -> str:
        reply = await self.say(step.text)
        rebooking = False
        which = "1"  # the number of the step's appointment in the bot's last list
        for turn in range(MAX_TURNS + 1):
            self.conversation.turns += 1
            if "Your appointment is moved" in reply:
                return MOVED
            if "You are booked" in reply:
                return REBOOKED if rebooking else BOOKED
            if "your appointment is cancelled" in reply and "Shall I book this?" not in reply:
                return CANCELLED
            if "Sorry, something went wrong" in reply:
                return APOLOGY
            if "doesn't allow this change" in reply:
                return NOT_ALLOWED
            if "no upcoming appointments" in reply or "couldn't find that appointment" in reply:
                return NO_APPOINTMENT
            if "couldn't find free times" in reply or ("Nothing is free" in reply and "Free times " not in reply):
                return NOTHING_FREE
            if turn == MAX_TURNS:
                break  # the customer stops answering
            if "not answering" in reply:
                # As the bot asks: "yes" again at a confirmation; anywhere else the request is said again.
                again = "write “yes” again" in reply and not self.conversation.repeats
                reply = await self.say("yes" if again else step.text)
                continue
            if "doesn't allow moving appointments here" in reply:
                rebooking = True
                reply = await self.say("yes")
                continue
            if "Shall I" in reply and "if something frees up" not in reply:  # the waiting list's question: a time
                reply = await self.say("yes")  # is picked from those offered instead, below
                continue
            if "Which appointment would you like" in reply:
                which = self._which(reply, step)
                reply = await self.say(which)
            elif "Sorry, which appointment?" in reply:
                reply = await self.say(which)
            elif "To which day would you like to move it?" in reply:
                reply = await self.say(step.new_day)
            elif any(t in reply for t in ("Free times ", "is not free", "Which time suits you?", "which time?")):
                reply = await self.say("the first one")
            else:
                return NOT_UNDERSTOOD
        return UNAVAILABLE if "not answering" in reply else OUT_OF_TURNS


async def run_fault_conversations(
    conversations: int = 1000,
    fault_rate: float = 0.3,
    seed: int = 5,
    concurrency: int = 25,
    client_timeout: float = 0.25,
) -> FaultRunReport:
    """Run the conversations and check the fake's final records against what customers were told."""
    clock = FixedClock()
    server = FakeYClients(clock)
    server.faults.timeout_delay = client_timeout * 1.6
    server.faults.slow_delay = (0.0, client_timeout * 1.6)  # sometimes past the timeout: a late commit
    server.faults.retry_after = 0  # Retry-After: 0 keeps the run fast; honoured all the same
    options = YClientsOptions(
        timeout_seconds=client_timeout,
        retry=RetryPolicy(read_attempts=6, rate_limited_attempts=6, backoff_base=0.01, backoff_cap=0.05),
    )
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), _env_file=None)  # type: ignore[call-arg]
        embedded = build_embedded(settings, SimulatedChannel(), clock=clock, in_memory=True, inline_jobs=True)
        try:
            async with yclients_stack(embedded.store, clock, options=options, server=server) as stack:
                company = await use_yclients(embedded, stack)
                outcomes = OutcomeLog(stack.backend)

                def backend_for(company: Company) -> SchedulingBackend:
                    return outcomes

                embedded.services = dataclasses.replace(embedded.services, backend_for=backend_for)
                return await _run(
                    embedded, server, outcomes, company, clock, conversations, fault_rate, seed, concurrency
                )
        finally:
            embedded.close()


async def _run(
    embedded: Embedded,
    server: FakeYClients,
    outcomes: OutcomeLog,
    company: Company,
    clock: FixedClock,
    count: int,
    fault_rate: float,
    seed: int,
    concurrency: int,
) -> FaultRunReport:
    plans = _plans(random.Random(seed), count, company.today(clock.now))
    server.faults.randomly(fault_rate, seed=seed)
    gate = asyncio.Semaphore(concurrency)
    started = time.monotonic()

    async def one(conversation: Conversation) -> None:
        async with gate:
            chat = Chat(embedded=embedded, company=company, clock=clock, customer=conversation.customer)
            chat.name = "Client"
            await Customer(chat, conversation, outcomes, server).run()

    await asyncio.gather(*(one(c) for c in plans))
    seconds = time.monotonic() - started
    server.faults.stop()
    await asyncio.sleep(server.faults.timeout_delay + max(server.faults.slow_delay) + 0.2)  # let late commits land
    return check(server, plans, fault_rate, seconds)


__all__ = ["FaultRunReport", "run_fault_conversations"]
