"""neonize `MessageEv` → `InboundMessage`: the only place that reads WhatsApp's message shapes.

Pure functions over the protobuf objects (typed here as small Protocols, so the core never imports neonize).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from booking_bot.domain import InboundMessage

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


def to_inbound(company_id: str, event: MessageEvent, known_pn: dict[str, str] | None = None) -> InboundMessage | None:
    """The core's message, or None for what the bot ignores (groups, broadcasts, messages without an id).

    The chat id is the customer's phone JID when known, else the `@lid` JID: one customer, one conversation, whichever
    form WhatsApp used this time. Duplicates (same id, LID and phone forms) are removed later on (company, id).
    """
    info = event.Info
    source = info.MessageSource
    if not info.ID or not is_customer_chat(source):
        return None
    pn = phone_jid(source, known_pn)
    chat_id = pn or jid_to_str(source.Chat)
    return InboundMessage(
        company_id=company_id,
        message_id=info.ID,
        chat_id=chat_id,
        phone=("+" + pn.split("@", 1)[0]) if pn else None,
        sender_name=(info.Pushname or None) if not source.IsFromMe else None,
        text=message_text(event.Message),
        received_at=timestamp_utc(info.Timestamp),
        from_me=source.IsFromMe,
    )
