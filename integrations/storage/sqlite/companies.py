"""`CompanyStore` on SQLite: companies (kept briefly in memory) and customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from booking_bot.domain import Company, Customer
from integrations.storage.rows import company_from_json, company_to_json
from integrations.storage.sqlite.base import SqliteStoreBase
from integrations.ttl_cache import TtlCache

TABLES = """
CREATE TABLE IF NOT EXISTS companies (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    phone TEXT,
    name TEXT,
    language TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
"""


def _merged(known: Customer, update: Customer) -> Customer:
    """What `upsert_customer` keeps: the update's fields where it has them, the known ones elsewhere."""
    return known.model_copy(
        update={
            "phone": known.phone if update.phone is None else update.phone,
            "name": known.name if update.name is None else update.name,
            "language": known.language if update.language is None else update.language,
        }
    )


class SqliteCompanyStore(SqliteStoreBase):
    """Companies and customers. A company read is kept for `_company_ttl` seconds (set by the composed store)."""

    _company_ttl: float
    _companies: TtlCache[str, Company]

    # -- companies ----------------------------------------------------------------------------------------

    async def upsert_company(self, company: Company) -> None:
        self._execute(
            "INSERT INTO companies (id, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (company.id, company_to_json(company), self._now()),
        )
        self._companies.discard(company.id)  # after the write; a read racing it keeps the old one 2 s at most

    async def get_company(self, company_id: str) -> Company | None:
        cached = self._companies.get(company_id)
        if cached is not None:
            return cached  # frozen: safe to share
        row = self._fetchone("SELECT data FROM companies WHERE id = ?", (company_id,))
        if row is None:
            return None
        company = company_from_json(row[0])
        self._companies.put(company_id, company, self._company_ttl)
        return company

    async def list_companies(self) -> list[Company]:
        return [company_from_json(row[0]) for row in self._fetchall("SELECT data FROM companies ORDER BY id")]

    # -- customers ----------------------------------------------------------------------------------------

    async def upsert_customer(self, customer: Customer) -> Customer:
        known = await self.get_customer(customer.company_id, customer.id)
        if known is not None and known == _merged(known, customer):
            return known  # nothing new: no write (a returning customer's every message)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO customers (company_id, id, phone, name, language, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, id) DO UPDATE SET"
                " phone = COALESCE(excluded.phone, customers.phone),"
                " name = COALESCE(excluded.name, customers.name),"
                " language = COALESCE(excluded.language, customers.language),"
                " updated_at = excluded.updated_at",
                (
                    customer.company_id,
                    customer.id,
                    customer.phone,
                    customer.name,
                    customer.language,
                    self._now(),
                ),
            )
            row = conn.execute(
                "SELECT company_id, id, phone, name, language FROM customers WHERE company_id = ? AND id = ?",
                (customer.company_id, customer.id),
            ).fetchone()
        return self._customer(row)

    @staticmethod
    def _customer(row: Sequence[Any]) -> Customer:
        return Customer(company_id=row[0], id=row[1], phone=row[2], name=row[3], language=row[4])

    async def get_customer(self, company_id: str, customer_id: str) -> Customer | None:
        row = self._fetchone(
            "SELECT company_id, id, phone, name, language FROM customers WHERE company_id = ? AND id = ?",
            (company_id, customer_id),
        )
        return None if row is None else self._customer(row)
