"""The core's interfaces to the outside world (Python `Protocol`s); adapters live in `integrations/`.

- `scheduling`: `SchedulingBackend` (a salon's own system) and its `BackendUnavailable`;
- `store`: `Store`, the durable data, as its role ports (`CompanyStore`, `MessageLog`, `BookingMirror`,
  `ReminderStore`, `WebhookStore`, `TokenStore`, `ActivityStore`, `IdentityStore`, `WaitlistStore`);
- `runtime`: `Clock`, `EventSink`, `MessagingChannel`, `ProactiveBudget`, `ConversationStore`, `ConversationLocks`,
  `IntentModel`, `CallQuota`, `JobQueue`, `Leadership`.

Everything is imported from here (`from booking_bot.ports import Store`); the modules import only the domain.
"""

from booking_bot.ports.runtime import (
    CallQuota,
    Clock,
    ConversationLocks,
    ConversationStore,
    EventSink,
    IntentModel,
    JobQueue,
    Leadership,
    MessagingChannel,
    ProactiveBudget,
)
from booking_bot.ports.scheduling import BackendUnavailable, SchedulingBackend
from booking_bot.ports.store import (
    ActivityStore,
    BookingMirror,
    CompanyStore,
    IdentityStore,
    MessageLog,
    ReminderStore,
    Store,
    TokenStore,
    WaitlistStore,
    WebhookStore,
)

__all__ = [
    "ActivityStore",
    "BackendUnavailable",
    "BookingMirror",
    "CallQuota",
    "Clock",
    "CompanyStore",
    "ConversationLocks",
    "ConversationStore",
    "EventSink",
    "IdentityStore",
    "IntentModel",
    "JobQueue",
    "Leadership",
    "MessageLog",
    "MessagingChannel",
    "ProactiveBudget",
    "ReminderStore",
    "SchedulingBackend",
    "Store",
    "TokenStore",
    "WaitlistStore",
    "WebhookStore",
]
