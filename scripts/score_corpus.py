#!/usr/bin/env python3
"""Date and time accuracy of `booking-bot parse` on the labelled corpus (booking_bot/nlu/corpus/*.jsonl).

    .venv/bin/python scripts/score_corpus.py [--split train|dev|all] [--lang en,ru] [--errors] [--cmd CMD]

Runs the parse command once over every chosen row (with `lang: null`: the gold language is an answer, not an
input) and prints per language and split: date accuracy over the rows whose gold date is set, date false positives
over the rows whose gold date is null, and the same for time. With `--errors`, every wrong row follows, with its
text, `today`, `expecting`, the gold, the output and the language the parser detected.

A second table scores the catalog names and the language: `service` and `staff` (the catalog name, or null) and
`lang` twice — with `lang: null` (no prior: the language from the message alone) and, for the rows whose
`expecting` is set (a reply inside a conversation), with the gold language given as the conversation's language
so far. `--errors` lists those wrong rows too.
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
    wrong: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def add(self, row: dict[str, Any], out: dict[str, Any], what: str) -> None:
        """Count one row's `what` ("date" or "time"); keep the row when the output is wrong."""
        gold, got = row[what], out.get(what)
        if gold is None:
            self.unnamed += 1
            if got is not None:
                self.false_pos += 1
                self.wrong.append((f"{what} FP", row, out))
        else:
            self.named += 1
            if got == gold:
                self.right += 1
            else:
                self.wrong.append((what, row, out))

    def line(self) -> str:
        """'96.12 % (198/206)  FP 1.03 % (3/291)'."""
        acc = 100.0 * self.right / self.named if self.named else 100.0
        fp = 100.0 * self.false_pos / self.unnamed if self.unnamed else 0.0
        return f"{acc:6.2f} % ({self.right}/{self.named})  FP {fp:5.2f} % ({self.false_pos}/{self.unnamed})"


def _rows(lang: str, split: str) -> list[dict[str, Any]]:
    path = CORPUS / f"{lang}.{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _parse(cmd: str, rows: list[dict[str, Any]], prior: bool = False) -> dict[str, dict[str, Any]]:
    keys = ("id", "text", "today", "tz", "expecting")
    lines = "".join(
        json.dumps({**{k: r[k] for k in keys}, "lang": r["lang"] if prior else None}, ensure_ascii=False) + "\n"
        for r in rows
    )
    done = subprocess.run(shlex.split(cmd), input=lines, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{cmd} exited {done.returncode}: {done.stderr[-2000:]}")
    out = (json.loads(line) for line in done.stdout.splitlines() if line.strip())
    return {o["id"]: o for o in out}


def _share(right: int, total: int) -> str:
    return f"{100.0 * right / total:6.2f} % ({right}/{total})" if total else "–"


def _names_table(
    rows: dict[tuple[str, str], list[dict[str, Any]]], out: dict[str, dict[str, Any]], primed: dict[str, dict[str, Any]]
) -> list[str]:
    """Print language, service and staff accuracy per file; return the wrong rows' lines."""
    print(f"\n{'file':10} {'lang (no prior)':>22} {'lang (replies+prior)':>22} {'service':>22} {'staff':>22}")
    wrong: list[str] = []
    for (lang, split), file_rows in rows.items():
        replies = [r for r in file_rows if r["expecting"] is not None]
        cells = []
        for what, got, subset, name in (
            ("lang", out, file_rows, "lang"),
            ("lang+prior", primed, replies, "lang"),
            ("service", out, file_rows, "service"),
            ("staff", out, file_rows, "staff"),
        ):
            bad = [r for r in subset if got.get(r["id"], {}).get(name) != r[name]]
            cells.append(_share(len(subset) - len(bad), len(subset)))
            wrong.extend(
                f"{r['id']} [{what}] gold={r[name]} got={got.get(r['id'], {}).get(name)} exp={r['expecting']} "
                f"| {r['text']}"
                for r in bad
            )
        print(f"{lang}.{split:6} " + " ".join(f"{c:>22}" for c in cells))
    return wrong


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
            dates.add(row, got, "date")
            times.add(row, got, "time")
    print(f"{'file':10} {'date accuracy':>20}  {'date FP':>20}   {'time accuracy':>20}  {'time FP':>20}")
    for (lang, split), (dates, times) in tallies.items():
        print(f"{lang}.{split:6} {dates.line()}   {times.line()}")
    primed = _parse(args.cmd, [r for file_rows in rows.values() for r in file_rows if r["expecting"]], prior=True)
    names_wrong = _names_table(rows, out, primed)
    if args.errors:
        print("\n".join(names_wrong))
        for pair in tallies.values():
            for what, row, got in (w for tally in pair for w in tally.wrong):
                field_name = what.split()[0]
                print(
                    f"{row['id']} [{what}] gold={row[field_name]} got={got.get(field_name)} today={row['today']} "
                    f"exp={row['expecting']} lang={got.get('lang')} | {row['text']}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
