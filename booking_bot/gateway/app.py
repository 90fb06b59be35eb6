"""`booking-bot gateway`: the aiohttp app around the session manager, with the HTTP API, the staff QR page,
/health, /ready and /metrics (booking_bot/gateway/api, docs/api.md). It refuses to start without an admin token.

Start-up order: executor sized for the sessions → production stack (services, Redis broker and jobs) → session
manager.
Shutdown (SIGINT/SIGTERM, via aiohttp's runner) runs the cleanup context in reverse: the manager stops taking
companies, each outbox finishes the send in hand, sessions close, leases are released (so another gateway takes the
companies at once instead of after the lease TTL), then Redis and the store close.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from pydantic import SecretStr

from booking_bot.composition import Production, build_production
from booking_bot.gateway.api import mount
from booking_bot.gateway.api.auth import Authenticator, FailureLimiter, check_admin_token
from booking_bot.gateway.api.routes import CONTEXT, ApiContext
from booking_bot.gateway.api.sessions import LocalSessions, SessionControl
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.manager import SessionManager
from booking_bot.gateway.outbound import Outbound
from booking_bot.settings import BrokerKind, Settings
from integrations.whatsapp.client import ClientFactory, NeonizeFactory, size_default_executor

log = logging.getLogger(__name__)


@dataclass
class GatewayRuntime:
    production: Production
    gate: InboundGate
    manager: SessionManager


RUNTIME = web.AppKey("gateway", GatewayRuntime)


def default_factory(settings: Settings) -> ClientFactory:
    """neonize on the PostgreSQL DSN in production, a SQLite file under data_dir otherwise."""
    if settings.whatsapp_session_dsn is not None:
        return NeonizeFactory(settings.whatsapp_session_dsn.get_secret_value())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return NeonizeFactory(settings.data_dir / "whatsapp_sessions.sqlite3")


def create_app(settings: Settings, factory: ClientFactory | None = None) -> web.Application:
    if settings.broker is not BrokerKind.REDIS:
        raise ValueError("the gateway needs BOOKING_BOT_BROKER=redis (workers are separate processes)")
    if settings.gateway.lease_renew_seconds * 2 >= settings.gateway.lease_ttl_seconds:
        raise ValueError("BOOKING_BOT_GATEWAY_LEASE_RENEW_SECONDS must be under half the lease TTL")
    admin_token = check_admin_token(settings.admin_token)
    app = web.Application()

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        size_default_executor(asyncio.get_running_loop(), settings.gateway.max_companies)
        production = build_production(settings)
        gate = InboundGate(
            production.redis, production.services, timedelta(hours=settings.gateway.inbound_dedupe_hours)
        )
        manager = SessionManager(
            production.redis,
            factory or default_factory(settings),
            gate,
            settings.gateway.manager_config(),
            events=production.services.events,
            outbound=Outbound.from_settings(production.redis, production.store, settings),
        )
        app[RUNTIME] = GatewayRuntime(production, gate, manager)
        control = SessionControl(production.redis, LocalSessions(manager, production.redis), manager.config.gateway_id)
        mount_context(app, settings, production, manager, gate, control, admin_token)
        await manager.start()
        relay = asyncio.create_task(control.serve(), name="session-commands")
        log.info("gateway %s started", manager.config.gateway_id)
        try:
            yield
        finally:
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay
            await control.close()  # pairings in hand end before their sessions close
            await manager.stop()
            await production.aclose()
            log.info("gateway %s stopped", manager.config.gateway_id)

    app.cleanup_ctx.append(lifecycle)
    mount(app)
    return app


def mount_context(
    app: web.Application,
    settings: Settings,
    production: Production,
    manager: SessionManager,
    gate: InboundGate,
    control: SessionControl,
    admin_token: SecretStr,
) -> None:
    """The API's context, once the services exist (the routes and middlewares are mounted with the app)."""
    app[CONTEXT] = ApiContext(
        redis=production.redis,
        store=production.store,
        manager=manager,
        gate=gate,
        control=control,
        authenticator=Authenticator(admin_token, production.store),
        limiter=FailureLimiter(production.redis, settings.api.auth_failures_per_minute),
        cors_origins=frozenset(settings.api.cors_origins),
        new_code_interval=settings.api.new_code_interval_seconds,
        events_poll=settings.api.events_poll_seconds,
        send=manager.outbound.proactive.limits if manager.outbound else settings.api.send_limits(),  # one set of rules
        webhook_private_targets=settings.webhook.private_targets,
        redeliver=production.services.jobs.deliver_webhook,
        events=production.services.events,
    )


def main(argv: list[str] | None = None, factory: ClientFactory | None = None) -> int:
    """`booking-bot gateway [--host H] [--port P]`. `factory` lets tests and the load script use fake clients."""
    parser = argparse.ArgumentParser(prog="booking-bot gateway", description="WhatsApp sessions and outbound")
    parser.add_argument("--host", default=None, help="default BOOKING_BOT_GATEWAY_HOST")
    parser.add_argument("--port", type=int, default=None, help="default BOOKING_BOT_GATEWAY_PORT")
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        app = create_app(settings, factory)
    except ValueError as exc:
        print(f"booking-bot gateway: {exc}")
        return 2
    web.run_app(
        app,
        host=args.host or settings.gateway.host,
        port=args.port if args.port is not None else settings.gateway.port,
        print=None,
        shutdown_timeout=settings.gateway.shutdown_seconds,
    )
    return 0
