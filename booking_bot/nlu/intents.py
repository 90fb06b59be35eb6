"""Intent classification from per-language signal tables plus the dialogue state.

Each language gives one regex per signal (over folded text). `classify` combines the signals with a fixed
precedence that mirrors how a turn reads: an explicit request (cancel, reschedule, prices, handoff, info,
alternatives) wins over a leading yes/no, a yes/no with new booking details is a booking, and thanks/bye count
only when nothing else is said. `ctx.expecting` decides how bare answers read.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from booking_bot.domain import Expecting, Intent
from booking_bot.nlu.signals import SIGNALS

__all__ = ["SIGNALS", "Classification", "classify", "signals_of"]

_CHOICE = {
    "en": re.compile(
        r"\b(?:the\s+)?(?P<n>first|second|third|fourth|fifth|last|latest|1st|2nd|3rd|4th|5th)\s*"
        r"(?:one|option|choice|time|slot)?\b"
    ),
    # Whole ordinal forms only: a bare stem would read "пятницу" (Friday) as "the fifth".
    "es": re.compile(r"\b(?:el|la)\s+(?P<n>primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|ultim[oa])\b"),
    "pt": re.compile(
        r"\b(?:o|a)\s+(?P<n>primeir[oa]|segund[oa]|terceir[oa]|quart[oa]|quint[oa]|ultim[oa])\b(?!\s*-?\s*feira)"
        r"|\b(?P<n2>primeir[oa]|ultim[oa])\s+(?:horario|opcao|hora|vaga)\b"
    ),
    "ru": re.compile(
        r"\b(?P<n>перв(?:ый|ая|ое|ую|ого|ой)|втор(?:ой|ая|ое|ую|ого)|трет(?:ий|ья|ье|ью|ьего|ьей)|"
        r"четв[её]рт(?:ый|ая|ое|ую|ого)|пят(?:ый|ая|ое|ую|ого|ой)|последн(?:ий|яя|ее|юю|его|ей))\b"
    ),
}
_CHOICE_NUM = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
    "перв": 1, "втор": 2, "трет": 3, "четв": 4, "пят": 5,
    "primer": 1, "primeir": 1, "segund": 2, "tercer": 3, "terceir": 3, "cuart": 4, "quart": 4, "quint": 5,
}  # fmt: skip
LAST = -1  # `choice` of "the last one" (counted from the end, as Python's indexes are)
_BARE_NUMBER = re.compile(r"^\W*(?:#|no\.?\s*|№\s*)?(?P<n>[1-9])\W*$")
# "number two", "номер 2", "o número dois", "la opción 3", "вариант два": a pick from a list by its number.
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6,
    "uno": 1, "una": 1, "dos": 2, "cuatro": 4,
}  # fmt: skip
_NUMBERED = re.compile(
    r"\b(?:number|num|nr|option|opt|номер|вариант|пункт|numero|numer|opcao|opcion)\.?\s*(?:#\s*)?"
    r"(?P<n>[1-9]|" + "|".join(_NUMBER_WORDS) + r")\b"
)


@dataclass(frozen=True, slots=True)
class Classification:
    intent: Intent
    confidence: float
    reasons: tuple[str, ...]
    choice: int | None = None


def _choice(folded: str, lang: str, expecting: Expecting | None) -> int | None:
    bare = _BARE_NUMBER.match(folded)
    if bare and expecting is Expecting.CHOICE:
        return int(bare.group("n"))
    numbered = _NUMBERED.search(folded) if expecting is Expecting.CHOICE else None
    if numbered is not None:
        value = numbered.group("n")
        return int(value) if value.isdigit() else _NUMBER_WORDS[value]
    rx = _CHOICE.get(lang)
    if rx is None:
        return None
    m = rx.search(folded)
    if m is None:
        return None
    word = m.group("n") or m.groupdict().get("n2") or ""
    if word.startswith(("last", "latest", "последн", "ultim")):
        # "the last one": counted from the end, so only when the bot has just offered a list ("at last" is not one)
        return LAST if expecting is Expecting.CHOICE else None
    for prefix, n in _CHOICE_NUM.items():
        if word.startswith(prefix):
            return n
    return None


def signals_of(folded: str, lang: str) -> frozenset[str]:
    """The names of the language's signals (`SIGNALS`) whose regex hits the folded text."""
    return frozenset(name for name, rx in SIGNALS.get(lang, SIGNALS["en"]).items() if rx.search(folded))


