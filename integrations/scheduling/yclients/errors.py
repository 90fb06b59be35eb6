"""The YClients client's exception tree and the one function that maps an HTTP answer to it.

Every failure of a call is one of these; a call that returns did succeed (`success: true` and a 2xx status).
`Uncertain` marks the dangerous case for writes: the request may have been applied although no answer came.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class YClientsError(Exception):
    """Any failure of a YClients/Altegio call. `status` is the HTTP status (0 when there was no answer)."""

    def __init__(self, message: str, status: int = 0, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class BadRequest(YClientsError):
    """400: the request was malformed (a bug on our side)."""


class AuthError(YClientsError):
    """401 or 402: a token is wrong or expired, or the salon has not paid for the feature. Needs a person."""


class Forbidden(YClientsError):
    """403: not allowed (the salon forbids moving bookings online; the client is blacklisted)."""


class NotFound(YClientsError):
    """404: no such company, record, service or staff member."""


class SlotUnavailable(YClientsError):
    """422 on booking: this time cannot be booked now (taken, service gone, ...). Offer fresh times."""


class RateLimited(YClientsError):
    """429: over the per-IP limit. Nothing was applied; retry after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float, status: int = 429) -> None:
        super().__init__(message, status)
        self.retry_after = retry_after


class Unavailable(YClientsError):
    """The API could not be used: 5xx, a timeout, a broken connection, an answer that is not the envelope."""


class NotSent(Unavailable):
    """The request never reached the API (connection refused, DNS): nothing can have been applied."""


class Uncertain(Unavailable):
    """The request may have been applied although no (good) answer came: a timeout, a dropped connection
    or a 5xx after the body was sent. A write in this state must be reconciled before it is sent again."""


def error_message(body: Any) -> str:
    """The message of either error shape: `{"success": false, "meta": {"message"}}` or `{"errors": {...}}`."""
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, Mapping) and errors.get("message"):
            return str(errors["message"])
        meta = body.get("meta")
        if isinstance(meta, Mapping) and meta.get("message"):
            return str(meta["message"])
        if isinstance(errors, str) and errors:
            return errors
    return "no message"


def _code(body: Any) -> int | None:
    if isinstance(body, Mapping):
        for holder in (body.get("meta"), body.get("errors")):
            if isinstance(holder, Mapping):
                try:
                    return int(holder["code"])
                except (KeyError, TypeError, ValueError):
                    continue
    return None


def parse_retry_after(value: str | None, default: float = 1.0) -> float:
    """Retry-After in seconds (delta form). The HTTP-date form and junk fall back to `default`."""
    if value is None:
        return default
    try:
        seconds = float(value.strip())
    except ValueError:
        return default
    return max(0.0, min(seconds, 60.0))


def error_for(status: int, body: Any, retry_after: str | None = None) -> YClientsError | None:
    """The one place that maps an answer to an error. None means success: a 2xx with `success` not false.

    A 2xx whose envelope says `success: false` is still an error (never reported as success).
    """
    message = error_message(body)
    code = _code(body)
    if 200 <= status < 300:
        if isinstance(body, Mapping) and body.get("success") is False:
            return Uncertain(f"success=false with HTTP {status}: {message}", status, code)
        return None
    if status == 400:
        return BadRequest(message, status, code)
    if status in (401, 402):
        return AuthError(message, status, code)
    if status == 403:
        return Forbidden(message, status, code)
    if status == 404:
        return NotFound(message, status, code)
    if status == 422:
        return SlotUnavailable(message, status, code)
    if status == 429:
        return RateLimited(message, parse_retry_after(retry_after), status)
    if status >= 500:
        return Uncertain(f"HTTP {status}: {message}", status, code)
    return YClientsError(f"HTTP {status}: {message}", status, code)
