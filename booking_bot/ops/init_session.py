"""`booking-bot init-session`: link a salon's WhatsApp number from the terminal.

Through a running gateway (its admin API, docs/api.md): create or select the company, start a QR pairing and draw
each QR code in the terminal as WhatsApp rotates them (or, with `--phone`, ask for a pairing code), wait until the
number is connected or the window ends, print the linked number.

`--standalone` needs no gateway: the session runs in this process (the company's lease is taken first, so no gateway
opens it meanwhile; messages arriving meanwhile go through the gateway's inbound path), and once linked the number is
left to the gateways.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TextIO

from redis.asyncio import Redis

from booking_bot.api.sessions import WAITING
from booking_bot.composition import build_production
from booking_bot.domain import Company
from booking_bot.gateway import keys
from booking_bot.gateway.app import default_factory
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.leases import Leases
from booking_bot.i18n import Localizer
from booking_bot.ops.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    GatewayApi,
    OpsError,
    Progress,
    admin_token,
    clear_screen,
    gateway_url,
    load_settings,
    localizer,
    new_parser,
    phone_digits,
    print_matrix,
    print_qr_text,
    remaining,
    run_main,
    svg_matrix,
)
from booking_bot.ports import Store
from booking_bot.settings import BrokerKind, Settings
from integrations.whatsapp.client import ClientFactory
from integrations.whatsapp.session import QR_WINDOW_SECONDS, CompanySession, SessionState, SessionStatus

POLL_SECONDS = 0.5
HOLD_WAIT_SECONDS = 30.0  # a new company waits for a gateway's next lease round
LINKED = {"connecting", "connected", "reconnecting", "banned"}


@dataclass(frozen=True)
class Options:
    company: str | None
    name: str | None
    timezone: str
    language: str
    currency: str
    phone: str | None
    gateway: str | None
    timeout: float
    standalone: bool


def build_parser(loc: Localizer) -> Any:
    parser = new_parser(
        "booking-bot init-session",
        loc.t("Link a salon's WhatsApp number: a QR code in the terminal, or a pairing code with --phone."),
        loc,
    )
    parser.add_argument("--company", help=loc.t("the company's id (asked for on a terminal when missing)"))
    parser.add_argument("--name", help=loc.t("create the company with this name when it does not exist"))
    parser.add_argument("--timezone", default="UTC", help=loc.t("a new company's time zone, e.g. Europe/Lisbon"))
    parser.add_argument(
        "--language", default="en", choices=("en", "ru", "pt", "es"), help=loc.t("a new company's language")
    )
    parser.add_argument("--currency", default="USD", help=loc.t("a new company's currency, e.g. EUR"))
    parser.add_argument("--phone", help=loc.t("link with a pairing code for this number instead of a QR code"))
    parser.add_argument("--gateway", help=loc.t("the gateway's address (default from BOOKING_BOT_GATEWAY_HOST/PORT)"))
    parser.add_argument(
        "--timeout",
        type=float,
        default=QR_WINDOW_SECONDS + 20,
        help=loc.t("how long to wait for the link, in seconds"),
    )
    parser.add_argument(
        "--standalone",
        action="store_true",
        help=loc.t("run the session in this process, without a gateway (needs Redis and the store)"),
    )
    return parser


def main(argv: list[str] | None = None, factory: ClientFactory | None = None) -> int:
    """`factory` lets tests use fake neonize clients in standalone mode."""
    argv = sys.argv[1:] if argv is None else argv
    loc = localizer(argv)
    args = build_parser(loc).parse_args(argv)
    options = Options(
        company=args.company,
        name=args.name,
        timezone=args.timezone,
        language=args.language,
        currency=args.currency.upper(),
        phone=args.phone,
        gateway=args.gateway,
        timeout=args.timeout,
        standalone=args.standalone,
    )

    async def work() -> int:
        settings = load_settings(loc)
        if options.standalone:
            return await standalone(options, settings, loc, sys.stdout, factory)
        return await via_gateway(options, settings, loc, sys.stdout)

    return run_main(loc, work)


# --- through the gateway -----------------------------------------------------------------------------------------


async def via_gateway(options: Options, settings: Settings, loc: Localizer, out: TextIO) -> int:
    digits = phone_digits(options.phone, loc) if options.phone else None
    async with GatewayApi(gateway_url(settings, options.gateway), admin_token(settings, loc), loc) as api:
        company_id = await _select_company(api, options, loc, out)
        progress = Progress(out)
        deadline = time.monotonic() + options.timeout
        view = await _wait_held(api, company_id, progress, loc, min(deadline, time.monotonic() + HOLD_WAIT_SECONDS))
        if view["state"] in LINKED:
            progress.clear()
            print(loc.t("Already linked: {number}.", number=view["number"] or view["state"]), file=out)
            return EXIT_OK
        if digits is not None:
            await _pairing_code(api, company_id, digits, loc, out)
        else:
            await _start_qr(api, company_id, progress, loc, deadline)
        return await _follow(api, company_id, digits is not None, progress, loc, out, deadline)


async def _select_company(api: GatewayApi, options: Options, loc: Localizer, out: TextIO) -> str:
    company_id = options.company
    if company_id is None:
        company_id = await _choose(api, loc, out)
    answer = await api.call("GET", f"/api/v1/companies/{company_id}")
    if answer.status == 200:
        print(loc.t("Company {company}: {name}", company=company_id, name=answer.body["company"]["name"]), file=out)
        return company_id
    if answer.status != 404:
        raise OpsError(api.explain(answer))
    if not options.name:
        raise OpsError(loc.t("No company {company}: give --name to create it.", company=company_id), EXIT_USAGE)
    body = {
        "id": company_id,
        "name": options.name,
        "timezone": options.timezone,
        "default_language": options.language,
        "currency": options.currency,
    }
    created = await api.call("POST", "/api/v1/companies", body)
    if created.status != 201:
        raise OpsError(loc.t("The company was not created: {reason}", reason=api.explain(created)), EXIT_USAGE)
    print(loc.t("Company {company} created: {name}", company=company_id, name=options.name), file=out)
    return company_id


async def _choose(api: GatewayApi, loc: Localizer, out: TextIO) -> str:
    answer = await api.call("GET", "/api/v1/companies")
    if answer.status != 200:
        raise OpsError(api.explain(answer))
    companies = [(c["company"]["id"], c["company"]["name"], c["session"]["state"]) for c in answer.body["companies"]]
    if not sys.stdin.isatty():
        known = ", ".join(company for company, _, _ in companies) or "-"
        raise OpsError(loc.t("Give --company (known: {companies}).", companies=known), EXIT_USAGE)
    if not companies:
        raise OpsError(loc.t("There are no companies yet: give --company and --name to create one."), EXIT_USAGE)
    for n, (company, name, state) in enumerate(companies, 1):
        print(f"{n:3}. {company}  {name}  [{state}]", file=out)
    choice = (await asyncio.to_thread(input, loc.t("Which company (number or id)? "))).strip()
    if choice.isdigit() and 1 <= int(choice) <= len(companies):
        return str(companies[int(choice) - 1][0])
    if choice in {company for company, _, _ in companies}:
        return choice
    raise OpsError(loc.t("No company {company}: give --name to create it.", company=choice), EXIT_USAGE)


async def _session(api: GatewayApi, company_id: str) -> dict[str, Any]:
    answer = await api.call("GET", f"/api/v1/companies/{company_id}/session")
    if answer.status != 200:
        raise OpsError(api.explain(answer))
    body: dict[str, Any] = answer.body
    return body


async def _wait_held(
    api: GatewayApi, company_id: str, progress: Progress, loc: Localizer, deadline: float
) -> dict[str, Any]:
    """A company nobody holds yet (just created) gets a session at a gateway's next lease round."""
    while True:
        view = await _session(api, company_id)
        if view["state"] not in (WAITING, SessionState.STOPPED.value):
            return view
        left = deadline - time.monotonic()
        if left <= 0:
            progress.clear()
            raise OpsError(loc.t("No gateway took this company in time: are the gateways running?"))
        progress.update(loc.t("Waiting for a gateway to open the session… {left}", left=remaining(loc, left)))
        await asyncio.sleep(POLL_SECONDS)


