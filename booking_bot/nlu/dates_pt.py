"""Portuguese (pt-BR and pt-PT) date/time/window rules (day first; see `dates` for the conventions).

Covers: hoje / hj / amanhã / amnh / depois de amanhã, "hoje à noite", weekdays with or without "-feira" and with
na / nesta / próxima / que vem ("sexta", "na sexta-feira", "sexta que vem", "quarta da semana que vem", "4a feira"),
abbreviations ("qui 14h", "na sex", "sáb" — only where the message is about a day), "dia 12", "no dia 12",
"12 de março", 12/03, "daqui a 2 dias", "em uma semana", "daqui a uma hora" (with the salon's now), periods ("esta
semana", "semana que vem", "fim de semana", "mês que vem", "em abril", "na semana do dia 20"), recurrences ("toda
sexta", "todas as segundas", pt-PT "ao sábado"), clock times ("às 15h", "15h30", "3 da tarde", "às 10 e meia",
"quinze pras 11", "o das 5"), meio-dia (e meia) / meia-noite, parts of the day and "depois das 5" as windows.

"segunda" is also "second": it reads as Monday with "-feira", after a preposition/modifier ("na segunda", "próxima
segunda", "até segunda"), before "que vem" or a time, alone, or when the bot asked for a day.
"""

from __future__ import annotations

import re
from datetime import time

from booking_bot.domain import Expecting
from booking_bot.nlu.dates import AMPM, Mention, Rules, Scope, alternation, rule
from booking_bot.nlu.dates_calendar import END_OF_DAY, apply_meridiem, next_weekday
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
    week_of,
    weekday,
    window,
)

__all__ = ["RULES"]

WEEKDAYS = {"segunda": 0, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4, "sabado": 5, "domingo": 6}
MONTHS = {
    "janeiro": 1, "fevereiro": 2, "marco": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7, "agosto": 8,
    "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
}  # fmt: skip
HOURS = {
    "uma": 1, "um": 1, "duas": 2, "dois": 2, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7, "oito": 8,
    "nove": 9, "dez": 10, "onze": 11, "doze": 12,
}  # fmt: skip
NUMBERS = {**HOURS, "quinze": 15, "vinte": 20, "trinta": 30}
MINUTE_WORDS = {"cinco": 5, "dez": 10, "quinze": 15, "vinte": 20, "vinte e cinco": 25, "trinta": 30,
                "quarenta": 40, "quarenta e cinco": 45, "cinquenta": 50}  # fmt: skip
PARTS = {"manha": "morning", "tarde": "afternoon", "noite": "evening", "madrugada": "morning"}
_WINDOWS = {
    "manha": (time(8, 0), time(12, 0)),
    "madrugada": (time(0, 0), time(6, 0)),
    "tarde": (time(12, 0), time(18, 0)),
    "noite": (time(18, 0), END_OF_DAY),
    "almoco": (time(13, 0), END_OF_DAY),
    "trabalho": (time(17, 0), END_OF_DAY),
    "expediente": (time(17, 0), END_OF_DAY),
    "fim": (time(16, 0), END_OF_DAY),  # "no fim da tarde", "no final da tarde": the day's last times
}


def _late(m: re.Match[str], scope: Scope) -> Mention:
    return Mention("window", m.start(), m.end(), window=_WINDOWS["fim"])


ABBREVIATIONS = {"seg": 0, "ter": 1, "qua": 2, "qui": 3, "sex": 4, "sab": 5, "dom": 6}
# "2a feira" = segunda-feira ... "6a feira" = sexta-feira
NUMBERED = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4}

