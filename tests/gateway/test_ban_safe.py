"""Ban-safe sending, on real Redis with a fake neonize: the outbox's one check of proactive messages (wrote first or
opted in; a newly linked number's warm-up budget), the pause on WhatsApp's restriction signals, the jittered pacing,
and the number's health figures those leave."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis.asyncio import Redis

from booking_bot.config import Pacing, SendLimits
from booking_bot.domain import ChatForms, InboundMessage, OutboundMessage
from booking_bot.gateway.outbound import CompanyOutbox, Outbound
from booking_bot.gateway.proactive import DAY_SECONDS, Proactive
from integrations import redis_keys as keys
from integrations.messaging.redis_stream import RedisStreamChannel
from integrations.storage.sqlite import SqliteStore
from integrations.whatsapp.health import NumberHealth
from integrations.whatsapp.sending import Figure, PausePolicy, PauseReason, pause_signal
from integrations.whatsapp.session import CompanySession, SendingPaused, SessionState, SessionStatus
from tests.fakes.neonize_fake import API, FakeClientFactory, FakeNeonizeClient, FakeWhatsApp

NUMBER = "15550000009"
WROTE = "79990001122@s.whatsapp.net"
STRANGER = "447700900123@s.whatsapp.net"
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class Rig:
    redis: Redis
    store: SqliteStore
    session: CompanySession
    outbound: Outbound
    outbox: CompanyOutbox
    task: asyncio.Task[None]
    now: dict[str, datetime]

    async def queue(self, key: str, chat: str, text: str, reply_to: str | None = None) -> None:
        message = OutboundMessage(company_id="salon-a", chat_id=chat, text=text, reply_to=reply_to, idempotency_key=key)
        await RedisStreamChannel(self.redis).send(message)

    async def sent(self) -> list[dict[str, str]]:
        return await FakeWhatsApp(self.redis).sent(NUMBER)

    async def settled(self, sent: int, skipped: int = 0) -> None:
        deadline = asyncio.get_running_loop().time() + 5
        while (self.outbox.sent, self.outbox.skipped) != (sent, skipped):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"sent {self.outbox.sent}, skipped {self.outbox.skipped}")
            await asyncio.sleep(0.01)

    async def figures(self) -> Any:
        return (await self.outbound.report(self.redis, ["salon-a"]))["salon-a"]


async def _ignore(*_args: object) -> None:
    return None


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def rig(redis: Redis, request: pytest.FixtureRequest) -> AsyncIterator[Rig]:
    schedule = getattr(request, "param", ())
    now = {"now": T0}
    store = SqliteStore(":memory:", lambda: now["now"])
    clock = lambda: now["now"].timestamp()  # noqa: E731
    outbound = Outbound(
        store=store,
        proactive=Proactive(store, redis, schedule, SendLimits(), clock=clock),
        health=NumberHealth(redis, clock=clock),
        pauses=PausePolicy(reach_out_lock=timedelta(minutes=30), rate_limit=timedelta(minutes=2)),
    )

    async def on_status(_status: SessionStatus) -> None:
        return None

    session = CompanySession(
        company_id="salon-a",
        factory=FakeClientFactory(redis),
        on_inbound=_ignore,
        on_status=on_status,
        on_paired=_ignore,
        jid_user=NUMBER,
        pacing=Pacing(typing_min=0, typing_per_char=0, typing_max=0, send_interval=0),
        clock=lambda: now["now"],
        sending=outbound.number("salon-a"),
    )
    await session.start()
    await redis.hset(keys.JIDS, "salon-a", NUMBER)  # type: ignore[misc]  # the manager's record of the number
    if schedule:
        await outbound.proactive.linked(NUMBER)
    wrote = InboundMessage(company_id="salon-a", message_id="in-1", chat_id=WROTE, text="hi", received_at=T0)
    assert await store.record_inbound(wrote)
    outbox = CompanyOutbox(redis, "gw-test", session, block_ms=50, outbound=outbound)
    task = asyncio.create_task(outbox.run())
    yield Rig(redis, store, session, outbound, outbox, task, now)
    outbox.stop()
    await asyncio.wait_for(task, 5)
    await session.stop()
    store.close()


async def test_reminder_to_a_customer_who_never_wrote_is_not_sent(rig: Rig) -> None:
    await rig.queue("out:salon-a:reminder:x:0", STRANGER, "Reminder: tomorrow at 15:00", reply_to="reminder:x")
    await rig.queue("out:salon-a:reminder:y:0", WROTE, "Reminder: tomorrow at 16:00", reply_to="reminder:y")
    await rig.settled(sent=1, skipped=1)
    assert await rig.sent() == [{"to": WROTE, "text": "Reminder: tomorrow at 16:00"}]
    assert await FakeWhatsApp(rig.redis).read(NUMBER) == []  # a reminder is no answer: no read receipt for its key
    figures = (await rig.figures()).figures
    assert figures.count(Figure.REFUSED) == 1 and figures.count(Figure.SENT) == 1


async def test_customer_who_opted_in_gets_proactive_messages_before_writing(rig: Rig) -> None:
    identity = await rig.store.link_identity("salon-a", ChatForms(phone="+447700900123"), STRANGER)
    assert await rig.store.record_opt_in("salon-a", identity.customer_id, T0)
    await rig.queue("out:salon-a:api:k:0", STRANGER, "Your order is ready")
    await rig.settled(sent=1)
    assert await rig.sent() == [{"to": STRANGER, "text": "Your order is ready"}]


@pytest.mark.parametrize("rig", [(1, 2)], indirect=True)
async def test_newly_linked_number_sends_few_proactive_messages_a_day_rising_day_by_day(rig: Rig) -> None:
    for n in range(2):
        await rig.queue(f"out:salon-a:reminder:d1-{n}:0", WROTE, f"day 1 #{n}", reply_to=f"reminder:d1-{n}")
    await rig.settled(sent=1, skipped=1)
    report = await rig.figures()
    assert report.warm_up.day == 1 and report.warm_up.left == 0 and report.figures.count(Figure.HELD_BACK) == 1
    rig.now["now"] = T0 + timedelta(seconds=DAY_SECONDS + 60)
    for n in range(3):
        await rig.queue(f"out:salon-a:reminder:d2-{n}:0", WROTE, f"day 2 #{n}", reply_to=f"reminder:d2-{n}")
    await rig.settled(sent=3, skipped=2)
    assert [s["text"] for s in await rig.sent()] == ["day 1 #0", "day 2 #0", "day 2 #1"]
    rig.now["now"] = T0 + timedelta(seconds=2 * DAY_SECONDS + 60)
    assert (await rig.figures()).warm_up.day is None  # warmed up: no limit any more


@pytest.mark.parametrize("rig", [(1,)], indirect=True)
async def test_a_proactive_message_a_job_took_the_budget_for_is_never_held_back_nor_counted_twice(rig: Rig) -> None:
    # The job records a reminder as sent once it took its place in the number's warm-up budget: the gateway must
    # then send it, not drop it as over the budget its own count would see as spent.
    budget = rig.outbound.proactive.budget
    assert await budget.take("salon-a", "out:salon-a:reminder:a:0") is None
    assert await budget.take("salon-a", "out:salon-a:reminder:a:0") is None  # a retried job takes nothing more
    assert await budget.take("salon-a", "out:salon-a:reminder:b:0") == T0 + timedelta(days=1)  # spent: day 2 then
    await rig.queue("out:salon-a:reminder:a:0", WROTE, "Reminder a", reply_to="reminder:a")
    await rig.settled(sent=1)
    assert await rig.sent() == [{"to": WROTE, "text": "Reminder a"}]
    report = await rig.figures()
    assert report.warm_up.used == 1 and report.figures.count(Figure.HELD_BACK) == 0
    await rig.queue("out:salon-a:api:c:0", WROTE, "Not budgeted")  # queued by no job: the gateway's own check
    await rig.settled(sent=1, skipped=1)
    assert (await rig.figures()).figures.count(Figure.HELD_BACK) == 1


@pytest.mark.parametrize("rig", [(0,)], indirect=True)
async def test_reply_to_a_customer_is_never_held_back_by_the_warm_up(rig: Rig) -> None:
    await rig.queue("out:salon-a:in-1:0", WROTE, "See you at 5", reply_to="in-1")
    await rig.settled(sent=1)
    assert await rig.sent() == [{"to": WROTE, "text": "See you at 5"}]
    assert await FakeWhatsApp(rig.redis).read(NUMBER) == ["in-1"]


def failing_send(client: FakeNeonizeClient, error: str) -> None:
    async def send_message(to: Any, message: str) -> Any:
        raise API.SendMessageError(error)

    client.send_message = send_message  # type: ignore[method-assign]


async def test_rate_limit_on_send_pauses_the_number_and_the_salon_sees_why(rig: Rig) -> None:
    assert isinstance(rig.session.client, FakeNeonizeClient)
    failing_send(rig.session.client, "failed to get device list: info query returned status 429: rate-overlimit")
    with pytest.raises(SendingPaused) as paused:
        await rig.session.send_text(WROTE, "hello")
    assert paused.value.until == T0 + timedelta(minutes=2)
    assert rig.session.state is SessionState.BANNED
    report = await rig.figures()
    assert report.figures.pause_reason is PauseReason.RATE_LIMIT
    assert report.figures.count(Figure.FAILED) == 1 and report.figures.count(Figure.PAUSED) == 1


async def test_reach_out_lock_error_463_pauses_the_number_for_its_configured_time(rig: Rig) -> None:
    assert isinstance(rig.session.client, FakeNeonizeClient)
    failing_send(rig.session.client, "server returned error 463")
    with pytest.raises(SendingPaused) as paused:
        await rig.session.send_text(WROTE, "hello")
    assert paused.value.until == T0 + timedelta(minutes=30)
    assert (await rig.figures()).figures.pause_reason is PauseReason.REACH_OUT_LOCK


async def test_an_ordinary_send_error_is_retried_not_taken_for_a_restriction(rig: Rig) -> None:
    assert isinstance(rig.session.client, FakeNeonizeClient)
    failing_send(rig.session.client, "server returned error 479")
    with pytest.raises(API.SendMessageError):
        await rig.session.send_text(WROTE, "hello")
    assert rig.session.state is SessionState.CONNECTED and rig.session.sending_paused() is None
    assert pause_signal("server returned error 429") is PauseReason.RATE_LIMIT
    assert pause_signal("websocket not connected") is None


async def test_temporary_ban_is_counted_in_the_numbers_health(rig: Rig) -> None:
    assert isinstance(rig.session.client, FakeNeonizeClient)
    await rig.session.client.emit(API.TemporaryBanEv(Code=1, Expire=3600))
    deadline = asyncio.get_running_loop().time() + 5
    while (await rig.figures()).figures.pause_reason is None:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.01)
    report = await rig.figures()
    assert report.figures.pause_reason is PauseReason.TEMPORARY_BAN
    assert report.figures.paused_until == T0 + timedelta(hours=1)


async def test_sends_are_spaced_by_a_jittered_interval_never_below_the_minimum(rig: Rig) -> None:
    rig.session.pacing = Pacing(typing_min=0, typing_per_char=0, typing_max=0, send_interval=0.02, jitter=0.5)
    rig.session.rng = random.Random(3)
    loop = asyncio.get_running_loop()
    client = rig.session.client
    assert client is not None
    send, started, returned = client.send_message, list[float](), list[float]()

    async def timed(to: Any, text: str) -> Any:
        started.append(loop.time())
        try:
            return await send(to, text)
        finally:
            returned.append(loop.time())

    client.send_message = timed  # type: ignore[method-assign]
    gaps = []
    for n in range(6):
        await rig.session.send_text(WROTE, f"m{n}")
        gaps.append(rig.session._next_send - returned[-1])  # the next send's earliest time, from this one's end
    # Timed from the send itself (not from after the health write and the "paused" presence that follow it), so a
    # busy machine moves neither bound.
    assert all(0.02 <= gap <= 0.02 * 1.5 + 0.001 for gap in gaps), gaps
    assert all(later - earlier >= 0.02 - 0.001 for earlier, later in zip(returned, started[1:], strict=False))
    assert len({round(gap, 4) for gap in gaps}) > 1  # not a fixed cadence
    typing = {Pacing(jitter=0.2).typing_seconds("See you at 5", random.Random(seed)) for seed in range(5)}
    assert len(typing) == 5 and all(0.6 * 0.8 <= t <= 3.0 * 1.2 for t in typing)


async def test_reminder_to_a_customer_who_wrote_from_a_lid_is_not_refused_and_goes_to_their_phone(rig: Rig) -> None:
    # The booking (and so the reminder) is filed under the LID the customer first wrote from; they wrote since from
    # the phone. Looked up by one form only, the reminder would be refused as "never wrote" or sent to the LID.
    lid, phone_chat = "123456789012345@lid", "5511987654321@s.whatsapp.net"
    await rig.store.link_identity("salon-a", ChatForms(lid=lid, address=lid), lid)
    asked = InboundMessage(company_id="salon-a", message_id="in-lid", chat_id=lid, text="haircut?", received_at=T0)
    assert await rig.store.record_inbound(asked)
    forms = ChatForms(phone="+5511987654321", lid=lid, address=phone_chat)
    assert (await rig.store.link_identity("salon-a", forms, phone_chat)).customer_id == lid
    await rig.queue("out:salon-a:reminder:z:0", lid, "Reminder: tomorrow at 15:00", reply_to="reminder:z")
    await rig.settled(sent=1)
    assert await rig.sent() == [{"to": phone_chat, "text": "Reminder: tomorrow at 15:00"}]
    assert (await rig.figures()).figures.count(Figure.REFUSED) == 0
