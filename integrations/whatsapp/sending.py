"""What a session needs to send without getting its number banned: which send errors are WhatsApp telling the number
to stop, how long each pause lasts, and where the number's send figures go (docs/gateway.md, "Ban-safe sending").

whatsmeow reports a message the server refused in its acknowledgement as `server returned error <code>`
(`ErrServerReturnedError`), and a refused query on the way (the recipient's devices) as `info query returned status
429: rate-overlimit` (`ErrIQRateOverLimit`). The codes that mean "this number is restricted" pause its sending;
any other failure is retried as before. A `TemporaryBan` event (also sent for a connect refused as temp-banned)
pauses until its expiry.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from integrations.whatsapp.identity import Identities

_SERVER_ERROR = re.compile(r"server returned error (\d+)")
_IQ_RATE_LIMIT = re.compile(r"info query returned status 429|rate-overlimit")
REACH_OUT_LOCK_CODE = 463  # NackCallerReachoutTimelocked: no messages to new contacts for a while
RATE_LIMIT_CODE = 429


class PauseReason(enum.StrEnum):
    """Why WhatsApp stopped a number's sending (shown to the salon on the staff page)."""

    TEMPORARY_BAN = "temporary_ban"
    REACH_OUT_LOCK = "reach_out_lock"
    RATE_LIMIT = "rate_limit"


def pause_signal(error: BaseException | str) -> PauseReason | None:
    """The restriction a send error stands for, or None for an ordinary failure (retried)."""
    text = str(error)
    match = _SERVER_ERROR.search(text)
    if match is not None:
        code = int(match[1])
        if code == REACH_OUT_LOCK_CODE:
            return PauseReason.REACH_OUT_LOCK
        if code == RATE_LIMIT_CODE:
            return PauseReason.RATE_LIMIT
        return None
    if _IQ_RATE_LIMIT.search(text):
        return PauseReason.RATE_LIMIT
    return None


@dataclass(frozen=True)
class PausePolicy:
    """How long a number stops sending after a signal that carries no end of its own."""

    reach_out_lock: timedelta = timedelta(hours=1)
    rate_limit: timedelta = timedelta(minutes=5)

    def length(self, reason: PauseReason) -> timedelta:
        return self.rate_limit if reason is PauseReason.RATE_LIMIT else self.reach_out_lock


class Figure(enum.StrEnum):
    """One thing that happened to a number's outgoing messages (counted per hour, shown for the last 24)."""

    SENT = "sent"
    FAILED = "failed"
    PAUSED = "paused"  # WhatsApp paused the number (a ban, a lock, a rate limit)
    HELD_BACK = "held_back"  # a proactive message over the warm-up budget, not sent
    REFUSED = "refused"  # a proactive message to someone who never wrote and did not opt in, not sent


class SendLog(Protocol):
    """Where a number's send figures go (Redis in the gateway: `integrations/whatsapp/health.py`)."""

    async def record(self, company_id: str, figure: Figure) -> None: ...

    async def paused(self, company_id: str, reason: PauseReason, until: datetime) -> None: ...


@dataclass
class NumberSending:
    """A session's sending and identity parts, built per company by the gateway (defaults: nothing recorded,
    identities kept for the session's life only)."""

    identities: Identities | None = None
    log: SendLog | None = None
    pauses: PausePolicy = field(default_factory=PausePolicy)
