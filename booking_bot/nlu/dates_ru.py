"""Russian date/time/window rules (see `dates` for the conventions). Numeric dates are day first."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import (
    END_OF_DAY,
    Mention,
    Rule,
    Rules,
    Scope,
    after_offset,
    alternation,
    apply_meridiem,
    day_of_month,
    month_day,
    month_period,
    next_weekday,
    recurrence,
    week_period,
    weekend_period,
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


def _relative_day(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group(0)
    offsets = {"послезавтра": 2, "завтра": 1, "вчера": -1, "позавчера": -2}
    days = offsets.get(word, 0)
    return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))


def _weekday(m: re.Match[str], scope: Scope) -> Mention | None:
    wd = WEEKDAY_STEMS[m.group("wd")]
    mod = m.group("mod") or ""
    return Mention("date", m.start(), m.end(), day=next_weekday(scope.today, wd, allow_today=mod.startswith("эт")))


def _day_month(m: re.Match[str], scope: Scope) -> Mention | None:
    found = month_day(scope.today, MONTHS[m.group("mon")], int(m.group("d")))
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _day_number(m: re.Match[str], scope: Scope) -> Mention | None:
    found = day_of_month(scope.today, int(m.group("d")))
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _numeric(m: re.Match[str], scope: Scope) -> Mention | None:
    day, month = int(m.group("a")), int(m.group("b"))
    if m.group("sep") == "." and not m.group("y"):
        head = scope.text[max(0, m.start() - 6) : m.start()]
        if re.search(r"\b(?:в|к|до|после|около|с)\s*$", head):
            return None  # "в 10.30" is a time
    if not 1 <= month <= 12:
        return None
    year = int(m.group("y")) if m.group("y") else None
    found = month_day(scope.today, month, day, year)
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _in_days(m: re.Match[str], scope: Scope) -> Mention | None:
    num = m.group("n") or "1"
    count = int(num) if num.isdigit() else COUNTS.get(num, 0)
    days = count * (7 if m.group("u").startswith("недел") else 1)
    if not 0 < days <= 366:
        return None
    return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))


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


def _period(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group(0)
    following = "следующ" in word or "будущ" in word
    if "выходн" in word:
        span: tuple[date, date] | None = weekend_period(scope.today, following=following and scope.today.weekday() >= 5)
    elif "месяц" in word:
        span = month_period(scope.today, months_ahead=1 if following else 0)
    else:
        span = week_period(scope.today, 1 if following else 0)
    return None if span is None else Mention("period", m.start(), m.end(), period=span)


def _named_month(m: re.Match[str], scope: Scope) -> Mention | None:
    span = month_period(scope.today, MONTHS[m.group("mon")])
    return None if span is None else Mention("period", m.start(), m.end(), period=span)


def _in_time(m: re.Match[str], scope: Scope) -> Mention | None:
    """'через час', 'через 30 минут', 'через полчаса': needs the salon's now."""
    if m.group("half"):
        minutes = 30
    else:
        num = m.group("n") or "1"
        count = int(num) if num.isdigit() else COUNTS.get(num, 0)
        minutes = count * (60 if m.group("u").startswith("час") else 1)
    got = after_offset(scope, minutes)
    return None if got is None else Mention("date", m.start(), m.end(), day=got[0], at=got[1])


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


