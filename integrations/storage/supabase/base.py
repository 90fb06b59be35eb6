"""What every part of the Supabase store stands on: one PostgREST request, its rows or a typed error."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Protocol

import httpx
from postgrest import AsyncRequestBuilder
from postgrest.base_request_builder import APIResponse
from postgrest.exceptions import APIError
from supabase import AsyncClient

from booking_bot.ports import Clock
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.supabase.errors import StoreError, error_from_api, error_from_transport

# The HTTP status of the last response in this task: APIError keeps PostgREST's body but not the status.
_last_status: ContextVar[int | None] = ContextVar("supabase_last_status", default=None)

Row = dict[str, Any]


class _Query(Protocol):
    async def execute(self) -> APIResponse: ...


async def record_status(response: httpx.Response) -> None:
    """The httpx response hook that keeps the status for `_run`'s error mapping."""
    _last_status.set(response.status_code)


def stored_time(value: Any) -> datetime:
    """The aware UTC datetime of a timestamp PostgREST returned."""
    if not isinstance(value, str):
        raise StoreError(f"expected a timestamp, got {type(value).__name__}")
    return from_iso(value)


class SupabaseStoreBase:
    """The client and the clock (set by the composed store) and the request helpers the role mixins use."""

    _clock: Clock
    _client: AsyncClient

    def _now(self) -> str:
        return to_iso(self._clock())

    async def _run(self, query: _Query) -> list[Row]:
        """Execute one PostgREST request; its rows, or a typed `StoreError`."""
        _last_status.set(None)
        try:
            response = await query.execute()
        except APIError as exc:
            raise error_from_api(exc, _last_status.get()) from None
        except httpx.HTTPError as exc:
            raise error_from_transport(exc) from exc
        data: object = response.data
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise StoreError("PostgREST answered with something other than a list of rows")
        return [dict(row) for row in data]

    def _table(self, name: str) -> AsyncRequestBuilder:
        return self._client.table(name)

    async def _rpc(self, function: str, params: Mapping[str, object]) -> list[Row]:
        return await self._run(self._client.rpc(function, dict(params)))
