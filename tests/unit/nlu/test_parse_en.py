from __future__ import annotations

from datetime import date, time

import pytest

from booking_bot.domain import Catalog, Expecting, Intent, ParseContext, ParsedMessage
from booking_bot.nlu import parse

from .conftest import TODAY


def p(text: str, catalog: Catalog, expecting: Expecting | None = None, lang: str | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=TODAY, expecting=expecting, lang=lang), catalog)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can you do today?", date(2024, 5, 15)),
        ("tomorrow works", date(2024, 5, 16)),
        ("I came in yesterday", date(2024, 5, 14)),  # a past day is read as said; the dialogue refuses it
        ("the day after tomorrow please", date(2024, 5, 17)),
        ("how about friday", date(2024, 5, 17)),
        ("next Wednesday", date(2024, 5, 22)),  # first such weekday after today
        ("this Wednesday", date(2024, 5, 15)),
        ("next Monday", date(2024, 5, 20)),
        ("Tuesday next week", date(2024, 5, 21)),
        ("on the 20th", date(2024, 5, 20)),
        ("the 3rd", date(2024, 6, 3)),  # passed this month: next month
        ("3rd of this month", date(2024, 5, 3)),
        ("June 7th", date(2024, 6, 7)),
        ("the 9th of June", date(2024, 6, 9)),
        ("march 2nd", date(2025, 3, 2)),  # passed this year: next year
        ("6/14 please", date(2024, 6, 14)),  # en: month/day with a slash
        ("14.06 please", date(2024, 6, 14)),  # day.month with a dot
        ("in 2 days", date(2024, 5, 17)),
        ("in a week", date(2024, 5, 22)),
    ],
)
def test_dates(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 15:00", time(15, 0)),
        ("3pm", time(15, 0)),
        ("3 pm", time(15, 0)),
        ("three pm", time(15, 0)),
        ("10:30 am", time(10, 30)),
        ("half past 4 in the afternoon", time(16, 30)),
        ("quarter to 11", time(10, 45)),
        ("a quarter past 5 in the evening", time(17, 15)),
        ("evening 4", time(16, 0)),
        ("4 in the evening", time(16, 0)),
        ("at 6 o'clock in the evening", time(18, 0)),
        ("at 5", time(17, 0)),  # salon rule: 1-7 are afternoon
        ("at 9", time(9, 0)),
        ("at 5:30", time(17, 30)),
        ("noon", time(12, 0)),
        ("12 pm", time(12, 0)),
        ("at four", time(16, 0)),
    ],
)
def test_times(text: str, expected: time, catalog: Catalog) -> None:
    assert p(text, catalog).time == expected


