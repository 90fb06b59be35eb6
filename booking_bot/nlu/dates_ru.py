"""Russian date/time/window rules (see `dates` for the conventions). Numeric dates are day first."""

from __future__ import annotations

import re
from datetime import time

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import (
    END_OF_DAY,
    Mention,
    Rules,
    Scope,
    alternation,
    apply_meridiem,
    day_month,
    day_number,
    in_days,
    in_time,
    named_month,
    numeric_date,
    numeric_pattern,
    period,
    recurrence,
    relative_day,
    rule,
    weekday,
)

__all__ = ["RULES"]

WEEKDAY_STEMS = {"понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5, "воскресен": 6}
MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
    "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
# hour words in the nominative and genitive ("в два", "до двух"); "час" is one o'clock
HOURS = {
    "час": 1, "один": 1, "одного": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "четыре": 4, "четырех": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8,
    "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11, "одиннадцати": 11,
    "двенадцать": 12, "двенадцати": 12,
}  # fmt: skip
# "половина пятого" = 4:30: the ordinal names the coming hour
ORDINAL_HOURS = {
    "первого": 1, "второго": 2, "третьего": 3, "четвертого": 4, "пятого": 5, "шестого": 6, "седьмого": 7,
    "восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11, "двенадцатого": 12,
}  # fmt: skip
COUNTS = {"один": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
          "десять": 10}  # fmt: skip
PARTS = {"утра": "morning", "дня": "day", "вечера": "evening", "ночи": "night"}


_WD = r"(?P<wd>понедельник|вторник|сред|четверг|пятниц|суббот|воскресен)[а-я]*"
_MON = r"(?P<mon>январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)(?:[яе]|а|е|ь|й)?\b"
_HW = alternation(HOURS)
_OH = alternation(ORDINAL_HOURS)
_PART = r"(?:\s+(?P<part>утра|дня|вечера|ночи))?"
_UNIT_AFTER = re.compile(
    r"\s*(?:%|человек|чел\b|персон|гост|руб|р\b|₽|\$|минут|мин\b|дн|день|недел|месяц|год|лет|раз|шт|звезд|отзыв)"
)
# "в 10.30", "к 10.30": a time, not a date
_TIME_BEFORE_NUMERIC = re.compile(r"\b(?:в|к|до|после|около|с)\s*$")
_NEG = re.compile(r"(?:\bне|\bвместо|\bа\s+не|\bс)\s+(?:в|во|на|с|со)?\s*$")


def _make(m: re.Match[str], scope: Scope, hour: int, minute: int, kind_hint: str | None = None) -> Mention | None:
    part_word = m.group("part") if "part" in m.re.groupindex else None
    part = PARTS.get(part_word) if part_word else None
    if _UNIT_AFTER.match(scope.text, m.end()) and part is None:
        return None
    at = apply_meridiem(hour, minute, None, part, salon=True)
    if at is None:
        return None
    prep = (m.group("prep") or "").strip() if "prep" in m.re.groupindex else ""
    if prep == "после" or kind_hint == "after":
        return Mention("window", m.start(), m.end(), window=(at, END_OF_DAY))
    if prep == "до":
        return Mention("window", m.start(), m.end(), window=(time(0, 0), at))
    return Mention("time", m.start(), m.end(), at=at)


def _clock(m: re.Match[str], scope: Scope) -> Mention | None:
    hour, minute = int(m.group("h")), int(m.group("m"))
    if m.group("sep") == "." and not m.group("prep") and hour <= 31 and minute <= 12 and not m.group("part"):
        return None  # "10.03" is a date
    return _make(m, scope, hour, minute)


def _hour(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    strong = bool(m.group("part") or m.group("chas"))
    if not strong and not m.group("prep") and scope.expecting is not Expecting.TIME:
        return None
    if m.group("prep") in ("на", "с") and not strong:
        return None  # "на 2 человека", "с 2 детьми": not a time without a marker
    return _make(m, scope, hour, 0)


def _one_oclock(m: re.Match[str], scope: Scope) -> Mention | None:
    return _make(m, scope, 1, 0)


def _half(m: re.Match[str], scope: Scope) -> Mention | None:
    hour = ORDINAL_HOURS[m.group("oh")] - 1 or 12
    minute = 15 if m.group("q") else 30
    return _make(m, scope, hour, minute)


def _to(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    return _make(m, scope, (hour - 1) or 12, 45)


def _noon(m: re.Match[str], scope: Scope) -> Mention | None:
    at = time(0, 0) if m.group(0).endswith(("полночь", "полночи")) else time(12, 0)
    return Mention("time", m.start(), m.end(), at=at)


_WINDOWS = {
    "утр": (time(8, 0), time(12, 0)),
    "дн": (time(12, 0), time(17, 0)),
    "вечер": (time(17, 0), time(21, 0)),
    "ноч": (time(19, 0), END_OF_DAY),
    "после обеда": (time(13, 0), END_OF_DAY),
    "до обеда": (time(8, 0), time(12, 0)),
    "в обед": (time(12, 0), time(14, 0)),
    "после работы": (time(17, 0), END_OF_DAY),
}


def _window(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    key = re.sub(r"\s+", " ", m.group("w"))
    for prefix, window in _WINDOWS.items():
        if key.startswith(prefix):
            mention = Mention("window", m.start(), m.end(), window=window)
            if m.group("today"):
                return [mention, Mention("date", m.start(), m.start() + 1, day=scope.today)]
            return mention
    return None


RULES = Rules(
    dates=(
        rule(
            r"\bкажд\w+\s+(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен|день|утро|вечер|недел|месяц)\w*"
            r"|\bпо\s+(?:понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям|выходным|утрам|вечерам)\b"
            r"|\b(?:ежедневно|еженедельно|ежемесячно)\b",
            recurrence,
        ),
        rule(
            r"\b(?:послезавтра|завтра|сегодня|седня|сёдня|позавчера|вчера)\b",
            relative_day((("послезавтра", 2), ("завтра", 1), ("позавчера", -2), ("вчера", -1))),
        ),
        rule(rf"\b(?P<d>\d{{1,2}})(?:-?(?:го|е|ое))?\s+{_MON}", day_month(MONTHS)),
        rule(numeric_pattern("/."), numeric_date(_TIME_BEFORE_NUMERIC, 6)),
        # "25 числа", "20-го", "на 2-е", "12го": the day is group `d` in every form (the handler reads it)
        rule(r"\b(?P<d>\d{1,2})(?:(?:-?го)?\s+числа\b|-?(?:го|е|ое)\b)", day_number),
        rule(
            r"\b(?:(?:в|во|на)\s+)?(?:(?P<mod>эт[оуаи][йм]?|следующ[а-я]*|ближайш[а-я]*|будущ[а-я]*|"
            rf"эту|этот)\s+)?{_WD}\b",
            weekday(WEEKDAY_STEMS, this="эт"),
        ),
        rule(
            r"\bчерез\s+(?:(?P<n>\d{1,3}|одну|один|два|две|три|четыре|пять|шесть|семь|десять)\s+)?"
            r"(?P<u>день|дня|дней|неделю|недели|недель)\b",
            in_days(COUNTS, week="недел"),
        ),
        rule(
            r"\bчерез\s+(?:(?P<half>полчаса|пол\s+часа)|(?:(?P<n>\d{1,3}|один|одну|два|две|три|пять|десять)\s+)?"
            r"(?P<u>час|часа|часов|минут[уы]?)\b)",
            in_time(COUNTS, hour="час"),
        ),
        rule(
            r"\b(?:на|в|во)\s+(?:эт\w+|следующ\w+|будущ\w+|ближайш\w+)\s+(?:недел\w+|выходн\w+|месяц\w*)"
            r"|\bна\s+выходных\b|\bв\s+выходные\b",
            period("следующ|будущ", (("выходн", "weekend"), ("месяц", "month"))),
        ),
        rule(rf"\bв\s+{_MON.replace('(?:[яе]|а|е|ь|й)?', 'е')}", named_month(MONTHS)),
    ),
    times=(
        rule(
            rf"(?:\b(?P<prep>в|во|к|на|с|до|после|около|часов\s+в)\s+)?(?<![\d.:])(?P<h>\d{{1,2}})(?P<sep>[:.])"
            rf"(?P<m>[0-5]\d)(?![\d])(?:\s*(?:час[а-я]*|ч\b))?{_PART}",
            _clock,
        ),
        rule(
            rf"\b(?:(?P<prep>в|к|около|до|после)\s+)?(?:в\s+)?(?P<q>четверть\s+)?(?:половин[а-я]*\s+|пол\s*-?\s*)?"
            rf"(?P<oh>{_OH})\b{_PART}".replace("(?P<q>четверть\\s+)?(?:", "(?:(?P<q>четверть)\\s+|"),
            _half,
        ),
        rule(
            rf"\b(?:(?P<prep>в|к|около|до|после)\s+)?без\s+четверти\s+(?P<h>\d{{1,2}}|{_HW})\b{_PART}",
            _to,
        ),
        rule(
            rf"(?:\b(?P<prep>в|во|к|на|с|до|после|около)\s+)?(?<![\d.:,$-])(?P<h>\d{{1,2}}|\b(?:{_HW}))"
            rf"(?![\d.:,/])(?:\s*(?P<chas>час[а-я]*|ч\b))?{_PART}(?!\s*(?:-?(?:го|е|ое)\b|числа))",
            _hour,
        ),
        rule(rf"\b(?:в|на|к)\s+час\b{_PART}", _one_oclock),
        rule(r"\b(?:в\s+|к\s+)?(?:полдень|полночь|полудню|полуночи)\b", _noon),
    ),
    windows=(
        rule(
            r"\b(?P<today>сегодня\s+|этим\s+|этой\s+)?(?P<w>утром|с\s+утра|утра|днем|вечером|вечерком|ночью|"
            r"после\s+обеда|до\s+обеда|в\s+обед|после\s+работы)\b".replace("с\\s+утра", "утр[оа]м?"),
            _window,
        ),
    ),
    negation_before=_NEG,
    unit_after=_UNIT_AFTER,
)
