"""The stats page's "Yesterday" card in real headless Chromium: the owner's digest figures (bookings the assistant
made, freed times refilled from the waiting list, no-shows, requests for a person not answered), the API's numbers,
in English and Russian. Screenshot: docs/screenshots/stats-3-yesterday-en.png."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from playwright.async_api import Browser

from booking_bot.domain import Event, EventType, InboundMessage, event_id
from booking_bot.ports import Store
from tests.api.conftest import gateway_redis_url  # noqa: F401 - the fixture
from tests.api.harness import gateway_settings, running_gateway
from tests.browser.test_qr_page import SHOTS, WAIT_MS, browser, phone  # noqa: F401 - the fixture

COMPANY = "salon-y"


async def seed_yesterday(store: Store, yesterday_noon: datetime) -> None:
    """3 bookings by the assistant (1 from the waiting list), 1 no-show, 2 handoffs of which staff answered 1."""
    chats = [f"1555000001{n}@s.whatsapp.net" for n in range(3)]

    async def record(kind: EventType, key: str, **data: object) -> None:
        await store.record_event(
            Event(id=event_id(COMPANY, kind, key), company_id=COMPANY, type=kind, occurred_at=yesterday_noon, data=data)
        )

    for n in range(3):
        await record(EventType.BOOKING_CREATED, f"b{n}")
    await record(EventType.WAITLIST_BOOKED, "o1")
    booking = {"id": "b-missed", "start": (yesterday_noon - timedelta(hours=2)).isoformat()}
    await record(EventType.VISIT_NO_SHOW, "b-missed", booking=booking)
    for n in (1, 2):
        await record(EventType.HANDOFF_REQUESTED, f"h{n}", chat_id=chats[n], message_id=f"h{n}", text="a person")
    answered = InboundMessage(
        company_id=COMPANY,
        message_id="staff-1",
        chat_id=chats[1],
        text="Hi, Maria here",
        received_at=yesterday_noon + timedelta(minutes=5),
        from_me=True,
    )
    await store.record_inbound(answered)


async def test_the_stats_page_shows_yesterdays_digest(
    gateway_redis_url: str,  # noqa: F811
    tmp_path: Path,
    browser: Browser,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company(COMPANY, "Salon Yara")  # UTC: the salon's yesterday is UTC's
        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        await seed_yesterday(gw.ctx.store, datetime.combine(yesterday, time(12), tzinfo=UTC))
        api = await (await gw.call("GET", f"/api/v1/companies/{COMPANY}/digest", token=token)).json()
        assert (api["bookings_made"], api["refilled"], api["no_shows"]) == (3, 1, 1)
        assert (api["handoffs"], api["handoffs_unanswered"]) == (2, 1)

        context, page, errors = await phone(browser)
        await page.set_viewport_size({"width": 390, "height": 1100})
        await page.goto(gw.url(f"/qr/stats.html?company={COMPANY}#token={token}"))
        await page.wait_for_selector('body[data-ready="true"]', timeout=WAIT_MS)

        async def tile(metric: str) -> str:
            return await page.inner_text(f'#yesterday .tile[data-metric="{metric}"] .value')

        assert await tile("bookingsMade") == "3"
        assert await tile("refilled") == "1"
        assert await tile("noShows") == "1"
        assert await tile("handoffsUnanswered") == "1 of 2"
        await page.screenshot(path=str(SHOTS / "stats-3-yesterday-en.png"), full_page=True)
        await page.select_option("#lang", "ru")
        assert await page.inner_text('#yesterday .tile[data-metric="noShows"] .label') == "неявок"
        assert await tile("handoffsUnanswered") == "1 из 2"
        assert errors == []
        await context.close()
