"""Webhooks reach public addresses only — checked at registration and again at every delivery, so a name that
later resolves to the gateway's own network (DNS rebinding) gets no request."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from pydantic import SecretStr

from booking_bot.config import DeliveryPolicy
from booking_bot.domain import DeliveryStatus, Event, EventType, WebhookDelivery, WebhookEndpoint, event_id
from booking_bot.webhooks.delivery import DeliveryFailed, attempt_delivery
from booking_bot.webhooks.targets import NotPublic, PublicAddressesOnly, is_public
from integrations.storage.sqlite import SqliteStore
from tests.webhooks.receiver import running_receiver

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
ENDPOINT = "wh_" + "a" * 16
EVENT = event_id("acme", EventType.MESSAGE_RECEIVED, "m1")
DELIVERY = WebhookDelivery.id_for(EVENT, ENDPOINT)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("224.0.0.1", False),
        ("example.com", False),  # not an address at all
    ],
)
def test_only_globally_routable_unicast_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


class _Answers(AbstractResolver):
    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    async def resolve(self, host: str, port: int = 0, family: object = socket.AF_INET) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=a, port=port, family=socket.AF_INET, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        return None


async def test_resolver_keeps_public_addresses_and_refuses_a_name_with_none() -> None:
    mixed = PublicAddressesOnly(_Answers("127.0.0.1", "93.184.216.34", "10.0.0.5"))
    assert [r["host"] for r in await mixed.resolve("hooks.example.com", 443)] == ["93.184.216.34"]
    rebound = PublicAddressesOnly(_Answers("127.0.0.1"))
    with pytest.raises(NotPublic):
        await rebound.resolve("hooks.example.com", 443)


async def _store_with_delivery(url: str) -> SqliteStore:
    store = SqliteStore(":memory:", lambda: NOW)
    await store.save_webhook_endpoint(
        WebhookEndpoint(id=ENDPOINT, company_id="acme", url=url, secret=SecretStr("s"), events=(), created_at=NOW)
    )
    event = Event(id=EVENT, company_id="acme", type=EventType.MESSAGE_RECEIVED, occurred_at=NOW, data={})
    await store.record_event(event)
    await store.add_webhook_delivery(
        WebhookDelivery(
            id=DELIVERY, company_id="acme", event_id=EVENT, endpoint_id=ENDPOINT, created_at=NOW, updated_at=NOW
        )
    )
    return store


async def test_a_name_resolving_to_this_machine_gets_no_request_at_delivery() -> None:
    async with running_receiver([]) as receiver:
        rebound_url = receiver.url.replace("127.0.0.1", "localhost")  # a name now pointing at loopback
        store = await _store_with_delivery(rebound_url)
        with pytest.raises(DeliveryFailed, match="private or local"):
            await attempt_delivery(store, "acme", DELIVERY, DeliveryPolicy(max_attempts=3), lambda: NOW)
        assert receiver.arrivals == []
        delivery = await store.get_webhook_delivery("acme", DELIVERY)
        assert delivery is not None and delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1
        # With private targets allowed (tests, on-premises receivers) the same delivery goes through.
        allowed = DeliveryPolicy(max_attempts=3, private_targets=True)
        assert await attempt_delivery(store, "acme", DELIVERY, allowed, lambda: NOW) is DeliveryStatus.DELIVERED
        assert len(receiver.arrivals) == 1
        store.close()


async def test_a_literal_private_address_is_a_dead_letter_without_a_request() -> None:
    async with running_receiver([]) as receiver:
        store = await _store_with_delivery(receiver.url)  # http://127.0.0.1:<port>/hook
        status = await attempt_delivery(store, "acme", DELIVERY, DeliveryPolicy(), lambda: NOW)
        assert status is DeliveryStatus.DEAD
        assert receiver.arrivals == []
        delivery = await store.get_webhook_delivery("acme", DELIVERY)
        assert delivery is not None and delivery.last_error == "private or local address not allowed"
        store.close()
