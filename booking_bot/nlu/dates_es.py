"""Spanish date/time/window rules (day first; see `dates` for the conventions).

Covers: hoy / mañana / pasado mañana, "esta noche", weekdays with el / este / próximo / que viene, "el 12",
"el día 12", "12 de marzo", "el primero de octubre", 12/03, "en 3 días", "dentro de una semana", "en una hora"
(with the salon's now), periods ("esta semana", "el fin de semana", "el mes que viene", "en abril", "los próximos
5 días"), recurrences ("todos los lunes", "los viernes", "cada domingo"), clock times ("a las 5 de la tarde",
"a las 10 y media", "las 8 menos cuarto", "15:00", "15h", "7:30pm", "730pm"), mediodía / medianoche, parts of
the day and "después de las 5" as windows.
"""

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

WEEKDAYS = {"lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6}
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
HOURS = {
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
NUMBERS = {**HOURS, "un": 1, "quince": 15, "veinte": 20, "treinta": 30}
MINUTE_WORDS = {"cinco": 5, "diez": 10, "quince": 15, "veinte": 20, "veinticinco": 25, "treinta": 30,
                "cuarenta": 40, "cuarenta y cinco": 45, "cincuenta": 50}  # fmt: skip
PARTS = {"manana": "morning", "tarde": "afternoon", "noche": "evening", "madrugada": "morning", "mediodia": "day"}
_WINDOWS = {
    "manana": (time(8, 0), time(12, 0)),
    "madrugada": (time(0, 0), time(6, 0)),
    "tarde": (time(12, 0), time(19, 0)),
    "noche": (time(19, 0), END_OF_DAY),
    "almuerzo": (time(13, 0), END_OF_DAY),
    "comer": (time(13, 0), END_OF_DAY),
    "comida": (time(13, 0), END_OF_DAY),
    "trabajo": (time(17, 0), END_OF_DAY),
}


_SPACE = r"\s+"  # a blank inside a listed word matches this
_WD = alternation(WEEKDAYS, _SPACE)
_MON = alternation(MONTHS, _SPACE)
_HW = alternation(HOURS, _SPACE)
_NUM = rf"\d{{1,3}}|{alternation(NUMBERS, _SPACE)}"
_AMPM = r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
_PART = r"(?:\s+(?:de|en|por|a)\s+la\s+(?P<part>manana|tarde|noche|madrugada)|\s+(?P<mid>del\s+mediodia))?"
_MIN = (
    r"(?:\s+y\s+(?P<mq>media|cuarto|(?P<mn>\d{1,2})|(?P<mw>" + alternation(MINUTE_WORDS, _SPACE) + r"))"
    r"|\s+menos\s+(?P<lq>cuarto|(?P<ln>\d{1,2})|(?P<lw>" + alternation(MINUTE_WORDS, _SPACE) + r"))"
    r"|\s*[:.h](?P<m>[0-5]\d))?"
)
_WINDOW_AFTER = re.compile(r"\b(?:despues\s+de|a\s+partir\s+de|desde)(?:\s+las?)?\s*$")
_WINDOW_BEFORE = re.compile(r"\b(?:antes\s+de|hasta)(?:\s+las?)?\s*$")
_UNIT_AFTER = re.compile(
    r"\s*(?:minutos?|mins?\b|horas?|hrs?\b|dias?|semanas?|meses|mes\b|anos?|personas?|grados?|%|euros?|pesos?|"
    r"dolares?|\$|veces|a[nñ]os)"
)
# a number only counts as a clock time after one of these, or with a minute, a.m./p.m. or a part of the day
_CLOCK_BEFORE = re.compile(r"(?:\b(?:a|las?|sobre|hacia|tipo|como\s+a|eso\s+de|desde|hasta|entre|y|o)|@)\s*$")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS.get(re.sub(r"\s+", " ", word), 0)


def _time(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    minute = int(m.group("m") or 0)
    if m.group("mq"):
        mq = m.group("mq")
        minute = 30 if mq == "media" else 15 if mq == "cuarto" else _minute(m.group("mn"), m.group("mw"))
    if m.group("lq"):
        lq = m.group("lq")
        back = 15 if lq == "cuarto" else _minute(m.group("ln"), m.group("lw"))
        hour, minute = (hour - 1) or 12, 60 - back
    if not 0 <= minute <= 59:
        return None
    head = scope.text[max(0, m.start() - 16) : m.start()]
    las = m.group("las")
    ampm = m.group("ampm")
    part = PARTS.get(m.group("part") or "") or ("day" if m.group("mid") else None)
    strong = bool(las or ampm or part or m.group("m") or m.group("mq") or m.group("lq") or m.group("hs"))
    if not strong and not (_CLOCK_BEFORE.search(head) or scope.expecting is Expecting.TIME):
        return None
    if _UNIT_AFTER.match(scope.text, m.end()) and not (ampm or part):
        return None
    at = apply_meridiem(hour, minute, ampm[0] if ampm else None, part, salon=True)
    if at is None:
        return None
    before = scope.text[max(0, m.start() - 16) : m.start()]
    if las:
        before += " " + las  # "después de las 5": the preposition is part of the match
    if _WINDOW_AFTER.search(before):
        return Mention("window", m.start(), m.end(), window=(at, END_OF_DAY))
    if _WINDOW_BEFORE.search(before):
        return Mention("window", m.start(), m.end(), window=(time(0, 0), at))
    return Mention("time", m.start(), m.end(), at=at)


def _minute(digits: str | None, word: str | None) -> int:
    if digits:
        return int(digits)
    return MINUTE_WORDS.get(re.sub(r"\s+", " ", word or ""), -1)


def _compact(m: re.Match[str], scope: Scope) -> Mention | None:
    """'730pm', '1030 am': an hour and minutes written without a separator."""
    digits = m.group("hm")
    hour, minute = int(digits[:-2]), int(digits[-2:])
    at = apply_meridiem(hour, minute, m.group("ampm")[0], None, salon=False)
    return None if at is None or minute > 59 else Mention("time", m.start(), m.end(), at=at)


def _noon(m: re.Match[str], scope: Scope) -> Mention | None:
    at = time(0, 0) if "noche" in m.group(0) else time(12, 0)
    head = scope.text[max(0, m.start() - 16) : m.start()]
    if _WINDOW_AFTER.search(head):
        return Mention("window", m.start(), m.end(), window=(at, END_OF_DAY))
    if _WINDOW_BEFORE.search(head):
        return Mention("window", m.start(), m.end(), window=(time(0, 0), at))
    return Mention("time", m.start(), m.end(), at=at)


def _relative_day(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group(0)
    if word.startswith("pasado"):
        days = 2
    elif word.startswith("manana"):
        days = 1
    elif word == "anteayer" or word.startswith("antes de ayer"):
        days = -2
    elif word == "ayer":
        days = -1
    else:
        days = 0
    return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))


def _now(m: re.Match[str], scope: Scope) -> Mention | None:
    return Mention(
        "date",
        m.start(),
        m.end(),
        day=scope.today,
        at=scope.now.replace(second=0, microsecond=0) if scope.now else None,
    )


def _weekday(m: re.Match[str], scope: Scope) -> Mention | None:
    mod = m.group("mod") or ""
    following = bool(m.group("nextweek"))
    day = next_weekday(scope.today, WEEKDAYS[m.group("wd")], allow_today=mod.startswith("est"))
    if following:  # "el martes de la semana que viene": the Tuesday of next week
        monday = scope.today - timedelta(days=scope.today.weekday()) + timedelta(weeks=1)
        day = monday + timedelta(days=WEEKDAYS[m.group("wd")])
    return Mention("date", m.start(), m.end(), day=day)


def _day_month(m: re.Match[str], scope: Scope) -> Mention | None:
    raw = m.group("d")
    day = 1 if raw.startswith(("primero", "1ro", "1o")) else int(raw)
    year = int(m.group("y")) if m.group("y") else None
    found = month_day(scope.today, MONTHS[m.group("mon")], day, year)
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _el_day(m: re.Match[str], scope: Scope) -> Mention | None:
    found = day_of_month(scope.today, int(m.group("d")), this_month=bool(m.group("this")))
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _numeric(m: re.Match[str], scope: Scope) -> Mention | None:
    day, month = int(m.group("a")), int(m.group("b"))
    if not 1 <= month <= 12:
        return None
    if (
        m.group("sep") == "."
        and not m.group("y")
        and _CLOCK_BEFORE.search(scope.text[max(0, m.start() - 8) : m.start()])
    ):
        return None  # "a las 10.30" is a time
    year = int(m.group("y")) if m.group("y") else None
    found = month_day(scope.today, month, day, year)
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _in_days(m: re.Match[str], scope: Scope) -> Mention | None:
    count = _number(m.group("n") or "1")
    days = count * (7 if m.group("u").startswith("semana") else 1)
    if not 0 < days <= 366:
        return None
    return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))


