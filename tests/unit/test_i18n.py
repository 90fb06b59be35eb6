"""Every template the code uses exists, translated, with the same placeholders, in every catalog."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from booking_bot.i18n import Catalogs
from booking_bot.settings import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "locales"
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def used_msgids() -> set[str]:
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PROJECT_ROOT / "booking_bot"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


@pytest.mark.parametrize("language", ["en", "ru", "pt", "es"])
def test_every_template_in_code_is_translated(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "booking_bot.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    used = used_msgids()
    assert len(used) > 40
    missing = sorted(used - set(translated))
    assert missing == []
    for msgid in used:
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(str(translated[msgid]))), msgid


def test_unknown_language_falls_back_to_english() -> None:
    catalogs = Catalogs(LOCALES)
    assert catalogs.get("xx").language == "en"
    assert catalogs.get("ru-RU").language == "ru"
    assert catalogs.get(None).language == "en"


def test_dates_times_and_prices_are_formatted_for_the_language() -> None:
    catalogs = Catalogs(LOCALES)
    ru, en = catalogs.get("ru"), catalogs.get("en")
    assert ru.day(date(2026, 11, 28), today=date(2026, 11, 27)) == "завтра, суббота, 28 ноября"
    assert en.day(date(2026, 11, 28), today=date(2026, 11, 28)) == "today, Saturday, 28 November"
    assert ru.clock(time(15, 0)) == "15:00"
    assert en.clock(time(15, 0)) == "3:00 PM"
    assert ru.money(1500, "RUB") == "1\xa0500 ₽"


def test_missing_english_catalog_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="BOOKING_BOT_LOCALES_DIR"):
        Catalogs(tmp_path)
