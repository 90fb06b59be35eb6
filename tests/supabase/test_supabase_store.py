"""SupabaseStore beyond the shared contract: typed errors, no blind write retries, the key kept secret, and the
PostgREST behaviour the fake reproduces (status codes and bodies as documented)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import httpx
import pytest
from postgrest.exceptions import APIError
from pydantic import SecretStr, ValidationError
from supabase import AsyncClient, AsyncClientOptions

from booking_bot.domain import OutboundMessage
from booking_bot.settings import Settings
from integrations.storage.supabase import (
    StoreAuthError,
    StoreRejected,
    StoreUnavailable,
    SupabaseStore,
    UniqueViolation,
)
from integrations.storage.supabase.errors import error_from_api
from tests.supabase.pg import SERVICE_KEY, supabase_stack

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def reply(key: str = "reply:acme:m1:0") -> OutboundMessage:
    return OutboundMessage(company_id="acme", chat_id="chat-1", text="hi", reply_to="m1", idempotency_key=key)


async def test_duplicate_insert_is_409_23505_and_maps_to_unique_violation() -> None:
    async with supabase_stack(clock) as stack:
        statuses: list[int] = []

        async def record(response: httpx.Response) -> None:
            statuses.append(response.status_code)

        async with httpx.AsyncClient(event_hooks={"response": [record]}) as http:
            client = AsyncClient(stack.url, SERVICE_KEY, AsyncClientOptions(httpx_client=http))
            row = {"id": "acme", "data": {"id": "acme", "name": "Acme"}, "updated_at": NOW.isoformat()}
            created = await client.table("companies").insert(row).execute()
            assert created.data == [row] and statuses == [201]
            with pytest.raises(APIError) as caught:
                await client.table("companies").insert(row).execute()
        assert statuses[-1] == 409 and caught.value.code == "23505"
        assert "companies_pkey" in (caught.value.message or "")
        assert isinstance(error_from_api(caught.value, 409), UniqueViolation)


async def test_failed_write_is_not_retried_and_surfaces_as_unavailable() -> None:
    async with supabase_stack(clock) as stack:
        stack.fake.fail_next("POST", "/outbound", 503)
        with pytest.raises(StoreUnavailable):
            await stack.store.record_outbound(reply())
        posts = [path for method, path in stack.fake.requests if method == "POST" and "/outbound" in path]
        assert len(posts) == 1, "a write is sent once, never retried behind the caller's back"
        # The caller's own retry is safe: the write is idempotent by its key.
        assert await stack.store.record_outbound(reply()) is True
        assert await stack.store.record_outbound(reply()) is False


async def test_failed_rpc_is_not_retried() -> None:
    async with supabase_stack(clock) as stack:
        stack.fake.fail_next("POST", "/rpc/claim_due_reminders", 500)
        with pytest.raises(StoreUnavailable):
            await stack.store.claim_due_reminders(NOW, 10, "scheduler")
        assert sum(1 for _, path in stack.fake.requests if "claim_due_reminders" in path) == 1


async def test_wrong_service_key_is_an_auth_error() -> None:
    async with supabase_stack(clock) as stack:
        wrong = SupabaseStore(stack.url, SecretStr("not-the-key"), clock)
        try:
            with pytest.raises(StoreAuthError):
                await wrong.get_company("acme")
        finally:
            await wrong.aclose()


async def test_unreachable_supabase_is_unavailable() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = SupabaseStore(f"http://127.0.0.1:{port}", SecretStr(SERVICE_KEY), clock, timeout_seconds=2)
    try:
        with pytest.raises(StoreUnavailable):
            await store.record_outbound(reply())
    finally:
        await store.aclose()


async def test_rejected_requests_are_typed() -> None:
    async with supabase_stack(clock) as stack:
        with pytest.raises(StoreRejected, match="PGRST202"):
            await stack.store._rpc("no_such_function", {"p_x": 1})
        with pytest.raises(StoreRejected, match="42703"):
            await stack.store._run(stack.store._table("companies").select("nope"))


async def test_service_key_never_shows_in_repr() -> None:
    store = SupabaseStore("https://example.supabase.co", SecretStr("sb-secret-service-key"), clock)
    assert "sb-secret-service-key" not in repr(store)
    await store.aclose()
    settings = Settings(
        store="supabase", supabase_url="https://x.supabase.co", supabase_key="sb-secret", _env_file=None
    )
    assert "sb-secret" not in repr(settings)


def test_supabase_store_setting_says_what_to_set() -> None:
    with pytest.raises(ValidationError, match="BOOKING_BOT_SUPABASE_URL and BOOKING_BOT_SUPABASE_KEY"):
        Settings(store="supabase", _env_file=None)
    with pytest.raises(ValidationError, match="needs BOOKING_BOT_SUPABASE_KEY"):
        Settings(store="supabase", supabase_url="https://x.supabase.co", _env_file=None)
    assert Settings(_env_file=None).store == "sqlite"
