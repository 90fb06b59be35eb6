"""Domain models shared by the core and the adapters.

All datetimes are timezone-aware and stored in UTC; they are shown in the company's time zone at the edges.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, field_validator


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_require_aware)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReminderPolicy(Frozen):
    """When reminders are planned before a visit, and how a reply to one is read. Local times are the salon's."""

    enabled: bool = True  # off for salons whose scheduling system sends its own reminders
    offsets_minutes: tuple[int, ...] = (24 * 60, 2 * 60)
    quiet_start: time | None = time(22, 0)  # no reminder between quiet_start and quiet_end ...
    quiet_end: time = time(9, 0)  # ... it is sent at quiet_end instead, if still before the visit
    min_lead_minutes: int = Field(default=30, ge=0)  # a reminder later than this before the visit is not sent
    confirm_by_reply: bool = True
    confirm_window_minutes: int = Field(default=12 * 60, ge=1)  # "ok 👍" within this after a reminder confirms


class WaitlistPolicy(Frozen):
    """The waiting list (docs/waitlist.md): a freed time is offered to one waiting customer at a time and held for
    them `hold_minutes`; nobody else gets it meanwhile."""

    enabled: bool = True
    hold_minutes: int = Field(default=15, ge=1, le=24 * 60)


class NoShowPolicy(Frozen):
    """Visits the customer did not come to. Local times are the salon's; quiet hours are the reminders'."""

    reinvite: bool = True  # one polite message the day after a no-show
    reinvite_at: time = time(11, 0)
    # A customer with an earlier no-show is asked to confirm this long before the visit (None: like everyone) ...
    confirm_hours_before: int | None = Field(default=48, ge=1, le=14 * 24)
    # ... and unconfirmed this long after that, the time goes to the waiting list (None: never).
    grace_minutes: int | None = Field(default=12 * 60, ge=10, le=7 * 24 * 60)


class DigestPolicy(Frozen):
    """The owner's morning message about yesterday: to `owner_phone` on WhatsApp, and always as a webhook event."""

    enabled: bool = True
    owner_phone: str | None = Field(default=None, pattern=r"^\+?[0-9][0-9 ().-]{6,22}$")
    hour: int = Field(default=9, ge=0, le=23)  # salon time


class BuiltinBackendSettings(Frozen):
    kind: Literal["builtin"] = "builtin"
    slot_step_minutes: int = Field(default=15, ge=5, le=120)
    booking_horizon_days: int = Field(default=60, ge=1, le=365)


class YClientsBackendSettings(Frozen):
    """A salon whose calendar lives in YClients (or Altegio: the same API at another base URL).

    `company_id` is the salon's id in YClients; the partner token is the integrator's (ours), the user token is
    an administrator's of that salon (admin methods: client search, records, cancel as admin).
    """

    kind: Literal["yclients"] = "yclients"
    base_url: str = Field(default="https://api.yclients.com/api/v1", pattern=r"^https?://")
    company_id: int = Field(gt=0)
    partner_token: SecretStr
    user_token: SecretStr
    login: str | None = None


BackendSettings = Annotated[BuiltinBackendSettings | YClientsBackendSettings, Field(discriminator="kind")]


class Company(Frozen):
    """A salon. Everything the bot stores or sends is scoped by `id`."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    timezone: str = "UTC"
    default_language: str = "en"
    currency: str = "USD"
    address: str | None = None  # shown in reminders and salon info
    backend: BackendSettings = Field(default_factory=BuiltinBackendSettings)
    reminders: ReminderPolicy = Field(default_factory=ReminderPolicy)
    waitlist: WaitlistPolicy = Field(default_factory=WaitlistPolicy)
    no_shows: NoShowPolicy = Field(default_factory=NoShowPolicy)
    digest: DigestPolicy = Field(default_factory=DigestPolicy)
    # sha256 (hex) of the staff token's secret (booking_bot/gateway/api/auth.py); the token itself is never stored.
    staff_token_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_now(self, now_utc: datetime) -> datetime:
        return now_utc.astimezone(self.zone)

    def today(self, now_utc: datetime) -> date:
        """The salon's today, not UTC's."""
        return self.local_now(now_utc).date()


class Customer(Frozen):
    """A person writing to a salon. `id` is the chat id (a phone JID or an @lid id)."""

    company_id: str
    id: str
    phone: str | None = None
    name: str | None = None
    language: str | None = None


class Service(Frozen):
    id: str
    name: str
    duration_minutes: int = Field(gt=0)
    price: float | None = None
    price_max: float | None = None
    aliases: tuple[str, ...] = ()
    names: dict[str, str] = Field(default_factory=dict)

    def title(self, lang: str | None) -> str:
        """The service's name in `lang` if the catalog has one."""
        if lang and lang in self.names:
            return self.names[lang]
        return self.name


