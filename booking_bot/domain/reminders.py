"""When a booking's reminders are due, by the company's policy: offsets before the visit, quiet hours respected."""

from __future__ import annotations

from datetime import datetime, timedelta

from booking_bot.domain.models import Booking, Company, combine_local


def plan_reminders(company: Company, booking: Booking, now: datetime) -> list[datetime]:
    """The UTC due times of `booking`'s reminders; none for a disabled policy, a past time or a too-late one.

    Offsets are real durations ("24 h before" is 24 real hours before, across DST). A due time in quiet hours
    moves to the end of the quiet period, and is dropped if that is no longer at least `min_lead_minutes`
    before the visit.
    """
    policy = company.reminders
    if not policy.enabled:
        return []
    latest = booking.start - timedelta(minutes=policy.min_lead_minutes)
    due: set[datetime] = set()
    for minutes in policy.offsets_minutes:
        at = out_of_quiet_hours(company, booking.start - timedelta(minutes=minutes))
        if now < at <= latest:
            due.add(at)
    return sorted(due)


def out_of_quiet_hours(company: Company, at: datetime) -> datetime:
    """`at`, or the end of the salon's quiet hours (`ReminderPolicy`) when it falls inside them: every proactive
    message (reminders, waiting-list offers, re-invites, the owner's digest) keeps them."""
    policy = company.reminders
    if policy.quiet_start is None:
        return at
    local = at.astimezone(company.zone)
    clock, start, end = local.time(), policy.quiet_start, policy.quiet_end
    in_quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not in_quiet:
        return at
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return combine_local(day, end, company.zone).astimezone(at.tzinfo)
