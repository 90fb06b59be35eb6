"""`WebhookStore` on Supabase: events, webhook endpoints and deliveries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from postgrest.types import ReturnMethod

from booking_bot.domain import DeliveryStatus, Event, EventType, WebhookDelivery, WebhookEndpoint
from integrations.storage.rows import model_to_json, to_iso
from integrations.storage.supabase.base import Row, SupabaseStoreBase, stored_time


def event_of(row: Mapping[str, Any]) -> Event:
    """An event as PostgREST returns its row."""
    return Event(
        company_id=row["company_id"],
        id=row["id"],
        type=EventType(row["type"]),
        occurred_at=stored_time(row["occurred_at"]),
        data=row["data"],
    )


class SupabaseWebhookStore(SupabaseStoreBase):
    """Events as they were emitted, the endpoints they go to and each delivery's attempts."""

    async def record_event(self, event: Event) -> bool:
        row = {
            "company_id": event.company_id,
            "id": event.id,
            "type": event.type.value,
            "occurred_at": to_iso(event.occurred_at),
            "data": event.data,
        }
        inserted = await self._run(
            self._table("events").upsert(
                row, on_conflict="company_id,id", ignore_duplicates=True, returning=ReturnMethod.representation
            )
        )
        return len(inserted) == 1

    async def get_event(self, company_id: str, event_id: str) -> Event | None:
        rows = await self._run(self._table("events").select("*").eq("company_id", company_id).eq("id", event_id))
        return event_of(rows[0]) if rows else None

    async def save_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        row = {
            "company_id": endpoint.company_id,
            "id": endpoint.id,
            "data": json.loads(model_to_json(endpoint)),
            "created_at": to_iso(endpoint.created_at),
        }
        await self._run(
            self._table("webhook_endpoints").upsert(row, on_conflict="company_id,id", returning=ReturnMethod.minimal)
        )

    async def list_webhook_endpoints(self, company_id: str) -> list[WebhookEndpoint]:
        rows = await self._run(
            self._table("webhook_endpoints").select("data").eq("company_id", company_id).order("created_at").order("id")
        )
        return [WebhookEndpoint.model_validate(row["data"]) for row in rows]

    async def delete_webhook_endpoint(self, company_id: str, endpoint_id: str) -> bool:
        rows = await self._rpc("delete_webhook_endpoint", {"p_company_id": company_id, "p_id": endpoint_id})
        return len(rows) == 1

    @staticmethod
    def _delivery_row(delivery: WebhookDelivery) -> Row:
        return {
            "company_id": delivery.company_id,
            "id": delivery.id,
            "event_id": delivery.event_id,
            "endpoint_id": delivery.endpoint_id,
            "status": delivery.status.value,
            "attempts": delivery.attempts,
            "last_status": delivery.last_status,
            "last_error": delivery.last_error,
            "created_at": to_iso(delivery.created_at),
            "updated_at": to_iso(delivery.updated_at),
        }

    @staticmethod
    def _delivery(row: Mapping[str, Any]) -> WebhookDelivery:
        return WebhookDelivery(
            company_id=row["company_id"],
            id=row["id"],
            event_id=row["event_id"],
            endpoint_id=row["endpoint_id"],
            status=DeliveryStatus(row["status"]),
            attempts=row["attempts"],
            last_status=row["last_status"],
            last_error=row["last_error"],
            created_at=stored_time(row["created_at"]),
            updated_at=stored_time(row["updated_at"]),
        )

    async def add_webhook_delivery(self, delivery: WebhookDelivery) -> bool:
        inserted = await self._run(
            self._table("webhook_deliveries").upsert(
                self._delivery_row(delivery),
                on_conflict="company_id,id",
                ignore_duplicates=True,
                returning=ReturnMethod.representation,
            )
        )
        return len(inserted) == 1

    async def get_webhook_delivery(self, company_id: str, delivery_id: str) -> WebhookDelivery | None:
        rows = await self._run(
            self._table("webhook_deliveries").select("*").eq("company_id", company_id).eq("id", delivery_id)
        )
        return self._delivery(rows[0]) if rows else None

    async def update_webhook_delivery(self, delivery: WebhookDelivery) -> None:
        patch = {
            key: value
            for key, value in self._delivery_row(delivery).items()
            if key in {"status", "attempts", "last_status", "last_error", "updated_at"}
        }
        await self._run(
            self._table("webhook_deliveries")
            .update(patch, returning=ReturnMethod.minimal)
            .eq("company_id", delivery.company_id)
            .eq("id", delivery.id)
        )

    async def list_webhook_deliveries(
        self, company_id: str, status: DeliveryStatus | None = None, limit: int = 100
    ) -> list[WebhookDelivery]:
        query = self._table("webhook_deliveries").select("*").eq("company_id", company_id)
        if status is not None:
            query = query.eq("status", status.value)
        rows = await self._run(query.order("seq", desc=True).limit(limit))
        return [self._delivery(row) for row in rows]

    async def stale_webhook_deliveries(self, updated_before: datetime, limit: int) -> list[WebhookDelivery]:
        rows = await self._run(
            self._table("webhook_deliveries")
            .select("*")
            .eq("status", DeliveryStatus.PENDING.value)
            .lt("updated_at", to_iso(updated_before))
            .order("updated_at")
            .limit(limit)
        )
        return [self._delivery(row) for row in rows]
