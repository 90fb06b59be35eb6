"""Date, time and time-window extraction: the language-independent core.

Each language module (`dates_en`, `dates_ru`, `dates_es`, `dates_pt`) contributes a `Rules` table: regexes over
folded text, each with a handler that turns a match into a `Mention`. The handlers more than one language needs
are built here from that language's own tables (`in_days(NUMBERS, week="semana")`, `named_month(MONTHS)`...);
a language module keeps its vocabulary, its patterns and the handlers only it has.

The core runs date rules first, then time rules, then window rules, masking what an earlier rule consumed so that
"the 12th" never becomes a time and "4 in the evening" never becomes a bare "evening" window. Then it picks the
answer: the last date/time that is not negated ("not tomorrow but Saturday": Saturday; tomorrow becomes
`negated_date`).

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from booking_bot.domain import Expecting
from booking_bot.nlu.dates_calendar import (
    END_OF_DAY,
    after_offset,
    apply_meridiem,
    day_of_month,
    month_day,
    month_period,
    next_weekday,
    week_period,
    weekend_period,
)

__all__ = [
    "AMPM",
    "END_OF_DAY",
    "DateTimeResult",
    "Handler",
    "Mention",
    "Rule",
    "Rules",
    "Scope",
    "after_offset",
    "alternation",
    "apply_meridiem",
    "bounded",
    "date_mention",
    "day_and_window",
    "day_month",
    "day_number",
    "day_of_month",
    "days_later",
    "in_days",
    "in_time",
    "month_day",
    "month_period",
    "named_month",
    "next_weekday",
    "noon",
    "number",
    "numeric_date",
    "numeric_pattern",
    "period",
    "recurrence",
    "relative_day",
    "right_now",
    "rule",
    "week_period",
    "weekday",
    "weekend_period",
    "window",
    "year_of",
]


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
    """One date, time, window, period or recurrence found in the text, with where it stands."""

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
    """A regex over folded text and the handler that reads its matches."""

    pattern: re.Pattern[str]
    handler: Handler


@dataclass(frozen=True, slots=True)
class Rules:
    """A language's rule table."""

    dates: tuple[Rule, ...]
    times: tuple[Rule, ...]
    windows: tuple[Rule, ...]
    negation_before: re.Pattern[str]  # matched against the text just before a date mention
    unit_after: re.Pattern[str]  # a number followed by this is a count, not a time ("2 people")


@dataclass(slots=True)
class DateTimeResult:
    """What `extract` found in one message."""

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

AMPM = r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"  # "5pm", "5 p.m.", "7:30am": group `ampm` is "a" or "p"


def rule(pattern: str, handler: Handler) -> Rule:
    """A rule from its regex source."""
    return Rule(re.compile(pattern), handler)


def alternation(words: object, space: str | None = None) -> str:
    """A regex alternation of `words` (longest first, so "viernes" wins over "vie"); with `space`, a blank inside
    a word matches that pattern (e.g. r"\\s+")."""
    escaped = (re.escape(str(w)) for w in words)  # type: ignore[attr-defined]
    if space is not None:
        escaped = (w.replace(r"\ ", space) for w in escaped)
    return "|".join(sorted(escaped, key=len, reverse=True))


def numeric_pattern(separators: str) -> str:
    """The regex of a numeric date ("10/03", "10.03.2026"): groups `a`, `sep` (one of `separators`), `b`, `y`."""
    return (
        rf"(?<![\d.:/$])(?P<a>\d{{1,2}})(?P<sep>[{separators}])(?P<b>\d{{1,2}})(?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?"
        r"(?![\d:])(?!\.\d)"
    )


def number(word: str, words: Mapping[str, int], blank: str = r"\s+") -> int:
    """A number in digits or as one of `words` ("dos", "две", "twenty-first": blanks matching `blank` read as one
    space); 0 for a word not listed."""
    return int(word) if word.isdigit() else words.get(re.sub(blank, " ", word), 0)


def year_of(m: re.Match[str]) -> int | None:
    """The match's year (group `y`), when its pattern has one and it was said."""
    year = m.groupdict().get("y")
    return int(year) if year else None


