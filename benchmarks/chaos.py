"""The full chaos and fuzz runs (the CI subset is `tests/chaos/`). Each prints its figures; exit 1 when one fails.

    .venv/bin/python benchmarks/chaos.py kill      [--conversations 1000] [--kills 20]   worker SIGKILLs mid-load
    .venv/bin/python benchmarks/chaos.py redis     [--conversations 300] [--restarts 3]  Redis (AOF) restarted mid-load
    .venv/bin/python benchmarks/chaos.py duplicates [--conversations 200]                every message delivered ×10
    .venv/bin/python benchmarks/chaos.py yclients  [--conversations 1000]                30 % scheduling API faults
    .venv/bin/python benchmarks/chaos.py fuzz      [--messages 100000]                   hostile inbound messages

Every run uses its own redis-server(s) on free ports (the system's with AOF on, the fake WhatsApp's apart), one
gateway with fake neonize clients and two worker processes, as PM2 runs them (see tests/chaos/harness.py).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.procs import RedisServer


async def chaos(
    conversations: int, companies: int, kills: int = 0, restarts: int = 0, copies: int = 1, rate: float = 100.0
) -> tuple[str, bool, dict[str, object]]:
    from tests.chaos.harness import run_chaos

    base = Path(tempfile.mkdtemp(prefix="bb-chaos-run-"))
    with RedisServer(base / "redis") as system, RedisServer(base / "wa", aof=False) as whatsapp:
        figures = await run_chaos(
            system.url,
            whatsapp.url,
            companies=companies,
            conversations=conversations,
            workers=2,
            worker_kills=kills,
            copies=copies,
            rate=rate,
            redis_server=system if restarts else None,
            redis_restarts=restarts,
            limit=600,
            data_dir=base / "data",
        )
    data = {**dataclasses.asdict(figures), "duplicate_rate": figures.duplicate_rate}
    return figures.format(), figures.ok, data


async def yclients(conversations: int) -> tuple[str, bool, dict[str, object]]:
    from tests.yclients.fault_run import run_fault_conversations

    report = await run_fault_conversations(conversations, 0.3, seed=5, concurrency=25)
    data = {
        "conversations": report.conversations,
        "requests": report.requests,
        "faults": sum(report.faults.values()),
        "double_bookings": report.double_bookings,
        "confirmations_without_record": report.confirmations_without_record,
        "records_without_confirmation": report.records_without_confirmation,
        "endings": dict(report.endings),
    }
    return report.format(), report.ok, data


async def fuzz(messages: int) -> tuple[str, bool, dict[str, object]]:
    from tests.chaos.fuzz import run_fuzz

    figures = await run_fuzz(messages, seed=1)
    data = {k: v for k, v in dataclasses.asdict(figures).items() if k not in ("crash_kinds", "error_kinds", "samples")}
    return figures.format(), figures.ok, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", choices=["kill", "redis", "duplicates", "yclients", "fuzz"])
    parser.add_argument("--conversations", type=int, default=None)
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object (with the text)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)  # the runs inject faults on purpose; their figures say what matters
    if args.run == "kill":
        text, ok, data = asyncio.run(chaos(args.conversations or 1000, args.companies, kills=args.kills))
    elif args.run == "redis":
        text, ok, data = asyncio.run(chaos(args.conversations or 300, args.companies, restarts=args.restarts, rate=60))
    elif args.run == "duplicates":
        text, ok, data = asyncio.run(chaos(args.conversations or 200, args.companies, copies=10, rate=40))
    elif args.run == "yclients":
        text, ok, data = asyncio.run(yclients(args.conversations or 1000))
    else:
        text, ok, data = asyncio.run(fuzz(args.messages))
    print(json.dumps({**data, "text": text, "ok": ok}) if args.json else text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
