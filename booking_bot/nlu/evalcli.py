"""`booking-bot parse [--catalog FILE]`: JSON lines in on stdin, one JSON object per line out (see the eval README).

Each line also says which stage decided it (`stage`: stage1 | stage2) and why; stage 2 runs only when a provider
is configured (BOOKING_BOT_LLM_*, docs/llm.md).

A line that cannot be parsed as JSON is reported on stderr and skipped; a line with a readable id but bad fields
gets an output line with null values, so one bad row never stops the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

__all__ = ["main"]


async def _row(obj: dict[str, Any], catalog: Any, stage2: Any) -> dict[str, Any]:
    from booking_bot.domain import Expecting, ParseContext
    from booking_bot.understanding import understand

    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    zone = str(obj.get("tz") or "UTC")
    # without a given day, "today" is the salon's, in its zone (never the machine's)
    today = date.fromisoformat(str(obj.get("today") or datetime.now(ZoneInfo(zone)).date().isoformat()))
    expecting_raw = obj.get("expecting")
    expecting = Expecting(expecting_raw) if expecting_raw in {e.value for e in Expecting} else None
    lang = obj.get("lang") if isinstance(obj.get("lang"), str) else None
    ctx = ParseContext(today=today, timezone=zone, expecting=expecting, lang=lang)
    result = await understand(text, ctx, catalog, company_id="eval", stage2=stage2)
    parsed = result.parsed
    names = {e.id: e.name for e in (*catalog.services, *catalog.staff)} if parsed.staff_id or parsed.service_id else {}
    return {
        "id": obj["id"],
        "intent": parsed.intent.value,
        "date": _day(parsed),
        "time": parsed.time.strftime("%H:%M") if parsed.time else None,
        "staff": names.get(parsed.staff_id) if parsed.staff_id else None,
        "service": names.get(parsed.service_id) if parsed.service_id else None,
        "lang": parsed.lang,
        "stage": result.decided_by.value,  # which stage decided this line
        "why": result.why.value,
    }


def _day(parsed: Any) -> str | None:
    """The named day, or None: a period ("next week", "in April") names no single day (the dialogue keeps it as
    `parsed.period` and searches it), nor does a recurrence ("every Monday")."""
    if parsed.date is not None:
        return str(parsed.date.isoformat())
    return None


async def run(stdin: TextIO, stdout: TextIO, stderr: TextIO, catalog: Any, stage2: Any = None) -> int:
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
            out = await _row(obj, catalog, stage2)
        except Exception as exc:  # one bad row must not stop the run
            print(f"line {number}: id {obj.get('id')!r}: {type(exc).__name__}: {exc}", file=stderr)
            bad += 1
            out = {"id": obj["id"], "intent": "other", "date": None, "time": None, "staff": None,
                   "service": None, "lang": None, "stage": None, "why": None}  # fmt: skip
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
    return asyncio.run(_run_with_stage2(catalog))


async def _run_with_stage2(catalog: Any) -> int:
    """Stage 2 as configured (BOOKING_BOT_LLM_*): off unless a provider is set."""
    from booking_bot.settings import Settings
    from integrations.llm.factory import build_stage2

    providers = build_stage2(Settings())
    try:
        return await run(sys.stdin, sys.stdout, sys.stderr, catalog, providers.for_company("eval"))
    finally:
        await providers.close()


if __name__ == "__main__":
    raise SystemExit(main())
