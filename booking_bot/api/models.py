"""Request and response bodies of /api/v1 (their JSON schemas go into the OpenAPI document)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from booking_bot.domain import BackendSettings, BuiltinBackendSettings, Company, ReminderPolicy


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
