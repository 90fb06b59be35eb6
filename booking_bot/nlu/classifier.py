"""Stage 1's trained intent classifier: a linear model over the message and the rules' reading of it.

Features (all binary, see `features`): character 2–5-grams of each word (padded with a space either side), word
uni- and bigrams and 5-letter word prefixes, and the rules' reading — each regex signal of `intents.SIGNALS` that
hit, what was found (day, time, window, period, service, staff, …), the rule intent, the language, `expecting`, the
word concepts of `concepts.LEXICON`, and crosses of `expecting` with the first words, the rule intent, the concepts
and the signals, so that "да" after a yes/no question reads as a yes and "завтра" after a question for the day as
booking details. Each of the three groups is scaled to unit length, so a long message weighs as much as a short one.

The weights, the vocabulary and the calibration (temperature scaling, folded into the weights) are data in
`model/intents.bin`, written by `scripts/train_intents.py`; the shipped model is loaded once, lazily, by
`classifier()`. Runtime dependency: numpy.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
import struct
import threading
import zlib
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from booking_bot.domain import Intent
from booking_bot.nlu.concepts import CONCEPTS as _LEX
from booking_bot.nlu.concepts import LEXICON
from booking_bot.nlu.reading import Reading

__all__ = ["FEATURES_VERSION", "LEXICON", "MODEL_PATH", "Features", "IntentClassifier", "IntentGuess", "classifier",
           "features", "write_model"]  # fmt: skip

MODEL_PATH = Path(__file__).resolve().parent / "model" / "intents.bin"
FEATURES_VERSION = 2  # bumped whenever `features` changes: a model trained on other features is refused
_MAGIC = b"BBIC\x01"
_GROUPS = ("chars", "words", "meta")

_REPEAT = re.compile(r"(\w)\1{2,}")  # "hellooo", "valeuuu", "спасибооо": one letter for a run of three or more
_TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s]")
_DIGIT = re.compile(r"\d")
_PREFIX = 5  # word prefixes of this many letters stand for the word's inflections
_WORD_CACHE = 20_000  # words whose known character n-grams the classifier keeps


@dataclass(frozen=True, slots=True)
class Features:
    """One message's feature names, by group (each group without repeats; the order means nothing)."""

    chars: AbstractSet[str]
    words: AbstractSet[str]
    meta: Sequence[str]


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-10" if n <= 10 else "11+"


def _found(reading: Reading) -> list[str]:
    found, out = reading.found, []
    for name, present in (
        ("date", reading.day is not None),
        ("time", found.at is not None),
        ("window", found.window is not None),
        ("period", found.period is not None),
        ("service", reading.service is not None),
        ("staff", reading.staff is not None),
        ("negated_date", found.negated_date is not None),
        ("recurring", found.recurring),
        ("choice", reading.rule.choice is not None),
        ("leftover_numbers", found.leftover_numbers),
    ):
        if present:
            out.append(name)
    return out or ["nothing"]


@functools.lru_cache(maxsize=8192)
def _char_grams(word: str) -> frozenset[str]:
    """Character 2–5-grams of a word padded with a space either side."""
    padded = f" {word} "
    size = len(padded)
    return frozenset(padded[i : i + n] for n in range(2, min(5, size) + 1) for i in range(size - n + 1))


