"""The deterministic dialogue policy: one parsed message + the conversation's state -> replies + new state.

Pending questions are answered first (a bare "yes" or "the second one" only means something there), then the
message's intent picks a handler from one ordered table; the catch-all comes last.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from booking_bot.dialogue import booking, manage, reminder_reply, small_talk
from booking_bot.dialogue.turn import Turn
from booking_bot.domain import Action, Intent, OutcomeKind, Stage
from booking_bot.nlu.catalog import related_entries
from booking_bot.ports import BackendUnavailable
from booking_bot.understanding import CLARIFY

Handler = Callable[[Turn], Awaitable[None]]

CONFIRM_STAGES = (Stage.CONFIRM_BOOK, Stage.CONFIRM_MOVE, Stage.CONFIRM_CANCEL)
COLLECTING_STAGES = (Stage.ASK_SERVICE, Stage.ASK_DATE, Stage.ASK_TIME, Stage.CHOOSE_SLOT)


async def respond(turn: Turn) -> None:
    """Handle one message. A backend outage becomes a polite reply; nothing is claimed."""
    try:
        await _route(turn)
    except BackendUnavailable:
        booking.say_failure(turn, OutcomeKind.BACKEND_UNAVAILABLE)


async def _route(turn: Turn) -> None:
    stage = turn.state.stage
    if CLARIFY in turn.parsed.reasons:
        # Stage 2 answered something invalid: act on nothing, re-ask (the raw text is not trusted either).
        await small_talk.not_understood(turn)
        return
    if await reminder_reply.answer(turn):
        return
    if stage in CONFIRM_STAGES and await _answer_confirmation(turn):
        return
    if stage is Stage.CHOOSE_SLOT and await _answer_offer(turn):
        return
    if stage is Stage.CHOOSE_BOOKING and await manage.choose(turn):
        return
    if stage is Stage.ASK_PHONE and await booking.take_phone(turn):
        return
    intent = turn.parsed.intent
    answers_service = stage is Stage.ASK_SERVICE and bool(related_entries(turn.catalog.services, turn.message.text))
    if intent in (Intent.BOOK, Intent.AVAILABILITY) or (
        stage in COLLECTING_STAGES
        and intent in (Intent.OTHER, Intent.AFFIRM)
        and (booking.has_details(turn.parsed) or answers_service)
    ):
        await _book_or_move(turn)
        return
    await HANDLERS.get(intent, small_talk.not_understood)(turn)


async def _answer_confirmation(turn: Turn) -> bool:
    parsed, draft = turn.parsed, turn.draft
    if parsed.intent is Intent.AFFIRM and not booking.has_details(parsed):
        if turn.state.stage is Stage.CONFIRM_CANCEL:
            await manage.cancel(turn)
        else:
            await booking.execute(turn)
        return True
    if (
        draft.action is not Action.CANCEL
        and booking.has_details(parsed)
        and parsed.intent
        in (
            Intent.DENY,
            Intent.AFFIRM,
            Intent.BOOK,
            Intent.RESCHEDULE,
            Intent.OTHER,
        )
    ):
        # "no, make it 5pm": a correction, not a refusal.
        booking.merge(turn, parsed)
        await booking.advance(turn)
        return True
    if parsed.intent is Intent.DENY:
        await small_talk.deny(turn)
        return True
    return False


async def _answer_offer(turn: Turn) -> bool:
    chosen = booking.pick_offered(turn)
    if chosen is not None:
        booking.ask_to_confirm(turn, chosen)
        return True
    if turn.parsed.intent is Intent.ALTERNATIVES and turn.draft.date is not None:
        offered = {o.start for o in turn.state.offered}
        slots = await booking.free_on(turn, turn.draft.date)
        await booking.offer(turn, [s for s in slots if s.start not in offered])
        return True
    if booking.has_details(turn.parsed) and turn.parsed.intent not in (Intent.CANCEL, Intent.PRICES):
        await _book_or_move(turn)
        return True
    return False


async def _book_or_move(turn: Turn) -> None:
    if turn.draft.action is Action.CANCEL or turn.state.stage is Stage.IDLE:
        # A new request: start a fresh draft.
        turn.state.reset()
    booking.merge(turn, turn.parsed)
    await booking.advance(turn)


async def _cancel(turn: Turn) -> None:
    await manage.start(turn, Action.CANCEL)


async def _reschedule(turn: Turn) -> None:
    await manage.start(turn, Action.MOVE)


HANDLERS: dict[Intent, Handler] = {
    Intent.CANCEL: _cancel,
    Intent.RESCHEDULE: _reschedule,
    Intent.MY_BOOKINGS: manage.my_bookings,
    Intent.PRICES: small_talk.prices,
    Intent.INFO: small_talk.info,
    Intent.GREET: small_talk.greet,
    Intent.THANKS: small_talk.thanks,
    Intent.GOODBYE: small_talk.goodbye,
    Intent.HANDOFF: small_talk.handoff,
    Intent.DENY: small_talk.deny,
}
