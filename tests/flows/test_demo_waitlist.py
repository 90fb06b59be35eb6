"""The demo runs the scheduler's leader too (no Redis: always the leader, on its worker's loop), so one can watch the
waiting list work in the browser: a second customer waits for a taken time, the first cancels, and the offer reaches
the second customer's chat through `GET /demo/api/messages` within a round."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from booking_bot.settings import Settings
from booking_bot.web.demo import create_app
from tests.conftest import FixedClock

ClientFactory = Callable[..., Awaitable[TestClient[Any, Any]]]
FIRST, SECOND = "+15550000001", "+15550000002"
ASK = "Can I book a men's haircut with Anna tomorrow at 3pm?"


@pytest.fixture(params=["builtin", "yclients-fake"])
async def client(
    request: pytest.FixtureRequest, aiohttp_client: ClientFactory, settings: Settings, clock: FixedClock
) -> AsyncIterator[TestClient[Any, Any]]:
    yield await aiohttp_client(create_app(settings, clock=clock, backend=request.param, scheduler_seconds=0.2))


async def say(client: TestClient[Any, Any], customer: str, text: str) -> list[str]:
    response = await client.post("/demo/api/chat", json={"customer": customer, "name": "Alex", "text": text})
    assert response.status == 200, await response.text()
    return [str(r) for r in (await response.json())["replies"]]


async def sent_on_its_own(client: TestClient[Any, Any], customer: str) -> list[str]:
    response = await client.get("/demo/api/messages", params={"customer": customer})
    assert response.status == 200, await response.text()
    return [str(m["text"]) for m in (await response.json())["messages"]]


async def test_a_cancelled_time_is_offered_to_the_customer_waiting_for_it(client: TestClient[Any, Any]) -> None:
    assert "Shall I book this?" in (await say(client, FIRST, ASK))[0]
    assert "You are booked" in (await say(client, FIRST, "yes"))[0]
    replies = await say(client, SECOND, ASK)
    assert "is not free" in replies[0] and "Shall I tell you if something frees up" in replies[-1]
    assert "I'll write to you here if a time frees up" in (await say(client, SECOND, "yes"))[0]
    assert await sent_on_its_own(client, SECOND) == []  # the chat's replies are not listed again

    assert "cancel" in (await say(client, FIRST, "cancel my appointment"))[0].lower()
    assert "cancelled" in (await say(client, FIRST, "yes"))[0]
    offers: list[str] = []
    for _ in range(150):  # the scheduler's round every 0.2 s, then the offer_opening job on the worker
        if offers := await sent_on_its_own(client, SECOND):
            break
        await asyncio.sleep(0.1)
    [offer] = offers
    assert offer.startswith("A time has freed up: Men's haircut with Anna, tomorrow, Saturday, 28 November, 3:00 PM")
    assert await sent_on_its_own(client, FIRST) == []

    assert "You are booked" in (await say(client, SECOND, "yes"))[0]
    booked = [b for b in (await (await client.get("/demo/api/bookings")).json())["bookings"] if b["status"] == "booked"]
    assert [(b["customer"], b["start"]) for b in booked] == [(SECOND, "2026-11-28T15:00:00+03:00")]


async def test_messages_need_a_phone_number(client: TestClient[Any, Any]) -> None:
    assert (await client.get("/demo/api/messages", params={"customer": "alice"})).status == 422
    assert await sent_on_its_own(client, "+15550000009") == []
