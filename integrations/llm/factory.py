"""Stage 2 from settings: a global provider, per-company providers, and what guards them."""

from __future__ import annotations

import redis.asyncio as aioredis

from booking_bot.metrics import Metrics
from booking_bot.ports import CallQuota
from booking_bot.settings import LLMProvider, Settings
from booking_bot.understanding import MemoryCallQuota, Stage2
from integrations.llm.openai_compat import OpenAICompatibleModel, StructuredOutput
from integrations.llm.quota import RedisCallQuota

__all__ = ["Stage2Providers", "build_stage2", "model_for"]


class Stage2Providers:
    """Which stage 2 serves a company: its own provider if it has one, else the global one, else none."""

    def __init__(
        self,
        default: Stage2 | None,
        per_company: dict[str, Stage2],
        models: list[OpenAICompatibleModel],
        metrics: Metrics,
        redis_client: aioredis.Redis | None = None,
    ) -> None:
        self.default = default
        self.per_company = per_company
        self.metrics = metrics
        self._models = models
        self._redis = redis_client

    def for_company(self, company_id: str) -> Stage2 | None:
        return self.per_company.get(company_id, self.default)

    async def close(self) -> None:
        for model in self._models:
            await model.close()
        if self._redis is not None:
            await self._redis.aclose()


def model_for(provider: LLMProvider, max_tokens: int) -> OpenAICompatibleModel:
    return OpenAICompatibleModel(
        base_url=provider.base_url,
        model=provider.model,
        api_key=provider.api_key,
        timeout_seconds=provider.timeout_seconds,
        structured_output=StructuredOutput(provider.structured_output),
        max_tokens=max_tokens,
    )


def build_stage2(settings: Settings, metrics: Metrics | None = None) -> Stage2Providers:
    """Every configured provider gets its own circuit breaker; the daily cap and the metrics are shared."""
    metrics = metrics or Metrics()
    redis_client: aioredis.Redis | None = None
    quota: CallQuota
    if settings.llm.quota == "redis":
        redis_client = aioredis.Redis.from_url(settings.redis_url.get_secret_value())
        quota = RedisCallQuota(redis_client)
    else:
        quota = MemoryCallQuota()
    limits = settings.llm.limits()
    models: list[OpenAICompatibleModel] = []

    def stage2(provider: LLMProvider) -> Stage2:
        model = model_for(provider, settings.llm.max_tokens)
        models.append(model)
        own_limits = limits.model_copy(update={"attempt_timeout_seconds": provider.timeout_seconds})
        return Stage2(model=model, limits=own_limits, quota=quota, metrics=metrics)

    default = stage2(settings.llm.provider) if settings.llm.provider else None
    per_company = {company: stage2(p) for company, p in settings.llm.company_providers.items()}
    return Stage2Providers(default, per_company, models, metrics, redis_client)
