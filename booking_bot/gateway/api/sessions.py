"""Session operations for the API, on whichever gateway holds the company.

Status is read from Redis (every gateway publishes its sessions there), so any gateway answers it. The QR code,
pairing and logout need the live session: the gateway holding the company's lease runs them. A request that lands
on another gateway is relayed through Redis: `RPUSH bb:gw:cmd:{holder}` a command with a deadline, the holder runs
it and `RPUSH bb:gw:reply:{id}` the answer, which the asking gateway `BLPOP`s. Nothing is logged with a QR string,
a pairing code or a phone number.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import segno
from redis.asyncio import Redis

from booking_bot.gateway.api.errors import ApiError
from booking_bot.gateway.manager import SessionManager
from integrations import redis_keys as keys
from integrations.whatsapp.session import QR_WINDOW_SECONDS, CompanySession, NotConnected, SessionState

log = logging.getLogger(__name__)
WAITING = "waiting"  # no gateway has published a status for the company yet
LINKED = {SessionState.CONNECTING, SessionState.CONNECTED, SessionState.RECONNECTING, SessionState.BANNED}
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")


def qr_svg(text: str) -> str:
    """The QR as a standalone SVG (4-module quiet zone, white background so it scans in dark mode too)."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="l").save(
        buffer, kind="svg", xmldecl=False, omitsize=True, border=4, dark="#000", light="#fff", svgclass=None
    )
    return buffer.getvalue().decode()


def phone_digits(phone: str) -> str:
    if not PHONE.match(phone):
        raise ApiError(422, "bad_phone", "give the phone number with its country code, e.g. +44 7700 900123")
    digits = re.sub(r"\D", "", phone)
    if not 7 <= len(digits) <= 15:
        raise ApiError(422, "bad_phone", "give the phone number with its country code, e.g. +44 7700 900123")
    return digits


