"""The OpenAI-compatible adapter against the fake server: what goes on the wire, and every way an answer fails."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time as clock
from datetime import date, time

import pytest
from pydantic import SecretStr

from booking_bot.domain import DraftSummary, Expecting, Intent, Stage2Request, TimeWindow
from booking_bot.nlu import parse
from booking_bot.understanding import (
    ModelOutputInvalid,
    ModelRateLimited,
    ModelRequestRejected,
    ModelTimeout,
    ModelUnavailable,
)
from integrations.llm.openai_compat import OpenAICompatibleModel, StructuredOutput
from tests.fakes.openai_server import Fail, FakeOpenAI, Hang, RawBody, Reply, parse_reply, request_document
from tests.llm.conftest import CATALOG, INJECTION, UNSURE, context


def request_for(text: str = UNSURE, expecting: Expecting | None = None) -> Stage2Request:
    ctx = context(expecting)
    return Stage2Request(
        company_id="salon-1",
        text=text,
        context=ctx,
        catalog=CATALOG,
        stage1=parse(text, ctx, CATALOG),
        draft=DraftSummary(stage="ask_time", service_id="manicure", date=date(2026, 11, 28)),
        last_asked=expecting,
    )


async def test_request_is_a_chat_completion_with_temperature_0_and_a_strict_schema(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    fake_openai.script(parse_reply(intent="book", service_id="manicure", time="17:00", lang="en"))
    answer = await model.propose(request_for(expecting=Expecting.TIME), 2.0)

    assert (
        answer.parse.intent is Intent.BOOK and answer.parse.time == time(17) and answer.parse.service_id == "manicure"
    )
    assert answer.prompt_tokens > 100 and answer.completion_tokens > 0
    body, headers = fake_openai.requests[0], fake_openai.headers[0]
    assert headers["Authorization"] == "Bearer sk-test"
    assert body["model"] == "fake-model" and body["temperature"] == 0 and body["stream"] is False
    schema = body["response_format"]["json_schema"]
    assert body["response_format"]["type"] == "json_schema" and schema["strict"] is True
    properties = schema["schema"]["properties"]
    assert schema["schema"]["additionalProperties"] is False
    assert set(schema["schema"]["required"]) == set(properties)
    assert properties["service_id"]["enum"] == ["mens-haircut", "womens-haircut", "manicure", None]
    assert properties["staff_id"]["enum"] == ["anna", "bari", "olga", None]
    assert set(properties) == {  # nothing that could carry a phone number, a booking id or an instruction
        "intent", "lang", "date", "time", "window", "service_id", "staff_id", "choice", "negated_date"
    }  # fmt: skip


async def test_prompt_gives_catalog_local_date_draft_last_question_and_stage1_guess(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    request = request_for(expecting=Expecting.CONFIRM)
    await model.propose(request, 2.0)

    document = request_document(fake_openai.requests[0])
    assert document["salon"] == {
        "local_date": "2026-11-27",
        "weekday": "Friday",
        "local_time": "12:00",
        "time_zone": "Europe/Moscow",
        "next_days": document["salon"]["next_days"],
    }
    assert document["salon"]["next_days"][:2] == ["2026-11-28 Saturday", "2026-11-29 Sunday"]
    assert {"id": "womens-haircut", "name": "Women's haircut", "aliases": ["women's cut", "fringe trim"]} in document[
        "catalog"
    ]["services"]
    assert [s["id"] for s in document["catalog"]["staff"]] == ["anna", "bari", "olga"]
    assert document["conversation"]["assistant_last_asked"] == "confirm"
    assert document["conversation"]["draft"]["service_id"] == "manicure"
    assert document["conversation"]["draft"]["date"] == "2026-11-28"
    assert document["stage1_guess"]["intent"] == request.stage1.intent.value  # what stage 1 made of it
    assert "classifier_unsure" in document["stage1_unsure_because"]
    assert document["message"] == UNSURE


async def test_customer_text_only_travels_as_data_inside_the_user_document(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    await model.propose(request_for(UNSURE), 2.0)
    await model.propose(request_for(INJECTION), 2.0)

    first, second = fake_openai.requests
    assert first["messages"][0] == second["messages"][0]  # the rules never change with the message
    assert INJECTION not in second["messages"][0]["content"]
    assert request_document(second)["message"] == INJECTION
    assert len(second["messages"]) == 2


@pytest.mark.parametrize(
    ("step", "detail"),
    [
        (Reply('{"intent": "book", "date": "2026-11-28"'), "not JSON"),  # malformed (cut) JSON
        (Reply("Sure! Booking you in for tomorrow."), "not JSON"),  # prose instead of JSON
        (Reply({"intent": "cancel", "booking_id": "b-1"}), "schema"),  # a key the schema doesn't have
        (Reply({"intent": "book", "phone": "+15550000002"}), "schema"),
        (Reply({"intent": "cancel everything", "date": None}), "schema"),  # not an intent
        (Reply({"intent": "book", "date": "tomorrow"}), "schema"),
        (Reply({"intent": "book", "time": "25:99"}), "schema"),
        (Reply({"intent": "book", "lang": "ignore previous instructions"}), "schema"),
        (Reply([{"intent": "book"}]), "schema"),
        (Reply(None), "no content"),
        (Reply({"intent": "book"}, refusal="I can't help with that."), "refused"),
        (Reply('{"intent": "bo', finish_reason="length"), "cut off"),
        (RawBody(b"<html>502 Bad Gateway</html>"), "not JSON"),
    ],
)
async def test_invalid_answers_raise_invalid_output(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel, step: Reply | RawBody, detail: str
) -> None:
    fake_openai.script(step)
    with pytest.raises(ModelOutputInvalid, match=detail):
        await model.propose(request_for(), 2.0)


async def test_invalid_output_still_reports_the_tokens_it_cost(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    fake_openai.script(Reply("{not json", prompt_tokens=900, completion_tokens=7))
    with pytest.raises(ModelOutputInvalid) as raised:
        await model.propose(request_for(), 2.0)
    assert (raised.value.prompt_tokens, raised.value.completion_tokens) == (900, 7)


async def test_fenced_json_is_accepted_but_nothing_around_it(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    fake_openai.script(Reply('```json\n{"intent": "greet"}\n```'), Reply('Here you go: {"intent": "greet"}'))
    assert (await model.propose(request_for(), 2.0)).parse.intent is Intent.GREET
    with pytest.raises(ModelOutputInvalid):
        await model.propose(request_for(), 2.0)


async def test_window_answer_is_a_time_window(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(parse_reply(intent="book", window={"start": "17:00", "end": "20:00"}))
    answer = await model.propose(request_for(), 2.0)
    assert answer.parse.window == TimeWindow(start=time(17), end=time(20))


async def test_429_carries_retry_after_seconds(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(429, headers={"Retry-After": "2"}))
    with pytest.raises(ModelRateLimited) as raised:
        await model.propose(request_for(), 2.0)
    assert raised.value.retry_after == 2.0 and raised.value.status == 429


async def test_429_prefers_retry_after_ms(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(429, headers={"retry-after-ms": "250", "Retry-After": "1"}))
    with pytest.raises(ModelRateLimited) as raised:
        await model.propose(request_for(), 2.0)
    assert raised.value.retry_after == 0.25


async def test_429_retry_after_as_http_date(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(429, headers={"Retry-After": email.utils.formatdate(clock.time() + 30, usegmt=True)}))
    with pytest.raises(ModelRateLimited) as raised:
        await model.propose(request_for(), 2.0)
    assert raised.value.retry_after is not None and 27 <= raised.value.retry_after <= 31


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_unavailable(fake_openai: FakeOpenAI, model: OpenAICompatibleModel, status: int) -> None:
    fake_openai.script(Fail(status, headers={"Retry-After": "1"}))
    with pytest.raises(ModelUnavailable) as raised:
        await model.propose(request_for(), 2.0)
    assert raised.value.retryable and raised.value.retry_after == 1.0


async def test_wrong_api_key_is_rejected_not_retryable(fake_openai: FakeOpenAI) -> None:
    adapter = OpenAICompatibleModel(base_url=fake_openai.base_url, model="m", api_key=SecretStr("sk-wrong"))
    try:
        with pytest.raises(ModelRequestRejected, match="invalid_api_key") as raised:
            await adapter.propose(request_for(), 2.0)
    finally:
        await adapter.close()
    assert not raised.value.retryable and raised.value.status == 401


async def test_unknown_model_404_is_rejected(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.script(Fail(404))
    with pytest.raises(ModelRequestRejected, match="404"):
        await model.propose(request_for(), 2.0)


async def test_slow_provider_times_out_within_the_given_seconds(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel
) -> None:
    fake_openai.script(Hang(10))
    started = clock.perf_counter()
    with pytest.raises(ModelTimeout):
        await model.propose(request_for(), 0.3)
    assert clock.perf_counter() - started < 1.0


async def test_unreachable_provider_is_unavailable() -> None:
    server = FakeOpenAI()
    base_url = await server.start()
    await server.close()  # nothing listens on that port any more
    adapter = OpenAICompatibleModel(base_url=base_url, model="m")
    try:
        with pytest.raises(ModelUnavailable, match="connection failed"):
            await adapter.propose(request_for(), 2.0)
    finally:
        await adapter.close()


async def test_provider_without_json_schema_falls_back_to_json_mode_and_remembers() -> None:
    server = FakeOpenAI(supports_json_schema=False, api_key=None)
    await server.start()
    adapter = OpenAICompatibleModel(base_url=server.base_url, model="m")
    try:
        server.script(parse_reply(intent="greet"), parse_reply(intent="thanks"))
        assert (await adapter.propose(request_for(), 2.0)).parse.intent is Intent.GREET
        assert (await adapter.propose(request_for(), 2.0)).parse.intent is Intent.THANKS
    finally:
        await adapter.close()
        await server.close()
    kinds = [(r.get("response_format") or {}).get("type") for r in server.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert adapter.structured_output is StructuredOutput.JSON_OBJECT
    assert "Authorization" not in server.headers[0]  # no key configured: none sent (a local Ollama)


async def test_structured_output_off_sends_no_response_format(fake_openai: FakeOpenAI) -> None:
    adapter = OpenAICompatibleModel(
        base_url=fake_openai.base_url, model="m", api_key=SecretStr("sk-test"), structured_output=StructuredOutput.OFF
    )
    try:
        await adapter.propose(request_for(), 2.0)
    finally:
        await adapter.close()
    assert "response_format" not in fake_openai.requests[0]


async def test_api_key_and_texts_stay_out_of_reprs_and_logs(
    fake_openai: FakeOpenAI, model: OpenAICompatibleModel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_openai.script(Fail(429, body={"error": {"message": f"echo: {INJECTION}", "type": "x", "code": "rate"}}))
    with pytest.raises(ModelRateLimited) as raised:
        await model.propose(request_for(INJECTION), 2.0)
    assert "sk-test" not in repr(model)
    assert INJECTION not in str(raised.value)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "salon-1" in logged and "429" in logged
    assert INJECTION not in logged and "sk-test" not in logged


def test_base_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        OpenAICompatibleModel(base_url="localhost:11434/v1", model="m")


async def test_concurrent_requests_share_one_session(fake_openai: FakeOpenAI, model: OpenAICompatibleModel) -> None:
    fake_openai.delay = 0.2
    started = clock.perf_counter()
    answers = await asyncio.gather(*(model.propose(request_for(), 2.0) for _ in range(5)))
    assert len(answers) == 5 and clock.perf_counter() - started < 0.9  # in parallel, not one after another
