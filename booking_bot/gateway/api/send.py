"""POST /api/v1/companies/{id}/messages: a text to a customer through the company's number.

The message takes the replies' path: recorded in the outbox under a key derived from the `Idempotency-Key` header,
then put on the company's outbound stream, which the gateway holding the company sends from (one send at a time
per number, typing pause, `send_interval` apart; nothing while WhatsApp has the number paused). On top of that,
to keep the number out of trouble: the check every proactive message passes (`gateway/proactive.py`: only customers
who wrote to the salon before or opted in, and a newly linked number's warm-up budget), answered here before the
message is queued; at most `per_minute` API messages per company and `per_chat_per_hour` per customer. A replayed
key sends nothing again and answers with the message's current status; the same key with another body is refused.
The recipient is filed under its customer id (`integrations/whatsapp/identity.py`): a phone number, its JID in
another form or the customer's LID all reach the one customer.

POST /api/v1/companies/{id}/opt-ins records that a customer agreed to such messages (the salon's form, the desk).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
import time
from datetime import UTC, datetime

from aiohttp import web
from redis.asyncio import Redis

from booking_bot.domain import OutboundMessage, Scope
from booking_bot.gateway.api.auth import Access
from booking_bot.gateway.api.base import ApiContext, Route, company_of, context, parse, reply
from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.api.models import OptInIn, OptInOut, SendIn, SendOut
from booking_bot.gateway.api.sessions import phone_digits, session_view
from booking_bot.gateway.proactive import Proactive, Refusal
from integrations import redis_keys as keys
from integrations.messaging.redis_stream import RedisStreamChannel
from integrations.whatsapp.identity import customer_for, forms_of_chat

log = logging.getLogger(__name__)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
QUEUEING = {"connected", "connecting", "reconnecting"}  # the gateway sends when it can
POLL_SECONDS = 0.05


def chat_of(to: str) -> str:
    """A chat id as given, or the phone-number chat of a number."""
    if "@" in to:
        user, _, server = to.partition("@")
        if not user or server not in ("s.whatsapp.net", "lid"):
            raise ApiError(422, "bad_recipient", "give a chat id (…@s.whatsapp.net, …@lid) or a phone number")
        return to
    return f"{phone_digits(to)}@s.whatsapp.net"


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


async def _within(redis: Redis, key: str, limit: int, window: int) -> int:
    """Count one use in the fixed window; 0 if allowed, else seconds until the window ends."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        pipe.ttl(key)
        count, _, ttl = await pipe.execute()
    return 0 if int(count) <= limit else max(1, int(ttl))


async def _delivery_status(redis: Redis, company_id: str, key: str, wait: float) -> str:
    """'sent' once the gateway marked the key sent (waiting up to `wait` seconds), else 'queued'."""
    deadline = time.monotonic() + wait
    while True:
        if await redis.get(keys.outbound_sent(company_id, key)) == b"sent":
            return "sent"
        if time.monotonic() >= deadline:
            return "queued"
        await asyncio.sleep(POLL_SECONDS)


