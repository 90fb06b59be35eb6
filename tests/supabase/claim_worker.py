"""A scheduler process for the concurrency test: its own PostgREST fake and SupabaseStore, claiming until empty."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from pydantic import SecretStr

from integrations.storage.supabase import SupabaseStore
from tests.fakes.postgrest_server import FakePostgrest

SERVICE_KEY = "test-service-role-key"


async def _claim_all(dsn: str, claimer: str, now: datetime, batch: int, barrier: Barrier) -> list[str]:
    fake = FakePostgrest(dsn, SERVICE_KEY, pool_size=1)
    url = await fake.start()
    store = SupabaseStore(url, SecretStr(SERVICE_KEY), lambda: now)
    claimed: list[str] = []
    try:
        await asyncio.to_thread(barrier.wait, 30)  # both processes start claiming at the same moment
        while batch_claimed := await store.claim_due_reminders(now, batch, claimer):
            claimed.extend(r.key for r in batch_claimed)
    finally:
        await store.aclose()
        await fake.close()
    return claimed


def claim_until_empty(
    dsn: str, claimer: str, now_iso: str, batch: int, barrier: Barrier, results: Queue[tuple[str, list[str]]]
) -> None:
    """Process entry point: claim in batches until nothing is due; put (claimer, keys) on `results`."""
    now = datetime.fromisoformat(now_iso).astimezone(UTC)
    results.put((claimer, asyncio.run(_claim_all(dsn, claimer, now, batch, barrier))))
