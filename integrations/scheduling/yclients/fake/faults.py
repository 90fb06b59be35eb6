"""Faults the fake injects: scripted for the next call of a route, or at random on every request.

- scripted: `server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)` — the next call of that route;
- random: `server.faults.randomly(rate=0.3, seed=7)` — every request, with a mixed kind fitting its route.
"""

from __future__ import annotations

import enum
import random
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field


class Fault(enum.StrEnum):
    """How one request goes wrong."""

    SERVER_ERROR = "server_error"  # 500, usual error shape, nothing applied
    SECOND_SHAPE_ERROR = "second_shape_error"  # 503 in the `{"errors": ...}` shape, nothing applied
    RATE_LIMITED = "rate_limited"  # 429 with Retry-After, nothing applied
    TIMEOUT = "timeout"  # no answer in time, nothing applied
    SLOW = "slow"  # applied and answered after `slow_delay` (may be after the client gave up: a late commit)
    COMMIT_THEN_TIMEOUT = "commit_then_timeout"  # applied, then no answer in time
    RACE_422 = "race_422"  # book_check / book_record: a rival books the slot just before us → 422
    FORBIDDEN_MOVE = "forbidden_move"  # PUT book_record: 403, the salon forbids moving


GENERIC_FAULTS = (Fault.SERVER_ERROR, Fault.SECOND_SHAPE_ERROR, Fault.RATE_LIMITED, Fault.TIMEOUT, Fault.SLOW)
WRITE_FAULTS = (*GENERIC_FAULTS, Fault.COMMIT_THEN_TIMEOUT)
ROUTE_FAULTS: dict[str, tuple[Fault, ...]] = {
    "book_check": (*GENERIC_FAULTS, Fault.RACE_422),
    "book_record": (*WRITE_FAULTS, Fault.RACE_422),
    "move_record": (*WRITE_FAULTS, Fault.FORBIDDEN_MOVE),
    "cancel_admin": WRITE_FAULTS,
    "cancel_by_hash": WRITE_FAULTS,
}


@dataclass
class FaultPlan:
    """Which requests fail, and how. Scripted faults come first; then the random rate, if any."""

    timeout_delay: float = 1.0  # longer than the client's timeout
    slow_delay: tuple[float, float] = (0.0, 0.5)
    retry_after: int = 1
    _scripted: dict[str, deque[Fault]] = field(default_factory=dict)
    _rate: float = 0.0
    _kinds: tuple[Fault, ...] | None = None
    _rng: random.Random = field(default_factory=lambda: random.Random(0))  # noqa: S311 - seeded, not a secret
    injected: list[tuple[str, Fault]] = field(default_factory=list)

    def script(self, route: str, *faults: Fault) -> None:
        """The next calls of `route` fail with these faults, in order."""
        self._scripted.setdefault(route, deque()).extend(faults)

    def randomly(self, rate: float, seed: int = 0, kinds: Iterable[Fault] | None = None) -> None:
        """Every request fails with probability `rate`, with a kind fitting its route (of `kinds`, when given)."""
        self._rate, self._rng = rate, random.Random(seed)  # noqa: S311 - seeded, not a secret
        self._kinds = None if kinds is None else tuple(kinds)

    def stop(self) -> None:
        """No more faults, scripted or random."""
        self._rate = 0.0
        self._scripted.clear()

    def draw(self, route: str) -> Fault | None:
        """The fault of this request of `route`, if any (recorded in `injected`)."""
        queued = self._scripted.get(route)
        fault: Fault | None = None
        if queued:
            fault = queued.popleft()
        elif self._rate and self._rng.random() < self._rate:
            fitting = [k for k in ROUTE_FAULTS.get(route, GENERIC_FAULTS) if self._kinds is None or k in self._kinds]
            fault = self._rng.choice(fitting) if fitting else None
        if fault is not None:
            self.injected.append((route, fault))
        return fault

    def slow(self) -> float:
        """How long a slow answer waits."""
        return self._rng.uniform(*self.slow_delay)
