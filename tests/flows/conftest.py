"""The conversation suite prints its pass^1 and pass^k at the end of a run (tests/flows/test_pass_k.py records them)."""

from __future__ import annotations

import pytest

from tests.flows.scenarios.framework import RESULTS, K


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RESULTS:
        return
    runs = [ok for oks in RESULTS.values() for ok in oks]
    cells = [all(oks) for oks in RESULTS.values()]
    terminalreporter.write_sep("-", "conversations (tests/flows/scenarios)")
    terminalreporter.write_line(
        f"pass^1 {sum(runs)}/{len(runs)} runs ({100 * sum(runs) / len(runs):.1f} %), "
        f"pass^{K} {sum(cells)}/{len(cells)} cells ({100 * sum(cells) / len(cells):.1f} %)"
    )
