from __future__ import annotations

from datetime import date, time

import pytest

from booking_bot.domain import Catalog, Expecting, Intent, ParseContext, ParsedMessage
from booking_bot.nlu import parse

from .conftest import TODAY


def p(text: str, catalog: Catalog, expecting: Expecting | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=TODAY, expecting=expecting), catalog)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("сегодня можно?", date(2024, 5, 15)),
        ("завтра", date(2024, 5, 16)),
        ("послезавтра", date(2024, 5, 17)),
        ("в пятницу", date(2024, 5, 17)),
        ("на пятницу", date(2024, 5, 17)),
        ("в эту среду", date(2024, 5, 15)),
        ("в следующую среду", date(2024, 5, 22)),
        ("во вторник", date(2024, 5, 21)),
        ("10 июня", date(2024, 6, 10)),
        ("20-го мая", date(2024, 5, 20)),
        ("10.06", date(2024, 6, 10)),  # ru: day first
        ("10/06, пожалуйста", date(2024, 6, 10)),
        ("через неделю", date(2024, 5, 22)),
        ("через 2 дня", date(2024, 5, 17)),
        ("25 числа", date(2024, 5, 25)),
        ("вчера в 5", date(2024, 5, 14)),  # a past day is read as said; the dialogue refuses it
        ("позавчера", date(2024, 5, 13)),
    ],
)
def test_dates(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в 15:00", time(15)),
        ("в 3 часа дня", time(15)),
        ("в 6 вечера", time(18)),
        ("к 10 утра", time(10)),
        ("в 5", time(17)),
        ("в 10", time(10)),
        ("на час", time(13)),
        ("в половине пятого", time(16, 30)),
        ("без четверти 11", time(10, 45)),
        ("в полдень", time(12)),
        ("в два", time(14)),
        ("в 10.30", time(10, 30)),
    ],
)
def test_times(text: str, expected: time, catalog: Catalog) -> None:
    assert p(text, catalog).time == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("утром", time(8), time(12)),
        ("вечером", time(17), time(21)),
        ("после обеда", time(13), time(23, 59)),
        ("после 5", time(17), time(23, 59)),
    ],
)
def test_windows(text: str, start: time, end: time, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.time is None
    assert got.window is not None
    assert (got.window.start, got.window.end) == (start, end)


@pytest.mark.parametrize("text", ["нас будет 2", "на 2 человека", "стоит 1500 рублей", "мой номер 89161234567"])
def test_numbers_that_are_not_times(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert (got.time, got.date) == (None, None)


def test_negation(catalog: Catalog) -> None:
    got = p("не завтра, а в субботу", catalog)
    assert got.date == date(2024, 5, 18)
    assert got.negated_date == date(2024, 5, 16)


@pytest.mark.parametrize(
    ("text", "expecting", "intent"),
    [
        ("да", Expecting.CONFIRM, Intent.AFFIRM),
        ("ага", Expecting.CONFIRM, Intent.AFFIRM),
        ("👍", Expecting.CONFIRM, Intent.AFFIRM),
        ("нет", Expecting.CONFIRM, Intent.DENY),
        ("хочу записаться на стрижку", None, Intent.BOOK),
        ("сколько стоит маникюр?", None, Intent.PRICES),
        ("хочу отменить запись", None, Intent.CANCEL),
        ("можно перенести запись?", None, Intent.RESCHEDULE),
        ("какие у вас есть другие варианты?", Expecting.CHOICE, Intent.ALTERNATIVES),
        ("какой у вас адрес?", None, Intent.INFO),
        ("привет", None, Intent.GREET),
        ("спасибо большое", None, Intent.THANKS),
        ("до свидания", None, Intent.GOODBYE),
        ("позовите администратора", None, Intent.HANDOFF),
        ("есть свободное время в пятницу?", None, Intent.AVAILABILITY),
    ],
)
def test_intents(text: str, expecting: Expecting | None, intent: Intent, catalog: Catalog) -> None:
    assert p(text, catalog, expecting).intent is intent


def test_short_answers(catalog: Catalog) -> None:
    assert p("последний", catalog, Expecting.CHOICE).choice == -1
    got = p("второй", catalog, Expecting.CHOICE)
    assert (got.intent, got.choice) == (Intent.AFFIRM, 2)
    assert p("в 5", catalog, Expecting.TIME).time == time(17)
    assert p("пятница", catalog, Expecting.DATE).date == date(2024, 5, 17)


@pytest.mark.parametrize(
    ("text", "staff"),
    [("к Ане", "Anna"), ("к Анне", "Anna"), ("хочу к Анна", "Anna"), ("у Ольги", "Olga"), ("с Бари", "Bari")],
)
def test_staff_inflections(text: str, staff: str, catalog: Catalog) -> None:
    assert p(text, catalog).staff_id == staff


def test_services(catalog: Catalog) -> None:
    got = p("запишите на мужскую стрижку к Ане завтра в 3 часа дня", catalog)
    assert (got.service_id, got.staff_id, got.date, got.time, got.intent, got.lang) == (
        "men-cut",
        "Anna",
        date(2024, 5, 16),
        time(15),
        Intent.BOOK,
        "ru",
    )
    assert p("на маникюр", catalog).service_id == "Manicure"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("на этой неделе", date(2024, 5, 15), date(2024, 5, 19)),
        ("на следующей неделе", date(2024, 5, 20), date(2024, 5, 26)),
        ("на выходных", date(2024, 5, 18), date(2024, 5, 19)),
        ("в июле", date(2024, 7, 1), date(2024, 7, 31)),
    ],
)
def test_periods_are_ranges_not_days(text: str, start: date, end: date, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None and got.period is not None and (got.period.start, got.period.end) == (start, end)


def test_recurrence_is_flagged_not_a_day(catalog: Catalog) -> None:
    for text in ("каждую пятницу в 5", "по пятницам в 5"):
        got = p(text, catalog)
        assert got.recurring and got.date is None and got.time == time(17)


def on_march_4(text: str, catalog: Catalog) -> ParsedMessage:
    return parse(text, ParseContext(today=date(2026, 3, 4)), catalog)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2-го", date(2026, 4, 2)),
        ("16-го", date(2026, 3, 16)),
        ("не получится у меня 12-го, отмените", date(2026, 3, 12)),
        ("я бы хотела на маникюр, в среду 18-го", date(2026, 3, 18)),
        ("на 14е", date(2026, 3, 14)),
        ("12го", date(2026, 3, 12)),
        ("запишите на 3-е число", date(2026, 4, 3)),
        ("20-го числа", date(2026, 3, 20)),
    ],
)
def test_a_day_number_with_a_suffix_is_read_instead_of_raising(text: str, expected: date, catalog: Catalog) -> None:
    # «2-го» alone once matched a rule branch without the day's group: int(None) raised a TypeError
    assert on_march_4(text, catalog).date == expected


