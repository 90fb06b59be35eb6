"""The CI subset of the chaos runs (the full ones: `benchmarks/chaos.py`). Each starts its own redis-server(s)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.procs import RedisServer
from tests.chaos.harness import run_chaos
from tests.yclients.fault_run import run_fault_conversations


def _assert_no_loss(figures: object) -> None:
    f = figures
    assert f.problems == [], f.format()  # type: ignore[attr-defined]
    assert f.lost_inbound == 0 and f.lost_replies == 0, f.format()  # type: ignore[attr-defined]
    assert f.double_bookings == 0, f.format()  # type: ignore[attr-defined]
    assert f.told_without_booking == 0 and f.booked_without_telling == 0, f.format()  # type: ignore[attr-defined]


async def test_workers_killed_mid_booking_load_lose_nothing_and_book_once(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis") as system, RedisServer(tmp_path / "wa", aof=False) as whatsapp:
        figures = await run_chaos(
            system.url, whatsapp.url, companies=5, conversations=100, workers=2, worker_kills=3, rate=60, limit=40,
            data_dir=tmp_path / "data",
        )  # fmt: skip
    _assert_no_loss(figures)
    assert figures.worker_kills == 3
    assert figures.messages == 400 and figures.expected_replies >= 400
    assert figures.duplicate_rate <= 0.005, figures.format()
    assert figures.told_booked == figures.live_bookings > 0


async def test_redis_restarted_mid_load_recovers_without_a_human(tmp_path: Path) -> None:
    # The incident: messages arriving while Redis restarted were dropped by the gateway (whatsmeow had already
    # acknowledged them to WhatsApp, so nobody would ever deliver them again).
    with RedisServer(tmp_path / "redis") as system, RedisServer(tmp_path / "wa", aof=False) as whatsapp:
        figures = await run_chaos(
            system.url, whatsapp.url, companies=4, conversations=50, workers=2, rate=40, redis_server=system,
            redis_restarts=1, redis_down_seconds=2.0, limit=40, data_dir=tmp_path / "data",
        )  # fmt: skip
    _assert_no_loss(figures)
    assert figures.redis_restarts == 1
    assert figures.duplicate_replies == 0, figures.format()
    assert figures.told_booked == 50


async def test_every_message_delivered_ten_times_is_acted_on_once(tmp_path: Path) -> None:
    with RedisServer(tmp_path / "redis") as system, RedisServer(tmp_path / "wa", aof=False) as whatsapp:
        figures = await run_chaos(
            system.url, whatsapp.url, companies=3, conversations=24, workers=2, copies=10, rate=30, limit=40,
            data_dir=tmp_path / "data",
        )  # fmt: skip
    _assert_no_loss(figures)
    assert figures.deliveries == 10 * figures.messages
    assert figures.duplicate_replies == 0, figures.format()
    assert figures.live_bookings == figures.told_booked == 24


async def test_scheduling_api_faults_on_a_third_of_requests_never_double_book_or_lie() -> None:
    report = await run_fault_conversations(60, 0.3, seed=23, concurrency=15)
    assert report.double_bookings == 0, report.format()
    assert report.confirmations_without_record == 0, report.format()
    assert report.records_without_confirmation == 0, report.format()
    assert report.ok, report.format()
