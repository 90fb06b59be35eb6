"""Intent signals for requests said without their usual words: a move with another verb ('put my pedicure on…',
'muévemela', 'поменяйте запись'), a question about the salon, one's own bookings, a person to write back, and a
booking without a booking verb ('could i get my brows done', 'me da hora', '¿se puede?')."""

from __future__ import annotations

import pytest

from booking_bot.domain import Catalog, Intent, ParseContext
from booking_bot.nlu import parse
from booking_bot.nlu.intents import signals_of
from booking_bot.nlu.normalize import fold

from .conftest import TODAY


@pytest.mark.parametrize(
    ("text", "lang", "signal"),
    [
        ("could you put my pedicure on saturday", "en", "reschedule"),
        ("switch my colour appointment to friday", "en", "reschedule"),
        ("muévemela al jueves", "es", "reschedule"),
        ("pásalo a las 6 del lunes", "es", "reschedule"),
        ("поменяйте мою запись на среду", "ru", "reschedule"),
        ("расскажите немного про ваш салон", "ru", "info"),
        ("háblame de vuestro salón", "es", "info"),
        ("me fala sobre o salão", "pt", "info"),
        ("remind me when my appointments are", "en", "my_bookings"),
        ("¿me recuerdas qué reservas tengo?", "es", "my_bookings"),
        ("eu já tenho algo agendado?", "pt", "my_bookings"),
        ("напомните, когда я записана", "ru", "my_bookings"),
        ("could somebody from the salon text me", "en", "handoff"),
        ("quiero que alguien me escriba, no un bot", "es", "handoff"),
        ("alguém pode me responder por aqui?", "pt", "handoff"),
        ("может кто-то из сотрудников мне ответить?", "ru", "handoff"),
        ("could i get my brows done saturday?", "en", "book"),
        ("¿me da hora con marta?", "es", "book"),
        ("¿el jueves se podría?", "es", "book"),
    ],
)
def test_signal_of_a_request_in_other_words(text: str, lang: str, signal: str) -> None:
    assert signal in signals_of(fold(text), lang)


@pytest.mark.parametrize(
    "text",
    ["put my son down for a haircut on friday", "put my name down for saturday", "me fala do preço do corte"],
)
def test_no_move_nor_salon_question_read_into_other_requests(text: str) -> None:
    lang = "pt" if text.startswith("me fala") else "en"
    found = signals_of(fold(text), lang)
    assert "reschedule" not in found and "info" not in found


def test_getting_ones_nails_done_is_never_a_sure_salon_question(catalog: Catalog) -> None:
    parsed = parse("could i get my nails done next week?", ParseContext(today=TODAY), catalog)
    assert not (parsed.intent is Intent.INFO and not parsed.unsure)
