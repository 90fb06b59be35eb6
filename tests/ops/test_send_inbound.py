"""`booking-bot send-inbound`: a simulated message through `accept_inbound` on the Redis broker, answered by a real
worker process and sent by a real gateway app (fake neonize clients)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from booking_bot.cli import main as cli_main
from booking_bot.domain import Company
from booking_bot.gateway.app import RUNTIME
from booking_bot.ops.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from booking_bot.settings import PROJECT_ROOT
from integrations import redis_keys as keys
from integrations.scheduling.builtin.demo_salon import DEMO_HOURS, DEMO_SERVICES, DEMO_STAFF
from tests.api.harness import Gateway, gateway_settings, running_gateway
from tests.fakes.neonize_fake import FakeWhatsApp

NUMBER = "15550005555"


@pytest.fixture
def worker(ops_env: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`booking-bot worker` as its own process, on the operator's settings (same Redis and data dir)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "BOOKING_BOT_WORKER_THREADS": "2"}
    log = (ops_env.parent / "worker.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "booking_bot.worker"], env=env, stdout=log, stderr=log)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
async def gateway(ops_env: Path, ops_redis_url: str) -> AsyncIterator[Gateway]:
    fast = {"gateway_typing_min_seconds": 0, "gateway_typing_max_seconds": 0, "gateway_send_interval_seconds": 0}
    settings = gateway_settings(ops_redis_url, ops_env, **fast)
    async with running_gateway(settings) as running:
        await running.ctx.store.upsert_company(Company(id="salon-i", name="Salon I"))
        calendar = running.app[RUNTIME].production.calendar  # the SQLite calendar the worker reads too
        for service in DEMO_SERVICES:
            calendar.add_service("salon-i", service)
        for member in DEMO_STAFF:
            calendar.add_staff("salon-i", member, DEMO_HOURS)
        await running.redis.hset(keys.JIDS, "salon-i", NUMBER)
        await running.redis.sadd(keys.COMPANIES, "salon-i")
        await running.wait_state("salon-i", "connected")
        yield running


async def test_send_inbound_is_answered_by_a_worker_and_sent_by_the_gateway(
    gateway: Gateway, worker: subprocess.Popen[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["send-inbound", "--company", "salon-i", "--from", "+7 900 123-45-67", "--name", "Olga"]
    argv += ["--text", "Hello", "--wait", "40", "--until-sent"]
    worker_log = Path(os.environ["BOOKING_BOT_DATA_DIR"]).parent / "worker.log"
    assert await asyncio.to_thread(cli_main, argv) == EXIT_OK, worker_log.read_text()
    out = capsys.readouterr().out
    assert "Accepted: message SIM" in out
    assert "Every reply was handed to WhatsApp." in out
    sent = await FakeWhatsApp(gateway.redis).sent(NUMBER)
    assert sent and all(entry["to"] == "79001234567@s.whatsapp.net" for entry in sent)
    printed = [line.removeprefix("  ← ") for line in out.splitlines() if line.startswith("  ← ")]
    assert [entry["text"] for entry in sent] == printed  # what the tool printed is what WhatsApp got
    assert "Olga" in printed[0]  # the greeting uses the customer's WhatsApp name


async def test_send_inbound_with_the_same_message_id_is_a_duplicate(
    ops_env: Path, ops_redis_url: str, gateway: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["send-inbound", "--company", "salon-i", "--from", "+79001234567", "--text", "Hi", "--message-id", "M1"]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_OK
    assert await asyncio.to_thread(cli_main, argv) == EXIT_FAILED
    assert "Duplicate: message M1 was accepted before." in capsys.readouterr().out


async def test_send_inbound_needs_the_redis_broker_and_a_known_company(
    ops_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["send-inbound", "--company", "nope", "--from", "+79001234567", "--text", "Hi"]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_USAGE
    assert "No such company: nope." in capsys.readouterr().err
    monkeypatch.setenv("BOOKING_BOT_BROKER", "stub")
    assert await asyncio.to_thread(cli_main, argv) == EXIT_USAGE
    assert "BOOKING_BOT_BROKER=redis" in capsys.readouterr().err
