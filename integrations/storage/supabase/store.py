"""The `Store` on Supabase: PostgREST over HTTPS with supabase-py's async client and the service-role key.

The schema is `integrations/storage/migrations/*.sql`. Single-row writes are PostgREST upserts with `on_conflict`
(`resolution=ignore-duplicates` for the dedupe of inbox and outbox, `merge-duplicates` for companies, customers and
bookings); work that must be atomic over several rows is a SQL function called through `rpc`
(`begin_booking_intent`, `replace_reminders`, `claim_due_reminders`).

Errors are typed (`errors.py`). Writes are never retried: supabase-py retries only GET/HEAD (on 503/520 and network
errors), and a write whose answer was lost surfaces as `StoreUnavailable`; every write here is idempotent by its key,
so the caller's job retry repeats it safely, and nothing is resent behind its back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx
from postgrest import AsyncRequestBuilder
from postgrest.base_request_builder import APIResponse
from postgrest.exceptions import APIError
from postgrest.types import ReturnMethod
from pydantic import SecretStr
from supabase import AsyncClient, AsyncClientOptions

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
from integrations.storage.sqlite import company_to_json, model_to_json, reminder_key
from integrations.storage.sqlite_db import to_iso
from integrations.storage.supabase.errors import StoreError, error_from_api, error_from_transport

# The HTTP status of the last response in this task: APIError keeps PostgREST's body but not the status.
_last_status: ContextVar[int | None] = ContextVar("supabase_last_status", default=None)

Row = dict[str, Any]


class _Query(Protocol):
    async def execute(self) -> APIResponse: ...


async def _record_status(response: httpx.Response) -> None:
    _last_status.set(response.status_code)


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise StoreError(f"expected a timestamp, got {type(value).__name__}")
    return datetime.fromisoformat(value).astimezone(UTC)


_INBOUND_COLUMNS = "company_id,message_id,chat_id,phone,sender_name,text,language,received_at,from_me"


def _inbound(row: dict[str, Any]) -> InboundMessage:
    return InboundMessage.model_validate({**row, "received_at": _time(row["received_at"])})


class SupabaseStore:
    """A `Store` on Supabase (PostgREST). Build it with the project URL and the service-role key; `aclose` at exit."""

    def __init__(
        self,
        url: str,
        service_key: SecretStr,
        clock: Clock,
        *,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._clock = clock
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds), event_hooks={"response": [_record_status]}
        )
        options = AsyncClientOptions(
            httpx_client=self._http,
            postgrest_client_timeout=timeout_seconds,
            auto_refresh_token=False,
            persist_session=False,
        )
        self._client = AsyncClient(url, service_key.get_secret_value(), options)

    def __repr__(self) -> str:  # the client's headers hold the key: never show them
        return f"SupabaseStore(url={str(self._client.supabase_url)!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    def _now(self) -> str:
        return to_iso(self._clock())

    async def _run(self, query: _Query) -> list[Row]:
        """Execute one PostgREST request; its rows, or a typed `StoreError`."""
        _last_status.set(None)
        try:
            response = await query.execute()
        except APIError as exc:
            raise error_from_api(exc, _last_status.get()) from None
        except httpx.HTTPError as exc:
            raise error_from_transport(exc) from exc
        data: object = response.data
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise StoreError("PostgREST answered with something other than a list of rows")
        return [dict(row) for row in data]

    def _table(self, name: str) -> AsyncRequestBuilder:
        return self._client.table(name)

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

    # -- inbound log --------------------------------------------------------------------------------------

    async def record_inbound(self, message: InboundMessage) -> bool:
        row = {
            "company_id": message.company_id,
            "message_id": message.message_id,
            "chat_id": message.chat_id,
            "phone": message.phone,
            "sender_name": message.sender_name,
            "text": message.text,
            "language": message.language,
            "received_at": to_iso(message.received_at),
            "from_me": message.from_me,
            "recorded_at": self._now(),
        }
        # ignore-duplicates + representation: PostgREST returns only the rows it inserted.
        inserted = await self._run(
            self._table("inbound").upsert(
                row, on_conflict="company_id,message_id", ignore_duplicates=True, returning=ReturnMethod.representation
            )
        )
        return len(inserted) == 1

    async def pending_inbound(self, company_id: str, chat_id: str) -> list[InboundMessage]:
        rows = await self._run(
            self._table("inbound")
            .select(_INBOUND_COLUMNS)
            .eq("company_id", company_id)
            .eq("chat_id", chat_id)
            .eq("done", False)
            .order("seq")
        )
        return [_inbound(row) for row in rows]

    async def stale_inbound(self, recorded_before: datetime, limit: int) -> list[InboundMessage]:
        rows = await self._run(
            self._table("inbound")
            .select(_INBOUND_COLUMNS)
            .eq("done", False)
            .lt("recorded_at", to_iso(recorded_before))
            .order("recorded_at")
            .limit(limit)
        )
        return [_inbound(row) for row in rows]

    async def mark_inbound_done(self, company_id: str, message_id: str) -> None:
        await self._run(
            self._table("inbound")
            .update({"done": True}, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("message_id", message_id)
        )

    async def inbound_done(self, company_id: str, message_id: str) -> bool | None:
        rows = await self._run(
            self._table("inbound").select("done").eq("company_id", company_id).eq("message_id", message_id)
        )
        return bool(rows[0]["done"]) if rows else None

    # -- outbound log -------------------------------------------------------------------------------------

    async def record_outbound(self, message: OutboundMessage) -> bool:
        row = {
            "company_id": message.company_id,
            "chat_id": message.chat_id,
            "text": message.text,
            "reply_to": message.reply_to,
            "idempotency_key": message.idempotency_key,
            "recorded_at": self._now(),
        }
        inserted = await self._run(
            self._table("outbound").upsert(
                row,
                on_conflict="company_id,idempotency_key",
                ignore_duplicates=True,
                returning=ReturnMethod.representation,
            )
        )
        return len(inserted) == 1

    async def outbound_replies(
        self, company_id: str, reply_to: str, *, unsent_only: bool = False
    ) -> list[OutboundMessage]:
        query = (
            self._table("outbound")
            .select("company_id,chat_id,text,reply_to,idempotency_key")
            .eq("company_id", company_id)
            .eq("reply_to", reply_to)
        )
        if unsent_only:
            query = query.is_("sent_at", "null")
        rows = await self._run(query.order("seq"))
        return [OutboundMessage.model_validate(row) for row in rows]

    async def mark_outbound_sent(self, company_id: str, idempotency_key: str) -> None:
        await self._run(
            self._table("outbound")
            .update({"sent_at": self._now()}, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("idempotency_key", idempotency_key)
            .is_("sent_at", "null")
        )

    # -- bookings -----------------------------------------------------------------------------------------

    async def save_booking(self, booking: Booking) -> None:
        row = {
            "company_id": booking.company_id,
            "id": booking.id,
            "customer_id": booking.customer_id,
            "service_id": booking.service_id,
            "staff_id": booking.staff_id,
            "start_at": to_iso(booking.start),
            "end_at": to_iso(booking.end),
            "status": booking.status.value,
            "backend_id": booking.backend_id,
        }
        await self._run(
            self._table("bookings").upsert(row, on_conflict="company_id,id", returning=ReturnMethod.minimal)
        )

    @staticmethod
    def _booking(row: Mapping[str, Any]) -> Booking:
        return Booking(
            id=row["id"],
            company_id=row["company_id"],
            customer_id=row["customer_id"],
            service_id=row["service_id"],
            staff_id=row["staff_id"],
            start=_time(row["start_at"]),
            end=_time(row["end_at"]),
            status=BookingStatus(row["status"]),
            backend_id=row["backend_id"],
        )

    async def get_booking(self, company_id: str, booking_id: str) -> Booking | None:
        rows = await self._run(self._table("bookings").select("*").eq("company_id", company_id).eq("id", booking_id))
        return self._booking(rows[0]) if rows else None

    async def list_bookings(self, company_id: str) -> list[Booking]:
        rows = await self._run(
            self._table("bookings").select("*").eq("company_id", company_id).order("start_at").order("id")
        )
        return [self._booking(row) for row in rows]

    # -- reminders ----------------------------------------------------------------------------------------

    @staticmethod
    def _reminder(row: Mapping[str, Any]) -> Reminder:
        return Reminder(
            key=row["key"],
            company_id=row["company_id"],
            booking_id=row["booking_id"],
            customer_id=row["customer_id"],
            due_at=_time(row["due_at"]),
            status=ReminderStatus(row["status"]),
        )

    async def replace_reminders(self, booking: Booking, due: list[datetime]) -> None:
        if booking.status is BookingStatus.CANCELLED:
            due = []  # a cancelled visit gets no reminders
        wanted = {reminder_key(booking.company_id, booking.id, at): to_iso(at) for at in due}
        await self._rpc(
            "replace_reminders",
            {
                "p_company_id": booking.company_id,
                "p_booking_id": booking.id,
                "p_customer_id": booking.customer_id,
                "p_keys": list(wanted),
                "p_due": list(wanted.values()),
            },
        )

    async def cancel_reminders(self, company_id: str, booking_id: str) -> None:
        await self._run(
            self._table("reminders")
            .update({"status": ReminderStatus.CANCELLED.value}, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("booking_id", booking_id)
            .in_("status", [ReminderStatus.PLANNED.value, ReminderStatus.CLAIMED.value])
        )

    async def list_reminders(self, company_id: str, booking_id: str | None = None) -> list[Reminder]:
        query = self._table("reminders").select("*").eq("company_id", company_id)
        if booking_id is not None:
            query = query.eq("booking_id", booking_id)
        rows = await self._run(query.order("due_at").order("seq"))
        return [self._reminder(row) for row in rows]

    async def claim_due_reminders(
        self, now: datetime, limit: int, claimer: str, stale_after: timedelta = timedelta(minutes=5)
    ) -> list[Reminder]:
        """Atomically take planned reminders due by `now` (and claims older than `stale_after`), any company.

        One SQL function (`FOR UPDATE SKIP LOCKED`): concurrent claimers get disjoint sets.
        """
        rows = await self._rpc(
            "claim_due_reminders",
            {
                "p_now": to_iso(now),
                "p_limit": limit,
                "p_claimer": claimer,
                "p_stale_after": f"{stale_after.total_seconds()} seconds",
            },
        )
        rows.sort(key=lambda row: (_time(row["due_at"]), int(row["seq"])))
        return [self._reminder(row) for row in rows]

    async def upcoming_reminders(self, until: datetime, limit: int) -> list[Reminder]:
        rows = await self._run(
            self._table("reminders")
            .select("*")
            .eq("status", ReminderStatus.PLANNED.value)
            .lte("due_at", to_iso(until))
            .order("due_at")
            .order("seq")
            .limit(limit)
        )
        return [self._reminder(row) for row in rows]

    async def get_reminder(self, company_id: str, key: str) -> Reminder | None:
        rows = await self._run(self._table("reminders").select("*").eq("company_id", company_id).eq("key", key))
        return self._reminder(rows[0]) if rows else None

    async def finish_reminder(self, company_id: str, key: str, status: ReminderStatus) -> bool:
        """Move a claimed reminder to `status` (sent / skipped); False if it is no longer claimed."""
        rows = await self._run(
            self._table("reminders")
            .update({"status": status.value, "finished_at": self._now()})
            .eq("company_id", company_id)
            .eq("key", key)
            .eq("status", ReminderStatus.CLAIMED.value)
        )
        return len(rows) == 1

    # -- booking intents ----------------------------------------------------------------------------------

    async def begin_booking_intent(self, intent: BookingIntent) -> BookingIntent:
        [row] = await self._rpc(
            "begin_booking_intent",
            {
                "p_company_id": intent.company_id,
                "p_key": intent.key,
                "p_api_id": intent.api_id,
                "p_customer_id": intent.customer_id,
                "p_service_id": intent.service_id,
                "p_staff_id": intent.staff_id,
                "p_start_at": to_iso(intent.start),
                "p_status": intent.status.value,
                "p_backend_id": intent.backend_id,
                "p_now": self._now(),
            },
        )
        return BookingIntent(
            company_id=row["company_id"],
            key=row["key"],
            api_id=row["api_id"],
            customer_id=row["customer_id"],
            service_id=row["service_id"],
            staff_id=row["staff_id"],
            start=_time(row["start_at"]),
            status=BookingIntentStatus(row["status"]),
            backend_id=row["backend_id"],
        )

    async def finish_booking_intent(
        self, company_id: str, key: str, status: BookingIntentStatus, backend_id: str | None = None
    ) -> None:
        patch: Row = {"status": status.value, "updated_at": self._now()}
        if backend_id is not None:
            patch["backend_id"] = backend_id
        await self._run(
            self._table("booking_intents")
            .update(patch, returning=ReturnMethod.minimal)
            .eq("company_id", company_id)
            .eq("key", key)
        )

    # -- integrations: events, webhooks, integration tokens, activity -------------------------------------

    async def last_inbound_at(self, company_id: str, chat_id: str) -> datetime | None:
        rows = await self._run(
            self._table("inbound")
            .select("received_at")
            .eq("company_id", company_id)
            .eq("chat_id", chat_id)
            .eq("from_me", False)
            .order("received_at", desc=True)
            .limit(1)
        )
        return _time(rows[0]["received_at"]) if rows else None

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
        if not rows:
            return None
        row = rows[0]
        return Event(
            company_id=row["company_id"],
            id=row["id"],
            type=EventType(row["type"]),
            occurred_at=_time(row["occurred_at"]),
            data=row["data"],
        )

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
            created_at=_time(row["created_at"]),
            updated_at=_time(row["updated_at"]),
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

    async def save_integration_token(self, token: IntegrationToken) -> None:
        row = {
            "company_id": token.company_id,
            "id": token.id,
            "data": token.model_dump(mode="json"),
            "created_at": to_iso(token.created_at),
        }
        await self._run(
            self._table("integration_tokens").upsert(row, on_conflict="company_id,id", returning=ReturnMethod.minimal)
        )

    async def get_integration_token(self, company_id: str, token_id: str) -> IntegrationToken | None:
        rows = await self._run(
            self._table("integration_tokens").select("data").eq("company_id", company_id).eq("id", token_id)
        )
        return IntegrationToken.model_validate(rows[0]["data"]) if rows else None

    async def list_integration_tokens(self, company_id: str) -> list[IntegrationToken]:
        rows = await self._run(
            self._table("integration_tokens")
            .select("data")
            .eq("company_id", company_id)
            .order("created_at")
            .order("id")
        )
        return [IntegrationToken.model_validate(row["data"]) for row in rows]

    async def activity(self, company_id: str, bounds: list[datetime]) -> list[Activity]:
        rows = await self._rpc(
            "company_activity", {"p_company_id": company_id, "p_bounds": [to_iso(b) for b in bounds]}
        )
        rows.sort(key=lambda row: _time(row["start_at"]))
        return [
            Activity(
                start=_time(row["start_at"]),
                end=_time(row["end_at"]),
                **{name: row[name] for name in Activity.model_fields if name not in {"start", "end"}},
            )
            for row in rows
        ]

    async def _rpc(self, function: str, params: Mapping[str, object]) -> list[Row]:
        return await self._run(self._client.rpc(function, dict(params)))
