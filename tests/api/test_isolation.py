"""Tenant isolation and closed-by-default: every route is walked, none is left out."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from booking_bot.gateway.api import QR_PAGE_DIR
from booking_bot.gateway.api.auth import Access
from booking_bot.gateway.api.routes import ROUTES
from tests.api.harness import Gateway, gateway_settings, running_gateway

BODIES = {"/api/v1/companies": {"id": "zzz", "name": "Z"}}


def api_routes(app: web.Application) -> list[tuple[str, str]]:
    """(method, path template) of every route the app serves, except the QR page's static files and HEAD twins."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method == "HEAD" or path is None:
            continue
        found.append((route.method, str(path)))
    return sorted(found)


async def request(gw: Gateway, method: str, template: str, company_id: str, token: str | None) -> int:
    path = re.sub(r"{\w+}", "some-id", template.replace("{company_id}", company_id))  # e.g. {token_id}
    body = BODIES.get(path, {"phone": "+15550000009"} if method in ("POST", "PUT") else None)
    response = await gw.call(method, path, token=token, json=body)
    await response.read()
    return response.status


async def test_every_route_but_health_and_the_static_page_needs_a_token(gateway_redis_url: str, tmp_path: Path) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        await gw.create_company("salon-b", "Salon B")
        routes = api_routes(gw.app)
        assert len(routes) == len(ROUTES) + 1  # + the page's index at /qr/
        for method, template in routes:
            status = await request(gw, method, template, "salon-b", token=None)
            if template in ("/health", "/qr/"):
                assert status == 200, (method, template)
            else:
                assert status == 401, (method, template, status)
            bad = await request(gw, method, template, "salon-b", token="salon-b.not-the-secret")
            assert bad == (200 if template in ("/health", "/qr/") else 401), (method, template, bad)
        # The page's files are fixed files: what is served is what is on disk, whoever asks.
        for name in ("index.html", "common.js", "app.js", "i18n.js", "style.css", "stats.html", "stats.js"):
            served = await gw.call("GET", f"/qr/{name}", token=None)
            assert served.status == 200
            assert await served.read() == (QR_PAGE_DIR / name).read_bytes()


async def test_company_a_staff_token_is_refused_on_every_route_of_company_b(
    gateway_redis_url: str, tmp_path: Path
) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token_a = await gw.create_company("salon-a", "Salon A")
        await gw.create_company("salon-b", "Salon B")
        await gw.wait_state("salon-b", "unpaired")
        checked = 0
        for route in ROUTES:
            if route.access is Access.PUBLIC:
                continue
            status = await request(gw, route.method, route.path, "salon-b", token=token_a)
            assert status in (403, 404), (route.method, route.path, status)
            checked += 1
        assert checked == len(ROUTES) - 1
        # Nothing of B's changed: no pairing was started, B is still waiting unpaired and has no QR.
        assert await gw.state("salon-b") == "unpaired"
        # A's own session routes work with A's token (the same token, so the refusals above were about B).
        own = await gw.call("GET", "/api/v1/companies/salon-a/session", token=token_a)
        assert own.status == 200 and (await own.json())["company_id"] == "salon-a"


async def test_a_staff_token_cannot_use_the_admin_routes(gateway_redis_url: str, tmp_path: Path) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token_a = await gw.create_company("salon-a", "Salon A")
        for route in ROUTES:
            if route.access is Access.ADMIN:
                status = await request(gw, route.method, route.path, "salon-a", token=token_a)
                assert status == 403, (route.method, route.path, status)
