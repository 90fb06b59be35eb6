"""Relative edits in four languages: what changes the time, the day or the master the conversation already has."""

from __future__ import annotations

from datetime import date

import pytest

from booking_bot.dialogue.turn import parser_catalog
from booking_bot.domain import Edits, ParseContext
from booking_bot.nlu.edits import negated_spans, read_edits
from booking_bot.nlu.normalize import fold
from booking_bot.nlu.parser import parse
from integrations.scheduling.builtin.demo_salon import DEMO_SERVICES, DEMO_STAFF


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("an hour later", 60),
        ("hour later pls", 60),
        ("30 min later", 30),
        ("2 hours earlier", -120),
        ("half an hour earlier", -30),
        ("на час позже", 60),
        ("на полчаса раньше", -30),
        ("можно на 2 часа позже?", 120),
        ("uma hora mais tarde", 60),
        ("meia hora depois", 30),
        ("una hora más tarde", 60),
        ("media hora antes", -30),
        ("¿se puede una hora después?", 60),
        ("30 minutos antes porfa", -30),
    ],
)
def test_an_amount_later_or_earlier_shifts_the_time_in_hand(text: str, minutes: int) -> None:
    assert read_edits(fold(text)).shift_minutes == minutes


@pytest.mark.parametrize(
    "text", ["a bit later", "later pls", "can we do it later", "попозже", "чуть позже можно?", "um pouco mais tarde",
             "mais tarde", "un poco más tarde porfa", "más tarde"]
)  # fmt: skip
def test_a_bit_later_asks_for_later_times_not_a_clock_time(text: str) -> None:
    edits = read_edits(fold(text))
    assert edits.later and not edits.earlier and edits.shift_minutes is None


@pytest.mark.parametrize("text", ["a bit earlier", "пораньше", "раньше нельзя?", "mais cedo", "más temprano"])
def test_a_bit_earlier_asks_for_earlier_times(text: str) -> None:
    edits = read_edits(fold(text))
    assert edits.earlier and not edits.later


@pytest.mark.parametrize(
    "text",
    ["I'll call you later", "see you later", "мб позже напишу", "позже напишу", "más tarde te digo", "no later than 5",
     "earlier than 5", "até mais tarde", "hasta luego"],
)  # fmt: skip
def test_a_later_that_is_not_about_the_appointment_changes_nothing(text: str) -> None:
    assert read_edits(fold(text)) == Edits()


@pytest.mark.parametrize(
    "text", ["same time on friday", "at the same time", "в то же время", "в пятницу в это же время", "o mesmo horário",
             "no mesmo horario sexta", "a la misma hora", "el viernes, mismo horario"]
)  # fmt: skip
def test_same_time_keeps_the_time_for_another_day(text: str) -> None:
    assert read_edits(fold(text)).same_time


@pytest.mark.parametrize(
    "text", ["the other master", "can I have another stylist", "к другому мастеру", "можно к другому?",
             "com outra profissional", "com o outro barbeiro", "con otra chica", "con el otro peluquero"]
)  # fmt: skip
def test_the_other_master_asks_for_anyone_but_the_one_in_hand(text: str) -> None:
    assert read_edits(fold(text)).other_staff


def test_a_plain_request_has_no_edit() -> None:
    assert not read_edits(fold("Хочу на маникюр завтра в 15:00")).any
    assert not read_edits(fold("a haircut tomorrow at 3pm")).any


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Ой нет, не маникюр, а педикюр", "маникюр"),
        ("not with anna but bari", "with anna"),
        ("no manicura sino pedicura", "manicura"),
        ("não manicure, pedicure", "manicure"),
        ("не к Ане, а к Ольге", "к ане"),
    ],
)
def test_not_x_but_y_marks_x_as_the_one_to_drop(text: str, negated: str) -> None:
    folded = fold(text)
    assert [folded[a:b] for a, b in negated_spans(folded)] == [negated]


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("no not the men's haircut, women's haircut", "womens-haircut"),  # "men's" inside "women's"
        ("na verdade não é masculino, é corte feminino", "womens-haircut"),
        ("não quero corte masculino, quero corte feminino", "womens-haircut"),
        ("não quero manicure, quero coloração", "hair-colouring"),
        ("ой нет, не маникюр, а окрашивание", "hair-colouring"),
    ],
)
def test_the_service_asked_for_is_the_one_named_outside_the_refusal(text: str, service: str) -> None:
    catalog = parser_catalog(list(DEMO_SERVICES), list(DEMO_STAFF))
    parsed = parse(text, ParseContext(today=date(2026, 11, 27)), catalog)
    assert parsed.service_id == service
    assert parsed.negated_service_id != service