def _parts(reading: Reading) -> tuple[list[str], set[str], tuple[str, ...]]:
    """The words (whose character n-grams make the first group), the word features and the meta features."""
    toks = _TOKEN.findall(_REPEAT.sub(r"\1", _DIGIT.sub("0", reading.folded)))
    words = [t for t in toks if t[0].isalnum() or t[0] == "_"]
    grams: set[str] = set(toks)
    grams.update("p:" + w[:_PREFIX] for w in words if len(w) > _PREFIX)
    seq = ["<s>", *toks, "</s>"]
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(seq))
    exp = reading.expecting.value if reading.expecting else "none"
    rule = reading.rule.intent.value
    found = _found(reading)
    start = next((i for i, t in enumerate(toks) if t in words[:1]), 0)
    concepts = sorted(_LEX.concepts(toks, start))
    signals = sorted(reading.signals)
    first = words[0] if words else "<none>"
    meta = [f"exp:{exp}", f"rule:{rule}", f"lang:{reading.lang}", f"words:{_bucket(len(words))}"]
    meta += [f"sig:{s}" for s in signals] + [f"has:{h}" for h in found] + [f"lex:{c}" for c in concepts]
    if toks and toks[-1] == "?":
        meta.append("end:?")
    meta += [f"x:{exp}:w1:{first}", f"x:{exp}:rule:{rule}", f"x:{exp}:words:{_bucket(len(words))}"]
    if len(words) > 1:
        meta.append(f"x:{exp}:w2:{first} {words[1]}")
    meta += [f"x:{exp}:has:{h}" for h in found] + [f"x:{exp}:sig:{s}" for s in signals]
    meta += [f"x:{exp}:lex:{c}" for c in concepts]
    return words, grams, tuple(dict.fromkeys(meta))


def features(reading: Reading) -> Features:
    """The feature names of one message, from the rules' reading of it."""
    words, grams, meta = _parts(reading)
    return Features(frozenset().union(*map(_char_grams, words)), grams, meta)


@dataclass(frozen=True, slots=True)
class IntentGuess:
    """The classifier's answer for one message: the likeliest intent and calibrated probabilities."""

    intent: Intent
    confidence: float  # the calibrated probability of `intent`
    sure: bool  # confidence reaches the model's threshold: below it, stage 2 should be asked
    probabilities: Mapping[Intent, float]


