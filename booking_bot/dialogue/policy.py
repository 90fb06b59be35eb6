"""The deterministic dialogue policy: one parsed message + the conversation's state -> replies + new state.

The message is read against the question the bot asked last (its stage): a bare "yes" or "the second one" only
means something there, and a "yes" to a question that offered a choice never restarts the flow. A request for
something else — a move, a cancel, "my bookings", a price, salon info, a person — is served at any point: a side
question is answered and the pending question asked again; another task puts the booking in hand aside and offers
it back when that task is over. Corrections ("not a manicure, a pedicure", "no, Thursday", "an hour later",
"same time on Friday", "the other master") change just that part of the draft.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from booking_bot.dialogue import booking, clarify, manage, reminder_reply, small_talk, waitlist
from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue.turn import Turn
from booking_bot.domain import Action, Intent, OutcomeKind, Stage
from booking_bot.nlu.catalog import related_entries
from booking_bot.ports import BackendUnavailable
from booking_bot.understanding import CLARIFY

Handler = Callable[[Turn], Awaitable[None]]

CONFIRM_STAGES = (Stage.CONFIRM_BOOK, Stage.CONFIRM_MOVE, Stage.CONFIRM_CANCEL)
COLLECTING_STAGES = (Stage.ASK_SERVICE, Stage.ASK_DATE, Stage.ASK_TIME, Stage.CHOOSE_SLOT)
SIDE_QUESTIONS = (Intent.PRICES, Intent.INFO, Intent.MY_BOOKINGS)  # answered, then the pending question again
TASK_SWITCHES = (Intent.CANCEL, Intent.RESCHEDULE)  # put the booking in hand aside and do this first


async def respond(turn: Turn) -> None:
    """Handle one message. A backend outage becomes a polite reply; nothing is claimed."""
    try:
        await _route(turn)
        if turn.state.stage is Stage.IDLE and turn.state.suspended is not None:
            booking.offer_resume(turn)
    except BackendUnavailable:
        booking.say_failure(turn, OutcomeKind.BACKEND_UNAVAILABLE)


async def _route(turn: Turn) -> None:
    stage, intent = turn.state.stage, turn.parsed.intent
    if CLARIFY in turn.parsed.reasons:
        # Stage 2 answered something invalid: act on nothing, re-ask (the raw text is not trusted either).
        await small_talk.not_understood(turn)
        return
    if await reminder_reply.answer(turn):
        return
    if stage is Stage.WAITLIST_OFFER:  # issue 19: the answer to a freed time offered from the waiting list
        if await waitlist.answer_offer(turn):
            return
        stage = turn.state.stage  # not a no: the offered time is the booking to confirm (or, lapsed, read afresh)
    if stage is Stage.CLARIFY_INTENT:
        answer = await clarify.clarified(turn)
        if answer is clarify.Answer.ASKED_AGAIN:
            return
        if answer is clarify.Answer.PICKED:
            await _route(turn)  # the answer named what the customer wants: serve that, with the original details
            return
        stage = turn.state.stage
    if stage is Stage.CONFIRM_RESUME and await _answer_resume(turn):
        return
    clarify.settle_by_signal(turn, clarify.SIGNALLED if stage not in CONFIRM_STAGES else SIDE_QUESTIONS)
    if stage in CONFIRM_STAGES:
        clarify.yes_that_asks_otherwise(turn, YES_AT[stage])
    intent = turn.parsed.intent
    if stage is Stage.IDLE and intent is Intent.CANCEL and await clarify.which_task(turn):
        return  # "oye, lo de la cita del domingo..." read as a cancel without the word: move it or cancel it?
    if stage is Stage.IDLE and turn.parsed.unsure:
        if await clarify.doubt(turn):
            return  # "about my Sunday appointment", read as a cancel or a list but not surely: move it or cancel it?
        intent = turn.parsed.intent
    # "number two", "the last one" (but "i have to cancel a booking first" is no pick of the first time offered)
    switch = intent in TASK_SWITCHES and not turn.parsed.unsure
    picks = turn.parsed.choice is not None and not drafts.has_details(turn.parsed) and not switch
    # "запись на маникюр" to "which appointment?" answers it, even weighed as a question about one's bookings
    asked = clarify.requested(turn, (*SIDE_QUESTIONS, Intent.HANDOFF))  # "а окрашивание почём?" is a question
    details = turn.parsed.unsure and drafts.has_details(turn.parsed) and not asked and intent is not Intent.HANDOFF
    answers_which = picks or details or intent not in (*SIDE_QUESTIONS, Intent.HANDOFF)
    if stage is Stage.CHOOSE_BOOKING and answers_which and await manage.choose(turn):
        return
    if stage is Stage.CHOOSE_SLOT and picks and await _answer_offer(turn):
        return
    if intent in TASK_SWITCHES and not _answers_pending(turn):
        await _switch_task(turn, Action.CANCEL if intent is Intent.CANCEL else Action.MOVE)
        return
    if _corrects_draft(turn):
        drafts.merge(turn, turn.parsed)  # "no corte de caballero, sino corte de mujer", however stage 1 read it
        await booking.advance(turn)
        return
    if intent in SIDE_QUESTIONS or intent is Intent.HANDOFF:
        pending = stage is not Stage.IDLE and intent is not Intent.HANDOFF
        await HANDLERS[intent](turn)
        if pending:
            await manage.ask_again(turn)
        return
    if stage in CONFIRM_STAGES and await _answer_confirmation(turn):
        return
    if await waitlist.answer_wait(turn):  # issue 19: a yes to "shall I tell you if something frees up?"
        return
    if stage is Stage.CHOOSE_SLOT and await _answer_offer(turn):
        return
    if stage is Stage.ASK_PHONE and await booking.take_phone(turn):
        return
    if stage is Stage.ASK_SERVICE and intent is Intent.AFFIRM and not drafts.has_details(turn.parsed):
        # "sí" to "caballero or señora?": a yes to a choice is no answer — ask the same question, keep the rest.
        await booking.advance(turn)
        return
    if await clarify.unsure(turn) or await clarify.which_task(turn):
        return
    intent = turn.parsed.intent  # as the words of the message settled it
    answers_service = stage is Stage.ASK_SERVICE and bool(related_entries(turn.catalog.services, turn.message.text))
    if intent in (Intent.BOOK, Intent.AVAILABILITY) or (
        stage in COLLECTING_STAGES
        and intent is not Intent.GOODBYE
        and (drafts.has_details(turn.parsed) or answers_service)
    ):
        await _book_or_move(turn)
        return
    if stage is not Stage.IDLE and turn.parsed.unsure and intent in SMALL_TALK:
        await small_talk.not_understood(turn)  # "hmm, why?" to "your phone number?": the question again, explained
        return
    await HANDLERS.get(intent, small_talk.not_understood)(turn)


def _answers_pending(turn: Turn) -> bool:
    """A cancel/move word that answers the question in hand rather than starting a new task: "cancel it" to
    "Shall I cancel this appointment?", new details while the bot is already moving that appointment, or "can we
    move it to 5 instead?" about the booking being made (a new time for it, no other appointment named)."""
    stage, draft, parsed = turn.state.stage, turn.draft, turn.parsed
    if parsed.intent is Intent.CANCEL:
        return stage is Stage.CONFIRM_CANCEL
    if draft.action is Action.MOVE and stage is not Stage.IDLE:
        return True
    other = parsed.service_id not in (None, draft.service_id) or parsed.staff_id not in (None, draft.staff_id)
    if parsed.service_id is None and draft.service_id is not None:
        loosely = related_entries(turn.catalog.services, turn.message.text)  # "перенесите стрижку": a haircut
        other = other or (bool(loosely) and draft.service_id not in loosely)
    when = parsed.date is not None or parsed.time is not None or parsed.window is not None or parsed.edits.any
    folded = turn.folded  # "move MY booking", "перенести запись": one the customer has
    mine = clarify.MY.search(folded) is not None or clarify.APPOINTMENT.search(folded) is not None
    return draft.action is Action.BOOK and draft.started and stage is not Stage.IDLE and when and not (other or mine)


