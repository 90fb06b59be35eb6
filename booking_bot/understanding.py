"""Two-stage understanding: the local parser always, an LLM (stage 2) only for what stage 1 is unsure of.

`understand(...) -> Understanding` returns the final `ParsedMessage`, which stage decided and why.

Stage 2's answer can only be a parse: `ModelParse` has no free-text field (no instructions, phone numbers or booking
ids), its ids must be in the salon's catalog, its day may not be past and its time must fall in opening hours. An
answer that fails any check is rejected: the message becomes a neutral parse flagged `CLARIFY`, which the dialogue
answers with a short clarifying question, so nothing is ever booked from it. When stage 2 is not configured, is over its
daily cap, its circuit is open or the provider fails within the time budget, stage 1's guess stands (flagged unsure).
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import enum
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from booking_bot.conversation.state import ConversationState
from booking_bot.domain import TimeWindow
from booking_bot.nlu import parse
from booking_bot.nlu.models import Catalog, Expecting, Intent, ParseContext, ParsedMessage

__all__ = [
    "CLARIFY",
    "STAGE2",
    "CallQuota",
    "CircuitBreaker",
    "DecidedBy",
    "DraftSummary",
    "IntentModel",
    "IntentModelError",
    "MemoryCallQuota",
    "Metrics",
    "ModelAnswer",
    "ModelOutputInvalid",
    "ModelParse",
    "ModelRateLimited",
    "ModelRequestRejected",
    "ModelTimeout",
    "ModelUnavailable",
    "OpeningHours",
    "Rejection",
    "Stage2",
    "Stage2Limits",
    "Stage2Request",
    "Understanding",
    "Why",
    "check_answer",
    "understand",
]

log = logging.getLogger(__name__)

CLARIFY = "clarify"  # in ParsedMessage.reasons: do not act on this parse, ask a short clarifying question
STAGE2 = "stage2"  # in ParsedMessage.reasons: stage 2 decided this parse

OpeningHours = Callable[[dt.date], Sequence[TimeWindow]]
"""The salon's opening hours on a local date ([start, end) windows; empty when closed)."""


class DecidedBy(enum.StrEnum):
    STAGE1 = "stage1"
    STAGE2 = "stage2"


class Why(enum.StrEnum):
    STAGE1_SURE = "stage1_sure"
    NO_PROVIDER = "no_provider"
    CIRCUIT_OPEN = "circuit_open"
    DAILY_CAP = "daily_cap"
    FAILED = "stage2_failed"  # timeouts, 429, 5xx, auth errors ... within the time budget
    REJECTED = "stage2_rejected"  # the model answered, the answer failed validation
    ACCEPTED = "stage2_accepted"


class Rejection(enum.StrEnum):
    SCHEMA = "schema"
    UNKNOWN_SERVICE = "unknown_service"
    UNKNOWN_STAFF = "unknown_staff"
    PAST_DATE = "past_date"
    PAST_TIME = "past_time"
    OUTSIDE_HOURS = "outside_opening_hours"


# --- the port ----------------------------------------------------------------------------------------------------


class DraftSummary(BaseModel):
    """The conversation so far, as stage 2 sees it (ids and local dates/times only)."""

    model_config = ConfigDict(frozen=True)

    stage: str = "idle"
    action: str = "book"
    service_id: str | None = None
    staff_id: str | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    window: TimeWindow | None = None

    @classmethod
    def of(cls, state: ConversationState) -> DraftSummary:
        draft = state.draft
        return cls(
            stage=state.stage.value,
            action=draft.action.value,
            service_id=draft.service_id,
            staff_id=draft.staff_id,
            date=draft.date,
            time=draft.time,
            window=draft.window,
        )


class Stage2Request(BaseModel):
    """Everything stage 2 is given about one message."""

    model_config = ConfigDict(frozen=True)

    company_id: str
    text: str
    context: ParseContext
    catalog: Catalog
    stage1: ParsedMessage  # stage 1's guess; its `reasons` say why it was unsure
    draft: DraftSummary | None = None
    last_asked: Expecting | None = None


