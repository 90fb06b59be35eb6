"""The `Store` on Supabase: PostgREST over HTTPS with supabase-py's async client and the service-role key.

The schema is `integrations/storage/migrations/*.sql`. Single-row writes are PostgREST upserts with `on_conflict`
(`resolution=ignore-duplicates` for the dedupe of inbox and outbox, `merge-duplicates` for companies, customers and
bookings); work that must be atomic over several rows is a SQL function called through `rpc`
(`begin_booking_intent`, `replace_reminders`, `claim_due_reminders`, and the waiting list's of migration 0005).

Errors are typed (`errors.py`). Writes are never retried: supabase-py retries only GET/HEAD (on 503/520 and network
errors), and a write whose answer was lost surfaces as `StoreUnavailable`; every write here is idempotent by its key,
so the caller's job retry repeats it safely, and nothing is resent behind its back.
"""

from __future__ import annotations

import httpx
from pydantic import SecretStr
from supabase import AsyncClient, AsyncClientOptions

from booking_bot.ports import Clock
from integrations.storage.supabase.activity import SupabaseActivityStore
from integrations.storage.supabase.base import record_status
from integrations.storage.supabase.bookings import SupabaseBookingMirror
from integrations.storage.supabase.companies import SupabaseCompanyStore
from integrations.storage.supabase.identities import SupabaseIdentityStore
from integrations.storage.supabase.messages import SupabaseMessageLog
from integrations.storage.supabase.reminders import SupabaseReminderStore
from integrations.storage.supabase.tokens import SupabaseTokenStore
from integrations.storage.supabase.waitlist import SupabaseWaitlistStore
from integrations.storage.supabase.webhooks import SupabaseWebhookStore


class SupabaseStore(
    SupabaseCompanyStore,
    SupabaseMessageLog,
    SupabaseBookingMirror,
    SupabaseReminderStore,
    SupabaseWebhookStore,
    SupabaseTokenStore,
    SupabaseActivityStore,
    SupabaseIdentityStore,
    SupabaseWaitlistStore,
):
    """A `Store` on Supabase (PostgREST). Build it with the project URL and the service-role key; `aclose` at exit."""

    def __init__(
        self,
        url: str,
        service_key: SecretStr,
        clock: Clock,
        *,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._clock = clock
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds), event_hooks={"response": [record_status]}
        )
        options = AsyncClientOptions(
            httpx_client=self._http,
            postgrest_client_timeout=timeout_seconds,
            auto_refresh_token=False,
            persist_session=False,
        )
        self._client = AsyncClient(url, service_key.get_secret_value(), options)

    def __repr__(self) -> str:  # the client's headers hold the key: never show them
        return f"SupabaseStore(url={str(self._client.supabase_url)!r})"

    async def aclose(self) -> None:
        await self._http.aclose()
