"""A word-polarity lexicon stacked on the shipped sentiment, chosen leave one training domain out
(issue #17, items 2-3; tried on 2026-12-05 and not shipped: docs/benchmarks.md, Text).

Run from the project root, with ``../shared/data`` beside it (or ``--data PATH``)::

    nice -n 10 .venv/bin/python benchmarks/sentiment_stacking.py

About 5 minutes of CPU. What it does:

1. **First level, leave one training domain out.** For each sentiment source of
   ``tools/build_heads.py`` (TweetEval, GoEmotions, clothing reviews, the authored comments) the
   shipped recipe (embedding head, word n-gram head blended where it knows the words, English
   negations, classes balanced within a source and every source the same weight) is trained
   on the *other* three and reads the held-out one: an out-of-domain reading of every training
   row. ``heads_e5.npz`` does not store its penalties; these heads use ``C`` = 1 (embedding)
   and 3 (n-grams) and the shipped n-gram weight.
2. **Second level.** A multinomial logistic regression reads the first level's centred
   log-probabilities beside lexicon features of the text (:func:`polarity_features`:
   VADER's single-word lexicon, shipped as ``text/models/polarity_en.txt``, read as VADER
   reads a text), optionally its length, or VADER's own scores. Every variant, its penalty and
   a neutral bias (added to the neutral log-probability before the argmax) are scored leave
   one training domain out again (trained on three sources' out-of-domain readings, scored on
   the fourth); the choice is the best mean macro-F1 over the four training domains.
3. **The evidence.** The chosen second level, refitted on all four sources, is applied to the
   shipped model's reading of the English sets of ``benchmarks/text_eval.py`` (same loaders,
   rows and scoring; the model's own sentiment, every text read). Only unseen domains count.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import text_corpora as corpora
import text_eval
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from advocacy.text.heads import softmax
from advocacy.text.negation import negation_shift, with_negations
from advocacy.text.polarity_lexicon import polarity_lexicon
from advocacy.text.text_model import (
    NGRAM_OPTIONS,
    WordNgramHead,
    _features,
    ngram_terms,
    shipped_heads,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_heads  # noqa: E402

SENTIMENTS = ("negative", "neutral", "positive")
EMBEDDING_C, NGRAM_C = 1.0, 3.0
META_C = (0.1, 1.0, 10.0)
NEUTRAL_BIAS = (-0.5, -0.25, 0.0, 0.25, 0.5)
VARIANTS = ("model only", "model + lexicon", "model + lexicon + length", "model + VADER")

# -- lexicon features (VADER's way of reading a text, single words only) ------------------------
_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)*")
_NEGATOR_WORDS = """not no never nothing nobody none neither nor without cannot nowhere
    hardly barely
    dont doesnt didnt wont cant isnt wasnt arent werent couldnt wouldnt shouldnt hasnt havent
    hadnt aint"""
_NEGATORS = frozenset(_NEGATOR_WORDS.split())
_NEGATED, _ALPHA, _WINDOW = -0.74, 15.0, 3


def polarity_features(texts: Sequence[str]) -> NDArray[np.float64]:
    """Per text: compound (-1..1), positive/negative/neutral word shares, log(1 + polar words).

    A word's valence is reversed and damped (x -0.74) after a negation word among the three
    before it, halved before a ``but`` and raised by half after it (Hutto & Gilbert 2014).
    """
    lexicon = polarity_lexicon()
    out = np.zeros((len(texts), 5))
    for row, text in enumerate(texts):
        tokens = _TOKEN.findall((text or "").lower())
        polar = [k for k, token in enumerate(tokens) if token in lexicon]
        if not polar:
            out[row, 3] = 1.0
            continue
        contrast = tokens.index("but") if "but" in tokens else -1
        positive = negative = total = 0.0
        for k in polar:
            value = lexicon[tokens[k]]
            if any(
                t in _NEGATORS or t.endswith(("n't", "n’t"))
                for t in tokens[max(0, k - _WINDOW) : k]
            ):
                value *= _NEGATED
            if contrast >= 0:
                value *= 0.5 if k < contrast else 1.5
            total += value
            if value > 0:
                positive += value + 1.0
            else:
                negative += value - 1.0
        scale = positive - negative + len(tokens) - len(polar)
        out[row] = (
            total / math.sqrt(total * total + _ALPHA),
            positive / scale,
            -negative / scale,
            (len(tokens) - len(polar)) / scale,
            math.log1p(len(polar)),
        )
    return out


def vader_features(texts: Sequence[str]) -> NDArray[np.float64]:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    analyser = SentimentIntensityAnalyzer()
    found = [analyser.polarity_scores(text) for text in texts]
    return np.array([[f["compound"], f["pos"], f["neg"], f["neu"]] for f in found])


# -- readings ------------------------------------------------------------------------------------
@dataclass
class Part:
    """One training source or evaluated set, read once."""

    name: str
    texts: list[str]
    labels: NDArray[np.int64]
    features: NDArray[np.float32] = field(init=False)
    ngram: list[str] = field(init=False)
    shift: NDArray[np.float64] = field(init=False)
    lexicon: NDArray[np.float64] = field(init=False)
    vader: NDArray[np.float64] = field(init=False)
    length: NDArray[np.float64] = field(init=False)
    shipped: NDArray[np.float64] = field(init=False)
    unseen: bool = False
    classes: tuple[str, ...] = SENTIMENTS
    out_of_domain: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 3)))

    def __post_init__(self) -> None:
        _, self.features, self.ngram = _features(self.texts)
        self.shift = negation_shift(self.texts)
        heads = shipped_heads()
        self.shipped = with_negations(
            heads.sentiment(self.features, ngram_terms(self.ngram)), self.shift
        )
        self.lexicon = polarity_features(self.texts)
        self.vader = vader_features(self.texts)
        words = [len(_TOKEN.findall(t.lower())) for t in self.texts]
        self.length = np.log1p(np.array(words, dtype=np.float64))[:, None] / 3


def _weights(parts: Sequence[Part]) -> NDArray[np.float64]:
    """Classes balanced within a source, every source the same weight (as build_heads)."""
    out = []
    for part in parts:
        counts = np.bincount(part.labels, minlength=3)
        present = np.count_nonzero(counts)
        out.append(np.where(counts > 0, 1.0 / (present * np.maximum(counts, 1)), 0.0)[part.labels])
    weights = np.concatenate(out)
    return weights * len(weights) / weights.sum()


def out_of_domain(parts: list[Part], ngram_weight: float) -> None:
    """Each source's reading by the shipped recipe trained on the other sources."""
    for k, held in enumerate(parts):
        others = [p for j, p in enumerate(parts) if j != k]
        y, weights = np.concatenate([p.labels for p in others]), _weights(others)
        embedding = LogisticRegression(C=EMBEDDING_C, max_iter=2000).fit(
            np.vstack([p.features for p in others]), y, sample_weight=weights
        )
        texts = [x for p in others for x in p.ngram]
        vectorizer = TfidfVectorizer(**NGRAM_OPTIONS, min_df=3, max_features=60000).fit(texts)
        ngrams = LogisticRegression(C=NGRAM_C, max_iter=3000).fit(
            vectorizer.transform(texts), y, sample_weight=weights
        )
        head = WordNgramHead(
            {t: i for i, t in enumerate(vectorizer.get_feature_names_out())},
            vectorizer.idf_,
            ngrams.coef_,
            ngrams.intercept_,
            ngram_weight,
        )
        base = softmax(held.features @ embedding.coef_.T + embedding.intercept_)
        held.out_of_domain = with_negations(head.blend(base, ngram_terms(held.ngram)), held.shift)
        print(f"  first level without {held.name}", file=sys.stderr, flush=True)


