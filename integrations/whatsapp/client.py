"""The neonize client behind a small interface: which client to build for a company, and process-wide set-up.

neonize is imported lazily (importing it loads a Go shared library and runs `uname`), so the core and most tests
never load it. `ClientFactory` is what the gateway uses; `tests/fakes/neonize_fake.py` implements the same surface.
What the adapter takes from neonize is listed here once — the `Neonize` table, the `WhatsAppClient` protocol and
`EVENT_FIELDS` / `ENUM_MEMBERS` — and `tests/gateway/real/test_signatures.py` checks each against the installed
version, so an upgrade that changes one fails CI, not production.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import secrets
import subprocess
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)
EXTRA_EXECUTOR_THREADS = 32
WHATSAPP_WEB = ("web.whatsapp.com", 443)  # where whatsmeow dials its websocket
PREFLIGHT_TIMEOUT_SECONDS = 5.0
DEVICE_LIST_REFRESH_SECONDS = 60.0


class SessionDatabaseError(RuntimeError):
    """neonize's session database could not be opened or migrated (bad DSN, database down)."""


class SessionMissing(LookupError):
    """The session database holds no device for this number. neonize would build a client around no device and
    its Go side would crash the whole process (a nil pointer in whatsmeow.NewClient)."""


@dataclass(frozen=True)
class Neonize:
    """The parts of neonize the adapter uses: event classes, enums, errors, the JID builder, the protobuf messages
    a replayed message is rebuilt from."""

    MessageEv: Any
    ConnectedEv: Any
    DisconnectedEv: Any
    LoggedOutEv: Any
    StreamReplacedEv: Any
    TemporaryBanEv: Any
    ConnectFailureEv: Any
    ClientOutdatedEv: Any
    KeepAliveTimeoutEv: Any
    KeepAliveRestoredEv: Any
    PairStatusEv: Any
    HistorySyncEv: Any
    OfflineSyncPreviewEv: Any
    OfflineSyncCompletedEv: Any
    PresenceEv: Any
    ChatPresence: Any
    ChatPresenceMedia: Any
    ReceiptType: Any
    Presence: Any
    NeonizeError: type[Exception]
    SendMessageError: type[Exception]
    build_jid: Callable[..., Any]
    JID: Any
    MessageInfo: Any
    MessageSource: Any


# The fields the session reads from each connection event (dotted paths through the protobuf messages; a repeated
# field is walked into its elements). MessageEv's fields are the Protocols of mapping.py.
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "TemporaryBanEv": ("Code", "Expire"),
    "LoggedOutEv": ("Reason",),
    "ConnectFailureEv": ("Reason",),
    "PairStatusEv": ("ID.User", "Error"),
    "OfflineSyncPreviewEv": ("Total", "Message"),
    "OfflineSyncCompletedEv": ("Count",),
    "HistorySyncEv": (
        "Data.syncType",
        "Data.conversations.pnJID",
        "Data.conversations.lidJID",
        "Data.conversations.messages.message.key.remoteJID",
        "Data.conversations.messages.message.key.fromMe",
        "Data.conversations.messages.message.key.ID",
        "Data.conversations.messages.message.messageTimestamp",
        "Data.conversations.messages.message.pushName",
        "Data.conversations.messages.message.message",
    ),
}
ENUM_MEMBERS: dict[str, tuple[str, ...]] = {
    "ChatPresence": ("CHAT_PRESENCE_COMPOSING", "CHAT_PRESENCE_PAUSED"),
    "ChatPresenceMedia": ("CHAT_PRESENCE_MEDIA_TEXT",),
    "ReceiptType": ("READ",),
    "Presence": ("AVAILABLE",),
}
# How the adapter builds clients: NewAClient's keywords, and the one class-level call.
CLIENT_KEYWORDS = ("jid", "uuid", "new_device")
FACTORY_CALLS = ("get_all_devices_from_db",)

_loaded: Neonize | None = None


