"""`booking-bot parse` prints no day for a week, a weekend or a month: a period is not its first day."""

from __future__ import annotations

import asyncio
import io
import json

import pytest

from booking_bot.nlu import catalog_from_json
from booking_bot.nlu.evalcli import run


def _dates(texts: list[str]) -> list[object]:
    lines = [json.dumps({"id": str(i), "text": t, "today": "2026-03-02", "tz": "UTC"}) for i, t in enumerate(texts)]
    out = io.StringIO()
    assert asyncio.run(run(io.StringIO("\n".join(lines) + "\n"), out, io.StringIO(), catalog_from_json(None))) == 0
    return [json.loads(line)["date"] for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("text", ["next week", "на следующей неделе", "semana que vem", "la semana que viene"])
def test_a_week_prints_no_day(text: str) -> None:
    assert _dates([text]) == [None]


def test_a_day_of_next_week_prints_that_day() -> None:
    assert _dates(["wednesday next week", "в среду на следующей неделе"]) == ["2026-03-11", "2026-03-11"]
