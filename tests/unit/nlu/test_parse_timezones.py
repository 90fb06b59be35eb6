"""The parser works in the salon's local wall-clock time: midnight, DST changes, and never the machine's zone."""

from __future__ import annotations

import asyncio
import io
import json
import os
import time as clock
from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from booking_bot.domain import Catalog, ParseContext, ParsedMessage
from booking_bot.nlu import catalog_from_json, parse
from booking_bot.nlu.evalcli import run


def at(text: str, day: date, now: time, zone: str, lang: str) -> ParsedMessage:
    return parse(text, ParseContext(today=day, now=now, timezone=zone, lang=lang), Catalog())


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("today", "en", date(2026, 3, 10)),
        ("tomorrow", "en", date(2026, 3, 11)),
        ("hoje", "pt", date(2026, 3, 10)),
        ("amanhã", "pt", date(2026, 3, 11)),
        ("hoy", "es", date(2026, 3, 10)),
        ("сегодня", "ru", date(2026, 3, 10)),
    ],
)
def test_today_at_half_past_midnight_is_the_local_day(text: str, lang: str, expected: date) -> None:
    # 00:30 in São Paulo is 03:30 UTC, 20:30 the day before in Los Angeles: only the salon's day counts
    assert at(text, date(2026, 3, 10), time(0, 30), "America/Sao_Paulo", lang).date == expected


def test_in_an_hour_crosses_midnight() -> None:
    got = at("en una hora", date(2026, 3, 10), time(23, 30), "Europe/Madrid", "es")
    assert (got.date, got.time) == (date(2026, 3, 11), time(0, 30))


def test_tomorrow_at_2_30_on_the_night_madrid_springs_forward() -> None:
    # 2026-03-29 02:00 -> 03:00 in Madrid: the parser returns the wall time as said; the dialogue checks real slots
    got = at("tomorrow at 2:30 am", date(2026, 3, 28), time(20, 0), "Europe/Madrid", "en")
    assert (got.date, got.time) == (date(2026, 3, 29), time(2, 30))
    got = at("mañana a las 2:30 de la madrugada", date(2026, 3, 28), time(20, 0), "Europe/Madrid", "es")
    assert (got.date, got.time) == (date(2026, 3, 29), time(2, 30))


def test_in_an_hour_is_elapsed_time_across_spring_forward() -> None:
    # 01:30 CET + 1 real hour = 03:30 CEST (02:30 does not exist that night)
    got = at("en una hora", date(2026, 3, 29), time(1, 30), "Europe/Madrid", "es")
    assert (got.date, got.time) == (date(2026, 3, 29), time(3, 30))
    got = at("in an hour", date(2026, 3, 29), time(1, 30), "UTC", "en")  # no DST: plain addition
    assert got.time == time(2, 30)


def test_in_an_hour_is_elapsed_time_across_fall_back() -> None:
    # 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 (first) + 1 h = 02:30 (second)
    got = at("через час", date(2026, 10, 25), time(2, 30), "Europe/Madrid", "ru")
    assert (got.date, got.time) == (date(2026, 10, 25), time(2, 30))


def test_sao_paulo_historic_dst_started_at_midnight() -> None:
    # 2018-11-04 00:00 -> 01:00 in São Paulo: 23:30 + 1 h = 01:30 the next day
    got = at("daqui a uma hora", date(2018, 11, 3), time(23, 30), "America/Sao_Paulo", "pt")
    assert (got.date, got.time) == (date(2018, 11, 4), time(1, 30))


def test_without_the_salon_now_an_offset_is_not_guessed() -> None:
    got = parse("en una hora", ParseContext(today=date(2026, 3, 10), timezone="Europe/Madrid", lang="es"), Catalog())
    assert got.date is None and got.time is None


@pytest.fixture
def far_machine_zone() -> Iterator[None]:
    """Run with the machine's zone set 14 hours ahead of UTC (and restore it)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"
    clock.tzset()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        clock.tzset()


@pytest.mark.usefixtures("far_machine_zone")
def test_the_machine_zone_changes_nothing() -> None:
    assert clock.localtime().tm_gmtoff == 14 * 3600  # the fixture took effect
    got = at("mañana a las 10 y media", date(2026, 3, 28), time(23, 50), "America/Sao_Paulo", "es")
    assert (got.date, got.time) == (date(2026, 3, 29), time(10, 30))
    got = at("in an hour", date(2026, 3, 28), time(23, 50), "America/Sao_Paulo", "en")
    assert (got.date, got.time) == (date(2026, 3, 29), time(0, 50))


@pytest.mark.usefixtures("far_machine_zone")
def test_eval_cli_without_a_day_uses_the_salon_zone() -> None:
    zone = "America/Adak"  # UTC-10/-9: a different day from the machine's (UTC+14) for most of the day
    before = datetime.now(ZoneInfo(zone)).date()
    out = io.StringIO()
    row = {"id": "x", "text": "hoy", "tz": zone, "lang": "es"}
    asyncio.run(run(io.StringIO(json.dumps(row) + "\n"), out, io.StringIO(), catalog_from_json(None)))
    after = datetime.now(ZoneInfo(zone)).date()
    assert json.loads(out.getvalue())["date"] in {before.isoformat(), after.isoformat()}
