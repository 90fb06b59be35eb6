"""`booking-bot gateway`: the aiohttp app around the session manager.

Start-up order: executor sized for the sessions → production services → Redis broker and actors → session manager.
Shutdown (SIGINT/SIGTERM, via aiohttp's runner) runs the cleanup context in reverse: the manager stops taking
companies, each outbox finishes the send in hand, sessions close, leases are released (so another gateway takes the
companies at once instead of after the lease TTL), then Redis and the store close.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import dramatiq
from aiohttp import web

from booking_bot.composition import Production, build_production
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.manager import ManagerConfig, SessionManager
from booking_bot.queue import build_broker, declare_actors
from booking_bot.settings import BrokerKind, Settings
from integrations.whatsapp.client import ClientFactory, NeonizeFactory, size_default_executor
from integrations.whatsapp.session import Pacing

log = logging.getLogger(__name__)


@dataclass
class GatewayRuntime:
    production: Production
    broker: dramatiq.Broker
    gate: InboundGate
    manager: SessionManager


RUNTIME = web.AppKey("gateway", GatewayRuntime)


def default_factory(settings: Settings) -> ClientFactory:
    """neonize on the PostgreSQL DSN in production, a SQLite file under data_dir otherwise."""
    if settings.whatsapp_session_dsn is not None:
        return NeonizeFactory(settings.whatsapp_session_dsn.get_secret_value())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return NeonizeFactory(settings.data_dir / "whatsapp_sessions.sqlite3")


def manager_config(settings: Settings) -> ManagerConfig:
    return ManagerConfig(
        gateway_id=settings.gateway_id or f"{socket.gethostname()}:{os.getpid()}",
        max_companies=settings.gateway_max_companies,
        lease_ttl=settings.gateway_lease_ttl_seconds,
        renew_seconds=settings.gateway_lease_renew_seconds,
        backoff_base=settings.gateway_connect_backoff_base_seconds,
        backoff_cap=settings.gateway_connect_backoff_cap_seconds,
        shutdown_seconds=settings.gateway_shutdown_seconds,
        pacing=Pacing(
            typing_min=settings.gateway_typing_min_seconds,
            typing_per_char=settings.gateway_typing_seconds_per_char,
            typing_max=settings.gateway_typing_max_seconds,
            send_interval=settings.gateway_send_interval_seconds,
        ),
    )


def create_app(settings: Settings, factory: ClientFactory | None = None) -> web.Application:
    if settings.broker is not BrokerKind.REDIS:
        raise ValueError("the gateway needs BOOKING_BOT_BROKER=redis (workers are separate processes)")
    if settings.gateway_lease_renew_seconds * 2 >= settings.gateway_lease_ttl_seconds:
        raise ValueError("BOOKING_BOT_GATEWAY_LEASE_RENEW_SECONDS must be under half the lease TTL")
    app = web.Application()

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        size_default_executor(asyncio.get_running_loop(), settings.gateway_max_companies)
        production = build_production(settings)
        broker = build_broker(settings)
        actors = declare_actors(broker)
        gate = InboundGate(
            production.redis,
            production.services,
            actors,
            timedelta(hours=settings.gateway_inbound_dedupe_hours),
        )
        manager = SessionManager(production.redis, factory or default_factory(settings), gate, manager_config(settings))
        app[RUNTIME] = GatewayRuntime(production, broker, gate, manager)
        await manager.start()
        log.info("gateway %s started", manager.config.gateway_id)
        try:
            yield
        finally:
            await manager.stop()
            await production.aclose()
            broker.close()
            log.info("gateway %s stopped", manager.config.gateway_id)

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/health", health)
    app.router.add_get("/status", status)
    return app


async def health(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    return web.json_response({"ok": runtime.manager.alive()}, status=200 if runtime.manager.alive() else 503)


async def status(request: web.Request) -> web.Response:
    """Held companies and their session states (no phone numbers, no texts)."""
    runtime = request.app[RUNTIME]
    manager = runtime.manager
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
            "inbound": {"accepted": runtime.gate.accepted, "duplicates": runtime.gate.duplicates},
        }
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
        host=args.host or settings.gateway_host,
        port=args.port if args.port is not None else settings.gateway_port,
        print=None,
        shutdown_timeout=settings.gateway_shutdown_seconds,
    )
    return 0
