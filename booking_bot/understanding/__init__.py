"""Understanding one message: stage 1 (booking_bot/nlu) always, stage 2 (an `IntentModel`) when stage 1 is unsure.

| module | holds |
|---|---|
| `models` | the result (`Understanding`, `DecidedBy`, `Why`, `Rejection`) and a configured stage 2 (`Stage2`, limits) |
| `errors` | the failures a stage-2 provider raises |
| `guards` | the daily quota, the circuit breaker and the checks a stage-2 answer must pass |
| `stages` | `understand`: the orchestration, with its metrics |
"""

from __future__ import annotations

from booking_bot.understanding.errors import (
    IntentModelError,
    ModelOutputInvalid,
    ModelRateLimited,
    ModelRequestRejected,
    ModelTimeout,
    ModelUnavailable,
)
from booking_bot.understanding.guards import CircuitBreaker, MemoryCallQuota, check_answer, model_parse_from_json
from booking_bot.understanding.models import (
    CLARIFY,
    STAGE2,
    DecidedBy,
    OpeningHours,
    Rejection,
    Understanding,
    Why,
)
from booking_bot.understanding.stages import CALLS, DECISIONS, FAILURES, LATENCY, REJECTIONS, TOKENS, Stage2, understand

__all__ = [
    "CALLS",
    "CLARIFY",
    "DECISIONS",
    "FAILURES",
    "LATENCY",
    "REJECTIONS",
    "STAGE2",
    "TOKENS",
    "CircuitBreaker",
    "DecidedBy",
    "IntentModelError",
    "MemoryCallQuota",
    "ModelOutputInvalid",
    "ModelRateLimited",
    "ModelRequestRejected",
    "ModelTimeout",
    "ModelUnavailable",
    "OpeningHours",
    "Rejection",
    "Stage2",
    "Understanding",
    "Why",
    "check_answer",
    "model_parse_from_json",
    "understand",
]