async def session_view(redis: Redis, company_id: str) -> dict[str, Any]:
    """The company's session as the page shows it, from Redis (any gateway can answer)."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hgetall(keys.status(company_id))
        pipe.hget(keys.JIDS, company_id)
        pipe.get(keys.pairing(company_id))
        status, jid_user, pairing_started = await pipe.execute()
    fields = {k.decode(): v.decode() for k, v in status.items()}
    state = fields.get("state", WAITING)
    expires_at = None
    if state == SessionState.PAIRING_QR.value and pairing_started is not None:
        expires_at = float(pairing_started) + QR_WINDOW_SECONDS
    return {
        "state": state,
        "since": fields.get("since") or None,
        "detail": fields.get("detail") or None,
        "paused_until": fields.get("paused_until") or None,
        "number": f"+{jid_user.decode()}" if jid_user and state in {s.value for s in LINKED} else None,
        "qr_expires_at": expires_at,
        "gateway": fields.get("gateway") or None,
    }


@dataclass
class Pairing:
    session: CompanySession
    task: asyncio.Task[None]


class LocalSessions:
    """Runs session operations on the sessions this gateway holds."""

    def __init__(self, manager: SessionManager, redis: Redis) -> None:
        self._manager = manager
        self._redis = redis
        self._pairings: dict[str, Pairing] = {}

    def holds(self, company_id: str) -> bool:
        return company_id in self._manager.held

    def _session(self, company_id: str) -> CompanySession:
        held = self._manager.held.get(company_id)
        if held is None:
            raise ApiError(409, "moving", "the session is moving between gateways: try again in a few seconds")
        return held.session

    async def execute(self, company_id: str, op: str, args: dict[str, Any]) -> dict[str, Any]:
        if op == "qr":
            return self._qr(company_id)
        if op == "pair":
            await self._start_pairing(company_id)
            return {}
        if op == "code":
            return {"code": await self._pairing_code(company_id, str(args.get("phone", "")))}
        if op == "logout":
            await self._logout(company_id)
            return {}
        raise ApiError(400, "bad_command", f"unknown session command {op!r}")

    def _qr(self, company_id: str) -> dict[str, Any]:
        session = self._session(company_id)
        if session.state is SessionState.UNPAIRED and session.unreachable:
            message = "WhatsApp cannot be reached from the gateway yet: start a pairing again in a minute"
            raise ApiError(503, "whatsapp_unreachable", message, headers={"Retry-After": "60"})
        if session.state is not SessionState.PAIRING_QR or session.qr_code is None:
            raise ApiError(404, "no_qr", "no QR code right now: start a pairing")
        return {"qr": session.qr_code.decode()}

    def _running(self, company_id: str, session: CompanySession) -> bool:
        pairing = self._pairings.get(company_id)
        return pairing is not None and pairing.session is session and not pairing.task.done()

    async def _start_pairing(self, company_id: str) -> CompanySession:
        session = self._session(company_id)
        if session.state in LINKED or session.state is SessionState.FAILED:
            raise ApiError(409, "linked", "this company's WhatsApp is linked: unlink it first")
        if self._running(company_id, session) or session.state in (SessionState.PAIRING_QR, SessionState.PAIRING_CODE):
            raise ApiError(409, "pairing", "a pairing is running: a new code can be asked for when its window ends")
        if session.state in (SessionState.STOPPED, SessionState.REPLACED):
            raise ApiError(409, "moving", "the session is restarting: try again in a few seconds")
        if session.state is SessionState.LOGGED_OUT:
            await session.connect_once()  # no number any more: back to unpaired, from where pairing starts
        task = asyncio.create_task(self._pair(session), name=f"pair:{company_id}")
        self._pairings[company_id] = Pairing(session, task)
        log.info("company=%s QR pairing started", company_id)
        return session

    @staticmethod
    async def _pair(session: CompanySession) -> None:
        try:
            await session.pair_qr()
        except Exception:
            log.exception("company=%s QR pairing failed", session.company_id)

    async def _pairing_code(self, company_id: str, phone: str) -> str:
        digits = phone_digits(phone)
        session = self._session(company_id)
        if session.state is not SessionState.PAIRING_QR or not self._running(company_id, session):
            session = await self._start_pairing(company_id)
        # The code is asked for on the pairing's client, which exists once pair_qr has started it.
        for _ in range(100):
            if session.state is SessionState.PAIRING_QR and session.client is not None:
                break
            await asyncio.sleep(0.05)
        try:
            code = await session.pair_code(digits)
        except NotConnected as exc:
            raise ApiError(409, "pairing", "no pairing is running: start one and try again") from exc
        except TimeoutError as exc:
            raise ApiError(504, "whatsapp_timeout", "WhatsApp did not answer in time: try again") from exc
        except Exception as exc:
            log.warning("company=%s pairing code refused (%s)", company_id, type(exc).__name__)
            raise ApiError(502, "whatsapp_refused", "WhatsApp refused a pairing code: check the number") from exc
        log.info("company=%s pairing code issued", company_id)
        return code

    async def _logout(self, company_id: str) -> None:
        session = self._session(company_id)
        pairing = self._pairings.pop(company_id, None)
        if pairing is not None:
            pairing.task.cancel()
        await session.stop(logout=True)
        await self._redis.hdel(keys.JIDS, company_id)  # type: ignore[misc]
        await self._redis.delete(keys.pairing(company_id))
        # The stopped session is closed and its lease released; the next lease round opens it again, unpaired.
        await self._manager._close(company_id, release=True)  # private: a public reopen() is asked for
        log.info("company=%s unlinked", company_id)

    def reap(self) -> None:
        """Cancel pairings whose session this gateway no longer holds (lease lost, shutdown)."""
        for company_id, pairing in list(self._pairings.items()):
            held = self._manager.held.get(company_id)
            if pairing.task.done() or held is None or held.session is not pairing.session:
                pairing.task.cancel()
                del self._pairings[company_id]

    async def close(self) -> None:
        tasks = [pairing.task for pairing in self._pairings.values()]
        self._pairings.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


class SessionControl:
    """Runs a session command where the session lives: here, or on the holder through the Redis relay."""

    def __init__(self, redis: Redis, local: LocalSessions, gateway_id: str) -> None:
        self._redis = redis
        self.local = local
        self.gateway_id = gateway_id
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, company_id: str, op: str, args: dict[str, Any] | None = None, wait: float = 10.0) -> Any:
        args = args or {}
        holder = await self._redis.get(keys.lease(company_id))
        if holder is None:
            raise ApiError(409, "moving", "no gateway holds this company's session yet: try again in a few seconds")
        if holder.decode() == self.gateway_id:
            return await self.local.execute(company_id, op, args)
        return await self._relay(holder.decode(), company_id, op, args, wait)

    async def _relay(self, holder: str, company_id: str, op: str, args: dict[str, Any], wait: float) -> Any:
        request_id = secrets.token_hex(12)
        command = {"id": request_id, "company": company_id, "op": op, "args": args, "deadline": time.time() + wait}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(keys.gateway_commands(holder), json.dumps(command))
            pipe.expire(keys.gateway_commands(holder), 60)
            await pipe.execute()
        answer = await self._redis.blpop([keys.gateway_reply(request_id)], timeout=wait)  # type: ignore[misc]
        if answer is None:
            raise ApiError(504, "gateway_timeout", "the gateway holding this session did not answer: try again")
        reply = json.loads(answer[1])
        if reply["status"] != 200:
            raise ApiError(reply["status"], reply["body"]["error"], reply["body"]["message"])
        return reply["body"]

    async def serve(self) -> None:
        """Run the commands other gateways relay to this one (one task each: a pairing code may take a while)."""
        while True:
            item = await self._redis.blpop([keys.gateway_commands(self.gateway_id)], timeout=1)  # type: ignore[misc]
            self.local.reap()
            if item is None:
                continue
            task = asyncio.create_task(self._answer(json.loads(item[1])))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _answer(self, command: dict[str, Any]) -> None:
        if time.time() > float(command["deadline"]):
            return  # the asking gateway gave up: doing it now would surprise the staff
        try:
            body = await self.local.execute(command["company"], command["op"], command["args"])
            reply: dict[str, Any] = {"status": 200, "body": body}
        except ApiError as exc:
            reply = {"status": exc.status, "body": exc.body()}
        except Exception:
            log.exception("company=%s relayed session command failed", command["company"])
            reply = {"status": 500, "body": {"error": "internal", "message": "the session command failed"}}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(keys.gateway_reply(command["id"]), json.dumps(reply))
            pipe.expire(keys.gateway_reply(command["id"]), 30)
            await pipe.execute()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.local.close()
