"""Replies that need no booking operation: greetings, thanks, prices, salon info, hand-off, not understood."""

from __future__ import annotations

from booking_bot.dialogue.turn import Turn
from booking_bot.domain import EventType, Stage


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
