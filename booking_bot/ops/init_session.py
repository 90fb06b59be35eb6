"""`booking-bot init-session`: link a salon's WhatsApp number from the terminal.

Through a running gateway (its admin API, docs/api.md): create or select the company, start a QR pairing and draw
each QR code in the terminal as WhatsApp rotates them (or, with `--phone`, ask for a pairing code), wait until the
number is connected or the window ends, print the linked number.

`--standalone` needs no gateway: the session runs in this process (booking_bot/ops/standalone_session.py).
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any, TextIO

from booking_bot.gateway.api.sessions import WAITING
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
    remaining,
    run_main,
    svg_matrix,
)
from booking_bot.ops.standalone_session import Options, standalone
from booking_bot.settings import Settings
from integrations.whatsapp.client import ClientFactory
from integrations.whatsapp.session import QR_WINDOW_SECONDS, SessionState

POLL_SECONDS = 0.5
HOLD_WAIT_SECONDS = 30.0  # a new company waits for a gateway's next lease round
LINKED = {"connecting", "connected", "reconnecting", "banned"}


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


if __name__ == "__main__":
    raise SystemExit(main())
