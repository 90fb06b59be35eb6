"""Fuzz, CI size (the full 100,000-message run: `benchmarks/chaos.py fuzz`)."""

from __future__ import annotations

import itertools
import json
import random

from tests.chaos.fuzz import fuzz_text, messages, run_fuzz, template_pattern


async def test_thousands_of_hostile_messages_crash_nothing_and_get_only_template_replies() -> None:
    figures = await run_fuzz(3000, seed=7)
    assert figures.crashes == 0, figures.format()
    assert figures.unhandled_errors == 0, figures.format()
    assert figures.unexpected_replies == 0, figures.format()
    assert figures.handled > 2000 and figures.replies > 1000  # most payloads reach the dialogue and get answers
    assert figures.rejected_at_edge > 0  # broken JSON and wrong field types are refused at the edge


def test_reply_check_refuses_free_text_and_accepts_template_renderings() -> None:
    pattern = template_pattern()
    for free_text in ("Hacked: ok", "<script>alert(1)</script>", "xyz abc", "ok", "Booked!", "a: b"):
        assert pattern.fullmatch(free_text) is None, free_text
    for rendered in (
        "Done! You are booked: Men's haircut with Bari, tomorrow, Saturday, 28 November, 5:00 PM.",
        "Hello!",
        "Afternoon: 2:00 PM, 3:30 PM",
        "Готово! Вы записаны: Маникюр, мастер Анна, завтра в 15:00.",
    ):
        assert pattern.fullmatch(rendered) is not None, rendered


def test_generator_covers_every_hostile_kind() -> None:
    rng = random.Random(3)
    texts = [fuzz_text(rng) for _ in range(3000)]
    assert any(len(t) >= 64 * 1024 for t in texts)
    assert any("\u202e" in t or "\u202b" in t for t in texts)  # direction overrides
    assert any("\u200b" in t or "\u200d" in t for t in texts)  # zero-width
    assert any("\x00" in t or "\x1b" in t for t in texts)  # control characters
    assert any("\ud800" in t or "\udfff" in t for t in texts)  # lone surrogates
    assert any("DROP TABLE" in t for t in texts) and any("<script>" in t for t in texts)
    payloads = list(itertools.islice(messages(5, "demo-salon"), 2000))
    broken = 0
    for raw in payloads:
        try:
            json.loads(raw)
        except ValueError:
            broken += 1
    assert 0 < broken < len(payloads) // 10
