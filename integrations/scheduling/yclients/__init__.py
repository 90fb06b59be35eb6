"""YClients / Altegio: a typed async client (client.py, errors.py, models.py), the shared rate limiter
(ratelimit.py) and the `SchedulingBackend` adapter (backend.py). See docs/yclients.md."""

from integrations.scheduling.yclients.backend import YClientsBackend, YClientsOptions
from integrations.scheduling.yclients.client import RetryPolicy, YClientsClient
from integrations.scheduling.yclients.factory import build_limiter, options_from_settings
from integrations.scheduling.yclients.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter

__all__ = [
    "MemoryRateLimiter",
    "RateLimiter",
    "RedisRateLimiter",
    "RetryPolicy",
    "YClientsBackend",
    "YClientsClient",
    "YClientsOptions",
    "build_limiter",
    "options_from_settings",
]