def classify(
    folded: str,
    lang: str,
    expecting: Expecting | None,
    *,
    has_datetime: bool,
    has_entity: bool,
    signals: AbstractSet[str] | None = None,
) -> Classification:
    """The rules' intent; `signals`: the hits of `signals_of(folded, lang)` when the caller has them already (each
    regex then runs once per message)."""
    hits = signals_of(folded, lang) if signals is None else signals
    hit = {name: name in hits for name in SIGNALS.get(lang, SIGNALS["en"])}
    choice = _choice(folded, lang, expecting) if expecting in (Expecting.CHOICE, None) else None
    words = len(folded.split())

    def done(intent: Intent, conf: float, *reasons: str) -> Classification:
        return Classification(intent, conf, reasons, choice)

    for name, intent in (
        ("handoff", Intent.HANDOFF),
        ("cancel", Intent.CANCEL),
        ("reschedule", Intent.RESCHEDULE),
        ("my_bookings", Intent.MY_BOOKINGS),
        ("prices", Intent.PRICES),
    ):
        if hit[name]:
            return done(intent, 0.85)
    affirm = hit["affirm_lead"] or hit["affirm_any"]
    deny = hit["deny_lead"] or (hit["deny_any"] and not hit["affirm_lead"])
    details = has_datetime or has_entity
    if hit["info"] and not has_datetime:
        return done(Intent.INFO, 0.85)
    if hit["alternatives"] and not details:
        return done(Intent.ALTERNATIVES, 0.8)
    if expecting is Expecting.CHOICE and hit.get("search") and not has_datetime and not hit["affirm_lead"]:
        # the bot offered a provider and the customer asks for a new search: other options
        return done(Intent.ALTERNATIVES, 0.7)
    if deny and not (hit["affirm_lead"] and not hit["deny_lead"]):
        if details:
            return done(Intent.BOOK, 0.75)
        if hit["book"] and not hit["deny_any"] and not hit["thanks"] and words > 4 and not hit["bye"]:
            return done(Intent.BOOK, 0.55, "conflicting_intents")
        return done(Intent.DENY, 0.9 if hit["deny_lead"] else 0.7)
    if hit["alternatives"]:
        return done(Intent.ALTERNATIVES, 0.6, "conflicting_intents")
    if hit["thanks"] and expecting is None and not has_datetime and not _BOOK_VERB[lang].search(folded):
        return done(Intent.THANKS, 0.8)
    if affirm:
        if details or (hit["book"] and _BOOK_VERB[lang].search(folded)):
            return done(Intent.BOOK, 0.8)
        return done(Intent.AFFIRM, 0.9 if hit["affirm_lead"] else 0.75)
    if choice is not None and expecting is Expecting.CHOICE:
        return done(Intent.AFFIRM, 0.8)
    if details:
        if hit["availability"] and not _BOOK_VERB[lang].search(folded):
            return done(Intent.AVAILABILITY, 0.7)
        return done(Intent.BOOK, 0.85)
    if hit["thanks"]:
        return done(Intent.THANKS, 0.9)
    if hit["bye"]:
        return done(Intent.GOODBYE, 0.85)
    if hit["availability"]:
        return done(Intent.AVAILABILITY, 0.7)
    if hit["book"]:
        return done(Intent.BOOK, 0.7)
    if hit["greet"]:
        return done(Intent.GREET, 0.9)
    return done(Intent.OTHER, 0.3, "no_intent_signal")


_BOOK_VERB = {
    "en": re.compile(r"\b(?:book|schedule|reserve|appointment|make\s+(?:it|one|an?)|set\s+(?:it|one|up))\b"),
    "ru": re.compile(r"\b(?:запиш\w*|запис\w*|забронир\w*)"),
    "es": re.compile(r"\b(?:reserv\w*|agend\w*|cita|apunta\w*|pedir\s+hora)\b"),
    "pt": re.compile(r"\b(?:reserv\w*|agend\w*|marcar|marca)\b"),
}
