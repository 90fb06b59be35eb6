"""The send API and the staff page under the ban-safe rules, on a real gateway (real Redis, fake WhatsApp): the send
API asks the same check the outbox does, an opt-in lets a customer who never wrote be messaged, a newly linked
number's warm-up budget is a clear 429, and the number's health is on the session view and in /metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.api.harness import Gateway, gateway_settings, running_gateway
from tests.api.test_send_api import CUSTOMER, linked, send, sent_texts

STRANGER = "+44 7700 900123"


@pytest.fixture
async def gw(gateway_redis_url: str, tmp_path: Path) -> AsyncIterator[Gateway]:
    settings = gateway_settings(
        gateway_redis_url,
        tmp_path,
        gateway_typing_min_seconds=0,
        gateway_typing_max_seconds=0,
        gateway_send_interval_seconds=0,
        gateway_warmup_proactive_per_day=[2, 4],
    )
    async with running_gateway(settings) as gateway:
        yield gateway


async def test_customer_who_opted_in_can_be_messaged_before_writing(gw: Gateway) -> None:
    staff = await linked(gw)
    assert (await send(gw, staff, "cold-1", to=STRANGER)).status == 422
    opted = await gw.call("POST", "/api/v1/companies/salon-a/opt-ins", token=staff, json={"to": STRANGER})
    assert opted.status == 200, await opted.text()
    assert (await opted.json())["chat_id"] == "447700900123@s.whatsapp.net"
    again = await gw.call("POST", "/api/v1/companies/salon-a/opt-ins", token=staff, json={"to": "447700900123"})
    assert (await again.json())["opted_in_at"] == (await opted.json())["opted_in_at"]  # the first agreement kept
    accepted = await send(gw, staff, "cold-2", to=STRANGER)
    assert accepted.status == 200 and (await accepted.json())["status"] == "sent"
    assert await sent_texts(gw) == [{"to": "447700900123@s.whatsapp.net", "text": "Your order is ready"}]


async def test_newly_linked_number_over_its_warm_up_budget_gets_a_clear_429(gw: Gateway) -> None:
    staff = await linked(gw)  # linked just now: day 1 of 2, two proactive messages
    for key in ("w-1", "w-2"):
        assert (await send(gw, staff, key, text=key)).status == 200
    over = await send(gw, staff, "w-3")
    assert over.status == 429 and (await over.json())["error"] == "warm_up"
    assert 0 < int(over.headers["Retry-After"]) <= 86_400
    view = await (await gw.call("GET", "/api/v1/companies/salon-a/session", token=staff)).json()
    assert view["health"] == {
        "sent_24h": 2,
        "failed_24h": 0,
        "paused_24h": 0,
        "held_back_24h": 0,
        "refused_24h": 0,
        "pause_reason": None,
        "warmup_day": 1,
        "warmup_days": 2,
        "proactive_left_today": 0,
    }
    metrics = await (await gw.call("GET", "/metrics")).text()
    assert 'booking_bot_number_messages_24h{company="salon-a",figure="sent"} 2' in metrics
    assert 'booking_bot_number_warmup_day{company="salon-a"} 1' in metrics
    assert 'booking_bot_number_proactive_left{company="salon-a"} 0' in metrics
    assert [t["to"] for t in await sent_texts(gw)] == [CUSTOMER, CUSTOMER]
