"""The pieces every ops command uses: the terminal QR, the operator's language, progress lines, --help."""

from __future__ import annotations

import io

import pytest

from booking_bot.cli import main as cli_main
from booking_bot.gateway.api.sessions import qr_svg
from booking_bot.ops.common import Progress, operator_language, print_matrix, qr_matrix, svg_matrix


@pytest.mark.parametrize("text", ["2@abc,def,ghi==,1", "https://wa.me/settings/linked_devices#" + "x" * 200])
def test_the_gateways_svg_qr_is_read_back_module_for_module(text: str) -> None:
    # The terminal draws what the gateway's API serves (SVG): reading it back must give segno's own matrix.
    assert svg_matrix(qr_svg(text)) == qr_matrix(text)


def test_qr_is_drawn_two_module_rows_per_line_with_half_blocks() -> None:
    out = io.StringIO()
    matrix = [bytearray([1, 0]), bytearray([1, 1]), bytearray([0, 0])]
    print_matrix(matrix, out)
    assert out.getvalue() == " \u2580\n\u2588\u2588\n"  # the odd last row pairs with a light one


def test_a_foreign_svg_is_refused() -> None:
    with pytest.raises(ValueError, match="viewBox"):
        svg_matrix("<svg></svg>")


@pytest.mark.parametrize(
    ("argv", "environ", "language"),
    [
        (["--lang", "pt"], {"LANG": "ru_RU.UTF-8"}, "pt"),
        (["--lang=es"], {}, "es"),
        ([], {"LANG": "ru_RU.UTF-8"}, "ru"),
        ([], {"LANGUAGE": "de:es", "LANG": "ru_RU.UTF-8"}, "es"),
        ([], {"LANG": "C.UTF-8"}, "en"),
        (["--lang"], {}, "en"),
    ],
)
def test_operator_language(argv: list[str], environ: dict[str, str], language: str) -> None:
    assert operator_language(argv, environ) == language


def test_progress_off_a_terminal_prints_a_line_per_change_not_per_tick() -> None:
    out = io.StringIO()
    now = [0.0]
    progress = Progress(out, every=10.0, clock=lambda: now[0])
    for left in (30, 29, 28):
        progress.update(f"waiting {left} s left")
        now[0] += 1
    progress.update("sending")
    now[0] += 11
    progress.update("sending")
    assert out.getvalue().splitlines() == ["… waiting 30 s left", "… sending", "… sending"]


@pytest.mark.parametrize(
    ("command", "language", "expected"),
    [
        ("init-session", "en", "Link a salon's WhatsApp number"),
        ("init-session", "ru", "Привязать номер WhatsApp салона"),
        ("test-connection", "pt", "Verifica a sessão do WhatsApp de uma empresa"),
        ("test-connection", "en", "Exit codes: 0 done"),
        ("send-inbound", "es", "Envía al bot de una empresa un mensaje simulado"),
        ("send-inbound", "ru", "показать эту справку и выйти"),
    ],
)
def test_help_is_translated(command: str, language: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main([command, "--help", "--lang", language])
    assert exited.value.code == 0
    assert expected in capsys.readouterr().out


def test_booking_bot_help_lists_the_ops_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli_main(["--help"])
    text = capsys.readouterr().out
    assert all(name in text for name in ("init-session", "test-connection", "send-inbound"))
