"""The store's role ports (one per concern) and `Store`, all of them in one: what both store adapters implement, one
mixin per role (integrations/storage/sqlite/, integrations/storage/supabase/)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol

from booking_bot.domain import (
    Activity,
    Booking,
    BookingIntent,
    BookingIntentStatus,
    ChatForms,
    ChatIdentity,
    Company,
    Customer,
    DeliveryStatus,
    Event,
    EventType,
    FollowUp,
    FollowUpStatus,
    InboundMessage,
    IntegrationToken,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    OutboundMessage,
    Reminder,
    ReminderStatus,
    VisitMark,
    WaitEntry,
    WebhookDelivery,
    WebhookEndpoint,
)


class CompanyStore(Protocol):
    """The salons (their settings, read for every message) and their customers."""

    async def upsert_company(self, company: Company) -> None: ...

    async def get_company(self, company_id: str) -> Company | None: ...

    async def list_companies(self) -> list[Company]: ...

    async def upsert_customer(self, customer: Customer) -> Customer:
        """Insert or merge: known fields are kept when the new value is None. Returns the stored customer."""
        ...

    async def get_customer(self, company_id: str, customer_id: str) -> Customer | None: ...


class MessageLog(Protocol):
    """The message log: the inbox (deduped, handled in arrival order) and the outbox (recorded before sending)."""

    async def record_inbound(self, message: InboundMessage) -> bool:
        """Store an inbound message; False when (company, message id) was seen before (dedupe)."""
        ...

    async def pending_inbound(self, company_id: str, chat_id: str) -> list[InboundMessage]:
        """Not yet handled messages of one chat, in arrival order."""
        ...

    async def mark_inbound_done(self, company_id: str, message_id: str) -> None: ...

    async def stale_inbound(self, recorded_before: datetime, limit: int) -> list[InboundMessage]:
        """Not yet handled messages of any company recorded before `recorded_before`, oldest first: those whose
        queue job was lost (a Redis outage, a crash between store and queue) are handed to the queue again."""
        ...

    async def inbound_done(self, company_id: str, message_id: str) -> bool | None:
        """True when handled, False when pending, None when unknown."""
        ...

    async def last_inbound_at(self, company_id: str, chat_id: str) -> datetime | None:
        """When the chat last wrote to the company (None: it never did)."""
        ...

    async def record_outbound(self, message: OutboundMessage) -> bool:
        """Store an outbound message; False when its idempotency key was seen before."""
        ...

    async def outbound_replies(
        self, company_id: str, reply_to: str, *, unsent_only: bool = False
    ) -> list[OutboundMessage]:
        """Replies recorded for one inbound message, in order (only those not yet sent, if asked)."""
        ...

    async def mark_outbound_sent(self, company_id: str, idempotency_key: str) -> None: ...


class BookingMirror(Protocol):
    """Our copy of the bookings the bot made, moved or cancelled, and the intents that make booking at most once."""

    async def save_booking(self, booking: Booking) -> None: ...

    async def get_booking(self, company_id: str, booking_id: str) -> Booking | None: ...

    async def list_bookings(self, company_id: str) -> list[Booking]: ...

    async def begin_booking_intent(self, intent: BookingIntent) -> BookingIntent:
        """Record the intent unless (company, key) exists; return the stored one (the earlier one on a retry)."""
        ...

    async def finish_booking_intent(
        self, company_id: str, key: str, status: BookingIntentStatus, backend_id: str | None = None
    ) -> None: ...


class ReminderStore(Protocol):
    """Reminders planned per booking and claimed by the scheduler (docs/reminders.md)."""

    async def replace_reminders(self, booking: Booking, due: list[datetime]) -> None:
        """Plan the booking's reminders at `due` (UTC); planned ones not in `due` are cancelled."""
        ...

    async def cancel_reminders(self, company_id: str, booking_id: str) -> None: ...

    async def list_reminders(self, company_id: str, booking_id: str | None = None) -> list[Reminder]: ...

    async def claim_due_reminders(
        self, now: datetime, limit: int, claimer: str, stale_after: timedelta = timedelta(minutes=5)
    ) -> list[Reminder]:
        """Atomically take planned reminders due by `now` (and claims older than `stale_after`), any company.

        Two schedulers claiming at once never get the same reminder.
        """
        ...

    async def upcoming_reminders(self, until: datetime, limit: int) -> list[Reminder]:
        """Planned reminders due by `until`, earliest first (for timing, not for sending)."""
        ...

    async def get_reminder(self, company_id: str, key: str) -> Reminder | None: ...

    async def finish_reminder(self, company_id: str, key: str, status: ReminderStatus) -> bool:
        """Move a claimed reminder to `status` (sent / skipped); False if it is no longer claimed."""
        ...