def meta_inputs(probabilities: NDArray[np.float64], part: Part, variant: str) -> Any:
    logs = np.log(np.clip(probabilities, 1e-6, 1.0))
    columns = [logs - logs.mean(axis=1, keepdims=True)]
    if "lexicon" in variant:
        columns.append(part.lexicon)
    if "length" in variant:
        columns.append(part.length)
    if "VADER" in variant:
        columns.append(part.vader)
    return np.hstack(columns)


def fit_meta(parts: Sequence[Part], variant: str, c: float) -> LogisticRegression:
    x = np.vstack([meta_inputs(p.out_of_domain, p, variant) for p in parts])
    y = np.concatenate([p.labels for p in parts])
    return LogisticRegression(C=c, max_iter=3000).fit(x, y, sample_weight=_weights(parts))


def decided(probabilities: NDArray[np.float64], bias: float) -> NDArray[np.int64]:
    logs = np.log(np.clip(probabilities, 1e-9, 1.0))
    logs[:, 1] += bias
    return np.asarray(logs.argmax(axis=1))


def scored(truth: NDArray[np.int64], predicted: NDArray[np.int64]) -> tuple[float, float]:
    return float(accuracy_score(truth, predicted)), float(
        f1_score(truth, predicted, average="macro", labels=np.unique(truth))
    )


