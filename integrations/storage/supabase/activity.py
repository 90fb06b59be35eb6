"""`ActivityStore` on Supabase: a company's counts per time window, from one SQL function (`company_activity`)."""

from __future__ import annotations

from datetime import datetime

from booking_bot.domain import Activity
from integrations.storage.rows import to_iso
from integrations.storage.supabase.base import SupabaseStoreBase, stored_time


class SupabaseActivityStore(SupabaseStoreBase):
    """Activity as the database counts it."""

    async def activity(self, company_id: str, bounds: list[datetime]) -> list[Activity]:
        rows = await self._rpc(
            "company_activity", {"p_company_id": company_id, "p_bounds": [to_iso(b) for b in bounds]}
        )
        rows.sort(key=lambda row: stored_time(row["start_at"]))
        return [
            Activity(
                start=stored_time(row["start_at"]),
                end=stored_time(row["end_at"]),
                **{name: row[name] for name in Activity.model_fields if name not in {"start", "end"}},
            )
            for row in rows
        ]
