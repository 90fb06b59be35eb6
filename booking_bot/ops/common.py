"""What the operations commands share: the operator's language, exit codes, progress lines, the gateway's HTTP API
and QR codes in the terminal.

Every text shown to a person is a gettext template (`loc.t(...)`), so `booking-bot locales extract` finds it and
`locales check` fails until all four catalogs translate it. Nothing here logs a phone number, a QR string, a
pairing code or a message text: they are printed for the operator who asked for them, never logged.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import aiohttp
import segno
from pydantic import SecretStr, ValidationError

from booking_bot.i18n import Catalogs, Localizer
from booking_bot.resources import resource_dir
from booking_bot.settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1  # what was waited for or checked did not happen (not linked, window over, timeout, send failed)
EXIT_USAGE = 2  # bad arguments or configuration (argparse uses 2 as well)
EXIT_UNREACHABLE = 3  # a service could not be reached (gateway, Redis, the store)
EXIT_INTERRUPTED = 130  # Ctrl-C

LANGUAGES = ("en", "ru", "pt", "es")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")


class OpsError(Exception):
    """A failure to report to the operator: an already translated message and the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- the operator's language -------------------------------------------------------------------------------------


def operator_language(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """`--lang xx` if given, else the first supported language of LANGUAGE / LC_ALL / LC_MESSAGES / LANG, else en."""
    for i, arg in enumerate(argv):
        value = None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value is not None and value[:2].lower() in LANGUAGES:
            return value[:2].lower()
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in env.get(name, "").split(":"):
            code = part[:2].lower()
            if code in LANGUAGES:
                return code
    return "en"


def localizer(argv: Sequence[str]) -> Localizer:
    locales = Path(os.environ.get("BOOKING_BOT_LOCALES_DIR") or resource_dir("locales"))
    return Catalogs(locales).get(operator_language(argv))


def new_parser(prog: str, description: str, loc: Localizer) -> argparse.ArgumentParser:
    """A parser whose own options are translated too (argparse's built-in -h text is not)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=loc.t(
            "Exit codes: 0 done, 1 failed or not in time, 2 bad arguments or settings, 3 a service unreachable, "
            "130 interrupted."
        ),
        add_help=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-h", "--help", action="help", help=loc.t("show this help and exit"))
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help=loc.t("the language of this command's texts (default: $LANG)")
    )
    return parser


def load_settings(loc: Localizer) -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise OpsError(loc.t("The settings are invalid: {problems}", problems=problems), EXIT_USAGE) from exc


def run_main(loc: Localizer, work: Callable[[], Awaitable[int]], err: TextIO | None = None) -> int:
    """Run a command's coroutine; an `OpsError` becomes its message on stderr and its exit code."""
    stream = err or sys.stderr
    try:
        return asyncio.run(_guarded(work))
    except OpsError as exc:
        print(exc.message, file=stream)
        return exc.code
    except KeyboardInterrupt:
        print(loc.t("Interrupted."), file=stream)
        return EXIT_INTERRUPTED


async def _guarded(work: Callable[[], Awaitable[int]]) -> int:
    return await work()


def phone_digits(phone: str, loc: Localizer) -> str:
    """The digits of a phone number given with its country code, or a usage error that says what is expected."""
    digits = re.sub(r"\D", "", phone)
    if not _PHONE.match(phone.strip()) or not 7 <= len(digits) <= 15:
        raise OpsError(
            loc.t("Give the phone number with its country code, e.g. +44 7700 900123 (got {phone}).", phone=phone),
            EXIT_USAGE,
        )
    return digits


def seconds(value: float) -> int:
    return max(0, round(value))


# --- progress ----------------------------------------------------------------------------------------------------


class Progress:
    """One status line while something is awaited: redrawn in place with a spinner on a terminal; elsewhere (logs,
    CI) printed again only when its text changes or every `every` seconds."""

    FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    def __init__(self, out: TextIO, every: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._out = out
        self._every = every
        self._clock = clock
        self._tty = out.isatty()
        self._frame = 0
        self._shown = False
        self._last_text = ""
        self._last_print = float("-inf")

    def update(self, text: str) -> None:
        if self._tty:
            self._frame = (self._frame + 1) % len(self.FRAMES)
            self._out.write(f"\r\x1b[2K{self.FRAMES[self._frame]} {text}")
            self._out.flush()
            self._shown = True
            return
        now = self._clock()
        kind = re.sub(r"\d+", "#", text)  # a countdown alone does not make a new line
        if kind != self._last_text or now - self._last_print >= self._every:
            print(f"… {text}", file=self._out, flush=True)
            self._last_text, self._last_print = kind, now

    def clear(self) -> None:
        """Remove the status line (before printing something else)."""
        if self._tty and self._shown:
            self._out.write("\r\x1b[2K")
            self._out.flush()
            self._shown = False
        self._last_text = ""


def remaining(loc: Localizer, left: float) -> str:
    n = seconds(left)
    return loc.tn("{n} second left", "{n} seconds left", n)


# --- QR codes in the terminal ------------------------------------------------------------------------------------

Matrix = list[bytearray]
_TAG = re.compile(r"<path\b([^>]*)/?>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_PATH_TOKEN = re.compile(r"[MmHh]|-?\d+(?:\.\d+)?")


def svg_matrix(svg: str) -> Matrix:
    """The modules of a QR code from the gateway's SVG (segno's `qrline` output: one stroked path of horizontal
    runs, quiet zone included), dark = 1. Raises ValueError for anything else."""
    size = _VIEWBOX.search(svg)
    if size is None:
        raise ValueError("no viewBox")
    width, height = int(size.group(1)), int(size.group(2))
    paths = [dict(_ATTR.findall(match.group(1))) for match in _TAG.finditer(svg)]
    drawn = [attrs["d"] for attrs in paths if "stroke" in attrs and "d" in attrs]
    if len(drawn) != 1:
        raise ValueError("expected one stroked path")
    matrix = [bytearray(width) for _ in range(height)]
    tokens = _PATH_TOKEN.findall(drawn[0])
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command in "Mm":
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            i += 3
        elif command in "Hh":
            end = float(tokens[i + 1]) if command == "H" else x + float(tokens[i + 1])
            row = int(y)
            for column in range(int(min(x, end)), int(max(x, end))):
                if 0 <= row < height and 0 <= column < width:
                    matrix[row][column] = 1
            x = end
            i += 2
        else:
            raise ValueError(f"unexpected path token {command!r}")
    return matrix


# segno's compact terminal blocks (light modules drawn, for the usual light-on-dark terminal): (top, bottom) → char
_BLOCKS = {(1, 1): " ", (0, 1): "\u2580", (1, 0): "\u2584", (0, 0): "\u2588"}


def print_matrix(matrix: Matrix, out: TextIO) -> None:
    """Half-block characters, two module rows per line, as segno's compact terminal writer draws them."""
    rows = [*matrix, bytearray(len(matrix[0]))] if len(matrix) % 2 else list(matrix)
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        out.write("".join(_BLOCKS[(a, b)] for a, b in zip(top, bottom, strict=True)) + "\n")
    out.flush()


def qr_matrix(text: str, border: int = 4) -> Matrix:
    """A QR string as WhatsApp gives it, encoded by segno like the gateway's SVG (error level L), with its quiet
    zone."""
    symbol = [bytearray(row) for row in segno.make_qr(text, error="l").matrix]
    width = len(symbol[0]) + 2 * border
    blank = [bytearray(width) for _ in range(border)]
    return (
        blank
        + [bytearray(border) + row + bytearray(border) for row in symbol]
        + [bytearray(width) for _ in range(border)]
    )


def print_qr_text(text: str, out: TextIO) -> None:
    print_matrix(qr_matrix(text), out)


def clear_screen(out: TextIO) -> None:
    """On a terminal a new QR code replaces the old one; elsewhere it is printed below it."""
    if out.isatty():
        out.write("\x1b[H\x1b[2J")


# --- the gateway's HTTP API --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    retry_after: float | None = None

    @property
    def error(self) -> str:
        return str(self.body.get("error", "")) if isinstance(self.body, dict) else ""

    @property
    def message(self) -> str:
        return str(self.body.get("message", "")) if isinstance(self.body, dict) else str(self.body)[:200]


def gateway_url(settings: Settings, given: str | None) -> str:
    if given:
        return given.rstrip("/")
    host = "127.0.0.1" if settings.gateway.host in ("0.0.0.0", "::", "") else settings.gateway.host  # noqa: S104
    return f"http://{host}:{settings.gateway.port}"


def admin_token(settings: Settings, loc: Localizer) -> SecretStr:
    if settings.admin_token is None or not settings.admin_token.get_secret_value():
        raise OpsError(
            loc.t("Set BOOKING_BOT_ADMIN_TOKEN (the gateway's admin token, in .env or the environment)."), EXIT_USAGE
        )
    return settings.admin_token


class GatewayApi:
    """The admin's client of a running gateway (docs/api.md)."""

    def __init__(self, base_url: str, token: SecretStr, loc: Localizer, timeout: float = 60.0) -> None:
        self.base_url = base_url
        self._token = token
        self._loc = loc
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> GatewayApi:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Answer:
        assert self._session is not None, "use `async with GatewayApi(...)`"
        headers = {"Authorization": f"Bearer {self._token.get_secret_value()}"}
        try:
            async with self._session.request(method, self.base_url + path, json=body, headers=headers) as response:
                if response.content_type == "application/json":
                    content: Any = await response.json()
                else:
                    content = await response.text()
                retry = response.headers.get("Retry-After")
                answer = Answer(response.status, content, float(retry) if retry and retry.isdigit() else None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise OpsError(
                self._loc.t("The gateway at {url} cannot be reached: is it running?", url=self.base_url),
                EXIT_UNREACHABLE,
            ) from exc
        if answer.status == 401:
            raise OpsError(
                self._loc.t("The gateway refused the admin token: check BOOKING_BOT_ADMIN_TOKEN."), EXIT_USAGE
            )
        if answer.status >= 500 and answer.error not in ("gateway_timeout", "whatsapp_timeout", "whatsapp_refused"):
            raise OpsError(self._loc.t("The gateway failed ({status}): see its log.", status=answer.status))
        return answer

    def explain(self, answer: Answer) -> str:
        """A refusal in the operator's language (the API's own message for codes this tool does not know)."""
        loc = self._loc
        known = {
            "forbidden": loc.t("The token may not do this."),
            "not_found": loc.t("No such company."),
            "linked": loc.t("This company's WhatsApp is already linked: unlink it first."),
            "pairing": loc.t("A pairing is already running."),
            "moving": loc.t("No gateway holds this company's session right now: try again in a few seconds."),
            "rate_limited": loc.t("Too many attempts: try again later."),
            "bad_phone": loc.t("WhatsApp needs the number with its country code, e.g. +44 7700 900123."),
            "whatsapp_timeout": loc.t("WhatsApp did not answer in time: try again."),
            "whatsapp_refused": loc.t("WhatsApp refused a pairing code: check the number."),
            "gateway_timeout": loc.t("The gateway holding this session did not answer: try again."),
        }
        return known.get(answer.error) or loc.t(
            "The gateway answered {status}: {message}", status=answer.status, message=answer.message
        )
