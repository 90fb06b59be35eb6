"""Date, time and time-window extraction: the language-independent core.

Each language module (`dates_en`, `dates_ru`, `dates_es`, `dates_pt`) contributes a `Rules` table: regexes over
folded text, each with a handler that turns a match into a `Mention`. The handlers more than one language needs
are built in `dates_shared` from that language's own tables (`in_days(NUMBERS, week="semana")`,
`named_month(MONTHS)`...); a language module keeps its vocabulary, its patterns and the handlers only it has.

The core runs date rules first, then time rules, then window rules, masking what an earlier rule consumed so that
"the 12th" never becomes a time and "4 in the evening" never becomes a bare "evening" window. Then it picks the
answer (`_choose`): the last date/time that is not negated ("not tomorrow but Saturday": Saturday; tomorrow
becomes `negated_date`), none of two offered as alternatives ("Thursday or Friday?", "в 3 или в 4"), a week after
a weekday the message goes on to call "the next one" ("not this Friday, the one after"), and no clock time for a
range ("between 2 and 4").

Conventions (shared by every language):
* "next <weekday>" and a bare weekday mean the first such weekday after today; "this <weekday>" is today when
  today is that weekday. "<weekday> next week" is that weekday in the next Monday–Sunday week.
* A day of month without a month ("the 12th") is in this month if it has not passed, else in the next month.
  "12th of this month" is always this month. A month and day that have passed are next year.
* Bare hours in salon context ("at 5", "в 5", "5:30") read 1–7 as afternoon (13:00–19:00) and 8–12 as morning
  / noon. An explicit am/pm or part of the day ("4 in the evening", "evening 4", "6 вечера") wins.
* Numeric dates: Russian/Spanish/Portuguese read day first (10.03, 10/03); English reads "/" as month/day
  (3/10 = March 10th) and "." as day.month (10.03 = March 10th).
* A week, a weekend or a month ("next week", "на выходных") is a `period`, never a day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from itertools import pairwise

from booking_bot.domain import Expecting
from booking_bot.nlu.dates_calendar import day_of_month

__all__ = [
    "AMPM",
    "DateTimeResult",
    "Handler",
    "Mention",
    "Rule",
    "Rules",
    "Scope",
    "alternation",
    "day_of_month",
    "extract",
    "rule",
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
    """One date, time, window, period or recurrence found in the text, with where it stands.

    `kind` "offset" is an "in an hour" said without the salon's now: no time, but its number is no clock time.
    """

    kind: str  # "date" | "time" | "window" | "period" | "recurrence" | "offset"
    start: int
    end: int
    day: date | None = None
    at: time | None = None
    window: tuple[time, time] | None = None
    period: tuple[date, date] | None = None  # "this week", "next weekend", "in April": first and last day
    weekly: bool = False  # a weekday: "the next one" said after it is a week later
    later: bool = False  # "the one after": a week after the weekday said before it (a week said before is no home)


Handler = Callable[[re.Match[str], Scope], "Mention | list[Mention] | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A regex over folded text and the handler that reads its matches."""

    pattern: re.Pattern[str]
    handler: Handler


_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True, slots=True)
class Rules:
    """A language's rule table."""

    dates: tuple[Rule, ...]
    times: tuple[Rule, ...]
    windows: tuple[Rule, ...]
    negation_before: re.Pattern[str]  # matched against the text just before a date mention
    unit_after: re.Pattern[str]  # a number followed by this is a count, not a time ("2 people")
    # the text between two days or two times offered as alternatives (" or ", " или в "): neither is chosen
    alternative: re.Pattern[str] = _NEVER
    # "the next one", "a seguinte", "через одну" after a weekday: that weekday a week later (searched in the text)
    next_one: re.Pattern[str] = _NEVER
    # a refusal right after a mention ("сегодня не успеваю", "a las 5 no llego") or just before it ("no llego el
    # viernes"): the mention is dropped for another one the message names, and kept when it is the only one
    # ("no puedo el martes, lo cancelamos?" names the booking's day)
    refused_after: re.Pattern[str] = _NEVER
    refused_before: re.Pattern[str] = _NEVER
    # the text just before the first of two times that make a range ("between 2 and 4", "das 10 às 12")
    range_before: re.Pattern[str] = _NEVER
    range_between: re.Pattern[str] = _NEVER  # the text between them (" and ", " a ", " до ")
    # the whole text between two days or two times by which the first is taken back for the second ("el jueves no
    # el viernes", "thursday no friday", "в четверг, нет, в пятницу"): the second is chosen, not negated
    correction: re.Pattern[str] = _NEVER
    # a cause ("porque", "because", "потому что"): what is named after it is the reason, not the request, when
    # the message named one before it ("de mañana para el viernes porque mañana trabajo": Friday)
    reason: re.Pattern[str] = _NEVER
    # matched right after a weekday: the day of month that dates it ("martes 29", "sexta dia 13"; group `d`)
    weekday_date: re.Pattern[str] = _NEVER


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
# What a voice message or a hesitating customer puts between words ("el jueves eh no el viernes"): blanked out
# (offsets kept) before the rules run
_FILLER = re.compile(r"(?<!\w)(?:e+h+|e+hm+|u+h+|e+r+m+|h+m+|m{3,}|э+|э+м+|м{3,})(?!\w)")
_CHOICE = re.compile(
    r"\W*(?:(?:the|o|a|el|la|option|opcao|opcion|вариант|номер)\s+)?\d(?:st|nd|rd|th|o|a)?"
    r"(?:\s+(?:one|porfa|por\s+favor|pls|please|pfv|plz|pf|пж|пожалуйста))?\W*$"
)


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
    if expecting is Expecting.CHOICE and _CHOICE.match(folded):
        return DateTimeResult(leftover_numbers=True)  # "the 2nd", "la 1" after a numbered list: a choice
    if _FILLER.search(folded):
        folded = _FILLER.sub(lambda m: " " * len(m.group(0)), folded)
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
    if found:
        found, text = _dated_weekdays(found, text, rules, today)
        found = _next_one(folded, found, rules)
    result = _choose(folded, found, rules)
    result.leftover_numbers = _DIGITS.search(text) is not None
    return result


