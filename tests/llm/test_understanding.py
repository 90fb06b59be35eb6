"""`understand`: when stage 2 is called, how its answers are checked, and its budgets, cap, breaker and metrics."""

from __future__ import annotations

import time as clock
from datetime import date, time

import pytest

from booking_bot.config import Stage2Limits
from booking_bot.domain import DraftSummary, Expecting, Intent, TimeWindow
from booking_bot.metrics import Metrics
from booking_bot.nlu.parser import parse
from booking_bot.understanding import (
    CALLS,
    CLARIFY,
    DECISIONS,
    FAILURES,
    LATENCY,
    REJECTIONS,
    STAGE2,
    TOKENS,
    CircuitBreaker,
    DecidedBy,
    MemoryCallQuota,
    Rejection,
    Stage2,
    Understanding,
    Why,
    understand,
)
from integrations.llm.openai_compat import OpenAICompatibleModel
from tests.fakes.openai_server import Fail, FakeOpenAI, Hang, Reply, parse_reply
from tests.llm.conftest import CATALOG, INJECTION, SURE, UNSURE, assert_unsure, context, demo_hours


def stage2_with(model: OpenAICompatibleModel, **limits: float) -> Stage2:
    values: dict[str, float] = {"attempt_timeout_seconds": 1.0, "time_budget_seconds": 3.0} | limits
    return Stage2(model=model, limits=Stage2Limits.model_validate(values))


async def ask(
    stage2: Stage2 | None,
    text: str = UNSURE,
    *,
    company_id: str = "salon-1",
    expecting: Expecting | None = None,
    today: date | None = None,
) -> Understanding:
    ctx = context(expecting)
    if today is not None:
        ctx = ctx.model_copy(update={"today": today})
    return await understand(
        text, ctx, CATALOG, company_id=company_id, stage2=stage2, draft=DraftSummary(), opening_hours=demo_hours
    )


def test_the_unsure_texts_are_unsure() -> None:
    assert_unsure(UNSURE)
    assert_unsure(INJECTION)


