"""Signing a webhook: HMAC-SHA256 with the endpoint's secret over `{timestamp}.{body}`.

Headers: `X-Event-Id` (the event's id, the same on every retry), `X-Timestamp` (Unix seconds of this attempt),
`X-Signature: v1=<hex>`. The receiver recomputes the HMAC over the raw body, compares in constant time, refuses a
timestamp older than a few minutes, and remembers event ids it has handled (docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signed_headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Event-Id": event_id,
        "X-Timestamp": str(timestamp),
        "X-Signature": signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    body: bytes,
    timestamp_header: str,
    signature_header: str,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """The receiver's check (also what docs/webhooks.md shows): a right signature over a recent timestamp."""
    try:
        timestamp = int(timestamp_header)
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), signature_header)
