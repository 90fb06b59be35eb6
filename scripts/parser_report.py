#!/usr/bin/env python3
"""Regenerate the figures of stage 1 (the "Figures" section of docs/parser.md) from the code as it is.

    .venv/bin/python scripts/parser_report.py [--eval-dir ../shared/eval] [--write] [--runs 5] [--json FILE]

Everything is measured here, nothing is copied from elsewhere:

- accuracy, per language on the corpus dev files (booking_bot/nlu/corpus, never trained on) and on the shared SGD
  dev set (half B, held out from training; half A, trained on; and the whole): intent, date and time accuracy and
  false positives, language, expected calibration error, confidently wrong and the share sent to stage 2 — every
  row answered as `booking-bot parse` answers it (booking_bot/nlu/evalcli.py, stage 2 off; a corpus row's `lang` is
  the answer, not given) and scored by booking_bot/nlu/report.py, the code behind `booking-bot parse --report`;
- the Spanish MTOD set's datetime detection, scored by the shared scorer (`score_parser.py --outputs`), and what it
  would be if a period ("esta semana") were printed as its first day, as `booking-bot parse` did before;
- speed: stage-1 messages per CPU second on one pinned core (scripts/bench_parser.py, best of `--runs`);
- memory: the growth of a fresh process's resident set (VmRSS) when it imports the worker's modules, and then loads
  stage 1's model and reads every benchmark row (the word caches full), measured in a child process.

Without `--write` the section is printed; with it, it replaces what stands between the two `figures` markers of
docs/parser.md. `--json FILE` also writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_parser import one_core, sets, speed  # noqa: E402

from booking_bot.domain import Catalog, Expecting, ParseContext  # noqa: E402
from booking_bot.nlu import catalog_from_json, parse  # noqa: E402
from booking_bot.nlu.classifier import classifier  # noqa: E402
from booking_bot.nlu.evalcli import answer  # noqa: E402
from booking_bot.nlu.report import Outcome, Tally, gold_of, sgd_half, tally  # noqa: E402

CORPUS = ROOT / "booking_bot" / "nlu" / "corpus"
DOC = ROOT / "docs" / "parser.md"
LANGS = ("en", "ru", "pt", "es")
START, END = "<!-- figures:start (scripts/parser_report.py) -->", "<!-- figures:end -->"

_MEMORY_PROBE = r"""
import json, sys
def rss():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
bare = rss()
import booking_bot.worker, booking_bot.composition, booking_bot.pipeline, booking_bot.jobs  # the worker's modules
imported = rss()
sys.path.insert(0, sys.argv[1])
from bench_parser import sets
from pathlib import Path
from booking_bot.nlu import parse
from booking_bot.nlu.classifier import classifier
chosen = sets(Path(sys.argv[2]) if sys.argv[2] else None)  # the rows to read: data of the probe, not of stage 1
data = rss()
classifier()
loaded = rss()
for rows, catalog in chosen.values():
    for text, ctx in rows:
        parse(text, ctx, catalog)
