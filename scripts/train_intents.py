#!/usr/bin/env python3
"""Train stage 1's intent classifier (booking_bot/nlu/classifier.py) and write booking_bot/nlu/model/intents.bin.

    .venv/bin/python scripts/train_intents.py [--eval-dir ../shared/eval] [--out FILE] [--no-sgd]
    .venv/bin/python scripts/train_intents.py --check     (train into a temporary file; exit 1 if it differs)

Trains on the corpus train files of the four languages (each row also as two one-typo copies) and half A of the shared
SGD set (split by dialogue with a fixed hash; half B is held out), never on a dev file. Multinomial logistic
regression (scikit-learn, a training-time dependency) with balanced class weights; calibrated by temperature scaling
on 5-fold out-of-fold predictions of the training rows. Deterministic: the same files give the same model file, byte
for byte. Prints accuracy per language on dev and on SGD B (A and the whole, for information), the expected
calibration error (15 bins) and, for a range of thresholds, the share of lines below it (sent to stage 2) and the
share wrong at or above it (confidently wrong).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from booking_bot.domain import Catalog, Expecting, Intent, ParseContext  # noqa: E402
from booking_bot.nlu import catalog_from_json  # noqa: E402
from booking_bot.nlu.classifier import MODEL_PATH, Features, IntentClassifier, features, write_model  # noqa: E402
from booking_bot.nlu.reading import read  # noqa: E402
from booking_bot.nlu.report import sgd_half  # noqa: E402

CORPUS = ROOT / "booking_bot" / "nlu" / "corpus"
LANGS = ("en", "ru", "pt", "es")
CLASSES = tuple(Intent)
INDEX = {c.value: i for i, c in enumerate(CLASSES)}
MIN_DF = 2  # a feature seen in one training row only is dropped
ALPHAS = (1.0, 1.0, 0.7)  # weight of each feature group (chars, words, meta) after scaling it to unit length
C = 30.0  # inverse regularisation strength
SGD_WEIGHT = 0.3  # an SGD row counts this much against a corpus row
TYPO_COPIES = 2  # each corpus train row is also trained on with this many one-typo copies ...
TYPO_WEIGHT = 0.5  # ... each counting this much
FOLDS = 5
# The shipped threshold: the lowest at which the corpus train rows' out-of-fold confidently wrong lines are at most
# this share. Below the 2 % aimed at: lines of writers not in the training rows may be read less well. (At 1.2 %, with
# the hard kinds of train rows added for issue 17, the threshold was 0.91 and SGD sent 16 % of its lines to stage 2.)
THRESHOLD_CW = 0.018
REPORT_THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass
class Row:
    id: str
    part: str  # "en.train", "ru.dev", ..., "sgd.A", "sgd.B"
    text: str
    gold: tuple[str, ...]  # every right label, the one to train on first
    group: str  # rows of one group fall in the same fold (an SGD dialogue; a corpus row alone)
    feats: Features


def _context(obj: dict[str, Any], lang: str | None) -> ParseContext:
    expecting = Expecting(obj["expecting"]) if obj.get("expecting") else None
    return ParseContext(today=date.fromisoformat(obj["today"]), timezone=obj.get("tz") or "UTC", expecting=expecting,
                        lang=lang)  # fmt: skip


def _row(obj: dict[str, Any], part: str, gold: Sequence[str], group: str, lang: str | None, cat: Catalog) -> Row:
    feats = features(read(obj["text"], _context(obj, lang), cat))
    return Row(obj["id"], part, obj["text"], tuple(gold), group, feats)


def typo(text: str, rng: random.Random) -> str:
    """The text with one slip of the thumb: a letter dropped, doubled, swapped with the next one or mistyped."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 2:
        return text
    i = rng.choice(letters)
    c, op = text[i], rng.randrange(4)
    if op == 0:
        return text[:i] + text[i + 1 :]
    if op == 1:
        return text[:i] + c + text[i:]
    if op == 2 and i + 1 < len(text):
        return text[:i] + text[i + 1] + c + text[i + 2 :]
    alphabet = "абвгдежзийклмнопрстуфхцчшщыьэюя" if "а" <= c.lower() <= "я" else "abcdefghijklmnopqrstuvwxyz"
    return text[:i] + rng.choice(alphabet) + text[i + 1 :]


