"""Per-conversation dialogue state: a named stage and a typed draft, serialised as JSON."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from pydantic import BaseModel, Field

from booking_bot.domain.models import AwareDatetime, TimeWindow
from booking_bot.domain.parsing import Expecting, Intent, ParsedMessage


class Stage(enum.StrEnum):
    IDLE = "idle"
    ASK_SERVICE = "ask_service"
    ASK_DATE = "ask_date"
    ASK_TIME = "ask_time"
    CHOOSE_SLOT = "choose_slot"
    CHOOSE_BOOKING = "choose_booking"
    CONFIRM_BOOK = "confirm_book"
    CONFIRM_MOVE = "confirm_move"
    CONFIRM_CANCEL = "confirm_cancel"
    ASK_PHONE = "ask_phone"  # the scheduling system needs a phone number (the chat id is an @lid id)
    CONFIRM_RESUME = "confirm_resume"  # "shall we go back to booking …?" after another task interrupted it
    CLARIFY_INTENT = "clarify_intent"  # stage 1 was unsure and no stage 2 helped: "do you want to … or …?"
    WAITLIST_OFFER = "waitlist_offer"  # a time freed up and was offered from the waiting list: "shall I book it?"


EXPECTING_BY_STAGE: dict[Stage, Expecting | None] = {
    Stage.IDLE: None,
    Stage.ASK_SERVICE: Expecting.SERVICE,
    Stage.ASK_DATE: Expecting.DATE,
    Stage.ASK_TIME: Expecting.TIME,
    Stage.CHOOSE_SLOT: Expecting.CHOICE,
    Stage.CHOOSE_BOOKING: Expecting.CHOICE,
    Stage.CONFIRM_BOOK: Expecting.CONFIRM,
    Stage.CONFIRM_MOVE: Expecting.CONFIRM,
    Stage.CONFIRM_CANCEL: Expecting.CONFIRM,
    Stage.ASK_PHONE: None,
    Stage.CONFIRM_RESUME: Expecting.CONFIRM,
    Stage.CLARIFY_INTENT: Expecting.CHOICE,
    Stage.WAITLIST_OFFER: Expecting.CONFIRM,
}


class Action(enum.StrEnum):
    BOOK = "book"
    MOVE = "move"
    CANCEL = "cancel"


class OfferedSlot(BaseModel):
    start: AwareDatetime
    staff_id: str


class Draft(BaseModel):
    """What the customer asked for so far. Dates and times are the salon's local ones."""

    action: Action = Action.BOOK
    service_id: str | None = None
    staff_id: str | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    window: TimeWindow | None = None
    booking_id: str | None = None  # the booking to move or cancel
    chosen: OfferedSlot | None = None  # the exact slot we asked to confirm
    service_options: list[str] = Field(default_factory=list)  # "a haircut": the services it may mean
    rebook: bool = False  # cancelling only because the salon forbids moving: book `chosen` afterwards
    excluded_staff: list[str] = Field(default_factory=list)  # "the other master": not these

    @property
    def started(self) -> bool:
        """Anything asked for yet (a draft worth offering back after an interruption)."""
        return any(v is not None for v in (self.service_id, self.staff_id, self.date, self.time, self.window))


class Clarification(BaseModel):
    """A clarifying question in flight: the message stage 1 was unsure of, the readings offered, the stage before."""

    parsed: ParsedMessage
    candidates: list[Intent]
    stage: Stage


class Suspended(BaseModel):
    """A booking flow another request interrupted ("move my haircut" while choosing a time): kept to offer back."""

    stage: Stage
    draft: Draft
    offered: list[OfferedSlot] = Field(default_factory=list)


class WaitAsk(BaseModel):
    """ "Shall I tell you if something frees up?" asked: what a yes puts on the waiting list (dialogue/waitlist.py)."""

    service_id: str
    staff_id: str | None = None
    day: dt.date
    window: TimeWindow | None = None


class ConversationState(BaseModel):
    stage: Stage = Stage.IDLE
    language: str | None = None
    draft: Draft = Field(default_factory=Draft)
    offered: list[OfferedSlot] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)  # booking ids listed for "which one?"
    suspended: Suspended | None = None  # a booking flow to offer back once the interrupting task is over
    clarification: Clarification | None = None  # "do you want to book or to move?" waiting for its answer
    updated_at: dt.datetime | None = None
    paused_until: dt.datetime | None = None  # a person from the salon took over the chat
    reminded_booking_id: str | None = None  # the booking of the last reminder sent in this chat ...
    reminded_at: dt.datetime | None = None  # ... and when: "ok 👍" soon after confirms that visit
    waitlist_ask: WaitAsk | None = None  # the bot asked whether to tell the customer when a time frees up
    waitlist_offer_id: str | None = None  # the waiting-list offer last sent in this chat (its time held for them)

    def paused(self, now: dt.datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    @property
    def expecting(self) -> Expecting | None:
        return EXPECTING_BY_STAGE[self.stage]

    def reset(self) -> None:
        """Forget the task at hand; keep the language, the pause, the last reminder and a suspended booking flow."""
        self.stage = Stage.IDLE
        self.draft = Draft()
        self.offered = []
        self.candidates = []
        self.clarification = None
        self.waitlist_ask = None  # the question went with the task (the offer id stays: its hold is the store's)

    def suspend(self) -> None:
        """Put the booking flow in hand aside (to offer it back later) and start from a clean task."""
        if self.draft.action is Action.BOOK and self.draft.started and self.stage is not Stage.IDLE:
            self.suspended = Suspended(stage=self.stage, draft=self.draft, offered=self.offered)
        self.reset()

    def resume(self) -> bool:
        """Take the suspended booking flow back as the task in hand. False if there is none."""
        if self.suspended is None:
            return False
        self.stage, self.draft, self.offered = self.suspended.stage, self.suspended.draft, self.suspended.offered
        self.candidates, self.clarification, self.suspended = [], None, None
        return True


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """One customer's chat with one company."""

    company_id: str
    chat_id: str

    def __str__(self) -> str:
        return f"conv:{self.company_id}:{self.chat_id}"
