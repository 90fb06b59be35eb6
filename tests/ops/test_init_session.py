"""`booking-bot init-session` against a real gateway app (fake neonize clients) on real Redis, and standalone."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from redis.asyncio import Redis

from booking_bot.cli import main as cli_main
from booking_bot.gateway.app import RUNTIME
from booking_bot.i18n import Catalogs
from booking_bot.ops.common import EXIT_OK, EXIT_USAGE, print_matrix, qr_matrix
from booking_bot.ops.init_session import Options, standalone
from booking_bot.settings import PROJECT_ROOT, Settings
from integrations import redis_keys as keys
from integrations.storage.sqlite import SqliteStore
from tests.api.harness import ADMIN_TOKEN, Gateway, gateway_settings, running_gateway
from tests.fakes.neonize_fake import FakeClientFactory, FakeNeonizeClient, jid

FAKE_QR = "https://wa.me/settings/linked_devices#fake-ref,fake-keys"  # what the fake client shows


def drawn_qr() -> str:
    out = io.StringIO()
    print_matrix(qr_matrix(FAKE_QR), out)
    return out.getvalue()


class Captured:
    """What a command running in a thread printed so far (capsys reads are destructive: keep them)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self.out = ""
        self.err = ""

    def read(self) -> str:
        got = self._capsys.readouterr()
        self.out += got.out
        self.err += got.err
        return self.out


async def until(predicate: object, limit: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        result = predicate()  # type: ignore[operator]
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def pairing_client(gateway: Gateway, company_id: str) -> FakeNeonizeClient | None:
    """The fake client of the company's running QR pairing, once it has shown its QR."""
    held = gateway.app[RUNTIME].manager.held.get(company_id)
    client = held.session.client if held is not None else None
    return client if isinstance(client, FakeNeonizeClient) and client.qr_shown else None


async def link(client: FakeNeonizeClient, redis: Redis, company_id: str, number: str) -> None:
    """The phone scanned the code: PairStatusEv, then (once the session took it) ConnectedEv. The fake's own
    `complete_pairing` sends both without waiting in between; a session that sees ConnectedEv first refuses the
    transition (pairing_qr → connected) and stays `connecting`. Real WhatsApp sends them seconds apart."""
    client.jid_user = number
    client._dispatch(client.api.PairStatusEv(ID=jid(number)))

    async def taken() -> bool:
        return await redis.hget(keys.status(company_id), "state") == b"connecting"

    await until(taken)
    await client._go_online()


@pytest.fixture
def admin_env(ops_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOOKING_BOT_ADMIN_TOKEN", ADMIN_TOKEN)
    return ops_env


async def test_init_session_creates_the_company_draws_the_qr_and_prints_the_linked_number(
    admin_env: Path, ops_redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = gateway_settings(ops_redis_url, admin_env)
    async with running_gateway(settings) as gateway:
        argv = ["init-session", "--company", "salon-q", "--name", "Salon Q", "--timezone", "Europe/Lisbon"]
        argv += ["--gateway", gateway.url(""), "--timeout", "30"]
        run = asyncio.create_task(asyncio.to_thread(cli_main, argv))
        captured = Captured(capsys)
        await until(lambda: "QR code 1" in captured.read() and pairing_client(gateway, "salon-q") is not None)
        assert drawn_qr() in captured.out  # the gateway's SVG, redrawn module for module in the terminal
        client = pairing_client(gateway, "salon-q")
        assert client is not None
        await link(client, gateway.redis, "salon-q", "15550001234")
        assert await asyncio.wait_for(run, 15) == EXIT_OK
        captured.read()
        assert "Company salon-q created: Salon Q" in captured.out
        assert captured.out.rstrip().endswith("Linked: +15550001234")
        company = await gateway.ctx.store.get_company("salon-q")
        assert company is not None and company.timezone == "Europe/Lisbon"
        assert await gateway.redis.hget(keys.JIDS, "salon-q") == b"15550001234"


async def test_init_session_with_phone_prints_the_pairing_code_in_russian(
    admin_env: Path, ops_redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = gateway_settings(ops_redis_url, admin_env)
    async with running_gateway(settings) as gateway:
        await gateway.create_company("salon-p", "Salon P")
        argv = ["init-session", "--company", "salon-p", "--phone", "+44 7700 900123", "--lang", "ru"]
        argv += ["--gateway", gateway.url(""), "--timeout", "30"]
        run = asyncio.create_task(asyncio.to_thread(cli_main, argv))
        captured = Captured(capsys)
        await until(lambda: "ABCD-1234" in captured.read())
        assert "Код для привязки: ABCD-1234" in captured.out
        client = pairing_client(gateway, "salon-p")
        assert client is not None
        await link(client, gateway.redis, "salon-p", "447700900123")
        assert await asyncio.wait_for(run, 15) == EXIT_OK
        assert "Привязан: +447700900123" in captured.read()


def test_init_session_says_what_to_set_without_the_admin_token(
    ops_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["init-session", "--company", "x", "--gateway", "http://127.0.0.1:9"]) == EXIT_USAGE
    assert "BOOKING_BOT_ADMIN_TOKEN" in capsys.readouterr().err


async def test_init_session_for_an_unknown_company_without_name_is_a_usage_error(
    admin_env: Path, ops_redis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = gateway_settings(ops_redis_url, admin_env)
    async with running_gateway(settings) as gateway:
        argv = ["init-session", "--company", "nope", "--gateway", gateway.url("")]
        assert await asyncio.to_thread(cli_main, argv) == EXIT_USAGE
    assert "give --name to create it" in capsys.readouterr().err


async def test_init_session_standalone_pairs_in_process_and_hands_the_number_to_the_gateways(
    ops_redis_url: str, tmp_path: Path
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, broker="redis", redis_url=ops_redis_url, data_dir=tmp_path, log_level="WARNING"
    )
    redis = Redis.from_url(ops_redis_url)
    factory = FakeClientFactory(redis)
    out = io.StringIO()
    loc = Catalogs(PROJECT_ROOT / "locales").get("en")
    options = Options(
        company="salon-s",
        name="Salon S",
        timezone="UTC",
        language="en",
        currency="EUR",
        phone=None,
        gateway=None,
        timeout=20,
        standalone=True,
    )
    try:
        run = asyncio.create_task(standalone(options, settings, loc, out, factory))
        await until(lambda: bool(factory.clients) and factory.clients[-1].qr_shown and "QR code 1" in out.getvalue())
        holder = await redis.get(keys.lease("salon-s"))
        assert holder is not None and holder.decode().startswith("init-session:")  # no gateway may open it now
        await link(factory.clients[-1], redis, "salon-s", "15550009876")
        assert await asyncio.wait_for(run, 10) == EXIT_OK
        assert drawn_qr() in out.getvalue()
        assert out.getvalue().rstrip().endswith("Linked: +15550009876")
        assert await redis.hget(keys.JIDS, "salon-s") == b"15550009876"
        assert await redis.sismember(keys.COMPANIES, "salon-s")
        assert await redis.get(keys.lease("salon-s")) is None  # released: a gateway resumes the number at once
        store = SqliteStore(tmp_path / "booking_bot.sqlite3", lambda: None)  # type: ignore[arg-type,return-value]
        try:
            company = await store.get_company("salon-s")
        finally:
            store.close()
        assert company is not None and company.currency == "EUR"
    finally:
        await redis.aclose()
