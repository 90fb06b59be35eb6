"""Stage-2 settings, the per-company provider choice and the Redis daily cap shared by every worker."""

from __future__ import annotations

from datetime import date

import pytest
import redis.asyncio as aioredis
from pydantic import ValidationError

from booking_bot.settings import Settings
from booking_bot.understanding import Why, understand
from integrations.llm.factory import build_stage2
from integrations.llm.openai_compat import OpenAICompatibleModel, StructuredOutput
from integrations.llm.quota import RedisCallQuota
from tests.fakes.openai_server import FakeOpenAI
from tests.llm.conftest import CATALOG, UNSURE, context


def test_stage2_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.llm.provider is None
    assert build_stage2(settings).for_company("any") is None


def test_llm_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_BOT_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("BOOKING_BOT_LLM_MODEL", "qwen2.5:7b-instruct")
    monkeypatch.setenv("BOOKING_BOT_LLM_API_KEY", "sk-secret")
    monkeypatch.setenv("BOOKING_BOT_LLM_STRUCTURED_OUTPUT", "json_object")
    monkeypatch.setenv(
        "BOOKING_BOT_LLM_COMPANY_PROVIDERS",
        '{"salon-2": {"base_url": "https://api.deepseek.com/v1", "model": "deepseek-chat", "api_key": "sk-ds"}}',
    )
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "sk-secret" not in repr(settings) and "sk-ds" not in repr(settings)
    providers = build_stage2(settings)
    default, own = providers.for_company("salon-1"), providers.for_company("salon-2")
    assert default is not None and own is not None and default is not own
    assert isinstance(default.model, OpenAICompatibleModel) and isinstance(own.model, OpenAICompatibleModel)
    assert default.model.url == "http://127.0.0.1:11434/v1/chat/completions"
    assert default.model.structured_output is StructuredOutput.JSON_OBJECT
    assert own.model.model == "deepseek-chat" and own.model.structured_output is StructuredOutput.JSON_SCHEMA
    assert default.quota is own.quota and default.metrics is own.metrics  # one cap, one registry


def test_base_url_without_model_fails_fast_with_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_BOT_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    with pytest.raises(ValidationError, match="BOOKING_BOT_LLM_MODEL"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_base_url_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_BOT_LLM_BASE_URL", "localhost:11434")
    monkeypatch.setenv("BOOKING_BOT_LLM_MODEL", "m")
    with pytest.raises(ValidationError, match="https://"):
        Settings(_env_file=None)  # type: ignore[call-arg]


async def test_redis_quota_is_shared_and_per_company_and_day(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        worker_a, worker_b = RedisCallQuota(client), RedisCallQuota(client)
        day = date(2026, 11, 27)
        assert await worker_a.take("salon-1", day, 2)
        assert await worker_b.take("salon-1", day, 2)
        assert not await worker_a.take("salon-1", day, 2)  # the cap holds across processes
        assert not await worker_b.take("salon-1", day, 2)
        assert await worker_a.take("salon-2", day, 2)
        assert await worker_a.take("salon-1", date(2026, 11, 28), 2)
        assert int(await client.get(RedisCallQuota.key("salon-1", day)) or 0) == 2  # refusals are not counted
        assert 0 < await client.ttl(RedisCallQuota.key("salon-1", day)) <= 2 * 24 * 3600
        assert not await worker_a.take("salon-3", day, 0)
    finally:
        await client.aclose()


async def test_stage2_with_redis_quota_from_settings(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeOpenAI()
    base_url = await fake.start()
    monkeypatch.setenv("BOOKING_BOT_LLM_BASE_URL", base_url)
    monkeypatch.setenv("BOOKING_BOT_LLM_MODEL", "fake-model")
    monkeypatch.setenv("BOOKING_BOT_LLM_API_KEY", "sk-test")
    monkeypatch.setenv("BOOKING_BOT_LLM_QUOTA", "redis")
    monkeypatch.setenv("BOOKING_BOT_LLM_DAILY_CALLS_PER_COMPANY", "1")
    monkeypatch.setenv("BOOKING_BOT_REDIS_URL", redis_url)
    providers = build_stage2(Settings(_env_file=None))  # type: ignore[call-arg]
    try:
        stage2 = providers.for_company("salon-1")
        whys = [
            (await understand(UNSURE, context(), CATALOG, company_id="salon-1", stage2=stage2)).why for _ in range(2)
        ]
    finally:
        await providers.close()
        await fake.close()
    assert whys == [Why.ACCEPTED, Why.DAILY_CAP] and fake.calls == 1
