"""The silent-session watchdog and the replay after a reconnect, on the fake neonize (which goes deaf, queues what
arrives meanwhile and hands it over on the next connect the way whatsmeow does) and real Redis.

Each test is named after the failure it prevents."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from booking_bot.config import Pacing, WatchdogConfig
from booking_bot.domain import Company, InboundMessage
from booking_bot.gateway.app import RUNTIME
from booking_bot.gateway.watchdog import Watchdog, usual_gap
from integrations import redis_keys as keys
from integrations.whatsapp.session import CompanySession, SessionState, SessionStatus
from tests.api.harness import Gateway, gateway_settings, running_gateway
from tests.fakes.neonize_fake import (
    FakeClientFactory,
    FakeNeonizeClient,
    FakeWhatsApp,
    history_sync,
    jid,
    message_event,
)

NUMBER = "15550007777"
CUSTOMER = "351912345678"
COMPANY = "salon-w"
# Seconds instead of minutes: learning needs 5 gaps, so a new number is judged against the cap (0.6 s here).
FAST = {
    "gateway_watchdog_tick_seconds": 0.05,
    "gateway_watchdog_gap_floor_minutes": 0.003,
    "gateway_watchdog_gap_cap_minutes": 0.01,
    "gateway_watchdog_probe_timeout_seconds": 0.3,
    "gateway_watchdog_reconnect_interval_minutes": 0,
    "gateway_typing_min_seconds": 0,
    "gateway_typing_max_seconds": 0,
    "gateway_send_interval_seconds": 0,
}


@asynccontextmanager
async def watched_gateway(redis_url: str, tmp_path: Path, **overrides: Any) -> AsyncIterator[Gateway]:
    """A gateway holding one linked, connected number, with the fast watchdog."""
    async with running_gateway(gateway_settings(redis_url, tmp_path, **{**FAST, **overrides})) as gw:
        await gw.ctx.store.upsert_company(Company(id=COMPANY, name="Salon W"))
        await gw.redis.hset(keys.JIDS, COMPANY, NUMBER)  # type: ignore[misc]
        await gw.redis.sadd(keys.COMPANIES, COMPANY)  # type: ignore[misc]
        await gw.wait_state(COMPANY, "connected")
        yield gw


def customer_says(message_id: str, text: str, **kw: Any) -> Any:
    return message_event(message_id, jid(CUSTOMER), text=text, push_name="Rita", **kw)


async def pending_ids(gw: Gateway) -> list[str]:
    """The company's stored messages not handled yet (no worker runs here: every accepted one), in arrival order."""
    pending = await gw.ctx.store.stale_inbound(datetime.now(UTC) + timedelta(minutes=1), 100)
    return [message.message_id for message in pending if message.company_id == COMPANY]


async def test_connected_session_silent_past_its_usual_gap_is_probed_and_reconnected(
    redis_url: str, tmp_path: Path
) -> None:
    async with watched_gateway(redis_url, tmp_path) as gw:
        server = FakeWhatsApp(gw.redis)
        deaf = gw.client_of(COMPANY)
        await server.silence(NUMBER)  # says connected, hears nothing: the customer's message waits on the server
        await server.deliver(NUMBER, customer_says("w1", "is anyone there?"))
        await gw.until(lambda: gw.session(COMPANY).client not in (None, deaf), limit=10)
        await gw.wait_state(COMPANY, "connected")
        await gw.until(lambda: gw.app[RUNTIME].gate.accepted == 1)
        assert await pending_ids(gw) == ["w1"]  # the message that waited came with the new connection
        assert await server.waiting(NUMBER) == 0
        last = (await gw.redis.hget(keys.status(COMPANY), "watchdog_last")).decode()  # type: ignore[misc]
        assert "no answer to a presence probe" in last and last.endswith("reconnected")
        assert gw.app[RUNTIME].manager.watchdog.reconnects == 1


async def test_quiet_session_that_answers_the_probe_is_not_reconnected(redis_url: str, tmp_path: Path) -> None:
    async with watched_gateway(redis_url, tmp_path) as gw:
        client = gw.client_of(COMPANY)
        watchdog = gw.app[RUNTIME].manager.watchdog
        await gw.until(lambda: watchdog.probes >= 2, limit=10)  # quiet past the gap, twice: probed twice
        assert gw.session(COMPANY).client is client and watchdog.reconnects == 0
        await asyncio.sleep(0.2)
        last = (await gw.redis.hget(keys.status(COMPANY), "watchdog_last")).decode()  # type: ignore[misc]
        assert last.endswith("probe answered")


