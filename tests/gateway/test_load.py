"""The done-when run, small: 2 gateway + 2 worker processes, fake WhatsApp in real Redis, one gateway SIGKILLed.

The full run (1,000 conversations × 100 companies) is `scripts/load_gateway.py run`.
"""

from __future__ import annotations

import signal
from pathlib import Path

from scripts.load_gateway import run_load


async def test_gateway_killed_mid_run_loses_and_repeats_no_reply_and_keeps_order(
    redis_url: str, tmp_path: Path
) -> None:
    figures = await run_load(
        redis_url, companies=10, conversations=50, kill=True, fast=True, limit=40, data_dir=tmp_path
    )
    assert figures.problems == []
    assert figures.messages == 150 and figures.duplicate_deliveries == 30
    assert figures.expected_replies >= figures.messages  # every message answered
    assert figures.lost == 0
    assert figures.duplicated <= figures.ambiguous_resends  # only sends in flight at the kill may repeat
    assert figures.out_of_order_chats == 0
    assert figures.replaced_sessions == 0  # two gateways never held one number at once
    assert figures.moved_companies > 0
    assert figures.takeover_seconds is not None and figures.takeover_seconds < 15


async def test_gateway_stopped_gracefully_mid_run_repeats_nothing(redis_url: str, tmp_path: Path) -> None:
    figures = await run_load(
        redis_url,
        companies=4,
        conversations=20,
        kill=True,
        fast=True,
        limit=40,
        data_dir=tmp_path,
        kill_signal=signal.SIGTERM,
    )
    assert figures.problems == []
    assert figures.lost == 0 and figures.duplicated == 0 and figures.ambiguous_resends == 0
    assert figures.out_of_order_chats == 0 and figures.replaced_sessions == 0
    assert figures.takeover_seconds is not None and figures.takeover_seconds < 15
