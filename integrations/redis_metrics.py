"""A `Metrics` registry whose counters are also added up in Redis (one hash shared by every worker), so that the
gateway's /metrics shows the parse stages and booking outcomes of all workers."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from redis import Redis as SyncRedis
from redis import RedisError

from booking_bot.metrics import Metrics
from integrations import redis_keys as keys

log = logging.getLogger(__name__)
SHARED = keys.SHARED_METRICS


def series(name: str, labels: dict[str, str]) -> str:
    if not labels:
        return name
    inner = ",".join(f'{k}="{escape(v)}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}"


def escape(value: str) -> str:
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
