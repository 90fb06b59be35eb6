"""/metrics: Prometheus text from this gateway's own counters and from what other processes leave in Redis.

| metric | source |
|---|---|
| `booking_bot_gateway_inbound_total{gateway,result}` | this gateway's process (accepted / duplicate) |
| `booking_bot_messages_out_total`, `booking_bot_outbound_backlog` | Redis: the outbound streams' consumer group |
| `booking_bot_queue_depth{queue}`, `booking_bot_queue_lag_seconds{queue}` | Redis: Dramatiq's queues |
| `booking_bot_sessions{state}` | Redis: the status every gateway publishes per company |
| `booking_bot_understanding_total`, `booking_bot_stage2_*` | Redis hash `bb:metrics`: the workers' `RedisMetrics` |
| `booking_bot_booking_outcomes_total{op,kind}` | Redis hash `bb:metrics`: the workers' `CountingBackend` |
| `booking_bot_number_*{company}`: messages_24h, paused, warmup_day, proactive_left | Redis: each number's health |
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter

from redis.asyncio import Redis

from booking_bot.gateway.api.health import health_metrics
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.manager import SessionManager
from booking_bot.jobs import INBOUND_QUEUE, REMINDER_QUEUE
from integrations import redis_keys as keys
from integrations.redis_metrics import SHARED, escape

log = logging.getLogger(__name__)


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
    gateway = escape(manager.config.gateway_id)
    lines = [
        "# TYPE booking_bot_gateway_inbound_total counter",
        f'booking_bot_gateway_inbound_total{{gateway="{gateway}",result="accepted"}} {gate.accepted}',
        f'booking_bot_gateway_inbound_total{{gateway="{gateway}",result="duplicate"}} {gate.duplicates}',
        "# TYPE booking_bot_gateway_sessions_held gauge",
        f'booking_bot_gateway_sessions_held{{gateway="{gateway}"}} {len(manager.held)}',
    ]
    lines += await _sessions(redis, companies)
    lines += await _outbound(redis, companies)
    lines += await health_metrics(redis, manager.outbound, companies)
    lines += await _queues(redis, time.time())
    shared = await redis.hgetall(SHARED)  # type: ignore[misc]
    lines += [f"{_text(field)} {float(value):g}" for field, value in sorted(shared.items())]
    return "\n".join(lines) + "\n"
