"""Capped exponential backoff with full jitter (for first connects that fail: no network, database down)."""

from __future__ import annotations

import random
from collections.abc import Iterator


def backoff_delays(base: float, cap: float, rng: random.Random | None = None) -> Iterator[float]:
    """Endless delays: attempt n waits between half and all of min(cap, base * 2**n) ("equal jitter"), so many
    sessions never retry in step and the wait still grows."""
    rng = rng or random.Random()  # noqa: S311 - jitter, not security
    attempt = 0
    while True:
        ceiling = min(cap, base * (2 ** min(attempt, 30)))
        yield ceiling / 2 + rng.uniform(0, ceiling / 2)
        attempt += 1
