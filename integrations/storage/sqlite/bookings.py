"""`BookingMirror` on SQLite: our copy of the bookings, and the booking intents (at most one booking per key)."""

from __future__ import annotations

from booking_bot.domain import Booking, BookingIntent, BookingIntentStatus
from integrations.storage.sqlite.base import SqliteStoreBase
from integrations.storage.sqlite_db import BOOKING_COLUMNS, BOOKING_UPSERT, booking_from_row, booking_row

TABLES = """
CREATE TABLE IF NOT EXISTS bookings (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    status TEXT NOT NULL,
    backend_id TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS bookings_start ON bookings (company_id, start_at);
CREATE TABLE IF NOT EXISTS booking_intents (
    company_id TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    backend_id TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, key)
);
"""


class SqliteBookingMirror(SqliteStoreBase):
    """Bookings (rows shaped as the built-in calendar's, `sqlite_db.BOOKING_COLUMNS`) and booking intents."""

    # -- bookings -----------------------------------------------------------------------------------------

    async def save_booking(self, booking: Booking) -> None:
        self._execute(BOOKING_UPSERT, booking_row(booking))

    async def get_booking(self, company_id: str, booking_id: str) -> Booking | None:
        row = self._fetchone(
            f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? AND id = ?",
            (company_id, booking_id),
        )
        return None if row is None else booking_from_row(row)

    async def list_bookings(self, company_id: str) -> list[Booking]:
        rows = self._fetchall(
            f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? ORDER BY start_at, id",
            (company_id,),
        )
        return [booking_from_row(row) for row in rows]

    # -- booking intents ----------------------------------------------------------------------------------

    async def begin_booking_intent(self, intent: BookingIntent) -> BookingIntent:
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO booking_intents (company_id, key, data, status, backend_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    intent.company_id,
                    intent.key,
                    intent.model_dump_json(),
                    intent.status,
                    intent.backend_id,
                    self._now(),
                ),
            )
            row = conn.execute(
                "SELECT data, status, backend_id FROM booking_intents WHERE company_id = ? AND key = ?",
                (intent.company_id, intent.key),
            ).fetchone()
        stored = BookingIntent.model_validate_json(row[0])
        return stored.model_copy(update={"status": BookingIntentStatus(row[1]), "backend_id": row[2]})

    async def finish_booking_intent(
        self, company_id: str, key: str, status: BookingIntentStatus, backend_id: str | None = None
    ) -> None:
        self._execute(
            "UPDATE booking_intents SET status = ?, backend_id = COALESCE(?, backend_id), updated_at = ?"
            " WHERE company_id = ? AND key = ?",
            (status, backend_id, self._now(), company_id, key),
        )
