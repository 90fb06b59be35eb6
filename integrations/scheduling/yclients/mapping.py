"""From YClients' wire models to the domain: ids, services, staff, records as bookings, and a booking's `api_id`.

The salon's zone comes from `timezone_name`; a record's naive `date` is the truth, its `datetime` offset is not.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from booking_bot.domain import (
    Attendance,
    Booking,
    BookingIntent,
    BookingStatus,
    Outcome,
    OutcomeKind,
    Service,
    StaffMember,
)
from integrations.scheduling.yclients.models import Record, ServiceInfo, StaffInfo

BOOKING_ID_PREFIX = "yc-"
ATTENDANCE_CONFIRMED = 2  # YClients visit status: the customer confirmed the visit
# A record's attendance as the salon's staff set it in YClients (0: waiting, tells nothing); -1 on a record that is not
# deleted is a no-show (a deleted one is a cancellation).
ATTENDANCE: dict[int, Attendance] = {2: Attendance.CONFIRMED, 1: Attendance.ATTENDED, -1: Attendance.NO_SHOW}


def api_id_for(company_id: str, customer_id: str, service_id: str, staff_id: str, local_start: datetime) -> str:
    """The `api_id` of a booking: the same for every attempt at the same customer + service + staff + time,
    so a record created by a request whose answer was lost is recognised by any later attempt."""
    material = "|".join((company_id, customer_id, service_id, staff_id, local_start.strftime("%Y-%m-%dT%H:%M")))
    return "bb-" + hashlib.sha256(material.encode()).hexdigest()[:24]


def number(value: str) -> int | None:
    """A YClients id from our string id, or None when it is not one."""
    try:
        return int(value)
    except ValueError:
        return None


def service_of(info: ServiceInfo) -> Service:
    """A catalog service; a price range only when the salon gives one."""
    return Service(
        id=str(info.id),
        name=info.title,
        duration_minutes=max(1, info.seance_length // 60),
        price=info.price_min or None,
        price_max=info.price_max if info.price_max and info.price_max != info.price_min else None,
    )


def staff_member_of(info: StaffInfo) -> StaffMember:
    """A staff member of the catalog."""
    return StaffMember(id=str(info.id), name=info.name)


def booking_of(company_id: str, customer_id: str, record: Record, zone: ZoneInfo) -> Booking | None:
    """A record as a booking (cancelled when deleted), or None when it has no time or service."""
    if record.local_start is None or record.service_id is None:
        return None
    # The naive local `date` and the salon's zone are the truth (Altegio's `datetime` offset can be wrong).
    start = record.local_start.replace(tzinfo=zone).astimezone(UTC)
    return Booking(
        id=f"{BOOKING_ID_PREFIX}{record.id}",
        company_id=company_id,
        customer_id=customer_id,
        service_id=str(record.service_id),
        staff_id=str(record.staff_id),
        start=start,
        end=start + timedelta(seconds=record.duration_seconds or 60),
        status=BookingStatus.CANCELLED if record.deleted else BookingStatus.BOOKED,
        backend_id=str(record.id),
    )


def booked(company_id: str, intent: BookingIntent, record_id: str, duration: timedelta) -> Outcome:
    """The outcome of a booking intent that YClients confirmed as `record_id`."""
    booking = Booking(
        id=f"{BOOKING_ID_PREFIX}{record_id}",
        company_id=company_id,
        customer_id=intent.customer_id,
        service_id=intent.service_id,
        staff_id=intent.staff_id,
        start=intent.start,
        end=intent.start + duration,
        status=BookingStatus.BOOKED,
        backend_id=record_id,
    )
    return Outcome(kind=OutcomeKind.BOOKED, booking=booking)
