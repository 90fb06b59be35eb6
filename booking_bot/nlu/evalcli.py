"""`booking-bot parse [--catalog FILE]`: JSON lines in on stdin, one JSON object per line out (see the eval README).

A line that cannot be parsed as JSON is reported on stderr and skipped; a line with a readable id but bad fields
gets an output line with null values, so one bad row never stops the run.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, TextIO

__all__ = ["main"]


def _row(obj: dict[str, Any], catalog: Any) -> dict[str, Any]:
    from booking_bot.nlu import parse
    from booking_bot.nlu.models import Expecting, ParseContext

    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    today = date.fromisoformat(str(obj.get("today") or date.today().isoformat()))
    expecting_raw = obj.get("expecting")
    expecting = Expecting(expecting_raw) if expecting_raw in {e.value for e in Expecting} else None
    lang = obj.get("lang") if isinstance(obj.get("lang"), str) else None
    ctx = ParseContext(today=today, timezone=str(obj.get("tz") or "UTC"), expecting=expecting, lang=lang)
    parsed = parse(text, ctx, catalog)
    names = {e.id: e.name for e in (*catalog.services, *catalog.staff)} if parsed.staff_id or parsed.service_id else {}
    return {
        "id": obj["id"],
        "intent": parsed.intent.value,
        "date": parsed.date.isoformat() if parsed.date else None,
        "time": parsed.time.strftime("%H:%M") if parsed.time else None,
        "staff": names.get(parsed.staff_id) if parsed.staff_id else None,
        "service": names.get(parsed.service_id) if parsed.service_id else None,
        "lang": parsed.lang,
    }


def run(stdin: TextIO, stdout: TextIO, stderr: TextIO, catalog: Any) -> int:
    bad = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict) or "id" not in obj:
                raise ValueError("not an object with an id")
        except ValueError as exc:
            print(f"line {number}: skipped: {exc}", file=stderr)
            bad += 1
            continue
        try:
            out = _row(obj, catalog)
        except Exception as exc:  # one bad row must not stop the run
            print(f"line {number}: id {obj.get('id')!r}: {type(exc).__name__}: {exc}", file=stderr)
            bad += 1
            out = {"id": obj["id"], "intent": "other", "date": None, "time": None, "staff": None,
                   "service": None, "lang": None}  # fmt: skip
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booking-bot parse", description="Stage-1 parser over JSON lines.")
    parser.add_argument("--catalog", help="catalog JSON file ({services: [...], staff: [...]})")
    args = parser.parse_args(argv)
    from booking_bot.nlu import catalog_from_json

    catalog_obj: Any = None
    if args.catalog:
        try:
            with open(args.catalog, encoding="utf-8") as fh:
                catalog_obj = json.load(fh)
            catalog = catalog_from_json(catalog_obj)
        except (OSError, ValueError) as exc:
            print(f"cannot read catalog {args.catalog}: {exc}", file=sys.stderr)
            return 2
    else:
        catalog = catalog_from_json(None)
    return run(sys.stdin, sys.stdout, sys.stderr, catalog)


if __name__ == "__main__":
    raise SystemExit(main())