def load_neonize() -> Neonize:
    """Import neonize once. Its import leaves a `uname` pipe to the garbage collector: silence that warning."""
    global _loaded
    if _loaded is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            from neonize.aioze import events
            from neonize.exc import NeonizeError, SendMessageError
            from neonize.proto.Neonize_pb2 import JID, MessageInfo, MessageSource
            from neonize.utils.enum import ChatPresence, ChatPresenceMedia, Presence, ReceiptType
            from neonize.utils.jid import build_jid

            _reap_import_pipe()

        _loaded = Neonize(
            **{name: getattr(events, name) for name in Neonize.__dataclass_fields__ if name.endswith("Ev")},
            ChatPresence=ChatPresence,
            ChatPresenceMedia=ChatPresenceMedia,
            ReceiptType=ReceiptType,
            Presence=Presence,
            NeonizeError=NeonizeError,
            SendMessageError=SendMessageError,
            build_jid=build_jid,
            JID=JID,
            MessageInfo=MessageInfo,
            MessageSource=MessageSource,
        )
    return _loaded


def _reap_import_pipe() -> None:
    """neonize's import runs `os.popen("uname -a")` without closing it. The unwaited Popen parks itself in
    subprocess's list of active children with the pipe, which is only freed (with a ResourceWarning) at the next
    Popen, somewhere else. Reap it here, while the warning is silenced."""
    cleanup = getattr(subprocess, "_cleanup", None)
    for _ in range(100):
        if cleanup is not None:
            cleanup()
        if not getattr(subprocess, "_active", None):
            break
        time.sleep(0.01)
    gc.collect()


class WhatsAppClient(Protocol):
    """The subset of `neonize.aioze.client.NewAClient` the session uses (the fake has the same)."""

    def event(self, event_class: Any) -> Callable[[Callable[[Any, Any], Any]], None]: ...

    def qr(self, callback: Callable[[Any, bytes], Any]) -> None: ...

    async def connect(self) -> Any: ...

    @property
    def is_connected(self) -> Awaitable[bool]: ...

    async def send_message(self, to: Any, message: str) -> Any: ...

    async def send_chat_presence(self, jid: Any, state: Any, media: Any) -> None: ...

    async def send_presence(self, presence: Any) -> None: ...

    async def subscribe_presence(self, jid: Any) -> None: ...

    async def mark_read(self, *message_ids: str, chat: Any, sender: Any, receipt: Any) -> None: ...

    async def get_pn_from_lid(self, jid: Any) -> Any: ...

    async def PairPhone(self, phone: str, show_push_notification: bool) -> str: ...

    async def logout(self) -> None: ...

    async def disconnect(self) -> None: ...

    async def stop(self) -> None: ...


class ClientFactory(Protocol):
    """Builds a company's client: resume a paired number by its JID, or a new device for pairing."""

    api: Neonize

    def migrate(self) -> None: ...

    def resume(self, company_id: str, jid_user: str) -> WhatsAppClient: ...

    def new_device(self, company_id: str) -> WhatsAppClient: ...

    async def unreachable(self) -> str | None: ...


# Per session database, per process: the stored devices by number, and when they were listed. Listing opens the
# database through neonize, which never closes it again (one file handle, or one PostgreSQL connection, a call).
_devices: dict[str, tuple[float, dict[str, Any]]] = {}


