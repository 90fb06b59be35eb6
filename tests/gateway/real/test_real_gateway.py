"""The gateway on the real neonize (its Go library, a SQLite session database), with WhatsApp out of reach: each
scenario is `scripts/real_neonize.py scenario` in a fresh process whose HTTPS dials all go to a closed local port
(a Go panic kills that process, not the test run). What it reports is checked here.

neonize 0.5.2 opens the session database anew for every client it builds and never closes it (one file handle
here, one PostgreSQL connection per client on a DSN) and keeps ~0.25 MB of Go memory per client: that is why the
gateway dials before it builds (the preflight), and the bounds below allow exactly that much and no more.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest

from scripts.real_neonize import run_scenario

BASE, CAP = 0.2, 1.0  # the scenario's connect backoff
SLACK = 0.35  # connects run one at a time: a retry may wait behind the other numbers' attempts
THREADS = re.compile(r"^(MainThread|Thread-\d+ \(_worker\)|neonize_\d+)$")  # main, neonize's log pump, the executor
PER_CLIENT_MB = 0.4
EXECUTOR = re.compile(r"^neonize_\d+$")  # the default executor's workers, started as calls need them
POOL_BOUND = 4  # two numbers: at most a few calls at once
# Each test is a whole process or two (~5-20 s here); a loaded machine may double that: the scenario's own limit
# (scripts/real_neonize.py, 90 s, with every thread's stack printed at 80 s) decides, not the suite's 60 s.
pytestmark = pytest.mark.timeout(120)


def scenario(redis_url: str, *options: str) -> dict[str, Any]:
    result, stderr = run_scenario(redis_url, *options)
    assert "panic:" not in stderr and "SIGSEGV" not in stderr
    return result


def assert_capped_backoff_with_jitter(attempts: dict[str, list[float]], window: float) -> None:
    """Attempt n waits between half and all of min(cap, base·2ⁿ): never a busy loop, and not in step."""
    for times in attempts.values():
        assert 3 <= len(times) <= 2 + window / (BASE / 2)  # a busy loop would make hundreds
        for n, (earlier, later) in enumerate(pairwise(times)):
            ceiling = min(CAP, BASE * 2**n)
            assert ceiling / 2 - 0.02 <= later - earlier <= ceiling + SLACK, (n, later - earlier)
    if len(attempts) >= 5:
        second_gaps = {round(times[2] - times[1], 3) for times in attempts.values()}
        assert len(second_gaps) > len(attempts) // 2  # jittered: the numbers do not retry together


def assert_stopped_cleanly(run: dict[str, Any], before: dict[str, Any]) -> None:
    after = run["after"]
    assert run["stop_seconds"] < 5
    assert all(THREADS.match(name) for name in after["thread_names"]), after["thread_names"]
    assert after["os_threads"] <= run["during"]["os_threads"]  # nothing started by the stop itself
    assert after["db_files"] <= before["db_files"] + run["built"]  # neonize's one handle per client, no more


@pytest.mark.parametrize("companies", [1, 5, 20])
def test_real_clients_for_1_5_20_numbers_retry_with_capped_backoff_and_jitter_not_a_busy_loop(
    redis_url: str, companies: int
) -> None:
    extra = ("--unpaired", "--missing") if companies == 1 else ()
    result = scenario(redis_url, "--companies", str(companies), "--window", "3", "--no-preflight", *extra)
    run = result["runs"][0]
    paired = {c: t for c, t in run["attempts"].items() if c.startswith("real-") and c[5:].isdigit()}
    assert len(paired) == companies
    assert_capped_backoff_with_jitter(paired, 3.0)
    # each attempt a real neonize client — but the window may close while a number's last attempt is still building
    # its client (counted once built): at most one attempt a number in flight (seen with 20 numbers: 117 of 118)
    attempts = sum(len(times) for times in paired.values())
    assert run["built"] >= attempts - companies
    for company_id in paired:
        assert run["states"][company_id] in ("connecting", "failed")
        if run["states"][company_id] == "failed":
            assert re.match(
                r"connect failed \(NeonizeError: .*connection refused\); next try in \d+\.\d s$",
                run["details"][company_id],
            )
    if companies == 1:
        # A number the session database lost: logged out with a reason, not a nil pointer in Go (the process lives).
        assert run["states"]["real-missing"] == "logged_out"
        assert "no device for this number" in run["details"]["real-missing"]
        qr = result["qr"]  # the real new-device client fails to dial before any QR: said so at once
        assert qr["pairing_status"] == 202 and qr["status"] == 503 and qr["retry_after"] == "60"
        assert qr["body"]["error"] == "whatsapp_unreachable" and qr["seconds"] < 5
        assert qr["state"] == "unpaired" and qr["detail"].startswith("WhatsApp not reachable yet")
    assert_stopped_cleanly(run, result["before"])


def test_while_whatsapp_is_unreachable_the_gateway_builds_no_client_and_leaves_nothing_open(redis_url: str) -> None:
    result = scenario(redis_url, "--companies", "20", "--window", "3", "--unpaired", "--missing")
    run, before = result["runs"][0], result["before"]
    assert run["built"] == 0
    paired = {c: t for c, t in run["attempts"].items() if c[5:].isdigit()}
    assert_capped_backoff_with_jitter(paired, 3.0)
    assert {run["states"][c] for c in paired} <= {"connecting", "failed"}
    assert all(
        "WhatsApp not reachable (ConnectionRefusedError" in run["details"][c]
        for c in paired
        if run["states"][c] == "failed"
    )
    assert run["states"]["real-missing"] == "failed"  # found missing once WhatsApp answers: nothing was built
    assert result["qr"]["status"] == 503 and result["qr"]["seconds"] < 5
    assert_stopped_cleanly(run, before)
    assert run["after"]["db_files"] == before["db_files"]
    assert run["after"]["python_threads"] == before["python_threads"]


def test_ten_restarts_leak_no_threads_and_no_memory_beyond_neonizes_own_per_client(redis_url: str) -> None:
    result = scenario(redis_url, "--companies", "2", "--window", "0.8", "--no-preflight", "--restarts", "10")
    runs, before = result["runs"], result["before"]
    assert len(runs) == 10 and all(run["built"] > 0 for run in runs[:1])
    names = [run["after"]["thread_names"] for run in runs]
    others = [sorted(name for name in run if not EXECUTOR.match(name)) for run in names]
    assert all(run == others[0] for run in others), others  # no thread but the executor's stays after a stop
    # The executor's idle workers (each start installs its own; the one before is collected): a leaked executor
    # per restart would show as 10 or more.
    pool = [sum(1 for name in run if EXECUTOR.match(name)) for run in names]
    assert max(pool) <= POOL_BOUND, pool
    native = [run["after"]["os_threads"] - run["after"]["python_threads"] for run in runs]
    assert max(native[1:]) - min(native[1:]) <= 2, native  # Go's own threads: one per restart would show as 9+
    built_since = runs[-1]["built"] - runs[0]["built"]
    grown_mb = (runs[-1]["after"]["rss_kb"] - runs[0]["after"]["rss_kb"]) / 1024
    assert grown_mb <= built_since * PER_CLIENT_MB + 4.0, (grown_mb, built_since)  # a leaked stack per restart: more
    for run in runs:
        assert_stopped_cleanly(run, before)