def leave_one_domain_out(parts: list[Part]) -> tuple[list[str], tuple[str, float, float]]:
    """The second-level grid, each cell scored on the held-out training domain."""
    names = " | ".join(p.name for p in parts)
    lines = [
        f"| variant | C | neutral bias | mean acc / F1 | {names} |",
        "|---|---:|---:|---:|" + "---:|" * len(parts),
    ]
    for bias in NEUTRAL_BIAS:
        alone = [scored(p.labels, decided(p.out_of_domain, bias)) for p in parts]
        lines.append(_grid_row("first level alone", "", bias, alone))
    best: tuple[float, tuple[str, float, float]] = (-1.0, ("", 0.0, 0.0))
    for variant in VARIANTS:
        for c in META_C:
            held = []
            for k, part in enumerate(parts):
                meta = fit_meta([p for j, p in enumerate(parts) if j != k], variant, c)
                held.append(meta.predict_proba(meta_inputs(part.out_of_domain, part, variant)))
            for bias in NEUTRAL_BIAS:
                found = [
                    scored(p.labels, decided(h, bias)) for p, h in zip(parts, held, strict=True)
                ]
                lines.append(_grid_row(variant, f"{c:g}", bias, found))
                mean_f1 = float(np.mean([f for _, f in found]))
                if mean_f1 > best[0] + 1e-9:
                    best = (mean_f1, (variant, c, bias))
    return lines, best[1]


def _grid_row(variant: str, c: str, bias: float, found: list[tuple[float, float]]) -> str:
    mean = f"{np.mean([a for a, _ in found]):.3f} / {np.mean([f for _, f in found]):.3f}"
    cells = " | ".join(f"{a:.3f} / {f:.3f}" for a, f in found)
    return f"| {variant} | {c} | {bias:+.2f} | {mean} | {cells} |"


def evidence(
    sources: list[Part], sets: list[Part], chosen: list[tuple[str, float, float]]
) -> list[str]:
    """Shipped model, VADER and each chosen second level on the English evaluated sets."""
    readers: list[tuple[str, Callable[[Part], NDArray[np.int64]]]] = [
        ("shipped", lambda p: decided(p.shipped, 0.0)),
    ]
    for variant, c, bias in chosen:
        meta = fit_meta(sources, variant, c)

        def read(p: Part, meta: Any = meta, variant: str = variant, bias: float = bias) -> Any:
            return decided(meta.predict_proba(meta_inputs(p.shipped, p, variant)), bias)

        readers.append((f"{variant} (C {c:g}, bias {bias:+g})", read))
    readers.append(
        (
            "VADER",
            lambda p: np.where(p.vader[:, 0] >= 0.05, 2, np.where(p.vader[:, 0] <= -0.05, 0, 1)),
        )
    )
    lines = [
        "| set | unseen domain | n | " + " | ".join(name for name, _ in readers) + " |",
        "|---|---|---:|" + "---:|" * len(readers),
    ]
    means: list[list[tuple[float, float]]] = [[] for _ in readers]
    for part in sets:
        found = [_set_scores(part, read(part)) for _, read in readers]
        if part.unseen:
            for mean, one in zip(means, found, strict=True):
                mean.append(one)
        cells = " | ".join(f"{a:.3f} / {f:.3f}" for a, f in found)
        lines.append(
            f"| {part.name} | {'yes' if part.unseen else 'no'} | {len(part.texts):,} | {cells} |"
        )
    for label, pick in (("mean", np.mean), ("worst", np.min)):
        cells = " | ".join(
            f"{pick([a for a, _ in m]):.3f} / {pick([f for _, f in m]):.3f}" for m in means
        )
        lines.append(f"| **{label} of the {len(means[0])} unseen sets** | | | {cells} |")
    return lines


def _set_scores(part: Part, predicted: NDArray[np.int64]) -> tuple[float, float]:
    said = [SENTIMENTS[i] for i in predicted]
    found = text_eval.scores([SENTIMENTS[i] for i in part.labels], said, part.classes)
    return found["accuracy"], found["macro_f1"]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA, help="../shared/data")
    arguments = parser.parse_args(argv)
    data = arguments.data
    with np.load(ROOT / "src/advocacy/text/models/heads_e5.npz") as shipped:
        ngram_weight = float(shipped["ngram_weight"])
    sources = [
        Part(s.name, s.texts, np.asarray(s.labels)) for s in build_heads._sentiment_sources(data)
    ]
    plan = text_eval.Plan(data, text_eval.FULL_ROWS, (0,), 0, 0, 0, (), (), 0)
    sets = [
        Part(
            s.name,
            list(s.frame["text"]),
            np.array([SENTIMENTS.index(x) for x in s.frame["label"]]),
            unseen=text_eval.unseen(s.domain),
            classes=s.classes,
        )
        for s in text_eval.sentiment_sets(plan)
        if s.lang == "en"
    ]
    out_of_domain(sources, ngram_weight)
    grid, choice = leave_one_domain_out(sources)
    print("### Second level, leave one training domain out (acc / macro-F1)\n")
    print("\n".join(grid))
    print(
        f"\nChosen (best mean macro-F1): {choice[0]}, C {choice[1]:g}, neutral bias {choice[2]:+g}"
    )
    also = ("model + lexicon + length", choice[1], 0.0)
    print("\n### English sets (acc / macro-F1; the model's own sentiment, every text read)\n")
    print("\n".join(evidence(sources, sets, [choice, also] if also[0] != choice[0] else [choice])))
    print(f"\n{time.process_time():.0f} s CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
