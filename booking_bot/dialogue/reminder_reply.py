"""A reply to a reminder: "ok 👍" / "да" / "sim" soon after it confirms the visit in the scheduling system."""

from __future__ import annotations

from datetime import timedelta

from booking_bot.dialogue import booking as booking_flow
from booking_bot.dialogue.turn import Turn
from booking_bot.domain import Booking, EventType, Intent, OutcomeKind, Stage, booking_data

CONFIRMING_INTENTS = (Intent.AFFIRM, Intent.THANKS)


def reminded_booking_id(turn: Turn) -> str | None:
    """The booking of a reminder sent recently enough in this chat for a reply to be about it."""
    state, policy = turn.state, turn.company.reminders
    if state.reminded_booking_id is None or state.reminded_at is None:
        return None
    if turn.now - state.reminded_at > timedelta(minutes=policy.confirm_window_minutes):
        return None
    return state.reminded_booking_id


async def answer(turn: Turn) -> bool:
    """Confirm the reminded visit if this message is a plain yes; False if it is something else."""
    booking_id = reminded_booking_id(turn)
    if (
        booking_id is None
        or not turn.company.reminders.confirm_by_reply
        or turn.state.stage is not Stage.IDLE
        or turn.parsed.intent not in CONFIRMING_INTENTS
        or booking_flow.has_details(turn.parsed)
    ):
        return False
    target: Booking | None = await turn.store.get_booking(turn.company.id, booking_id)
    if target is None:
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
