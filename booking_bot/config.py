"""The typed configurations components are built with. `Settings`' groups (booking_bot/settings.py) build them from
the environment; tests and tools build them directly. Pure values: no I/O, nothing imported from above the domain."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field


@dataclass
class Pacing:
    """Human-like sending: typing time scaled to the reply's length, and a minimum interval per number."""

    typing_min: float = 0.6
    typing_per_char: float = 0.02
    typing_max: float = 3.0
    send_interval: float = 1.0
    jitter: float = 0.2

    def typing_seconds(self, text: str, rng: random.Random) -> float:
        base = min(self.typing_max, self.typing_min + self.typing_per_char * len(text))
        return max(0.0, base * (1 + rng.uniform(-self.jitter, self.jitter)))


@dataclass(frozen=True)
class WatchdogConfig:
    """The silent-session watchdog (docs/gateway.md): a connected number that received nothing for longer than its
    usual gap (learned from its recent messages, clamped to floor..cap) is probed, and reconnected when the probe
    goes unanswered; messages a reconnect's history sync brings back are replayed when younger than replay_max_age."""

    enabled: bool = True
    tick_seconds: float = 15.0
    gap_floor_seconds: float = 600.0
    gap_cap_seconds: float = 21_600.0
    gap_factor: float = 3.0
    min_gaps: int = 5
    probe_timeout_seconds: float = 20.0
    reconnect_interval_seconds: float = 1800.0
    replay_max_age_seconds: float = 86_400.0


@dataclass(frozen=True)
class ManagerConfig:
    """One gateway's session manager: how many numbers it holds, its leases, reconnect backoff, stop and pacing."""

    gateway_id: str
    max_companies: int = 200
    lease_ttl: float = 10.0
    renew_seconds: float = 3.0
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    connect_preflight: bool = True
    shutdown_seconds: float = 20.0
    pacing: Pacing = field(default_factory=Pacing)
    watchdog: WatchdogConfig = field(default_factory=WatchdogConfig)


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard a webhook delivery is tried: attempts in all, each with a timeout, backoff doubling from min to max."""

    max_attempts: int = 8
    timeout_seconds: float = 10.0
    min_backoff_ms: int = 10_000
    max_backoff_ms: int = 3_600_000
    private_targets: bool = False  # allow loopback/private addresses (tests, on-premises); see webhooks/targets.py


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently YClients calls are repeated."""

    read_attempts: int = 4  # reads and book_check: on 5xx, timeouts, broken connections
    rate_limited_attempts: int = 3  # any call: after a 429, once Retry-After has passed
    backoff_base: float = 0.2
    backoff_cap: float = 2.0
    max_retry_after: float = 30.0  # longer waits are not done inside a customer's turn

    def backoff(self, attempt: int) -> float:
        """Full jitter: a random wait up to base·2^attempt (capped), so retries of many workers spread out."""
        return random.uniform(0, min(self.backoff_cap, self.backoff_base * 2**attempt))  # noqa: S311 - jitter


@dataclass(frozen=True)
class YClientsOptions:
    """Tuning of the YClients adapter."""

    timeout_seconds: float = 10.0
    catalog_ttl_seconds: float = 300.0
    times_ttl_seconds: float = 20.0
    max_submissions: int = 2  # book_record / PUT / DELETE sends per operation, each after a reconcile
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if self.times_ttl_seconds > 60:
            raise ValueError("free times must not be cached for more than 60 s")


class Stage2Limits(BaseModel):
    """What one stage-2 provider may spend: time per message and per call, calls per company and day, and when its
    circuit opens."""

    model_config = ConfigDict(frozen=True)

    time_budget_seconds: float = Field(default=8.0, gt=0)  # for the whole stage 2 of one message, retry included
    attempt_timeout_seconds: float = Field(default=5.0, gt=0)
    daily_calls_per_company: int = Field(default=500, ge=0)
    breaker_failures: int = Field(default=5, ge=1)
    breaker_cooldown_seconds: float = Field(default=60.0, gt=0)


@dataclass
class SendLimits:
    """The send API's rules: the same pacing as replies, plus per-company and per-chat caps."""

    per_minute: int = 30
    per_chat_per_hour: int = 6
    new_contacts: bool = False  # False: only chats that wrote to the salon before
    wait_seconds: float = 5.0
