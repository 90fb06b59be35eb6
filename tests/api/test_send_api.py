"""POST /api/v1/companies/{id}/messages on a real gateway (real Redis, fake WhatsApp): scopes, the idempotency key,
the rate limits and the ban-avoidance rules; integration tokens made, rotated and revoked through the admin API."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from booking_bot.domain import InboundMessage
from tests.api.harness import Gateway, gateway_settings, running_gateway
from tests.fakes.neonize_fake import FakeWhatsApp

NUMBER = "15550000009"
CUSTOMER = "15550000001@s.whatsapp.net"
SEND = "/api/v1/companies/salon-a/messages"
TOKENS = "/api/v1/companies/salon-a/integration-tokens"


@pytest.fixture
async def gw(gateway_redis_url: str, tmp_path: Path) -> AsyncIterator[Gateway]:
    settings = gateway_settings(
        gateway_redis_url,
        tmp_path,
        gateway_typing_min_seconds=0,
        gateway_typing_max_seconds=0,
        gateway_send_interval_seconds=0,
    )
    async with running_gateway(settings) as gateway:
        yield gateway


async def linked(gw: Gateway) -> str:
    """Salon A with a linked number and one customer who wrote before; returns the staff token."""
    token = await gw.create_company("salon-a", "Salon A")
    await gw.wait_state("salon-a", "unpaired")
    assert (await gw.call("POST", "/api/v1/companies/salon-a/session/pairing", token=token)).status == 202
    await gw.wait_state("salon-a", "pairing_qr")
    await gw.client_of("salon-a").complete_pairing(NUMBER)
    await gw.wait_state("salon-a", "connected")
    wrote = InboundMessage(
        company_id="salon-a",
        message_id="in-1",
        chat_id=CUSTOMER,
        phone="+15550000001",
        text="hi",
        received_at=datetime.now(UTC),
    )
    assert await gw.ctx.store.record_inbound(wrote)
    return token


async def send(gw: Gateway, token: str, key: str | None, to: str = CUSTOMER, text: str = "Your order is ready") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return await gw.call("POST", SEND, token=token, json={"to": to, "text": text}, headers=headers)


async def integration_token(gw: Gateway, *scopes: str) -> dict[str, Any]:
    made = await gw.call("POST", TOKENS, json={"name": "CRM", "scopes": list(scopes)})
    assert made.status == 201, await made.text()
    body: dict[str, Any] = await made.json()
    return body


async def sent_texts(gw: Gateway) -> list[dict[str, str]]:
    return await FakeWhatsApp(gw.redis).sent(NUMBER)


async def test_send_with_the_staff_token_and_with_a_send_scoped_integration_token(
    gw: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    staff = await linked(gw)
    first = await send(gw, staff, "order-1")
    assert first.status == 200, await first.text()
    assert await first.json() == {
        "id": "out:salon-a:api:order-1:0",
        "chat_id": CUSTOMER,
        "status": "sent",
        "replayed": False,
    }
    crm = await integration_token(gw, "send")
    assert crm["token"].startswith("salon-a." + crm["id"] + ".") and crm["scopes"] == ["send"]
    by_phone = await send(gw, crm["token"], "order-2", to="+1 555 000 0001", text="We have a free slot at 5")
    assert by_phone.status == 200 and (await by_phone.json())["chat_id"] == CUSTOMER
    assert await sent_texts(gw) == [
        {"to": CUSTOMER, "text": "Your order is ready"},
        {"to": CUSTOMER, "text": "We have a free slot at 5"},
    ]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("15550000001", "free slot", crm["token"].rpartition(".")[2]):
        assert secret not in logged


async def test_integration_token_without_the_send_scope_is_refused_and_sends_nothing(gw: Gateway) -> None:
    await linked(gw)
    reader = await integration_token(gw, "status", "webhooks")
    refused = await send(gw, reader["token"], "order-1")
    assert refused.status == 403 and "send" in (await refused.json())["message"]
    # Its scopes work where they apply; routes without a scope (pairing, unlinking) refuse every integration token.
    assert (await gw.call("GET", "/api/v1/companies/salon-a/session", token=reader["token"])).status == 200
    assert (await gw.call("GET", "/api/v1/companies/salon-a/webhooks", token=reader["token"])).status == 200
    assert (await gw.call("POST", "/api/v1/companies/salon-a/session/logout", token=reader["token"])).status == 403
    assert (await gw.call("GET", TOKENS, token=reader["token"])).status == 403  # the admin's
    assert await sent_texts(gw) == []


async def test_rotated_and_revoked_integration_tokens_stop_working(gw: Gateway) -> None:
    await linked(gw)
    old = await integration_token(gw, "send")
    rotated = await gw.call("POST", f"{TOKENS}/{old['id']}/rotate")
    assert rotated.status == 201
    new = await rotated.json()
    assert new["id"] == old["id"] and new["token"] != old["token"] and new["rotated_at"] is not None
    assert (await send(gw, old["token"], "k1")).status == 401
    assert (await send(gw, new["token"], "k1")).status == 200
    listed = await (await gw.call("GET", TOKENS)).json()
    assert [t["id"] for t in listed["tokens"]] == [old["id"]] and "token" not in listed["tokens"][0]
    stored = await gw.ctx.store.get_integration_token("salon-a", old["id"])
    assert stored is not None and new["token"].rpartition(".")[2] not in stored.model_dump_json()  # hashed only
    revoked = await gw.call("DELETE", f"{TOKENS}/{old['id']}")
    assert revoked.status == 200 and (await revoked.json())["revoked_at"] is not None
    assert (await send(gw, new["token"], "k2")).status == 401
    assert (await gw.call("POST", f"{TOKENS}/{old['id']}/rotate")).status == 409


async def test_idempotency_key_replay_sends_once(gw: Gateway) -> None:
    staff = await linked(gw)
    assert (await send(gw, staff, None)).status == 400  # the header is required
    first = await send(gw, staff, "promo-7")
    again = await send(gw, staff, "promo-7")
    assert first.status == again.status == 200
    first_body, again_body = await first.json(), await again.json()
    assert again_body == {**first_body, "replayed": True}
    conflict = await send(gw, staff, "promo-7", text="another text")
    assert conflict.status == 409 and (await conflict.json())["error"] == "idempotency_conflict"
    assert await sent_texts(gw) == [{"to": CUSTOMER, "text": "Your order is ready"}]


async def test_rate_limit_per_company_then_429_with_retry_after(gw: Gateway) -> None:
    staff = await linked(gw)
    gw.ctx.send.per_minute = 2
    assert (await send(gw, staff, "a", text="one")).status == 200
    assert (await send(gw, staff, "b", text="two")).status == 200
    limited = await send(gw, staff, "c", text="three")
    assert limited.status == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60
    assert (await send(gw, staff, "a", text="one")).status == 200  # a replay is not a new message
    assert [m["text"] for m in await sent_texts(gw)] == ["one", "two"]


async def test_rate_limit_per_customer(gw: Gateway) -> None:
    staff = await linked(gw)
    gw.ctx.send.per_chat_per_hour = 1
    assert (await send(gw, staff, "a", text="one")).status == 200
    assert (await send(gw, staff, "b", text="two")).status == 429


async def test_customer_who_never_wrote_gets_a_clear_refusal(gw: Gateway) -> None:
    staff = await linked(gw)
    stranger = await send(gw, staff, "cold-1", to="+44 7700 900123")
    assert stranger.status == 422 and (await stranger.json())["error"] == "no_conversation"
    assert (await send(gw, staff, "bad", to="not a number")).status == 422
    gw.ctx.send.new_contacts = True  # BOOKING_BOT_API_SEND_NEW_CONTACTS
    assert (await send(gw, staff, "cold-2", to="+44 7700 900123")).status == 200
    assert await sent_texts(gw) == [{"to": "447700900123@s.whatsapp.net", "text": "Your order is ready"}]


async def test_not_linked_number_is_refused(gw: Gateway) -> None:
    staff = await gw.create_company("salon-a", "Salon A")
    await gw.wait_state("salon-a", "unpaired")
    await gw.ctx.store.record_inbound(
        InboundMessage(company_id="salon-a", message_id="in-1", chat_id=CUSTOMER, received_at=datetime.now(UTC))
    )
    refused = await send(gw, staff, "k")
    assert refused.status == 409 and (await refused.json())["error"] == "not_linked"
