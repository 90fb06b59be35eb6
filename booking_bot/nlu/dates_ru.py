"""Russian date/time/window rules (see `dates` for the conventions). Numeric dates are day first.

Slang and typos a chat writes are read too: "седня", "севодня", "завтро", "зафтра", weekday abbreviations ("в пн",
"во вт", "пт 18:00" — only where the message is about a day), "в 19.00", "в 19-00", "на 15 00", "полшестого",
"без пятнадцати пять".
"""

from __future__ import annotations

import re
from datetime import time

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import Mention, Rules, Scope, alternation, rule
from booking_bot.nlu.dates_calendar import END_OF_DAY, apply_meridiem, day_of_month, month_day
from booking_bot.nlu.dates_shared import (
    ENGLISH_DAYS,
    abbreviated,
    date_mention,
    day_month,
    day_number,
    in_days,
    in_time,
    misspelt_weekday,
    named_month,
    numeric_date,
    numeric_pattern,
    offset,
    period,
    recurrence,
    relative_day,
    weekday,
)

__all__ = ["RULES"]

# (the adjectives too: "воскресную запись", "понедельничную", "вторничную" — the one on that day)
WEEKDAY_STEMS = {"понедельник": 0, "понедельнич": 0, "вторник": 1, "вторнич": 1, "сред": 2, "четверг": 3,
                 "пятниц": 4, "пятнич": 4, "суббот": 5, "воскресен": 6, "воскресн": 6}  # fmt: skip
WEEKDAY_FORMS = {
    f"{stem}{end}": wd
    for stem, wd, ends in (("понедельник", 0, ("", "а", "у")), ("вторник", 1, ("", "а", "у")), ("сред", 2, "аыу"),
                           ("четверг", 3, ("", "а", "у")), ("пятниц", 4, "аыу"), ("суббот", 5, "аыу"),
                           ("воскресень", 6, "ея"))
    for end in ends
}  # fmt: skip
ABBREVIATIONS = {"пн": 0, "понед": 0, "вт": 1, "ср": 2, "чт": 3, "четв": 3, "пт": 4, "пятн": 4, "сб": 5, "суб": 5,
                 "субб": 5, "вс": 6, "воскр": 6}  # fmt: skip
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
_DAY_STEMS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9,
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
}  # fmt: skip
# "пятое", "двадцать пятого": a day of month in words (neuter, as "число" is)
DAY_WORDS: dict[str, int] = {
    f"{stem}{end}": n for stem, n in _DAY_STEMS.items() for end in ("ое", "ье", "ого", "ьего", "ому", "ьему")
}
DAY_WORDS.update({f"{tens} {w}": base + n for tens, base in (("двадцать", 20), ("тридцать", 30))
                  for w, n in list(DAY_WORDS.items()) if n < 10 and base + n <= 31})  # fmt: skip
COUNTS = {"один": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
          "десять": 10}  # fmt: skip
PARTS = {"утра": "morning", "дня": "day", "вечера": "evening", "ночи": "night"}
# "без пятнадцати пять" = 4:45: minutes before the hour
BEFORE = {"четверти": 15, "пяти": 5, "десяти": 10, "пятнадцати": 15, "двадцати": 20, "двадцати пяти": 25}


