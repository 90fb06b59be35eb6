"""Collecting what is missing and offering real free times."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from booking_bot.domain import Customer
from tests.conftest import Chat

TIME = re.compile(r"\b(\d{1,2}):(\d{2}) (AM|PM)\b")


def offered_minutes(text: str) -> list[int]:
    """Offered local times as minutes after midnight."""
    return [(int(h) % 12 + (12 if ampm == "PM" else 0)) * 60 + int(m) for h, m, ampm in TIME.findall(text)]


async def test_free_times_are_grouped_by_part_of_day_and_round(chat: Chat) -> None:
    [offer] = await chat.say("I'd like a manicure with Olga on Sunday")
    assert offer.startswith("Free times on Sunday, 29 November:")
    assert "Morning:" in offer and "Afternoon:" in offer and "Evening:" in offer
    minutes = offered_minutes(offer)
    assert 3 <= len(minutes) <= 6 and all(m % 30 == 0 for m in minutes)
    assert minutes == sorted(minutes)
    [confirm] = await chat.say("the second one")
    hour, minute = divmod(minutes[1], 60)
    assert "Shall I book this?" in confirm and "Olga" in confirm
    assert f"{(hour - 1) % 12 + 1}:{minute:02d} {'PM' if hour >= 12 else 'AM'}" in confirm


async def test_part_of_day_is_a_window_not_a_fake_time(chat: Chat) -> None:
    [offer] = await chat.say("Can I get a women's haircut tomorrow evening?")
    minutes = offered_minutes(offer)
    assert minutes and all(m >= 17 * 60 for m in minutes)


async def test_taken_time_offers_the_nearest_free_ones(chat: Chat) -> None:
    rival = Customer(company_id=chat.company.id, id="+15550000999")
    start = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
    assert (await chat.embedded.calendar.book(chat.company, rival, "mens-haircut", "anna", start, "k1")).succeeded
    replies = await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    assert "3:00 PM tomorrow, Saturday, 28 November is not free." in replies[0]
    minutes = offered_minutes(replies[1])
    assert 15 * 60 not in minutes
    assert min(abs(m - 15 * 60) for m in minutes) <= 30


async def test_full_day_offers_the_nearest_free_day(chat: Chat) -> None:
    rival = Customer(company_id=chat.company.id, id="+15550000999")
    for n, hour in enumerate(range(7, 17, 2)):  # 10:00-20:00 Moscow, back to back
        start = datetime(2026, 11, 29, hour, 0, tzinfo=UTC)
        outcome = await chat.embedded.calendar.book(chat.company, rival, "hair-colouring", "anna", start, f"fill-{n}")
        assert outcome.succeeded
    offer = "\n".join(await chat.say("Hair colouring with Anna on Sunday please"))
    assert "Nothing is free on Sunday, 29 November. The nearest free day is Monday, 30 November." in offer
    assert "Free times on Monday, 30 November" in offer
    replies = await chat.say("the first one")
    assert "Monday, 30 November" in replies[0]


async def test_a_past_day_is_refused_and_the_day_asked_again(chat: Chat) -> None:
    replies = await chat.say("Book a manicure yesterday at 3pm")
    assert replies == ["That day has already passed.", "Which day would suit you?"]


async def test_missing_service_is_asked_then_taken_from_the_answer(chat: Chat) -> None:
    [question] = await chat.say("I want to book tomorrow at 11am")
    assert question.startswith("Which service would you like?")
    [confirm] = await chat.say("manicure")
    assert "Shall I book this?" in confirm and "Manicure" in confirm and "11:00 AM" in confirm


async def test_prices_list_every_service_in_the_salons_currency(chat: Chat) -> None:
    [prices] = await chat.say("How much does it cost?")
    assert prices.count("RUB") == 4 and "Men's haircut: 1,500 RUB (30 min)" in prices


async def test_no_booking_no_cancel(chat: Chat) -> None:
    [reply] = await chat.say("cancel my appointment")
    assert "no upcoming appointments" in reply


async def test_a_partly_named_service_is_narrowed_not_forgotten(chat: Chat) -> None:
    [question] = await chat.say("I want a haircut tomorrow at 3pm")
    assert question == "Which one would you like: Men's haircut, Women's haircut?"
    [confirm] = await chat.say("women's")
    assert "Women's haircut" in confirm and "3:00 PM" in confirm  # the day and time said before are kept


async def test_russian_ordinal_answer_picks_an_offered_time_and_friday_is_not_the_fifth(chat: Chat) -> None:
    chat.customer = "+79990000002"
    [offer] = await chat.say("Запишите меня к Ольге на окрашивание в понедельник утром")
    assert offer.startswith("Свободное время в понедельник, 30 ноября:")
    [other_day] = await chat.say("а в пятницу?")
    assert other_day.startswith("Свободное время в пятницу, 4 декабря:")
    [confirm] = await chat.say("первое")
    assert "Записать вас?" in confirm and "Окрашивание" in confirm and "Ольга" in confirm and "10:00" in confirm


async def test_a_time_already_past_today_is_said_so(chat: Chat) -> None:
    replies = await chat.say("Book a manicure today at 11am")  # it is 12:00 in Moscow
    assert replies[0] == "That time has already passed today."
    assert all(m > 12 * 60 for m in offered_minutes(replies[1]))
