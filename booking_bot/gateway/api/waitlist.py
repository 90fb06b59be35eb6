"""The waiting list and visits on /api/v1 (docs/waitlist.md): staff mark a visit attended or a no-show (a no-show's
re-invite is planned), the salon's waiting list, and the owner's digest of a day (the stats page shows yesterday's)."""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from booking_bot.domain import Attendance, BookingStatus, DigestFigures, Scope, VisitSource, WaitStatus
from booking_bot.gateway.api.auth import Access
from booking_bot.gateway.api.base import Route, company_of, context, parse, reply
from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.api.integration_admin import now_of
from booking_bot.gateway.api.models import AttendanceIn, DigestOut, VisitOut, WaitingList, WaitingOut
from booking_bot.waitlist import record_attendance
from booking_bot.waitlist.digest import digest_figures


def digest_out(figures: DigestFigures) -> DigestOut:
    return DigestOut(
        day=figures.day.isoformat(),
        bookings_made=figures.bookings_made,
        refilled=figures.refilled,
        no_shows=figures.no_shows,
        handoffs=figures.handoffs,
        handoffs_unanswered=figures.handoffs_unanswered,
    )


async def mark_attendance(request: web.Request) -> web.Response:
    """Staff's mark of a visit that has begun; it stands over what the salon's system says later."""
    ctx = context(request)
    company = await company_of(request)
    body = await parse(request, AttendanceIn)
    booking = await ctx.store.get_booking(company.id, request.match_info["booking_id"])
    if booking is None or booking.status is BookingStatus.CANCELLED:
        raise ApiError(404, "not_found", "no such booking (or it was cancelled)")
    now = now_of(ctx)
    if booking.start > now:
        raise ApiError(409, "not_started", "a visit is marked once it has begun")
    if ctx.events is None:
        raise ApiError(503, "not_ready", "this gateway reports no events yet")
    attendance = Attendance(body.attendance)
    marked = await record_attendance(ctx.store, ctx.events, now, company, booking, attendance, VisitSource.STAFF)
    stored = marked or await ctx.store.get_visit(company.id, booking.id)
    if stored is None:  # the mark could not stand (never for staff's own): say what is recorded
        raise ApiError(409, "not_marked", "the visit could not be marked")
    return reply(
        VisitOut(
            booking_id=stored.booking_id,
            chat_id=stored.customer_id,
            attendance=stored.attendance.value,
            source=stored.source.value,
            visit_start=stored.visit_start,
            marked_at=stored.marked_at,
            changed=marked is not None,
        )
    )


async def waiting_list(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    today = company.today(now_of(ctx))
    entries = [e for e in await ctx.store.wait_entries(company.id) if e.status is WaitStatus.WAITING and e.day >= today]
    waiting = [
        WaitingOut(
            id=e.id,
            chat_id=e.customer_id,
            service_id=e.service_id,
            staff_id=e.staff_id,
            day=e.day.isoformat(),
            window_start=None if e.window is None else e.window.start.isoformat(),
            window_end=None if e.window is None else e.window.end.isoformat(),
            requested_at=e.requested_at,
        )
        for e in sorted(entries, key=lambda e: (e.day, e.requested_at, e.id))
    ]
    return reply(WaitingList(waiting=waiting))


async def digest(request: web.Request) -> web.Response:
    """The owner's figures of `?day=YYYY-MM-DD` (the salon's local day; default its yesterday)."""
    ctx = context(request)
    company = await company_of(request)
    asked = request.query.get("day")
    try:
        day = date.fromisoformat(asked) if asked else company.today(now_of(ctx)) - timedelta(days=1)
    except ValueError as exc:
        raise ApiError(422, "invalid", "day: give a date as YYYY-MM-DD") from exc
    return reply(digest_out(await digest_figures(ctx.store, company, day)))


C = "/api/v1/companies/{company_id}"
ROUTES: tuple[Route, ...] = (
    Route(
        "PUT",
        C + "/bookings/{booking_id}/attendance",
        mark_attendance,
        Access.COMPANY,
        "Mark a visit attended or a no-show (a no-show gets one re-invite the next day)",
        AttendanceIn,
        VisitOut,
        errors=(400, 404, 409, 422, 503),
        tag="waitlist",
    ),
    Route(
        "GET",
        C + "/waitlist",
        waiting_list,
        Access.COMPANY,
        "Customers waiting for a time to free up, in line order",
        None,
        WaitingList,
        errors=(404,),
        tag="waitlist",
        scope=Scope.STATUS,
    ),
    Route(
        "GET",
        C + "/digest",
        digest,
        Access.COMPANY,
        "The owner's digest of a local day (?day=YYYY-MM-DD, default yesterday)",
        None,
        DigestOut,
        errors=(404, 422),
        tag="waitlist",
        scope=Scope.STATUS,
    ),
)