class NeonizeFactory:
    """Real neonize clients on one session database (SQLite file, or a PostgreSQL DSN in production)."""

    def __init__(self, database: str | Path) -> None:
        self.database = str(database)
        self.api = load_neonize()

    def migrate(self) -> None:
        """Run the session schema migration once, before any client starts (parallel starts race it). Listing
        the devices migrates; a process lists once per database and keeps the list."""
        if self.database not in _devices:
            self._list_devices()

    def _list_devices(self) -> dict[str, Any]:
        from neonize.aioze.client import ClientFactory as NeonizeClientFactory

        try:
            devices = NeonizeClientFactory.get_all_devices_from_db(self.database)
        except ValueError as exc:
            raise SessionDatabaseError("the WhatsApp session database could not be opened/migrated") from exc
        by_number = dict(device_jid(self.api, device.JID) for device in devices)
        _devices[self.database] = (time.monotonic(), by_number)
        return by_number

    def resume(self, company_id: str, jid_user: str) -> WhatsAppClient:
        """The client of the number's stored device: with its full JID (device part included) the Go side loads
        exactly that device. A number with no device stored raises SessionMissing instead of crashing."""
        from neonize.aioze.client import NewAClient

        listed_at, by_number = _devices.get(self.database) or (float("-inf"), {})
        device = by_number.get(jid_user)
        if device is None and time.monotonic() - listed_at > DEVICE_LIST_REFRESH_SECONDS:
            device = self._list_devices().get(jid_user)  # linked through another gateway since we looked
        if device is None:
            raise SessionMissing(f"no stored WhatsApp device for company {company_id}")
        client: WhatsAppClient = NewAClient(self.database, jid=device)
        return client

    def new_device(self, company_id: str) -> WhatsAppClient:
        from neonize.aioze.client import NewAClient

        # Without new_device=True a client on a shared database silently resumes the first stored session.
        uuid = f"pair-{company_id}-{secrets.token_hex(4)}"
        client: WhatsAppClient = NewAClient(self.database, uuid=uuid, new_device=True)
        return client

    async def unreachable(self) -> str | None:
        """Why WhatsApp cannot be reached from here right now, or None. Every neonize client built opens the
        session database anew and never closes it, so while the network is down no client is built at all."""
        return await preflight()


async def preflight(seconds: float = PREFLIGHT_TIMEOUT_SECONDS) -> str | None:
    """A TCP connect to where whatsmeow would dial: WhatsApp Web, or the HTTPS proxy of the environment (Go's
    ProxyFromEnvironment, which whatsmeow uses: HTTPS_PROXY, NO_PROXY). None when it answers."""
    host, port = WHATSAPP_WEB
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(host):
        parsed = urllib.parse.urlparse(proxy if "://" in proxy else f"http://{proxy}")
        host, port = parsed.hostname or host, parsed.port or 80
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), seconds)
    except (OSError, TimeoutError) as exc:
        return f"WhatsApp not reachable ({type(exc).__name__} to {host}:{port})"
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None


def describe(exc: BaseException) -> str:
    """An error for a status detail: its type, the start of whatsmeow's chain and its innermost cause."""
    text = str(exc)
    return f"{type(exc).__name__}: {text if len(text) <= 160 else text[:60] + ' … ' + text[-100:]}"


def device_jid(api: Neonize, stored: Any) -> tuple[str, Any]:
    """(number, full device JID) of a stored device. neonize 0.5.2 lists a device as User "number:device"."""
    user, _, device = str(stored.User).partition(":")
    user, _, agent = user.partition(".")
    full = api.JID(
        User=user,
        Server=stored.Server,
        Device=int(device) if device else stored.Device,
        RawAgent=int(agent) if agent else stored.RawAgent,
        Integrator=0,
        IsEmpty=False,
    )
    return user, full


def parse_jid(api: Neonize, text: str) -> Any:
    """`user@server` (no device part: a chat) as a JID; "" as the empty JID."""
    user, _, server = text.partition("@")
    return api.JID(User=user, Server=server, Device=0, RawAgent=0, Integrator=0, IsEmpty=not text)


