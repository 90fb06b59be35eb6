"""Phone numbers as one customer key: E.164 by the country's own rules (Google's libphonenumber, `phonenumbers`).

WhatsApp and the people typing numbers write the same line in several forms, and a customer must not become two:

- Brazil (55): a mobile with and without its ninth digit, `55 11 8765-4321` (accounts made before 2012 keep that
  JID) and `55 11 98765-4321`: kept with it.
- Argentina (54): `54 9 11 …` (international mobile), `54 11 15 …` (domestic 15 prefix), `54 11 …` (no 9): kept as
  `549…`, as WhatsApp's JIDs have it.
- Mexico (52): `52 1 55 …` (the mobile 1, dropped in 2019; old JIDs keep it) and `52 55 …`: kept without the 1.

What the library cannot parse is kept as its digits: a number is never refused here, only compared.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

_DIGITS = re.compile(r"\D")
_BR_MOBILE_FIRST = "6789"  # before the ninth digit, mobile lines began with these


def _fixed(number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber:
    national = str(number.national_number)
    candidate: str | None = None
    if number.country_code == 55 and len(national) == 10 and national[2] in _BR_MOBILE_FIRST:
        candidate = national[:2] + "9" + national[2:]
    elif number.country_code == 54 and len(national) == 10 and not national.startswith("9"):
        candidate = "9" + national
    elif number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        candidate = national[1:]
    if candidate is None:
        return number
    fixed = phonenumbers.PhoneNumber(country_code=number.country_code, national_number=int(candidate))
    if phonenumbers.is_valid_number(fixed) and phonenumbers.number_type(fixed) in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return fixed
    return number


def normalise_phone(text: str, region: str | None = None) -> str | None:
    """The number's E.164 form (`+5511987654321`), or None when `text` holds no digits at all.

    `text` is an international number (`+55 11 98765-4321`, a JID's user part `551187654321`) or, with `region`
    (ISO 3166 alpha-2), a national one (`011 15 1234-5678` in AR).
    """
    digits = _DIGITS.sub("", text)
    if not digits:
        return None
    international = text.strip().startswith("+") or region is None
    try:
        number = phonenumbers.parse("+" + digits if international else text, None if international else region)
    except NumberParseException:
        return "+" + digits
    fixed = _fixed(number)
    if fixed is number and not phonenumbers.is_possible_number(number):
        return "+" + digits
    return phonenumbers.format_number(fixed, PhoneNumberFormat.E164)


def phone_chat(phone: str) -> str:
    """The phone-number chat id (JID) of an E.164 number: `+5511987654321` → `5511987654321@s.whatsapp.net`."""
    return f"{phone.removeprefix('+')}@s.whatsapp.net"
