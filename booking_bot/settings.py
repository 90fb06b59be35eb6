"""Settings from the environment (prefix BOOKING_BOT_) and an optional .env file, validated at start-up."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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


class Settings(BaseSettings):
    """Every setting of every process. `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="BOOKING_BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"), description="Where SQLite files live (embedded default)")
    broker: BrokerKind = BrokerKind.STUB
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    locales_dir: Path = resource_dir("locales")
    conversation_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    offered_slots: int = Field(default=6, ge=1, le=12, description="How many free times to offer at once")
    reply_timeout_seconds: float = Field(default=30.0, gt=0, description="Demo: how long the chat API waits")
    log_level: str = "INFO"
    # YClients / Altegio (integrations/scheduling/yclients). The API allows 5 requests/s and 200/min per egress IP,
    # across every salon served from that IP: the limiter is shared in Redis by every process behind one IP.
    yclients_rate_limiter: Literal["redis", "memory"] = Field(
        default="redis", description="memory = in-process only (the demo); redis = shared by all processes"
    )
    yclients_egress_id: str = Field(default="default", description="Processes behind one egress IP share this id")
    yclients_requests_per_second: int = Field(default=5, ge=1)
    yclients_requests_per_minute: int = Field(default=200, ge=1)
    yclients_timeout_seconds: float = Field(default=10.0, gt=0)
    yclients_catalog_ttl_seconds: float = Field(default=300.0, ge=0, description="Services, staff, company info")
    yclients_times_ttl_seconds: float = Field(default=20.0, ge=0, le=60, description="Free times: never long")
    # The WhatsApp gateway and the worker (docs/gateway.md describes each one).
    human_takeover_pause_minutes: int = Field(default=720, ge=1, description="Bot silent in a chat staff wrote in")
    whatsapp_session_dsn: SecretStr | None = Field(
        default=None, description="neonize session DB: a PostgreSQL DSN (lib/pq syntax); default SQLite in data_dir"
    )
    gateway_host: str = "127.0.0.1"
    gateway_port: int = Field(default=8081, ge=0, le=65535)
    gateway_id: str | None = Field(default=None, description="Unique per gateway process; default host:pid")
    gateway_max_companies: int = Field(default=200, ge=1, description="Sessions one gateway process may hold")
    gateway_lease_ttl_seconds: float = Field(default=10.0, ge=1, description="A dead gateway's companies move after it")
    gateway_lease_renew_seconds: float = Field(default=3.0, gt=0, description="Heartbeat; well below the TTL")
    gateway_connect_backoff_base_seconds: float = Field(default=1.0, gt=0)
    gateway_connect_backoff_cap_seconds: float = Field(default=60.0, gt=0)
    gateway_inbound_dedupe_hours: int = Field(default=72, ge=48, description="Redis SET NX on (company, message id)")
    gateway_send_interval_seconds: float = Field(default=1.0, ge=0, description="Per number: minimum between sends")
    gateway_typing_min_seconds: float = Field(default=0.6, ge=0)
    gateway_typing_seconds_per_char: float = Field(default=0.02, ge=0)
    gateway_typing_max_seconds: float = Field(default=3.0, ge=0)
    gateway_shutdown_seconds: float = Field(default=20.0, gt=0, description="Graceful stop: finish sends in flight")
    worker_threads: int = Field(default=8, ge=1, description="Dramatiq worker threads per worker process")
    worker_heartbeat_timeout_seconds: float = Field(
        default=15.0, ge=5, description="A killed worker's unacked messages return after this (+ maintenance)"
    )
    worker_maintenance_chance: int = Field(
        default=50_000, ge=1, le=1_000_000, description="Per million broker commands: the requeue sweep runs"
    )
    worker_lock_ttl_seconds: float = Field(default=20.0, ge=2, description="Conversation lock; renewed while held")
    inbound_requeue_after_seconds: float = Field(
        default=60.0, ge=5, description="The scheduler queues again a message still unhandled after this long"
    )
    inbound_sweep_seconds: float = Field(default=15.0, gt=0, description="How often the scheduler looks for them")
    # The gateway's HTTP API and staff QR page (docs/api.md).
    admin_token: SecretStr | None = Field(
        default=None, description="Admin API, /metrics, /ready: required by the gateway (32+ characters)"
    )
    api_cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the API")
    api_auth_failures_per_minute: int = Field(default=20, ge=1, description="Per client address, then 429")
    api_new_code_interval_seconds: float = Field(default=15.0, ge=0, description="Per company: QR pairing restarts")
    api_events_poll_seconds: float = Field(default=0.5, gt=0, description="Live status: how often Redis is read")
    # The send API, webhooks and the stats page (docs/api.md, docs/webhooks.md).
    api_send_per_minute: int = Field(default=30, ge=1, description="Per company: messages sent through the API")
    api_send_per_chat_per_hour: int = Field(default=6, ge=1, description="Per customer: API messages per hour")
    api_send_new_contacts: bool = Field(
        default=False, description="Allow API messages to chats that never wrote (raises the ban risk)"
    )
    api_send_wait_seconds: float = Field(default=5.0, ge=0, le=30, description="How long a send waits to report sent")
    webhook_max_attempts: int = Field(default=8, ge=1, le=30, description="Then the delivery is a dead letter")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60, description="One delivery attempt")
    webhook_min_backoff_seconds: float = Field(default=10.0, gt=0, description="First retry; doubles each time")
    webhook_max_backoff_seconds: float = Field(default=3600.0, gt=0, description="Longest wait between attempts")
    webhook_private_targets: bool = Field(
        default=False, description="Allow webhook URLs on loopback/private addresses (tests, on-premises)"
    )

    # The store (docs/supabase.md): the embedded SQLite file, or Supabase (PostgREST) in production.
    store: Literal["sqlite", "supabase"] = "sqlite"
    supabase_url: str | None = Field(default=None, description="https://<project>.supabase.co (store=supabase)")
    supabase_key: SecretStr | None = Field(default=None, description="The service-role key (store=supabase)")
    supabase_timeout_seconds: float = Field(default=10.0, gt=0)
    database_dsn: SecretStr | None = Field(
        default=None, description="PostgreSQL DSN for `booking-bot migrate` (Supabase: the direct connection string)"
    )

    # Stage 2 (docs/llm.md): an LLM for the messages stage 1 is unsure of. Off unless a base URL is set.
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible API root, e.g. .../v1")
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=5.0, gt=0, description="One request to the provider")
    llm_structured_output: Literal["json_schema", "json_object", "off"] = "json_schema"
    llm_max_tokens: int = Field(default=300, ge=50, le=4000)
    llm_time_budget_seconds: float = Field(default=8.0, gt=0, description="Stage 2 of one message, retry included")
    llm_daily_calls_per_company: int = Field(default=500, ge=0)
    llm_breaker_failures: int = Field(default=5, ge=1, description="Consecutive failures that open the circuit")
    llm_breaker_cooldown_seconds: float = Field(default=60.0, gt=0)
    llm_quota: Literal["memory", "redis"] = Field(default="memory", description="redis = one cap for all workers")
    llm_company_providers: dict[str, LLMProvider] = Field(
        default_factory=dict, description='JSON: {"<company id>": {"base_url", "model", "api_key", ...}}'
    )

    @model_validator(mode="after")
    def _llm_configured(self) -> Settings:
        if self.llm_base_url:
            if not self.llm_model:
                raise ValueError("BOOKING_BOT_LLM_BASE_URL is set: set BOOKING_BOT_LLM_MODEL too (see docs/llm.md)")
            LLMProvider(base_url=self.llm_base_url, model=self.llm_model)  # the URL check, with its message
        return self

    @property
    def llm_provider(self) -> LLMProvider | None:
        """The global stage-2 provider, or None when stage 2 is off."""
        if not self.llm_base_url or not self.llm_model:
            return None
        return LLMProvider(
            base_url=self.llm_base_url,
            model=self.llm_model,
            api_key=self.llm_api_key,
            timeout_seconds=self.llm_timeout_seconds,
            structured_output=self.llm_structured_output,
        )

    @model_validator(mode="after")
    def _store_configured(self) -> Settings:
        if self.store == "supabase":
            missing = [
                name
                for name, value in (
                    ("BOOKING_BOT_SUPABASE_URL", self.supabase_url),
                    ("BOOKING_BOT_SUPABASE_KEY", self.supabase_key),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    f"BOOKING_BOT_STORE=supabase needs {' and '.join(missing)} "
                    "(the project URL and its service-role key; see docs/supabase.md)"
                )
            if self.supabase_url and not self.supabase_url.startswith(("https://", "http://")):
                raise ValueError(
                    "BOOKING_BOT_SUPABASE_URL must start with https:// (e.g. https://<project>.supabase.co)"
                )
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "booking_bot.sqlite3"

    @property
    def calendar_path(self) -> Path:
        return self.data_dir / "calendar.sqlite3"
