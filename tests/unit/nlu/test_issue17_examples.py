"""Every example of issue 17 (stage 1 that knows when it is unsure), in its language, through the whole of stage 1
(`parse`: the rules and the shipped intent model), each test named after the misreading it prevents.

The messages are read against the corpus catalog (booking_bot/nlu/corpus/catalog.json: Marta, Bari, Beard trim,
Eyebrows, ...) with the salon's day a Wednesday, both with the conversation's language known and without it.
"""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest

from booking_bot.domain import Catalog, DateRange, Expecting, Intent, ParseContext, ParsedMessage
from booking_bot.nlu import catalog_from_json, parse
from booking_bot.nlu.lang import detect_language
from booking_bot.nlu.normalize import fold

CORPUS = Path(__file__).resolve().parents[3] / "booking_bot" / "nlu" / "corpus"
TODAY = date(2026, 3, 4)  # a Wednesday
PRIORS = pytest.mark.parametrize("known", [True, False], ids=["lang-known", "lang-detected"])


@pytest.fixture(scope="module")
def salon() -> Catalog:
    return catalog_from_json(json.loads((CORPUS / "catalog.json").read_text(encoding="utf-8")))


def read(text: str, salon: Catalog, lang: str | None, expecting: Expecting | None = None) -> ParsedMessage:
    ctx = ParseContext(today=TODAY, timezone="Europe/Moscow", expecting=expecting, lang=lang)
    return parse(text, ctx, salon)


def _ids(cases: list[tuple[str, str]]) -> list[str]:
    return [f"{lang}:{text}" for lang, text in cases]


MY_BOOKINGS = [("ru", "Какие у меня записи?"), ("ru", "проверьте пожалуйста мою запись"),
               ("ru", "у меня есть запись на этой неделе?")]  # fmt: skip
PRICES = [("ru", "скок стоит борода"), ("pt", "qto custa sobrancelha com a Marta"), ("pt", "quanto ta a manicure?")]
INFO = [("ru", "сколько длится окрашиванние?"), ("ru", "до скольки вы сегодня работаете"),
        ("pt", "vcs abrem nesse domingo?")]  # fmt: skip
HANDOFF = [("ru", "хочу поговорить с живым человеком"), ("pt", "me passa pra recepção por favor")]
RESCHEDULE = [
    ("ru", "перенос записи к Бари на 10.03 в 16:30"),
    ("pt", "muda meu horário de amanhã pra depois de amanhã"),
]
GOODBYE = [("ru", "спасибо, до встречи в субботу!"), ("pt", "até sábado então, bjs")]


@pytest.mark.parametrize(("lang", "text"), MY_BOOKINGS, ids=_ids(MY_BOOKINGS))
@PRIORS
def test_a_question_about_ones_bookings_is_not_read_as_a_new_booking(
    lang: str, text: str, known: bool, salon: Catalog
) -> None:
    assert read(text, salon, lang if known else None).intent is Intent.MY_BOOKINGS


@pytest.mark.parametrize(("lang", "text"), PRICES, ids=_ids(PRICES))
@PRIORS
def test_a_price_question_is_not_read_as_a_booking(lang: str, text: str, known: bool, salon: Catalog) -> None:
    assert read(text, salon, lang if known else None).intent is Intent.PRICES


@pytest.mark.parametrize(("lang", "text"), INFO, ids=_ids(INFO))
@PRIORS
def test_a_question_about_the_salon_is_not_read_as_a_booking(lang: str, text: str, known: bool, salon: Catalog) -> None:
    assert read(text, salon, lang if known else None).intent is Intent.INFO


@pytest.mark.parametrize(("lang", "text"), HANDOFF, ids=_ids(HANDOFF))
@PRIORS
def test_asking_for_a_person_is_a_handoff_not_a_booking_or_nothing(
    lang: str, text: str, known: bool, salon: Catalog
) -> None:
    assert read(text, salon, lang if known else None).intent is Intent.HANDOFF


@pytest.mark.parametrize(("lang", "text"), RESCHEDULE, ids=_ids(RESCHEDULE))
@PRIORS
def test_moving_an_appointment_is_not_read_as_a_new_booking(lang: str, text: str, known: bool, salon: Catalog) -> None:
    assert read(text, salon, lang if known else None).intent is Intent.RESCHEDULE


def test_the_move_names_the_new_day_and_time_not_the_old_one(salon: Catalog) -> None:
    moved = read("перенос записи к Бари на 10.03 в 16:30", salon, "ru")
    assert (moved.date, moved.time) == (date(2026, 3, 10), time(16, 30))
    assert moved.staff_id == "Bari"
    assert read("muda meu horário de amanhã pra depois de amanhã", salon, "pt").date == date(2026, 3, 6)


