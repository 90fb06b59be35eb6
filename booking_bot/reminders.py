"""Sending one claimed reminder: re-checked against the booking — as our store has it and as the salon's system has
it now (the salon may have moved or cancelled it there) — rendered in the customer's language, sent once. The early
confirmation request to customers with earlier no-shows (docs/waitlist.md) is sent the same way."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from booking_bot.domain import (
    Booking,
    BookingStatus,
    Company,
    ConversationKey,
    ConversationState,
    EventType,
    FollowUp,
    FreedBy,
    Opening,
    ReminderStatus,
    booking_data,
    out_of_quiet_hours,
    plan_reminders,
)
from booking_bot.i18n import describe_booking, when
from booking_bot.outbox import Refusal, deliver, flush, may_reach, take_budget
from booking_bot.ports import BackendUnavailable
from booking_bot.services import Services

log = logging.getLogger(__name__)
MISFIRE_GRACE = timedelta(minutes=30)  # a reminder found later than this after its time is skipped, not sent
REMINDERS_SKIPPED = "booking_bot_reminders_skipped_total"  # labels: why (no_conversation, warm_up)
REMINDERS_DEFERRED = "booking_bot_reminders_deferred_total"  # labels: why (warm_up)


async def send_reminder(services: Services, company_id: str, key: str) -> ReminderStatus | None:
    """Send the claimed reminder `key`; returns its final status (None if unknown).

    Idempotent: a reminder already sent only gets its unsent outbox texts flushed (a crash between record and
    send); a cancelled one (the booking moved or was cancelled meanwhile) is left alone. A reminder to a customer
    who never wrote to the salon nor opted in is skipped (and counted), never sent nor reported as sent.
    """
    store = services.store
    reminder = await store.get_reminder(company_id, key)
    if reminder is None:
        return None
    if reminder.status is ReminderStatus.SENT:
        await flush(store, services.channel, company_id, key)
        return reminder.status
    if reminder.status is not ReminderStatus.CLAIMED:
        return reminder.status
    now = services.clock()
    company = await store.get_company(company_id)
    booking = await store.get_booking(company_id, reminder.booking_id)
    if (
        company is None
        or booking is None
        or booking.status is BookingStatus.CANCELLED
        or booking.start <= now
        or now - reminder.due_at > MISFIRE_GRACE
    ):
        await store.finish_reminder(company_id, key, ReminderStatus.SKIPPED)
        log.info("company=%s reminder skipped", company_id)
        return ReminderStatus.SKIPPED
    if not await may_reach(store, company_id, booking.customer_id, strangers=services.proactive_to_strangers):
        # The gateway would drop it (a message to a number that never wrote gets numbers banned): never "sent".
        await store.finish_reminder(company_id, key, ReminderStatus.SKIPPED)
        if services.metrics is not None:
            services.metrics.inc(REMINDERS_SKIPPED, why="no_conversation")
        log.warning("company=%s reminder skipped: the customer never wrote to the salon nor opted in", company_id)
        return ReminderStatus.SKIPPED
    backend = services.backend_for(company)
    if await as_the_salon_has_it(services, company, booking, now) is not booking:
        await store.finish_reminder(company_id, key, ReminderStatus.SKIPPED)
        log.info("company=%s reminder skipped: the booking was changed in the salon's system", company_id)
        return ReminderStatus.SKIPPED
    budget_from = await take_budget(services.proactive_budget, company_id, key)
    if budget_from is not None:
        return await _over_the_warm_up(services, company, booking, key, budget_from)
    customer = await store.get_customer(company_id, booking.customer_id)
    loc = services.catalogs.get((customer.language if customer else None) or company.default_language)
    details = describe_booking(
        loc, company, now, await backend.services(company), await backend.staff(company), booking
    )
    lines = [loc.t("Reminder: {booking}.", booking=details)]
    if company.address:
        lines.append(loc.t("Address: {address}", address=company.address))
    if company.reminders.confirm_by_reply:
        lines.append(loc.t("Reply “ok” to confirm, or write to me if you need to move or cancel it."))
    await _remember_reminded(services, booking, now)
    await deliver(store, services.channel, company_id, booking.customer_id, key, ["\n".join(lines)])
    await store.finish_reminder(company_id, key, ReminderStatus.SENT)
    # After the send was recorded and handed over; the event's id dedupes a retry's emit.
    sent = booking_data(booking, reminder_key=key, due_at=reminder.due_at.isoformat())
    await services.events.emit(company_id, EventType.REMINDER_SENT, key, sent)
    log.info("company=%s reminder sent", company_id)
    return ReminderStatus.SENT


async def _over_the_warm_up(
    services: Services, company: Company, booking: Booking, key: str, budget_from: datetime
) -> ReminderStatus:
    """The newly linked number's proactive messages of today are spent (the gateway would hold this one back). The
    reminder waits for the next day's budget (quiet hours kept) when the visit is still `min_lead_minutes` ahead then
    and no other reminder of it comes first; else it is dropped (a reminder after the visit, or minutes before it,
    helps nobody). Either way this one is `skipped`, never `sent`."""
    store = services.store
    later = out_of_quiet_hours(company, budget_from)
    others = [
        r.due_at
        for r in await store.list_reminders(company.id, booking.id)
        if r.key != key and r.status in (ReminderStatus.PLANNED, ReminderStatus.CLAIMED)
    ]
    if not await store.finish_reminder(company.id, key, ReminderStatus.SKIPPED):
        return ReminderStatus.SKIPPED  # the claim went stale and another job has it
    lead = timedelta(minutes=company.reminders.min_lead_minutes)
    if booking.start - later >= lead and not any(due <= later for due in others):
        await store.replace_reminders(booking, [*others, later])
        if services.metrics is not None:
            services.metrics.inc(REMINDERS_DEFERRED, why=Refusal.WARM_UP.value)
        log.warning(
            "company=%s reminder deferred to the number's next warm-up day: today's budget is spent", company.id
        )
        return ReminderStatus.SKIPPED
    if services.metrics is not None:
        services.metrics.inc(REMINDERS_SKIPPED, why=Refusal.WARM_UP.value)
    log.warning(
        "company=%s reminder skipped: the number's warm-up budget is spent and the visit is too near", company.id
    )
    return ReminderStatus.SKIPPED


async def may_send_proactive(services: Services, company_id: str, customer_id: str, reply_to: str) -> Refusal | None:
    """The gateway's rule, asked before a proactive message (answering `reply_to`) is recorded: the customer wrote or
    opted in, and the number's warm-up budget has a place for it today (taken now). None: it may go."""
    if not await may_reach(services.store, company_id, customer_id, strangers=services.proactive_to_strangers):
        return Refusal.NO_CONVERSATION
    if await take_budget(services.proactive_budget, company_id, reply_to) is not None:
        return Refusal.WARM_UP
    return None