class ModelParse(BaseModel):
    """The only thing a model may answer: the same fields as a stage-1 parse, nothing that could carry an order.

    `extra="forbid"`: an answer with any other key (a phone number, a booking id, "instructions") fails the schema.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    date: dt.date | None = None
    time: dt.time | None = None
    window: TimeWindow | None = None
    service_id: str | None = Field(default=None, max_length=200)
    staff_id: str | None = Field(default=None, max_length=200)
    choice: int | None = Field(default=None, ge=1, le=50)
    negated_date: dt.date | None = None


class ModelAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    parse: ModelParse
    prompt_tokens: int = 0
    completion_tokens: int = 0


class IntentModelError(Exception):
    """A stage-2 provider failed. `kind` names the failure in metrics and logs."""

    kind = "error"
    retryable = False

    def __init__(self, detail: str = "", *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(detail or self.kind)
        self.retry_after = retry_after
        self.status = status


class ModelTimeout(IntentModelError):
    kind = "timeout"
    retryable = True


class ModelRateLimited(IntentModelError):
    """HTTP 429; `retry_after` in seconds when the provider said."""

    kind = "rate_limited"
    retryable = True


class ModelUnavailable(IntentModelError):
    """HTTP 5xx or the connection failed."""

    kind = "unavailable"
    retryable = True


class ModelRequestRejected(IntentModelError):
    """HTTP 4xx other than 429 (bad key, unknown model, bad request): retrying cannot help."""

    kind = "request_rejected"


class ModelOutputInvalid(IntentModelError):
    """The provider answered, but not with a parse: malformed JSON, a schema violation, a refusal, a cut-off answer."""

    kind = "invalid_output"

    def __init__(self, detail: str = "", *, prompt_tokens: int = 0, completion_tokens: int = 0) -> None:
        super().__init__(detail)
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


class IntentModel(Protocol):
    """Stage 2's port: an LLM (or anything else) that reads one message into a `ModelParse`."""

    async def propose(self, request: Stage2Request, seconds: float) -> ModelAnswer:
        """Answer within `seconds`, or raise an `IntentModelError` (`ModelTimeout` when the time is up)."""
        ...


# --- budgets -------------------------------------------------------------------------------------------------------


class Stage2Limits(BaseModel):
    model_config = ConfigDict(frozen=True)

    time_budget_seconds: float = Field(default=8.0, gt=0)  # for the whole stage 2 of one message, retry included
    attempt_timeout_seconds: float = Field(default=5.0, gt=0)
    daily_calls_per_company: int = Field(default=500, ge=0)
    breaker_failures: int = Field(default=5, ge=1)
    breaker_cooldown_seconds: float = Field(default=60.0, gt=0)


class CallQuota(Protocol):
    """A per-company daily counter of stage-2 calls (memory here; Redis in integrations/llm/quota.py)."""

    async def take(self, company_id: str, day: dt.date, limit: int) -> bool:
        """Count one call; False (and nothing counted) when the company already made `limit` calls that day."""
        ...


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


# --- metrics -------------------------------------------------------------------------------------------------------

LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0, 10.0)