class IntentClassifier:
    """A trained linear intent model (see the module's docstring); `guess` is safe from any thread."""

    def __init__(
        self,
        classes: Sequence[Intent],
        vocabulary: Sequence[Sequence[str]],
        weights: npt.NDArray[np.float32],
        threshold: float,
        info: Mapping[str, Any],
    ) -> None:
        self.classes = tuple(classes)
        self.threshold = threshold
        self.info = dict(info)
        offset = 1  # row 0 of `weights` is the bias
        self._vocab: list[dict[str, int]] = []
        for names in vocabulary:
            self._vocab.append({name: offset + i for i, name in enumerate(names)})
            offset += len(names)
        if weights.shape != (offset, len(self.classes)):
            raise ValueError(
                f"weights of shape {weights.shape} do not fit {offset} rows and {len(self.classes)} classes"
            )
        self._weights = np.ascontiguousarray(weights, dtype=np.float32)  # stored as float16: float32 loses nothing
        self._bias = self._weights[0].astype(np.float64)
        self._char_rows: dict[str, tuple[int, ...]] = {}  # word -> rows of its known character n-grams

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> IntentClassifier:
        """A model file written by `write_model`."""
        raw = path.read_bytes()
        if not raw.startswith(_MAGIC):
            raise ValueError(f"{path} is not an intent model")
        body = zlib.decompress(raw[len(_MAGIC) :])
        (size,) = struct.unpack_from("<I", body)
        header = json.loads(body[4 : 4 + size])
        if header["features_version"] != FEATURES_VERSION:
            raise ValueError(f"{path} was trained on features v{header['features_version']}, not v{FEATURES_VERSION}")
        counts = header["vocabulary"]
        text_end = 4 + size + header["vocabulary_bytes"]
        names = body[4 + size : text_end].decode("utf-8").split("\n") if sum(counts) else []
        vocabulary, at = [], 0
        for count in counts:
            vocabulary.append(names[at : at + count])
            at += count
        classes = [Intent(c) for c in header["classes"]]
        weights = np.frombuffer(body[text_end:], dtype="<f2").reshape(-1, len(classes)).astype(np.float32)
        return cls(classes, vocabulary, weights, float(header["threshold"]), header.get("info", {}))

    def probabilities(self, reading: Reading) -> npt.NDArray[np.float64]:
        """Calibrated probabilities of `classes` for one message (they sum to 1); the same as
        `probabilities_of(features(reading))`, with each word's known character n-grams looked up once per word."""
        words, grams, meta = _parts(reading)
        chars_of = self._chars_of
        chars: set[int] = set()
        for word in words:
            known = self._char_rows.get(word)
            if known is None:
                known = chars_of(word)
            chars.update(known)
        get_word, get_meta = self._vocab[1].get, self._vocab[2].get
        return self._combine(
            (
                list(chars),
                [i for name in grams if (i := get_word(name)) is not None],
                [i for name in meta if (i := get_meta(name)) is not None],
            )
        )

    def _chars_of(self, word: str) -> tuple[int, ...]:
        """The rows of a word's known character n-grams (kept for the next message with that word)."""
        get = self._vocab[0].get
        known = tuple(i for gram in _char_grams(word) if (i := get(gram)) is not None)
        if len(self._char_rows) >= _WORD_CACHE:
            self._char_rows.clear()  # bounded: a stream of new words never grows it past this
        self._char_rows[word] = known
        return known

    def probabilities_of(self, feats: Features) -> npt.NDArray[np.float64]:
        """Calibrated probabilities of `classes` for one message's features."""
        return self._combine(
            tuple(
                [i for name in names if (i := vocab.get(name)) is not None]
                for vocab, names in zip(self._vocab, (feats.chars, feats.words, feats.meta), strict=True)
            )
        )

    def _combine(self, groups: Sequence[list[int]]) -> npt.NDArray[np.float64]:
        """The softmax of the bias plus each group's known rows, each group scaled to unit length."""
        scale: list[float] = []
        rows: list[int] = []
        for group in groups:
            if group:
                scale += [1.0 / math.sqrt(len(group))] * len(group)
                rows += group
        if not rows:
            return self._softmax(self._bias)
        return self._softmax(self._bias + np.asarray(scale, dtype=np.float32) @ self._weights.take(rows, axis=0))

    @staticmethod
    def _softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        exp = np.exp(logits - logits.max())
        return np.asarray(exp / exp.sum(), dtype=np.float64)

    def guess(self, reading: Reading) -> IntentGuess:
        """The likeliest intent of one message, how likely it is, and whether that is sure enough."""
        probs = self.probabilities(reading)
        best = int(probs.argmax())
        confidence = float(probs[best])
        return IntentGuess(
            intent=self.classes[best],
            confidence=confidence,
            sure=confidence >= self.threshold,
            probabilities=dict(zip(self.classes, probs.tolist(), strict=True)),
        )


def write_model(
    path: Path,
    classes: Sequence[Intent],
    vocabulary: Sequence[Sequence[str]],
    weights: npt.NDArray[np.floating[Any]],
    threshold: float,
    info: Mapping[str, Any],
) -> None:
    """Write a model file: the same arguments give the same bytes. `weights` has the bias in row 0, then one row
    per vocabulary entry, group after group, already scaled for `IntentClassifier.probabilities_of`."""
    names = [name for group in vocabulary for name in group]
    text = "\n".join(names).encode("utf-8")
    header = json.dumps(
        {
            "features_version": FEATURES_VERSION,
            "classes": [c.value for c in classes],
            "groups": list(_GROUPS),
            "vocabulary": [len(group) for group in vocabulary],
            "vocabulary_bytes": len(text),
            "threshold": threshold,
            "info": info,
        },
        sort_keys=True,
        ensure_ascii=False,
    ).encode("utf-8")
    matrix = np.ascontiguousarray(weights, dtype="<f2")
    body = struct.pack("<I", len(header)) + header + text + matrix.tobytes()
    path.write_bytes(_MAGIC + zlib.compress(body, 9))


_lock = threading.Lock()
_shipped: IntentClassifier | None = None


def classifier() -> IntentClassifier:
    """The shipped model (`MODEL_PATH`), loaded on first use; every thread gets the same one."""
    global _shipped
    model = _shipped
    if model is None:
        with _lock:
            if _shipped is None:
                _shipped = IntentClassifier.load()
            model = _shipped
    return model