def test_date_and_time_together(catalog: Catalog) -> None:
    got = p("Can I get a haircut on the 20th at 3 pm?", catalog)
    assert (got.date, got.time, got.intent, got.service_id) == (
        date(2024, 5, 20),
        time(15),
        Intent.BOOK,
        "Women's haircut",
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("in the morning", time(8), time(12)),
        ("after lunch", time(13), time(23, 59)),
        ("sometime in the evening", time(17), time(21)),
        ("after 5", time(17), time(23, 59)),
        ("before noon", time(0), time(12)),
    ],
)
def test_windows_are_not_times(text: str, start: time, end: time, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.time is None
    assert got.window is not None
    assert (got.window.start, got.window.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "there will be 2 people",
        "call me at 555-123-4567",
        "is it 40 dollars?",
        "it has 4 stars",
        "I'd like one in Fremont",
        "good morning",
        "I waited 3 hours",
    ],
)
def test_numbers_that_are_not_times(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.time is None
    assert got.date is None


def test_negation_and_correction(catalog: Catalog) -> None:
    got = p("not tomorrow but friday", catalog)
    assert got.date == date(2024, 5, 17)
    assert got.negated_date == date(2024, 5, 16)
    got = p("No, make it 5pm", catalog, Expecting.CONFIRM)
    assert got.time == time(17)
    assert got.intent in (Intent.DENY, Intent.BOOK)  # "no, <a change>" to a yes/no question: deny, also book


def test_closing_today_is_not_a_date(catalog: Catalog) -> None:
    assert p("That's all for today, thanks", catalog).date is None


@pytest.mark.parametrize(
    ("text", "expecting", "intent"),
    [
        ("yes", Expecting.CONFIRM, Intent.AFFIRM),
        ("sure", Expecting.CONFIRM, Intent.AFFIRM),
        ("ok", Expecting.CONFIRM, Intent.AFFIRM),
        ("👍", Expecting.CONFIRM, Intent.AFFIRM),
        ("sounds good", Expecting.CHOICE, Intent.AFFIRM),
        ("no", Expecting.CONFIRM, Intent.DENY),
        ("nope, that won't work", Expecting.CHOICE, Intent.DENY),
        ("I want to book a haircut", None, Intent.BOOK),
        ("how much is a manicure?", None, Intent.PRICES),
        ("I need to cancel my appointment", None, Intent.CANCEL),
        ("can I reschedule my appointment?", None, Intent.RESCHEDULE),
        ("when is my appointment?", None, Intent.MY_BOOKINGS),
        ("anyone else?", Expecting.CHOICE, Intent.ALTERNATIVES),
        ("what is the address?", None, Intent.INFO),
        ("hello", None, Intent.GREET),
        ("thanks a lot", None, Intent.THANKS),
        ("bye", None, Intent.GOODBYE),
        ("can I talk to a real person?", None, Intent.HANDOFF),
        ("the weather is nice on mars", None, Intent.OTHER),
        ("Can you find me a salon in another town?", Expecting.CHOICE, Intent.ALTERNATIVES),
    ],
)
def test_intents(text: str, expecting: Expecting | None, intent: Intent, catalog: Catalog) -> None:
    assert p(text, catalog, expecting).intent is intent


def test_short_answers_with_expecting(catalog: Catalog) -> None:
    got = p("the second one", catalog, Expecting.CHOICE)
    assert (got.intent, got.choice) == (Intent.AFFIRM, 2)
    assert p("2", catalog, Expecting.CHOICE).choice == 2
    assert p("at 5", catalog, Expecting.TIME).time == time(17)
    assert p("5", catalog, Expecting.TIME).time == time(17)
    assert p("Friday", catalog, Expecting.DATE).date == date(2024, 5, 17)
    assert p("the 20", catalog, Expecting.DATE).date == date(2024, 5, 20)


def test_the_last_one_is_a_choice_only_right_after_a_list(catalog: Catalog) -> None:
    got = p("the last one", catalog, Expecting.CHOICE)
    assert (got.intent, got.choice) == (Intent.AFFIRM, -1)
    assert p("the last one please", catalog, Expecting.CHOICE).choice == -1
    assert p("last time you were late", catalog).choice is None  # no list offered: not a choice
    assert p("at last, thanks", catalog, Expecting.DATE).choice is None


def test_catalog_matching(catalog: Catalog) -> None:
    assert p("with Anna please", catalog).staff_id == "Anna"
    assert p("Anna's free tomorrow?", catalog).staff_id == "Anna"
    assert p("with Christopher Stevensen", catalog).staff_id == "Christopher Stevenson"  # one typo
    assert p("a manicre please", catalog).service_id == "Manicure"
    assert p("a barber cut", catalog).service_id == "men-cut"
    assert p("NAILS", catalog).service_id == "Manicure"
    assert p("with Ann", catalog).staff_id is None  # short words need an exact match


def test_confidence_and_reasons(catalog: Catalog) -> None:
    sure = p("book a haircut tomorrow at 3pm", catalog)
    assert not sure.unsure
    assert 0.0 <= sure.confidence <= 1.0
    vague = p("hmm purple elephants", catalog)
    assert vague.unsure
    assert "no_intent_signal" in vague.reasons
    numbers = p("code 4821", catalog)
    assert "unparsed_numbers" in numbers.reasons


def test_language_detection(catalog: Catalog) -> None:
    assert p("book me in tomorrow", catalog).lang == "en"
    assert p("ok", catalog, lang="ru").lang == "ru"
    assert p("ok", catalog).lang == "en"
    assert p("да", catalog).lang == "ru"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("anything this week?", date(2024, 5, 15), date(2024, 5, 19)),
        ("next week please", date(2024, 5, 20), date(2024, 5, 26)),
        ("this weekend", date(2024, 5, 18), date(2024, 5, 19)),
        ("sometime next month", date(2024, 6, 1), date(2024, 6, 30)),
        ("in July", date(2024, 7, 1), date(2024, 7, 31)),
    ],
)
def test_periods_are_ranges_not_days(text: str, start: date, end: date, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None and got.period is not None and (got.period.start, got.period.end) == (start, end)


def test_a_day_inside_a_period_is_the_day(catalog: Catalog) -> None:
    got = p("next week, on the 22nd", catalog)
    assert got.date == date(2024, 5, 22) and got.period is None


def test_recurrence_is_flagged_not_a_day(catalog: Catalog) -> None:
    got = p("every Friday at 5", catalog)
    assert got.recurring and got.date is None and got.time == time(17) and got.unsure


def test_in_an_hour_needs_the_salon_now(catalog: Catalog) -> None:
    ctx = ParseContext(today=TODAY, now=time(18, 40), timezone="Europe/London")
    got = parse("can you take me in an hour?", ctx, catalog)
    assert (got.date, got.time) == (TODAY, time(19, 40))


def on_monday(text: str, catalog: Catalog, expecting: Expecting | None = None) -> ParsedMessage:
    return parse(text, ParseContext(today=date(2026, 3, 2), expecting=expecting), catalog)  # a Monday


@pytest.mark.parametrize(
    "text",
    [
        "not this friday, the one after",
        "not this friday but the one after, can u move me",
        "not this friday, next friday",
        "not this friday the next one",
    ],
)
def test_not_this_friday_but_the_next_one_is_not_this_friday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert (got.date, got.negated_date) == (date(2024, 5, 24), date(2024, 5, 17))


@pytest.mark.parametrize("text", ["next week", "whats ur availability like next week", "see ya next week"])
def test_next_week_alone_is_a_week_not_its_monday(text: str, catalog: Catalog) -> None:
    got = p(text, catalog)
    assert got.date is None
    assert got.period is not None and (got.period.start, got.period.end) == (date(2024, 5, 20), date(2024, 5, 26))


@pytest.mark.parametrize(
    "text", ["wednesday next week", "moving my wednesday booking to wednesday next week pls", "next week on wednesday"]
)
def test_a_weekday_of_next_week_is_not_this_weeks(text: str, catalog: Catalog) -> None:
    assert on_monday(text, catalog).date == date(2026, 3, 11)


def test_a_loose_weekday_week_names_no_day(catalog: Catalog) -> None:
    assert on_monday("next tuesday week", catalog, Expecting.DATE).date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("book me in w/ diego 2moro 3pm", date(2024, 5, 16)),
        ("tmrw", date(2024, 5, 16)),
        ("tmr at 5", date(2024, 5, 16)),
        ("i need to cancel tomorrows appointment", date(2024, 5, 16)),
        ("can u put me down for a massage 2day at 17:30", date(2024, 5, 15)),
        ("cant do my brows this afternoon after all", date(2024, 5, 15)),
        ("is it poss to move tomorrow's appointment to the day after", date(2024, 5, 17)),
        ("can i do 3 weeks from today", date(2024, 6, 5)),
        ("r there any appointments left for christmas eve", date(2024, 12, 24)),
        ("are you open new years day?", date(2025, 1, 1)),
        ("tomorrow, no wait, Thursday", date(2024, 5, 16)),
        ("tomorrow, no wait, Friday", date(2024, 5, 17)),
        ("see you on thrusday", date(2024, 5, 16)),
        ("12 March", date(2025, 3, 12)),
        ("30/12", date(2024, 12, 30)),  # can only be day/month
    ],
)
def test_slang_typos_and_holidays_are_days(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    ("text", "expecting", "expected"),
    [
        ("6:30pm", None, time(18, 30)),
        ("half 5", Expecting.TIME, time(17, 30)),  # British: half past five
        ("can i get a haircut today at half 2", None, time(14, 30)),
        ("saturday half 12", None, time(12, 30)),
        ("this wed 4.30", None, time(16, 30)),
        ("tmrw 11.30", None, time(11, 30)),
        ("12.45", Expecting.TIME, time(12, 45)),
        ("19.00", None, time(19)),
        ("17h20", Expecting.TIME, time(17, 20)),
        ("4h", Expecting.TIME, time(16)),
        ("sorry i meant 4 not 5", Expecting.CONFIRM, time(16)),
        ("can my 11am tomorrow become 12?", None, time(12)),
        ("1730", Expecting.TIME, time(17, 30)),
        ("can we change my booking from 2 to 4:30", None, time(16, 30)),
    ],
)
def test_clock_times_as_chats_write_them(
    text: str, expecting: Expecting | None, expected: time, catalog: Catalog
) -> None:
    assert p(text, catalog, expecting).time == expected