@pytest.mark.parametrize(("lang", "text"), GOODBYE, ids=_ids(GOODBYE))
@PRIORS
def test_a_farewell_is_not_read_as_a_booking(lang: str, text: str, known: bool, salon: Catalog) -> None:
    assert read(text, salon, lang if known else None).intent in {Intent.GOODBYE, Intent.THANKS}


@PRIORS
def test_good_morning_is_a_greeting_not_a_booking(known: bool, salon: Catalog) -> None:
    assert read("доброе утро", salon, "ru" if known else None).intent is Intent.GREET


@pytest.mark.parametrize(
    ("lang", "text"), [("ru", "в эту пятницу не, давайте в следующую"), ("pt", "não essa sexta, a sexta-feira que vem")]
)
def test_this_friday_refused_is_not_the_friday_chosen(lang: str, text: str, salon: Catalog) -> None:
    parsed = read(text, salon, lang)
    assert parsed.date == date(2026, 3, 13)  # the Friday after this week's (6 March)
    assert parsed.negated_date == date(2026, 3, 6)


@pytest.mark.parametrize(("lang", "text"), [("ru", "на следующей неделе"), ("pt", "semana que vem")])
def test_a_week_is_no_day_it_is_searched_whole(lang: str, text: str, salon: Catalog) -> None:
    parsed = read(text, salon, lang)
    assert parsed.date is None  # not next Monday
    assert parsed.period == DateRange(start=date(2026, 3, 9), end=date(2026, 3, 15))


@pytest.mark.parametrize(
    ("lang", "text", "day", "at"),
    [("ru", "севодня", date(2026, 3, 4), None), ("ru", "хочу на маникюр в пн в 19.00", date(2026, 3, 9), time(19)),
     ("pt", "hj as 18h", date(2026, 3, 4), time(18)), ("pt", "amanha", date(2026, 3, 5), None)],
)  # fmt: skip
def test_misspelt_and_abbreviated_days_and_times_are_not_missed(
    lang: str, text: str, day: date, at: time | None, salon: Catalog
) -> None:
    parsed = read(text, salon, lang)
    assert (parsed.date, parsed.time) == (day, at)


def test_a_womans_haircut_in_other_words_is_the_salons_corte_de_senora() -> None:
    spanish = catalog_from_json({"services": [{"name": "Corte de señora"}, {"name": "Corte de caballero"}]})
    parsed = read("quiero un corte de pelo de mujer el viernes", spanish, "es")
    assert parsed.service_id == "Corte de señora"


@pytest.mark.parametrize("text", ["fechado!", "dia 12", "me passa pra recepção"])
def test_short_portuguese_is_not_read_as_spanish_or_english(text: str, salon: Catalog) -> None:
    assert detect_language(fold(text), None, text) == "pt"
    assert read(text, salon, None).lang == "pt"


@pytest.mark.parametrize(("lang", "text"), [("pt", "ok"), ("pt", "10:30"), ("es", "👍"), ("pt", "no"), ("ru", "ok")])
def test_the_conversations_language_carries_a_short_reply(lang: str, text: str, salon: Catalog) -> None:
    assert read(text, salon, lang, Expecting.CONFIRM).lang == lang


def test_the_month_in_12_marta_is_no_master_named_marta(salon: Catalog) -> None:
    parsed = read("хочу на маникюр 12 марта", salon, "ru")
    assert parsed.staff_id is None
    assert parsed.date == date(2026, 3, 12)


@pytest.mark.parametrize("expecting", [Expecting.TIME, Expecting.CONFIRM, Expecting.CHOICE, Expecting.DATE])
@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "hmm purple elephants"), ("en", "why is the sky blue"), ("ru", "хм фиолетовые слоны"),
     ("ru", "почему небо голубое"), ("pt", "hmm elefantes roxos"), ("pt", "por que o céu é azul"),
     ("es", "mmm elefantes morados"), ("es", "por qué el cielo es azul")],
)  # fmt: skip
def test_an_off_topic_reply_is_not_taken_as_a_sure_answer_to_the_question(
    lang: str, text: str, expecting: Expecting, salon: Catalog
) -> None:
    """While the bot waits for a time or a yes, nonsense is neither a sure booking nor a sure yes or no (these lines
    are in no training file)."""
    parsed = read(text, salon, lang, expecting)
    assert parsed.intent is Intent.OTHER or parsed.unsure
