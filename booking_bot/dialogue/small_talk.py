"""Replies that need no booking operation: greetings, thanks, prices, salon info, hand-off, not understood."""

from __future__ import annotations

import enum
import re

from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue.turn import Turn, chosen
from booking_bot.domain import Clarification, EventType, Intent, Stage
from booking_bot.i18n import N_
from booking_bot.nlu.normalize import fold
from booking_bot.understanding import STAGE2


async def greet(turn: Turn) -> None:
    name = turn.customer.name
    hello = turn.loc.t("Hello, {name}!", name=name) if name else turn.loc.t("Hello!")
    turn.say(
        turn.loc.t(
            "{hello} I'm the assistant of {salon}. I can book, move or cancel an appointment "
            "and tell you our prices. What would you like?",
            hello=hello,
            salon=turn.company.name,
        )
    )


async def thanks(turn: Turn) -> None:
    turn.say(turn.loc.t("You're welcome!"))


async def goodbye(turn: Turn) -> None:
    turn.say(turn.loc.t("Goodbye! Write any time."))
    turn.state.reset()
    turn.state.suspended = None  # the customer is done: no booking to press on them


async def prices(turn: Turn) -> None:
    asked = turn.service(turn.parsed.service_id or turn.draft.service_id)
    services = [asked] if asked else turn.services
    lines = [turn.loc.t("Our prices:")] if not asked else []
    for service in services:
        price = turn.loc.t("price on request")
        if service.price is not None:
            price = turn.loc.money(service.price, turn.company.currency)
            if service.price_max is not None and service.price_max > service.price:
                price = turn.loc.t(
                    "{low} to {high}",
                    low=price,
                    high=turn.loc.money(service.price_max, turn.company.currency),
                )
        lines.append(
            turn.loc.t(
                "{service}: {price} ({minutes} min)",
                service=service.title(turn.loc.language),
                price=price,
                minutes=service.duration_minutes,
            )
        )
    turn.say("\n".join(lines))


async def info(turn: Turn) -> None:
    lines = [
        turn.loc.t(
            "{salon}. Services: {services}. Our specialists: {staff}.",
            salon=turn.company.name,
            services=", ".join(s.title(turn.loc.language) for s in turn.services),
            staff=turn.loc.join([m.title(turn.loc.language) for m in turn.staff]),
        )
    ]
    if turn.company.address:
        lines.append(turn.loc.t("Address: {address}", address=turn.company.address))
    turn.say("\n".join(lines))


async def handoff(turn: Turn) -> None:
    # The chat lives on the salon's own WhatsApp number, so its staff see it; the bot just steps aside.
    turn.say(turn.loc.t("This chat is on the salon's own WhatsApp: a member of staff will read it and reply here."))
    handoff_data = {"chat_id": turn.customer.id, "message_id": turn.message.message_id, "text": turn.message.text}
    await turn.emit(EventType.HANDOFF_REQUESTED, turn.message.message_id, handoff_data)
    turn.state.reset()


async def deny(turn: Turn) -> None:
    turn.state.reset()
    turn.say(turn.loc.t("All right. Is there anything else I can help with?"))


async def not_understood(turn: Turn) -> None:
    """The catch-all: re-ask the pending question, or say what the bot can do."""
    stage = turn.state.stage
    if stage is Stage.ASK_DATE:
        turn.say(turn.loc.t("Sorry, I didn't catch the day. For example: “tomorrow” or “on Friday”."))
    elif stage is Stage.ASK_SERVICE:
        names = ", ".join(s.title(turn.loc.language) for s in turn.services)
        turn.say(turn.loc.t("Sorry, which service? We offer: {services}.", services=names))
    elif stage in (Stage.CHOOSE_SLOT, Stage.ASK_TIME):
        turn.say(turn.loc.t("Sorry, which time? For example: “15:30” or “the first one”."))
    elif stage is Stage.CHOOSE_BOOKING:
        turn.say(turn.loc.t("Sorry, which appointment? Please answer with its number."))
    elif stage is Stage.ASK_PHONE:
        turn.say(turn.loc.t("Sorry, I need a phone number with its country code, for example +44 7700 900123."))
    elif stage in (Stage.CONFIRM_BOOK, Stage.CONFIRM_MOVE, Stage.CONFIRM_CANCEL):
        turn.say(turn.loc.t("Please answer “yes” or “no”."))
    else:
        turn.say(
            turn.loc.t(
                "Sorry, I didn't quite understand. I can book, move or cancel an appointment or tell you "
                "our prices, for example: “a haircut tomorrow at 3 pm”."
            )
        )


# What a clarifying question offers for each reading of an unsure message; readings that lead to the same place
# (a booking: book or availability) are one.
OFFERS: dict[Intent, str] = {
    Intent.BOOK: N_("book an appointment"),
    Intent.RESCHEDULE: N_("move an appointment"),
    Intent.CANCEL: N_("cancel an appointment"),
    Intent.MY_BOOKINGS: N_("see your appointments"),
    Intent.PRICES: N_("know our prices"),
    Intent.INFO: N_("know about the salon"),
    Intent.HANDOFF: N_("talk to a member of staff"),
}
SAME_PLACE = {Intent.AVAILABILITY: Intent.BOOK}


