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


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally ("[::1]" and "fe80::1%eth0" too), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_public(address: str) -> bool:
    """True for a globally routable unicast address ("93.184.216.34"); False for loopback, private, link-local,
    shared, reserved, documentation and multicast ranges, and for what is not an address at all. An IPv6 zone
    index ("fe80::1%eth0") is read as its address, which is never public."""
    ip = _ip(address)
    return ip is not None and ip.is_global and not ip.is_multicast


def literal_address(host: str) -> bool:
    return _ip(host) is not None


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
