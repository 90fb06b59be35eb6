"""The gateway's and the worker's own work per message, in one process: no worker pool, no other process.

    .venv/bin/python benchmarks/handler.py [--conversations 1000] [--companies 20] [--redis-url URL] [--json]

Booking conversations of 4 messages (the pipeline benchmark's) on the production stack (`build_production`: SQLite
store and built-in calendar in a temp dir, conversation state, locks and the outbound stream in Redis — a private
redis-server unless --redis-url names a database this run may flush). Each message passes the gateway's
`InboundGate` (dedupe mark, durable insert, Dramatiq enqueue — the jobs stay queued) and is then handled as the
`handle_inbound` actor does, one after another, steps interleaved over the chats. Prints the CPU time per message of
each part (this process; Redis's own time is not in it; statement tracing adds a little), the SQLite statements per
message (reads, writes, transactions) and the Redis commands per message (Redis's INFO commandstats, which counts
the commands a Lua script runs too), both parts together.

The pipeline benchmark's "workers" figure is this plus Dramatiq's fetch/ack, the hand-over between its threads and
its event loop, and what sharing the SQLite file with other processes costs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.procs import RedisServer, machine
from benchmarks.workload import booking_script, company_id, customer, seed_companies

WARM_UP_CONVERSATIONS = 10


@dataclass
class HandlerFigures:
    machine: str
    messages: int
    gateway_cpu_ms: float  # per message: InboundGate
    worker_cpu_ms: float  # per message: handle_inbound
    wall_ms: float  # both
    sql: dict[str, float] = field(default_factory=dict)  # per message
    redis: dict[str, float] = field(default_factory=dict)  # per message, by command

    def format(self) -> str:
        sql = "   ".join(f"{kind} {count:.2f}" for kind, count in self.sql.items())
        redis = "   ".join(f"{name} {count:.2f}" for name, count in self.redis.items())
        return "\n".join(
            [
                f"machine: {self.machine}",
                f"messages: {self.messages} (4-message booking conversations, one process)",
                f"CPU per message: gateway's part {self.gateway_cpu_ms:.3f} ms   worker's handling "
                f"{self.worker_cpu_ms:.3f} ms   (wall, both: {self.wall_ms:.3f} ms)",
                f"SQLite statements per message: {sql}",
                f"Redis commands per message (those inside Lua scripts too): {redis}   "
                f"total {sum(self.redis.values()):.2f}",
            ]
        )


def _kind(sql: str) -> str:
    verb = sql.lstrip().split(None, 1)[0].upper()
    if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
        return "transactions" if verb == "BEGIN" else "_"
    return "reads" if verb == "SELECT" else "writes"


async def _commandstats(redis: object) -> Counter[str]:
    info = await redis.info("commandstats")  # type: ignore[attr-defined]
    return Counter({name.removeprefix("cmdstat_"): stats["calls"] for name, stats in info.items()})


async def run(redis_url: str, conversations: int, companies: int) -> HandlerFigures:
    from redis.asyncio import Redis

    from booking_bot.composition import build_production
    from booking_bot.domain import InboundMessage
    from booking_bot.gateway.inbound import InboundGate
    from booking_bot.pipeline import handle_inbound
    from booking_bot.settings import Settings

    flush = Redis.from_url(redis_url)
    await flush.flushdb()
    await flush.aclose()
    data_dir = Path(tempfile.mkdtemp(prefix="bb-handler-"))
    await seed_companies(data_dir, companies)
    settings = Settings(broker="redis", redis_url=redis_url, data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    production = build_production(settings)
    gate = InboundGate(production.redis, production.services, timedelta(hours=72))
    store = production.services.store
    statements: Counter[str] = Counter()

    def trace(sql: str) -> None:
        statements[_kind(sql)] += 1

    connections: list[sqlite3.Connection] = [store._conn, production.calendar._conn]  # type: ignore[attr-defined]
    messages = [
        InboundMessage(
            company_id=company_id(c % companies),
            message_id=f"3A{c:07d}{step:02d}",
            chat_id=f"{customer(c)}@s.whatsapp.net",
            phone=f"+{customer(c)}",
            sender_name="Alex",
            text=booking_script(c // companies)[step],
            received_at=production.services.clock(),
        )
        for step in range(4)
        for c in range(conversations + WARM_UP_CONVERSATIONS)
    ]
    warm_up = [m for m in messages if int(m.message_id[2:9]) >= conversations]
    measured = [m for m in messages if int(m.message_id[2:9]) < conversations]
    try:
        for message in warm_up:
            await gate(message)
            await handle_inbound(production.services, message.company_id, message.chat_id, message.message_id)
        for connection in connections:
            connection.set_trace_callback(trace)
        before = await _commandstats(production.redis)
        gateway_cpu = worker_cpu = 0.0
        began_wall = time.perf_counter()
        for message in measured:
            began = time.process_time()
            await gate(message)
            handed = time.process_time()
            await handle_inbound(production.services, message.company_id, message.chat_id, message.message_id)
            gateway_cpu += handed - began
            worker_cpu += time.process_time() - handed
        wall = time.perf_counter() - began_wall
        for connection in connections:
            connection.set_trace_callback(None)
        commands = await _commandstats(production.redis) - before
        commands["info"] -= 1  # our own second INFO
    finally:
        await production.aclose()
    count = len(measured)
    return HandlerFigures(
        machine=machine(),
        messages=count,
        gateway_cpu_ms=round(gateway_cpu * 1000 / count, 3),
        worker_cpu_ms=round(worker_cpu * 1000 / count, 3),
        wall_ms=round(wall * 1000 / count, 3),
        sql={k: round(statements[k] / count, 2) for k in ("reads", "writes", "transactions")},
        redis={name: round(n / count, 2) for name, n in sorted(commands.items()) if n / count >= 0.005},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default=None, help="a database this run may flush (default: a private server)")
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = args.redis_url or stack.enter_context(RedisServer(aof=False)).url
        figures = asyncio.run(run(url, args.conversations, args.companies))
    print(json.dumps({**asdict(figures), "ok": True}) if args.json else figures.format())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
