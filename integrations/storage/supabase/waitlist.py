"""`WaitlistStore` on Supabase: single-row writes are PostgREST upserts and conditional updates; what must be atomic
over rows is a SQL function of migration 0005 (`claim_waitlist_openings`, `hold_waitlist_opening`,
`finish_waitlist_offer`, `mark_visit`, `claim_due_followups`). Rows are the shapes of `waitlist_rows.py`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from postgrest.types import ReturnMethod

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
from integrations.storage.rows import to_iso
from integrations.storage.supabase.base import SupabaseStoreBase, stored_time
from integrations.storage.supabase.webhooks import event_of
from integrations.storage.waitlist_rows import (
    entry_of,
    entry_row,
    followup_of,
    followup_row,
    offer_of,
    offer_row,
    opening_of,
    opening_row,
    visit_of,
    visit_row,
)

STALE_CLAIM = timedelta(minutes=5)
_STALE = f"{STALE_CLAIM.total_seconds()} seconds"


class SupabaseWaitlistStore(SupabaseStoreBase):
    """The waiting list and visits of every company."""

    # -- waiting entries ----------------------------------------------------------------------------------

    async def save_wait_entry(self, entry: WaitEntry) -> WaitEntry:
        row = entry_row(entry)
        known = await self._run(
            self._table("wait_entries").select("*").eq("company_id", entry.company_id).eq("id", entry.id)
        )
        if known and known[0]["status"] == WaitStatus.WAITING.value:
            row["requested_at"] = to_iso(stored_time(known[0]["requested_at"]))  # asking again keeps the place
        await self._run(
            self._table("wait_entries").upsert(row, on_conflict="company_id,id", returning=ReturnMethod.minimal)
        )
        return entry_of(row)

    async def wait_entries(self, company_id: str, day: date | None = None) -> list[WaitEntry]:
        query = self._table("wait_entries").select("*").eq("company_id", company_id)
        if day is not None:
            query = query.eq("day", day.isoformat())
        return [entry_of(row) for row in await self._run(query.order("requested_at").order("id"))]

    # -- openings and offers ------------------------------------------------------------------------------

    async def add_openings(self, openings: list[Opening]) -> int:
        if not openings:
            return 0
        inserted = await self._run(
            self._table("waitlist_openings").upsert(
                [opening_row(o) for o in openings],
                on_conflict="company_id,id",
                ignore_duplicates=True,
                returning=ReturnMethod.representation,
            )
        )
        return len(inserted)

    async def get_opening(self, company_id: str, opening_id: str) -> Opening | None:
        rows = await self._run(
            self._table("waitlist_openings").select("*").eq("company_id", company_id).eq("id", opening_id)
        )
        return opening_of(rows[0]) if rows else None

    async def claim_openings(self, now: datetime, limit: int, claimer: str) -> list[Opening]:
        rows = await self._rpc(
            "claim_waitlist_openings",
            {"p_now": to_iso(now), "p_limit": limit, "p_claimer": claimer, "p_stale_after": _STALE},
        )
        openings = [opening_of(row) for row in rows]
        return sorted(openings, key=lambda o: (o.start, o.id))

    async def release_opening(
        self, company_id: str, opening_id: str, claimer: str, status: OpeningStatus, not_before: datetime | None = None
    ) -> bool:
        patch = {
            "status": status.value,
            "not_before": None if not_before is None else to_iso(not_before),
            "claimed_by": None,
            "claimed_at": None,
        }
        rows = await self._run(
            self._table("waitlist_openings")
            .update(patch)
            .eq("company_id", company_id)
            .eq("id", opening_id)
            .eq("status", OpeningStatus.CLAIMED.value)
            .eq("claimed_by", claimer)
        )
        return len(rows) == 1

    async def hold_opening(self, offer: Offer, claimer: str) -> bool:
        row = offer_row(offer)
        rows = await self._rpc(
            "hold_waitlist_opening",
            {
                "p_company_id": offer.company_id,
                "p_opening_id": offer.opening_id,
                "p_claimer": claimer,
                "p_offer_id": offer.id,
                **{f"p_{name}": row[name] for name in ("entry_id", "customer_id", "service_id", "staff_id")},
                **{f"p_{name}": row[name] for name in ("start_at", "sent_at", "hold_until")},
            },
        )
        return len(rows) == 1

    async def get_offer(self, company_id: str, offer_id: str) -> Offer | None:
        rows = await self._run(
            self._table("waitlist_offers").select("*").eq("company_id", company_id).eq("id", offer_id)
        )
        return offer_of(rows[0]) if rows else None

    async def offers(self, company_id: str, opening_id: str) -> list[Offer]:
        rows = await self._run(
            self._table("waitlist_offers")
            .select("*")
            .eq("company_id", company_id)
            .eq("opening_id", opening_id)
            .order("sent_at")
            .order("id")
        )
        return [offer_of(row) for row in rows]

    async def finish_offer(self, company_id: str, offer_id: str, status: OfferStatus) -> bool:
        rows = await self._rpc(
            "finish_waitlist_offer", {"p_company_id": company_id, "p_offer_id": offer_id, "p_status": status.value}
        )
        return len(rows) == 1

    async def expired_offers(self, now: datetime, limit: int) -> list[Offer]:
        rows = await self._run(
            self._table("waitlist_offers")
            .select("*")
            .eq("status", OfferStatus.HOLDING.value)
            .lte("hold_until", to_iso(now))
            .order("hold_until")
            .order("id")
            .limit(limit)
        )
        return [offer_of(row) for row in rows]

    async def holding_offers(self, company_id: str, now: datetime) -> list[Offer]:
        rows = await self._run(
            self._table("waitlist_offers")
            .select("*")
            .eq("company_id", company_id)
            .eq("status", OfferStatus.HOLDING.value)
            .gt("hold_until", to_iso(now))
            .order("start_at")
            .order("id")
        )
        return [offer_of(row) for row in rows]

    # -- visits -------------------------------------------------------------------------------------------

    async def mark_visit(self, mark: VisitMark) -> bool:
        rows = await self._rpc("mark_visit", {f"p_{name}": value for name, value in visit_row(mark).items()})
        return len(rows) == 1

    async def get_visit(self, company_id: str, booking_id: str) -> VisitMark | None:
        rows = await self._run(
            self._table("visits").select("*").eq("company_id", company_id).eq("booking_id", booking_id)
        )
        return visit_of(rows[0]) if rows else None

    async def no_shows(self, company_id: str, customer_id: str) -> int:
        rows = await self._run(
            self._table("visits")
            .select("booking_id")
            .eq("company_id", company_id)
            .eq("customer_id", customer_id)
            .eq("attendance", "no_show")
        )
        return len(rows)

    # -- follow-ups ---------------------------------------------------------------------------------------

    async def plan_followups(self, followups: list[FollowUp]) -> int:
        if not followups:
            return 0
        inserted = await self._run(
            self._table("followups").upsert(
                [followup_row(f) for f in followups],
                on_conflict="company_id,key",
                ignore_duplicates=True,
                returning=ReturnMethod.representation,
            )
        )
        return len(inserted)

    async def claim_due_followups(self, now: datetime, limit: int, claimer: str) -> list[FollowUp]:
        rows = await self._rpc(
            "claim_due_followups",
            {"p_now": to_iso(now), "p_limit": limit, "p_claimer": claimer, "p_stale_after": _STALE},
        )
        return sorted((followup_of(row) for row in rows), key=lambda f: (f.due_at, f.key))

    async def get_followup(self, company_id: str, key: str) -> FollowUp | None:
        rows = await self._run(self._table("followups").select("*").eq("company_id", company_id).eq("key", key))
        return followup_of(rows[0]) if rows else None

    async def finish_followup(self, company_id: str, key: str, status: FollowUpStatus) -> bool:
        rows = await self._run(
            self._table("followups")
            .update({"status": status.value})
            .eq("company_id", company_id)
            .eq("key", key)
            .eq("status", FollowUpStatus.CLAIMED.value)
        )
        return len(rows) == 1

    # -- what the list and the digest read from the other tables ------------------------------------------

    async def events_between(
        self, types: tuple[EventType, ...], start: datetime, end: datetime, company_id: str | None = None
    ) -> list[Event]:
        if not types:
            return []
        query = (
            self._table("events")
            .select("*")
            .in_("type", [t.value for t in types])
            .gte("occurred_at", to_iso(start))
            .lt("occurred_at", to_iso(end))
        )
        if company_id is not None:
            query = query.eq("company_id", company_id)
        return [event_of(row) for row in await self._run(query.order("occurred_at").order("id"))]

    async def staff_wrote_since(self, company_id: str, chat_id: str, since: datetime) -> bool:
        rows = await self._run(
            self._table("inbound")
            .select("seq")
            .eq("company_id", company_id)
            .eq("chat_id", chat_id)
            .eq("from_me", True)
            .gt("received_at", to_iso(since))
            .limit(1)
        )
        return bool(rows)
