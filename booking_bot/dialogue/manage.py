"""Existing bookings: list them, pick one (asking which when there are several), cancel or move it."""

from __future__ import annotations

from booking_bot.dialogue import booking as booking_flow
from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue.turn import Turn, chosen
from booking_bot.domain import Action, Booking, Draft, EventType, OutcomeKind, ParsedMessage, Stage, booking_data
from booking_bot.i18n import N_
from booking_bot.nlu.catalog import related_entries


async def my_bookings(turn: Turn) -> None:
    bookings = await turn.backend.customer_bookings(turn.company, turn.customer)
    if not bookings:
        turn.say(turn.loc.t("You have no upcoming appointments. Would you like to book one?"))
        return
    lines = [turn.loc.tn("You have {n} upcoming appointment:", "You have {n} upcoming appointments:", len(bookings))]
    lines += [f"{n}. {turn.describe_booking(b)}" for n, b in enumerate(bookings, start=1)]
    turn.say("\n".join(lines))


async def start(turn: Turn, action: Action) -> None:
    """'cancel my appointment' / 'move it to Friday 4pm': find the booking meant, ask which if unclear."""
    bookings = await turn.backend.customer_bookings(turn.company, turn.customer)
    parsed = turn.parsed
    turn.state.reset()
    turn.state.draft = Draft(action=action)
    if action is Action.MOVE:
        # In "move it to Friday at 4pm" the day and time are the new ones, not a way to pick the booking — unless
        # they name an appointment the customer has: "move my Sunday one", "my appointment with Olga".
        drafts.merge(turn, parsed)
        candidates = _narrow(turn, bookings, ParsedMessage(service_id=parsed.service_id))
        with_staff = [b for b in candidates if b.staff_id == parsed.staff_id]
        if parsed.staff_id is not None and with_staff and len(with_staff) < len(candidates):
            candidates = with_staff
        on_day = [b for b in candidates if turn.local(b.start).date() == parsed.date]
        if parsed.date is not None and on_day and parsed.negated_date is None:
            candidates, turn.draft.date = on_day, None  # the day names the appointment; its new day is still open
    else:
        candidates = _narrow(turn, bookings, parsed)
    if parsed.service_id is None and len(candidates) > 1:
        # "move my haircut" (men's or women's?) with one haircut among the appointments: that one.
        mentioned = set(related_entries(turn.catalog.services, turn.message.text))
        named = [b for b in candidates if b.service_id in mentioned]
        if mentioned and named:
            candidates = named
    if not bookings:
        turn.say(turn.loc.t("You have no upcoming appointments. Would you like to book one?"))
        turn.state.reset()
        return
    reminded = [b for b in candidates if b.id == turn.reminded_booking_id]
    if len(candidates) > 1 and reminded:
        candidates = reminded  # "cancel" right after a reminder means that visit
    if len(candidates) == 1:
        await chosen_booking(turn, candidates[0])
        return
    listed = candidates or bookings
    lines = [turn.loc.t(_WHICH[action])]
    lines += [f"{n}. {turn.describe_booking(b)}" for n, b in enumerate(listed, start=1)]
    turn.say("\n".join(lines))
    turn.state.candidates = [b.id for b in listed]
    turn.state.stage = Stage.CHOOSE_BOOKING


async def choose(turn: Turn) -> bool:
    """An answer to 'which appointment?': a number, or a detail that leaves one. False if it is neither."""
    bookings = [
        b for b in await turn.backend.customer_bookings(turn.company, turn.customer) if b.id in turn.state.candidates
    ]
    bookings.sort(key=lambda b: turn.state.candidates.index(b.id))
    parsed = turn.parsed
    picked: Booking | None = chosen(bookings, parsed.choice)
    if picked is None:
        narrowed = _narrow(turn, bookings, parsed)
        if len(narrowed) == 1 and narrowed != bookings:
            picked = narrowed[0]
    if picked is None:
        return False
    await chosen_booking(turn, picked)
    return True


