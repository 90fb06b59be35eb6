"""The waiting list and what follows a visit, as records (docs/waitlist.md): what a customer waits for, a freed time,
the offer of it (held for one customer at a time), how a visit went, and the proactive messages planned around
visits. Times are aware UTC; a waiting customer's day and window are the salon's local ones. Planning is pure."""

from __future__ import annotations

import enum
import hashlib
from datetime import UTC, date, datetime, time, timedelta

from booking_bot.domain.models import AwareDatetime, Booking, Company, Frozen, TimeWindow, combine_local
from booking_bot.domain.reminders import out_of_quiet_hours

ANY_TIME_DISTANCE = 24 * 60  # a customer waiting for "any time" is the farthest window from every time


class WaitStatus(enum.StrEnum):
    WAITING = "waiting"
    BOOKED = "booked"  # got a time from the list
    CANCELLED = "cancelled"  # booked otherwise, or no longer waiting
    EXPIRED = "expired"  # the day passed


class WaitEntry(Frozen):
    """A customer waiting for a time on one day: within `window` (None: any time), with `staff_id` (None: anyone)."""

    id: str
    company_id: str
    customer_id: str
    service_id: str
    staff_id: str | None = None
    day: date
    window: TimeWindow | None = None
    requested_at: AwareDatetime
    status: WaitStatus = WaitStatus.WAITING

    @staticmethod
    def id_for(company_id: str, customer_id: str, day: date, service_id: str) -> str:
        """One entry per customer, day and service: asking again replaces the window, not the place in the line."""
        return f"wait:{company_id}:{customer_id}:{day.isoformat()}:{service_id}"

    def fits(self, local_start: datetime, staff_id: str) -> bool:
        """Does a time starting at `local_start` (salon time) with `staff_id` suit this customer?"""
        if local_start.date() != self.day or self.staff_id not in (None, staff_id):
            return False
        return self.window is None or self.window.start <= local_start.time() < self.window.end

    def distance(self, local_start: datetime) -> int:
        """Minutes from the middle of the customer's window to the time: the closer window goes first."""
        if self.window is None:
            return ANY_TIME_DISTANCE
        middle = (_minutes(self.window.start) + _minutes(self.window.end)) // 2
        return abs(_minutes(local_start.time()) - middle)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def waiting_order(entries: list[WaitEntry], local_start: datetime, staff_id: str) -> list[WaitEntry]:
    """The waiting customers a freed time suits, in the order it is offered: earliest request first, then the
    closest window; one entry per customer."""
    fitting = sorted(
        (e for e in entries if e.status is WaitStatus.WAITING and e.fits(local_start, staff_id)),
        key=lambda e: (e.requested_at, e.distance(local_start), e.id),
    )
    seen: set[str] = set()
    ordered = []
    for entry in fitting:
        if entry.customer_id not in seen:
            seen.add(entry.customer_id)
            ordered.append(entry)
    return ordered


class FreedBy(enum.StrEnum):
    CUSTOMER = "customer"  # cancelled or moved through the bot (a reminder's answer too)
    SALON = "salon"  # cancelled or moved in the salon's own system, found by the scheduler's sweep
    RELEASE = "release"  # an unconfirmed visit of a customer with earlier no-shows, released after the grace time


class OpeningStatus(enum.StrEnum):
    OPEN = "open"  # to be offered (from `not_before` on)
    CLAIMED = "claimed"  # a scheduler took it to offer it; taken again when stale
    HELD = "held"  # offered to one customer, held for them until the offer ends
    FILLED = "filled"  # booked from the list
    CLOSED = "closed"  # nobody it suits is waiting, the salon's system no longer has it free, or it passed


