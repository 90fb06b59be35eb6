"""The gateway on the real neonize, with WhatsApp out of reach: how its sessions behave and what they cost.

    .venv/bin/python scripts/real_neonize.py scenario --redis-url URL [--companies 5] [--window 3] [--no-preflight]
        [--restarts 1] [--unpaired] [--missing]
    .venv/bin/python scripts/real_neonize.py figures --redis-url URL [--postgres DSN] [--write]

A scenario runs, in this process, the real gateway app (`create_app` with the real `NeonizeFactory`) on Redis and a
SQLite session database into which the companies' paired devices are written directly (keys made up: neonize loads
them, whatsmeow dials, the dial fails). `HTTPS_PROXY` is set to a closed local port before anything dials, so
whatsmeow can never reach WhatsApp even where the machine has a network, and the gateway's preflight (which follows
the proxy as Go does) finds it closed. `--unpaired` adds a company that asks for a QR through the API; `--missing`
one whose number has no device in the session database. It prints one JSON object: every connect attempt's time per
company, the states and details reached, the QR answer, threads / RSS / open files before, during and after, the
clients built, and how long stopping took. `tests/gateway/real/` runs it as a subprocess and checks the figures
(a Go panic kills the process, which the test sees). `figures` runs the scenarios of docs/performance.md and prints
(or, with --write, replaces) its section "Real neonize sessions".
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import gc
import json
import os
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN_TOKEN = "admin-token-for-the-real-neonize-run-" + "x" * 16
DB_NAME = "whatsapp_sessions.sqlite3"
PERFORMANCE = ROOT / "docs" / "performance.md"
SECTION = "## Real neonize sessions"
OFFLINE = "BOOKING_BOT_REAL_NEONIZE_OFFLINE"
SCENARIO_TIMEOUT_SECONDS = 90.0


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def offline_env() -> dict[str, str]:
    """The environment that keeps whatsmeow away from WhatsApp: every HTTPS dial goes to a closed local port."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy")}
    env["HTTPS_PROXY"] = f"http://127.0.0.1:{closed_port()}"
    env[OFFLINE] = "1"
    return env


def offline() -> None:
    """Go reads the environment the process was started with (not later changes): start again with the proxy."""
    if os.environ.get(OFFLINE) != "1":
        os.execve(sys.executable, [sys.executable, *sys.argv], offline_env())


def vitals(database: Path | None = None) -> dict[str, Any]:
    """Threads (Python's and the OS's, Go's included), resident memory, open files, and those on the session DB."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    targets = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            targets.append(str(fd.readlink()))
        except OSError:
            continue
    return {
        "python_threads": threading.active_count(),
        "os_threads": int(status["Threads"].split()[0]),
        "rss_kb": int(status["VmRSS"].split()[0]),
        "open_files": len(targets),
        "db_files": sum(1 for target in targets if database is not None and target.startswith(str(database))),
        "thread_names": sorted(thread.name for thread in threading.enumerate()),
    }


def add_paired_devices(database: Path, numbers: list[str]) -> None:
    """Paired devices as whatsmeow stores them (device 7 of each number), with keys made up."""
    key, signature = (lambda: os.urandom(32)), (lambda: os.urandom(64))
    with sqlite3.connect(database) as db:
        for number in numbers:
            # noise, identity, signed pre-key, its signature, ADV key, account signature + key, device signature
            made_up = (key(), key(), key(), signature(), key(), signature(), key(), signature())
            db.execute(
                "INSERT INTO whatsmeow_device (jid, registration_id, noise_key, identity_key, signed_pre_key,"
                " signed_pre_key_id, signed_pre_key_sig, adv_key, adv_details, adv_account_sig, adv_account_sig_key,"
                " adv_device_sig) VALUES (?, 4242, ?, ?, ?, 1, ?, ?, x'00', ?, ?, ?)",
                (f"{number}:7@s.whatsapp.net", *made_up),
            )


class Attempts:
    """Every connect attempt's time, per company (wrapping the session's connect_once)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.seconds: list[float] = []
        self.built = 0

    def install(self) -> None:
        from integrations.whatsapp.session import CompanySession

        original = CompanySession.connect_once
        attempts = self

        async def counted(session: CompanySession) -> bool:
            started = time.monotonic()
            attempts.times.setdefault(session.company_id, []).append(started)
            try:
                return await original(session)
            finally:
                attempts.seconds.append(time.monotonic() - started)

        CompanySession.connect_once = counted  # type: ignore[method-assign]


