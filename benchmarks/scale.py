"""Scale run: 1,000 companies × 10 active chats on one gateway + one worker (fake neonize), memory per company.

    .venv/bin/python benchmarks/scale.py [--companies 1000] [--chats 10] [--json]

A private redis-server (and another for the fake WhatsApp) on free ports. The gateway starts with no company, its
resident memory is read (the baseline); then every company gets a number, the gateway takes and connects them all,
and after 5 idle seconds its memory is read again: (idle − baseline) / companies is the memory per idle company.
Then each company's chats run a booking conversation (4 messages), the run waits until every reply reached
WhatsApp, and the same checks as the chaos runs are made (nothing lost, nothing booked twice).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.procs import Processes, RedisServer, machine, rss_kib
from benchmarks.workload import booking_script, customer, number, seed_companies


@dataclass
class ScaleFigures:
    machine: str
    companies: int
    chats_per_company: int
    connect_seconds: float = 0.0
    gateway_baseline_mib: float = 0.0
    gateway_idle_mib: float = 0.0
    gateway_after_load_mib: float = 0.0
    worker_idle_mib: float = 0.0
    worker_after_load_mib: float = 0.0
    kib_per_idle_company: float = 0.0
    messages: int = 0
    load_seconds: float = 0.0
    messages_per_second: float = 0.0
    lost_inbound: int = 0
    lost_replies: int = 0
    duplicate_replies: int = 0
    double_bookings: int = 0
    told_booked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and self.lost_inbound == 0
            and self.lost_replies == 0
            and self.duplicate_replies == 0
            and self.double_bookings == 0
        )

    def format(self) -> str:
        return "\n".join(
            [
                f"machine: {self.machine}",
                f"companies: {self.companies} × {self.chats_per_company} chats, one gateway + one worker",
                f"all sessions connected in {self.connect_seconds} s",
                f"gateway RSS: {self.gateway_baseline_mib} MiB with no company, {self.gateway_idle_mib} MiB with "
                f"{self.companies} idle, {self.gateway_after_load_mib} MiB after the load",
                f"memory per idle company (gateway): {self.kib_per_idle_company} KiB",
                f"worker RSS: {self.worker_idle_mib} MiB idle, {self.worker_after_load_mib} MiB after the load",
                f"load: {self.messages} messages in {self.load_seconds} s"
                f" ({self.messages_per_second} msg/s end to end)",
                f"lost inbound: {self.lost_inbound}   lost replies: {self.lost_replies}   duplicated replies: "
                f"{self.duplicate_replies}   double bookings: {self.double_bookings}   told booked: {self.told_booked}",
                f"verdict: {'OK' if self.ok else 'FAILED'}"
                + (f" ({'; '.join(self.problems)})" if self.problems else ""),
            ]
        )


async def run(companies: int, chats: int, limit: float = 900.0) -> ScaleFigures:
    from redis.asyncio import Redis

    from tests.chaos.harness import ChaosFigures, _count, _message_id, _wait_settled, process_env, register_numbers
    from tests.chaos.harness import wait_connected as all_connected
    from tests.fakes.neonize_fake import FakeWhatsApp, jid, message_event

    figures = ScaleFigures(machine=machine(), companies=companies, chats_per_company=chats)
    workdir = Path(tempfile.mkdtemp(prefix="bb-scale-"))
    await seed_companies(workdir, companies)
    procs = Processes()
    with RedisServer(workdir / "redis", aof=False) as system, RedisServer(workdir / "wa", aof=False) as wa:
        env = {
            **process_env(system.url, wa.url, workdir),
            "BOOKING_BOT_GATEWAY_MAX_COMPANIES": str(companies),
            "BOOKING_BOT_GATEWAY_LEASE_TTL_SECONDS": "10",
            "BOOKING_BOT_GATEWAY_LEASE_RENEW_SECONDS": "3",
        }
        wa_redis = Redis.from_url(wa.url)
        whatsapp = FakeWhatsApp(wa_redis)
        try:
            gateway = procs.start(["-m", "tests.chaos.harness", "gateway"], env, workdir / "gateway.log")
            worker = procs.start(["-m", "booking_bot.worker"], env, workdir / "worker.log")
            await asyncio.sleep(6)
            figures.gateway_baseline_mib = round(rss_kib(gateway.pid) / 1024, 1)
            began = time.monotonic()
            await register_numbers(system.url, companies)
            await all_connected(system.url, companies, limit=600)
            figures.connect_seconds = round(time.monotonic() - began, 1)
            await asyncio.sleep(5)
            idle = rss_kib(gateway.pid)
            figures.gateway_idle_mib = round(idle / 1024, 1)
            figures.kib_per_idle_company = round((idle - figures.gateway_baseline_mib * 1024) / companies, 1)
            figures.worker_idle_mib = round(rss_kib(worker.pid) / 1024, 1)

            conversations = companies * chats
            began = time.monotonic()
            for step in range(4):
                for c in range(conversations):
                    n = c % companies
                    event = message_event(
                        _message_id(c, step), jid(customer(c)), text=booking_script(c // companies)[step], push_name="A"
                    )
                    await whatsapp.deliver(number(n), event)
                    figures.messages += 1
            chaos = ChaosFigures(companies=companies, conversations=conversations)
            await _wait_settled(chaos, workdir, whatsapp, companies, conversations, limit)
            figures.load_seconds = round(time.monotonic() - began, 1)
            figures.messages_per_second = round(figures.messages / figures.load_seconds, 1)
            figures.gateway_after_load_mib = round(rss_kib(gateway.pid) / 1024, 1)
            figures.worker_after_load_mib = round(rss_kib(worker.pid) / 1024, 1)
            await _count(chaos, workdir, whatsapp, companies, conversations)
            figures.problems += chaos.problems
            figures.lost_inbound, figures.lost_replies = chaos.lost_inbound, chaos.lost_replies
            figures.duplicate_replies, figures.double_bookings = chaos.duplicate_replies, chaos.double_bookings
            figures.told_booked = chaos.told_booked
        except TimeoutError as exc:
            figures.problems.append(str(exc))
        finally:
            procs.stop_all()
            await wa_redis.aclose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(run(args.companies, args.chats))
    print(json.dumps({**asdict(figures), "ok": figures.ok}) if args.json else figures.format())
    return 0 if figures.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
