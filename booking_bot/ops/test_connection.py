"""`booking-bot test-connection`: is everything a company needs up?

For one company (`--company`) or every company the gateways hold (`--all`): its session's state and how long ago
it last changed, how long ago its last message arrived (and its usual gap) and the silent-session watchdog's verdict
(docs/gateway.md), the outbound messages waiting for it; then a round trip to Redis and to the store, the age of the
oldest job waiting in the inbound queue, and the gateway's /ready when the admin token is set. `--send-to PHONE
--text ...` sends a real message through the gateway's outbound path (the company's Redis stream, like a reply)
and waits until the gateway says it was handed to WhatsApp.

Exit code 0 when every check passed (and the message was sent), 1 when one failed, 2 for bad arguments or settings,
3 when Redis or the store cannot be reached.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from redis.asyncio import Redis
from redis.exceptions import RedisError

from booking_bot.composition import build_production
from booking_bot.domain import OutboundMessage
from booking_bot.gateway.api.sessions import session_view
from booking_bot.gateway.outbound import SENT
from booking_bot.i18n import Localizer
from booking_bot.jobs import INBOUND_QUEUE
from booking_bot.ops.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    GatewayApi,
    OpsError,
    Progress,
    gateway_url,
    load_settings,
    localizer,
    new_parser,
    phone_digits,
    remaining,
    run_main,
)
from booking_bot.ports import Store
from booking_bot.settings import Settings
from integrations import redis_keys as keys
from integrations.messaging.redis_stream import RedisStreamChannel

CHECK_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Options:
    company: str | None
    all: bool
    send_to: str | None
    text: str | None
    timeout: float
    gateway: str | None


def build_parser(loc: Localizer) -> Any:
    parser = new_parser(
        "booking-bot test-connection",
        loc.t("Check a company's WhatsApp session, Redis, the store and the queue; optionally send a test message."),
        loc,
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--company", help=loc.t("the company's id"))
    which.add_argument("--all", action="store_true", help=loc.t("every company the gateways hold"))
    parser.add_argument("--send-to", metavar="PHONE", help=loc.t("send a test message to this number (with --text)"))
    parser.add_argument("--text", help=loc.t("the test message's text"))
    parser.add_argument(
        "--timeout", type=float, default=60.0, help=loc.t("how long to wait for the send result, in seconds")
    )
    parser.add_argument("--gateway", help=loc.t("the gateway's address (default from BOOKING_BOT_GATEWAY_HOST/PORT)"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    loc = localizer(argv)
    parser = build_parser(loc)
    args = parser.parse_args(argv)
    if (args.send_to is None) != (args.text is None):
        parser.error(loc.t("--send-to and --text go together"))
    if args.send_to is not None and args.all:
        parser.error(loc.t("a test message is sent for one company: use --company"))
    options = Options(args.company, args.all, args.send_to, args.text, args.timeout, args.gateway)

    async def work() -> int:
        return await run(options, load_settings(loc), loc, sys.stdout)

    return run_main(loc, work)


async def run(options: Options, settings: Settings, loc: Localizer, out: TextIO) -> int:
    digits = phone_digits(options.send_to, loc) if options.send_to else None
    production = build_production(settings)
    try:
        redis, store = production.redis, production.store
        ok = await _infrastructure(redis, store, settings, options, loc, out)
        companies = await _companies(redis, store, options, loc)
        for company_id in companies:
            ok = await _company(redis, store, company_id, loc, out) and ok
        if digits is not None and options.text is not None:
            sent = await send_test(redis, companies[0], digits, options.text, options.timeout, loc, out)
            ok = ok and sent
        print(loc.t("All checks passed.") if ok else loc.t("Some checks failed."), file=out)
        return EXIT_OK if ok else EXIT_FAILED
    finally:
        await production.aclose()


def _ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.1f}"


def _line(out: TextIO, label: str, value: str, ok: bool = True) -> None:
    print(f"  {'✓' if ok else '✗'} {label:<16} {value}", file=out)


async def _infrastructure(
    redis: Redis, store: Store, settings: Settings, options: Options, loc: Localizer, out: TextIO
) -> bool:
    print(loc.t("Services"), file=out)
    started = time.perf_counter()
    try:
        await asyncio.wait_for(redis.ping(), CHECK_TIMEOUT_SECONDS)
    except (RedisError, OSError, TimeoutError) as exc:
        _line(out, "Redis", loc.t("unreachable ({error})", error=type(exc).__name__), ok=False)
        raise OpsError(loc.t("Redis cannot be reached: check BOOKING_BOT_REDIS_URL."), EXIT_UNREACHABLE) from exc
    _line(out, "Redis", loc.t("round trip {ms} ms", ms=_ms(started)))
    started = time.perf_counter()
    try:
        await asyncio.wait_for(store.get_company("-connection-probe-"), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # any store failure is the answer to this check
        _line(out, loc.t("store"), loc.t("unreachable ({error})", error=type(exc).__name__), ok=False)
        raise OpsError(loc.t("The store cannot be reached: check its settings."), EXIT_UNREACHABLE) from exc
    _line(out, loc.t("store"), loc.t("round trip {ms} ms", ms=_ms(started)))
    depth, lag = await queue_lag(redis, INBOUND_QUEUE)
    oldest = round(lag, 1)
    _line(out, loc.t("inbound queue"), loc.t("{n} waiting, oldest {s} s", n=depth, s=oldest), ok=lag < 60)
    ready = await _gateway_ready(settings, options, loc, out)
    return lag < 60 and ready is not False


async def _gateway_ready(settings: Settings, options: Options, loc: Localizer, out: TextIO) -> bool | None:
    """The gateway's /ready, when the admin token is known (None: not checked)."""
    if settings.admin_token is None:
        _line(out, loc.t("gateway"), loc.t("not checked (BOOKING_BOT_ADMIN_TOKEN is not set)"))
        return None
    url = gateway_url(settings, options.gateway)
    async with GatewayApi(url, settings.admin_token, loc, timeout=CHECK_TIMEOUT_SECONDS) as api:
        try:
            answer = await api.call("GET", "/ready")
        except OpsError as exc:
            _line(out, loc.t("gateway"), exc.message, ok=False)
            return False
    ok = answer.status == 200
    if ok:
        _line(out, loc.t("gateway"), loc.t("ready ({url})", url=url))
    else:
        failing = ", ".join(k for k, v in (answer.body.get("checks") or {}).items() if not v)
        _line(out, loc.t("gateway"), loc.t("not ready: {checks}", checks=failing or answer.status), ok=False)
    return ok


