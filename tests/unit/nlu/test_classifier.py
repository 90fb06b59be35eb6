"""Stage 1's trained intent classifier, as shipped (booking_bot/nlu/model/intents.bin).

The floors below are the figures the shipped model reaches on the dev split (never trained on), less a margin: a
retraining that reads the dev lines clearly worse fails here. A change to the rules (dates, signals, catalog
matching) changes the features, so the model must be trained again: `.venv/bin/python scripts/train_intents.py`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from booking_bot.domain import Catalog, Expecting, Intent, ParseContext
from booking_bot.nlu import catalog_from_json
from booking_bot.nlu.classifier import IntentClassifier, classifier
from booking_bot.nlu.reading import Reading, read

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "booking_bot" / "nlu" / "corpus"
EVAL = ROOT.parent / "shared" / "eval"
LANGS = ("en", "ru", "pt", "es")
# per language: accuracy on dev, at most this share of lines below the model's threshold (to stage 2), at most this
# share wrong at or above it (confidently wrong)
ACCURACY_FLOOR = {"en": 0.955, "ru": 0.96, "pt": 0.955, "es": 0.955}  # reached: 97.4, 96.7, 97.3, 97.4 %
UNSURE_CEILING = 0.15
CONFIDENTLY_WRONG_CEILING = 0.025


@pytest.fixture(scope="module")
def model() -> IntentClassifier:
    return classifier()


@pytest.fixture(scope="module")
def corpus_catalog() -> Catalog:
    return catalog_from_json(json.loads((CORPUS / "catalog.json").read_text(encoding="utf-8")))


def _reading(obj: dict[str, object], catalog: Catalog) -> Reading:
    expecting = Expecting(str(obj["expecting"])) if obj.get("expecting") else None
    lang = obj.get("lang")
    ctx = ParseContext(
        today=date.fromisoformat(str(obj["today"])),
        timezone=str(obj.get("tz") or "UTC"),
        expecting=expecting,
        lang=lang if isinstance(lang, str) else None,
    )
    return read(str(obj["text"]), ctx, catalog)


@pytest.fixture(scope="module")
def dev(model: IntentClassifier, corpus_catalog: Catalog) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per language: the top probability and whether the top intent is right, for each dev line."""
    out = {}
    for lang in LANGS:
        conf, right = [], []
        for line in (CORPUS / f"{lang}.dev.jsonl").read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            guess = model.guess(_reading(obj, corpus_catalog))
            conf.append(guess.confidence)
            right.append(guess.intent.value in (obj["intent"], *obj["also"]))
        out[lang] = (np.array(conf), np.array(right))
    return out


def _ece(conf: np.ndarray, right: np.ndarray, bins: int = 15) -> float:
    which = np.minimum((conf * bins).astype(int), bins - 1)
    return float(
        sum(
            abs(conf[which == b].mean() - right[which == b].mean()) * (which == b).mean()
            for b in range(bins)
            if (which == b).any()
        )
    )


@pytest.mark.parametrize("lang", LANGS)
def test_dev_accuracy_and_how_sure_it_is(dev: dict[str, tuple[np.ndarray, np.ndarray]], model: IntentClassifier,
                                         lang: str) -> None:  # fmt: skip
    conf, right = dev[lang]
    assert right.mean() >= ACCURACY_FLOOR[lang]
    sure = conf >= model.threshold
    assert (~sure).mean() <= UNSURE_CEILING
    assert (sure & ~right).mean() <= CONFIDENTLY_WRONG_CEILING


