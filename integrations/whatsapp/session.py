"""One company's WhatsApp session: the state machine around a neonize client.

    unpaired → pairing_qr | pairing_code → connecting → connected ⇄ reconnecting (→ connecting: a new client)
                                                         ↘ logged_out | replaced | banned(until) | failed
Every neonize handler is wrapped (neonize silently drops exceptions raised in handlers). Inbound messages go to
one sink (the gateway's dedupe + enqueue) before anything else happens, those a history sync replays too.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from booking_bot.config import Pacing
from booking_bot.domain import InboundMessage
from integrations.whatsapp import client as neonize
from integrations.whatsapp.backoff import backoff_delays
from integrations.whatsapp.client import ClientFactory, SessionMissing, WhatsAppClient
from integrations.whatsapp.identity import Identities
from integrations.whatsapp.mapping import USER_SERVER, is_customer_chat, to_inbound
from integrations.whatsapp.sending import Figure, NumberSending, PauseReason, pause_signal

log = logging.getLogger(__name__)
QR_WINDOW_SECONDS = 160.0  # six codes: 60 s + 5 × 20 s; whatsmeow's own timeout is swallowed by the async client
REPLAY_MARGIN = timedelta(minutes=5)  # replay from a little before the last message seen: out-of-order arrivals


class SessionState(enum.StrEnum):
    UNPAIRED = "unpaired"
    PAIRING_QR = "pairing_qr"
    PAIRING_CODE = "pairing_code"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    LOGGED_OUT = "logged_out"
    REPLACED = "replaced"
    BANNED = "banned"
    FAILED = "failed"
    STOPPED = "stopped"


_ANY_LIVE = {SessionState.LOGGED_OUT, SessionState.REPLACED, SessionState.FAILED, SessionState.STOPPED}
TRANSITIONS: dict[SessionState, set[SessionState]] = {
    SessionState.UNPAIRED: {SessionState.PAIRING_QR, SessionState.PAIRING_CODE, SessionState.CONNECTING} | _ANY_LIVE,
    SessionState.PAIRING_QR: {SessionState.PAIRING_CODE, SessionState.CONNECTING, SessionState.UNPAIRED} | _ANY_LIVE,
    SessionState.PAIRING_CODE: {SessionState.CONNECTING, SessionState.UNPAIRED} | _ANY_LIVE,
    SessionState.CONNECTING: {SessionState.CONNECTED, SessionState.BANNED, SessionState.RECONNECTING} | _ANY_LIVE,
    SessionState.CONNECTED: {SessionState.RECONNECTING, SessionState.BANNED} | _ANY_LIVE,
    SessionState.RECONNECTING: {SessionState.CONNECTED, SessionState.CONNECTING, SessionState.BANNED} | _ANY_LIVE,
    SessionState.BANNED: {SessionState.CONNECTED, SessionState.RECONNECTING} | _ANY_LIVE,
    SessionState.LOGGED_OUT: {SessionState.STOPPED, SessionState.UNPAIRED},
    SessionState.REPLACED: {SessionState.STOPPED},
    SessionState.FAILED: {SessionState.STOPPED, SessionState.CONNECTING},
    SessionState.STOPPED: set(),
}


class NotConnected(RuntimeError):
    """The session cannot send right now (connecting, reconnecting, stopped): try again later."""


class SendingPaused(RuntimeError):
    """WhatsApp restricted this number (temporary ban, reach-out lock): no sends until `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"sending paused until {until.isoformat()}")
        self.until = until


@dataclass(frozen=True)
class SessionStatus:
    company_id: str
    state: SessionState
    since: datetime
    paused_until: datetime | None = None
    detail: str | None = None


InboundSink = Callable[[InboundMessage], Awaitable[None]]
StatusSink = Callable[[SessionStatus], Awaitable[None]]
PairedSink = Callable[[str, str | None], Awaitable[None]]  # (company id, jid user or None when logged out)


@dataclass
class CompanySession:
    """The state machine of one company's number. Built and driven by the gateway's session manager."""

    company_id: str
    factory: ClientFactory
    on_inbound: InboundSink
    on_status: StatusSink
    on_paired: PairedSink
    jid_user: str | None = None
    pacing: Pacing = field(default_factory=Pacing)
    sending: NumberSending = field(default_factory=NumberSending)
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    connect_timeout: float = 30.0
    preflight: bool = True  # no client is built while WhatsApp cannot be reached (each build leaks a DB handle)
    replay_max_age: timedelta = timedelta(hours=24)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    rng: random.Random = field(default_factory=random.Random)
    state: SessionState = SessionState.UNPAIRED
    paused_until: datetime | None = None
    qr_code: bytes | None = None
    client: WhatsAppClient | None = None
    last_inbound_at: datetime | None = None  # the latest message event; the manager seeds it from Redis
    last_event_at: datetime | None = None  # anything at all from WhatsApp (the watchdog's probe waits for it)
    connected_at: datetime | None = None
    replay_since: datetime | None = None  # None: a history sync replays nothing (a new phone's history)
    retry_in: float = 0.0  # after a failed connect_once: when to try again (jittered backoff)
    unreachable: str | None = None  # why WhatsApp could not be reached at the last attempt
    _connected: asyncio.Event = field(default_factory=asyncio.Event)
    _first_qr: asyncio.Event = field(default_factory=asyncio.Event)
    _next_send: float = 0.0
    _send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _inbound_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _connect_task: Any = None
    _delays: Iterator[float] | None = None

    # --- lifecycle ---------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect a paired number, retrying a failing first connect with capped backoff and jitter."""
        while self.state is not SessionState.STOPPED:
            if await self.connect_once():
                return
            await asyncio.sleep(self.retry_in)

    async def connect_once(self) -> bool:
        """One connect attempt (the gateway connects its sessions one at a time). False: retry after `retry_in`
        seconds. An unpaired company just shows as unpaired; a number the session database lost as logged out."""
        if self.jid_user is None:
            await self._move(SessionState.UNPAIRED)
            return True
        await self._move(SessionState.CONNECTING)
        try:
            self.unreachable = await self._attempt(partial(self.factory.resume, self.company_id, self.jid_user))
        except SessionMissing:
            await self._forget_number("the session database holds no device for this number: link it again")
            return True
        if self.unreachable is None:
            self._delays = None
            return True
        self._delays = self._delays or backoff_delays(self.backoff_base, self.backoff_cap, self.rng)
        self.retry_in = next(self._delays)
        await self._move(SessionState.FAILED, f"connect failed ({self.unreachable}); next try in {self.retry_in:.1f} s")
        return False

    async def pair_qr(self) -> None:
        """Start a new device and show QR codes for the app's own window (then back to unpaired)."""
        await self._move(SessionState.PAIRING_QR)
        why = await self._attempt(lambda: self.factory.new_device(self.company_id), QR_WINDOW_SECONDS)
        if why is None:
            return
        self.qr_code, self.unreachable = None, None if self._first_qr.is_set() else why  # no QR at all: unreachable
        why = f"WhatsApp not reachable yet ({why})" if self.unreachable else "QR window over"
        await self._move(SessionState.UNPAIRED, f"{why}: start a new pairing")

    async def _attempt(self, build: Callable[[], WhatsAppClient], limit: float | None = None) -> str | None:
        """Build a client and connect it: None once connected, else why not."""
        self._first_qr.clear()
        why = await self.factory.unreachable() if self.preflight else None
        if why is not None or self.state is SessionState.STOPPED:  # stopped during the preflight: build nothing
            return why or "stopped"
        self.client = self._register(build())
        self._connected.clear()
        try:
            self._connect_task = await self.client.connect()
            await neonize.wait_connected(self._connect_task, self._connected, limit or self.connect_timeout)
        except (TimeoutError, self.factory.api.NeonizeError) as exc:
            await self._discard_client()
            return neonize.describe(exc)
        return None

    async def pair_code(self, phone_digits: str) -> str:
        """Pairing by an 8-character code typed on the phone; only after connecting and the first QR."""
        if self.state is not SessionState.PAIRING_QR or self.client is None:
            raise NotConnected("start a QR pairing first; the code comes after the first QR")
        await asyncio.wait_for(self._first_qr.wait(), self.connect_timeout)
        code = await self.client.PairPhone(phone_digits, True)
        await self._move(SessionState.PAIRING_CODE)
        return code

    async def reconnect(self, why: str) -> None:
        """Drop the client for a new one (the watchdog found the session deaf); the manager queues the connect."""
        await self._discard_client()
        await self._move(SessionState.RECONNECTING, why)

    async def stop(self, logout: bool = False) -> None:
        """Close the session (gateway shutdown, lease lost). `logout` also unlinks the device."""
        if self.state is SessionState.STOPPED:
            return
        if logout and self.client is not None:
            try:
                await self.client.logout()
            except Exception:
                log.exception("company=%s logout failed", self.company_id)
        await self._discard_client()
        await self._move(SessionState.STOPPED)

    # --- sending -----------------------------------------------------------------------------------------------

    def sending_paused(self) -> datetime | None:
        if self.paused_until is not None and self.clock() < self.paused_until:
            return self.paused_until
        return None

    async def send_text(
        self,
        chat_id: str,
        text: str,
        reply_to: str | None = None,
        before_send: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Typing for a human-like moment, send, then mark the customer's message read. One send at a time per
        number, `send_interval` apart plus up to `jitter` of it (a fixed cadence is a bot's). A send error that is
        WhatsApp restricting the number (`sending.pause_signal`) pauses the number's sending."""
        until = self.sending_paused()
        if until is not None:
            raise SendingPaused(until)
        if self.state is SessionState.BANNED and self.client is not None:
            await self._move(SessionState.CONNECTED, "sending pause over")
        if self.client is None or self.state is not SessionState.CONNECTED:
            raise NotConnected(f"session is {self.state}")
        api = self.factory.api
        jid = _jid(api, chat_id)
        async with self._send_lock:
            loop = asyncio.get_running_loop()
            wait = self._next_send - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            await self.client.send_chat_presence(
                jid, api.ChatPresence.CHAT_PRESENCE_COMPOSING, api.ChatPresenceMedia.CHAT_PRESENCE_MEDIA_TEXT
            )
            await asyncio.sleep(self.pacing.typing_seconds(text, self.rng))
            if before_send is not None:
                await before_send()  # the caller's "sending" mark: right before the send, after the pause
            try:
                await self.client.send_message(jid, text)
            except Exception as exc:
                await self._note(Figure.FAILED)
                reason = pause_signal(exc) if isinstance(exc, api.SendMessageError) else None
                if reason is not None:
                    await self._pause_sending(self.clock() + self.sending.pauses.length(reason), reason, str(exc))
                    raise SendingPaused(self.paused_until or self.clock()) from exc
                raise
            finally:
                self._next_send = loop.time() + self.pacing.send_interval * (
                    1 + self.rng.uniform(0, self.pacing.jitter)
                )
            await self._note(Figure.SENT)
            await self.client.send_chat_presence(
                jid, api.ChatPresence.CHAT_PRESENCE_PAUSED, api.ChatPresenceMedia.CHAT_PRESENCE_MEDIA_TEXT
            )
        if reply_to:
            try:
                await self.client.mark_read(reply_to, chat=jid, sender=jid, receipt=api.ReceiptType.READ)
            except Exception:
                # The reply went out; a missing blue tick is not worth a resend.
                log.warning("company=%s mark read failed", self.company_id, exc_info=True)

    # --- events ------------------------------------------------------------------------------------------------

    def _register(self, client: WhatsAppClient) -> WhatsAppClient:
        """Register every handler, each wrapped, before connect()."""
        api = self.factory.api
        handlers: list[tuple[Any, Callable[[Any], Awaitable[None]]]] = [
            (api.MessageEv, self._on_message),
            (api.ConnectedEv, self._on_connected),
            (api.DisconnectedEv, self._on_disconnected),
            (api.LoggedOutEv, self._on_logged_out),
            (api.StreamReplacedEv, self._on_replaced),
            (api.TemporaryBanEv, self._on_temporary_ban),
            (api.ConnectFailureEv, self._on_connect_failure),
            (api.ClientOutdatedEv, self._on_outdated),
            (api.KeepAliveTimeoutEv, self._on_keepalive_timeout),
            (api.KeepAliveRestoredEv, self._on_keepalive_restored),
            (api.PairStatusEv, self._on_pair_status),
            (api.HistorySyncEv, self._on_history),
            (api.OfflineSyncPreviewEv, self._on_notice),
            (api.OfflineSyncCompletedEv, self._on_notice),
            (api.PresenceEv, self._on_notice),
        ]
        for event_class, handler in handlers:
            client.event(event_class)(self._wrapped(handler))
        client.qr(self._wrapped_qr)
        return client

    def _wrapped(self, handler: Callable[[Any], Awaitable[None]]) -> Callable[[Any, Any], Awaitable[None]]:
        async def run(_client: Any, event: Any) -> None:
            self.last_event_at = self.clock()
            try:
                await handler(event)
            except Exception:
                log.exception("company=%s handler %s failed", self.company_id, handler.__name__)

        return run

    async def _wrapped_qr(self, _client: Any, code: bytes) -> None:
        try:
            self.qr_code = code
            self._first_qr.set()
            await self._publish("qr code ready")
        except Exception:
            log.exception("company=%s QR callback failed", self.company_id)

    async def _on_message(self, event: Any) -> None:
        # neonize schedules each event as its own task: the FIFO lock, taken before any await, keeps arrival order.
        self.last_inbound_at = self.clock()
        async with self._inbound_lock:
            await self._accept(event)

    async def _accept(self, event: Any) -> None:
        source = event.Info.MessageSource
        if not event.Info.ID or not is_customer_chat(source):
            return
        identities = self.identities  # one customer whichever form WhatsApp used, linked before the core sees it
        client = self.client if self._connected.is_set() else None  # GetPNFromLID on a client not started: Go nil
        lookup = client.get_pn_from_lid if client is not None else None
        customer_id = await identities.of_message(source, lookup)
        message = to_inbound(self.company_id, event, identities.pn_by_lid, customer_id)
        if message is not None:
            await self.on_inbound(message)  # dedupe + durable enqueue: first, before anything else

    @property
    def identities(self) -> Identities:
        """The company's identities (kept for the session's life only unless the gateway gave a store-backed one)."""
        if self.sending.identities is None:
            self.sending.identities = Identities(self.company_id)
        return self.sending.identities

    async def address_of(self, customer_id: str) -> str:
        """The chat a customer's messages go to (the form they last wrote from)."""
        return await self.identities.address_of(customer_id)

    async def _on_connected(self, _event: Any) -> None:
        self._connected.set()
        self.connected_at, self.replay_since, self.unreachable = self.clock(), self.last_inbound_at, None
        await self._move(SessionState.BANNED if self.sending_paused() else SessionState.CONNECTED)
        if self.client is not None:
            await self.client.send_presence(self.factory.api.Presence.AVAILABLE)  # typing needs it

    async def _on_disconnected(self, _event: Any) -> None:
        if self.state in (SessionState.CONNECTED, SessionState.BANNED):
            await self._move(SessionState.RECONNECTING, "socket closed; whatsmeow reconnects")

    async def _on_keepalive_timeout(self, _event: Any) -> None:
        log.warning("company=%s keep-alive pings failing", self.company_id)

    async def _on_keepalive_restored(self, _event: Any) -> None:
        log.info("company=%s keep-alive restored", self.company_id)

    async def _on_logged_out(self, event: Any) -> None:
        await self._forget_number(f"logged out (reason {getattr(event, 'Reason', '?')}): re-pair")

    async def _forget_number(self, why: str) -> None:
        await self._move(SessionState.LOGGED_OUT, why)
        self.jid_user = None
        await self.on_paired(self.company_id, None)
        await self._discard_client()

    async def _on_history(self, event: Any) -> None:
        """Replay what arrived while away, from just before the last message seen (a new phone's history: nothing)."""
        if self.replay_since is not None:
            since = max(self.replay_since - REPLAY_MARGIN, self.clock() - self.replay_max_age)
            missed = neonize.history_messages(self.factory.api, event, int(since.timestamp() * 1000))
            log.info("company=%s history sync: %d message(s) to replay", self.company_id, len(missed))
            for message in missed:
                await self._on_message(message)

    async def _on_notice(self, event: Any) -> None:
        # Offline sync (what waited on the server follows as MessageEvs) or a presence (the watchdog's probe).
        log.debug("company=%s %s", self.company_id, type(event).__name__)

    async def _on_replaced(self, _event: Any) -> None:
        # Another process uses this session: never reconnect blindly (they would kick each other off forever).
        await self._move(SessionState.REPLACED, "another process took this session")
        await self._discard_client()

    async def _on_temporary_ban(self, event: Any) -> None:
        until = self.clock() + timedelta(seconds=int(event.Expire))
        await self._pause_sending(until, PauseReason.TEMPORARY_BAN, f"temporary ban (code {event.Code})")

    async def _on_connect_failure(self, event: Any) -> None:
        await self._move(SessionState.FAILED, f"connect refused: {getattr(event, 'Reason', '?')}")

    async def _on_outdated(self, _event: Any) -> None:
        await self._move(SessionState.FAILED, "client outdated: upgrade neonize")

    async def _on_pair_status(self, event: Any) -> None:
        if event.Error:
            log.warning("company=%s pairing failed", self.company_id)
            return
        self.jid_user = event.ID.User
        self.qr_code = None
        await self.on_paired(self.company_id, self.jid_user)
        await self._move(SessionState.CONNECTING, "paired")

    # --- internals ---------------------------------------------------------------------------------------------

    async def _pause_sending(self, until: datetime, reason: PauseReason, why: str) -> None:
        self.paused_until = max(until, self.paused_until or until)
        log.warning("company=%s sending paused until %s: %s", self.company_id, self.paused_until.isoformat(), reason)
        if self.sending.log is not None:
            await self.sending.log.paused(self.company_id, reason, self.paused_until)
        await self._move(SessionState.BANNED, why)

    async def _note(self, figure: Figure) -> None:
        if self.sending.log is not None:
            await self.sending.log.record(self.company_id, figure)

    async def _discard_client(self) -> None:
        client, self.client, task, self._connect_task = self.client, None, self._connect_task, None
        if client is not None:
            try:
                await neonize.close_client(client, task)
            except Exception:
                log.warning("company=%s client stop failed", self.company_id, exc_info=True)

    async def _move(self, target: SessionState, detail: str | None = None) -> None:
        if target is not self.state and target not in TRANSITIONS[self.state]:
            log.error("company=%s invalid session transition %s → %s", self.company_id, self.state, target)
            return
        self.state = target
        log.info("company=%s session %s%s", self.company_id, target, f": {detail}" if detail else "")
        await self._publish(detail)

    async def _publish(self, detail: str | None) -> None:
        await self.on_status(
            SessionStatus(
                company_id=self.company_id,
                state=self.state,
                since=self.clock(),
                paused_until=self.sending_paused(),
                detail=detail,
            )
        )


def _jid(api: Any, chat_id: str) -> Any:
    user, _, server = chat_id.partition("@")
    return api.build_jid(user, server or USER_SERVER)