def _corrects_draft(turn: Turn) -> bool:
    """ "Not X but Y" about the booking in hand: a refused service or master the draft has, with what replaces it
    or nothing else asked. A correction whatever the intent stage 1 weighed most (it is unsure of such lines)."""
    parsed, draft = turn.parsed, turn.draft
    if turn.state.stage is Stage.IDLE or not draft.started:
        return False
    refused = parsed.negated_service_id in (draft.service_id, *draft.service_options)
    replaced = refused and parsed.service_id not in (None, parsed.negated_service_id)
    if parsed.intent is Intent.CANCEL and not (parsed.unsure and replaced):
        return False  # "не маникюр, а окрашивание" weighed as a cancel, unsurely, is the correction it says
    if parsed.unsure and parsed.edits.any and parsed.intent not in TASK_SWITCHES:
        return True  # "con otra persona porfa" weighed as asking for a person: the other master, unsurely
    if parsed.intent is Intent.HANDOFF:
        return False
    refused_staff = parsed.negated_staff_id is not None and parsed.negated_staff_id == draft.staff_id
    return refused or refused_staff


async def _switch_task(turn: Turn, action: Action) -> None:
    turn.state.suspend()  # a booking in progress is offered back once this is done
    await manage.start(turn, action)


async def _answer_resume(turn: Turn) -> bool:
    parsed = turn.parsed
    if parsed.intent is Intent.AFFIRM and not drafts.has_details(parsed):
        turn.state.resume()
        await manage.ask_again(turn)
        return True
    if parsed.intent is Intent.DENY and not drafts.has_details(parsed):
        turn.state.suspended = None
        turn.state.reset()
        turn.say(turn.loc.t("All right. Is there anything else I can help with?"))
        return True
    if drafts.has_details(parsed) and parsed.intent in (Intent.AFFIRM, Intent.BOOK, Intent.OTHER, Intent.DENY):
        turn.state.resume()  # "yes, but on Friday": back to it, with the change
        drafts.merge(turn, parsed)
        await booking.advance(turn)
        return True
    if parsed.intent in SIDE_QUESTIONS:
        return False  # answered, then the offer to go back is made again
    turn.state.suspended = None  # something else entirely: the old booking is not pressed on
    turn.state.reset()
    return False