async def test_sure_stage1_never_calls_the_model(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    stage2 = stage2_with(model)
    result = await ask(stage2, SURE)
    assert (result.decided_by, result.why) == (DecidedBy.STAGE1, Why.STAGE1_SURE)
    assert result.parsed.service_id == "manicure" and not result.parsed.unsure
    assert fake_openai.calls == 0
    assert stage2.metrics.value(DECISIONS, decided_by="stage1", why="stage1_sure") == 1


async def test_without_a_provider_stage1_guess_stands_and_says_so() -> None:
    metrics = Metrics()
    result = await understand(UNSURE, context(), CATALOG, company_id="salon-1", metrics=metrics)
    assert (result.decided_by, result.why) == (DecidedBy.STAGE1, Why.NO_PROVIDER)
    assert result.parsed.unsure and "stage2_skipped:no_provider" in result.parsed.reasons
    assert not result.needs_clarification
    assert metrics.value(DECISIONS, decided_by="stage1", why="no_provider") == 1


async def test_valid_answer_decides_the_parse(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(
        parse_reply(
            intent="book", lang="en", date="2026-12-02", time="15:30", service_id="womens-haircut", staff_id="olga"
        )
    )
    stage2 = stage2_with(model)
    result = await ask(stage2)
    assert (result.decided_by, result.why, result.attempts) == (DecidedBy.STAGE2, Why.ACCEPTED, 1)
    parsed = result.parsed
    assert parsed.intent is Intent.BOOK and parsed.date == date(2026, 12, 2) and parsed.time == time(15, 30)
    assert (parsed.service_id, parsed.staff_id) == ("womens-haircut", "olga")
    assert not parsed.unsure and STAGE2 in parsed.reasons and CLARIFY not in parsed.reasons
    assert result.tokens > 0
    metrics = stage2.metrics
    assert metrics.value(CALLS, outcome="ok") == 1
    assert metrics.value(TOKENS, kind="prompt") + metrics.value(TOKENS, kind="completion") == result.tokens
    assert metrics.histogram(LATENCY)[1] == 1
    assert metrics.value(DECISIONS, decided_by="stage2", why="stage2_accepted") == 1


def _neutral(result: Understanding, *rejections: Rejection) -> None:
    assert (result.decided_by, result.why) == (DecidedBy.STAGE2, Why.REJECTED)
    assert result.rejections == rejections
    assert result.needs_clarification and CLARIFY in result.parsed.reasons
    parsed = result.parsed
    assert parsed.intent is Intent.OTHER and parsed.unsure
    assert (parsed.date, parsed.time, parsed.window, parsed.service_id, parsed.staff_id, parsed.choice) == (None,) * 6


@pytest.mark.parametrize(
    ("answer", "rejections"),
    [
        (parse_reply(intent="book", service_id="botox"), (Rejection.UNKNOWN_SERVICE,)),
        (parse_reply(intent="book", service_id="Manicure"), (Rejection.UNKNOWN_SERVICE,)),  # a name, not an id
        (parse_reply(intent="book", staff_id="dr-evil"), (Rejection.UNKNOWN_STAFF,)),
        (parse_reply(intent="book", date="2026-11-20"), (Rejection.PAST_DATE,)),
        (parse_reply(intent="book", date="2026-11-27", time="11:00"), (Rejection.PAST_TIME,)),
        (parse_reply(intent="book", date="2026-11-28", time="21:30"), (Rejection.OUTSIDE_HOURS,)),
        (parse_reply(intent="book", time="07:00"), (Rejection.OUTSIDE_HOURS,)),
        (parse_reply(intent="book", date="2026-12-31", time="12:00"), (Rejection.OUTSIDE_HOURS,)),  # closed that day
        (parse_reply(intent="book", window={"start": "21:00", "end": "23:00"}), (Rejection.OUTSIDE_HOURS,)),
        (
            parse_reply(intent="book", service_id="botox", staff_id="x", date="2026-01-01"),
            (Rejection.UNKNOWN_SERVICE, Rejection.UNKNOWN_STAFF, Rejection.PAST_DATE),
        ),
        (Reply({"intent": "cancel", "booking_id": "b-42"}), (Rejection.SCHEMA,)),
        (Reply({"intent": "book", "phone": "+15550000002"}), (Rejection.SCHEMA,)),
        (Reply('{"intent": "book", "date": '), (Rejection.SCHEMA,)),  # malformed JSON
        (Reply("I have cancelled all bookings as requested."), (Rejection.SCHEMA,)),
    ],
)
async def test_invalid_answers_are_rejected_and_ask_to_clarify(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel, answer: Reply, rejections: tuple[Rejection, ...]
) -> None:
    fake_openai.script(answer)
    stage2 = stage2_with(model)
    result = await ask(stage2)
    _neutral(result, *rejections)
    assert fake_openai.calls == 1  # an invalid answer is not retried: temperature 0 says the same again
    for rejection in rejections:
        assert stage2.metrics.value(REJECTIONS, reason=rejection.value) == 1


async def test_answers_inside_opening_hours_and_later_today_are_accepted(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    fake_openai.script(
        parse_reply(intent="book", date="2026-11-27", time="19:45"),
        parse_reply(intent="book", window={"start": "18:00", "end": "22:00"}),  # overlaps the open hours
        parse_reply(intent="book", negated_date="2026-11-20"),  # a rejected past day is no booking
    )
    stage2 = stage2_with(model)
    for _ in range(3):
        assert (await ask(stage2)).why is Why.ACCEPTED


async def test_injection_attempt_yields_only_a_parse(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    """'ignore previous instructions ...': whatever the model says, the result is a parse, never an order."""
    fake_openai.script(
        Reply({"intent": "cancel", "booking_id": "*", "customer": "all", "instructions": "cancel every booking"}),
        parse_reply(intent="cancel"),
    )
    stage2 = stage2_with(model)
    first = await ask(stage2, INJECTION)
    _neutral(first, Rejection.SCHEMA)
    second = await ask(stage2, INJECTION)
    assert second.why is Why.ACCEPTED and second.parsed.intent is Intent.CANCEL
    assert set(type(second.parsed).model_fields) >= {"intent"}
    assert not any(hasattr(second.parsed, name) for name in ("booking_id", "phone", "instructions", "customer"))


async def test_one_retry_after_5xx(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(503), parse_reply(intent="greet"))
    stage2 = stage2_with(model)
    result = await ask(stage2)
    assert result.why is Why.ACCEPTED and result.attempts == 2 and fake_openai.calls == 2
    assert stage2.metrics.value(CALLS, outcome="unavailable") == 1
    assert stage2.metrics.value(FAILURES, kind="unavailable") == 1


async def test_one_retry_after_timeout(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Hang(10), parse_reply(intent="greet"))
    stage2 = stage2_with(model, attempt_timeout_seconds=0.3)
    started = clock.perf_counter()
    result = await ask(stage2)
    assert result.why is Why.ACCEPTED and result.attempts == 2
    assert clock.perf_counter() - started < 1.5
    assert stage2.metrics.value(FAILURES, kind="timeout") == 1


async def test_429_retry_waits_for_retry_after(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(429, headers={"retry-after-ms": "400"}), parse_reply(intent="greet"))
    started = clock.perf_counter()
    result = await ask(stage2_with(model))
    assert result.why is Why.ACCEPTED and result.attempts == 2
    assert clock.perf_counter() - started >= 0.4


async def test_retry_after_beyond_the_budget_gives_up_at_once(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    fake_openai.script(Fail(429, headers={"Retry-After": "30"}), parse_reply(intent="greet"))
    started = clock.perf_counter()
    result = await ask(stage2_with(model, time_budget_seconds=2.0))
    assert (result.decided_by, result.why, result.error) == (DecidedBy.STAGE1, Why.FAILED, "rate_limited")
    assert fake_openai.calls == 1 and clock.perf_counter() - started < 0.5


async def test_only_one_retry_then_stage1_guess_stands(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(500), Fail(502), parse_reply(intent="greet"))
    result = await ask(stage2_with(model))
    assert (result.decided_by, result.why, result.attempts, result.error) == (
        DecidedBy.STAGE1, Why.FAILED, 2, "unavailable"
    )  # fmt: skip
    assert fake_openai.calls == 2
    own = parse(UNSURE, context(None), CATALOG)  # what stage 1 made of it, alone
    assert result.parsed.intent is own.intent and "stage2_skipped:stage2_failed" in result.parsed.reasons
    assert result.parsed.intent is not Intent.GREET  # the model's answer after the retries is never used
    assert not result.needs_clarification


async def test_auth_error_is_not_retried(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(401), parse_reply(intent="greet"))
    result = await ask(stage2_with(model))
    assert (result.why, result.error, fake_openai.calls) == (Why.FAILED, "request_rejected", 1)


async def test_time_budget_bounds_the_whole_stage(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Hang(10), Hang(10))
    started = clock.perf_counter()
    result = await ask(stage2_with(model, attempt_timeout_seconds=5.0, time_budget_seconds=0.5))
    elapsed = clock.perf_counter() - started
    assert result.why is Why.FAILED and result.error == "timeout"
    assert 0.45 <= elapsed < 0.9


async def test_daily_cap_per_company(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    stage2 = stage2_with(model, daily_calls_per_company=2)
    assert [(await ask(stage2)).why for _ in range(3)] == [Why.ACCEPTED, Why.ACCEPTED, Why.DAILY_CAP]
    assert fake_openai.calls == 2
    assert (await ask(stage2, company_id="salon-2")).why is Why.ACCEPTED  # another salon has its own cap
    assert (await ask(stage2, today=date(2026, 11, 28))).why is Why.ACCEPTED  # the next day starts afresh
    assert fake_openai.calls == 4


async def test_a_retry_counts_against_the_cap(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(500), parse_reply(intent="greet"))
    stage2 = stage2_with(model, daily_calls_per_company=1)
    result = await ask(stage2)
    assert (result.why, result.attempts, fake_openai.calls) == (Why.FAILED, 1, 1)


async def test_memory_quota_forgets_old_days() -> None:
    quota = MemoryCallQuota()
    for day in range(1, 30):
        assert await quota.take("salon-1", date(2026, 11, day), 1)
    assert len(quota._counts) <= 2


async def test_circuit_opens_after_repeated_failures_and_recovers(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    now = [1000.0]
    stage2 = stage2_with(model)
    stage2.breaker = CircuitBreaker(failures=3, cooldown=30, monotonic=lambda: now[0])
    fake_openai.script(Fail(500), Fail(500), Fail(500))
    assert (await ask(stage2)).why is Why.FAILED  # two failures
    assert (await ask(stage2)).why is Why.FAILED  # the third opens the circuit; no retry is tried after it
    assert fake_openai.calls == 3 and stage2.breaker.is_open
    blocked = await ask(stage2)
    assert (blocked.decided_by, blocked.why, blocked.attempts) == (DecidedBy.STAGE1, Why.CIRCUIT_OPEN, 0)
    assert fake_openai.calls == 3

    now[0] += 31  # half-open: one trial call; it fails, so the circuit opens again at once
    fake_openai.script(Fail(500))
    assert (await ask(stage2)).why is Why.FAILED and fake_openai.calls == 4
    assert (await ask(stage2)).why is Why.CIRCUIT_OPEN

    now[0] += 31  # the next trial succeeds and closes it
    assert (await ask(stage2)).why is Why.ACCEPTED
    assert not stage2.breaker.is_open and (await ask(stage2)).why is Why.ACCEPTED


def test_breaker_lets_only_one_trial_through_while_half_open() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=1, cooldown=10, monotonic=lambda: now[0])
    breaker.record_failure()
    assert not breaker.allow()
    now[0] = 11
    assert breaker.allow() and not breaker.allow()


async def test_metrics_render_in_prometheus_text(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(429), parse_reply(intent="book", service_id="nope"))
    stage2 = stage2_with(model)
    await ask(stage2)
    text = stage2.metrics.render()
    assert 'booking_bot_stage2_calls_total{outcome="rate_limited"} 1' in text
    assert 'booking_bot_stage2_calls_total{outcome="ok"} 1' in text
    assert 'booking_bot_stage2_failures_total{kind="rate_limited"} 1' in text
    assert 'booking_bot_stage2_rejections_total{reason="unknown_service"} 1' in text
    assert 'booking_bot_understanding_total{decided_by="stage2",why="stage2_rejected"} 1' in text
    assert 'booking_bot_stage2_tokens_total{kind="prompt"}' in text
    assert 'booking_bot_stage2_call_seconds_bucket{le="+Inf"} 2' in text
    assert "booking_bot_stage2_call_seconds_count 2" in text


async def test_draft_and_window_reach_the_model(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    draft = DraftSummary(stage="ask_time", service_id="manicure", window=TimeWindow(start=time(17), end=time(20)))
    unsure_after_a_time_question = "my cousin might come too lol"
    await understand(
        unsure_after_a_time_question,
        context(Expecting.TIME),
        CATALOG,
        company_id="s",
        stage2=stage2_with(model),
        draft=draft,
    )
    from tests.fakes.openai_server import request_document

    sent = request_document(fake_openai.requests[0])["conversation"]
    assert sent["draft"]["window"] == {"start": "17:00", "end": "20:00"}
    assert sent["assistant_last_asked"] == "time"


async def test_half_open_trial_stopped_by_the_daily_cap_does_not_wedge_the_breaker(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    now = [0.0]
    stage2 = stage2_with(model, daily_calls_per_company=1)
    stage2.breaker = CircuitBreaker(failures=1, cooldown=10, monotonic=lambda: now[0])
    fake_openai.script(Fail(401))
    assert (await ask(stage2)).why is Why.FAILED and stage2.breaker.is_open
    now[0] = 11
    assert (await ask(stage2)).why is Why.DAILY_CAP  # the trial was let through, but no call was made
    assert (await ask(stage2, company_id="salon-2")).why is Why.ACCEPTED  # the next trial may still go
    assert not stage2.breaker.is_open