async def chosen_booking(turn: Turn, target: Booking) -> None:
    draft = turn.draft
    draft.booking_id = target.id
    await turn.store.save_booking(target)
    if draft.action is Action.CANCEL:
        turn.say(turn.loc.t("Shall I cancel this appointment?\n{booking}", booking=turn.describe_booking(target)))
        turn.state.stage = Stage.CONFIRM_CANCEL
        return
    draft.service_id = target.service_id
    if target.staff_id not in draft.excluded_staff:
        draft.staff_id = draft.staff_id or target.staff_id
    if draft.time is None and draft.window is None:
        # "move it to Friday, same time" / "an hour later": relative to the appointment being moved.
        drafts.apply_relative(draft, turn.parsed, turn.local(target.start).time())
    if draft.date is None and draft.time is not None:
        draft.date = turn.local(target.start).date()  # "an hour later", "to 5pm": on its own day
    if draft.date is None:
        turn.say(
            turn.loc.t(
                "Your appointment: {booking}. To which day would you like to move it?",
                booking=turn.describe_booking(target),
            )
        )
        turn.state.stage = Stage.ASK_DATE
        return
    await booking_flow.advance(turn)


async def cancel(turn: Turn) -> None:
    """Cancel the confirmed booking and report exactly what the backend answered."""
    target = await turn.store.get_booking(turn.company.id, turn.draft.booking_id or "")
    if target is None:
        turn.say(turn.loc.t("I couldn't find that appointment any more."))
        turn.state.reset()
        return
    outcome = await turn.backend.cancel(turn.company, target, turn.operation_key)
    if outcome.kind is OutcomeKind.CANCELLED and outcome.booking is not None:
        await turn.store.save_booking(outcome.booking)
        await turn.store.cancel_reminders(turn.company.id, outcome.booking.id)
        await turn.emit(EventType.BOOKING_CANCELLED, turn.operation_key, booking_data(outcome.booking))
        turn.say(turn.loc.t("Done, your appointment is cancelled: {booking}.", booking=turn.describe_booking(target)))
        draft = turn.draft
        if draft.rebook and draft.chosen is not None:
            # Moving was forbidden: now book the time the customer asked for (confirmed again, it may be gone).
            rebook = Draft(service_id=target.service_id, staff_id=draft.chosen.staff_id)
            chosen = draft.chosen
            turn.state.reset()
            turn.state.draft = rebook
            booking_flow.ask_to_confirm(turn, chosen)
            return
        turn.state.reset()
        return
    booking_flow.say_failure(turn, outcome.kind)


def _narrow(turn: Turn, bookings: list[Booking], parsed: ParsedMessage) -> list[Booking]:
    """The bookings that match every detail the message names (day, time, service, staff)."""
    found = bookings
    if parsed.date is not None:
        found = [b for b in found if turn.local(b.start).date() == parsed.date]
    if parsed.time is not None:
        found = [b for b in found if turn.local(b.start).time() == parsed.time]
    if parsed.service_id is not None:
        found = [b for b in found if b.service_id == parsed.service_id]
    if parsed.staff_id is not None:
        found = [b for b in found if b.staff_id == parsed.staff_id]
    return found


async def ask_again(turn: Turn) -> None:
    """The question the conversation is waiting on, asked again after a side answer (a price, "my bookings")."""
    stage, draft = turn.state.stage, turn.draft
    if stage in (Stage.CONFIRM_BOOK, Stage.CONFIRM_MOVE) and draft.chosen is not None:
        booking_flow.ask_to_confirm(turn, draft.chosen)
    elif stage is Stage.CONFIRM_CANCEL:
        target = await turn.store.get_booking(turn.company.id, draft.booking_id or "")
        if target is not None:
            turn.say(turn.loc.t("Shall I cancel this appointment?\n{booking}", booking=turn.describe_booking(target)))
    elif stage is Stage.CHOOSE_SLOT and turn.state.offered:
        booking_flow.say_offered(turn)
    elif stage is Stage.CHOOSE_BOOKING:
        bookings = await turn.backend.customer_bookings(turn.company, turn.customer)
        listed = sorted((b for b in bookings if b.id in turn.state.candidates), key=lambda b: b.start)
        lines = [turn.loc.t(_WHICH[draft.action])]
        lines += [f"{n}. {turn.describe_booking(b)}" for n, b in enumerate(listed, start=1)]
        turn.state.candidates = [b.id for b in listed]
        turn.say("\n".join(lines))
    elif stage is Stage.CONFIRM_RESUME and turn.state.suspended is not None:
        booking_flow.offer_resume(turn)
    elif stage is Stage.ASK_PHONE:
        turn.say(turn.loc.t("To book you in, I need your phone number. Please send it, for example +44 7700 900123."))
    elif stage is not Stage.IDLE:
        await booking_flow.advance(turn)  # asks for what is still missing (service, day, time)


_WHICH = {
    Action.MOVE: N_("Which appointment would you like to move?"),
    Action.CANCEL: N_("Which appointment would you like to cancel?"),
    Action.BOOK: N_("Which appointment do you mean?"),
}