def _choose(folded: str, found: list[Mention], rules: Rules) -> DateTimeResult:
    """The answer among the mentions: see the module's docstring."""
    result = DateTimeResult(mentions=found)
    found = _before_reason(folded, found, rules)
    dates = [m for m in found if m.kind in ("date", "refused") and m.day is not None]
    times = [m for m in found if m.at is not None and m.kind in ("time", "date")]
    taken_back, corrected = _corrections(folded, dates, rules)
    times_back, times_corrected = _corrections(folded, times, rules)
    offered = _alternatives(folded, dates, rules) | _alternatives(folded, times, rules)
    offered -= taken_back | corrected | times_back | times_corrected  # "quinta, ou melhor, sexta": no offer
    ranged = _range(folded, [m for m in times if m.kind == "time"], rules)
    if ranged is not None:
        offered |= {id(ranged[0]), id(ranged[1])}
    chosen: Mention | None = None
    restated = False  # the day taken back is the one said instead ("next thursday no sorry thursday next week")
    for mention in dates:
        refused = mention.kind == "refused" or id(mention) in taken_back or _dropped(folded, mention, dates, rules)
        if refused or (_negated(folded, mention.start, rules) and id(mention) not in corrected):
            result.negated_date = mention.day
            restated = id(mention) in taken_back
        elif id(mention) not in offered:
            result.day, chosen = mention.day, mention
    if (
        chosen is not None
        and chosen.weekly
        and result.day is not None
        and result.day == result.negated_date
        and not (restated and id(chosen) in corrected)
    ):
        result.day += timedelta(weeks=1)  # "não essa sexta, a sexta-feira que vem": not the Friday just refused
    for mention in times:
        if id(mention) in offered or id(mention) in times_back or _dropped(folded, mention, times, rules):
            continue
        if _negated(folded, mention.start, rules) and id(mention) not in times_corrected:
            continue
        result.at = mention.at
    for mention in found:
        if mention.kind == "window" and mention.window is not None:
            result.window = mention.window
        elif mention.kind == "period" and mention.period is not None and not _negated(folded, mention.start, rules):
            result.period = mention.period
        elif mention.kind == "recurrence":
            result.recurring = True
    if ranged is not None and ranged[0].at is not None and ranged[1].at is not None:
        result.window = (ranged[0].at, ranged[1].at)
    if chosen is not None and result.period is not None and _moved_to_period(found, chosen, result.period):
        result.day = None  # "booked for Friday, move it to next week": the week is what they ask for now
    elif chosen is not None and chosen.weekly and not chosen.later and result.day is not None:
        result.day = _weekday_in_week(folded, found, chosen, result.day, rules)
    if result.day is not None:
        result.period = None  # a named day inside "next week" is the day
    return result


def _before_reason(folded: str, found: list[Mention], rules: Rules) -> list[Mention]:
    """The mentions without the days and times of a reason given after the request ("para el viernes porque mañana
    trabajo": Friday), when a day (or a time) is asked for before the cause."""
    cause = rules.reason.search(folded)
    if cause is None:
        return found
    at = cause.start()

    def asked(kind: str) -> bool:
        return any(
            m.kind == kind and m.end <= at and not _negated(folded, m.start, rules) and not _refused(folded, m, rules)
            for m in found
        )

    dated, timed = asked("date"), asked("time")
    if not (dated or timed):
        return found
    return [m for m in found if m.start < at or not ((m.kind == "date" and dated) or (m.kind == "time" and timed))]


