"""The `EventSink` the core emits into: the event is recorded in the store first (deterministic id, so a retried
job's second emit is the same event), then one delivery per interested endpoint is recorded and handed to the
delivery actor. Handlers reach the sink of the message in hand through `emit` (a ContextVar set by the assistant
for the message it handles), like the locale."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from booking_bot.domain import Booking, Event, EventType, WebhookDelivery, event_id
from booking_bot.ports import Clock, EventSink, Store

log = logging.getLogger(__name__)
Dispatch = Callable[[str, str], object]  # (company id, delivery id) -> enqueue the delivery job

_current: ContextVar[EventSink | None] = ContextVar("booking_bot_event_sink", default=None)


class StoreEventSink:
    """Records events and their deliveries in the store; `bind` the delivery actor's `send` in processes that run
    one (the worker, the demo). Without a binding, deliveries stay pending in the store."""

    def __init__(self, store: Store, clock: Clock, dispatch: Dispatch | None = None) -> None:
        self._store = store
        self._clock = clock
        self._dispatch = dispatch

    def bind(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch

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
            if await self._store.add_webhook_delivery(delivery) and self._dispatch is not None:
                self._dispatch(company_id, delivery.id)
        log.debug("company=%s event %s recorded", company_id, kind.value)


@contextmanager
def emitting_to(sink: EventSink | None) -> Iterator[None]:
    """Make `sink` the one `emit` uses while the block runs (the assistant wraps each message in it)."""
    token = _current.set(sink)
    try:
        yield
    finally:
        _current.reset(token)


async def emit(company_id: str, event_type: EventType, key: str, data: Mapping[str, object]) -> None:
    """Emit to the current message's sink; nothing when the process has none (e.g. unit tests of the policy)."""
    sink = _current.get()
    if sink is not None:
        await sink.emit(company_id, event_type, key, data)


def booking_data(booking: Booking, **extra: object) -> dict[str, object]:
    """A booking as events carry it (times UTC ISO 8601; the customer is the chat id)."""
    return {
        "booking": {
            "id": booking.id,
            "backend_id": booking.backend_id,
            "chat_id": booking.customer_id,
            "service_id": booking.service_id,
            "staff_id": booking.staff_id,
            "start": booking.start.isoformat(),
            "end": booking.end.isoformat(),
            "status": booking.status.value,
        },
        **extra,
    }
