"""The `Store` on SQLite: companies, customers, the inbound/outbound message log, bookings, reminders.

Every table is keyed by `company_id`; every query filters by it. Datetimes are stored as fixed-width UTC
ISO strings (so text order is time order) and come back as aware UTC datetimes.

Thread safety: one connection (`check_same_thread=False`) guarded by one `threading.Lock`; every database
use holds the lock. Files run in WAL mode.
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from booking_bot.domain import (
    Activity,
    Booking,
    BookingIntent,
    BookingIntentStatus,
    BookingStatus,
    Company,
    Customer,
    DeliveryStatus,
    Event,
    EventType,
    InboundMessage,
    IntegrationToken,
    OutboundMessage,
    Reminder,
    ReminderStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from booking_bot.ports import Clock
from integrations.storage.sqlite_db import (
    BOOKING_COLUMNS,
    BOOKING_UPSERT,
    SqliteDatabase,
    booking_from_row,
    booking_row,
    from_iso,
    to_iso,
)
from integrations.ttl_cache import TtlCache

_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS inbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    phone TEXT,
    sender_name TEXT,
    text TEXT NOT NULL,
    language TEXT,
    received_at TEXT NOT NULL,
    from_me INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL,
    UNIQUE (company_id, message_id)
);
CREATE INDEX IF NOT EXISTS inbound_pending ON inbound (company_id, chat_id, done, seq);
CREATE INDEX IF NOT EXISTS inbound_waiting ON inbound (recorded_at) WHERE done = 0;
CREATE TABLE IF NOT EXISTS outbound (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    text TEXT NOT NULL,
    reply_to TEXT,
    idempotency_key TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (company_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS outbound_reply_to ON outbound (company_id, reply_to, seq);
CREATE TABLE IF NOT EXISTS bookings (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    status TEXT NOT NULL,
    backend_id TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX IF NOT EXISTS bookings_start ON bookings (company_id, start_at);
CREATE TABLE IF NOT EXISTS reminders (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    company_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT
);
CREATE INDEX IF NOT EXISTS reminders_booking ON reminders (company_id, booking_id, due_at);
CREATE INDEX IF NOT EXISTS reminders_due ON reminders (status, due_at);
CREATE TABLE IF NOT EXISTS booking_intents (
    company_id TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    backend_id TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, key)
);
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
CREATE TABLE IF NOT EXISTS integration_tokens (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
"""

_INBOUND_COLUMNS = "company_id, message_id, chat_id, phone, sender_name, text, language, received_at, from_me"
_OUTBOUND_COLUMNS = "company_id, chat_id, text, reply_to, idempotency_key"
_REMINDER_COLUMNS = "key, company_id, booking_id, customer_id, due_at, status"


def reminder_key(company_id: str, booking_id: str, due_at: datetime) -> str:
    """`reminder:{company}:{booking}:{due_at as UTC ISO}` - one reminder per booking and due time."""
    return f"reminder:{company_id}:{booking_id}:{due_at.astimezone(UTC).isoformat()}"


def _reveal(plain: Any, masked: Any) -> Any:
    """`masked` (a JSON-mode dump) with every SecretStr of `plain` (a python-mode dump) revealed."""
    if isinstance(plain, SecretStr):
        return plain.get_secret_value()
    if isinstance(plain, dict) and isinstance(masked, dict):
        return {key: _reveal(plain.get(key), value) for key, value in masked.items()}
    if isinstance(plain, list | tuple) and isinstance(masked, list):
        return [_reveal(p, m) for p, m in zip(plain, masked, strict=True)]
    return masked


def model_to_json(model: BaseModel) -> str:
    """A model as JSON with any `SecretStr` in clear text (pydantic's own dump masks them as '**********')."""
    return json.dumps(_reveal(model.model_dump(), model.model_dump(mode="json")), ensure_ascii=False)


def company_to_json(company: Company) -> str:
    """The company as JSON; secrets (e.g. a backend's API tokens) are kept so they round-trip."""
    return model_to_json(company)


