"""The ops commands' tests run against real Redis (their own database) and a real gateway app with fake neonize
clients (tests/api/harness.py), or gateway, workers and scheduler started by real PM2 (test_pm2.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis


def _flushed(redis_url: str, db: int) -> str:
    url = redis_url.rsplit("/", 1)[0] + f"/{db}"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    return url


@pytest.fixture
def ops_redis_url(redis_url: str) -> str:
    """The real local Redis (checked reachable by `redis_url`), database 11, flushed per test: no gateway of another
    test takes these companies."""
    return _flushed(redis_url, 11)


@pytest.fixture
def pm2_redis_url(redis_url: str) -> str:
    """Database 10 for the PM2 test's processes."""
    return _flushed(redis_url, 10)


@pytest.fixture
def ops_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ops_redis_url: str) -> Path:
    """The environment an operator's shell has: the commands read their settings from it (no .env here)."""
    for name in list(os.environ):
        if name.startswith("BOOKING_BOT_") and name != "BOOKING_BOT_TEST_REDIS_URL":
            monkeypatch.delenv(name)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOOKING_BOT_BROKER", "redis")
    monkeypatch.setenv("BOOKING_BOT_REDIS_URL", ops_redis_url)
    monkeypatch.setenv("BOOKING_BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOOKING_BOT_LOG_LEVEL", "WARNING")
    return tmp_path / "data"