def message_event(
    api: Neonize,
    message_id: str,
    chat: Any,
    body: Any,
    *,
    sender: Any = None,
    sender_alt: Any = None,
    recipient_alt: Any = None,
    from_me: bool = False,
    group: bool | None = None,
    push_name: str = "",
    timestamp_ms: int = 0,
) -> Any:
    """A `MessageEv` as neonize hands one to a handler (every required field set; Timestamp in milliseconds)."""
    empty = parse_jid(api, "")
    source = api.MessageSource(
        Chat=chat,
        Sender=sender or chat,
        IsFromMe=from_me,
        IsGroup=chat.Server == "g.us" if group is None else group,
        SenderAlt=sender_alt or empty,
        RecipientAlt=recipient_alt or empty,
        BroadcastListOwner=empty,
    )
    info = api.MessageInfo(
        MessageSource=source,
        ID=message_id,
        ServerID=0,
        Type="text",
        Pushname=push_name,
        Timestamp=timestamp_ms,
        Category="",
        Multicast=False,
        MediaType="",
        Edit="",
    )
    flags = ("IsEphemeral", "IsViewOnce", "IsViewOnceV2", "IsViewOnceV2Extension", "IsDocumentWithCaption")
    return api.MessageEv(
        Info=info,
        Message=body,
        IsLottieSticker=False,
        IsEdit=False,
        UnavailableRequestID="",
        RetryCount=0,
        **dict.fromkeys(flags, False),
    )


def history_messages(api: Neonize, event: Any, since_ms: int) -> list[Any]:
    """The messages of a `HistorySyncEv` sent at or after `since_ms`, rebuilt as the `MessageEv`s live delivery
    would have handed over (same id, chat, alternative JID, text), oldest first."""
    found: list[Any] = []
    for conversation in event.Data.conversations:
        for item in conversation.messages:
            stored = item.message
            stamp = int(stored.messageTimestamp) * 1000  # seconds in the history, milliseconds in a MessageEv
            if stamp < since_ms or not stored.key.ID:
                continue
            chat = parse_jid(api, stored.key.remoteJID)
            other = parse_jid(api, conversation.pnJID if chat.Server == "lid" else conversation.lidJID)
            found.append(
                message_event(
                    api,
                    stored.key.ID,
                    chat,
                    stored.message,
                    sender_alt=None if stored.key.fromMe else other,
                    recipient_alt=other if stored.key.fromMe else None,
                    from_me=stored.key.fromMe,
                    push_name=stored.pushName,
                    timestamp_ms=stamp,
                )
            )
    return sorted(found, key=lambda message: message.Info.Timestamp)


async def wait_connected(task: Any, connected: asyncio.Event, seconds: float) -> None:
    """Wait for a started client's ConnectedEv. neonize's connect() returns a task that ends only when the client
    stops: a failure shows as that task finishing (with NeonizeError) first; nothing at all is a TimeoutError."""
    waiter = asyncio.ensure_future(connected.wait())
    watched: set[asyncio.Future[Any]] = {waiter}
    if isinstance(task, asyncio.Future):
        watched.add(task)
    done, _ = await asyncio.wait(watched, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    if waiter in done:
        return
    waiter.cancel()
    if isinstance(task, asyncio.Future) and task.done():
        task.result()  # raises the NeonizeError
        raise load_neonize().NeonizeError("client stopped before connecting")
    raise TimeoutError("no ConnectedEv in time")


async def close_client(client: WhatsAppClient, task: Any) -> None:
    """Disconnect and stop a client, then cancel its connect task. (Its session-database handle stays open:
    neonize 0.5.2 never closes it — docs/gateway.md.)"""
    try:
        await client.disconnect()
        await client.stop()
    finally:
        if isinstance(task, asyncio.Future) and not task.done():
            task.cancel()


def size_default_executor(loop: asyncio.AbstractEventLoop, companies: int) -> ThreadPoolExecutor:
    """Each connected neonize client pins one executor thread for good: size the default executor for them
    plus room for every other `to_thread` call (send, mark read). Call before the first connect."""
    executor = ThreadPoolExecutor(max_workers=companies + EXTRA_EXECUTOR_THREADS, thread_name_prefix="neonize")
    loop.set_default_executor(executor)
    return executor
