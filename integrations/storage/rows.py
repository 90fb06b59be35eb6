"""What both stores (SQLite and Supabase) write the same way: times as text, models as JSON, reminder keys.

Datetimes are stored as fixed-width UTC ISO strings, so text order is time order, and come back as aware UTC
datetimes. Models are stored as JSON with their secrets in clear text, so a company's backend tokens round-trip.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, SecretStr

from booking_bot.domain import Company


def to_iso(value: datetime) -> str:
    """A fixed-width UTC ISO string (microseconds always present)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(value: str) -> datetime:
    """The aware UTC datetime of a stored ISO string."""
    return datetime.fromisoformat(value).astimezone(UTC)


def reminder_key(company_id: str, booking_id: str, due_at: datetime) -> str:
    """`reminder:{company}:{booking}:{due_at as UTC ISO}` - one reminder per booking and due time."""
    return f"reminder:{company_id}:{booking_id}:{due_at.astimezone(UTC).isoformat()}"


def _reveal(plain: Any, masked: Any) -> Any:
    """`masked` (a JSON-mode dump) with every SecretStr of `plain` (a python-mode dump) revealed."""
    if isinstance(plain, SecretStr):
        return plain.get_secret_value()
    if isinstance(plain, dict) and isinstance(masked, dict):
        return {key: _reveal(plain.get(key), value) for key, value in masked.items()}
    if isinstance(plain, list | tuple) and isinstance(masked, list):
        return [_reveal(p, m) for p, m in zip(plain, masked, strict=True)]
    return masked


def model_to_json(model: BaseModel) -> str:
    """A model as JSON with any `SecretStr` in clear text (pydantic's own dump masks them as '**********')."""
    return json.dumps(_reveal(model.model_dump(), model.model_dump(mode="json")), ensure_ascii=False)


def company_to_json(company: Company) -> str:
    """The company as JSON; secrets (e.g. a backend's API tokens) are kept so they round-trip."""
    return model_to_json(company)


def company_from_json(data: str) -> Company:
    """The company `company_to_json` wrote."""
    return Company.model_validate_json(data)
