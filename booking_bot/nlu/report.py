"""Scoring stage 1 against gold: the figures `booking-bot parse --report` prints and docs/parser.md records.

A gold row is either one of the labelled corpus (booking_bot/nlu/corpus: `intent`, `also`, `date`, `time`, `lang`
in the row itself) or one of the shared evaluation sets (a separate gold file: `accept_intents`, `has_date_span` +
`date`, `has_time_span` + `time`). Per language and overall:

- intent accuracy: the output intent is one of the row's accepted intents (rows with accepted intents only);
- date / time accuracy: over the rows whose gold names a day / a clock time; false positives over the others;
- ECE: expected calibration error of the intent's probability, 15 equal bins;
- confidently wrong: a wrong intent marked sure, as a share of the rows scored for intent;
- to stage 2: the share of all rows stage 1 marks unsure (they go to the LLM when one is configured).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Gold", "Outcome", "Tally", "gold_of", "render", "sgd_half", "tally"]

ECE_BINS = 15


def sgd_half(row_id: str) -> str:
    """The half ("A" or "B") of a shared SGD row, by a fixed hash of its dialogue ("sgd:train:28_00089:4":
    "28_00089"): the intent model trains on half A; half B is held out."""
    dialogue = row_id.split(":")[2]
    return "A" if hashlib.sha256(dialogue.encode()).digest()[0] % 2 == 0 else "B"


@dataclass(frozen=True)
class Gold:
    """What a row's answer should be; None where the row does not score it."""

    intents: frozenset[str] | None
    date: str | None
    has_date: bool | None  # None: the row does not score dates
    time: str | None
    has_time: bool | None
    lang: str | None


@dataclass(frozen=True)
class Outcome:
    """What stage 1 (or stage 2) answered for one row."""

    intent: str
    date: str | None
    time: str | None
    lang: str | None
    p: float
    sure: bool


def gold_of(row: Mapping[str, Any], shared: Mapping[str, Any] | None = None) -> Gold:
    """The gold of a corpus row (its own fields) or of a shared-set row (`shared`: its line of the gold file). As the
    shared sets' scorer does, a row answering a question for the day (or time), or naming a day for another domain,
    is not counted as a false positive for that field."""
    if shared is None:
        intents = frozenset([row["intent"], *row.get("also", ())])
        return Gold(intents, row.get("date"), True, row.get("time"), True, row.get("lang"))
    accept = shared.get("accept_intents")
    has_date = bool(shared.get("has_date_span")) if "has_date_span" in shared else None
    has_time = bool(shared.get("has_time_span")) if "has_time_span" in shared else None
    if has_date is False and (row.get("expecting") == "date" or shared.get("other_date_span")):
        has_date = None
    if has_time is False and (row.get("expecting") == "time" or shared.get("other_time_span")):
        has_time = None
    return Gold(
        intents=frozenset(accept) if isinstance(accept, list) else None,
        date=shared.get("date"),
        has_date=has_date,
        time=shared.get("time"),
        has_time=has_time,
        lang=shared.get("lang"),
    )


@dataclass
class Tally:
    rows: int = 0
    intent_rows: int = 0
    intent_right: int = 0
    confidently_wrong: int = 0
    unsure: int = 0
    date_rows: int = 0
    date_right: int = 0
    date_free: int = 0
    date_fp: int = 0
    time_rows: int = 0
    time_right: int = 0
    time_free: int = 0
    time_fp: int = 0
    lang_rows: int = 0
    lang_right: int = 0
    bins: list[list[float]] = field(default_factory=lambda: [[0.0, 0.0, 0.0] for _ in range(ECE_BINS)])

    def add(self, gold: Gold, out: Outcome) -> None:
        self.rows += 1
        self.unsure += not out.sure
        if gold.intents is not None:
            right = out.intent in gold.intents
            self.intent_rows += 1
            self.intent_right += right
            self.confidently_wrong += out.sure and not right
            cell = self.bins[min(int(out.p * ECE_BINS), ECE_BINS - 1)]
            cell[0] += 1
            cell[1] += out.p
            cell[2] += right
        if gold.has_date is not None:
            if gold.date is not None and gold.has_date:
                self.date_rows += 1
                self.date_right += out.date == gold.date
            else:
                self.date_free += 1
                self.date_fp += out.date is not None
        if gold.has_time is not None:
            if gold.time is not None and gold.has_time:
                self.time_rows += 1
                self.time_right += out.time == gold.time
            else:
                self.time_free += 1
                self.time_fp += out.time is not None
        if gold.lang is not None:
            self.lang_rows += 1
            self.lang_right += out.lang == gold.lang

    @property
    def ece(self) -> float:
        total = sum(cell[0] for cell in self.bins)
        if not total:
            return 0.0
        return sum(abs(cell[1] - cell[2]) for cell in self.bins if cell[0]) / total

    def figures(self) -> dict[str, float | int | None]:
        def share(part: int, whole: int) -> float | None:
            return round(100 * part / whole, 2) if whole else None

        return {
            "rows": self.rows,
            "intent": share(self.intent_right, self.intent_rows),
            "date": share(self.date_right, self.date_rows),
            "date_fp": share(self.date_fp, self.date_free),
            "time": share(self.time_right, self.time_rows),
            "time_fp": share(self.time_fp, self.time_free),
            "lang": share(self.lang_right, self.lang_rows),
            "ece": round(100 * self.ece, 2),
            "confidently_wrong": share(self.confidently_wrong, self.intent_rows),
            "to_stage2": share(self.unsure, self.rows),
        }


def tally(pairs: Iterable[tuple[str, Gold, Outcome]]) -> dict[str, Tally]:
    """(group, gold, outcome) triples → a tally per group, and "all"."""
    groups: dict[str, Tally] = {}
    for group, gold, out in pairs:
        for name in (group, "all"):
            groups.setdefault(name, Tally()).add(gold, out)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == "all", kv[0])))


COLUMNS = ("rows", "intent", "date", "date_fp", "time", "time_fp", "lang", "ece", "confidently_wrong", "to_stage2")


def render(groups: Mapping[str, Tally]) -> str:
    """The table `booking-bot parse --report` prints (percentages; "-" where nothing was scored)."""
    head = f"{'':8}" + "".join(f"{c:>18}" for c in COLUMNS)
    lines = [head]
    for name, counts in groups.items():
        figures = counts.figures()
        cells = []
        for column in COLUMNS:
            value = figures[column]
            cells.append(f"{'-' if value is None else (value if column == 'rows' else f'{value:.2f} %'):>18}")
        lines.append(f"{name:8}" + "".join(cells))
    return "\n".join(lines)
