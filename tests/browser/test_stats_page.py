"""The stats page in real headless Chromium (Debian's, through Playwright), against a real gateway whose store holds
a few days of activity: the numbers on the tiles are the API's, the chart is drawn, Russian works, and a bad token
says so. Screenshots go to docs/screenshots/stats-*.png."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser

from booking_bot.domain import Event, EventType, InboundMessage, OutboundMessage, event_id
from booking_bot.ports import Store
from tests.api.conftest import gateway_redis_url  # noqa: F401 - the fixture
from tests.api.harness import gateway_settings, running_gateway
from tests.browser.test_qr_page import SHOTS, WAIT_MS, browser, phone  # noqa: F401 - the fixture

COMPANY = "salon-a"


async def seed(store: Store, now: datetime) -> None:
    """Three days of activity: 9 messages in, 2 bookings, 1 move, 1 reminder. The store stamps replies with its own
    clock (now), so only today's three messages (20, 40 and 60 s ago) get their two replies: median 40 s."""
    for day in range(3):
        for n in range(3):
            at = now - timedelta(seconds=20 * (n + 1)) if day == 0 else now - timedelta(days=day, hours=n + 1)
            message_id = f"m{day}{n}"
            chat = f"1555000000{n}@s.whatsapp.net"
            inbound = InboundMessage(company_id=COMPANY, message_id=message_id, chat_id=chat, text="hi", received_at=at)
            await store.record_inbound(inbound)
            for index in range(2 if day == 0 else 0):
                key = f"out:{COMPANY}:{message_id}:{index}"
                await store.record_outbound(
                    OutboundMessage(
                        company_id=COMPANY, chat_id=chat, text="hello", reply_to=message_id, idempotency_key=key
                    )
                )
            understanding = {"decided_by": "stage1", "why": "stage1_sure" if n < 2 else "no_provider"}
            await record(store, EventType.MESSAGE_RECEIVED, message_id, at, understanding=understanding)
    await record(store, EventType.BOOKING_CREATED, "b1", now - timedelta(minutes=2))
    await record(store, EventType.BOOKING_CREATED, "b2", now - timedelta(days=1))
    await record(store, EventType.BOOKING_MOVED, "b3", now - timedelta(days=1))
    await record(store, EventType.REMINDER_SENT, "r1", now - timedelta(minutes=3))


async def record(store: Store, kind: EventType, key: str, at: datetime, **data: object) -> None:
    await store.record_event(
        Event(id=event_id(COMPANY, kind, key), company_id=COMPANY, type=kind, occurred_at=at, data=dict(data))
    )


async def test_stats_page_shows_the_numbers_and_a_chart_in_two_languages(
    gateway_redis_url: str,  # noqa: F811
    tmp_path: Path,
    browser: Browser,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company(COMPANY, "Salon Aurora")
        now = datetime.now(UTC) - timedelta(seconds=1)
        await seed(gw.ctx.store, now)
        context, page, errors = await phone(browser)
        await page.set_viewport_size({"width": 390, "height": 900})
        await page.goto(gw.url(f"/qr/stats.html?company={COMPANY}#token={token}"))
        await page.wait_for_selector('body[data-ready="true"]', timeout=WAIT_MS)
        assert token not in page.url
        api = await (await gw.call("GET", f"/api/v1/companies/{COMPANY}/stats", token=token)).json()
        week = api["last_7_days"]
        assert (week["messages_in"], week["messages_out"], week["bookings_created"]) == (9, 6, 2)

        async def tile(metric: str) -> str:
            return await page.inner_text(f'.tile[data-metric="{metric}"] .value')

        assert await tile("messagesIn") == "9"
        assert await tile("messagesOut") == "6"
        assert (await tile("medianReply")).startswith("4")  # 40-41 s: the replies' stamps are the store's own now
        assert await tile("conversations") == "3"
        assert await tile("bookingsCreated") == "2"
        assert await tile("bookingsMoved") == "1"
        assert await tile("remindersSent") == "1"
        assert await tile("understood") == "67%"  # 6 of 9 read by the local parser alone
        assert await page.locator("#chart svg rect.bar-in").count() == 7
        assert await page.inner_text("#salon") == "Salon Aurora"
        await page.screenshot(path=str(SHOTS / "stats-1-week-en.png"), full_page=True)

        await page.click("#p30")
        assert await page.locator("#chart svg rect.bar-in").count() == 30
        await page.select_option("#lang", "ru")
        assert await page.inner_text("#title") == "Что сделал ассистент"
        assert await page.inner_text('.tile[data-metric="bookingsCreated"] .label') == "записей создано"
        await page.screenshot(path=str(SHOTS / "stats-2-month-ru.png"), full_page=True)
        assert errors == []

        stranger, bad_page, _ = await phone(browser)
        await bad_page.goto(gw.url(f"/qr/stats.html?company={COMPANY}&lang=pt#token={COMPANY}.wrong"))
        await bad_page.wait_for_selector("#error:not([hidden])", timeout=WAIT_MS)
        assert "já não é válida" in await bad_page.inner_text("#error")
        await stranger.close()
        await context.close()
