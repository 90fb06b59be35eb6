"""1,000 customers through the core against YClients-on-the-fake with 30 % of requests faulty: they book, and a
share of them move and cancel (tests/yclients/fault_run.py says who does what).

    .venv/bin/python scripts/bench_yclients_faults.py [--conversations 1000] [--fault-rate 0.3] [--seed 5]

Prints the figures: faults injected by kind, how each kind of step ended, the writes the fake carried out, double
bookings, one customer's overlapping appointments, actions done but reported as failed (or not reported), actions
reported as done that the fake does not show, confirmations without a record, records the customer was not told
about. Exits 1 when any of those is not zero or a step ended dishonestly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.yclients.fault_run import run_fault_conversations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=25)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)
    report = asyncio.run(
        run_fault_conversations(args.conversations, args.fault_rate, seed=args.seed, concurrency=args.concurrency)
    )
    print(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
