"""The demo's chat page in real headless Chromium (Debian's, through Playwright): a customer asks for a taken time
and joins the waiting list in the page, the first customer cancels (through the chat API, as from a second tab),
and the waiting list's offer appears in the page by itself (the page polls what the bot wrote on its own); a "yes"
typed there books it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page

from booking_bot.settings import Settings
from booking_bot.web.demo import create_app
from tests.browser.test_qr_page import WAIT_MS, browser, phone  # noqa: F401 - the fixture
from tests.conftest import FixedClock

ServerFactory = Callable[..., Awaitable[TestServer]]
FIRST, SECOND = "+15550000001", "+15550000002"
ASK = "Can I book a men's haircut with Anna tomorrow at 3pm?"


async def type_message(page: Page, text: str, replies_before: int) -> None:
    """Send `text` from the composer and wait for the bot's answer to it."""
    await page.fill("#input", text)
    await page.press("#input", "Enter")
    await page.wait_for_function(
        f"() => document.querySelectorAll('.msg-in:not(.typing)').length > {replies_before}"
        " && !document.querySelector('.typing')",
        timeout=WAIT_MS,
    )


async def bot_texts(page: Page) -> list[str]:
    return [t.strip() for t in await page.locator(".msg-in .text").all_inner_texts()]


async def test_the_waiting_lists_offer_appears_in_the_chat_by_itself(
    aiohttp_server: ServerFactory,
    settings: Settings,
    clock: FixedClock,
    browser: Browser,  # noqa: F811
) -> None:
    server = await aiohttp_server(create_app(settings, clock=clock, scheduler_seconds=0.2))
    url = f"http://{server.host}:{server.port}"

    async with ClientSession() as http:

        async def first_says(text: str) -> str:
            payload: dict[str, Any] = {"customer": FIRST, "name": "Alex", "text": text}
            async with http.post(f"{url}/demo/api/chat", json=payload) as response:
                assert response.status == 200
                return str((await response.json())["replies"][0])

        assert "Shall I book this?" in await first_says(ASK)
        assert "You are booked" in await first_says("yes")

        context, page, errors = await phone(browser)
        await page.goto(url + "/")
        await page.click("#settings summary")  # closed on a phone's width
        await page.fill("#set-phone", SECOND)
        await page.press("#set-phone", "Enter")
        await type_message(page, ASK, 0)
        assert any("Shall I tell you if something frees up" in t for t in await bot_texts(page))
        before = len(await bot_texts(page))
        await type_message(page, "yes", before)
        assert any("I'll write to you here if a time frees up" in text for text in (await bot_texts(page))[before:])

        assert "cancel" in (await first_says("cancel my appointment")).lower()
        assert "cancelled" in await first_says("yes")
        joined = len(await bot_texts(page))
        await page.wait_for_function(
            f"() => document.querySelectorAll('.msg-in .text').length > {joined}", timeout=WAIT_MS
        )
        offer = (await bot_texts(page))[-1]
        assert offer.startswith("A time has freed up: Men's haircut with Anna, tomorrow, Saturday, 28 November")

        await type_message(page, "yes", joined + 1)
        assert any("You are booked" in text for text in (await bot_texts(page))[joined + 1 :])
        await page.wait_for_timeout(3_500)  # a poll later: the offer is not shown twice
        assert (await bot_texts(page)).count(offer) == 1
        assert errors == []
        await context.close()
