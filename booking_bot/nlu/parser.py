"""Stage 1: the local, deterministic parser. `parse` reads one message in its dialogue context."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from booking_bot.domain import (
    Catalog,
    CatalogEntry,
    DateRange,
    Expecting,
    Intent,
    ParseContext,
    ParsedMessage,
    TimeWindow,
)
from booking_bot.nlu import dates, dates_en, dates_es, dates_pt, dates_ru
from booking_bot.nlu.catalog import index_for
from booking_bot.nlu.intents import classify
from booking_bot.nlu.lang import detect_language
from booking_bot.nlu.normalize import fold

__all__ = ["catalog_from_json", "parse"]

DATE_RULES: dict[str, dates.Rules] = {"en": dates_en.RULES, "ru": dates_ru.RULES, "es": dates_es.RULES,
                                      "pt": dates_pt.RULES}  # fmt: skip
_BARE_DAY = re.compile(r"^\W*(?:on\s+|the\s+|el\s+|o\s+|dia\s+|на\s+)*(?P<d>[12]?\d|3[01])\W*$")
_UNSURE_BELOW = 0.6
_SIBLING = {"es": "pt", "pt": "es"}


def parse(text: str, ctx: ParseContext, catalog: Catalog) -> ParsedMessage:
    """What one message says, in the context of the dialogue."""
    folded = fold(text)
    lang = detect_language(folded, ctx.lang)
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
        service, staff = index_for(catalog).match(folded)
    has_datetime = day is not None or found.at is not None or found.window is not None or found.period is not None
    result = classify(
        folded,
        lang or "en",
        ctx.expecting,
        has_datetime=has_datetime,
        has_entity=service is not None or staff is not None,
    )
    reasons = list(result.reasons)
    confidence = result.confidence
    if found.leftover_numbers and result.choice is None and day is None and found.at is None:
        reasons.append("unparsed_numbers")
        confidence = min(confidence, 0.55)
    if (service is not None and not service.exact) or (staff is not None and not staff.exact):
        reasons.append("fuzzy_catalog_match")
        confidence = min(confidence, 0.7)
    if found.recurring:
        reasons.append("recurring")  # "every Monday": the dialogue books one visit at a time
        confidence = min(confidence, 0.55)
    window = TimeWindow(start=found.window[0], end=found.window[1]) if found.window else None
    intent = result.intent
    if ctx.expecting is Expecting.CONFIRM and intent is Intent.OTHER and has_datetime:
        intent = Intent.BOOK
    return ParsedMessage(
        intent=intent,
        lang=lang,
        date=day,
        time=found.at,
        window=window,
        service_id=service.entry_id if service else None,
        staff_id=staff.entry_id if staff else None,
        choice=result.choice,
        negated_date=found.negated_date,
        period=DateRange(start=found.period[0], end=found.period[1]) if found.period and day is None else None,
        recurring=found.recurring,
        confidence=round(confidence, 3),
        unsure=confidence < _UNSURE_BELOW or bool(reasons),
        reasons=tuple(reasons),
    )


def _entry(item: Any) -> CatalogEntry:
    if isinstance(item, str):
        return CatalogEntry(id=item, name=item)
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
        raise ValueError(f"catalog entry must be a string or an object with a name: {item!r}")
    aliases = item.get("aliases") or ()
    if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
        raise ValueError(f"aliases must be a list of strings: {item!r}")
    name = item["name"]
    return CatalogEntry(id=str(item.get("id") or name), name=name, aliases=tuple(aliases))


def catalog_from_json(obj: Any) -> Catalog:
    """A Catalog from its JSON form: {"services": [{"name", "aliases"?, "id"?}], "staff": [... or "name"]}."""
    if obj is None:
        return Catalog()
    if not isinstance(obj, Mapping):
        raise ValueError("catalog must be a JSON object")
    return Catalog(
        services=tuple(_entry(x) for x in obj.get("services") or ()),
        staff=tuple(_entry(x) for x in obj.get("staff") or ()),
    )
