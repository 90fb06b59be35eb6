"""`benchmarks/handler.py` at a tiny size: it keeps working and counts what it claims to count."""

from __future__ import annotations

from benchmarks.handler import run


async def test_handler_benchmark_measures_both_parts_and_counts_statements_and_commands(redis_url: str) -> None:
    figures = await run(redis_url, conversations=6, companies=2)
    assert figures.messages == 24
    assert figures.gateway_cpu_ms > 0 and figures.worker_cpu_ms > 0
    assert figures.sql["writes"] >= 3  # at least: inbound insert, reply, sent mark, done mark per message
    assert figures.redis["xadd"] >= 1  # every message of the script gets a reply
    assert figures.redis["set"] >= 2  # the gateway's dedupe mark, the lock, the state
