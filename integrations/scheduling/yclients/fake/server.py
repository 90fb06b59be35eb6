"""The fake YClients server: its aiohttp application (every route of `handlers.ROUTES` behind one middleware that
counts requests and answers, limits the rate when asked and injects the planned faults) and a real socket to serve it
on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from integrations.scheduling.yclients.fake.base import FakeApiState
from integrations.scheduling.yclients.fake.faults import Fault
from integrations.scheduling.yclients.fake.handlers import ROUTES
from integrations.scheduling.yclients.fake.wire import API_PREFIX, Reject, parse_local, second_shape_error, usual_error


class FakeYClients(FakeApiState):
    """The fake API: its state (`FakeApiState`) and `app()`, the aiohttp application that answers for it."""

    # -- the application -----------------------------------------------------------------------------------

    def app(self) -> web.Application:
        """The aiohttp application answering every route of `handlers.ROUTES`."""
        app = web.Application(middlewares=[self._middleware])
        for method, path, name, handler in ROUTES:
            app.router.add_route(method, API_PREFIX + path, functools.partial(handler, self), name=name)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        route = request.match_info.route.name or "unknown"
        self.requests.append((request.method, route))  # on arrival: a request whose answer is lost still counts
        try:
            if request.can_read_body:
                await request.read()  # the whole request arrives before any delay: a slow answer can commit late
            self._check_rate()
            fault = self.faults.draw(route)
            response = await self._with_fault(request, handler, fault)
        except Reject as reject:
            response = web.json_response(reject.body, status=reject.status)
            if reject.status == 429:
                response.headers["Retry-After"] = str(self.faults.retry_after)
        self.answers.append((route, response.status))
        return response

    def _check_rate(self) -> None:
        if self.rate_limit_per_second is None:
            return
        now = asyncio.get_running_loop().time()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit_per_second:
            raise usual_error(429, "Too many requests")
        self._recent.append(now)

    async def _with_fault(self, request: web.Request, handler: Any, fault: Fault | None) -> web.StreamResponse:
        if fault is Fault.SERVER_ERROR:
            raise usual_error(500, "Internal server error")
        if fault is Fault.SECOND_SHAPE_ERROR:
            raise second_shape_error(503, "Service temporarily unavailable")
        if fault is Fault.RATE_LIMITED:
            raise usual_error(429, "Too many requests")
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(self.faults.timeout_delay)
            raise usual_error(504, "Gateway timeout")
        if fault is Fault.FORBIDDEN_MOVE:
            raise usual_error(403, "The company does not allow clients to change records")
        if fault is Fault.RACE_422:
            await self._rival_takes_slot(request)
        if fault is Fault.SLOW:
            await asyncio.sleep(self.faults.slow())
        response: web.StreamResponse = await handler(request)
        if fault is Fault.COMMIT_THEN_TIMEOUT:
            await asyncio.sleep(self.faults.timeout_delay)
        return response

    async def _rival_takes_slot(self, request: web.Request) -> None:
        """Someone else books the requested slot right before this request is handled."""
        body = await self.json_body(request)
        company = self.company_of(request)
        for appointment in body.get("appointments") or []:
            with contextlib.suppress(KeyError, TypeError, ValueError, Reject):
                start = parse_local(company, appointment["datetime"])
                staff_id, service_id = int(appointment["staff_id"]), int(appointment["services"][0])
                if company.why_not_free(self.clock, staff_id, service_id, start) is None:
                    self.add_record(
                        company.id, staff_id, service_id, start, phone=f"7998{self.next_id():07d}", name="Rival"
                    )


@contextlib.asynccontextmanager
async def run_fake_yclients(server: FakeYClients, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve `server` on a real socket (a free port by default); yields the API base URL (…/api/v1)."""
    runner = web.AppRunner(server.app(), shutdown_timeout=0.5, handler_cancellation=False)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, port))
    site = web.SockSite(runner, sock)
    await site.start()
    bound_port = sock.getsockname()[1]
    try:
        yield f"http://{host}:{bound_port}{API_PREFIX}"
    finally:
        await runner.cleanup()
