"""Webhook endpoints through the API (staff, or an integration token with the `webhooks` scope) and the dead-letter
list; the secret is shown once and private targets are refused by default."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from booking_bot.domain import DeliveryStatus, Event, EventType, WebhookDelivery, event_id
from tests.api.conftest import gateway_redis_url  # noqa: F401 - the fixture
from tests.api.harness import gateway_settings, running_gateway

W = "/api/v1/companies/salon-a/webhooks"


async def test_webhooks_admin_and_dead_letters(gateway_redis_url: str, tmp_path: Path) -> None:  # noqa: F811
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        staff = await gw.create_company("salon-a", "Salon A")
        private = await gw.call("POST", W, token=staff, json={"url": "http://127.0.0.1:6379/"})
        assert private.status == 422 and (await private.json())["error"] == "bad_url"
        made = await gw.call(
            "POST", W, token=staff, json={"url": "https://crm.example/hook", "events": ["booking.created"]}
        )
        assert made.status == 201
        created = await made.json()
        assert created["secret"].startswith("whsec_") and created["events"] == ["booking.created"]
        listed = await (await gw.call("GET", W, token=staff)).json()
        assert [w["id"] for w in listed["webhooks"]] == [created["id"]] and "secret" not in listed["webhooks"][0]
        rotated = await (await gw.call("POST", f"{W}/{created['id']}/secret", token=staff)).json()
        assert rotated["secret"] != created["secret"]
        [stored] = await gw.ctx.store.list_webhook_endpoints("salon-a")
        assert stored.secret.get_secret_value() == rotated["secret"]
        updated = await gw.call(
            "PUT", f"{W}/{created['id']}", token=staff, json={"url": "https://crm.example/v2", "enabled": False}
        )
        assert updated.status == 200 and (await updated.json())["enabled"] is False

        # A dead letter, as the delivery actor leaves it, is listed with its event's type.
        now = datetime.now(UTC)
        event = Event(
            id=event_id("salon-a", "booking.created", "k"),
            company_id="salon-a",
            type=EventType.BOOKING_CREATED,
            occurred_at=now,
        )
        await gw.ctx.store.record_event(event)
        dead = WebhookDelivery(
            id=WebhookDelivery.id_for(event.id, created["id"]),
            company_id="salon-a",
            event_id=event.id,
            endpoint_id=created["id"],
            status=DeliveryStatus.DEAD,
            attempts=8,
            last_status=500,
            last_error="HTTP 500",
            created_at=now,
            updated_at=now,
        )
        await gw.ctx.store.add_webhook_delivery(dead)
        tokens = "/api/v1/companies/salon-a/integration-tokens"
        hooks = (await (await gw.call("POST", tokens, json={"name": "CRM", "scopes": ["webhooks"]})).json())["token"]
        sender = (await (await gw.call("POST", tokens, json={"name": "Shop", "scopes": ["send"]})).json())["token"]
        letters = await gw.call("GET", "/api/v1/companies/salon-a/webhook-dead-letters", token=hooks)
        assert letters.status == 200
        [letter] = (await letters.json())["deliveries"]
        assert (letter["event_type"], letter["attempts"], letter["last_error"]) == ("booking.created", 8, "HTTP 500")
        assert (await gw.call("GET", "/api/v1/companies/salon-a/webhook-dead-letters", token=sender)).status == 403

        # The receiver was fixed: the dead letter is tried again from the start.
        redeliver = f"/api/v1/companies/salon-a/webhook-dead-letters/{dead.id}/redeliver"
        assert (await gw.call("POST", redeliver, token=sender)).status == 403
        queued_before = await gw.ctx.redis.llen("dramatiq:webhooks")
        again = await gw.call("POST", redeliver, token=hooks)
        assert again.status == 202
        body = await again.json()
        assert (body["status"], body["attempts"], body["last_error"]) == ("pending", 0, None)
        stored_again = await gw.ctx.store.get_webhook_delivery("salon-a", dead.id)
        assert stored_again is not None and stored_again.status is DeliveryStatus.PENDING
        assert await gw.ctx.redis.llen("dramatiq:webhooks") == queued_before + 1  # a delivery job is queued
        assert (await gw.call("POST", redeliver, token=hooks)).status == 409  # pending now: not a dead letter
        missing = "/api/v1/companies/salon-a/webhook-dead-letters/nope/redeliver"
        assert (await gw.call("POST", missing, token=hooks)).status == 404
        assert (await gw.call("DELETE", f"{W}/{created['id']}", token=hooks)).status == 200
        assert await gw.ctx.store.list_webhook_endpoints("salon-a") == []
