"""The services bundle: what the composition root builds once per process and every job, handler and tool uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from booking_bot.config import DeliveryPolicy
from booking_bot.domain import Company
from booking_bot.i18n import Catalogs
from booking_bot.metrics import Metrics
from booking_bot.ports import (
    Clock,
    ConversationLocks,
    ConversationStore,
    EventSink,
    JobQueue,
    MessagingChannel,
    ProactiveBudget,
    SchedulingBackend,
    Store,
)
from booking_bot.understanding import OpeningHours, Stage2

HUMAN_TAKEOVER_PAUSE = timedelta(hours=12)


class BackendResolver(Protocol):
    def __call__(self, company: Company) -> SchedulingBackend: ...


@dataclass(frozen=True)
class Services:
    """One process's services. Jobs take ids and find everything else here."""

    store: Store
    conversations: ConversationStore
    locks: ConversationLocks
    channel: MessagingChannel
    jobs: JobQueue  # where work for the workers is queued (handle_inbound, send_reminder, deliver_webhook)
    events: EventSink  # what the assistant did: recorded, then delivered to webhooks (booking_bot/webhooks)
    backend_for: BackendResolver
    catalogs: Catalogs
    clock: Clock
    max_offers: int = 6
    human_takeover_pause: timedelta = HUMAN_TAKEOVER_PAUSE  # the bot stays silent in a chat staff wrote in
    stage2_for: Callable[[str], Stage2 | None] | None = None  # company id -> its stage 2 (None: stage 1 only)
    opening_hours_for: Callable[[Company], OpeningHours | None] | None = None  # checks stage 2's times
    metrics: Metrics | None = None
    webhooks: DeliveryPolicy = field(default_factory=DeliveryPolicy)  # how hard a webhook delivery is tried
    proactive_to_strangers: bool = False  # reminders even to customers who never wrote (API_SEND_NEW_CONTACTS)
    proactive_budget: ProactiveBudget | None = None  # a newly linked number's warm-up (Redis); None: no limit (demo)
