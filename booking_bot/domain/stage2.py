"""What stage 2 (an LLM behind the `IntentModel` port) is given about a message, and the only answer it may give."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from booking_bot.domain.conversation import ConversationState
from booking_bot.domain.models import TimeWindow
from booking_bot.domain.parsing import Catalog, Expecting, Intent, ParseContext, ParsedMessage


class DraftSummary(BaseModel):
    """The conversation so far, as stage 2 sees it (ids and local dates/times only)."""

    model_config = ConfigDict(frozen=True)

    stage: str = "idle"
    action: str = "book"
    service_id: str | None = None
    staff_id: str | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    window: TimeWindow | None = None

    @classmethod
    def of(cls, state: ConversationState) -> DraftSummary:
        draft = state.draft
        return cls(
            stage=state.stage.value,
            action=draft.action.value,
            service_id=draft.service_id,
            staff_id=draft.staff_id,
            date=draft.date,
            time=draft.time,
            window=draft.window,
        )


class Stage2Request(BaseModel):
    """Everything stage 2 is given about one message."""

    model_config = ConfigDict(frozen=True)

    company_id: str
    text: str
    context: ParseContext
    catalog: Catalog
    stage1: ParsedMessage  # stage 1's guess; its `reasons` say why it was unsure
    draft: DraftSummary | None = None
    last_asked: Expecting | None = None


class ModelParse(BaseModel):
    """The only thing a model may answer: the same fields as a stage-1 parse, nothing that could carry an order.

    `extra="forbid"`: an answer with any other key (a phone number, a booking id, "instructions") fails the schema.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    lang: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    date: dt.date | None = None
    time: dt.time | None = None
    window: TimeWindow | None = None
    service_id: str | None = Field(default=None, max_length=200)
    staff_id: str | None = Field(default=None, max_length=200)
    choice: int | None = Field(default=None, ge=1, le=50)
    negated_date: dt.date | None = None


class ModelAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    parse: ModelParse
    prompt_tokens: int = 0
    completion_tokens: int = 0
