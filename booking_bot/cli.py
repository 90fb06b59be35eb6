"""`booking-bot`: one entry point for every process and tool."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

# Commands implemented in their own modules; each parses its own arguments (and answers --help itself).
DELEGATED: dict[str, tuple[str, str]] = {
    "parse": ("booking_bot.nlu.evalcli", "stage-1 parser over JSON lines (stdin -> stdout); see --catalog"),
    "migrate": ("integrations.storage.migrate", "apply the store's SQL migrations (--dsn or BOOKING_BOT_DATABASE_DSN)"),
    "gateway": (
        "booking_bot.gateway.app",
        "WhatsApp sessions under Redis leases: inbound dedupe + enqueue, outbound sends",
    ),
    "worker": ("booking_bot.worker", "Dramatiq workers on Redis (handle_inbound, send_reminder)"),
    "scheduler": ("booking_bot.scheduler", "the reminder scheduler: one leader claims due reminders"),
    "locales": ("booking_bot.i18n_tools", "gettext workflow: extract | update | check | compile the catalogs"),
    "init-session": ("booking_bot.ops.init_session", "link a salon's WhatsApp number: QR in the terminal or --phone"),
    "test-connection": ("booking_bot.ops.test_connection", "session, Redis, store and queue checks; a test send"),
    "send-inbound": ("booking_bot.ops.send_inbound", "a simulated customer message through accept_inbound"),
}


def _demo(args: argparse.Namespace) -> int:
    from aiohttp import web

    from booking_bot.settings import Settings
    from booking_bot.web.demo import create_app

    overrides = {"data_dir": Path(args.data_dir)} if args.data_dir else {}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    print(f"Demo chat: http://{args.host}:{args.port}/   bookings: http://{args.host}:{args.port}/bookings")
    web.run_app(create_app(settings, backend=args.backend), host=args.host, port=args.port, print=None)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="booking-bot", description="WhatsApp booking assistant for salons")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="the whole path on embedded defaults, with a web chat")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--data-dir", default=None, help="where the SQLite files live (default: ./data)")
    demo.add_argument(
        "--backend",
        choices=["builtin", "yclients-fake"],
        default="builtin",
        help="the salon's calendar: built-in, or YClients (a fake server in-process, through the real adapter)",
    )
    for name, (_, help_text) in DELEGATED.items():
        commands.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in DELEGATED:
        module = importlib.import_module(DELEGATED[argv[0]][0])
        return cast(Callable[[list[str]], int], module.main)(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
