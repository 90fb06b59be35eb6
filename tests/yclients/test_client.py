"""The client's one response→error mapping, lenient parsing, and retry rules (reads yes, writes no)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone

import aiohttp
import pytest
from pydantic import SecretStr

from booking_bot.config import RetryPolicy
from integrations.scheduling.yclients.client import Appointment, YClientsClient
from integrations.scheduling.yclients.errors import (
    AuthError,
    BadRequest,
    Forbidden,
    NotFound,
    RateLimited,
    SlotUnavailable,
    Uncertain,
    error_for,
)
from integrations.scheduling.yclients.fake import (
    DEMO_YCLIENTS_COMPANY_ID,
    FakeYClients,
    Fault,
    run_fake_yclients,
    seed_demo_salon,
)
from integrations.scheduling.yclients.models import Record, parse_moment
from integrations.scheduling.yclients.ratelimit import Limit, MemoryRateLimiter
from tests.conftest import FixedClock

CID = DEMO_YCLIENTS_COMPANY_ID


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, {"success": False, "data": None, "meta": {"message": "bad"}}, BadRequest),
        (401, {"errors": {"code": 401, "message": "auth"}, "meta": {}}, AuthError),
        (402, {"success": False, "meta": {"message": "pay"}}, AuthError),
        (403, {"success": False, "meta": {"message": "no"}}, Forbidden),
        (404, {"errors": {"message": "gone"}}, NotFound),
        (422, {"success": False, "data": None, "meta": {"message": "taken"}}, SlotUnavailable),
        (429, {"success": False, "meta": {"message": "slow down"}}, RateLimited),
        (500, None, Uncertain),
        (503, {"errors": {"message": "down"}}, Uncertain),
        (200, {"success": False, "data": None, "meta": {"message": "odd"}}, Uncertain),
    ],
)
def test_every_answer_maps_to_one_error(status: int, body: object, kind: type[Exception]) -> None:
    assert isinstance(error_for(status, body, "3"), kind)


def test_success_only_when_the_api_says_so_and_both_error_shapes_give_their_message() -> None:
    assert error_for(200, {"success": True, "data": []}) is None
    assert error_for(201, {"success": True, "data": None}) is None
    second = error_for(404, {"errors": {"message": "Record not found"}, "meta": {"message": "other"}})
    assert second is not None and second.message == "Record not found"
    usual = error_for(422, {"success": False, "meta": {"message": "Time taken", "code": 433}})
    assert usual is not None and (usual.message, usual.code) == ("Time taken", 433)
    limited = error_for(429, {}, "7")
    assert isinstance(limited, RateLimited) and limited.retry_after == 7


def test_lenient_parsing_of_known_quirks() -> None:
    record = Record.model_validate(
        {
            "id": "16",
            "staff_id": "7",
            "services": [{"id": "3"}],
            "date": "2025-09-12 16:00:00",
            "datetime": "2025-09-12T16:00:00+0300",
            "seance_length": "3600",
            "api_id": None,
            "deleted": 0,
        }
    )
    assert (record.id, record.staff_id, record.service_id, record.duration_seconds) == (16, 7, 3, 3600)
    assert record.local_start == datetime(2025, 9, 12, 16, 0)
    assert record.datetime_value == datetime(2025, 9, 12, 16, 0, tzinfo=timezone(timedelta(hours=3)))
    assert parse_moment(1757682000) == datetime(2025, 9, 12, 13, 0, tzinfo=UTC)
    assert parse_moment("2025-09-12T13:00:00Z") == datetime(2025, 9, 12, 13, 0, tzinfo=UTC)


@pytest.fixture
async def fake(clock: FixedClock) -> AsyncIterator[tuple[FakeYClients, str]]:
    server = FakeYClients(clock)
    server.faults.timeout_delay = 0.6
    seed_demo_salon(server)
    async with run_fake_yclients(server) as base_url:
        yield server, base_url


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


def make_client(session: aiohttp.ClientSession, base_url: str, server: FakeYClients) -> YClientsClient:
    return YClientsClient(
        session,
        base_url,
        SecretStr(server.partner_token),
        SecretStr(server.user_token),
        MemoryRateLimiter((Limit(1000, 1.0),)),
        timeout_seconds=0.4,
        retry=RetryPolicy(read_attempts=3, rate_limited_attempts=2, backoff_base=0.01, backoff_cap=0.02),
    )


async def test_reads_are_retried_through_5xx_and_timeouts(
    fake: tuple[FakeYClients, str], session: aiohttp.ClientSession
) -> None:
    server, base_url = fake
    server.faults.script("book_services", Fault.SERVER_ERROR, Fault.TIMEOUT)
    services = await make_client(session, base_url, server).services(CID)
    assert [s.title for s in services][:2] == ["Men's haircut", "Women's haircut"]
    assert server.calls("book_services") == 3


async def test_writes_are_sent_once_on_5xx(fake: tuple[FakeYClients, str], session: aiohttp.ClientSession) -> None:
    server, base_url = fake
    server.faults.script("book_record", Fault.SERVER_ERROR)
    client = make_client(session, base_url, server)
    when = datetime(2026, 11, 28, 15, 0, tzinfo=timezone(timedelta(hours=3))).isoformat()
    with pytest.raises(Uncertain):
        await client.book_record(
            CID, phone="+79161234567", fullname="Ivan", api_id="bb-1", appointments=[Appointment((101,), 201, when)]
        )
    assert server.calls("book_record") == 1


async def test_429_is_retried_after_retry_after_even_for_writes(
    fake: tuple[FakeYClients, str], session: aiohttp.ClientSession
) -> None:
    server, base_url = fake
    server.faults.retry_after = 0
    server.faults.script("book_record", Fault.RATE_LIMITED)
    client = make_client(session, base_url, server)
    when = datetime(2026, 11, 28, 15, 0, tzinfo=timezone(timedelta(hours=3))).isoformat()
    [created] = await client.book_record(
        CID, phone="+79161234567", fullname="Ivan", api_id="bb-1", appointments=[Appointment((101,), 201, when)]
    )
    assert created.record_id > 0 and server.calls("book_record") == 2


async def test_admin_calls_need_the_user_token_and_wrong_tokens_are_auth_errors(
    fake: tuple[FakeYClients, str], session: aiohttp.ClientSession
) -> None:
    server, base_url = fake
    limiter = MemoryRateLimiter((Limit(1000, 1.0),))
    partner_only = YClientsClient(session, base_url, SecretStr(server.partner_token), SecretStr("wrong"), limiter)
    with pytest.raises(AuthError):
        await partner_only.search_clients(CID, "+79161234567")
    wrong = YClientsClient(session, base_url, SecretStr("wrong"), None, limiter)
    with pytest.raises(AuthError):
        await wrong.services(CID)
    assert "wrong" not in repr(partner_only.__dict__.get("_user"))


async def test_booking_cycle_by_hash_and_admin(fake: tuple[FakeYClients, str], session: aiohttp.ClientSession) -> None:
    server, base_url = fake
    client = make_client(session, base_url, server)
    times = await client.times(CID, 201, date(2026, 11, 28), 101)
    assert times[0].at.hour == 10 and times[0].datetime_raw.endswith("+03:00")
    appointment = Appointment((101,), 201, times[0].datetime_raw)
    await client.book_check(CID, [appointment])
    [created] = await client.book_record(
        CID, phone="+7 916 123-45-67", fullname="Ivan", api_id="bb-1", appointments=[appointment]
    )
    with pytest.raises(SlotUnavailable):
        await client.book_check(CID, [appointment])
    read = await client.record_by_hash(CID, created.record_id, created.record_hash)
    assert (read.api_id, read.local_start) == ("bb-1", datetime(2026, 11, 28, 10, 0))
    [found] = await client.search_clients(CID, "+79161234567")
    [listed] = await client.records(CID, found.id, date(2026, 11, 28), date(2026, 11, 28))
    assert listed.id == created.record_id
    await client.set_visit_status(listed.visit_id or 0, listed.id, 2)
    await client.cancel_by_hash(created.record_id, created.record_hash)
    with pytest.raises(NotFound):
        await client.cancel_as_admin(CID, created.record_id)
    assert (await client.user_token(server.login, SecretStr(server.password))).get_secret_value() == server.user_token


async def test_records_pages_until_a_short_page(fake: tuple[FakeYClients, str], session: aiohttp.ClientSession) -> None:
    server, base_url = fake
    for n in range(60):
        start = datetime(2026, 12, 1, 10, 0) + timedelta(days=n // 10, minutes=30 * (n % 10))
        server.add_record(CID, 201, 101, start, phone="79160000000")
    client = make_client(session, base_url, server)
    [found] = await client.search_clients(CID, "79160000000")
    records = await client.records(CID, found.id, date(2026, 12, 1), date(2026, 12, 31))
    assert len(records) == 60 and server.calls("records") == 2