def counting_factory(database: Path, attempts: Attempts) -> Any:
    from integrations.whatsapp.client import NeonizeFactory, WhatsAppClient

    class Counting(NeonizeFactory):
        def resume(self, company_id: str, jid_user: str) -> WhatsAppClient:
            client = super().resume(company_id, jid_user)
            attempts.built += 1
            return client

        def new_device(self, company_id: str) -> WhatsAppClient:
            attempts.built += 1
            return super().new_device(company_id)

    return Counting(database)


def settings_for(redis_url: str, data_dir: Path, preflight: bool) -> Any:
    from booking_bot.settings import Settings

    values: dict[str, Any] = {
        "broker": "redis",
        "redis_url": redis_url,
        "data_dir": data_dir,
        "admin_token": ADMIN_TOKEN,
        "gateway_id": "gw-real",
        "gateway_lease_ttl_seconds": 2.0,
        "gateway_lease_renew_seconds": 0.2,
        "gateway_connect_backoff_base_seconds": 0.2,
        "gateway_connect_backoff_cap_seconds": 1.0,
        "gateway_connect_preflight": preflight,
        "gateway_shutdown_seconds": 2.0,
        "gateway_max_companies": 50,
        "api_new_code_interval_seconds": 0,
        "log_level": "WARNING",
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def gateway(settings: Any, factory: Any) -> AsyncIterator[str]:
    """The gateway app served on a free local port; yields its base URL; stops it (timed by the caller)."""
    from aiohttp import web

    from booking_bot.gateway.app import create_app

    runner = web.AppRunner(create_app(settings, factory))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def ask_for_a_qr(base: str, company_id: str) -> dict[str, Any]:
    """Create the company, start a pairing, ask for the QR: what the staff page does."""
    import aiohttp

    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    started = time.monotonic()
    async with aiohttp.ClientSession(base, timeout=aiohttp.ClientTimeout(total=20)) as http:
        async with http.post("/api/v1/companies", json={"id": company_id, "name": "Unpaired"}, headers=admin) as r:
            assert r.status == 201, await r.text()
        session_url = f"/api/v1/companies/{company_id}/session"
        for _ in range(100):  # the lease round takes the company
            async with http.get(session_url, headers=admin) as r:
                if (await r.json())["state"] == "unpaired":
                    break
            await asyncio.sleep(0.05)
        async with http.post(session_url + "/pairing", headers=admin) as r:
            pairing = r.status
        answer: dict[str, Any] = {"pairing_status": pairing}
        for _ in range(100):  # the pairing ends at once when WhatsApp cannot be reached
            async with http.get(session_url + "/qr", headers=admin) as r:
                answer.update(status=r.status, retry_after=r.headers.get("Retry-After"))
                answer["body"] = await r.json() if r.content_type == "application/json" else None
            if r.status != 404:
                break
            await asyncio.sleep(0.05)
        async with http.get(session_url, headers=admin) as r:
            view = await r.json()
        answer.update(state=view["state"], detail=view["detail"], seconds=round(time.monotonic() - started, 3))
    return answer


async def scenario(args: argparse.Namespace) -> dict[str, Any]:
    from redis.asyncio import Redis

    from integrations import redis_keys as keys
    from integrations.whatsapp.client import load_neonize

    load_neonize()
    work = Path(tempfile.mkdtemp(prefix="bb-real-neonize-"))
    database = work / DB_NAME
    attempts = Attempts()
    attempts.install()
    factory = counting_factory(database, attempts)
    factory.migrate()  # the schema, so the devices can be written (the gateway's own migrate is then a no-op)
    numbers = [f"1555{7000000 + n:07d}" for n in range(args.companies)]
    add_paired_devices(database, numbers)
    factory._list_devices()  # the devices as the gateway will find them (listed again after writing them)
    companies = {f"real-{n:02d}": number for n, number in enumerate(numbers)}
    if args.missing:
        companies["real-missing"] = "15559999999"  # paired once, its device gone from the session database
    redis = Redis.from_url(args.redis_url)
    await redis.flushdb()
    for company_id, number in companies.items():
        await redis.hset(keys.JIDS, company_id, number)  # type: ignore[misc]
        await redis.sadd(keys.COMPANIES, company_id)  # type: ignore[misc]
    settings = settings_for(args.redis_url, work, not args.no_preflight)
    import aiohttp  # noqa: F401 - imported before `before`: the figures are the sessions', not the imports'

    import booking_bot.gateway.app  # noqa: F401

    before = vitals(database)
    runs: list[dict[str, Any]] = []
    result: dict[str, Any] = {"companies": args.companies, "preflight": not args.no_preflight, "window": args.window}
    for run in range(args.restarts):
        attempts.times.clear()
        async with gateway(settings, factory) as base:
            started = time.monotonic()  # the window counts from a served app (the first start imports more)
            if args.unpaired and run == 0:
                result["qr"] = await ask_for_a_qr(base, "real-unpaired")
            await asyncio.sleep(max(0.0, args.window - (time.monotonic() - started)))
            during = vitals(database)
            states = {}
            for company_id in companies:
                status = await redis.hgetall(keys.status(company_id))  # type: ignore[misc]
                states[company_id] = {k.decode(): v.decode() for k, v in status.items()}
            stopping = time.monotonic()
        stopped = time.monotonic()
        # The app installed its own default executor (size_default_executor); the previous run's, unreferenced now,
        # lets its threads go when collected. Threads a stop lets go of have ended after this.
        gc.collect()
        await asyncio.sleep(0.3)
        runs.append(
            {
                "attempts": {c: [round(t - started, 3) for t in times] for c, times in attempts.times.items()},
                "states": {c: s.get("state") for c, s in states.items()},
                "details": {c: s.get("detail") for c, s in states.items()},
                "during": during,
                "after": vitals(database),
                "stop_seconds": round(stopped - stopping, 3),
                "built": attempts.built,
            }
        )
    await redis.flushdb()
    await redis.aclose()
    result.update(before=before, runs=runs, attempt_seconds=sorted(attempts.seconds), built=attempts.built)
    return result


def run_scenario(
    redis_url: str, *options: str, timeout: float = SCENARIO_TIMEOUT_SECONDS
) -> tuple[dict[str, Any], str]:
    """The scenario in a fresh process (a Go panic takes only it down): its JSON and what it wrote to stderr."""
    import subprocess

    command = [sys.executable, str(Path(__file__).resolve()), "scenario", "--redis-url", redis_url, *options]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False, env=offline_env()
    )
    if done.returncode != 0:
        raise RuntimeError(f"scenario {options} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def measured(redis_url: str, companies: int, *options: str, tries: int = 1) -> dict[str, Any]:
    """A scenario whose every run saw each number make `tries` connect attempts or more. A run that did not (Redis
    flushed under it by another process sharing the database, a machine too busy) gives no figure: it is run once
    more, then the reason is raised."""
    for _ in range(2):
        result, stderr = run_scenario(redis_url, *options)
        short = [
            n
            for n, run in enumerate(result["runs"])
            if sum(1 for c, t in run["attempts"].items() if c[5:].isdigit() and len(t) >= tries) != companies
        ]
        if not short:
            return result
        print(f"scenario {options}: run(s) {short} saw a number try fewer than {tries} times", file=sys.stderr)
    raise RuntimeError(f"scenario {options} twice without every number trying:\n{stderr[-4000:]}")


def figures(redis_url: str, postgres: str | None) -> str:
    """docs/performance.md's section, measured now."""
    rows = []
    retries: list[list[float]] = []
    for companies in (1, 5, 20):
        guarded = measured(redis_url, companies, "--companies", str(companies), "--window", "4", tries=3)
        real = measured(redis_url, companies, "--companies", str(companies), "--window", "4", "--no-preflight", tries=3)
        g, r = guarded["runs"][0], real["runs"][0]
        base_mb = (g["during"]["rss_kb"] - guarded["before"]["rss_kb"]) / 1024
        clients_mb = (r["during"]["rss_kb"] - real["before"]["rss_kb"]) / 1024 - base_mb
        rows.append(
            (
                companies,
                base_mb,
                g["during"]["os_threads"] - guarded["before"]["os_threads"],
                g["built"],
                g["after"]["db_files"] - guarded["before"]["db_files"],
                r["built"],
                clients_mb,
                r["during"]["os_threads"] - real["before"]["os_threads"],
                r["after"]["db_files"] - real["before"]["db_files"],
                max(g["stop_seconds"], r["stop_seconds"]),
            )
        )
        if companies == 20:
            retries = [times for c, times in r["attempts"].items() if c[5:].isdigit()]
    restarts = measured(redis_url, 2, "--companies", "2", "--window", "0.8", "--no-preflight", "--restarts", "10")
    attempt_ms = [s * 1000 for s in restarts["attempt_seconds"] if s > 0.002]  # real dials, not the missing-device
    per_client = sum(row[6] for row in rows) / sum(row[5] for row in rows)
    per_number_mb = (rows[-1][1] - rows[0][1]) / (rows[-1][0] - rows[0][0])
    lines = [
        SECTION,
        "",
        "Printed by `scripts/real_neonize.py figures --redis-url URL --postgres DSN --write`, which replaces",
        "this section (the figures below are its last run, on the development machine). The real gateway (neonize",
        "0.5.2 and its Go library, a SQLite session database) holds that many paired numbers for 4 s while WhatsApp",
        "cannot be reached (every dial refused; connect backoff 0.2 s doubling to 1 s). First with the preflight (the",
        "default: no neonize client is built while WhatsApp does not answer), then without it, so that every attempt",
        "builds a real neonize client. RSS and threads are counted from the process with neonize and the gateway's",
        "code already loaded.",
        "",
        "| numbers | preflight: gateway RSS | OS threads | clients built | DB handles left after stop | "
        "without preflight: clients built | RSS they added | OS threads | DB handles left after stop | stop |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {n} | +{base:.1f} MB | +{threads} | {built} | {handles} | {real_built} | +{real_mb:.1f} MB | "
        f"+{real_threads} | {real_handles} | {stop:.2f} s |"
        for n, base, threads, built, handles, real_built, real_mb, real_threads, real_handles, stop in rows
    ]
    first, last = restarts["runs"][0]["after"], restarts["runs"][-1]["after"]
    median = sorted(attempt_ms)[len(attempt_ms) // 2]
    lines += [
        "",
        f"- Per idle session (a number waiting for WhatsApp, with the preflight): {per_number_mb:+.2f} MB of RSS; "
        f"OS threads {rows[-1][2] - rows[0][2]:+d} from 1 to 20 numbers. Each neonize client built costs about "
        f"{per_client:.2f} MB of RSS and one session-database handle that neonize never gives back, even after the "
        "client is stopped (the gateway process keeps them until it exits).",
        f"- A connect attempt of the real client while unreachable fails in {min(attempt_ms):.0f}–"
        f"{max(attempt_ms):.0f} ms (median {median:.0f} ms); the next one waits its jittered backoff.",
        f"- Reconnect timing of the real clients, 20 numbers without the preflight: {retry_schedule(retries)}.",
        f"- 10 restarts of a gateway with 2 numbers in one process: OS threads {first['os_threads']} → "
        f"{last['os_threads']}, Python threads {first['python_threads']} → {last['python_threads']}, RSS "
        f"{first['rss_kb'] / 1024:.0f} → {last['rss_kb'] / 1024:.0f} MB for "
        f"{restarts['runs'][-1]['built'] - restarts['runs'][0]['built']} more clients built.",
    ]
    took = sorted(asyncio.run(watchdog_timing(redis_url)))
    lines += [
        f"- Watchdog reconnect of a deaf number, on the fake neonize: from its unanswered probe to the message that "
        f"waited on the server accepted through the new connection, {took[0] * 1000:.0f}–{took[-1] * 1000:.0f} ms "
        f"(median {took[len(took) // 2] * 1000:.0f} ms) over {len(took)} runs (the old client stopped, a new one "
        "built and connected, the offline queue and history sync through the gate)."
    ]
    if postgres:
        lines += [f"- {postgres_leak(postgres)}"]
    lines += [
        "",
        "What no offline run can show is a linked, connected number's own memory (its Signal sessions, app state,",
        "the history sync it receives): that needs a real phone. The WhatsApp gateway projects report 80–200 MB per",
        "connected session; plan a gateway's `GATEWAY_MAX_COMPANIES` with that, plus the handle neonize leaves open",
        'per client built (docs/gateway.md, "The real neonize"), and restart gateways now and then.',
    ]
    return "\n".join(lines) + "\n"


def retry_schedule(attempts: list[list[float]]) -> str:
    """The gaps between a number's connect attempts, by attempt (min–max over the numbers), and when every number
    had made its first attempt (they connect one at a time)."""
    gaps: dict[int, list[float]] = {}
    for times in attempts:
        for n, (earlier, later) in enumerate(pairwise(times)):
            gaps.setdefault(min(n, 3), []).append(later - earlier)
    shown = [
        f"{'retry ' + str(n + 1) if n < 3 else 'later retries'} after {min(g):.2f}–{max(g):.2f} s"
        for n, g in sorted(gaps.items())
    ]
    firsts = [times[0] for times in attempts if times]
    return (
        f"{'; '.join(shown)} (the backoff's half-to-full jitter, plus the wait behind the other numbers' attempts: "
        f"they connect one at a time); every number's first attempt within {max(firsts):.2f} s of the start"
    )


async def watchdog_timing(redis_url: str, runs: int = 5) -> list[float]:
    """On the fake neonize (tests/gateway/test_watchdog.py's fast settings: cap 0.6 s, probe 0.3 s): seconds from
    the unanswered probe's end to the message that waited on the server accepted through the new connection."""
    return [await _one_deaf_number(redis_url, f"t{run}") for run in range(runs)]


async def _one_deaf_number(redis_url: str, message_id: str) -> float:
    from booking_bot.domain import Company
    from booking_bot.gateway.app import RUNTIME
    from integrations import redis_keys as keys
    from tests.api.harness import gateway_settings, running_gateway
    from tests.fakes.neonize_fake import FakeWhatsApp, jid, message_event
    from tests.gateway.test_watchdog import FAST

    number = "15550008888"
    with tempfile.TemporaryDirectory() as data:
        async with running_gateway(gateway_settings(redis_url, Path(data), **FAST)) as gw:
            await gw.redis.flushdb()
            await gw.ctx.store.upsert_company(Company(id="timed", name="Timed"))
            await gw.redis.hset(keys.JIDS, "timed", number)  # type: ignore[misc]
            await gw.redis.sadd(keys.COMPANIES, "timed")  # type: ignore[misc]
            await gw.wait_state("timed", "connected")
            server, runtime = FakeWhatsApp(gw.redis), gw.app[RUNTIME]
            watchdog, unanswered = runtime.manager.watchdog, list[float]()
            probe = watchdog.probe

            async def timed(session: Any, watch: Any = None) -> str | None:
                why = await probe(session, watch)
                if why is not None:
                    unanswered.append(time.monotonic())
                return why

            watchdog.probe = timed  # type: ignore[method-assign]
            await server.silence(number)
            await server.deliver(number, message_event(message_id, jid("351910000000"), text="hello?"))
            deadline = time.monotonic() + 10
            while runtime.gate.accepted < 1:
                assert time.monotonic() < deadline, "the deaf number's message was never accepted"
                await asyncio.sleep(0.002)
            assert unanswered, "accepted without a reconnect"
            return time.monotonic() - unanswered[0]


def postgres_leak(dsn: str) -> str:
    """PostgreSQL connections left open per neonize client built (new-device clients, dial failing)."""
    import subprocess

    code = (
        "import asyncio, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from integrations.whatsapp.client import NeonizeFactory\n"
        "async def main():\n"
        f"    f = NeonizeFactory({dsn!r}); f.migrate()\n"
        "    for n in range(5):\n"
        "        c = f.new_device('pg'); t = await c.connect()\n"
        "        try: await t\n"
        "        except Exception: pass\n"
        "        await c.disconnect(); await c.stop()\n"
        "    await asyncio.sleep(0.5); print('done', flush=True); await asyncio.sleep(30)\n"
        "asyncio.run(main())\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=offline_env()
    )
    assert child.stdout is not None
    child.stdout.readline()
    try:
        import psycopg

        with psycopg.connect(dsn.split("?")[0].replace("postgres://", "postgresql://")) as db:
            count = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
    finally:
        child.kill()
        child.wait()
    return (
        f"On a PostgreSQL session database, one migrate and 5 client builds left {count[0] if count else '?'} "
        "connections open in the process until it exited."
    )


def write_section(text: str) -> None:
    current = PERFORMANCE.read_text(encoding="utf-8")
    if SECTION in current:
        head, _, tail = current.partition(SECTION)
        rest = tail.split("\n## ", 1)
        current = head + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    PERFORMANCE.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="real_neonize.py")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("scenario")
    one.add_argument("--redis-url", required=True)
    one.add_argument("--companies", type=int, default=5)
    one.add_argument("--window", type=float, default=3.0)
    one.add_argument("--no-preflight", action="store_true")
    one.add_argument("--restarts", type=int, default=1)
    one.add_argument("--unpaired", action="store_true")
    one.add_argument("--missing", action="store_true")
    all_ = commands.add_parser("figures")
    all_.add_argument("--redis-url", required=True)
    all_.add_argument("--postgres", default=None, help="a lib/pq DSN of an empty database, for the connection leak")
    all_.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "scenario":
        offline()
        # A scenario that hangs prints where every thread is, for run_scenario's error, before its timeout hits.
        faulthandler.dump_traceback_later(SCENARIO_TIMEOUT_SECONDS - 10, exit=True)
        print(json.dumps(asyncio.run(scenario(args))))
        return 0
    text = figures(args.redis_url, args.postgres)
    if args.write:
        write_section(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
