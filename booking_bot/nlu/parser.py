"""Stage 1: the local, deterministic parser. `parse` reads one message in its dialogue context."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from booking_bot.domain import (
    Catalog,
    CatalogEntry,
    DateRange,
    ParseContext,
    ParsedMessage,
    TimeWindow,
)
from booking_bot.nlu.catalog import index_for
from booking_bot.nlu.classifier import classifier
from booking_bot.nlu.edits import negated_spans, read_edits
from booking_bot.nlu.reading import Reading, read

__all__ = ["catalog_from_json", "decide", "parse"]

ALTERNATIVE_AT_LEAST = 0.1  # an intent this likely is named as a reading the customer may have meant


def parse(text: str, ctx: ParseContext, catalog: Catalog) -> ParsedMessage:
    """What one message says, in the context of the dialogue."""
    return decide(read(text, ctx, catalog), catalog)


def decide(reading: Reading, catalog: Catalog | None = None) -> ParsedMessage:
    """The message a reading makes: the trained classifier's intent over the rules' reading (the rules' signals are
    its features, not the final word), with its calibrated probability; below the model's threshold stage 1 is
    unsure and says which other intents it weighed. Dates, times, catalog names and edits are the rules'."""
    found, day, service, staff, rule = reading.found, reading.day, reading.service, reading.staff, reading.rule
    guess = classifier().guess(reading)
    reasons = list(rule.reasons)  # what the rules noticed ("no_intent_signal", ...): told, the classifier decides
    if found.leftover_numbers and rule.choice is None and day is None and found.at is None:
        reasons.append("unparsed_numbers")
    if not guess.sure:
        reasons.append("classifier_unsure")
    if found.recurring:
        reasons.append("recurring")  # "every Monday": the dialogue books one visit at a time
    if (service is not None and not service.exact) or (staff is not None and not staff.exact):
        reasons.append("fuzzy_catalog_match")  # told, not a reason to doubt the intent
    alternatives = tuple(
        intent
        for intent, p in sorted(guess.probabilities.items(), key=lambda kv: -kv[1])
        if intent is not guess.intent and p >= ALTERNATIVE_AT_LEAST
    )[:2]
    window = TimeWindow(start=found.window[0], end=found.window[1]) if found.window else None
    negated_service, negated_staff, service_id, staff_id = _negated(reading, catalog)
    return ParsedMessage(
        intent=guess.intent,
        lang=reading.lang,
        date=day,
        time=found.at,
        window=window,
        service_id=service_id,
        staff_id=staff_id,
        choice=rule.choice,
        negated_date=found.negated_date,
        negated_service_id=negated_service,
        negated_staff_id=negated_staff,
        period=DateRange(start=found.period[0], end=found.period[1]) if found.period and day is None else None,
        recurring=found.recurring,
        edits=read_edits(reading.folded),
        alternatives=alternatives if not guess.sure else (),
        confidence=round(guess.confidence, 3),
        unsure=not guess.sure or found.recurring,
        reasons=tuple(reasons),
    )


def _negated(reading: Reading, catalog: Catalog | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(refused service, refused master, service, master): what the message refuses ("не маникюр, а педикюр", "not
    with Anna") and what it asks for — named outside the refusals when the whole text names none or the refused one
    ("no, not the men's haircut, women's haircut", "não quero manicure, quero coloração")."""
    service = reading.service.entry_id if reading.service else None
    staff = reading.staff.entry_id if reading.staff else None
    if catalog is None or not (catalog.services or catalog.staff):
        return None, None, service, staff
    spans = negated_spans(reading.folded)
    if not spans:
        return None, None, service, staff
    index = index_for(catalog)
    refused_service = refused_staff = None
    for start, end in spans:
        found_service, found_staff = index.match(reading.folded[start:end])
        refused_service = refused_service or (found_service.entry_id if found_service else None)
        refused_staff = refused_staff or (found_staff.entry_id if found_staff else None)
    outside_service, outside_staff = index.match(reading.folded, spans)
    if outside_service is not None and service in (None, refused_service):
        service = outside_service.entry_id
    if outside_staff is not None and staff in (None, refused_staff):
        staff = outside_staff.entry_id
    return (
        refused_service if refused_service != service else None,
        refused_staff if refused_staff != staff else None,
        service,
        staff,
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
