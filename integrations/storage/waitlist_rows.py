"""The waiting list's records as rows, the same for both stores: column name → text (times as fixed-width UTC ISO,
days as ISO dates, clock times as HH:MM:SS), and back. SQLite keeps the text; PostgREST casts it to the column types
and answers with text again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from booking_bot.domain import (
    Attendance,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FreedBy,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    TimeWindow,
    VisitMark,
    VisitSource,
    WaitEntry,
    WaitStatus,
)
from integrations.storage.rows import from_iso, to_iso

Row = dict[str, Any]

ENTRY_COLUMNS = (
    "company_id",
    "id",
    "customer_id",
    "service_id",
    "staff_id",
    "day",
    "window_start",
    "window_end",
    "requested_at",
    "status",
)
OPENING_COLUMNS = (
    "company_id",
    "id",
    "booking_id",
    "service_id",
    "staff_id",
    "start_at",
    "end_at",
    "freed_by",
    "freed_at",
    "status",
    "offer_id",
    "not_before",
)
OFFER_COLUMNS = (
    "company_id",
    "id",
    "opening_id",
    "entry_id",
    "customer_id",
    "service_id",
    "staff_id",
    "start_at",
    "sent_at",
    "hold_until",
    "status",
)
VISIT_COLUMNS = ("company_id", "booking_id", "customer_id", "attendance", "source", "visit_start", "marked_at")
FOLLOWUP_COLUMNS = (
    "company_id",
    "key",
    "kind",
    "due_at",
    "status",
    "booking_id",
    "customer_id",
    "visit_start",
    "day",
)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else to_iso(value)


def _time(value: Any) -> datetime | None:
    return None if value is None else from_iso(str(value))


def _clock(value: Any) -> time:
    return time.fromisoformat(str(value))


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def entry_row(entry: WaitEntry) -> Row:
    window = entry.window
    return {
        "company_id": entry.company_id,
        "id": entry.id,
        "customer_id": entry.customer_id,
        "service_id": entry.service_id,
        "staff_id": entry.staff_id,
        "day": entry.day.isoformat(),
        "window_start": None if window is None else window.start.isoformat(),
        "window_end": None if window is None else window.end.isoformat(),
        "requested_at": to_iso(entry.requested_at),
        "status": entry.status.value,
    }


def entry_of(row: Mapping[str, Any]) -> WaitEntry:
    window = None
    if row["window_start"] is not None and row["window_end"] is not None:
        window = TimeWindow(start=_clock(row["window_start"]), end=_clock(row["window_end"]))
    return WaitEntry(
        company_id=row["company_id"],
        id=row["id"],
        customer_id=row["customer_id"],
        service_id=row["service_id"],
        staff_id=row["staff_id"],
        day=_day(row["day"]),
        window=window,
        requested_at=from_iso(str(row["requested_at"])),
        status=WaitStatus(row["status"]),
    )


def opening_row(opening: Opening) -> Row:
    return {
        "company_id": opening.company_id,
        "id": opening.id,
        "booking_id": opening.booking_id,
        "service_id": opening.service_id,
        "staff_id": opening.staff_id,
        "start_at": to_iso(opening.start),
        "end_at": to_iso(opening.end),
        "freed_by": opening.freed_by.value,
        "freed_at": to_iso(opening.freed_at),
        "status": opening.status.value,
        "offer_id": opening.offer_id,
        "not_before": _iso(opening.not_before),
    }


def opening_of(row: Mapping[str, Any]) -> Opening:
    return Opening(
        company_id=row["company_id"],
        id=row["id"],
        booking_id=row["booking_id"],
        service_id=row["service_id"],
        staff_id=row["staff_id"],
        start=from_iso(str(row["start_at"])),
        end=from_iso(str(row["end_at"])),
        freed_by=FreedBy(row["freed_by"]),
        freed_at=from_iso(str(row["freed_at"])),
        status=OpeningStatus(row["status"]),
        offer_id=row["offer_id"],
        not_before=_time(row["not_before"]),
    )


def offer_row(offer: Offer) -> Row:
    return {
        "company_id": offer.company_id,
        "id": offer.id,
        "opening_id": offer.opening_id,
        "entry_id": offer.entry_id,
        "customer_id": offer.customer_id,
        "service_id": offer.service_id,
        "staff_id": offer.staff_id,
        "start_at": to_iso(offer.start),
        "sent_at": to_iso(offer.sent_at),
        "hold_until": to_iso(offer.hold_until),
        "status": offer.status.value,
    }


def offer_of(row: Mapping[str, Any]) -> Offer:
    return Offer(
        company_id=row["company_id"],
        id=row["id"],
        opening_id=row["opening_id"],
        entry_id=row["entry_id"],
        customer_id=row["customer_id"],
        service_id=row["service_id"],
        staff_id=row["staff_id"],
        start=from_iso(str(row["start_at"])),
        sent_at=from_iso(str(row["sent_at"])),
        hold_until=from_iso(str(row["hold_until"])),
        status=OfferStatus(row["status"]),
    )


def visit_row(mark: VisitMark) -> Row:
    return {
        "company_id": mark.company_id,
        "booking_id": mark.booking_id,
        "customer_id": mark.customer_id,
        "attendance": mark.attendance.value,
        "source": mark.source.value,
        "visit_start": to_iso(mark.visit_start),
        "marked_at": to_iso(mark.marked_at),
    }


def visit_of(row: Mapping[str, Any]) -> VisitMark:
    return VisitMark(
        company_id=row["company_id"],
        booking_id=row["booking_id"],
        customer_id=row["customer_id"],
        attendance=Attendance(row["attendance"]),
        source=VisitSource(row["source"]),
        visit_start=from_iso(str(row["visit_start"])),
        marked_at=from_iso(str(row["marked_at"])),
    )


def mark_replaces(known: VisitMark | None, mark: VisitMark) -> bool:
    """Whether `mark` is news over `known`: a change, and never the salon's system over a member of staff."""
    if known is None:
        return True
    if known.source is VisitSource.STAFF and mark.source is VisitSource.SALON:
        return False
    return (known.attendance, known.source) != (mark.attendance, mark.source)


def followup_row(followup: FollowUp) -> Row:
    return {
        "company_id": followup.company_id,
        "key": followup.key,
        "kind": followup.kind.value,
        "due_at": to_iso(followup.due_at),
        "status": followup.status.value,
        "booking_id": followup.booking_id,
        "customer_id": followup.customer_id,
        "visit_start": _iso(followup.visit_start),
        "day": None if followup.day is None else followup.day.isoformat(),
    }


def followup_of(row: Mapping[str, Any]) -> FollowUp:
    return FollowUp(
        company_id=row["company_id"],
        key=row["key"],
        kind=FollowUpKind(row["kind"]),
        due_at=from_iso(str(row["due_at"])),
        status=FollowUpStatus(row["status"]),
        booking_id=row["booking_id"],
        customer_id=row["customer_id"],
        visit_start=_time(row["visit_start"]),
        day=None if row["day"] is None else _day(row["day"]),
    )
