"""ecosystem.config.js under real PM2 (npm's pm2, installed into .pm2-runtime by scripts/services.sh): gateway (fake
neonize clients), two workers and the scheduler against the local Redis and PostgreSQL (the Supabase store through
the fake PostgREST), a simulated message answered and handed to the fake WhatsApp, then `pm2 delete` + `pm2 kill`
with a private PM2_HOME, leaving no process behind, also when the test fails."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from redis.asyncio import Redis

from booking_bot.domain import Company
from booking_bot.settings import PROJECT_ROOT
from integrations import redis_keys as keys
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from integrations.scheduling.builtin.demo_salon import DEMO_HOURS, DEMO_SERVICES, DEMO_STAFF
from tests.fakes.neonize_fake import FakeWhatsApp, jid, message_event
from tests.supabase.pg import SERVICE_KEY, supabase_stack

PM2 = PROJECT_ROOT / ".pm2-runtime" / "node_modules" / ".bin" / "pm2"
CONFIG = Path(__file__).with_name("pm2.fake-gateway.config.js")
ADMIN_TOKEN = "pm2-test-admin-token-0123456789abcdef"
COMPANY, NUMBER = "salon-pm2", "15550007777"
EXPECTED_APPS = {"gateway": 1, "worker": 2, "scheduler": 1}  # the real file's defaults


def now() -> datetime:
    return datetime.now(UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def processes_of(home: str) -> list[int]:
    """Every live process whose environment names this PM2_HOME: the daemon and everything it started."""
    marker = f"PM2_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                status = (entry / "status").read_text()
                if "\nState:\tZ" not in status:
                    found.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


class Pm2:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.home = env["PM2_HOME"]

    async def run(self, *args: str, limit: float = 60.0) -> str:
        proc = await asyncio.create_subprocess_exec(
            str(PM2),
            *args,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), limit)
        text = out.decode(errors="replace")
        assert proc.returncode == 0, f"pm2 {' '.join(args)} failed:\n{text}"
        return text

    async def apps(self) -> list[dict[str, Any]]:
        listed = await self.run("jlist")
        start = listed.index("[")  # jlist may print a notice before the JSON
        apps: list[dict[str, Any]] = json.loads(listed[start:])
        return apps

    def logs(self) -> str:
        parts = []
        for path in sorted(Path(self.home, "logs").glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


@asynccontextmanager
async def pm2_home(base_env: dict[str, str]) -> AsyncIterator[Pm2]:
    """A private PM2_HOME (short: PM2's sockets live in it); on the way out, whatever happened: `pm2 delete all`,
    `pm2 kill`, then any survivor of this home is killed and the test fails if there was one."""
    home = tempfile.mkdtemp(prefix="bbpm2-", dir="/tmp")
    pm2 = Pm2({**base_env, "PM2_HOME": home})
    try:
        yield pm2
    finally:
        survivors: list[int] = []
        try:
            await pm2.run("delete", "all", limit=40)
            await pm2.run("kill", limit=20)
            for _ in range(50):  # `pm2 kill` returns once the daemon was told; its children may take a moment
                survivors = processes_of(home)
                if not survivors:
                    break
                await asyncio.sleep(0.2)
        finally:
            for pid in processes_of(home):
                os.kill(pid, signal.SIGKILL)
            shutil.rmtree(home, ignore_errors=True)
        assert survivors == [], f"processes left behind by PM2: {survivors}"


async def seed(redis: Redis, store: Any, data_dir: Path) -> None:
    await store.upsert_company(
        Company(id=COMPANY, name="PM2 Salon", timezone="Europe/Moscow", currency="RUB", default_language="en")
    )
    calendar = BuiltinCalendar(data_dir / "calendar.sqlite3", now)
    try:
        for service in DEMO_SERVICES:
            calendar.add_service(COMPANY, service)
        for member in DEMO_STAFF:
            calendar.add_staff(COMPANY, member, DEMO_HOURS)
    finally:
        calendar.close()
    await redis.sadd(keys.COMPANIES, COMPANY)  # type: ignore[misc]
    await redis.hset(keys.JIDS, COMPANY, NUMBER)  # type: ignore[misc]


async def wait_ready(url: str, redis: Redis, pm2: Pm2, limit: float) -> None:
    """/ready answers 200 (Redis, the store, the session loops) and the company's session is connected."""
    deadline = time.monotonic() + limit
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as http:
        while True:
            try:
                async with http.get(f"{url}/ready", headers=headers) as response:
                    ready = response.status == 200
            except (aiohttp.ClientError, TimeoutError):
                ready = False
            state = await redis.hget(keys.status(COMPANY), "state")  # type: ignore[misc]
            if ready and state == b"connected":
                return
            assert time.monotonic() < deadline, f"not ready in {limit:.0f} s (state {state!r})\n{pm2.logs()}"
            await asyncio.sleep(0.3)


async def test_pm2_runs_the_ecosystem_answers_a_message_and_stops_leaving_nothing_behind(
    pm2_redis_url: str, tmp_path: Path
) -> None:
    assert PM2.exists(), f"{PM2} is missing: run `bash scripts/services.sh` (it installs PM2 from npm)"
    began = time.monotonic()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    port = free_port()
    redis = Redis.from_url(pm2_redis_url)
    try:
        async with supabase_stack(now) as stack:
            await seed(redis, stack.store, data_dir)
            env = {k: v for k, v in os.environ.items() if not k.startswith("BOOKING_BOT_")}
            env.update(
                {
                    "BOOKING_BOT_REDIS_URL": pm2_redis_url,
                    "BOOKING_BOT_DATA_DIR": str(data_dir),
                    "BOOKING_BOT_ADMIN_TOKEN": ADMIN_TOKEN,
                    "BOOKING_BOT_STORE": "supabase",
                    "BOOKING_BOT_SUPABASE_URL": stack.url,
                    "BOOKING_BOT_SUPABASE_KEY": SERVICE_KEY,
                    "BOOKING_BOT_GATEWAY_LEASE_TTL_SECONDS": "3",
                    "BOOKING_BOT_GATEWAY_LEASE_RENEW_SECONDS": "0.5",
                    "BOOKING_BOT_GATEWAY_TYPING_MIN_SECONDS": "0",
                    "BOOKING_BOT_GATEWAY_TYPING_MAX_SECONDS": "0",
                    "BOOKING_BOT_GATEWAY_SEND_INTERVAL_SECONDS": "0",
                    "BOOKING_BOT_GATEWAY_SHUTDOWN_SECONDS": "3",
                    "BOOKING_BOT_WORKER_THREADS": "2",
                    "BOOKING_BOT_LOG_LEVEL": "INFO",
                    "BB_PM2_TEST_GATEWAY_PORT": str(port),
                }
            )
            async with pm2_home(env) as pm2:
                await pm2.run("start", str(CONFIG))
                url = f"http://127.0.0.1:{port}"
                await wait_ready(url, redis, pm2, limit=30)
                apps = await pm2.apps()
                online: dict[str, int] = {}
                for app in apps:
                    assert app["pm2_env"]["status"] == "online", pm2.logs()
                    online[app["name"]] = online.get(app["name"], 0) + 1
                assert online == EXPECTED_APPS

                # A simulated customer message through the ops script (accept_inbound on the Redis broker) ...
                script = await asyncio.create_subprocess_exec(
                    sys.executable,
                    str(PROJECT_ROOT / "scripts" / "send_inbound.py"),
                    *("--company", COMPANY, "--from", "+79001230001", "--name", "Ivan", "--text", "Привет"),
                    *("--wait", "25", "--until-sent"),
                    cwd=PROJECT_ROOT,
                    env={**pm2.env, "BOOKING_BOT_BROKER": "redis"},  # the apps get it from the ecosystem file
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT,
                )
                output = (await asyncio.wait_for(script.communicate(), 40))[0].decode()
                assert script.returncode == 0, f"{output}\n{pm2.logs()}"
                whatsapp = FakeWhatsApp(redis)
                sent = await whatsapp.sent(NUMBER)
                to_ivan = [entry["text"] for entry in sent if entry["to"] == "79001230001@s.whatsapp.net"]
                assert to_ivan and "Ivan" in to_ivan[0], output
                assert all(f"  ← {text}" in output for text in to_ivan)

                # ... and one through the fake WhatsApp, into the gateway's own inbound path.
                chat = jid("79001230002")
                await whatsapp.deliver(NUMBER, message_event("3APM2TEST01", chat, text="Hola", push_name="Ana"))
                deadline = time.monotonic() + 20
                while not any(e["to"] == "79001230002@s.whatsapp.net" for e in await whatsapp.sent(NUMBER)):
                    assert time.monotonic() < deadline, pm2.logs()
                    await asyncio.sleep(0.2)

                pids = [app["pid"] for app in apps]
                stop_began = time.monotonic()
            stop_seconds = time.monotonic() - stop_began
            assert not any(os.path.exists(f"/proc/{pid}") for pid in pids)  # noqa: ASYNC240, PTH110
            # Every process stopped on PM2's SIGINT, well before the kill_timeouts (30 s / 70 s) would SIGKILL it.
            assert stop_seconds < 20
    finally:
        await redis.aclose()
    assert time.monotonic() - began < 60