_SPACE = r"\s+"  # a blank inside a listed word matches this
_WD = alternation(WEEKDAYS, _SPACE)
_MON = alternation(MONTHS, _SPACE)
_HW = alternation(HOURS, _SPACE)
_NUM = rf"\d{{1,3}}|{alternation(NUMBERS, _SPACE)}"
_MW = alternation(MINUTE_WORDS, _SPACE)
_PART = r"(?:\s+(?:da|de|pela|a)\s+(?P<part>manha|tarde|noite|madrugada))?"
_MIN = (
    rf"(?:\s*h\s*(?P<hm>[0-5]\d)\b|\s*[:.](?P<m>[0-5]\d)|\s+e\s+(?P<mq>meia|(?P<mn>\d{{1,2}})|(?P<mw>{_MW}))"
    rf"(?:\s+minutos)?)?"
)
_WINDOW_AFTER = re.compile(r"\b(?:depois\s+d[ao]s?|dps\s+d[ao]s?|apos\s+as?|a\s+partir\s+d[ao]s?|desde\s+as?)\s*$")
_WINDOW_BEFORE = re.compile(r"\b(?:antes\s+d[ao]s?|ate\s+as?)\s*$")
_UNIT_AFTER = re.compile(
    r"\s*(?:minutos?|mins?\b|horas?\b(?!\s+d[ao]\s+(?:manha|tarde|noite))|dias?|semanas?|meses|mes\b|anos?|pessoas?|"
    r"graus?|%|reais|r\$|\$|vezes|filhos?|criancas?)"
)
# "o das 5", "a das 16": the one at that time
_CLOCK_BEFORE = re.compile(
    r"(?:\b(?:as?|a|pelas?|perto\s+das?|por\s+volta\s+das?|umas?|ate|entre|e|ou|pras?|(?:[oa]|opcao|horario)\s+das)"
    r"|@)\s*$"
)
_SEGUNDA_OK = re.compile(
    r"(?:\b(?:na|nesta|nessa|esta|essa|proxima|ate|pra|para|de|numa|toda|todas\s+as|segunda\s+ou|ou)\s+)$"
)
# "dura 1 h": how long, not when
_DURATION_BEFORE = re.compile(r"\b(?:dura|duram|durar|leva|levam|demora|demoram)\s*$")
# "uma", "duas" are also "one", "two": "as duas juntas", "vc é um anjo" are no time
_NUMERALS = frozenset({"um", "uma", "dois", "duas"})
_TIME_WORD_AFTER = re.compile(r"\s*(?:$|[,.!?;)]|e\b|ou\b|da\b|de\b|pela\b|horas?\b|h\b|hrs?\b|em\s+ponto|pra\b)")


def _time(m: re.Match[str], scope: Scope) -> Mention | None:
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    minute = int(m.group("m") or m.group("hm") or 0)
    if m.group("mq"):
        mq = m.group("mq")
        minute = 30 if mq == "meia" else number(m.group("mn") or m.group("mw"), MINUTE_WORDS)
    if not 0 <= minute <= 59:
        return None
    head = scope.text[max(0, m.start() - 16) : m.start()]
    ampm = m.group("ampm")
    part = PARTS.get(m.group("part") or "")
    hs = m.group("hs") or m.group("hm") is not None
    if hs and "hora" in (m.group("hs") or "") and not m.group("as") and hour <= 12:
        hs = False  # "1 hora", "de uma hora": how long, unless "às 5 horas"
    if _DURATION_BEFORE.search(head):
        return None
    if not word.isdigit() and not (m.group("as") or part or ampm or m.group("mq") or scope.expecting is Expecting.TIME):
        return None  # a number word alone: "de uma hora", "e um"
    if word in _NUMERALS and not (part or ampm or m.group("mq")) and not _TIME_WORD_AFTER.match(scope.text, m.end()):
        return None
    strong = bool(m.group("as") or ampm or part or m.group("m") or m.group("mq") or hs)
    if not strong and not (_CLOCK_BEFORE.search(head) or scope.expecting is Expecting.TIME):
        return None
    if _UNIT_AFTER.match(scope.text, m.end()) and not (ampm or part or hs or m.group("m") or m.group("mq")):
        return None
    at = apply_meridiem(hour, minute, ampm[0] if ampm else None, part, salon=True)
    if at is None:
        return None
    return _bounded(m, scope, at)