class Opening(Frozen):
    """A time that became free: the freed booking's staff member and [start, end)."""

    id: str
    company_id: str
    booking_id: str  # the booking that held it
    service_id: str
    staff_id: str
    start: AwareDatetime
    end: AwareDatetime
    freed_by: FreedBy
    freed_at: AwareDatetime
    status: OpeningStatus = OpeningStatus.OPEN
    offer_id: str | None = None  # the offer that holds it (status HELD)
    not_before: AwareDatetime | None = None  # quiet hours, or every fitting customer busy: offered from then on

    @staticmethod
    def id_for(company_id: str, booking_id: str, start: datetime) -> str:
        """One opening per freed booking and time, however often it is found (the event log, the salon's sweep)."""
        return f"opening:{company_id}:{booking_id}:{start.astimezone(UTC).isoformat()}"

    @classmethod
    def of(cls, booking: Booking, start: datetime, freed_by: FreedBy, now: datetime) -> Opening:
        """The time `booking` held from `start` (its length), freed now."""
        return cls(
            id=cls.id_for(booking.company_id, booking.id, start),
            company_id=booking.company_id,
            booking_id=booking.id,
            service_id=booking.service_id,
            staff_id=booking.staff_id,
            start=start,
            end=start + booking.duration,
            freed_by=freed_by,
            freed_at=now,
        )


class OfferStatus(enum.StrEnum):
    HOLDING = "holding"  # sent, the time held for this customer until `hold_until`
    ACCEPTED = "accepted"  # the customer said yes and the salon's system booked it
    DECLINED = "declined"  # "no": passed on to the next customer
    EXPIRED = "expired"  # no answer within the hold: passed on


class Offer(Frozen):
    """A freed time offered to one waiting customer, for their own service."""

    id: str
    company_id: str
    opening_id: str
    entry_id: str
    customer_id: str
    service_id: str
    staff_id: str
    start: AwareDatetime
    sent_at: AwareDatetime
    hold_until: AwareDatetime
    status: OfferStatus = OfferStatus.HOLDING

    @staticmethod
    def id_for(company_id: str, opening_id: str, entry_id: str) -> str:
        """Deterministic: a retried offer job holds the same offer and sends the same message once."""
        digest = hashlib.sha256(f"{opening_id}\x1f{entry_id}".encode()).hexdigest()[:24]
        return f"offer:{company_id}:{digest}"

    def holds(self, now: datetime) -> bool:
        return self.status is OfferStatus.HOLDING and now < self.hold_until


def entry_data(entry: WaitEntry) -> dict[str, object]:
    """A waiting entry as webhook events carry it (the customer is the chat id; day and window the salon's)."""
    window = entry.window
    return {
        "entry": {
            "id": entry.id,
            "chat_id": entry.customer_id,
            "service_id": entry.service_id,
            "staff_id": entry.staff_id,
            "day": entry.day.isoformat(),
            "window": None if window is None else {"start": window.start.isoformat(), "end": window.end.isoformat()},
            "requested_at": entry.requested_at.isoformat(),
        }
    }


def offer_data(offer: Offer, **extra: object) -> dict[str, object]:
    """An offer as webhook events carry it (times UTC ISO 8601; the customer is the chat id)."""
    return {
        "offer": {
            "id": offer.id,
            "opening_id": offer.opening_id,
            "chat_id": offer.customer_id,
            "service_id": offer.service_id,
            "staff_id": offer.staff_id,
            "start": offer.start.isoformat(),
            "hold_until": offer.hold_until.isoformat(),
            "status": offer.status.value,
        },
        **extra,
    }


class Attendance(enum.StrEnum):
    """How a visit stands in the salon's system, or as staff marked it."""

    UNKNOWN = "unknown"
    CONFIRMED = "confirmed"  # the customer confirmed they will come
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class VisitSource(enum.StrEnum):
    STAFF = "staff"  # marked through the API
    SALON = "salon"  # read from the salon's system (YClients' attendance)


class VisitMark(Frozen):
    """Whether the customer came to a booked visit. Staff's mark wins over the salon's system."""

    company_id: str
    booking_id: str
    customer_id: str
    attendance: Attendance
    source: VisitSource
    visit_start: AwareDatetime
    marked_at: AwareDatetime


class FollowUpKind(enum.StrEnum):
    CONFIRM = "confirm"  # a customer with earlier no-shows is asked to confirm, earlier than the reminders
    RELEASE = "release"  # ... and, unconfirmed after the grace time, the time goes to the waiting list
    REINVITE = "reinvite"  # the day after a no-show: one polite invitation to book again
    DIGEST = "digest"  # the owner's morning digest of yesterday


