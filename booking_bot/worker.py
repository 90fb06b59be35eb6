"""`booking-bot worker`: Dramatiq workers on Redis, running every job of booking_bot/jobs.py.

One process: the production stack (its Redis broker, heartbeat and maintenance tuned for chat, with the job table
declared on it), and a `dramatiq.Worker` with `worker_threads` threads; async jobs
run on the AsyncIO middleware's event loop. SIGINT/SIGTERM: stop consuming, let jobs in hand finish (up to the
actor time limit; PM2's kill_timeout is longer), close.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

import dramatiq

from booking_bot.composition import build_production
from booking_bot.settings import BrokerKind, Settings

log = logging.getLogger(__name__)
STOP_TIMEOUT_MS = 65_000  # above the actor time limit (60 s): a job in hand finishes
WORKER_TIMEOUT_MS = 100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booking-bot worker", description="Dramatiq workers on Redis")
    parser.add_argument("--threads", type=int, default=None, help="default BOOKING_BOT_WORKER_THREADS")
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if settings.broker is not BrokerKind.REDIS:
        print("booking-bot worker: set BOOKING_BOT_BROKER=redis (the stub broker is the demo's, in-process)")
        return 2
    production = build_production(settings)
    worker = dramatiq.Worker(
        production.jobs.broker, worker_threads=args.threads or settings.worker.threads, worker_timeout=WORKER_TIMEOUT_MS
    )
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("worker: signal %d, stopping", signum)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    worker.start()
    log.info("worker started with %d threads", worker.worker_threads)
    try:
        stop.wait()
    finally:
        worker.stop(timeout=STOP_TIMEOUT_MS)
        # The Redis client's connections belong to the worker's (now stopped) event loop: drop them with the process.
        production.close_files()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
