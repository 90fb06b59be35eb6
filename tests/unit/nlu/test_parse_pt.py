"""Portuguese (pt-BR): every expression family of the parser issue, against a fixed salon "now" (Wed 2024-05-15)."""

from __future__ import annotations

from datetime import date, time

import pytest

from booking_bot.domain import Catalog, Expecting, Intent, ParseContext, ParsedMessage
from booking_bot.nlu import parse

from .conftest import TODAY


def p(text: str, catalog: Catalog, expecting: Expecting | None = None, lang: str | None = "pt") -> ParsedMessage:
    return parse(text, ParseContext(today=TODAY, now=time(10, 0), timezone="America/Sao_Paulo",
                                    expecting=expecting, lang=lang), catalog)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoje", date(2024, 5, 15)),
        ("amanhã", date(2024, 5, 16)),
        ("amanha", date(2024, 5, 16)),  # without the accent
        ("depois de amanhã", date(2024, 5, 17)),
        ("sexta", date(2024, 5, 17)),
        ("na sexta-feira", date(2024, 5, 17)),
        ("nesta quarta", date(2024, 5, 15)),
        ("próxima terça", date(2024, 5, 21)),
        ("sexta que vem", date(2024, 5, 17)),
        ("segunda às 10", date(2024, 5, 20)),
        ("na segunda", date(2024, 5, 20)),
        ("dia 12", date(2024, 6, 12)),  # passed this month: next month
        ("no dia 20", date(2024, 5, 20)),
        ("12 de março", date(2025, 3, 12)),
        ("10/06", date(2024, 6, 10)),  # day first
        ("daqui a 2 dias", date(2024, 5, 17)),
        ("daqui a uma semana", date(2024, 5, 22)),
        ("em 3 dias", date(2024, 5, 18)),
    ],
)
def test_dates(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


def test_segunda_as_the_second_option_is_not_monday(catalog: Catalog) -> None:
    got = p("a segunda opção", catalog, Expecting.CHOICE)
    assert got.date is None and got.choice == 2
    assert p("a última", catalog, Expecting.CHOICE).choice == -1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("às 15h", time(15)),
        ("as 15h30", time(15, 30)),
        ("15:00", time(15)),
        ("3 da tarde", time(15)),
        ("às 3 da tarde", time(15)),
        ("às 9 da manhã", time(9)),
        ("às 8 da noite", time(20)),
        ("meio-dia", time(12)),
        ("meio dia e meia", time(12)),
        ("às 10 e meia", time(10, 30)),
        ("quinze para as 11", time(10, 45)),
        ("às 5", time(17)),  # a bare hour in salon sense
        ("à uma", time(13)),
    ],
)
def test_times(text: str, expected: time, catalog: Catalog) -> None:
    assert p(text, catalog).time == expected


def test_numbers_that_are_not_times(catalog: Catalog) -> None:
    got = p("somos 2 pessoas", catalog)
    assert got.time is None and got.date is None


def test_in_an_hour_uses_the_salon_now(catalog: Catalog) -> None:
    got = p("daqui a uma hora", catalog)
    assert (got.date, got.time) == (TODAY, time(11))


def test_windows(catalog: Catalog) -> None:
    got = p("hoje à noite", catalog)
    assert got.date == TODAY and got.time is None and got.window is not None
    after = p("depois das 5", catalog)
    assert after.time is None and after.window is not None and after.window.start == time(17)
    assert p("de manhã", catalog).window is not None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("esta semana", date(2024, 5, 15), date(2024, 5, 19)),
        ("semana que vem", date(2024, 5, 20), date(2024, 5, 26)),
        ("no fim de semana", date(2024, 5, 18), date(2024, 5, 19)),
        ("mês que vem", date(2024, 6, 1), date(2024, 6, 30)),
    ],
)
def test_periods(text: str, start: date, end: date, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.period is not None and (got.period.start, got.period.end) == (start, end)


def test_recurrence(catalog: Catalog) -> None:
    got = p("toda sexta às 10", catalog)
    assert got.recurring and got.date is None


def test_negation_and_correction(catalog: Catalog) -> None:
    got = p("não amanhã, mas sábado", catalog)
    assert got.date == date(2024, 5, 18) and got.negated_date == date(2024, 5, 16)


@pytest.mark.parametrize(
    ("text", "expecting", "intent"),
    [
        ("sim", Expecting.CONFIRM, Intent.AFFIRM),
        ("pode ser", Expecting.CONFIRM, Intent.AFFIRM),
        ("beleza", Expecting.CONFIRM, Intent.AFFIRM),
        ("claro", Expecting.CONFIRM, Intent.AFFIRM),
        ("não", Expecting.CONFIRM, Intent.DENY),
        ("nao, obrigado", Expecting.CONFIRM, Intent.DENY),
        ("quero marcar um corte", None, Intent.BOOK),
        ("quanto custa a manicure?", None, Intent.PRICES),
        ("quero cancelar meu horário", None, Intent.CANCEL),
        ("preciso remarcar", None, Intent.RESCHEDULE),
        ("qual o endereço?", None, Intent.INFO),
        ("tem outro horário?", Expecting.CHOICE, Intent.ALTERNATIVES),
        ("quero falar com uma pessoa", None, Intent.HANDOFF),
        ("oi", None, Intent.GREET),
        ("obrigada", None, Intent.THANKS),
        ("tchau", None, Intent.GOODBYE),
    ],
)
def test_intents(text: str, expecting: Expecting | None, intent: Intent, catalog: Catalog) -> None:
    assert p(text, catalog, expecting).intent is intent


def test_catalog_alias_and_accents(catalog: Catalog) -> None:
    assert p("quero fazer as unhas", catalog).service_id == "Manicure"
    joao = catalog.model_copy(
        update={"staff": (*catalog.staff, catalog.staff[0].model_copy(update={"id": "joao", "name": "João"}))}
    )
    assert p("com o Joao amanhã", joao).staff_id == "joao"
    assert p("com o João amanhã", joao).staff_id == "joao"
    assert p("com o Joaao amanhã", joao).staff_id is None  # typos are matched from five letters on only


def test_pt_is_complete_not_flagged(catalog: Catalog) -> None:
    got = p("quero marcar na sexta às 15h", catalog, lang=None)
    assert got.lang == "pt" and not got.unsure and got.reasons == ()
