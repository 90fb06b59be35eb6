"""Basic Spanish date/time rules (day first; see `dates` for the conventions)."""

from __future__ import annotations

import re
from datetime import time, timedelta

from booking_bot.nlu.dates import (
    END_OF_DAY,
    Mention,
    Rule,
    Rules,
    Scope,
    apply_meridiem,
    day_of_month,
    month_day,
    next_weekday,
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
PARTS = {"manana": "morning", "tarde": "afternoon", "noche": "evening", "madrugada": "morning"}


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_HW = _alt(HOURS)
_AMPM = r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
_PART = r"(?:\s+(?:de|en|por)\s+la\s+(?P<part>manana|tarde|noche|madrugada))?"
_MIN = r"(?:\s+y\s+(?P<mq>media|cuarto|(?P<mn>\d{1,2}))|\s+menos\s+(?P<lq>cuarto|(?P<ln>\d{1,2}))|:(?P<m>[0-5]\d))?"


def _time(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    minute = int(m.group("m") or 0)
    if m.group("mq"):
        minute = 30 if m.group("mq") == "media" else 15 if m.group("mq") == "cuarto" else int(m.group("mn"))
    if m.group("lq"):
        hour, minute = (hour - 1) or 12, 60 - (15 if m.group("lq") == "cuarto" else int(m.group("ln")))
    strong = bool(m.group("las") or m.group("ampm") or m.group("part") or m.group("m"))
    if not strong:
        return None
    ampm = m.group("ampm")
    part = PARTS.get(m.group("part") or "")
    at = apply_meridiem(hour, minute, ampm[0] if ampm else None, part, salon=False)
    return None if at is None else Mention("time", m.start(), m.end(), at=at)


def _noon(m: re.Match[str], scope: Scope) -> Mention | None:
    at = time(0, 0) if "noche" in m.group(0) else time(12, 0)
    return Mention("time", m.start(), m.end(), at=at)


def _relative_day(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group(0)
    days = 2 if word.startswith("pasado") else 1 if word.startswith("manana") else 0
    return Mention("date", m.start(), m.end(), day=scope.today + timedelta(days=days))


def _weekday(m: re.Match[str], scope: Scope) -> Mention | None:
    allow_today = (m.group("mod") or "").startswith("est")
    day = next_weekday(scope.today, WEEKDAYS[m.group("wd")], allow_today=allow_today)
    return Mention("date", m.start(), m.end(), day=day)


def _day_month(m: re.Match[str], scope: Scope) -> Mention | None:
    found = month_day(scope.today, MONTHS[m.group("mon")], int(m.group("d")))
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _el_day(m: re.Match[str], scope: Scope) -> Mention | None:
    found = day_of_month(scope.today, int(m.group("d")))
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _numeric(m: re.Match[str], scope: Scope) -> Mention | None:
    day, month = int(m.group("a")), int(m.group("b"))
    if not 1 <= month <= 12:
        return None
    found = month_day(scope.today, month, day)
    return None if found is None else Mention("date", m.start(), m.end(), day=found)


def _this_part(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    part = m.group("p")
    window = {"manana": (time(8, 0), time(12, 0)), "tarde": (time(12, 0), time(19, 0))}.get(
        part, (time(19, 0), END_OF_DAY)
    )
    return [
        Mention("date", m.start(), m.end(), day=scope.today),
        Mention("window", m.end(), m.end() + 0, window=window),
    ]


def _window(m: re.Match[str], scope: Scope) -> Mention | None:
    part = m.group("p")
    window = {"manana": (time(8, 0), time(12, 0)), "tarde": (time(12, 0), time(19, 0))}.get(
        part, (time(19, 0), END_OF_DAY)
    )
    return Mention("window", m.start(), m.end(), window=window)


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


RULES = Rules(
    dates=(
        Rule(_r(r"\b(?:esta|esta\s+misma)\s+(?P<p>manana|tarde|noche)\b"), _this_part),
        Rule(_r(r"\bpasado\s+manana\b|\bhoy\b|\bmanana\b(?!\s*(?:y|o)?\s*$)(?<!la\smanana)"), _relative_day),
        Rule(_r(r"\bmanana\s*$"), _relative_day),
        Rule(_r(rf"\b(?P<d>\d{{1,2}})\s+de\s+(?P<mon>{_alt(MONTHS)})\b"), _day_month),
        Rule(_r(r"(?<![\d.:/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d:/])"), _numeric),
        Rule(
            _r(rf"\b(?:(?P<mod>este|proximo|el\s+proximo|el|la)\s+)?(?P<wd>{_alt(WEEKDAYS)})\b(?:\s+que\s+viene)?"),
            _weekday,
        ),
        Rule(_r(r"\b(?:el|del|para\s+el)\s+(?P<d>\d{1,2})\b(?!\s*(?::|de\s+la|am|pm|minutos|horas))"), _el_day),
    ),
    times=(
        Rule(_r(r"\b(?:al\s+|el\s+|a\s+)?(?:mediodia|medianoche|media\s+noche)\b"), _noon),
        Rule(
            _r(
                rf"(?:\b(?P<las>a\s+las?|las|la|desde\s+las|hasta\s+las|para\s+las)\s+)?(?<![\d.:])(?P<h>\d{{1,2}}|\b(?:{_HW}))"
                rf"{_MIN}(?![\d])(?:\s+en\s+punto)?{_AMPM}{_PART}"
            ),
            _time,
        ),
    ),
    windows=(Rule(_r(r"\b(?:por|en|de)\s+la\s+(?P<p>manana|tarde|noche)\b"), _window),),
    negation_before=re.compile(r"\bno\s+(?:el|para|en)?\s*$"),
    unit_after=re.compile(r"\s*(?:minutos?|horas?|dias?|semanas?|personas?|grados?|%)"),
)
