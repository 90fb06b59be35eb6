"""Outbound: the owning gateway reads each held company's stream and sends through the company's session.

Per company, entries are sent one at a time in stream order (so a chat's replies keep their order). Each entry:
skip if its idempotency key was already sent → typing, human-like pause, send (the session paces the number) →
remember the key → XACK + XDEL. A session paused by WhatsApp (temporary ban, reach-out lock) or not connected leaves
the entry pending; it is retried when the company is sendable again. On taking a company over, entries a dead gateway
had read but not acknowledged are claimed (XAUTOCLAIM) and go through the same dedupe.

Every entry goes to the chat the customer last wrote from (their identity's address). An entry that answers no
message of the customer's is proactive: it passes `proactive.Proactive`'s one check first (wrote first or opted in;
the warm-up budget, unless the job that queued it took its place there already), is dropped when refused, and gives
no read receipt. Nothing is reported back to the store: the job recorded the message as sent when it queued it, which
is why the jobs ask the same rule first (booking_bot/outbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from booking_bot.gateway.proactive import Proactive, Refusal, WarmUp
from booking_bot.ports import Store
from booking_bot.settings import Settings
from integrations import redis_keys as keys
from integrations.whatsapp.health import HealthFigures, NumberHealth
from integrations.whatsapp.identity import Identities
from integrations.whatsapp.sending import Figure, NumberSending, PausePolicy
from integrations.whatsapp.session import CompanySession, NotConnected, SendingPaused

log = logging.getLogger(__name__)
SENT_TTL = timedelta(days=7)
RETRY_SECONDS = 1.0
SENDING = b"sending"
SENT = b"sent"


@dataclass(frozen=True)
class Entry:
    entry_id: str
    key: str
    chat_id: str
    text: str
    reply_to: str | None


def _decode(entry_id: bytes | str, fields: dict[bytes, bytes]) -> Entry:
    def text(name: bytes) -> str:
        return fields.get(name, b"").decode()

    return Entry(
        entry_id=entry_id.decode() if isinstance(entry_id, bytes) else entry_id,
        key=text(b"key"),
        chat_id=text(b"chat"),
        text=text(b"text"),
        reply_to=text(b"reply_to") or None,
    )


@dataclass(frozen=True)
class NumberReport:
    """A number's health as the staff page and /metrics show it: its last 24 hours, its pause, its warm-up."""

    figures: HealthFigures
    warm_up: WarmUp


@dataclass
class Outbound:
    """What the gateway's sessions and outboxes share for sending safely: the store (identities, the message log),
    the one check of proactive messages, each number's health figures, and how long WhatsApp's pauses last."""

    store: Store
    proactive: Proactive
    health: NumberHealth
    pauses: PausePolicy = field(default_factory=PausePolicy)

    @classmethod
    def from_settings(cls, redis: Redis, store: Store, settings: Settings) -> Outbound:
        gateway = settings.gateway
        return cls(
            store=store,
            proactive=Proactive(store, redis, gateway.warmup_proactive_per_day, settings.api.send_limits()),
            health=NumberHealth(redis),
            pauses=PausePolicy(
                reach_out_lock=timedelta(minutes=gateway.reach_out_lock_pause_minutes),
                rate_limit=timedelta(seconds=gateway.rate_limit_pause_seconds),
            ),
        )

    def number(self, company_id: str) -> NumberSending:
        """A session's sending parts: store-backed identities, its health figures, the pause lengths."""
        return NumberSending(identities=Identities(company_id, self.store), log=self.health, pauses=self.pauses)

    async def report(self, redis: Redis, company_ids: list[str]) -> dict[str, NumberReport]:
        """Each company's number report (its warm-up read for the number linked now)."""
        if not company_ids:
            return {}
        figures = await self.health.read(company_ids)
        numbers = await redis.hmget(keys.JIDS, company_ids)  # type: ignore[misc]
        reports: dict[str, NumberReport] = {}
        for company_id, number in zip(company_ids, numbers, strict=True):
            warm_up = await self.proactive.warm_up(number.decode() if number else None)
            reports[company_id] = NumberReport(figures[company_id], warm_up)
        return reports


