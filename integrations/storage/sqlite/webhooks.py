"""`WebhookStore` on SQLite: events, webhook endpoints and deliveries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from booking_bot.domain import DeliveryStatus, Event, EventType, WebhookDelivery, WebhookEndpoint
from integrations.storage.rows import from_iso, model_to_json, to_iso
from integrations.storage.sqlite.base import SqliteStoreBase

TABLES = """
CREATE TABLE IF NOT EXISTS events (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS events_time ON events (company_id, occurred_at);
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (company_id, id)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_status ON webhook_deliveries (company_id, status, seq);
CREATE INDEX IF NOT EXISTS webhook_deliveries_waiting ON webhook_deliveries (updated_at) WHERE status = 'pending';
"""

_DELIVERY_COLUMNS = (
    "company_id, id, event_id, endpoint_id, status, attempts, last_status, last_error, created_at, updated_at"
)


class SqliteWebhookStore(SqliteStoreBase):
    """Events as they were emitted, the endpoints they go to and each delivery's attempts."""

    async def record_event(self, event: Event) -> bool:
        changed = self._execute(
            "INSERT OR IGNORE INTO events (company_id, id, type, occurred_at, data) VALUES (?, ?, ?, ?, ?)",
            (event.company_id, event.id, event.type.value, to_iso(event.occurred_at), json.dumps(event.data)),
        )
        return changed == 1

    async def get_event(self, company_id: str, event_id: str) -> Event | None:
        row = self._fetchone(
            "SELECT company_id, id, type, occurred_at, data FROM events WHERE company_id = ? AND id = ?",
            (company_id, event_id),
        )
        if row is None:
            return None
        return Event(
            company_id=row[0], id=row[1], type=EventType(row[2]), occurred_at=from_iso(row[3]), data=json.loads(row[4])
        )

    async def save_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self._execute(
            "INSERT INTO webhook_endpoints (company_id, id, data, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (company_id, id) DO UPDATE SET data = excluded.data",
            (endpoint.company_id, endpoint.id, model_to_json(endpoint), to_iso(endpoint.created_at)),
        )

    async def list_webhook_endpoints(self, company_id: str) -> list[WebhookEndpoint]:
        rows = self._fetchall(
            "SELECT data FROM webhook_endpoints WHERE company_id = ? ORDER BY created_at, id", (company_id,)
        )
        return [WebhookEndpoint.model_validate_json(row[0]) for row in rows]

    async def delete_webhook_endpoint(self, company_id: str, endpoint_id: str) -> bool:
        changed = self._execute(
            "DELETE FROM webhook_endpoints WHERE company_id = ? AND id = ?", (company_id, endpoint_id)
        )
        return changed == 1

    async def add_webhook_delivery(self, delivery: WebhookDelivery) -> bool:
        changed = self._execute(
            f"INSERT OR IGNORE INTO webhook_deliveries ({_DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                delivery.company_id,
                delivery.id,
                delivery.event_id,
                delivery.endpoint_id,
                delivery.status.value,
                delivery.attempts,
                delivery.last_status,
                delivery.last_error,
                to_iso(delivery.created_at),
                to_iso(delivery.updated_at),
            ),
        )
        return changed == 1

    @staticmethod
    def _delivery(row: Sequence[Any]) -> WebhookDelivery:
        return WebhookDelivery(
            company_id=row[0],
            id=row[1],
            event_id=row[2],
            endpoint_id=row[3],
            status=DeliveryStatus(row[4]),
            attempts=row[5],
            last_status=row[6],
            last_error=row[7],
            created_at=from_iso(row[8]),
            updated_at=from_iso(row[9]),
        )

    async def get_webhook_delivery(self, company_id: str, delivery_id: str) -> WebhookDelivery | None:
        row = self._fetchone(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE company_id = ? AND id = ?",
            (company_id, delivery_id),
        )
        return None if row is None else self._delivery(row)

    async def update_webhook_delivery(self, delivery: WebhookDelivery) -> None:
        self._execute(
            "UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, updated_at = ?"
            " WHERE company_id = ? AND id = ?",
            (
                delivery.status.value,
                delivery.attempts,
                delivery.last_status,
                delivery.last_error,
                to_iso(delivery.updated_at),
                delivery.company_id,
                delivery.id,
            ),
        )

    async def list_webhook_deliveries(
        self, company_id: str, status: DeliveryStatus | None = None, limit: int = 100
    ) -> list[WebhookDelivery]:
        where, params = "company_id = ?", [company_id]
        if status is not None:
            where, params = where + " AND status = ?", [company_id, status.value]
        rows = self._fetchall(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE {where} ORDER BY seq DESC LIMIT ?",
            (*params, limit),
        )
        return [self._delivery(row) for row in rows]

    async def stale_webhook_deliveries(self, updated_before: datetime, limit: int) -> list[WebhookDelivery]:
        rows = self._fetchall(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND updated_at < ?"
            " ORDER BY updated_at LIMIT ?",
            (to_iso(updated_before), limit),
        )
        return [self._delivery(row) for row in rows]
