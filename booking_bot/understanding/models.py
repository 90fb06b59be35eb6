"""What understanding a message produced (`Understanding`), why, and what stage 2 is configured with."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from booking_bot.domain import ParsedMessage, TimeWindow

CLARIFY = "clarify"  # in ParsedMessage.reasons: do not act on this parse, ask a short clarifying question
STAGE2 = "stage2"  # in ParsedMessage.reasons: stage 2 decided this parse

OpeningHours = Callable[[dt.date], Sequence[TimeWindow]]
"""The salon's opening hours on a local date ([start, end) windows; empty when closed)."""


class DecidedBy(enum.StrEnum):
    STAGE1 = "stage1"
    STAGE2 = "stage2"


class Why(enum.StrEnum):
    STAGE1_SURE = "stage1_sure"
    NO_PROVIDER = "no_provider"
    CIRCUIT_OPEN = "circuit_open"
    DAILY_CAP = "daily_cap"
    FAILED = "stage2_failed"  # timeouts, 429, 5xx, auth errors ... within the time budget
    REJECTED = "stage2_rejected"  # the model answered, the answer failed validation
    ACCEPTED = "stage2_accepted"


class Rejection(enum.StrEnum):
    SCHEMA = "schema"
    UNKNOWN_SERVICE = "unknown_service"
    UNKNOWN_STAFF = "unknown_staff"
    PAST_DATE = "past_date"
    PAST_TIME = "past_time"
    OUTSIDE_HOURS = "outside_opening_hours"


@dataclass(frozen=True)
class Understanding:
    """The final parse, which stage decided it and why."""

    parsed: ParsedMessage
    decided_by: DecidedBy
    why: Why
    rejections: tuple[Rejection, ...] = ()
    error: str | None = None  # the last provider failure's kind
    attempts: int = 0  # provider calls made
    stage2_seconds: float = 0.0
    tokens: int = 0

    @property
    def needs_clarification(self) -> bool:
        return CLARIFY in self.parsed.reasons