class WebhookStore(Protocol):
    """Events, the webhook endpoints they go to and every delivery's progress (docs/webhooks.md)."""

    async def record_event(self, event: Event) -> bool:
        """Store the event; False when its id was recorded before (a retried job emitting again)."""
        ...

    async def get_event(self, company_id: str, event_id: str) -> Event | None: ...

    async def save_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    async def list_webhook_endpoints(self, company_id: str) -> list[WebhookEndpoint]:
        """The company's endpoints, oldest first."""
        ...

    async def delete_webhook_endpoint(self, company_id: str, endpoint_id: str) -> bool: ...

    async def add_webhook_delivery(self, delivery: WebhookDelivery) -> bool:
        """Insert unless (company, id) exists; False for a duplicate."""
        ...

    async def get_webhook_delivery(self, company_id: str, delivery_id: str) -> WebhookDelivery | None: ...

    async def update_webhook_delivery(self, delivery: WebhookDelivery) -> None:
        """Store the delivery's status, attempts, last status and error."""
        ...

    async def list_webhook_deliveries(
        self, company_id: str, status: DeliveryStatus | None = None, limit: int = 100
    ) -> list[WebhookDelivery]:
        """Newest first."""
        ...

    async def stale_webhook_deliveries(self, updated_before: datetime, limit: int) -> list[WebhookDelivery]:
        """Pending deliveries of any company last touched before `updated_before`, oldest first: those whose job
        was lost are handed to the queue again."""
        ...


class TokenStore(Protocol):
    """The integration tokens of the gateway's HTTP API (docs/api.md)."""

    async def save_integration_token(self, token: IntegrationToken) -> None: ...

    async def get_integration_token(self, company_id: str, token_id: str) -> IntegrationToken | None: ...

    async def list_integration_tokens(self, company_id: str) -> list[IntegrationToken]:
        """Oldest first, revoked ones included."""
        ...


class ActivityStore(Protocol):
    """What a company's stats are counted from: the message log and the events, per time window."""

    async def activity(self, company_id: str, bounds: list[datetime]) -> list[Activity]:
        """One `Activity` per [bounds[i], bounds[i+1]): inbound from customers by received time, outbound by
        recorded time, events by occurrence, reply time from a message to its first recorded reply."""
        ...


class IdentityStore(Protocol):
    """Who writes to a company on WhatsApp: each customer's phone and `@lid` forms linked to one customer id, where
    replies go, and whether the customer agreed to messages they did not ask for (docs/gateway.md)."""

    async def find_identity(
        self, company_id: str, *, customer_id: str | None = None, phone: str | None = None, lid: str | None = None
    ) -> ChatIdentity | None:
        """The identity with this customer id, else the one with this LID, else the one with this phone (E.164)."""
        ...

    async def link_identity(self, company_id: str, forms: ChatForms, new_customer_id: str) -> ChatIdentity:
        """Add what a message told to the identity it belongs to (`domain.identity.link_forms`): a LID and a phone
        found on two identities join the older one. Neither known: a new identity under `new_customer_id`."""
        ...

    async def record_opt_in(self, company_id: str, customer_id: str, at: datetime) -> bool:
        """The customer agreed to proactive messages at `at` (the first agreement is kept). False: no such identity."""
        ...


