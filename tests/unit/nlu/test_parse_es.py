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


def on_monday(text: str, catalog: Catalog, expecting: Expecting | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=date(2026, 3, 2), expecting=expecting, lang="es"), catalog)  # a Monday


@pytest.mark.parametrize(
    "text",
    [
        "no este viernes, el siguiente",
        "quiero cita no este viernes sino el siguiente, para uñas",
        "no este viernes, el otro",
        "no este viernes, el viernes que viene",
    ],
)
def test_not_this_friday_but_the_next_one_is_not_this_friday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert (got.date, got.negated_date) == (date(2024, 5, 24), date(2024, 5, 17))


def test_the_other_saturday_is_a_week_after_the_coming_one(catalog: Catalog) -> None:
    assert p("el sábado no, el otro sábado", catalog).date == date(2024, 5, 25)


@pytest.mark.parametrize("text", ["la semana que viene", "tienes hueco la semana q viene?"])
def test_next_week_alone_is_a_week_not_its_monday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None
    assert got.period is not None and (got.period.start, got.period.end) == (date(2024, 5, 20), date(2024, 5, 26))


@pytest.mark.parametrize(
    "text",
    ["el miércoles de la semana que viene", "el mie de la semana q viene", "para el miércoles de la próxima semana"],
)
def test_a_weekday_of_next_week_is_not_this_weeks(text: str, catalog: Catalog) -> None:
    assert on_monday(text, catalog).date == date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cita para cejas mñn a las 11 porfa", date(2024, 5, 16)),
        ("mñana", date(2024, 5, 16)),
        ("cita para arreglar barba mañna", date(2024, 5, 16)),
        ("pasado mñn", date(2024, 5, 17)),
        ("hoyyy", date(2024, 5, 15)),
        ("antes  de ayer", date(2024, 5, 13)),  # two spaces once read as today
        ("me agendas un masaje para pasado mañana en la tarde", date(2024, 5, 17)),
        ("hola cambiar cita al 15 porfa", date(2024, 5, 15)),
        ("se puede cambiar la cita del 20 al 22?", date(2024, 5, 22)),
        ("kiero sita para korte de caballero el vierne", date(2024, 5, 17)),
        ("12 de marzo", date(2025, 3, 12)),
        ("marzo 12 con Marta", date(2025, 3, 12)),
    ],
)
def test_slang_typos_and_day_numbers_are_days(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expecting", "expected"),
    [
        ("el lun a las 5", None, date(2024, 5, 20)),
        ("mar 10:00", None, date(2024, 5, 21)),
        ("el mié", None, date(2024, 5, 22)),
        ("el jue a las 6", None, date(2024, 5, 16)),
        ("me das hora el vie a las 6 y media con bari", None, date(2024, 5, 17)),
        ("cita pedicura sáb 12:30", None, date(2024, 5, 18)),
        ("dom", Expecting.DATE, date(2024, 5, 19)),
    ],
)
def test_weekday_abbreviations_are_days(
    text: str, expecting: Expecting | None, expected: date, catalog: Catalog
) -> None:
    assert p(text, catalog, expecting).date == expected


@pytest.mark.parametrize(
    "text", ["nos vamos al mar", "el mar", "¿su horario de atención de lunes a viernes cuál es?", "dom"]
)
def test_words_that_only_look_like_a_day_are_no_day(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a las 6 y media", time(18, 30)),
        ("el martes 10 de marzo a las 18:00 horas", time(18)),
        ("pásame a las 5 y media porfa, que a las 5 no llego", time(17, 30)),
    ],
)
def test_clock_times_as_chats_write_them(text: str, expected: time, catalog: Catalog) -> None:
    assert p(text, catalog).time == expected


@pytest.mark.parametrize(
    "text",
    [
        "perdona, la cita con marta era a las 5 o a las 6?",
        "corte de mujer para mí y mi hija, las dos",
        "hola, cuánto es el precio de una manicura normal y una semi?",
        "el masaje cuanto esta? y dura 1 h?",
    ],
)
def test_alternatives_durations_and_numerals_are_no_clock_time(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).time is None


@pytest.mark.parametrize(
    ("text", "expected", "negated"),
    [
        ("che me pasas el turno para el sábado? no llego el viernes", date(2024, 5, 18), date(2024, 5, 17)),
        ("al final no puedo el martes 😔 lo cancelamos?", date(2024, 5, 21), None),  # the booking's own day
        ("cualquier día menos el viernes", None, date(2024, 5, 17)),
    ],
)
def test_a_refused_day_gives_way_to_the_other(
    text: str, expected: date | None, negated: date | None, catalog: Catalog
) -> None:
    got = p(text, catalog)
    assert (got.date, got.negated_date) == (expected, negated)


@pytest.mark.parametrize("text", ["el martes o miércoles, me da igual", "mi cita es hoy o mañana? no me acuerdo"])
def test_two_days_offered_as_alternatives_are_no_day(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date is None


@pytest.mark.parametrize("text", ["la 1 porfa", "el 2"])
def test_a_number_picking_from_a_list_is_no_day_or_time(text: str, catalog: Catalog) -> None:
    got = p(text, catalog, Expecting.CHOICE)
    assert (got.date, got.time) == (None, None)
