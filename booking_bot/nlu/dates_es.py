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
from datetime import time

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import AMPM, Mention, Rules, Scope, alternation, rule
from booking_bot.nlu.dates_calendar import END_OF_DAY, apply_meridiem
from booking_bot.nlu.dates_shared import (
    ENGLISH_DAYS,
    abbreviated,
    bounded,
    day_and_window,
    day_month,
    day_number,
    in_days,
    in_time,
    misspelt_weekday,
    named_month,
    noon,
    number,
    numeric_date,
    numeric_pattern,
    period,
    recurrence,
    relative_day,
    right_now,
    weekday,
    window,
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
    "ultima": (time(17, 0), END_OF_DAY),  # "a última hora (de la tarde)": from 17:00 to closing
}


def _late(m: re.Match[str], scope: Scope) -> Mention:
    return Mention("window", m.start(), m.end(), window=_WINDOWS["ultima"])


ABBREVIATIONS = {"lun": 0, "mar": 1, "mie": 2, "mier": 2, "mierc": 2, "jue": 3, "juev": 3, "vie": 4, "vier": 4,
                 "sab": 5, "dom": 6}  # fmt: skip

_SPACE = r"\s+"  # a blank inside a listed word matches this
_WD = alternation(WEEKDAYS, _SPACE)
_MON = alternation(MONTHS, _SPACE)
_HW = alternation(HOURS, _SPACE)
_NUM = rf"\d{{1,3}}|{alternation(NUMBERS, _SPACE)}"
_PART = r"(?:\s+(?:de|en|por|a|x)\s+la\s+(?P<part>manana|tarde|noche|madrugada)|\s+(?P<mid>del\s+mediodia))?"
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
# "dura 1 h": how long, not when
_DURATION_BEFORE = re.compile(r"\b(?:dura|duran|durar|tarda|tardan|lleva|llevan|demora)\s*$")


