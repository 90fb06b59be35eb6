"""Settings from the environment (prefix BOOKING_BOT_) and an optional .env file, validated at start-up.

Settings come in groups — `gateway`, `worker`, `inbound`, `api`, `webhook`, `yclients`, `llm`, `supabase` — each of
which builds the typed configuration of what it configures (booking_bot/config.py). A setting keeps one flat name,
its environment variable without the prefix: `BOOKING_BOT_GATEWAY_PORT` is `settings.gateway.port`, and
`Settings(gateway_port=0)` sets it too (the first underscore separates the group).
"""

from __future__ import annotations

import os
import socket
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from booking_bot.config import (
    DeliveryPolicy,
    ManagerConfig,
    Pacing,
    SendLimits,
    Stage2Limits,
    WatchdogConfig,
    YClientsOptions,
)
from booking_bot.resources import resource_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BrokerKind(StrEnum):
    STUB = "stub"  # in-process (demo, tests)
    REDIS = "redis"


class LLMProvider(BaseModel):
    """One OpenAI-compatible chat-completions provider for stage 2 (docs/llm.md)."""

    base_url: str = Field(description="e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (Ollama)")
    model: str = Field(min_length=1)
    api_key: SecretStr | None = None
    timeout_seconds: float = Field(default=5.0, gt=0, description="One request")
    structured_output: Literal["json_schema", "json_object", "off"] = "json_schema"

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("an LLM base URL must start with https:// or http://, e.g. https://api.openai.com/v1")
        return value


class GatewaySettings(BaseModel):
    """The WhatsApp gateway (docs/gateway.md): BOOKING_BOT_GATEWAY_*."""

    host: str = "127.0.0.1"
    port: int = Field(default=8081, ge=0, le=65535)
    id: str | None = Field(default=None, description="Unique per gateway process; default host:pid")
    max_companies: int = Field(default=200, ge=1, description="Sessions one gateway process may hold")
    lease_ttl_seconds: float = Field(default=10.0, ge=1, description="A dead gateway's companies move after it")
    lease_renew_seconds: float = Field(default=3.0, gt=0, description="Heartbeat; well below the TTL")
    connect_backoff_base_seconds: float = Field(default=1.0, gt=0)
    connect_backoff_cap_seconds: float = Field(default=60.0, gt=0)
    connect_preflight: bool = Field(
        default=True, description="Dial WhatsApp before building a client (each build leaks a session-DB handle)"
    )
    watchdog_enabled: bool = Field(default=True, description="Probe connected numbers silent past their usual gap")
    watchdog_tick_seconds: float = Field(default=15.0, gt=0, description="How often the watchdog looks")
    watchdog_gap_floor_minutes: float = Field(default=10.0, gt=0, description="Shortest silence ever probed")
    watchdog_gap_cap_minutes: float = Field(default=360.0, gt=0, description="Longest; also while still learning")
    watchdog_gap_factor: float = Field(default=3.0, ge=1, description="Usual gap = this × the 90th-percentile gap")
    watchdog_probe_timeout_seconds: float = Field(default=20.0, gt=0, description="Wait for the probe's answer")
    watchdog_reconnect_interval_minutes: float = Field(
        default=30.0, ge=0, description="Per number: at most one watchdog reconnect this often"
    )
    replay_max_age_hours: float = Field(default=24.0, ge=0, description="Older missed messages are not replayed")
    inbound_dedupe_hours: int = Field(default=72, ge=48, description="Redis SET NX on (company, message id)")
    send_interval_seconds: float = Field(default=1.0, ge=0, description="Per number: minimum between sends")
    typing_min_seconds: float = Field(default=0.6, ge=0)
    typing_seconds_per_char: float = Field(default=0.02, ge=0)
    typing_max_seconds: float = Field(default=3.0, ge=0)
    shutdown_seconds: float = Field(default=20.0, gt=0, description="Graceful stop: finish sends in flight")
    send_jitter: float = Field(
        default=0.2, ge=0, le=1, description="Per number: intervals grow, typing times vary at random by up to it"
    )
    warmup_proactive_per_day: list[int] = Field(
        default_factory=lambda: [10, 20, 40, 80, 160, 320, 640],
        description="A newly linked number's proactive messages allowed on its day 1, 2, ...; then no limit",
    )
    reach_out_lock_pause_minutes: float = Field(
        default=60.0, gt=0, description="Sending paused after WhatsApp's reach-out lock (error 463)"
    )
    rate_limit_pause_seconds: float = Field(
        default=300.0, gt=0, description="Sending paused after WhatsApp's rate limit (429, rate-overlimit)"
    )

    @field_validator("warmup_proactive_per_day")
    @classmethod
    def _budgets(cls, value: list[int]) -> list[int]:
        if any(budget < 0 for budget in value):
            raise ValueError("warm-up budgets are counts of messages: 0 or more")
        return value

    def manager_config(self) -> ManagerConfig:
        return ManagerConfig(
            gateway_id=self.id or f"{socket.gethostname()}:{os.getpid()}",
            max_companies=self.max_companies,
            lease_ttl=self.lease_ttl_seconds,
            renew_seconds=self.lease_renew_seconds,
            backoff_base=self.connect_backoff_base_seconds,
            backoff_cap=self.connect_backoff_cap_seconds,
            connect_preflight=self.connect_preflight,
            shutdown_seconds=self.shutdown_seconds,
            pacing=Pacing(
                typing_min=self.typing_min_seconds,
                typing_per_char=self.typing_seconds_per_char,
                typing_max=self.typing_max_seconds,
                send_interval=self.send_interval_seconds,
                jitter=self.send_jitter,
            ),
            watchdog=WatchdogConfig(
                enabled=self.watchdog_enabled,
                tick_seconds=self.watchdog_tick_seconds,
                gap_floor_seconds=self.watchdog_gap_floor_minutes * 60,
                gap_cap_seconds=max(self.watchdog_gap_cap_minutes, self.watchdog_gap_floor_minutes) * 60,
                gap_factor=self.watchdog_gap_factor,
                probe_timeout_seconds=self.watchdog_probe_timeout_seconds,
                reconnect_interval_seconds=self.watchdog_reconnect_interval_minutes * 60,
                replay_max_age_seconds=self.replay_max_age_hours * 3600,
            ),
        )


