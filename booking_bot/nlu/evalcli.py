"""`booking-bot parse [--catalog FILE] [--report [--gold FILE] [--json]]`: JSON lines in on stdin.

Without `--report`: one JSON object per line out (see the eval README), which also says the intent's calibrated
probability (`p`), whether stage 1 was sure of it (`sure`: below the model's threshold stage 2 is asked), which stage
decided (`stage`: stage1 | stage2) and why; stage 2 runs only when a provider is configured (BOOKING_BOT_LLM_*,
docs/llm.md).

With `--report`: the figures instead (booking_bot/nlu/report.py) — per language and overall, intent accuracy, date
and time accuracy and false positives, language, the expected calibration error, the share confidently wrong and the
share sent to stage 2. The gold is in the rows themselves (the labelled corpus: `intent`, `also`, `date`, `time`,
`lang` — the row's `lang` is then an answer, not given to the parser) or in `--gold` (a shared-set gold file, matched
by `id`).

A line that cannot be parsed as JSON is reported on stderr and skipped; a line with a readable id but bad fields
gets an output line with null values, so one bad row never stops the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

__all__ = ["answer", "main"]


async def _row(obj: dict[str, Any], catalog: Any, stage2: Any, prior: bool = True) -> dict[str, Any]:
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
    lang = obj.get("lang") if prior and isinstance(obj.get("lang"), str) else None
    ctx = ParseContext(today=today, timezone=zone, expecting=expecting, lang=lang)
    result = await understand(text, ctx, catalog, company_id="eval", stage2=stage2)
    parsed = result.parsed
    names = {e.id: e.name for e in (*catalog.services, *catalog.staff)} if parsed.staff_id or parsed.service_id else {}
    return {
        "id": obj["id"],
        "intent": parsed.intent.value,
        "date": _day(parsed, today),
        "time": parsed.time.strftime("%H:%M") if parsed.time else None,
        "staff": names.get(parsed.staff_id) if parsed.staff_id else None,
        "service": names.get(parsed.service_id) if parsed.service_id else None,
        "lang": parsed.lang,
        "p": parsed.confidence,  # the intent's calibrated probability
        "sure": not parsed.unsure,  # False: stage 1 hands the line to stage 2 (or the bot asks)
        "stage": result.decided_by.value,  # which stage decided this line
        "why": result.why.value,
    }


def _day(parsed: Any, today: date) -> str | None:
    """The day the message asks for, or None: a period ("next week", "in April") names no single day (the dialogue
    keeps it as `parsed.period` and searches it), nor does a recurrence ("every Monday"), nor a day already passed
    ("who won yesterday?", "I was there yesterday": no appointment can be on it; the dialogue still gets it as
    `parsed.date` and says that day has passed)."""
    if parsed.date is not None and parsed.date >= today:
        return str(parsed.date.isoformat())
    return None


def _rows(stdin: TextIO, stderr: TextIO) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict) or "id" not in obj:
                raise ValueError("not an object with an id")
        except ValueError as exc:
            print(f"line {number}: skipped: {exc}", file=stderr)
            continue
        yield obj


async def _safe_row(
    obj: dict[str, Any], catalog: Any, stage2: Any, stderr: TextIO, prior: bool = True
) -> dict[str, Any]:
    try:
        return await _row(obj, catalog, stage2, prior)
    except Exception as exc:  # one bad row must not stop the run
        print(f"id {obj.get('id')!r}: {type(exc).__name__}: {exc}", file=stderr)
        return {"id": obj["id"], "intent": "other", "date": None, "time": None, "staff": None, "service": None,
                "lang": None, "p": 0.0, "sure": False, "stage": None, "why": None}  # fmt: skip


async def answer(obj: dict[str, Any], catalog: Any, stage2: Any = None, *, prior: bool = True) -> dict[str, Any]:
    """The output line of one input row (a bad row gets null values, as `booking-bot parse` prints it); with
    `prior`, the row's `lang` is given to the parser as the conversation's language."""
    return await _safe_row(obj, catalog, stage2, sys.stderr, prior)


async def run(stdin: TextIO, stdout: TextIO, stderr: TextIO, catalog: Any, stage2: Any = None) -> int:
    for obj in _rows(stdin, stderr):
        out = await _safe_row(obj, catalog, stage2, stderr)
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


async def run_report(
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    catalog: Any,
    stage2: Any = None,
    shared: dict[str, dict[str, Any]] | None = None,
    as_json: bool = False,
) -> int:
    """The figures of `--report` (see the module docstring); `shared`: a shared set's gold rows by id."""
    from booking_bot.nlu.report import Outcome, gold_of, render, tally

    triples = []
    for obj in _rows(stdin, stderr):
        labelled = "intent" in obj  # a corpus row carries its gold; its `lang` is the answer, not a prior
        if not labelled and (shared is None or obj["id"] not in shared):
            continue
        out = await _safe_row(obj, catalog, stage2, stderr, prior=not labelled)
        gold = gold_of(obj) if labelled or shared is None else gold_of(obj, shared[obj["id"]])
        outcome = Outcome(out["intent"], out["date"], out["time"], out["lang"], float(out["p"]), bool(out["sure"]))
        triples.append((gold.lang or ("set" if shared else out["lang"]) or "-", gold, outcome))
    groups = tally(triples)
    if as_json:
        stdout.write(json.dumps({name: counts.figures() for name, counts in groups.items()}) + "\n")
    else:
        stdout.write(render(groups) + "\n")
    return 0 if triples else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booking-bot parse", description="Stage-1 parser over JSON lines.")
    parser.add_argument("--catalog", help="catalog JSON file ({services: [...], staff: [...]})")
    parser.add_argument("--report", action="store_true", help="print accuracy, calibration and stage-2 share instead")
    parser.add_argument("--gold", help="with --report: the gold file of a shared evaluation set (matched by id)")
    parser.add_argument("--json", action="store_true", help="with --report: one JSON object per group")
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
    shared: dict[str, dict[str, Any]] | None = None
    if args.gold:
        try:
            lines = Path(args.gold).read_text(encoding="utf-8").splitlines()
            shared = {row["id"]: row for row in map(json.loads, filter(str.strip, lines))}
        except (OSError, ValueError, KeyError) as exc:
            print(f"cannot read gold {args.gold}: {exc}", file=sys.stderr)
            return 2
    return asyncio.run(_run_with_stage2(catalog, args, shared))


async def _run_with_stage2(catalog: Any, args: argparse.Namespace, shared: dict[str, dict[str, Any]] | None) -> int:
    """Stage 2 as configured (BOOKING_BOT_LLM_*): off unless a provider is set."""
    from booking_bot.settings import Settings
    from integrations.llm.factory import build_stage2

    providers = build_stage2(Settings())
    stage2 = providers.for_company("eval")
    try:
        if args.report:
            return await run_report(sys.stdin, sys.stdout, sys.stderr, catalog, stage2, shared, args.json)
        return await run(sys.stdin, sys.stdout, sys.stderr, catalog, stage2)
    finally:
        await providers.close()


if __name__ == "__main__":
    raise SystemExit(main())