def test_a_day_with_a_suffix_keeps_its_time(catalog: Catalog) -> None:
    got = on_march_4("Запишите на маникюр 12-го в 14:30", catalog)
    assert (got.date, got.time, got.intent) == (date(2026, 3, 12), time(14, 30), Intent.BOOK)


def test_moving_from_the_30th_to_the_2nd_asks_for_the_2nd(catalog: Catalog) -> None:
    got = on_march_4("можно перенести мою стрижку с 30-го на 2-е?", catalog)
    assert (got.date, got.negated_date, got.intent) == (date(2026, 4, 2), date(2026, 3, 30), Intent.RESCHEDULE)


def on_monday(text: str, catalog: Catalog, expecting: Expecting | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=date(2026, 3, 2), expecting=expecting), catalog)  # a Monday


@pytest.mark.parametrize(
    "text",
    [
        "в эту пятницу не, давайте в следующую",
        "не в эту пятницу, а в следующую",
        "на пятницу не на эту а на следующую",
        "не в эту пятницу, а через одну",
    ],
)
def test_not_this_friday_but_the_next_one_is_not_this_friday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert (got.date, got.negated_date) == (date(2024, 5, 24), date(2024, 5, 17))


@pytest.mark.parametrize("text", ["на следующей неделе", "можно на следующей неделе?", "на след неделе"])
def test_next_week_alone_is_a_week_not_its_monday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None
    assert got.period is not None and (got.period.start, got.period.end) == (date(2024, 5, 20), date(2024, 5, 26))