def load(eval_dir: Path | None) -> list[Row]:
    """The corpus rows (with the one-typo copies of the train rows, as "<lang>.typo") and the scored SGD rows."""
    catalog = catalog_from_json(json.loads((CORPUS / "catalog.json").read_text(encoding="utf-8")))
    rows = []
    for lang in LANGS:
        for split in ("train", "dev"):
            for line in (CORPUS / f"{lang}.{split}.jsonl").read_text(encoding="utf-8").splitlines():
                obj = json.loads(line)
                gold = [obj["intent"], *obj["also"]]
                rows.append(_row(obj, f"{lang}.{split}", gold, obj["id"], obj["lang"], catalog))
                rng = random.Random(hashlib.sha256(obj["id"].encode()).digest())
                for n in range(TYPO_COPIES if split == "train" else 0):
                    copy = dict(obj, id=f"{obj['id']}~{n}", text=typo(obj["text"], rng))
                    rows.append(_row(copy, f"{lang}.typo", gold, obj["id"], obj["lang"], catalog))
    if eval_dir is None:
        return rows
    sgd_catalog = catalog_from_json(json.loads((eval_dir / "sgd_catalog.json").read_text(encoding="utf-8")))
    gold = {}
    for line in (eval_dir / "sgd_dev.gold.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        gold[obj["id"]] = obj["accept_intents"]
    for line in (eval_dir / "sgd_dev.input.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        accepted = gold.get(obj["id"])
        if accepted:  # null: not scored for intent, and not trained on
            group = obj["id"].split(":")[2]
            rows.append(_row(obj, f"sgd.{sgd_half(obj['id'])}", accepted, group, obj.get("lang"), sgd_catalog))
    return rows


def vocabulary(rows: Sequence[Row]) -> list[list[str]]:
    counts: list[Counter[str]] = [Counter(), Counter(), Counter()]
    for row in rows:
        for counter, names in zip(counts, (row.feats.chars, row.feats.words, row.feats.meta), strict=True):
            counter.update(names)
    return [sorted(name for name, n in counter.items() if n >= MIN_DF) for counter in counts]


def matrix(rows: Sequence[Row], vocab: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """Rows as the runtime sees them: each group's known features at alpha / sqrt(how many)."""
    index, offset = [], 0
    for names in vocab:
        index.append({name: offset + i for i, name in enumerate(names)})
        offset += len(names)
    indptr, indices, values = [0], [], []
    for row in rows:
        for alpha, known, names in zip(ALPHAS, index, (row.feats.chars, row.feats.words, row.feats.meta), strict=True):
            cols = sorted(known[name] for name in names if name in known)
            indices += cols
            values += [alpha / math.sqrt(len(cols))] * len(cols) if cols else []
        indptr.append(len(indices))
    return sp.csr_matrix((values, indices, indptr), shape=(len(rows), offset), dtype=np.float64)


def fit(x: sp.csr_matrix, y: np.ndarray, weight: np.ndarray) -> LogisticRegression:
    model = LogisticRegression(C=C, solver="newton-cg", tol=1e-4, max_iter=200, class_weight="balanced")
    return model.fit(x, y, sample_weight=weight)


def logits(model: LogisticRegression, x: sp.csr_matrix) -> np.ndarray:
    """Logits over all of CLASSES (a class missing from a fold's training rows can never win)."""
    out = np.full((x.shape[0], len(CLASSES)), -1e9)
    out[:, model.classes_] = model.decision_function(x)
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood (a fixed log-spaced grid: deterministic)."""
    grid = np.exp(np.linspace(math.log(0.25), math.log(4.0), 801))
    nll = [-np.log(softmax(z / t)[np.arange(len(y)), y] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def fold_of(group: str) -> int:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % FOLDS


def right(probs: np.ndarray, rows: Sequence[Row]) -> np.ndarray:
    return np.array([CLASSES[int(p)].value in row.gold for p, row in zip(probs.argmax(axis=1), rows, strict=True)])


def ece(conf: np.ndarray, correct: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error of the top label, in equal-width confidence bins."""
    which = np.minimum((conf * bins).astype(int), bins - 1)
    return float(sum(abs(conf[which == b].mean() - correct[which == b].mean()) * (which == b).mean()
                     for b in range(bins) if (which == b).any()))  # fmt: skip


def choose_threshold(conf: np.ndarray, correct: np.ndarray) -> float:
    for t in np.round(np.arange(0.30, 0.951, 0.01), 2):
        if (~correct & (conf >= t)).mean() <= THRESHOLD_CW:
            return float(t)
    return 0.95


_WEIGHTS = {"A": SGD_WEIGHT, "typo": TYPO_WEIGHT}  # by the end of a row's part: sgd.A, en.typo, ...
_JOB: dict[str, Any] = {}  # what the fold workers read (inherited through fork)


def _fit_part(k: int) -> tuple[list[list[str]], LogisticRegression]:
    """Fold k's model (k = -1: on all the training rows) and its vocabulary."""
    data, y, weight, folds = _JOB["data"], _JOB["y"], _JOB["weight"], _JOB["folds"]
    keep = folds != k
    inside = [r for r, kept in zip(data, keep, strict=True) if kept]
    vocab = vocabulary(inside)
    with threadpool_limits(1):  # one thread: sums in one order, the same bytes on every run
        return vocab, fit(matrix(inside, vocab), y[keep], weight[keep])


def train(rows: Sequence[Row], out: Path, *, sgd: bool = True, verbose: bool = False) -> dict[str, Any]:
    """Fit, calibrate and write the model; returns what it wrote into the model's `info`."""
    data = [r for r in rows if r.part.endswith((".train", ".typo")) or (sgd and r.part == "sgd.A")]
    y = np.array([INDEX[r.gold[0]] for r in data])
    folds = np.array([fold_of(r.group) for r in data])
    _JOB.update(data=data, y=y, folds=folds,
                weight=np.array([_WEIGHTS.get(r.part.split(".")[-1], 1.0) for r in data]))  # fmt: skip
    started = time.perf_counter()
    workers = min(FOLDS + 1, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_fit_part, [*range(FOLDS), -1]))
    oof = np.zeros((len(data), len(CLASSES)))
    for k, (vocab_k, model_k) in enumerate(parts[:FOLDS]):
        oof[folds == k] = logits(model_k, matrix([r for r, f in zip(data, folds, strict=True) if f == k], vocab_k))
    vocab, model = parts[FOLDS]
    real = np.array([not r.part.endswith(".typo") for r in data])  # calibrated on the rows as written
    temp = temperature(oof[real], y[real])
    oof_probs = softmax(oof / temp)
    oof_right = right(oof_probs, data)
    corpus = np.array([r.part.endswith(".train") for r in data])
    threshold = choose_threshold(oof_probs.max(axis=1)[corpus], oof_right[corpus])
    full = np.zeros((1 + sum(len(v) for v in vocab), len(CLASSES)))
    full[0, model.classes_] = model.intercept_
    offset = 1
    for alpha, names in zip(ALPHAS, vocab, strict=True):
        full[offset : offset + len(names), model.classes_] = (
            alpha * model.coef_[:, offset - 1 : offset - 1 + len(names)].T
        )
        offset += len(names)
    info = {
        "trained_on": sorted(Counter(r.part for r in data).items()),
        "C": C, "alphas": list(ALPHAS), "min_df": MIN_DF, "sgd_weight": SGD_WEIGHT, "typo_copies": TYPO_COPIES,
        "typo_weight": TYPO_WEIGHT, "temperature": round(temp, 6),
        "out_of_fold_accuracy": round(float(oof_right[corpus].mean()), 6),  # of the corpus train rows
    }  # fmt: skip
    write_model(out, CLASSES, vocab, full / temp, threshold, info)
    if verbose:
        print(f"trained on {len(data)} rows, {sum(len(v) for v in vocab)} features "
              f"({', '.join(f'{len(v)} {g}' for v, g in zip(vocab, ('chars', 'words', 'meta'), strict=True))}) "
              f"in {time.perf_counter() - started:.1f} s; temperature {temp:.3f}; threshold {threshold:.2f}; "
              f"{out.stat().st_size / 1024:.0f} KiB")  # fmt: skip
        print_header(threshold)
        print_line("oof", oof_probs.max(axis=1)[corpus], oof_right[corpus])
    return info


def print_header(threshold: float) -> None:
    print(f"\nthreshold {threshold:.2f}; per set: accuracy, ECE (15 bins), then for each threshold t: "
          "% of lines below t (to stage 2) / % wrong at or above t (confidently wrong); oof: the corpus train rows, "
          "out of fold")  # fmt: skip
    print(
        f"{'set':8} {'rows':>5} {'acc':>6} {'ECE':>5}  " + "  ".join(f"t={t:.2f}".center(11) for t in REPORT_THRESHOLDS)
    )


def print_line(part: str, conf: np.ndarray, correct: np.ndarray) -> None:
    cells = [f"{(conf < t).mean():5.1%}/{(~correct & (conf >= t)).mean():4.1%}" for t in REPORT_THRESHOLDS]
    print(f"{part:8} {len(conf):5} {correct.mean():6.1%} {ece(conf, correct):5.1%}  " + "  ".join(cells))


def report(rows: Sequence[Row], model: IntentClassifier) -> None:
    for part in [f"{lang}.dev" for lang in LANGS] + ["sgd.B", "sgd.A", "sgd"]:
        chosen = [r for r in rows if r.part == part or (part == "sgd" and r.part.startswith("sgd."))]
        if chosen:
            probs = np.array([model.probabilities_of(r.feats) for r in chosen])
            print_line(part, probs.max(axis=1), right(probs, chosen))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval", help="where sgd_dev.* are")
    ap.add_argument("--no-sgd", action="store_true", help="train on the corpus only (SGD B is still reported)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--check", action="store_true", help="train into a temporary file; fail if it differs from --out")
    args = ap.parse_args(argv)
    if not (args.eval_dir / "sgd_dev.input.jsonl").exists():
        print(f"no SGD set in {args.eval_dir}: pass --eval-dir", file=sys.stderr)
        return 2
    rows = load(args.eval_dir)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "intents.bin"
            train(rows, fresh, sgd=not args.no_sgd)
            same = args.out.exists() and fresh.read_bytes() == args.out.read_bytes()
        print(f"{args.out}: {'the same' if same else 'DIFFERS from a fresh training'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    train(rows, args.out, sgd=not args.no_sgd, verbose=True)
    report(rows, IntentClassifier.load(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
