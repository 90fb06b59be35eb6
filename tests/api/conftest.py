"""The API and browser tests run gateways on their own Redis database, so that a gateway of another test run on
this machine (the load tests take every company they find) cannot hold their companies."""

from __future__ import annotations

import pytest
import redis


@pytest.fixture
def gateway_redis_url(redis_url: str) -> str:
    """The real local Redis (like `redis_url`, which checks it is reachable), database 12, flushed per test."""
    url = redis_url.rsplit("/", 1)[0] + "/12"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    return url
