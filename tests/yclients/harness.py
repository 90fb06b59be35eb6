"""Building blocks for tests (and the fault benchmark) that run the YClients adapter against the fake server."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass

from booking_bot.composition import Embedded
from booking_bot.config import RetryPolicy, YClientsOptions
from booking_bot.domain import Company
from booking_bot.ports import Clock, SchedulingBackend, Store
from integrations.scheduling.yclients import YClientsBackend
from integrations.scheduling.yclients.fake import (
    DEMO_YCLIENTS_COMPANY_ID,
    FakeYClients,
    run_fake_yclients,
    seed_demo_salon,
    yclients_company,
)
from integrations.scheduling.yclients.ratelimit import Limit, MemoryRateLimiter, RateLimiter

FAST_RETRY = RetryPolicy(read_attempts=6, rate_limited_attempts=4, backoff_base=0.01, backoff_cap=0.05)
TEST_OPTIONS = YClientsOptions(timeout_seconds=0.5, retry=FAST_RETRY)
UNLIMITED = (Limit(10_000, 1.0),)


@dataclass
class YClientsStack:
    server: FakeYClients
    base_url: str
    backend: YClientsBackend
    company: Company


@contextlib.asynccontextmanager
async def yclients_stack(
    store: Store,
    clock: Clock,
    options: YClientsOptions = TEST_OPTIONS,
    limiter: RateLimiter | None = None,
    server: FakeYClients | None = None,
) -> AsyncIterator[YClientsStack]:
    """The fake server (demo salon seeded) on a free port and the adapter pointed at it."""
    server = server or FakeYClients(clock)
    if DEMO_YCLIENTS_COMPANY_ID not in server.companies:
        seed_demo_salon(server)
    async with run_fake_yclients(server) as base_url:
        backend = YClientsBackend(store, limiter or MemoryRateLimiter(UNLIMITED), clock, options)
        try:
            yield YClientsStack(server, base_url, backend, yclients_company(base_url, server))
        finally:
            await backend.close()


async def use_yclients(embedded: Embedded, stack: YClientsStack) -> Company:
    """Point the embedded core at YClients-on-the-fake for the demo salon."""
    await embedded.store.upsert_company(stack.company)

    def backend_for(company: Company) -> SchedulingBackend:
        return stack.backend

    embedded.services = dataclasses.replace(embedded.services, backend_for=backend_for)
    return stack.company
