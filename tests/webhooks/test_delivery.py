"""Webhook delivery end to end: the core's event sink → the store → the `deliver_webhook` job (StubBroker, a real
worker thread) → a local aiohttp receiver. The receiver checks the signature with its own HMAC code."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import dramatiq
import pytest
from pydantic import SecretStr

from booking_bot.composition import Embedded, build_embedded
from booking_bot.config import DeliveryPolicy
from booking_bot.domain import DeliveryStatus, EventType, WebhookDelivery, WebhookEndpoint, event_id
from booking_bot.jobs import WEBHOOK_QUEUE, DramatiqJobs
from booking_bot.settings import Settings
from booking_bot.webhooks.signing import verify
from integrations.messaging.simulated import SimulatedChannel
from tests.conftest import FixedClock
from tests.webhooks.receiver import Arrival, Receiver, running_receiver

SECRET = "whsec_test-secret"
BACKOFF_MS = 200
# The receiver listens on 127.0.0.1: private targets allowed, as `webhook_private_targets` allows them in tests.
POLICY = DeliveryPolicy(
    max_attempts=4, timeout_seconds=0.4, min_backoff_ms=BACKOFF_MS, max_backoff_ms=5_000, private_targets=True
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The delivery policy above, as settings give it to the stack (the job's retries and the attempts' limit)."""
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path,
        webhook_max_attempts=POLICY.max_attempts,
        webhook_timeout_seconds=POLICY.timeout_seconds,
        webhook_min_backoff_seconds=POLICY.min_backoff_ms / 1000,
        webhook_max_backoff_seconds=POLICY.max_backoff_ms / 1000,
        webhook_private_targets=POLICY.private_targets,
        _env_file=None,
    )


@pytest.fixture
async def embedded(settings: Settings, clock: FixedClock) -> AsyncIterator[Embedded]:
    """The demo's stack: its jobs on the stub broker, which `delivering` runs a worker over."""
    stack = build_embedded(settings, SimulatedChannel(), clock=clock, in_memory=True)
    assert stack.services.webhooks == POLICY
    try:
        yield stack
    finally:
        stack.close()


@contextmanager
def delivering(embedded: Embedded) -> Iterator[None]:
    """The demo's wiring: one worker over the stack's stub broker."""
    assert isinstance(embedded.jobs, DramatiqJobs)
    worker = dramatiq.Worker(embedded.jobs.broker, worker_threads=2, worker_timeout=20)
    worker.start()
    try:
        yield
    finally:
        worker.stop()


async def add_endpoint(embedded: Embedded, url: str, *events: EventType) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        id="wh_" + "a" * 16,
        company_id="acme",
        url=url,
        secret=SecretStr(SECRET),
        events=events,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    await embedded.store.save_webhook_endpoint(endpoint)
    return endpoint


async def finished(embedded: Embedded, delivery_id: str, limit: float = 15.0) -> WebhookDelivery:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        delivery = await embedded.store.get_webhook_delivery("acme", delivery_id)
        if delivery is not None and delivery.status is not DeliveryStatus.PENDING:
            return delivery
        await asyncio.sleep(0.02)
    raise AssertionError("the delivery did not finish in time")


def independently_verified(arrival: Arrival) -> bool:
    """The receiver's side, written from docs/webhooks.md without the project's code."""
    timestamp = arrival.headers["X-Timestamp"]
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + arrival.body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and hmac.compare_digest("v1=" + expected, arrival.headers["X-Signature"])


@pytest.fixture
async def receiver_ok() -> AsyncIterator[Receiver]:
    async with running_receiver([]) as receiver:
        yield receiver


async def emit_booking(embedded: Embedded, key: str = "acme:m1") -> str:
    assert embedded.services.events is not None
    await embedded.services.events.emit("acme", EventType.BOOKING_CREATED, key, {"booking": {"id": "b1"}})
    return WebhookDelivery.id_for(event_id("acme", EventType.BOOKING_CREATED, key), "wh_" + "a" * 16)


