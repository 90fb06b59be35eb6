"""The conversation suite, pass^k: every scenario of tests/flows/scenarios, in each of its languages, on both
scheduling backends, played k times (once per paraphrase); a cell passes only if all k runs pass.

A run prints pass^1 and pass^k at its end (tests/flows/conftest.py); `scripts/flows_report.py` plays the same
suite and prints them per backend and per language (docs/dialogue.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows.scenarios import all_scenarios
from tests.flows.scenarios.framework import BACKENDS, RESULTS, K, Scenario, play

CELLS = [(s, lang) for s in all_scenarios() for lang in s.languages]


def test_the_suite_has_at_least_sixty_scenarios() -> None:
    assert len(all_scenarios()) >= 60


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("scenario", "language"), CELLS, ids=[f"{s.name}-{lang}" for s, lang in CELLS])
async def test_scenario_passes_in_every_paraphrase(
    scenario: Scenario, language: str, backend: str, tmp_path: Path
) -> None:
    failures = []
    verdicts = RESULTS.setdefault((scenario.name, language, backend), [])
    verdicts.clear()
    for index in range(K):
        run = await play(scenario, language, backend, index, tmp_path)
        verdicts.append(run.ok)
        if not run.ok:
            failures.append(f"paraphrase {index + 1}: {run.failure}")
    assert not failures, "\n\n".join(failures)
