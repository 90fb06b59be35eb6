"""Catalog names in real WhatsApp messages: what customers call a service, typos, inflections, and words that are
something else (a month, a common word) never read as a master or a service."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from booking_bot.domain import Catalog, ParseContext
from booking_bot.nlu import catalog_from_json, parse
from booking_bot.nlu.catalog import index_for
from booking_bot.nlu.normalize import fold

CORPUS_CATALOG = Path(__file__).resolve().parents[3] / "booking_bot" / "nlu" / "corpus" / "catalog.json"


@pytest.fixture(scope="module")
def salon() -> Catalog:
    return catalog_from_json(json.loads(CORPUS_CATALOG.read_text(encoding="utf-8")))


def names(text: str, catalog: Catalog) -> tuple[str | None, str | None]:
    parsed = parse(text, ParseContext(today=date(2026, 3, 2), timezone="Europe/Moscow"), catalog)
    by_id = {e.id: e.name for e in (*catalog.services, *catalog.staff)}
    return by_id.get(parsed.service_id or ""), by_id.get(parsed.staff_id or "")


@pytest.mark.parametrize(
    "text",
    ["12 марта", "на 12 марта есть окна?", "вы работаете 8 марта?", "в марте есть места?", "не на март, на апрель",
     "tenía cita el 12 de marzo", "dia 10 de março", "quiero cita para julio", "en julio", "el 3 de mayo", "may i come",
     "in May please", "julho"],
)  # fmt: skip
def test_a_month_is_not_a_master(text: str, salon: Catalog) -> None:
    assert names(text, salon)[1] is None


@pytest.mark.parametrize(
    ("text", "staff"),
    [("к Марте на субботу", "Marta"), ("можно с Ольги на Марту переписаться?", "Marta"), ("Marta", "Marta"),
     ("с Мартой", "Marta"), ("julia", "Júlia"), ("Júlia", "Júlia"), ("Julia pls", "Júlia"), ("Юлию", "Júlia")],
)  # fmt: skip
def test_a_master_named_like_a_month_is_still_found(text: str, staff: str, salon: Catalog) -> None:
    assert names(text, salon)[1] == staff


@pytest.mark.parametrize(
    ("text", "service"),
    [("corte de pelo de mujer", "Women's haircut"), ("precio corte mujer", "Women's haircut"),
     ("стрижка мужская", "Men's haircut"), ("на стрижку мужскую хочу", "Men's haircut"),
     ("corte de cabelo masculino", "Men's haircut"), ("haircut for a woman", "Women's haircut"),
     ("haircut for my son", "Kids' haircut"), ("corte pra minha filha de 5 anos", "Kids' haircut"),
     ("ребенка постричь", "Kids' haircut")],
)  # fmt: skip
def test_alias_words_apart_or_in_another_order_still_match(text: str, service: str, salon: Catalog) -> None:
    assert names(text, salon)[0] == service


@pytest.mark.parametrize(
    ("text", "service"),
    [("highlights", "Hair colouring"), ("a colour on friday", "Hair colouring"), ("мелирование", "Hair colouring"),
     ("покраситься", "Hair colouring"), ("mechas", "Hair colouring"), ("pintar o cabelo", "Hair colouring"),
     ("a mani w/ anya", "Manicure"), ("маник к Ане", "Manicure"), ("ноготочки", "Manicure"),
     ("hacerme las manos", "Manicure"), ("pedi", "Pedicure"), ("uñas de los pies", "Pedicure"),
     ("unhas do pé", "Pedicure"), ("a fade", "Men's haircut"), ("degradê", "Men's haircut"),
     ("ladies cut", "Women's haircut"), ("бровки", "Eyebrows"), ("массажик", "Massage"), ("masajito", "Massage")],
)  # fmt: skip
def test_what_customers_call_a_service(text: str, service: str, salon: Catalog) -> None:
    assert names(text, salon)[0] == service


@pytest.mark.parametrize(
    ("text", "service", "staff"),
    [("окрашиванние", "Hair colouring", None), ("маникур", "Manicure", None), ("педикур", "Pedicure", None),
     ("sobrancelhas", "Eyebrows", None), ("manicura", "Manicure", None), ("pedicura", "Pedicure", None),
     ("colouring", "Hair colouring", None), ("coloring", "Hair colouring", None), ("на массажж", "Massage", None),
     ("окрашиванием", "Hair colouring", None), ("annа", None, "Anna"), ("Бари", None, "Bari"), ("Bari", None, "Bari"),
     ("бари", None, "Bari"), ("к Ане", None, "Anna"), ("с Аней", None, "Anna"), ("у Ани", None, "Anna"),
     ("у Ольги", None, "Olga"), ("Diego", None, "Diego"), ("Диего", None, "Diego"), ("к Анечке", None, "Anna"),
     ("к Юлечке", None, "Júlia"), ("con anita", None, "Anna"), ("com a olguinha", None, "Olga"), ("olya", None, "Olga"),
     ("juliaaa", None, "Júlia"), ("con ana", None, "Anna"), ("аnna", None, "Anna"), ("к Ольгe", None, "Olga"),
     ("на мaникюр", "Manicure", None)],
)  # fmt: skip
def test_typos_inflections_and_pet_names(text: str, service: str | None, staff: str | None, salon: Catalog) -> None:
    assert names(text, salon) == (service, staff)


@pytest.mark.parametrize(
    "text",
    ["marca pra mim amanhã", "te digo mañana", "muchas gracias", "el lunes abren?", "can anna message me herself?",
     "¿tenéis hueco mañana?", "que calor hace hoy", "prices?", "eres un robot?", "valeu mano", "tá de pé?",
     "tenía cita el viernes", "o meu horário de segunda ainda tá de pé?", "whats the address", "хорошего дня"],
)  # fmt: skip
def test_everyday_words_are_no_name(text: str, salon: Catalog) -> None:
    service, staff = names(text, salon)
    assert (service, staff) == (None, None) or (text.startswith("can anna") and (service, staff) == (None, "Anna"))


@pytest.mark.parametrize(
    ("text", "service", "staff"),
    [("oh wait not mani, pedi", "Pedicure", None), ("нет, не к Ане, а к Оле", None, "Olga"),
     ("marca manicure, digo, pedicure, pra quinta", "Pedicure", None), ("oops i meant Anna not Olga", None, "Anna"),
     ("ops, não é manicure, é pedicure", "Pedicure", None), ("ay no, no es manicura, es pedicura", "Pedicure", None),
     ("dá pra trocar do Diego pro Bari?", None, "Bari"), ("cita con ana, ay no, con olga", None, "Olga"),
     ("please cancel my massage and my pedicure", "Massage", None)],
)  # fmt: skip
def test_a_correction_or_a_move_names_the_one_wanted(
    text: str, service: str | None, staff: str | None, salon: Catalog
) -> None:
    assert names(text, salon) == (service, staff)


@pytest.mark.parametrize("text", ["the other barber not diego", "not with anna", "не к Ане", "não é com a Olga"])
def test_a_refused_master_is_not_the_one_named(text: str, salon: Catalog) -> None:
    assert names(text, salon)[1] is None


def test_portuguese_no_before_a_name_is_no_refusal(salon: Catalog) -> None:
    assert names("minha mae nao vai poder ir no pé dela amanha, desmarca", salon)[0] == "Pedicure"
    assert names("no, era pedicura, no manicura", salon)[0] == "Pedicure"


def test_two_masters_offered_as_alternatives_name_none(salon: Catalog) -> None:
    assert names("¿tengo cita con ana o con olga?", salon)[1] == "Anna"  # Spanish "o" is also the article "o" in pt
    assert names("anna or olga?", salon)[1] is None
    assert names("how much are highlights with júlia vs olga", salon)[1] is None
    assert names("eu marquei pedicure ou manicure?", salon)[0] is None


def test_words_inside_a_date_span_are_skipped(salon: Catalog) -> None:
    index = index_for(salon)
    text = fold("к Марте 12 марта")
    assert index.match(text)[1] is not None
    assert index.match(text, [(0, len(text))])[1] is None
