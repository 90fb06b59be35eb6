"""`booking-bot send-inbound`: a simulated customer message for a company, for smoke tests without a phone.

The message goes in through `accept_inbound` on the Redis broker, exactly where the gateway hands WhatsApp's
messages to the core (stored with its dedupe, then `handle_inbound` queued for the workers). With `--wait` the
command waits until a worker has handled it and prints the replies it recorded; with `--until-sent` also until the
gateway has handed each reply to WhatsApp.

Exit code 0 when the message was accepted (and what was waited for happened), 1 when it was a duplicate or nothing
came in time, 2 for bad arguments or settings.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from redis.asyncio import Redis

from booking_bot.composition import build_production
from booking_bot.domain import InboundMessage, OutboundMessage
from booking_bot.gateway.outbound import SENT
from booking_bot.i18n import Localizer
from booking_bot.inbound import accept_inbound
from booking_bot.ops.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    OpsError,
    Progress,
    load_settings,
    localizer,
    new_parser,
    phone_digits,
    remaining,
    run_main,
)
from booking_bot.ports import Store
from booking_bot.settings import BrokerKind, Settings
from integrations import redis_keys as keys

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Options:
    company: str
    sender: str
    name: str | None
    text: str
    message_id: str | None
    wait: float
    until_sent: bool


def build_parser(loc: Localizer) -> Any:
    parser = new_parser(
        "booking-bot send-inbound",
        loc.t("Send a simulated customer message to a company's bot, as if it came from WhatsApp."),
        loc,
    )
    parser.add_argument("--company", required=True, help=loc.t("the company's id"))
    parser.add_argument(
        "--from", dest="sender", required=True, metavar="PHONE", help=loc.t("the customer's number, e.g. +79001234567")
    )
    parser.add_argument("--name", help=loc.t("the customer's WhatsApp name"))
    parser.add_argument("--text", required=True, help=loc.t("the message's text"))
    parser.add_argument("--message-id", help=loc.t("the message's id (default: a new one; the same id is a duplicate)"))
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help=loc.t("wait this long for the bot's replies and print them (0: do not wait)"),
    )
    parser.add_argument(
        "--until-sent", action="store_true", help=loc.t("with --wait: also wait until the gateway sent each reply")
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    loc = localizer(argv)
    parser = build_parser(loc)
    args = parser.parse_args(argv)
    if args.until_sent and args.wait <= 0:
        parser.error(loc.t("--until-sent needs --wait"))
    options = Options(args.company, args.sender, args.name, args.text, args.message_id, args.wait, args.until_sent)

    async def work() -> int:
        return await run(options, load_settings(loc), loc, sys.stdout)

    return run_main(loc, work)


async def run(options: Options, settings: Settings, loc: Localizer, out: TextIO) -> int:
    if settings.broker is not BrokerKind.REDIS:
        raise OpsError(loc.t("Set BOOKING_BOT_BROKER=redis: the workers read the message from Redis."), EXIT_USAGE)
    digits = phone_digits(options.sender, loc)
    production = build_production(settings)
    try:
        if await production.store.get_company(options.company) is None:
            raise OpsError(loc.t("No such company: {company}.", company=options.company), EXIT_USAGE)
        message = InboundMessage(
            company_id=options.company,
            message_id=options.message_id or f"SIM{secrets.token_hex(8).upper()}",
            chat_id=f"{digits}@s.whatsapp.net",
            phone=f"+{digits}",
            sender_name=options.name,
            text=options.text,
            received_at=datetime.now(UTC),
        )
        if not await accept_inbound(production.services, message):
            print(loc.t("Duplicate: message {id} was accepted before.", id=message.message_id), file=out)
            return EXIT_FAILED
        print(loc.t("Accepted: message {id} is queued for the workers.", id=message.message_id), file=out)
        if options.wait <= 0:
            return EXIT_OK
        deadline = time.monotonic() + options.wait
        replies = await wait_replies(production.store, message, deadline, loc, out)
        if replies is None:
            return EXIT_FAILED
        for reply in replies:
            print(f"  ← {reply.text}", file=out)
        if options.until_sent:
            return await wait_sent(production.redis, replies, deadline, loc, out)
        return EXIT_OK
    finally:
        await production.aclose()


async def wait_replies(
    store: Store, message: InboundMessage, deadline: float, loc: Localizer, out: TextIO
) -> list[OutboundMessage] | None:
    """The replies once a worker has handled the message (None: not handled in time)."""
    progress = Progress(out)
    while (left := deadline - time.monotonic()) > 0:
        if await store.inbound_done(message.company_id, message.message_id):
            progress.clear()
            replies = await store.outbound_replies(message.company_id, message.message_id)
            print(
                loc.tn("The bot answered with {n} message:", "The bot answered with {n} messages:", len(replies)),
                file=out,
            )
            return replies
        progress.update(loc.t("Waiting for a worker to answer… {left}", left=remaining(loc, left)))
        await asyncio.sleep(POLL_SECONDS)
    progress.clear()
    print(loc.t("No answer in time: is a worker running (booking-bot worker)?"), file=out)
    return None


async def wait_sent(redis: Redis, replies: list[OutboundMessage], deadline: float, loc: Localizer, out: TextIO) -> int:
    """Until the gateway marked every reply sent (its outbound dedupe key)."""
    progress = Progress(out)
    pending = {reply.idempotency_key: reply for reply in replies}
    while pending:
        for key, reply in list(pending.items()):
            if await redis.get(keys.outbound_sent(reply.company_id, key)) == SENT:
                del pending[key]
        if not pending:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            progress.clear()
            print(
                loc.tn(
                    "{n} reply was not sent in time: is a gateway holding the company and connected?",
                    "{n} replies were not sent in time: is a gateway holding the company and connected?",
                    len(pending),
                ),
                file=out,
            )
            return EXIT_FAILED
        progress.update(loc.t("Waiting for the gateway to send the replies… {left}", left=remaining(loc, left)))
        await asyncio.sleep(POLL_SECONDS)
    progress.clear()
    print(loc.t("Every reply was handed to WhatsApp."), file=out)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
