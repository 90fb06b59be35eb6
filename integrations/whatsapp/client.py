"""The neonize client behind a small interface: which client to build for a company, and process-wide set-up.

neonize is imported lazily (importing it loads a Go shared library and runs `uname`), so the core and most tests
never load it. `ClientFactory` is what the gateway uses; `tests/fakes/neonize_fake.py` implements the same surface.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import subprocess
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)
EXTRA_EXECUTOR_THREADS = 32


class SessionDatabaseError(RuntimeError):
    """neonize's session database could not be opened or migrated (bad DSN, database down)."""


@dataclass(frozen=True)
class Neonize:
    """The parts of neonize the adapter uses: event classes, enums, errors, the JID builder."""

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
    ChatPresence: Any
    ChatPresenceMedia: Any
    ReceiptType: Any
    Presence: Any
    NeonizeError: type[Exception]
    SendMessageError: type[Exception]
    build_jid: Callable[..., Any]


_loaded: Neonize | None = None


def load_neonize() -> Neonize:
    """Import neonize once. Its import leaves a `uname` pipe to the garbage collector: silence that warning."""
    global _loaded
    if _loaded is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            from neonize.aioze import events
            from neonize.exc import NeonizeError, SendMessageError
            from neonize.utils.enum import ChatPresence, ChatPresenceMedia, Presence, ReceiptType
            from neonize.utils.jid import build_jid

            _reap_import_pipe()

        _loaded = Neonize(
            MessageEv=events.MessageEv,
            ConnectedEv=events.ConnectedEv,
            DisconnectedEv=events.DisconnectedEv,
            LoggedOutEv=events.LoggedOutEv,
            StreamReplacedEv=events.StreamReplacedEv,
            TemporaryBanEv=events.TemporaryBanEv,
            ConnectFailureEv=events.ConnectFailureEv,
            ClientOutdatedEv=events.ClientOutdatedEv,
            KeepAliveTimeoutEv=events.KeepAliveTimeoutEv,
            KeepAliveRestoredEv=events.KeepAliveRestoredEv,
            PairStatusEv=events.PairStatusEv,
            ChatPresence=ChatPresence,
            ChatPresenceMedia=ChatPresenceMedia,
            ReceiptType=ReceiptType,
            Presence=Presence,
            NeonizeError=NeonizeError,
            SendMessageError=SendMessageError,
            build_jid=build_jid,
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

    async def send_message(self, to: Any, message: str) -> Any: ...

    async def send_chat_presence(self, jid: Any, state: Any, media: Any) -> None: ...

    async def send_presence(self, presence: Any) -> None: ...

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


class NeonizeFactory:
    """Real neonize clients on one session database (SQLite file, or a PostgreSQL DSN in production)."""

    def __init__(self, database: str | Path) -> None:
        self.database = str(database)
        self.api = load_neonize()

    def migrate(self) -> None:
        """Run the session schema migration once, before any client starts (parallel starts race it)."""
        from neonize.aioze.client import ClientFactory as NeonizeClientFactory

        try:
            NeonizeClientFactory.get_all_devices_from_db(self.database)
        except ValueError as exc:
            raise SessionDatabaseError("the WhatsApp session database could not be opened/migrated") from exc

    def resume(self, company_id: str, jid_user: str) -> WhatsAppClient:
        from neonize.aioze.client import NewAClient

        # With `jid`, the Go side keys the client by the phone number and loads exactly that device.
        client: WhatsAppClient = NewAClient(self.database, jid=self.api.build_jid(jid_user))
        return client

    def new_device(self, company_id: str) -> WhatsAppClient:
        from neonize.aioze.client import NewAClient

        # Without new_device=True a client on a shared database silently resumes the first stored session.
        uuid = f"pair-{company_id}-{secrets.token_hex(4)}"
        client: WhatsAppClient = NewAClient(self.database, uuid=uuid, new_device=True)
        return client


def size_default_executor(loop: asyncio.AbstractEventLoop, companies: int) -> ThreadPoolExecutor:
    """Each connected neonize client pins one executor thread for good: size the default executor for them
    plus room for every other `to_thread` call (send, mark read). Call before the first connect."""
    executor = ThreadPoolExecutor(max_workers=companies + EXTRA_EXECUTOR_THREADS, thread_name_prefix="neonize")
    loop.set_default_executor(executor)
    return executor
