"""What every part of the SQLite store stands on: the database (`sqlite_db.SqliteDatabase`) and the clock."""

from __future__ import annotations

from pathlib import Path

from booking_bot.ports import Clock
from integrations.storage.rows import to_iso
from integrations.storage.sqlite_db import SqliteDatabase


class SqliteStoreBase(SqliteDatabase):
    """The connection, its lock and helpers, and "now" as stored text; the role mixins build on it."""

    def __init__(self, path: str | Path, schema: str, clock: Clock) -> None:
        super().__init__(path, schema)
        self._clock = clock

    def _now(self) -> str:
        return to_iso(self._clock())
