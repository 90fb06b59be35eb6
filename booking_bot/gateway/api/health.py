"""Each number's health for the staff page (`SessionOut.health`) and /metrics: what happened to its outgoing messages
in the last 24 hours, WhatsApp's pause on it, and its warm-up (docs/gateway.md, "Ban-safe sending")."""

from __future__ import annotations

from redis.asyncio import Redis

from booking_bot.gateway.api.base import ApiContext
from booking_bot.gateway.api.models import NumberHealthOut
from booking_bot.gateway.outbound import NumberReport, Outbound
from integrations.redis_metrics import escape
from integrations.whatsapp.sending import Figure


def health_of(report: NumberReport) -> NumberHealthOut:
    counts, warm_up = report.figures, report.warm_up
    return NumberHealthOut(
        sent_24h=counts.count(Figure.SENT),
        failed_24h=counts.count(Figure.FAILED),
        paused_24h=counts.count(Figure.PAUSED),
        held_back_24h=counts.count(Figure.HELD_BACK),
        refused_24h=counts.count(Figure.REFUSED),
        pause_reason=counts.pause_reason.value if counts.pause_reason else None,
        warmup_day=warm_up.day,
        warmup_days=warm_up.days,
        proactive_left_today=warm_up.left,
    )


async def health_out(ctx: ApiContext, company_id: str) -> NumberHealthOut | None:
    """The number's health (None on a gateway built without sending rules)."""
    outbound = ctx.manager.outbound
    if outbound is None:
        return None
    return health_of((await outbound.report(ctx.redis, [company_id]))[company_id])


async def health_metrics(redis: Redis, outbound: Outbound | None, companies: list[str]) -> list[str]:
    """Prometheus lines: per company, the last 24 hours' figures, whether WhatsApp has it paused, its warm-up."""
    if outbound is None:
        return []
    lines = [
        "# TYPE booking_bot_number_messages_24h gauge",
        "# TYPE booking_bot_number_paused gauge",
        "# TYPE booking_bot_number_warmup_day gauge",
        "# TYPE booking_bot_number_proactive_left gauge",
    ]
    for company_id, report in (await outbound.report(redis, companies)).items():
        company = escape(company_id)
        for figure in Figure:
            count = report.figures.count(figure)
            lines.append(f'booking_bot_number_messages_24h{{company="{company}",figure="{figure.value}"}} {count}')
        reason = report.figures.pause_reason
        lines.append(f'booking_bot_number_paused{{company="{company}",reason="{reason or ""}"}} {int(bool(reason))}')
        lines.append(f'booking_bot_number_warmup_day{{company="{company}"}} {report.warm_up.day or 0}')
        left = report.warm_up.left
        if left is not None:
            lines.append(f'booking_bot_number_proactive_left{{company="{company}"}} {left}')
    return lines
