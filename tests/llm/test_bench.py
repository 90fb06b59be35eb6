"""The small version of scripts/bench_stage2.py: only unsure lines reach the LLM, and the demo path adds little
to the provider's own time."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from booking_bot.nlu import parse
from tests.llm.conftest import CATALOG, INJECTION, SURE, UNSURE, context

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_stage2.py"
LINES = [
    SURE,
    UNSURE,
    "Can I get a women's cut on Monday at 11am?",
    INJECTION,
    "thanks, bye",
    "cancel my appointment",
    "blah 42 blah",
    "What are your prices?",
]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_stage2", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_stage2"] = module
    spec.loader.exec_module(module)
    return module


async def test_exactly_the_unsure_lines_reach_the_llm() -> None:
    bench = _bench()
    rows = [(text, context()) for text in LINES]
    unsure = [text for text, ctx in rows if parse(text, ctx, CATALOG).unsure]
    share, fake = await bench.measure_share(rows, CATALOG)
    assert 0 < len(unsure) < len(LINES)
    assert (share.lines, share.routed, share.accepted) == (len(LINES), len(unsure), len(unsure))
    assert [json.loads(r["messages"][1]["content"])["message"] for r in fake.requests] == unsure


async def test_demo_path_adds_under_300ms_to_the_provider() -> None:
    timings = await _bench().measure_demo_path(delay=0.4, messages=2)
    assert len(timings) == 2
    assert all(0.4 <= t < 0.7 for t in timings), timings


def test_load_rows_reads_the_eval_format(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    row = {"id": "x", "text": "hi", "today": "2019-03-01", "tz": "UTC", "expecting": "date", "lang": None}
    path.write_text(json.dumps(row) + "\n" + json.dumps(row | {"expecting": None}) + "\n", encoding="utf-8")
    rows = _bench().load_rows(path, limit=1)
    assert len(rows) == 1 and rows[0][0] == "hi" and rows[0][1].expecting is not None