async def queue_lag(redis: Redis, queue: str) -> tuple[int, float]:
    """Jobs waiting in a Dramatiq queue and the age of the oldest, in seconds."""
    name = f"dramatiq:{queue}"
    depth = int(await redis.llen(name))  # type: ignore[misc]
    oldest = await redis.lindex(name, 0)  # type: ignore[misc]
    if oldest is None:
        return depth, 0.0
    raw = await redis.hget(f"{name}.msgs", oldest)  # type: ignore[misc]
    if raw is None:
        return depth, 0.0
    return depth, max(0.0, time.time() - json.loads(raw)["message_timestamp"] / 1000)


async def _companies(redis: Redis, store: Store, options: Options, loc: Localizer) -> list[str]:
    if options.company is not None:
        if await store.get_company(options.company) is None:
            raise OpsError(loc.t("No such company: {company}.", company=options.company), EXIT_USAGE)
        return [options.company]
    held = sorted(member.decode() for member in await redis.smembers(keys.COMPANIES))  # type: ignore[misc]
    if not held:
        raise OpsError(loc.t("The gateways hold no company yet (none was created or linked)."))
    return held


async def _company(redis: Redis, store: Store, company_id: str, loc: Localizer, out: TextIO) -> bool:
    company = await store.get_company(company_id)
    view = await session_view(redis, company_id)
    print(f"{company_id}  {company.name if company else '?'}", file=out)
    state = view["state"]
    connected = state == "connected"
    age = ""
    if view["since"]:
        seconds = (datetime.now(UTC) - datetime.fromisoformat(view["since"])).total_seconds()
        age = loc.t("last change {s} s ago", s=round(max(0.0, seconds)))
    detail = f"{state} ({view['gateway'] or '-'}) {age}".rstrip()
    if view["detail"]:
        detail += f": {view['detail']}"
    _line(out, loc.t("session"), detail, ok=connected)
    if view["paused_until"]:
        _line(out, loc.t("sending paused"), view["paused_until"], ok=False)
    if view["number"]:
        _line(out, loc.t("number"), view["number"])
    waiting = await outbound_backlog(redis, company_id)
    _line(out, loc.t("outbound"), loc.t("{n} waiting", n=waiting), ok=connected or waiting == 0)
    heard = await _watchdog(redis, company_id, loc, out)
    return connected and not view["paused_until"] and heard


