"""Every Redis key the processes share, in one place. Keys of a company's data carry its id; the few that belong to
something wider (an egress IP's YClients budget, a client address's failed logins, the scheduler's leadership, the
workers' shared counters) say so."""

from __future__ import annotations

import datetime as dt

# --- WhatsApp sessions and the gateways (booking_bot/gateway) ---------------------------------------------------
COMPANIES = "bb:wa:companies"  # set: companies with a WhatsApp number to hold
JIDS = "bb:wa:jid"  # hash: company → paired number (JID user); absent while unpaired
OUTBOUND_GROUP = "gateway"
AMBIGUOUS_RESENDS = "bb:gw:ambiguous_resends"  # counter: replies resent after a gateway died mid-send
GATEWAYS = "bb:gw:members"  # sorted set: gateway id → when its membership lapses (epoch seconds)
LINKED_NUMBERS = "bb:wa:linked"  # hash: number (JID user) → when a gateway first linked it (epoch s): its warm-up


def lease(company_id: str) -> str:
    return f"bb:gw:lease:{company_id}"


def status(company_id: str) -> str:
    return f"bb:wa:status:{company_id}"


def inbound_arrivals(company_id: str) -> str:
    """List: when the number's latest messages arrived (epoch seconds, newest first): the watchdog's usual gap and
    where a replay after a reconnect starts."""
    return f"bb:wa:arrivals:{company_id}"


def inbound_seen(company_id: str, message_id: str) -> str:
    return f"bb:in:{company_id}:{message_id}"


def outbound_stream(company_id: str) -> str:
    return f"bb:out:{company_id}"


def outbound_sent(company_id: str, idempotency_key: str) -> str:
    return f"bb:sent:{company_id}:{idempotency_key}"


def number_health(company_id: str, hour: int) -> str:
    """Hash: what happened to the company's outgoing messages in one hour (epoch hours): sent, failed, paused, ..."""
    return f"bb:wa:health:{company_id}:{hour}"


def number_pause(company_id: str) -> str:
    """'<reason> <until epoch s>' while WhatsApp has the company's number paused (expires with the pause)."""
    return f"bb:wa:pause:{company_id}"


def proactive_sent(jid_user: str, day: int) -> str:
    """Proactive messages a number sent on one day of its warm-up (days since it was linked)."""
    return f"bb:wa:proactive:{jid_user}:{day}"


def proactive_budget_taken(company_id: str, idempotency_key: str) -> str:
    """Set once a job took a place in its number's warm-up budget for this outgoing message (integrations/warm_up)."""
    return f"bb:wa:budget:{company_id}:{idempotency_key}"


def gateway_commands(gateway_id: str) -> str:
    """A gateway's command list (pair, new code, unlink), for the company it holds."""
    return f"bb:gw:cmd:{gateway_id}"


def gateway_reply(request_id: str) -> str:
    return f"bb:gw:reply:{request_id}"


# --- the HTTP API (booking_bot/gateway/api) ----------------------------------------------------------------------


def pairing(company_id: str) -> str:
    """When the page last started a QR pairing (epoch seconds); expires with the window."""
    return f"bb:api:pairing:{company_id}"


def new_code(company_id: str) -> str:
    return f"bb:api:newcode:{company_id}"


def auth_failures(client: str) -> str:
    """Failed authentications of one client address (not a company's: the caller is not known yet)."""
    return f"bb:api:authfail:{client}"


def api_sends(company_id: str, minute: int) -> str:
    return f"bb:api:send:{company_id}:{minute}"


def api_sends_to_chat(company_id: str, chat_hash: str, hour: int) -> str:
    return f"bb:api:send:{company_id}:{chat_hash}:{hour}"


# --- the worker and the scheduler --------------------------------------------------------------------------------
CONVERSATION_PREFIX = "bb:"  # + ConversationKey ("conv:{company}:{chat}"): a chat's state; + "lock:" + it: its lock
SHARED_METRICS = "bb:metrics"  # hash: 'name{labels}' → value, added to by every worker
SCHEDULER_LEADER = "booking-bot:scheduler:leader"  # one leader among the schedulers


def conversation_state(conversation: str) -> str:
    return CONVERSATION_PREFIX + conversation


def conversation_lock(conversation: str) -> str:
    return f"{CONVERSATION_PREFIX}lock:{conversation}"


def llm_calls(company_id: str, day: dt.date) -> str:
    """Stage-2 calls of a company on its local day."""
    return f"llm:calls:{company_id}:{day.isoformat()}"


def yclients_budget(egress_id: str) -> str:
    """The prefix of one egress IP's YClients request budget (shared by every salon behind that IP)."""
    return f"yclients:ratelimit:{egress_id}"
