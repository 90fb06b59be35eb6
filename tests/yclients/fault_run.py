"""Booking conversations through the whole core against YClients-on-the-fake, with injected faults.

Each conversation is one customer asking for one booking in plain English, then answering like a patient person:
"yes" to the confirmation, "yes" again after "not answering", "the first one" when fresh times are offered.
At the end, the fake's records are compared with what every customer was told:

- double bookings: two live records of one staff member overlapping, or one customer with two records;
- confirmations without a record: the customer was told "booked" but no such live record exists;
- records without a confirmation: a live record exists but the customer was not told "booked";
- every conversation ends booked, or with an honest message (and no record).

Used by `tests/yclients/test_fault_run.py` (small) and `scripts/bench_yclients_faults.py` (1,000 conversations).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import random
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from booking_bot.composition import build_embedded
from booking_bot.config import RetryPolicy, YClientsOptions
from booking_bot.domain import Booking, Company
from booking_bot.settings import Settings
from integrations.messaging.simulated import SimulatedChannel
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID, FakeYClients, Fault
from tests.conftest import Chat, FixedClock
from tests.yclients.harness import use_yclients, yclients_stack

MOSCOW = ZoneInfo("Europe/Moscow")
SERVICES = ("men's haircut", "women's haircut", "manicure", "hair colouring")
STAFF = ("Anna", "Bari", "Olga")
MAX_TURNS = 10

BOOKED = "booked"
NOTHING_FREE = "honest: nothing free"
UNAVAILABLE = "honest: backend unavailable"
NOT_UNDERSTOOD = "not understood"
APOLOGY = "apology (handler error)"
OUT_OF_TURNS = "customer gave up choosing"


@dataclass
class Conversation:
    customer: str
    request: str
    ending: str = ""
    last_reply: str = ""
    told_booked: Booking | None = None
    turns: int = 0
    transcript: list[str] = field(default_factory=list)


@dataclass
class FaultRunReport:
    conversations: int
    fault_rate: float
    seconds: float
    requests: int
    faults: collections.Counter[str]
    endings: collections.Counter[str]
    double_bookings: int
    confirmations_without_record: int
    records_without_confirmation: int
    live_records: int
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        honest = {BOOKED, NOTHING_FREE, UNAVAILABLE, OUT_OF_TURNS}
        return (
            self.double_bookings == 0
            and self.confirmations_without_record == 0
            and self.records_without_confirmation == 0
            and set(self.endings) <= honest
        )

    def format(self) -> str:
        lines = [
            f"conversations: {self.conversations}   fault rate per request: {self.fault_rate:.0%}   "
            f"time: {self.seconds:.1f} s",
            f"API requests: {self.requests}   faults injected: {sum(self.faults.values())} "
            + "("
            + ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
            + ")",
            "endings: " + ", ".join(f"{k} {v}" for k, v in sorted(self.endings.items())),
            f"live records: {self.live_records}",
            f"double bookings: {self.double_bookings}",
            f"confirmations without a record: {self.confirmations_without_record}",
            f"records without a confirmation (customer told otherwise): {self.records_without_confirmation}",
            "verdict: " + ("OK" if self.ok else "FAILED"),
        ]
        lines += self.failures[:10]
        return "\n".join(lines)


def _requests(rng: random.Random, count: int, today: date) -> list[tuple[str, str]]:
    plans = []
    for n in range(count):
        day = today + timedelta(days=rng.randint(1, 60))
        hour, minute = rng.randint(10, 17), rng.choice((0, 30))
        text = (
            f"Book a {rng.choice(SERVICES)} with {rng.choice(STAFF)} on {day.day} {day.strftime('%B')} "
            f"at {hour}:{minute:02d}"
        )
        plans.append((f"+7999{n:07d}", text))
    return plans


async def _say(chat: Chat, conversation: Conversation, text: str) -> list[str]:
    replies = await chat.say(text)
    conversation.transcript += [f"> {text}", *(f"< {r}" for r in replies)]
    return replies


async def _converse(chat: Chat, conversation: Conversation) -> None:
    replies = await _say(chat, conversation, conversation.request)
    confirmed_once = False
    for turn in range(MAX_TURNS + 1):
        conversation.turns = turn + 1
        text = "\n".join(replies)
        conversation.last_reply = text
        if "You are booked" in text:
            conversation.ending = BOOKED
            mirrored = [b for b in await chat.bookings() if b.customer_id == chat.customer]
            conversation.told_booked = mirrored[-1] if mirrored else None
            return
        if "Sorry, something went wrong" in text:
            conversation.ending = APOLOGY
            return
        if turn == MAX_TURNS:
            break  # the customer stops answering
        if "not answering" in text:
            # At the confirmation "yes" retries; before it, the request is repeated.
            replies = await _say(chat, conversation, "yes" if confirmed_once else conversation.request)
            continue
        if "Shall I book this?" in text:
            confirmed_once = True
            replies = await _say(chat, conversation, "yes")
            continue
        if "Free times on" in text or "is not free" in text or "Which time suits you?" in text:
            replies = await _say(chat, conversation, "the first one")
            continue
        if "Nothing is free" in text or "couldn't find free times" in text:
            conversation.ending = NOTHING_FREE
            return
        conversation.ending = NOT_UNDERSTOOD
        return
    text = conversation.last_reply
    conversation.ending = UNAVAILABLE if "not answering" in text else OUT_OF_TURNS


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
                return await _run(embedded, stack.server, company, clock, conversations, fault_rate, seed, concurrency)
        finally:
            embedded.close()


async def _run(
    embedded: object,
    server: FakeYClients,
    company: Company,
    clock: FixedClock,
    count: int,
    fault_rate: float,
    seed: int,
    concurrency: int,
) -> FaultRunReport:
    rng = random.Random(seed)
    plans = [Conversation(customer=c, request=t) for c, t in _requests(rng, count, company.today(clock.now))]
    server.faults.randomly(fault_rate, seed=seed)
    gate = asyncio.Semaphore(concurrency)
    started = time.monotonic()

    async def one(conversation: Conversation) -> None:
        async with gate:
            chat = Chat(embedded=embedded, company=company, clock=clock, customer=conversation.customer)  # type: ignore[arg-type]
            chat.name = "Client"
            await _converse(chat, conversation)

    await asyncio.gather(*(one(c) for c in plans))
    seconds = time.monotonic() - started
    server.faults.stop()
    await asyncio.sleep(server.faults.timeout_delay + max(server.faults.slow_delay) + 0.2)  # let late commits land
    return _check(server, plans, count, fault_rate, seconds)


def _check(
    server: FakeYClients, plans: list[Conversation], count: int, fault_rate: float, seconds: float
) -> FaultRunReport:
    fake = server.companies[DEMO_YCLIENTS_COMPANY_ID]
    records = fake.live_records()
    failures: list[str] = []
    double = 0
    by_staff: dict[int, list[tuple[datetime, datetime]]] = collections.defaultdict(list)
    for record in records:
        by_staff[record.staff_id].append((record.start, record.end))
    for spans in by_staff.values():
        spans.sort()
        double += sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])
    phone_of = {c.id: c.phone for c in fake.clients.values()}
    per_customer: dict[str, list[int]] = collections.defaultdict(list)
    for record in records:
        per_customer[phone_of[record.client_id]].append(record.id)
    double += sum(len(ids) - 1 for ids in per_customer.values() if len(ids) > 1)
    without_record = 0
    without_confirmation = 0
    for conversation in plans:
        mine = per_customer.get(conversation.customer.lstrip("+"), [])
        if conversation.ending == BOOKED:
            told = conversation.told_booked
            if told is None or int(told.backend_id) not in mine:
                without_record += 1
                failures.append(f"told booked without a record: {conversation.customer}")
        elif mine:
            without_confirmation += 1
            failures.append(
                f"record without confirmation ({conversation.ending}): " + " | ".join(conversation.transcript)
            )
        if conversation.ending not in (BOOKED, NOTHING_FREE, UNAVAILABLE, OUT_OF_TURNS):
            failures.append(f"{conversation.ending}: {conversation.request!r} → {conversation.last_reply[:160]!r}")
    faults = collections.Counter(str(kind) for _, kind in server.faults.injected)
    return FaultRunReport(
        conversations=count,
        fault_rate=fault_rate,
        seconds=seconds,
        requests=len(server.requests),
        faults=faults,
        endings=collections.Counter(c.ending for c in plans),
        double_bookings=double,
        confirmations_without_record=without_record,
        records_without_confirmation=without_confirmation,
        live_records=len(records),
        failures=failures,
    )


def local_day(moment: datetime) -> date:
    return moment.astimezone(MOSCOW).date()


__all__ = ["UTC", "Fault", "FaultRunReport", "run_fault_conversations"]
