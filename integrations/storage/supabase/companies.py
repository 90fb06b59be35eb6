"""`CompanyStore` on Supabase: companies and customers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from postgrest.types import ReturnMethod

from booking_bot.domain import Company, Customer
from integrations.storage.rows import company_to_json
from integrations.storage.supabase.base import Row, SupabaseStoreBase


class SupabaseCompanyStore(SupabaseStoreBase):
    """Companies (their settings as JSON, secrets kept) and customers (merged, never blanked by a None)."""

    # -- companies ----------------------------------------------------------------------------------------

    async def upsert_company(self, company: Company) -> None:
        row = {"id": company.id, "data": json.loads(company_to_json(company)), "updated_at": self._now()}
        await self._run(self._table("companies").upsert(row, on_conflict="id", returning=ReturnMethod.minimal))

    async def get_company(self, company_id: str) -> Company | None:
        rows = await self._run(self._table("companies").select("data").eq("id", company_id))
        return Company.model_validate(rows[0]["data"]) if rows else None

    async def list_companies(self) -> list[Company]:
        rows = await self._run(self._table("companies").select("data").order("id"))
        return [Company.model_validate(row["data"]) for row in rows]

    # -- customers ----------------------------------------------------------------------------------------

    async def upsert_customer(self, customer: Customer) -> Customer:
        # Only the known fields go in the body: PostgREST's merge updates exactly the body's columns, so a None
        # never overwrites a stored value.
        row: Row = {"company_id": customer.company_id, "id": customer.id, "updated_at": self._now()}
        row.update(
            {
                k: v
                for k, v in (("phone", customer.phone), ("name", customer.name), ("language", customer.language))
                if v is not None
            }
        )
        [stored] = await self._run(self._table("customers").upsert(row, on_conflict="company_id,id"))
        return self._customer(stored)

    @staticmethod
    def _customer(row: Mapping[str, Any]) -> Customer:
        return Customer(
            company_id=row["company_id"], id=row["id"], phone=row["phone"], name=row["name"], language=row["language"]
        )

    async def get_customer(self, company_id: str, customer_id: str) -> Customer | None:
        rows = await self._run(self._table("customers").select("*").eq("company_id", company_id).eq("id", customer_id))
        return self._customer(rows[0]) if rows else None