def _corrections(folded: str, mentions: list[Mention], rules: Rules) -> tuple[set[int], set[int]]:
    """The ids of mentions taken back ("el jueves no, el viernes": Thursday) and of those said instead (Friday)."""
    back: set[int] = set()
    instead: set[int] = set()
    for first, second in pairwise(mentions):
        if first.end <= second.start and rules.correction.fullmatch(folded, first.end, second.start):
            back.add(id(first))
            instead.add(id(second))
    return back - instead, instead


def _weekday_in_week(folded: str, found: list[Mention], chosen: Mention, day: date, rules: Rules) -> date:
    """A weekday said after a week or a weekend: that weekday in it ("на следующей неделе, в четверг"), or, when the
    week was refused ("не на этой неделе, а в четверг"), in the week after."""
    for mention in reversed(found):
        if mention.kind != "period" or mention.period is None or mention.end > chosen.start:
            continue
        first, last = mention.period
        if (last - first).days > 6:
            return day
        inside = first <= day <= last
        if _negated(folded, mention.start, rules):
            return day + timedelta(weeks=1) if inside else day
        if not inside:
            moved = first + timedelta(days=(day.weekday() - first.weekday()) % 7)
            return moved if moved <= last else day
        return day
    return day


def _moved_to_period(found: list[Mention], chosen: Mention, period: tuple[date, date]) -> bool:
    """A period said after the chosen day, all of it later than the day."""
    return (
        chosen.day is not None
        and chosen.day < period[0]
        and any(m.kind == "period" and m.start >= chosen.end for m in found)
    )


def _negated(folded: str, start: int, rules: Rules) -> bool:
    head = folded[max(0, start - 24) : start]
    return rules.negation_before.search(head) is not None


def _dropped(folded: str, mention: Mention, same_kind: list[Mention], rules: Rules) -> bool:
    """Refused ("сегодня не успеваю", "no llego el viernes") while the message names another one instead."""
    return _refused(folded, mention, rules) and any(
        m is not mention and not _refused(folded, m, rules) for m in same_kind
    )


def _refused(folded: str, mention: Mention, rules: Rules) -> bool:
    head = folded[max(0, mention.start - 24) : mention.start]
    return rules.refused_after.match(folded, mention.end) is not None or rules.refused_before.search(head) is not None


def _alternatives(folded: str, mentions: list[Mention], rules: Rules) -> set[int]:
    """The ids of mentions offered as one of two ("Thursday or Friday", "в 3 или в 4")."""
    offered: set[int] = set()
    for first, second in pairwise(mentions):
        if first.end <= second.start and rules.alternative.fullmatch(folded, first.end, second.start):
            offered |= {id(first), id(second)}
    return offered


def _range(folded: str, times: list[Mention], rules: Rules) -> tuple[Mention, Mention] | None:
    """Two times that make a range ("between 2 and 4", "das 10 às 12"), when the message says one."""
    for first, second in pairwise(times):
        head = folded[max(0, first.start - 12) : first.start]
        if rules.range_before.search(head) and rules.range_between.fullmatch(folded, first.end, second.start):
            return first, second
    return None


def _dated_weekdays(found: list[Mention], text: str, rules: Rules, today: date) -> tuple[list[Mention], str]:
    """'martes 29', 'sexta dia 13': a weekday followed by the day of month that is that weekday is that date (the
    number is consumed, so it is no leftover)."""
    out = []
    for mention in found:
        hit = rules.weekday_date.match(text, mention.end) if mention.weekly and mention.day else None
        if hit is not None and mention.day is not None:
            day = day_of_month(today, int(hit.group("d")))
            if day is not None and day.weekday() == mention.day.weekday():
                mention = Mention("date", mention.start, hit.end(), day=day)
                text = text[: hit.start()] + " " * (hit.end() - hit.start()) + text[hit.end() :]
        out.append(mention)
    return out, text


def _next_one(folded: str, found: list[Mention], rules: Rules) -> list[Mention]:
    """'not this Friday, the one after' / 'на пятницу не на эту, а на следующую': the weekday a week later; 'el
    jueves, pero el de la semana que viene' says it with a week, which is then no period of its own."""
    for hit in rules.next_one.finditer(folded):
        overlapping = [m for m in found if hit.start() < m.end and m.start < hit.end()]
        if any(m.kind != "period" for m in overlapping):
            continue
        base = next((m for m in reversed(found) if m.end <= hit.start() and m.weekly and m.day), None)
        if base is None or base.day is None:
            continue
        later = Mention("date", hit.start(), hit.end(), day=base.day + timedelta(weeks=1), weekly=True, later=True)
        found = sorted([*(m for m in found if m not in overlapping), later], key=lambda m: m.start)
        if not _negated(folded, base.start, rules):
            # the weekday said first is the one refused ("на пятницу не на эту, а на следующую")
            found = [replace(m, kind="refused") if m is base else m for m in found]
    return found


# ---- what every language table builds its patterns from ------------------------------------------

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
