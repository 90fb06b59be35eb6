"""Who is calling: the admin token, one company's staff token, or one of its integration tokens; and the limit on
failed attempts.

A staff token reads `{company id}.{secret}`: it names its company, so a token of company A presented on company B's
route is recognised as A's (403), not guessed against B's. Only sha256(secret) is stored (`Company.staff_token_hash`)
and compared with `hmac.compare_digest`. The admin token comes from settings and is compared the same way.
An integration token reads `{company id}.bbi_{16 hex}.{secret}` (its id in the middle); only sha256(secret) is
stored (`IntegrationToken.secret_hash`), and it carries scopes (`Scope`): a route an integration may use names the
scope it needs; every other route refuses integration tokens.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from pydantic import SecretStr
from redis.asyncio import Redis

from booking_bot.domain import Scope
from booking_bot.ports import Store
from integrations import redis_keys as keys

MIN_ADMIN_TOKEN_LENGTH = 32
INTEGRATION_TOKEN_ID = re.compile(r"^bbi_[0-9a-f]{16}$")


class Access(enum.Enum):
    """What a route needs. A route without a declared access is ADMIN (closed by default)."""

    PUBLIC = "public"
    COMPANY = "company"  # the staff token of the company in the path, or the admin token
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the admin (company_id None), one company's staff, or one of its integrations
    (`scopes` set, `token_id` its integration token)."""

    company_id: str | None
    scopes: frozenset[Scope] | None = None  # None: every scope (admin, staff)
    token_id: str | None = None

    @property
    def is_integration(self) -> bool:
        return self.scopes is not None

    def allows(self, scope: Scope | None) -> bool:
        """May this caller use a route needing `scope` (None: a route closed to integrations)?"""
        return self.scopes is None or (scope is not None and scope in self.scopes)

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


def new_integration_token(company_id: str) -> tuple[str, str, str]:
    """A fresh integration token: (token id, token, sha256 of its secret). The token is shown once."""
    token_id = "bbi_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return token_id, f"{company_id}.{token_id}.{secret}", secret_hash(secret)


def rotated_integration_token(company_id: str, token_id: str) -> tuple[str, str]:
    """A new secret for an existing integration token id: (token, sha256 of its secret)."""
    secret = secrets.token_urlsafe(32)
    return f"{company_id}.{token_id}.{secret}", secret_hash(secret)


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
        owner, _, token_id = company_id.rpartition(".")
        if owner and INTEGRATION_TOKEN_ID.match(token_id):
            integration = await self._integration(owner, token_id, secret)
            if integration is not None:
                return integration
        company = await self._store.get_company(company_id)
        stored = company.staff_token_hash if company is not None else None
        # Compare even when the company is unknown, so the timing does not tell which companies exist.
        if hmac.compare_digest(secret_hash(secret), stored or "0" * 64) and stored is not None:
            return Principal(company_id)
        return None

    async def _integration(self, company_id: str, token_id: str, secret: str) -> Principal | None:
        stored = await self._store.get_integration_token(company_id, token_id)
        digest = stored.secret_hash if stored is not None and stored.active else None
        if hmac.compare_digest(secret_hash(secret), digest or "0" * 64) and stored is not None and digest is not None:
            return Principal(company_id, frozenset(stored.scopes), token_id)
        return None


class FailureLimiter:
    """Failed authentications per client address, shared by every gateway through Redis (fixed one-minute window)."""

    def __init__(self, redis: Redis, per_minute: int) -> None:
        self._redis = redis
        self._limit = per_minute

    async def blocked_for(self, client: str) -> int:
        """Seconds this client must wait (0: not blocked)."""
        key = keys.auth_failures(client)
        count = await self._redis.get(key)
        if count is None or int(count) < self._limit:
            return 0
        return max(1, int(await self._redis.ttl(key)))

    async def failed(self, client: str) -> None:
        key = keys.auth_failures(client)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 60, nx=True)
            await pipe.execute()