print(json.dumps({"bare": bare, "imported": imported, "data": data, "loaded": loaded, "after_reading": rss()}))
"""


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _answers(rows: list[dict[str, Any]], catalog: Catalog, *, prior: bool) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        return [await answer(row, catalog, prior=prior) for row in rows]

    return asyncio.run(run())


def _outcome(out: Mapping[str, Any]) -> Outcome:
    return Outcome(out["intent"], out["date"], out["time"], out["lang"], float(out["p"]), bool(out["sure"]))


def corpus_figures() -> dict[str, Tally]:
    """Per language on the dev files (and all four together), as `booking-bot parse --report` reads them."""
    catalog = catalog_from_json(json.loads((CORPUS / "catalog.json").read_text(encoding="utf-8")))
    triples = []
    for lang in LANGS:
        rows = _jsonl(CORPUS / f"{lang}.dev.jsonl")
        for row, out in zip(rows, _answers(rows, catalog, prior=False), strict=True):
            triples.append((f"{lang} dev", gold_of(row), _outcome(out)))
    groups = tally(triples)
    groups["dev, all four"] = groups.pop("all")
    return groups


def sgd_figures(eval_dir: Path) -> dict[str, Tally]:
    """The shared SGD dev set: half B (held out from training), half A (trained on) and the whole."""
    catalog = catalog_from_json(json.loads((eval_dir / "sgd_catalog.json").read_text(encoding="utf-8")))
    gold = {row["id"]: row for row in _jsonl(eval_dir / "sgd_dev.gold.jsonl")}
    rows = [row for row in _jsonl(eval_dir / "sgd_dev.input.jsonl") if row["id"] in gold]
    triples = []
    for row, out in zip(rows, _answers(rows, catalog, prior=True), strict=True):
        triples.append((f"SGD half {sgd_half(row['id'])}", gold_of(row, gold[row["id"]]), _outcome(out)))
    groups = tally(triples)
    groups["SGD whole"] = groups.pop("all")
    return groups


def mtod_figures(eval_dir: Path) -> dict[str, float]:
    """MTOD es dev: the shared scorer's datetime detection; and the F1 were a period printed as its first day."""
    rows = _jsonl(eval_dir / "mtod_es_dev.input.jsonl")
    outputs = _answers(rows, catalog_from_json(None), prior=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.jsonl"
        path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in outputs), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(eval_dir / "score_parser.py"), "--input", str(eval_dir / "mtod_es_dev.input.jsonl"),
             "--gold", str(eval_dir / "mtod_es_dev.gold.jsonl"), "--outputs", str(path), "--json"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    detection = json.loads(done.stdout.strip().splitlines()[-1])["datetime_detection"]
    gold = {row["id"]: bool(row["has_datetime"]) for row in _jsonl(eval_dir / "mtod_es_dev.gold.jsonl")}
    tp = fp = fn = 0
    empty = catalog_from_json(None)
    for row, out in zip(rows, outputs, strict=True):
        if row["id"] not in gold:
            continue
        ctx = ParseContext(today=date.fromisoformat(row["today"]), timezone=row.get("tz") or "UTC",
                           expecting=Expecting(row["expecting"]) if row.get("expecting") else None)  # fmt: skip
        said = out["date"] is not None or out["time"] is not None or parse(row["text"], ctx, empty).period is not None
        tp += said and gold[row["id"]]
        fp += said and not gold[row["id"]]
        fn += not said and gold[row["id"]]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {
        "precision": 100 * float(detection["precision"]),
        "recall": 100 * float(detection["recall"]),
        "f1": 100 * float(detection["f1"]),
        "f1_periods_as_days": 100 * 2 * precision * recall / (precision + recall),
        "recall_periods_as_days": 100 * recall,
    }


def speed_figures(eval_dir: Path | None, runs: int) -> dict[str, Any]:
    cpu = one_core()
    out: dict[str, Any] = {"cpu": cpu, "runs": runs}
    for name, (rows, catalog) in sets(eval_dir).items():
        out[name] = {"rows": len(rows), "per_s": speed(rows, catalog, runs)}
    return out


def memory_figures(eval_dir: Path | None) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(ROOT / "scripts"), str(eval_dir or "")],
        capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _pct(value: float | int | None) -> str:
    return "–" if value is None else f"{value:.2f} %"


