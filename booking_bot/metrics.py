"""Counters and latency histograms of this process (`Metrics`), rendered in the Prometheus text format, and the
scheduling-backend wrapper that counts booking outcomes. Production workers add them up in Redis as well
(integrations/redis_metrics.py), so the gateway's /metrics shows every worker's figures."""

from __future__ import annotations

import bisect
import threading
from datetime import date, datetime

from booking_bot.domain import Attendance, Booking, Company, Customer, Outcome, Service, Slot, StaffMember
from booking_bot.ports import SchedulingBackend

OUTCOMES = "booking_bot_booking_outcomes_total"  # labels op, kind
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0, 10.0)


class Metrics:
    """A small thread-safe registry of counters and latency histograms, rendered in the Prometheus text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._histograms: dict[str, list[float]] = {}  # bucket counts + [sum, count]

    def inc(self, name: str, value: float = 1.0, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            self._counters[key] = self._counters.get(key, 0.0) + value

    def observe(self, name: str, seconds: float) -> None:
        with self._lock:
            row = self._histograms.setdefault(name, [0.0] * (len(LATENCY_BUCKETS) + 2))
            index = bisect.bisect_left(LATENCY_BUCKETS, seconds)
            for i in range(index, len(LATENCY_BUCKETS)):
                row[i] += 1
            row[-2] += seconds
            row[-1] += 1

    def value(self, name: str, **labels: str) -> float:
        with self._lock:
            return self._counters.get((name, tuple(sorted(labels.items()))), 0.0)

    def total(self, name: str) -> float:
        """The sum of a counter over all its label sets."""
        with self._lock:
            return sum(v for (n, _), v in self._counters.items() if n == name)

    def histogram(self, name: str) -> tuple[float, int]:
        """(sum of seconds, number of observations)."""
        with self._lock:
            row = self._histograms.get(name)
            return (row[-2], int(row[-1])) if row else (0.0, 0)

    def render(self) -> str:
        """The Prometheus text exposition of every metric (for a /metrics endpoint)."""
        lines: list[str] = []
        with self._lock:
            for (name, labels), value in sorted(self._counters.items()):
                lines.append(f"{name}{_labels(labels)} {value:g}")
            for name, row in sorted(self._histograms.items()):
                for bound, count in zip(LATENCY_BUCKETS, row, strict=False):
                    lines.append(f'{name}_bucket{{le="{bound:g}"}} {count:g}')
                lines.append(f'{name}_bucket{{le="+Inf"}} {row[-1]:g}')
                lines.append(f"{name}_sum {row[-2]:g}")
                lines.append(f"{name}_count {row[-1]:g}")
        return "\n".join(lines) + "\n"


def _labels(labels: tuple[tuple[str, str], ...]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{v}"' for k, v in labels) + "}"


class CountingBackend:
    """A `SchedulingBackend` that counts the typed outcomes of book / move / cancel / confirm in `metrics`."""

    def __init__(self, backend: SchedulingBackend, metrics: Metrics) -> None:
        self._backend = backend
        self._metrics = metrics

    def _count(self, op: str, outcome: Outcome) -> Outcome:
        self._metrics.inc(OUTCOMES, op=op, kind=outcome.kind.value)
        return outcome

    async def services(self, company: Company) -> list[Service]:
        return await self._backend.services(company)

    async def staff(self, company: Company) -> list[StaffMember]:
        return await self._backend.staff(company)

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
        fresh: bool = False,
    ) -> list[Slot]:
        return await self._backend.free_slots(company, service_id, day, staff_id, ignoring, fresh)

    async def book(
        self,
        company: Company,
        customer: Customer,
        service_id: str,
        staff_id: str,
        start: datetime,
        idempotency_key: str,
    ) -> Outcome:
        return self._count(
            "book", await self._backend.book(company, customer, service_id, staff_id, start, idempotency_key)
        )

    async def move(
        self, company: Company, booking: Booking, new_start: datetime, staff_id: str, idempotency_key: str
    ) -> Outcome:
        return self._count("move", await self._backend.move(company, booking, new_start, staff_id, idempotency_key))

    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        return self._count("cancel", await self._backend.cancel(company, booking, idempotency_key))

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        return await self._backend.customer_bookings(company, customer)

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        return await self._backend.current_booking(company, booking)

    async def confirm_visit(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        return self._count("confirm", await self._backend.confirm_visit(company, booking, idempotency_key))

    async def attendance(self, company: Company, booking: Booking) -> Attendance:
        return await self._backend.attendance(company, booking)
