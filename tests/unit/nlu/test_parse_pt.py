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
        ("meio dia e meia", time(12, 30)),
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


def on_monday(text: str, catalog: Catalog, expecting: Expecting | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=date(2026, 3, 2), expecting=expecting, lang="pt"), catalog)  # a Monday


@pytest.mark.parametrize(
    "text",
    [
        "não essa sexta, a sexta-feira que vem",
        "não essa sexta, a próxima",
        "sobrancelha na sexta, mas não essa sexta, a seguinte",
        "quero marcar corte masculino, não essa sexta, a outra",
    ],
)
def test_not_this_friday_but_the_next_one_is_not_this_friday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert (got.date, got.negated_date) == (date(2024, 5, 24), date(2024, 5, 17))


@pytest.mark.parametrize("text", ["semana que vem", "queria marcar uma progressiva pra semana q vem"])
def test_next_week_alone_is_a_week_not_its_monday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None
    assert got.period is not None and (got.period.start, got.period.end) == (date(2024, 5, 20), date(2024, 5, 26))


@pytest.mark.parametrize("text", ["quarta da semana que vem", "na quarta da próxima semana", "qua da semana q vem"])
def test_a_weekday_of_next_week_is_not_this_weeks(text: str, catalog: Catalog) -> None:
    assert on_monday(text, catalog).date == date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("amnh 14h", date(2024, 5, 16)),
        ("confirma meu horário de amanhã pfv", date(2024, 5, 16)),
        ("hj as 18h", date(2024, 5, 15)),
        ("marcar corte dps de amanha de manha", date(2024, 5, 17)),
        ("posso ir amanhã em vez de hoje?", date(2024, 5, 16)),
        ("queria marcar as unhas pra 4a feira", date(2024, 5, 22)),
        ("sabadoo", date(2024, 5, 18)),
        ("12 de março", date(2025, 3, 12)),
    ],
)
def test_slang_and_spellings_are_days(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expecting", "expected"),
    [
        ("marca p mim na qui as 16h", None, date(2024, 5, 16)),
        ("sáb 10h barba", None, date(2024, 5, 18)),
        ("na sex", None, date(2024, 5, 17)),
        ("qua 15h pode ser?", None, date(2024, 5, 22)),
        ("ter 15h", None, date(2024, 5, 21)),
        ("seg", Expecting.DATE, date(2024, 5, 20)),
        ("dom", Expecting.DATE, date(2024, 5, 19)),
    ],
)
def test_weekday_abbreviations_are_days(
    text: str, expecting: Expecting | None, expected: date, catalog: Catalog
) -> None:
    assert p(text, catalog, expecting).date == expected


@pytest.mark.parametrize("text", ["vou ter que cancelar", "sex", "qnt ta o corte hj em dia?", "tem de ser num sábado"])
def test_words_that_only_look_like_a_day_are_no_day(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date is None


def test_segunda_at_the_end_is_monday_unless_it_picks_the_second(catalog: Catalog) -> None:
    assert p("queria marcar a manutenção do gel da unha segunda", catalog).date == date(2024, 5, 20)
    assert p("quero a segunda", catalog, Expecting.CHOICE).date is None
    assert p("la segunda", catalog, Expecting.CHOICE).date is None


@pytest.mark.parametrize(
    ("text", "expecting", "expected"),
    [
        ("hj as 18h", None, time(18)),
        ("às 18h30", None, time(18, 30)),
        ("pode ser 18hrs", None, time(18)),
        ("quinze pras cinco", Expecting.TIME, time(16, 45)),
        ("onze horas", Expecting.TIME, time(11)),
        ("vinte e cinco para as 5", None, time(16, 35)),
        ("Ao meio-dia e meia dá?", Expecting.TIME, time(12, 30)),
        ("prefiro o das 5", Expecting.CHOICE, time(17)),
        ("ao invés das 15h pode ser 17h?", None, time(17)),
        ("posso mudar para as 17h30 em vez das 16h?", None, time(17, 30)),
    ],
)
def test_clock_times_as_chats_write_them(
    text: str, expecting: Expecting | None, expected: time, catalog: Catalog
) -> None:
    assert p(text, catalog, expecting).time == expected


@pytest.mark.parametrize(
    "text",
    [
        "meu horário é às 15h ou 16h? esqueci",
        "Quanto custa uma massagem de uma hora?",
        "obrigada, vc é um anjo",
        "quanto ta a manicure e a pedicure? as duas juntas tem desconto?",
    ],
)
def test_alternatives_durations_and_numerals_are_no_clock_time(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).time is None


def test_two_days_offered_as_alternatives_are_no_day(catalog: Catalog) -> None:
    assert p("não lembro se marquei pra sexta ou sábado kkk", catalog).date is None
