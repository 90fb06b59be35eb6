"""The `EventSink` the core emits into: the event is recorded in the store first (deterministic id, so a retried
job's second emit is the same event), then one delivery per interested endpoint is recorded and queued as a
`deliver_webhook` job. The dialogue emits through its `Turn` (`turn.emit`), the rest through `services.events`."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from booking_bot.domain import Event, EventType, WebhookDelivery, event_id
from booking_bot.ports import Clock, JobQueue, Store

log = logging.getLogger(__name__)


class StoreEventSink:
    """Records events and their deliveries in the store, and queues each new delivery as a `deliver_webhook` job."""

    def __init__(self, store: Store, clock: Clock, jobs: JobQueue) -> None:
        self._store = store
        self._clock = clock
        self._jobs = jobs

    async def emit(self, company_id: str, event_type: str, key: str, data: Mapping[str, object]) -> None:
        kind = EventType(event_type)
        now = self._clock()
        event = Event(
            id=event_id(company_id, kind, key), company_id=company_id, type=kind, occurred_at=now, data=dict(data)
        )
        if not await self._store.record_event(event):
            return  # emitted before (a retried job): its deliveries were planned then
        for endpoint in await self._store.list_webhook_endpoints(company_id):
            if not endpoint.wants(kind):
                continue
            delivery = WebhookDelivery(
                id=WebhookDelivery.id_for(event.id, endpoint.id),
                company_id=company_id,
                event_id=event.id,
                endpoint_id=endpoint.id,
                created_at=now,
                updated_at=now,
            )
            if await self._store.add_webhook_delivery(delivery):
                self._jobs.deliver_webhook(company_id, delivery.id)
        log.debug("company=%s event %s recorded", company_id, kind.value)
