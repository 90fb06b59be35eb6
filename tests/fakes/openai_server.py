"""A fake OpenAI-compatible chat-completions server (aiohttp) that speaks the real wire format, for tests.

- `POST /v1/chat/completions`: answers `{"id", "object": "chat.completion", "created", "model", "choices": [{"index",
  "message": {"role", "content", "refusal"}, "logprobs", "finish_reason"}], "usage": {"prompt_tokens",
  "completion_tokens", "total_tokens"}, "system_fingerprint"}`.
- Errors in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}` with the status (401 for a wrong
  `Authorization: Bearer` key, 400 for a request without `model`/`messages`, or for `response_format: json_schema`
  when `supports_json_schema=False`, as providers without structured outputs answer).
- `GET /v1/models`: the model list.

Scriptable: `script(step, ...)` queues what the next requests get (`Reply`, `Fail`, `Hang`, `RawBody`); when the
queue is empty `default` answers (a step, or a function of the request body, e.g. `echo_stage1`). `requests`
records every request body and `headers` its headers, so tests check what was sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["Fail", "FakeOpenAI", "Hang", "RawBody", "Reply", "Step", "echo_stage1", "parse_reply"]

OUTPUT_KEYS = ("intent", "lang", "date", "time", "window", "service_id", "staff_id", "choice", "negated_date")


@dataclass(frozen=True)
class Reply:
    """A 200 chat completion. `content` is sent as is when a string, JSON-encoded otherwise."""

    content: str | dict[str, Any] | list[Any] | None
    delay: float = 0.0
    prompt_tokens: int | None = None  # None: about a token per 4 characters of the prompt
    completion_tokens: int | None = None
    finish_reason: str = "stop"
    refusal: str | None = None


@dataclass(frozen=True)
class Fail:
    """An error answer in OpenAI's shape (or `body` verbatim)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Hang:
    """Answer nothing for `seconds` (the client's timeout fires first), then a valid reply."""

    seconds: float = 30.0


@dataclass(frozen=True)
class RawBody:
    """A 200 whose body is not a chat completion (a proxy's HTML page, a truncated body ...)."""

    body: bytes
    content_type: str = "text/html"


Step = Reply | Fail | Hang | RawBody
Responder = Callable[[dict[str, Any]], Step]

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    502: ("server_error", None),
    503: ("server_error", "overloaded"),
}


def error_body(status: int, message: str, param: str | None = None) -> dict[str, Any]:
    kind, code = _ERROR_TYPES.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def request_document(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON document of the request's user turn (what the prompt tells the model)."""
    user = next(m for m in reversed(body["messages"]) if m["role"] == "user")
    document: dict[str, Any] = json.loads(user["content"])
    return document


def echo_stage1(body: dict[str, Any]) -> Step:
    """A well-behaved model that agrees with stage 1's guess (a valid parse, instantly)."""
    guess = request_document(body)["stage1_guess"]
    return Reply({key: guess.get(key) for key in OUTPUT_KEYS})


def parse_reply(delay: float = 0.0, **fields: Any) -> Reply:
    """A valid parse with every key present (null unless given)."""
    return Reply({key: fields.get(key) for key in OUTPUT_KEYS}, delay=delay)


class FakeOpenAI:
    """The server. `await start()` returns the base URL (`http://127.0.0.1:<port>/v1`); `await close()`."""

    def __init__(
        self,
        default: Step | Responder = echo_stage1,
        *,
        api_key: str | None = "sk-test",
        supports_json_schema: bool = True,
        delay: float = 0.0,
    ) -> None:
        self.default = default
        self.api_key = api_key
        self.supports_json_schema = supports_json_schema
        self.delay = delay  # added to every answer: a provider that answers in `delay` seconds
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._queue: deque[Step] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def script(self, *steps: Step) -> None:
        self._queue.extend(steps)

    @property
    def calls(self) -> int:
        return len(self.requests)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        app.router.add_get("/v1/models", self._models)
        return app

    async def start(self) -> str:
        # A client that gave up cancels its handler, as a real provider stops work on a dropped connection.
        self._runner = web.AppRunner(self.app(), handle_signals=False, handler_cancellation=True, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        self.headers.append(dict(request.headers))
        if self.api_key is not None and request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response(error_body(401, "Incorrect API key provided."), status=401)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response(error_body(400, "We could not parse the JSON body of your request."), status=400)
        self.requests.append(body)
        if not isinstance(body, dict) or not body.get("model") or not isinstance(body.get("messages"), list):
            return web.json_response(error_body(400, "'model' and 'messages' are required."), status=400)
        response_format = body.get("response_format") or {}
        if response_format.get("type") == "json_schema" and not self.supports_json_schema:
            message = "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."
            return web.json_response(error_body(400, message, "response_format"), status=400)
        step = self._queue.popleft() if self._queue else self.default
        if callable(step):
            step = step(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        return await self._answer(step, body)

    async def _answer(self, step: Step, body: dict[str, Any]) -> web.StreamResponse:
        if isinstance(step, Hang):
            await asyncio.sleep(step.seconds)
            return await self._answer(echo_stage1(body), body)
        if isinstance(step, RawBody):
            return web.Response(body=step.body, content_type=step.content_type)
        if isinstance(step, Fail):
            await asyncio.sleep(step.delay)
            payload = step.body if step.body is not None else error_body(step.status, f"fake error {step.status}")
            if isinstance(payload, str):
                return web.Response(status=step.status, text=payload, headers=step.headers)
            return web.json_response(payload, status=step.status, headers=step.headers)
        await asyncio.sleep(step.delay)
        content = step.content if step.content is None or isinstance(step.content, str) else json.dumps(step.content)
        prompt_chars = sum(len(str(m.get("content", ""))) for m in body["messages"])
        prompt_tokens = step.prompt_tokens if step.prompt_tokens is not None else prompt_chars // 4
        completion_tokens = step.completion_tokens
        if completion_tokens is None:
            completion_tokens = len(content or "") // 4
        return web.json_response(
            {
                "id": f"chatcmpl-fake{next(self._ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": step.refusal},
                        "logprobs": None,
                        "finish_reason": step.finish_reason,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
                "system_fingerprint": "fp_fake",
            }
        )