async def _watchdog(redis: Redis, company_id: str, loc: Localizer, out: TextIO) -> bool:
    """The last inbound message's age and the watchdog's verdict, as the gateway published them. False only when
    the watchdog finds the number deaf and may not reconnect it yet."""
    names = ["last_inbound", "usual_gap", "watchdog", "watchdog_last"]
    fields = await redis.hmget(keys.status(company_id), names)  # type: ignore[misc]
    last, gap, verdict, action = (_text(value) if value is not None else "" for value in fields)
    if last:
        seconds = round(max(0.0, (datetime.now(UTC) - datetime.fromisoformat(last)).total_seconds()))
        shown = (
            loc.t("{s} s ago; usual gap {gap} s", s=seconds, gap=gap)
            if gap
            else loc.t("{s} s ago; usual gap still being learned", s=seconds)
        )
    else:
        shown = loc.t("none seen yet")
    _line(out, loc.t("last inbound"), shown)
    if not verdict:
        return True
    deaf = "held back" in verdict
    _line(
        out,
        loc.t("watchdog"),
        loc.t("{verdict}; last: {action}", verdict=verdict, action=action) if action else verdict,
        ok=not deaf,
    )
    return not deaf


async def outbound_backlog(redis: Redis, company_id: str) -> int:
    """Outbound entries not yet sent: read but unacknowledged plus not read yet."""
    stream = keys.outbound_stream(company_id)
    if not await redis.exists(stream):
        return 0
    groups = await redis.xinfo_groups(stream)
    group = next((g for g in groups if _text(g.get("name")) == keys.OUTBOUND_GROUP), None)
    if group is None:
        return int(await redis.xlen(stream))
    lag = group.get("lag")
    return int(group.get("pending") or 0) + (int(lag) if lag is not None else 0)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def send_test(
    redis: Redis, company_id: str, digits: str, text: str, wait_seconds: float, loc: Localizer, out: TextIO
) -> bool:
    """Queue one message on the company's outbound stream (the path every reply takes) and wait for its send mark.
    Not sent in time: the entry is withdrawn, so it does not go out unexpectedly later."""
    view = await session_view(redis, company_id)
    if view["state"] != "connected":
        print(loc.t("Not sent: the session is {state}.", state=view["state"]), file=out)
        return False
    key = f"ops-test:{secrets.token_hex(8)}"
    await RedisStreamChannel(redis).send(
        OutboundMessage(company_id=company_id, chat_id=f"{digits}@s.whatsapp.net", text=text, idempotency_key=key)
    )
    progress = Progress(out)
    deadline = time.monotonic() + wait_seconds
    while (left := deadline - time.monotonic()) > 0:
        if await redis.get(keys.outbound_sent(company_id, key)) == SENT:
            progress.clear()
            print(loc.t("Test message sent to +{phone}.", phone=digits), file=out)
            return True
        progress.update(loc.t("Waiting for the gateway to send it… {left}", left=remaining(loc, left)))
        await asyncio.sleep(0.2)
    progress.clear()
    await _withdraw(redis, company_id, key)
    print(loc.t("Not sent in time: the message was withdrawn. Check the gateway's log."), file=out)
    return False


async def _withdraw(redis: Redis, company_id: str, key: str) -> None:
    stream = keys.outbound_stream(company_id)
    for entry_id, fields in await redis.xrange(stream):
        if fields.get(b"key") == key.encode():
            await redis.xdel(stream, entry_id)


if __name__ == "__main__":
    raise SystemExit(main())
