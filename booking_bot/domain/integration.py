"""Records of the integration surface: events the assistant emits, webhook endpoints and their deliveries,
integration tokens, and the per-period activity the stats page shows. Stored by the `Store`; all times aware UTC."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import Any

from pydantic import Field, SecretStr

from booking_bot.domain.models import AwareDatetime, Booking, Frozen


class EventType(enum.StrEnum):
    MESSAGE_RECEIVED = "message.received"
    BOOKING_CREATED = "booking.created"
    BOOKING_MOVED = "booking.moved"
    BOOKING_CANCELLED = "booking.cancelled"
    REMINDER_SENT = "reminder.sent"
    REMINDER_CONFIRMED = "reminder.confirmed"
    HANDOFF_REQUESTED = "handoff.requested"
    SESSION_STATE_CHANGED = "session.state_changed"
    # The waiting list, visits and the owner's digest (docs/waitlist.md).
    WAITLIST_JOINED = "waitlist.joined"
    SLOT_FREED = "waitlist.slot_freed"
    WAITLIST_OFFERED = "waitlist.offered"
    WAITLIST_BOOKED = "waitlist.booked"
    WAITLIST_DECLINED = "waitlist.declined"
    WAITLIST_EXPIRED = "waitlist.expired"
    VISIT_ATTENDED = "visit.attended"
    VISIT_NO_SHOW = "visit.no_show"
    VISIT_REINVITED = "visit.reinvited"
    VISIT_CONFIRMATION_REQUESTED = "visit.confirmation_requested"
    VISIT_RELEASED = "visit.released"
    DIGEST_DAILY = "digest.daily"


def event_id(company_id: str, event_type: str, key: str) -> str:
    """Deterministic: a retried job emits the same event again under the same id, and the store keeps one."""
    digest = hashlib.sha256(f"{company_id}\x1f{event_type}\x1f{key}".encode()).hexdigest()
    return f"evt_{digest[:32]}"


class Event(Frozen):
    """Something the assistant did or saw, as webhooks deliver it (`data` is JSON)."""

    id: str = Field(pattern=r"^evt_[0-9a-f]{32}$")
    company_id: str
    type: EventType
    occurred_at: AwareDatetime
    data: dict[str, Any] = Field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The webhook's JSON body."""
        return {
            "id": self.id,
            "type": self.type.value,
            "company_id": self.company_id,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data,
        }


class WebhookEndpoint(Frozen):
    """Where a company's events go. `secret` signs every delivery (kept in clear: it is needed to sign)."""

    id: str = Field(pattern=r"^wh_[0-9a-f]{16}$")
    company_id: str
    url: str = Field(pattern=r"^https?://", max_length=2000)
    secret: SecretStr
    events: tuple[EventType, ...] = ()  # empty: every event
    enabled: bool = True
    created_at: AwareDatetime

    def wants(self, event_type: EventType) -> bool:
        return self.enabled and (not self.events or event_type in self.events)


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # the attempts ran out: a dead letter, listed by the API


class WebhookDelivery(Frozen):
    """One event to one endpoint: its attempts and what the last one got."""

    id: str
    company_id: str
    event_id: str
    endpoint_id: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_status: int | None = None  # the receiver's HTTP status (None: no answer)
    last_error: str | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @staticmethod
    def id_for(event_id: str, endpoint_id: str) -> str:
        return f"{event_id}.{endpoint_id}"


class Scope(enum.StrEnum):
    """What an integration token may do (a staff token may do all of it)."""

    STATUS = "status"  # read the session status and the stats
    SEND = "send"  # send messages through the company's number
    WEBHOOKS = "webhooks"  # manage the company's webhook endpoints, read dead letters


class IntegrationToken(Frozen):
    """A company's token for another system. Only sha256 of its secret is kept; `revoked_at` retires it."""

    id: str = Field(pattern=r"^bbi_[0-9a-f]{16}$")
    company_id: str
    name: str = Field(min_length=1, max_length=100)
    scopes: tuple[Scope, ...]
    secret_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    created_at: AwareDatetime
    rotated_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Activity(Frozen):
    """What happened in [start, end), from the store: message log, event log, reply times."""

    start: AwareDatetime
    end: AwareDatetime
    messages_in: int = 0
    messages_out: int = 0
    conversations: int = 0  # distinct chats that wrote
    bookings_created: int = 0
    bookings_moved: int = 0
    bookings_cancelled: int = 0
    reminders_sent: int = 0
    reminders_confirmed: int = 0
    understood: int = 0  # messages the assistant parsed (message.received with an understanding)
    understood_locally: int = 0  # ... of which stage 1 was sure (no LLM)
    replies_timed: int = 0
    median_reply_seconds: float | None = None  # first reply recorded after the message, over replied messages


def utc_bounds(bounds: list[datetime]) -> list[datetime]:
    if any(b.tzinfo is None for b in bounds) or bounds != sorted(bounds):
        raise ValueError("bounds must be aware and ascending")
    return bounds


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
