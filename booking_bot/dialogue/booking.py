"""Booking and moving: collect what is missing, offer real free times, confirm, then act and report the outcome."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue import waitlist
from booking_bot.dialogue.turn import Turn, chosen
from booking_bot.domain import (
    Action,
    Booking,
    EventType,
    OfferedSlot,
    OutcomeKind,
    Slot,
    Stage,
    TimeWindow,
    booking_data,
    plan_reminders,
)
from booking_bot.i18n import N_
from booking_bot.nlu.catalog import related_entries

SEARCH_AHEAD_DAYS = 14
DAY_PARTS: tuple[tuple[str, time, time], ...] = (
    (N_("Morning"), time(0, 0), time(12, 0)),
    (N_("Afternoon"), time(12, 0), time(17, 0)),
    (N_("Evening"), time(17, 0), time(23, 59, 59)),
)


async def advance(turn: Turn) -> None:
    """Ask for the next missing piece, or check the asked time and ask to confirm."""
    draft = turn.draft
    if (draft.service_id is None or turn.service(draft.service_id) is None) and not _settle_service(turn):
        return
    if draft.date is not None and draft.date < turn.today:
        turn.say(turn.loc.t("That day has already passed."))
        draft.date = None
    if draft.date is None:
        turn.say(turn.loc.t("Which day would suit you?"))
        turn.state.stage = Stage.ASK_DATE
        return
    slots = await free_on(turn, draft.date)
    if draft.time is None:
        await offer(turn, slots, window=draft.window)
        return
    wanted = [s for s in slots if turn.local(s.start).time() == draft.time]
    if not wanted and draft.date == turn.today and draft.time <= turn.local(turn.now).time():
        turn.say(turn.loc.t("That time has already passed today."))
        await offer(turn, slots, near=draft.time)
        return
    if not wanted:
        turn.say(
            turn.loc.t(
                "{time} {on_day} is not free.",
                time=turn.clock(draft.time),
                on_day=turn.loc.on_day(draft.date, turn.today),
            )
        )
        wanted_day = draft.date  # the offer may move the draft to the nearest free day
        await offer(turn, slots, near=draft.time)
        waitlist.ask_to_wait(turn, wanted_day, draft.time)  # issue 19: "shall I tell you if something frees up?"
        return
    ask_to_confirm(turn, wanted[0])


def ask_to_confirm(turn: Turn, slot: Slot | OfferedSlot) -> None:
    draft = turn.draft
    draft.chosen = OfferedSlot(start=slot.start, staff_id=slot.staff_id)
    local = turn.local(slot.start)
    draft.date, draft.time, draft.window = local.date(), local.time(), None
    details = turn.loc.t(
        "Service: {service}\nWith: {staff}\nWhen: {when}",
        service=turn.service_title(draft.service_id),
        staff=turn.staff_title(slot.staff_id),
        when=turn.when(slot.start),
    )
    if draft.action is Action.MOVE:
        turn.say(turn.loc.t("Shall I move your appointment to this time?\n{details}", details=details))
        turn.state.stage = Stage.CONFIRM_MOVE
    else:
        turn.say(turn.loc.t("Shall I book this?\n{details}", details=details))
        turn.state.stage = Stage.CONFIRM_BOOK
    turn.state.offered = []


async def offer(turn: Turn, slots: list[Slot], *, window: TimeWindow | None = None, near: time | None = None) -> None:
    """Offer a few real free times, grouped by part of the day; look at the next days when this one is full."""
    draft = turn.draft
    assert draft.date is not None
    day = draft.date
    candidates = _in_window(turn, slots, window)
    if not candidates:
        if window is not None and slots:
            turn.say(
                turn.loc.t("Nothing is free at that time of day {on_day}.", on_day=turn.loc.on_day(day, turn.today))
            )
            candidates = slots
        else:
            moving = await _moving(turn)  # read once for the days searched
            for ahead in range(1, SEARCH_AHEAD_DAYS + 1):
                other_day = day + timedelta(days=ahead)
                other = _in_window(turn, await _free(turn, other_day, moving), window)
                if other:
                    turn.say(
                        turn.loc.t(
                            "Nothing is free {on_day}. The nearest free day is {other}.",
                            on_day=turn.loc.on_day(day, turn.today),
                            other=turn.loc.day(other_day, turn.today),
                        )
                    )
                    draft.date, day, candidates = other_day, other_day, other
                    break
    if not candidates:
        turn.say(turn.loc.t("I couldn't find free times in the next two weeks. Would another day suit you?"))
        turn.state.stage = Stage.ASK_DATE
        turn.state.offered = []
        return
    turn.state.offered = _pick(turn, candidates, near)
    turn.state.stage = Stage.CHOOSE_SLOT
    say_offered(turn)


def say_offered(turn: Turn) -> None:
    """The free times offered (state.offered), grouped by part of the day, and the question which one."""
    picked = turn.state.offered
    day = turn.local(picked[0].start).date()
    lines = [turn.loc.t("Free times {on_day}:", on_day=turn.loc.on_day(day, turn.today))]
    for label, start, end in DAY_PARTS:
        times = [turn.loc.clock(turn.local(o.start)) for o in picked if start <= turn.local(o.start).time() < end]
        if times:
            lines.append(turn.loc.t("{part}: {times}", part=turn.loc.t(label), times=", ".join(times)))
    lines.append(turn.loc.t("Which time suits you?"))
    turn.say("\n".join(lines))


async def offer_other_times(turn: Turn) -> None:
    """ "Any other time?": free times of the same day not offered yet (or the next days')."""
    assert turn.draft.date is not None
    offered = {o.start for o in turn.state.offered}
    if turn.draft.chosen is not None:
        offered.add(turn.draft.chosen.start)
    turn.draft.chosen = None
    slots = await free_on(turn, turn.draft.date)
    await offer(turn, [s for s in slots if s.start not in offered], window=turn.draft.window)


def offer_resume(turn: Turn) -> None:
    """After another task, the booking put aside: "Shall we go back to booking a manicure on Friday?"."""
    suspended = turn.state.suspended
    assert suspended is not None
    draft = suspended.draft
    parts = [turn.service_title(draft.service_id)] if draft.service_id else []
    if draft.staff_id:
        parts.append(turn.loc.t("with {staff}", staff=turn.staff_title(draft.staff_id)))
    if draft.date is not None:
        parts.append(turn.loc.day(draft.date, turn.today))
    if draft.time is not None:
        parts.append(turn.clock(draft.time))
    if parts:
        turn.say(turn.loc.t("Shall we go back to the booking you started ({details})?", details=", ".join(parts)))
    else:
        turn.say(turn.loc.t("Shall we go back to the booking you started?"))
    turn.state.stage = Stage.CONFIRM_RESUME


def _settle_service(turn: Turn) -> bool:
    """Take the service from a partial mention ("a haircut" when only one fits), else ask which. True if settled."""
    draft = turn.draft
    refused = turn.parsed.negated_service_id  # "not the men's cut, a women's one": not the one refused
    mentioned = [s for s in related_entries(turn.catalog.services, turn.message.text) if s != refused]
    if draft.service_options:
        mentioned = [s for s in mentioned if s in draft.service_options]
    if len(mentioned) == 1:
        draft.service_id, draft.service_options = mentioned[0], []
        return True
    options = mentioned or draft.service_options
    if options and len(options) < len(turn.services):
        draft.service_options = options
        names = ", ".join(turn.service_title(s) for s in options)
        turn.say(turn.loc.t("Which one would you like: {services}?", services=names))
    else:
        names = ", ".join(s.title(turn.loc.language) for s in turn.services)
        turn.say(turn.loc.t("Which service would you like? We offer: {services}.", services=names))
    turn.state.stage = Stage.ASK_SERVICE
    return False


async def free_on(turn: Turn, day: date) -> list[Slot]:
    return await _free(turn, day, await _moving(turn))


async def _moving(turn: Turn) -> Booking | None:
    """The booking being moved, if this is a move: its own time is free for it."""
    draft = turn.draft
    if draft.action is Action.MOVE and draft.booking_id is not None:
        return await turn.store.get_booking(turn.company.id, draft.booking_id)
    return None


async def _free(turn: Turn, day: date, moving: Booking | None) -> list[Slot]:
    draft = turn.draft
    assert draft.service_id is not None
    slots = await turn.backend.free_slots(turn.company, draft.service_id, day, draft.staff_id, moving)
    slots = await waitlist.hide_held(turn, slots)  # issue 19: a freed time held for a waiting customer is theirs
    if draft.excluded_staff:
        slots = [s for s in slots if s.staff_id not in draft.excluded_staff]  # "the other master"
    if moving is None:
        return slots
    return [s for s in slots if (s.start, s.staff_id) != (moving.start, moving.staff_id)]  # where it already is


def _in_window(turn: Turn, slots: list[Slot], window: TimeWindow | None) -> list[Slot]:
    if window is None:
        return slots
    return [s for s in slots if window.start <= turn.local(s.start).time() < window.end]


def _pick(turn: Turn, slots: list[Slot], near: time | None) -> list[OfferedSlot]:
    """One slot per start time (the first free staff member), at most `max_offers`, chronological."""
    by_start: dict[datetime, Slot] = {}
    for slot in sorted(slots, key=lambda s: s.start):
        by_start.setdefault(slot.start, slot)
    unique = list(by_start.values())
    # Offer round times (:00, :30) when there are enough of them: easier to read and to answer.
    round_ones = [s for s in unique if turn.local(s.start).minute in (0, 30)]
    if len(round_ones) >= min(turn.max_offers, 3):
        unique = round_ones
    if near is not None:
        target = near.hour * 60 + near.minute

        def distance(slot: Slot) -> int:
            local = turn.local(slot.start)
            return abs(local.hour * 60 + local.minute - target)

        chosen = sorted(unique, key=distance)[: turn.max_offers]
    else:
        chosen = _spread(unique, turn.max_offers)
    return [OfferedSlot(start=s.start, staff_id=s.staff_id) for s in sorted(chosen, key=lambda s: s.start)]


def _spread(slots: list[Slot], count: int) -> list[Slot]:
    """`count` slots spread evenly over the day, so morning and evening both appear."""
    if len(slots) <= count:
        return slots
    step = (len(slots) - 1) / (count - 1) if count > 1 else 0
    return [slots[round(i * step)] for i in range(count)]


def pick_offered(turn: Turn) -> OfferedSlot | None:
    """Which offered time the customer chose: 'the second one', 'at 15:30', or 'yes' to a single offer."""
    parsed, offered = turn.parsed, turn.state.offered
    if not offered:
        return None
    picked = chosen(offered, parsed.choice) if parsed.time is None else None
    if picked is not None:
        return picked
    if parsed.time is not None and parsed.date in (None, turn.local(offered[0].start).date()):
        for slot in offered:
            local = turn.local(slot.start)
            if local.time() == parsed.time and (parsed.staff_id in (None, slot.staff_id)):
                return slot
    if parsed.intent == "affirm" and len(offered) == 1 and not drafts.has_details(parsed):
        return offered[0]  # "ok" to the one time offered (but "ok, 13:30 then" asks for 13:30)
    return None


async def execute(turn: Turn) -> None:
    """Book or move the confirmed slot; report exactly what the backend answered."""
    draft = turn.draft
    chosen = draft.chosen
    if chosen is None or draft.service_id is None:
        # Nothing is chosen any more (e.g. the time was taken and fresh times could not be read): ask again.
        await advance(turn)
        return
    if draft.action is Action.MOVE:
        booking = await turn.store.get_booking(turn.company.id, draft.booking_id or "")
        if booking is None:
            turn.say(turn.loc.t("I couldn't find that appointment any more."))
            turn.state.reset()
            return
        # issue 19: a time held for a waiting customer is taken for everyone else (checked before the system's own).
        outcome = await waitlist.unless_held(turn, chosen) or await turn.backend.move(
            turn.company, booking, chosen.start, chosen.staff_id, turn.operation_key
        )
    else:
        outcome = await waitlist.unless_held(turn, chosen) or await turn.backend.book(
            turn.company, turn.customer, draft.service_id, chosen.staff_id, chosen.start, turn.operation_key
        )
    if outcome.kind in (OutcomeKind.BOOKED, OutcomeKind.MOVED) and outcome.booking is not None:
        await record_booking(turn, outcome.booking)
        await waitlist.booked(turn, outcome.booking)  # issue 19: the time offered from the waiting list is filled
        if outcome.kind is OutcomeKind.MOVED:
            assert booking is not None
            moved = booking_data(
                outcome.booking, previous_start=booking.start.isoformat(), previous_staff_id=booking.staff_id
            )
            await turn.emit(EventType.BOOKING_MOVED, turn.operation_key, moved)
        else:
            await turn.emit(EventType.BOOKING_CREATED, turn.operation_key, booking_data(outcome.booking))
        template = (
            N_("Done! Your appointment is moved: {booking}.")
            if outcome.kind is OutcomeKind.MOVED
            else N_("Done! You are booked: {booking}.")
        )
        turn.say(turn.loc.t(template, booking=turn.describe_booking(outcome.booking)))
        turn.say(turn.loc.t("See you at {salon}!", salon=turn.company.name))
        turn.state.reset()
        return
    if outcome.kind is OutcomeKind.SLOT_TAKEN:
        turn.say(turn.loc.t("Sorry, that time has just been taken."))
        draft.chosen, draft.time = None, None
        turn.state.stage = Stage.ASK_TIME  # if the fresh times cannot be read, a "yes" must not re-book
        assert draft.date is not None
        await offer(turn, await free_on(turn, draft.date), near=turn.local(chosen.start).time())
        return
    if outcome.kind is OutcomeKind.NEEDS_INFO:
        # The scheduling system books by phone number and this chat has none (an @lid sender): ask, then retry.
        turn.say(turn.loc.t("To book you in, I need your phone number. Please send it, for example +44 7700 900123."))
        turn.state.stage = Stage.ASK_PHONE
        return
    if outcome.kind is OutcomeKind.NOT_ALLOWED and draft.action is Action.MOVE:
        # The salon forbids moving online: offer the honest alternative, cancel and book the new time.
        turn.say(
            turn.loc.t(
                "The salon doesn't allow moving appointments here. I can cancel this one and book the new "
                "time instead, or a member of staff can help you in this chat. Shall I cancel it and book the new time?"
            )
        )
        draft.rebook = True
        turn.state.stage = Stage.CONFIRM_CANCEL
        return
    say_failure(turn, outcome.kind)


PHONE_RE = re.compile(r"^\s*\+?[\d\s().-]{7,20}\s*$")


async def take_phone(turn: Turn) -> bool:
    """An answer to "your phone number?": remember it and retry the confirmed booking. False if not a number."""
    text = turn.message.text
    digits = re.sub(r"\D", "", text)
    if not PHONE_RE.match(text) or not 7 <= len(digits) <= 15:
        return False
    phone = ("+" if text.strip().startswith("+") else "") + digits
    turn.customer = await turn.store.upsert_customer(turn.customer.model_copy(update={"phone": phone}))
    await execute(turn)
    return True


def say_failure(turn: Turn, kind: OutcomeKind) -> None:
    """A failed operation: say what happened and that nothing changed. The state survives where a retry makes sense."""
    if kind is OutcomeKind.BACKEND_UNAVAILABLE:
        if turn.state.stage in (Stage.CONFIRM_BOOK, Stage.CONFIRM_MOVE, Stage.CONFIRM_CANCEL):
            turn.say(
                turn.loc.t(
                    "The booking system is not answering right now, so nothing has been changed. "
                    "Please write “yes” again in a few minutes to try once more."
                )
            )
        else:
            turn.say(
                turn.loc.t(
                    "The booking system is not answering right now, so nothing has been changed. "
                    "Please try again in a few minutes."
                )
            )
        return
    if kind is OutcomeKind.NOT_ALLOWED:
        turn.say(turn.loc.t("Sorry, the salon doesn't allow this change here. Please contact the salon directly."))
    else:
        turn.say(turn.loc.t("I couldn't find that appointment any more."))
    turn.state.reset()


async def record_booking(turn: Turn, booking: Booking) -> None:
    """Mirror the confirmed booking and (re)plan its reminders."""
    await turn.store.save_booking(booking)
    await turn.store.replace_reminders(booking, plan_reminders(turn.company, booking, turn.now))
