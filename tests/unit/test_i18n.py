"""Every template the code uses exists, translated, with the same placeholders, in every catalog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest

from booking_bot.i18n import Catalogs
from booking_bot.i18n_tools import catalog_paths, check, template
from booking_bot.settings import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "locales"


def test_every_catalog_is_complete_with_the_same_placeholders_and_all_plural_forms() -> None:
    assert len(template()) > 50
    assert [str(p) for p in check(LOCALES)] == []
    assert set(catalog_paths(LOCALES)) == {"en", "ru", "pt", "es"}


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (lambda text: text.replace('msgstr "Адрес: {address}"', 'msgstr "Адрес: {adres}"'), "placeholders differ"),
        (lambda text: text.replace('msgstr "Адрес: {address}"', 'msgstr ""'), "untranslated"),
        (
            lambda text: text.replace(
                '#, python-brace-format\nmsgid "Address', '#, fuzzy, python-brace-format\nmsgid "Address'
            ),
            "fuzzy",
        ),
        (lambda text: text.replace('msgid "Address: {address}"', 'msgid "Adresse: {address}"'), "missing"),
    ],
)
def test_a_broken_catalog_is_reported(tmp_path: Path, edit: Callable[[str], str], what: str) -> None:
    broken = tmp_path / "ru" / "LC_MESSAGES" / "booking_bot.po"
    broken.parent.mkdir(parents=True)
    original = (LOCALES / "ru" / "LC_MESSAGES" / "booking_bot.po").read_text(encoding="utf-8")
    changed = edit(original)
    assert changed != original
    broken.write_text(changed, encoding="utf-8")
    assert what in {p.what for p in check(tmp_path)}


def test_russian_plurals_have_three_forms() -> None:
    ru = Catalogs(LOCALES).get("ru")
    singular, plural = "You have {n} upcoming appointment:", "You have {n} upcoming appointments:"
    assert [ru.tn(singular, plural, n) for n in (1, 3, 5, 21)] == [
        "У вас 1 предстоящая запись:",
        "У вас 3 предстоящие записи:",
        "У вас 5 предстоящих записей:",
        "У вас 21 предстоящая запись:",
    ]


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


def test_a_day_said_in_a_sentence_takes_its_preposition() -> None:
    catalogs = Catalogs(LOCALES)
    friday = date(2026, 11, 27)
    saturday, monday = date(2026, 11, 28), date(2026, 11, 30)
    expected = {
        "en": ("on Saturday, 28 November", "on Monday, 30 November", "tomorrow, Saturday, 28 November"),
        "es": ("el sábado, 28 de noviembre", "el lunes, 30 de noviembre", "mañana, sábado, 28 de noviembre"),
        "pt": ("no sábado, 28 de novembro", "na segunda-feira, 30 de novembro", "amanhã, sábado, 28 de novembro"),
        "ru": ("в субботу, 28 ноября", "в понедельник, 30 ноября", "завтра, в субботу, 28 ноября"),
    }
    for language, (on_saturday, on_monday, tomorrow) in expected.items():
        loc = catalogs.get(language)
        assert (loc.on_day(saturday), loc.on_day(monday, friday), loc.on_day(saturday, friday)) == (
            on_saturday,
            on_monday,
            tomorrow,
        )
    en = catalogs.get("en")
    assert en.on_day(friday, friday) == "today, Friday, 27 November"
    assert (
        en.t("Free times {on_day}:", on_day=en.on_day(saturday, friday))
        == "Free times tomorrow, Saturday, 28 November:"
    )


def test_missing_english_catalog_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="BOOKING_BOT_LOCALES_DIR"):
        Catalogs(tmp_path)
