"""Days and parts of the day said in words: ru ordinal days with a month, the pt bare weekday "segunda" against
"the second", the late-afternoon windows (es "a última hora", pt "no fim da tarde", en "late afternoon")."""

from __future__ import annotations

from datetime import date, time

import pytest

from booking_bot.domain import Catalog, Expecting, ParseContext, ParsedMessage
from booking_bot.nlu import parse

from .conftest import TODAY  # Wednesday, 15 May 2024


def p(text: str, catalog: Catalog, expecting: Expecting | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=TODAY, expecting=expecting), catalog)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("педикюр тринадцатого мая", date(2024, 5, 13)),  # passed: read as said, the dialogue refuses it
        ("запишите на двадцать первое июня", date(2024, 6, 21)),
        ("к седьмому июня успеете?", date(2024, 6, 7)),
        ("тридцать первого мая после обеда", date(2024, 5, 31)),
        ("в пятницу к пятому часу", date(2024, 5, 17)),  # "к пятому часу" is an hour, not the 5th
    ],
)
def test_ru_ordinal_day_with_a_month_is_that_day(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    "text", ["pedicure segunda ok?", "acho que segunda fica melhor pra mim", "corte segunda, pode ser?"]
)
def test_pt_bare_segunda_in_a_booking_is_monday(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date == date(2024, 5, 20)


@pytest.mark.parametrize(
    ("text", "expecting"),
    [
        ("a segunda", Expecting.CHOICE),
        ("quero a segunda", None),
        ("é minha segunda vez aqui", None),
        ("segunda opção", None),
    ],
)
def test_pt_segunda_as_the_second_is_no_day(text: str, expecting: Expecting | None, catalog: Catalog) -> None:
    assert p(text, catalog, expecting).date is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("pedicura el jueves a última hora", time(17, 0)),
        ("¿hay algo a última hora de la tarde?", time(17, 0)),
        ("no finalzinho da tarde dá?", time(16, 0)),
        ("sobrancelha sexta no fim da tarde", time(16, 0)),
        ("late afternoon on friday works", time(16, 0)),
        ("friday, early afternoon", time(12, 0)),
    ],
)
def test_late_afternoon_is_the_days_last_times(text: str, start: time, catalog: Catalog) -> None:
    window = p(text, catalog).window
    assert window is not None and window.start == start


def test_a_last_minute_appointment_is_no_window(catalog: Catalog) -> None:
    assert p("¿aceptáis citas de última hora?", catalog).window is None
