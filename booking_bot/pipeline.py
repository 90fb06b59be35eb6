"""The pipeline: a conversation's pending messages, in arrival order, under the conversation's lock.

`handle_inbound` is what the job of that name runs (booking_bot/jobs.py); `process_conversation` drains one chat.
For each message it builds the company context (which salon, its time zone and language), understands it (stage 1,
then stage 2 when unsure), applies the dialogue policy, and records and sends the replies through the outbox.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections import OrderedDict
from datetime import datetime, timedelta

from booking_bot.dialogue.booking import say_failure
from booking_bot.dialogue.policy import respond
from booking_bot.dialogue.turn import Turn, parser_catalog
from booking_bot.domain import (
    Catalog,
    Company,
    ConversationKey,
    ConversationState,
    Customer,
    DraftSummary,
    EventType,
    Expecting,
    InboundMessage,
    OutcomeKind,
    ParseContext,
    ParsedMessage,
    Service,
    StaffMember,
)
from booking_bot.i18n import Catalogs, current_language
from booking_bot.outbox import deliver, flush
from booking_bot.ports import (
    BackendUnavailable,
)
from booking_bot.services import Services
from booking_bot.understanding import Understanding, understand

log = logging.getLogger(__name__)
MAX_PARSED_CHARS = 2_000
MAX_NAME_CHARS = 64
CANONICAL_CATALOGS_MAX = 1_024
_canonical_catalogs: OrderedDict[Catalog, Catalog] = OrderedDict()
_catalog_memo: dict[str, tuple[list[Service], list[StaffMember], Catalog]] = {}


def redact(value: str) -> str:
    """A short stable hash for logs: customers' ids and phone numbers never appear in them."""
    return hashlib.sha256(value.encode()).hexdigest()[:10]


async def handle_inbound(services: Services, company_id: str, chat_id: str, message_id: str) -> None:
    """The `handle_inbound` job: takes ids, not objects — the message itself waits in the store."""
    if await services.store.inbound_done(company_id, message_id):
        return  # already handled, by a redelivery or by the job of an earlier message of the same burst
    handled = await process_conversation(services, company_id, chat_id)
    log.debug("company=%s handled %d message(s)", company_id, handled)


async def process_conversation(services: Services, company_id: str, chat_id: str) -> int:
    """Handle every pending message of one chat, oldest first. Returns how many were handled.

    The lock is taken before the state is read (aiogram #1317): a burst of messages cannot race on old state.
    """
    key = ConversationKey(company_id, chat_id)
    handled = 0
    async with services.locks.hold(str(key)):
        for message in await services.store.pending_inbound(company_id, chat_id):
            # Store or delivery failures propagate: the job is retried and the outbox resends what is missing.
            await _handle_one(services, key, message)
            await services.store.mark_inbound_done(company_id, message.message_id)
            handled += 1
    return handled


async def _handle_one(services: Services, key: ConversationKey, message: InboundMessage) -> None:
    company = await services.store.get_company(message.company_id)
    if company is None:
        log.warning("message for unknown company %s dropped", message.company_id)
        return
    if await services.store.outbound_replies(company.id, message.message_id):
        # Handled before a crash that came before `mark_inbound_done`: only delivery is left to do.
        await flush(services.store, services.channel, message.company_id, message.message_id)
        return
    state = await services.conversations.load(key) or ConversationState()
    now = services.clock()
    if message.from_me:
        # The salon's own phone wrote in this chat: a person took over, the bot steps aside for a while.
        state.paused_until = now + services.human_takeover_pause
        await services.conversations.save(key, state)
        log.info("company=%s chat=%s paused: staff wrote", company.id, redact(message.chat_id))
        return
    if state.paused(now) or not message.text.strip():
        await _received(services, message, None)
        return
    customer = await services.store.upsert_customer(
        Customer(
            company_id=company.id,
            id=message.chat_id,
            phone=message.phone,
            name=display_name(message.sender_name),
            language=message.language,
        )
    )
    backend = services.backend_for(company)
    try:
        service_list = await backend.services(company)
        staff_list = await backend.staff(company)
    except BackendUnavailable:
        service_list, staff_list = [], []
    catalog = catalog_of(company.id, service_list, staff_list)
    understanding = await _parse(services, message, company, state, customer, now, catalog)
    parsed = understanding.parsed
    await _received(services, message, understanding)
    language = _language(services.catalogs, message, parsed, state, customer, company)
    state.language = language
    if customer.language != language:  # remembered per customer: reminders go out in it
        customer = await services.store.upsert_customer(customer.model_copy(update={"language": language}))
    token = current_language.set(language)
    try:
        turn = Turn(
            company=company,
            customer=customer,
            message=message,
            parsed=parsed,
            state=state,
            backend=backend,
            store=services.store,
            loc=services.catalogs.get(language),
            now=now,
            services=service_list,
            staff=staff_list,
            catalog=catalog,
            max_offers=services.max_offers,
            events=services.events,
        )
        if not service_list:
            # The catalog itself could not be read: say so rather than guess.
            say_failure(turn, OutcomeKind.BACKEND_UNAVAILABLE)
        else:
            state = await _respond_safely(turn, company)
        state.updated_at = now
        await services.conversations.save(key, state)
        await deliver(
            services.store, services.channel, message.company_id, message.chat_id, message.message_id, turn.replies
        )
    finally:
        current_language.reset(token)
    log.info(
        "company=%s chat=%s message handled intent=%s stage=%s replies=%d",
        company.id,
        redact(message.chat_id),
        parsed.intent,
        state.stage,
        len(turn.replies),
    )


