"""Stage-1 natural-language understanding: a fast, deterministic, local parser.

parse(text, ctx, catalog) -> ParsedMessage
catalog_from_json(obj) -> Catalog
"""

from __future__ import annotations

from booking_bot.nlu.parser import catalog_from_json, parse

__all__ = ["catalog_from_json", "parse"]