async def _start_qr(api: GatewayApi, company_id: str, progress: Progress, loc: Localizer, deadline: float) -> None:
    while True:
        answer = await api.call("POST", f"/api/v1/companies/{company_id}/session/pairing")
        if answer.status == 202 or answer.error == "pairing":
            return  # started, or one is running already: show its codes
        if answer.error in ("rate_limited", "moving") and time.monotonic() < deadline:
            wait = answer.retry_after or 2.0
            progress.update(loc.t("{reason} Retrying in {n} s.", reason=api.explain(answer), n=int(wait)))
            await asyncio.sleep(wait)
            continue
        progress.clear()
        raise OpsError(api.explain(answer))


async def _pairing_code(api: GatewayApi, company_id: str, digits: str, loc: Localizer, out: TextIO) -> None:
    answer = await api.call("POST", f"/api/v1/companies/{company_id}/session/pairing-code", {"phone": "+" + digits})
    if answer.status != 200:
        raise OpsError(api.explain(answer))
    print(loc.t("Pairing code: {code}", code=answer.body["code"]), file=out)
    print(loc.t("On the phone: WhatsApp → Linked devices → Link a device → Link with phone number."), file=out)


async def _follow(
    api: GatewayApi,
    company_id: str,
    by_code: bool,
    progress: Progress,
    loc: Localizer,
    out: TextIO,
    deadline: float,
) -> int:
    """Draw each new QR code (the status's `since` changes with every code), until linked or the window ends."""
    shown_since: str | None = None
    codes = 0
    seen_pairing = by_code
    while True:
        view = await _session(api, company_id)
        state = view["state"]
        if state == SessionState.CONNECTED.value and view["number"]:
            progress.clear()
            print(loc.t("Linked: {number}", number=view["number"]), file=out)
            return EXIT_OK
        if state in (SessionState.PAIRING_QR.value, SessionState.PAIRING_CODE.value):
            seen_pairing = True
        elif seen_pairing and state in (SessionState.UNPAIRED.value, SessionState.LOGGED_OUT.value):
            progress.clear()
            print(loc.t("The pairing window ended without a link: run the command again for a new code."), file=out)
            return EXIT_FAILED
        if not by_code and state == SessionState.PAIRING_QR.value and view["since"] != shown_since:
            qr = await api.call("GET", f"/api/v1/companies/{company_id}/session/qr")
            if qr.status == 200 and isinstance(qr.body, str):
                shown_since = view["since"]
                codes += 1
                progress.clear()
                _draw(svg_matrix(qr.body), codes, loc, out)
        left = deadline - time.monotonic()
        if view["qr_expires_at"] and not by_code:
            left = min(left, view["qr_expires_at"] - time.time())  # the window's end, as the gateway says
        if deadline - time.monotonic() <= 0:
            progress.clear()
            print(loc.t("No link in time: run the command again for a new code."), file=out)
            return EXIT_FAILED
        progress.update(loc.t("Waiting for the phone to link… {left}", left=remaining(loc, left)))
        await asyncio.sleep(POLL_SECONDS)