def _inbound(row: Sequence[Any]) -> InboundMessage:
    """An `InboundMessage` from a row selected with `_INBOUND_COLUMNS`."""
    return InboundMessage(
        company_id=row[0],
        message_id=row[1],
        chat_id=row[2],
        phone=row[3],
        sender_name=row[4],
        text=row[5],
        language=row[6],
        received_at=from_iso(row[7]),
        from_me=bool(row[8]),
    )


def _merged(known: Customer, update: Customer) -> Customer:
    """What `upsert_customer` keeps: the update's fields where it has them, the known ones elsewhere."""
    return known.model_copy(
        update={
            "phone": known.phone if update.phone is None else update.phone,
            "name": known.name if update.name is None else update.name,
            "language": known.language if update.language is None else update.language,
        }
    )


def company_from_json(data: str) -> Company:
    return Company.model_validate_json(data)


COMPANY_CACHE_SECONDS = 2.0


class SqliteStore(SqliteDatabase):
    """A `Store` on SQLite. `path` may be ":memory:".

    Companies are read for every message and change rarely: each store keeps them for `company_cache_seconds`
    (its own writes replace the entry at once; another process's write is seen within that time).
    """

    def __init__(self, path: str | Path, clock: Clock, company_cache_seconds: float = COMPANY_CACHE_SECONDS) -> None:
        super().__init__(path, _SCHEMA)
        self._clock = clock
        self._company_ttl = company_cache_seconds
        self._companies: TtlCache[str, Company] = TtlCache()

    def _now(self) -> str:
        return to_iso(self._clock())

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

    # -- inbound log --------------------------------------------------------------------------------------

    async def record_inbound(self, message: InboundMessage) -> bool:
        changed = self._execute(
            f"INSERT OR IGNORE INTO inbound ({_INBOUND_COLUMNS}, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message.company_id,
                message.message_id,
                message.chat_id,
                message.phone,
                message.sender_name,
                message.text,
                message.language,
                to_iso(message.received_at),
                int(message.from_me),
                self._now(),
            ),
        )
        return changed == 1

    async def pending_inbound(self, company_id: str, chat_id: str) -> list[InboundMessage]:
        rows = self._fetchall(
            f"SELECT {_INBOUND_COLUMNS} FROM inbound WHERE company_id = ? AND chat_id = ? AND done = 0 ORDER BY seq",
            (company_id, chat_id),
        )
        return [_inbound(row) for row in rows]

    async def stale_inbound(self, recorded_before: datetime, limit: int) -> list[InboundMessage]:
        rows = self._fetchall(
            f"SELECT {_INBOUND_COLUMNS} FROM inbound WHERE done = 0 AND recorded_at < ? ORDER BY recorded_at LIMIT ?",
            (to_iso(recorded_before), limit),
        )
        return [_inbound(row) for row in rows]

    async def mark_inbound_done(self, company_id: str, message_id: str) -> None:
        self._execute("UPDATE inbound SET done = 1 WHERE company_id = ? AND message_id = ?", (company_id, message_id))

    async def inbound_done(self, company_id: str, message_id: str) -> bool | None:
        row = self._fetchone(
            "SELECT done FROM inbound WHERE company_id = ? AND message_id = ?", (company_id, message_id)
        )
        return None if row is None else bool(row[0])

    # -- outbound log -------------------------------------------------------------------------------------

    async def record_outbound(self, message: OutboundMessage) -> bool:
        changed = self._execute(
            f"INSERT OR IGNORE INTO outbound ({_OUTBOUND_COLUMNS}, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                message.company_id,
                message.chat_id,
                message.text,
                message.reply_to,
                message.idempotency_key,
                self._now(),
            ),
        )
        return changed == 1

    async def outbound_replies(
        self, company_id: str, reply_to: str, *, unsent_only: bool = False
    ) -> list[OutboundMessage]:
        unsent = " AND sent_at IS NULL" if unsent_only else ""
        rows = self._fetchall(
            f"SELECT {_OUTBOUND_COLUMNS} FROM outbound WHERE company_id = ? AND reply_to = ?{unsent} ORDER BY seq",
            (company_id, reply_to),
        )
        return [
            OutboundMessage(company_id=row[0], chat_id=row[1], text=row[2], reply_to=row[3], idempotency_key=row[4])
            for row in rows
        ]

    async def mark_outbound_sent(self, company_id: str, idempotency_key: str) -> None:
        self._execute(
            "UPDATE outbound SET sent_at = ? WHERE company_id = ? AND idempotency_key = ? AND sent_at IS NULL",
            (self._now(), company_id, idempotency_key),
        )

    # -- bookings -----------------------------------------------------------------------------------------

    async def save_booking(self, booking: Booking) -> None:
        self._execute(BOOKING_UPSERT, booking_row(booking))

    async def get_booking(self, company_id: str, booking_id: str) -> Booking | None:
        row = self._fetchone(
            f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? AND id = ?",
            (company_id, booking_id),
        )
        return None if row is None else booking_from_row(row)

    async def list_bookings(self, company_id: str) -> list[Booking]:
        rows = self._fetchall(
            f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? ORDER BY start_at, id",
            (company_id,),
        )
        return [booking_from_row(row) for row in rows]

    # -- reminders ----------------------------------------------------------------------------------------

    async def replace_reminders(self, booking: Booking, due: list[datetime]) -> None:
        if booking.status is BookingStatus.CANCELLED:
            due = []  # a cancelled visit gets no reminders
        wanted = {reminder_key(booking.company_id, booking.id, at): at for at in due}
        with self._transaction() as conn:
            for key, at in wanted.items():
                # A planned reminder stays as is; one cancelled earlier (the booking moved away and back) is
                # planned again; a sent one is never touched.
                conn.execute(
                    f"INSERT INTO reminders ({_REMINDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET status = excluded.status WHERE reminders.status = ?",
                    (
                        key,
                        booking.company_id,
                        booking.id,
                        booking.customer_id,
                        to_iso(at),
                        ReminderStatus.PLANNED.value,
                        ReminderStatus.CANCELLED.value,
                    ),
                )
            placeholders = ", ".join("?" * len(wanted))
            conn.execute(
                "UPDATE reminders SET status = ? WHERE company_id = ? AND booking_id = ? AND status IN (?, ?)"
                + (f" AND key NOT IN ({placeholders})" if wanted else ""),
                (
                    ReminderStatus.CANCELLED.value,
                    booking.company_id,
                    booking.id,
                    ReminderStatus.PLANNED.value,
                    ReminderStatus.CLAIMED.value,
                    *wanted,
                ),
            )

    async def cancel_reminders(self, company_id: str, booking_id: str) -> None:
        self._execute(
            "UPDATE reminders SET status = ? WHERE company_id = ? AND booking_id = ? AND status IN (?, ?)",
            (
                ReminderStatus.CANCELLED.value,
                company_id,
                booking_id,
                ReminderStatus.PLANNED.value,
                ReminderStatus.CLAIMED.value,
            ),
        )

    async def list_reminders(self, company_id: str, booking_id: str | None = None) -> list[Reminder]:
        sql = f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE company_id = ?"
        params: tuple[str, ...] = (company_id,)
        if booking_id is not None:
            sql += " AND booking_id = ?"
            params = (company_id, booking_id)
        rows = self._fetchall(sql + " ORDER BY due_at, seq", params)
        return [self._reminder(row) for row in rows]

    async def claim_due_reminders(
        self, now: datetime, limit: int, claimer: str, stale_after: timedelta = timedelta(minutes=5)
    ) -> list[Reminder]:
        # One write transaction (BEGIN IMMEDIATE): a second claimer, even in another process, waits and then
        # finds the rows already claimed.
        with self._transaction() as conn:
            rows = conn.execute(
                f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE (status = ? AND due_at <= ?)"
                " OR (status = ? AND claimed_at < ?) ORDER BY due_at, seq LIMIT ?",
                (
                    ReminderStatus.PLANNED.value,
                    to_iso(now),
                    ReminderStatus.CLAIMED.value,
                    to_iso(now - stale_after),
                    limit,
                ),
            ).fetchall()
            conn.executemany(
                "UPDATE reminders SET status = ?, claimed_by = ?, claimed_at = ? WHERE key = ?",
                [(ReminderStatus.CLAIMED.value, claimer, to_iso(now), row[0]) for row in rows],
            )
        return [self._reminder(row).model_copy(update={"status": ReminderStatus.CLAIMED}) for row in rows]

    async def upcoming_reminders(self, until: datetime, limit: int) -> list[Reminder]:
        rows = self._fetchall(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE status = ? AND due_at <= ? ORDER BY due_at, seq LIMIT ?",
            (ReminderStatus.PLANNED.value, to_iso(until), limit),
        )
        return [self._reminder(row) for row in rows]

    async def get_reminder(self, company_id: str, key: str) -> Reminder | None:
        row = self._fetchone(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE company_id = ? AND key = ?", (company_id, key)
        )
        return None if row is None else self._reminder(row)

    async def finish_reminder(self, company_id: str, key: str, status: ReminderStatus) -> bool:
        changed = self._execute(
            "UPDATE reminders SET status = ? WHERE company_id = ? AND key = ? AND status = ?",
            (status.value, company_id, key, ReminderStatus.CLAIMED.value),
        )
        return changed == 1

    @staticmethod
    def _reminder(row: Sequence[Any]) -> Reminder:
        return Reminder(
            key=row[0],
            company_id=row[1],
            booking_id=row[2],
            customer_id=row[3],
            due_at=from_iso(row[4]),
            status=ReminderStatus(row[5]),
        )

    # -- booking intents ----------------------------------------------------------------------------------

    async def begin_booking_intent(self, intent: BookingIntent) -> BookingIntent:
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO booking_intents (company_id, key, data, status, backend_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    intent.company_id,
                    intent.key,
                    intent.model_dump_json(),
                    intent.status,
                    intent.backend_id,
                    self._now(),
                ),
            )
            row = conn.execute(
                "SELECT data, status, backend_id FROM booking_intents WHERE company_id = ? AND key = ?",
                (intent.company_id, intent.key),
            ).fetchone()
        stored = BookingIntent.model_validate_json(row[0])
        return stored.model_copy(update={"status": BookingIntentStatus(row[1]), "backend_id": row[2]})

    async def finish_booking_intent(
        self, company_id: str, key: str, status: BookingIntentStatus, backend_id: str | None = None
    ) -> None:
        self._execute(
            "UPDATE booking_intents SET status = ?, backend_id = COALESCE(?, backend_id), updated_at = ?"
            " WHERE company_id = ? AND key = ?",
            (status, backend_id, self._now(), company_id, key),
        )

    # -- integrations: events, webhooks, integration tokens, activity -------------------------------------

    async def last_inbound_at(self, company_id: str, chat_id: str) -> datetime | None:
        row = self._fetchone(
            "SELECT max(received_at) FROM inbound WHERE company_id = ? AND chat_id = ? AND from_me = 0",
            (company_id, chat_id),
        )
        return None if row is None or row[0] is None else from_iso(row[0])

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

    _DELIVERY_COLUMNS = (
        "company_id, id, event_id, endpoint_id, status, attempts, last_status, last_error, created_at, updated_at"
    )

    async def add_webhook_delivery(self, delivery: WebhookDelivery) -> bool:
        changed = self._execute(
            f"INSERT OR IGNORE INTO webhook_deliveries ({self._DELIVERY_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            f"SELECT {self._DELIVERY_COLUMNS} FROM webhook_deliveries WHERE company_id = ? AND id = ?",
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
            f"SELECT {self._DELIVERY_COLUMNS} FROM webhook_deliveries WHERE {where} ORDER BY seq DESC LIMIT ?",
            (*params, limit),
        )
        return [self._delivery(row) for row in rows]

    async def stale_webhook_deliveries(self, updated_before: datetime, limit: int) -> list[WebhookDelivery]:
        rows = self._fetchall(
            f"SELECT {self._DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND updated_at < ?"
            " ORDER BY updated_at LIMIT ?",
            (to_iso(updated_before), limit),
        )
        return [self._delivery(row) for row in rows]

    async def save_integration_token(self, token: IntegrationToken) -> None:
        self._execute(
            "INSERT INTO integration_tokens (company_id, id, data, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (company_id, id) DO UPDATE SET data = excluded.data",
            (token.company_id, token.id, token.model_dump_json(), to_iso(token.created_at)),
        )

    async def get_integration_token(self, company_id: str, token_id: str) -> IntegrationToken | None:
        row = self._fetchone(
            "SELECT data FROM integration_tokens WHERE company_id = ? AND id = ?", (company_id, token_id)
        )
        return None if row is None else IntegrationToken.model_validate_json(row[0])

    async def list_integration_tokens(self, company_id: str) -> list[IntegrationToken]:
        rows = self._fetchall(
            "SELECT data FROM integration_tokens WHERE company_id = ? ORDER BY created_at, id", (company_id,)
        )
        return [IntegrationToken.model_validate_json(row[0]) for row in rows]

    async def activity(self, company_id: str, bounds: list[datetime]) -> list[Activity]:
        return [self._activity(company_id, start, end) for start, end in itertools.pairwise(bounds)]

    def _activity(self, company_id: str, start: datetime, end: datetime) -> Activity:
        window = (company_id, to_iso(start), to_iso(end))
        inbound = self._fetchone(
            "SELECT count(*), count(DISTINCT chat_id) FROM inbound"
            " WHERE company_id = ? AND received_at >= ? AND received_at < ? AND from_me = 0",
            window,
        )
        outbound = self._fetchone(
            "SELECT count(*) FROM outbound WHERE company_id = ? AND recorded_at >= ? AND recorded_at < ?", window
        )
        events = dict(
            self._fetchall(
                "SELECT type, count(*) FROM events WHERE company_id = ? AND occurred_at >= ? AND occurred_at < ?"
                " GROUP BY type",
                window,
            )
        )
        understood = self._fetchone(
            "SELECT count(*), coalesce(sum(json_extract(data, '$.understanding.why') = 'stage1_sure'), 0)"
            " FROM events WHERE company_id = ? AND occurred_at >= ? AND occurred_at < ? AND type = ?"
            " AND json_extract(data, '$.understanding') IS NOT NULL",
            (*window, EventType.MESSAGE_RECEIVED.value),
        )
        replies = self._fetchall(
            "SELECT i.received_at, min(o.recorded_at) FROM inbound i JOIN outbound o"
            " ON o.company_id = i.company_id AND o.reply_to = i.message_id"
            " WHERE i.company_id = ? AND i.received_at >= ? AND i.received_at < ? AND i.from_me = 0"
            " GROUP BY i.seq",
            window,
        )
        seconds = [(from_iso(replied) - from_iso(received)).total_seconds() for received, replied in replies]
        return Activity(
            start=start,
            end=end,
            messages_in=inbound[0],
            messages_out=outbound[0],
            conversations=inbound[1],
            bookings_created=events.get(EventType.BOOKING_CREATED.value, 0),
            bookings_moved=events.get(EventType.BOOKING_MOVED.value, 0),
            bookings_cancelled=events.get(EventType.BOOKING_CANCELLED.value, 0),
            reminders_sent=events.get(EventType.REMINDER_SENT.value, 0),
            reminders_confirmed=events.get(EventType.REMINDER_CONFIRMED.value, 0),
            understood=understood[0],
            understood_locally=understood[1],
            replies_timed=len(seconds),
            median_reply_seconds=statistics.median(seconds) if seconds else None,
        )