def display_name(raw: str | None) -> str | None:
    """A sender's name fit to greet with and to give the salon's system: no control, format (bidi overrides,
    zero-width) or line-breaking characters, spaces collapsed, at most MAX_NAME_CHARS. A push name is whatever the
    sender typed; unfiltered it broke greetings across lines and could reorder the text around it."""
    if not raw:
        return None
    kept = "".join(" " if ch.isspace() else ch for ch in raw if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    name = " ".join(kept.split())[:MAX_NAME_CHARS].strip()
    return name or None


def catalog_of(company_id: str, services: list[Service], staff: list[StaffMember]) -> Catalog:
    """The parser's catalog for these lists. Backends that cache their catalog return the same list objects each
    time: then the catalog built last time for the company is reused without rebuilding or hashing it (the memo
    holds the lists, so their identities cannot be reused by other objects while it does)."""
    memo = _catalog_memo.get(company_id)
    if memo is not None and memo[0] is services and memo[1] is staff:
        return memo[2]
    catalog = canonical_catalog(parser_catalog(services, staff))
    _catalog_memo[company_id] = (services, staff, catalog)
    if len(_catalog_memo) > CANONICAL_CATALOGS_MAX:
        _catalog_memo.pop(next(iter(_catalog_memo)))
    return catalog


def canonical_catalog(catalog: Catalog) -> Catalog:
    """One object per distinct catalog. The parser caches a catalog's match index by object identity; a catalog
    rebuilt for every message missed that cache and rebuilt the index each time (a fifth of a worker's time)."""
    found = _canonical_catalogs.get(catalog)
    if found is not None:
        _canonical_catalogs.move_to_end(catalog)
        return found
    _canonical_catalogs[catalog] = catalog
    if len(_canonical_catalogs) > CANONICAL_CATALOGS_MAX:
        _canonical_catalogs.popitem(last=False)
    return catalog


async def _respond_safely(turn: Turn, company: Company) -> ConversationState:
    """The policy, inside the per-message boundary: a bug in handling one message gets an apology and leaves
    the conversation as it was, instead of blocking the chat behind it. Returns the state to keep."""
    before = turn.state.model_dump_json()  # a snapshot: cheaper than pydantic's deep copy, which showed in profiles
    try:
        await respond(turn)
    except Exception:
        log.exception("company=%s message=%s handling failed", company.id, redact(turn.message.message_id))
        turn.replies[:] = [
            turn.loc.t("Sorry, something went wrong on our side. A member of staff will look at this chat.")
        ]
        return ConversationState.model_validate_json(before)
    return turn.state


async def _parse(
    services: Services,
    message: InboundMessage,
    company: Company,
    state: ConversationState,
    customer: Customer,
    now: datetime,
    catalog: Catalog,
) -> Understanding:
    """Stage 1 always; stage 2 (the company's LLM, if configured) only for what stage 1 is unsure of."""
    local_now = company.local_now(now)
    context = ParseContext(
        today=local_now.date(),
        now=local_now.time().replace(microsecond=0),
        timezone=company.timezone,
        expecting=_expecting(state, company, now),
        lang=message.language or state.language or customer.language,
    )
    result = await understand(
        # A message of any size is answered; the parser reads its beginning, enough for any booking request.
        message.text[:MAX_PARSED_CHARS],
        context,
        catalog,
        company_id=company.id,
        stage2=services.stage2_for(company.id) if services.stage2_for else None,
        draft=DraftSummary.of(state),
        opening_hours=services.opening_hours_for(company) if services.opening_hours_for else None,
        metrics=services.metrics,
    )
    return result


def _expecting(state: ConversationState, company: Company, now: datetime) -> Expecting | None:
    """What the bot's last message asked: its stage's question, or — right after a reminder ("reply ok to confirm")
    — a yes or no, so "👍" and "yes I'll be there" read as the answers they are."""
    window = timedelta(minutes=company.reminders.confirm_window_minutes)
    if state.expecting is None and state.reminded_at is not None and now - state.reminded_at <= window:
        return Expecting.CONFIRM
    return state.expecting


async def _received(services: Services, message: InboundMessage, understanding: Understanding | None) -> None:
    """message.received for webhooks and stats; `understanding` is None when the bot did not read it (paused)."""
    await services.events.emit(
        message.company_id,
        EventType.MESSAGE_RECEIVED,
        message.message_id,
        {
            "message_id": message.message_id,
            "chat_id": message.chat_id,
            "phone": message.phone,
            "sender_name": message.sender_name,
            "text": message.text,
            "received_at": message.received_at.isoformat(),
            "understanding": None
            if understanding is None
            else {
                "decided_by": understanding.decided_by.value,
                "why": understanding.why.value,
                "intent": understanding.parsed.intent.value,
            },
        },
    )


def _language(
    catalogs: Catalogs,
    message: InboundMessage,
    parsed: ParsedMessage,
    state: ConversationState,
    customer: Customer,
    company: Company,
) -> str:
    """The reply language: chosen explicitly, else detected in this message, else the conversation's."""
    for candidate in (
        message.language,
        parsed.lang,
        state.language,
        customer.language,
        company.default_language,
    ):
        if candidate and catalogs.get(candidate).language == candidate.split("-")[0].lower():
            return candidate.split("-")[0].lower()
    return company.default_language