async def test_delivery_is_signed_and_verifies_with_an_independent_hmac(
    embedded: Embedded, settings: Settings, receiver_ok: Receiver
) -> None:
    await add_endpoint(embedded, receiver_ok.url)
    with delivering(embedded):
        delivery_id = await emit_booking(embedded)
        delivery = await finished(embedded, delivery_id)
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 1 and delivery.last_status == 200
    [arrival] = receiver_ok.arrivals
    body = json.loads(arrival.body)
    assert body["type"] == "booking.created" and body["company_id"] == "acme"
    assert body["data"] == {"booking": {"id": "b1"}}
    assert arrival.headers["X-Event-Id"] == body["id"] == event_id("acme", "booking.created", "acme:m1")
    assert independently_verified(arrival)
    # A tampered body, another secret or an old timestamp fail the check (the project's own verify, too).
    assert not verify(
        SECRET, arrival.body + b" ", arrival.headers["X-Timestamp"], arrival.headers["X-Signature"], time.time()
    )
    assert not verify(
        "other", arrival.body, arrival.headers["X-Timestamp"], arrival.headers["X-Signature"], time.time()
    )
    assert not verify(
        SECRET, arrival.body, arrival.headers["X-Timestamp"], arrival.headers["X-Signature"], time.time() + 3600
    )
    assert verify(SECRET, arrival.body, arrival.headers["X-Timestamp"], arrival.headers["X-Signature"], time.time())


async def test_retried_job_emitting_again_delivers_the_event_once(
    embedded: Embedded, settings: Settings, receiver_ok: Receiver
) -> None:
    await add_endpoint(embedded, receiver_ok.url)
    with delivering(embedded):
        first = await emit_booking(embedded)
        second = await emit_booking(embedded)  # the same key: a retried job
        assert first == second
        await finished(embedded, first)
        await asyncio.sleep(0.3)
    assert len(receiver_ok.arrivals) == 1


async def test_endpoint_filter_skips_other_events(
    embedded: Embedded, settings: Settings, receiver_ok: Receiver
) -> None:
    await add_endpoint(embedded, receiver_ok.url, EventType.HANDOFF_REQUESTED)
    with delivering(embedded):
        delivery_id = await emit_booking(embedded)
        await asyncio.sleep(0.3)
    assert await embedded.store.get_webhook_delivery("acme", delivery_id) is None
    assert receiver_ok.arrivals == []


def gaps(arrivals: list[Arrival]) -> list[float]:
    return [later.at - earlier.at for earlier, later in itertools.pairwise(arrivals)]


async def test_retries_on_500_and_timeout_with_exponential_backoff(
    embedded: Embedded, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_receiver([500, "hang", 503]) as receiver:
        await add_endpoint(embedded, receiver.url)
        with delivering(embedded):
            delivery = await finished(embedded, await emit_booking(embedded))
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 4
    assert len(receiver.arrivals) == 4
    assert len({a.headers["X-Event-Id"] for a in receiver.arrivals}) == 1  # the same event each time
    assert all(independently_verified(a) for a in receiver.arrivals)
    # Dramatiq's backoff before retry n is in [b·2ⁿ⁻¹/2, b·2ⁿ⁻¹] (jitter): at least 100, 200, 400 ms here; the hung
    # attempt adds its 0.4 s timeout to the second gap.
    measured = gaps(receiver.arrivals)
    floors = [BACKOFF_MS / 2000 * 2**n for n in range(3)]
    assert measured[1] >= floors[1] + POLICY.timeout_seconds
    assert all(gap >= floor for gap, floor in zip(measured, floors, strict=True)), measured
    assert measured[2] > measured[0]
    # An expected failure is one line of our own, not a traceback from Dramatiq per attempt.
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]


async def test_dead_letter_after_the_attempt_limit(embedded: Embedded, settings: Settings) -> None:
    async with running_receiver([500] * 10) as receiver:
        await add_endpoint(embedded, receiver.url)
        with delivering(embedded):
            delivery = await finished(embedded, await emit_booking(embedded))
            await asyncio.sleep(0.5)  # no attempt after the dead letter
    assert len(receiver.arrivals) == POLICY.max_attempts
    assert delivery.status is DeliveryStatus.DEAD
    assert (delivery.attempts, delivery.last_status, delivery.last_error) == (4, 500, "HTTP 500")
    assert await embedded.store.list_webhook_deliveries("acme", DeliveryStatus.DEAD) == [delivery]


async def test_removed_endpoint_turns_its_pending_delivery_into_a_dead_letter_without_a_request(
    embedded: Embedded, settings: Settings, receiver_ok: Receiver
) -> None:
    endpoint = await add_endpoint(embedded, receiver_ok.url)
    delivery_id = await emit_booking(embedded)  # recorded and queued, but no worker runs yet
    await embedded.store.delete_webhook_endpoint("acme", endpoint.id)
    with delivering(embedded):
        dramatiq.get_broker().enqueue(
            dramatiq.Message(
                queue_name=WEBHOOK_QUEUE,
                actor_name="deliver_webhook",
                args=("acme", delivery_id),
                kwargs={},
                options={},
            )
        )
        delivery = await finished(embedded, delivery_id)
    assert delivery.status is DeliveryStatus.DEAD and delivery.attempts == 0
    assert receiver_ok.arrivals == []
