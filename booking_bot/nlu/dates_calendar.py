"""Calendar arithmetic of the date rules: which day "Friday", "the 12th" or "March 7th" is from today, the days of
"this week" or "next month", a clock time from an hour and "pm" or a part of the day, and "in an hour" in the
salon's zone. `dates` re-exports all of it for the language modules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "END_OF_DAY",
    "after_offset",
    "apply_meridiem",
    "day_of_month",
    "month_day",
    "month_period",
    "next_weekday",
    "week_period",
    "weekend_period",
]

END_OF_DAY = time(23, 59)


def next_weekday(today: date, weekday: int, *, allow_today: bool = False) -> date:
    """The first `weekday` (0 = Monday) after today; today itself only when `allow_today`."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not allow_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_of_month(today: date, day: int, *, this_month: bool = False, next_month: bool = False) -> date | None:
    """'the 12th': this month unless it has passed (then next month)."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    if next_month or (not this_month and day < today.day):
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return _safe(year, month, day)


RECENT_PAST_DAYS = 31  # "November 20" said on the 27th is that past day (the bot says so), not next year's


def month_day(today: date, month: int, day: int, year: int | None = None) -> date | None:
    """'March 7th': this year unless it has passed (then next year) — but a day passed within the last month is
    that day: nobody books a year ahead by naming last week's date, they mistook the date."""
    if year is not None:
        if year < 100:
            year += 2000
        return _safe(year, month, day)
    found = _safe(today.year, month, day)
    if found is not None and found < today and (today - found).days > RECENT_PAST_DAYS:
        found = _safe(today.year + 1, month, day)
    return found


def week_period(today: date, weeks_ahead: int) -> tuple[date, date]:
    """'this week' (0: today to Sunday) or 'next week' (1: next Monday to Sunday)."""
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return max(monday, today), monday + timedelta(days=6)


def weekend_period(today: date, *, following: bool = False) -> tuple[date, date]:
    """'this weekend': the coming (or current) Saturday and Sunday; 'next weekend' (`following`): the one after."""
    saturday = today - timedelta(days=today.weekday()) + timedelta(days=5)
    if following:
        saturday += timedelta(weeks=1)
    return max(saturday, today), saturday + timedelta(days=1)


def month_period(today: date, month: int | None = None, *, months_ahead: int = 0) -> tuple[date, date] | None:
    """'this month' / 'next month' (`months_ahead`), or a named month (this year unless it has passed)."""
    year = today.year
    if month is None:
        month = today.month + months_ahead
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1
    elif month < today.month:
        year += 1
    if not 1 <= month <= 12:
        return None
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return max(first, today), last


def after_offset(today: date, now: time | None, zone: str, minutes: int) -> tuple[date, time] | None:
    """Local day and time `minutes` of real time after the salon's `now` on `today` ("in an hour"), across DST
    changes.

    None when the salon's wall-clock time is unknown. The offset is elapsed time: the local now is made aware in
    the salon's `zone`, moved in UTC and read back in the zone, so the night clocks spring forward it still adds one
    real hour. Nothing here depends on the machine's zone.
    """
    if now is None or not 0 < minutes <= 7 * 24 * 60:
        return None
    tz = ZoneInfo(zone)
    local = datetime.combine(today, now, tzinfo=tz)
    later = (local.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(tz)
    return later.date(), later.time().replace(second=0, microsecond=0)


def apply_meridiem(hour: int, minute: int, meridiem: str | None, part: str | None, salon: bool) -> time | None:
    """24-hour clock time from an hour plus am/pm ('a'/'p') or a part of day; `salon` applies the 1–7 = pm rule.

    `part` is one of "morning", "day", "afternoon", "evening", "night".
    """
    if not (0 <= hour <= 24 and 0 <= minute <= 59):
        return None
    if hour == 24:
        hour = 0
    if meridiem == "p":
        if hour > 12:
            return time(hour, minute) if hour < 24 else None
        hour = hour % 12 + 12
    elif meridiem == "a":
        if hour > 12:
            return None
        hour = hour % 12
    elif part in ("afternoon", "evening", "day"):
        if hour < 12 and not (part == "day" and hour >= 11):
            hour += 12
    elif part == "night":
        if 6 <= hour < 12:
            hour += 12
        elif hour == 12:
            hour = 0
    elif part == "morning":
        if hour == 12:
            hour = 0
    elif salon and 1 <= hour <= 7:
        hour += 12
    return time(hour, minute)
