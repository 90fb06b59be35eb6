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


@pytest.mark.parametrize(
    "text", ["fechado!", "dia 12", "me passa pra recepção", "blz", "bora", "vlw", "obg", "hj", "kkkkkk", "siiim"]
)
def test_short_portuguese_is_not_read_as_spanish_or_english(text: str) -> None:
    assert detect_language(fold(text), None, text) == "pt"


@pytest.mark.parametrize(
    ("text", "prior"),
    [("ok", "pt"), ("👍", "es"), ("10:30", "pt"), ("sí", "pt"), ("si", "pt"), ("yes", "es"), ("no", "pt"),
     ("no", "es"), ("ok", "ru"), ("yes", "ru"), ("diego", "es"), ("Olga pfv", "pt"), ("17h", "es"), ("thanks!", "es"),
     ("la segunda", "es"), ("a segunda", "pt"), ("no, espera", "es"), ("nos vemos", "es")],
)  # fmt: skip
def test_the_conversation_language_carries_short_or_neutral_replies(text: str, prior: str) -> None:
    assert detect_language(fold(text), prior, text) == prior


@pytest.mark.parametrize(
    ("text", "prior", "expected"),
    [("quiero reservar mañana", "pt", "es"), ("quero marcar amanhã", "es", "pt"),
     ("¿tienes hueco el martes?", "pt", "es"),
     ("você tem horário amanhã?", "es", "pt"), ("can I book for tomorrow please", "es", "en"),
     ("thank you so much, see you tomorrow", "pt", "en"), ("запишите меня", "pt", "ru"),
     ("obrigada, até amanhã", "es", "pt"), ("muchas gracias, hasta mañana", "pt", "es")],
)  # fmt: skip
def test_a_message_clearly_in_another_language_switches(text: str, prior: str, expected: str) -> None:
    assert detect_language(fold(text), prior, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("jajaja", "es"), ("kkkk", "pt"), ("hahaha", "en"), ("¿tienes hueco?", "es"), ("você pode?", "pt"),
     ("mañana", "es"), ("amanhã", "pt"), ("la primera", "es"), ("a primeira", "pt"), ("me das otras opciones?", "es")],
)  # fmt: skip
def test_letters_laughs_and_words_of_one_language(text: str, expected: str) -> None:
    assert detect_language(fold(text), None, text) == expected
