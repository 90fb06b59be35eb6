"""Wire models of the YClients/Altegio API, parsed leniently.

Known quirks handled here: numbers as strings (`"id": "16"`), unix timestamps or ISO strings for dates,
`+0300` offsets without a colon, `null` where a list is expected. The naive salon-local `date` of a record is
the truth; its `datetime` offset is not trusted (Altegio has sent wrong offsets around DST).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_moment(value: Any) -> datetime | None:
    """An ISO 8601 string (`Z`, `+03:00` or `+0300`; naive kept naive) or a unix timestamp (aware UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    text = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", text.replace("Z", "+00:00"))
    return datetime.fromisoformat(text)


def _naive(value: Any) -> datetime | None:
    """The naive local wall time of a record's `date` ("2025-09-12 16:00:00"); an offset, if any, is dropped."""
    moment = parse_moment(value)
    return None if moment is None else moment.replace(tzinfo=None)


def _list(value: Any) -> Any:
    return [] if value is None else value


def _text(value: Any) -> Any:
    return "" if value is None else str(value)


Moment = Annotated[datetime | None, BeforeValidator(parse_moment)]
NaiveMoment = Annotated[datetime | None, BeforeValidator(_naive)]
Text = Annotated[str, BeforeValidator(_text)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class CompanyInfo(Wire):
    id: int
    title: Text = ""
    timezone_name: str | None = None
    phone_confirmation: bool = False


class ServiceInfo(Wire):
    id: int
    title: Text
    category_id: int | None = None
    price_min: float | None = None
    price_max: float | None = None
    seance_length: int = Field(default=0, ge=0)
    active: bool = True


class ServicesPage(Wire):
    services: Annotated[list[ServiceInfo], BeforeValidator(_list)] = Field(default_factory=list)


class StaffInfo(Wire):
    id: int
    name: Text
    specialization: Text = ""
    bookable: bool = True
    hidden: bool = False
    fired: bool = False


class BookDates(Wire):
    booking_dates: Annotated[list[date], BeforeValidator(_list)] = Field(default_factory=list)
    working_dates: Annotated[list[date], BeforeValidator(_list)] = Field(default_factory=list)


class TimeSlot(Wire):
    """A free start: the salon-local `time` and the `datetime` string to pass back unchanged when booking."""

    at: time = Field(alias="time")
    seance_length: int = 0
    datetime_raw: str = Field(alias="datetime")


class BookedRecord(Wire):
    id: int = 0
    record_id: int
    record_hash: Text = ""


class RecordService(Wire):
    id: int
    title: Text = ""


class RecordStaff(Wire):
    id: int
    name: Text = ""


class RecordClient(Wire):
    id: int
    name: Text = ""
    phone: Text = ""


class Record(Wire):
    """A record (booking) as admin methods return it."""

    id: int
    company_id: int | None = None
    staff_id: int
    services: Annotated[list[RecordService], BeforeValidator(_list)] = Field(default_factory=list)
    client: RecordClient | None = None
    local_start: NaiveMoment = Field(default=None, alias="date")  # salon-local wall time: the truth
    datetime_value: Moment = Field(default=None, alias="datetime")
    seance_length: int = 0
    length: int = 0
    api_id: Text = ""
    deleted: bool = False
    attendance: int = 0
    visit_id: int | None = None
    record_hash: Text = ""

    @property
    def duration_seconds(self) -> int:
        return self.seance_length or self.length

    @property
    def service_id(self) -> int | None:
        return self.services[0].id if self.services else None


class Client(Wire):
    id: int
    name: Text = ""
    phone: Text = ""


def digits(phone: str) -> str:
    """A phone number as YClients stores it: digits only ("+7 916 123-45-67" → "79161234567")."""
    return "".join(ch for ch in phone if ch.isdigit())
