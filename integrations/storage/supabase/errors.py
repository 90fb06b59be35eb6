"""The Supabase store's exception tree, and the one function that maps PostgREST answers onto it."""

from __future__ import annotations

import httpx
from postgrest.exceptions import APIError


class StoreError(Exception):
    """A store operation failed. Messages carry PostgREST's code and message, never row values."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class UniqueViolation(StoreError):
    """A write hit a unique constraint (PostgreSQL 23505, PostgREST 409)."""


class StoreUnavailable(StoreError):
    """Supabase could not be reached, timed out, or answered with a server error. The write may or may not have
    happened: callers re-read (or rely on the write's idempotency key) rather than retrying blindly."""


class StoreAuthError(StoreError):
    """The service-role key was refused (401/403, or PostgreSQL 28*/42501)."""


class StoreRejected(StoreError):
    """PostgREST refused the request itself (bad filter, unknown column or function, constraint other than unique)."""


# PostgREST answers these with 5xx (docs.postgrest.org, "HTTP Status Codes"): not our request's fault.
_UNAVAILABLE_PREFIXES = ("08", "53", "57", "58", "40", "XX")


def error_from_api(exc: APIError, status: int | None = None) -> StoreError:
    """The `StoreError` for a PostgREST error (`code` is a SQLSTATE or a PGRST code; `status` the HTTP status)."""
    code = exc.code or ""
    message = f"PostgREST error {code or status}: {exc.message or 'no message'}"
    if code == "23505":
        return UniqueViolation(message, code)
    if status in (401, 403) or code == "42501" or code.startswith(("28", "PGRST30")):
        return StoreAuthError(message, code)
    if (status is not None and status >= 500) or (len(code) == 5 and code.startswith(_UNAVAILABLE_PREFIXES)):
        return StoreUnavailable(message, code)
    return StoreRejected(message, code)


def error_from_transport(exc: httpx.HTTPError) -> StoreUnavailable:
    """A network-level failure (connect, read, timeout): the outcome of a write is unknown."""
    return StoreUnavailable(f"Supabase unreachable: {type(exc).__name__}")
