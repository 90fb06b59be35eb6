"""The draft as the customer edits it: what a message adds or changes — a new service, master, day or time, "not X
but Y", "an hour later", "a bit later", "same time", "the other master" — each a change of just that part."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking_bot.dialogue.turn import Turn
from booking_bot.domain import Draft, ParsedMessage, TimeWindow


def has_details(parsed: ParsedMessage) -> bool:
    """Does the message say anything about the booking: what, with whom, when, or a change to one of them."""
    return parsed.edits.any or any(
        value is not None
        for value in (
            parsed.service_id,
            parsed.staff_id,
            parsed.date,
            parsed.time,
            parsed.window,
            parsed.negated_service_id,
            parsed.negated_staff_id,
        )
    )


def merge(turn: Turn, parsed: ParsedMessage) -> None:
    """Fold what the message says into the draft: a new day, time, service or master replaces the old one, a
    relative edit changes the one in hand ("an hour later", "same time", "the other master"), "not X" drops X."""
    draft = turn.draft
    held = _time_in_hand(turn)  # what "later", "an hour later" and "same time" are relative to
    if parsed.negated_service_id is not None and draft.service_id == parsed.negated_service_id:
        draft.service_id = None
    if parsed.service_id is not None and parsed.service_id != parsed.negated_service_id:
        draft.service_id, draft.service_options = parsed.service_id, []
    if parsed.negated_staff_id is not None:
        _exclude(draft, parsed.negated_staff_id)
    if parsed.edits.other_staff:
        for staff_id in (draft.staff_id, draft.chosen.staff_id if draft.chosen else None):
            if staff_id is not None:
                _exclude(draft, staff_id)
    if parsed.staff_id is not None and parsed.staff_id != parsed.negated_staff_id:
        draft.staff_id = parsed.staff_id
        draft.excluded_staff = [s for s in draft.excluded_staff if s != parsed.staff_id]
    if parsed.negated_date is not None and draft.date == parsed.negated_date:
        draft.date = None
    if parsed.date is not None:
        draft.date = parsed.date
    if parsed.time is not None:
        draft.time, draft.window = parsed.time, None
    elif parsed.window is not None:
        draft.time, draft.window = None, parsed.window
    elif held is not None:
        apply_relative(draft, parsed, held)
    draft.chosen = None


def apply_relative(draft: Draft, parsed: ParsedMessage, held: time) -> None:
    """The message's relative edit of the time `held`: an amount later or earlier, the same time, the next times
    after or before it, or (another master) the same time with someone else."""
    edits = parsed.edits
    if edits.shift_minutes is not None:
        moved = datetime.combine(date.min, held) + timedelta(minutes=edits.shift_minutes)
        if moved.date() == date.min:  # an hour later than 23:30 is no time of that day: the draft keeps its own
            draft.time, draft.window = moved.time(), None
    elif edits.same_time:
        draft.time, draft.window = held, None
    elif edits.later:
        draft.time, draft.window = None, TimeWindow(start=_after(held), end=time(23, 59, 59))
    elif edits.earlier:
        draft.time, draft.window = None, TimeWindow(start=time(0, 0), end=held)
    elif edits.other_staff and draft.time is None:
        draft.time = held  # the other master at the same time, if free


def _exclude(draft: Draft, staff_id: str) -> None:
    if staff_id not in draft.excluded_staff:
        draft.excluded_staff.append(staff_id)
    if draft.staff_id == staff_id:
        draft.staff_id = None


def _after(moment: time) -> time:
    """The first minute after `moment` (times are whole minutes)."""
    later = datetime.combine(date.min, moment) + timedelta(minutes=1)
    return later.time() if later.date() == date.min else time(23, 59)


def _time_in_hand(turn: Turn) -> time | None:
    """The time a relative edit changes: the one asked to confirm, else the draft's, else (a move) the booking's."""
    draft = turn.draft
    if draft.chosen is not None:
        return turn.local(draft.chosen.start).time()
    if draft.time is not None:
        return draft.time
    if turn.state.offered and turn.parsed.edits.later:
        return turn.local(turn.state.offered[-1].start).time()  # "later" than the times just offered
    if turn.state.offered and turn.parsed.edits.earlier:
        return turn.local(turn.state.offered[0].start).time()
    return None
