#!/usr/bin/env python3
"""Play the conversation suite (tests/flows/scenarios) and print pass^1 and pass^k, per backend and per language.

    .venv/bin/python scripts/flows_report.py [--only PREFIX] [--lang en] [--backend builtin] [--failures]
                                             [--json FILE] [--write docs/flows.md] [--jobs N]

Every scenario is played in each language it is written in, on both scheduling backends, once per paraphrase
(k = 4). pass^1 is the share of single runs that pass; pass^k the share of (scenario, language, backend) cells
whose k runs all pass — the figure tests/flows/test_pass_k.py asserts is 100 %. `--failures` prints each failing
run's step and transcript; `--write` rewrites the figures section of docs/flows.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from integrations.scheduling.builtin.demo_salon import DEMO_SERVICES, DEMO_STAFF  # noqa: E402
from tests.flows.scenarios import all_scenarios  # noqa: E402
from tests.flows.scenarios.framework import BACKENDS, LANGUAGES, K, play  # noqa: E402

BEGIN, END = "<!-- flows_report:begin -->", "<!-- flows_report:end -->"


def _play_cells(cells: list[tuple[str, str, str]]) -> list[dict[str, object]]:
    """Play (scenario, language, backend) cells in this process; one record per run."""
    by_name = {s.name: s for s in all_scenarios()}

    async def main() -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        with tempfile.TemporaryDirectory() as tmp:
            for name, language, backend in cells:
                for index in range(K):
                    run = await play(by_name[name], language, backend, index, Path(tmp))
                    out.append(
                        {
                            "scenario": name,
                            "language": language,
                            "backend": backend,
                            "index": index,
                            "ok": run.ok,
                            "failure": run.failure,
                            "transcript": run.transcript,
                        }
                    )
        return out

    return asyncio.run(main())


def _share(passed: int, total: int) -> str:
    return f"{passed}/{total} ({100 * passed / total:.1f} %)" if total else "–"


def summarize(runs: list[dict[str, object]]) -> tuple[list[str], dict[str, object]]:
    cells: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for r in runs:
        cells[(str(r["scenario"]), str(r["language"]), str(r["backend"]))].append(bool(r["ok"]))
    lines = ["| | runs passed (pass^1) | cells passed in all k runs (pass^4) |", "|---|---|---|"]
    figures: dict[str, object] = {}

    def row(label: str, keep: object) -> None:
        chosen = {c: oks for c, oks in cells.items() if keep(c)}  # type: ignore[operator]
        runs_ok = sum(sum(oks) for oks in chosen.values())
        runs_all = sum(len(oks) for oks in chosen.values())
        cells_ok = sum(all(oks) for oks in chosen.values())
        lines.append(f"| {label} | {_share(runs_ok, runs_all)} | {_share(cells_ok, len(chosen))} |")
        figures[label] = {"runs": runs_all, "runs_passed": runs_ok, "cells": len(chosen), "cells_passed": cells_ok}

    for backend in BACKENDS:
        row(f"backend {backend}", lambda c, b=backend: c[2] == b)
    for language in LANGUAGES:
        row(f"language {language}", lambda c, lang=language: c[1] == lang)
    row("all", lambda c: True)
    return lines, figures


def same_answers(runs: list[dict[str, object]]) -> list[str]:
    """Cells whose pass/fail differs between the two backends (the suite wants the same answers on both)."""
    verdict: dict[tuple[str, str, int], dict[str, bool]] = defaultdict(dict)
    for r in runs:
        verdict[(str(r["scenario"]), str(r["language"]), int(str(r["index"])))][str(r["backend"])] = bool(r["ok"])
    return [f"{s} [{lang}] #{i + 1}" for (s, lang, i), v in sorted(verdict.items()) if len(set(v.values())) > 1]


def different_replies(runs: list[dict[str, object]]) -> list[str]:
    """Runs whose replies differ, word for word, between the two backends (the same salon on both)."""
    said: dict[tuple[str, str, int], dict[str, object]] = defaultdict(dict)
    for r in runs:
        said[(str(r["scenario"]), str(r["language"]), int(str(r["index"])))][str(r["backend"])] = r["transcript"]
    return [f"{s} [{lang}] #{i + 1}" for (s, lang, i), v in sorted(said.items()) if len(v) > 1 and _differ(v)]


def _differ(by_backend: dict[str, object]) -> bool:
    first, *rest = (_canonical(t) for t in by_backend.values())
    return any(other != first for other in rest)


def _canonical(transcript: object) -> str:
    """A transcript with the catalog's names as ids: the salon's YClients catalog has its names in one language,
    the built-in one in four, and the same reply names "Маникюр" on one and "Manicure" on the other."""
    text = "\n".join(transcript) if isinstance(transcript, list) else str(transcript)
    for name, ident in _NAMES:
        text = text.replace(name, ident)
    return text


_NAMES = sorted(
    {
        (name, f"<{entry.id}>")
        for entry in (*DEMO_SERVICES, *DEMO_STAFF)
        for name in (entry.name, *entry.names.values())
    },
    key=lambda pair: -len(pair[0]),  # "Women's haircut" before "Men's haircut"
)


def write_doc(
    path: Path, lines: list[str], scenarios: int, cells: int, differ: list[str], replies: list[str], seconds: float
) -> None:
    section = [
        BEGIN,
        f"As last printed by `scripts/flows_report.py` ({scenarios} scenarios, {cells} (scenario, language) cells, "
        f"k = {K}, both backends; {seconds:.0f} s on one machine):",
        "",
        *lines,
        "",
        f"Runs whose verdict differs between the built-in calendar and YClients: {len(differ)}; runs whose replies "
        f"differ in any word: {len(replies)}.",
        END,
    ]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Conversations, pass^k\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + "\n".join(section) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section) + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="scenarios whose name starts with this")
    parser.add_argument("--lang", choices=LANGUAGES)
    parser.add_argument("--backend", choices=BACKENDS)
    parser.add_argument("--failures", action="store_true", help="print every failing run")
    parser.add_argument("--json", type=Path, help="write every run's record here")
    parser.add_argument("--write", type=Path, help="rewrite the figures section of this markdown file")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), help="processes")
    args = parser.parse_args()

    scenarios = [s for s in all_scenarios() if s.name.startswith(args.only)]
    cells = [
        (s.name, lang, backend)
        for s in scenarios
        for lang in s.languages
        if args.lang in (None, lang)
        for backend in BACKENDS
        if args.backend in (None, backend)
    ]
    started = time.monotonic()
    jobs = max(1, min(args.jobs, len(cells)))
    chunks = [cells[i::jobs] for i in range(jobs)]
    runs: list[dict[str, object]] = []
    if jobs == 1:
        runs = _play_cells(cells)
    else:
        with ProcessPoolExecutor(jobs) as pool:
            for part in pool.map(_play_cells, chunks):
                runs += part
    seconds = time.monotonic() - started
    lines, figures = summarize(runs)
    differ = same_answers(runs)
    replies = different_replies(runs)
    if args.failures:
        for r in runs:
            if not r["ok"]:
                print(f"--- {r['scenario']} [{r['language']}, {r['backend']}] paraphrase {int(str(r['index'])) + 1}")
                print(r["failure"])
    print(f"{len(scenarios)} scenarios, {len({(c[0], c[1]) for c in cells})} cells, k = {K}, {seconds:.0f} s")
    print("\n".join(lines))
    print(f"runs whose verdict differs between backends: {len(differ)}; whose replies differ: {len(replies)}")
    for item in (differ + replies)[:20]:
        print(f"  {item}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "runs": runs}, ensure_ascii=False, indent=1))
    if args.write:
        cells_n = len({(c[0], c[1]) for c in cells})
        write_doc(args.write, lines, len(scenarios), cells_n, differ, replies, seconds)
    return 0 if all(r["ok"] for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
