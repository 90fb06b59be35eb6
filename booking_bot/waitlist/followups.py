"""Visits and the work planned around them (docs/waitlist.md).

- A visit is marked attended or a no-show by staff (the API) or read from the salon's system (YClients' attendance,
  sync.py); staff's mark wins. A no-show gets one polite re-invite the next day (per salon, `NoShowPolicy`); no
  other after-visit message exists, so none can reach a no-show.
- A booking of a customer with earlier no-shows gets an early confirmation request (reminders.py) and, unconfirmed
  after the salon's grace time while someone waits for that time, is released to the waiting list.
- The owner's digest goes out once a day (digest.py).

Each of these is a `FollowUp` row claimed by the scheduler and done by the `send_followup` job: its outbox key is
the row's key, so a retried job, a restarted or a second scheduler never sends it twice. Each asks the gateway's rule
for proactive messages before it acts (wrote first or opted in; the number's warm-up budget): one the gateway would
not send is `skipped`, counted with its reason, never `sent` — and a release needs its confirmation request sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from booking_bot.domain import (
    Attendance,
    Booking,
    BookingStatus,
    ChatForms,
    Company,
    EventType,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FreedBy,
    Opening,
    OutcomeKind,
    VisitMark,
    VisitSource,
    booking_data,
    confirmation_followups,
    confirmation_key,
    reinvite_followup,
    waiting_order,
)
from booking_bot.i18n import describe_booking
from booking_bot.outbox import Refusal, deliver, flush
from booking_bot.ports import BackendUnavailable, EventSink, Store
from booking_bot.reminders import may_send_proactive, record_freed, send_confirmation_request
from booking_bot.services import Services
from booking_bot.waitlist.digest import digest_figures, digest_text, figures_data, owner_chat
from booking_bot.waitlist.offers import customer_localizer, not_sent

log = logging.getLogger(__name__)
LATE = {  # a follow-up claimed later than this after its time is skipped (a scheduler was down meanwhile)
    FollowUpKind.CONFIRM: timedelta(hours=6),
    FollowUpKind.RELEASE: timedelta(hours=2),
    FollowUpKind.REINVITE: timedelta(hours=12),
    FollowUpKind.DIGEST: timedelta(hours=6),
}
VISIT_EVENTS = {Attendance.NO_SHOW: EventType.VISIT_NO_SHOW, Attendance.ATTENDED: EventType.VISIT_ATTENDED}


async def record_attendance(
    store: Store,
    events: EventSink,
    now: datetime,
    company: Company,
    booking: Booking,
    attendance: Attendance,
    source: VisitSource,
) -> VisitMark | None:
    """Mark how the visit went (attended or a no-show: by staff through the API, or as the salon's system tells);
    a no-show's re-invite is planned. None: nothing changed (or staff's mark stands against the system's)."""
    mark = VisitMark(
        company_id=company.id,
        booking_id=booking.id,
        customer_id=booking.customer_id,
        attendance=attendance,
        source=source,
        visit_start=booking.start,
        marked_at=now,
    )
    if attendance not in VISIT_EVENTS or not await store.mark_visit(mark):
        return None
    data = booking_data(booking, attendance=attendance.value, source=source.value)
    await events.emit(company.id, VISIT_EVENTS[attendance], f"{booking.id}:{now.isoformat()}", data)
    if attendance is Attendance.NO_SHOW:
        planned = [reinvite_followup(company, mark)] if company.no_shows.reinvite else []
        if company.no_shows.confirm_hours_before is not None:
            # Booked again before this mark: those visits get the early confirmation request from now on too.
            for later in await store.list_bookings(company.id):
                if later.customer_id == mark.customer_id and later.status is BookingStatus.BOOKED and later.start > now:
                    planned += confirmation_followups(company, later, now)
        await store.plan_followups(planned)
    log.info("company=%s visit marked %s by %s", company.id, attendance.value, source.value)
    return mark


async def plan_confirmation(services: Services, company: Company, booking: Booking) -> int:
    """A new or moved booking of a customer with earlier no-shows: the early confirmation request (and release)."""
    if booking.status is not BookingStatus.BOOKED or company.no_shows.confirm_hours_before is None:
        return 0
    if not await services.store.no_shows(company.id, booking.customer_id):
        return 0
    return await services.store.plan_followups(confirmation_followups(company, booking, services.clock()))


async def send_followup(services: Services, company_id: str, key: str) -> FollowUpStatus | None:
    """The `send_followup` job: do the claimed follow-up once; returns its final status (None if unknown)."""
    store = services.store
    followup = await store.get_followup(company_id, key)
    if followup is None:
        return None
    if followup.status is FollowUpStatus.SENT:
        await flush(store, services.channel, company_id, key)  # a crash between the record and the send
        return followup.status
    if followup.status is not FollowUpStatus.CLAIMED:
        return followup.status
    company = await store.get_company(company_id)
    done: bool | Refusal = False
    if company is not None and services.clock() - followup.due_at <= LATE[followup.kind]:
        done = await _DO[followup.kind](services, company, followup)
    if isinstance(done, Refusal):  # the gateway would not send it: never reported as sent
        not_sent(services, company_id, followup.kind.value, done)
    status = FollowUpStatus.SENT if done is True else FollowUpStatus.SKIPPED
    await store.finish_followup(company_id, key, status)
    log.info("company=%s follow-up %s %s", company_id, followup.kind.value, status.value)
    return status


async def _reinvite(services: Services, company: Company, followup: FollowUp) -> bool | Refusal:
    """One polite invitation to book again, the day after a no-show — unless the mark changed or they booked."""
    store, now = services.store, services.clock()
    mark = await store.get_visit(company.id, followup.booking_id or "")
    if not company.no_shows.reinvite or mark is None or mark.attendance is not Attendance.NO_SHOW:
        return False
    customer_id = followup.customer_id or mark.customer_id
    if any(
        b.customer_id == customer_id and b.status is BookingStatus.BOOKED and b.start > now
        for b in await store.list_bookings(company.id)
    ):
        return False  # booked again already: nothing to invite to
    refusal = await may_send_proactive(services, company.id, customer_id, followup.key)
    if refusal is not None:
        return refusal  # not deferred: "yesterday" would be wrong a day later
    loc = await customer_localizer(services, company, customer_id)
    text = loc.t(
        "We missed you at {salon} yesterday. Would you like to book a new time? Just write to me here.",
        salon=company.name,
    )
    await deliver(store, services.channel, company.id, customer_id, followup.key, [text])
    data = {"booking_id": mark.booking_id, "chat_id": customer_id, "visit_start": mark.visit_start.isoformat()}
    await services.events.emit(company.id, EventType.VISIT_REINVITED, followup.key, data)
    return True


async def _confirm(services: Services, company: Company, followup: FollowUp) -> bool | Refusal:
    return await send_confirmation_request(services, company, followup)


async def _release(services: Services, company: Company, followup: FollowUp) -> bool | Refusal:
    """Unconfirmed after the grace time, with someone waiting for that time: the booking is cancelled in the salon's
    system (its typed outcome) and the time goes to the waiting list. Never when the system cannot tell, when the
    customer was never asked to confirm (their request was not sent), nor when they could not be told."""
    store, now = services.store, services.clock()
    booking = await store.get_booking(company.id, followup.booking_id or "")
    if booking is None or booking.status is not BookingStatus.BOOKED or booking.start != followup.visit_start:
        return False
    if booking.start <= now or not company.waitlist.enabled:
        return False
    backend = services.backend_for(company)
    try:
        if await backend.attendance(company, booking) is Attendance.CONFIRMED:
            return False
    except BackendUnavailable:
        return False
    local = booking.start.astimezone(company.zone)
    waiting = [
        e
        for e in waiting_order(await store.wait_entries(company.id, local.date()), local, booking.staff_id)
        if e.customer_id != booking.customer_id
    ]
    if not waiting:
        return False  # nobody would get it: the customer keeps the time
    request = await store.get_followup(company.id, confirmation_key(company.id, booking.id, booking.start))
    if request is None or request.status is not FollowUpStatus.SENT:
        return False  # never asked to confirm (not reachable, over the warm-up, too late): they keep the time
    refusal = await may_send_proactive(services, company.id, booking.customer_id, followup.key)
    if refusal is not None:
        return refusal  # a visit released without a word would be a customer at the door of a cancelled visit
    outcome = await backend.cancel(company, booking, followup.key)
    if outcome.kind is not OutcomeKind.CANCELLED or outcome.booking is None:
        return False
    cancelled = outcome.booking
    await store.save_booking(cancelled)
    await store.cancel_reminders(company.id, booking.id)
    await record_freed(services, company, [Opening.of(booking, booking.start, FreedBy.RELEASE, now)])
    loc = await customer_localizer(services, company, booking.customer_id)
    details = describe_booking(
        loc, company, now, await backend.services(company), await backend.staff(company), booking
    )
    text = loc.t(
        "We didn't hear back from you, so your appointment ({booking}) has been released for someone on our waiting "
        "list. Write to me any time to book again.",
        booking=details,
    )
    await deliver(store, services.channel, company.id, booking.customer_id, followup.key, [text])
    await services.events.emit(company.id, EventType.BOOKING_CANCELLED, followup.key, booking_data(cancelled))
    await services.events.emit(company.id, EventType.VISIT_RELEASED, followup.key, booking_data(cancelled))
    return True


async def _digest(services: Services, company: Company, followup: FollowUp) -> bool | Refusal:
    """Yesterday's figures to the owner's WhatsApp number (when set) and to webhooks (these even when the number's
    warm-up budget leaves no place for the owner's message: that one is then not sent, and the digest `skipped`)."""
    if not company.digest.enabled or followup.day is None:
        return False
    figures = await digest_figures(services.store, company, followup.day)
    refusal: Refusal | None = None
    if company.digest.owner_phone:
        chat = await _owner_opted_in(services, company, company.digest.owner_phone)
        refusal = await may_send_proactive(services, company.id, chat, followup.key)
        if refusal is None:
            text = digest_text(services.catalogs.get(company.default_language), company, figures)
            await deliver(services.store, services.channel, company.id, chat, followup.key, [text])
    await services.events.emit(company.id, EventType.DIGEST_DAILY, followup.key, figures_data(figures))
    return refusal or True


async def _owner_opted_in(services: Services, company: Company, phone: str) -> str:
    """The owner's chat, opted in to messages it did not ask for: the salon's admin set the number for the digest,
    and the gateway sends a proactive message only to who wrote first or opted in (gateway/proactive.py)."""
    store, chat = services.store, owner_chat(phone)
    e164 = "+" + chat.partition("@")[0]
    known = await store.find_identity(company.id, phone=e164) or await store.find_identity(company.id, customer_id=chat)
    if known is None:
        known = await store.link_identity(company.id, ChatForms(phone=e164, address=chat), chat)
    if known.opted_in_at is None:
        await store.record_opt_in(company.id, known.customer_id, services.clock())
    return known.customer_id  # the owner wrote to the salon before: their messages are filed under that id


_DO = {
    FollowUpKind.CONFIRM: _confirm,
    FollowUpKind.RELEASE: _release,
    FollowUpKind.REINVITE: _reinvite,
    FollowUpKind.DIGEST: _digest,
}
