"""Spanish: every expression family of the parser issue, against a fixed salon "now" (Wednesday 2024-05-15)."""

from __future__ import annotations

from datetime import date, time

import pytest

from booking_bot.domain import Catalog, Expecting, Intent, ParseContext, ParsedMessage
from booking_bot.nlu import parse

from .conftest import TODAY


def p(text: str, catalog: Catalog, expecting: Expecting | None = None, lang: str | None = "es") -> ParsedMessage:
    return parse(text, ParseContext(today=TODAY, now=time(10, 0), timezone="Europe/Madrid", expecting=expecting,
                                    lang=lang), catalog)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoy", date(2024, 5, 15)),
        ("mañana por la tarde", date(2024, 5, 16)),
        ("pasado mañana", date(2024, 5, 17)),
        ("el viernes", date(2024, 5, 17)),
        ("para el viernes", date(2024, 5, 17)),
        ("este miércoles", date(2024, 5, 15)),  # "this <weekday>" is today when today is that day
        ("el próximo martes", date(2024, 5, 21)),
        ("el martes que viene", date(2024, 5, 21)),
        ("el lunes de la semana que viene", date(2024, 5, 20)),
        ("el 12", date(2024, 6, 12)),  # passed this month: next month
        ("el 20", date(2024, 5, 20)),
        ("el día 25", date(2024, 5, 25)),
        ("10 de marzo", date(2025, 3, 10)),  # passed this year: next year
        ("el primero de junio", date(2024, 6, 1)),
        ("10/06", date(2024, 6, 10)),  # day first
        ("en 3 días", date(2024, 5, 18)),
        ("dentro de una semana", date(2024, 5, 22)),
        ("sabado", date(2024, 5, 18)),  # without the accent
        ("el biernes", None),  # a typo in a weekday is left to stage 2, not guessed
    ],
)
def test_dates(text: str, expected: date | None, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a las 5 de la tarde", time(17)),
        ("a las 10 y media", time(10, 30)),
        ("a las 10 y cuarto", time(10, 15)),
        ("a las 8 menos cuarto de la mañana", time(7, 45)),
        ("a las 15:00", time(15)),
        ("a las 15h", time(15)),
        ("a las 5", time(17)),  # a bare hour in salon sense
        ("a la una", time(13)),
        ("a las 9 de la noche", time(21)),
        ("al mediodía", time(12)),
        ("7:30pm", time(19, 30)),
        ("730pm", time(19, 30)),
    ],
)
def test_times(text: str, expected: time, catalog: Catalog) -> None:
    assert p(text, catalog).time == expected


def test_in_an_hour_uses_the_salon_now(catalog: Catalog) -> None:
    got = p("en una hora", catalog)
    assert (got.date, got.time) == (TODAY, time(11))
    assert p("dentro de media hora", catalog).time == time(10, 30)


def test_parts_of_the_day_are_windows_not_times(catalog: Catalog) -> None:
    got = p("mañana por la tarde", catalog)
    assert got.time is None and got.window is not None
    assert (got.window.start, got.window.end) == (time(12), time(19))
    after = p("después de las 5", catalog)
    assert after.time is None and after.window is not None and after.window.start == time(17)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("esta semana", date(2024, 5, 15), date(2024, 5, 19)),
        ("la semana que viene", date(2024, 5, 20), date(2024, 5, 26)),
        ("el fin de semana", date(2024, 5, 18), date(2024, 5, 19)),
        ("el mes que viene", date(2024, 6, 1), date(2024, 6, 30)),
        ("en junio", date(2024, 6, 1), date(2024, 6, 30)),
    ],
)
def test_periods(text: str, start: date, end: date, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None and got.period is not None
    assert (got.period.start, got.period.end) == (start, end)


def test_recurrence_is_not_one_day(catalog: Catalog) -> None:
    got = p("todos los lunes a las 5", catalog)
    assert got.recurring and got.date is None and "recurring" in got.reasons and got.unsure


def test_negation_and_correction(catalog: Catalog) -> None:
    got = p("no el viernes, el sábado", catalog)
    assert got.date == date(2024, 5, 18) and got.negated_date == date(2024, 5, 17)
    assert p("no, mejor a las 5 de la tarde", catalog).time == time(17)


@pytest.mark.parametrize(
    ("text", "expecting", "intent"),
    [
        ("sí", Expecting.CONFIRM, Intent.AFFIRM),
        ("vale", Expecting.CONFIRM, Intent.AFFIRM),
        ("claro", Expecting.CONFIRM, Intent.AFFIRM),
        ("de acuerdo", Expecting.CONFIRM, Intent.AFFIRM),
        ("no", Expecting.CONFIRM, Intent.DENY),
        ("no, gracias", Expecting.CONFIRM, Intent.DENY),
        ("quiero reservar un corte de pelo", None, Intent.BOOK),
        ("¿tenéis hueco el viernes?", None, Intent.AVAILABILITY),
        ("¿cuánto cuesta la manicura?", None, Intent.PRICES),
        ("quiero cancelar mi cita", None, Intent.CANCEL),
        ("¿puedo cambiar mi cita al jueves?", None, Intent.RESCHEDULE),
        ("¿cuándo es mi cita?", None, Intent.MY_BOOKINGS),
        ("¿cuál es la dirección?", None, Intent.INFO),
        ("¿hay otra hora?", Expecting.CHOICE, Intent.ALTERNATIVES),
        ("quiero hablar con una persona", None, Intent.HANDOFF),
        ("hola", None, Intent.GREET),
        ("muchas gracias", None, Intent.THANKS),
        ("adiós", None, Intent.GOODBYE),
    ],
)
def test_intents(text: str, expecting: Expecting | None, intent: Intent, catalog: Catalog) -> None:
    assert p(text, catalog, expecting).intent is intent


def test_choice(catalog: Catalog) -> None:
    assert p("la segunda", catalog, Expecting.CHOICE).choice == 2
    assert p("la última", catalog, Expecting.CHOICE).choice == -1


def test_catalog_with_spanish_alias(catalog: Catalog) -> None:
    assert p("quiero un corte de pelo con Olga", catalog).service_id == "Women's haircut"
    assert p("con Olga", catalog).staff_id == "Olga"


def test_es_is_complete_not_flagged(catalog: Catalog) -> None:
    got = p("quiero reservar el viernes a las 5 de la tarde", catalog, lang=None)
    assert got.lang == "es" and not got.unsure and got.reasons == ()
