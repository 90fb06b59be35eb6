"""The fake's side of the wire format: the `{"success", "data", "meta"}` envelope, both error shapes, phone digits
and appointment times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from integrations.scheduling.yclients.fake.state import FakeCompany

Json = dict[str, Any]

API_PREFIX = "/api/v1"


class Reject(Exception):
    """An error answer: HTTP status and body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def usual_error(status: int, message: str, code: int | None = None) -> Reject:
    """An error in the usual shape (`success: false`, `meta.message`)."""
    meta: Json = {"message": message}
    if code is not None:
        meta["code"] = code
    return Reject(status, {"success": False, "data": None, "meta": meta})


def second_shape_error(status: int, message: str) -> Reject:
    """An error in the second shape some endpoints use (`errors: {code, message}`)."""
    return Reject(status, {"errors": {"code": status, "message": message}, "meta": {"message": message}})


def ok(data: Any, status: int = 200, meta: Any = None) -> web.Response:
    """A successful answer in the envelope."""
    return web.json_response({"success": True, "data": data, "meta": [] if meta is None else meta}, status=status)


def digits(value: str) -> str:
    """A phone number's digits."""
    return "".join(ch for ch in value if ch.isdigit())


def parse_local(company: FakeCompany, text: Any) -> datetime:
    """An appointment's `datetime` (ISO, with offset) as the salon's naive local time."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise usual_error(400, "Bad datetime") from None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(company.zone).replace(tzinfo=None)
