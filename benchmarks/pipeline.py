"""Pipeline benchmark: inbound messages through the real path, against a raw Dramatiq no-op floor on the same Redis.

    .venv/bin/python benchmarks/pipeline.py [--messages 4000] [--companies 20] [--workers 2] [--threads 8]
                                            [--rounds 3] [--half-seconds 10] [--redis-url URL] [--json]

One run, one Redis (a private redis-server on a free port unless --redis-url names a database to flush), worker
processes started as `booking-bot worker` runs them (plus one no-op actor for the floor):

1. **Floor**: `noop.send(seq)` as fast as one producer can, a sync actor that only XADDs its sequence number (the
   completion record; one Redis write, like the pipeline's reply). Throughput = messages / (last completion - first
   send).
2. **Pipeline, maximum**: the gateway's path for each message — `InboundGate` (SET NX dedupe, `accept_inbound`:
   SQLite insert + enqueue `handle_inbound`, then the dedupe mark) — then a worker runs stage 1, the dialogue policy
   and the built-in calendar (a local SQLite file: scheduling at ~0 ms), records the replies and hands them to the
   worker's channel (XADD to the company's outbound stream; the gateway's human-paced sending is not part of this).
   Booking conversations of 4 messages ("Hi", "a men's haircut", "<day> at <time> with <staff>", "yes") on many
   chats. One feeder per company, as the gateway runs one FIFO per WhatsApp session: a company's messages in order,
   the companies side by side.
   Steps 1 and 2 run `--rounds` times, alternating; the median round of each is reported (this machine's figures
   move ±10 % from run to run).
3. **Pipeline at half the maximum**: an open-loop producer at 50 % of the measured throughput for `--half-seconds`;
   latency = reply handed to the channel − message handed to the gate (Redis stream ids: millisecond clock).
   The floor is measured the same way at the same rate.

For the two maximum runs it also prints the CPU time per message of this process (the producer: the gateway's
path), the worker processes and Redis (/proc), which is where the ratio is decided on a 2-core machine.

Prints the figures (and `--json`); exits 1 when the ratio is under 0.4 or p99 over 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.procs import ROOT, RedisServer, cpu_seconds, machine, percentile, running
from benchmarks.workload import booking_script, company_id, customer, seed_companies

FLOOR_STREAM = "bb:bench:floor"
FLOOR_QUEUE = "bench_floor"
RATIO_TARGET = 0.4
P99_TARGET_MS = 100.0


@dataclass
class Phase:
    messages: int
    seconds: float
    throughput: float
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    send_seconds: float = 0.0  # how long the producer took to hand every message over
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per message: producer, workers, redis


@dataclass
class PipelineFigures:
    machine: str
    workers: int
    threads: int
    floor_max: Phase | None = None
    pipeline_max: Phase | None = None
    floor_half: Phase | None = None
    pipeline_half: Phase | None = None
    half_rate: float = 0.0
    ratio: float = 0.0
    rounds: list[list[float]] = field(default_factory=list)  # [floor, pipeline] msg/s of each maximum round
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and self.ratio >= RATIO_TARGET
            and self.pipeline_half is not None
            and self.pipeline_half.p99_ms <= P99_TARGET_MS
        )


# --- the worker process ------------------------------------------------------------------------------------------


def declare_floor_actor(broker: Any, redis_url: str) -> Any:
    import dramatiq
    import redis

    client = redis.Redis.from_url(redis_url)

    def bench_noop(seq: int) -> None:
        client.xadd(FLOOR_STREAM, {"seq": seq})

    return dramatiq.actor(bench_noop, broker=broker, actor_name="bench_noop", queue_name=FLOOR_QUEUE, max_retries=0)


def worker_process() -> int:
    """`booking-bot worker` (booking_bot.worker.main) with the floor's no-op actor declared on the same broker."""
    import dramatiq

    from booking_bot.composition import build_production
    from booking_bot.settings import Settings
    from booking_bot.worker import WORKER_TIMEOUT_MS

    settings = Settings()
    production = build_production(settings)
    broker = production.jobs.broker
    declare_floor_actor(broker, settings.redis_url.get_secret_value())
    worker = dramatiq.Worker(broker, worker_threads=settings.worker.threads, worker_timeout=WORKER_TIMEOUT_MS)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker.start()
    try:
        stop.wait()
    finally:
        worker.stop(timeout=10_000)
        production.close_files()
    return 0


# --- the producer ------------------------------------------------------------------------------------------------


def _entry_ms(entry_id: bytes) -> int:
    return int(entry_id.split(b"-")[0])


