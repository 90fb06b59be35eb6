"""`booking-bot init-session --standalone`: the company's session in this process, without a gateway.

The company's lease is taken first, so no gateway opens the number meanwhile; messages arriving while it pairs go
through the gateway's inbound path (the same dedupe and door); once linked, the number is left to the gateways.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TextIO

from redis.asyncio import Redis

from booking_bot.composition import build_production
from booking_bot.domain import Company
from booking_bot.gateway.app import default_factory
from booking_bot.gateway.inbound import InboundGate
from booking_bot.gateway.leases import Leases
from booking_bot.i18n import Localizer
from booking_bot.ops.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    OpsError,
    Progress,
    clear_screen,
    phone_digits,
    print_qr_text,
    remaining,
)
from booking_bot.ports import Store
from booking_bot.settings import BrokerKind, Settings
from integrations import redis_keys as keys
from integrations.whatsapp.client import ClientFactory
from integrations.whatsapp.session import CompanySession, SessionState, SessionStatus


@dataclass(frozen=True)
class Options:
    """What `booking-bot init-session` was asked to do."""

    company: str | None
    name: str | None
    timezone: str
    language: str
    currency: str
    phone: str | None
    gateway: str | None
    timeout: float
    standalone: bool


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
        leases = Leases(production.redis, owner, settings.gateway.lease_ttl_seconds)
        if not await leases.acquire(company.id):
            holder = await leases.holder(company.id)
            raise OpsError(
                loc.t(
                    "Gateway {gateway} holds {company}: pair through it (without --standalone) or stop it first.",
                    gateway=holder or "?",
                    company=company.id,
                )
            )
        renewing = asyncio.create_task(_renew(leases, company.id, settings.gateway.lease_renew_seconds))
        gate = InboundGate(
            production.redis, production.services, timedelta(hours=settings.gateway.inbound_dedupe_hours)
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
        from booking_bot.gateway.api.models import CompanyCreate

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
