"""Shared fixtures: a fixed, movable clock and the embedded stack driven through the core's one door."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from booking_bot.composition import Embedded, build_embedded, seed_demo
from booking_bot.domain import Booking, Company, InboundMessage
from booking_bot.inbound import accept_inbound
from booking_bot.jobs import InlineJobs
from booking_bot.settings import Settings
from integrations import redis_keys as keys
from integrations.messaging.simulated import SimulatedChannel
from integrations.warm_up import WarmUpBudget


@dataclass
class FixedClock:
    """'Now' as the test says; `advance` moves it."""

    now: datetime = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 12:00 in Moscow, a Friday

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Chat:
    """A customer chatting with the demo salon through the core's one door; its jobs run inline, in the test's loop."""

    embedded: Embedded
    company: Company
    clock: FixedClock
    customer: str = "+15550000001"
    name: str | None = "Alex"
    language: str | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def message(self, text: str, **overrides: object) -> InboundMessage:
        values: dict[str, object] = {
            "company_id": self.company.id,
            "message_id": f"msg-{self.customer}-{next(self._ids)}",
            "chat_id": self.customer,
            "phone": None if self.customer.endswith("@lid") else self.customer,  # an @lid sender has no phone
            "sender_name": self.name,
            "text": text,
            "language": self.language,
            "received_at": self.clock(),
        }
        values.update(overrides)
        return InboundMessage.model_validate(values)

    async def say(self, text: str) -> list[str]:
        message = self.message(text)
        assert await accept_inbound(self.embedded.services, message)
        assert isinstance(self.embedded.jobs, InlineJobs)
        job = (message.company_id, message.chat_id, message.message_id)
        assert await self.embedded.jobs.run(self.embedded.services, "handle_inbound", job)
        replies = await self.embedded.store.outbound_replies(message.company_id, message.message_id)
        return [r.text for r in replies]

    async def bookings(self) -> list[Booking]:
        return await self.embedded.store.list_bookings(self.company.id)


REDIS_URL = os.environ.get("BOOKING_BOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    """The real local Redis (database 15, flushed per test). Unreachable Redis fails the test, never skips it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
        client.flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} is not reachable ({exc}); run scripts/services.sh")
    finally:
        client.close()
    return REDIS_URL


@contextlib.asynccontextmanager
async def warming_up(
    redis_url: str, company_id: str, schedule: Sequence[int], linked_at: datetime, clock: FixedClock
) -> AsyncIterator[WarmUpBudget]:
    """The company's WhatsApp number linked at `linked_at` and warming up on `schedule` (proactive messages a day),
    in the real Redis the gateways share: the budget the jobs take their places in (give it to `Services`)."""
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(redis_url)
    number = "15550000042"
    await client.hset(keys.JIDS, company_id, number)  # type: ignore[misc]
    await client.hset(keys.LINKED_NUMBERS, number, f"{linked_at.timestamp():.0f}")  # type: ignore[misc]
    try:
        yield WarmUpBudget(client, schedule, lambda: clock().timestamp())
    finally:
        await client.aclose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def embedded(settings: Settings, clock: FixedClock) -> AsyncIterator[Embedded]:
    stack = build_embedded(settings, SimulatedChannel(), clock=clock, in_memory=True, inline_jobs=True)
    try:
        yield stack
    finally:
        stack.close()


@pytest.fixture
async def chat(embedded: Embedded, clock: FixedClock) -> Chat:
    company = await seed_demo(embedded)
    return Chat(embedded=embedded, company=company, clock=clock)
