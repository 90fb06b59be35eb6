"""Writes whose answer was lost and that YClients applies late: the outcome is what the salon's system did.

A slow answer lands after the client gave up (the fake applies it `LATE` seconds after it arrived, past the test
client's 0.5 s timeout). The adapter gives such a write time to land and reads the record back before it decides
what to tell the customer, and before it sends the write again.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from booking_bot.domain import Booking, OutcomeKind
from integrations.scheduling.yclients.fake import FakeYClients, Fault
from integrations.storage.sqlite import SqliteStore
from tests.yclients.harness import YClientsStack
from tests.yclients.test_backend import ANNA, BARI, book, customer, live, moscow

LATE = 0.9  # seconds after arrival: past the client's 0.5 s timeout


def late_commits(server: FakeYClients) -> None:
    server.faults.slow_delay = (LATE, LATE)


async def booked(stack: YClientsStack, store: SqliteStore, *faults: Fault) -> Booking:
    """A booking at 15:00 with Anna, its book_record meeting `faults` first."""
    stack.server.faults.script("book_record", *faults)
    outcome = await book(stack, await customer(store), moscow(15), "k-1")
    assert outcome.kind is OutcomeKind.BOOKED and outcome.booking is not None
    return outcome.booking


async def test_cancel_whose_answer_was_lost_is_reported_as_cancelled(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    target = await booked(stack, store)
    late_commits(server)
    server.faults.script("cancel_admin", Fault.SLOW, Fault.SERVER_ERROR)
    outcome = await stack.backend.cancel(stack.company, target, "k-2")
    await asyncio.sleep(LATE)
    assert live(server) == []  # the salon's system did cancel it ...
    assert outcome.kind is OutcomeKind.CANCELLED  # ... so the customer is told so
    assert server.calls("cancel_admin") == 1  # and nothing was sent again while it could still land


async def test_move_whose_answer_was_lost_is_reported_as_moved_not_refused(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    target = await booked(stack, store)
    late_commits(server)
    server.faults.script("move_record", Fault.SLOW, Fault.FORBIDDEN_MOVE)
    outcome = await stack.backend.move(stack.company, target, moscow(17), ANNA, "k-2")
    await asyncio.sleep(LATE)
    [record] = live(server)
    assert record.start == datetime(2026, 11, 28, 17, 0)
    assert outcome.kind is OutcomeKind.MOVED and outcome.booking is not None
    assert outcome.booking.start == moscow(17)


async def test_booking_whose_answer_was_lost_is_reported_as_booked(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    late_commits(server)
    server.faults.script("book_record", Fault.SLOW, Fault.SERVER_ERROR)
    outcome = await book(stack, await customer(store), moscow(15), "k-1")
    await asyncio.sleep(LATE)
    [record] = live(server)
    assert outcome.kind is OutcomeKind.BOOKED and outcome.booking is not None
    assert outcome.booking.backend_id == str(record.id)
    assert server.calls("book_record") == 1


async def test_booking_retried_after_a_lost_answer_leaves_no_second_appointment_at_the_same_time(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    # The lost request would land once its slot is free again: after the customer cancelled and booked the same
    # time with another staff member, they would hold two appointments at 15:00.
    late_commits(server)
    first = await booked(stack, store, Fault.SLOW)
    assert (await stack.backend.cancel(stack.company, first, "k-2")).kind is OutcomeKind.CANCELLED
    who = await customer(store)
    assert (await book(stack, who, moscow(15), "k-3", staff=BARI)).kind is OutcomeKind.BOOKED
    await asyncio.sleep(LATE)
    [record] = live(server)
    assert (record.staff_id, record.start) == (int(BARI), datetime(2026, 11, 28, 15, 0))


async def test_booking_retried_after_a_lost_answer_leaves_one_record_when_moved_at_once(
    stack: YClientsStack, store: SqliteStore, server: FakeYClients
) -> None:
    late_commits(server)
    first = await booked(stack, store, Fault.SLOW)
    assert (await stack.backend.move(stack.company, first, moscow(17), ANNA, "k-2")).kind is OutcomeKind.MOVED
    await asyncio.sleep(LATE)
    [record] = live(server)
    assert record.start == datetime(2026, 11, 28, 17, 0)
