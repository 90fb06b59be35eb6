"""Stage 2 over any OpenAI-compatible chat-completions API (`POST {base_url}/chat/completions`).

One small typed client: it returns a validated `ModelAnswer` or raises one of the `IntentModelError`s, and
`_raise_for_status` is the one place where HTTP answers become errors. Temperature 0; structured output with
`response_format: json_schema` (strict) where the provider supports it, `json_object` or plain strict JSON otherwise.
Logs carry the company id, the status and the provider's error code, never the customer's text or the model's answer.
"""

from __future__ import annotations

import email.utils
import enum
import json
import logging
import re
import time
from typing import Any

import aiohttp
from pydantic import SecretStr

from booking_bot.domain import ModelAnswer, Stage2Request
from booking_bot.understanding import (
    IntentModelError,
    ModelOutputInvalid,
    ModelRateLimited,
    ModelRequestRejected,
    ModelTimeout,
    ModelUnavailable,
    model_parse_from_json,
)
from integrations.llm.prompt import build_messages, output_schema

__all__ = ["OpenAICompatibleModel", "StructuredOutput"]

log = logging.getLogger(__name__)
_FENCED = re.compile(r"^```(?:json)?\s*\n(?P<body>.*)\n```$", re.DOTALL)
_MAX_ERROR_BODY = 64_000


class StructuredOutput(enum.StrEnum):
    JSON_SCHEMA = "json_schema"  # OpenAI, vLLM, Ollama >= 0.5, OpenRouter (most models), DeepSeek: not yet
    JSON_OBJECT = "json_object"  # JSON mode: any JSON object, the schema is checked by us
    OFF = "off"  # no response_format at all: the prompt asks for JSON, the answer must be exactly that


class OpenAICompatibleModel:
    """An `IntentModel` for one provider and model. Use it from one event loop; `close()` at shutdown."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: SecretStr | None = None,
        timeout_seconds: float = 5.0,
        structured_output: StructuredOutput = StructuredOutput.JSON_SCHEMA,
        max_tokens: int = 300,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"LLM base URL must start with http:// or https://, got {base_url!r}")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.timeout_seconds = timeout_seconds
        self.structured_output = structured_output
        self.max_tokens = max_tokens
        self._api_key = api_key
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"OpenAICompatibleModel(url={self.url!r}, model={self.model!r})"

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            headers = {"Content-Type": "application/json"}
            if self._api_key is not None and self._api_key.get_secret_value():
                headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
            self._session = aiohttp.ClientSession(headers=headers)
        return self._session

    def _body(self, request: Stage2Request) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": build_messages(request),
            "temperature": 0,
            "max_tokens": self.max_tokens,
            "n": 1,
            "stream": False,
        }
        if self.structured_output is StructuredOutput.JSON_SCHEMA:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "parse", "strict": True, "schema": output_schema(request)},
            }
        elif self.structured_output is StructuredOutput.JSON_OBJECT:
            body["response_format"] = {"type": "json_object"}
        return body

    async def propose(self, request: Stage2Request, seconds: float) -> ModelAnswer:
        """One chat completion (two when the provider turns json_schema down: then JSON mode, remembered)."""
        deadline = time.monotonic() + min(seconds, self.timeout_seconds)
        try:
            return await self._complete(request, deadline)
        except _SchemaUnsupported:
            log.warning(
                "company=%s llm %s: json_schema output not supported, using json_object", request.company_id, self.model
            )
            self.structured_output = StructuredOutput.JSON_OBJECT
            return await self._complete(request, deadline)

    async def _complete(self, request: Stage2Request, deadline: float) -> ModelAnswer:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ModelTimeout("no time left")
        body = self._body(request)
        try:
            async with self._client().post(
                self.url, json=body, timeout=aiohttp.ClientTimeout(total=remaining)
            ) as response:
                raw = await response.content.read(_MAX_ERROR_BODY) if response.status >= 400 else await response.read()
                status, headers = response.status, response.headers
        except TimeoutError:
            raise ModelTimeout(f"no answer within {remaining:.2f}s") from None
        except aiohttp.ClientError as exc:
            raise ModelUnavailable(f"connection failed: {type(exc).__name__}") from None
        if status >= 400:
            schema_requested = self.structured_output is StructuredOutput.JSON_SCHEMA
            error = _raise_for_status(status, headers, raw, schema_requested=schema_requested)
            log.warning("company=%s llm %s: %s", request.company_id, self.model, error)
            raise error
        return _answer(raw)


class _SchemaUnsupported(IntentModelError):
    kind = "schema_unsupported"


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait: `retry-after-ms` (OpenAI), else `Retry-After` as seconds or an HTTP date."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _error_code(raw: bytes) -> str:
    """The provider's error type/code (`{"error": {"type", "code", "message"}}`), never its message text."""
    try:
        error = json.loads(raw).get("error")
    except (ValueError, AttributeError):
        return "-"
    if isinstance(error, dict):
        return str(error.get("code") or error.get("type") or "-")[:80]
    return "-"


def _mentions_response_format(raw: bytes) -> bool:
    try:
        error = json.loads(raw).get("error")
    except (ValueError, AttributeError):
        return False
    text = json.dumps(error).lower() if isinstance(error, dict | str) else ""
    return "response_format" in text or "json_schema" in text


def _raise_for_status(status: int, headers: Any, raw: bytes, *, schema_requested: bool) -> IntentModelError:
    """The one mapping from an HTTP error answer to an `IntentModelError`."""
    code = _error_code(raw)
    detail = f"HTTP {status} ({code})"
    if status == 429:
        return ModelRateLimited(detail, retry_after=_retry_after(headers), status=status)
    if status >= 500:
        return ModelUnavailable(detail, retry_after=_retry_after(headers), status=status)
    if status == 408:
        return ModelTimeout(detail, status=status)
    if status in (400, 422) and schema_requested and _mentions_response_format(raw):
        return _SchemaUnsupported(detail, status=status)
    return ModelRequestRejected(detail, status=status)


def _answer(raw: bytes) -> ModelAnswer:
    """A 200 answer: the parse in the first choice's content, plus token usage. Anything else is invalid output."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise ModelOutputInvalid("the response body is not JSON") from None
    if not isinstance(body, dict):
        raise ModelOutputInvalid("the response body is not an object")
    usage: dict[str, Any] = body["usage"] if isinstance(body.get("usage"), dict) else {}
    prompt_tokens = _count(usage.get("prompt_tokens"))
    completion_tokens = _count(usage.get("completion_tokens"))

    def invalid(detail: str) -> ModelOutputInvalid:
        return ModelOutputInvalid(detail, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)

    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise invalid("no choices")
    choice = choices[0]
    message: dict[str, Any] = choice["message"] if isinstance(choice.get("message"), dict) else {}
    if message.get("refusal"):
        raise invalid("the model refused")
    if choice.get("finish_reason") == "length":
        raise invalid("the answer was cut off (max_tokens)")
    content = message.get("content")
    if not isinstance(content, str):
        raise invalid("no content")
    text = content.strip()
    fenced = _FENCED.match(text)  # some local models wrap JSON in a code fence even in JSON mode
    try:
        data = json.loads(fenced.group("body") if fenced else text)
    except ValueError:
        raise invalid("the content is not JSON") from None
    try:
        parse = model_parse_from_json(data)
    except ModelOutputInvalid as exc:
        raise invalid(str(exc)) from None
    return ModelAnswer(parse=parse, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
