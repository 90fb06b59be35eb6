"""Stage-1 parser throughput on one core, and a dateparser baseline (parse only, no I/O).

    .venv/bin/python scripts/bench_parser.py [--eval-dir ../shared/eval] [--runs 5] [--baseline-limit N]

The process pins itself to one CPU (`os.sched_setaffinity`) and counts CPU time, not wall time, so other work on
a shared machine disturbs the figure less; each set is parsed `--runs` times after a warm-up pass (the catalog
indexes and the word caches filled, the intent model loaded) and the best run is reported. The sets: the corpus
dev files of the four languages (booking_bot/nlu/corpus, with its catalog), the shared SGD dev inputs (with the SGD
catalog of 801 providers) and the Spanish MTOD inputs (no catalog). `--baseline-limit 0` skips the dateparser
baseline (a dev dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from booking_bot.domain import Catalog, Expecting, ParseContext
from booking_bot.nlu import catalog_from_json, parse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "booking_bot" / "nlu" / "corpus"
LANGS = ("en", "ru", "pt", "es")

Rows = list[tuple[str, ParseContext]]


def _context(obj: dict[str, object]) -> ParseContext:
    raw = obj.get("expecting")
    expecting = Expecting(raw) if isinstance(raw, str) and raw else None
    return ParseContext(
        today=date.fromisoformat(str(obj["today"])), timezone=str(obj.get("tz") or "UTC"), expecting=expecting
    )


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sets(eval_dir: Path | None) -> dict[str, tuple[Rows, Catalog]]:
    """The benchmark's sets: name -> (text and context of each row, catalog)."""
    out: dict[str, tuple[Rows, Catalog]] = {}
    corpus_catalog = catalog_from_json(json.loads((CORPUS / "catalog.json").read_text(encoding="utf-8")))
    corpus = [(str(o["text"]), _context(o)) for lang in LANGS for o in _jsonl(CORPUS / f"{lang}.dev.jsonl")]
    out["corpus dev"] = (corpus, corpus_catalog)
    if eval_dir is not None and (eval_dir / "sgd_dev.input.jsonl").exists():
        sgd_catalog = catalog_from_json(json.loads((eval_dir / "sgd_catalog.json").read_text(encoding="utf-8")))
        out["SGD dev"] = (
            [(str(o["text"]), _context(o)) for o in _jsonl(eval_dir / "sgd_dev.input.jsonl")],
            sgd_catalog,
        )
        mtod = [(str(o["text"]), _context(o)) for o in _jsonl(eval_dir / "mtod_es_dev.input.jsonl")]
        out["MTOD es dev"] = (mtod, catalog_from_json(None))
    return out


def one_core() -> int | None:
    """Pin this process to one CPU (the first it may use); its number, or None where that is not possible."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError):
        return None
    return cpu


def speed(rows: Sequence[tuple[str, ParseContext]], catalog: Catalog, runs: int = 5) -> float:
    """Messages per CPU second of `parse`, the best of `runs` passes after a warm-up pass."""
    for text, ctx in rows:
        parse(text, ctx, catalog)
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        for text, ctx in rows:
            parse(text, ctx, catalog)
        best = min(best, time.process_time() - start)
    return len(rows) / best if best > 0 else float("inf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-limit", type=int, default=2000, help="rows for the (slow) dateparser baseline")
    args = ap.parse_args()
    cpu = one_core()
    print(f"one core: {'CPU ' + str(cpu) if cpu is not None else 'not pinned (no sched_setaffinity)'}")
    chosen = sets(args.eval_dir)
    ours = {}
    for name, (rows, catalog) in chosen.items():
        ours[name] = speed(rows, catalog, args.runs)
        print(f"stage-1 parse, {name}: {len(rows)} messages, {ours[name]:,.0f} messages/s (best of {args.runs})")
    if args.baseline_limit <= 0 or "SGD dev" not in chosen:
        return
    from dateparser.search import search_dates

    sample = chosen["SGD dev"][0][: args.baseline_limit]
    search_dates("warm up at 5 pm tomorrow")
    start = time.process_time()
    for text, ctx in sample:
        search_dates(text, settings={"RELATIVE_BASE": datetime.combine(ctx.today, dtime())})
    base = len(sample) / (time.process_time() - start)
    print(f"dateparser.search.search_dates baseline: {len(sample)} SGD messages, {base:,.0f} messages/s")
    print(f"speed-up on SGD: {ours['SGD dev'] / base:,.1f}x")


if __name__ == "__main__":
    main()
