"""The session state machine around a (fake) neonize client, on real Redis."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from booking_bot.config import Pacing
from booking_bot.domain import InboundMessage
from integrations.whatsapp.backoff import backoff_delays
from integrations.whatsapp.session import CompanySession, SendingPaused, SessionState, SessionStatus
from tests.fakes.neonize_fake import API, FakeClientFactory, FakeNeonizeClient, FakeWhatsApp, jid, message_event

NUMBER = "15550000001"


class Recorder:
    def __init__(self) -> None:
        self.inbound: list[InboundMessage] = []
        self.states: list[SessionState] = []
        self.paired: list[str | None] = []
        self.fail_on: set[str] = set()

    async def on_inbound(self, message: InboundMessage) -> None:
        if message.message_id in self.fail_on:
            raise RuntimeError("enqueue failed")
        await asyncio.sleep(random.random() / 100)
        self.inbound.append(message)

    async def on_status(self, status: SessionStatus) -> None:
        self.states.append(status.state)

    async def on_paired(self, company_id: str, jid_user: str | None) -> None:
        self.paired.append(jid_user)


_started: list[CompanySession] = []


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    # Every session a test made is stopped before the connections close: a session left running keeps a fake
    # client reading Redis, and its connection would outlive the test's event loop.
    while _started:
        await _started.pop().stop()
    await client.aclose()


def make_session(redis: Redis, recorder: Recorder, jid_user: str | None = NUMBER, **kw: object) -> CompanySession:
    session = CompanySession(
        company_id="salon-a",
        factory=FakeClientFactory(redis),
        on_inbound=recorder.on_inbound,
        on_status=recorder.on_status,
        on_paired=recorder.on_paired,
        jid_user=jid_user,
        pacing=Pacing(typing_min=0, typing_per_char=0, typing_max=0, send_interval=0),
        backoff_base=0.01,
        backoff_cap=0.05,
        **kw,  # type: ignore[arg-type]
    )
    _started.append(session)
    return session


async def until(predicate: object, limit: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not predicate():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


def test_backoff_grows_to_its_cap_with_jitter() -> None:
    delays = backoff_delays(1.0, 30.0, random.Random(7))
    first = [next(delays) for _ in range(10)]
    assert 0.5 <= first[0] <= 1.0 and 1.0 <= first[1] <= 2.0 and 2.0 <= first[2] <= 4.0
    assert all(15.0 <= d <= 30.0 for d in first[5:])
    assert len(set(first)) == len(first)


async def test_first_connect_failures_are_retried_with_backoff_then_connected(redis: Redis) -> None:
    recorder = Recorder()
    await FakeWhatsApp(redis).fail_next_connects(NUMBER, 2)
    session = make_session(redis, recorder)
    await asyncio.wait_for(session.start(), 5)
    assert session.state is SessionState.CONNECTED
    assert recorder.states.count(SessionState.FAILED) == 2
    assert recorder.states[-1] is SessionState.CONNECTED
    await session.stop()
    assert session.state is SessionState.STOPPED


async def test_send_shows_typing_sends_and_marks_the_customers_message_read(redis: Redis) -> None:
    session = make_session(redis, Recorder())
    await session.start()
    await session.send_text("79990001122@s.whatsapp.net", "See you at 5", reply_to="3EB0IN")
    server = FakeWhatsApp(redis)
    assert await server.sent(NUMBER) == [{"to": "79990001122@s.whatsapp.net", "text": "See you at 5"}]
    assert await server.read(NUMBER) == ["3EB0IN"]
    assert await server.typing(NUMBER) == 1
    await session.stop()


async def test_temporary_ban_pauses_sending_until_it_expires(redis: Redis) -> None:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    clock = {"now": now}
    session = make_session(redis, Recorder(), clock=lambda: clock["now"])
    await session.start()
    client = session.client
    assert isinstance(client, FakeNeonizeClient)
    await client.emit(API.TemporaryBanEv(Code=1, Expire=3600))
    await until(lambda: session.state is SessionState.BANNED)
    with pytest.raises(SendingPaused) as paused:
        await session.send_text("79990001122@s.whatsapp.net", "hello")
    assert paused.value.until == now + timedelta(hours=1)
    assert await FakeWhatsApp(redis).sent(NUMBER) == []
    clock["now"] = now + timedelta(hours=1, seconds=1)
    await session.send_text("79990001122@s.whatsapp.net", "hello")
    assert session.state is SessionState.CONNECTED
    assert len(await FakeWhatsApp(redis).sent(NUMBER)) == 1
    await session.stop()


async def test_logged_out_forgets_the_number_and_asks_for_pairing(redis: Redis) -> None:
    recorder = Recorder()
    session = make_session(redis, recorder)
    await session.start()
    assert isinstance(session.client, FakeNeonizeClient)
    await session.client.emit(API.LoggedOutEv(OnConnect=False, Reason=1))
    await until(lambda: session.state is SessionState.LOGGED_OUT)
    assert recorder.paired == [None] and session.jid_user is None and session.client is None


async def test_stream_replaced_never_reconnects(redis: Redis) -> None:
    session = make_session(redis, Recorder())
    await session.start()
    other = make_session(redis, Recorder())
    await other.start()  # a second process took the same session: the fake server kicks the first one off
    await until(lambda: session.state is SessionState.REPLACED)
    assert session.client is None
    assert await FakeWhatsApp(redis).replaced() == 1
    await other.stop()


async def test_pairing_by_qr_then_code(redis: Redis) -> None:
    recorder = Recorder()
    session = make_session(redis, recorder, jid_user=None)
    await session.start()
    assert session.state is SessionState.UNPAIRED
    pairing = asyncio.create_task(session.pair_qr())
    await until(lambda: session.qr_code is not None)
    assert session.qr_code is not None and session.qr_code.startswith(b"https://wa.me/settings/linked_devices#")
    assert await session.pair_code("15550000009") == "ABCD-1234"
    assert session.state is SessionState.PAIRING_CODE
    assert isinstance(session.client, FakeNeonizeClient)
    await session.client.complete_pairing("15550000009")
    await asyncio.wait_for(pairing, 5)
    await until(lambda: session.state is SessionState.CONNECTED)
    assert recorder.paired == ["15550000009"] and session.jid_user == "15550000009"
    await session.stop()


async def test_a_failing_handler_is_contained_and_later_messages_still_arrive(redis: Redis) -> None:
    recorder = Recorder()
    recorder.fail_on = {"m1"}
    session = make_session(redis, recorder)
    await session.start()
    server = FakeWhatsApp(redis)
    await server.deliver(NUMBER, message_event("m1", jid("79990001122"), text="one"))
    await server.deliver(NUMBER, message_event("m2", jid("79990001122"), text="two"))
    await until(lambda: len(recorder.inbound) == 1)
    assert recorder.inbound[0].message_id == "m2"
    await session.stop()


async def test_burst_from_one_chat_reaches_the_sink_in_arrival_order(redis: Redis) -> None:
    # neonize runs each event as its own task; handlers of later events must not overtake earlier ones.
    recorder = Recorder()
    session = make_session(redis, recorder)
    await session.start()
    server = FakeWhatsApp(redis)
    for n in range(20):
        await server.deliver(NUMBER, message_event(f"b{n:02d}", jid("79990001122"), text=f"part {n}"))
    await until(lambda: len(recorder.inbound) == 20)
    assert [m.message_id for m in recorder.inbound] == [f"b{n:02d}" for n in range(20)]
    await session.stop()


async def test_lid_sender_is_resolved_to_a_phone_number_through_the_client(redis: Redis) -> None:
    recorder = Recorder()
    await FakeWhatsApp(redis).map_lid("123456789012345", "79990001122")
    session = make_session(redis, recorder)
    await session.start()
    await FakeWhatsApp(redis).deliver(NUMBER, message_event("l1", jid("123456789012345", "lid"), text="hi"))
    await until(lambda: len(recorder.inbound) == 1)
    assert recorder.inbound[0].chat_id == "79990001122@s.whatsapp.net"
    assert recorder.inbound[0].phone == "+79990001122"
    await session.stop()


async def test_a_session_stopped_while_its_preflight_runs_builds_no_orphan_client(redis: Redis) -> None:
    # A client built after the session was stopped would stay connected with no owner: WhatsApp then kicks off
    # whichever client the next holder of the number connects (StreamReplaced).
    session = make_session(redis, Recorder())
    factory = session.factory
    assert isinstance(factory, FakeClientFactory)
    release = asyncio.Event()

    async def slow_preflight() -> str | None:
        await release.wait()
        return None

    factory.unreachable = slow_preflight  # type: ignore[method-assign]
    connecting = asyncio.create_task(session.connect_once())
    await until(lambda: session.state is SessionState.CONNECTING)
    await session.stop()
    release.set()
    assert not await connecting
    assert factory.clients == [] and session.client is None and session.state is SessionState.STOPPED
