"""SQLite plumbing shared by the embedded adapters (the store and the built-in calendar).

One connection per object, shared by threads behind one lock; WAL for files; write transactions are
BEGIN IMMEDIATE, so they are also safe between processes sharing the file. Datetimes are stored as
fixed-width UTC ISO strings (`integrations/storage/rows.py`), so text order is time order.

Waiting for another process's write: SQLite's own busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries, and
it sleeps on the caller's thread, which for the async adapters is the event loop. Writes here last tens of
microseconds, so the helpers below wait instead by polling from 50 µs up to 2 ms (`BUSY_WAIT_SECONDS` in all).
In the pipeline benchmark SQLite's handler held each worker's event loop for about 1.4 s per 4,000 messages.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from booking_bot.domain import Booking, BookingStatus
from integrations.storage.rows import from_iso, to_iso

BUSY_WAIT_SECONDS = 30.0
_POLL_FIRST = 0.00005
_POLL_MAX = 0.002
T = TypeVar("T")
BOOKING_COLUMNS = "id, company_id, customer_id, service_id, staff_id, start_at, end_at, status, backend_id"
BOOKING_INSERT = f"INSERT INTO bookings ({BOOKING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
BOOKING_UPSERT = (
    BOOKING_INSERT + " ON CONFLICT (company_id, id) DO UPDATE SET customer_id = excluded.customer_id,"
    " service_id = excluded.service_id, staff_id = excluded.staff_id, start_at = excluded.start_at,"
    " end_at = excluded.end_at, status = excluded.status, backend_id = excluded.backend_id"
)


def booking_row(booking: Booking) -> tuple[str, ...]:
    """The parameters of `BOOKING_INSERT` / `BOOKING_UPSERT` for `booking` (the order of `BOOKING_COLUMNS`)."""
    return (
        booking.id,
        booking.company_id,
        booking.customer_id,
        booking.service_id,
        booking.staff_id,
        to_iso(booking.start),
        to_iso(booking.end),
        booking.status.value,
        booking.backend_id,
    )


def booking_from_row(row: Sequence[Any]) -> Booking:
    """A `Booking` from a row selected with `BOOKING_COLUMNS` (both adapters keep bookings in that shape)."""
    return Booking(
        id=row[0],
        company_id=row[1],
        customer_id=row[2],
        service_id=row[3],
        staff_id=row[4],
        start=from_iso(row[5]),
        end=from_iso(row[6]),
        status=BookingStatus(row[7]),
        backend_id=row[8],
    )


class SqliteDatabase:
    """Base of the SQLite adapters: the connection, its lock and small helpers. `path` may be ":memory:"."""

    def __init__(self, path: str | Path, schema: str) -> None:
        self._lock = threading.Lock()
        target = str(path)
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=30.0)
        with self._lock:
            self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_SECONDS * 1000)}")
            if target != ":memory:" and not target.startswith("file::memory:"):
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(schema)
            # From here on a busy database is waited for by `_busy_retry` (fine-grained), not by SQLite.
            self._conn.execute("PRAGMA busy_timeout = 0")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run one write transaction (BEGIN IMMEDIATE ... COMMIT / ROLLBACK)."""
        with self._lock:
            _busy_retry(lambda: self._conn.execute("BEGIN IMMEDIATE"))
            try:
                yield self._conn
                _busy_retry(lambda: self._conn.execute("COMMIT"))
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return _busy_retry(lambda: self._conn.execute(sql, params).fetchall())

    def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._lock:
            return _busy_retry(lambda: self._conn.execute(sql, params).fetchone())

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement (autocommit); the number of rows it changed."""
        with self._lock:
            return _busy_retry(lambda: self._conn.execute(sql, params).rowcount)


def _busy_retry(run: Callable[[], T]) -> T:
    """`run()`, tried again while another connection holds the write lock (up to BUSY_WAIT_SECONDS)."""
    deadline = 0.0
    pause = _POLL_FIRST
    while True:
        try:
            return run()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):  # primary code
                raise
            now = time.monotonic()
            if not deadline:
                deadline = now + BUSY_WAIT_SECONDS
            elif now >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, _POLL_MAX)
