"""/metrics: Prometheus text from this gateway's own counters and from what other processes leave in Redis.

| metric | source |
|---|---|
| `booking_bot_gateway_inbound_total{gateway,result}` | this gateway's process (accepted / duplicate) |
| `booking_bot_messages_out_total`, `booking_bot_outbound_backlog` | Redis: the outbound streams' consumer group |
| `booking_bot_queue_depth{queue}`, `booking_bot_queue_lag_seconds{queue}` | Redis: Dramatiq's queues |
| `booking_bot_sessions{state}` | Redis: the status every gateway publishes per company |
| `booking_bot_understanding_total`, `booking_bot_stage2_*` | Redis hash `bb:metrics`: the workers' `RedisMetrics` |
| `booking_bot_booking_outcomes_total{op,kind}` | Redis hash `bb:metrics`: the workers' `CountingBackend` |
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from datetime import date, datetime

from redis import Redis as SyncRedis
from redis import RedisError
from redis.asyncio import Redis

from booking_bot.domain import Booking, Company, Customer, Outcome, Service, Slot, StaffMember
from booking_bot.gateway import keys
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.manager import SessionManager
from booking_bot.ports import SchedulingBackend
from booking_bot.queue import INBOUND_QUEUE
from booking_bot.reminders.actors import REMINDER_QUEUE
from booking_bot.understanding import Metrics

log = logging.getLogger(__name__)
SHARED = "bb:metrics"  # hash: 'name{labels}' → value, added to by every worker
OUTCOMES = "booking_bot_booking_outcomes_total"  # labels op, kind


def series(name: str, labels: dict[str, str]) -> str:
    if not labels:
        return name
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class RedisMetrics(Metrics):
    """A `Metrics` registry whose counters are also added up in Redis for the gateway's /metrics. Increments are
    batched: at most one round trip per `flush_seconds` (call `flush()` at shutdown). Histograms go to Redis as
    `_sum` and `_count` only."""

    def __init__(self, redis: SyncRedis, flush_seconds: float = 1.0) -> None:
        super().__init__()
        self._redis = redis
        self._flush_seconds = flush_seconds
        self._pending: Counter[str] = Counter()
        self._pending_lock = threading.Lock()
        self._last_flush = time.monotonic()

    def inc(self, name: str, value: float = 1.0, **labels: str) -> None:
        super().inc(name, value, **labels)
        self._add({series(name, labels): value})

    def observe(self, name: str, seconds: float) -> None:
        super().observe(name, seconds)
        self._add({f"{name}_sum": seconds, f"{name}_count": 1.0})

    def _add(self, deltas: dict[str, float]) -> None:
        with self._pending_lock:
            self._pending.update(deltas)
            due = time.monotonic() - self._last_flush >= self._flush_seconds
        if due:
            self.flush()

    def flush(self) -> None:
        with self._pending_lock:
            batch, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        if not batch:
            return
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for field, value in batch.items():
                    pipe.hincrbyfloat(SHARED, field, value)
                pipe.execute()
        except RedisError:
            log.warning("metrics flush to Redis failed; kept for the next one")
            with self._pending_lock:
                self._pending.update(batch)


class CountingBackend:
    """A `SchedulingBackend` that counts the typed outcomes of book / move / cancel / confirm in `metrics`."""

    def __init__(self, backend: SchedulingBackend, metrics: Metrics) -> None:
        self._backend = backend
        self._metrics = metrics

    def _count(self, op: str, outcome: Outcome) -> Outcome:
        self._metrics.inc(OUTCOMES, op=op, kind=outcome.kind.value)
        return outcome

    async def services(self, company: Company) -> list[Service]:
        return await self._backend.services(company)

    async def staff(self, company: Company) -> list[StaffMember]:
        return await self._backend.staff(company)

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
    ) -> list[Slot]:
        return await self._backend.free_slots(company, service_id, day, staff_id, ignoring)

    async def book(
        self,
        company: Company,
        customer: Customer,
        service_id: str,
        staff_id: str,
        start: datetime,
        idempotency_key: str,
    ) -> Outcome:
        return self._count(
            "book", await self._backend.book(company, customer, service_id, staff_id, start, idempotency_key)
        )

    async def move(
        self, company: Company, booking: Booking, new_start: datetime, staff_id: str, idempotency_key: str
    ) -> Outcome:
        return self._count("move", await self._backend.move(company, booking, new_start, staff_id, idempotency_key))

    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        return self._count("cancel", await self._backend.cancel(company, booking, idempotency_key))

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        return await self._backend.customer_bookings(company, customer)

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        return await self._backend.current_booking(company, booking)

    async def confirm_visit(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        return self._count("confirm", await self._backend.confirm_visit(company, booking, idempotency_key))


async def _queues(redis: Redis, now: float) -> list[str]:
    lines = [
        "# TYPE booking_bot_queue_depth gauge",
        "# TYPE booking_bot_queue_lag_seconds gauge",
    ]
    for queue in (INBOUND_QUEUE, REMINDER_QUEUE):
        name = f"dramatiq:{queue}"
        async with redis.pipeline(transaction=False) as pipe:
            pipe.llen(name)
            pipe.lindex(name, 0)
            depth, oldest = await pipe.execute()
        lag = 0.0
        if oldest is not None:
            raw = await redis.hget(f"{name}.msgs", oldest)  # type: ignore[misc]
            if raw is not None:
                lag = max(0.0, now - json.loads(raw)["message_timestamp"] / 1000)
        lines.append(f'booking_bot_queue_depth{{queue="{queue}"}} {depth}')
        lines.append(f'booking_bot_queue_lag_seconds{{queue="{queue}"}} {lag:.3f}')
    return lines


async def _outbound(redis: Redis, companies: list[str]) -> list[str]:
    sent = backlog = 0
    for company_id in companies:
        stream = keys.outbound_stream(company_id)
        if not await redis.exists(stream):
            continue
        length = int(await redis.xlen(stream))
        groups = await redis.xinfo_groups(stream)
        group = next((g for g in groups if _text(g.get("name")) == keys.OUTBOUND_GROUP), None)
        if group is None:
            backlog += length
            continue
        read, pending, lag = group.get("entries-read"), int(group.get("pending") or 0), group.get("lag")
        sent += max(0, int(read or 0) - pending)
        backlog += pending + (int(lag) if lag is not None else 0)
    return [
        "# TYPE booking_bot_messages_out_total counter",
        f"booking_bot_messages_out_total {sent}",
        "# TYPE booking_bot_outbound_backlog gauge",
        f"booking_bot_outbound_backlog {backlog}",
    ]


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def _sessions(redis: Redis, companies: list[str]) -> list[str]:
    async with redis.pipeline(transaction=False) as pipe:
        for company_id in companies:
            pipe.hget(keys.status(company_id), "state")
        states = await pipe.execute()
    counts = Counter(_text(state) if state is not None else "waiting" for state in states)
    lines = ["# TYPE booking_bot_sessions gauge"]
    lines += [f'booking_bot_sessions{{state="{state}"}} {count}' for state, count in sorted(counts.items())]
    return lines


async def render_metrics(redis: Redis, manager: SessionManager, gate: InboundGate) -> str:
    companies = sorted(_text(c) for c in await redis.smembers(keys.COMPANIES))  # type: ignore[misc]
    gateway = _escape(manager.config.gateway_id)
    lines = [
        "# TYPE booking_bot_gateway_inbound_total counter",
        f'booking_bot_gateway_inbound_total{{gateway="{gateway}",result="accepted"}} {gate.accepted}',
        f'booking_bot_gateway_inbound_total{{gateway="{gateway}",result="duplicate"}} {gate.duplicates}',
        "# TYPE booking_bot_gateway_sessions_held gauge",
        f'booking_bot_gateway_sessions_held{{gateway="{gateway}"}} {len(manager.held)}',
    ]
    lines += await _sessions(redis, companies)
    lines += await _outbound(redis, companies)
    lines += await _queues(redis, time.time())
    shared = await redis.hgetall(SHARED)  # type: ignore[misc]
    lines += [f"{_text(field)} {float(value):g}" for field, value in sorted(shared.items())]
    return "\n".join(lines) + "\n"
