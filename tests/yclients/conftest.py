from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from integrations.scheduling.yclients.fake import FakeYClients
from integrations.storage.sqlite import SqliteStore
from tests.conftest import FixedClock
from tests.yclients.harness import YClientsStack, yclients_stack


@pytest.fixture
def store(clock: FixedClock) -> Iterator[SqliteStore]:
    opened = SqliteStore(":memory:", clock)
    yield opened
    opened.close()


@pytest.fixture
def server(clock: FixedClock) -> FakeYClients:
    fake = FakeYClients(clock)
    fake.faults.timeout_delay = 0.8  # the adapter's test timeout is 0.5 s
    return fake


@pytest.fixture
async def stack(store: SqliteStore, clock: FixedClock, server: FakeYClients) -> AsyncIterator[YClientsStack]:
    async with yclients_stack(store, clock, server=server) as opened:
        await store.upsert_company(opened.company)
        yield opened