@pytest.mark.parametrize(
    ("text", "expecting"),
    [
        ("am i booked in for 2 or 3?", None),
        ("is my beard trim at 5 or half 5?", None),
        ("between 2 and 4", Expecting.TIME),
        ("kids cut for 2 boys on friday after school pls", None),
        ("4ish?", Expecting.TIME),
        ("this one works for me", Expecting.CHOICE),
        ("sorry b4 that, how long does it take?", None),
    ],
)
def test_alternatives_ranges_and_counts_are_no_clock_time(
    text: str, expecting: Expecting | None, catalog: Catalog
) -> None:
    assert p(text, catalog, expecting).time is None


def test_a_range_is_a_window(catalog: Catalog) -> None:
    got = p("do you have any slots between 12 and 2 on wed", catalog)
    assert got.time is None and got.window is not None and (got.window.start, got.window.end) == (time(12), time(14))


@pytest.mark.parametrize(
    "text", ["did i book for thursday or friday? cant remember", "did u book me in for the 2nd of june or the 3rd?"]
)
def test_two_days_offered_as_alternatives_are_no_day(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date is None


@pytest.mark.parametrize(("text", "expecting"), [("the 2nd one", Expecting.CHOICE), ("2nd", Expecting.CHOICE)])
def test_an_ordinal_picking_from_a_list_is_no_day(text: str, expecting: Expecting, catalog: Catalog) -> None:
    assert p(text, catalog, expecting).date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon at 10", date(2024, 5, 20)),
        ("tue at 2", date(2024, 5, 21)),
        ("this wed 4.30", date(2024, 5, 15)),
        ("thu works", date(2024, 5, 16)),
        ("fri 3pm", date(2024, 5, 17)),
        ("bari for a skin fade sat 10:45", date(2024, 5, 18)),
        ("can i change my massage from sat to sun", date(2024, 5, 19)),
    ],
)
def test_weekday_abbreviations_are_days(text: str, expected: date, catalog: Catalog) -> None:
    assert p(text, catalog).date == expected


@pytest.mark.parametrize(
    "text", ["wed love to book a cut for my son", "i sat in the chair for an hour", "the sun is out"]
)
def test_words_that_only_look_like_a_day_are_no_day(text: str, catalog: Catalog) -> None:
    assert p(text, catalog).date is None
