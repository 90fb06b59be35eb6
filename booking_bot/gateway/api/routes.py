"""The gateway's HTTP routes: one table (`ROUTES`) registers them, sets who may call each (and which scope an
integration token needs), and feeds the OpenAPI document, so the three cannot drift apart. Handlers of the send
API, integration tokens, webhooks and stats live in their own modules (send, integration_admin, stats)."""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiohttp import web

from booking_bot.domain import Company, Scope
from booking_bot.gateway.api import integration_admin, send, stats, waitlist
from booking_bot.gateway.api.auth import Access, new_staff_token
from booking_bot.gateway.api.base import CONTEXT as CONTEXT
from booking_bot.gateway.api.base import OPENAPI, company_of, context, parse, reply
from booking_bot.gateway.api.base import PRINCIPAL as PRINCIPAL
from booking_bot.gateway.api.base import ApiContext as ApiContext
from booking_bot.gateway.api.base import Route as Route
from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.api.health import health_out
from booking_bot.gateway.api.metrics import render_metrics
from booking_bot.gateway.api.models import (
    CompanyCreate,
    CompanyList,
    CompanyOut,
    CompanySettings,
    HealthOut,
    PairingCodeIn,
    PairingCodeOut,
    ReadyOut,
    SessionOut,
    StaffToken,
)
from booking_bot.gateway.api.sessions import qr_svg, session_view
from integrations import redis_keys as keys
from integrations.whatsapp.session import QR_WINDOW_SECONDS

# --- helpers ---------------------------------------------------------------------------------------------------


async def session_out(ctx: ApiContext, company: Company) -> SessionOut:
    view = await session_view(ctx.redis, company.id)
    return SessionOut(
        company_id=company.id, company_name=company.name, health=await health_out(ctx, company.id), **view
    )


async def company_out(ctx: ApiContext, company: Company) -> CompanyOut:
    return CompanyOut(
        company=company.model_dump(mode="json", exclude={"staff_token_hash"}),
        has_staff_token=company.staff_token_hash is not None,
        session=await session_out(ctx, company),
    )


# --- admin -----------------------------------------------------------------------------------------------------


async def list_companies(request: web.Request) -> web.Response:
    ctx = context(request)
    companies = [await company_out(ctx, company) for company in await ctx.store.list_companies()]
    return reply(CompanyList(companies=companies))


async def save(ctx: ApiContext, company: Company) -> None:
    await ctx.store.upsert_company(company)
    await ctx.redis.sadd(keys.COMPANIES, company.id)  # type: ignore[misc]  # the gateways hold it from now on


async def create_company(request: web.Request) -> web.Response:
    ctx = context(request)
    body = await parse(request, CompanyCreate)
    if await ctx.store.get_company(body.id) is not None:
        raise ApiError(409, "exists", "a company with this id exists: PUT /api/v1/companies/{id} updates it")
    company = CompanySettings.model_validate(body.model_dump(exclude={"id"})).to_company(body.id, None)
    await save(ctx, company)
    return reply(await company_out(ctx, company), status=201)


async def get_company(request: web.Request) -> web.Response:
    return reply(await company_out(context(request), await company_of(request)))


async def update_company(request: web.Request) -> web.Response:
    ctx = context(request)
    existing = await company_of(request)
    body = await parse(request, CompanySettings)
    company = body.to_company(existing.id, existing.staff_token_hash)
    await save(ctx, company)
    return reply(await company_out(ctx, company))


