"""One identity per customer: a session (fake neonize, real Redis) whose identities are kept in the store files every
form WhatsApp uses for a customer (@lid, phone JID, a Brazilian number with or without its ninth digit) under one
customer id, before the message enters the core; replies go back to the form the customer wrote from."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from booking_bot.composition import Embedded
from booking_bot.config import Pacing
from booking_bot.domain import ChatForms, Company, InboundMessage
from booking_bot.inbound import accept_inbound
from booking_bot.jobs import InlineJobs
from booking_bot.ports import Store
from integrations.phones import normalise_phone
from integrations.storage.sqlite import SqliteStore
from integrations.whatsapp.identity import Identities, customer_for
from integrations.whatsapp.sending import NumberSending
from integrations.whatsapp.session import CompanySession, SessionStatus
from tests.conftest import FixedClock
from tests.fakes.neonize_fake import FakeClientFactory, FakeWhatsApp, jid, message_event

NUMBER = "15550000001"
LID = jid("123456789012345", "lid")
LID_CHAT = "123456789012345@lid"


async def _ignore(*_args: object) -> None:
    return None


class Inbox:
    """The session's sink: what reached the core's door."""

    def __init__(self, embedded: Embedded | None = None) -> None:
        self.embedded = embedded
        self.messages: list[InboundMessage] = []

    async def __call__(self, message: InboundMessage) -> None:
        if self.embedded is not None:
            await accept_inbound(self.embedded.services, message)
        self.messages.append(message)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def session_on(redis: Redis, store: Store, company_id: str, inbox: Inbox) -> CompanySession:
    async def on_status(_status: SessionStatus) -> None:
        return None

    return CompanySession(
        company_id=company_id,
        factory=FakeClientFactory(redis),
        on_inbound=inbox,
        on_status=on_status,
        on_paired=_ignore,
        jid_user=NUMBER,
        pacing=Pacing(typing_min=0, typing_per_char=0, typing_max=0, send_interval=0),
        sending=NumberSending(identities=Identities(company_id, store)),
    )


async def until(predicate: object, limit: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not predicate():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


async def test_customer_writing_as_lid_then_as_phone_is_one_customer_with_one_booking(
    redis: Redis, embedded: Embedded, chat: object, clock: FixedClock
) -> None:
    company: Company = chat.company  # type: ignore[attr-defined]
    inbox = Inbox(embedded)
    session = session_on(redis, embedded.store, company.id, inbox)
    await session.start()
    server = FakeWhatsApp(redis)
    jobs = embedded.jobs
    assert isinstance(jobs, InlineJobs)
    phone = jid("5511987654321")
    stamp = int(clock().timestamp() * 1000)

    async def say(message_id: str, chat_jid: object, text: str, **kw: object) -> None:
        count = len(inbox.messages)
        await server.deliver(NUMBER, message_event(message_id, chat_jid, text=text, timestamp_ms=stamp, **kw))  # type: ignore[arg-type]
        await until(lambda: len(inbox.messages) > count)
        await jobs.run_pending(embedded.services)

    # First as a LID the library cannot resolve yet, then from the phone (whatsmeow gives the LID as SenderAlt),
    # then as the phone alone: every message is the same customer's, so "yes" confirms what the LID asked for.
    await say("m1", LID, "Book a men's haircut with Anna tomorrow at 3pm")
    await say("m2", phone, "yes", sender_alt=LID)
    await say("m3", phone, "cancel my appointment")
    await say("m4", LID, "no")
    assert {m.chat_id for m in inbox.messages} == {LID_CHAT}
    bookings = await embedded.store.list_bookings(company.id)
    assert len(bookings) == 1 and bookings[0].customer_id == LID_CHAT and bookings[0].status.value == "booked"
    customer = await embedded.store.get_customer(company.id, LID_CHAT)
    assert customer is not None and customer.phone == "+5511987654321"
    assert await embedded.store.get_customer(company.id, "5511987654321@s.whatsapp.net") is None
    # Replies go to the phone JID once it is known, as before identities were kept.
    assert await session.address_of(LID_CHAT) == "5511987654321@s.whatsapp.net"
    await session.stop()


async def test_brazilian_number_with_and_without_the_ninth_digit_is_one_customer(redis: Redis) -> None:
    store = SqliteStore(":memory:", lambda: datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    inbox = Inbox()
    session = session_on(redis, store, "salon-a", inbox)
    await session.start()
    server = FakeWhatsApp(redis)
    await server.deliver(NUMBER, message_event("b1", jid("551187654321"), text="oi"))  # an account from before 2012
    await until(lambda: len(inbox.messages) == 1)
    await server.deliver(NUMBER, message_event("b2", jid("5511987654321"), text="quero marcar"))
    await until(lambda: len(inbox.messages) == 2)
    assert [m.chat_id for m in inbox.messages] == ["5511987654321@s.whatsapp.net"] * 2
    assert {m.phone for m in inbox.messages} == {"+5511987654321"}
    # The API reaches the same customer whichever form it is given.
    for to in ("551187654321@s.whatsapp.net", "5511987654321@s.whatsapp.net"):
        assert await customer_for(store, "salon-a", to) == "5511987654321@s.whatsapp.net"
    await session.stop()
    store.close()


def test_argentinian_mobile_in_its_549_54_9_and_15_forms_is_one_number() -> None:
    forms = ["5491112345678", "+54 9 11 1234-5678", "+54 11 1234-5678", "+54 11 15 1234-5678"]
    assert {normalise_phone(form) for form in forms} == {"+5491112345678"}
    assert normalise_phone("011 15 1234-5678", "AR") == "+5491112345678"
    assert normalise_phone("+55 21 3234-5678") == "+552132345678"  # a Brazilian landline gets no ninth digit


async def test_lid_the_library_resolves_joins_the_customer_who_wrote_from_the_phone(redis: Redis) -> None:
    store = SqliteStore(":memory:", lambda: datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    inbox = Inbox()
    session = session_on(redis, store, "salon-a", inbox)
    await session.start()
    server = FakeWhatsApp(redis)
    await server.deliver(NUMBER, message_event("p1", jid("79990001122"), text="hi"))
    await until(lambda: len(inbox.messages) == 1)
    await server.map_lid("123456789012345", "79990001122")  # whatsmeow learnt the mapping (get_pn_from_lid)
    await server.deliver(NUMBER, message_event("p2", LID, text="tomorrow?"))
    await until(lambda: len(inbox.messages) == 2)
    assert [m.chat_id for m in inbox.messages] == ["79990001122@s.whatsapp.net"] * 2
    linked = await store.find_identity("salon-a", lid=LID_CHAT)
    assert linked is not None and linked.customer_id == "79990001122@s.whatsapp.net"
    await session.stop()
    store.close()


async def test_customer_known_before_identities_were_kept_keeps_their_chat_and_history(redis: Redis) -> None:
    store = SqliteStore(":memory:", lambda: datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    old = InboundMessage(  # filed by the gateway before this change: under the JID as WhatsApp wrote it
        company_id="salon-a",
        message_id="old-1",
        chat_id="553187654321@s.whatsapp.net",
        text="oi",
        received_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert await store.record_inbound(old)
    inbox = Inbox()
    session = session_on(redis, store, "salon-a", inbox)
    await session.start()
    await FakeWhatsApp(redis).deliver(NUMBER, message_event("n1", jid("553187654321"), text="de novo"))
    await until(lambda: len(inbox.messages) == 1)
    assert inbox.messages[0].chat_id == "553187654321@s.whatsapp.net"  # not the normalised 5531987654321
    assert inbox.messages[0].phone == "+5531987654321"
    await session.stop()
    store.close()


class BrokenStore(SqliteStore):
    async def link_identity(self, company_id: str, forms: ChatForms, new_customer_id: str) -> object:  # type: ignore[override]
        raise ConnectionError("store down")


async def test_store_down_while_linking_an_identity_loses_no_message(redis: Redis) -> None:
    store = BrokenStore(":memory:", lambda: datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    inbox = Inbox()
    session = session_on(redis, store, "salon-a", inbox)
    await session.start()
    await FakeWhatsApp(redis).deliver(NUMBER, message_event("s1", LID, text="hi", sender_alt=jid("79990001122")))
    await until(lambda: len(inbox.messages) == 1)
    assert inbox.messages[0].chat_id == "79990001122@s.whatsapp.net"  # filed by the message alone
    await session.stop()
    store.close()