def _time(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    minute = int(m.group("m") or 0)
    if m.group("mq"):
        mq = m.group("mq")
        minute = 30 if mq == "media" else 15 if mq == "cuarto" else number(m.group("mn") or m.group("mw"), MINUTE_WORDS)
    if m.group("lq"):
        lq = m.group("lq")
        back = 15 if lq == "cuarto" else number(m.group("ln") or m.group("lw"), MINUTE_WORDS)
        hour, minute = (hour - 1) or 12, 60 - back
    if not 0 <= minute <= 59:
        return None
    head = scope.text[max(0, m.start() - 16) : m.start()]
    las = m.group("las")
    ampm = m.group("ampm")
    part = PARTS.get(m.group("part") or "") or ("day" if m.group("mid") else None)
    said_minutes = m.group("m") or m.group("mq") or m.group("lq")
    if not word.isdigit() and not (part or ampm or said_minutes or (las and las not in ("la", "las"))):
        return None  # "las dos" (both of them), "y una semi": a number word needs "a las" or more
    strong = bool(las or ampm or part or said_minutes or m.group("hs"))
    if not strong and not (_CLOCK_BEFORE.search(head) or scope.expecting is Expecting.TIME):
        return None
    if (_UNIT_AFTER.match(scope.text, m.end()) and not (ampm or part or said_minutes)) or _DURATION_BEFORE.search(head):
        return None
    at = apply_meridiem(hour, minute, ampm[0] if ampm else None, part, salon=True)
    if at is None:
        return None
    before = scope.text[max(0, m.start() - 16) : m.start()]
    if las:
        before += " " + las  # "después de las 5": the preposition is part of the match
    return bounded(m, at, before, _WINDOW_AFTER, _WINDOW_BEFORE)


def _compact(m: re.Match[str], scope: Scope) -> Mention | None:
    """'730pm', '1030 am': an hour and minutes written without a separator."""
    digits = m.group("hm")
    hour, minute = int(digits[:-2]), int(digits[-2:])
    at = apply_meridiem(hour, minute, m.group("ampm")[0], None, salon=False)
    return None if at is None or minute > 59 else Mention("time", m.start(), m.end(), at=at)


_WEEKDAY = weekday({**WEEKDAYS, **ABBREVIATIONS}, this="est")
_NEXT_WEEK = (
    r"(?:\s+(?:que\s+viene|q\s+viene|proximo|siguiente|entrante)|\s+(?P<nextweek>de\s+la\s+(?:semana\s+(?:que|q)\s+"
    r"viene|proxima\s+semana|semana\s+proxima|siguiente\s+semana)))?"
)
_MOD = r"(?:(?P<mod>este|esta|proximo|el\s+proximo|el\s+siguiente|el|para\s+el)\s+)?(?:(?P<other>otro)\s+)?"
_MANANA = r"(?:manana|mnn|mnana|manna|mana)"
_MANANA_DAY = rf"\b{_MANANA}\b(?<!la\smanana)(?<!las\smanana)"
_TIME_AFTER = re.compile(r"\s*[,.]?\s*(?:(?:a|a\s+las?|las?|sobre\s+las)\s+)?\d|\s+(?:por|en|a|de|x)\s+la\s+")
RULES = Rules(
    dates=(
        rule(
            rf"\b(?:todos\s+los|todas\s+las|cada)\s+(?:{_WD}|dias?|mananas|tardes|noches|semanas?|mes(?:es)?|"
            rf"anos?|fines?\s+de\s+semana|\d+\s+\w+)\b|\b(?:diariamente|semanalmente|mensualmente|a\s+diario|"
            rf"los\s+fines?\s+de\s+semana|(?:una\s+vez|\w+\s+veces|\d+\s+dias)\s+(?:a|al|por|cada)\s+(?:la\s+)?"
            rf"(?:semana|mes|dia)|(?:los|por\s+los)\s+(?:{_WD})s?\b(?!\s+(?:\d|proximo|que\s+viene)))"
            # "de lunes a viernes" (opening hours): no single day
            rf"|\bde\s+(?:{_WD})\s+a\s+(?:{_WD})\b",
            recurrence,
        ),
        rule(
            rf"\b(?:(?P<dat>pasado\s+)?(?P<tom>{_MANANA})|hoy|esta(?:\s+misma)?)\s+"
            r"(?:en\s+la\s+|por\s+la\s+|x\s+la\s+|a\s+la\s+|de\s+)?"
            r"(?P<p>manana|tarde|noche|madrugada)s?\b",
            day_and_window(_WINDOWS),
        ),
        rule(
            rf"\bpasado\s+{_MANANA}\b|(?<=manana\sno,\s)pasado\b|\bhoy+\b|\bantes\s+de\s+ayer\b|\banteayer\b"
            rf"|\bayer\b|{_MANANA_DAY}",
            relative_day((("pasado", 2), ("m", 1), ("anteayer", -2), ("antes", -2), ("ayer", -1))),
        ),
        rule(
            r"\b(?:ahora\s+mismo|en\s+este\s+momento|ahorita|ya\s+mismo|en\s+estos\s+momentos|al\s+momento)\b",
            right_now,
        ),
        rule(
            rf"\b(?:el\s+)?(?P<d>\d{{1,2}}|primero|1ro|1o)\s+de\s+(?P<mon>{_MON})\b(?:\s+(?:de|del)\s+(?P<y>\d{{4}}))?",
            day_month(MONTHS, first=("primero", "1ro", "1o")),
        ),
        rule(
            rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})\b(?!\s*(?::|\.\d|h\b|hs\b|am\b|pm\b|horas|minutos|dias|personas))",
            day_month(MONTHS),
        ),
        rule(numeric_pattern("/.-"), numeric_date(_CLOCK_BEFORE, 8)),
        rule(rf"\b{_MOD}(?P<wd>{_WD})(?:(?<=s)s+|(?<=o)o+)?\b{_NEXT_WEEK}", _WEEKDAY),
        rule(
            rf"\b{_MOD}(?P<wd>{alternation(ABBREVIATIONS)})\b\.?{_NEXT_WEEK}",
            abbreviated(
                _WEEKDAY,
                re.compile(r"\b(?:el|para\s+el|hasta\s+el|del|al)\s+$"),
                _TIME_AFTER,
                ambiguous=frozenset({"mar", "dom"}),
            ),
        ),
        rule(
            r"\b(?:(?:el|del|al|para\s+el|hasta\s+el)\s+(?:dia\s+)?|dia\s+)(?P<d>\d{1,2})\b"
            r"(?P<this>\s+de\s+este\s+mes)?(?!\s*(?::|\.\d|h\b|hs\b|de\s+la|y\s+media|am\b|pm\b|[ap]\.m|minutos|"
            r"horas|dias|personas|grados|%))",
            day_number,
        ),
        rule(
            rf"\b(?:en|dentro\s+de)\s+(?P<n>{_NUM})\s*(?P<u>dias?|semanas?)\b(?!\s+(?:mas|antes))",
            in_days(NUMBERS, week="semana"),
        ),
        rule(
            rf"\b(?:en|dentro\s+de)\s+(?:(?P<half>media\s+hora)|(?P<n>{_NUM})?\s*(?P<u>horas?|minutos?|mins?)\b)",
            in_time(NUMBERS, hour="hora"),
        ),
        rule(
            rf"\b(?:en|para|durante|hasta|a\s+partir\s+de|de)\s+(?:el\s+mes\s+de\s+)?(?P<mon>{_MON})\b",
            named_month(MONTHS),
        ),
        rule(
            r"\b(?:(?:este|el|del|un|al|para\s+el)\s+)?(?:(?:proximo|siguiente)\s+)?fin(?:es|al)?\s+de\s+semana"
            r"(?:\s+(?:que\s+viene|proximo|siguiente|entrante))?\b"
            r"|\b(?:esta|la|toda\s+la|de\s+la|una)\s+(?:(?:proxima|siguiente)\s+)?semana"
            r"(?:\s+(?:que\s+viene|q\s+viene|proxima|siguiente|entrante|actual|por\s+delante))?\b(?!\s+pasad)"
            r"|\b(?:proxima|siguiente)\s+semana\b|\bsemana\s+(?:que\s+viene|q\s+viene|proxima|entrante)\b"
            r"|\b(?:este|el|del|al)\s+(?:(?:proximo|siguiente)\s+)?mes(?:\s+(?:que\s+viene|proximo|siguiente|"
            r"entrante|actual))\b|\b(?:este|proximo|siguiente)\s+mes\b|\bmes\s+que\s+viene\b"
            r"|\b(?:el\s+)?(?:resto\s+del|todo\s+el)\s+dia\b",
            period(
                "proxim|siguiente|que viene|q viene|entrante",
                (("fin", "weekend"), ("mes", "month"), ("resto del dia", "day"), ("todo el dia", "day")),
            ),
        ),
        rule(
            rf"\b(?:los|las)\s+(?:proximos|proximas|siguientes)\s+(?P<n>{_NUM})\s+(?P<u>dias|semanas)\b",
            in_days(NUMBERS, week="semana", as_period=True),
        ),
        rule(r"\b(?:el|para\s+el|hasta\s+el|del|al|este|proximo|pal)\s+(?P<w>[a-z]{5,})\b", misspelt_weekday(WEEKDAYS)),
        ENGLISH_DAYS,
    ),
    times=(
        rule(
            r"\b(?:al\s+|el\s+|a\s+)?(?:mediodia|medio\s+dia|medianoche|media\s+noche)\b",
            noon("noche", _WINDOW_AFTER, _WINDOW_BEFORE),
        ),
        rule(r"(?<![\d:.])(?P<hm>\d{3,4})\s*(?P<ampm>[ap])\.?\s?m\b\.?", _compact),
        rule(
            rf"(?:\b(?P<las>a\s+las?|las|la|desde\s+las|hasta\s+las|para\s+las|sobre\s+las|hacia\s+las|"
            rf"antes\s+de\s+las|despues\s+de\s+las|a\s+partir\s+de\s+las)\s+)?(?<![\d.:/$])"
            rf"(?P<h>\d{{1,2}}(?!\d)|\b(?:{_HW})\b){_MIN}(?![\d])(?P<hs>\s*(?:hs?|hrs)\b)?(?:\s+en\s+punto)?"
            rf"{AMPM}{_PART}",
            _time,
        ),
    ),
    windows=(
        # "a última hora de la tarde", "a última hora"; "una cita de última hora" is last-minute, no window
        rule(
            r"\b(?:(?:a|en|para|x|por)\s+(?:la\s+)?(?P<p>ultima)\s+hora(?:\s+de\s+la\s+tarde)?"
            r"|(?:la\s+)?(?P<p2>ultima)\s+hora\s+de\s+la\s+tarde)\b",
            _late,
        ),
        rule(r"\b(?:por|en|de|a|x|durante)\s+la\s+(?P<p>manana|tarde|noche|madrugada)s?\b", window(_WINDOWS)),
        rule(r"\b(?:despues\s+del?|tras\s+el)\s+(?P<p>almuerzo|comer|comida|trabajo)\b", window(_WINDOWS)),
    ),
    negation_before=re.compile(
        r"(?:\bno\s+(?:el|para|en|a|por)?|\ben\s+vez\s+de|\ben\s+lugar\s+de|\bmenos|\bexcepto|\bsalvo)\s*"
        r"(?:el|la|las|del)?\s*$"
    ),
    refused_before=re.compile(
        r"\bno\s+(?:llego|puedo|podre|voy\s+a\s+poder|me\s+viene\s+bien|me\s+va\s+bien)\s+(?:ir\s+)?"
        r"(?:el|para\s+el|a\s+las?|la|las)?\s*$"
        # "cambiar la cita de mañana para el viernes", "pasame el turno del martes al jueves": the day moved from
        r"|\b(?:cita|turno|hora|reserva)\s+(?:de|del|de\s+el|de\s+la|de\s+las)\s*$"
    ),
    unit_after=_UNIT_AFTER,
    alternative=re.compile(r"[\s,]*(?:[a-z]+\s+){0,2}?[ou]\s+(?:(?:el|la|las|a|para|en|al|del|a\s+las)\s+)*"),
    next_one=re.compile(
        r"\b(?:el|al|para\s+el)\s+(?:siguiente|otro|proximo|de\s+la\s+otra\s+semana|de\s+la\s+(?:semana\s+(?:que|q)\s+"
        r"viene|proxima\s+semana))\b(?!\s+(?:semana|mes|dia|"
        r"ano|lunes|martes|miercoles|jueves|viernes|sabado|domingo))"
    ),
    refused_after=re.compile(
        r"\s*[,.]?\s*(?:no\s+(?:llego|puedo|podre|me\s+viene|me\s+va|voy)"
        r"|,?\s*no\b(?!\s+(?:se|hay|tengo|este|esta|ese|esa|el\s+de\s+esta)\b))"
    ),
    correction=re.compile(
        r"\s*(?:(?:no|nop|nel)(?:\s*,\s*|\s+)|,\s*(?:no|nop)\s*,\s*|,?\s*(?:mejor\s+dicho|digo|perdon|perdona)\s*,?\s*)"
        r"(?:(?:mejor|mas\s+bien|mejor\s+aun)\s+)?(?:(?:el|la|las|para\s+el|pal|para\s+las|a\s+las?|al)\s+)?"
    ),
    reason=re.compile(r"\b(?:porque|porq|xq|pq|ya\s+que|puesto\s+que)\b"),
    weekday_date=re.compile(
        r"[\s,]*(?:(?:el|dia|el\s+dia)\s+)?(?P<d>[12]?\d|3[01])\b(?!\s*(?::|\.\d|h\b|hs\b|am\b|pm\b|de\s+la|y\s+media|"
        r"horas|minutos|personas))"
    ),
)
