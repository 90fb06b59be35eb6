"""Language per message, with the conversation's language as the prior for short messages."""

from __future__ import annotations

import pytest

from booking_bot.nlu.lang import detect_language
from booking_bot.nlu.normalize import fold


@pytest.mark.parametrize(
    ("text", "prior", "expected"),
    [
        ("да", None, "ru"),
        ("да", "en", "ru"),
        ("sim", None, "pt"),
        ("sim", "es", "pt"),
        ("vale", None, "es"),
        ("ok", "ru", "ru"),  # says nothing: the conversation's language
        ("ok", "pt", "pt"),
        ("ok", None, "en"),
        ("claro", "pt", "pt"),  # es and pt share it: the prior decides
        ("claro", "es", "es"),
        ("👍", "es", "es"),
        ("10:30", "pt", "pt"),
        ("yes please", "es", "en"),
        ("quero marcar amanhã", "es", "pt"),
        ("quiero reservar mañana", "pt", "es"),
        ("Can I book for tomorrow?", None, "en"),
        ("запишите меня на завтра", "en", "ru"),
        # regression: the answer "manicure" in an English conversation was read as Portuguese (reply in pt)
        ("manicure", "en", "en"),
        ("manicure", None, "en"),
    ],
)
def test_detect(text: str, prior: str | None, expected: str) -> None:
    assert detect_language(fold(text), prior) == expected
