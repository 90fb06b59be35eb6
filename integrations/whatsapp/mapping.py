"""neonize `MessageEv` → `InboundMessage`: the only place that reads WhatsApp's message shapes.

Pure functions over the protobuf objects (typed here as small Protocols, so the core never imports neonize). Which
customer a message is from is decided before it enters the core: `chat_forms` reads what the message tells about
its sender (LID, phone, chat) and the session's `Identities` gives the customer id `to_inbound` files it under.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from booking_bot.domain import ChatForms, InboundMessage
from integrations.phones import normalise_phone, phone_chat

USER_SERVER = "s.whatsapp.net"
LID_SERVER = "lid"
GROUP_SERVER = "g.us"
BROADCAST_SERVER = "broadcast"
NEWSLETTER_SERVER = "newsletter"
MAX_TEXT = 65_536


class Jid(Protocol):
    User: str
    Server: str
    Device: int
    RawAgent: int


class Source(Protocol):
    @property
    def Chat(self) -> Jid: ...
    @property
    def Sender(self) -> Jid: ...
    @property
    def SenderAlt(self) -> Jid: ...
    @property
    def RecipientAlt(self) -> Jid: ...

    IsFromMe: bool
    IsGroup: bool


class Info(Protocol):
    @property
    def MessageSource(self) -> Source: ...

    ID: str
    Pushname: str
    Timestamp: int


class _Caption(Protocol):
    caption: str


class _Text(Protocol):
    text: str


class Message(Protocol):
    conversation: str

    @property
    def extendedTextMessage(self) -> _Text: ...
    @property
    def imageMessage(self) -> _Caption: ...
    @property
    def videoMessage(self) -> _Caption: ...
    @property
    def documentMessage(self) -> _Caption: ...


class MessageEvent(Protocol):
    @property
    def Info(self) -> Info: ...
    @property
    def Message(self) -> Message: ...


def jid_to_str(jid: Jid) -> str:
    """`user@server` without the device part (a chat, not one of its devices)."""
    return f"{jid.User}@{jid.Server}"


def is_customer_chat(source: Source) -> bool:
    """One-to-one chats with a person; groups, status broadcasts, broadcast lists and channels are not."""
    chat = source.Chat
    if source.IsGroup or chat.Server in (GROUP_SERVER, BROADCAST_SERVER, NEWSLETTER_SERVER):
        return False
    return chat.Server in (USER_SERVER, LID_SERVER) and bool(chat.User)


def message_text(message: Message) -> str:
    """Text, extended text, or the caption of an image, video or document."""
    for text in (
        message.conversation,
        message.extendedTextMessage.text,
        message.imageMessage.caption,
        message.videoMessage.caption,
        message.documentMessage.caption,
    ):
        if text:
            return text[:MAX_TEXT]
    return ""


def timestamp_utc(value: int) -> datetime:
    """neonize's `Info.Timestamp` is in milliseconds since the epoch (older builds: seconds)."""
    seconds = value / 1000 if value > 10**11 else float(value)
    return datetime.fromtimestamp(seconds, tz=UTC)


def phone_jid(source: Source, known_pn: dict[str, str] | None = None) -> str | None:
    """The customer's phone-number JID, when WhatsApp told us (`SenderAlt`/`RecipientAlt`) or we resolved it."""
    chat = source.Chat
    if chat.Server == USER_SERVER:
        return jid_to_str(chat)
    alternative = source.RecipientAlt if source.IsFromMe else source.SenderAlt
    if alternative.Server == USER_SERVER and alternative.User:
        return jid_to_str(alternative)
    if known_pn is not None:
        return known_pn.get(jid_to_str(chat))
    return None


def lid_jid(source: Source) -> str | None:
    """The customer's `@lid` identity: the chat's, or the alternative address of a phone-number chat."""
    if source.Chat.Server == LID_SERVER:
        return jid_to_str(source.Chat)
    alternative = source.RecipientAlt if source.IsFromMe else source.SenderAlt
    if alternative.Server == LID_SERVER and alternative.User:
        return jid_to_str(alternative)
    return None


def chat_forms(source: Source, known_pn: dict[str, str] | None = None) -> ChatForms:
    """What a message tells about its customer: the LID, the phone in E.164, and where replies go (the phone JID as
    WhatsApp wrote it, e.g. a Brazilian number without its ninth digit, else the chat's own)."""
    pn = phone_jid(source, known_pn)
    return ChatForms(
        lid=lid_jid(source),
        phone=normalise_phone(pn.split("@", 1)[0]) if pn else None,
        address=pn or jid_to_str(source.Chat),
    )


def default_customer_id(forms: ChatForms) -> str:
    """A new customer's id: the phone's chat (E.164 digits) when the phone is known, else the `@lid` chat."""
    if forms.phone is not None:
        return phone_chat(forms.phone)
    return forms.lid or forms.address or ""


def former_chat_id(source: Source, known_pn: dict[str, str] | None = None) -> str:
    """The chat id the gateway gave this message before identities were kept: the phone JID as WhatsApp wrote it,
    else the LID."""
    return phone_jid(source, known_pn) or jid_to_str(source.Chat)


def to_inbound(
    company_id: str,
    event: MessageEvent,
    known_pn: dict[str, str] | None = None,
    customer_id: str | None = None,
) -> InboundMessage | None:
    """The core's message, or None for what the bot ignores (groups, broadcasts, messages without an id).

    The chat id is `customer_id` (the identity the gateway linked the message to), else the customer's phone chat
    in E.164 when known, else the `@lid` chat: one customer, one conversation, whichever form WhatsApp used this
    time. Duplicates (same id, LID and phone forms) are removed later on (company, id).
    """
    info = event.Info
    source = info.MessageSource
    if not info.ID or not is_customer_chat(source):
        return None
    forms = chat_forms(source, known_pn)
    return InboundMessage(
        company_id=company_id,
        message_id=info.ID,
        chat_id=customer_id or default_customer_id(forms),
        phone=forms.phone,
        sender_name=(info.Pushname or None) if not source.IsFromMe else None,
        text=message_text(event.Message),
        received_at=timestamp_utc(info.Timestamp),
        from_me=source.IsFromMe,
    )