class StaffMember(Frozen):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    names: dict[str, str] = Field(default_factory=dict)
    service_ids: tuple[str, ...] = ()

    def title(self, lang: str | None) -> str:
        if lang and lang in self.names:
            return self.names[lang]
        return self.name


class Slot(Frozen):
    """A free start time for a service with a staff member: [start, end)."""

    staff_id: str
    service_id: str
    start: AwareDatetime
    end: AwareDatetime


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


class Booking(Frozen):
    """A booking as the scheduling backend confirmed it."""

    id: str
    company_id: str
    customer_id: str
    service_id: str
    staff_id: str
    start: AwareDatetime
    end: AwareDatetime
    status: BookingStatus = BookingStatus.BOOKED
    backend_id: str

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


class InboundMessage(Frozen):
    """One customer message, as every transport (WhatsApp, demo chat, tests) hands it to the core."""

    company_id: str
    message_id: str = Field(min_length=1, max_length=200)
    chat_id: str = Field(min_length=1, max_length=200)
    phone: str | None = None
    sender_name: str | None = None
    text: str = ""
    language: str | None = None
    received_at: AwareDatetime
    from_me: bool = False


class OutboundMessage(Frozen):
    company_id: str
    chat_id: str
    text: str
    reply_to: str | None = None
    idempotency_key: str


class OutcomeKind(enum.StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    CANCELLED = "cancelled"
    SLOT_TAKEN = "slot_taken"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    NEEDS_INFO = "needs_info"
    BACKEND_UNAVAILABLE = "backend_unavailable"
    CONFIRMED = "confirmed"  # the customer confirmed the visit (YClients attendance = 2)


class Outcome(Frozen):
    """The typed result of a booking operation. Only BOOKED/MOVED/CANCELLED carry a confirmed booking."""

    kind: OutcomeKind
    booking: Booking | None = None
    detail: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.kind in (OutcomeKind.BOOKED, OutcomeKind.MOVED, OutcomeKind.CANCELLED, OutcomeKind.CONFIRMED)


class ReminderStatus(enum.StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"  # taken by a scheduler, being sent; reclaimed when stale
    SENT = "sent"
    CANCELLED = "cancelled"  # the booking moved or was cancelled
    SKIPPED = "skipped"  # too late to be useful (the visit started, or the misfire grace passed)


class Reminder(Frozen):
    key: str  # reminder:{company}:{booking}:{offset}
    company_id: str
    booking_id: str
    customer_id: str
    due_at: AwareDatetime
    status: ReminderStatus = ReminderStatus.PLANNED


class BookingIntentStatus(enum.StrEnum):
    PENDING = "pending"  # about to be sent to the backend: after a timeout, reconcile before resubmitting
    CONFIRMED = "confirmed"
    FAILED = "failed"


class BookingIntent(Frozen):
    """A booking about to be made in an external backend, recorded first so a retry never books twice.

    `key` is the operation's idempotency key; `api_id` is what the backend stores with the record (YClients `api_id`)
    so that a record created by a request whose answer was lost can be found again.
    """

    company_id: str
    key: str
    api_id: str
    customer_id: str
    service_id: str
    staff_id: str
    start: AwareDatetime
    status: BookingIntentStatus = BookingIntentStatus.PENDING
    backend_id: str | None = None


class TimeWindow(Frozen):
    """A part of the day or an 'after 5' style range: [start, end) in the salon's local time."""

    start: time
    end: time


def combine_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time in `zone`, as an aware datetime (fold=0 on DST overlaps)."""
    return datetime.combine(day, at, tzinfo=zone)