async def send_message(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    idempotency_key = request.headers.get("Idempotency-Key", "")
    if not IDEMPOTENCY_KEY.match(idempotency_key):
        raise ApiError(400, "idempotency_key", "send an Idempotency-Key header: 1-100 of A-Z a-z 0-9 _ . : -")
    body = await parse(request, SendIn)
    chat_id = await customer_for(ctx.store, company.id, chat_of(body.to.strip()))
    reply_to = f"api:{idempotency_key}"
    out_key = f"out:{company.id}:{reply_to}:0"
    channel = RedisStreamChannel(ctx.redis)

    recorded = await ctx.store.outbound_replies(company.id, reply_to)
    if not recorded:
        await _check_may_send(request, company.id, chat_id, out_key)
        message = OutboundMessage(
            company_id=company.id, chat_id=chat_id, text=body.text, reply_to=reply_to, idempotency_key=out_key
        )
        if await ctx.store.record_outbound(message):
            # Not a reply to a message: no read receipt to give (the stream's reply_to marks a message read).
            await channel.send(message.model_copy(update={"reply_to": None}))
            await ctx.store.mark_outbound_sent(company.id, out_key)
            status = await _delivery_status(ctx.redis, company.id, out_key, ctx.send.wait_seconds)
            log.info("company=%s api message %s", company.id, status)
            return reply(SendOut(id=out_key, chat_id=chat_id, status=status, replayed=False))
        recorded = await ctx.store.outbound_replies(company.id, reply_to)  # a concurrent request recorded it
    first = recorded[0]
    if first.chat_id != chat_id or first.text != body.text:
        raise ApiError(409, "idempotency_conflict", "this Idempotency-Key was used for another message")
    for unsent in await ctx.store.outbound_replies(company.id, reply_to, unsent_only=True):
        # Recorded by a request that failed before handing it over: hand it over now (the gateway dedupes the key).
        await channel.send(unsent.model_copy(update={"reply_to": None}))
        await ctx.store.mark_outbound_sent(company.id, unsent.idempotency_key)
    status = await _delivery_status(ctx.redis, company.id, out_key, 0)
    return reply(SendOut(id=out_key, chat_id=chat_id, status=status, replayed=True))


async def _check_may_send(request: web.Request, company_id: str, chat_id: str, out_key: str) -> None:
    """The ban-avoidance rules, then the limits (only new messages count; replays do not); last, the message's
    place in the warm-up budget is taken, so the gateway never holds back a message answered `queued` here."""
    ctx = context(request)
    proactive = _proactive(ctx)
    number = await ctx.redis.hget(keys.JIDS, company_id)  # type: ignore[misc]
    refusal = await proactive.check(company_id, chat_id, number.decode() if number else None)
    if refusal is Refusal.NO_CONVERSATION:
        raise ApiError(
            422,
            "no_conversation",
            "this customer never wrote to the salon nor opted in; messages to strangers get WhatsApp numbers banned "
            "(POST .../opt-ins records an opt-in; BOOKING_BOT_API_SEND_NEW_CONTACTS allows strangers)",
        )
    view = await session_view(ctx.redis, company_id)
    if view["state"] == "banned":
        raise ApiError(409, "sending_paused", f"WhatsApp paused this number's sending until {view['paused_until']}")
    if view["state"] not in QUEUEING:
        raise ApiError(409, "not_linked", f"the company's WhatsApp session is {view['state']}: link the number first")
    if refusal is Refusal.WARM_UP:
        _warm_up_spent((await proactive.warm_up(number.decode() if number else None)).resets_in)
    minute = int(time.time() // 60)
    wait = await _within(ctx.redis, keys.api_sends(company_id, minute), ctx.send.per_minute, 60)
    if not wait:
        hour = int(time.time() // 3600)
        chat_key = keys.api_sends_to_chat(company_id, _hash(chat_id), hour)
        wait = await _within(ctx.redis, chat_key, ctx.send.per_chat_per_hour, 3600)
    if wait:
        log.info("company=%s api send rate-limited", company_id)
        raise ApiError(429, "rate_limited", "too many messages: see Retry-After", headers={"Retry-After": str(wait)})
    if await proactive.budget.take(company_id, out_key) is not None:  # another message took the last place meanwhile
        _warm_up_spent((await proactive.warm_up(number.decode() if number else None)).resets_in)


def _warm_up_spent(resets_in: float) -> None:
    raise ApiError(
        429,
        "warm_up",
        "this newly linked number sent all the proactive messages its warm-up allows today: see Retry-After",
        headers={"Retry-After": str(max(1, math.ceil(resets_in)))},
    )


def _proactive(ctx: ApiContext) -> Proactive:
    """The gateway's one check of proactive messages (a bare one on a gateway built without sending rules)."""
    if ctx.manager.outbound is not None:
        return ctx.manager.outbound.proactive
    return Proactive(ctx.store, ctx.redis, (), ctx.send)


async def opt_in(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    body = await parse(request, OptInIn)
    chat = chat_of(body.to.strip())
    customer_id = await customer_for(ctx.store, company.id, chat)
    forms = forms_of_chat(chat)
    identity = await ctx.store.link_identity(company.id, forms.model_copy(update={"address": None}), customer_id)
    await ctx.store.record_opt_in(company.id, identity.customer_id, (ctx.clock or _now)())
    stored = await ctx.store.find_identity(company.id, customer_id=identity.customer_id)
    if stored is None or stored.opted_in_at is None:
        raise ApiError(503, "store", "the opt-in could not be read back: try again")
    log.info("company=%s customer opted in", company.id)
    return reply(OptInOut(chat_id=stored.customer_id, opted_in_at=stored.opted_in_at.isoformat()))


def _now() -> datetime:
    return datetime.now(UTC)


C = "/api/v1/companies/{company_id}"
ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        C + "/messages",
        send_message,
        Access.COMPANY,
        "Send a text to a customer through the company's number (Idempotency-Key header required)",
        SendIn,
        SendOut,
        200,
        (400, 404, 409, 422, 429),
        tag="send",
        scope=Scope.SEND,
        headers=(("Idempotency-Key", "1-100 of A-Z a-z 0-9 _ . : - ; a replay sends nothing again"),),
    ),
    Route(
        "POST",
        C + "/opt-ins",
        opt_in,
        Access.COMPANY,
        "Record that a customer agreed to proactive messages (reminders, offers) before writing to the salon",
        OptInIn,
        OptInOut,
        200,
        (404, 422),
        tag="send",
        scope=Scope.SEND,
    ),
)
