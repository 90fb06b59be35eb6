"""Dramatiq wiring: the broker (stub in the demo and tests, Redis in production) and the `handle_inbound` actor.

Nothing is created at import time: `build_broker` makes the broker, `declare_actors` binds the actors to it, and
`install` hands the worker process its services. The broker exists before any actor is declared.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import default_middleware
from dramatiq.middleware.asyncio import AsyncIO

from booking_bot.assistant import Services, process_conversation
from booking_bot.domain import InboundMessage
from booking_bot.settings import BrokerKind, Settings

log = logging.getLogger(__name__)
INBOUND_QUEUE = "inbound"


class NotInstalled(RuntimeError):
    """A job ran in a process whose services were never installed (a wiring bug, not worth retrying)."""


_services: Services | None = None


def install(services: Services | None) -> None:
    """Give this process's actors their services (the composition root calls it once at start)."""
    global _services
    _services = services


def installed() -> Services:
    if _services is None:
        raise NotInstalled("booking_bot.queue.install() was not called in this process")
    return _services


def _middleware() -> list[dramatiq.Middleware]:
    # Prometheus needs the dramatiq CLI's process boot (its exporter, files in /tmp); our workers run
    # dramatiq.Worker in our own processes, and /metrics is served by the gateway.
    return [m() for m in default_middleware if m.__name__ != "Prometheus"]


def build_broker(settings: Settings) -> dramatiq.Broker:
    if settings.broker is BrokerKind.REDIS:
        # Chat-fit: a killed worker's unacknowledged messages go back to the queue once its heartbeat is older
        # than heartbeat_timeout, at the next maintenance sweep (run on `maintenance_chance` per million commands;
        # dramatiq's defaults, 60 s and 0.1 %, leave a message stuck for many minutes on a quiet queue).
        broker: dramatiq.Broker = RedisBroker(
            url=settings.redis_url.get_secret_value(),
            heartbeat_timeout=int(settings.worker_heartbeat_timeout_seconds * 1000),
            maintenance_chance=settings.worker_maintenance_chance,
            middleware=_middleware(),
        )
    else:
        broker = StubBroker(middleware=_middleware())
        broker.emit_after("process_boot")
    broker.add_middleware(AsyncIO())
    dramatiq.set_broker(broker)
    return broker


async def handle_inbound(company_id: str, chat_id: str, message_id: str) -> None:
    """Handle a chat's pending messages. Takes ids, not objects: the message itself waits in the store."""
    services = installed()
    if await services.store.inbound_done(company_id, message_id):
        return  # already handled, by a redelivery or by the job of an earlier message of the same burst
    handled = await process_conversation(services, company_id, chat_id)
    log.debug("company=%s handled %d message(s)", company_id, handled)


@dataclass(frozen=True)
class Actors:
    handle_inbound: dramatiq.Actor[[str, str, str], Awaitable[None]]


def declare_actors(broker: dramatiq.Broker) -> Actors:
    # A chat reply is worth a few quick retries, not dramatiq's default of 20 retries over days.
    actor: dramatiq.Actor[[str, str, str], Awaitable[None]] = dramatiq.actor(
        handle_inbound,
        broker=broker,
        actor_name="handle_inbound",
        queue_name=INBOUND_QUEUE,
        max_retries=3,
        min_backoff=200,
        max_backoff=5_000,
        time_limit=60_000,
        throws=(NotInstalled,),
    )
    return Actors(handle_inbound=actor)


async def accept_inbound(services: Services, actors: Actors, message: InboundMessage) -> bool:
    """The one entry point for every transport: store (dedupe on company + message id), then enqueue.

    Returns False for a duplicate. The message is durable before it is queued, so a lost job loses nothing.
    """
    if not await services.store.record_inbound(message):
        return False
    actors.handle_inbound.send(message.company_id, message.chat_id, message.message_id)
    return True