class FollowUpStatus(enum.StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"  # taken by a scheduler; taken again when stale
    SENT = "sent"  # done (sent, or the release carried out)
    SKIPPED = "skipped"  # no longer true when due (the visit moved, was confirmed, the mark changed ...)


class FollowUp(Frozen):
    """A proactive message (or the release) planned for `due_at`, claimed by the scheduler and done once."""

    key: str
    company_id: str
    kind: FollowUpKind
    due_at: AwareDatetime
    status: FollowUpStatus = FollowUpStatus.PLANNED
    booking_id: str | None = None
    customer_id: str | None = None  # the chat it goes to (the digest: none, it goes to the owner)
    visit_start: AwareDatetime | None = None  # the visit's time when planned: a moved visit's follow-up is stale
    day: date | None = None  # the digest's day


class DigestFigures(Frozen):
    """What the owner's digest says about one local day (the stats page and /api/v1 show the same)."""

    day: date
    bookings_made: int = 0  # by the assistant
    refilled: int = 0  # freed times booked from the waiting list
    no_shows: int = 0
    handoffs: int = 0  # customers who asked for a person ...
    handoffs_unanswered: int = 0  # ... and no member of staff wrote in that chat since


def reinvite_followup(company: Company, mark: VisitMark) -> FollowUp:
    """The re-invite after a no-show: the next local day at the salon's `reinvite_at`, quiet hours kept."""
    next_day = mark.visit_start.astimezone(company.zone).date() + timedelta(days=1)
    due = out_of_quiet_hours(company, combine_local(next_day, company.no_shows.reinvite_at, company.zone))
    return FollowUp(
        key=f"reinvite:{company.id}:{mark.booking_id}",
        company_id=company.id,
        kind=FollowUpKind.REINVITE,
        due_at=due.astimezone(UTC),
        booking_id=mark.booking_id,
        customer_id=mark.customer_id,
        visit_start=mark.visit_start,
    )


def confirmation_key(company_id: str, booking_id: str, visit_start: datetime) -> str:
    """The early confirmation request's key (its release's is the same with `release:`): keyed by the visit's time."""
    return f"confirm:{company_id}:{booking_id}:{visit_start.astimezone(UTC).isoformat()}"


def confirmation_followups(company: Company, booking: Booking, now: datetime) -> list[FollowUp]:
    """For a customer with earlier no-shows: the early confirmation request and, after the grace time, the release
    (both keyed by the visit's time, so a moved visit plans anew). None when the policy is off or it is too late."""
    policy = company.no_shows
    if policy.confirm_hours_before is None:
        return []
    asked = out_of_quiet_hours(company, max(now, booking.start - timedelta(hours=policy.confirm_hours_before)))
    if asked >= booking.start - timedelta(hours=1):
        return []  # too close to the visit to be worth asking (the reminders still go out)
    key = confirmation_key(company.id, booking.id, booking.start)
    common = {"company_id": company.id, "booking_id": booking.id, "customer_id": booking.customer_id}
    planned = [
        FollowUp(
            key=key,
            kind=FollowUpKind.CONFIRM,
            due_at=asked.astimezone(UTC),
            visit_start=booking.start,
            **common,
        )
    ]
    if policy.grace_minutes is not None:
        release = out_of_quiet_hours(company, asked + timedelta(minutes=policy.grace_minutes))
        if release < booking.start - timedelta(minutes=30):  # a time released later could hardly be refilled
            planned.append(
                FollowUp(
                    key="release:" + key.removeprefix("confirm:"),
                    kind=FollowUpKind.RELEASE,
                    due_at=release.astimezone(UTC),
                    visit_start=booking.start,
                    **common,
                )
            )
    return planned


def digest_followup(company: Company, day: date) -> FollowUp:
    """The digest of `day`, due the next local morning at the policy's hour (quiet hours kept)."""
    morning = combine_local(day + timedelta(days=1), time(company.digest.hour), company.zone)
    return FollowUp(
        key=f"digest:{company.id}:{day.isoformat()}",
        company_id=company.id,
        kind=FollowUpKind.DIGEST,
        due_at=out_of_quiet_hours(company, morning).astimezone(UTC),
        day=day,
    )
