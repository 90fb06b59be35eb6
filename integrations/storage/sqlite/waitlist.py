"""`WaitlistStore` on SQLite: waiting entries, freed times and their offers, visit marks, follow-ups. Every change
of an opening or an offer is one write transaction (BEGIN IMMEDIATE), so schedulers in other processes sharing the
file see it whole; rows are the shared shapes of `integrations/storage/waitlist_rows.py`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from booking_bot.domain import (
    Event,
    EventType,
    FollowUp,
    FollowUpStatus,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    VisitMark,
    WaitEntry,
    WaitStatus,
)
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.sqlite.base import SqliteStoreBase
from integrations.storage.waitlist_rows import (
    ENTRY_COLUMNS,
    FOLLOWUP_COLUMNS,
    OFFER_COLUMNS,
    OPENING_COLUMNS,
    VISIT_COLUMNS,
    Row,
    entry_of,
    entry_row,
    followup_of,
    followup_row,
    mark_replaces,
    offer_of,
    offer_row,
    opening_of,
    opening_row,
    visit_of,
    visit_row,
)

STALE_CLAIM = timedelta(minutes=5)
CLAIMED = OpeningStatus.CLAIMED.value  # the same word for freed times and follow-ups (FollowUpStatus.CLAIMED)

TABLES = """
CREATE TABLE IF NOT EXISTS wait_entries (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    staff_id TEXT,
    day TEXT NOT NULL,
    window_start TEXT,
    window_end TEXT,
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS wait_entries_day ON wait_entries (company_id, day, status);
CREATE TABLE IF NOT EXISTS waitlist_openings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    freed_by TEXT NOT NULL,
    freed_at TEXT NOT NULL,
    status TEXT NOT NULL,
    offer_id TEXT,
    not_before TEXT,
    claimed_by TEXT,
    claimed_at TEXT,
    UNIQUE (company_id, id)
);
CREATE INDEX IF NOT EXISTS waitlist_openings_status ON waitlist_openings (status, not_before);
CREATE TABLE IF NOT EXISTS waitlist_offers (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    opening_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    start_at TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    hold_until TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS waitlist_offers_opening ON waitlist_offers (company_id, opening_id);
CREATE INDEX IF NOT EXISTS waitlist_offers_holding ON waitlist_offers (status, hold_until);
CREATE TABLE IF NOT EXISTS visits (
    company_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    attendance TEXT NOT NULL,
    source TEXT NOT NULL,
    visit_start TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (company_id, booking_id)
);
CREATE INDEX IF NOT EXISTS visits_customer ON visits (company_id, customer_id, attendance);
CREATE TABLE IF NOT EXISTS followups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,
    booking_id TEXT,
    customer_id TEXT,
    visit_start TEXT,
    day TEXT,
    claimed_by TEXT,
    claimed_at TEXT,
    UNIQUE (company_id, key)
);
CREATE INDEX IF NOT EXISTS followups_due ON followups (status, due_at);
CREATE INDEX IF NOT EXISTS events_type_time ON events (type, occurred_at);
"""


def _columns(columns: Sequence[str]) -> str:
    return ", ".join(columns)


def _placeholders(columns: Sequence[str]) -> str:
    return ", ".join("?" * len(columns))


def _row(columns: Sequence[str], values: Sequence[Any]) -> Row:
    return dict(zip(columns, values, strict=True))


class SqliteWaitlistStore(SqliteStoreBase):
    """The waiting list and visits of every company (the `events` and `inbound` tables are other mixins')."""

    # -- waiting entries ----------------------------------------------------------------------------------

    async def save_wait_entry(self, entry: WaitEntry) -> WaitEntry:
        row = entry_row(entry)
        with self._transaction() as conn:
            known = conn.execute(
                f"SELECT {_columns(ENTRY_COLUMNS)} FROM wait_entries WHERE company_id = ? AND id = ?",
                (entry.company_id, entry.id),
            ).fetchone()
            if known is not None and known[ENTRY_COLUMNS.index("status")] == WaitStatus.WAITING.value:
                row["requested_at"] = known[ENTRY_COLUMNS.index("requested_at")]  # asking again keeps the place
            conn.execute(
                f"INSERT OR REPLACE INTO wait_entries ({_columns(ENTRY_COLUMNS)})"
                f" VALUES ({_placeholders(ENTRY_COLUMNS)})",
                [row[c] for c in ENTRY_COLUMNS],
            )
        return entry_of(row)

    async def wait_entries(self, company_id: str, day: date | None = None) -> list[WaitEntry]:
        sql = f"SELECT {_columns(ENTRY_COLUMNS)} FROM wait_entries WHERE company_id = ?"
        params: tuple[str, ...] = (company_id,)
        if day is not None:
            sql, params = sql + " AND day = ?", (company_id, day.isoformat())
        rows = self._fetchall(sql + " ORDER BY requested_at, id", params)
        return [entry_of(_row(ENTRY_COLUMNS, r)) for r in rows]

    # -- openings and offers ------------------------------------------------------------------------------

    async def add_openings(self, openings: list[Opening]) -> int:
        return self._insert_new("waitlist_openings", OPENING_COLUMNS, [opening_row(o) for o in openings])

    async def get_opening(self, company_id: str, opening_id: str) -> Opening | None:
        row = self._fetchone(
            f"SELECT {_columns(OPENING_COLUMNS)} FROM waitlist_openings WHERE company_id = ? AND id = ?",
            (company_id, opening_id),
        )
        return None if row is None else opening_of(_row(OPENING_COLUMNS, row))

    async def claim_openings(self, now: datetime, limit: int, claimer: str) -> list[Opening]:
        ready = ("status = ? AND (not_before IS NULL OR not_before <= ?)", (OpeningStatus.OPEN.value, to_iso(now)))
        rows = self._claim("waitlist_openings", OPENING_COLUMNS, "id", ready, "start_at, seq", now, limit, claimer)
        return [opening_of(row) for row in rows]

    async def release_opening(
        self, company_id: str, opening_id: str, claimer: str, status: OpeningStatus, not_before: datetime | None = None
    ) -> bool:
        changed = self._execute(
            "UPDATE waitlist_openings SET status = ?, not_before = ?, claimed_by = NULL, claimed_at = NULL"
            " WHERE company_id = ? AND id = ? AND status = ? AND claimed_by = ?",
            (
                status.value,
                None if not_before is None else to_iso(not_before),
                company_id,
                opening_id,
                OpeningStatus.CLAIMED.value,
                claimer,
            ),
        )
        return changed == 1

    async def hold_opening(self, offer: Offer, claimer: str) -> bool:
        row = offer_row(offer)
        with self._transaction() as conn:
            held = conn.execute(
                "UPDATE waitlist_openings SET status = ?, offer_id = ?, claimed_by = NULL, claimed_at = NULL"
                " WHERE company_id = ? AND id = ? AND status = ? AND claimed_by = ?",
                (
                    OpeningStatus.HELD.value,
                    offer.id,
                    offer.company_id,
                    offer.opening_id,
                    OpeningStatus.CLAIMED.value,
                    claimer,
                ),
            ).rowcount
            if held:
                conn.execute(
                    f"INSERT OR IGNORE INTO waitlist_offers ({_columns(OFFER_COLUMNS)})"
                    f" VALUES ({_placeholders(OFFER_COLUMNS)})",
                    [row[c] for c in OFFER_COLUMNS],
                )
        return held == 1

    async def get_offer(self, company_id: str, offer_id: str) -> Offer | None:
        row = self._fetchone(
            f"SELECT {_columns(OFFER_COLUMNS)} FROM waitlist_offers WHERE company_id = ? AND id = ?",
            (company_id, offer_id),
        )
        return None if row is None else offer_of(_row(OFFER_COLUMNS, row))

    async def offers(self, company_id: str, opening_id: str) -> list[Offer]:
        rows = self._fetchall(
            f"SELECT {_columns(OFFER_COLUMNS)} FROM waitlist_offers WHERE company_id = ? AND opening_id = ?"
            " ORDER BY sent_at, id",
            (company_id, opening_id),
        )
        return [offer_of(_row(OFFER_COLUMNS, row)) for row in rows]

    async def finish_offer(self, company_id: str, offer_id: str, status: OfferStatus) -> bool:
        # A yes that came after the hold (nobody else held the time meanwhile, or the booking would have been
        # refused) still fills the time: ACCEPTED may follow EXPIRED.
        ended = (OfferStatus.HOLDING.value, OfferStatus.EXPIRED.value) if status is OfferStatus.ACCEPTED else ()
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT opening_id, entry_id, status FROM waitlist_offers WHERE company_id = ? AND id = ?",
                (company_id, offer_id),
            ).fetchone()
            if row is None or row[2] not in (OfferStatus.HOLDING.value, *ended):
                return False
            opening_id, entry_id = row[0], row[1]
            conn.execute(
                "UPDATE waitlist_offers SET status = ? WHERE company_id = ? AND id = ?",
                (status.value, company_id, offer_id),
            )
            if status is OfferStatus.ACCEPTED:
                conn.execute(
                    "UPDATE waitlist_openings SET status = ?, offer_id = ?, claimed_by = NULL"
                    " WHERE company_id = ? AND id = ?",
                    (OpeningStatus.FILLED.value, offer_id, company_id, opening_id),
                )
                conn.execute(
                    "UPDATE wait_entries SET status = ? WHERE company_id = ? AND id = ?",
                    (WaitStatus.BOOKED.value, company_id, entry_id),
                )
            else:
                conn.execute(
                    "UPDATE waitlist_openings SET status = ?, offer_id = NULL"
                    " WHERE company_id = ? AND id = ? AND status = ? AND offer_id = ?",
                    (OpeningStatus.OPEN.value, company_id, opening_id, OpeningStatus.HELD.value, offer_id),
                )
        return True

    async def expired_offers(self, now: datetime, limit: int) -> list[Offer]:
        rows = self._fetchall(
            f"SELECT {_columns(OFFER_COLUMNS)} FROM waitlist_offers WHERE status = ? AND hold_until <= ?"
            " ORDER BY hold_until, id LIMIT ?",
            (OfferStatus.HOLDING.value, to_iso(now), limit),
        )
        return [offer_of(_row(OFFER_COLUMNS, row)) for row in rows]

    async def holding_offers(self, company_id: str, now: datetime) -> list[Offer]:
        rows = self._fetchall(
            f"SELECT {_columns(OFFER_COLUMNS)} FROM waitlist_offers"
            " WHERE company_id = ? AND status = ? AND hold_until > ? ORDER BY start_at, id",
            (company_id, OfferStatus.HOLDING.value, to_iso(now)),
        )
        return [offer_of(_row(OFFER_COLUMNS, row)) for row in rows]

    # -- visits -------------------------------------------------------------------------------------------

    async def mark_visit(self, mark: VisitMark) -> bool:
        row = visit_row(mark)
        with self._transaction() as conn:
            known = conn.execute(
                f"SELECT {_columns(VISIT_COLUMNS)} FROM visits WHERE company_id = ? AND booking_id = ?",
                (mark.company_id, mark.booking_id),
            ).fetchone()
            if not mark_replaces(None if known is None else visit_of(_row(VISIT_COLUMNS, known)), mark):
                return False
            conn.execute(
                f"INSERT OR REPLACE INTO visits ({_columns(VISIT_COLUMNS)}) VALUES ({_placeholders(VISIT_COLUMNS)})",
                [row[c] for c in VISIT_COLUMNS],
            )
        return True

    async def get_visit(self, company_id: str, booking_id: str) -> VisitMark | None:
        row = self._fetchone(
            f"SELECT {_columns(VISIT_COLUMNS)} FROM visits WHERE company_id = ? AND booking_id = ?",
            (company_id, booking_id),
        )
        return None if row is None else visit_of(_row(VISIT_COLUMNS, row))

    async def no_shows(self, company_id: str, customer_id: str) -> int:
        row = self._fetchone(
            "SELECT count(*) FROM visits WHERE company_id = ? AND customer_id = ? AND attendance = 'no_show'",
            (company_id, customer_id),
        )
        return int(row[0])

    # -- follow-ups ---------------------------------------------------------------------------------------

    async def plan_followups(self, followups: list[FollowUp]) -> int:
        return self._insert_new("followups", FOLLOWUP_COLUMNS, [followup_row(f) for f in followups])

    async def claim_due_followups(self, now: datetime, limit: int, claimer: str) -> list[FollowUp]:
        ready = ("status = ? AND due_at <= ?", (FollowUpStatus.PLANNED.value, to_iso(now)))
        rows = self._claim("followups", FOLLOWUP_COLUMNS, "key", ready, "due_at, seq", now, limit, claimer)
        return [followup_of(row) for row in rows]

    async def get_followup(self, company_id: str, key: str) -> FollowUp | None:
        row = self._fetchone(
            f"SELECT {_columns(FOLLOWUP_COLUMNS)} FROM followups WHERE company_id = ? AND key = ?", (company_id, key)
        )
        return None if row is None else followup_of(_row(FOLLOWUP_COLUMNS, row))

    async def finish_followup(self, company_id: str, key: str, status: FollowUpStatus) -> bool:
        changed = self._execute(
            "UPDATE followups SET status = ? WHERE company_id = ? AND key = ? AND status = ?",
            (status.value, company_id, key, FollowUpStatus.CLAIMED.value),
        )
        return changed == 1

    # -- what the list and the digest read from the other tables ------------------------------------------

    async def events_between(
        self, types: tuple[EventType, ...], start: datetime, end: datetime, company_id: str | None = None
    ) -> list[Event]:
        if not types:
            return []
        sql = (
            "SELECT company_id, id, type, occurred_at, data FROM events"
            f" WHERE type IN ({_placeholders(types)}) AND occurred_at >= ? AND occurred_at < ?"
        )
        params: list[str] = [t.value for t in types] + [to_iso(start), to_iso(end)]
        if company_id is not None:
            sql += " AND company_id = ?"
            params.append(company_id)
        rows = self._fetchall(sql + " ORDER BY occurred_at, id", params)
        return [
            Event(company_id=r[0], id=r[1], type=EventType(r[2]), occurred_at=from_iso(r[3]), data=json.loads(r[4]))
            for r in rows
        ]

    async def staff_wrote_since(self, company_id: str, chat_id: str, since: datetime) -> bool:
        row = self._fetchone(
            "SELECT 1 FROM inbound WHERE company_id = ? AND chat_id = ? AND from_me = 1 AND received_at > ? LIMIT 1",
            (company_id, chat_id, to_iso(since)),
        )
        return row is not None

    # -- shared steps -------------------------------------------------------------------------------------

    def _insert_new(self, table: str, columns: Sequence[str], rows: list[Row]) -> int:
        """Insert the rows not known yet (by the table's unique key), in one transaction; how many were new."""
        with self._transaction() as conn:
            return sum(
                conn.execute(
                    f"INSERT OR IGNORE INTO {table} ({_columns(columns)}) VALUES ({_placeholders(columns)})",
                    [row[c] for c in columns],
                ).rowcount
                for row in rows
            )

    def _claim(
        self,
        table: str,
        columns: Sequence[str],
        key: str,
        ready: tuple[str, tuple[str, ...]],
        order: str,
        now: datetime,
        limit: int,
        claimer: str,
    ) -> list[Row]:
        """One write transaction: the rows `ready` (a condition and its parameters) and the claims older than
        STALE_CLAIM, earliest first, are claimed by `claimer`; a claimer in another process waits, then finds them
        taken. Returns them as claimed."""
        condition, params = ready
        with self._transaction() as conn:
            rows = conn.execute(
                f"SELECT {_columns(columns)} FROM {table} WHERE ({condition}) OR (status = ? AND claimed_at < ?)"
                f" ORDER BY {order} LIMIT ?",
                (*params, CLAIMED, to_iso(now - STALE_CLAIM), limit),
            ).fetchall()
            conn.executemany(
                f"UPDATE {table} SET status = ?, claimed_by = ?, claimed_at = ? WHERE company_id = ? AND {key} = ?",
                [(CLAIMED, claimer, to_iso(now), row[0], row[1]) for row in rows],
            )
        return [{**_row(columns, row), "status": CLAIMED} for row in rows]