class Metrics:
    """A small thread-safe registry of counters and latency histograms, rendered in the Prometheus text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._histograms: dict[str, list[float]] = {}  # bucket counts + [sum, count]

    def inc(self, name: str, value: float = 1.0, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            self._counters[key] = self._counters.get(key, 0.0) + value

    def observe(self, name: str, seconds: float) -> None:
        with self._lock:
            row = self._histograms.setdefault(name, [0.0] * (len(LATENCY_BUCKETS) + 2))
            index = bisect.bisect_left(LATENCY_BUCKETS, seconds)
            for i in range(index, len(LATENCY_BUCKETS)):
                row[i] += 1
            row[-2] += seconds
            row[-1] += 1

    def value(self, name: str, **labels: str) -> float:
        with self._lock:
            return self._counters.get((name, tuple(sorted(labels.items()))), 0.0)

    def total(self, name: str) -> float:
        """The sum of a counter over all its label sets."""
        with self._lock:
            return sum(v for (n, _), v in self._counters.items() if n == name)

    def histogram(self, name: str) -> tuple[float, int]:
        """(sum of seconds, number of observations)."""
        with self._lock:
            row = self._histograms.get(name)
            return (row[-2], int(row[-1])) if row else (0.0, 0)

    def render(self) -> str:
        """The Prometheus text exposition of every metric (for a /metrics endpoint)."""
        lines: list[str] = []
        with self._lock:
            for (name, labels), value in sorted(self._counters.items()):
                lines.append(f"{name}{_labels(labels)} {value:g}")
            for name, row in sorted(self._histograms.items()):
                for bound, count in zip(LATENCY_BUCKETS, row, strict=False):
                    lines.append(f'{name}_bucket{{le="{bound:g}"}} {count:g}')
                lines.append(f'{name}_bucket{{le="+Inf"}} {row[-1]:g}')
                lines.append(f"{name}_sum {row[-2]:g}")
                lines.append(f"{name}_count {row[-1]:g}")
        return "\n".join(lines) + "\n"


def _labels(labels: tuple[tuple[str, str], ...]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{v}"' for k, v in labels) + "}"


CALLS = "booking_bot_stage2_calls_total"  # label outcome: ok | <IntentModelError.kind>
FAILURES = "booking_bot_stage2_failures_total"  # label kind
TOKENS = "booking_bot_stage2_tokens_total"  # label kind: prompt | completion
LATENCY = "booking_bot_stage2_call_seconds"  # one provider call
REJECTIONS = "booking_bot_stage2_rejections_total"  # label reason: a Rejection
DECISIONS = "booking_bot_understanding_total"  # labels decided_by, why


# --- orchestration -------------------------------------------------------------------------------------------------


@dataclass
class Stage2:
    """A configured stage 2: the model and what guards it. Build one per provider and share it between messages."""

    model: IntentModel
    limits: Stage2Limits = field(default_factory=Stage2Limits)
    quota: CallQuota = field(default_factory=MemoryCallQuota)
    metrics: Metrics = field(default_factory=Metrics)
    breaker: CircuitBreaker | None = None

    def __post_init__(self) -> None:
        if self.breaker is None:
            self.breaker = CircuitBreaker(self.limits.breaker_failures, self.limits.breaker_cooldown_seconds)


@dataclass(frozen=True)
class Understanding:
    """The final parse, which stage decided it and why."""

    parsed: ParsedMessage
    decided_by: DecidedBy
    why: Why
    rejections: tuple[Rejection, ...] = ()
    error: str | None = None  # the last provider failure's kind
    attempts: int = 0  # provider calls made
    stage2_seconds: float = 0.0
    tokens: int = 0

    @property
    def needs_clarification(self) -> bool:
        return CLARIFY in self.parsed.reasons


async def understand(
    text: str,
    context: ParseContext,
    catalog: Catalog,
    *,
    company_id: str,
    stage2: Stage2 | None = None,
    draft: DraftSummary | None = None,
    opening_hours: OpeningHours | None = None,
    metrics: Metrics | None = None,
) -> Understanding:
    """Stage 1, then stage 2 when stage 1 is unsure and a provider is configured.

    `metrics` counts the decisions when there is no stage 2 (otherwise stage 2's own registry does).
    """
    registry = stage2.metrics if stage2 is not None else metrics
    guess = parse(text, context, catalog)
    if not guess.unsure:
        return _decided(registry, Understanding(guess, DecidedBy.STAGE1, Why.STAGE1_SURE))
    if stage2 is None:
        return _decided(registry, _fallback(guess, Why.NO_PROVIDER))
    assert stage2.breaker is not None
    if not stage2.breaker.allow():
        return _decided(registry, _fallback(guess, Why.CIRCUIT_OPEN))
    request = Stage2Request(
        company_id=company_id,
        text=text,
        context=context,
        catalog=catalog,
        stage1=guess,
        draft=draft,
        last_asked=context.expecting,
    )
    started = time.perf_counter()
    try:
        result = await _call(stage2, request)
    finally:
        stage2.breaker.release()  # after record_success/record_failure this changes nothing
    seconds = time.perf_counter() - started
    if isinstance(result, _Call):
        answer = result.answer
        tokens = answer.prompt_tokens + answer.completion_tokens
        rejections = check_answer(answer.parse, request, opening_hours)
        if rejections:
            understanding = _rejected(guess, rejections, tokens)
        else:
            understanding = Understanding(_accepted(guess, answer.parse), DecidedBy.STAGE2, Why.ACCEPTED, tokens=tokens)
    elif isinstance(result.error, ModelOutputInvalid):
        error = result.error
        understanding = _rejected(guess, (Rejection.SCHEMA,), error.prompt_tokens + error.completion_tokens)
    else:
        understanding = _fallback(guess, result.why, result.error.kind if result.error else None)
    understanding = _with_call_facts(understanding, result, seconds)
    for rejection in understanding.rejections:
        stage2.metrics.inc(REJECTIONS, reason=rejection.value)
    log.info(
        "company=%s stage2 why=%s attempts=%d seconds=%.3f tokens=%d error=%s rejections=%s",
        company_id,
        understanding.why,
        understanding.attempts,
        seconds,
        understanding.tokens,
        understanding.error,
        ",".join(understanding.rejections),
    )
    return _decided(registry, understanding)


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


@dataclass(frozen=True)
class _Failure:
    why: Why
    error: IntentModelError | None
    attempts: int


@dataclass(frozen=True)
class _Call:
    answer: ModelAnswer
    attempts: int


async def _call(stage2: Stage2, request: Stage2Request) -> _Call | _Failure:
    """At most two provider calls (one retry on timeout, 429 or 5xx, after Retry-After) within the time budget."""
    limits, breaker, metrics = stage2.limits, stage2.breaker, stage2.metrics
    assert breaker is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limits.time_budget_seconds
    error: IntentModelError | None = None
    attempts = 0
    while attempts < 2:
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        if not await stage2.quota.take(request.company_id, request.context.today, limits.daily_calls_per_company):
            return _Failure(Why.DAILY_CAP if attempts == 0 else Why.FAILED, error, attempts)
        attempts += 1
        timeout = min(limits.attempt_timeout_seconds, remaining)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):  # also bounds an adapter that ignores its timeout
                answer = await stage2.model.propose(request, timeout)
        except TimeoutError:
            error = ModelTimeout()
        except IntentModelError as exc:
            error = exc
        else:
            metrics.observe(LATENCY, time.perf_counter() - started)
            metrics.inc(CALLS, outcome="ok")
            metrics.inc(TOKENS, answer.prompt_tokens, kind="prompt")
            metrics.inc(TOKENS, answer.completion_tokens, kind="completion")
            breaker.record_success()
            return _Call(answer, attempts)
        metrics.observe(LATENCY, time.perf_counter() - started)
        metrics.inc(CALLS, outcome=error.kind)
        metrics.inc(FAILURES, kind=error.kind)
        if isinstance(error, ModelOutputInvalid):
            metrics.inc(TOKENS, error.prompt_tokens, kind="prompt")
            metrics.inc(TOKENS, error.completion_tokens, kind="completion")
        breaker.record_failure()
        if not error.retryable or attempts >= 2 or breaker.is_open:
            break  # a failure that opened the circuit (or failed its half-open trial) is not retried
        wait = max(error.retry_after or 0.0, 0.0)
        if wait >= deadline - loop.time():
            break  # the provider asks us to wait longer than the message can: give up now
        await asyncio.sleep(wait)
    return _Failure(Why.FAILED, error, attempts)


def _with_call_facts(understanding: Understanding, result: _Call | _Failure, seconds: float) -> Understanding:
    return Understanding(
        parsed=understanding.parsed,
        decided_by=understanding.decided_by,
        why=understanding.why,
        rejections=understanding.rejections,
        error=understanding.error,
        attempts=result.attempts,
        stage2_seconds=seconds,
        tokens=understanding.tokens,
    )


def _accepted(guess: ParsedMessage, answer: ModelParse) -> ParsedMessage:
    return ParsedMessage(
        intent=answer.intent,
        lang=answer.lang or guess.lang,
        date=answer.date,
        time=answer.time,
        window=answer.window,
        service_id=answer.service_id,
        staff_id=answer.staff_id,
        choice=answer.choice,
        negated_date=answer.negated_date,
        name=guess.name,
        confidence=max(guess.confidence, 0.8),
        unsure=False,
        reasons=(*guess.reasons, STAGE2),
    )


def _rejected(guess: ParsedMessage, rejections: tuple[Rejection, ...], tokens: int) -> Understanding:
    """Nothing of the answer is used, and stage 1 was unsure: a neutral parse the dialogue asks about."""
    parsed = ParsedMessage(
        intent=Intent.OTHER,
        lang=guess.lang,
        confidence=0.0,
        unsure=True,
        reasons=(*guess.reasons, *(f"{Why.REJECTED}:{r}" for r in rejections), CLARIFY),
    )
    return Understanding(parsed, DecidedBy.STAGE2, Why.REJECTED, rejections=rejections, tokens=tokens)


def _fallback(guess: ParsedMessage, why: Why, error: str | None = None) -> Understanding:
    parsed = guess.model_copy(update={"reasons": (*guess.reasons, f"stage2_skipped:{why}")})
    return Understanding(parsed, DecidedBy.STAGE1, why, error=error)


def _decided(metrics: Metrics | None, understanding: Understanding) -> Understanding:
    if metrics is not None:
        metrics.inc(DECISIONS, decided_by=understanding.decided_by.value, why=understanding.why.value)
    return understanding


def model_parse_from_json(data: object) -> ModelParse:
    """Validate a decoded JSON answer; raises ModelOutputInvalid (never returns a partial parse)."""
    try:
        return ModelParse.model_validate(data)
    except ValidationError as exc:
        fields = ",".join(sorted({str(err["loc"][0]) if err["loc"] else "-" for err in exc.errors()}))
        raise ModelOutputInvalid(f"schema violation in: {fields}") from None
