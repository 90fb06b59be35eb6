"""GET /api/v1/companies/{id}/stats: what the assistant did for the salon, from the store (message log and event
log), for the last 7 and 30 of the salon's local days and per day for the chart of the stats page
(`/qr/stats.html`), and the owner's digest of yesterday. Days are the salon's: a day starts at local midnight in its
time zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from booking_bot.domain import Activity, Company, Scope
from booking_bot.gateway.api.auth import Access
from booking_bot.gateway.api.base import Route, company_of, context, reply
from booking_bot.gateway.api.integration_admin import now_of
from booking_bot.gateway.api.models import DayStats, PeriodStats, StatsOut
from booking_bot.gateway.api.waitlist import digest_out
from booking_bot.ports import Store
from booking_bot.waitlist.digest import digest_figures, local_midnight

CHART_DAYS = 30


def period(activity: Activity) -> PeriodStats:
    return PeriodStats(
        start=activity.start,
        end=activity.end,
        messages_in=activity.messages_in,
        messages_out=activity.messages_out,
        conversations=activity.conversations,
        bookings_created=activity.bookings_created,
        bookings_moved=activity.bookings_moved,
        bookings_cancelled=activity.bookings_cancelled,
        reminders_sent=activity.reminders_sent,
        reminders_confirmed=activity.reminders_confirmed,
        understood=activity.understood,
        understood_without_llm=activity.understood_locally,
        understood_without_llm_share=(
            round(activity.understood_locally / activity.understood, 4) if activity.understood else None
        ),
        median_reply_seconds=activity.median_reply_seconds,
    )


async def company_stats(store: Store, company: Company, now: datetime) -> StatsOut:
    today = company.today(now)
    days = [today - timedelta(days=back) for back in range(CHART_DAYS - 1, -1, -1)]
    bounds = [local_midnight(company, day) for day in days] + [local_midnight(company, today + timedelta(days=1))]
    daily = await store.activity(company.id, bounds)
    [week] = await store.activity(company.id, [bounds[-8], bounds[-1]])
    [month] = await store.activity(company.id, [bounds[0], bounds[-1]])
    return StatsOut(
        company_id=company.id,
        company_name=company.name,
        timezone=company.timezone,
        generated_at=now,
        last_7_days=period(week),
        last_30_days=period(month),
        days=[
            DayStats(
                date=day.isoformat(),
                messages_in=a.messages_in,
                messages_out=a.messages_out,
                bookings_created=a.bookings_created,
                bookings_moved=a.bookings_moved,
                bookings_cancelled=a.bookings_cancelled,
            )
            for day, a in zip(days, daily, strict=True)
        ],
        yesterday=digest_out(await digest_figures(store, company, today - timedelta(days=1))),
    )


async def stats(request: web.Request) -> web.Response:
    ctx = context(request)
    company = await company_of(request)
    return reply(await company_stats(ctx.store, company, now_of(ctx)))


C = "/api/v1/companies/{company_id}"
ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        C + "/stats",
        stats,
        Access.COMPANY,
        "What the assistant did: last 7 and 30 days and per day (the stats page's data)",
        None,
        StatsOut,
        errors=(404,),
        tag="stats",
        scope=Scope.STATUS,
    ),
)
