"""A reply to a reminder: "ok 👍" / "да" / "sim" soon after it confirms the visit in the scheduling system."""

from __future__ import annotations

from booking_bot.dialogue import booking as booking_flow
from booking_bot.dialogue import clarify, manage
from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue.turn import Turn
from booking_bot.domain import Action, Booking, Draft, EventType, Intent, OutcomeKind, Stage, booking_data

CONFIRMING_INTENTS = (Intent.AFFIRM, Intent.THANKS, Intent.GOODBYE)  # "ok 👍", "спасибо", "see you tomorrow!"
# "can we do tomorrow at 5?", "no, tomorrow at 5 instead": a new day or time for the visit just reminded of
MOVING_INTENTS = (Intent.RESCHEDULE, Intent.BOOK, Intent.AVAILABILITY, Intent.OTHER, Intent.DENY, Intent.ALTERNATIVES)


def about_the_visit(turn: Turn, target: Booking) -> bool:
    """Does the message name only the reminded visit itself ("see you tomorrow!", "ok, at 3 then")?"""
    parsed, local = turn.parsed, turn.local(target.start)
    other = (parsed.service_id, parsed.staff_id, parsed.window, parsed.negated_service_id, parsed.negated_staff_id)
    return (
        not parsed.edits.any
        and all(value is None for value in other)
        and parsed.date in (None, local.date())
        and parsed.time in (None, local.time())
    )


async def answer(turn: Turn) -> bool:
    """A reply to the reminder just sent: a yes confirms the visit; a new day or time moves it; "I can't come"
    cancels it (after asking). False if the message is about something else."""
    booking_id = turn.reminded_booking_id
    if booking_id is None or turn.state.stage is not Stage.IDLE:
        return False
    target: Booking | None = await turn.store.get_booking(turn.company.id, booking_id)
    if target is None:
        return False
    intent = turn.parsed.intent
    relative = turn.parsed.edits.any and intent is not Intent.CANCEL  # "an hour later": of that visit
    if (intent in MOVING_INTENTS or relative) and drafts.has_details(turn.parsed) and not about_the_visit(turn, target):
        await _change(turn, target, Action.MOVE)  # "can we move it to tomorrow at 5?", "an hour later"
        return True
    if (intent in (Intent.CANCEL, Intent.DENY) or _yes_that_says_cancel(turn)) and not drafts.has_details(turn.parsed):
        await _change(turn, target, Action.CANCEL)  # "I can't make it": asked first, then cancelled
        return True
    if turn.parsed.unsure and (
        any(a not in CONFIRMING_INTENTS for a in turn.parsed.alternatives) or "?" in turn.message.text
    ):
        return False  # a visit is confirmed on a clear yes only; a doubtful one is read like any message
    if (
        not turn.company.reminders.confirm_by_reply
        or intent not in CONFIRMING_INTENTS
        or not about_the_visit(turn, target)
    ):
        return False
    outcome = await turn.backend.confirm_visit(turn.company, target, turn.operation_key)
    if outcome.kind is OutcomeKind.CONFIRMED:
        await turn.emit(EventType.REMINDER_CONFIRMED, turn.operation_key, booking_data(target))
        turn.say(turn.loc.t("Thank you! Your visit is confirmed: {booking}.", booking=turn.describe_booking(target)))
        turn.state.reminded_booking_id = turn.state.reminded_at = None
        return True
    booking_flow.say_failure(turn, outcome.kind)
    if outcome.kind is not OutcomeKind.BACKEND_UNAVAILABLE:
        turn.state.reminded_booking_id = turn.state.reminded_at = None
    return True


def _yes_that_says_cancel(turn: Turn) -> bool:
    """ "cancel it please", "cancélala porfa" weighed as a yes to the reminder (even surely): a cancel, asked
    before it is done — a visit is never confirmed on a message that says cancel."""
    parsed = turn.parsed
    if parsed.intent not in CONFIRMING_INTENTS:
        return False
    return Intent.CANCEL in parsed.alternatives or bool(clarify.requested(turn, (Intent.CANCEL,)))


async def _change(turn: Turn, target: Booking, action: Action) -> None:
    """Move or cancel the reminded appointment itself (never a new booking, never another appointment)."""
    turn.state.reset()
    turn.state.draft = Draft(action=action)
    if action is Action.MOVE:
        drafts.merge(turn, turn.parsed)
    await manage.chosen_booking(turn, target)
