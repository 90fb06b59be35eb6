"""The session manager: which companies this gateway holds, their sessions and their outbound loops.

Every `renew_seconds` (the heartbeat): renew the held leases (a lost lease closes that session at once, without
touching the lease), then try to take companies nobody holds, up to `max_companies`. New sessions connect one at a
time (concurrent neonize connects have crashed processes); a failing connect is retried with backoff without
holding up the others. The watchdog (watchdog.py) probes connected numbers that went silent for longer than usual
and has the deaf ones reconnected through the same one-at-a-time queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from redis.asyncio import Redis

from booking_bot.config import ManagerConfig
from booking_bot.domain import InboundMessage
from booking_bot.gateway.leases import Leases
from booking_bot.gateway.outbound import CompanyOutbox, Outbound
from booking_bot.gateway.watchdog import Watchdog
from booking_bot.ports import EventSink
from integrations import redis_keys as keys
from integrations.whatsapp.client import ClientFactory
from integrations.whatsapp.session import CompanySession, SessionStatus

log = logging.getLogger(__name__)


@dataclass
class Held:
    session: CompanySession
    outbox: CompanyOutbox
    outbox_task: asyncio.Task[None]
    since: float


class SessionManager:
    def __init__(
        self,
        redis: Redis,
        factory: ClientFactory,
        on_inbound: Callable[[InboundMessage], Awaitable[None]],
        config: ManagerConfig,
        events: EventSink | None = None,
        outbound: Outbound | None = None,
    ) -> None:
        self._redis = redis
        self._events = events
        self.outbound = outbound  # identities, the proactive check, health; None: send as told (tests, tools)
        self._factory = factory
        self._on_inbound = on_inbound
        self.config = config
        self.leases = Leases(redis, config.gateway_id, config.lease_ttl)
        self.held: dict[str, Held] = {}
        self._connects: asyncio.Queue[CompanySession] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._retries: set[asyncio.Task[None]] = set()
        self._closing: set[str] = set()
        self._stopping = False
        self.takeovers = 0
        self.watchdog = Watchdog(redis, config.watchdog, self._watchdog_reconnect)

    async def start(self) -> None:
        self._factory.migrate()  # once, before any client: parallel first starts race the schema migration
        self._tasks = [
            asyncio.create_task(self._heartbeat(), name="leases"),
            asyncio.create_task(self._connector(), name="connects"),
        ]
        if self.config.watchdog.enabled:
            self._tasks.append(asyncio.create_task(self.watchdog.run(self.sessions), name="watchdog"))

    async def stop(self) -> None:
        """Graceful: stop taking companies, let each outbox finish the send in hand, close sessions, release."""
        self._stopping = True
        await self._redis.zrem(keys.GATEWAYS, self.config.gateway_id)
        for task in [*self._tasks, *self._retries]:
            task.cancel()
        for task in [*self._tasks, *self._retries]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.gather(*(self._close(company_id, release=True) for company_id in list(self.held)))

    def sessions(self) -> dict[str, CompanySession]:
        return {company_id: held.session for company_id, held in self.held.items()}

    def alive(self) -> bool:
        return bool(self._tasks) and not any(task.done() for task in self._tasks)

    async def _heartbeat(self) -> None:
        # Announce ourselves and give gateways starting together a moment to do the same: fair shares from the start.
        await self._live_gateways()
        await asyncio.sleep(self.config.renew_seconds)
        while True:
            try:
                await self._tick()
            except Exception:
                log.exception("gateway=%s lease round failed", self.config.gateway_id)
            await asyncio.sleep(self.config.renew_seconds)

    async def _tick(self) -> None:
        kept = await self.leases.renew(list(self.held))
        lost = sorted(set(self.held) - kept)
        for company_id in lost:
            log.warning("company=%s lease lost: closing the session", company_id)
        # Together, not one by one: each close waits up to a second for its outbox, and a heartbeat held up that
        # long let the other leases expire too (1,000 companies on one gateway collapsed lease by lease).
        await asyncio.gather(*(self._close(company_id, release=False) for company_id in lost))
        if self._stopping:
            return
        wanted = sorted(member.decode() for member in await self._redis.smembers(keys.COMPANIES))  # type: ignore[misc]
        share = min(self.config.max_companies, -(-len(wanted) // await self._live_gateways()))
        if len(self.held) > share:
            # More than a fair share (we started first): hand one company per round to the others.
            company_id = sorted(self.held)[-1]
            log.info("gateway=%s company=%s handed over (rebalancing)", self.config.gateway_id, company_id)
            await self._close(company_id, release=True)
            return
        for company_id in wanted:
            if len(self.held) >= share:
                break
            if company_id in self.held or company_id in self._closing:
                continue  # still closing (its outbox finishing a send): a second client would kick the first off
            if await self.leases.acquire(company_id):
                await self._open(company_id)

    async def _live_gateways(self) -> int:
        """Gateways that renewed their membership within one lease TTL (including this one)."""
        wall = time.time()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(keys.GATEWAYS, {self.config.gateway_id: wall + self.config.lease_ttl})
            pipe.zremrangebyscore(keys.GATEWAYS, "-inf", wall)
            pipe.zcard(keys.GATEWAYS)
            results = await pipe.execute()
        return max(1, int(results[-1]))

    async def _open(self, company_id: str) -> None:
        jid_user = await self._redis.hget(keys.JIDS, company_id)  # type: ignore[misc]
        session = CompanySession(
            company_id=company_id,
            factory=self._factory,
            on_inbound=self._inbound,
            on_status=self._publish,
            on_paired=self._paired,
            jid_user=jid_user.decode() if jid_user else None,
            pacing=self.config.pacing,
            backoff_base=self.config.backoff_base,
            backoff_cap=self.config.backoff_cap,
            preflight=self.config.connect_preflight,
            replay_max_age=timedelta(seconds=self.config.watchdog.replay_max_age_seconds),
            last_inbound_at=await self.watchdog.last_arrival(company_id),  # a replay after connecting starts here
        )
        if self.outbound is not None:
            session.sending = self.outbound.number(company_id)
        outbox = CompanyOutbox(self._redis, self.config.gateway_id, session, outbound=self.outbound)
        task = asyncio.create_task(outbox.run(), name=f"outbox:{company_id}")
        self.held[company_id] = Held(session, outbox, task, asyncio.get_running_loop().time())
        self.takeovers += 1
        log.info("gateway=%s company=%s taken", self.config.gateway_id, company_id)
        self._connects.put_nowait(session)

    async def _connector(self) -> None:
        while True:
            session = await self._connects.get()
            if session.company_id not in self.held or self.held[session.company_id].session is not session:
                continue  # closed while waiting
            if not await session.connect_once():
                self._retry_later(session, session.retry_in)

    def _retry_later(self, session: CompanySession, delay: float) -> None:
        async def requeue() -> None:
            await asyncio.sleep(delay)
            self._connects.put_nowait(session)

        task = asyncio.create_task(requeue())
        self._retries.add(task)
        task.add_done_callback(self._retries.discard)

    async def _inbound(self, message: InboundMessage) -> None:
        await self._on_inbound(message)  # the gate: durable first
        self.watchdog.seen(message)

    async def _watchdog_reconnect(self, session: CompanySession, why: str) -> None:
        if self.held.get(session.company_id) is not None and self.held[session.company_id].session is session:
            await session.reconnect(why)
            self._connects.put_nowait(session)

    async def _close(self, company_id: str, release: bool) -> None:
        held = self.held.pop(company_id, None)
        if held is None:
            return
        self._closing.add(company_id)
        held.outbox.stop()
        try:
            await asyncio.wait_for(asyncio.shield(held.outbox_task), self.config.shutdown_seconds)
        except TimeoutError:
            held.outbox_task.cancel()
        except Exception:
            log.exception("company=%s outbox failed", company_id)
        try:
            await held.session.stop()
        finally:
            self._closing.discard(company_id)
        if release:
            await self.leases.release(company_id)

    async def _publish(self, status: SessionStatus) -> None:
        await self._redis.hset(  # type: ignore[misc]
            keys.status(status.company_id),
            mapping={
                "state": status.state.value,
                "since": status.since.isoformat(),
                "paused_until": _iso(status.paused_until),
                "detail": status.detail or "",
                "gateway": self.config.gateway_id,
            },
        )
        if self._events is not None:
            try:
                await self._events.emit(
                    status.company_id,
                    "session.state_changed",
                    f"{status.state.value}:{status.since.isoformat()}",
                    {
                        "state": status.state.value,
                        "since": status.since.isoformat(),
                        "detail": status.detail,
                        "paused_until": _iso(status.paused_until) or None,
                    },
                )
            except Exception:  # an event not recorded must not stop the session's state machine
                log.exception("company=%s session event not recorded", status.company_id)

    async def _paired(self, company_id: str, jid_user: str | None) -> None:
        if jid_user is None:
            await self._redis.hdel(keys.JIDS, company_id)  # type: ignore[misc]
        else:
            await self._redis.hset(keys.JIDS, company_id, jid_user)  # type: ignore[misc]
            if self.outbound is not None:
                await self.outbound.proactive.linked(jid_user)  # a new number's warm-up starts


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""
