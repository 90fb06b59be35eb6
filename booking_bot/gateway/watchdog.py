"""The silent-session watchdog: a number that says connected but has received nothing for longer than usual.

Every `tick_seconds`, for each held session that is connected: its silence is the time since the last of its last
message, its connect, or the watchdog's last probe. Past the number's usual gap — 3 × the 90th percentile of the gaps
between its recent messages, clamped to floor..cap (the cap while fewer than `min_gaps` gaps are known) — it is
probed: the socket must say connected, and a presence subscription (to the last customer who wrote, else to the
number itself) must bring any event back through neonize's event pipe within `probe_timeout_seconds`. A probe that
stays unanswered reconnects the number with a new client (at most once per `reconnect_interval_seconds`); the new
connection's offline queue and history sync come back through the same inbound gate and its dedupe.

Arrival times (coalesced to one per 30 s) live in Redis (`bb:wa:arrivals:{co}`, newest first), so a restarted or
taking-over gateway keeps the learned gap and knows where a replay starts. The verdict, the last arrival and the gap
are written to the company's status hash for `booking-bot test-connection` and the logs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise

from redis.asyncio import Redis

from booking_bot.config import WatchdogConfig
from booking_bot.domain import InboundMessage
from integrations import redis_keys as keys
from integrations.whatsapp.session import CompanySession, SessionState

log = logging.getLogger(__name__)
KEEP = 50  # arrivals remembered per number
COALESCE_SECONDS = 30.0  # a burst of messages is one arrival: gaps are between conversations' turns
ARRIVALS_TTL_SECONDS = 30 * 86_400
LISTENING = (SessionState.CONNECTED, SessionState.BANNED)  # banned numbers still receive

Reconnect = Callable[[CompanySession, str], Awaitable[None]]


def usual_gap(arrivals: Sequence[float], config: WatchdogConfig) -> float | None:
    """How long this number normally goes without a message, or None while too few gaps are known."""
    gaps = sorted(later - earlier for earlier, later in pairwise(sorted(arrivals)) if later > earlier)
    if len(gaps) < config.min_gaps:
        return None
    p90 = gaps[min(len(gaps) - 1, int(0.9 * len(gaps)))]
    return min(config.gap_cap_seconds, max(config.gap_floor_seconds, p90 * config.gap_factor))


@dataclass
class Watch:
    """What the watchdog knows of one number."""

    arrivals: deque[float] = field(default_factory=lambda: deque(maxlen=KEEP))  # epoch seconds, oldest first
    unsaved: list[float] = field(default_factory=list)
    loaded: bool = False
    last_chat: str | None = None
    probed_at: float = 0.0  # the last answered probe or watchdog reconnect: silence counts from there
    reconnected_at: float = float("-inf")
    unanswered: bool = False  # the last probe failed and no reconnect followed: the verdict stands until news
    verdict: str = "starting"
    last_action: str = ""  # the latest probe and what came of it, with its time
    published: tuple[str, ...] = ()

    @property
    def last(self) -> float | None:
        return self.arrivals[-1] if self.arrivals else None


class Watchdog:
    """Learns each number's usual gap, probes connected numbers silent past it, reconnects the deaf ones."""

    def __init__(
        self,
        redis: Redis,
        config: WatchdogConfig,
        reconnect: Reconnect,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self.config = config
        self._reconnect = reconnect
        self._wall = wall
        self.watches: dict[str, Watch] = {}
        self.probes = 0
        self.reconnects = 0

    def seen(self, message: InboundMessage) -> None:
        """A message the gate passed: an arrival (bursts coalesced) and the chat to probe through."""
        watch = self.watches.setdefault(message.company_id, Watch())
        now = self._wall()
        watch.last_chat, watch.unanswered = message.chat_id, False
        if watch.last is None or now - watch.last >= COALESCE_SECONDS:
            watch.arrivals.append(now)
            watch.unsaved.append(now)

    async def last_arrival(self, company_id: str) -> datetime | None:
        """When the number's latest message arrived, as far as any gateway knows (a replay starts there)."""
        watch = await self._loaded(company_id)
        return datetime.fromtimestamp(watch.last, UTC) if watch.last is not None else None

    async def run(self, sessions: Callable[[], dict[str, CompanySession]]) -> None:
        """The loop: one tick every `tick_seconds`; a failing tick is logged and the next one comes."""
        while True:
            await asyncio.sleep(self.config.tick_seconds)
            try:
                await self.tick(sessions())
            except Exception:
                log.exception("watchdog tick failed")

    async def tick(self, sessions: dict[str, CompanySession]) -> None:
        for company_id in set(self.watches) - set(sessions):
            await self._flush(company_id, self.watches.pop(company_id))  # no longer held: the new holder reads it
        await asyncio.gather(*(self.check(session) for session in sessions.values()))

    async def check(self, session: CompanySession) -> None:
        watch = await self._loaded(session.company_id)
        if session.state not in LISTENING:
            watch.verdict = f"waiting: the session is {session.state.value}"
        else:
            await self._judge(session, watch)
        await self._save(session.company_id, watch)

    async def _judge(self, session: CompanySession, watch: Watch) -> None:
        now = self._wall()
        gap = usual_gap(watch.arrivals, self.config)
        limit = gap if gap is not None else self.config.gap_cap_seconds
        connected = session.connected_at.timestamp() if session.connected_at else now
        quiet = now - max(watch.last or 0.0, connected, watch.probed_at)
        if quiet <= limit:
            if not watch.unanswered:
                watch.verdict = "ok" if gap is not None else "ok (still learning the usual gap)"
            return
        silent = f"silent {quiet / 60:.0f} min (usual gap {limit / 60:.0f} min)"
        self.probes += 1
        why = await self.probe(session, watch)
        watch.unanswered = why is not None
        if why is None:
            watch.probed_at, watch.verdict = self._wall(), f"{silent}: probe answered"
            self._acted(session, watch, logging.INFO)
            return
        if now - watch.reconnected_at < self.config.reconnect_interval_seconds:
            watch.probed_at = now  # probing again before another usual gap would change nothing
            held_until = datetime.fromtimestamp(watch.reconnected_at + self.config.reconnect_interval_seconds, UTC)
            watch.verdict = f"{silent}: {why}; reconnect held back until {held_until:%H:%M} UTC"
            self._acted(session, watch, logging.WARNING)
            return
        watch.reconnected_at = watch.probed_at = now
        watch.unanswered = False
        watch.verdict = f"{silent}: {why}; reconnected"
        self._acted(session, watch, logging.WARNING)
        self.reconnects += 1
        await self._reconnect(session, f"watchdog: {why}")

    def _acted(self, session: CompanySession, watch: Watch, level: int) -> None:
        watch.last_action = f"{datetime.fromtimestamp(self._wall(), UTC):%Y-%m-%d %H:%M:%S} UTC {watch.verdict}"
        log.log(level, "company=%s watchdog: %s", session.company_id, watch.verdict)

    async def probe(self, session: CompanySession, watch: Watch | None = None) -> str | None:
        """None when the session proves it hears WhatsApp, else what failed. A presence subscription is answered
        by a presence event through the same pipe messages come by (an IQ round trip would pass a stuck pipe)."""
        client = session.client
        if client is None:
            return "no client"
        seconds = self.config.probe_timeout_seconds
        try:
            if not await asyncio.wait_for(client.is_connected, seconds):
                return "the socket says disconnected"
            before = session.last_event_at
            chat = (watch.last_chat if watch else None) or f"{session.jid_user}@s.whatsapp.net"
            user, _, server = chat.partition("@")
            await asyncio.wait_for(client.subscribe_presence(session.factory.api.build_jid(user, server)), seconds)
        except (TimeoutError, session.factory.api.NeonizeError) as exc:
            return f"presence probe failed ({type(exc).__name__})"
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            if session.last_event_at != before or session.client is not client:
                return None
            await asyncio.sleep(min(0.25, seconds / 20))
        return f"no answer to a presence probe in {seconds:g} s"

    async def _loaded(self, company_id: str) -> Watch:
        watch = self.watches.setdefault(company_id, Watch())
        if not watch.loaded:
            watch.loaded = True
            stored = await self._redis.lrange(keys.inbound_arrivals(company_id), 0, KEEP - 1)  # type: ignore[misc]
            known = sorted({float(raw) for raw in stored} | set(watch.arrivals))
            watch.arrivals = deque(known[-KEEP:], maxlen=KEEP)
        return watch

    async def _flush(self, company_id: str, watch: Watch) -> None:
        """New arrivals to Redis (newest first, the latest KEEP)."""
        if watch.unsaved:
            key = keys.inbound_arrivals(company_id)
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.lpush(key, *(f"{stamp:.3f}" for stamp in watch.unsaved))
                pipe.ltrim(key, 0, KEEP - 1)
                pipe.expire(key, ARRIVALS_TTL_SECONDS)
                await pipe.execute()
            watch.unsaved.clear()

    async def _save(self, company_id: str, watch: Watch) -> None:
        """New arrivals to Redis; the verdict, last arrival and gap to the status hash when they changed."""
        await self._flush(company_id, watch)
        gap = usual_gap(watch.arrivals, self.config)
        last = datetime.fromtimestamp(watch.last, UTC).isoformat() if watch.last is not None else ""
        shown = (watch.verdict, watch.last_action, last, f"{gap:.0f}" if gap is not None else "")
        if shown != watch.published:
            fields = dict(zip(("watchdog", "watchdog_last", "last_inbound", "usual_gap"), shown, strict=True))
            await self._redis.hset(keys.status(company_id), mapping=fields)  # type: ignore[misc]
            watch.published = shown
