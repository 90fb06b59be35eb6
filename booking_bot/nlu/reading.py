"""The rules' reading of one message: everything stage 1's rules find in it, before anything is decided.

`read` folds the text, detects the language, extracts dates, times, windows and periods, matches the catalog, runs
the rule intent classifier and notes which of the language's regex signals hit. `parser.decide` turns a reading into
a `ParsedMessage`; the trained classifier (`classifier.py`) takes a reading as part of its features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from booking_bot.domain import Catalog, Expecting, ParseContext
from booking_bot.nlu import dates, dates_en, dates_es, dates_pt, dates_ru
from booking_bot.nlu.catalog import Match, index_for
from booking_bot.nlu.intents import Classification, classify, signals_of
from booking_bot.nlu.lang import detect_language
from booking_bot.nlu.normalize import fold

__all__ = ["DATE_RULES", "Reading", "read"]

DATE_RULES: dict[str, dates.Rules] = {"en": dates_en.RULES, "ru": dates_ru.RULES, "es": dates_es.RULES,
                                      "pt": dates_pt.RULES}  # fmt: skip
_BARE_DAY = re.compile(r"^\W*(?:on\s+|the\s+|el\s+|o\s+|dia\s+|на\s+)*(?P<d>[12]?\d|3[01])\W*$")
_SIBLING = {"es": "pt", "pt": "es"}


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules found in one message, in the context of the dialogue."""

    folded: str
    lang: str | None  # the detected language (None: nothing to go by and no prior)
    expecting: Expecting | None
    found: dates.DateTimeResult
    day: date | None  # the named day, also a bare "12" answering a question for the day
    service: Match | None
    staff: Match | None
    rule: Classification  # the rules' intent, confidence, reasons and choice
    signals: frozenset[str]  # the names of the language's regex signals (`intents.SIGNALS`) that hit

    @property
    def has_datetime(self) -> bool:
        """A day, a clock time, a part of the day or a period was named."""
        return _has_datetime(self.day, self.found)

    @property
    def has_entity(self) -> bool:
        """A service or a master of the catalog was named."""
        return self.service is not None or self.staff is not None


def _has_datetime(day: date | None, found: dates.DateTimeResult) -> bool:
    return day is not None or found.at is not None or found.window is not None or found.period is not None


def read(text: str, ctx: ParseContext, catalog: Catalog) -> Reading:
    """Everything the rules find in one message."""
    folded = fold(text)
    lang = detect_language(folded, ctx.lang, text)
    rules = DATE_RULES.get(lang or "en", dates_en.RULES)
    found = dates.extract(folded, rules, ctx.today, ctx.expecting, now=ctx.now, zone=ctx.timezone)
    sibling = _SIBLING.get(lang or "")
    if sibling is not None and not found.mentions:
        # Spanish and Portuguese share most words; a short message may be detected as the other one
        other = dates.extract(folded, DATE_RULES[sibling], ctx.today, ctx.expecting, now=ctx.now, zone=ctx.timezone)
        if other.mentions:
            found = other
    day = found.day
    if day is None and ctx.expecting is Expecting.DATE and found.at is None:
        bare = _BARE_DAY.match(folded)
        if bare:
            day = dates.day_of_month(ctx.today, int(bare.group("d")))
    service = staff = None
    if catalog.services or catalog.staff:
        # words the date rules read as a date ("12 марта") are no catalog name ("Marta")
        service, staff = index_for(catalog).match(folded, [(m.start, m.end) for m in found.mentions])
    signals = signals_of(folded, lang or "en")  # once: the rule intent and the classifier's features share them
    return Reading(
        folded=folded,
        lang=lang,
        expecting=ctx.expecting,
        found=found,
        day=day,
        service=service,
        staff=staff,
        rule=classify(
            folded,
            lang or "en",
            ctx.expecting,
            has_datetime=_has_datetime(day, found),
            has_entity=service is not None or staff is not None,
            signals=signals,
        ),
        signals=signals,
    )
