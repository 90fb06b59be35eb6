"""YClients / Altegio: a typed async client (client.py, errors.py, models.py), the shared rate limiter
(ratelimit.py) and the `SchedulingBackend` adapter (backend.py: what it reads in reader.py, one booking in
booking.py, wire models to the domain in mapping.py). See docs/yclients.md."""

from integrations.scheduling.yclients.backend import YClientsBackend
from integrations.scheduling.yclients.client import YClientsClient
from integrations.scheduling.yclients.factory import build_limiter
from integrations.scheduling.yclients.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter

__all__ = [
    "MemoryRateLimiter",
    "RateLimiter",
    "RedisRateLimiter",
    "YClientsBackend",
    "YClientsClient",
    "build_limiter",
]
