"""Run every benchmark, chaos and fuzz run and write docs/results.md (figures, machine, date, commands).

    .venv/bin/python benchmarks/run_all.py [--quick] [--output docs/results.md]

Each run is its own process (its command is what the table cites); `--quick` runs small versions (a smoke test of
this script, not figures to publish); `--only scale fuzz` redoes those runs and keeps the others' figures (from
docs/results.json, written next to docs/results.md). Takes about 15 minutes on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.procs import ROOT, machine


@dataclass
class Run:
    name: str
    args: list[str]
    quick: list[str]


RUNS = [
    Run("pipeline", ["benchmarks/pipeline.py", "--workers", "2"], ["--messages", "800", "--half-seconds", "3"]),
    Run("scale", ["benchmarks/scale.py"], ["--companies", "50", "--chats", "2"]),
    Run("kill", ["benchmarks/chaos.py", "kill"], ["--conversations", "100", "--kills", "3", "--companies", "5"]),
    Run("redis", ["benchmarks/chaos.py", "redis"], ["--conversations", "60", "--restarts", "1", "--companies", "5"]),
    Run("duplicates", ["benchmarks/chaos.py", "duplicates"], ["--conversations", "20", "--companies", "5"]),
    Run("yclients", ["benchmarks/chaos.py", "yclients"], ["--conversations", "100"]),
    Run("fuzz", ["benchmarks/chaos.py", "fuzz"], ["--messages", "3000"]),
]


def execute(run: Run, quick: bool) -> tuple[dict[str, Any], str, float]:
    args = [*run.args, *(run.quick if quick else []), "--json"]
    began = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - began
    command = ".venv/bin/python " + " ".join(args[:-1])
    try:
        data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        data = {"ok": False, "text": f"no figures (exit {done.returncode}): {done.stderr[-2000:]}"}
    return data, command, seconds


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def summary(results: dict[str, tuple[dict[str, Any], str, float]]) -> list[str]:
    rows = ["| run | figure | target | measured | |", "|---|---|---|---|---|"]

    def row(run: str, figure: str, target: str, measured: object, ok: bool | None) -> None:
        rows.append(f"| {run} | {figure} | {target} | {measured} | {'' if ok is None else _mark(ok)} |")

    p = results["pipeline"][0]
    if p.get("pipeline_max"):
        row("pipeline", "floor: raw Dramatiq no-op round trip", "—", f"{p['floor_max']['throughput']} msg/s", None)
        row("pipeline", "pipeline throughput", "—", f"{p['pipeline_max']['throughput']} msg/s", None)
        row("pipeline", "ratio pipeline / floor", "≥ 0.4", p["ratio"], p["ratio"] >= 0.4)
        half = p["pipeline_half"]
        row(
            "pipeline",
            f"latency at half load ({p['half_rate']} msg/s) p50 / p95 / p99",
            "p99 ≤ 100 ms",
            f"{half['p50_ms']} / {half['p95_ms']} / {half['p99_ms']} ms",
            half["p99_ms"] <= 100,
        )
    s = results["scale"][0]
    if "kib_per_idle_company" in s:
        row("scale", f"{s['companies']} companies × {s['chats_per_company']} chats: memory per idle company",
            "reported", f"{s['kib_per_idle_company']} KiB (gateway {s['gateway_idle_mib']} MiB)", None)  # fmt: skip
        row("scale", "connect all / end-to-end load", "—",
            f"{s['connect_seconds']} s / {s['messages']} msgs at {s['messages_per_second']} msg/s", None)  # fmt: skip
        lost = s["lost_inbound"] + s["lost_replies"]
        row("scale", "lost / duplicated / double bookings", "0 / 0 / 0",
            f"{lost} / {s['duplicate_replies']} / {s['double_bookings']}", s["ok"])  # fmt: skip
    for name, label in (("kill", "worker SIGKILLs"), ("redis", "Redis restarts"), ("duplicates", "every message ×10")):
        k = results[name][0]
        if "lost_inbound" not in k:
            continue
        count = {"kill": k["worker_kills"], "redis": k["redis_restarts"], "duplicates": k["deliveries"]}[name]
        row(name, f"{label} ({count}) during {k['conversations']} conversations: lost inbound", "0",
            k["lost_inbound"], k["lost_inbound"] == 0)  # fmt: skip
        row(name, "double bookings", "0", k["double_bookings"], k["double_bookings"] == 0)
        row(name, "duplicate replies", "≤ 0.5 %", f"{k['duplicate_replies']} ({100 * k['duplicate_rate']:.2f} %)",
            k["duplicate_rate"] <= 0.005)  # fmt: skip
        row(name, "all settled without a human (every reply delivered)", "yes", "yes" if k["ok"] else "no", k["ok"])
    y = results["yclients"][0]
    if "double_bookings" in y:
        row("yclients", f"{y['conversations']} conversations, {y['faults']} faults in {y['requests']} requests: "
            "double bookings / false confirmations / untold records", "0 / 0 / 0",
            f"{y['double_bookings']} / {y['confirmations_without_record']} / {y['records_without_confirmation']}",
            y["ok"])  # fmt: skip
    f = results["fuzz"][0]
    if "crashes" in f:
        row("fuzz", f"{f['messages']} messages: crashes / unhandled errors / unexpected replies", "0 / 0 / 0",
            f"{f['crashes']} / {f['unhandled_errors']} / {f['unexpected_replies']}", f["ok"])  # fmt: skip
    return rows


def render(results: dict[str, tuple[dict[str, Any], str, float]], quick: bool) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - read-only
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines = [
        "# Results: load, scale, chaos and fuzz",
        "",
        "Generated by `.venv/bin/python benchmarks/run_all.py` — do not edit by hand; rerun it."
        + (" **Quick run (small sizes): not the published figures.**" if quick else ""),
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'} (plus the working tree)",
        f"- machine: {machine()}",
        "- Redis: a private redis-server 7 per run (AOF on for the system's in the chaos runs); SQLite store and "
        "built-in calendar in a temp dir; fake neonize clients; stage 1 only",
        "- where a message's time goes, what was changed, why the pipeline ratio is missed here: docs/performance.md",
        "",
        *summary(results),
        "",
        "## Each run",
        "",
    ]
    for name, (data, command, seconds) in results.items():
        lines += [f"### {name}", "", f"`{command}` ({seconds:.0f} s)", "", "```"]
        if name in ("pipeline", "scale"):
            lines.append(_format_typed(name, data))
        else:
            lines.append(str(data.get("text", "")))
        lines += ["```", ""]
    return "\n".join(lines)


def _format_typed(name: str, data: dict[str, Any]) -> str:
    if "text" in data:
        return str(data["text"])
    if name == "pipeline":
        from benchmarks.pipeline import Phase, PipelineFigures, format_figures

        phases = {
            k: Phase(**data[k]) if data.get(k) else None
            for k in ("floor_max", "pipeline_max", "floor_half", "pipeline_half")
        }
        kept = ("machine", "workers", "threads", "half_rate", "ratio", "rounds", "problems")
        rest = {k: v for k, v in data.items() if k in kept}
        return format_figures(PipelineFigures(**rest, **phases))
    from benchmarks.scale import ScaleFigures

    return ScaleFigures(**{k: v for k, v in data.items() if k != "ok"}).format()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "results.md")
    parser.add_argument(
        "--only", nargs="*", default=None, help="redo only these runs; the others' figures come from docs/results.json"
    )
    args = parser.parse_args()
    raw = args.output.with_suffix(".json")  # every run's figures, so `--only` can redo one and keep the rest
    results: dict[str, tuple[dict[str, Any], str, float]] = {}
    if args.only and raw.exists():
        results = {
            name: (data, command, seconds) for name, (data, command, seconds) in json.loads(raw.read_text()).items()
        }
    for run in RUNS:
        if args.only and run.name not in args.only:
            continue
        print(f"== {run.name}", flush=True)
        results[run.name] = execute(run, args.quick)
        data = results[run.name][0]
        print(data.get("text") or json.dumps(data)[:500], flush=True)
    for run in RUNS:
        results.setdefault(run.name, ({}, "not run", 0.0))
    results = {run.name: results[run.name] for run in RUNS}
    raw.write_text(json.dumps(results, indent=1))
    args.output.write_text(render(results, args.quick))
    print(f"wrote {args.output}")
    return 0 if all(data.get("ok") for data, _, _ in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