class WorkerSettings(BaseModel):
    """The Dramatiq workers (docs/gateway.md): BOOKING_BOT_WORKER_*."""

    threads: int = Field(default=8, ge=1, description="Dramatiq worker threads per worker process")
    heartbeat_timeout_seconds: float = Field(
        default=15.0, ge=5, description="A killed worker's unacked messages return after this (+ maintenance)"
    )
    maintenance_chance: int = Field(
        default=50_000, ge=1, le=1_000_000, description="Per million broker commands: the requeue sweep runs"
    )
    lock_ttl_seconds: float = Field(default=20.0, ge=2, description="Conversation lock; renewed while held")


class InboundSettings(BaseModel):
    """The scheduler's sweep of messages whose queue job was lost: BOOKING_BOT_INBOUND_*."""

    requeue_after_seconds: float = Field(
        default=60.0, ge=5, description="The scheduler queues again a message still unhandled after this long"
    )
    sweep_seconds: float = Field(default=15.0, gt=0, description="How often the scheduler looks for them")


class ApiSettings(BaseModel):
    """The gateway's HTTP API and staff QR page (docs/api.md): BOOKING_BOT_API_*."""

    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the API")
    auth_failures_per_minute: int = Field(default=20, ge=1, description="Per client address, then 429")
    new_code_interval_seconds: float = Field(default=15.0, ge=0, description="Per company: QR pairing restarts")
    events_poll_seconds: float = Field(default=0.5, gt=0, description="Live status: how often Redis is read")
    send_per_minute: int = Field(default=30, ge=1, description="Per company: messages sent through the API")
    send_per_chat_per_hour: int = Field(default=6, ge=1, description="Per customer: API messages per hour")
    send_new_contacts: bool = Field(
        default=False, description="Allow API messages to chats that never wrote (raises the ban risk)"
    )
    send_wait_seconds: float = Field(default=5.0, ge=0, le=30, description="How long a send waits to report sent")

    def send_limits(self) -> SendLimits:
        return SendLimits(
            per_minute=self.send_per_minute,
            per_chat_per_hour=self.send_per_chat_per_hour,
            new_contacts=self.send_new_contacts,
            wait_seconds=self.send_wait_seconds,
        )


