"""The waiting list in the conversation (docs/waitlist.md; the engine is booking_bot/waitlist).

- When the wanted time is not free, the bot offers the nearest times and asks "shall I tell you if something frees
  up?"; a yes puts the customer on the waiting list for that day: their part of the day (or an hour either side of
  the time they asked for), their master or anyone.
- A freed time offered from the list ("A time has freed up: … Shall I book it for you?") puts the conversation in
  `Stage.WAITLIST_OFFER` with the offered time as the draft's choice. A no passes it on; anything else makes it the
  booking to confirm, so a yes books it through the same path as every booking (the salon's system checks, the typed
  outcome is said) and a correction or a question is served as at any confirmation.
- While an offer holds a time for one customer, nobody else is offered it or can book it through the bot.

booking.py and policy.py call in here at a few marked places; this module imports neither (booking.py imports it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue.turn import Turn
from booking_bot.domain import (
    Action,
    Booking,
    EventType,
    Intent,
    Offer,
    OfferedSlot,
    OfferStatus,
    OpeningStatus,
    Outcome,
    OutcomeKind,
    Slot,
    Stage,
    TimeWindow,
    WaitAsk,
    WaitEntry,
    entry_data,
    offer_data,
)
from booking_bot.i18n import N_

AROUND = timedelta(hours=1)  # who asked for 3 pm waits for 2-4 pm, unless they said a part of the day
ANSWERING = (Stage.CHOOSE_SLOT, Stage.ASK_DATE)  # where "shall I tell you …?" was asked


def _around(at: time) -> TimeWindow:
    """An hour either side of `at`, within its day."""
    day = date(2000, 1, 1)  # any day: only the clock times are kept
    moment = datetime.combine(day, at)
    start = max(moment - AROUND, datetime.combine(day, time(0)))
    end = min(moment + AROUND, datetime.combine(day, time(23, 59, 59)))
    return TimeWindow(start=start.time(), end=end.time())


def ask_to_wait(turn: Turn, day: date | None, at: time | None) -> None:
    """After "{time} {on_day} is not free." and the nearest free times: offer to write when something frees up."""
    draft = turn.draft
    if not turn.company.waitlist.enabled or draft.action is not Action.BOOK or draft.service_id is None or day is None:
        return
    window = draft.window or (_around(at) if at is not None else None)
    turn.state.waitlist_ask = WaitAsk(service_id=draft.service_id, staff_id=draft.staff_id, day=day, window=window)
    turn.say(turn.loc.t("Shall I tell you if something frees up {on_day}?", on_day=turn.loc.on_day(day, turn.today)))


async def answer_wait(turn: Turn) -> bool:
    """A yes to "shall I tell you if something frees up?" ("yes", "yes, any time in the morning", "yes, with Olga")
    puts the customer on the waiting list. False for anything else (a time picked from those offered, a new day …)."""
    ask, parsed = turn.state.waitlist_ask, turn.parsed
    if ask is None or turn.state.stage not in ANSWERING or parsed.intent is not Intent.AFFIRM:
        return False
    if parsed.time is not None or parsed.choice is not None or parsed.date not in (None, ask.day) or parsed.edits.any:
        return False
    if parsed.service_id not in (None, ask.service_id):
        return False
    entry = WaitEntry(
        id=WaitEntry.id_for(turn.company.id, turn.customer.id, ask.day, ask.service_id),
        company_id=turn.company.id,
        customer_id=turn.customer.id,
        service_id=ask.service_id,
        staff_id=parsed.staff_id or ask.staff_id,
        day=ask.day,
        window=parsed.window or ask.window,
        requested_at=turn.now,
    )
    stored = await turn.store.save_wait_entry(entry)
    await turn.emit(EventType.WAITLIST_JOINED, turn.operation_key, entry_data(stored))
    turn.state.reset()
    turn.say(
        turn.loc.t(
            "Good: I'll write to you here if a time frees up {on_day}.", on_day=turn.loc.on_day(ask.day, turn.today)
        )
    )
    return True


async def answer_offer(turn: Turn) -> bool:
    """The answer to a freed time offered from the waiting list (stage WAITLIST_OFFER). A no declines it: the time
    goes to the next customer (True). Anything else, while the offer still stands, makes the offered time the booking
    to confirm (CONFIRM_BOOK, the draft holds it) and returns False for the policy to go on as at any confirmation.
    An offer that no longer stands: a bare yes or no is told so (True); anything else is read afresh (False)."""
    state, parsed = turn.state, turn.parsed
    offer = await turn.store.get_offer(turn.company.id, state.waitlist_offer_id or "")
    bare = not drafts.has_details(parsed)
    if offer is None or offer.customer_id != turn.customer.id or not await _stands(turn, offer):
        state.reset()
        state.waitlist_offer_id = None
        if bare and parsed.intent in (Intent.AFFIRM, Intent.DENY):
            turn.say(turn.loc.t(_GONE))
            return True
        return False
    if parsed.intent is Intent.DENY and bare:
        if await turn.store.finish_offer(turn.company.id, offer.id, OfferStatus.DECLINED):
            declined = offer.model_copy(update={"status": OfferStatus.DECLINED})
            await turn.emit(EventType.WAITLIST_DECLINED, offer.id, offer_data(declined))
        state.reset()
        state.waitlist_offer_id = None
        on_day = turn.loc.on_day(turn.local(offer.start).date(), turn.today)
        turn.say(
            turn.loc.t(
                "All right, I'll offer it to someone else. You stay on the waiting list for another time {on_day}.",
                on_day=on_day,
            )
        )
        return True
    state.stage = Stage.CONFIRM_BOOK
    return False


_GONE = N_("Sorry, that time is no longer held for you. You stay on the waiting list: I'll write if another frees up.")


async def _stands(turn: Turn, offer: Offer) -> bool:
    """The offer holds, or its hold ended but nobody else has the time (the next customer was not offered it yet)."""
    if offer.holds(turn.now):
        return True
    if offer.status not in (OfferStatus.HOLDING, OfferStatus.EXPIRED):
        return False
    opening = await turn.store.get_opening(turn.company.id, offer.opening_id)
    return opening is not None and opening.status in (OpeningStatus.OPEN, OpeningStatus.CLOSED)


async def _held_for_others(turn: Turn) -> list[Offer]:
    if not turn.company.waitlist.enabled:
        return []
    return [o for o in await turn.store.holding_offers(turn.company.id, turn.now) if o.customer_id != turn.customer.id]


def _overlaps(turn: Turn, offer: Offer, start: datetime, staff_id: str, service_id: str | None) -> bool:
    if offer.staff_id != staff_id:
        return False
    held, wanted = turn.service(offer.service_id), turn.service(service_id)
    held_end = offer.start + timedelta(minutes=held.duration_minutes if held else 1)
    wanted_end = start + timedelta(minutes=wanted.duration_minutes if wanted else 1)
    return offer.start < wanted_end and start < held_end


async def hide_held(turn: Turn, slots: list[Slot]) -> list[Slot]:
    """Free times without those an offer holds for another customer."""
    held = await _held_for_others(turn) if slots else []
    return [s for s in slots if not any(_overlaps(turn, o, s.start, s.staff_id, s.service_id) for o in held)]


async def unless_held(turn: Turn, chosen: OfferedSlot) -> Outcome | None:
    """SLOT_TAKEN when the chosen time is held for another customer (it freed up and was offered to them)."""
    for offer in await _held_for_others(turn):
        if _overlaps(turn, offer, chosen.start, chosen.staff_id, turn.draft.service_id):
            return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="held for a customer on the waiting list")
    return None


async def booked(turn: Turn, booking: Booking) -> None:
    """A booking the salon's system confirmed: when it is the time offered from the waiting list, the offer is
    accepted, the freed time filled (waitlist.booked)."""
    offer_id = turn.state.waitlist_offer_id
    if offer_id is None:
        return
    offer = await turn.store.get_offer(turn.company.id, offer_id)
    turn.state.waitlist_offer_id = None
    if offer is None or (offer.customer_id, offer.start, offer.staff_id) != (
        booking.customer_id,
        booking.start,
        booking.staff_id,
    ):
        return
    if await turn.store.finish_offer(turn.company.id, offer.id, OfferStatus.ACCEPTED):
        accepted = offer.model_copy(update={"status": OfferStatus.ACCEPTED})
        await turn.emit(EventType.WAITLIST_BOOKED, offer.id, offer_data(accepted, booking_id=booking.id))