RULES = Rules(
    dates=(
        Rule(
            _r(
                r"\bкажд\w+\s+(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен|день|утро|вечер|недел|месяц)\w*"
                r"|\bпо\s+(?:понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям|выходным|утрам|вечерам)\b"
                r"|\b(?:ежедневно|еженедельно|ежемесячно)\b"
            ),
            recurrence,
        ),
        Rule(_r(r"\b(?:послезавтра|завтра|сегодня|седня|сёдня|позавчера|вчера)\b"), _relative_day),
        Rule(_r(rf"\b(?P<d>\d{{1,2}})(?:-?(?:го|е|ое))?\s+{_MON}"), _day_month),
        Rule(
            _r(
                r"(?<![\d.:/$])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\d:])"
                r"(?!\.\d)"
            ),
            _numeric,
        ),
        Rule(_r(r"\b(?P<d>\d{1,2})(?:-?го)?\s+числа\b|\b(?P<d2>\d{1,2})-го\b".replace("(?P<d2>", "(?:")), _day_number),
        Rule(
            _r(
                r"\b(?:(?:в|во|на)\s+)?(?:(?P<mod>эт[оуаи][йм]?|следующ[а-я]*|ближайш[а-я]*|будущ[а-я]*|"
                rf"эту|этот)\s+)?{_WD}\b"
            ),
            _weekday,
        ),
        Rule(
            _r(
                r"\bчерез\s+(?:(?P<n>\d{1,3}|одну|один|два|две|три|четыре|пять|шесть|семь|десять)\s+)?"
                r"(?P<u>день|дня|дней|неделю|недели|недель)\b"
            ),
            _in_days,
        ),
        Rule(
            _r(
                r"\bчерез\s+(?:(?P<half>полчаса|пол\s+часа)|(?:(?P<n>\d{1,3}|один|одну|два|две|три|пять|десять)\s+)?"
                r"(?P<u>час|часа|часов|минут[уы]?)\b)"
            ),
            _in_time,
        ),
        Rule(
            _r(
                r"\b(?:на|в|во)\s+(?:эт\w+|следующ\w+|будущ\w+|ближайш\w+)\s+(?:недел\w+|выходн\w+|месяц\w*)"
                r"|\bна\s+выходных\b|\bв\s+выходные\b"
            ),
            _period,
        ),
        Rule(_r(rf"\bв\s+{_MON.replace('(?:[яе]|а|е|ь|й)?', 'е')}"), _named_month),
    ),
    times=(
        Rule(
            _r(
                rf"(?:\b(?P<prep>в|во|к|на|с|до|после|около|часов\s+в)\s+)?(?<![\d.:])(?P<h>\d{{1,2}})(?P<sep>[:.])"
                rf"(?P<m>[0-5]\d)(?![\d])(?:\s*(?:час[а-я]*|ч\b))?{_PART}"
            ),
            _clock,
        ),
        Rule(
            _r(
                rf"\b(?:(?P<prep>в|к|около|до|после)\s+)?(?:в\s+)?(?P<q>четверть\s+)?(?:половин[а-я]*\s+|пол\s*-?\s*)?"
                rf"(?P<oh>{_OH})\b{_PART}".replace("(?P<q>четверть\\s+)?(?:", "(?:(?P<q>четверть)\\s+|")
            ),
            _half,
        ),
        Rule(
            _r(rf"\b(?:(?P<prep>в|к|около|до|после)\s+)?без\s+четверти\s+(?P<h>\d{{1,2}}|{_HW})\b{_PART}"),
            _to,
        ),
        Rule(
            _r(
                rf"(?:\b(?P<prep>в|во|к|на|с|до|после|около)\s+)?(?<![\d.:,$-])(?P<h>\d{{1,2}}|\b(?:{_HW}))"
                rf"(?![\d.:,/])(?:\s*(?P<chas>час[а-я]*|ч\b))?{_PART}(?!\s*(?:-?(?:го|е|ое)\b|числа))"
            ),
            _hour,
        ),
        Rule(_r(rf"\b(?:в|на|к)\s+час\b{_PART}"), _one_oclock),
        Rule(_r(r"\b(?:в\s+|к\s+)?(?:полдень|полночь|полудню|полуночи)\b"), _noon),
    ),
    windows=(
        Rule(
            _r(
                r"\b(?P<today>сегодня\s+|этим\s+|этой\s+)?(?P<w>утром|с\s+утра|утра|днем|вечером|вечерком|ночью|"
                r"после\s+обеда|до\s+обеда|в\s+обед|после\s+работы)\b".replace("с\\s+утра", "утр[оа]м?")
            ),
            _window,
        ),
    ),
    negation_before=_NEG,
    unit_after=_UNIT_AFTER,
)