_WD = (
    r"(?P<wd>понедельнич|понедельник|вторнич|вторник|сред|четверг|пятниц|пятнич|суббот|воскресен|воскресн)"
    r"(?:(?<=сред)(?:а|у|ы|е|ой|ам|ами|ах)\b|(?<!сред)[а-я]*)"
)
_MON = r"(?P<mon>январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)(?:[яе]|а|е|ь|й)?\b"
_HW = alternation(HOURS)
_OH = alternation(ORDINAL_HOURS)
_DW = r"(?:(?:двадцать|тридцать)\s+)?[а-я]{2,}?(?:ое|ье|ого|ьего)"  # looked up in DAY_WORDS
_DW_DATIVE = r"(?:(?:двадцать|тридцать)\s+)?[а-я]{2,}?(?:ое|ье|ого|ьего|ому|ьему)"  # "к третьему декабря": a month said
_BEFORE = alternation(BEFORE, r"\s+")
_PART = r"(?:\s+(?P<part>утра|дня|вечера|ночи))?"
_NEXT_WEEK = r"(?:следующ\w*|след\.?|будущ\w*)\s+недел[еию]"
# "в среду на следующей неделе", "на понедельник следующей недели"; "в пятницу на этой неделе" is that Friday
_WEEK_AFTER = rf"(?:,?\s+(?:на\s+)?(?P<nextweek_after>{_NEXT_WEEK})|\s+(?:на\s+)?эт(?:ой|ой\s+же)\s+недел[еи])?"
_WEEK_BEFORE = rf"(?P<nextweek>на\s+{_NEXT_WEEK}),?\s+"
_UNIT_AFTER = re.compile(
    r"[а-я]|\s*(?:%|человек|чел\b|персон|гост|руб|р\b|₽|\$|минут|мин\b|дн|день|недел|месяц|год|лет|раз|шт|звезд|"
    r"отзыв)"
)
# "в 10.30", "к 10.30": a time, not a date
_TIME_BEFORE_NUMERIC = re.compile(r"\b(?:в|к|до|после|около|с)\s*$")
_NEG = re.compile(r"(?:\bне|\bвместо|\bа\s+не|\bкроме)\s+(?:в|во|на|с|со|к)?\s*$")
_TIME_AFTER = re.compile(
    r"\s*[,.]?\s*(?:(?:в|во|на|к|с|после|до|около)\s+)?(?:\d|полдень|час\b)|\s+(?:утром|днем|вечером)"
)
_ABBREVIATED_BEFORE = re.compile(r"\b(?:в|во|на|до|к|ко|после|эт[уоа]|этот|следующ\w*|след)\s+$")


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
    sep = m.group("sep")
    if sep == "." and not m.group("prep") and hour <= 31 and 1 <= minute <= 12 and not m.group("part"):
        return None  # "10.03" is a date; "16.00" is not
    if sep not in ":." and not (m.group("prep") and minute % 15 == 0):
        return None  # "в 19-00", "на 15 00"; not "с 10-12" (a range) nor a phone number
    return _make(m, scope, hour, minute)


