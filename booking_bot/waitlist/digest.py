"""The owner's daily digest: yesterday's bookings made by the assistant, freed times refilled from the waiting list,
no-shows and handoffs nobody answered — counted from the event log, in the salon's local day. The same figures go
to the owner's WhatsApp number, to webhooks (`digest.daily`), the stats page and /api/v1 (docs/waitlist.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from booking_bot.domain import Company, DigestFigures, EventType
from booking_bot.i18n import Localizer
from booking_bot.ports import Store

COUNTED = (EventType.BOOKING_CREATED, EventType.WAITLIST_BOOKED, EventType.VISIT_NO_SHOW, EventType.HANDOFF_REQUESTED)
MARKED_WITHIN = timedelta(days=1)  # a no-show is usually marked the same day or the next morning


def local_midnight(company: Company, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=company.zone)


async def digest_figures(store: Store, company: Company, day: date) -> DigestFigures:
    """The figures of the salon's local `day`. No-shows count by the visit's day (marked up to a day later);
    a handoff is unanswered while no member of staff has written in that chat since it was asked for."""
    start, end = local_midnight(company, day), local_midnight(company, day + timedelta(days=1))
    events = await store.events_between(COUNTED, start, end + MARKED_WITHIN, company_id=company.id)
    of_day = [e for e in events if e.occurred_at < end]
    handoffs = [e for e in of_day if e.type is EventType.HANDOFF_REQUESTED]
    unanswered = 0
    for handoff in handoffs:
        chat = str(handoff.data.get("chat_id", ""))
        if not await store.staff_wrote_since(company.id, chat, handoff.occurred_at):
            unanswered += 1
    no_shows = {
        e.data["booking"]["id"]
        for e in events
        if e.type is EventType.VISIT_NO_SHOW and start <= (_visit_start(e.data) or end) < end
    }
    return DigestFigures(
        day=day,
        bookings_made=sum(e.type is EventType.BOOKING_CREATED for e in of_day),
        refilled=sum(e.type is EventType.WAITLIST_BOOKED for e in of_day),
        no_shows=len(no_shows),
        handoffs=len(handoffs),
        handoffs_unanswered=unanswered,
    )


def _visit_start(data: dict[str, Any]) -> datetime | None:
    """The visit's start from a visit event's booking."""
    booking = data.get("booking")
    start = booking.get("start") if isinstance(booking, dict) else None
    return datetime.fromisoformat(start) if isinstance(start, str) else None


def digest_text(loc: Localizer, company: Company, figures: DigestFigures) -> str:
    """The owner's message, in the salon's language."""
    lines = [
        loc.t("{salon}, yesterday ({day}):", salon=company.name, day=loc.day(figures.day)),
        loc.t("Bookings made by the assistant: {n}", n=figures.bookings_made),
        loc.t("Freed times refilled from the waiting list: {n}", n=figures.refilled),
        loc.t("No-shows: {n}", n=figures.no_shows),
        loc.t(
            "Requests for a person not answered yet: {n} of {total}",
            n=figures.handoffs_unanswered,
            total=figures.handoffs,
        ),
    ]
    return "\n".join(lines)


def owner_chat(phone: str) -> str:
    """The owner's WhatsApp chat: the number's digits at WhatsApp's phone-number server."""
    return "".join(ch for ch in phone if ch.isdigit()) + "@s.whatsapp.net"


def figures_data(figures: DigestFigures) -> dict[str, object]:
    """The figures as the `digest.daily` event and /api/v1 carry them."""
    return figures.model_dump(mode="json")
