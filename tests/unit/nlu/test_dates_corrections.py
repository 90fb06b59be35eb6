"""How one message's several days and times resolve to the one asked for, in every language: a day taken back for
another ("el jueves no, el viernes"), a reason said after the request ("on Friday because Thursday I work"), a
weekday dated by its number ("martes 29"), a weekday inside the week said before it ("next week, Tuesday"), the
day moved from and the day moved to, English days inside another language, and voice fillers ("eh")."""

from __future__ import annotations

from datetime import date, time

import pytest

from booking_bot.domain import Catalog, ParseContext, ParsedMessage
from booking_bot.nlu import parse

from .conftest import TODAY  # Wednesday 15 May 2024

THU, FRI, SAT, NEXT_TUE = date(2024, 5, 16), date(2024, 5, 17), date(2024, 5, 18), date(2024, 5, 21)


def p(text: str, catalog: Catalog, lang: str) -> ParsedMessage:
    return parse(text, ParseContext(today=TODAY, lang=lang), catalog)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "thursday no friday"), ("en", "thursday, no, friday please"), ("en", "thursday sorry i mean friday"),
     ("ru", "в четверг, нет, в пятницу"), ("ru", "в четверг ой нет в пятницу"), ("ru", "в четверг, точнее в пятницу"),
     ("pt", "quinta não, sexta"), ("pt", "na quinta, quer dizer, na sexta"), ("pt", "quinta ou melhor sexta"),
     ("es", "el jueves no, el viernes"), ("es", "el jueves no el viernes mejor"),
     ("es", "el jueves, digo, el viernes")],
)  # fmt: skip
def test_a_day_taken_back_gives_way_to_the_one_said_instead(lang: str, text: str, catalog: Catalog) -> None:
    parsed = p(text, catalog, lang)
    assert (parsed.date, parsed.negated_date) == (FRI, THU)


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "thursday, not friday"), ("pt", "quinta, não sexta"), ("ru", "в четверг, не в пятницу")]
)
def test_a_day_contrasted_with_another_is_kept(lang: str, text: str, catalog: Catalog) -> None:
    parsed = p(text, catalog, lang)
    assert (parsed.date, parsed.negated_date) == (THU, FRI)


def test_a_time_taken_back_gives_way_too(catalog: Catalog) -> None:
    assert p("a las 5 no, a las 6", catalog, "es").time == time(18)
    assert p("at 3 no sorry at 4", catalog, "en").time == time(16)


def test_the_same_day_said_again_is_not_moved_a_week(catalog: Catalog) -> None:
    parsed = p("next thursday no sorry thursday next week", catalog, "en")
    assert parsed.date == date(2024, 5, 23)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "friday please because thursday i'm at work"), ("ru", "в пятницу, потому что в четверг я на работе"),
     ("pt", "sexta, porque quinta eu trabalho"), ("es", "el viernes, porque el jueves trabajo")],
)  # fmt: skip
def test_a_day_named_in_the_reason_is_not_the_day_asked_for(lang: str, text: str, catalog: Catalog) -> None:
    assert p(text, catalog, lang).date == FRI


def test_a_reason_alone_still_names_its_day(catalog: Catalog) -> None:
    assert p("porque mañana no puedo, cancela", catalog, "es").date == THU  # the day of the visit cancelled


@pytest.mark.parametrize(
    ("lang", "text", "day"),
    [("es", "del martes 21 al miércoles 22", date(2024, 5, 22)), ("pt", "pode ser sexta dia 24?", date(2024, 5, 24)),
     ("ru", "в пятницу 24-го", date(2024, 5, 24)), ("es", "el viernes 24 a las 5", date(2024, 5, 24))],
)  # fmt: skip
def test_a_weekday_with_its_day_of_month_is_that_date(lang: str, text: str, day: date, catalog: Catalog) -> None:
    assert p(text, catalog, lang).date == day


def test_a_weekday_whose_number_is_another_weekday_stays_the_weekday(catalog: Catalog) -> None:
    assert p("el viernes 23", catalog, "es").date == FRI  # the 23rd is a Thursday


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "next week, tuesday if possible"), ("ru", "на следующей неделе, во вторник"),
     ("pt", "semana que vem, na terça"), ("es", "la semana que viene, el martes")],
)  # fmt: skip
def test_a_weekday_said_after_next_week_is_in_next_week(lang: str, text: str, catalog: Catalog) -> None:
    parsed = p(text, catalog, lang)
    assert (parsed.date, parsed.period) == (NEXT_TUE, None)


def test_a_weekday_after_a_refused_week_is_in_the_week_after(catalog: Catalog) -> None:
    assert p("не на этой неделе, а в четверг", catalog, "ru").date == date(2024, 5, 23)


def test_the_weekday_of_next_week_said_after_the_weekday(catalog: Catalog) -> None:
    assert p("pal jueves en la tarde, pero el de la semana que viene, no este", catalog, "es").date == date(2024, 5, 23)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("es", "cámbiame la cita de mañana para el viernes"), ("es", "pasame el turno del jueves al viernes"),
     ("pt", "muda meu horário de amanhã pra sexta"), ("en", "move my nails from tomorrow to friday")],
)  # fmt: skip
def test_a_move_names_the_day_moved_to_not_the_day_moved_from(lang: str, text: str, catalog: Catalog) -> None:
    parsed = p(text, catalog, lang)
    assert (parsed.date, parsed.negated_date) == (FRI, THU)


@pytest.mark.parametrize(
    ("lang", "text", "day"),
    [("ru", "можно на маник tomorrow в 5?", THU), ("es", "hoy no, tomorrow", THU), ("pt", "tem vaga today?", TODAY)],
)
def test_english_days_inside_another_language_are_read(lang: str, text: str, day: date, catalog: Catalog) -> None:
    assert p(text, catalog, lang).date == day


def test_voice_fillers_do_not_hide_a_correction(catalog: Catalog) -> None:
    parsed = p("eh quería cita el jueves eh no el viernes eh a las cuatro", catalog, "es")
    assert (parsed.date, parsed.time) == (FRI, time(16))


@pytest.mark.parametrize(("lang", "text"), [("es", "para el sabdo"), ("pt", "no sabdo de manhã")])
def test_a_five_letter_slip_of_a_weekday_is_the_weekday(lang: str, text: str, catalog: Catalog) -> None:
    assert p(text, catalog, lang).date == SAT
