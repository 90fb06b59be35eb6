"""The gateway's HTTP API (/api/v1), operations endpoints and the staff QR page, secure by default.

Middlewares, outermost first: errors (one JSON shape, no internals) → security headers → CORS (closed unless
origins are configured) → authentication. Authentication comes last so that even its refusals get the headers and
the error shape. Every route's access is declared in `routes.ROUTES`; a route without one needs the admin token.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from booking_bot.domain import Scope
from booking_bot.gateway.api.auth import Access
from booking_bot.gateway.api.base import OPENAPI
from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.api.openapi import document
from booking_bot.gateway.api.routes import CONTEXT, PRINCIPAL, ROUTES
from booking_bot.resources import resource_dir

log = logging.getLogger(__name__)
QR_PAGE_DIR = resource_dir("qr_page")
ACCESS = web.AppKey("api_access", dict[web.AbstractResource, Access])
SCOPES = web.AppKey("api_scopes", dict[web.AbstractRoute, Scope])
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith("/api/"):
            return ApiError(exc.status, exc.reason.lower().replace(" ", "_"), exc.reason).response()
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.match_info.route.resource)
        return ApiError(500, "internal", "internal error").response()


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/qr/"):
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


@web.middleware
async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only configured origins get CORS headers; by default none does (the QR page is same-origin)."""
    origins = request.app[CONTEXT].cors_origins
    origin = request.headers.get("Origin")
    allowed = origin is not None and origin in origins
    if request.method == "OPTIONS" and allowed and "Access-Control-Request-Method" in request.headers:
        return web.Response(
            status=204,
            headers={
                "Access-Control-Allow-Origin": origin or "",
                "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
                "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            },
        )
    response = await handler(request)
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = origin or ""
        response.headers["Vary"] = "Origin"
    return response


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    match = request.match_info
    if match.http_exception is not None:
        return await handler(request)  # 404 / 405: nothing is served
    access = request.app[ACCESS].get(match.route.resource, Access.ADMIN) if match.route.resource else Access.ADMIN
    if access is Access.PUBLIC:
        return await handler(request)
    ctx = request.app[CONTEXT]
    client = request.remote or "unknown"
    wait = await ctx.limiter.blocked_for(client)
    if wait:
        raise ApiError(429, "rate_limited", "too many failed attempts", headers={"Retry-After": str(wait)})
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    principal = await ctx.authenticator.authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        await ctx.limiter.failed(client)
        raise ApiError(401, "unauthorized", "a valid token is needed", headers={"WWW-Authenticate": "Bearer"})
    company_id = match.get("company_id")
    if access is Access.ADMIN and not principal.is_admin:
        await ctx.limiter.failed(client)
        raise ApiError(403, "forbidden", "this needs the admin token")
    if company_id is not None and not principal.may_act_for(company_id):
        await ctx.limiter.failed(client)
        log.warning("company=%s token of company=%s refused", company_id, principal.company_id)
        raise ApiError(403, "forbidden", "this token is for another company")
    scope = request.app[SCOPES].get(match.route)
    if not principal.allows(scope):
        await ctx.limiter.failed(client)
        log.warning("company=%s integration token %s lacks scope %s", company_id, principal.token_id, scope)
        needed = f"the {scope.value!r} scope" if scope is not None else "a staff or admin token"
        raise ApiError(403, "forbidden", f"this token lacks {needed}")
    request[PRINCIPAL] = principal
    return await handler(request)


def mount(app: web.Application, qr_page: Path = QR_PAGE_DIR) -> None:
    """Register every route of `ROUTES`, the QR page at /qr/, and the middlewares. The `ApiContext` goes into
    `app[CONTEXT]` at start-up, once the services exist."""
    access: dict[web.AbstractResource, Access] = {}
    scopes: dict[web.AbstractRoute, Scope] = {}
    for route in ROUTES:
        registered = app.router.add_route(route.method, route.path, route.handler, name=route.handler.__name__)
        access[registered.resource] = route.access  # type: ignore[index]
        if route.scope is not None:
            scopes[registered] = route.scope
    # The page: fixed files, no data (the token stays in the URL fragment, which browsers never send).
    index = qr_page / "index.html"

    async def page(request: web.Request) -> web.FileResponse:
        return web.FileResponse(index)

    access[app.router.add_get("/qr/", page, name="qr_index", allow_head=False).resource] = Access.PUBLIC  # type: ignore[index]
    access[app.router.add_static("/qr/", qr_page, name="qr_page", append_version=False)] = Access.PUBLIC
    app[ACCESS] = access
    app[SCOPES] = scopes
    app[OPENAPI] = document()
    app.middlewares.extend([errors, security_headers, cors, authenticate])

    async def close_streams(app: web.Application) -> None:
        app[CONTEXT].closing.set()

    app.on_shutdown.append(close_streams)
