"""The API's one error shape: `{"error": code, "message": text}` with an HTTP status."""

from __future__ import annotations

from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An answer other than success. `code` is stable (the page and clients switch on it); `message` is English."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message}

    def response(self) -> web.Response:
        return web.json_response(self.body(), status=self.status, headers=self.headers)
