"""The Dramatiq actor that delivers one webhook: `deliver_webhook(company_id, delivery_id)`.

Declare it on the process's broker with `declare_webhook_actor(broker, policy)` and bind its `send` to the
process's `StoreEventSink` (`sink.bind(actor.send)`), after `booking_bot.queue.install(services)`.
Retries are Dramatiq's (exponential backoff from `min_backoff_ms`, doubling, with jitter, capped at
`max_backoff_ms`); the attempt count and the dead-letter decision are the store's (booking_bot/webhooks/delivery.py).
"""

from __future__ import annotations

from collections.abc import Awaitable

import dramatiq

from booking_bot.queue import NotInstalled, installed
from booking_bot.settings import Settings
from booking_bot.webhooks.delivery import DeliveryPolicy, attempt_delivery

WEBHOOK_QUEUE = "webhooks"
WebhookActor = dramatiq.Actor[[str, str], Awaitable[None]]


def policy_from(settings: Settings) -> DeliveryPolicy:
    return DeliveryPolicy(
        max_attempts=settings.webhook_max_attempts,
        timeout_seconds=settings.webhook_timeout_seconds,
        min_backoff_ms=int(settings.webhook_min_backoff_seconds * 1000),
        max_backoff_ms=int(settings.webhook_max_backoff_seconds * 1000),
        private_targets=settings.webhook_private_targets,
    )


def declare_webhook_actor(broker: dramatiq.Broker, policy: DeliveryPolicy | None = None) -> WebhookActor:
    chosen = policy or DeliveryPolicy()

    async def deliver_webhook(company_id: str, delivery_id: str) -> None:
        """Takes ids: the event, the endpoint and the attempt count are read from the store at each attempt.
        A failed attempt under the limit raises `DeliveryFailed`, which Dramatiq retries after its backoff."""
        services = installed()
        await attempt_delivery(services.store, company_id, delivery_id, chosen, services.clock)

    actor: WebhookActor = dramatiq.actor(
        deliver_webhook,
        broker=broker,
        actor_name="deliver_webhook",
        queue_name=WEBHOOK_QUEUE,
        # The store counts attempts and turns the last one into a dead letter; Dramatiq's limit is only a backstop.
        max_retries=chosen.max_attempts,
        min_backoff=chosen.min_backoff_ms,
        max_backoff=chosen.max_backoff_ms,
        time_limit=int(chosen.timeout_seconds * 1000) + 30_000,
        throws=(NotInstalled,),  # Dramatiq's `throws` fails the message at once: never a retryable error
    )
    return actor
