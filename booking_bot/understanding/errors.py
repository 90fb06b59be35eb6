"""The failures of a stage-2 provider, as every `IntentModel` adapter raises them."""

from __future__ import annotations


class IntentModelError(Exception):
    """A stage-2 provider failed. `kind` names the failure in metrics and logs."""

    kind = "error"
    retryable = False

    def __init__(self, detail: str = "", *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(detail or self.kind)
        self.retry_after = retry_after
        self.status = status


class ModelTimeout(IntentModelError):
    kind = "timeout"
    retryable = True


class ModelRateLimited(IntentModelError):
    """HTTP 429; `retry_after` in seconds when the provider said."""

    kind = "rate_limited"
    retryable = True


class ModelUnavailable(IntentModelError):
    """HTTP 5xx or the connection failed."""

    kind = "unavailable"
    retryable = True


class ModelRequestRejected(IntentModelError):
    """HTTP 4xx other than 429 (bad key, unknown model, bad request): retrying cannot help."""

    kind = "request_rejected"


class ModelOutputInvalid(IntentModelError):
    """The provider answered, but not with a parse: malformed JSON, a schema violation, a refusal, a cut-off answer."""

    kind = "invalid_output"

    def __init__(self, detail: str = "", *, prompt_tokens: int = 0, completion_tokens: int = 0) -> None:
        super().__init__(detail)
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
