"""The ports the core runs on besides its data and the salon's system: the clock, events, the channel and its
warm-up budget, conversation state and locks, stage 2's model and quota, the job queue, the schedulers' leadership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from booking_bot.domain import (
    ConversationKey,
    ConversationState,
    ModelAnswer,
    OutboundMessage,
    Stage2Request,
)

Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime. Injected so tests can fix "now"."""


class EventSink(Protocol):
    """Where the core reports what it did (booking_bot/webhooks): recorded durably, then delivered to webhooks.

    `key` makes the event's id deterministic, so a retried job's second emit is the same event."""

    async def emit(self, company_id: str, event_type: str, key: str, data: Mapping[str, object]) -> None: ...


class MessagingChannel(Protocol):
    """Where replies go: the WhatsApp gateway's outbound stream, or the simulated chat."""

    async def send(self, message: OutboundMessage) -> None: ...


class ProactiveBudget(Protocol):
    """A newly linked number's daily budget of proactive messages (its warm-up: Redis, shared with the gateways)."""

    async def take(self, company_id: str, key: str) -> datetime | None:
        """Take a place in today's budget of the company's number for the outgoing message `key` (once per key).
        None: taken, or no limit today; else when the number's next warm-up day begins."""
        ...


class ConversationStore(Protocol):
    """Where conversation state lives between messages (memory in the demo, Redis in production)."""

    async def load(self, key: ConversationKey) -> ConversationState | None: ...

    async def save(self, key: ConversationKey, state: ConversationState) -> None: ...

    async def delete(self, key: ConversationKey) -> None: ...


class ConversationLocks(Protocol):
    """One holder at a time per conversation key, across processes in production."""

    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...


class IntentModel(Protocol):
    """Stage 2's port: an LLM (or anything else) that reads one message into a `ModelParse`."""

    async def propose(self, request: Stage2Request, seconds: float) -> ModelAnswer:
        """Answer within `seconds`, or raise an `IntentModelError` (`ModelTimeout` when the time is up)."""
        ...


class CallQuota(Protocol):
    """A per-company daily counter of stage-2 calls (memory here; Redis in integrations/llm/quota.py)."""

    async def take(self, company_id: str, day: dt.date, limit: int) -> bool:
        """Count one call; False (and nothing counted) when the company already made `limit` calls that day."""
        ...


class JobQueue(Protocol):
    """Work handed to the workers: each job takes ids, never objects (the store holds the truth when it runs).

    Dramatiq on Redis in production and on its stub broker in the demo (booking_bot/jobs.py); inline in tests."""

    def handle_inbound(self, company_id: str, chat_id: str, message_id: str) -> None:
        """Handle a chat's pending messages (the message itself waits in the store)."""
        ...

    def send_reminder(self, company_id: str, key: str) -> None:
        """Send one claimed reminder."""
        ...

    def deliver_webhook(self, company_id: str, delivery_id: str) -> None:
        """Make one attempt of one webhook delivery."""
        ...

    def offer_opening(self, company_id: str, opening_id: str, claimer: str) -> None:
        """Offer one freed time `claimer` claimed to the next waiting customer it suits."""

    def send_followup(self, company_id: str, key: str) -> None:
        """Do one claimed follow-up (a confirmation request, a release, a re-invite, the digest)."""


class Leadership(Protocol):
    """One leader at a time among the schedulers (a Redis lease in production)."""

    async def acquire_or_renew(self) -> bool: ...

    async def release(self) -> None: ...
