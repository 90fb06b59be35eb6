"""The conversations issue 18 was filed with, each named after the broken promise it prevents: the bot losing the
thread when the customer changes course (a move asked mid-booking, "my bookings" after booking, a yes to a choice
question, corrections of one slot), and a yes that asks for something else. The demo salon; "now" is Friday
2026-11-27 12:00 in Moscow."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from booking_bot.domain import BookingStatus, ConversationKey, Draft
from tests.conftest import Chat

MOSCOW = ZoneInfo("Europe/Moscow")


async def _book(chat: Chat, text: str) -> None:
    question = await chat.say(text)
    assert any(mark in question[-1] for mark in ("Shall I book", "Записать", "Posso agendar", "¿Te reservo")), question
    await chat.say({"en": "yes", "ru": "да", "pt": "sim", "es": "sí"}[_lang(text)])


def _lang(text: str) -> str:
    if any("а" <= ch <= "я" for ch in text.lower()):
        return "ru"
    return "es" if "mañana" in text or "quiero" in text else "en"


async def _draft(chat: Chat) -> Draft:
    state = await chat.embedded.services.conversations.load(ConversationKey(chat.company.id, chat.customer))
    assert state is not None
    return state.draft


async def _live(chat: Chat) -> list[datetime]:
    return sorted(b.start.astimezone(MOSCOW) for b in await chat.bookings() if b.status is BookingStatus.BOOKED)


async def test_a_move_asked_while_choosing_a_time_moves_the_haircut_and_books_nothing_new(chat: Chat) -> None:
    await _book(chat, "men's haircut with Bari tomorrow at 12:00")
    times = await chat.say("manicure on monday please")
    assert "Which time suits you?" in times[-1]
    question = await chat.say("move my haircut to Sunday at 4:30pm")
    assert "Shall I move your appointment to this time?" in question[0] and "Shall I book" not in question[0]
    assert "Men's haircut" in question[0] and "4:30 PM" in question[0]
    await chat.say("yes")
    assert await _live(chat) == [datetime(2026, 11, 29, 16, 30, tzinfo=MOSCOW)]  # moved, not a second one


async def test_my_bookings_asked_right_after_booking_lists_them_instead_of_asking_for_a_service(chat: Chat) -> None:
    chat.customer = "+79990000011"
    await _book(chat, "хочу на маникюр завтра в 12:00")
    listed = await chat.say("Какие у меня записи?")
    assert "Маникюр" in listed[0] and "12:00" in listed[0]
    assert not any("услуг" in reply for reply in listed)  # never "which service shall I book?"


async def test_a_womens_haircut_said_in_other_words_is_not_asked_gentleman_or_lady(chat: Chat) -> None:
    chat.customer = "+34600000011"
    question = await chat.say("quiero reservar un corte de pelo de mujer con Bari mañana a las 10:00")
    assert "caballero" not in question[0] and "¿Te reservo esta cita?" in question[0]
    assert "Corte de señora" in question[0] and "Bari" in question[0] and "10:00" in question[0]
    done = await chat.say("sí")
    assert "Tienes cita" in done[0]


async def test_a_yes_to_a_choice_question_asks_the_same_question_again_and_never_restarts(chat: Chat) -> None:
    chat.customer = "+34600000012"
    which = await chat.say("quiero un corte mañana por la tarde")
    assert "Corte de caballero" in which[0] and "Corte de señora" in which[0]
    again = await chat.say("sí")
    assert "Corte de caballero" in again[0] and "Corte de señora" in again[0]  # the same choice, not "which service?"
    draft = await _draft(chat)
    assert draft.date is not None and draft.window is not None  # tomorrow afternoon is kept
    times = await chat.say("el de señora")
    assert "¿Qué hora te viene bien?" in times[-1]


@pytest.mark.parametrize(
    ("start", "correction", "slot", "want"),
    [
        ("хочу на маникюр к Ольге завтра в 12:00", "ой нет, не маникюр, а окрашивание", "service", "hair-colouring"),
        ("manicure with Olga tomorrow at 12:00", "no wait, Thursday", "day", "2026-12-03"),
        ("manicure with Olga tomorrow at 12:00", "an hour later", "time", "13:00"),
    ],
)
async def test_a_correction_at_the_confirmation_changes_just_that_slot(
    chat: Chat, start: str, correction: str, slot: str, want: str
) -> None:
    chat.customer = f"+1555{abs(hash(correction)) % 10_000_000:07d}"
    await chat.say(start)
    before = await _draft(chat)
    question = await chat.say(correction)
    after = await _draft(chat)
    assert after.chosen is not None, question
    got = {
        "service": after.service_id,
        "day": after.chosen.start.astimezone(MOSCOW).date().isoformat(),
        "time": after.chosen.start.astimezone(MOSCOW).strftime("%H:%M"),
    }
    assert got[slot] == want
    kept = {"service": before.service_id, "staff": after.chosen.staff_id == "olga"}
    if slot != "service":
        assert after.service_id == kept["service"]
    assert kept["staff"]  # the master stays
    assert await chat.bookings() == []  # nothing is booked before a yes


@pytest.mark.parametrize(
    ("start", "correction"),
    [
        ("manicure with Olga tomorrow at 12:00", "same time on monday"),
        ("manicure com a Olga amanhã às 12:00", "segunda-feira, o mesmo horário"),
        ("маникюр к Ольге завтра в 12:00", "в понедельник в то же время"),
    ],
)
async def test_same_time_on_another_day_keeps_the_time_and_the_master(chat: Chat, start: str, correction: str) -> None:
    chat.customer = f"+1556{abs(hash(correction)) % 10_000_000:07d}"
    await chat.say(start)
    await chat.say(correction)
    draft = await _draft(chat)
    assert draft.chosen is not None
    assert draft.chosen.start.astimezone(MOSCOW) == datetime(2026, 11, 30, 12, 0, tzinfo=MOSCOW)
    assert (draft.service_id, draft.chosen.staff_id) == ("manicure", "olga")


async def test_a_bit_later_while_choosing_offers_only_later_times(chat: Chat) -> None:
    chat.customer = "+15550000031"
    first = await chat.say("manicure tomorrow morning")
    assert "Which time suits you?" in first[-1]
    later = await chat.say("a bit later")
    state = await chat.embedded.services.conversations.load(ConversationKey(chat.company.id, chat.customer))
    assert state is not None and state.offered, later
    assert all(o.start.astimezone(MOSCOW).hour >= 12 for o in state.offered)


async def test_a_yes_that_says_cancel_at_shall_i_book_never_books(chat: Chat) -> None:
    chat.customer = "+15550000032"
    await _book(chat, "manicure with Olga tomorrow at 12:00")
    question = await chat.say("men's haircut on monday at 11")
    assert "Shall I book this?" in question[0]
    answer = await chat.say("first cancel an appointment of mine")
    assert not any("You are booked" in reply for reply in answer)
    assert "Shall I cancel" in answer[0] or "Which appointment" in answer[0]
    assert await _live(chat) == [datetime(2026, 11, 28, 12, 0, tzinfo=MOSCOW)]  # only the manicure


async def test_a_reminder_answered_with_a_cancel_read_as_a_yes_asks_to_cancel_and_confirms_nothing(chat: Chat) -> None:
    chat.customer = "+15550000033"
    await _book(chat, "manicure with Olga tomorrow at 12:00")
    [booking] = await chat.bookings()
    key = ConversationKey(chat.company.id, chat.customer)
    state = await chat.embedded.services.conversations.load(key)
    assert state is not None
    state.reminded_booking_id, state.reminded_at = booking.id, chat.clock()
    await chat.embedded.services.conversations.save(key, state)
    answer = await chat.say("cancel it please")
    assert "Shall I cancel this appointment?" in answer[0] and "confirmed" not in answer[0]


async def test_another_time_said_to_a_single_offered_time_is_that_time_not_the_one_offered(chat: Chat) -> None:
    chat.customer = "+79990000034"
    await chat.say("маникюр завтра")
    later = await chat.say("что-нибудь попозже")  # one time left after the last one offered
    state = await chat.embedded.services.conversations.load(ConversationKey(chat.company.id, chat.customer))
    assert state is not None and len(state.offered) == 1, later
    question = await chat.say("давайте в 13:30")
    assert "Записать вас?" in question[0] and "13:30" in question[0]
    assert state.offered[0].start.astimezone(MOSCOW).strftime("%H:%M") not in question[0]


async def test_with_another_person_at_the_confirmation_is_the_other_master_not_a_hand_off(chat: Chat) -> None:
    chat.customer = "+34600000035"
    first = await chat.say("¿anna me hace las uñas mañana a las 15h?")
    assert "Anna" in first[0]
    answer = await chat.say("con otra persona porfa")
    assert "¿Te reservo esta cita?" in answer[0] and "Anna" not in answer[0]  # the same time with someone else
    assert "15:00" in answer[0]


@pytest.mark.parametrize("text", ["¿puedo reservar un corte de señora?", "hola, corte de mujer porfa"])
async def test_a_booking_request_without_a_word_of_a_question_is_never_answered_as_one(chat: Chat, text: str) -> None:
    chat.customer = f"+3460{abs(hash(text)) % 10_000_000:07d}"
    answer = await chat.say(text)
    assert "Servicios:" not in answer[0] and "min)" not in answer[0]  # no salon details, no price list
    draft = await _draft(chat)
    assert draft.service_id == "womens-haircut"  # the booking goes on: which day?
