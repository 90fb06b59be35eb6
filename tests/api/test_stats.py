"""The stats page's numbers match a scripted week of activity driven through the core (the `Chat` harness with a
movable clock): messages in/out, conversations, bookings made/moved/cancelled, reminders sent and confirmed, the
share understood without the LLM, the median reply time, and the 7- and 30-day windows in the salon's days."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

from booking_bot.domain import EventType, event_id
from booking_bot.gateway.api.stats import company_stats
from booking_bot.pipeline import process_conversation
from booking_bot.reminders import send_reminder
from tests.conftest import Chat, FixedClock


class Script:
    """Says things as a customer; each reply comes `delay` seconds after the message (the clock moves)."""

    def __init__(self, chat: Chat, clock: FixedClock) -> None:
        self.chat, self.clock = chat, clock
        self.messages_in = 0
        self.messages_out = 0
        self.delays: list[float] = []

    async def say(self, customer: str, text: str, delay: float) -> list[str]:
        self.chat.customer = customer
        message = self.chat.message(text)
        assert await self.chat.embedded.store.record_inbound(message)
        self.clock.advance(seconds=delay)
        await process_conversation(self.chat.embedded.services, message.company_id, message.chat_id)
        replies = [
            r.text for r in await self.chat.embedded.store.outbound_replies(message.company_id, message.message_id)
        ]
        assert replies
        self.messages_in += 1
        self.messages_out += len(replies)
        self.delays.append(delay)
        return replies


async def test_stats_match_a_scripted_week(chat: Chat, clock: FixedClock) -> None:
    store = chat.embedded.store
    anna, boris, carla, dora = "+15550000001", "+15550000002", "+15550000003", "+15550000004"
    start = clock.now  # Friday 27 November 2026, 12:00 in Moscow
    script = Script(chat, clock)

    # Ten days earlier: in the 30-day window, not in the 7-day one.
    clock.now = start - timedelta(days=10)
    await script.say(dora, "Hi", 3)
    old_in, old_out, old_delays = script.messages_in, script.messages_out, list(script.delays)

    clock.now = start
    await script.say(anna, "Hi", 2)
    assert "Shall I book" in (await script.say(anna, "Can I book a men's haircut with Anna tomorrow at 3pm?", 4))[0]
    assert "You are booked" in (await script.say(anna, "yes", 1))[0]

    clock.now = start + timedelta(days=1)  # Saturday
    assert "Shall I book" in (await script.say(boris, "Book a men's haircut with Anna tomorrow at 3pm", 6))[0]
    assert "You are booked" in (await script.say(boris, "yes", 2))[0]
    await script.say(anna, "Please move it to the day after tomorrow at 4pm", 5)
    assert "moved" in (await script.say(anna, "yes", 3))[0]

    clock.now = start + timedelta(days=2)  # Sunday 12:00 Moscow: Boris cancels his 15:00
    await script.say(boris, "cancel my appointment", 2)
    assert "cancelled" in (await script.say(boris, "yes", 4))[0]

    # Sunday 16:00 Moscow: Anna's reminder (24 h before Monday 16:00) goes out; she answers "ok".
    clock.now = datetime(2026, 11, 29, 13, 0, tzinfo=UTC)
    claimed = await store.claim_due_reminders(clock.now, 10, "test")
    assert len(claimed) == 1
    await send_reminder(chat.embedded.services, claimed[0].company_id, claimed[0].key)
    script.messages_out += 1
    assert "confirmed" in (await script.say(anna, "ok", 7))[0]

    clock.now = start + timedelta(days=5, hours=3)  # Wednesday
    await script.say(carla, "How much is a manicure?", 9)

    now = start + timedelta(days=6, hours=8)  # Thursday evening: the week's last day
    stats = await company_stats(store, chat.company, now)
    week, month = stats.last_7_days, stats.last_30_days
    week_in, week_out = script.messages_in - old_in, script.messages_out - old_out
    week_delays = script.delays[len(old_delays) :]
    assert (week.messages_in, week.messages_out) == (week_in, week_out) == (11, week_out)
    assert (month.messages_in, month.messages_out) == (script.messages_in, script.messages_out)
    assert (week.conversations, month.conversations) == (3, 4)
    assert (week.bookings_created, week.bookings_moved, week.bookings_cancelled) == (2, 1, 1)
    assert (week.reminders_sent, week.reminders_confirmed) == (1, 1)
    assert week.median_reply_seconds == statistics.median(week_delays) == 4.0
    assert month.median_reply_seconds == statistics.median(script.delays)
    assert week.understood == week_in and month.understood == script.messages_in
    # Every message of the script is one the local parser is sure of (no LLM is configured).
    assert week.understood_without_llm == week.understood and week.understood_without_llm_share == 1.0
    # Per day, in Moscow's days, oldest first: the chart's bars.
    assert [d.date for d in stats.days][-7:] == [f"2026-11-{day}" for day in range(27, 31)] + [
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
    ]
    by_day = {d.date: d for d in stats.days}
    assert (by_day["2026-11-27"].messages_in, by_day["2026-11-27"].bookings_created) == (3, 1)
    assert (by_day["2026-11-28"].bookings_created, by_day["2026-11-28"].bookings_moved) == (1, 1)
    assert by_day["2026-11-29"].bookings_cancelled == 1
    assert by_day["2026-11-17"].messages_in == 1
    assert sum(d.messages_in for d in stats.days) == month.messages_in
    # The events behind the numbers are the webhooks' events (one per booking operation, deterministic ids).
    company = chat.company.id
    booked = await store.get_event(company, event_id(company, EventType.BOOKING_CREATED, f"{company}:msg-{anna}-4"))
    assert booked is not None and booked.data["booking"]["chat_id"] == anna


async def test_stats_of_a_quiet_salon_are_zero_not_errors(chat: Chat, clock: FixedClock) -> None:
    stats = await company_stats(chat.embedded.store, chat.company, clock.now)
    assert stats.last_7_days.messages_in == 0 and stats.last_7_days.median_reply_seconds is None
    assert stats.last_7_days.understood_without_llm_share is None and len(stats.days) == 30
