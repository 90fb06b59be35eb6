"""`ReminderStore` on SQLite: reminders planned per booking; claims are one write transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from booking_bot.domain import Booking, BookingStatus, Reminder, ReminderStatus
from integrations.storage.rows import from_iso, reminder_key, to_iso
from integrations.storage.sqlite.base import SqliteStoreBase

TABLES = """
CREATE TABLE IF NOT EXISTS reminders (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    company_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT
);
CREATE INDEX IF NOT EXISTS reminders_booking ON reminders (company_id, booking_id, due_at);
CREATE INDEX IF NOT EXISTS reminders_due ON reminders (status, due_at);
"""

_REMINDER_COLUMNS = "key, company_id, booking_id, customer_id, due_at, status"


class SqliteReminderStore(SqliteStoreBase):
    """Reminders of every company; the scheduler claims due ones across processes sharing the file."""

    async def replace_reminders(self, booking: Booking, due: list[datetime]) -> None:
        if booking.status is BookingStatus.CANCELLED:
            due = []  # a cancelled visit gets no reminders
        wanted = {reminder_key(booking.company_id, booking.id, at): at for at in due}
        with self._transaction() as conn:
            for key, at in wanted.items():
                # A planned reminder stays as is; one cancelled earlier (the booking moved away and back) is
                # planned again; a sent one is never touched.
                conn.execute(
                    f"INSERT INTO reminders ({_REMINDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET status = excluded.status WHERE reminders.status = ?",
                    (
                        key,
                        booking.company_id,
                        booking.id,
                        booking.customer_id,
                        to_iso(at),
                        ReminderStatus.PLANNED.value,
                        ReminderStatus.CANCELLED.value,
                    ),
                )
            placeholders = ", ".join("?" * len(wanted))
            conn.execute(
                "UPDATE reminders SET status = ? WHERE company_id = ? AND booking_id = ? AND status IN (?, ?)"
                + (f" AND key NOT IN ({placeholders})" if wanted else ""),
                (
                    ReminderStatus.CANCELLED.value,
                    booking.company_id,
                    booking.id,
                    ReminderStatus.PLANNED.value,
                    ReminderStatus.CLAIMED.value,
                    *wanted,
                ),
            )

    async def cancel_reminders(self, company_id: str, booking_id: str) -> None:
        self._execute(
            "UPDATE reminders SET status = ? WHERE company_id = ? AND booking_id = ? AND status IN (?, ?)",
            (
                ReminderStatus.CANCELLED.value,
                company_id,
                booking_id,
                ReminderStatus.PLANNED.value,
                ReminderStatus.CLAIMED.value,
            ),
        )

    async def list_reminders(self, company_id: str, booking_id: str | None = None) -> list[Reminder]:
        sql = f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE company_id = ?"
        params: tuple[str, ...] = (company_id,)
        if booking_id is not None:
            sql += " AND booking_id = ?"
            params = (company_id, booking_id)
        rows = self._fetchall(sql + " ORDER BY due_at, seq", params)
        return [self._reminder(row) for row in rows]

    async def claim_due_reminders(
        self, now: datetime, limit: int, claimer: str, stale_after: timedelta = timedelta(minutes=5)
    ) -> list[Reminder]:
        # One write transaction (BEGIN IMMEDIATE): a second claimer, even in another process, waits and then
        # finds the rows already claimed.
        with self._transaction() as conn:
            rows = conn.execute(
                f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE (status = ? AND due_at <= ?)"
                " OR (status = ? AND claimed_at < ?) ORDER BY due_at, seq LIMIT ?",
                (
                    ReminderStatus.PLANNED.value,
                    to_iso(now),
                    ReminderStatus.CLAIMED.value,
                    to_iso(now - stale_after),
                    limit,
                ),
            ).fetchall()
            conn.executemany(
                "UPDATE reminders SET status = ?, claimed_by = ?, claimed_at = ? WHERE key = ?",
                [(ReminderStatus.CLAIMED.value, claimer, to_iso(now), row[0]) for row in rows],
            )
        return [self._reminder(row).model_copy(update={"status": ReminderStatus.CLAIMED}) for row in rows]

    async def upcoming_reminders(self, until: datetime, limit: int) -> list[Reminder]:
        rows = self._fetchall(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE status = ? AND due_at <= ? ORDER BY due_at, seq LIMIT ?",
            (ReminderStatus.PLANNED.value, to_iso(until), limit),
        )
        return [self._reminder(row) for row in rows]

    async def get_reminder(self, company_id: str, key: str) -> Reminder | None:
        row = self._fetchone(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE company_id = ? AND key = ?", (company_id, key)
        )
        return None if row is None else self._reminder(row)

    async def finish_reminder(self, company_id: str, key: str, status: ReminderStatus) -> bool:
        changed = self._execute(
            "UPDATE reminders SET status = ? WHERE company_id = ? AND key = ? AND status = ?",
            (status.value, company_id, key, ReminderStatus.CLAIMED.value),
        )
        return changed == 1

    @staticmethod
    def _reminder(row: Sequence[Any]) -> Reminder:
        return Reminder(
            key=row[0],
            company_id=row[1],
            booking_id=row[2],
            customer_id=row[3],
            due_at=from_iso(row[4]),
            status=ReminderStatus(row[5]),
        )