class WaitlistStore(Protocol):
    """The waiting list and visits (docs/waitlist.md): who waits, the freed times and the offers holding them (one at a
    time: every change is atomic, so two schedulers never offer a time twice), how visits went, the follow-ups planned
    around them (claimed and done once, like reminders), and the event reads the list and the owner's digest need."""

    async def save_wait_entry(self, entry: WaitEntry) -> WaitEntry:
        """Insert, or update the customer's entry (staff, window, status; a waiting one keeps its place in line)."""

    async def wait_entries(self, company_id: str, day: date | None = None) -> list[WaitEntry]: ...
    async def get_opening(self, company_id: str, opening_id: str) -> Opening | None: ...
    async def get_offer(self, company_id: str, offer_id: str) -> Offer | None: ...
    async def offers(self, company_id: str, opening_id: str) -> list[Offer]: ...

    async def add_openings(self, openings: list[Opening]) -> int: ...  # inserts the new ones (by id): how many

    async def claim_openings(self, now: datetime, limit: int, claimer: str) -> list[Opening]:
        """Atomically take open ones (from `not_before`) and claims of 5 minutes or more of any company."""

    async def release_opening(
        self, company_id: str, opening_id: str, claimer: str, status: OpeningStatus, not_before: datetime | None = None
    ) -> bool:
        """A claimed opening back to OPEN (from `not_before`) or CLOSED; False when `claimer` lost the claim."""

    async def hold_opening(self, offer: Offer, claimer: str) -> bool:
        """Record the offer, holding the opening `claimer` claimed; False when the claim was lost."""

    async def finish_offer(self, company_id: str, offer_id: str, status: OfferStatus) -> bool:
        """ACCEPTED fills its opening, DECLINED or EXPIRED opens it to the next one; False when it no longer held."""

    async def expired_offers(self, now: datetime, limit: int) -> list[Offer]:
        """Holding offers of any company whose hold ended by `now`."""

    async def holding_offers(self, company_id: str, now: datetime) -> list[Offer]:
        """The company's offers holding their time at `now`: those times are nobody else's."""

    async def mark_visit(self, mark: VisitMark) -> bool:
        """Record the mark; False when nothing changed, or a staff mark stands and this one is the salon's."""

    async def get_visit(self, company_id: str, booking_id: str) -> VisitMark | None: ...
    async def no_shows(self, company_id: str, customer_id: str) -> int: ...
    async def get_followup(self, company_id: str, key: str) -> FollowUp | None: ...

    async def plan_followups(self, followups: list[FollowUp]) -> int: ...  # inserts the new ones (by key): how many

    async def claim_due_followups(self, now: datetime, limit: int, claimer: str) -> list[FollowUp]: ...

    async def finish_followup(self, company_id: str, key: str, status: FollowUpStatus) -> bool:
        """A claimed follow-up to `status`; False when it is no longer claimed."""

    async def events_between(
        self, types: tuple[EventType, ...], start: datetime, end: datetime, company_id: str | None = None
    ) -> list[Event]:
        """Events of these types in [start, end), of one company or of all, oldest first."""

    async def staff_wrote_since(self, company_id: str, chat_id: str, since: datetime) -> bool:
        """Did the salon's own phone write in the chat since then (a handoff answered)?"""


class Store(
    CompanyStore,
    MessageLog,
    BookingMirror,
    ReminderStore,
    WebhookStore,
    TokenStore,
    ActivityStore,
    IdentityStore,
    WaitlistStore,
    Protocol,
):
    """Durable data, every role port in one: companies, customers, the message log (inbox/outbox), bookings,
    reminders, events and webhooks, integration tokens, activity, WhatsApp identities, the waiting list and visits.
    Both store adapters implement all of it."""