def _in_time(m: re.Match[str], scope: Scope) -> Mention | None:
    """'en una hora', 'dentro de 30 minutos', 'en media hora': needs the salon's now."""
    if m.group("half"):
        minutes = 30
    else:
        count = _number(m.group("n") or "1")
        minutes = count * (60 if m.group("u").startswith("hora") else 1)
    got = after_offset(scope, minutes)
    if got is None:
        return None
    return Mention("date", m.start(), m.end(), day=got[0], at=got[1])


def _this_part(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    part = m.group("p")
    day = scope.today + timedelta(days=1 if m.group("tom") else 0)
    return [
        Mention("date", m.start(), m.start() + 1, day=day),
        Mention("window", m.start() + 1, m.end(), window=_WINDOWS[part]),
    ]


def _window(m: re.Match[str], scope: Scope) -> Mention | None:
    return Mention("window", m.start(), m.end(), window=_WINDOWS[m.group("p")])


def _period(m: re.Match[str], scope: Scope) -> Mention | None:
    word = re.sub(r"\s+", " ", m.group(0))
    following = re.search(r"proxim|siguiente|que viene|entrante", word) is not None
    if "fin" in word:
        span: tuple[date, date] | None = weekend_period(scope.today, following=following and scope.today.weekday() >= 5)
    elif "mes" in word:
        span = month_period(scope.today, months_ahead=1 if following else 0)
    elif "resto del dia" in word or "todo el dia" in word:
        span = (scope.today, scope.today)
    else:
        span = week_period(scope.today, 1 if following else 0)
    return None if span is None else Mention("period", m.start(), m.end(), period=span)


def _named_month(m: re.Match[str], scope: Scope) -> Mention | None:
    span = month_period(scope.today, MONTHS[m.group("mon")])
    return None if span is None else Mention("period", m.start(), m.end(), period=span)


def _next_days(m: re.Match[str], scope: Scope) -> Mention | None:
    count = _number(m.group("n"))
    days = count * (7 if m.group("u").startswith("semana") else 1)
    if not 0 < days <= 366:
        return None
    return Mention("period", m.start(), m.end(), period=(scope.today, scope.today + timedelta(days=days)))


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_MANANA_DAY = r"\bmanana\b(?<!la\smanana)(?<!las\smanana)"
RULES = Rules(
    dates=(
        Rule(
            _r(
                rf"\b(?:todos\s+los|todas\s+las|cada)\s+(?:{_WD}|dias?|mananas|tardes|noches|semanas?|mes(?:es)?|"
                rf"anos?|fines?\s+de\s+semana|\d+\s+\w+)\b|\b(?:diariamente|semanalmente|mensualmente|a\s+diario|"
                rf"los\s+fines?\s+de\s+semana|(?:una\s+vez|\w+\s+veces|\d+\s+dias)\s+(?:a|al|por|cada)\s+(?:la\s+)?(?:semana|mes|dia)|(?:los|por\s+los)\s+(?:{_WD})s?\b(?!\s+(?:\d|proximo|que\s+viene)))"
            ),
            recurrence,
        ),
        Rule(
            _r(
                r"\b(?:(?P<tom>manana)|hoy|esta(?:\s+misma)?)\s+(?:en\s+la\s+|por\s+la\s+|a\s+la\s+|de\s+)?(?P<p>manana|tarde|noche|madrugada)s?\b"
            ),
            _this_part,
        ),
        Rule(
            _r(rf"\bpasado\s+manana\b|\bhoy\b|\bantes\s+de\s+ayer\b|\banteayer\b|\bayer\b|{_MANANA_DAY}"), _relative_day
        ),
        Rule(
            _r(r"\b(?:ahora\s+mismo|en\s+este\s+momento|ahorita|ya\s+mismo|en\s+estos\s+momentos|al\s+momento)\b"), _now
        ),
        Rule(
            _r(
                rf"\b(?:el\s+)?(?P<d>\d{{1,2}}|primero|1ro|1o)\s+de\s+(?P<mon>{_MON})\b(?:\s+(?:de|del)\s+(?P<y>\d{{4}}))?"
            ),
            _day_month,
        ),
        Rule(
            _r(
                r"(?<![\d.:/$])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\d:])(?!\.\d)"
            ),
            _numeric,
        ),
        Rule(
            _r(
                rf"\b(?:(?P<mod>este|esta|proximo|el\s+proximo|el\s+siguiente|el|para\s+el)\s+)?(?P<wd>{_WD})\b"
                rf"(?:\s+(?:que\s+viene|proximo|siguiente|entrante)|\s+(?P<nextweek>de\s+la\s+(?:semana\s+que\s+viene|"
                rf"proxima\s+semana|semana\s+proxima|siguiente\s+semana)))?"
            ),
            _weekday,
        ),
        Rule(
            _r(
                r"\b(?:(?:el|del|para\s+el|hasta\s+el)\s+(?:dia\s+)?|dia\s+)(?P<d>\d{1,2})\b"
                r"(?P<this>\s+de\s+este\s+mes)?(?!\s*(?::|\.\d|h\b|hs\b|de\s+la|y\s+media|am\b|pm\b|[ap]\.m|minutos|"
                r"horas|dias|personas|grados|%))"
            ),
            _el_day,
        ),
        Rule(
            _r(rf"\b(?:en|dentro\s+de)\s+(?P<n>{_NUM})?\s*(?P<u>dias?|semanas?)\b(?!\s+(?:mas|antes))"),
            _in_days,
        ),
        Rule(
            _r(rf"\b(?:en|dentro\s+de)\s+(?:(?P<half>media\s+hora)|(?P<n>{_NUM})?\s*(?P<u>horas?|minutos?|mins?)\b)"),
            _in_time,
        ),
        Rule(
            _r(rf"\b(?:en|para|durante|hasta|a\s+partir\s+de|de)\s+(?:el\s+mes\s+de\s+)?(?P<mon>{_MON})\b"),
            _named_month,
        ),
        Rule(
            _r(
                r"\b(?:(?:este|el|del|un|al|para\s+el)\s+)?(?:(?:proximo|siguiente)\s+)?fin(?:es|al)?\s+de\s+semana"
                r"(?:\s+(?:que\s+viene|proximo|siguiente|entrante))?\b"
                r"|\b(?:esta|la|toda\s+la|de\s+la|una)\s+(?:(?:proxima|siguiente)\s+)?semana"
                r"(?:\s+(?:que\s+viene|proxima|siguiente|entrante|actual|por\s+delante))?\b(?!\s+pasad)"
                r"|\b(?:proxima|siguiente)\s+semana\b|\bsemana\s+(?:que\s+viene|proxima|entrante)\b"
                r"|\b(?:este|el|del|al)\s+(?:(?:proximo|siguiente)\s+)?mes(?:\s+(?:que\s+viene|proximo|siguiente|"
                r"entrante|actual))\b|\b(?:este|proximo|siguiente)\s+mes\b|\bmes\s+que\s+viene\b"
                r"|\b(?:el\s+)?(?:resto\s+del|todo\s+el)\s+dia\b"
            ),
            _period,
        ),
        Rule(
            _r(rf"\b(?:los|las)\s+(?:proximos|proximas|siguientes)\s+(?P<n>{_NUM})\s+(?P<u>dias|semanas)\b"),
            _next_days,
        ),
    ),
    times=(
        Rule(_r(r"\b(?:al\s+|el\s+|a\s+)?(?:mediodia|medio\s+dia|medianoche|media\s+noche)\b"), _noon),
        Rule(_r(r"(?<![\d:.])(?P<hm>\d{3,4})\s*(?P<ampm>[ap])\.?\s?m\b\.?"), _compact),
        Rule(
            _r(
                rf"(?:\b(?P<las>a\s+las?|las|la|desde\s+las|hasta\s+las|para\s+las|sobre\s+las|hacia\s+las|"
                rf"antes\s+de\s+las|despues\s+de\s+las|a\s+partir\s+de\s+las)\s+)?(?<![\d.:/$])"
                rf"(?P<h>\d{{1,2}}(?!\d)|\b(?:{_HW})\b){_MIN}(?![\d])(?P<hs>\s*(?:hs?|hrs)\b)?(?:\s+en\s+punto)?{_AMPM}{_PART}"
            ),
            _time,
        ),
    ),
    windows=(
        Rule(_r(r"\b(?:por|en|de|a|durante)\s+la\s+(?P<p>manana|tarde|noche|madrugada)s?\b"), _window),
        Rule(_r(r"\b(?:despues\s+del?|tras\s+el)\s+(?P<p>almuerzo|comer|comida|trabajo)\b"), _window),
    ),
    negation_before=re.compile(r"\bno\s+(?:el|para|en|a|por)?\s*(?:el|la|las)?\s*$"),
    unit_after=_UNIT_AFTER,
)
