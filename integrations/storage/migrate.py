"""Apply the store's SQL migrations (`integrations/storage/migrations/NNNN_name.sql`) to a PostgreSQL database.

`booking-bot migrate [--dsn DSN]` runs `main`. Each file is applied once, in version order, in its own transaction,
and recorded in `booking_bot_migrations` with its SHA-256; a session-level advisory lock makes concurrent runs
(several processes starting at once) wait for each other. Running it again applies nothing. A file that was changed
after it was applied is an error: write a new migration instead.

The files themselves are idempotent too, so the same folder can be applied with the Supabase CLI.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_FILE_NAME = re.compile(r"^(\d+)_([a-z0-9_]+)\.sql$")
# pg_advisory_lock key: an arbitrary constant that names "booking-bot migrations" in this database.
_LOCK_KEY = 0x62B0_0C_0001

log = logging.getLogger(__name__)


class MigrationError(Exception):
    """The migrations folder or the database's migration history is not what it must be."""


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The folder's migrations in version order; any other `.sql` name is an error."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        migrations.append(Migration(version=match[1], name=match[2], sql=path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration versions in {directory}")
    return sorted(migrations, key=lambda m: int(m.version))


def apply_migrations(dsn: str, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the pending migrations; returns the versions applied by this call (empty when up to date)."""
    migrations = load_migrations(directory)
    applied_now: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS booking_bot_migrations ("
                " version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            rows = conn.execute("SELECT version, checksum FROM booking_bot_migrations").fetchall()
            history = {str(version): str(checksum) for version, checksum in rows}
            for migration in migrations:
                recorded = history.get(migration.version)
                if recorded is not None:
                    if recorded != migration.checksum:
                        raise MigrationError(
                            f"migration {migration.version}_{migration.name} changed after it was applied;"
                            " add a new migration instead of editing an applied one"
                        )
                    continue
                with conn.transaction():
                    conn.execute(migration.sql.encode())  # several statements: the simple query protocol
                    conn.execute(
                        "INSERT INTO booking_bot_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
                log.info("applied migration %s_%s", migration.version, migration.name)
                applied_now.append(migration.version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied_now


def main(argv: Sequence[str] | None = None) -> int:
    """`booking-bot migrate`: 0 when the database is up to date, 1 on an error (printed without the DSN)."""
    parser = argparse.ArgumentParser(prog="booking-bot migrate", description="apply the store's SQL migrations")
    parser.add_argument("--dsn", help="PostgreSQL DSN (default: BOOKING_BOT_DATABASE_DSN)")
    parser.add_argument("--dir", type=Path, default=MIGRATIONS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    dsn: str | None = args.dsn
    if dsn is None:
        from booking_bot.settings import Settings

        configured = Settings().database_dsn
        dsn = configured.get_secret_value() if configured is not None else None
    if not dsn:
        print("booking-bot migrate: set BOOKING_BOT_DATABASE_DSN or pass --dsn", file=sys.stderr)
        return 1
    try:
        applied = apply_migrations(dsn, args.dir)
    except MigrationError as exc:
        print(f"booking-bot migrate: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        # psycopg's messages name the host and database, never the password.
        print(f"booking-bot migrate: database error: {exc}", file=sys.stderr)
        return 1
    if applied:
        print(f"applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        print("database is up to date")
    return 0
