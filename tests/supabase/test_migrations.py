"""The migrations on a real PostgreSQL: they apply on an empty database, re-apply as no-ops, and guard history."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import psycopg
import pytest

from integrations.storage.migrate import MIGRATIONS_DIR, MigrationError, apply_migrations, load_migrations, main
from tests.supabase.pg import fresh_database

TABLES = {"companies", "customers", "inbound", "outbound", "bookings", "reminders", "booking_intents"}


def _catalog(dsn: str) -> dict[str, object]:
    with psycopg.connect(dsn) as conn:
        tables = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT relname, relrowsecurity FROM pg_class"
                " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
            )
        }
        uniques = {
            row[0]
            for row in conn.execute(
                "SELECT conname FROM pg_constraint"
                " WHERE connamespace = 'public'::regnamespace AND contype IN ('u', 'p')"
            )
        }
        functions = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT proname, has_function_privilege('public', oid, 'EXECUTE') FROM pg_proc"
                " WHERE pronamespace = 'public'::regnamespace"
            )
        }
        history = conn.execute("SELECT version, name FROM booking_bot_migrations ORDER BY version").fetchall()
    return {"tables": tables, "uniques": uniques, "functions": functions, "history": history}


def test_migrations_apply_on_an_empty_database_and_are_idempotent() -> None:
    with fresh_database() as dsn:
        assert apply_migrations(dsn) == [m.version for m in load_migrations()]
        first = _catalog(dsn)
        tables = first["tables"]
        assert isinstance(tables, dict)
        assert set(tables) >= TABLES
        assert all(tables[name] for name in TABLES), "row-level security is on for every store table"
        assert {
            "inbound_message_unique",
            "outbound_idempotency_unique",
            "reminders_key_unique",
            "booking_intents_key_unique",
        } <= first["uniques"]  # type: ignore[operator]
        assert first["functions"] == {
            "begin_booking_intent": False,
            "replace_reminders": False,
            "claim_due_reminders": False,
            "company_activity": False,
            "delete_webhook_endpoint": False,
            "claim_waitlist_openings": False,
            "hold_waitlist_opening": False,
            "finish_waitlist_offer": False,
            "mark_visit": False,
            "claim_due_followups": False,
        }, "the rpc functions exist and PUBLIC may not execute them"

        assert apply_migrations(dsn) == []  # recorded: nothing to do
        with psycopg.connect(dsn, autocommit=True) as conn:  # the files themselves re-apply cleanly (Supabase CLI)
            for migration in load_migrations():
                conn.execute(migration.sql.encode())
        assert _catalog(dsn) == first


def test_concurrent_migrate_runs_apply_once() -> None:
    with fresh_database() as dsn:
        results: list[list[str]] = []
        errors: list[BaseException] = []

        def run() -> None:
            try:
                results.append(apply_migrations(dsn))
            except BaseException as exc:  # collected and re-raised below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert sorted(results) == [[], [], [m.version for m in load_migrations()]]


def test_editing_an_applied_migration_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder)
    with fresh_database() as dsn:
        apply_migrations(dsn, folder)
        first = sorted(folder.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- edited\n")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            apply_migrations(dsn, folder)


def test_badly_named_migration_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "add-things.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match=r"NNNN_name\.sql"):
        load_migrations(tmp_path)


def test_migrate_command(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with fresh_database() as dsn:
        assert main(["--dsn", dsn]) == 0
        versions = [m.version for m in load_migrations()]
        assert f"applied {len(versions)} migration(s): {', '.join(versions)}" in capsys.readouterr().out
        monkeypatch.setenv("BOOKING_BOT_DATABASE_DSN", dsn)
        assert main([]) == 0
        assert "up to date" in capsys.readouterr().out
    monkeypatch.delenv("BOOKING_BOT_DATABASE_DSN")
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    assert main([]) == 1
    assert "set BOOKING_BOT_DATABASE_DSN or pass --dsn" in capsys.readouterr().err


def test_migrate_command_reports_an_unreachable_database_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--dsn", "postgresql://postgres:hunter2-secret@127.0.0.1:1/nowhere?connect_timeout=2"]) == 1
    err = capsys.readouterr().err
    assert "database error" in err and "hunter2-secret" not in err