@pytest.mark.parametrize(
    "text",
    ["на следующей неделе в среду", "в среду на следующей неделе", "в ср на след неделе", "на среду следующей недели"],
)
def test_a_weekday_of_next_week_is_not_this_weeks(text: str, catalog: Catalog) -> None:
    assert on_monday(text, catalog).date == date(2026, 3, 11)


def test_a_later_week_after_a_day_is_what_the_customer_asks_for(catalog: Catalog) -> None:
    got = on_monday("я записана на завтра, можно перенести на следующую неделю?", catalog)
    assert got.date is None and got.period is not None and got.period.start == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("севодня можно?", date(2024, 5, 15)),
        ("седня", date(2024, 5, 15)),
        ("завтро в 5", date(2024, 5, 16)),
        ("зафтра", date(2024, 5, 16)),
        ("послезавтро", date(2024, 5, 17)),
        ("перенесите мою завтрашнюю запись", date(2024, 5, 16)),
        ("запищите на четверк", date(2024, 5, 16)),
        ("можна перинести на понидельник??", date(2024, 5, 20)),
        ("на пятое", date(2024, 6, 5)),
        ("на 7 число", date(2024, 6, 7)),
        ("12 марта", date(2025, 3, 12)),
    ],
)
def test_slang_typos_and_day_words_are_days(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в пн", date(2024, 5, 20)),
        ("во вт можно?", date(2024, 5, 21)),
        ("в чт к 7", date(2024, 5, 16)),
        ("пт 18:00", date(2024, 5, 17)),
        ("до сб 👋", date(2024, 5, 18)),
        ("вс", date(2024, 5, 19)),  # the whole answer
        ("перенесите маник с пт на пн", date(2024, 5, 20)),
    ],
)
def test_weekday_abbreviations_are_days(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize("text", ["с пн по пт работаете?", "сколько стоит окраска волос средней длины"])
def test_abbreviations_and_lookalikes_without_a_day_meant_are_no_day(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в 19.00", time(19)),
        ("16.00 подойдёт", time(16)),  # no month 0: a time, not a date
        ("воскресенье, 14.00", time(14)),
        ("в 19-00", time(19)),
        ("на 15 00", time(15)),
        ("завтра в 17 30", time(17, 30)),
        ("к 7 вечера", time(19)),
        ("полшестого", time(17, 30)),
        ("без четверти 5", time(16, 45)),
        ("без пятнадцати пять", time(16, 45)),
        ("до полуночи", time(0)),
        ("к полуночи", time(0)),
        ("в 5, ой нет, в 6", time(18)),
        ("в 5, можно?", time(17)),
        ("на завтра на 12", time(12)),
        ("хочу сдвинуть запись с 6 на 7", time(19)),
    ],
)
def test_clock_times_as_chats_write_them(text: str, expected: time, catalog: Catalog) -> None:
    assert p(text, catalog).time == expected


@pytest.mark.parametrize(
    "text",
    [
        "у меня запись в 3 или в 4?",
        "я на 17:30 записана или на 18:30?",
        "передвиньте меня на час раньше пж",
        "можно перенести мой педикюр на 3 часа позже?",
        "как вы называетесь в 2гис",
        "скажите цену окрашивания в один тон",
    ],
)
def test_alternatives_shifts_and_counts_are_no_clock_time(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).time is None


def test_a_day_refused_after_it_is_dropped_for_the_other(catalog: Catalog) -> None:
    got = p("можно перенести запись на завтра? сегодня не успеваю", catalog)
    assert (got.date, got.negated_date) == (date(2024, 5, 16), date(2024, 5, 15))


def test_two_days_offered_as_alternatives_are_no_day(catalog: Catalog) -> None:
    assert p("у меня запись на сегодня или на завтра? запуталась", catalog).date is None
