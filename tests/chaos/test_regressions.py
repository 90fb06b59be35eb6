"""Defects the chaos and fuzz runs found, each pinned by a test named after it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from benchmarks.procs import RedisServer
from booking_bot import pipeline
from booking_bot.composition import Embedded
from booking_bot.gateway.inbound import InboundGate
from booking_bot.jobs import InlineJobs
from booking_bot.nlu import catalog as nlu_catalog
from booking_bot.settings import Settings
from tests.conftest import Chat


def _gate(redis: Redis, embedded: Embedded) -> tuple[InboundGate, InlineJobs]:
    assert isinstance(embedded.jobs, InlineJobs)  # what is queued stays countable
    return InboundGate(redis, embedded.services, timedelta(hours=72), give_up_seconds=20), embedded.jobs


def _queued(jobs: InlineJobs) -> int:
    return sum(1 for name, _ in jobs.pending if name == "handle_inbound")


async def test_recorded_but_never_queued_message_is_queued_when_delivered_again(
    redis_url: str, embedded: Embedded, settings: Settings, chat: Chat
) -> None:
    # Redis went away between the store insert and the enqueue; the dedupe mark was forgotten. The redelivery
    # found the message "already recorded" and dropped it: recorded, never handled.
    message = chat.message("Hi")
    assert await embedded.store.record_inbound(message)
    redis = Redis.from_url(redis_url)
    try:
        gate, broker = _gate(redis, embedded)
        await gate(message)
        assert _queued(broker) == 1
        await gate(message)  # now marked done: a true duplicate is dropped
        assert _queued(broker) == 1
    finally:
        await redis.aclose()


async def test_inbound_arriving_while_redis_restarts_is_queued_when_it_returns(
    tmp_path: Path, embedded: Embedded, settings: Settings, chat: Chat
) -> None:
    with RedisServer(tmp_path / "redis") as server:
        redis = Redis.from_url(server.url)
        try:
            gate, broker = _gate(redis, embedded)
            await asyncio.to_thread(server.stop)
            message = chat.message("I'd like a men's haircut")
            delivery = asyncio.create_task(gate(message))
            await asyncio.sleep(1.0)
            assert not delivery.done()  # retrying, not dropped
            await asyncio.to_thread(server.start)
            await asyncio.wait_for(delivery, 15)
            assert _queued(broker) == 1
            assert await redis.get(f"bb:in:{message.company_id}:{message.message_id}") == b"done"
        finally:
            await redis.aclose()


async def test_catalog_index_is_built_once_per_catalog_not_for_every_message(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = 0
    original = nlu_catalog.CatalogIndex

    class Counting(original):  # type: ignore[misc, valid-type]
        def __init__(self, catalog: nlu_catalog.Catalog) -> None:
            nonlocal built
            built += 1
            super().__init__(catalog)

    monkeypatch.setattr(nlu_catalog, "CatalogIndex", Counting)
    monkeypatch.setattr(nlu_catalog, "_CACHE", {})
    for text in ("Hi", "I'd like a men's haircut", "tomorrow at 5pm with Bari", "what are your prices?"):
        await chat.say(text)
    assert built == 1


async def test_sender_name_with_line_breaks_and_direction_marks_is_cleaned_before_the_greeting(chat: Chat) -> None:
    chat.name = "Al\u202eex\n\x00  Smith\u200b" + "x" * 300
    replies = await chat.say("Hi")
    greeting = replies[0]
    assert greeting.startswith("Hello, Alex Smith")
    assert "\n" not in greeting and "\u202e" not in greeting and "\x00" not in greeting
    assert pipeline.display_name("\u200b\n\t") is None
    assert len(pipeline.display_name("y" * 500) or "") == pipeline.MAX_NAME_CHARS


async def test_lost_leases_are_closed_together_so_the_heartbeat_does_not_let_the_rest_expire(redis_url: str) -> None:
    # The scale run's incident: one late heartbeat lost a few leases; closing those sessions one by one (about a
    # second each) held up the next renewal, so more leases expired, until 1,000 companies had dropped.
    from booking_bot.config import ManagerConfig
    from booking_bot.gateway.manager import SessionManager
    from tests.fakes.neonize_fake import FakeClientFactory

    async def drop(_message: object) -> None:
        return None

    redis = Redis.from_url(redis_url)
    try:
        manager = SessionManager(redis, FakeClientFactory(redis), drop, ManagerConfig(gateway_id="gw-test"))
        closing: list[str] = []

        async def slow_close(company_id: str, release: bool) -> None:
            closing.append(company_id)
            await asyncio.sleep(0.5)
            manager.held.pop(company_id, None)

        manager.held = dict.fromkeys((f"salon-{n}" for n in range(10)), None)  # type: ignore[arg-type]
        manager._close = slow_close  # type: ignore[method-assign]
        loop = asyncio.get_running_loop()
        began = loop.time()
        await manager._tick()  # no lease keys exist: every held company is lost
        assert sorted(closing) == sorted(f"salon-{n}" for n in range(10))
        assert loop.time() - began < 2.0  # one by one took 5 s
    finally:
        await redis.aclose()
