"""Settings from the environment (prefix BOOKING_BOT_) and an optional .env file, validated at start-up."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BrokerKind(StrEnum):
    STUB = "stub"  # in-process (demo, tests)
    REDIS = "redis"


class Settings(BaseSettings):
    """Every setting of every process. `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="BOOKING_BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"), description="Where SQLite files live (embedded default)")
    broker: BrokerKind = BrokerKind.STUB
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    locales_dir: Path = PROJECT_ROOT / "locales"
    conversation_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    offered_slots: int = Field(default=6, ge=1, le=12, description="How many free times to offer at once")
    reply_timeout_seconds: float = Field(default=30.0, gt=0, description="Demo: how long the chat API waits")
    log_level: str = "INFO"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "booking_bot.sqlite3"

    @property
    def calendar_path(self) -> Path:
        return self.data_dir / "calendar.sqlite3"
