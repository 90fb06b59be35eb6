"""Which customer a WhatsApp message is from, and where a customer's messages go: the gateway's side of the
`IdentityStore` (docs/gateway.md, "One identity per customer").

Every inbound message's forms (its `@lid`, its phone in E.164, the chat it came from) are linked in the store to one
customer id before the message enters the core, so the dialogue only ever sees that id. An identity first seen
after the upgrade whose chat was already in the message log under its old id (the raw phone JID, or the LID) keeps
that id, so nobody's history splits at the upgrade. A store that cannot answer never costs a message: the id is then
worked out from the message alone (the phone's chat, else the LID) and linked again on the next message.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from booking_bot.domain import ChatForms
from booking_bot.ports import Store
from integrations.phones import normalise_phone
from integrations.whatsapp.mapping import (
    LID_SERVER,
    USER_SERVER,
    Source,
    chat_forms,
    default_customer_id,
    former_chat_id,
    jid_to_str,
)

log = logging.getLogger(__name__)
CACHE_SIZE = 10_000
LID_SUFFIX = "@lid"
PHONE_SUFFIX = "@s.whatsapp.net"
K = TypeVar("K")
PnLookup = Callable[[Any], Awaitable[Any]]  # neonize's `get_pn_from_lid`: a LID JID → its phone JID (or an empty one)


def forms_of_chat(chat_id: str) -> ChatForms:
    """The forms a chat id names: `…@lid` a LID, `…@s.whatsapp.net` (or bare digits) a phone."""
    if chat_id.endswith(LID_SUFFIX):
        return ChatForms(lid=chat_id, address=chat_id)
    return ChatForms(phone=normalise_phone(chat_id.removesuffix(PHONE_SUFFIX)))


async def _first_with_history(store: Store, company_id: str, candidates: Sequence[str]) -> str | None:
    for candidate in dict.fromkeys(c for c in candidates if c):
        if await store.last_inbound_at(company_id, candidate) is not None:
            return candidate
    return None


async def customer_for(store: Store, company_id: str, chat_id: str) -> str:
    """The customer id a chat id (`…@lid`, `…@s.whatsapp.net`, as webhooks give it) is filed under: its identity's,
    else an id the message log already knows it by, else the id a first message from it would get."""
    forms = forms_of_chat(chat_id)
    found = await store.find_identity(company_id, lid=forms.lid, phone=forms.phone)
    if found is not None:
        return found.customer_id
    default = default_customer_id(forms) or chat_id
    return await _first_with_history(store, company_id, (default, chat_id)) or default


class Identities:
    """One company's identities as its session meets them: linked in the store, the last few thousand kept here."""

    def __init__(self, company_id: str, store: Store | None = None, cache_size: int = CACHE_SIZE) -> None:
        self.company_id = company_id
        self._store = store
        self._size = cache_size
        self._seen: OrderedDict[tuple[str | None, str | None, str | None], str] = OrderedDict()
        self._addresses: OrderedDict[str, str] = OrderedDict()
        self._forms: OrderedDict[str, str] = OrderedDict()  # a LID or phone → its customer id, as last linked
        self.pn_by_lid: dict[str, str] = {}  # what the library told: a LID chat → its phone JID

    async def of_message(self, source: Source, lookup: PnLookup | None) -> str:
        """The customer id of a message. A LID chat that does not say its phone is asked of the library (its LID
        map, kept from WhatsApp's own lookups) once per session."""
        chat = source.Chat
        alternative = source.RecipientAlt if source.IsFromMe else source.SenderAlt
        if chat.Server == LID_SERVER and not (alternative.Server == USER_SERVER and alternative.User):
            await self._resolve_lid(chat, lookup)
        return await self.customer_of(chat_forms(source, self.pn_by_lid), former_chat_id(source, self.pn_by_lid))

    async def _resolve_lid(self, chat: Any, lookup: PnLookup | None) -> None:
        key = jid_to_str(chat)
        if key in self.pn_by_lid or lookup is None:
            return
        try:
            pn = await lookup(chat)
        except Exception:
            log.info("company=%s no phone number known for a LID sender", self.company_id)
            return
        if pn is not None and pn.Server == USER_SERVER and pn.User:
            self.pn_by_lid[key] = jid_to_str(pn)

    async def customer_of(self, forms: ChatForms, former_id: str | None = None) -> str:
        """The customer id of a message with these forms. `former_id`: the id the gateway gave such a message before
        identities were kept (an identity first seen now keeps it when the message log knows it)."""
        key = (forms.lid, forms.phone, forms.address)
        known = self._seen.get(key)
        if known is not None:
            self._seen.move_to_end(key)
            return known
        here = self._forms.get(forms.lid or "") or self._forms.get(forms.phone or "") or default_customer_id(forms)
        if self._store is None:
            customer_id = here
        else:
            try:
                customer_id = await self._link_stored(self._store, forms, here, former_id)
            except Exception:
                log.warning(
                    "company=%s identity not linked (store unavailable): filed as this session knows it",
                    self.company_id,
                    exc_info=True,
                )
                return here
        _put(self._seen, key, customer_id, self._size)
        for form in (forms.lid, forms.phone):
            if form is not None:
                _put(self._forms, form, customer_id, self._size)
        if forms.address is not None:
            _put(self._addresses, customer_id, forms.address, self._size)
        return customer_id

    async def address_of(self, customer_id: str) -> str:
        """Where a customer's messages go: the chat they last wrote from (their JID as WhatsApp has it, e.g. a
        Brazilian number without its ninth digit, or their LID), else the customer id itself."""
        known = self._addresses.get(customer_id)
        if known is not None:
            return known
        if self._store is None:
            return customer_id
        identity = await self._store.find_identity(self.company_id, customer_id=customer_id)
        address = identity.address if identity is not None and identity.address else customer_id
        _put(self._addresses, customer_id, address, self._size)
        return address

    async def _link_stored(self, store: Store, forms: ChatForms, default: str, former_id: str | None) -> str:
        new_id = default
        if await store.find_identity(self.company_id, lid=forms.lid, phone=forms.phone) is None:
            found = await _first_with_history(store, self.company_id, (default, former_id or "", forms.address or ""))
            new_id = found or default
        identity = await store.link_identity(self.company_id, forms, new_id)
        return identity.customer_id


def _put(cache: OrderedDict[K, str], key: K, value: str, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > size:
        cache.popitem(last=False)
