"""`IdentityStore` on Supabase: each customer's WhatsApp forms (phone, `@lid`) linked to one customer id.

A link is two writes at most: the identity giving up a form first (a form is unique per company), then the identity
that keeps it, merged by its key. One gateway links a company's identities at a time (it holds the company's lease
and handles its messages one by one), so no other writer runs between the two; a write lost in between leaves the
form on neither identity, and the next message carrying it links it again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from postgrest.types import ReturnMethod

from booking_bot.domain import ChatForms, ChatIdentity, link_forms
from integrations.storage.rows import to_iso
from integrations.storage.supabase.base import Row, SupabaseStoreBase, stored_time

_TABLE = "chat_identities"


def _identity(row: dict[str, Any]) -> ChatIdentity:
    return ChatIdentity(
        company_id=row["company_id"],
        customer_id=row["customer_id"],
        phone=row["phone"],
        lid=row["lid"],
        address=row["address"],
        opted_in_at=stored_time(row["opted_in_at"]) if row["opted_in_at"] else None,
        first_seen=stored_time(row["first_seen"]),
        updated_at=stored_time(row["updated_at"]),
    )


def _row(identity: ChatIdentity) -> Row:
    return {
        "company_id": identity.company_id,
        "customer_id": identity.customer_id,
        "phone": identity.phone,
        "lid": identity.lid,
        "address": identity.address,
        "opted_in_at": to_iso(identity.opted_in_at) if identity.opted_in_at else None,
        "first_seen": to_iso(identity.first_seen),
        "updated_at": to_iso(identity.updated_at),
    }


class SupabaseIdentityStore(SupabaseStoreBase):
    """Identities over PostgREST."""

    async def _one(self, company_id: str, column: str, value: str | None) -> ChatIdentity | None:
        if value is None:
            return None
        rows = await self._run(self._table(_TABLE).select("*").eq("company_id", company_id).eq(column, value))
        return _identity(rows[0]) if rows else None

    async def find_identity(
        self, company_id: str, *, customer_id: str | None = None, phone: str | None = None, lid: str | None = None
    ) -> ChatIdentity | None:
        for column, value in (("customer_id", customer_id), ("lid", lid), ("phone", phone)):
            found = await self._one(company_id, column, value)
            if found is not None:
                return found
        return None

    async def link_identity(self, company_id: str, forms: ChatForms, new_customer_id: str) -> ChatIdentity:
        by_lid = await self._one(company_id, "lid", forms.lid)
        by_phone = await self._one(company_id, "phone", forms.phone)
        kept, given_up = link_forms(company_id, forms, new_customer_id, by_lid, by_phone, self._clock())
        for identity in (given_up, kept):
            if identity is not None:
                await self._run(
                    self._table(_TABLE).upsert(
                        _row(identity), on_conflict="company_id,customer_id", returning=ReturnMethod.minimal
                    )
                )
        return kept

    async def record_opt_in(self, company_id: str, customer_id: str, at: datetime) -> bool:
        changed = await self._run(
            self._table(_TABLE)
            .update({"opted_in_at": to_iso(at), "updated_at": self._now()})
            .eq("company_id", company_id)
            .eq("customer_id", customer_id)
            .is_("opted_in_at", "null")
        )
        return bool(changed) or await self._one(company_id, "customer_id", customer_id) is not None