def _bounded(m: re.Match[str], scope: Scope, at: time) -> Mention:
    head = scope.text[max(0, m.start() - 16) : m.start()]
    if "as" in m.re.groupindex and m.group("as"):
        head += " " + m.group("as")  # "depois das 5": the preposition is part of the match
    return bounded(m, at, head, _WINDOW_AFTER, _WINDOW_BEFORE)


_BACK = {**NUMBERS, **MINUTE_WORDS}


def _to_hour(m: re.Match[str], scope: Scope) -> Mention | None:
    """'quinze para as 11' = 10:45, 'vinte e cinco pras 5' = 16:35, '10 para as 5' = 16:50."""
    back = number(m.group("b"), _BACK)
    word = m.group("h")
    hour = int(word) if word.isdigit() else HOURS[word]
    if not 0 < back < 60:
        return None
    part = PARTS.get(m.group("part") or "")
    at = apply_meridiem((hour - 1) or 12, 60 - back, None, part, salon=True)
    return None if at is None else _bounded(m, scope, at)


_NOON = noon("noite", _WINDOW_AFTER, _WINDOW_BEFORE)


def _noon(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    """'meio-dia', 'ao meio-dia e meia' (12:30), 'meia-noite'."""
    got = _NOON(m, scope)
    if isinstance(got, Mention) and got.at is not None and m.group("half"):
        return Mention(got.kind, got.start, got.end, at=got.at.replace(minute=30))
    return got


# "a segunda" / "o segundo" is "the second"; "... da unha segunda" at the end is Monday
_ARTICLE_BEFORE = re.compile(r"\b(?:a|o|as|os|la|el)\s*$")
_WEEKDAY = weekday({**WEEKDAYS, **ABBREVIATIONS}, this="est|ess|nest|ness")
# "segunda vez", "segunda opção": the ordinal before its noun
_SECOND_OF = re.compile(
    r"\s*(?:vez|vezes|opcao|opcoes|op|hora|horario|profissional|pessoa|semana|mao|camada|lugar|sessao|parte|"
    r"unha|cor|demao|via|metade|etapa|coisa|visita|consulta|marcacao|tentativa|da\s+lista)\b"
)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:minha|sua|tua|nossa|dessa|desta|uma|numa)\s*$")


def _weekday(m: re.Match[str], scope: Scope) -> Mention | list[Mention] | None:
    wd_word = m.group("wd")
    if wd_word == "segunda" and not m.group("feira") and not m.group("mod") and not m.group("after"):
        head = scope.text[max(0, m.start() - 16) : m.start()]
        last = scope.text[m.end() :].strip(" ?!.,") == ""
        alone = last and (
            scope.text[: m.start()].strip() == ""
            or (scope.expecting is not Expecting.CHOICE and not _ARTICLE_BEFORE.search(head))
        )
        after = scope.text[m.end() : m.end() + 12]
        if not (
            _SEGUNDA_OK.search(head)
            or alone
            or scope.expecting is Expecting.DATE
            # "manicure segunda pfv", "na verdade segunda é melhor": no article, no noun after
            or (
                not _ARTICLE_BEFORE.search(head)
                and not _POSSESSIVE_BEFORE.search(head)
                and not _SECOND_OF.match(scope.text[m.end() :])
            )
            or re.match(r"\s*(?:as?\s+\d|\d|de\s+(?:manha|tarde|noite)|a\s+tarde|a\s+noite)", after)
        ):
            return None  # "a segunda opção": the second one
    return _WEEKDAY(m, scope)


def _numbered(m: re.Match[str], scope: Scope) -> Mention | None:
    """'4a feira', 'na 3a': the weekday by its number (2a = segunda ... 6a = sexta)."""
    day = next_weekday(scope.today, NUMBERED[m.group("n")])
    return Mention("date", m.start(), m.end(), day=day, weekly=True)


