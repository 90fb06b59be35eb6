"""Where webhooks may go: public internet addresses only, checked when an endpoint is registered *and* at every
delivery. A name that pointed at a public address when it was registered can point at the gateway's own network by
the time an event is delivered (DNS rebinding); the delivery's resolver drops every address that is not public, so
the request cannot reach loopback, private, link-local or reserved ranges whatever the name says then.

`webhook_private_targets` (tests, on-premises receivers) turns both checks off.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver


def is_public(address: str) -> bool:
    """True for a globally routable unicast address ("93.184.216.34"); False for loopback, private, link-local,
    shared, reserved, documentation and multicast ranges, and for what is not an address at all."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index ("fe80::1%eth0") is not public
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast


def literal_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


class NotPublic(OSError):
    """The name resolved only to addresses a webhook may not go to (aiohttp shows `strerror` in its error)."""

    def __init__(self, host: str) -> None:
        super().__init__(errno.EADDRNOTAVAIL, f"{host} resolves only to private or local addresses")


class PublicAddressesOnly(AbstractResolver):
    """aiohttp's resolver, keeping only public addresses (a name with none left fails to connect)."""

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner if inner is not None else DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        public = [entry for entry in found if is_public(entry["host"])]
        if not public:
            raise NotPublic(host)
        return public

    async def close(self) -> None:
        await self._inner.close()
