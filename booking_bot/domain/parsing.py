"""Types of stage-1 (and stage-2) parsing: what a message says, with a confidence."""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from booking_bot.domain.models import TimeWindow


class Intent(enum.StrEnum):
    BOOK = "book"
    AVAILABILITY = "availability"
    PRICES = "prices"
    MY_BOOKINGS = "my_bookings"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    AFFIRM = "affirm"
    DENY = "deny"
    ALTERNATIVES = "alternatives"
    INFO = "info"
    GREET = "greet"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HANDOFF = "handoff"
    OTHER = "other"


class Expecting(enum.StrEnum):
    """What the bot asked just before the message; it changes how short answers read."""

    CONFIRM = "confirm"
    CHOICE = "choice"
    DATE = "date"
    TIME = "time"
    SERVICE = "service"
    STAFF = "staff"


class CatalogEntry(BaseModel):
    """A service or staff member as the parser sees it: an id, a display name and aliases in any language."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    aliases: tuple[str, ...] = ()


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True)

    services: tuple[CatalogEntry, ...] = ()
    staff: tuple[CatalogEntry, ...] = ()


class ParseContext(BaseModel):
    """Everything outside the text that the parser needs: the salon's local date/time and the dialogue state."""

    model_config = ConfigDict(frozen=True)

    today: dt.date
    now: dt.time | None = None  # the salon's local wall-clock time, when known
    timezone: str = "UTC"
    expecting: Expecting | None = None
    lang: str | None = None  # the conversation's language, a prior for detection


class DateRange(BaseModel):
    """A span of days ("this week", "next weekend", "in April"): first and last day, both included."""

    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date


class Edits(BaseModel):
    """What a message changes relative to the conversation, not in absolute terms (booking_bot/nlu/edits.py)."""

    model_config = ConfigDict(frozen=True)

    shift_minutes: int | None = None  # +60 "an hour later", -30 "half an hour earlier"
    later: bool = False  # "a bit later": the next free times after the one in hand
    earlier: bool = False  # "a bit earlier"
    same_time: bool = False  # "same time" (on another day)
    other_staff: bool = False  # "the other master"

    @property
    def any(self) -> bool:
        return self.shift_minutes is not None or self.later or self.earlier or self.same_time or self.other_staff


class ParsedMessage(BaseModel):
    """What one message says. Dates and times are the salon's local ones."""

    model_config = ConfigDict(frozen=True)

    intent: Intent = Intent.OTHER
    lang: str | None = None
    # `dt.` because the field names shadow the types inside the class body (pydantic evaluates the annotations there)
    date: dt.date | None = None
    time: dt.time | None = None
    window: TimeWindow | None = None  # "in the morning", "after 5": a range, not a fake exact time
    service_id: str | None = None
    staff_id: str | None = None
    choice: int | None = Field(default=None, ge=-1)  # "the second one" -> 2; "the last one" -> -1 (never 0)
    negated_date: dt.date | None = None  # "not tomorrow but Saturday": the rejected day
    negated_service_id: str | None = None  # "not a manicure but a pedicure": the service to drop
    negated_staff_id: str | None = None  # "not with Anna": the master to drop
    edits: Edits = Field(default_factory=Edits)  # "an hour later", "same time", "the other master"
    alternatives: tuple[Intent, ...] = ()  # when unsure: the next likeliest intents, likeliest first
    period: DateRange | None = None  # "this week", "next weekend", "in April", when no single day is named
    recurring: bool = False  # "every Monday", "todos los lunes", "по понедельникам"
    name: str | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    unsure: bool = True
    reasons: tuple[str, ...] = ()

    @field_validator("choice")
    @classmethod
    def _not_zero(cls, value: int | None) -> int | None:
        if value == 0:
            raise ValueError("choice counts from 1 (or -1 for the last one)")
        return value
