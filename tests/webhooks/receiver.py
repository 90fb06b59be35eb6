"""A local webhook receiver (aiohttp) for tests: answers by a script, records what arrived and when."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Arrival:
    at: float  # time.monotonic()
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """`script` says what each request gets: an HTTP status, or "hang" (no answer within the sender's timeout).
    When the script runs out, every request gets 200."""

    script: list[int | str] = field(default_factory=list)
    arrivals: list[Arrival] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.arrivals.append(Arrival(time.monotonic(), dict(request.headers), await request.read()))
        step = self.script.pop(0) if self.script else 200
        if step == "hang":
            await asyncio.sleep(5)
            return web.Response(status=200)
        return web.Response(status=int(step), text="ok")


@asynccontextmanager
async def running_receiver(script: list[int | str]) -> AsyncIterator[Receiver]:
    receiver = Receiver(list(script))
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    receiver.url = str(server.make_url("/hook"))
    try:
        yield receiver
    finally:
        await server.close()