class WebhookSettings(BaseModel):
    """Outgoing webhooks (docs/webhooks.md): BOOKING_BOT_WEBHOOK_*."""

    max_attempts: int = Field(default=8, ge=1, le=30, description="Then the delivery is a dead letter")
    timeout_seconds: float = Field(default=10.0, gt=0, le=60, description="One delivery attempt")
    min_backoff_seconds: float = Field(default=10.0, gt=0, description="First retry; doubles each time")
    max_backoff_seconds: float = Field(default=3600.0, gt=0, description="Longest wait between attempts")
    private_targets: bool = Field(
        default=False, description="Allow webhook URLs on loopback/private addresses (tests, on-premises)"
    )

    def policy(self) -> DeliveryPolicy:
        return DeliveryPolicy(
            max_attempts=self.max_attempts,
            timeout_seconds=self.timeout_seconds,
            min_backoff_ms=int(self.min_backoff_seconds * 1000),
            max_backoff_ms=int(self.max_backoff_seconds * 1000),
            private_targets=self.private_targets,
        )


class YClientsSettings(BaseModel):
    """YClients / Altegio (docs/yclients.md): BOOKING_BOT_YCLIENTS_*. The API allows 5 requests/s and 200/min per
    egress IP, across every salon served from that IP: the limiter is shared in Redis by every process behind it."""

    rate_limiter: Literal["redis", "memory"] = Field(
        default="redis", description="memory = in-process only (the demo); redis = shared by all processes"
    )
    egress_id: str = Field(default="default", description="Processes behind one egress IP share this id")
    requests_per_second: int = Field(default=5, ge=1)
    requests_per_minute: int = Field(default=200, ge=1)
    timeout_seconds: float = Field(default=10.0, gt=0)
    catalog_ttl_seconds: float = Field(default=300.0, ge=0, description="Services, staff, company info")
    times_ttl_seconds: float = Field(default=20.0, ge=0, le=60, description="Free times: never long")

    def options(self) -> YClientsOptions:
        return YClientsOptions(
            timeout_seconds=self.timeout_seconds,
            catalog_ttl_seconds=self.catalog_ttl_seconds,
            times_ttl_seconds=self.times_ttl_seconds,
        )


class LLMSettings(BaseModel):
    """Stage 2 (docs/llm.md): an LLM for the messages stage 1 is unsure of; off unless a base URL is set.
    BOOKING_BOT_LLM_*."""

    base_url: str | None = Field(default=None, description="OpenAI-compatible API root, e.g. .../v1")
    model: str | None = None
    api_key: SecretStr | None = None
    timeout_seconds: float = Field(default=5.0, gt=0, description="One request to the provider")
    structured_output: Literal["json_schema", "json_object", "off"] = "json_schema"
    max_tokens: int = Field(default=300, ge=50, le=4000)
    time_budget_seconds: float = Field(default=8.0, gt=0, description="Stage 2 of one message, retry included")
    daily_calls_per_company: int = Field(default=500, ge=0)
    breaker_failures: int = Field(default=5, ge=1, description="Consecutive failures that open the circuit")
    breaker_cooldown_seconds: float = Field(default=60.0, gt=0)
    quota: Literal["memory", "redis"] = Field(default="memory", description="redis = one cap for all workers")
    company_providers: dict[str, LLMProvider] = Field(
        default_factory=dict, description='JSON: {"<company id>": {"base_url", "model", "api_key", ...}}'
    )

    @model_validator(mode="after")
    def _configured(self) -> LLMSettings:
        if self.base_url:
            if not self.model:
                raise ValueError("BOOKING_BOT_LLM_BASE_URL is set: set BOOKING_BOT_LLM_MODEL too (see docs/llm.md)")
            LLMProvider(base_url=self.base_url, model=self.model)  # the URL check, with its message
        return self

    @property
    def provider(self) -> LLMProvider | None:
        """The global stage-2 provider, or None when stage 2 is off."""
        if not self.base_url or not self.model:
            return None
        return LLMProvider(
            base_url=self.base_url,
            model=self.model,
            api_key=self.api_key,
            timeout_seconds=self.timeout_seconds,
            structured_output=self.structured_output,
        )

    def limits(self) -> Stage2Limits:
        return Stage2Limits(
            time_budget_seconds=self.time_budget_seconds,
            attempt_timeout_seconds=self.timeout_seconds,
            daily_calls_per_company=self.daily_calls_per_company,
            breaker_failures=self.breaker_failures,
            breaker_cooldown_seconds=self.breaker_cooldown_seconds,
        )


