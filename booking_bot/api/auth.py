"""Who is calling: the admin token, or one company's staff token; and the limit on failed attempts.

A staff token reads `{company id}.{secret}`: it names its company, so a token of company A presented on company B's
route is recognised as A's (403), not guessed against B's. Only sha256(secret) is stored (`Company.staff_token_hash`)
and compared with `hmac.compare_digest`. The admin token comes from settings and is compared the same way.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from pydantic import SecretStr
from redis.asyncio import Redis

from booking_bot.ports import Store

MIN_ADMIN_TOKEN_LENGTH = 32


class Access(enum.Enum):
    """What a route needs. A route without a declared access is ADMIN (closed by default)."""

    PUBLIC = "public"
    COMPANY = "company"  # the staff token of the company in the path, or the admin token
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the admin (company_id None) or one company's staff."""

    company_id: str | None

    @property
    def is_admin(self) -> bool:
        return self.company_id is None

    def may_act_for(self, company_id: str) -> bool:
        return self.is_admin or self.company_id == company_id


ADMIN = Principal(None)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_staff_token(company_id: str) -> tuple[str, str]:
    """A fresh staff token for the company and the hash to store: (token, sha256 of its secret)."""
    secret = secrets.token_urlsafe(32)  # 32 random bytes; base64url has no "."
    return f"{company_id}.{secret}", secret_hash(secret)


def check_admin_token(admin_token: SecretStr | None) -> SecretStr:
    """The gateway refuses to start without a strong admin token: say what to set."""
    if admin_token is None or len(admin_token.get_secret_value()) < MIN_ADMIN_TOKEN_LENGTH:
        raise ValueError(
            "set BOOKING_BOT_ADMIN_TOKEN to a random secret of at least "
            f"{MIN_ADMIN_TOKEN_LENGTH} characters (the admin API, /metrics and /ready need it), e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return admin_token


class Authenticator:
    """Turns a bearer token into a `Principal` (or None)."""

    def __init__(self, admin_token: SecretStr, store: Store) -> None:
        self._admin_hash = secret_hash(admin_token.get_secret_value())
        self._store = store

    async def authenticate(self, token: str) -> Principal | None:
        if hmac.compare_digest(secret_hash(token), self._admin_hash):
            return ADMIN
        company_id, dot, secret = token.rpartition(".")
        if not dot or not company_id or not secret or len(token) > 200:
            return None
        company = await self._store.get_company(company_id)
        stored = company.staff_token_hash if company is not None else None
        # Compare even when the company is unknown, so the timing does not tell which companies exist.
        if hmac.compare_digest(secret_hash(secret), stored or "0" * 64) and stored is not None:
            return Principal(company_id)
        return None


class FailureLimiter:
    """Failed authentications per client address, shared by every gateway through Redis (fixed one-minute window)."""

    def __init__(self, redis: Redis, per_minute: int) -> None:
        self._redis = redis
        self._limit = per_minute

    @staticmethod
    def _key(client: str) -> str:
        return f"bb:api:authfail:{client}"

    async def blocked_for(self, client: str) -> int:
        """Seconds this client must wait (0: not blocked)."""
        key = self._key(client)
        count = await self._redis.get(key)
        if count is None or int(count) < self._limit:
            return 0
        return max(1, int(await self._redis.ttl(key)))

    async def failed(self, client: str) -> None:
        key = self._key(client)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 60, nx=True)
            await pipe.execute()
