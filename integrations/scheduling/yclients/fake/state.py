"""What the fake keeps: companies with services, staff (weekly hours), clients and records, and the salon's rules
(what is free, who a phone number is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking_bot.ports import Clock


@dataclass
class FakeService:
    """A service of the salon's catalog."""

    id: int
    title: str
    seance_length: int  # seconds
    price_min: float = 0
    price_max: float = 0
    category_id: int = 1
    active: bool = True


@dataclass
class FakeStaff:
    """A staff member with the services they do and their weekly hours."""

    id: int
    name: str
    service_ids: set[int]
    hours: dict[int, list[tuple[time, time]]]  # weekday (0 = Monday) → local [open, close)
    specialization: str = ""


@dataclass
class FakeClient:
    """A client of the salon, known by phone."""

    id: int
    name: str
    phone: str  # digits


@dataclass
class FakeRecord:
    """A record (booking); deleted ones are kept, as YClients keeps them."""

    id: int
    company_id: int
    staff_id: int
    service_id: int
    start: datetime  # naive salon-local
    length: int  # seconds
    client_id: int
    api_id: str
    record_hash: str
    created_at: datetime  # aware UTC
    deleted: bool = False
    attendance: int = 0
    comment: str = ""

    @property
    def end(self) -> datetime:
        """The naive local end."""
        return self.start + timedelta(seconds=self.length)

    @property
    def visit_id(self) -> int:
        """The visit the record belongs to (one per record here)."""
        return self.id + 500_000


@dataclass
class FakeCompany:
    """A salon: its catalog, clients and records, and whether clients may move their records online."""

    id: int
    title: str
    timezone_name: str
    services: dict[int, FakeService] = field(default_factory=dict)
    staff: dict[int, FakeStaff] = field(default_factory=dict)
    clients: dict[int, FakeClient] = field(default_factory=dict)
    records: dict[int, FakeRecord] = field(default_factory=dict)
    allow_change_record: bool = True
    step_minutes: int = 15

    @property
    def zone(self) -> ZoneInfo:
        """The salon's zone."""
        return ZoneInfo(self.timezone_name)

    def live_records(self) -> list[FakeRecord]:
        """The records not deleted."""
        return [r for r in self.records.values() if not r.deleted]

    def local_now(self, clock: Clock) -> datetime:
        """The salon's naive local time now."""
        return clock().astimezone(self.zone).replace(tzinfo=None)

    def aware(self, local: datetime) -> datetime:
        """A naive salon-local time with the salon's zone."""
        return local.replace(tzinfo=self.zone)

    def why_not_free(
        self, clock: Clock, staff_id: int, service_id: int, start: datetime, ignore: int | None = None
    ) -> str | None:
        """Why that staff member cannot do that service at the naive local `start`, or None when they can."""
        staff = self.staff.get(staff_id)
        service = self.services.get(service_id)
        if staff is None or service is None or not service.active:
            return "Service or staff member is not available"
        if service_id not in staff.service_ids:
            return "The staff member does not provide this service"
        if start <= self.local_now(clock):
            return "The time is in the past"
        end = start + timedelta(seconds=service.seance_length)
        hours = staff.hours.get(start.weekday(), [])
        if not any(
            datetime.combine(start.date(), o) <= start and end <= datetime.combine(start.date(), c) for o, c in hours
        ):
            return "The staff member does not work at this time"
        for record in self.live_records():
            if record.staff_id == staff_id and record.id != ignore and record.start < end and start < record.end:
                return "The selected time is already taken"
        return None

    def free_times(self, clock: Clock, staff: FakeStaff, service: FakeService, day: date) -> list[datetime]:
        """The naive local starts of a day at which `staff` can do `service`, every `step_minutes`."""
        times: list[datetime] = []
        for opens, closes in staff.hours.get(day.weekday(), []):
            start = datetime.combine(day, opens)
            while start + timedelta(seconds=service.seance_length) <= datetime.combine(day, closes):
                if self.why_not_free(clock, staff.id, service.id, start) is None:
                    times.append(start)
                start += timedelta(minutes=self.step_minutes)
        return times

    def client(self, name: str, phone: str, new_id: Callable[[], int]) -> FakeClient:
        """The client with this phone (digits), added under a new id when the salon has none."""
        for client in self.clients.values():
            if client.phone == phone:
                return client
        client = FakeClient(id=new_id(), name=name, phone=phone)
        self.clients[client.id] = client
        return client