async def unsure(turn: Turn) -> bool:
    """Stage 1 was unsure, no stage 2 settled it, and its two likeliest readings lead to different places: ask which
    one ("Do you want to book an appointment or move one?") instead of guessing. False when there is nothing to ask."""
    parsed, state = turn.parsed, turn.state
    if not parsed.unsure or STAGE2 in parsed.reasons or state.stage in (Stage.CLARIFY_INTENT, Stage.CONFIRM_RESUME):
        return False
    readings = []
    for intent in (parsed.intent, *parsed.alternatives):
        place = SAME_PLACE.get(intent, intent)
        if place in OFFERS and place not in readings:
            readings.append(place)
    if len(readings) < 2 or readings[0] is not SAME_PLACE.get(parsed.intent, parsed.intent):
        return False  # the likeliest reading is small talk or a yes/no: nothing to choose between
    if readings[0] is Intent.BOOK and drafts.has_details(parsed):
        return False  # "nails on sunday?" names what to book: booking it (with a confirmation) asks enough
    first, second = readings[:2]
    state.clarification = Clarification(parsed=parsed, candidates=[first, second], stage=state.stage)
    state.stage = Stage.CLARIFY_INTENT
    _ask_which(turn, [first, second])
    return True


# "my manicure", "мою запись", "meu corte", "mi cita": the customer speaks of an appointment they have.
MY = re.compile(r"(?:^|[\s,.!?;:(])(?:my|мо[йяеюи]|моей|моего|моему|meu|minha|meus|minhas|mi|mis)(?=$|[\s,.!?;:)])")


async def which_task(turn: Turn) -> bool:
    """ "My manicure on Monday at 5?" from a customer who has a manicure booked (on Sunday): a new booking, or that
    one moved? "About my Sunday appointment": moved or cancelled? Asks instead of guessing; False when the message
    is no such reference (or the customer has no appointment it could mean)."""
    parsed, state = turn.parsed, turn.state
    if state.stage is not Stage.IDLE or parsed.intent not in (Intent.BOOK, Intent.OTHER, Intent.AVAILABILITY):
        return False
    if not MY.search(fold(turn.message.text)):
        return False
    bookings = await turn.backend.customer_bookings(turn.company, turn.customer)
    meant = [
        b
        for b in bookings
        if parsed.service_id in (None, b.service_id)
        and parsed.staff_id in (None, b.staff_id)
        and (parsed.date is None or parsed.service_id is not None or turn.local(b.start).date() == parsed.date)
    ]
    if not meant:
        return False
    new_time = parsed.time is not None or (
        parsed.date is not None and all(turn.local(b.start).date() != parsed.date for b in meant)
    )
    candidates = [Intent.BOOK, Intent.RESCHEDULE] if new_time else [Intent.RESCHEDULE, Intent.CANCEL]
    state.clarification = Clarification(parsed=parsed, candidates=candidates, stage=state.stage)
    state.stage = Stage.CLARIFY_INTENT
    _ask_which(turn, candidates)
    return True


def _ask_which(turn: Turn, candidates: list[Intent]) -> None:
    turn.say(
        turn.loc.t(
            "Just to be sure: do you want to {first} or to {second}?",
            first=turn.loc.t(OFFERS[candidates[0]]),
            second=turn.loc.t(OFFERS[candidates[1]]),
        )
    )


class Answer(enum.Enum):
    PICKED = "picked"  # turn.parsed is now the unclear message, read the way the answer says
    ASKED_AGAIN = "asked_again"  # "yes" to "this or that?": the question again
    NONE = "none"  # the message is about something else: the clarification is dropped


async def clarified(turn: Turn) -> Answer:
    """An answer to the clarifying question: the reading it picks becomes the message to act on (with the details
    of the message that was unclear)."""
    state, parsed = turn.state, turn.parsed
    clarification = state.clarification
    state.clarification = None
    if clarification is None:
        state.stage = Stage.IDLE
        return Answer.NONE
    state.stage = clarification.stage
    picked = chosen(clarification.candidates, parsed.choice)
    if picked is None and SAME_PLACE.get(parsed.intent, parsed.intent) in clarification.candidates:
        picked = SAME_PLACE.get(parsed.intent, parsed.intent)
    if picked is None:
        if parsed.intent is Intent.AFFIRM:  # "yes" to "this or that?" is no answer: ask again
            state.clarification, state.stage = clarification, Stage.CLARIFY_INTENT
            _ask_which(turn, clarification.candidates)
            return Answer.ASKED_AGAIN
        return Answer.NONE
    original = clarification.parsed
    turn.parsed = original.model_copy(update={"intent": picked, "unsure": False, "alternatives": ()})
    return Answer.PICKED
