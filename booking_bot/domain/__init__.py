"""The domain: the models every layer shares, pure and without I/O.

Outside this package, import from `booking_bot.domain`; its modules import each other directly.

| module | holds |
|---|---|
| `models` | companies, customers, services, staff, slots, bookings, messages, outcomes, reminders |
| `parsing` | what a message says: intents, catalog entries, the parse context and the parse |
| `conversation` | a conversation's stage and booking draft |
| `stage2` | what stage 2 is given and the only answer it may give |
| `integration` | events, webhook endpoints and deliveries, integration tokens, activity |
| `identity` | one customer's WhatsApp forms (phone JID, `@lid`) linked to one customer id |
| `reminders` | when a booking's reminders are due (pure planning), the salon's quiet hours |
| `waitlist` | the waiting list (entries, freed times, offers), visit marks, follow-ups and their planning |
"""

from booking_bot.domain.conversation import (
    EXPECTING_BY_STAGE,
    Action,
    Clarification,
    ConversationKey,
    ConversationState,
    Draft,
    OfferedSlot,
    Stage,
    Suspended,
    WaitAsk,
)
from booking_bot.domain.identity import ChatForms, ChatIdentity, link_forms
from booking_bot.domain.integration import (
    Activity,
    DeliveryStatus,
    Event,
    EventType,
    IntegrationToken,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
    booking_data,
    event_id,
    utc_bounds,
)
from booking_bot.domain.models import (
    AwareDatetime,
    BackendSettings,
    Booking,
    BookingIntent,
    BookingIntentStatus,
    BookingStatus,
    BuiltinBackendSettings,
    Company,
    Customer,
    DigestPolicy,
    Frozen,
    InboundMessage,
    NoShowPolicy,
    OutboundMessage,
    Outcome,
    OutcomeKind,
    Reminder,
    ReminderPolicy,
    ReminderStatus,
    Service,
    Slot,
    StaffMember,
    TimeWindow,
    WaitlistPolicy,
    YClientsBackendSettings,
    combine_local,
)
from booking_bot.domain.parsing import (
    Catalog,
    CatalogEntry,
    DateRange,
    Edits,
    Expecting,
    Intent,
    ParseContext,
    ParsedMessage,
)
from booking_bot.domain.reminders import (
    out_of_quiet_hours,
    plan_reminders,
)
from booking_bot.domain.stage2 import (
    DraftSummary,
    ModelAnswer,
    ModelParse,
    Stage2Request,
)
from booking_bot.domain.waitlist import (
    Attendance,
    DigestFigures,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FreedBy,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    VisitMark,
    VisitSource,
    WaitEntry,
    WaitStatus,
    confirmation_followups,
    digest_followup,
    reinvite_followup,
    waiting_order,
)

__all__ = [
    "EXPECTING_BY_STAGE",
    "Action",
    "Activity",
    "AwareDatetime",
    "BackendSettings",
    "Booking",
    "BookingIntent",
    "BookingIntentStatus",
    "BookingStatus",
    "BuiltinBackendSettings",
    "Catalog",
    "CatalogEntry",
    "ChatForms",
    "ChatIdentity",
    "Clarification",
    "Company",
    "ConversationKey",
    "ConversationState",
    "Customer",
    "DateRange",
    "DeliveryStatus",
    "Draft",
    "DraftSummary",
    "Edits",
    "Event",
    "EventType",
    "Expecting",
    "Frozen",
    "InboundMessage",
    "IntegrationToken",
    "Intent",
    "ModelAnswer",
    "ModelParse",
    "OfferedSlot",
    "OutboundMessage",
    "Outcome",
    "OutcomeKind",
    "ParseContext",
    "ParsedMessage",
    "Reminder",
    "ReminderPolicy",
    "ReminderStatus",
    "Scope",
    "Service",
    "Slot",
    "StaffMember",
    "Stage",
    "Stage2Request",
    "Suspended",
    "TimeWindow",
    "WebhookDelivery",
    "WebhookEndpoint",
    "YClientsBackendSettings",
    "booking_data",
    "combine_local",
    "event_id",
    "link_forms",
    "plan_reminders",
    "utc_bounds",
]