async def as_the_salon_has_it(services: Services, company: Company, booking: Booking, now: datetime) -> Booking | None:
    """`booking` itself while the salon's system still has it as it is (or cannot tell: a proactive message missed
    is worse than one the salon voided); else the change is mirrored — cancelled there: our copy and its reminders
    cancelled, None; moved there: our copy takes the new time and its reminders are planned anew, that is returned."""
    store = services.store
    try:
        current = await services.backend_for(company).current_booking(company, booking)
    except BackendUnavailable:
        return booking
    if current is None or current.status is BookingStatus.CANCELLED:
        # Cancelled in the salon's own system (YClients' app, the front desk): mirror it, remind nobody.
        await store.save_booking(booking.model_copy(update={"status": BookingStatus.CANCELLED}))
        await store.cancel_reminders(company.id, booking.id)
        await record_freed(services, company, [Opening.of(booking, booking.start, FreedBy.SALON, now)])
        return None
    if (current.start, current.staff_id, current.service_id) != (booking.start, booking.staff_id, booking.service_id):
        # (Not the end: a length the system rounds differently is no move, and must not cost the reminder.)
        await store.save_booking(current)
        await store.replace_reminders(current, plan_reminders(company, current, now))
        await record_freed(services, company, [Opening.of(booking, booking.start, FreedBy.SALON, now)])
        return current
    return booking


async def record_freed(services: Services, company: Company, openings: list[Opening]) -> int:
    """Times that became free, for the waiting list (booking_bot/waitlist): each recorded once, however often it is
    found, and reported (waitlist.slot_freed). Past times and salons without a waiting list record nothing."""
    if not company.waitlist.enabled:
        return 0
    added = 0
    for opening in openings:
        if opening.start > services.clock() and await services.store.add_openings([opening]):
            added += 1
            data = {
                "booking_id": opening.booking_id,
                "staff_id": opening.staff_id,
                "start": opening.start.isoformat(),
                "end": opening.end.isoformat(),
                "freed_by": opening.freed_by.value,
            }
            await services.events.emit(opening.company_id, EventType.SLOT_FREED, opening.id, data)
    return added


async def _remember_reminded(services: Services, booking: Booking, now: datetime) -> None:
    """Under the conversation's lock: the reply "ok" is read against this booking's reminder (or request)."""
    key_of_chat = ConversationKey(booking.company_id, booking.customer_id)
    async with services.locks.hold(str(key_of_chat)):
        state = await services.conversations.load(key_of_chat) or ConversationState()
        state.reminded_booking_id, state.reminded_at = booking.id, now
        await services.conversations.save(key_of_chat, state)


async def send_confirmation_request(services: Services, company: Company, followup: FollowUp) -> bool | Refusal:
    """A customer with earlier no-shows is asked to confirm earlier than everyone (`NoShowPolicy`): re-checked like a
    reminder, in the customer's language, and an "ok" to it confirms the visit like an "ok" to a reminder. False:
    nothing to ask (the visit was cancelled, moved or has begun); a `Refusal`: the gateway would not send it."""
    store, now = services.store, services.clock()
    booking = await store.get_booking(company.id, followup.booking_id or "")
    if booking is None or booking.status is BookingStatus.CANCELLED or booking.start != followup.visit_start:
        return False
    if booking.start <= now or await as_the_salon_has_it(services, company, booking, now) is not booking:
        return False
    refusal = await may_send_proactive(services, company.id, booking.customer_id, followup.key)
    if refusal is not None:
        return refusal
    backend = services.backend_for(company)
    customer = await store.get_customer(company.id, booking.customer_id)
    loc = services.catalogs.get((customer.language if customer else None) or company.default_language)
    details = describe_booking(
        loc, company, now, await backend.services(company), await backend.staff(company), booking
    )
    lines = [loc.t("Please confirm your visit: {booking}. Reply “ok” to keep it.", booking=details)]
    grace = company.no_shows.grace_minutes
    if grace is not None:
        deadline = when(loc, company, now, out_of_quiet_hours(company, followup.due_at + timedelta(minutes=grace)))
        lines.append(
            loc.t(
                "If we don't hear from you by {deadline}, we may offer this time to someone on our waiting list.",
                deadline=deadline,
            )
        )
    await _remember_reminded(services, booking, now)
    await deliver(store, services.channel, company.id, booking.customer_id, followup.key, ["\n".join(lines)])
    await services.events.emit(company.id, EventType.VISIT_CONFIRMATION_REQUESTED, followup.key, booking_data(booking))
    return True