class CompanyOutbox:
    """The send loop of one held company. Without `outbound` (tests, tools) every entry is sent as it is."""

    def __init__(
        self,
        redis: Redis,
        consumer: str,
        session: CompanySession,
        block_ms: int = 1000,
        outbound: Outbound | None = None,
    ) -> None:
        self._redis = redis
        self._consumer = consumer
        self._session = session
        self._outbound = outbound
        self._stream = keys.outbound_stream(session.company_id)
        self._block_ms = block_ms
        self.sent = 0
        self.skipped = 0
        self._stopping = asyncio.Event()

    @property
    def company_id(self) -> str:
        return self._session.company_id

    def stop(self) -> None:
        """Finish the entry in hand, then return."""
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._run()
            except Exception:
                log.exception("company=%s outbox loop failed; restarting", self.company_id)
                await self._wait(RETRY_SECONDS)

    async def _run(self) -> None:
        await self._ensure_group()
        await self._claim_abandoned()
        while not self._stopping.is_set():
            # Own pending entries first (not sendable earlier), then new ones.
            entries = await self._read("0") or await self._read(">")
            for entry in entries:
                if self._stopping.is_set():
                    return
                if not await self._deliver(entry):
                    await self._wait(RETRY_SECONDS)
                    break

    async def _ensure_group(self) -> None:
        try:
            await self._redis.xgroup_create(self._stream, keys.OUTBOUND_GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _claim_abandoned(self) -> None:
        """Entries another (dead or former) owner read but never acknowledged become ours."""
        start = "0-0"
        while True:
            result = await self._redis.xautoclaim(
                self._stream, keys.OUTBOUND_GROUP, self._consumer, min_idle_time=0, start_id=start, count=100
            )
            start = result[0].decode() if isinstance(result[0], bytes) else result[0]
            if start in ("0-0", "0"):
                return

    async def _read(self, position: str) -> list[Entry]:
        block = None if position == "0" else self._block_ms
        response = await self._redis.xreadgroup(
            keys.OUTBOUND_GROUP, self._consumer, {self._stream: position}, count=20, block=block
        )
        entries: list[Entry] = []
        for _stream, items in response or []:
            entries.extend(_decode(entry_id, fields) for entry_id, fields in items if fields)
        return entries

    async def _deliver(self, entry: Entry) -> bool:
        """True when the entry is done (sent now, or before); False to retry it later.

        The key is marked `sending` before the send and `sent` after. A gateway killed in between leaves `sending`:
        WhatsApp cannot be asked whether that message went out, so the next owner sends it again (a repeated reply
        beats a lost one) and counts it in `bb:gw:ambiguous_resends`.
        """
        sent_key = keys.outbound_sent(self.company_id, entry.key)
        mark = await self._redis.get(sent_key)
        if mark == SENT:
            self.skipped += 1
            await self._done(entry)
            return True
        if mark == SENDING:
            log.warning("company=%s resending a reply whose send a dead gateway may have made", self.company_id)
            await self._redis.incr(keys.AMBIGUOUS_RESENDS)
        try:
            proactive = self._outbound is not None and not await self._outbound.proactive.is_reply(
                self.company_id, entry.reply_to
            )
            budgeted = proactive and await self._budgeted(entry)
            if proactive and not await self._may_send_proactive(entry, budgeted):
                await self._done(entry)
                return True
            chat = await self._session.address_of(entry.chat_id)
            reply_to = None if proactive else entry.reply_to  # a read receipt only for the customer's own message
            await self._session.send_text(chat, entry.text, reply_to, before_send=self._marker(sent_key))
        except (NotConnected, SendingPaused) as exc:
            log.info("company=%s outbound waits: %s", self.company_id, type(exc).__name__)
            return False
        except Exception:
            log.exception("company=%s send failed; retrying", self.company_id)
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(sent_key, SENT, ex=int(SENT_TTL.total_seconds()))
            pipe.xack(self._stream, keys.OUTBOUND_GROUP, entry.entry_id)
            pipe.xdel(self._stream, entry.entry_id)
            await pipe.execute()
        self.sent += 1
        if proactive and not budgeted and self._outbound is not None:
            await self._outbound.proactive.sent(self._session.jid_user)  # a budgeted one was counted when taken
        return True

    async def _budgeted(self, entry: Entry) -> bool:
        assert self._outbound is not None
        return await self._outbound.proactive.budgeted(self.company_id, entry.key)

    async def _may_send_proactive(self, entry: Entry, budgeted: bool) -> bool:
        """The one check of proactive messages; a refused one is counted in the number's health and dropped. One
        whose job took its place in the warm-up budget is never held back (the job reported it sent)."""
        assert self._outbound is not None
        refusal = await self._outbound.proactive.check(
            self.company_id, entry.chat_id, self._session.jid_user, budgeted=budgeted
        )
        if refusal is None:
            return True
        figure = Figure.REFUSED if refusal is Refusal.NO_CONVERSATION else Figure.HELD_BACK
        log.warning("company=%s proactive message not sent: %s", self.company_id, refusal.value)
        await self._outbound.health.record(self.company_id, figure)
        self.skipped += 1
        return False

    def _marker(self, sent_key: str) -> Callable[[], Awaitable[None]]:
        async def mark() -> None:
            await self._redis.set(sent_key, SENDING, ex=int(SENT_TTL.total_seconds()))

        return mark

    async def _done(self, entry: Entry) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(self._stream, keys.OUTBOUND_GROUP, entry.entry_id)
            pipe.xdel(self._stream, entry.entry_id)
            await pipe.execute()

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
