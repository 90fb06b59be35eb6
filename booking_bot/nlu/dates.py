"""Date, time and time-window extraction: the language-independent core.

Each language module (`dates_en`, `dates_ru`, `dates_es`) contributes a `Rules` table: regexes over folded
text, each with a handler that turns a match into a `Mention`. The core runs date rules first, then time rules,
then window rules, masking what an earlier rule consumed so that "the 12th" never becomes a time and
"4 in the evening" never becomes a bare "evening" window. Then it picks the answer: the last date/time that is
not negated ("not tomorrow but Saturday": Saturday; tomorrow becomes `negated_date`).

Conventions (shared by every language):
* "next <weekday>" and a bare weekday mean the first such weekday after today; "this <weekday>" is today when
  today is that weekday.
* A day of month without a month ("the 12th") is in this month if it has not passed, else in the next month.
  "12th of this month" is always this month. A month and day that have passed are next year.
* Bare hours in salon context ("at 5", "в 5", "5:30") read 1–7 as afternoon (13:00–19:00) and 8–12 as morning
  / noon. An explicit am/pm or part of the day ("4 in the evening", "evening 4", "6 вечера") wins.
* Numeric dates: Russian/Spanish/Portuguese read day first (10.03, 10/03); English reads "/" as month/day
  (3/10 = March 10th) and "." as day.month (10.03 = March 10th).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking_bot.domain import Expecting

__all__ = [
    "END_OF_DAY",
    "DateTimeResult",
    "Mention",
    "Rule",
    "Rules",
    "Scope",
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


@dataclass(frozen=True, slots=True)
class Scope:
    """What a rule handler may look at besides its match."""

    text: str  # the folded text the rules run on (with earlier matches masked)
    today: date
    expecting: Expecting | None
    now: time | None = None  # the salon's local wall-clock time, when known
    zone: str = "UTC"  # the salon's time zone (only "in an hour" style offsets need it)


@dataclass(frozen=True, slots=True)
class Mention:
    kind: str  # "date" | "time" | "window" | "period" | "recurrence"
    start: int
    end: int
    day: date | None = None
    at: time | None = None
    window: tuple[time, time] | None = None
    period: tuple[date, date] | None = None  # "this week", "next weekend", "in April": first and last day


Handler = Callable[[re.Match[str], Scope], "Mention | list[Mention] | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    handler: Handler


@dataclass(frozen=True, slots=True)
class Rules:
    dates: tuple[Rule, ...]
    times: tuple[Rule, ...]
    windows: tuple[Rule, ...]
    negation_before: re.Pattern[str]  # matched against the text just before a date mention
    unit_after: re.Pattern[str]  # a number followed by this is a count, not a time ("2 people")


@dataclass(slots=True)
class DateTimeResult:
    day: date | None = None
    at: time | None = None
    window: tuple[time, time] | None = None
    negated_date: date | None = None
    period: tuple[date, date] | None = None
    recurring: bool = False  # "every Monday", "todos los lunes": not one appointment
    mentions: list[Mention] = field(default_factory=list)
    leftover_numbers: bool = False


_DIGITS = re.compile(r"\d+")


def extract(
    folded: str,
    rules: Rules,
    today: date,
    expecting: Expecting | None,
    *,
    now: time | None = None,
    zone: str = "UTC",
) -> DateTimeResult:
    """Dates, times, windows and periods of a folded message, relative to the salon's local `today` / `now`."""
    text = folded
    found: list[Mention] = []
    for group in (rules.dates, rules.times, rules.windows):
        for rule in group:
            if not rule.pattern.search(text):
                continue
            scope = Scope(text, today, expecting, now, zone)
            for match in rule.pattern.finditer(text):
                got = rule.handler(match, scope)
                if got is None:
                    continue
                items = got if isinstance(got, list) else [got]
                for item in items:
                    if any(item.start < m.end and m.start < item.end for m in found):
                        continue
                    found.append(item)
                    text = text[: item.start] + " " * (item.end - item.start) + text[item.end :]
            # later rules see the masked text
    found.sort(key=lambda m: m.start)
    result = DateTimeResult(mentions=found)
    for mention in found:
        if mention.kind == "date" and mention.day is not None:
            if _negated(folded, mention.start, rules):
                result.negated_date = mention.day
            else:
                result.day = mention.day
        if mention.kind in ("time", "date") and mention.at is not None:
            if _negated(folded, mention.start, rules) and result.at is None:
                continue
            result.at = mention.at
        elif mention.kind == "window" and mention.window is not None:
            result.window = mention.window
        elif mention.kind == "period" and mention.period is not None and not _negated(folded, mention.start, rules):
            result.period = mention.period
        elif mention.kind == "recurrence":
            result.recurring = True
    if result.day is not None:
        result.period = None  # a named day inside "next week" is the day
    result.leftover_numbers = _DIGITS.search(text) is not None
    return result


def _negated(folded: str, start: int, rules: Rules) -> bool:
    head = folded[max(0, start - 24) : start]
    return rules.negation_before.search(head) is not None


# ---- helpers shared by the language tables ---------------------------------------------------------


def alternation(words: object, space: str | None = None) -> str:
    """A regex alternation of `words` (longest first, so "viernes" wins over "vie"); with `space`, a blank inside
    a word matches that pattern (e.g. r"\\s+")."""
    escaped = (re.escape(str(w)) for w in words)  # type: ignore[attr-defined]
    if space is not None:
        escaped = (w.replace(r"\ ", space) for w in escaped)
    return "|".join(sorted(escaped, key=len, reverse=True))


def recurrence(m: re.Match[str], scope: Scope) -> Mention | None:
    """'every Friday', 'по пятницам', 'todos los lunes': no single day (the parse is marked recurring)."""
    return Mention("recurrence", m.start(), m.end())


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


def month_day(today: date, month: int, day: int, year: int | None = None) -> date | None:
    """'March 7th': this year unless it has passed (then next year)."""
    if year is not None:
        if year < 100:
            year += 2000
        return _safe(year, month, day)
    found = _safe(today.year, month, day)
    if found is not None and found < today:
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


def after_offset(scope: Scope, minutes: int) -> tuple[date, time] | None:
    """Local day and time `minutes` of real time after the salon's now ("in an hour"), across DST changes.

    None when the salon's wall-clock time is unknown. The offset is elapsed time: the local now is made aware in
    the salon's zone, moved in UTC and read back in the zone, so the night clocks spring forward it still adds one
    real hour. Nothing here depends on the machine's zone.
    """
    if scope.now is None or not 0 < minutes <= 7 * 24 * 60:
        return None
    zone = ZoneInfo(scope.zone)
    local = datetime.combine(scope.today, scope.now, tzinfo=zone)
    later = (local.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
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