def _draw(matrix: Any, n: int, loc: Localizer, out: TextIO) -> None:
    clear_screen(out)
    print(loc.t("QR code {n}: on the phone, WhatsApp → Linked devices → Link a device, then scan it.", n=n), file=out)
    print_matrix(matrix, out)


# --- standalone --------------------------------------------------------------------------------------------------


async def standalone(
    options: Options, settings: Settings, loc: Localizer, out: TextIO, factory: ClientFactory | None = None
) -> int:
    """The session in this process: take the company's lease, pair, publish the number, hand it to the gateways."""
    if settings.broker is not BrokerKind.REDIS:
        raise OpsError(
            loc.t("Set BOOKING_BOT_BROKER=redis (messages arriving meanwhile are queued there)."), EXIT_USAGE
        )
    digits = phone_digits(options.phone, loc) if options.phone else None
    if options.company is None:
        raise OpsError(loc.t("Give --company: the company's id."), EXIT_USAGE)
    production = build_production(settings)
    try:
        company = await _company_in_store(production.store, production.redis, options, loc, out)
        number = await production.redis.hget(keys.JIDS, company.id)  # type: ignore[misc]
        if number is not None:
            print(loc.t("Already linked: {number}.", number="+" + number.decode()), file=out)
            return EXIT_OK
        owner = f"init-session:{socket.gethostname()}:{os.getpid()}"
        leases = Leases(production.redis, owner, settings.gateway_lease_ttl_seconds)
        if not await leases.acquire(company.id):
            holder = await leases.holder(company.id)
            raise OpsError(
                loc.t(
                    "Gateway {gateway} holds {company}: pair through it (without --standalone) or stop it first.",
                    gateway=holder or "?",
                    company=company.id,
                )
            )
        renewing = asyncio.create_task(_renew(leases, company.id, settings.gateway_lease_renew_seconds))
        gate = InboundGate(
            production.redis, production.services, timedelta(hours=settings.gateway_inbound_dedupe_hours)
        )
        chosen = factory or default_factory(settings)
        chosen.migrate()
        session = CompanySession(
            company_id=company.id,
            factory=chosen,
            on_inbound=gate,
            on_status=_publisher(production.redis, owner),
            on_paired=_pairer(production.redis),
        )
        try:
            return await _pair_here(session, digits, options.timeout, loc, out)
        finally:
            await session.stop()
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            await leases.release(company.id)  # the gateways resume the number at their next lease round
    finally:
        await production.aclose()


