"""What every handler module of the API shares: the context, the route record, body parsing and replies.

`routes.ROUTES` is the one table of endpoints; handler modules (routes, send, integration_admin, stats) import
these helpers from here, so the table can list handlers of every module without an import cycle.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from redis.asyncio import Redis

from booking_bot.config import SendLimits
from booking_bot.domain import Company, Scope
from booking_bot.gateway.api.auth import Access, Authenticator, FailureLimiter, Principal
from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.api.sessions import SessionControl
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.manager import SessionManager
from booking_bot.ports import Clock, EventSink, Store

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
M = TypeVar("M", bound=BaseModel)
PRINCIPAL = web.RequestKey("principal", Principal)


@dataclass
class ApiContext:
    """What the handlers use; built by the gateway app at start-up."""

    redis: Redis
    store: Store
    manager: SessionManager
    gate: InboundGate
    control: SessionControl
    authenticator: Authenticator
    limiter: FailureLimiter
    cors_origins: frozenset[str] = frozenset()
    new_code_interval: float = 15.0
    events_poll: float = 0.5
    events_max_seconds: float = 600.0
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    send: SendLimits = field(default_factory=SendLimits)
    webhook_private_targets: bool = False  # allow webhook URLs on loopback/private addresses
    clock: Clock | None = None  # None: the wall clock (tests move it)
    redeliver: Callable[[str, str], object] | None = None  # (company id, delivery id) -> queue a delivery attempt
    events: EventSink | None = None  # what staff do through the API is reported like the assistant's own doings


CONTEXT = web.AppKey("api", ApiContext)
OPENAPI = web.AppKey("openapi", dict[str, Any])  # the document of the routes, made at mount time


@dataclass(frozen=True)
class Route:
    """One endpoint: how it is served, who may call it, and how the OpenAPI document describes it.

    `scope`: what an integration token needs here; a route without one refuses integration tokens."""

    method: str
    path: str
    handler: Handler
    access: Access
    summary: str
    request: type[BaseModel] | None = None
    response: type[BaseModel] | str | None = None  # a model (JSON), or a media type
    status: int = 200
    errors: tuple[int, ...] = ()
    tag: str = "session"
    scope: Scope | None = None
    headers: tuple[tuple[str, str], ...] = ()  # required request headers: (name, description)


def context(request: web.Request) -> ApiContext:
    return request.app[CONTEXT]


async def parse(request: web.Request, model: type[M]) -> M:
    try:
        raw = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_json", "the body must be JSON") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise ApiError(422, "invalid", problems[:1000]) from exc


def reply(model: BaseModel, status: int = 200) -> web.Response:
    return web.json_response(model.model_dump(mode="json"), status=status)


async def company_of(request: web.Request) -> Company:
    company = await context(request).store.get_company(request.match_info["company_id"])
    if company is None:
        raise ApiError(404, "not_found", "no such company")
    return company


def principal(request: web.Request) -> Principal:
    return request[PRINCIPAL]
