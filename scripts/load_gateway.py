"""The gateway's done-when load run: gateways and workers as separate processes, fake WhatsApp in Redis.

    .venv/bin/python scripts/load_gateway.py run [--companies 100] [--conversations 1000] [--gateways 2] [--workers 2]

Seeds the companies (SQLite store + built-in calendar in a temp dir, numbers in Redis), starts the processes as PM2
would (`gateway` below = `booking-bot gateway` with fake neonize clients; `booking_bot.worker` = `booking-bot worker`),
delivers each conversation's messages (every 5th message a second time in its LID form), SIGKILLs one gateway
halfway, then checks every chat: the replies WhatsApp got must equal the replies the store recorded, in order.
Prints the figures; exits 1 when a reply was lost, duplicated or out of order, or the takeover took over 15 s.
`tests/gateway/test_load.py` runs a small version.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MESSAGES = ["Hi", "I'd like a men's haircut", "tomorrow at 5pm with Bari"]
TAKEOVER_LIMIT_SECONDS = 15.0


@dataclass
class Figures:
    companies: int
    conversations: int
    messages: int = 0
    duplicate_deliveries: int = 0
    expected_replies: int = 0
    sent_replies: int = 0
    lost: int = 0
    duplicated: int = 0
    out_of_order_chats: int = 0
    takeover_seconds: float | None = None
    moved_companies: int = 0
    replaced_sessions: int = 0
    ambiguous_resends: int = 0
    kill_signal: str = "SIGKILL"
    elapsed_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        # A SIGKILLed gateway may die between a send and its "sent" mark: those replies are resent (at least once,
        # never lost) and counted. Every duplicate must be one of them; after a graceful stop there are none.
        return (
            self.lost == 0
            and self.duplicated <= self.ambiguous_resends
            and self.out_of_order_chats == 0
            and self.replaced_sessions == 0
            and self.expected_replies > 0
            and (self.takeover_seconds is None or self.takeover_seconds <= TAKEOVER_LIMIT_SECONDS)
        )


def company_id(n: int) -> str:
    return f"salon-{n:03d}"


def number(n: int) -> str:
    return f"1555{n:07d}"


def customer(c: int) -> str:
    return f"7900{c:07d}"


def process_env(redis_url: str, data_dir: Path, fast: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "BOOKING_BOT_BROKER": "redis",
            "BOOKING_BOT_REDIS_URL": redis_url,
            "BOOKING_BOT_DATA_DIR": str(data_dir),
            "BOOKING_BOT_LOG_LEVEL": "WARNING",
            "BOOKING_BOT_GATEWAY_LEASE_TTL_SECONDS": "3" if fast else "10",
            "BOOKING_BOT_GATEWAY_LEASE_RENEW_SECONDS": "0.5" if fast else "3",
            "BOOKING_BOT_GATEWAY_TYPING_MIN_SECONDS": "0",
            "BOOKING_BOT_GATEWAY_TYPING_SECONDS_PER_CHAR": "0",
            "BOOKING_BOT_GATEWAY_TYPING_MAX_SECONDS": "0",
            "BOOKING_BOT_GATEWAY_SEND_INTERVAL_SECONDS": "0",
            "BOOKING_BOT_GATEWAY_SHUTDOWN_SECONDS": "5",
            "BOOKING_BOT_WORKER_THREADS": "4",
            "BOOKING_BOT_ADMIN_TOKEN": "load-test-admin-token-0123456789abcdef",
        }
    )
    return env


async def seed(redis_url: str, data_dir: Path, companies: int) -> None:
    from redis.asyncio import Redis

    from booking_bot.domain import Company
    from integrations import redis_keys as keys
    from integrations.scheduling.builtin.calendar import BuiltinCalendar
    from integrations.scheduling.builtin.demo_salon import DEMO_HOURS, DEMO_SERVICES, DEMO_STAFF
    from integrations.storage.sqlite import SqliteStore

    store = SqliteStore(data_dir / "booking_bot.sqlite3", _now)
    calendar = BuiltinCalendar(data_dir / "calendar.sqlite3", _now)
    redis = Redis.from_url(redis_url)
    try:
        await redis.flushdb()
        for n in range(companies):
            await store.upsert_company(
                Company(id=company_id(n), name=f"Salon {n}", timezone="Europe/Moscow", currency="RUB")
            )
            for service in DEMO_SERVICES:
                calendar.add_service(company_id(n), service)
            for member in DEMO_STAFF:
                calendar.add_staff(company_id(n), member, DEMO_HOURS)
            await redis.sadd(keys.COMPANIES, company_id(n))
            await redis.hset(keys.JIDS, company_id(n), number(n))
    finally:
        await redis.aclose()
        store.close()
        calendar.close()


def _now() -> object:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def start(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, *args], env=env, cwd=log_path.parent, stdout=log, stderr=log)


async def wait_connected(redis_url: str, companies: int, gateways: int, limit: float) -> None:
    """Every company connected, spread over every gateway."""
    from redis.asyncio import Redis

    from integrations import redis_keys as keys

    redis = Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            states = [await redis.hget(keys.status(company_id(n)), "state") for n in range(companies)]
            holders = {await _holder(redis, n) for n in range(companies)}
            if all(state == b"connected" for state in states) and len(holders) == min(gateways, companies):
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"not every company connected in {limit:.0f}s")
    finally:
        await redis.aclose()


async def run_load(
    redis_url: str,
    companies: int,
    conversations: int,
    gateways: int = 2,
    workers: int = 2,
    kill: bool = True,
    fast: bool = True,
    limit: float = 600.0,
    kill_signal: signal.Signals = signal.SIGKILL,
    data_dir: Path | None = None,
) -> Figures:
    from redis.asyncio import Redis

    from integrations import redis_keys as keys
    from integrations.storage.sqlite import SqliteStore
    from tests.fakes.neonize_fake import FakeWhatsApp, jid, message_event

    figures = Figures(companies=companies, conversations=conversations, kill_signal=kill_signal.name)
    began = time.monotonic()
    workdir = data_dir or Path(tempfile.mkdtemp(prefix="bb-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    await seed(redis_url, workdir, companies)
    env = process_env(redis_url, workdir, fast)
    procs: list[subprocess.Popen[bytes]] = []
    redis = Redis.from_url(redis_url)
    server = FakeWhatsApp(redis)
    try:
        gateway_procs = [
            start(
                [__file__, "gateway", "--port", "0"],
                {**env, "BOOKING_BOT_GATEWAY_ID": f"gw{g}"},
                workdir / f"gw{g}.log",
            )
            for g in range(gateways)
        ]
        procs += gateway_procs
        procs += [start(["-m", "booking_bot.worker"], env, workdir / f"worker{w}.log") for w in range(workers)]
        await wait_connected(redis_url, companies, gateways, limit=60)

        # Deliver: conversations interleaved, each chat's messages in order; every 5th also in its LID form.
        ids: dict[int, list[str]] = {}
        kill_at = conversations * len(MESSAGES) // 2
        delivered = 0
        killed_at: float | None = None
        victims: set[str] = set()
        for step in range(len(MESSAGES)):
            for c in range(conversations):
                n = c % companies
                message_id = f"3A{c:06d}{step:02d}"
                ids.setdefault(c, []).append(message_id)
                phone = jid(customer(c))
                await server.deliver(number(n), message_event(message_id, phone, text=MESSAGES[step], push_name="Alex"))
                figures.messages += 1
                if delivered % 5 == 0:
                    lid_form = message_event(
                        message_id, jid(f"9{c:09d}", "lid"), text=MESSAGES[step], sender_alt=phone, push_name="Alex"
                    )
                    await server.deliver(number(n), lid_form)
                    figures.duplicate_deliveries += 1
                delivered += 1
                if kill and killed_at is None and delivered >= kill_at:
                    victims = {company_id(m) for m in range(companies) if await _holder(redis, m) == "gw0"}
                    gateway_procs[0].send_signal(kill_signal)
                    killed_at = time.monotonic()
        if killed_at is not None:
            figures.moved_companies = len(victims)
            while time.monotonic() - killed_at < 60:
                holders = {company_id(m): await _holder(redis, m) for m in range(companies)}
                if all(holders[c] not in (None, "gw0") for c in victims):
                    figures.takeover_seconds = round(time.monotonic() - killed_at, 2)
                    break
                await asyncio.sleep(0.1)

        # Wait until every message is handled and every recorded reply reached WhatsApp.
        store = SqliteStore(workdir / "booking_bot.sqlite3", _now)
        try:
            deadline = time.monotonic() + limit
            while True:
                expected, sent = await _replies(store, server, ids, companies)
                all_done = all(
                    [
                        await store.inbound_done(company_id(c % companies), message_id)
                        for c, message_ids in ids.items()
                        for message_id in message_ids
                    ]
                )
                if all_done and sum(map(len, expected.values())) == sum(map(len, sent.values())):
                    break
                if time.monotonic() > deadline:
                    figures.problems.append("timed out waiting for replies")
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0 if fast else 3.0)  # late duplicates would show up here
            expected, sent = await _replies(store, server, ids, companies)
        finally:
            store.close()
        for c in ids:
            want, got = expected[c], sent[c]
            figures.expected_replies += len(want)
            figures.sent_replies += len(got)
            missing = Counter(want) - Counter(got)
            extra = Counter(got) - Counter(want)
            figures.lost += sum(missing.values())
            figures.duplicated += sum(extra.values())
            if not missing and not extra and want != got:
                figures.out_of_order_chats += 1
        figures.replaced_sessions = await server.replaced()
        figures.ambiguous_resends = int(await redis.get(keys.AMBIGUOUS_RESENDS) or 0)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        await redis.aclose()
    figures.elapsed_seconds = round(time.monotonic() - began, 1)
    return figures


async def _holder(redis: object, n: int) -> str | None:
    from integrations import redis_keys as keys

    value = await redis.get(keys.lease(company_id(n)))  # type: ignore[attr-defined]
    return value.decode() if value else None


async def _replies(
    store: object, server: object, ids: dict[int, list[str]], companies: int
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    expected: dict[int, list[str]] = {}
    sent_by_number: dict[int, list[dict[str, str]]] = {}
    sent: dict[int, list[str]] = {}
    for c, message_ids in ids.items():
        n = c % companies
        texts: list[str] = []
        for message_id in message_ids:
            replies = await store.outbound_replies(company_id(n), message_id)  # type: ignore[attr-defined]
            texts.extend(reply.text for reply in replies)
        expected[c] = texts
        if n not in sent_by_number:
            sent_by_number[n] = await server.sent(number(n))  # type: ignore[attr-defined]
        chat = f"{customer(c)}@s.whatsapp.net"
        sent[c] = [entry["text"] for entry in sent_by_number[n] if entry["to"] == chat]
    return expected, sent


def gateway_process(argv: list[str]) -> int:
    """One gateway process with fake neonize clients (what `booking-bot gateway` runs with real ones)."""
    from redis.asyncio import Redis

    from booking_bot.gateway.app import main
    from booking_bot.settings import Settings
    from tests.fakes.neonize_fake import FakeClientFactory

    settings = Settings()
    return main(argv, factory=FakeClientFactory(Redis.from_url(settings.redis_url.get_secret_value())))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "gateway":
        return gateway_process(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14", help="a database this run may flush")
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--gateways", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--kill-signal", choices=["KILL", "TERM"], default="KILL", help="how gateway 0 dies mid-run")
    parser.add_argument("--production-leases", action="store_true", help="lease TTL 10 s / renew 3 s (default 3/0.5)")
    args = parser.parse_args(argv)
    figures = asyncio.run(
        run_load(
            args.redis_url,
            args.companies,
            args.conversations,
            args.gateways,
            args.workers,
            kill=not args.no_kill,
            fast=not args.production_leases,
            kill_signal=signal.Signals[f"SIG{args.kill_signal}"],
        )
    )
    print(json.dumps({**figures.__dict__, "ok": figures.ok}, indent=2))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