async def _company_in_store(store: Store, redis: Redis, options: Options, loc: Localizer, out: TextIO) -> Company:
    assert options.company is not None
    company = await store.get_company(options.company)
    if company is None:
        if not options.name:
            raise OpsError(
                loc.t("No company {company}: give --name to create it.", company=options.company), EXIT_USAGE
            )
        from booking_bot.api.models import CompanyCreate

        try:
            body = CompanyCreate(
                id=options.company,
                name=options.name,
                timezone=options.timezone,
                default_language=options.language,
                currency=options.currency,
            )
        except ValueError as exc:
            raise OpsError(loc.t("The company was not created: {reason}", reason=str(exc)), EXIT_USAGE) from exc
        company = Company(**body.model_dump())
        await store.upsert_company(company)
        print(loc.t("Company {company} created: {name}", company=company.id, name=company.name), file=out)
    else:
        print(loc.t("Company {company}: {name}", company=company.id, name=company.name), file=out)
    await redis.sadd(keys.COMPANIES, company.id)  # type: ignore[misc]
    return company


async def _pair_here(
    session: CompanySession, digits: str | None, wait_seconds: float, loc: Localizer, out: TextIO
) -> int:
    progress = Progress(out)
    deadline = time.monotonic() + wait_seconds
    pairing = asyncio.create_task(session.pair_qr(), name=f"pair:{session.company_id}")
    try:
        if digits is not None:
            while session.state is not SessionState.PAIRING_QR or session.client is None:
                if pairing.done() or time.monotonic() > deadline:
                    raise OpsError(loc.t("No link in time: run the command again for a new code."))
                await asyncio.sleep(0.05)
            code = await session.pair_code(digits)
            print(loc.t("Pairing code: {code}", code=code), file=out)
            print(loc.t("On the phone: WhatsApp → Linked devices → Link a device → Link with phone number."), file=out)
        shown: bytes | None = None
        codes = 0
        while True:
            if session.state is SessionState.CONNECTED and session.jid_user:
                progress.clear()
                print(loc.t("Linked: {number}", number="+" + session.jid_user), file=out)
                return EXIT_OK
            if pairing.done() and session.state not in (SessionState.CONNECTING, SessionState.CONNECTED):
                progress.clear()
                print(loc.t("The pairing window ended without a link: run the command again for a new code."), file=out)
                return EXIT_FAILED
            if digits is None and session.qr_code is not None and session.qr_code != shown:
                shown = session.qr_code
                codes += 1
                progress.clear()
                clear_screen(out)
                print(
                    loc.t(
                        "QR code {n}: on the phone, WhatsApp → Linked devices → Link a device, then scan it.", n=codes
                    ),
                    file=out,
                )
                print_qr_text(shown.decode(), out)
            left = deadline - time.monotonic()
            if left <= 0:
                progress.clear()
                print(loc.t("No link in time: run the command again for a new code."), file=out)
                return EXIT_FAILED
            progress.update(loc.t("Waiting for the phone to link… {left}", left=remaining(loc, left)))
            await asyncio.sleep(0.2)
    finally:
        pairing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pairing


async def _renew(leases: Leases, company_id: str, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        await leases.renew([company_id])


def _publisher(redis: Redis, owner: str) -> Any:
    async def publish(status: SessionStatus) -> None:
        # The same fields the gateways publish (SessionManager), so the API and the QR page show this session too.
        await redis.hset(  # type: ignore[misc]
            keys.status(status.company_id),
            mapping={
                "state": status.state.value,
                "since": status.since.isoformat(),
                "paused_until": status.paused_until.isoformat() if status.paused_until else "",
                "detail": status.detail or "",
                "gateway": owner,
            },
        )

    return publish


def _pairer(redis: Redis) -> Any:
    async def paired(company_id: str, jid_user: str | None) -> None:
        if jid_user is None:
            await redis.hdel(keys.JIDS, company_id)  # type: ignore[misc]
        else:
            await redis.hset(keys.JIDS, company_id, jid_user)  # type: ignore[misc]

    return paired


if __name__ == "__main__":
    raise SystemExit(main())