# At "shall I cancel / move it?", asking for that very thing is a yes ("sim, pode cancelar"). Not at "shall I book
# this?": a question misread as a booking ("what do I have booked?") must never book.
YES_AT = {
    Stage.CONFIRM_BOOK: (Intent.AFFIRM,),
    Stage.CONFIRM_MOVE: (Intent.AFFIRM, Intent.RESCHEDULE),
    Stage.CONFIRM_CANCEL: (Intent.AFFIRM, Intent.CANCEL),
}


def _sure_yes(turn: Turn) -> bool:
    """A yes the bot may act on: not a question ("where is the salon?" is no yes), and stage 1 sure of it — or
    unsure only between readings that all mean yes here ("да, отменяйте" at "shall I cancel?": yes or cancel)."""
    text, parsed = turn.message.text.strip(), turn.parsed
    if "?" in text and len(text.split()) > 2:
        return False
    return not parsed.unsure or all(a in YES_AT[turn.state.stage] for a in parsed.alternatives)


async def _answer_confirmation(turn: Turn) -> bool:
    parsed, draft = turn.parsed, turn.draft
    if parsed.intent in YES_AT[turn.state.stage] and not drafts.has_details(parsed):
        if not _sure_yes(turn):
            # Booking, moving or cancelling is never done on a doubtful yes: ask for a clear one.
            turn.say(turn.loc.t("Please answer “yes” or “no”."))
            return True
        if turn.state.stage is Stage.CONFIRM_CANCEL:
            await manage.cancel(turn)
        else:
            await booking.execute(turn)
        return True
    if (
        draft.action is not Action.CANCEL
        and drafts.has_details(parsed)
        and parsed.intent
        in (
            Intent.DENY,
            Intent.AFFIRM,
            Intent.BOOK,
            Intent.RESCHEDULE,
            Intent.OTHER,
            Intent.ALTERNATIVES,
            Intent.AVAILABILITY,
        )
    ):
        # "no, make it 5pm", "a bit later", "same time on Friday": a correction, not a refusal.
        drafts.merge(turn, parsed)
        await booking.advance(turn)
        return True
    if _other_times(turn) and draft.action is not Action.CANCEL:
        await booking.offer_other_times(turn)
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
    parsed = turn.parsed
    if parsed.intent is Intent.AFFIRM and not drafts.has_details(parsed) and len(turn.state.offered) > 1:
        await manage.ask_again(turn)  # "yes" to several times: which one?
        return True
    if _other_times(turn):
        await booking.offer_other_times(turn)
        return True
    if drafts.has_details(parsed) and parsed.intent not in (Intent.CANCEL, Intent.PRICES):
        await _book_or_move(turn)
        return True
    return False


def _other_times(turn: Turn) -> bool:
    """ "Any other time?", "¿tienes otros horarios?" (what else is free, asked about the times in hand)."""
    parsed = turn.parsed
    asks = (
        parsed.intent is Intent.ALTERNATIVES
        or (parsed.intent is Intent.AVAILABILITY and not parsed.unsure)
        or (Intent.ALTERNATIVES in parsed.alternatives and parsed.intent is Intent.AVAILABILITY)
    )
    return asks and turn.draft.date is not None and not drafts.has_details(parsed)


async def _book_or_move(turn: Turn) -> None:
    if turn.draft.action is Action.CANCEL or turn.state.stage is Stage.IDLE:
        # A new request: start a fresh draft (and forget a booking put aside earlier: the customer moved on).
        turn.state.reset()
        turn.state.suspended = None
    drafts.merge(turn, turn.parsed)
    await booking.advance(turn)


SMALL_TALK = (Intent.GREET, Intent.THANKS, Intent.GOODBYE, Intent.OTHER)
HANDLERS: dict[Intent, Handler] = {
    Intent.MY_BOOKINGS: manage.my_bookings,
    Intent.PRICES: small_talk.prices,
    Intent.INFO: small_talk.info,
    Intent.GREET: small_talk.greet,
    Intent.THANKS: small_talk.thanks,
    Intent.GOODBYE: small_talk.goodbye,
    Intent.HANDOFF: small_talk.handoff,
    Intent.DENY: small_talk.deny,
}
