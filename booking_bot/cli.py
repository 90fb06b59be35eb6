"""`booking-bot`: one entry point for every process and tool."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def _demo(args: argparse.Namespace) -> int:
    from aiohttp import web

    from booking_bot.settings import Settings
    from booking_bot.web.demo import create_app

    overrides = {"data_dir": Path(args.data_dir)} if args.data_dir else {}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    print(f"Demo chat: http://{args.host}:{args.port}/   bookings: http://{args.host}:{args.port}/bookings")
    web.run_app(create_app(settings), host=args.host, port=args.port, print=None)
    return 0


def _parse(args: argparse.Namespace, rest: list[str]) -> int:
    from booking_bot.nlu.evalcli import main as parse_main

    return parse_main(rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="booking-bot", description="WhatsApp booking assistant for salons")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="the whole path on embedded defaults, with a web chat")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--data-dir", default=None, help="where the SQLite files live (default: ./data)")
    commands.add_parser("parse", help="stage-1 parser over JSON lines (stdin -> stdout); see --catalog", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if argv and argv[0] == "parse":
        return _parse(argparse.Namespace(), argv[1:])
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