async def rotate_staff_token(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    token, digest = new_staff_token(company.id)
    await ctx.store.upsert_company(company.model_copy(update={"staff_token_hash": digest}))
    return reply(StaffToken(token=token, page=f"/qr/?company={company.id}#token={token}"), status=201)


# --- one company's session (staff) -----------------------------------------------------------------------------


async def session_status(request: web.Request) -> web.Response:
    return reply(await session_out(context(request), await company_of(request)))


async def session_events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: `status` with a SessionOut whenever it changes, a comment every 15 s, and the stream
    ends after `events_max_seconds` (the page reconnects, which checks its token again)."""
    ctx = context(request)
    company = await company_of(request)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    started = last_ping = loop.time()
    last = ""
    while not ctx.closing.is_set() and loop.time() - started < ctx.events_max_seconds:
        current = (await session_out(ctx, company)).model_dump_json()
        if current != last:
            await response.write(f"event: status\ndata: {current}\n\n".encode())
            last = current
        elif loop.time() - last_ping > 15:
            await response.write(b": ping\n\n")
            last_ping = loop.time()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.closing.wait(), ctx.events_poll)
    return response


async def session_qr(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    answer = await ctx.control.run(company.id, "qr")
    return web.Response(
        text=qr_svg(answer["qr"]), content_type="image/svg+xml", headers={"Cache-Control": "no-store, private"}
    )


async def start_pairing(request: web.Request) -> web.Response:
    """Start a QR pairing ("new code"): at most one per company every `new_code_interval` seconds."""
    ctx = context(request)
    company = await company_of(request)
    interval = int(ctx.new_code_interval)
    if interval > 0 and not await ctx.redis.set(keys.new_code(company.id), "1", nx=True, ex=interval):
        wait = max(1, int(await ctx.redis.ttl(keys.new_code(company.id))))
        raise ApiError(
            429, "rate_limited", f"a new code can be asked for in {wait} s", headers={"Retry-After": str(wait)}
        )
    try:
        await ctx.control.run(company.id, "pair")
    except ApiError:
        await ctx.redis.delete(keys.new_code(company.id))  # nothing started: do not make them wait
        raise
    await ctx.redis.set(keys.pairing(company.id), str(time.time()), ex=int(QR_WINDOW_SECONDS))
    return reply(await session_out(ctx, company), status=202)


async def pairing_code(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    body = await parse(request, PairingCodeIn)
    answer = await ctx.control.run(company.id, "code", {"phone": body.phone}, wait=45.0)
    await ctx.redis.set(keys.pairing(company.id), str(time.time()), ex=int(QR_WINDOW_SECONDS))
    return reply(PairingCodeOut(code=answer["code"]))


async def logout(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    await ctx.control.run(company.id, "logout", wait=30.0)
    await ctx.redis.delete(keys.new_code(company.id))  # unlinking is deliberate: the next code may come at once
    return reply(await session_out(ctx, company), status=202)


# --- operations ------------------------------------------------------------------------------------------------


async def health(request: web.Request) -> web.Response:
    alive = context(request).manager.alive()
    return reply(HealthOut(ok=alive), status=200 if alive else 503)


async def ready(request: web.Request) -> web.Response:
    ctx = context(request)
    checks = {"redis": False, "store": False, "sessions": ctx.manager.alive()}
    # Any failure means not ready; the check's result says which.
    with contextlib.suppress(Exception):
        checks["redis"] = bool(await asyncio.wait_for(ctx.redis.ping(), 2))
    with contextlib.suppress(Exception):
        await asyncio.wait_for(ctx.store.get_company("-ready-probe-"), 3)
        checks["store"] = True
    ok = all(checks.values())
    return reply(ReadyOut(ok=ok, checks=checks), status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    ctx = context(request)
    text = await render_metrics(ctx.redis, ctx.manager, ctx.gate)
    return web.Response(text=text, content_type="text/plain", charset="utf-8", headers={"Cache-Control": "no-store"})


async def status(request: web.Request) -> web.Response:
    """Held companies and their session states on this gateway (no phone numbers, no texts)."""
    ctx = context(request)
    manager = ctx.manager
    companies = {
        company_id: {
            "state": held.session.state.value,
            "paused_until": until.isoformat() if (until := held.session.sending_paused()) else None,
            "sent": held.outbox.sent,
        }
        for company_id, held in sorted(manager.held.items())
    }
    return web.json_response(
        {
            "gateway": manager.config.gateway_id,
            "companies": companies,
            "inbound": {"accepted": ctx.gate.accepted, "duplicates": ctx.gate.duplicates},
        }
    )


async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI document of these routes, made from this table when the app is mounted."""
    return web.json_response(request.app[OPENAPI])


C = "/api/v1/companies/{company_id}"
ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/health",
        health,
        Access.PUBLIC,
        "Liveness: the lease and connect loops run",
        None,
        HealthOut,
        errors=(503,),
        tag="operations",
    ),
    Route(
        "GET",
        "/ready",
        ready,
        Access.ADMIN,
        "Readiness: Redis, the store and the session loops",
        None,
        ReadyOut,
        errors=(503,),
        tag="operations",
    ),
    Route("GET", "/metrics", metrics, Access.ADMIN, "Prometheus text exposition", None, "text/plain", tag="operations"),
    Route(
        "GET",
        "/status",
        status,
        Access.ADMIN,
        "This gateway's held sessions",
        None,
        "application/json",
        tag="operations",
    ),
    Route(
        "GET",
        "/api/v1/openapi.json",
        openapi,
        Access.ADMIN,
        "This document",
        None,
        "application/json",
        tag="operations",
    ),
    Route(
        "GET",
        "/api/v1/companies",
        list_companies,
        Access.ADMIN,
        "Companies with their session status",
        None,
        CompanyList,
        tag="admin",
    ),
    Route(
        "POST",
        "/api/v1/companies",
        create_company,
        Access.ADMIN,
        "Create a company (the gateways then hold it)",
        CompanyCreate,
        CompanyOut,
        201,
        (400, 409, 422),
        tag="admin",
    ),
    Route("GET", C, get_company, Access.ADMIN, "One company", None, CompanyOut, errors=(404,), tag="admin"),
    Route(
        "PUT",
        C,
        update_company,
        Access.ADMIN,
        "Update a company's settings",
        CompanySettings,
        CompanyOut,
        errors=(400, 404, 422),
        tag="admin",
    ),
    Route(
        "POST",
        C + "/staff-token",
        rotate_staff_token,
        Access.ADMIN,
        "Issue a new staff token (the old one stops working)",
        None,
        StaffToken,
        201,
        (404,),
        tag="admin",
    ),
    Route(
        "GET",
        C + "/session",
        session_status,
        Access.COMPANY,
        "The WhatsApp session's status",
        None,
        SessionOut,
        errors=(404,),
        scope=Scope.STATUS,
    ),
    Route(
        "GET",
        C + "/session/events",
        session_events,
        Access.COMPANY,
        "Live status as server-sent events (event: status, data: SessionOut)",
        None,
        "text/event-stream",
        errors=(404,),
        scope=Scope.STATUS,
    ),
    Route(
        "GET",
        C + "/session/qr",
        session_qr,
        Access.COMPANY,
        "The current QR code as SVG",
        None,
        "image/svg+xml",
        errors=(404, 409, 503, 504),
    ),
    Route(
        "POST",
        C + "/session/pairing",
        start_pairing,
        Access.COMPANY,
        "Start a QR pairing (new code); rate-limited per company",
        None,
        SessionOut,
        202,
        (404, 409, 429, 504),
    ),
    Route(
        "POST",
        C + "/session/pairing-code",
        pairing_code,
        Access.COMPANY,
        "Pair with a code typed on the phone instead of a QR",
        PairingCodeIn,
        PairingCodeOut,
        errors=(400, 404, 409, 422, 502, 504),
    ),
    Route(
        "POST",
        C + "/session/logout",
        logout,
        Access.COMPANY,
        "Unlink the number (log the device out)",
        None,
        SessionOut,
        202,
        (404, 409, 504),
    ),
) + (send.ROUTES + integration_admin.ROUTES + stats.ROUTES + waitlist.ROUTES)
