"""In-memory conversation state and locks: the demo's and the unit tests' implementation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from booking_bot.domain import ConversationKey, ConversationState


class MemoryConversationStore:
    """Stores state as JSON (like Redis would), so what is not serialisable fails here too. Entries expire."""

    def __init__(self, ttl_seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._data: dict[str, tuple[float, str]] = {}

    async def load(self, key: ConversationKey) -> ConversationState | None:
        entry = self._data.get(str(key))
        if entry is None:
            return None
        expires_at, payload = entry
        if expires_at <= self._monotonic():
            del self._data[str(key)]
            return None
        return ConversationState.model_validate_json(payload)

    async def save(self, key: ConversationKey, state: ConversationState) -> None:
        self._purge_expired()
        self._data[str(key)] = (self._monotonic() + self._ttl, state.model_dump_json())

    async def delete(self, key: ConversationKey) -> None:
        self._data.pop(str(key), None)

    def __len__(self) -> int:
        return len(self._data)

    def _purge_expired(self) -> None:
        now = self._monotonic()
        for name in [name for name, (expires_at, _) in self._data.items() if expires_at <= now]:
            del self._data[name]


class MemoryLocks:
    """Per-key asyncio locks for one event loop; an entry lives only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
