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
import logging
import time
from dataclasses import dataclass, field

from booking_bot.config import Stage2Limits
from booking_bot.domain import (
    Catalog,
    DraftSummary,
    Intent,
    ModelAnswer,
    ModelParse,
    ParseContext,
    ParsedMessage,
    Stage2Request,
)
from booking_bot.metrics import Metrics
from booking_bot.nlu import parse
from booking_bot.ports import CallQuota, IntentModel
from booking_bot.understanding.errors import IntentModelError, ModelOutputInvalid, ModelTimeout
from booking_bot.understanding.guards import CircuitBreaker, MemoryCallQuota, check_answer
from booking_bot.understanding.models import (
    CLARIFY,
    STAGE2,
    DecidedBy,
    OpeningHours,
    Rejection,
    Understanding,
    Why,
)

log = logging.getLogger(__name__)


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


CALLS = "booking_bot_stage2_calls_total"  # label outcome: ok | <IntentModelError.kind>
FAILURES = "booking_bot_stage2_failures_total"  # label kind
TOKENS = "booking_bot_stage2_tokens_total"  # label kind: prompt | completion
LATENCY = "booking_bot_stage2_call_seconds"  # one provider call
REJECTIONS = "booking_bot_stage2_rejections_total"  # label reason: a Rejection
DECISIONS = "booking_bot_understanding_total"  # labels decided_by, why


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
