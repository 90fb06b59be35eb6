"""Asking instead of guessing: the clarifying question when stage 1 is unsure ("do you want to book an appointment
or to move one?"), when "my manicure on Monday" may mean a new booking or the one the customer has, and reading the
answer to it against the readings it offered."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping

from booking_bot.dialogue import draft as drafts
from booking_bot.dialogue.turn import Turn, chosen
from booking_bot.domain import Clarification, Intent, Stage
from booking_bot.i18n import N_
from booking_bot.nlu.intents import SIGNALS
from booking_bot.nlu.normalize import fold
from booking_bot.understanding import STAGE2

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
    if CLARIFIED in parsed.reasons:
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
    if readings[0] is Intent.RESCHEDULE and (parsed.date, parsed.time, parsed.window) != (None, None, None):
        return False  # "i need my manicure moved to Monday at 3": the move is confirmed before it is made
    first, second = readings[:2]
    said = named(turn, [first, second])
    if said is not None:  # "pls move my nails appointment" weighed as a move or a cancel: it says move
        if said is not SAME_PLACE.get(parsed.intent, parsed.intent):
            other = first if said is second else second
            turn.parsed = parsed.model_copy(update={"intent": said, "alternatives": (other,)})
        return False
    state.clarification = Clarification(parsed=parsed, candidates=[first, second], stage=state.stage)
    state.stage = Stage.CLARIFY_INTENT
    _ask_which(turn, [first, second])
    return True


ACTIONS = (Intent.BOOK, Intent.RESCHEDULE, Intent.CANCEL)
ABOUT_BOOKINGS = (Intent.RESCHEDULE, Intent.CANCEL, Intent.MY_BOOKINGS)  # readings that need an appointment


async def doubt(turn: Turn) -> bool:
    """A new message stage 1 was unsure of: asked about before anything is done when it may be about an
    appointment the customer has, or when a booking, a move or a cancel is among its likeliest readings (a doubt
    between two questions, prices or the salon's hours, is answered as read: a wrong answer there costs nothing)."""
    if await which_task(turn):
        return True
    parsed = turn.parsed
    readings = list(dict.fromkeys(SAME_PLACE.get(i, i) for i in (parsed.intent, *parsed.alternatives)))
    if any(r in ABOUT_BOOKINGS for r in readings[:2]) and not await turn.backend.customer_bookings(
        turn.company, turn.customer
    ):
        kept = [r for r in readings if r not in ABOUT_BOOKINGS]  # nothing to move, cancel or list: not those
        if kept:
            readings = kept
            parsed = turn.parsed = parsed.model_copy(update={"intent": kept[0], "alternatives": tuple(kept[1:])})
    top = readings[:2]
    detailed = (parsed.date, parsed.time, parsed.window) != (None, None, None)  # "в пн можно прийти?"
    if Intent.BOOK in top and top[0] not in ACTIONS[1:] and detailed:
        # "corte de mujer mañana?" weighed as a question about the salon, then as a booking: a day (and a
        # service) are a booking's details, and a booking is confirmed before it is made
        turn.parsed = parsed.model_copy(update={"intent": Intent.BOOK})
        return False
    return bool(set(top) & set(ACTIONS)) and await unsure(turn)


# "my manicure", "мою запись", "meu corte", "mi cita": the customer speaks of an appointment they have.
MY = re.compile(
    r"(?:^|[\s,.!?¿¡;:(])(?:my|mine|мо[йяеюи]|моей|моего|моему|meu|minha|meus|minhas|mi|mis|m[ií][oa]s?)"
    r"(?=$|[\s,.!?;:)])"
)
# "move an appointment", "перенести запись", "mover una cita": a move that names an appointment is about one the
# customer has, never a correction of the booking being made ("can we move it to 5 instead?")
APPOINTMENT = re.compile(
    r"(?:^|\W)(?:appointments?|bookings?|reservations?|visits?|запис[ьиюей]\w*|визит\w*|citas?|reservas?|"
    r"agendamentos?|hor[aá]rios? marcados?|marca[cç][aã]o)(?=$|\W)"
)
CLARIFIED = "clarified"  # in ParsedMessage.reasons: the customer said which reading they meant


async def which_task(turn: Turn) -> bool:
    """ "My manicure on Monday at 5?" from a customer who has a manicure booked (on Sunday): a new booking, or that
    one moved? "About my Sunday appointment": moved or cancelled? Asks instead of guessing; False when the message
    is no such reference (or the customer has no appointment it could mean)."""
    parsed, state = turn.parsed, turn.state
    unsaid_cancel = parsed.intent is Intent.CANCEL and not requested(turn, (Intent.CANCEL,))
    doubtful_change = (parsed.unsure or unsaid_cancel) and parsed.intent in (
        Intent.CANCEL,
        Intent.RESCHEDULE,
        Intent.MY_BOOKINGS,
    )
    if state.stage is not Stage.IDLE or not (
        parsed.intent in (Intent.BOOK, Intent.OTHER, Intent.AVAILABILITY) or doubtful_change
    ):
        return False
    if CLARIFIED in parsed.reasons:
        return False
    mine = MY.search(turn.folded) is not None
    # "regarding Sunday's appointment…" (or anything read unsurely): a day alone may name the appointment the
    # customer has then — unless the message says to book ("book an appointment on Sunday")
    about_one = parsed.unsure or (APPOINTMENT.search(turn.folded) is not None and not _says(turn, Intent.BOOK))
    day_alone = about_one and parsed.date is not None and parsed.time is None and parsed.window is None
    if not (mine or day_alone) and (parsed.service_id is None or not parsed.unsure):
        # only "my …", or (read unsurely) a service the customer has booked, can mean an appointment they have;
        # "Book a women's haircut on the 12th" is a booking however many haircuts the customer has
        return False
    bookings = await turn.backend.customer_bookings(turn.company, turn.customer)
    if not (mine or day_alone):
        bookings = [b for b in bookings if b.service_id == parsed.service_id]  # another manicure, or that one moved?
    elif not mine:
        bookings = [b for b in bookings if turn.local(b.start).date() == parsed.date]
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
    if new_time and parsed.intent in (Intent.RESCHEDULE, Intent.CANCEL):
        return False  # "can you put my manicure on Monday at 3?" weighed a move most: a move (it is confirmed)
    candidates = [Intent.BOOK, Intent.RESCHEDULE] if new_time else [Intent.RESCHEDULE, Intent.CANCEL]
    said = named(turn, candidates)
    if said is not None:  # "pls move my nails appointment": it says which
        turn.parsed = parsed.model_copy(update={"intent": said, "alternatives": ()})
        return False
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
    picked = chosen(clarification.candidates, parsed.choice) or named(turn, clarification.candidates)
    if picked is None and SAME_PLACE.get(parsed.intent, parsed.intent) in clarification.candidates:
        picked = SAME_PLACE.get(parsed.intent, parsed.intent)
    if picked is None:
        yes = parsed.intent is Intent.AFFIRM or (parsed.unsure and Intent.AFFIRM in parsed.alternatives[:1])
        if yes and not drafts.has_details(parsed):  # "yes" ("isso") to "this or that?" is no answer: ask again
            state.clarification, state.stage = clarification, Stage.CLARIFY_INTENT
            _ask_which(turn, clarification.candidates)
            return Answer.ASKED_AGAIN
        return Answer.NONE
    original = clarification.parsed
    turn.parsed = original.model_copy(
        update={"intent": picked, "unsure": False, "alternatives": (), "reasons": (*original.reasons, CLARIFIED)}
    )
    return Answer.PICKED


# The rules' signal for each reading offered ("reschedule", "отмен…", "preços"), and the words that make a booking
# a new one rather than the one the customer has ("a new one", "ещё одну", "marcar outro", "otra cita").
_SIGNAL = {
    Intent.BOOK: "book",
    Intent.RESCHEDULE: "reschedule",
    Intent.CANCEL: "cancel",
    Intent.MY_BOOKINGS: "my_bookings",
    Intent.PRICES: "prices",
    Intent.INFO: "info",
    Intent.HANDOFF: "handoff",
}
_NEW = re.compile(
    r"(?:^|\W)(?:new|another|one\s+more|нов\w*|ещ[её]|друг\w*|outr[oa]s?|mais\s+um\w*|nov[oa]s?|otr[oa]s?|"
    r"nuev[oa]s?)(?=$|\W)"
)
_WORD = re.compile(r"\w{4,}")


def _same_word(a: str, b: str) -> bool:
    """One word in two forms: "move"/"moving", "перенести"/"перенесите", "remarca"/"remarcar"."""
    shorter = min(len(a), len(b))
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return common >= min(5, shorter)


def _says(turn: Turn, reading: Intent) -> bool:
    """Does the message use the words the bot itself gives that reading ("book", "записаться", "marcar")?"""
    words = _WORD.findall(turn.folded)
    own = _WORD.findall(fold(turn.loc.t(OFFERS[reading])))
    others = [w for r, phrase in OFFERS.items() if r is not reading for w in _WORD.findall(fold(turn.loc.t(phrase)))]
    distinct = [w for w in own if not any(_same_word(w, o) for o in others)]
    return any(_same_word(w, d) for w in words for d in distinct)


def named(turn: Turn, candidates: list[Intent]) -> Intent | None:
    """The offered reading the answer names in words: the words of that reading as the question put them ("move
    an appointment" → "move it", "перенести ту, что есть"; they weigh double), the rules' signal for it, or,
    between a new booking and the one the customer has, "a new one". None unless one reading is named most."""
    folded = turn.folded
    words = _WORD.findall(folded)
    phrases = {c: _WORD.findall(fold(turn.loc.t(OFFERS[c]))) for c in candidates if c in OFFERS}
    table = _signals(turn)
    scores: dict[Intent, int] = {}
    for candidate, phrase in phrases.items():
        others = [w for c, p in phrases.items() if c is not candidate for w in p]
        own = [w for w in phrase if not any(_same_word(w, o) for o in others)]  # "appointment" names neither
        score = 2 * sum(any(_same_word(w, o) for o in own) for w in words)  # the question's own words weigh most
        # not the booking signal: it hears "appointment", and "my appointment on Monday" is the very doubt
        signal = table.get(_SIGNAL.get(candidate, "")) if candidate is not Intent.BOOK else None
        score += signal is not None and signal.search(folded) is not None
        if candidate is Intent.BOOK and Intent.RESCHEDULE in phrases:
            score += _NEW.search(folded) is not None
        scores[candidate] = score
    best = max(scores.values(), default=0)
    top = [c for c, score in scores.items() if score == best]
    return top[0] if best > 0 and len(top) == 1 else None


SIGNALLED = (Intent.CANCEL, Intent.RESCHEDULE, Intent.HANDOFF, Intent.MY_BOOKINGS, Intent.PRICES)
OVERRIDABLE = (Intent.AFFIRM, Intent.OTHER, Intent.BOOK, Intent.GREET, Intent.THANKS, Intent.ALTERNATIVES)


def settle_by_signal(turn: Turn, among: tuple[Intent, ...] = SIGNALLED) -> None:
    """Stage 1 unsure, its likeliest reading a yes or a booking, and a request it also weighed that the message
    says in so many words ("can you cancel an appointment of mine?" weighed as a yes, then as a cancel): that
    request is the reading; `among` the requests that may be read so (at a yes/no question, only questions: a yes
    there is weighed by the question itself)."""
    parsed = turn.parsed
    if not parsed.unsure:
        return
    if parsed.intent in OVERRIDABLE:
        said = [a for a in requested(turn, among) if a in parsed.alternatives]
        if len(said) == 1:
            rest = tuple(i for i in (parsed.intent, *parsed.alternatives) if i is not said[0])
            turn.parsed = parsed.model_copy(update={"intent": said[0], "alternatives": rest})
        return
    cancel_unsaid = parsed.intent is Intent.CANCEL and Intent.BOOK in parsed.alternatives and not _refusing(turn)
    if among is not SIGNALLED or (parsed.intent not in (Intent.PRICES, Intent.INFO) and not cancel_unsaid):
        # (the signals of a move or of one's bookings miss too many wordings to judge by them; a cancel without a
        # word of one, nor of a no, weighed against a booking, is judged: "hola, corte de mujer porfa")
        return
    if requested(turn, (parsed.intent,)) or requested(turn, tuple(i for i in SIGNALLED if i is not parsed.intent)):
        return  # its own words are there (or another request's): as read
    details = parsed.service_id is not None or parsed.date is not None or parsed.time is not None
    if details or _says(turn, Intent.BOOK) or requested(turn, (Intent.BOOK,)):
        # "¿puedo reservar un corte de señora?", "hola, corte de mujer porfa" weighed, unsurely, as a question
        # about the salon or its prices without a word of one: a booking (confirmed before it is made)
        rest = tuple(i for i in (parsed.intent, *parsed.alternatives) if i is not Intent.BOOK)
        turn.parsed = parsed.model_copy(update={"intent": Intent.BOOK, "alternatives": rest})


def _signals(turn: Turn) -> Mapping[str, re.Pattern[str]]:
    """The rules' signal table of the message's language."""
    return SIGNALS.get(turn.parsed.lang or turn.loc.language, SIGNALS["en"])


def _refusing(turn: Turn) -> bool:
    """Does the message say no or can't ("no puedo ir", "не смогу", "i can't make it")?"""
    table = _signals(turn)
    return any(table[name].search(turn.folded) for name in ("deny_lead", "deny_any") if name in table)


def requested(turn: Turn, among: tuple[Intent, ...]) -> list[Intent]:
    """The requests among `among` the message says in so many words (the rules' signals: "cancel", "перенести",
    "мои записи", "preços", "human please")."""
    table = _signals(turn)
    return [i for i in among if table[_SIGNAL[i]].search(turn.folded)]


def yes_that_asks_otherwise(turn: Turn, yes_here: tuple[Intent, ...]) -> None:
    """ "first cancel an appointment of mine" weighed as a yes to "shall I book this?", even surely: a yes that
    says another request in so many words is that request (and never books)."""
    if turn.parsed.intent is not Intent.AFFIRM:
        return
    said = requested(turn, tuple(i for i in SIGNALLED if i not in yes_here))
    if len(said) == 1:
        turn.parsed = turn.parsed.model_copy(update={"intent": said[0], "unsure": True, "alternatives": ()})