class Bench:
    def __init__(self, redis_url: str, data_dir: Path, companies: int) -> None:
        from datetime import timedelta

        from booking_bot.composition import build_production
        from booking_bot.gateway.inbound import InboundGate
        from booking_bot.settings import Settings

        settings = Settings(broker="redis", redis_url=redis_url, data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
        self.production = build_production(settings)
        self.noop = declare_floor_actor(self.production.jobs.broker, redis_url)
        self.gate = InboundGate(self.production.redis, self.production.services, timedelta(hours=72))
        self.redis = self.production.redis
        self.companies = companies
        self.chats = 0

    async def close(self) -> None:
        await self.production.aclose()

    # floor
    async def floor(self, count: int, rate: float | None) -> Phase:
        start_seq = await self.redis.xlen(FLOOR_STREAM)
        tail = await self.redis.xrevrange(FLOOR_STREAM, count=1)
        last = tail[0][0] if tail else "0-0"
        sent: dict[int, float] = {}
        began = time.time()
        for i in range(count):
            if rate:
                await _pace(began, i, rate)
            seq = start_seq + i
            sent[seq] = time.time()
            self.noop.send(seq)
        done: dict[int, int] = {}
        deadline = time.monotonic() + 120
        while len(done) < count and time.monotonic() < deadline:
            reply = await self.redis.xread({FLOOR_STREAM: last}, count=1000, block=500)
            for _stream, items in reply or []:
                for entry_id, fields in items:
                    done[int(fields[b"seq"])] = _entry_ms(entry_id)
                    last = entry_id
        return _phase(sent, done, count)

    # pipeline
    async def pipeline(self, count: int, rate: float | None) -> Phase:
        from booking_bot.domain import InboundMessage

        conversations = (count + 3) // 4
        first_chat = self.chats
        self.chats += conversations
        plan: list[tuple[int, int, str]] = []  # (chat, step, text), steps interleaved over chats
        for step in range(4):
            for c in range(first_chat, first_chat + conversations):
                plan.append((c, step, booking_script(c // self.companies)[step]))
        plan = plan[:count]
        positions = {company_id(n): await self._stream_end(company_id(n)) for n in range(self.companies)}
        sent: dict[str, float] = {}
        began = time.time()
        now = self.production.services.clock

        async def feed(company: int) -> None:
            # One feeder per company, like one WhatsApp session: its messages in order, the sessions side by side.
            for i, (c, step, text) in enumerate(plan):
                if c % self.companies != company:
                    continue
                if rate:
                    await _pace(began, i, rate)
                message_id = f"3A{c:07d}{step:02d}"
                sent[f"{company_id(company)}:{message_id}"] = time.time()
                await self.gate(
                    InboundMessage(
                        company_id=company_id(company),
                        message_id=message_id,
                        chat_id=f"{customer(c)}@s.whatsapp.net",
                        phone=f"+{customer(c)}",
                        sender_name="Alex",
                        text=text,
                        received_at=now(),
                    )
                )

        await asyncio.gather(*(feed(n) for n in range(self.companies)))
        done: dict[str, int] = {}
        deadline = time.monotonic() + 300
        while len(done) < len(sent) and time.monotonic() < deadline:
            streams = {f"bb:out:{co}": pos for co, pos in positions.items()}
            reply = await self.redis.xread(streams, count=1000, block=500)  # type: ignore[arg-type]
            for stream, items in reply or []:
                co = stream.decode().removeprefix("bb:out:")
                for entry_id, fields in items:
                    positions[co] = entry_id
                    _, key_company, message_id, _index = fields[b"key"].decode().split(":")
                    key = f"{key_company}:{message_id}"
                    done[key] = max(done.get(key, 0), _entry_ms(entry_id))  # the last reply completes it
        return _phase(sent, done, len(sent))

    async def _stream_end(self, company: str) -> bytes | str:
        last = await self.redis.xrevrange(f"bb:out:{company}", count=1)
        return last[0][0] if last else "0-0"


class CpuMeter:
    """CPU seconds used by this process (the producer: the gateway's path), the workers and Redis during a phase."""

    def __init__(self) -> None:
        self.groups: dict[str, list[int]] = {"producer": [os.getpid()], "workers": [], "redis": []}

    def snapshot(self) -> dict[str, float]:
        return {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in self.groups.items() if pids}

    def per_message(self, before: dict[str, float], count: int) -> dict[str, float]:
        after = self.snapshot()
        return {name: round((after[name] - before[name]) * 1000 / count, 3) for name in before}


def _median(phases: list[Phase]) -> Phase:
    return sorted(phases, key=lambda p: p.throughput)[len(phases) // 2]


async def _pace(began: float, i: int, rate: float) -> None:
    delay = began + i / rate - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


def _phase(sent: dict[Any, float], done: dict[Any, int], count: int) -> Phase:
    """Throughput from the first send to the last completion; latency per message (ms clock of Redis stream ids)."""
    latencies = [max(0.0, done[k] - sent[k] * 1000) for k in sent if k in done]
    if len(latencies) < count:
        raise RuntimeError(f"only {len(latencies)} of {count} messages completed")
    seconds = max(done.values()) / 1000 - min(sent.values())
    return Phase(
        messages=count,
        seconds=round(seconds, 2),
        throughput=round(count / seconds, 1),
        p50_ms=round(percentile(latencies, 50), 1),
        p95_ms=round(percentile(latencies, 95), 1),
        p99_ms=round(percentile(latencies, 99), 1),
        max_ms=round(max(latencies), 1),
        send_seconds=round(max(sent.values()) - min(sent.values()), 2),
    )


async def run(
    redis_url: str,
    messages: int,
    companies: int,
    workers: int,
    threads: int,
    half_seconds: float,
    redis_pid: int | None = None,
    rounds: int = 3,
) -> PipelineFigures:
    from redis.asyncio import Redis

    figures = PipelineFigures(machine=machine(), workers=workers, threads=threads)
    data_dir = Path(tempfile.mkdtemp(prefix="bb-bench-"))
    flush = Redis.from_url(redis_url)
    await flush.flushdb()
    await flush.aclose()
    await seed_companies(data_dir, companies)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BOOKING_BOT_BROKER": "redis",
        "BOOKING_BOT_REDIS_URL": redis_url,
        "BOOKING_BOT_DATA_DIR": str(data_dir),
        "BOOKING_BOT_LOG_LEVEL": "WARNING",
        "BOOKING_BOT_WORKER_THREADS": str(threads),
    }
    bench = Bench(redis_url, data_dir, companies)
    meter = CpuMeter()
    if redis_pid is not None:
        meter.groups["redis"].append(redis_pid)
    try:
        with running() as procs:
            for w in range(workers):
                meter.groups["workers"].append(procs.start([__file__, "worker"], env, data_dir / f"worker{w}.log").pid)
            await bench.floor(50, rate=None)  # warm-up: the workers are consuming
            await bench.pipeline(4 * companies, rate=None)
            floors: list[Phase] = []
            pipelines: list[Phase] = []
            for _round in range(rounds):  # this machine's figures move ±10 % run to run: the median of each
                before = meter.snapshot()
                floors.append(await bench.floor(messages, rate=None))
                floors[-1].cpu_ms = meter.per_message(before, messages)
                before = meter.snapshot()
                pipelines.append(await bench.pipeline(messages, rate=None))
                pipelines[-1].cpu_ms = meter.per_message(before, messages)
                figures.rounds.append([floors[-1].throughput, pipelines[-1].throughput])
            figures.floor_max = _median(floors)
            figures.pipeline_max = _median(pipelines)
            figures.ratio = round(figures.pipeline_max.throughput / figures.floor_max.throughput, 3)
            figures.half_rate = round(figures.pipeline_max.throughput / 2, 1)
            count = max(100, int(figures.half_rate * half_seconds))
            figures.pipeline_half = await bench.pipeline(count, rate=figures.half_rate)
            figures.floor_half = await bench.floor(count, rate=figures.half_rate)
    except RuntimeError as exc:
        figures.problems.append(str(exc))
    finally:
        await bench.close()
    return figures


def format_figures(f: PipelineFigures) -> str:
    def row(name: str, p: Phase | None) -> str:
        if p is None:
            return f"{name:<28} -"
        return (
            f"{name:<28} {p.messages:>6} msgs {p.seconds:>7.2f} s {p.throughput:>8.1f} msg/s   "
            f"p50 {p.p50_ms:>6.1f}  p95 {p.p95_ms:>6.1f}  p99 {p.p99_ms:>6.1f}  max {p.max_ms:>7.1f} ms"
        )

    def cpu(name: str, p: Phase | None) -> str:
        if p is None or not p.cpu_ms:
            return f"{name:<28} -"
        parts = "   ".join(f"{group} {ms:.3f}" for group, ms in p.cpu_ms.items())
        return f"{name:<28} CPU ms per message: {parts}   total {sum(p.cpu_ms.values()):.3f}"

    lines = [
        f"machine: {f.machine}",
        f"worker processes: {f.workers}, threads each: {f.threads}",
        "maximum rounds, floor / pipeline msg/s: " + ", ".join(f"{a:.0f} / {b:.0f}" for a, b in f.rounds),
        row("floor (no-op), maximum", f.floor_max) + "   (median round)",
        row("pipeline, maximum", f.pipeline_max) + "   (median round)",
        cpu("floor, maximum", f.floor_max),
        cpu("pipeline, maximum", f.pipeline_max),
        f"throughput ratio pipeline/floor: {f.ratio:.3f} (target >= {RATIO_TARGET})",
        f"half load: {f.half_rate} msg/s",
        row("pipeline at half load", f.pipeline_half),
        row("floor at the same rate", f.floor_half),
        f"p99 at half load: {f.pipeline_half.p99_ms if f.pipeline_half else '-'} ms (target <= {P99_TARGET_MS:.0f})",
        f"verdict: {'OK' if f.ok else 'TARGET MISSED'}" + (f" ({'; '.join(f.problems)})" if f.problems else ""),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        return worker_process()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default=None, help="a database this run may flush (default: a private server)")
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (PM2 runs 2)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--half-seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3, help="maximum runs of each; the median is reported")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        server = None if args.redis_url else stack.enter_context(RedisServer(aof=False))
        url = args.redis_url or server.url  # type: ignore[union-attr]
        redis_pid = server.proc.pid if server is not None and server.proc is not None else None
        figures = asyncio.run(
            run(
                url,
                args.messages,
                args.companies,
                args.workers,
                args.threads,
                args.half_seconds,
                redis_pid,
                args.rounds,
            )
        )
    print(json.dumps({**asdict(figures), "ok": figures.ok}) if args.json else format_figures(figures))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
