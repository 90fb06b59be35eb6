"""A fake neonize async client with the real surface, and a fake "WhatsApp" behind it in Redis.

The client has `NewAClient`'s methods (connect, event, qr, is_connected, send_message, send_chat_presence,
send_presence, subscribe_presence, mark_read, get_pn_from_lid, PairPhone, logout, disconnect, stop) and dispatches
hand-built neonize protobuf events the way neonize does: each event as its own task on the loop. On connecting it
behaves as whatsmeow does: ConnectedEv, then what waited on the server between OfflineSyncPreviewEv and
OfflineSyncCompletedEv as ordinary MessageEvs, then the history syncs the phone sends. The "server" lives in Redis,
so gateway processes started by a test or the load script share it:

    fakewa:inbox:{number}    serialised `MessageEv`s waiting for the number's connected client
    fakewa:unacked:{number}  delivered, handler not finished: redelivered when a client connects (WhatsApp
                             redelivers what a dead device never acknowledged)
    fakewa:sent:{number}     what the number sent: JSON {"to", "text"}
    fakewa:read:{number}     message ids marked read;  fakewa:typing:{number}  composing indicators shown
    fakewa:conn:{number}     the connection holding the number: a live one that finds another there got replaced
    fakewa:replaced          how many StreamReplaced happened;  fakewa:lid  LID → phone-number JID
    fakewa:fail:{number}     how many coming connects fail (NeonizeError) before one succeeds
    fakewa:silent:{number}   the connection that went deaf: it says connected, delivers nothing, answers no probe
    fakewa:history:{number}  serialised `HistorySyncEv`s the phone sends after the next connect
    fakewa:unreachable       set: WhatsApp cannot be reached (the factory's preflight says why)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from integrations.whatsapp import client as neonize
from integrations.whatsapp.client import Neonize, WhatsAppClient, load_neonize

API = load_neonize()

from neonize.proto.Neonize_pb2 import (  # noqa: E402 - after load_neonize() silenced its import warnings
    JID,
    Message,
    SendResponse,
)
from neonize.proto.waCommon.WACommon_pb2 import MessageKey  # noqa: E402
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import (  # noqa: E402
    ExtendedTextMessage,
    ImageMessage,
)
from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import Message as WAMessage  # noqa: E402
from neonize.proto.waHistorySync.WAWebProtobufsHistorySync_pb2 import (  # noqa: E402
    Conversation,
    HistorySync,
    HistorySyncMsg,
)
from neonize.proto.waWeb.WAWebProtobufsWeb_pb2 import WebMessageInfo  # noqa: E402


def jid(user: str, server: str = "s.whatsapp.net", device: int = 0) -> JID:
    return JID(User=user, Server=server, Device=device, RawAgent=0, Integrator=0, IsEmpty=False)


def message_event(
    message_id: str,
    chat: JID,
    *,
    text: str = "",
    sender: JID | None = None,
    sender_alt: JID | None = None,
    recipient_alt: JID | None = None,
    from_me: bool = False,
    group: bool = False,
    push_name: str = "",
    timestamp_ms: int | None = None,
    caption: str | None = None,
    extended: bool = False,
) -> Message:
    """A `MessageEv` as neonize hands it to a handler (Timestamp in milliseconds)."""
    if caption is not None:
        body = WAMessage(imageMessage=ImageMessage(caption=caption))
    elif extended:
        body = WAMessage(extendedTextMessage=ExtendedTextMessage(text=text))
    else:
        body = WAMessage(conversation=text)
    return neonize.message_event(
        API,
        message_id,
        chat,
        body,
        sender=sender,
        sender_alt=sender_alt,
        recipient_alt=recipient_alt,
        from_me=from_me,
        group=group,
        push_name=push_name,
        timestamp_ms=timestamp_ms if timestamp_ms is not None else int(time.time() * 1000),
    )


def history_sync(*events: Message) -> Any:
    """A `HistorySyncEv` holding these messages, one conversation per chat, as the phone sends one (timestamps in
    seconds; the phone-number / LID twin of a chat on its conversation)."""
    conversations: dict[str, Conversation] = {}
    for event in events:
        source = event.Info.MessageSource
        chat = f"{source.Chat.User}@{source.Chat.Server}"
        alt = source.RecipientAlt if source.IsFromMe else source.SenderAlt
        twin = f"{alt.User}@{alt.Server}" if alt.User else ""
        conversation = conversations.setdefault(chat, Conversation(ID=chat))
        if twin:
            conversation.pnJID, conversation.lidJID = (twin, chat) if source.Chat.Server == "lid" else (chat, twin)
        stored = WebMessageInfo(
            key=MessageKey(remoteJID=chat, fromMe=source.IsFromMe, ID=event.Info.ID),
            message=event.Message,
            messageTimestamp=event.Info.Timestamp // 1000,
            pushName=event.Info.Pushname,
        )
        conversation.messages.append(HistorySyncMsg(message=stored))
    data = HistorySync(syncType=HistorySync.HistorySyncType.RECENT, conversations=list(conversations.values()))
    return API.HistorySyncEv(Data=data)


class FakeWhatsApp:
    """The test's side of the fake server: deliver messages to a number, read what it sent."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def deliver(self, number: str, event: Message) -> None:
        await self.redis.rpush(f"fakewa:inbox:{number}", event.SerializeToString())

    async def sent(self, number: str) -> list[dict[str, str]]:
        return [json.loads(raw) for raw in await self.redis.lrange(f"fakewa:sent:{number}", 0, -1)]

    async def read(self, number: str) -> list[str]:
        return [raw.decode() for raw in await self.redis.lrange(f"fakewa:read:{number}", 0, -1)]

    async def typing(self, number: str) -> int:
        return int(await self.redis.get(f"fakewa:typing:{number}") or 0)

    async def replaced(self) -> int:
        return int(await self.redis.get("fakewa:replaced") or 0)

    async def fail_next_connects(self, number: str, count: int) -> None:
        await self.redis.set(f"fakewa:fail:{number}", count)

    async def map_lid(self, lid_user: str, phone_user: str) -> None:
        await self.redis.hset("fakewa:lid", f"{lid_user}@lid", f"{phone_user}@s.whatsapp.net")

    async def silence(self, number: str) -> None:
        """The number's live connection goes deaf: still 'connected', but nothing reaches it any more."""
        await self.redis.set(f"fakewa:silent:{number}", await self.redis.get(f"fakewa:conn:{number}") or b"")

    async def send_history(self, number: str, event: Any) -> None:
        """The phone sends this history sync after the number's next connect."""
        await self.redis.rpush(f"fakewa:history:{number}", event.SerializeToString())

    async def unreachable(self, down: bool = True) -> None:
        if down:
            await self.redis.set("fakewa:unreachable", "1")
        else:
            await self.redis.delete("fakewa:unreachable")

    async def waiting(self, number: str) -> int:
        """Messages the server holds for the number (not delivered yet)."""
        return int(await self.redis.llen(f"fakewa:inbox:{number}"))


