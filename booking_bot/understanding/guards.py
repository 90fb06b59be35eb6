"""What guards stage 2: a daily call quota, a circuit breaker, and the checks an answer must pass."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from pydantic import ValidationError

from booking_bot.domain import ModelParse, Stage2Request
from booking_bot.understanding.errors import ModelOutputInvalid
from booking_bot.understanding.models import OpeningHours, Rejection


class MemoryCallQuota:
    """In-process daily counters; only the latest days are kept, so the map never grows."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, dt.date], int] = {}
        self._lock = threading.Lock()

    async def take(self, company_id: str, day: dt.date, limit: int) -> bool:
        with self._lock:
            for key in [k for k in self._counts if k[1] < day - dt.timedelta(days=1)]:
                del self._counts[key]
            used = self._counts.get((company_id, day), 0)
            if used >= limit:
                return False
            self._counts[(company_id, day)] = used + 1
            return True


class CircuitBreaker:
    """Opens after `failures` consecutive provider failures; after `cooldown` one trial call goes through
    (half-open): its success closes the circuit, its failure opens it again."""

    def __init__(self, failures: int, cooldown: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.failures = failures
        self.cooldown = cooldown
        self._monotonic = monotonic
        self._consecutive = 0
        self._opened_at: float | None = None
        self._trial = False
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if self._trial or self._monotonic() - self._opened_at < self.cooldown:
                return False
            self._trial = True
            return True

    def release(self) -> None:
        """A let-through call that was never made (the daily cap, a cancellation): the next one may try."""
        with self._lock:
            self._trial = False

    def record_success(self) -> None:
        with self._lock:
            self._consecutive, self._opened_at, self._trial = 0, None, False

    def record_failure(self) -> None:
        with self._lock:
            self._consecutive += 1
            if self._trial or self._consecutive >= self.failures:
                self._opened_at, self._trial = self._monotonic(), False


def check_answer(
    answer: ModelParse, request: Stage2Request, opening_hours: OpeningHours | None = None
) -> tuple[Rejection, ...]:
    """Why a schema-valid answer cannot be used: names not in the catalog, a past day or time, a closed hour."""
    rejections: list[Rejection] = []
    if answer.service_id is not None and answer.service_id not in {e.id for e in request.catalog.services}:
        rejections.append(Rejection.UNKNOWN_SERVICE)
    if answer.staff_id is not None and answer.staff_id not in {e.id for e in request.catalog.staff}:
        rejections.append(Rejection.UNKNOWN_STAFF)
    today, now = request.context.today, request.context.now
    if answer.date is not None and answer.date < today:
        rejections.append(Rejection.PAST_DATE)
    elif answer.date == today and answer.time is not None and now is not None and answer.time <= now:
        rejections.append(Rejection.PAST_TIME)
    if opening_hours is not None and _outside_hours(answer, today, opening_hours):
        rejections.append(Rejection.OUTSIDE_HOURS)
    return tuple(rejections)


def _outside_hours(answer: ModelParse, today: dt.date, opening_hours: OpeningHours) -> bool:
    """A time (or a whole window) when the salon is closed: on the named day, or on every day of the coming week."""
    if answer.time is None and answer.window is None:
        return False
    days = [answer.date] if answer.date is not None else [today + dt.timedelta(days=i) for i in range(7)]
    hours = [w for day in days for w in opening_hours(day)]
    if answer.time is not None:
        return not any(w.start <= answer.time < w.end for w in hours)
    window = answer.window
    assert window is not None
    return not any(w.start < window.end and window.start < w.end for w in hours)


def model_parse_from_json(data: object) -> ModelParse:
    """Validate a decoded JSON answer; raises ModelOutputInvalid (never returns a partial parse)."""
    try:
        return ModelParse.model_validate(data)
    except ValidationError as exc:
        fields = ",".join(sorted({str(err["loc"][0]) if err["loc"] else "-" for err in exc.errors()}))
        raise ModelOutputInvalid(f"schema violation in: {fields}") from None