def date_mention(m: re.Match[str], day: date | None) -> Mention | None:
    """A date over the whole match; None for a day that does not exist ("31 June")."""
    return None if day is None else Mention("date", m.start(), m.end(), day=day)


def bounded(m: re.Match[str], at: time, head: str, after: re.Pattern[str], before: re.Pattern[str]) -> Mention:
    """A clock time, or the window it opens ("after 5") or closes ("before 5") by what `head`, the text just
    before it, ends with."""
    if after.search(head):
        return Mention("window", m.start(), m.end(), window=(at, END_OF_DAY))
    if before.search(head):
        return Mention("window", m.start(), m.end(), window=(time(0, 0), at))
    return Mention("time", m.start(), m.end(), at=at)


def recurrence(m: re.Match[str], scope: Scope) -> Mention | None:
    """'every Friday', 'по пятницам', 'todos los lunes': no single day (the parse is marked recurring)."""
    return Mention("recurrence", m.start(), m.end())


def right_now(m: re.Match[str], scope: Scope) -> Mention | None:
    """'ahora mismo', 'agora mesmo': today, at the salon's now when it is known."""
    at = scope.now.replace(second=0, microsecond=0) if scope.now else None
    return Mention("date", m.start(), m.end(), day=scope.today, at=at)


def relative_day(offsets: Sequence[tuple[str, int]]) -> Handler:
    """'tomorrow', 'pasado mañana', 'вчера': today plus the offset of the first of `offsets` the match starts
    with; today when none."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        word = m.group(0)
        days = next((offset for prefix, offset in offsets if word.startswith(prefix)), 0)
        return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))

    return handler


def days_later(days: int) -> Handler:
    """A rule whose every match names the day `days` after today ("the day after tomorrow", "a week from now")."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))

    return handler


def weekday(weekdays: Mapping[str, int], this: str) -> Handler:
    """'Friday', 'в эту пятницу', 'el martes de la semana que viene': the weekday (group `wd`) after today, today
    itself when the modifier (group `mod`) matches `this`; with group `nextweek`, that weekday of next week."""
    this_mod = re.compile(this)

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        wd = weekdays[m.group("wd")]
        day = next_weekday(scope.today, wd, allow_today=this_mod.match((m.group("mod") or "").strip()) is not None)
        if m.groupdict().get("nextweek"):
            day = scope.today - timedelta(days=scope.today.weekday()) + timedelta(weeks=1, days=wd)
        return Mention("date", m.start(), m.end(), day=day)

    return handler


def day_number(m: re.Match[str], scope: Scope) -> Mention | None:
    """'the 12th', 'el día 12', '25 числа': the next such day (group `d`); with group `this`, of this month."""
    this_month = bool(m.groupdict().get("this"))
    return date_mention(m, day_of_month(scope.today, int(m.group("d")), this_month=this_month))


def day_month(months: Mapping[str, int], first: tuple[str, ...] = ()) -> Handler:
    """'10 марта', '12 de marzo de 2027', 'el primero de junio': day (group `d`; a word in `first` is the 1st),
    month (group `mon`, a key of `months`) and the year when said (group `y`)."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        raw = m.group("d")
        day = 1 if raw.startswith(first) else int(raw)
        return date_mention(m, month_day(scope.today, months[m.group("mon")], day, year_of(m)))

    return handler


_MERIDIEM = re.compile(r"\s*[ap]\.?m\b")


def numeric_date(
    clock_before: re.Pattern[str], look_back: int, *, slash_month_first: bool = False, meridiem_after: bool = False
) -> Handler:
    """'10.03', '10/03/2026' (a `numeric_pattern` match): day first, or with `slash_month_first` "/" as month/day.

    A "." date without a year is a time instead when `clock_before` ends the `look_back` characters before it
    ("a las 10.30"), or with `meridiem_after`, when "am"/"pm" follows ("10.30 pm").
    """

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        a, b = int(m.group("a")), int(m.group("b"))
        year = year_of(m)
        month, day = (a, b) if slash_month_first and m.group("sep") == "/" else (b, a)
        if m.group("sep") == "." and year is None:
            head = scope.text[max(0, m.start() - look_back) : m.start()]
            if clock_before.search(head) or (meridiem_after and _MERIDIEM.match(scope.text[m.end() :])):
                return None
        if not 1 <= month <= 12:
            return None
        return date_mention(m, month_day(scope.today, month, day, year))

    return handler


def in_days(numbers: Mapping[str, int], week: str, *, as_period: bool = False) -> Handler:
    """'in 3 days', 'через неделю', 'dentro de una semana': the day a number (group `n`, 1 when left out) of days
    from today, or of weeks when the unit (group `u`) starts with `week`; with `as_period` ('los próximos 5 días'),
    the period from today to that day."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        days = number(m.group("n") or "1", numbers) * (7 if m.group("u").startswith(week) else 1)
        if not 0 < days <= 366:
            return None
        later = scope.today + timedelta(days=days)
        if as_period:
            return Mention("period", m.start(), m.end(), period=(scope.today, later))
        return Mention("date", m.start(), m.end(), day=later)

    return handler