def test_probabilities_are_calibrated_on_dev(dev: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    conf = np.concatenate([dev[lang][0] for lang in LANGS])
    right = np.concatenate([dev[lang][1] for lang in LANGS])
    assert _ece(conf, right) <= 0.04  # 15 bins; the shipped model: about 0.02


@pytest.mark.skipif(not (EVAL / "sgd_dev.input.jsonl").exists(), reason="the shared SGD set is not beside the repo")
def test_sgd_half_b_is_read_as_well_as_the_rules_read_it(model: IntentClassifier) -> None:
    gold = {}
    for line in (EVAL / "sgd_dev.gold.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        gold[obj["id"]] = obj["accept_intents"]
    catalog = catalog_from_json(json.loads((EVAL / "sgd_catalog.json").read_text(encoding="utf-8")))
    right = []
    for line in (EVAL / "sgd_dev.input.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        dialogue = obj["id"].split(":")[2]
        if gold[obj["id"]] and hashlib.sha256(dialogue.encode()).digest()[0] % 2 == 1:  # half B: held out
            right.append(model.guess(_reading(obj, catalog)).intent.value in gold[obj["id"]])
    assert len(right) > 4000
    assert np.mean(right) >= 0.96  # the shipped model: about 0.976; the rules alone: about 0.956


EXAMPLES = [
    ("ru", "Какие у меня записи?", {Intent.MY_BOOKINGS}),
    ("ru", "проверьте пожалуйста мою запись", {Intent.MY_BOOKINGS}),
    ("ru", "у меня есть запись на этой неделе?", {Intent.MY_BOOKINGS}),
    ("ru", "скок стоит борода", {Intent.PRICES}),
    ("ru", "сколько длится окрашиванние?", {Intent.INFO}),
    ("ru", "до скольки вы сегодня работаете", {Intent.INFO}),
    ("ru", "хочу поговорить с живым человеком", {Intent.HANDOFF}),
    ("ru", "перенос записи к Бари на 10.03 в 16:30", {Intent.RESCHEDULE}),
    ("ru", "спасибо, до встречи в субботу!", {Intent.GOODBYE, Intent.THANKS}),
    ("ru", "доброе утро", {Intent.GREET}),
    ("pt", "qto custa sobrancelha com a Marta", {Intent.PRICES}),
    ("pt", "quanto ta a manicure?", {Intent.PRICES}),
    ("pt", "vcs abrem nesse domingo?", {Intent.INFO}),
    ("pt", "me passa pra recepção por favor", {Intent.HANDOFF}),
    ("pt", "muda meu horário de amanhã pra depois de amanhã", {Intent.RESCHEDULE}),
    ("pt", "até sábado então, bjs", {Intent.GOODBYE}),
]


@pytest.mark.parametrize(("lang", "text", "right"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
@pytest.mark.parametrize("prior", [True, False], ids=["lang-known", "lang-detected"])
def test_examples(model: IntentClassifier, corpus_catalog: Catalog, lang: str, text: str, right: set[Intent],
                  prior: bool) -> None:  # fmt: skip
    ctx = ParseContext(today=date(2026, 3, 4), timezone="Europe/Moscow", lang=lang if prior else None)
    assert model.guess(read(text, ctx, corpus_catalog)).intent in right


def test_probabilities_sum_to_one_and_cover_every_intent(model: IntentClassifier, corpus_catalog: Catalog) -> None:
    ctx = ParseContext(today=date(2026, 3, 4), timezone="Europe/Moscow", expecting=Expecting.CONFIRM)
    for text in ("да", "", "👍", "no wait, thursday at 5", "x" * 500, "¿¿??"):
        guess = model.guess(read(text, ctx, corpus_catalog))
        assert set(guess.probabilities) == set(Intent)
        assert sum(guess.probabilities.values()) == pytest.approx(1.0, abs=1e-9)
        assert guess.confidence == max(guess.probabilities.values())
        assert guess.sure is (guess.confidence >= model.threshold)


def test_the_expected_answer_changes_how_a_bare_word_reads(model: IntentClassifier, corpus_catalog: Catalog) -> None:
    def intent(text: str, expecting: Expecting | None) -> Intent:
        ctx = ParseContext(today=date(2026, 3, 4), timezone="Europe/Moscow", expecting=expecting, lang="ru")
        return model.guess(read(text, ctx, corpus_catalog)).intent

    assert intent("да", Expecting.CONFIRM) is Intent.AFFIRM
    assert intent("завтра", Expecting.DATE) is Intent.BOOK


def test_the_shipped_model_is_loaded_once_for_every_thread() -> None:
    seen: list[IntentClassifier] = []
    threads = [threading.Thread(target=lambda: seen.append(classifier())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(m) for m in seen}) == 1


@pytest.mark.timeout(600)
@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn (the dev extra) is missing")
@pytest.mark.skipif(not (EVAL / "sgd_dev.input.jsonl").exists(), reason="the shared SGD set is not beside the repo")
def test_training_again_gives_the_shipped_model_byte_for_byte() -> None:
    """Takes about a minute on the project's 2-core machine (five folds and the final fit, two at a time)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_intents.py"), "--check", "--eval-dir", str(EVAL)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (
        f"{done.stdout}{done.stderr}\nthe rules or the corpus changed since the model was trained: "
        "run .venv/bin/python scripts/train_intents.py and commit booking_bot/nlu/model/intents.bin"
    )


def test_the_fast_path_gives_the_probabilities_of_the_features(
    model: IntentClassifier, corpus_catalog: Catalog
) -> None:
    """`probabilities` (each word's known n-grams kept between messages) is `probabilities_of(features(...))`."""
    from booking_bot.nlu.classifier import features

    for line in (CORPUS / "es.dev.jsonl").read_text(encoding="utf-8").splitlines()[:150]:
        reading = _reading(json.loads(line), corpus_catalog)
        for _ in range(2):  # the second time from the word cache
            assert np.allclose(model.probabilities(reading), model.probabilities_of(features(reading)), atol=1e-12)


def test_each_signal_regex_runs_once_per_message(monkeypatch: pytest.MonkeyPatch, corpus_catalog: Catalog) -> None:
    """The rule intent and the classifier's features share one pass of the language's signal regexes."""
    from booking_bot.nlu import intents

    calls: dict[str, int] = {}

    class Counting:
        def __init__(self, name: str, pattern: re.Pattern[str]) -> None:
            self.name, self.pattern = name, pattern

        def search(self, text: str) -> re.Match[str] | None:
            calls[self.name] = calls.get(self.name, 0) + 1
            return self.pattern.search(text)

    counted = {name: Counting(name, rx) for name, rx in intents.SIGNALS["ru"].items()}
    monkeypatch.setitem(intents.SIGNALS, "ru", counted)
    ctx = ParseContext(today=date(2026, 3, 4), timezone="Europe/Moscow", lang="ru")
    read("хочу записаться на маникюр к Ольге завтра в 5", ctx, corpus_catalog)
    assert calls == dict.fromkeys(counted, 1)