_FEIRA = r"(?P<feira>(?:\s*-\s*|\s+)feiras?)?"
_NEXT_WEEK = r"(?:\s+(?P<nextweek>(?:da|na)\s+(?:semana\s+(?:que|q)\s+vem|proxima\s+semana|semana\s+seguinte)))?"
_AMANHA = r"am(?:a?nh)a?"
_PREPOSITION = r"(?:\b(?:na|no|pra|pro|p/|para|ate|de|da|do|nessa|nesta|essa|esta|proxima|proximo|toda|dia)\s+)$"
_TIME_AFTER = re.compile(
    r"\s*[,.]?\s*(?:(?:as?|a|pelas?|depois\s+das|antes\s+das)\s+)?\d|\s+(?:de|a|pela)\s+(?:manha|tarde|noite)"
)
RULES = Rules(
    dates=(
        rule(
            rf"\b(?:tod[oa]s?\s+(?:as\s+|os\s+)?|cada\s+)(?:{_WD})s?(?:(?:\s*-\s*|\s+)feiras?)?\b"
            r"|\btod[oa]s?\s+(?:os\s+|as\s+)?(?:dias|manhas|tardes|noites|semanas|meses|fins\s+de\s+semana)\b"
            r"|\bcada\s+(?:dia|semana|mes|\d+\s+\w+)\b|\b(?:diariamente|semanalmente|mensalmente)\b"
            r"|\b(?:uma\s+vez|\w+\s+vezes)\s+(?:por|ao|na)\s+(?:semana|mes|dia)\b"
            # pt-PT "abrem ao sábado?" (on Saturdays); "num sábado" (on a Saturday): no single day
            rf"|(?<!ate\s)\baos?\s+(?:{_WD})s?(?:(?:\s*-\s*|\s+)feiras?)?\b"
            rf"|\bnuma?\s+(?:{_WD})(?:(?:\s*-\s*|\s+)feira)?\b",
            recurrence,
        ),
        rule(
            rf"\b(?:(?P<dat>(?:depois|dps|dpois)\s+d[eo]?\s+)?(?P<tom>{_AMANHA})|hoje|hj|esta|essa|nesta|nessa)\s+"
            r"(?:a\s+|de\s+|pela\s+|na\s+|no\s+)?"
            r"(?P<p>manha|tarde|noite|madrugada)\b",
            day_and_window(_WINDOWS),
        ),
        rule(
            rf"\b(?:depois|dps|dpois)\s+d[eo]?\s+{_AMANHA}\b|(?<=ou\s)(?:pra\s+|para\s+)?depois\b(?!\s+d)"
            rf"|\b(?:hoje|hj)\b(?!\s+em\s+dia)|\banteontem\b|\bontem\b|\b{_AMANHA}\b",
            relative_day((("dep", 2), ("dps", 2), ("dpo", 2), ("pra", 2), ("am", 1), ("ant", -2), ("ontem", -1))),
        ),
        rule(r"\b(?:agora\s+mesmo|neste\s+momento|nesse\s+momento|agorinha|ja\s+ja)\b", right_now),
        rule(
            rf"\b(?:(?:no\s+)?dia\s+)?(?P<d>\d{{1,2}}|primeiro|1o)\s+de\s+(?P<mon>{_MON})\b(?:\s+de\s+(?P<y>\d{{4}}))?",
            day_month(MONTHS, first=("primeiro", "1o")),
        ),
        rule(r"\b(?:n?a\s+)?semana\s+d[oa]\s+dia\s+(?P<d>\d{1,2})\b", week_of),
        rule(numeric_pattern("/.-"), numeric_date(_CLOCK_BEFORE, 8)),
        rule(
            rf"\b(?:(?P<mod>proxim[ao]|nest[ae]|ness[ae]|est[ae]|ess[ae])\s+)?(?P<wd>{_WD})(?:(?<=o)o+|(?<=a)a+)?\b"
            rf"{_FEIRA}(?P<after>\s+(?:que\s+vem|q\s+vem|proxim[ao]|seguinte))?{_NEXT_WEEK}",
            _weekday,
        ),
        rule(r"\b(?P<n>[2-6])\s*a\b(?:\s*-\s*|\s+)?(?:feira\b)", _numbered),
        rule(
            rf"\b(?:(?P<mod>proxim[ao]|nest[ae]|ness[ae]|est[ae]|ess[ae])\s+)?(?P<wd>{alternation(ABBREVIATIONS)})\b"
            rf"\.?{_NEXT_WEEK}",
            abbreviated(
                _WEEKDAY,
                re.compile(_PREPOSITION),
                _TIME_AFTER,
                ambiguous=frozenset({"ter", "sex", "dom", "seg"}),
                strict_before=re.compile(r"(?:\b(?:na|nesta|nessa|proxima|ate|ate\s+a)\s+)$"),
            ),
        ),
        rule(
            r"\b(?:(?:no|o|para\s+o|pro|ate\s+o)\s+)?dia\s+(?P<d>\d{1,2})\b(?P<this>\s+(?:deste|desse)\s+mes)?"
            r"(?!\s*(?::|h\b|horas))",
            day_number,
        ),
        rule(
            rf"\b(?:daqui\s+a|daqui|em|dentro\s+de)\s+(?P<n>{_NUM})\s*(?P<u>dias?|semanas?)\b(?!\s+(?:antes|atras))",
            in_days(NUMBERS, week="semana"),
        ),
        rule(
            rf"\b(?:daqui\s+a|daqui|em|dentro\s+de)\s+(?:(?P<half>meia\s+hora)|(?P<n>{_NUM})?\s*"
            rf"(?P<u>horas?|minutos?|mins?)\b)",
            in_time(NUMBERS, hour="hora"),
        ),
        rule(
            rf"\b(?:em|para|pra|durante|ate|a\s+partir\s+de|de)\s+(?:o\s+mes\s+de\s+)?(?P<mon>{_MON})\b",
            named_month(MONTHS),
        ),
        rule(
            r"\b(?:(?:neste|nesse|este|esse|no|o|pro|para\s+o)\s+)?(?:(?:proximo)\s+)?fi(?:m|ns)\s+de\s+semana"
            r"(?:\s+(?:que\s+vem|seguinte))?\b"
            r"|\b(?:nesta|nessa|esta|essa|na|a|toda\s+a|da|pra|para\s+a)\s+(?:proxima\s+)?semana"
            r"(?:\s+(?:que\s+vem|q\s+vem|seguinte))?\b(?!\s+passad)"
            r"|\bproxima\s+semana\b|\bsemana\s+(?:que\s+vem|q\s+vem|seguinte)\b"
            r"|\b(?:neste|nesse|este|esse|proximo)\s+mes\b|\bmes\s+(?:que\s+vem|seguinte)\b"
            r"|\b(?:o\s+)?(?:resto\s+do|todo\s+o)\s+dia\b",
            period(
                "proxim|seguinte|que vem|q vem",
                (("fim", "weekend"), ("fins", "weekend"), ("mes", "month"), ("dia", "day")),
            ),
        ),
        rule(
            rf"\b(?:os|as)\s+(?:proximos|proximas|seguintes)\s+(?P<n>{_NUM})\s+(?P<u>dias|semanas)\b",
            in_days(NUMBERS, week="semana", as_period=True),
        ),
        rule(r"\b(?:na|no|pra|pro|ate|nesta|nessa|proxima|proximo)\s+(?P<w>[a-z]{5,})\b", misspelt_weekday(WEEKDAYS)),
        ENGLISH_DAYS,
    ),
    times=(
        rule(
            r"\b(?:ao\s+|a\s+|o\s+|as\s+)?(?:meio\s*-?\s*dia|meia\s*-?\s*noite)(?P<half>\s+e\s+meia)?\b",
            _noon,
        ),
        rule(
            rf"\b(?P<b>\d{{1,2}}|{_MW})\s+(?:minutos\s+)?(?:para\s+(?:as?\s+)?|pras?\s+)(?P<h>\d{{1,2}}|{_HW})\b"
            rf"(?:\s*h\b)?{_PART}",
            _to_hour,
        ),
        rule(
            rf"(?:\b(?P<as>as|a|pelas?|ate\s+as|depois\s+das|dps\s+das|antes\s+das|a\s+partir\s+das|desde\s+as|"
            rf"por\s+volta\s+das?|perto\s+das?)\s+)?(?<![\d.:/$])(?P<h>\d{{1,2}}(?!\d)|\b(?:{_HW})\b){_MIN}(?![\d])"
            rf"(?P<hs>\s*(?:h|hs|hrs|horas?)\b(?!\s*(?:de\s+)?\d))?(?:\s+em\s+ponto)?{AMPM}{_PART}",
            _time,
        ),
    ),
    windows=(
        rule(r"\b(?:(?:no|ao|pelo)\s+)?(?P<p>fim|final)(?:zinho)?\s+da\s+tarde\b", _late),
        rule(r"\b(?:de|pela|a|na|durante\s+a|a\s+noite\s+de)\s+(?P<p>manha|tarde|noite|madrugada)\b", window(_WINDOWS)),
        rule(r"\b(?:depois|dps|apos)\s+(?:do|o)\s+(?P<p>almoco|trabalho|expediente)\b", window(_WINDOWS)),
    ),
    negation_before=re.compile(
        r"(?:\bnao\s+(?:e\s+)?(?:na|no|pra|pro|para|em|de|as|a|o)?|\bem\s+vez\s+d[eoa]s?|\bao\s+inves\s+d[eoa]s?"
        r"|\bno\s+lugar\s+d[eoa]s?|\bmenos\s+(?:na|no|a|o)?|\bexceto\s+(?:na|no|a|o)?)\s*$"
    ),
    unit_after=_UNIT_AFTER,
    alternative=re.compile(r"[\s,]*(?:[a-z]+\s+){0,2}?ou\s+(?:(?:na|no|pra|pro|para|as|a|o|em|de|dia|d[ao]s)\s+)*"),
    next_one=re.compile(
        r"\b(?:a|o|na|no|pra|pro)\s+(?:proxim[ao]|seguinte|outr[ao]|da\s+(?:semana\s+(?:que|q)\s+vem|proxima\s+semana))"
        r"\b(?!\s+(?:semana|mes|dia|vez|ano|hora|opcao|profissional|pessoa|segunda|terca|quarta|quinta|sexta|sabado|"
        r"domingo))"
    ),
    refused_after=re.compile(
        r"\s*[,.]?\s*(?:(?:eu\s+)?(?:nao|n)\s+(?:vou\s+conseguir|consigo|posso|da|rola|vai\s+dar|vai\s+rolar)"
        r"|vou\s+estar\s+fora|nao\s+vou\s+estar)"
    ),
    # "muda meu horário de amanhã pra sexta", "passa a marcação da quinta pro sábado": the day moved from
    refused_before=re.compile(r"\b(?:horario|hora|marcacao|agendamento|reserva|vaga)\s+(?:de|da|do|das|dos)\s*$"),
    correction=re.compile(
        r"\s*(?:(?:nao|n)(?:\s*,\s*|\s+)|,\s*nao\s*,\s*|,?\s*(?:quer\s+dizer|digo|alias|ou\s+melhor|perdao)\s*,?\s*)"
        r"(?:(?:melhor|pode\s+ser)\s+)?(?:(?:na|no|pra|pro|para|as|a|o|dia)\s+)?"
    ),
    reason=re.compile(r"\b(?:porque|porq|pq|pois|ja\s+que|por\s+causa)\b"),
    weekday_date=re.compile(
        r"[\s,]*(?:(?:dia|o\s+dia)\s+)?(?P<d>[12]?\d|3[01])\b(?!\s*(?::|\.\d|h\b|hs\b|am\b|pm\b|da\s+|e\s+meia|horas|"
        r"minutos|pessoas))"
    ),
    range_before=re.compile(r"\b(?:das|entre)\s*$"),
    range_between=re.compile(r"\s*(?:-|e|ate|as|a)?\s*"),
)