async def test_messages_replayed_after_a_reconnect_are_handled_once(redis_url: str, tmp_path: Path) -> None:
    async with watched_gateway(redis_url, tmp_path) as gw:
        server = FakeWhatsApp(gw.redis)
        gate = gw.app[RUNTIME].gate
        said = {n: customer_says(f"r{n}", f"message {n}") for n in range(1, 6)}
        for n in (1, 2):
            await server.deliver(NUMBER, said[n])
        await gw.until(lambda: gate.accepted == 2)
        await server.silence(NUMBER)
        for n in (3, 4):
            await server.deliver(NUMBER, said[n])  # wait on the server: offline messages of the next connection
        # The phone's history sync after the reconnect: what was handled (1, 2), what also waits offline (3) and one
        # this device never got at all (5).
        await server.send_history(NUMBER, history_sync(said[1], said[2], said[3], said[5]))
        await gw.until(lambda: gate.accepted == 5, limit=10)
        await asyncio.sleep(0.3)  # anything still coming would come now
        assert gate.accepted == 5 and gate.duplicates == 3
        assert await pending_ids(gw) == ["r1", "r2", "r3", "r4", "r5"]  # each once, in order, each queued once
        assert await gw.redis.llen("dramatiq:inbound") == 5  # type: ignore[misc]


async def test_watchdog_reconnect_is_held_back_when_the_last_one_was_recent(redis_url: str, tmp_path: Path) -> None:
    async with watched_gateway(redis_url, tmp_path, gateway_watchdog_reconnect_interval_minutes=60) as gw:
        server = FakeWhatsApp(gw.redis)
        watchdog = gw.app[RUNTIME].manager.watchdog
        await server.silence(NUMBER)
        await gw.until(lambda: watchdog.reconnects == 1, limit=10)
        await gw.wait_state(COMPANY, "connected")
        await server.silence(NUMBER)  # deaf again at once: no reconnect loop, one per interval
        probes = watchdog.probes
        await gw.until(lambda: watchdog.probes > probes, limit=10)
        await asyncio.sleep(0.5)
        assert watchdog.reconnects == 1
        verdict = (await gw.redis.hget(keys.status(COMPANY), "watchdog")).decode()  # type: ignore[misc]
        assert "reconnect held back until" in verdict


async def test_gap_learned_from_one_gateway_survives_a_takeover(redis_url: str, tmp_path: Path) -> None:
    redis = Redis.from_url(redis_url)
    try:
        config = WatchdogConfig(gap_floor_seconds=60, gap_cap_seconds=86_400)
        clock = {"now": 1_000_000.0}
        first = Watchdog(redis, config, reconnect=_never, wall=lambda: clock["now"])
        for _ in range(8):
            clock["now"] += 3600
            first.seen(customer_inbound())
        session = _session(redis)
        await first.check(session)
        second = Watchdog(redis, config, reconnect=_never, wall=lambda: clock["now"])  # another gateway, later
        assert await second.last_arrival(COMPANY) == datetime.fromtimestamp(clock["now"], UTC)
        assert usual_gap(second.watches[COMPANY].arrivals, config) == 3 * 3600
    finally:
        await redis.aclose()


