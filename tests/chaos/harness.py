"""The chaos harness: gateway and worker processes on fake WhatsApp, booking conversations, faults injected mid-load.

    python -m tests.chaos.harness gateway     (a gateway process with fake neonize clients; started by `run_chaos`)

`run_chaos` seeds the salons (SQLite store + built-in calendar in a temp dir), starts 1 gateway + N workers + the
scheduler as PM2 would, delivers booking conversations ("Hi" / "a men's haircut" / "<day> at <time> with <staff>" /
"yes") at a steady rate, and meanwhile SIGKILLs workers (a replacement starts at once, as PM2 restarts one) or
restarts Redis. Then it waits until every message is handled and every recorded reply reached WhatsApp, and counts:

- lost inbound: a delivered message the store never recorded, or never marked handled;
- double bookings: two live calendar bookings of one staff member overlapping, or a customer with two;
- duplicate / lost replies: what WhatsApp got in each chat against what the store recorded for it;
- told booked: customers who read "You are booked" (each must own exactly one live booking, and vice versa).

The fake WhatsApp can live in another Redis than the system (`wa_redis_url`): restarting the system's Redis is then
an outage of our side only, as in production. The full runs are `benchmarks/chaos.py`; `tests/chaos/` runs short ones.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.procs import ROOT, Processes, RedisServer
from benchmarks.workload import booking_script, company_id, customer, number, seed_companies

BOOKED_PREFIX = "Done! You are booked"


@dataclass
class ChaosFigures:
    companies: int
    conversations: int
    messages: int = 0
    deliveries: int = 0
    worker_kills: int = 0
    redis_restarts: int = 0
    lost_inbound: int = 0
    expected_replies: int = 0
    sent_replies: int = 0
    lost_replies: int = 0
    duplicate_replies: int = 0
    told_booked: int = 0
    live_bookings: int = 0
    double_bookings: int = 0
    booked_without_telling: int = 0
    told_without_booking: int = 0
    elapsed_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def duplicate_rate(self) -> float:
        return self.duplicate_replies / self.expected_replies if self.expected_replies else 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and self.lost_inbound == 0
            and self.lost_replies == 0
            and self.double_bookings == 0
            and self.booked_without_telling == 0
            and self.told_without_booking == 0
            and self.duplicate_rate <= 0.005
            and self.expected_replies > 0
        )

    def format(self) -> str:
        return "\n".join(
            [
                f"companies: {self.companies}   conversations: {self.conversations}   messages: {self.messages}"
                f"   deliveries: {self.deliveries}",
                f"worker SIGKILLs: {self.worker_kills}   Redis restarts: {self.redis_restarts}"
                f"   time: {self.elapsed_seconds} s",
                f"lost inbound: {self.lost_inbound}",
                f"replies expected: {self.expected_replies}   sent: {self.sent_replies}   lost: {self.lost_replies}"
                f"   duplicated: {self.duplicate_replies} ({100 * self.duplicate_rate:.2f} %)",
                f"told booked: {self.told_booked}   live bookings: {self.live_bookings}"
                f"   double bookings: {self.double_bookings}",
                f"bookings nobody was told of: {self.booked_without_telling}"
                f"   'booked' without a booking: {self.told_without_booking}",
                f"verdict: {'OK' if self.ok else 'FAILED'}"
                + (f" ({'; '.join(self.problems)})" if self.problems else ""),
            ]
        )


def process_env(redis_url: str, wa_redis_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BOOKING_BOT_BROKER": "redis",
        "BOOKING_BOT_REDIS_URL": redis_url,
        "BOOKING_BOT_DATA_DIR": str(data_dir),
        "BOOKING_BOT_LOG_LEVEL": "WARNING",
        "BOOKING_BOT_GATEWAY_LEASE_TTL_SECONDS": "3",
        "BOOKING_BOT_GATEWAY_LEASE_RENEW_SECONDS": "0.5",
        "BOOKING_BOT_GATEWAY_TYPING_MIN_SECONDS": "0",
        "BOOKING_BOT_GATEWAY_TYPING_SECONDS_PER_CHAR": "0",
        "BOOKING_BOT_GATEWAY_TYPING_MAX_SECONDS": "0",
        "BOOKING_BOT_GATEWAY_SEND_INTERVAL_SECONDS": "0",
        "BOOKING_BOT_GATEWAY_SHUTDOWN_SECONDS": "5",
        "BOOKING_BOT_GATEWAY_MAX_COMPANIES": "2000",
        "BOOKING_BOT_WORKER_THREADS": "4",
        # A killed worker's messages return after 5 s (the minimum) plus a sweep; its chat locks after 3 s.
        "BOOKING_BOT_WORKER_HEARTBEAT_TIMEOUT_SECONDS": "5",
        "BOOKING_BOT_WORKER_MAINTENANCE_CHANCE": "200000",
        "BOOKING_BOT_WORKER_LOCK_TTL_SECONDS": "3",
        # The scheduler queues again what is still unhandled after 10 s (a job lost while Redis restarted).
        "BOOKING_BOT_INBOUND_REQUEUE_AFTER_SECONDS": "10",
        "BOOKING_BOT_INBOUND_SWEEP_SECONDS": "2",
        "BOOKING_BOT_ADMIN_TOKEN": secrets.token_urlsafe(32),
        "FAKEWA_REDIS_URL": wa_redis_url,
        # A process that dies of a signal (SIGABRT, SIGSEGV) leaves its threads' tracebacks and glibc's message in
        # its log instead of on a terminal nobody reads.
        "PYTHONFAULTHANDLER": "1",
        "LIBC_FATAL_STDERR_": "1",
    }


async def register_numbers(redis_url: str, companies: int) -> None:
    from redis.asyncio import Redis

    from integrations import redis_keys as keys

    redis = Redis.from_url(redis_url)
    try:
        for n in range(companies):
            await redis.sadd(keys.COMPANIES, company_id(n))
            await redis.hset(keys.JIDS, company_id(n), number(n))
    finally:
        await redis.aclose()


async def wait_connected(redis_url: str, companies: int, limit: float) -> None:
    from redis.asyncio import Redis

    from integrations import redis_keys as keys

    redis = Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            async with redis.pipeline(transaction=False) as pipe:
                for n in range(companies):
                    pipe.hget(keys.status(company_id(n)), "state")
                states = await pipe.execute()
            if all(state == b"connected" for state in states):
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"not every company connected in {limit:.0f}s")
    finally:
        await redis.aclose()


class Workers:
    """The worker processes; a killed one is replaced at once (PM2's autorestart)."""

    def __init__(self, procs: Processes, env: dict[str, str], data_dir: Path, count: int) -> None:
        self._procs, self._env, self._dir = procs, env, data_dir
        self.live = [self._start(w) for w in range(count)]
        self.started = count

    def _start(self, n: int) -> subprocess.Popen[bytes]:
        return self._procs.start(["-m", "booking_bot.worker"], self._env, self._dir / f"worker{n}.log")

    def kill_one(self, rng: random.Random) -> None:
        victim = self.live.pop(rng.randrange(len(self.live)))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.live.append(self._start(self.started))
        self.started += 1


Fault = Callable[[], Awaitable[None]]


async def run_chaos(
    redis_url: str,
    wa_redis_url: str,
    *,
    companies: int,
    conversations: int,
    workers: int = 2,
    worker_kills: int = 0,
    copies: int = 1,
    rate: float = 100.0,
    redis_server: RedisServer | None = None,
    redis_restarts: int = 0,
    redis_down_seconds: float = 2.0,
    limit: float = 300.0,
    data_dir: Path | None = None,
    seed: int = 11,
) -> ChaosFigures:
    """Deliver `conversations` booking conversations at `rate` messages/s (each message `copies` times, alternating
    its phone and LID forms); spread `worker_kills` SIGKILLs and `redis_restarts` over the delivery."""
    from redis.asyncio import Redis

    from tests.fakes.neonize_fake import FakeWhatsApp, jid, message_event

    figures = ChaosFigures(companies=companies, conversations=conversations)
    rng = random.Random(seed)
    began = time.monotonic()
    workdir = data_dir or Path(tempfile.mkdtemp(prefix="bb-chaos-"))
    for url in {redis_url, wa_redis_url}:
        client = Redis.from_url(url)
        await client.flushdb()
        await client.aclose()
    await seed_companies(workdir, companies)
    await register_numbers(redis_url, companies)
    env = process_env(redis_url, wa_redis_url, workdir)
    wa_redis = Redis.from_url(wa_redis_url)
    whatsapp = FakeWhatsApp(wa_redis)
    procs = Processes()
    try:
        procs.start(
            ["-m", "tests.chaos.harness", "gateway"], {**env, "BOOKING_BOT_GATEWAY_ID": "gw0"}, workdir / "gw0.log"
        )
        pool = Workers(procs, env, workdir, workers)
        # The scheduler, as PM2 runs it beside them: it also queues again messages whose job was lost.
        procs.start(["-m", "booking_bot.scheduler"], env, workdir / "scheduler.log")
        await wait_connected(redis_url, companies, limit=60)

        plan = [(c, step) for step in range(4) for c in range(conversations)]
        figures.messages = len(plan)
        kill_points = {len(plan) * (k + 1) // (worker_kills + 1) for k in range(worker_kills)}
        restart_points = {len(plan) * (k + 1) // (redis_restarts + 1) for k in range(redis_restarts)}
        start = time.monotonic()
        restarts: list[asyncio.Task[None]] = []
        for i, (c, step) in enumerate(plan):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if i in kill_points:
                pool.kill_one(rng)
                figures.worker_kills += 1
            if i in restart_points and redis_server is not None:
                # Delivery goes on while our Redis is down: WhatsApp does not wait for us.
                restarts.append(asyncio.create_task(_restart(redis_server, redis_down_seconds)))
                figures.redis_restarts += 1
            n = c % companies
            text = booking_script(c // companies)[step]
            phone = jid(customer(c))
            for copy in range(copies):
                if copy % 2:
                    event = message_event(
                        _message_id(c, step), jid(f"9{c:09d}", "lid"), text=text, sender_alt=phone, push_name="Alex"
                    )
                else:
                    event = message_event(_message_id(c, step), phone, text=text, push_name="Alex")
                await whatsapp.deliver(number(n), event)
                figures.deliveries += 1
        await asyncio.gather(*restarts)
        await _wait_settled(figures, workdir, whatsapp, companies, conversations, limit)
        await _count(figures, workdir, whatsapp, companies, conversations)
    finally:
        procs.stop_all()
        await wa_redis.aclose()
    figures.elapsed_seconds = round(time.monotonic() - began, 1)
    return figures


def _message_id(c: int, step: int) -> str:
    return f"3A{c:07d}{step:02d}"


async def _restart(server: RedisServer, down_seconds: float) -> None:
    await asyncio.to_thread(server.stop, signal.SIGTERM)  # Redis fsyncs its AOF on SIGTERM
    await asyncio.sleep(down_seconds)
    await asyncio.to_thread(server.start)


async def _wait_settled(
    figures: ChaosFigures, workdir: Path, whatsapp: object, companies: int, conversations: int, limit: float
) -> None:
    deadline = time.monotonic() + limit
    while True:
        expected, sent, pending = await _snapshot(workdir, whatsapp, companies, conversations)
        if pending == 0 and sum(map(len, expected.values())) <= sum(map(len, sent.values())):
            await asyncio.sleep(1.0)  # late duplicates would show up here
            return
        if time.monotonic() > deadline:
            figures.problems.append(f"timed out: {pending} message(s) not handled")
            return
        await asyncio.sleep(0.5)


async def _snapshot(
    workdir: Path, whatsapp: object, companies: int, conversations: int
) -> tuple[dict[int, list[str]], dict[int, list[str]], int]:
    """(expected replies per chat, sent per chat, inbound messages not handled) from the store and fake WhatsApp."""
    db = sqlite3.connect(workdir / "booking_bot.sqlite3", timeout=30)
    try:
        done = {
            (co, mid): bool(handled)
            for co, mid, handled in db.execute("SELECT company_id, message_id, done FROM inbound")
        }
        replies: dict[tuple[str, str], list[str]] = defaultdict(list)
        for co, reply_to, text in db.execute("SELECT company_id, reply_to, text FROM outbound ORDER BY seq"):
            replies[(co, reply_to)].append(text)
    finally:
        db.close()
    expected: dict[int, list[str]] = {}
    sent: dict[int, list[str]] = {}
    sent_by_number: dict[int, list[dict[str, str]]] = {}
    pending = 0
    for c in range(conversations):
        n = c % companies
        texts: list[str] = []
        for step in range(4):
            key = (company_id(n), _message_id(c, step))
            if not done.get(key, False):
                pending += 1
            texts.extend(replies.get(key, []))
        expected[c] = texts
        if n not in sent_by_number:
            sent_by_number[n] = await whatsapp.sent(number(n))  # type: ignore[attr-defined]
        chat = f"{customer(c)}@s.whatsapp.net"
        sent[c] = [entry["text"] for entry in sent_by_number[n] if entry["to"] == chat]
    return expected, sent, pending


async def _count(figures: ChaosFigures, workdir: Path, whatsapp: object, companies: int, conversations: int) -> None:
    expected, sent, pending = await _snapshot(workdir, whatsapp, companies, conversations)
    figures.lost_inbound = pending
    told: set[tuple[str, str]] = set()
    for c in range(conversations):
        want, got = expected[c], sent[c]
        figures.expected_replies += len(want)
        figures.sent_replies += len(got)
        figures.lost_replies += sum((Counter(want) - Counter(got)).values())
        figures.duplicate_replies += sum((Counter(got) - Counter(want)).values())
        if any(text.startswith(BOOKED_PREFIX) for text in set(got)):
            told.add((company_id(c % companies), f"{customer(c)}@s.whatsapp.net"))
    figures.told_booked = len(told)
    db = sqlite3.connect(workdir / "calendar.sqlite3", timeout=30)
    try:
        live = db.execute(
            "SELECT company_id, customer_id, staff_id, start_at, end_at FROM bookings WHERE status != 'cancelled'"
        ).fetchall()
    finally:
        db.close()
    figures.live_bookings = len(live)
    owners = Counter((co, cust) for co, cust, *_ in live)
    figures.double_bookings = sum(n - 1 for n in owners.values() if n > 1)
    by_staff: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    for co, _cust, staff, start, end in live:
        by_staff[(co, staff)].append((datetime.fromisoformat(start), datetime.fromisoformat(end)))
    for spans in by_staff.values():
        spans.sort()
        figures.double_bookings += sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])
    booked = set(owners)
    figures.booked_without_telling = len(booked - told)
    figures.told_without_booking = len(told - booked)


def gateway_process() -> int:
    """`booking-bot gateway` with fake neonize clients; the fake WhatsApp lives in FAKEWA_REDIS_URL."""
    from redis.asyncio import Redis

    from booking_bot.gateway.app import main
    from tests.fakes.neonize_fake import FakeClientFactory

    return main(["--port", "0"], factory=FakeClientFactory(Redis.from_url(os.environ["FAKEWA_REDIS_URL"])))


if __name__ == "__main__":
    if sys.argv[1:] != ["gateway"]:
        raise SystemExit("usage: python -m tests.chaos.harness gateway")
    raise SystemExit(gateway_process())
