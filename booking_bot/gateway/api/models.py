"""Request and response bodies of /api/v1 (their JSON schemas go into the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from booking_bot.domain import (
    BackendSettings,
    BuiltinBackendSettings,
    Company,
    DeliveryStatus,
    DigestPolicy,
    EventType,
    NoShowPolicy,
    ReminderPolicy,
    Scope,
    WaitlistPolicy,
)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompanySettings(Body):
    """What the admin sets on a company. Backend secrets are write-only: send them in full on every update."""

    name: str = Field(min_length=1, max_length=200)
    timezone: str = "UTC"
    default_language: str = Field(default="en", pattern=r"^(en|ru|pt|es)$")
    currency: str = Field(default="USD", min_length=3, max_length=3)
    address: str | None = None
    backend: BackendSettings = Field(default_factory=BuiltinBackendSettings)
    reminders: ReminderPolicy = Field(default_factory=ReminderPolicy)
    waitlist: WaitlistPolicy = Field(default_factory=WaitlistPolicy)
    no_shows: NoShowPolicy = Field(default_factory=NoShowPolicy)
    digest: DigestPolicy = Field(default_factory=DigestPolicy)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Europe/Lisbon") from exc
        return value

    def to_company(self, company_id: str, staff_token_hash: str | None) -> Company:
        return Company(id=company_id, staff_token_hash=staff_token_hash, **dict(self))


class CompanyCreate(CompanySettings):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")


class NumberHealthOut(Body):
    """The number's last 24 hours, WhatsApp's pause on it and its warm-up (docs/gateway.md, "Ban-safe sending")."""

    sent_24h: int
    failed_24h: int = Field(description="sends WhatsApp did not take (retried)")
    paused_24h: int = Field(description="times WhatsApp paused the number (ban, reach-out lock, rate limit)")
    held_back_24h: int = Field(description="proactive messages over the warm-up budget, not sent")
    refused_24h: int = Field(description="proactive messages to customers who never wrote nor opted in, not sent")
    pause_reason: str | None = Field(description="while paused: temporary_ban, reach_out_lock or rate_limit")
    warmup_day: int | None = Field(description="day of the newly linked number's warm-up (1 = linked today)")
    warmup_days: int
    proactive_left_today: int | None = Field(description="proactive messages the warm-up still allows today")


class SessionOut(Body):
    """A company's WhatsApp session as the staff page shows it."""

    company_id: str
    company_name: str
    state: str = Field(description="a session state (docs/gateway.md), or 'waiting' before a gateway took it")
    since: str | None = Field(description="when the state (or the QR code) last changed, ISO 8601")
    detail: str | None = Field(description="English detail for operators (e.g. why a connect failed)")
    paused_until: str | None = Field(description="banned: sending resumes then, ISO 8601")
    number: str | None = Field(description="the linked number, +digits, while linked")
    qr_expires_at: float | None = Field(description="pairing_qr: end of the QR window, epoch seconds")
    gateway: str | None = Field(description="the gateway process holding the session")
    health: NumberHealthOut | None = Field(default=None, description="the number's health (gateways with sending on)")


class CompanyOut(Body):
    """A company's settings (secrets masked), whether it has a staff token, and its session."""

    company: dict[str, Any]
    has_staff_token: bool
    session: SessionOut


class CompanyList(Body):
    companies: list[CompanyOut]


class StaffToken(Body):
    """Shown once: only its hash is kept. Give the page link to the salon's staff."""

    token: str
    page: str = Field(description="the staff QR page, relative to the gateway: /qr/?company=...#token=...")


class PairingCodeIn(Body):
    phone: str = Field(description="the salon's WhatsApp number with its country code, e.g. +44 7700 900123")


class PairingCodeOut(Body):
    code: str = Field(description="type it on the phone: WhatsApp → Linked devices → Link with phone number")


class ErrorOut(Body):
    error: str = Field(description="a stable code, e.g. unauthorized, forbidden, not_found, rate_limited")
    message: str


class HealthOut(Body):
    ok: bool


class ReadyOut(Body):
    ok: bool
    checks: dict[str, bool] = Field(description="redis, store, sessions (the lease and connect loops run)")


# --- the send API, integration tokens, webhooks, stats (issue 12) -----------------------------------------------


class SendIn(Body):
    """A text to a customer through the company's number."""

    to: str = Field(
        min_length=3,
        max_length=200,
        description="the customer's chat id as webhooks give it (e.g. 15550000001@s.whatsapp.net, or an @lid id), "
        "or a phone number with its country code (+1 555 000 0001)",
    )
    text: str = Field(min_length=1, max_length=4096)


