"""The demo's JSON API with the real in-process Dramatiq worker (StubBroker): what the README promises."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from booking_bot.domain import InboundMessage
from booking_bot.inbound import accept_inbound
from booking_bot.settings import Settings
from booking_bot.web.demo import RUNTIME, create_app
from tests.conftest import FixedClock

ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory, settings: Settings, clock: FixedClock
) -> AsyncIterator[TestClient[Any, Any]]:
    yield await aiohttp_client(create_app(settings, clock=clock))


async def say(client: TestClient[Any, Any], text: str, customer: str = "+15550000001") -> list[str]:
    response = await client.post("/demo/api/chat", json={"customer": customer, "name": "Alex", "text": text})
    assert response.status == 200, await response.text()
    body = await response.json()
    assert isinstance(body["replies"], list)
    return [str(r) for r in body["replies"]]


async def test_health_and_pages(client: TestClient[Any, Any]) -> None:
    assert (await client.get("/health")).status == 200
    for path in ("/", "/bookings", "/demo/api/salon"):
        assert (await client.get(path)).status == 200


async def test_booking_through_the_api_is_listed_with_the_salons_offset(client: TestClient[Any, Any]) -> None:
    assert (await say(client, "Hi"))[0]
    assert "Shall I book this?" in (await say(client, "Can I book a men's haircut with Anna tomorrow at 3pm?"))[0]
    assert "You are booked" in (await say(client, "yes"))[0]
    body = await (await client.get("/demo/api/bookings")).json()
    [booking] = body["bookings"]
    assert booking["service"] == "Men's haircut" and booking["staff"] == "Anna"
    assert booking["start"] == "2026-11-28T15:00:00+03:00"
    assert booking["status"] == "booked" and booking["customer"] == "+15550000001"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ("not json", 400),
        ([1, 2], 400),
        ({"customer": "+15550000001"}, 422),
        ({"customer": "alice", "text": "hi"}, 422),
        ({"customer": "+15550000001", "text": "x" * 5000}, 422),
        ({"customer": "+15550000001", "text": "hi", "language": "xx"}, 422),
    ],
)
async def test_bad_chat_requests_get_a_clear_error(client: TestClient[Any, Any], payload: object, status: int) -> None:
    if isinstance(payload, str):
        response = await client.post("/demo/api/chat", data=payload, headers={"Content-Type": "application/json"})
    else:
        response = await client.post("/demo/api/chat", json=payload)
    assert response.status == status
    assert "error" in await response.json()


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "\x00\x01", "ñ" * 4096, "مرحبا", "1234567890" * 40])
async def test_any_text_gets_a_polite_answer_or_is_ignored_never_a_crash(
    client: TestClient[Any, Any], text: str
) -> None:
    replies = await say(client, text)
    assert all(isinstance(r, str) and r for r in replies)


async def test_burst_of_three_messages_is_handled_in_arrival_order(
    client: TestClient[Any, Any], clock: FixedClock
) -> None:
    runtime = client.app[RUNTIME]
    services = runtime.embedded.services
    texts = ["Hi", "I'd like a men's haircut", "tomorrow at 5pm with Bari"]
    messages = [
        InboundMessage(
            company_id=runtime.company.id,
            message_id=f"burst-{n}",
            chat_id="+15550000002",
            text=text,
            received_at=clock(),
        )
        for n, text in enumerate(texts)
    ]
    for message in messages:  # queued back to back, before the worker answers the first
        assert await accept_inbound(services, message)
    for _ in range(500):
        if all([await services.store.inbound_done(m.company_id, m.message_id) for m in messages]):
            break
        await asyncio.sleep(0.01)
    replies = [await services.store.outbound_replies(m.company_id, m.message_id) for m in messages]
    assert "Demo Salon" in replies[0][0].text
    assert "Which day" in replies[1][0].text  # the service from message 2 is known, the day is asked
    final = replies[2][0].text
    assert "Shall I book this?" in final and "Bari" in final and "5:00 PM" in final
    assert "Men's haircut" in final  # message 3 was read with message 2's state


async def test_duplicate_delivery_is_acted_on_once(client: TestClient[Any, Any], clock: FixedClock) -> None:
    runtime = client.app[RUNTIME]
    message = InboundMessage(
        company_id=runtime.company.id, message_id="dup-1", chat_id="+15550000003", text="Hi", received_at=clock()
    )
    assert await accept_inbound(runtime.embedded.services, message)
    assert not await accept_inbound(runtime.embedded.services, message)
    for _ in range(500):
        if await runtime.embedded.store.inbound_done(message.company_id, message.message_id):
            break
        await asyncio.sleep(0.01)
    assert len(runtime.channel.sent(chat_id="+15550000003")) == 1


def test_demo_refuses_a_non_stub_broker(settings: Settings) -> None:
    with pytest.raises(ValueError, match="stub"):
        create_app(settings.model_copy(update={"broker": "redis"}))


async def test_demo_against_the_fake_yclients_server_books_there(
    aiohttp_client: ClientFactory, settings: Settings, clock: FixedClock
) -> None:
    client = await aiohttp_client(create_app(settings, clock=clock, backend="yclients-fake"))
    assert "Shall I book this?" in (await say(client, "Can I book a men's haircut with Anna tomorrow at 3pm?"))[0]
    assert "You are booked" in (await say(client, "yes"))[0]
    [booking] = (await (await client.get("/demo/api/bookings")).json())["bookings"]
    assert booking["start"] == "2026-11-28T15:00:00+03:00" and booking["status"] == "booked"
    assert booking["staff"] == "Anna" and "haircut" in booking["service"].lower()


def test_demo_refuses_an_unknown_backend(settings: Settings) -> None:
    with pytest.raises(ValueError, match="yclients-fake"):
        create_app(settings, backend="nope")
