"""Every Redis key the gateway and the worker share, in one place. Each one carries the company id."""

from __future__ import annotations

COMPANIES = "bb:wa:companies"  # set: companies with a WhatsApp number to hold
JIDS = "bb:wa:jid"  # hash: company → paired number (JID user); absent while unpaired
OUTBOUND_GROUP = "gateway"
AMBIGUOUS_RESENDS = "bb:gw:ambiguous_resends"  # counter: replies resent after a gateway died mid-send
GATEWAYS = "bb:gw:members"  # sorted set: gateway id → when its membership lapses (epoch seconds)


def lease(company_id: str) -> str:
    return f"bb:gw:lease:{company_id}"


def status(company_id: str) -> str:
    return f"bb:wa:status:{company_id}"


def inbound_seen(company_id: str, message_id: str) -> str:
    return f"bb:in:{company_id}:{message_id}"


def outbound_stream(company_id: str) -> str:
    return f"bb:out:{company_id}"


def outbound_sent(company_id: str, idempotency_key: str) -> str:
    return f"bb:sent:{company_id}:{idempotency_key}"
