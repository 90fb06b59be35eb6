"""`IdentityStore` on SQLite: each customer's WhatsApp forms (phone, `@lid`) linked to one customer id."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from booking_bot.domain import ChatForms, ChatIdentity, link_forms
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.sqlite.base import SqliteStoreBase

TABLES = """
CREATE TABLE IF NOT EXISTS chat_identities (
    company_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    phone TEXT,
    lid TEXT,
    address TEXT,
    opted_in_at TEXT,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, customer_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS chat_identities_phone ON chat_identities (company_id, phone)
    WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS chat_identities_lid ON chat_identities (company_id, lid) WHERE lid IS NOT NULL;
"""
_COLUMNS = "company_id, customer_id, phone, lid, address, opted_in_at, first_seen, updated_at"
_UPSERT = (
    f"INSERT INTO chat_identities ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (company_id, customer_id) DO UPDATE SET phone = excluded.phone, lid = excluded.lid,"
    " address = excluded.address, opted_in_at = excluded.opted_in_at, updated_at = excluded.updated_at"
)


def _identity(row: Sequence[Any]) -> ChatIdentity:
    return ChatIdentity(
        company_id=row[0],
        customer_id=row[1],
        phone=row[2],
        lid=row[3],
        address=row[4],
        opted_in_at=from_iso(row[5]) if row[5] else None,
        first_seen=from_iso(row[6]),
        updated_at=from_iso(row[7]),
    )


def _row(identity: ChatIdentity) -> tuple[str | None, ...]:
    return (
        identity.company_id,
        identity.customer_id,
        identity.phone,
        identity.lid,
        identity.address,
        to_iso(identity.opted_in_at) if identity.opted_in_at else None,
        to_iso(identity.first_seen),
        to_iso(identity.updated_at),
    )


def _by(conn: sqlite3.Connection, company_id: str, column: str, value: str | None) -> ChatIdentity | None:
    if value is None:
        return None
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM chat_identities WHERE company_id = ? AND {column} = ?", (company_id, value)
    ).fetchone()
    return None if row is None else _identity(row)


class SqliteIdentityStore(SqliteStoreBase):
    """Identities, linked in one transaction (a form moves between two identities atomically)."""

    async def find_identity(
        self, company_id: str, *, customer_id: str | None = None, phone: str | None = None, lid: str | None = None
    ) -> ChatIdentity | None:
        for column, value in (("customer_id", customer_id), ("lid", lid), ("phone", phone)):
            if value is not None:
                row = self._fetchone(
                    f"SELECT {_COLUMNS} FROM chat_identities WHERE company_id = ? AND {column} = ?",
                    (company_id, value),
                )
                if row is not None:
                    return _identity(row)
        return None

    async def link_identity(self, company_id: str, forms: ChatForms, new_customer_id: str) -> ChatIdentity:
        with self._transaction() as conn:
            by_lid = _by(conn, company_id, "lid", forms.lid)
            by_phone = _by(conn, company_id, "phone", forms.phone)
            kept, given_up = link_forms(company_id, forms, new_customer_id, by_lid, by_phone, self._clock())
            if given_up is not None:
                conn.execute(_UPSERT, _row(given_up))
            conn.execute(_UPSERT, _row(kept))
        return kept

    async def record_opt_in(self, company_id: str, customer_id: str, at: datetime) -> bool:
        changed = self._execute(
            "UPDATE chat_identities SET opted_in_at = coalesce(opted_in_at, ?), updated_at = ?"
            " WHERE company_id = ? AND customer_id = ?",
            (to_iso(at), self._now(), company_id, customer_id),
        )
        return changed == 1
