"""One customer, whichever form WhatsApp names them by: a phone-number JID, an `@lid` identity, or both.

A `ChatIdentity` links the forms to the one customer id that conversations, bookings, reminders and the message log
are filed under. That id is chosen once, at the customer's first message, and never changes: a phone JID normalised to
E.164 when the phone is known then, else the `@lid` JID. Forms learnt later are added to it (docs/gateway.md, "One
identity per customer"). `link_forms` is the rule both store adapters apply.
"""

from __future__ import annotations

from booking_bot.domain.models import AwareDatetime, Frozen


class ChatForms(Frozen):
    """What one message (or one lookup) tells about who wrote: any of the forms may be unknown."""

    phone: str | None = None  # E.164, '+5511987654321'
    lid: str | None = None  # '123456789012345@lid'
    address: str | None = None  # where replies go: the phone JID as WhatsApp wrote it when known, else the chat's


class ChatIdentity(Frozen):
    """A customer of one company and the WhatsApp forms known to be theirs."""

    company_id: str
    customer_id: str
    phone: str | None = None
    lid: str | None = None
    address: str | None = None
    opted_in_at: AwareDatetime | None = None  # the customer agreed to messages they did not ask for
    first_seen: AwareDatetime
    updated_at: AwareDatetime


def link_forms(
    company_id: str,
    forms: ChatForms,
    new_customer_id: str,
    by_lid: ChatIdentity | None,
    by_phone: ChatIdentity | None,
    now: AwareDatetime,
) -> tuple[ChatIdentity, ChatIdentity | None]:
    """The identity `forms` belong to after this message, and the other one that gave up a form to it (to be written
    first: a form belongs to one identity), if any.

    The LID and the phone found on two identities are one person: the older identity keeps both (the phone's, when
    both were first seen at once), the younger keeps its id and what is filed under it. Neither found: a new
    identity under `new_customer_id`.
    """
    given_up: ChatIdentity | None = None
    base = by_lid or by_phone
    if by_lid is not None and by_phone is not None and by_lid.customer_id != by_phone.customer_id:
        base, other = sorted((by_phone, by_lid), key=lambda i: i.first_seen)  # stable: the phone's wins a tie
        form = "phone" if other is by_phone else "lid"
        given_up = other.model_copy(update={form: None, "updated_at": now})
    if base is None:
        created = ChatIdentity(
            company_id=company_id,
            customer_id=new_customer_id,
            phone=forms.phone,
            lid=forms.lid,
            address=forms.address,
            first_seen=now,
            updated_at=now,
        )
        return created, None
    # A message without the phone does not replace a phone address (the form replies always reached).
    address = forms.address if forms.phone is not None or base.phone is None else base.address
    kept = base.model_copy(
        update={
            "phone": forms.phone or base.phone,
            "lid": forms.lid or base.lid,
            "address": address or base.address or forms.address,
            "updated_at": now,
        }
    )
    return kept, given_up
