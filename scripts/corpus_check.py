#!/usr/bin/env python3
"""Check the labelled corpus (booking_bot/nlu/corpus/*.jsonl): schema, ids, labels, dates, catalog names.

    python3 scripts/corpus_check.py [FILE ...]      (default: every corpus file)

Prints one line per problem and a summary per file (rows, intents, expecting, languages); exits 1 on problems.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

CORPUS = Path(__file__).resolve().parent.parent / "booking_bot" / "nlu" / "corpus"
INTENTS = {"book", "availability", "prices", "my_bookings", "cancel", "reschedule", "affirm", "deny",
           "alternatives", "info", "greet", "thanks", "goodbye", "handoff", "other"}  # fmt: skip
EXPECTING = {None, "confirm", "choice", "date", "time", "service", "staff"}
FIELDS = {"id", "text", "today", "tz", "expecting", "lang", "intent", "also", "date", "time", "service", "staff"}
ID = re.compile(r"^(en|ru|pt|es)\.(train|dev)\.\d{4}$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check(path: Path, names: dict[str, set[str]], seen_ids: set[str], seen_texts: dict[str, str]) -> int:
    problems = 0
    intents: collections.Counter[str] = collections.Counter()
    expecting: collections.Counter[str] = collections.Counter()
    rows = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"

        def bad(what: str, where: str = where) -> None:
            nonlocal problems
            problems += 1
            print(f"{where}: {what}")

        try:
            row = json.loads(line)
        except ValueError as exc:
            bad(f"not JSON: {exc}")
            continue
        rows += 1
        if set(row) != FIELDS:
            bad(f"fields differ: missing {sorted(FIELDS - set(row))}, extra {sorted(set(row) - FIELDS)}")
            continue
        if not isinstance(row["id"], str) or not ID.match(row["id"]) or row["id"] in seen_ids:
            bad(f"bad or repeated id {row['id']!r}")
        seen_ids.add(row["id"])
        lang, split = path.name.split(".")[:2]
        if isinstance(row["id"], str) and not row["id"].startswith(f"{lang}.{split}."):
            bad(f"id {row['id']} does not match the file")
        if not isinstance(row["text"], str) or not row["text"].strip():
            bad("empty text")
        else:
            key = lang + ":" + " ".join(row["text"].lower().split())
            if key in seen_texts:
                bad(f"same text as {seen_texts[key]}")
            seen_texts.setdefault(key, row["id"])
        try:
            today = dt.date.fromisoformat(row["today"])
            ZoneInfo(row["tz"])
        except (TypeError, ValueError, KeyError) as exc:
            bad(f"bad today/tz: {exc}")
            today = None
        if row["expecting"] not in EXPECTING:
            bad(f"bad expecting {row['expecting']!r}")
        if row["lang"] != lang:
            bad(f"lang {row['lang']!r} in the {lang} file")
        if row["intent"] not in INTENTS:
            bad(f"bad intent {row['intent']!r}")
        if not isinstance(row["also"], list) or any(a not in INTENTS or a == row["intent"] for a in row["also"]):
            bad(f"bad also {row['also']!r}")
        if row["date"] is not None:
            try:
                day = dt.date.fromisoformat(row["date"])
                if today is not None and not (today <= day <= today + dt.timedelta(days=400)):
                    bad(f"date {day} not within a year after today {today}")
            except (TypeError, ValueError):
                bad(f"bad date {row['date']!r}")
        if row["time"] is not None and (not isinstance(row["time"], str) or not TIME.match(row["time"])):
            bad(f"bad time {row['time']!r}")
        for field in ("service", "staff"):
            if row[field] is not None and row[field] not in names[field]:
                bad(f"{field} {row[field]!r} is not a catalog name")
        intents[row["intent"]] += 1
        expecting[str(row["expecting"])] += 1
    print(f"== {path.name}: {rows} rows, {problems} problems")
    print("   intents: " + ", ".join(f"{k} {v}" for k, v in intents.most_common()))
    print("   expecting: " + ", ".join(f"{k} {v}" for k, v in expecting.most_common()))
    return problems


def main(argv: list[str]) -> int:
    catalog = json.loads((CORPUS / "catalog.json").read_text(encoding="utf-8"))
    names = {
        "service": {s["name"] for s in catalog["services"]},
        "staff": {s["name"] if isinstance(s, dict) else s for s in catalog["staff"]},
    }
    files = [Path(a) for a in argv] or sorted(CORPUS.glob("*.jsonl"))
    seen_ids: set[str] = set()
    seen_texts: dict[str, str] = {}
    problems = sum(check(path, names, seen_ids, seen_texts) for path in files)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