class OptInIn(Body):
    """A customer agreed (on the salon's form, at the desk) to messages they did not ask for: reminders, offers."""

    to: str = Field(
        min_length=3, max_length=200, description="the customer's chat id or phone number with its country code"
    )


class OptInOut(Body):
    chat_id: str = Field(description="the customer id the opt-in is kept under")
    opted_in_at: str = Field(description="when the customer first opted in, ISO 8601")


class SendOut(Body):
    id: str = Field(description="the message's idempotency key in the outbox (the same on a replay)")
    chat_id: str
    status: str = Field(description="sent: WhatsApp took it; queued: the gateway sends it when the number may send")
    replayed: bool = Field(description="true when this Idempotency-Key was used before: nothing was sent again")


class IntegrationTokenIn(Body):
    name: str = Field(min_length=1, max_length=100, description="what uses it, e.g. 'CRM'")
    scopes: list[Scope] = Field(min_length=1, description="status, send, webhooks")


class IntegrationTokenOut(Body):
    id: str
    name: str
    scopes: list[Scope]
    created_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


class IntegrationTokenIssued(IntegrationTokenOut):
    token: str = Field(description="shown once: only its hash is kept")


class IntegrationTokenList(Body):
    tokens: list[IntegrationTokenOut]


class WebhookIn(Body):
    url: str = Field(pattern=r"^https?://", max_length=2000, description="where events are POSTed")
    events: list[EventType] = Field(default_factory=list, description="the event types to send; empty: all")
    enabled: bool = True


class WebhookOut(Body):
    id: str
    url: str
    events: list[EventType]
    enabled: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="the signing secret, shown once (POST .../secret makes a new one)")


class WebhookList(Body):
    webhooks: list[WebhookOut]


class DeliveryOut(Body):
    id: str
    event_id: str
    event_type: str | None
    endpoint_id: str
    status: DeliveryStatus
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime


class DeliveryList(Body):
    deliveries: list[DeliveryOut]


class PeriodStats(Body):
    """One period's numbers, from the store (message log, event log)."""

    start: datetime
    end: datetime
    messages_in: int
    messages_out: int
    conversations: int
    bookings_created: int
    bookings_moved: int
    bookings_cancelled: int
    reminders_sent: int
    reminders_confirmed: int
    understood: int = Field(description="messages the assistant read")
    understood_without_llm: int = Field(description="... of which the local parser was sure (no LLM)")
    understood_without_llm_share: float | None = Field(description="0..1; null without messages")
    median_reply_seconds: float | None = Field(description="message received → first reply recorded")


class DayStats(Body):
    date: str = Field(description="the salon's local date, ISO 8601")
    messages_in: int
    messages_out: int
    bookings_created: int
    bookings_moved: int
    bookings_cancelled: int


class DigestOut(Body):
    """One local day as the owner's digest tells it (docs/waitlist.md)."""

    day: str = Field(description="the salon's local date, ISO 8601")
    bookings_made: int = Field(description="bookings the assistant made")
    refilled: int = Field(description="freed times booked from the waiting list")
    no_shows: int = Field(description="visits of that day marked no-shows (by staff or the salon's system)")
    handoffs: int = Field(description="customers who asked for a person")
    handoffs_unanswered: int = Field(description="... in whose chat no member of staff has written since")


class StatsOut(Body):
    company_id: str
    company_name: str
    timezone: str
    generated_at: datetime
    last_7_days: PeriodStats
    last_30_days: PeriodStats
    days: list[DayStats] = Field(description="the last 30 local days, oldest first")
    yesterday: DigestOut = Field(description="the owner's digest of the salon's yesterday")


# --- the waiting list and visits (issue 19) ---------------------------------------------------------------------


class AttendanceIn(Body):
    attendance: Literal["attended", "no_show"] = Field(description="how the visit went")


class VisitOut(Body):
    booking_id: str
    chat_id: str
    attendance: str = Field(description="attended or no_show")
    source: str = Field(description="staff (this API) or salon (the salon's system)")
    visit_start: datetime
    marked_at: datetime
    changed: bool = Field(description="false when the visit was already marked so (nothing new was recorded)")


class WaitingOut(Body):
    id: str
    chat_id: str
    service_id: str
    staff_id: str | None = Field(description="null: any master")
    day: str = Field(description="the salon's local date, ISO 8601")
    window_start: str | None = Field(description="local HH:MM:SS; null: any time of the day")
    window_end: str | None
    requested_at: datetime = Field(description="the place in line: earliest request first")


class WaitingList(Body):
    waiting: list[WaitingOut] = Field(description="customers waiting for a time today or later, in line order")
