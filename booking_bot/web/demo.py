"""`booking-bot demo`: the whole message path in one process, with a simulated WhatsApp chat in the browser.

The chat API hands each message to the same door the WhatsApp gateway uses (booking_bot/inbound.py), lets the
in-process Dramatiq worker (over the stub broker of the embedded stack) run its job, and returns the replies recorded
for that message. The scheduler's leader runs in the process too (booking_bot/scheduler.py, always the leader), on the
worker's event loop: reminders, the waiting list's offers, follow-ups; what the bot writes on its own is read from
`GET /demo/api/messages`, which the chat page polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dramatiq
from aiohttp import web
from dramatiq.asyncio import get_event_loop_thread
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from booking_bot.composition import Embedded, build_embedded, seed_demo, utc_now
from booking_bot.domain import Company, InboundMessage
from booking_bot.inbound import accept_inbound
from booking_bot.jobs import DramatiqJobs
from booking_bot.ports import Clock
from booking_bot.scheduler import ReminderScheduler, SoleLeader, leader_scheduler
from booking_bot.settings import BrokerKind, Settings
from integrations.messaging.simulated import SimulatedChannel
from integrations.scheduling.builtin.demo_salon import DEMO_SERVICES, DEMO_STAFF
from integrations.scheduling.yclients.fake import (
    DEMO_YCLIENTS_COMPANY_ID,
    FakeYClients,
    run_fake_yclients,
    yclients_company,
)
from integrations.scheduling.yclients.fake import seed_demo_salon as seed_fake_salon

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"
POLL_SECONDS = 0.01
MAX_TEXT = 4096
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{2,30}$")


@dataclass
class DemoRuntime:
    embedded: Embedded
    company: Company
    jobs: DramatiqJobs
    worker: dramatiq.Worker
    channel: SimulatedChannel
    settings: Settings
    names: dict[str, str]  # service and staff ids -> names, for the bookings page
    scheduler: ReminderScheduler


RUNTIME = web.AppKey("runtime", DemoRuntime)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    customer: str = Field(min_length=3, max_length=32)
    name: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=10)
    text: str = Field(max_length=MAX_TEXT)

    @field_validator("customer")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not PHONE_RE.match(value):
            raise ValueError("customer must be a phone number such as +15550000001")
        return value

    @field_validator("name", "language")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def chat(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        body = await request.json()
    except ValueError:
        return _error(400, "the body must be JSON")
    if not isinstance(body, dict):
        return _error(400, "the body must be a JSON object")
    try:
        payload = ChatRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        return _error(422, f"{field}: {first['msg']}")
    if payload.language and payload.language not in runtime.embedded.services.catalogs.languages:
        return _error(422, f"language: one of {', '.join(runtime.embedded.services.catalogs.languages)} or null")
    message = InboundMessage(
        company_id=runtime.company.id,
        message_id=f"demo-{uuid.uuid4().hex}",
        chat_id=payload.customer,
        phone=payload.customer,
        sender_name=payload.name,
        text=payload.text,
        language=payload.language,
        received_at=runtime.embedded.services.clock(),
    )
    await accept_inbound(runtime.embedded.services, message)
    store = runtime.embedded.store
    deadline = asyncio.get_running_loop().time() + runtime.settings.reply_timeout_seconds
    while not await store.inbound_done(message.company_id, message.message_id):
        if asyncio.get_running_loop().time() > deadline:
            # Nothing is lost: the message stays queued and is answered when the worker gets to it.
            return _error(504, "the assistant is taking too long; the message is queued and will be answered")
        await asyncio.sleep(POLL_SECONDS)
    replies = await store.outbound_replies(message.company_id, message.message_id)
    return web.json_response({"replies": [r.text for r in replies]})


async def messages(request: web.Request) -> web.Response:
    """What the bot wrote to `customer` on its own — an offer from the waiting list, a reminder, a follow-up — and
    not in reply to one of their messages (those come back from the chat API), oldest first."""
    runtime = request.app[RUNTIME]
    customer = request.query.get("customer", "")
    if not PHONE_RE.match(customer):
        return _error(422, "customer: a phone number such as +15550000001")
    company_id, store = runtime.company.id, runtime.embedded.store
    items = [
        {"id": m.idempotency_key, "text": m.text}
        for m in runtime.channel.sent(company_id, customer)
        if m.reply_to is None or await store.inbound_done(company_id, m.reply_to) is None
    ]
    return web.json_response({"messages": items})


async def bookings(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    company = runtime.company
    items: list[dict[str, Any]] = [
        {
            "id": b.id,
            "customer": b.customer_id,
            "service": runtime.names.get(b.service_id, b.service_id),
            "staff": runtime.names.get(b.staff_id, b.staff_id),
            "start": b.start.astimezone(company.zone).isoformat(),
            "status": str(b.status),
        }
        for b in await runtime.embedded.store.list_bookings(company.id)
    ]
    return web.json_response({"bookings": items})


async def salon(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    company = runtime.company
    return web.json_response(
        {
            "id": company.id,
            "name": company.name,
            "timezone": company.timezone,
            "languages": list(runtime.embedded.services.catalogs.languages),
        }
    )


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _page(name: str) -> Any:
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / name)

    return handler


DEMO_BACKENDS = ("builtin", "yclients-fake")


async def _use_fake_yclients(
    stack: contextlib.AsyncExitStack, embedded: Embedded, clock: Clock
) -> tuple[Company, dict[str, str]]:
    """Start the fake YClients server and point the demo salon at it; the embedded YClients adapter serves it."""
    server = FakeYClients(clock)
    seed_fake_salon(server)
    base_url = await stack.enter_async_context(run_fake_yclients(server))
    company = yclients_company(base_url, server)
    await embedded.store.upsert_company(company)  # on every start: the fake's port changes
    fake = server.companies[DEMO_YCLIENTS_COMPANY_ID]
    names = {str(i): s.title for i, s in fake.services.items()} | {str(i): m.name for i, m in fake.staff.items()}
    return company, names


def create_app(
    settings: Settings,
    clock: Clock = utc_now,
    in_memory: bool = False,
    backend: str = "builtin",
    scheduler_seconds: float = 5.0,
) -> web.Application:
    """The demo application; its cleanup context starts and stops the store, the worker, the scheduler and the broker.

    `backend="yclients-fake"` keeps the sample salon's calendar in a fake YClients server (integrations' fake, run
    in-process on a free port) reached through the real YClients adapter: the path a YClients salon takes.
    `scheduler_seconds`: how often the scheduler claims due reminders and runs the waiting list's round.
    """
    if settings.broker is not BrokerKind.STUB:
        raise ValueError("the demo runs its worker in-process: BOOKING_BOT_BROKER must be 'stub'")
    if backend not in DEMO_BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(DEMO_BACKENDS)}")
    app = web.Application(client_max_size=64 * 1024)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        channel = SimulatedChannel()
        embedded = build_embedded(settings, channel, clock=clock, in_memory=in_memory)
        async with contextlib.AsyncExitStack() as stack:
            company = await seed_demo(embedded)
            names = {s.id: s.name for s in DEMO_SERVICES} | {m.id: m.name for m in DEMO_STAFF}
            if backend == "yclients-fake":
                company, names = await _use_fake_yclients(stack, embedded, clock)
            assert isinstance(embedded.jobs, DramatiqJobs)  # the stub broker, run by this process's worker
            worker = dramatiq.Worker(embedded.jobs.broker, worker_threads=4, worker_timeout=100)
            worker.start()
            loop_thread = get_event_loop_thread()
            assert loop_thread is not None  # the AsyncIO middleware's, started with the worker
            scheduler = leader_scheduler(embedded.services, settings, SoleLeader(), scheduler_seconds)
            # On the worker's loop, like the jobs: what its rounds open there (a YClients session) serves both.
            await asyncio.to_thread(loop_thread.run_coroutine, scheduler.start())
            app[RUNTIME] = DemoRuntime(embedded, company, embedded.jobs, worker, channel, settings, names, scheduler)
            log.info("demo ready company=%s backend=%s", company.id, backend)
            try:
                yield
            finally:
                await asyncio.to_thread(loop_thread.run_coroutine, scheduler.stop())
                for close in embedded.loop_closers:  # what jobs opened on the worker's loop is closed there
                    await asyncio.to_thread(loop_thread.run_coroutine, close())
                worker.stop()
        embedded.close()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/", _page("chat.html"))
    app.router.add_get("/bookings", _page("bookings.html"))
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_post("/demo/api/chat", chat)
    app.router.add_get("/demo/api/bookings", bookings)
    app.router.add_get("/demo/api/messages", messages)
    app.router.add_get("/demo/api/salon", salon)
    app.router.add_get("/health", health)
    return app
