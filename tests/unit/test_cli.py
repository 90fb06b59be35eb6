"""The `booking-bot` entry point: every command answers --help; delegated commands get their own arguments."""

from __future__ import annotations

import io
import json
import sys

import pytest

from booking_bot.cli import DELEGATED, main


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for name in ("demo", *DELEGATED):
        assert name in out


@pytest.mark.parametrize("command", sorted(DELEGATED))
def test_each_delegated_command_answers_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert f"usage: booking-bot {command}" in capsys.readouterr().out


def test_parse_reads_json_lines(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    line = {"id": "x1", "text": "tomorrow at 3pm", "today": "2026-11-27", "tz": "UTC", "expecting": None, "lang": None}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(line) + "\n"))
    assert main(["parse"]) == 0
    [out] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert (out["id"], out["date"], out["time"]) == ("x1", "2026-11-28", "15:00")


def test_unknown_command_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