def _table(groups: Iterable[tuple[str, Tally]]) -> list[str]:
    head = ("set", "rows", "intent", "date", "date FP", "time", "time FP", "language", "ECE", "confidently wrong",
            "to stage 2")  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, counts in groups:
        f = counts.figures()
        cells = [name, str(f["rows"]), *(_pct(f[k]) for k in ("intent", "date", "date_fp", "time", "time_fp", "lang",
                                                               "ece", "confidently_wrong", "to_stage2"))]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render(figures: Mapping[str, Any]) -> str:
    model = classifier()
    corpus: dict[str, Tally] = figures["corpus"]
    sgd: dict[str, Tally] = figures.get("sgd", {})
    lines = [
        f"Measured {figures['when']} on {figures['machine']} by `scripts/parser_report.py` (do not edit by hand: run "
        "it with `--write`). Stage 2 off: every line is stage 1's answer, as `booking-bot parse` prints it; a corpus "
        "row's language is not given to the parser (the conversation's language would carry short replies: with it "
        "the language is right on every reply of the dev files, `scripts/score_corpus.py`).",
        "",
        f"The model: threshold {model.threshold:.2f} (below it stage 1 is unsure and stage 2 is asked), temperature "
        f"{model.info.get('temperature')}, trained on "
        + ", ".join(f"{part} {n}" for part, n in model.info.get("trained_on", []))
        + " rows (`.typo`: the one-typo copies of the train rows).",
        "",
        "Targets (issue 17), per language and on SGD: intent ≥ 96 %, date and time ≥ 98 %, confidently wrong "
        "(a wrong intent marked sure) ≤ 2 %, to stage 2 (every line marked unsure, scored for intent or not) ≤ 15 %. "
        "Date and time accuracy count the rows whose gold names a day or a clock time; false positives, the rows "
        "whose gold names none. SGD has no language gold.",
        "",
        *_table([*corpus.items(), *sgd.items()]),
    ]
    mtod = figures.get("mtod")
    if mtod:
        lines += [
            "",
            f"MTOD es dev (Spanish alarms, reminders, weather; `score_parser.py`, no catalog): datetime detection "
            f"precision {mtod['precision']:.2f} %, recall {mtod['recall']:.2f} %, **F1 {mtod['f1']:.2f} %**. Were a "
            f"period printed as its first day (as before issue 17) it would be recall "
            f'{mtod["recall_periods_as_days"]:.2f} %, F1 {mtod["f1_periods_as_days"]:.2f} %: see "Periods are no '
            'day" above.',
        ]
    speed_ = figures["speed"]
    memory = figures["memory"]
    rows_read = sum(value["rows"] for value in speed_.values() if isinstance(value, Mapping))
    cells = ", ".join(
        f"{name} {value['per_s']:,.0f} messages/s ({value['rows']:,} rows)"
        for name, value in speed_.items()
        if isinstance(value, Mapping)
    )
    lines += [
        "",
        f"Speed, stage 1 alone (`parse`, one pinned core, CPU time, best of {speed_['runs']} runs after a warm-up, "
        f"`scripts/bench_parser.py`): {cells}. Target ≥ 2,000 messages/s.",
        "",
        f"Memory (VmRSS of a fresh process, `scripts/parser_report.py`): {memory['bare']:.1f} MiB bare; importing "
        f"the worker's modules (stage 1's code among them) +{memory['imported'] - memory['bare']:.1f} MiB; loading "
        f"the intent model +{memory['loaded'] - memory['data']:.1f} MiB; reading the {rows_read:,} benchmark rows "
        f"(the SGD catalog's index built, the word caches filled; they are bounded) "
        f"+{memory['after_reading'] - memory['loaded']:.1f} MiB. Stage 1's model and caches: "
        f"**+{memory['after_reading'] - memory['data']:.1f} MiB**; the worker's modules with them "
        f"+{memory['after_reading'] - memory['data'] + memory['imported'] - memory['bare']:.1f} MiB over a bare "
        "interpreter (target: at most ~150 MiB; the probe's own rows, "
        f"{memory['data'] - memory['imported']:.1f} MiB, not counted).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--write", action="store_true", help=f"replace the figures section of {DOC.relative_to(ROOT)}")
    ap.add_argument("--runs", type=int, default=5, help="timed passes per set (the best counts)")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    args = ap.parse_args(argv)
    eval_dir: Path | None = args.eval_dir if (args.eval_dir / "sgd_dev.input.jsonl").exists() else None
    if eval_dir is None:
        print(f"no shared eval set in {args.eval_dir}: corpus figures only", file=sys.stderr)
    figures: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()}-core {platform.machine()} ({platform.python_implementation()} "
        f"{platform.python_version()})",
        "corpus": corpus_figures(),
    }
    if eval_dir is not None:
        figures["sgd"] = sgd_figures(eval_dir)
        figures["mtod"] = mtod_figures(eval_dir)
    figures["memory"] = memory_figures(eval_dir)
    figures["speed"] = speed_figures(eval_dir, args.runs)
    section = render(figures)
    if args.json:
        plain = {
            k: ({n: t.figures() for n, t in v.items()} if k in ("corpus", "sgd") else v) for k, v in figures.items()
        }
        args.json.write_text(json.dumps(plain, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.write:
        print(section)
        return 0
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        print(f"{DOC}: no figures markers ({START} ... {END})", file=sys.stderr)
        return 2
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{section}\n{END}{tail}", encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: figures written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
