"""`booking-bot test-connection` against a real gateway app (fake neonize clients) on real Redis."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from booking_bot.cli import main as cli_main
from booking_bot.domain import Company
from booking_bot.gateway.app import RUNTIME
from booking_bot.ops.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from integrations import redis_keys as keys
from tests.api.harness import ADMIN_TOKEN, Gateway, gateway_settings, running_gateway
from tests.fakes.neonize_fake import FakeWhatsApp, jid, message_event

NUMBER = "15550004444"


@pytest.fixture
async def connected(ops_env: Path, ops_redis_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Gateway]:
    """A gateway holding salon-c, paired and connected, and the operator's admin token."""
    monkeypatch.setenv("BOOKING_BOT_ADMIN_TOKEN", ADMIN_TOKEN)
    fast = {
        "gateway_typing_min_seconds": 0,
        "gateway_typing_max_seconds": 0,
        "gateway_send_interval_seconds": 0,
        "gateway_watchdog_tick_seconds": 0.05,
    }
    settings = gateway_settings(ops_redis_url, ops_env, **fast)
    async with running_gateway(settings) as gateway:
        await gateway.ctx.store.upsert_company(Company(id="salon-c", name="Salon C"))
        await gateway.redis.hset(keys.JIDS, "salon-c", NUMBER)
        await gateway.redis.sadd(keys.COMPANIES, "salon-c")
        await gateway.wait_state("salon-c", "connected")
        yield gateway


async def test_test_connection_reports_a_connected_company_and_the_services(
    connected: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["test-connection", "--company", "salon-c", "--gateway", connected.url("")]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_OK
    out = capsys.readouterr().out
    assert "✓ Redis            round trip" in out
    assert "✓ store            round trip" in out
    assert "✓ inbound queue    0 waiting" in out
    assert f"✓ gateway          ready ({connected.url('')})" in out
    assert "✓ session          connected (gw-test) last change" in out
    assert f"✓ number           +{NUMBER}" in out
    assert out.rstrip().endswith("All checks passed.")


async def test_test_connection_sends_a_real_message_through_the_gateway(
    connected: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    # The customer wrote first: a message to someone who never did is proactive, and the gateway does not send it.
    await FakeWhatsApp(connected.redis).deliver(NUMBER, message_event("3EBOPS1", jid("351912345678"), text="hi"))
    await connected.until(lambda: connected.app[RUNTIME].gate.accepted == 1)
    argv = ["test-connection", "--company", "salon-c", "--gateway", connected.url("")]
    argv += ["--send-to", "+351 912 345 678", "--text", "ping from ops", "--timeout", "20"]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_OK
    assert "Test message sent to +351912345678." in capsys.readouterr().out
    sent = await FakeWhatsApp(connected.redis).sent(NUMBER)
    assert sent == [{"to": "351912345678@s.whatsapp.net", "text": "ping from ops"}]


async def test_test_connection_fails_for_an_unlinked_company_and_does_not_queue_the_message(
    connected: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    await connected.create_company("salon-u", "Salon U")
    await connected.wait_state("salon-u", "unpaired")
    argv = ["test-connection", "--company", "salon-u", "--gateway", connected.url("")]
    argv += ["--send-to", "+351912345678", "--text", "ping", "--lang", "es"]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "✗ sesión           unpaired" in out
    assert "No enviado: la sesión está en unpaired." in out
    assert out.rstrip().endswith("Algunas comprobaciones fallaron.")
    assert await connected.redis.xlen(keys.outbound_stream("salon-u")) == 0  # nothing queued to go out later


async def test_test_connection_for_an_unknown_company_is_a_usage_error(
    connected: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["test-connection", "--company", "nope", "--gateway", connected.url("")]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_USAGE
    assert "No such company: nope." in capsys.readouterr().err


async def test_test_connection_shows_how_long_ago_the_last_message_came_and_the_watchdogs_verdict(
    connected: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    await FakeWhatsApp(connected.redis).deliver(NUMBER, message_event("3EBW1", jid("351912345678"), text="hi"))
    await connected.until(lambda: connected.redis.hget(keys.status("salon-c"), "last_inbound"))
    argv = ["test-connection", "--company", "salon-c", "--gateway", connected.url("")]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_OK
    out = capsys.readouterr().out
    assert re.search(r"✓ last inbound +\d+ s ago; usual gap still being learned", out)
    assert "✓ watchdog         ok (still learning the usual gap)" in out


async def test_test_connection_fails_for_a_number_the_watchdog_finds_deaf_and_may_not_reconnect_yet(
    connected: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    await connected.until(lambda: connected.redis.hget(keys.status("salon-c"), "watchdog"))
    verdict = (
        "silent 70 min (usual gap 15 min): no answer to a presence probe in 20 s; reconnect held back until 12:30 UTC"
    )
    last = (
        "2026-12-03 12:00:01 UTC silent 40 min (usual gap 15 min): no answer to a presence probe in 20 s; reconnected"
    )
    await connected.redis.hset(keys.status("salon-c"), mapping={"watchdog": verdict, "watchdog_last": last})
    argv = ["test-connection", "--company", "salon-c", "--gateway", connected.url(""), "--lang", "pt"]
    assert await asyncio.to_thread(cli_main, argv) == EXIT_FAILED
    out = capsys.readouterr().out
    assert f"✗ vigia            {verdict}; última ação: {last}" in out
    assert "✓ última recebida  nenhuma ainda" in out
