"""Sending one claimed reminder: re-checked against the booking — as our store has it and as the salon's system has
it now (the salon may have moved or cancelled it there) — rendered in the customer's language, sent once."""

from __future__ import annotations

import logging
from datetime import timedelta

from booking_bot.domain import (
    BookingStatus,
    ConversationKey,
    ConversationState,
    EventType,
    ReminderStatus,
    booking_data,
    plan_reminders,
)
from booking_bot.i18n import describe_booking
from booking_bot.outbox import deliver, flush
from booking_bot.ports import BackendUnavailable
from booking_bot.services import Services

log = logging.getLogger(__name__)
MISFIRE_GRACE = timedelta(minutes=30)  # a reminder found later than this after its time is skipped, not sent


async def send_reminder(services: Services, company_id: str, key: str) -> ReminderStatus | None:
    """Send the claimed reminder `key`; returns its final status (None if unknown).

    Idempotent: a reminder already sent only gets its unsent outbox texts flushed (a crash between record and
    send); a cancelled one (the booking moved or was cancelled meanwhile) is left alone.
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
    backend = services.backend_for(company)
    try:
        current = await backend.current_booking(company, booking)
    except BackendUnavailable:
        current = booking  # cannot tell: remind as booked (a reminder missed is worse than one the salon voided)
    if current is None or current.status is BookingStatus.CANCELLED:
        # Cancelled in the salon's own system (YClients' app, the front desk): mirror it, remind nobody.
        await store.save_booking(booking.model_copy(update={"status": BookingStatus.CANCELLED}))
        await store.cancel_reminders(company_id, booking.id)
        await store.finish_reminder(company_id, key, ReminderStatus.SKIPPED)
        log.info("company=%s reminder skipped: the booking was cancelled in the salon's system", company_id)
        return ReminderStatus.SKIPPED
    if (current.start, current.staff_id, current.service_id) != (booking.start, booking.staff_id, booking.service_id):
        # (Not the end: a length the system rounds differently is no move, and must not cost the reminder.)
        # Moved in the salon's system: mirror it and plan its reminders anew; this one (for the old time) is skipped.
        await store.save_booking(current)
        await store.replace_reminders(current, plan_reminders(company, current, now))
        await store.finish_reminder(company_id, key, ReminderStatus.SKIPPED)
        log.info("company=%s reminder skipped: the booking was moved in the salon's system", company_id)
        return ReminderStatus.SKIPPED
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
    key_of_chat = ConversationKey(company_id, booking.customer_id)
    async with services.locks.hold(str(key_of_chat)):
        # Recorded under the conversation's lock: the reply "ok" is read against this reminder.
        state = await services.conversations.load(key_of_chat) or ConversationState()
        state.reminded_booking_id, state.reminded_at = booking.id, now
        await services.conversations.save(key_of_chat, state)
    await deliver(store, services.channel, company_id, booking.customer_id, key, ["\n".join(lines)])
    await store.finish_reminder(company_id, key, ReminderStatus.SENT)
    # After the send was recorded and handed over; the event's id dedupes a retry's emit.
    sent = booking_data(booking, reminder_key=key, due_at=reminder.due_at.isoformat())
    await services.events.emit(company_id, EventType.REMINDER_SENT, key, sent)
    log.info("company=%s reminder sent", company_id)
    return ReminderStatus.SENT