Handler = Callable[[Any, Any], Any]


class FakeNeonizeClient:
    """`NewAClient`'s surface over the fake server. `jid_user` None: a new device waiting to be paired."""

    def __init__(self, redis: Redis, jid_user: str | None, api: Neonize = API) -> None:
        self.redis = redis
        self.jid_user = jid_user
        self.api = api
        self._handlers: dict[type, Handler] = {}
        self._qr: Handler | None = None
        self._token = secrets.token_hex(8)
        self._stopped = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.qr_shown = False
        self.connected = False

    # registration, as in neonize: the decorator returns None
    def event(self, event_class: Any) -> Callable[[Handler], None]:
        def register(handler: Handler) -> None:
            self._handlers[event_class] = handler

        return register

    def qr(self, callback: Handler) -> None:
        self._qr = callback

    async def connect(self) -> asyncio.Task[None]:
        return asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        if self.jid_user is None:
            if self._qr is not None:
                self.qr_shown = True
                self._spawn(self._qr(self, b"https://wa.me/settings/linked_devices#fake-ref,fake-keys"))
            await self._stopped.wait()
            return
        fails = await self.redis.decr(f"fakewa:fail:{self.jid_user}")
        if fails >= 0:
            raise self.api.NeonizeError("dial tcp: no route to host")
        await self.redis.delete(f"fakewa:fail:{self.jid_user}")
        await self._go_online()
        await self._stopped.wait()

    async def _go_online(self) -> None:
        assert self.jid_user is not None
        number = self.jid_user
        await self.redis.set(f"fakewa:conn:{number}", self._token)
        self.connected = True
        self._dispatch(self.api.ConnectedEv(status=True))
        # Redeliver what a previous connection received but never finished handling, then what waited on the
        # server, between the two offline-sync events whatsmeow emits around it.
        unacked = await self.redis.lrange(f"fakewa:unacked:{number}", 0, -1)
        waiting = int(await self.redis.llen(f"fakewa:inbox:{number}"))
        total = len(unacked) + waiting
        self._dispatch(self.api.OfflineSyncPreviewEv(**dict.fromkeys(self.PREVIEW, 0), Total=total, Message=total))
        for raw in unacked:
            self._dispatch_message(raw)
        for _ in range(waiting):
            raw = await self.redis.lmove(f"fakewa:inbox:{number}", f"fakewa:unacked:{number}", "LEFT", "RIGHT")
            if raw is not None:
                self._dispatch_message(raw)
        self._dispatch(self.api.OfflineSyncCompletedEv(Count=total))
        while (raw := await self.redis.lpop(f"fakewa:history:{number}")) is not None:
            self._dispatch(self.api.HistorySyncEv.FromString(raw))
        self._pump = asyncio.get_running_loop().create_task(self._deliver_forever())

    PREVIEW = ("AppDataChanges", "Notifications", "Receipts")

    async def _deaf(self) -> bool:
        return await self.redis.get(f"fakewa:silent:{self.jid_user}") == self._token.encode()

    async def complete_pairing(self, jid_user: str) -> None:
        """The phone scanned the QR: PairStatusEv with the new JID, then ConnectedEv."""
        self.jid_user = jid_user
        handler = self._handlers.get(self.api.PairStatusEv)
        if handler is not None:
            await handler(self, self.api.PairStatusEv(ID=jid(jid_user)))  # the session takes the pairing first
        await self._go_online()

    async def _deliver_forever(self) -> None:
        assert self.jid_user is not None
        inbox, unacked = f"fakewa:inbox:{self.jid_user}", f"fakewa:unacked:{self.jid_user}"
        while not self._stopped.is_set():
            if await self.redis.get(f"fakewa:conn:{self.jid_user}") != self._token.encode():
                # A live connection was kicked off by another one using the same session.
                self.connected = False
                await self.redis.incr("fakewa:replaced")
                self._dispatch(self.api.StreamReplacedEv())
                return
            if await self._deaf():
                await asyncio.sleep(0.05)
                continue
            raw = await self.redis.blmove(inbox, unacked, 0.2, "LEFT", "RIGHT")
            if raw is not None and await self._deaf():  # went deaf while waiting: the server keeps it
                await self.redis.lrem(unacked, -1, raw)
                await self.redis.lpush(inbox, raw)
            elif raw is not None:
                self._dispatch_message(raw)

    def _dispatch_message(self, raw: bytes) -> None:
        handler = self._handlers.get(self.api.MessageEv)
        if handler is None:
            return
        task = self._spawn(handler(self, self.api.MessageEv.FromString(raw)))

        def acknowledge(done: asyncio.Task[Any]) -> None:
            if done.cancelled() or self._stopped.is_set():
                return  # a stopped client acknowledges nothing (the message stays unacked, as on a real drop)
            self._spawn(self.redis.lrem(f"fakewa:unacked:{self.jid_user}", 1, raw))

        task.add_done_callback(acknowledge)

    def _dispatch(self, event: Any) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            self._spawn(handler(self, event))

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def emit(self, event: Any) -> None:
        """Test hook: the server sends a connection event (TemporaryBanEv, LoggedOutEv, DisconnectedEv, ...)."""
        self._dispatch(event)
        await asyncio.sleep(0)

    # the calls a session makes
    @property
    def is_connected(self) -> Any:
        async def answer() -> bool:  # as neonize: a property whose value is awaited
            return self.connected

        return answer()

    async def subscribe_presence(self, jid_value: JID) -> None:
        """WhatsApp answers with the contact's presence: an event through the same pipe as messages (not when deaf)."""
        if not self.connected:
            raise self.api.NeonizeError("websocket not connected")
        if not await self._deaf():
            self._dispatch(self.api.PresenceEv(From=jid_value, Unavailable=False, LastSeen=0))

    async def send_message(self, to: JID, message: str) -> SendResponse:
        if not self.connected or self.jid_user is None:
            raise self.api.SendMessageError("not connected")
        message_id = "3EB0" + secrets.token_hex(8).upper()
        await self.redis.rpush(
            f"fakewa:sent:{self.jid_user}", json.dumps({"to": f"{to.User}@{to.Server}", "text": message})
        )
        return SendResponse(ID=message_id, Timestamp=int(time.time()))

    async def send_chat_presence(self, jid: JID, state: Any, media: Any) -> None:
        if state == self.api.ChatPresence.CHAT_PRESENCE_COMPOSING and self.jid_user:
            await self.redis.incr(f"fakewa:typing:{self.jid_user}")

    async def send_presence(self, presence: Any) -> None:
        return None

    async def mark_read(self, *message_ids: str, chat: JID, sender: JID, receipt: Any) -> None:
        if self.jid_user:
            await self.redis.rpush(f"fakewa:read:{self.jid_user}", *message_ids)

    async def get_pn_from_lid(self, jid_value: JID) -> JID:
        found = await self.redis.hget("fakewa:lid", f"{jid_value.User}@{jid_value.Server}")
        if found is None:
            return JID()
        user, _, server = found.decode().partition("@")
        return jid(user, server)

    async def PairPhone(self, phone: str, show_push_notification: bool) -> str:
        if self.jid_user is not None or not self.qr_shown:
            raise RuntimeError("PairPhone: only for an unpaired device after the first QR")
        return "ABCD-1234"

    async def logout(self) -> None:
        self.connected = False

    async def disconnect(self) -> None:
        self.connected = False

    async def stop(self) -> None:
        self._stopped.set()
        self.connected = False
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
        # Handlers and acknowledgements still running use the shared Redis client: let them finish first.
        others = [task for task in self._tasks if task is not asyncio.current_task()]  # stop() may run in one
        await asyncio.gather(*others, return_exceptions=True)


class FakeClientFactory:
    """`ClientFactory` for fake clients; `clients` keeps every client built, newest last."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.api = API
        self.migrations = 0
        self.clients: list[FakeNeonizeClient] = []

    def migrate(self) -> None:
        self.migrations += 1

    async def unreachable(self) -> str | None:
        return "WhatsApp not reachable (fake)" if await self.redis.exists("fakewa:unreachable") else None

    def resume(self, company_id: str, jid_user: str) -> WhatsAppClient:
        client = FakeNeonizeClient(self.redis, jid_user)
        self.clients.append(client)
        return client

    def new_device(self, company_id: str) -> WhatsAppClient:
        client = FakeNeonizeClient(self.redis, None)
        self.clients.append(client)
        return client
