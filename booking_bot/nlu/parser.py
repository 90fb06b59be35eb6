"""Stage 1: the local, deterministic parser. `parse` reads one message in its dialogue context."""

from __future__ import annotations

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
from booking_bot.nlu.reading import Reading, read

__all__ = ["catalog_from_json", "decide", "parse"]

_UNSURE_BELOW = 0.6


def parse(text: str, ctx: ParseContext, catalog: Catalog) -> ParsedMessage:
    """What one message says, in the context of the dialogue."""
    return decide(read(text, ctx, catalog))


def decide(reading: Reading) -> ParsedMessage:
    """The message the rules' reading makes: the rule intent, and how sure stage 1 is of it."""
    found, day, service, staff, result = reading.found, reading.day, reading.service, reading.staff, reading.rule
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
    if reading.expecting is Expecting.CONFIRM and intent is Intent.OTHER and reading.has_datetime:
        intent = Intent.BOOK
    return ParsedMessage(
        intent=intent,
        lang=reading.lang,
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
