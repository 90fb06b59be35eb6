"""`booking-bot send-inbound` as a script: `.venv/bin/python scripts/send_inbound.py --help` (docs/ops.md)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from booking_bot.ops.send_inbound import main

if __name__ == "__main__":
    raise SystemExit(main())
