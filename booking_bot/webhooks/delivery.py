"""One delivery attempt of one event to one endpoint, and the policy around attempts.

The attempt count lives in the store (the delivery row), so the policy holds across worker restarts: a failed
attempt under the limit raises `DeliveryFailed` (the actor's retry, with exponential backoff, tries again); the
attempt that reaches the limit makes the delivery a dead letter instead. A delivery that is no longer pending
(delivered, dead, or its endpoint removed) is left alone, so a duplicate job does nothing.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import aiohttp
import dramatiq

from booking_bot.config import DeliveryPolicy
from booking_bot.domain import DeliveryStatus, WebhookDelivery
from booking_bot.ports import Clock, Store
from booking_bot.webhooks.signing import signed_headers
from booking_bot.webhooks.targets import PublicAddressesOnly, is_public, literal_address

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 200


class DeliveryFailed(dramatiq.Retry):
    """This attempt failed and attempts are left: retry later. A `dramatiq.Retry`: retried with the actor's backoff
    like any error, without Dramatiq logging a traceback for an outcome that is expected (a receiver returned 500)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)  # type: ignore[no-untyped-call]  # no delay: the actor's backoff decides


async def attempt_delivery(
    store: Store,
    company_id: str,
    delivery_id: str,
    policy: DeliveryPolicy,
    clock: Clock,
    wall: Callable[[], float] = time.time,
) -> DeliveryStatus | None:
    """Make one attempt; the delivery's status afterwards (None: unknown delivery). Raises `DeliveryFailed` to be
    retried."""
    delivery = await store.get_webhook_delivery(company_id, delivery_id)
    if delivery is None or delivery.status is not DeliveryStatus.PENDING:
        return None if delivery is None else delivery.status
    event = await store.get_event(company_id, delivery.event_id)
    endpoint = next((e for e in await store.list_webhook_endpoints(company_id) if e.id == delivery.endpoint_id), None)
    if event is None or endpoint is None or not endpoint.enabled:
        await _finish(store, delivery, clock, DeliveryStatus.DEAD, None, "endpoint removed or disabled")
        return DeliveryStatus.DEAD
    host = urlsplit(endpoint.url).hostname or ""
    if not policy.private_targets and literal_address(host) and not is_public(host):
        # Registered while private targets were allowed: it can never become deliverable here.
        await _finish(store, delivery, clock, DeliveryStatus.DEAD, None, "private or local address not allowed")
        return DeliveryStatus.DEAD
    body = json.dumps(event.body(), separators=(",", ":"), ensure_ascii=False).encode()
    headers = signed_headers(endpoint.secret.get_secret_value(), event.id, int(wall()), body)
    status: int | None = None
    try:
        timeout = aiohttp.ClientTimeout(total=policy.timeout_seconds)
        # Names resolve to public addresses only, at every attempt (DNS rebinding: booking_bot/webhooks/targets.py).
        connector = None if policy.private_targets else aiohttp.TCPConnector(resolver=PublicAddressesOnly())
        async with (
            aiohttp.ClientSession(timeout=timeout, connector=connector) as session,
            session.post(endpoint.url, data=body, headers=headers, allow_redirects=False) as response,
        ):
            status = response.status
        error = None if 200 <= status < 300 else f"HTTP {status}"
    except TimeoutError:
        error = f"timeout after {policy.timeout_seconds:g} s"
    except aiohttp.ClientError as exc:
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
    attempts = delivery.attempts + 1
    if error is None:
        await _finish(store, delivery, clock, DeliveryStatus.DELIVERED, status, None, attempts)
        log.info("company=%s webhook %s delivered (attempt %d)", company_id, endpoint.id, attempts)
        return DeliveryStatus.DELIVERED
    if attempts >= policy.max_attempts:
        await _finish(store, delivery, clock, DeliveryStatus.DEAD, status, error, attempts)
        log.warning("company=%s webhook %s dead after %d attempts: %s", company_id, endpoint.id, attempts, error)
        return DeliveryStatus.DEAD
    await _finish(store, delivery, clock, DeliveryStatus.PENDING, status, error, attempts)
    log.info("company=%s webhook %s attempt %d failed: %s", company_id, endpoint.id, attempts, error)
    raise DeliveryFailed(error)


async def _finish(
    store: Store,
    delivery: WebhookDelivery,
    clock: Clock,
    status: DeliveryStatus,
    http_status: int | None,
    error: str | None,
    attempts: int | None = None,
) -> None:
    await store.update_webhook_delivery(
        delivery.model_copy(
            update={
                "status": status,
                "attempts": delivery.attempts if attempts is None else attempts,
                "last_status": http_status,
                "last_error": error,
                "updated_at": clock(),
            }
        )
    )
