#!/usr/bin/env python3
"""Date and time accuracy of `booking-bot parse` on the labelled corpus (booking_bot/nlu/corpus/*.jsonl).

    .venv/bin/python scripts/score_corpus.py [--split train|dev|all] [--lang en,ru] [--errors] [--cmd CMD]

Runs the parse command once over every chosen row (with `lang: null`: the gold language is an answer, not an
input) and prints per language and split: date accuracy over the rows whose gold date is set, date false positives
over the rows whose gold date is null, and the same for time. With `--errors`, every wrong row follows, with its
text, `today`, `expecting`, the gold and the output.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "booking_bot" / "nlu" / "corpus"
LANGS = ("en", "ru", "pt", "es")
DEFAULT_CMD = f"{ROOT / '.venv' / 'bin' / 'booking-bot'} parse --catalog {CORPUS / 'catalog.json'}"


@dataclass
class Tally:
    """Counts of one field (date or time) in one file."""

    right: int = 0
    named: int = 0  # rows whose gold value is set
    false_pos: int = 0
    unnamed: int = 0  # rows whose gold value is null
    wrong: list[tuple[str, dict[str, Any], Any]] = field(default_factory=list)

    def add(self, row: dict[str, Any], gold: Any, got: Any, what: str) -> None:
        """Count one row; keep it when the output is wrong."""
        if gold is None:
            self.unnamed += 1
            if got is not None:
                self.false_pos += 1
                self.wrong.append((f"{what} FP", row, got))
        else:
            self.named += 1
            if got == gold:
                self.right += 1
            else:
                self.wrong.append((what, row, got))

    def line(self) -> str:
        """'96.12 % (198/206)  FP 1.03 % (3/291)'."""
        acc = 100.0 * self.right / self.named if self.named else 100.0
        fp = 100.0 * self.false_pos / self.unnamed if self.unnamed else 0.0
        return f"{acc:6.2f} % ({self.right}/{self.named})  FP {fp:5.2f} % ({self.false_pos}/{self.unnamed})"


def _rows(lang: str, split: str) -> list[dict[str, Any]]:
    path = CORPUS / f"{lang}.{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _parse(cmd: str, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keys = ("id", "text", "today", "tz", "expecting")
    lines = "".join(json.dumps({**{k: r[k] for k in keys}, "lang": None}, ensure_ascii=False) + "\n" for r in rows)
    done = subprocess.run(shlex.split(cmd), input=lines, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{cmd} exited {done.returncode}: {done.stderr[-2000:]}")
    out = (json.loads(line) for line in done.stdout.splitlines() if line.strip())
    return {o["id"]: o for o in out}


def main() -> int:
    """Score the chosen files and print the table (and the wrong rows)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("train", "dev", "all"), default="all")
    ap.add_argument("--lang", default=",".join(LANGS), help="comma-separated languages (default: all four)")
    ap.add_argument("--errors", action="store_true", help="list every wrong row")
    ap.add_argument("--cmd", default=DEFAULT_CMD, help="the parse command (JSON lines in, JSON lines out)")
    args = ap.parse_args()
    splits = ("train", "dev") if args.split == "all" else (args.split,)
    files = [(lang, split) for split in splits for lang in args.lang.split(",")]
    rows = {f: _rows(*f) for f in files}
    out = _parse(args.cmd, [r for file_rows in rows.values() for r in file_rows])
    tallies: dict[tuple[str, str], tuple[Tally, Tally]] = {}
    for f, file_rows in rows.items():
        dates, times = tallies[f] = (Tally(), Tally())
        for row in file_rows:
            got = out.get(row["id"], {})
            dates.add(row, row["date"], got.get("date"), "date")
            times.add(row, row["time"], got.get("time"), "time")
    print(f"{'file':10} {'date accuracy':>20}  {'date FP':>20}   {'time accuracy':>20}  {'time FP':>20}")
    for (lang, split), (dates, times) in tallies.items():
        print(f"{lang}.{split:6} {dates.line()}   {times.line()}")
    if args.errors:
        for pair in tallies.values():
            for what, row, got in (w for tally in pair for w in tally.wrong):
                gold = row[what.split()[0]]
                print(
                    f"{row['id']} [{what}] gold={gold} got={got} today={row['today']} "
                    f"exp={row['expecting']} | {row['text']}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
