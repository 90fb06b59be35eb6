"""Claiming due reminders on PostgreSQL: concurrent schedulers never get the same reminder."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from datetime import UTC, datetime, timedelta

import psycopg

from integrations.storage.migrate import apply_migrations
from integrations.storage.rows import to_iso
from tests.supabase.claim_worker import claim_until_empty
from tests.supabase.pg import fresh_database

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _plan(dsn: str, count: int, companies: int = 3) -> list[str]:
    """`count` planned reminders due before NOW, spread over companies; their keys."""
    keys = []
    with psycopg.connect(dsn) as conn:
        for n in range(count):
            company, due = f"salon-{n % companies}", NOW - timedelta(minutes=count - n)
            key = f"reminder:{company}:b{n}:{due.isoformat()}"
            conn.execute(
                "INSERT INTO reminders (company_id, key, booking_id, customer_id, due_at, status)"
                " VALUES (%s, %s, %s, %s, %s, 'planned')",
                (company, key, f"b{n}", f"c{n}", to_iso(due)),
            )
            keys.append(key)
        # One not yet due and one cancelled: never claimed.
        conn.execute(
            "INSERT INTO reminders (company_id, key, booking_id, customer_id, due_at, status) VALUES"
            " ('salon-0', 'future', 'bf', 'cf', %s, 'planned'), ('salon-0', 'gone', 'bg', 'cg', %s, 'cancelled')",
            (to_iso(NOW + timedelta(seconds=1)), to_iso(NOW - timedelta(hours=1))),
        )
    return keys


async def test_two_processes_claiming_at_once_claim_each_reminder_once() -> None:
    with fresh_database() as dsn:
        apply_migrations(dsn)
        keys = _plan(dsn, 300)
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(2)
        results: multiprocessing.Queue[tuple[str, list[str]]] = ctx.Queue()
        processes = [
            ctx.Process(target=claim_until_empty, args=(dsn, name, NOW.isoformat(), 5, barrier, results))
            for name in ("scheduler-a", "scheduler-b")
        ]
        started = time.perf_counter()
        for process in processes:
            process.start()
        claimed = dict([await asyncio.to_thread(results.get, True, 45) for _ in processes])
        for process in processes:
            await asyncio.to_thread(process.join, 10)
            assert process.exitcode == 0
        elapsed = time.perf_counter() - started

        a, b = claimed["scheduler-a"], claimed["scheduler-b"]
        assert len(a) == len(set(a)) and len(b) == len(set(b))
        assert not set(a) & set(b), "a reminder was claimed by both schedulers"
        assert sorted(a + b) == sorted(keys), "every due reminder is claimed"
        with psycopg.connect(dsn) as conn:
            rows = conn.execute("SELECT key, status, claimed_by FROM reminders").fetchall()
        by_key = {key: (status, claimer) for key, status, claimer in rows}
        assert all(by_key[key] == ("claimed", "scheduler-a") for key in a)
        assert all(by_key[key] == ("claimed", "scheduler-b") for key in b)
        assert by_key["future"] == ("planned", None) and by_key["gone"] == ("cancelled", None)
        print(f"claimed 300 in {elapsed:.2f}s: scheduler-a {len(a)}, scheduler-b {len(b)}")


def test_a_claim_in_progress_is_skipped_not_waited_for() -> None:
    """SKIP LOCKED: while one transaction holds its claimed rows, another claims the rest at once."""
    with fresh_database() as dsn:
        apply_migrations(dsn)
        keys = _plan(dsn, 6)
        claim = "SELECT key FROM claim_due_reminders(%s, %s, %s, interval '5 minutes') ORDER BY due_at"
        with psycopg.connect(dsn) as first, psycopg.connect(dsn) as second:
            held = [row[0] for row in first.execute(claim, (to_iso(NOW), 2, "first")).fetchall()]  # not committed
            second.execute("SET statement_timeout = '2s'")  # blocking on first's locks would fail here
            rest = [row[0] for row in second.execute(claim, (to_iso(NOW), 10, "second")).fetchall()]
            second.commit()
            first.commit()
            assert held == keys[:2] and rest == keys[2:]
            assert second.execute(claim, (to_iso(NOW), 10, "third")).fetchall() == []


def test_stale_claim_is_taken_over_but_a_fresh_one_is_not() -> None:
    with fresh_database() as dsn:
        apply_migrations(dsn)
        [key] = _plan(dsn, 1)
        claim = "SELECT key, claimed_by FROM claim_due_reminders(%s, 10, %s, interval '5 minutes')"
        with psycopg.connect(dsn, autocommit=True) as conn:
            assert conn.execute(claim, (to_iso(NOW), "crashed")).fetchall() == [(key, "crashed")]
            # Exactly 5 minutes later the claim is not yet stale (only the next reminder, now due, is claimed).
            assert conn.execute(claim, (to_iso(NOW + timedelta(minutes=5)), "other")).fetchall() == [
                ("future", "other")
            ]
            later = NOW + timedelta(minutes=5, seconds=1)
            assert conn.execute(claim, (to_iso(later), "other")).fetchall() == [(key, "other")]
