"""neonize MessageEv → InboundMessage, driven by hand-built neonize protobuf events."""

from __future__ import annotations

from datetime import UTC, datetime

from integrations.whatsapp.mapping import timestamp_utc, to_inbound
from tests.fakes.neonize_fake import API, jid, message_event

PHONE = jid("79990001122")
LID = jid("123456789012345", "lid")


def roundtrip(event: object) -> object:
    """Through bytes, as neonize builds events from what the Go side sends."""
    return API.MessageEv.FromString(event.SerializeToString())  # type: ignore[attr-defined]


def test_text_message_from_a_phone_number() -> None:
    stamp = int(datetime(2026, 11, 27, 9, 30, 15, 250_000, tzinfo=UTC).timestamp() * 1000)
    event = roundtrip(message_event("3EB0AA", PHONE, text="Hi there", push_name="Alex", timestamp_ms=stamp))
    message = to_inbound("salon-a", event)  # type: ignore[arg-type]
    assert message is not None
    assert message.company_id == "salon-a" and message.message_id == "3EB0AA"
    assert message.chat_id == "79990001122@s.whatsapp.net" and message.phone == "+79990001122"
    assert message.text == "Hi there" and message.sender_name == "Alex" and not message.from_me
    assert message.received_at == datetime(2026, 11, 27, 9, 30, 15, 250_000, tzinfo=UTC)


def test_timestamp_is_milliseconds_not_seconds() -> None:
    assert timestamp_utc(1_795_000_000_000).year == 2026
    assert timestamp_utc(1_795_000_000).year == 2026  # an older build's seconds still read right


def test_lid_sender_uses_the_phone_number_from_sender_alt() -> None:
    message = to_inbound("salon-a", roundtrip(message_event("3EB0AB", LID, text="hi", sender_alt=PHONE)))  # type: ignore[arg-type]
    assert message is not None
    assert message.chat_id == "79990001122@s.whatsapp.net" and message.phone == "+79990001122"


def test_lid_sender_without_a_known_phone_keeps_the_lid_and_no_phone() -> None:
    message = to_inbound("salon-a", roundtrip(message_event("3EB0AC", LID, text="hi")))  # type: ignore[arg-type]
    assert message is not None
    assert message.chat_id == "123456789012345@lid" and message.phone is None
    resolved = to_inbound(
        "salon-a",
        roundtrip(message_event("3EB0AC", LID, text="hi")),  # type: ignore[arg-type]
        {"123456789012345@lid": "79990001122@s.whatsapp.net"},
    )
    assert resolved is not None and resolved.chat_id == "79990001122@s.whatsapp.net"


def test_captions_and_extended_text_are_read() -> None:
    image = to_inbound("s", roundtrip(message_event("1", PHONE, caption="this colour, Friday?")))  # type: ignore[arg-type]
    extended = to_inbound("s", roundtrip(message_event("2", PHONE, text="see wa.me/x", extended=True)))  # type: ignore[arg-type]
    assert image is not None and image.text == "this colour, Friday?"
    assert extended is not None and extended.text == "see wa.me/x"


def test_groups_and_status_broadcasts_are_dropped() -> None:
    group = message_event("1", jid("120363000000000000", "g.us"), text="hi all", sender=PHONE, group=True)
    status = message_event("2", jid("status", "broadcast"), text="my story", sender=PHONE)
    channel = message_event("3", jid("120363111", "newsletter"), text="news")
    for event in (group, status, channel):
        assert to_inbound("salon-a", roundtrip(event)) is None  # type: ignore[arg-type]


def test_salon_staff_writing_from_its_own_phone_is_marked_from_me() -> None:
    own = jid("15550000000")
    event = message_event("3EB0AD", LID, text="I'll handle this", sender=own, from_me=True, recipient_alt=PHONE)
    message = to_inbound("salon-a", roundtrip(event))  # type: ignore[arg-type]
    assert message is not None and message.from_me
    assert message.chat_id == "79990001122@s.whatsapp.net"  # the customer's chat, not the salon's number
    assert message.sender_name is None
