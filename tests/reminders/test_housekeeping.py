"""The scheduler's housekeeping round (the inbound sweep): only the leader runs it, and a Redis outage skips a round
with one warning line instead of failing the job with a traceback every few seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from booking_bot.domain import InboundMessage
from booking_bot.scheduler import ReminderScheduler, SoleLeader
from booking_bot.sweep import requeue_stale_inbound
from integrations.storage.sqlite import SqliteStore

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


class _Follower:
    async def acquire_or_renew(self) -> bool:
        return False

    async def release(self) -> None:
        return None


class _Unreachable:
    async def acquire_or_renew(self) -> bool:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    async def release(self) -> None:
        return None


async def _nothing_due(_reminder: object) -> None:
    return None


def _message(message_id: str, chat_id: str) -> InboundMessage:
    return InboundMessage(company_id="acme", message_id=message_id, chat_id=chat_id, text="hi", received_at=NOW)


async def test_sweep_queues_one_job_per_chat_with_an_old_unhandled_message() -> None:
    store = SqliteStore(":memory:", lambda: NOW - timedelta(minutes=5))
    for message_id, chat in (("m1", "chat-1"), ("m2", "chat-1"), ("m3", "chat-2"), ("done", "chat-3")):
        await store.record_inbound(_message(message_id, chat))
    await store.mark_inbound_done("acme", "done")
    queued: list[tuple[str, str, str]] = []
    count = await requeue_stale_inbound(store, lambda *job: queued.append(job), lambda: NOW, timedelta(seconds=60))
    assert count == 2
    assert sorted(queued) == [("acme", "chat-1", "m1"), ("acme", "chat-2", "m3")]
    assert await requeue_stale_inbound(store, lambda *job: queued.append(job), lambda: NOW, timedelta(minutes=6)) == 0
    store.close()


async def test_only_the_leader_sweeps() -> None:
    runs: list[int] = []

    async def sweep() -> int:
        runs.append(1)
        return 1

    store = SqliteStore(":memory:", lambda: NOW)
    follower = ReminderScheduler(store, _nothing_due, lambda: NOW, _Follower(), housekeeping=sweep)
    assert await follower.housekeep() == 0
    leader = ReminderScheduler(store, _nothing_due, lambda: NOW, SoleLeader(), housekeeping=sweep)
    assert await leader.housekeep() == 1
    assert runs == [1]
    store.close()


async def test_redis_outage_skips_a_round_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    async def sweep() -> int:
        raise AssertionError("not reached: leadership could not be checked")

    store = SqliteStore(":memory:", lambda: NOW)
    scheduler = ReminderScheduler(store, _nothing_due, lambda: NOW, _Unreachable(), housekeeping=sweep)
    assert await scheduler.housekeep() == 0
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "Redis unreachable" in caplog.records[0].getMessage()
    store.close()


async def test_webhook_delivery_without_a_job_is_queued_again_only_after_its_retries_could_have_run() -> None:
    from booking_bot.domain import WebhookDelivery
    from booking_bot.sweep import delivery_requeue_after, requeue_stale_deliveries

    store = SqliteStore(":memory:", lambda: NOW)
    after = delivery_requeue_after(max_backoff_seconds=3600, timeout_seconds=10)
    assert after == timedelta(hours=2, seconds=70)  # a retry waits at most an hour: twice that, plus an attempt
    lost = WebhookDelivery(
        id="evt-1.wh", company_id="acme", event_id="evt-1", endpoint_id="wh", created_at=NOW, updated_at=NOW
    )
    await store.add_webhook_delivery(lost)
    queued: list[tuple[str, str]] = []
    assert await requeue_stale_deliveries(store, lambda *job: queued.append(job), lambda: NOW + after / 2, after) == 0
    assert await requeue_stale_deliveries(store, lambda *job: queued.append(job), lambda: NOW + after * 2, after) == 1
    assert queued == [("acme", "evt-1.wh")]
    store.close()