def in_time(numbers: Mapping[str, int], hour: str) -> Handler:
    """'in an hour', 'через 30 минут', 'en media hora' (group `half`): the salon's now plus that many minutes, or
    hours when the unit (group `u`) starts with `hour`; nothing without the salon's now."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        if m.group("half"):
            minutes = 30
        else:
            minutes = number(m.group("n") or "1", numbers) * (60 if m.group("u").startswith(hour) else 1)
        got = after_offset(scope.today, scope.now, scope.zone, minutes)
        return None if got is None else Mention("date", m.start(), m.end(), day=got[0], at=got[1])

    return handler


def named_month(months: Mapping[str, int]) -> Handler:
    """'in April', 'в апреле', 'en abril': that month (group `mon`, a key of `months`) as a period."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        span = month_period(scope.today, months[m.group("mon")])
        return None if span is None else Mention("period", m.start(), m.end(), period=span)

    return handler


def period(following: str, units: Sequence[tuple[str, str]]) -> Handler:
    """'this week', 'на выходных', 'el mes que viene', 'o resto do dia': a week, weekend, month or day as a period.

    The unit is that of the first of `units` (word, "weekend" | "month" | "day") found in the match, else "week";
    the next one rather than this one when the regex `following` is found in it.
    """
    ahead = re.compile(following)

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        word = re.sub(r"\s+", " ", m.group(0))
        next_one = ahead.search(word) is not None
        unit = next((kind for key, kind in units if key in word), "week")
        today = scope.today
        span: tuple[date, date] | None
        if unit == "weekend":
            span = weekend_period(today, following=next_one and today.weekday() >= 5)
        elif unit == "month":
            span = month_period(today, months_ahead=1 if next_one else 0)
        elif unit == "day":
            span = (today, today)
        else:
            span = week_period(today, 1 if next_one else 0)
        return None if span is None else Mention("period", m.start(), m.end(), period=span)

    return handler


def noon(midnight: str, after: re.Pattern[str], before: re.Pattern[str]) -> Handler:
    """'noon', 'mediodía', 'meia-noite' (when the match contains `midnight`), or the window it bounds."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        at = time(0, 0) if midnight in m.group(0) else time(12, 0)
        return bounded(m, at, scope.text[max(0, m.start() - 16) : m.start()], after, before)

    return handler


def window(windows: Mapping[str, tuple[time, time]]) -> Handler:
    """'por la tarde', 'depois do almoço': the window of the part of the day (group `p`, a key of `windows`)."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        return Mention("window", m.start(), m.end(), window=windows[m.group("p")])

    return handler


def day_and_window(windows: Mapping[str, tuple[time, time]]) -> Handler:
    """'esta noche', 'amanhã de manhã': today, or tomorrow with group `tom`, and the window of part `p`."""

    def handler(m: re.Match[str], scope: Scope) -> list[Mention]:
        day = scope.today + timedelta(days=1 if m.group("tom") else 0)
        return [
            Mention("date", m.start(), m.start() + 1, day=day),
            Mention("window", m.start() + 1, m.end(), window=windows[m.group("p")]),
        ]

    return handler
