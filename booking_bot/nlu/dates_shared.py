"""The rule handlers more than one language needs, each built from that language's own tables (see `dates`).

A language module imports its types from `dates` and these builders from here: `relative_day(OFFSETS)`,
`weekday(WEEKDAYS, this=...)`, `in_days(NUMBERS, week=...)`, `named_month(MONTHS)`, `period(...)`...
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, time, timedelta

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import Handler, Mention, Rule, Scope, rule
from booking_bot.nlu.dates_calendar import (
    END_OF_DAY,
    after_offset,
    day_of_month,
    month_day,
    month_period,
    next_weekday,
    week_period,
    weekend_period,
)

__all__ = [
    "ENGLISH_DAYS",
    "abbreviated",
    "bounded",
    "date_mention",
    "day_and_window",
    "day_month",
    "day_number",
    "days_later",
    "in_days",
    "in_time",
    "misspelt_weekday",
    "named_month",
    "noon",
    "number",
    "numeric_date",
    "numeric_pattern",
    "offset",
    "period",
    "recurrence",
    "relative_day",
    "right_now",
    "week_of",
    "weekday",
    "window",
    "year_of",
]


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


# "можно на маник tomorrow в 5?", "hoy no, tomorrow": the English words for today and tomorrow inside another
# language's message (the other languages' tables add this rule after their own words)
ENGLISH_DAYS: Rule = rule(
    r"\b(?:tomorrow|tomorow|tommorow|tmrw|tmr|2moro|today|tonight|tonite)\b",
    relative_day((("tom", 1), ("tm", 1), ("2m", 1))),
)


def days_later(days: int) -> Handler:
    """A rule whose every match names the day `days` after today ("the day after tomorrow", "a week from now")."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))

    return handler


def weekday(weekdays: Mapping[str, int], this: str) -> Handler:
    """'Friday', 'в эту пятницу', 'el martes de la semana que viene': the weekday (group `wd`) after today, today
    itself when the modifier (group `mod`) matches `this`; with group `nextweek` (or `nextweek_after`, when the
    week is said after the day), that weekday of next week; with
    group `other` ('el otro sábado'), a week after the coming one."""
    this_mod = re.compile(this)

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        wd = weekdays[m.group("wd")]
        groups = m.groupdict()
        day = next_weekday(scope.today, wd, allow_today=this_mod.match((m.group("mod") or "").strip()) is not None)
        if groups.get("nextweek") or groups.get("nextweek_after"):
            day = scope.today - timedelta(days=scope.today.weekday()) + timedelta(weeks=1, days=wd)
        elif groups.get("other"):
            day += timedelta(weeks=1)
        return Mention("date", m.start(), m.end(), day=day, weekly=True)

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
    """'10.03', '10/03/2026' (a `numeric_pattern` match): day first, or with `slash_month_first` "/" as month/day
    (and day/month where it can only be that: "30/12").

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
        if not 1 <= month <= 12 and slash_month_first and m.group("sep") == "/" and 1 <= day <= 12:
            month, day = day, month  # "30/12" can only be day/month
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
    hours when the unit (group `u`) starts with `hour`; an "offset" mention without the salon's now."""

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        if m.group("half"):
            minutes = 30
        else:
            minutes = number(m.group("n") or "1", numbers) * (60 if m.group("u").startswith(hour) else 1)
        got = after_offset(scope.today, scope.now, scope.zone, minutes)
        if got is None:  # not guessed without the salon's now, but "1 hora" is no one o'clock either
            return Mention("offset", m.start(), m.end())
        return Mention("date", m.start(), m.end(), day=got[0], at=got[1])

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
    """'esta noche', 'amanhã de manhã': today, tomorrow with group `tom` (the day after with group `dat` as well),
    and the window of part `p`."""

    def handler(m: re.Match[str], scope: Scope) -> list[Mention]:
        day = scope.today + timedelta(days=(1 if m.group("tom") else 0) + (1 if m.groupdict().get("dat") else 0))
        return [
            Mention("date", m.start(), m.start() + 1, day=day),
            Mention("window", m.start() + 1, m.end(), window=windows[m.group("p")]),
        ]

    return handler


def offset(m: re.Match[str], scope: Scope) -> Mention | None:
    """'на час позже', 'in 2 hours' said without the salon's now: a shift, whose number is no clock time."""
    return Mention("offset", m.start(), m.end())


def abbreviated(
    handler: Handler,
    before: re.Pattern[str] | None,
    after: re.Pattern[str],
    *,
    ambiguous: frozenset[str] = frozenset(),
    strict_before: re.Pattern[str] | None = None,
) -> Handler:
    """A weekday abbreviation ('пт', 'sáb', 'vie', group `wd`) read by `handler` only where the message is about a
    day: after one of the words `before` ends with, with a modifier (group `mod`), before a time (`after`), or as
    the whole message. An `ambiguous` one ('sex', 'ter', 'mar': other words too) only before a time, after
    `strict_before`, or first in the answer when the bot asked for a day."""

    def gated(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
        text = scope.text
        head = text[max(0, m.start() - 16) : m.start("wd")]
        first = not text[: m.start()].strip(" ,.!?¿¡")
        alone = first and not text[m.end() :].strip(" ,.!?)")
        preposition: re.Pattern[str] | None = before
        modified = bool(m.groupdict().get("mod"))
        if m.group("wd") in ambiguous:
            alone = first and scope.expecting is Expecting.DATE  # "sat if poss" answering "which day?"
            preposition, modified = strict_before, False  # "el mar" is the sea
        said = preposition is not None and preposition.search(head) is not None
        if alone or said or modified or after.match(text, m.end("wd")):
            return handler(m, scope)
        return None

    return gated


def week_of(m: re.Match[str], scope: Scope) -> Mention | None:
    """'the week of the 14th', 'na semana do dia 20': the Monday–Sunday week of that day of month (group `d`)."""
    day = day_of_month(scope.today, int(m.group("d")))
    if day is None:
        return None
    monday = day - timedelta(days=day.weekday())
    return Mention("period", m.start(), m.end(), period=(max(monday, scope.today), monday + timedelta(days=6)))


def misspelt_weekday(forms: Mapping[str, int]) -> Handler:
    """'на четверк', 'el vierne': a word (group `w`) one letter away from one of the weekday `forms` (a letter
    more, less or other; same first letter), read as that weekday after today."""
    index: dict[str, int] = {}
    for form, wd in forms.items():
        index.setdefault(form, wd)
        for i in range(1, len(form)):
            index.setdefault(form[:i] + form[i + 1 :], wd)

    def handler(m: re.Match[str], scope: Scope) -> Mention | None:
        word = m.group("w")
        wd = index.get(word)
        if wd is None:
            wd = next((index[w] for i in range(1, len(word)) if (w := word[:i] + word[i + 1 :]) in index), None)
        if wd is None:
            return None
        return Mention("date", m.start(), m.end(), day=next_weekday(scope.today, wd), weekly=True)

    return handler
