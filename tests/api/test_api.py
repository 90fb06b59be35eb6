"""The API and the session behind it: pairing by QR and by code, unlinking, tokens, limits, CORS, operations."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from redis import Redis as SyncRedis

from booking_bot.domain import Booking, Company, Customer, Outcome, OutcomeKind
from booking_bot.gateway.api.auth import secret_hash
from booking_bot.gateway.api.sessions import qr_svg
from booking_bot.gateway.app import create_app
from booking_bot.metrics import CountingBackend
from integrations.redis_metrics import RedisMetrics
from tests.api.harness import ADMIN_TOKEN, gateway_settings, running_gateway

FAKE_QR = "https://wa.me/settings/linked_devices#fake-ref,fake-keys"


@pytest.mark.parametrize("token", [None, "short"])
def test_gateway_refuses_to_start_without_a_strong_admin_token(
    gateway_redis_url: str, tmp_path: Path, token: str | None
) -> None:
    settings = gateway_settings(gateway_redis_url, tmp_path, admin_token=SecretStr(token) if token else None)
    with pytest.raises(ValueError, match="BOOKING_BOT_ADMIN_TOKEN"):
        create_app(settings)


async def test_pair_by_qr_then_unlink_and_get_a_new_qr(
    gateway_redis_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company("salon-a", "Salon A")
        await gw.wait_state("salon-a", "unpaired")
        base = "/api/v1/companies/salon-a/session"
        started = await gw.call("POST", base + "/pairing", token=token)
        assert started.status == 202
        await gw.wait_state("salon-a", "pairing_qr")
        view = await (await gw.call("GET", base, token=token)).json()
        assert view["qr_expires_at"] is not None and view["number"] is None
        qr = await gw.call("GET", base + "/qr", token=token)
        assert qr.status == 200 and qr.content_type == "image/svg+xml"
        assert await qr.text() == qr_svg(FAKE_QR)  # the session's own code, rendered server-side
        assert "no-store" in qr.headers["Cache-Control"]
        again = await gw.call("POST", base + "/pairing", token=token)
        assert again.status == 409 and (await again.json())["error"] == "pairing"

        await gw.client_of("salon-a").complete_pairing("15550000009")
        await gw.wait_state("salon-a", "connected")
        view = await (await gw.call("GET", base, token=token)).json()
        assert view["number"] == "+15550000009" and view["company_name"] == "Salon A"
        assert (await gw.call("GET", base + "/qr", token=token)).status == 404
        linked = await gw.call("POST", base + "/pairing", token=token)
        assert linked.status == 409 and (await linked.json())["error"] == "linked"

        unlinked = await gw.call("POST", base + "/logout", token=token)
        assert unlinked.status == 202
        await gw.wait_state("salon-a", "unpaired")
        assert await gw.redis.hget("bb:wa:jid", "salon-a") is None
        assert (await gw.call("POST", base + "/pairing", token=token)).status == 202
        await gw.wait_state("salon-a", "pairing_qr")
        assert (await gw.call("GET", base + "/qr", token=token)).status == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (FAKE_QR, "fake-keys", "15550000009", token, token.rpartition(".")[2], ADMIN_TOKEN):
        assert secret not in logged


async def test_pairing_code_for_a_phone_number(
    gateway_redis_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company("salon-a", "Salon A")
        await gw.wait_state("salon-a", "unpaired")
        base = "/api/v1/companies/salon-a/session"
        bad = await gw.call("POST", base + "/pairing-code", token=token, json={"phone": "call me"})
        assert bad.status == 422 and (await bad.json())["error"] == "bad_phone"
        answer = await gw.call("POST", base + "/pairing-code", token=token, json={"phone": "+1 555 000 0009"})
        assert answer.status == 200, await answer.text()
        assert await answer.json() == {"code": "ABCD-1234"}
        assert await gw.state("salon-a") == "pairing_code"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ABCD-1234" not in logged and "5550000009" not in logged


async def test_new_code_is_rate_limited_per_company(gateway_redis_url: str, tmp_path: Path) -> None:
    settings = gateway_settings(gateway_redis_url, tmp_path, api_new_code_interval_seconds=30)
    async with running_gateway(settings) as gw:
        token = await gw.create_company("salon-a", "Salon A")
        await gw.wait_state("salon-a", "unpaired")
        path = "/api/v1/companies/salon-a/session/pairing"
        assert (await gw.call("POST", path, token=token)).status == 202
        limited = await gw.call("POST", path, token=token)
        assert limited.status == 429 and 0 < int(limited.headers["Retry-After"]) <= 30


async def test_token_guessing_is_answered_with_429_even_for_a_right_token(
    gateway_redis_url: str, tmp_path: Path
) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path, api_auth_failures_per_minute=3)) as gw:
        token = await gw.create_company("salon-a", "Salon A")
        for guess in range(3):
            assert (await gw.call("GET", "/api/v1/companies/salon-a/session", token=f"salon-a.{guess}")).status == 401
        blocked = await gw.call("GET", "/api/v1/companies/salon-a/session", token=token)
        assert blocked.status == 429 and int(blocked.headers["Retry-After"]) > 0
        assert (await gw.call("GET", "/health", token=None)).status == 200


async def test_rotating_the_staff_token_retires_the_old_one(gateway_redis_url: str, tmp_path: Path) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        old = await gw.create_company("salon-a", "Salon A")
        issued = await (await gw.call("POST", "/api/v1/companies/salon-a/staff-token")).json()
        assert issued["page"] == f"/qr/?company=salon-a#token={issued['token']}"
        assert (await gw.call("GET", "/api/v1/companies/salon-a/session", token=old)).status == 401
        assert (await gw.call("GET", "/api/v1/companies/salon-a/session", token=issued["token"])).status == 200
        stored = await gw.ctx.store.get_company("salon-a")
        assert stored.staff_token_hash == secret_hash(issued["token"].rpartition(".")[2])  # only the hash is kept


async def test_admin_creates_updates_and_lists_companies_without_leaking_secrets(
    gateway_redis_url: str, tmp_path: Path
) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        token = await gw.create_company("salon-a", "Salon A")
        exists = await gw.call("POST", "/api/v1/companies", json={"id": "salon-a", "name": "Again"})
        assert exists.status == 409
        invalid = await gw.call("PUT", "/api/v1/companies/salon-a", json={"name": "A", "timezone": "Mars/Base"})
        assert invalid.status == 422 and (await invalid.json())["error"] == "invalid"
        backend = {"kind": "yclients", "company_id": 42, "partner_token": "p-secret-1", "user_token": "u-secret-2"}
        body = {"name": "Salon A+", "timezone": "Europe/Lisbon", "default_language": "pt", "backend": backend}
        updated = await gw.call("PUT", "/api/v1/companies/salon-a", json=body)
        assert updated.status == 200
        text = await updated.text()
        assert "p-secret-1" not in text and "u-secret-2" not in text and "staff_token_hash" not in text
        listed = await (await gw.call("GET", "/api/v1/companies")).json()
        [company] = listed["companies"]
        assert company["company"]["timezone"] == "Europe/Lisbon" and company["has_staff_token"] is True
        assert company["session"]["state"] in ("waiting", "unpaired")
        stored = await gw.ctx.store.get_company("salon-a")
        assert stored.backend.partner_token.get_secret_value() == "p-secret-1"  # kept for the backend
        # The update kept the staff token.
        assert (await gw.call("GET", "/api/v1/companies/salon-a/session", token=token)).status == 200


async def test_cors_is_closed_unless_an_origin_is_configured(gateway_redis_url: str, tmp_path: Path) -> None:
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        answer = await gw.client.options("/api/v1/companies/salon-a/session/logout", headers=preflight)
        assert "Access-Control-Allow-Origin" not in answer.headers
        plain = await gw.call("GET", "/api/v1/companies", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in plain.headers
    allowed = gateway_settings(gateway_redis_url, tmp_path, api_cors_origins=["https://admin.example"])
    async with running_gateway(allowed) as gw:
        ok = {"Origin": "https://admin.example", "Access-Control-Request-Method": "POST"}
        answer = await gw.client.options("/api/v1/companies", headers=ok)
        assert answer.status == 204 and answer.headers["Access-Control-Allow-Origin"] == "https://admin.example"
        evil = await gw.client.options("/api/v1/companies", headers=preflight)
        assert "Access-Control-Allow-Origin" not in evil.headers


async def test_ready_and_metrics(gateway_redis_url: str, tmp_path: Path) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        await gw.create_company("salon-a", "Salon A")
        await gw.create_company("salon-b", "Salon B")
        await gw.wait_state("salon-a", "unpaired")
        await gw.wait_state("salon-b", "unpaired")
        ready = await gw.call("GET", "/ready")
        assert ready.status == 200
        assert await ready.json() == {"ok": True, "checks": {"redis": True, "store": True, "sessions": True}}

        # What the workers add to Redis shows in the gateway's /metrics.
        sync = SyncRedis.from_url(gateway_redis_url)
        metrics = RedisMetrics(sync)
        metrics.inc("booking_bot_understanding_total", decided_by="stage1", why="confident")
        counting = CountingBackend(_Booked(), metrics)
        company = Company(id="salon-a", name="Salon A")
        await counting.cancel(company, None, "k")  # type: ignore[arg-type]
        metrics.flush()
        sync.close()
        await gw.redis.rpush("dramatiq:inbound", "m1")
        await gw.redis.hset("dramatiq:inbound.msgs", "m1", '{"message_timestamp": 1000}')

        text = await (await gw.call("GET", "/metrics")).text()
        lines = set(text.splitlines())
        assert 'booking_bot_sessions{state="unpaired"} 2' in lines
        assert 'booking_bot_understanding_total{decided_by="stage1",why="confident"} 1' in lines
        assert 'booking_bot_booking_outcomes_total{kind="cancelled",op="cancel"} 1' in lines
        assert 'booking_bot_queue_depth{queue="inbound"} 1' in lines
        assert any(line.startswith('booking_bot_queue_lag_seconds{queue="inbound"} 17') for line in lines)
        assert 'booking_bot_gateway_inbound_total{gateway="gw-test",result="accepted"} 0' in lines
        assert "booking_bot_messages_out_total 0" in lines


class _Booked:
    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        return Outcome(kind=OutcomeKind.CANCELLED)

    async def book(self, company: Company, customer: Customer, *args: object) -> Outcome:
        return Outcome(kind=OutcomeKind.BOOKED)


async def test_a_session_held_by_another_gateway_is_reached_through_the_relay(
    gateway_redis_url: str, tmp_path: Path
) -> None:
    one = gateway_settings(gateway_redis_url, tmp_path / "one", gateway_id="gw-one")
    two = gateway_settings(gateway_redis_url, tmp_path / "two", gateway_id="gw-two")
    async with running_gateway(one) as gw1:
        token = await gw1.create_company("salon-a", "Salon A")
        await gw1.wait_state("salon-a", "unpaired")
        company = await gw1.ctx.store.get_company("salon-a")
        async with running_gateway(two) as gw2:
            await gw2.ctx.store.upsert_company(company)  # the two share one store in production
            assert "salon-a" not in gw2.ctx.manager.held
            base = "/api/v1/companies/salon-a/session"
            assert (await gw2.call("POST", base + "/pairing", token=token)).status == 202
            await gw1.wait_state("salon-a", "pairing_qr")
            qr = await gw2.call("GET", base + "/qr", token=token)
            assert qr.status == 200 and await qr.text() == qr_svg(FAKE_QR)
            view = await (await gw2.call("GET", base, token=token)).json()
            assert view["gateway"] == "gw-one"
