"""One message's handling context: who, which salon, what was parsed, and where the replies go."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TypeVar

from booking_bot.domain import (
    Booking,
    Catalog,
    CatalogEntry,
    Company,
    ConversationState,
    Customer,
    Draft,
    EventType,
    InboundMessage,
    ParsedMessage,
    Service,
    StaffMember,
)
from booking_bot.i18n import Localizer, describe_booking, when
from booking_bot.nlu.normalize import fold
from booking_bot.ports import EventSink, SchedulingBackend, Store

T = TypeVar("T")


@dataclass
class Turn:
    """Everything a handler needs, passed as one typed object."""

    company: Company
    customer: Customer
    message: InboundMessage
    parsed: ParsedMessage
    state: ConversationState
    backend: SchedulingBackend
    store: Store
    loc: Localizer
    now: datetime  # aware UTC
    services: list[Service]
    staff: list[StaffMember]
    catalog: Catalog  # the same services and staff, as the parser matches them
    events: EventSink
    max_offers: int = 6
    replies: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.replies.append(text)

    async def emit(self, event_type: EventType, key: str, data: Mapping[str, object]) -> None:
        """Report what this message made the assistant do (webhooks and stats); `key` makes a retry's emit the same
        event."""
        await self.events.emit(self.company.id, event_type, key, data)

    @cached_property
    def folded(self) -> str:
        """The message's text as the rules read it (lower-case, accents folded), once per message."""
        return fold(self.message.text)

    @property
    def draft(self) -> Draft:
        return self.state.draft

    @property
    def today(self) -> date:
        return self.company.today(self.now)

    @property
    def reminded_booking_id(self) -> str | None:
        """The booking of a reminder sent recently enough in this chat for a reply to be about it."""
        state, policy = self.state, self.company.reminders
        if state.reminded_booking_id is None or state.reminded_at is None:
            return None
        if self.now - state.reminded_at > timedelta(minutes=policy.confirm_window_minutes):
            return None
        return state.reminded_booking_id

    @property
    def operation_key(self) -> str:
        """Idempotency key of a booking operation triggered by this message: a retried job repeats, never doubles."""
        return f"{self.company.id}:{self.message.message_id}"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.company.zone)

    def service(self, service_id: str | None) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def member(self, staff_id: str | None) -> StaffMember | None:
        return next((m for m in self.staff if m.id == staff_id), None)

    def service_title(self, service_id: str | None) -> str:
        service = self.service(service_id)
        return service.title(self.loc.language) if service else "?"

    def staff_title(self, staff_id: str | None) -> str:
        member = self.member(staff_id)
        return member.title(self.loc.language) if member else "?"

    def when(self, moment: datetime) -> str:
        """'tomorrow, Saturday, 28 November, 3:00 PM' in the salon's time zone."""
        return when(self.loc, self.company, self.now, moment)

    def clock(self, at: time) -> str:
        return self.loc.clock(at)

    def describe_booking(self, booking: Booking) -> str:
        return describe_booking(self.loc, self.company, self.now, self.services, self.staff, booking)


def chosen(items: Sequence[T], choice: int | None) -> T | None:
    """The item a parsed choice names: 1-based ("the second one" → 2), -1 for "the last one"; None if out of range."""
    if choice is None or not items:
        return None
    if choice == -1:
        return items[-1]
    return items[choice - 1] if 1 <= choice <= len(items) else None


def parser_catalog(services: list[Service], staff: list[StaffMember]) -> Catalog:
    """The salon's catalog as the parser matches it: names, aliases and localized names of each entry."""

    def entry(item: Service | StaffMember) -> CatalogEntry:
        return CatalogEntry(id=item.id, name=item.name, aliases=(*item.aliases, *item.names.values()))

    return Catalog(services=tuple(entry(s) for s in services), staff=tuple(entry(m) for m in staff))