class SupabaseSettings(BaseModel):
    """The production store (docs/supabase.md): BOOKING_BOT_SUPABASE_*, used when BOOKING_BOT_STORE=supabase."""

    url: str | None = Field(default=None, description="https://<project>.supabase.co (store=supabase)")
    key: SecretStr | None = Field(default=None, description="The service-role key (store=supabase)")
    timeout_seconds: float = Field(default=10.0, gt=0)


GROUPS: dict[str, type[BaseModel]] = {
    "gateway": GatewaySettings,
    "worker": WorkerSettings,
    "inbound": InboundSettings,
    "api": ApiSettings,
    "webhook": WebhookSettings,
    "yclients": YClientsSettings,
    "llm": LLMSettings,
    "supabase": SupabaseSettings,
}


class Settings(BaseSettings):
    """Every setting of every process. `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="BOOKING_BOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # BOOKING_BOT_GATEWAY_MAX_COMPANIES → gateway.max_companies: the first underscore after the prefix only.
        env_nested_delimiter="_",
        env_nested_max_split=1,
    )

    data_dir: Path = Field(default=Path("data"), description="Where SQLite files live (embedded default)")
    broker: BrokerKind = BrokerKind.STUB
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    locales_dir: Path = resource_dir("locales")
    conversation_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    offered_slots: int = Field(default=6, ge=1, le=12, description="How many free times to offer at once")
    reply_timeout_seconds: float = Field(default=30.0, gt=0, description="Demo: how long the chat API waits")
    log_level: str = "INFO"
    human_takeover_pause_minutes: int = Field(default=720, ge=1, description="Bot silent in a chat staff wrote in")
    whatsapp_session_dsn: SecretStr | None = Field(
        default=None, description="neonize session DB: a PostgreSQL DSN (lib/pq syntax); default SQLite in data_dir"
    )
    admin_token: SecretStr | None = Field(
        default=None, description="Admin API, /metrics, /ready: required by the gateway (32+ characters)"
    )
    store: Literal["sqlite", "supabase"] = "sqlite"
    database_dsn: SecretStr | None = Field(
        default=None, description="PostgreSQL DSN for `booking-bot migrate` (Supabase: the direct connection string)"
    )

    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    inbound: InboundSettings = Field(default_factory=InboundSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    yclients: YClientsSettings = Field(default_factory=YClientsSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    supabase: SupabaseSettings = Field(default_factory=SupabaseSettings)

    @model_validator(mode="before")
    @classmethod
    def _flat_names(cls, data: Any) -> Any:
        """`gateway_port=0` (a keyword, or a key of a mapping) goes to `gateway.port`, over what the environment
        says: one flat name per setting, the same as its environment variable's."""
        if not isinstance(data, dict):
            return data
        folded = dict(data)
        for name in list(folded):
            group, _, field = name.partition("_")
            model = GROUPS.get(group)
            if model is None or field not in model.model_fields:
                continue
            current = folded.get(group)
            values = current.model_dump() if isinstance(current, BaseModel) else dict(current or {})
            values[field] = folded.pop(name)
            folded[group] = values
        return folded

    @model_validator(mode="after")
    def _store_configured(self) -> Settings:
        if self.store == "supabase":
            missing = [
                name
                for name, value in (
                    ("BOOKING_BOT_SUPABASE_URL", self.supabase.url),
                    ("BOOKING_BOT_SUPABASE_KEY", self.supabase.key),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    f"BOOKING_BOT_STORE=supabase needs {' and '.join(missing)} "
                    "(the project URL and its service-role key; see docs/supabase.md)"
                )
            if self.supabase.url and not self.supabase.url.startswith(("https://", "http://")):
                raise ValueError(
                    "BOOKING_BOT_SUPABASE_URL must start with https:// (e.g. https://<project>.supabase.co)"
                )
        return self

    @classmethod
    def flat_names(cls) -> list[str]:
        """Every setting's flat name, its environment variable without the prefix (`gateway_port`, `data_dir`)."""
        names = [name for name in cls.model_fields if name not in GROUPS]
        names += [f"{group}_{field}" for group, model in GROUPS.items() for field in model.model_fields]
        return names

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "booking_bot.sqlite3"

    @property
    def calendar_path(self) -> Path:
        return self.data_dir / "calendar.sqlite3"
