"""The walking skeleton's conversations, end to end through the core (parser, policy, calendar, store, templates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from booking_bot.domain import BookingStatus, Customer
from tests.conftest import Chat, FixedClock

MOSCOW = ZoneInfo("Europe/Moscow")


def local(moment: datetime) -> datetime:
    return moment.astimezone(MOSCOW)


async def test_english_book_move_cancel(chat: Chat) -> None:
    greeting = await chat.say("Hi")
    assert "Demo Salon" in greeting[0]

    question = await chat.say("Can I book a men's haircut with Anna tomorrow at 3pm?")
    assert "Shall I book this?" in question[0]
    assert "Men's haircut" in question[0] and "Anna" in question[0] and "3:00 PM" in question[0]
    assert await chat.bookings() == []  # nothing is booked before the customer confirms

    done = await chat.say("yes")
    assert "You are booked" in done[0]
    [booking] = await chat.bookings()
    assert (booking.service_id, booking.staff_id) == ("mens-haircut", "anna")
    assert local(booking.start) == datetime(2026, 11, 28, 15, 0, tzinfo=MOSCOW)

    question = await chat.say("Please move it to the day after tomorrow at 4pm")
    assert "move" in question[0].lower() and "4:00 PM" in question[0]
    moved = await chat.say("yes")
    assert "moved" in moved[0]
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 29, 16, 0, tzinfo=MOSCOW)
    assert booking.status is BookingStatus.BOOKED

    question = await chat.say("cancel my appointment")
    assert "cancel" in question[0].lower()
    cancelled = await chat.say("yes")
    assert "cancelled" in cancelled[0]
    [booking] = await chat.bookings()
    assert booking.status is BookingStatus.CANCELLED
    assert await chat.embedded.calendar.customer_bookings(chat.company, _customer(chat)) == []


async def test_russian_book_move_cancel(chat: Chat) -> None:
    chat.customer, chat.name = "+79990000001", "Иван"
    question = await chat.say("Хочу записаться на мужскую стрижку к Ане завтра в 15:00")
    assert "Записать вас?" in question[0]
    assert "Мужская стрижка" in question[0] and "Анна" in question[0] and "15:00" in question[0]
    done = await chat.say("да")
    assert "Вы записаны" in done[0]
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 28, 15, 0, tzinfo=MOSCOW)

    question = await chat.say("Перенесите, пожалуйста, на послезавтра на 16:00")
    assert "Перенести" in question[0] and "16:00" in question[0]
    assert "перенесена" in (await chat.say("да"))[0]
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 29, 16, 0, tzinfo=MOSCOW)

    assert "Отменить" in (await chat.say("отмените мою запись"))[0]
    assert "отменена" in (await chat.say("да"))[0]
    [booking] = await chat.bookings()
    assert booking.status is BookingStatus.CANCELLED


async def test_slot_taken_between_offer_and_confirmation_offers_fresh_times(chat: Chat) -> None:
    question = await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    assert "Shall I book this?" in question[0]
    # Someone else takes the slot (at the front desk) before our customer says yes.
    rival = Customer(company_id=chat.company.id, id="+15550000999")
    taken = await chat.embedded.calendar.book(
        chat.company, rival, "mens-haircut", "anna", datetime(2026, 11, 28, 12, 0, tzinfo=UTC), "front-desk-1"
    )
    assert taken.succeeded

    replies = await chat.say("yes")
    text = "\n".join(replies)
    assert "just been taken" in text
    assert "booked" not in text.lower().replace("taken", "")
    assert "Free times " in text and "3:00 PM" not in text
    assert await chat.bookings() == []  # nothing claimed, nothing recorded


async def test_two_bookings_and_cancel_asks_which(chat: Chat) -> None:
    for text in ("Book a manicure with Olga tomorrow at 11am", "Book a men's haircut with Bari on Sunday at 5pm"):
        assert "Shall I book this?" in (await chat.say(text))[0]
        assert "You are booked" in (await chat.say("yes"))[0]
    assert len(await chat.bookings()) == 2

    which = await chat.say("I need to cancel my appointment")
    assert "Which appointment would you like to cancel?" in which[0]
    assert "1." in which[0] and "2." in which[0]
    confirm = await chat.say("the second one")
    assert "Shall I cancel this appointment?" in confirm[0] and "Men's haircut" in confirm[0]
    assert "cancelled" in (await chat.say("yes"))[0]
    statuses = {b.service_id: b.status for b in await chat.bookings()}
    assert statuses == {"manicure": BookingStatus.BOOKED, "mens-haircut": BookingStatus.CANCELLED}


async def test_today_is_the_salons_today_just_after_midnight_in_moscow(chat: Chat, clock: FixedClock) -> None:
    clock.now = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # 00:30 on Saturday 28 November in Moscow
    question = await chat.say("Book a men's haircut with Anna today at 3pm")
    assert "today, Saturday, 28 November" in question[0]
    await chat.say("yes")
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 28, 15, 0, tzinfo=MOSCOW)


async def test_reschedule_failure_is_not_reported_as_success(chat: Chat) -> None:
    await chat.say("Book a men's haircut with Anna tomorrow at 3pm")
    await chat.say("yes")
    [booking] = await chat.bookings()
    await chat.say("move it to the day after tomorrow at 4pm")
    # The booking disappears from the calendar (cancelled at the desk) before the customer confirms.
    await chat.embedded.calendar.cancel(chat.company, booking, "desk-cancel")
    replies = "\n".join(await chat.say("yes"))
    assert "moved" not in replies and "Done" not in replies
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 28, 15, 0, tzinfo=MOSCOW)


def _customer(chat: Chat) -> Customer:
    return Customer(company_id=chat.company.id, id=chat.customer)


async def test_spanish_customer_is_answered_in_spanish(chat: Chat) -> None:
    chat.customer = "+34600000001"
    assert "Soy el asistente de Demo Salon" in (await chat.say("Hola"))[0]
    question = await chat.say("Quiero una manicura mañana a las 15:00")
    assert "¿Te reservo esta cita?" in question[0] and "Manicura" in question[0] and "15:00" in question[0]
    assert "Tienes cita" in (await chat.say("sí"))[0]
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 28, 15, 0, tzinfo=MOSCOW)


async def test_moving_to_a_time_that_overlaps_its_own_appointment_is_offered_and_done(chat: Chat) -> None:
    """A 60-minute appointment at 15:00 moved to 15:30: the only booking in the way is the one being moved."""
    await chat.say("Hi")
    question = await chat.say("Can I book a women's haircut with Anna tomorrow at 3pm?")
    assert "Shall I book this?" in question[0]
    assert "You are booked" in (await chat.say("yes"))[0]
    [booking] = await chat.bookings()
    assert booking.end - booking.start == timedelta(hours=1)

    question = await chat.say("Please move it to 3:30pm tomorrow")
    assert "move" in question[0].lower() and "3:30 PM" in question[0]
    assert "moved" in (await chat.say("yes"))[0]
    [booking] = await chat.bookings()
    assert local(booking.start) == datetime(2026, 11, 28, 15, 30, tzinfo=MOSCOW)
    assert booking.status is BookingStatus.BOOKED


async def test_the_last_one_picks_the_last_time_offered(chat: Chat) -> None:
    from booking_bot.domain import ConversationKey

    await chat.say("Hi")
    offers = await chat.say("I'd like a men's haircut with Anna tomorrow")
    state = await chat.embedded.services.conversations.load(ConversationKey(chat.company.id, chat.customer))
    assert state is not None and len(state.offered) > 1, offers
    last = state.offered[-1]
    question = await chat.say("the last one")
    assert "Shall I book this?" in question[0]
    assert "You are booked" in (await chat.say("yes"))[0]
    [booking] = await chat.bookings()
    assert (booking.start, booking.staff_id) == (last.start, last.staff_id)
