"""Stage-1 parser throughput on one core vs a dateparser baseline, over the eval inputs (parse only, no I/O).

.venv/bin/python scripts/bench_parser.py [--eval-dir /work/shared/eval] [--baseline-limit N]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from booking_bot.domain import Expecting, ParseContext
from booking_bot.nlu import catalog_from_json, parse


def _load(eval_dir: Path) -> list[tuple[str, ParseContext]]:
    rows: list[tuple[str, ParseContext]] = []
    for name in ("sgd_dev.input.jsonl", "mtod_es_dev.input.jsonl"):
        with (eval_dir / name).open(encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                expecting = Expecting(obj["expecting"]) if obj.get("expecting") else None
                ctx = ParseContext(today=date.fromisoformat(obj["today"]), expecting=expecting, lang=obj.get("lang"))
                rows.append((obj["text"], ctx))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-dir", default="/work/shared/eval")
    ap.add_argument("--baseline-limit", type=int, default=2000, help="rows for the (slow) dateparser baseline")
    args = ap.parse_args()
    eval_dir = Path(args.eval_dir)
    rows = _load(eval_dir)
    catalog = catalog_from_json(json.loads((eval_dir / "sgd_catalog.json").read_text(encoding="utf-8")))
    parse(rows[0][0], rows[0][1], catalog)  # build the catalog index outside the timing

    start = time.perf_counter()
    for text, ctx in rows:
        parse(text, ctx, catalog)
    ours = len(rows) / (time.perf_counter() - start)
    print(f"stage-1 parse: {len(rows)} utterances, {ours:,.0f} utterances/s (one core)")

    from dateparser.search import search_dates

    sample = rows[: args.baseline_limit]
    settings = {"RELATIVE_BASE": None}
    search_dates("warm up at 5 pm tomorrow")
    start = time.perf_counter()
    for text, ctx in sample:
        settings_now = dict(settings, RELATIVE_BASE=datetime.combine(ctx.today, dtime()))
        search_dates(text, settings=settings_now)
    base = len(sample) / (time.perf_counter() - start)
    print(f"dateparser.search.search_dates baseline: {len(sample)} utterances, {base:,.0f} utterances/s")
    print(f"speed-up: {ours / base:,.1f}x")


if __name__ == "__main__":
    main()