async def test_silence_is_judged_against_each_numbers_own_usual_gap(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        config = WatchdogConfig(gap_floor_seconds=600, gap_cap_seconds=6 * 3600, probe_timeout_seconds=0.1)
        clock = {"now": 2_000_000.0}
        reconnected: list[str] = []

        async def reconnect(session: CompanySession, why: str) -> None:
            reconnected.append(session.company_id)

        watchdog = Watchdog(redis, config, reconnect=reconnect, wall=lambda: clock["now"])
        busy, quiet = _session(redis, "salon-busy"), _session(redis, "salon-quiet")
        busy.state = quiet.state = SessionState.CONNECTED  # as far as the session can tell (no client: deaf)
        for step in range(30):  # the busy salon hears from someone every 5 minutes, the quiet one every 2 hours
            clock["now"] += 300
            watchdog.seen(customer_inbound("salon-busy"))
            if step % 24 == 0:
                watchdog.seen(customer_inbound("salon-quiet"))
        for _ in range(5):
            clock["now"] += 7200
            watchdog.seen(customer_inbound("salon-quiet"))
        busy.connected_at = quiet.connected_at = datetime.fromtimestamp(clock["now"] - 86_400, UTC)
        watchdog.seen(customer_inbound("salon-busy"))
        clock["now"] += 3600  # an hour without a message, for both
        await watchdog.tick({"salon-busy": busy, "salon-quiet": quiet})
        assert watchdog.watches["salon-busy"].verdict.startswith("silent 60 min (usual gap 15 min)")
        assert watchdog.watches["salon-quiet"].verdict == "ok"  # 2-hourly gaps: an hour is nothing unusual
        assert watchdog.probes == 1 and reconnected == ["salon-busy"]
    finally:
        await redis.aclose()


def test_usual_gap_needs_enough_gaps_and_stays_within_floor_and_cap() -> None:
    config = WatchdogConfig(gap_floor_seconds=600, gap_cap_seconds=21_600, gap_factor=3, min_gaps=5)
    assert usual_gap([0, 100, 200, 300, 400], config) is None  # 4 gaps: still learning (the cap applies)
    assert usual_gap([0, 60, 120, 180, 240, 300], config) == 600  # a minute apart: the floor
    assert usual_gap([n * 3600 for n in range(7)], config) == 3 * 3600
    assert usual_gap([n * 86_400 for n in range(7)], config) == 21_600  # daily: the cap
    hourly_with_a_burst = sorted([n * 3600 for n in range(20)] + [5, 10, 15])
    assert usual_gap(hourly_with_a_burst, config) == 3 * 3600  # the 90th percentile ignores a burst


class Recorder:
    def __init__(self) -> None:
        self.inbound: list[str] = []
        self.states: list[SessionState] = []

    async def on_inbound(self, message: Any) -> None:
        self.inbound.append(message.message_id)

    async def on_status(self, status: SessionStatus) -> None:
        self.states.append(status.state)

    async def on_paired(self, company_id: str, jid_user: str | None) -> None:
        return None


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def _session(redis: Redis, company_id: str = COMPANY, recorder: Recorder | None = None, **kw: Any) -> CompanySession:
    recorder = recorder or Recorder()
    kw.setdefault("jid_user", NUMBER)
    return CompanySession(
        company_id=company_id,
        factory=FakeClientFactory(redis),
        on_inbound=recorder.on_inbound,
        on_status=recorder.on_status,
        on_paired=recorder.on_paired,
        pacing=Pacing(typing_min=0, typing_per_char=0, typing_max=0, send_interval=0),
        backoff_base=0.01,
        backoff_cap=0.05,
        rng=random.Random(3),
        **kw,
    )


async def _never(session: CompanySession, why: str) -> None:
    raise AssertionError("no reconnect expected")


def customer_inbound(company_id: str = COMPANY) -> InboundMessage:
    return InboundMessage(
        company_id=company_id,
        message_id="m",
        chat_id=f"{CUSTOMER}@s.whatsapp.net",
        text="hi",
        received_at=datetime.now(UTC),
    )


async def test_history_of_a_newly_linked_phone_is_not_answered(redis: Redis) -> None:
    recorder = Recorder()
    session = _session(redis, recorder=recorder, jid_user=None)
    await session.start()
    old = customer_says("h1", "booked for Friday?", timestamp_ms=_ms(datetime.now(UTC) - timedelta(minutes=1)))
    await FakeWhatsApp(redis).send_history("15550000009", history_sync(old))
    pairing = asyncio.create_task(session.pair_qr())
    await _until(lambda: isinstance(session.client, FakeNeonizeClient) and session.client.qr_shown)
    assert isinstance(session.client, FakeNeonizeClient)
    await session.client.complete_pairing("15550000009")
    await asyncio.wait_for(pairing, 5)
    await _until(lambda: session.state is SessionState.CONNECTED)
    await asyncio.sleep(0.2)
    assert recorder.inbound == []  # the phone's old chats are history, not messages to answer
    await session.stop()


async def test_missed_messages_older_than_the_replay_age_are_not_replayed(redis: Redis) -> None:
    recorder = Recorder()
    now = datetime.now(UTC)
    session = _session(redis, recorder=recorder, last_inbound_at=now - timedelta(hours=40))
    stale = customer_says("s1", "still free tomorrow?", timestamp_ms=_ms(now - timedelta(hours=30)))
    recent = customer_says("s2", "and today?", timestamp_ms=_ms(now - timedelta(hours=1)))
    await FakeWhatsApp(redis).send_history(NUMBER, history_sync(stale, recent))
    await session.start()
    await _until(lambda: recorder.inbound == ["s2"])
    await asyncio.sleep(0.2)
    assert recorder.inbound == ["s2"]  # 30 hours late is past the 24-hour replay age: not answered now
    await session.stop()


async def test_while_whatsapp_is_unreachable_no_client_is_built(redis: Redis) -> None:
    await FakeWhatsApp(redis).unreachable()
    recorder = Recorder()
    session = _session(redis, recorder=recorder)
    factory = session.factory
    assert isinstance(factory, FakeClientFactory)
    for _ in range(3):
        assert not await session.connect_once()
    assert factory.clients == []  # every neonize client built leaks a session-database handle
    assert session.state is SessionState.FAILED and session.unreachable == "WhatsApp not reachable (fake)"
    assert 0.005 <= session.retry_in <= 0.05
    await FakeWhatsApp(redis).unreachable(False)
    assert await session.connect_once()
    assert session.state is SessionState.CONNECTED and len(factory.clients) == 1
    await session.stop()


async def test_qr_asked_for_while_whatsapp_is_unreachable_says_so_instead_of_waiting(
    redis_url: str, tmp_path: Path
) -> None:
    async with running_gateway(gateway_settings(redis_url, tmp_path)) as gw:
        token = await gw.create_company("salon-q", "Salon Q")
        await gw.wait_state("salon-q", "unpaired")
        await FakeWhatsApp(gw.redis).unreachable()
        base = "/api/v1/companies/salon-q/session"
        assert (await gw.call("POST", base + "/pairing", token=token)).status == 202
        await gw.until(lambda: gw.session("salon-q").unreachable is not None)
        qr = await gw.call("GET", base + "/qr", token=token)
        assert qr.status == 503 and qr.headers["Retry-After"] == "60"
        assert (await qr.json())["error"] == "whatsapp_unreachable"
        view = await (await gw.call("GET", base, token=token)).json()
        assert view["state"] == "unpaired" and view["detail"].startswith("WhatsApp not reachable yet")


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


async def _until(predicate: Any, limit: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)
