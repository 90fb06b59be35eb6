"""Settings are documented and validated: every field in .env.example, the example loads, bad values fail fast."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from booking_bot.settings import PROJECT_ROOT, Settings

EXAMPLE = PROJECT_ROOT / ".env.example"


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"BOOKING_BOT_([A-Z0-9_]+)", EXAMPLE.read_text(encoding="utf-8")))
    expected = {name.upper() for name in Settings.flat_names()}
    assert sorted(expected - documented) == []
    assert sorted(documented - expected) == []  # nothing stale either


def test_env_example_loads_as_an_env_file() -> None:
    settings = Settings(_env_file=EXAMPLE)  # type: ignore[call-arg]
    assert settings == Settings(_env_file=None)  # type: ignore[call-arg]  # the example states the defaults


def test_supabase_store_without_its_url_and_key_says_what_to_set() -> None:
    with pytest.raises(ValidationError, match="BOOKING_BOT_SUPABASE_URL"):
        Settings(store="supabase", _env_file=None)  # type: ignore[call-arg]
