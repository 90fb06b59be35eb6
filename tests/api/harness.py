"""A real gateway app (API, QR page, session manager) on real Redis, with fake neonize clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from booking_bot.gateway.api.routes import CONTEXT, ApiContext
from booking_bot.gateway.app import RUNTIME, create_app
from booking_bot.settings import Settings
from integrations.whatsapp.session import CompanySession
from tests.fakes.neonize_fake import FakeClientFactory, FakeNeonizeClient

ADMIN_TOKEN = "admin-token-for-tests-" + "x" * 24


def gateway_settings(redis_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "broker": "redis",
        "redis_url": redis_url,
        "data_dir": data_dir,
        "admin_token": ADMIN_TOKEN,
        "gateway_id": "gw-test",
        "gateway_lease_ttl_seconds": 2.0,
        "gateway_lease_renew_seconds": 0.2,
        "gateway_shutdown_seconds": 2.0,
        "api_new_code_interval_seconds": 0,
        "api_auth_failures_per_minute": 1000,
        "api_events_poll_seconds": 0.1,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class Gateway:
    """The test's handle on a running gateway."""

    def __init__(self, client: TestClient[web.Request, web.Application], redis: Redis) -> None:
        self.client = client
        self.redis = redis

    @property
    def app(self) -> web.Application:
        return self.client.server.app  # type: ignore[no-any-return]

    @property
    def ctx(self) -> ApiContext:
        return self.app[CONTEXT]

    def url(self, path: str) -> str:
        return str(self.client.make_url(path))

    async def call(self, method: str, path: str, token: str | None = ADMIN_TOKEN, **kw: Any) -> Any:
        headers = {**kw.pop("headers", {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        return await self.client.request(method, path, headers=headers, **kw)

    async def create_company(self, company_id: str, name: str) -> str:
        """Create the company through the admin API; returns a fresh staff token."""
        created = await self.call("POST", "/api/v1/companies", json={"id": company_id, "name": name})
        assert created.status == 201, await created.text()
        issued = await self.call("POST", f"/api/v1/companies/{company_id}/staff-token")
        assert issued.status == 201
        token: str = (await issued.json())["token"]
        return token

    async def state(self, company_id: str) -> str:
        response = await self.call("GET", f"/api/v1/companies/{company_id}/session")
        return str((await response.json())["state"])

    async def until(self, predicate: Callable[[], Any], limit: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + limit
        while True:
            result = predicate()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("condition not reached in time")
            await asyncio.sleep(0.05)

    async def wait_state(self, company_id: str, state: str, limit: float = 10.0) -> None:
        async def reached() -> bool:
            return await self.state(company_id) == state

        await self.until(reached, limit)

    def session(self, company_id: str) -> CompanySession:
        return self.app[RUNTIME].manager.held[company_id].session

    def client_of(self, company_id: str) -> FakeNeonizeClient:
        client = self.session(company_id).client
        assert isinstance(client, FakeNeonizeClient)
        return client


@asynccontextmanager
async def running_gateway(settings: Settings) -> AsyncIterator[Gateway]:
    redis = Redis.from_url(settings.redis_url.get_secret_value())
    app = create_app(settings, FakeClientFactory(redis))
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield Gateway(client, redis)
    finally:
        await client.close()
        await redis.aclose()
