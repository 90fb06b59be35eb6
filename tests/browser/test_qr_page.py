"""The staff QR page in real headless Chromium (Debian's, through Playwright): QR shown → the phone pairs →
"connected" with the number → unlink → a new QR. Each state's screenshot goes to docs/screenshots/."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from booking_bot.settings import PROJECT_ROOT
from tests.api.conftest import gateway_redis_url  # noqa: F401 - the fixture
from tests.api.harness import Gateway, gateway_settings, running_gateway

CHROMIUM = shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = PROJECT_ROOT / "docs" / "screenshots"
WAIT_MS = 10_000


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if CHROMIUM is None:
        pytest.fail("Chromium is missing: scripts/services.sh installs Debian's chromium (apt-get install chromium)")
    # Playwright's launch() gives the browser a fresh temporary profile (its own --user-data-dir) every time.
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30_000)
        yield launched
        await launched.close()


async def phone(browser: Browser) -> tuple[BrowserContext, Page, list[str]]:
    context = await browser.new_context(viewport={"width": 390, "height": 780}, device_scale_factor=2, locale="en-US")
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return context, page, errors


async def qr_on_screen(page: Page) -> None:
    await page.wait_for_selector('#card[data-state="pairing_qr"]', timeout=WAIT_MS)
    await page.wait_for_function(
        "() => { const i = document.getElementById('qr'); return i.src.startsWith('blob:') && i.complete"
        " && i.naturalWidth > 0 && !document.getElementById('qr-box').hidden; }",
        timeout=WAIT_MS,
    )


async def test_staff_page_pairs_shows_the_number_unlinks_and_shows_a_new_qr(
    gateway_redis_url: str,  # noqa: F811
    tmp_path: Path,
    browser: Browser,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company("salon-a", "Salon Aurora")
        await gw.wait_state("salon-a", "unpaired")
        context, page, errors = await phone(browser)
        await page.goto(gw.url(f"/qr/?company=salon-a#token={token}"))

        # 1. Opened with the staff token: the page starts a pairing by itself and shows the QR.
        await qr_on_screen(page)
        assert token not in page.url  # the token left the address bar
        assert await page.inner_text("#status") == "Scan the code"
        assert "Code valid for 2:" in await page.inner_text("#countdown")
        assert await page.is_disabled("#new-code")
        first_qr = await page.get_attribute("#qr", "src")
        await page.screenshot(path=str(SHOTS / "qr-1-scan.png"), full_page=True)

        # 2. The phone scans: the fake WhatsApp pairs the device; the page shows "connected" with the number.
        await pair(gw, "15550000009")
        await page.wait_for_selector('#card[data-state="connected"]', timeout=WAIT_MS)
        assert await page.inner_text("#status") == "Connected"
        assert await page.inner_text("#number") == "+15550000009"
        assert await page.is_hidden("#qr-box") and await page.is_hidden("#pair-actions")
        await page.screenshot(path=str(SHOTS / "qr-2-connected.png"), full_page=True)

        # 3. Unlink asks first; cancelling changes nothing.
        await page.click("#unlink")
        await page.wait_for_selector("#confirm", state="visible")
        await page.screenshot(path=str(SHOTS / "qr-3-confirm-unlink.png"), full_page=True)
        await page.click("#cancel-unlink")
        assert await page.is_hidden("#confirm") and await gw.state("salon-a") == "connected"

        # 4. Unlink for real: the number is logged out and a new QR comes up.
        await page.click("#unlink")
        await page.click("#confirm-unlink")
        await qr_on_screen(page)
        assert await page.get_attribute("#qr", "src") != first_qr
        assert await gw.redis.hget("bb:wa:jid", "salon-a") is None
        assert await page.inner_text("#number") == ""
        await page.screenshot(path=str(SHOTS / "qr-4-back-to-qr.png"), full_page=True)
        assert errors == []
        await context.close()


async def pair(gw: Gateway, number: str) -> None:
    await gw.client_of("salon-a").complete_pairing(number)


async def test_page_speaks_the_browser_language_and_refuses_a_wrong_token(
    gateway_redis_url: str,  # noqa: F811
    tmp_path: Path,
    browser: Browser,
) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company("salon-a", "Salon Aurora")
        await gw.wait_state("salon-a", "unpaired")
        context = await browser.new_context(viewport={"width": 390, "height": 780}, locale="ru-RU")
        page = await context.new_page()
        await page.goto(gw.url(f"/qr/?company=salon-a#token={token}"))
        await page.wait_for_selector('#card[data-state="pairing_qr"]', timeout=WAIT_MS)
        assert await page.inner_text("#status") == "Отсканируйте код"
        await page.select_option("#lang", "es")
        assert await page.inner_text("#status") == "Escanea el código"
        await page.goto(gw.url("/qr/?company=salon-a&lang=pt#token=salon-a.wrong"))
        await page.wait_for_selector('#card[data-state="error"]', timeout=WAIT_MS)
        assert "não é mais válido" in await page.inner_text("#status")
        await page.screenshot(path=str(SHOTS / "qr-5-bad-link-pt.png"), full_page=True)
        await context.close()
