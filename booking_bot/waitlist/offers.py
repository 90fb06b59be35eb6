"""Freed times offered to the waiting list, one customer at a time (docs/waitlist.md).

A freed time (an `Opening`) comes from a cancellation or a move — the bot's (read from the event log, rounds.py), the
salon's own system (found by a reminder or the scheduler's sweep: `reminders.as_the_salon_has_it`) or a release
(followups.py); `reminders.record_freed` records it. The scheduler claims open ones and queues an
`offer_opening` job for each: it takes the waiting customers the time suits in order (earliest request first, then
the closest window), asks the salon's system right then whether the time is still free for that customer's service,
and holds it for the first one with an `Offer` — nobody else is offered it, nor can book it through the bot, until
the customer answers or the hold ends. "Yes" books through the dialogue's honest path (dialogue/waitlist.py), "no"
or silence opens it for the next customer. Quiet hours are kept; the message takes the outbox like every reply, so
the gateway's per-number pacing applies. The gateway's rule for proactive messages is asked first: a customer who
never wrote nor opted in is passed over (the time is never held for someone who cannot get the offer), and while
the newly linked number's warm-up budget is spent the time waits, unheld, for the next day's budget.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from booking_bot.domain import (
    BookingStatus,
    Company,
    ConversationKey,
    ConversationState,
    Draft,
    EventType,
    Offer,
    OfferedSlot,
    OfferStatus,
    Opening,
    OpeningStatus,
    Stage,
    WaitEntry,
    WaitStatus,
    offer_data,
    out_of_quiet_hours,
    waiting_order,
)
from booking_bot.i18n import Localizer, when
from booking_bot.outbox import Refusal, deliver, flush, may_reach, take_budget
from booking_bot.ports import BackendUnavailable
from booking_bot.services import Services

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=5)  # the salon's system not answering, or every fitting customer busy: try then
BUSY_FOR = timedelta(minutes=30)  # a conversation in another task this recently is not interrupted by an offer
MIN_LEAD = timedelta(minutes=30)  # a freed time closer than this is not worth offering
NOT_SENT = "booking_bot_waitlist_not_sent_total"  # labels: kind (offer, confirm, release, reinvite, digest), why
WHY = {
    Refusal.NO_CONVERSATION: "the customer never wrote to the salon nor opted in",
    Refusal.WARM_UP: "the number's warm-up budget for today is spent",
}


def not_sent(services: Services, company_id: str, kind: str, why: Refusal) -> None:
    """A waiting-list message the gateway would not send, so not sent: counted and logged (the company id only)."""
    if services.metrics is not None:
        services.metrics.inc(NOT_SENT, kind=kind, why=why.value)
    log.warning("company=%s %s not sent: %s", company_id, kind, WHY[why])


async def offer_opening(services: Services, company_id: str, opening_id: str, claimer: str) -> OpeningStatus | None:
    """The `offer_opening` job: the freed time `claimer` claimed goes to the next waiting customer it suits, or is
    closed (nobody waits for it, or the salon's system no longer has it free). Returns the opening's new status."""
    store = services.store
    opening = await store.get_opening(company_id, opening_id)
    if opening is None:
        return None
    if opening.status is OpeningStatus.HELD and opening.offer_id is not None:
        await flush(store, services.channel, company_id, opening.offer_id)  # a retried job: send what is unsent
        return opening.status
    if opening.status is not OpeningStatus.CLAIMED:
        return opening.status
    now = services.clock()
    company = await store.get_company(company_id)
    if company is None or not company.waitlist.enabled or opening.start <= now + MIN_LEAD:
        return await _release(services, opening, claimer, OpeningStatus.CLOSED)
    quiet_until = out_of_quiet_hours(company, now)
    if quiet_until > now:
        return await _release(services, opening, claimer, OpeningStatus.OPEN, quiet_until)
    local = opening.start.astimezone(company.zone)
    tried = {offer.customer_id for offer in await store.offers(company_id, opening.id)}
    # One offer at a time per customer too: who holds another freed time now answers that one first.
    tried |= {offer.customer_id for offer in await store.holding_offers(company_id, now)}
    waiting = [
        e
        for e in waiting_order(await store.wait_entries(company_id, local.date()), local, opening.staff_id)
        if e.customer_id not in tried
    ]
    if not waiting:
        return await _release(services, opening, claimer, OpeningStatus.CLOSED)
    booked = {
        (b.customer_id, b.service_id)
        for b in await store.list_bookings(company_id)
        if b.status is BookingStatus.BOOKED and b.start.astimezone(company.zone).date() == local.date()
    }
    backend, busy = services.backend_for(company), False
    for entry in waiting:
        if (entry.customer_id, entry.service_id) in booked:
            # Booked that day's service otherwise meanwhile: waiting no longer (an offer would book it twice).
            await store.save_wait_entry(entry.model_copy(update={"status": WaitStatus.CANCELLED}))
            continue
        if not await may_reach(store, company_id, entry.customer_id, strangers=services.proactive_to_strangers):
            # The gateway would drop the offer: holding the time for them would keep it from everyone.
            not_sent(services, company_id, "offer", Refusal.NO_CONVERSATION)
            continue
        try:
            free = await backend.free_slots(company, entry.service_id, local.date(), opening.staff_id, fresh=True)
        except BackendUnavailable:
            return await _release(services, opening, claimer, OpeningStatus.OPEN, now + RETRY_AFTER)
        if not any(s.start == opening.start and s.staff_id == opening.staff_id for s in free):
            continue  # not free for this service (longer than the gap, or gone): the next customer's may fit
        held = await _hold_and_send(services, company, opening, entry, claimer, now)
        if held is None:
            busy = True
            continue
        if isinstance(held, datetime):
            # The number's proactive messages of today are spent, for every customer alike: the time stays open,
            # held for nobody, until the next day of its warm-up (quiet hours kept).
            not_sent(services, company_id, "offer", Refusal.WARM_UP)
            return await _release(services, opening, claimer, OpeningStatus.OPEN, out_of_quiet_hours(company, held))
        return OpeningStatus.HELD if held else None
    if busy:
        return await _release(services, opening, claimer, OpeningStatus.OPEN, now + RETRY_AFTER)
    return await _release(services, opening, claimer, OpeningStatus.CLOSED)


async def _release(
    services: Services, opening: Opening, claimer: str, status: OpeningStatus, not_before: datetime | None = None
) -> OpeningStatus | None:
    if not await services.store.release_opening(opening.company_id, opening.id, claimer, status, not_before):
        return None  # the claim went stale and another scheduler has it
    log.info("company=%s freed time %s", opening.company_id, "closed" if status is OpeningStatus.CLOSED else "later")
    return status


async def _hold_and_send(
    services: Services, company: Company, opening: Opening, entry: WaitEntry, claimer: str, now: datetime
) -> bool | datetime | None:
    """Hold the time for `entry`'s customer and tell them. None: their chat is busy with something else (or staff
    took it over), so they are not interrupted; False: the claim was lost; a time: the number's warm-up budget is
    spent until then (nothing held, nothing sent)."""
    offer = Offer(
        id=Offer.id_for(company.id, opening.id, entry.id),
        company_id=company.id,
        opening_id=opening.id,
        entry_id=entry.id,
        customer_id=entry.customer_id,
        service_id=entry.service_id,
        staff_id=opening.staff_id,
        start=opening.start,
        sent_at=now,
        hold_until=now + timedelta(minutes=company.waitlist.hold_minutes),
    )
    key = ConversationKey(company.id, entry.customer_id)
    async with services.locks.hold(str(key)):
        # Under the conversation's lock, like a reminder: the customer's answer is read against this offer.
        state = await services.conversations.load(key) or ConversationState()
        recent = state.updated_at is not None and now - state.updated_at < BUSY_FOR
        # An earlier offer left unanswered is no conversation to keep: a new freed time replaces it.
        if state.paused(now) or (state.stage not in (Stage.IDLE, Stage.WAITLIST_OFFER) and recent):
            return None
        budget_from = await take_budget(services.proactive_budget, company.id, offer.id)
        if budget_from is not None:
            return budget_from
        if not await services.store.hold_opening(offer, claimer):
            return False
        local = opening.start.astimezone(company.zone)
        state.reset()
        state.stage = Stage.WAITLIST_OFFER
        state.draft = Draft(
            service_id=entry.service_id,
            staff_id=opening.staff_id,
            date=local.date(),
            time=local.time(),
            chosen=OfferedSlot(start=opening.start, staff_id=opening.staff_id),
        )
        state.waitlist_offer_id, state.updated_at = offer.id, now
        await services.conversations.save(key, state)
    text = await _offer_text(services, company, offer, now)
    await deliver(services.store, services.channel, company.id, entry.customer_id, offer.id, [text])
    await services.events.emit(company.id, EventType.WAITLIST_OFFERED, offer.id, offer_data(offer))
    log.info("company=%s freed time offered from the waiting list", company.id)
    return True


async def customer_localizer(services: Services, company: Company, customer_id: str) -> Localizer:
    """The customer's remembered language (the salon's default for a stranger)."""
    customer = await services.store.get_customer(company.id, customer_id)
    return services.catalogs.get((customer.language if customer else None) or company.default_language)


async def slot_text(
    services: Services, company: Company, loc: Localizer, service_id: str, staff_id: str, start: datetime, now: datetime
) -> str:
    """'Men's haircut with Anna, tomorrow, Saturday, 28 November, 3:00 PM' in `loc`'s language."""
    backend = services.backend_for(company)
    service = next((s for s in await backend.services(company) if s.id == service_id), None)
    member = next((m for m in await backend.staff(company) if m.id == staff_id), None)
    return loc.t(
        "{service} with {staff}, {when}",
        service=service.title(loc.language) if service else "?",
        staff=member.title(loc.language) if member else "?",
        when=when(loc, company, now, start),
    )


async def _offer_text(services: Services, company: Company, offer: Offer, now: datetime) -> str:
    loc = await customer_localizer(services, company, offer.customer_id)
    details = await slot_text(services, company, loc, offer.service_id, offer.staff_id, offer.start, now)
    minutes = company.waitlist.hold_minutes
    return loc.tn(
        "A time has freed up: {details}. Shall I book it for you? I'm holding it for you for {n} minute.",
        "A time has freed up: {details}. Shall I book it for you? I'm holding it for you for {n} minutes.",
        minutes,
        details=details,
    )


async def expire_holds(services: Services, now: datetime, limit: int = 200) -> int:
    """Offers whose hold ended without an answer: the time goes to the next customer. Returns how many."""
    expired = 0
    for offer in await services.store.expired_offers(now, limit):
        if await services.store.finish_offer(offer.company_id, offer.id, OfferStatus.EXPIRED):
            expired += 1
            ended = offer.model_copy(update={"status": OfferStatus.EXPIRED})
            await services.events.emit(offer.company_id, EventType.WAITLIST_EXPIRED, offer.id, offer_data(ended))
    return expired
