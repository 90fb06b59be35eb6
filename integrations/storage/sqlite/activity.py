"""`ActivityStore` on SQLite: a company's counts per time window, read from the message log and the events."""

from __future__ import annotations

import itertools
import statistics
from datetime import datetime

from booking_bot.domain import Activity, EventType
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.sqlite.base import SqliteStoreBase


class SqliteActivityStore(SqliteStoreBase):
    """Activity over the `inbound`, `outbound` and `events` tables (their mixins create them)."""

    async def activity(self, company_id: str, bounds: list[datetime]) -> list[Activity]:
        return [self._activity(company_id, start, end) for start, end in itertools.pairwise(bounds)]

    def _activity(self, company_id: str, start: datetime, end: datetime) -> Activity:
        window = (company_id, to_iso(start), to_iso(end))
        inbound = self._fetchone(
            "SELECT count(*), count(DISTINCT chat_id) FROM inbound"
            " WHERE company_id = ? AND received_at >= ? AND received_at < ? AND from_me = 0",
            window,
        )
        outbound = self._fetchone(
            "SELECT count(*) FROM outbound WHERE company_id = ? AND recorded_at >= ? AND recorded_at < ?", window
        )
        events = dict(
            self._fetchall(
                "SELECT type, count(*) FROM events WHERE company_id = ? AND occurred_at >= ? AND occurred_at < ?"
                " GROUP BY type",
                window,
            )
        )
        understood = self._fetchone(
            "SELECT count(*), coalesce(sum(json_extract(data, '$.understanding.why') = 'stage1_sure'), 0)"
            " FROM events WHERE company_id = ? AND occurred_at >= ? AND occurred_at < ? AND type = ?"
            " AND json_extract(data, '$.understanding') IS NOT NULL",
            (*window, EventType.MESSAGE_RECEIVED.value),
        )
        replies = self._fetchall(
            "SELECT i.received_at, min(o.recorded_at) FROM inbound i JOIN outbound o"
            " ON o.company_id = i.company_id AND o.reply_to = i.message_id"
            " WHERE i.company_id = ? AND i.received_at >= ? AND i.received_at < ? AND i.from_me = 0"
            " GROUP BY i.seq",
            window,
        )
        seconds = [(from_iso(replied) - from_iso(received)).total_seconds() for received, replied in replies]
        return Activity(
            start=start,
            end=end,
            messages_in=inbound[0],
            messages_out=outbound[0],
            conversations=inbound[1],
            bookings_created=events.get(EventType.BOOKING_CREATED.value, 0),
            bookings_moved=events.get(EventType.BOOKING_MOVED.value, 0),
            bookings_cancelled=events.get(EventType.BOOKING_CANCELLED.value, 0),
            reminders_sent=events.get(EventType.REMINDER_SENT.value, 0),
            reminders_confirmed=events.get(EventType.REMINDER_CONFIRMED.value, 0),
            understood=understood[0],
            understood_locally=understood[1],
            replies_timed=len(seconds),
            median_reply_seconds=statistics.median(seconds) if seconds else None,
        )