def _hour(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    strong = bool(m.group("part") or m.group("chas"))
    if not strong and not m.group("prep") and scope.expecting is not Expecting.TIME:
        return None
    if not strong and (m.group("prep") == "с" or word in ("один", "одного")):
        return None  # "с 2 детьми", "в один тон": not a time without a marker
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
    back = int(m.group("b")) if m.group("b").isdigit() else BEFORE[re.sub(r"\s+", " ", m.group("b"))]
    if not 0 < back < 60:
        return None
    return _make(m, scope, (hour - 1) or 12, 60 - back)


def _noon(m: re.Match[str], scope: Scope) -> Mention | None:
    at = time(12, 0) if "полд" in m.group(0) else time(0, 0)
    return Mention("time", m.start(), m.end(), at=at)


def _day_word(m: re.Match[str], scope: Scope) -> Mention | None:
    """'на пятое', 'двадцать пятого числа': the next such day of month."""
    day = DAY_WORDS.get(re.sub(r"\s+", " ", m.group("dw")))
    return None if day is None else date_mention(m, day_of_month(scope.today, day))


def _day_word_month(m: re.Match[str], scope: Scope) -> Mention | None:
    """'двадцатого ноября', 'на двадцать пятое ноября', 'к третьему декабря': that day of that month."""
    day = DAY_WORDS.get(re.sub(r"\s+", " ", m.group("dw")))
    return None if day is None else date_mention(m, month_day(scope.today, MONTHS[m.group("mon")], day, None))


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
            if m.group("today"):
                return [
                    Mention("date", m.start(), m.start() + 1, day=scope.today),
                    Mention("window", m.start() + 1, m.end(), window=window),
                ]
            return Mention("window", m.start(), m.end(), window=window)
    return None


_WEEKDAY = weekday({**WEEKDAY_STEMS, **ABBREVIATIONS}, this="эт")
_MOD = r"(?:(?P<mod>эт[оуаи][йм]?|следующ[а-я]*|след|ближайш[а-я]*|будущ[а-я]*|эту|этот)\s+)?"
RULES = Rules(
    dates=(
        rule(
            r"\bкажд\w+\s+(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен|день|утро|вечер|недел|месяц)\w*"
            r"|\bпо\s+(?:понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям|выходным|утрам|"
            r"вечерам)\b"
            r"|\b(?:ежедневно|еженедельно|ежемесячно)\b",
            recurrence,
        ),
        rule(
            r"\b(?:послезавтр[аоу]|послезавтрашн\w+|завтр[аоу]|зафтр[аоу]|завтрашн\w+|сегодн[яи]|сегодняшн\w+|"
            r"севодн[яи]|сиводн[яи]|седня|сення|сдня|позавчера|вчера)\b",
            relative_day((("послезавтр", 2), ("завтр", 1), ("зафтр", 1), ("позавчера", -2), ("вчера", -1))),
        ),
        rule(rf"\b(?P<d>\d{{1,2}})(?:-?(?:го|е|ое))?\s+{_MON}", day_month(MONTHS)),
        rule(rf"\b(?:(?:на|к|до|с)\s+)?(?P<dw>{_DW_DATIVE})\s+{_MON}", _day_word_month),
        rule(numeric_pattern("/."), numeric_date(_TIME_BEFORE_NUMERIC, 6)),
        # "25 числа", "7 число", "20-го", "на 2-е", "12го": the day is group `d` in every form (the handler reads it)
        rule(r"\b(?P<d>\d{1,2})(?:(?:-?го|-?е)?\s+числ[оа]\b|-?(?:го|е|ое)\b)", day_number),
        rule(rf"\b(?:на|к|до|с)\s+(?P<dw>{_DW})\b(?:\s+числ[оа]\b)?", _day_word),
        rule(rf"\b(?P<dw>{_DW})\s+числ[оа]\b", _day_word),
        rule(rf"\b{_WEEK_BEFORE}(?:(?:в|во|на|до|к)\s+)?{_MOD}{_WD}\b", _WEEKDAY),
        rule(rf"\b(?:(?:в|во|на|до|к)\s+)?{_MOD}{_WD}\b{_WEEK_AFTER}", _WEEKDAY),
        rule(
            rf"\b(?:{_WEEK_BEFORE})?(?:(?:в|во|на|до|к|ко|после)\s+)?{_MOD}"
            rf"(?P<wd>{alternation(ABBREVIATIONS)})\b\.?{_WEEK_AFTER}",
            abbreviated(_WEEKDAY, _ABBREVIATED_BEFORE, _TIME_AFTER),
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
            r"\b(?:на|в|во)\s+(?:эт\w+|следующ\w+|след|будущ\w+|ближайш\w+)\s+(?:недел\w+|выходн\w+|месяц\w*)"
            r"|\bна\s+выходн(?:ых|ые)\b|\bв\s+выходные\b",
            period("следующ|след|будущ", (("выходн", "weekend"), ("месяц", "month"))),
        ),
        rule(rf"\bв\s+{_MON.replace('(?:[яе]|а|е|ь|й)?', 'е')}", named_month(MONTHS)),
        rule(r"\b(?:в|во|на|до|к|ко)\s+(?P<w>[а-я]{6,})\b", misspelt_weekday(WEEKDAY_FORMS)),
        ENGLISH_DAYS,
    ),
    times=(
        # "на час позже", "на 2 часа раньше": a shift of the booked time, no clock time
        rule(
            r"\bна\s+(?:\d{1,2}\s+|пол\s*)?(?:час[а-я]*|минут\w*)\s+(?:позже|раньше|пораньше|попозже)\b"
            r"|\b(?:час[а-я]*|минут\w*)\s+на\s+\d{1,2}\b",
            offset,
        ),
        rule(
            rf"(?:\b(?P<prep>в|во|к|на|с|до|после|около|часов\s+в)\s+)?(?<![\d.:])(?P<h>\d{{1,2}})(?P<sep>[:.\-]|\s)"
            rf"(?P<m>[0-5]\d)(?![\d])(?:\s*(?:час[а-я]*|ч\b))?{_PART}",
            _clock,
        ),
        rule(
            rf"\b(?:(?P<prep>в|к|около|до|после)\s+)?(?:в\s+)?(?:(?P<q>четверть)\s+|половин[а-я]*\s+|пол\s*-?\s*)"
            rf"(?P<oh>{_OH})\b{_PART}",
            _half,
        ),
        rule(
            rf"\b(?:(?P<prep>в|к|около|до|после)\s+)?без\s+(?P<b>{_BEFORE}|\d{{1,2}})"
            rf"(?:\s+минут)?\s+(?P<h>\d{{1,2}}|{_HW})\b{_PART}",
            _to,
        ),
        rule(
            rf"(?:\b(?P<prep>в|во|к|на|с|до|после|около)\s+)?(?<![\d.:,$-])(?P<h>\d{{1,2}}|\b(?:{_HW}))"
            rf"(?![\d.:/]|,\d)(?:\s*(?P<chas>час[а-я]*|ч\b))?{_PART}(?!\s*(?:-?(?:го|е|ое)\b|числ))",
            _hour,
        ),
        rule(rf"\b(?:в|на|к)\s+час\b{_PART}", _one_oclock),
        rule(r"\b(?:в\s+|к\s+|до\s+)?(?:полдень|полночь|полудню|полуночи|полночи)\b", _noon),
    ),
    windows=(
        rule(
            r"\b(?P<today>сегодня\s+|этим\s+|этой\s+)?(?P<w>утром|утр[оа]м?|утра|днем|вечером|вечерком|ночью|"
            r"после\s+обеда|до\s+обеда|в\s+обед|после\s+работы)\b",
            _window,
        ),
    ),
    negation_before=_NEG,
    refused_before=re.compile(r"\bс\s+$"),  # "с пт на пн": the day moved from
    unit_after=_UNIT_AFTER,
    alternative=re.compile(r"[\s,]*(?:[а-я]+[\s,]+){0,2}?(?:или|либо)\s+(?:же\s+)?(?:(?:в|во|на|к)\s+)?"),
    next_one=re.compile(
        r"\b(?:(?:в|на)\s+)?следующ(?:ую|ий|ее|ей)\b(?!\s+(?:недел|месяц|раз|год|выходн|запис|понедельник|вторник|"
        r"сред|четверг|пятниц|суббот|воскресен))|\bчерез\s+одну\b"
    ),
    refused_after=re.compile(
        r"\s*[,.]?\s*(?:я\s+|у\s+меня\s+)?(?:не\s+(?:успева\w*|успею|смогу|могу|получ\w*|подходит|удобно|выходит|"
        r"выйдет)|никак|занят)"
    ),
    correction=re.compile(
        r"\s*,?\s*(?:(?:ой|ай)\s*,?\s*)?(?:(?:нет|неа)(?:\s*,\s*|\s+)|(?:точнее|вернее|то\s+есть|в\s+смысле)\s*,?\s*)"
        r"(?:(?:лучше|давайте|давай|а|ой)\s+)*(?:(?:в|во|на|к)\s+)?"
    ),
    reason=re.compile(r"(?<!\w)(?:потому\s+что|потомучто|так\s+как|т\.\s?к\.|ибо|поскольку)(?!\w)"),
    weekday_date=re.compile(r"[\s,]*(?P<d>[12]?\d|3[01])(?:-?(?:го|е|ое))?(?!\w)(?!\s*(?::|\.\d|час|мин|челов))"),
)
