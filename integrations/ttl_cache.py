"""Values kept for a while on the monotonic clock: what adapters read often and the world changes rarely (a
salon's catalog, its settings), or what must stay fresh in real time (free times, for seconds)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MAX_ITEMS = 10_000  # expired items are swept out beyond this: the cache never grows without bound


class TtlCache(Generic[K, V]):
    """`put(key, value, ttl)`, `get(key)` → the value until `ttl` seconds have passed, then None."""

    def __init__(self) -> None:
        self._items: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            self._items.pop(key, None)
            return None
        return item[1]

    def put(self, key: K, value: V, ttl: float) -> None:
        if ttl > 0:
            self._items[key] = (time.monotonic() + ttl, value)
        if len(self._items) > MAX_ITEMS:
            now = time.monotonic()
            self._items = {k: v for k, v in self._items.items() if v[0] >= now}

    def discard(self, key: K) -> None:
        self._items.pop(key, None)

    def drop(self, match: Callable[[K], bool]) -> None:
        for key in [k for k in self._items if match(k)]:
            del self._items[key]
