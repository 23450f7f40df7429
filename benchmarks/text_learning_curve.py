"""Learning curve of taught sentiment labels on domains the shipped model never saw.

For each real labelled set, one seeded permutation splits the rows into a pool of taught labels
and a held-out test set; the first k rows of the pool (k = 100, 300, 1,000 where the set has
enough rows, so the samples are nested) teach both :class:`CalibratedSentiment` (as
``advocacy text teach`` would: ``taught=[True] * k``) and the baseline a user would try first,
a word 1-2-gram TF-IDF + logistic regression trained on the same k labels. All are scored on the
same held-out rows, which were not used to build or tune anything measured. Run from the project
root (needs ../shared/data)::

    PYTHONPATH=src python benchmarks/text_learning_curve.py [--data PATH] [--seed 0]

Sets: clothing reviews (1-2 / 3 / 4-5 stars, 3-class; 1,000 rows, so k <= 300), the Blitzer
multi-domain Amazon reviews (2-class, each of 4 domains), MARC English and German test splits
(stars 1-2 / 3 / 4-5, 3-class; research-only licence: evaluation only).
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from advocacy.text.calibration import CalibratedSentiment, scale_label
from advocacy.text.text_model import text_model

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SIZES = (100, 300, 1000)
Loaded = tuple[list[str], list[str]]


def clothing(data: Path) -> Loaded:
    """Women's clothing reviews: title + text, label from the 1-5 rating (1-2 / 3 / 4-5)."""
    frame = pd.read_csv(data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv")
    text = (frame["Title"].fillna("") + ". " + frame["Review Text"].fillna("")).str.strip(". ")
    keep = text.str.len() > 0
    labels = [scale_label(float(r), 1, 5) or "" for r in frame["Rating"][keep]]
    return list(text[keep]), labels


_BLOCK = re.compile(r"<review>(.*?)</review>", re.S)


def _field(block: str, tag: str) -> str:
    found = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", block, re.S)
    return found.group(1) if found else ""


def blitzer(data: Path, domain: str) -> Loaded:
    """One Blitzer et al. (2007) domain: title + review text, negative (1-2) or positive (4-5)."""
    folder = data / "text-corpora" / "amazon-multidomain-blitzer" / domain
    texts, labels = [], []
    for label in ("negative", "positive"):
        raw = (folder / f"{label}.review").read_text(encoding="utf-8", errors="replace")
        for block in _BLOCK.findall(raw):
            title, body = _field(block, "title"), _field(block, "review_text")
            texts.append(f"{title}. {body}".strip(". "))
            labels.append(label)
    return texts, labels


def marc(data: Path, language: str) -> Loaded:
    """MARC test split (Keung et al. 2020): text, label from 1-5 stars (1-2 / 3 / 4-5)."""
    path = data / "text-corpora" / "marc-amazon-multi" / language / "test.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            (text, scale_label(float(stars), 1, 5) or "") for _, text, stars in csv.reader(handle)
        ]
    return [text for text, _ in rows], [label for _, label in rows]


def tfidf_baseline() -> object:
    """The baseline a user would try first (word 1-2-grams, sublinear TF, C=10)."""
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(C=10.0, max_iter=2000),
    )


def sets(data: Path) -> Iterator[tuple[str, Callable[[], Loaded], int]]:
    """(name, loader, held-out rows) of each evaluated set."""
    yield "clothing reviews, 3-class", lambda: clothing(data), 600
    for domain in ("books", "dvd", "electronics", "kitchen_&_housewares"):
        yield f"Blitzer {domain}, 2-class", lambda d=domain: blitzer(data, d), 1000
    for language in ("en", "de"):
        yield f"MARC {language} test, 3-class", lambda lang=language: marc(data, lang), 2000


def accuracy(truth: list[str], predicted: list[str]) -> float:
    return float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", help="evaluate only sets whose name contains this")
    arguments = parser.parse_args()
    rows = []
    for name, load, held in sets(arguments.data):
        if arguments.only and arguments.only not in name:
            continue
        texts, labels = load()
        order = np.random.default_rng(arguments.seed).permutation(len(texts))
        test, pool = order[:held], order[held:]
        test_texts, test_labels = [texts[i] for i in test], [labels[i] for i in test]
        reading = text_model("static").read(test_texts)
        shipped = [("negative", "neutral", "positive")[i] for i in reading.sentiment.argmax(1)]
        for size in SIZES:
            if size > len(pool):
                continue
            taught = pool[:size]
            taught_texts, taught_labels = [texts[i] for i in taught], [labels[i] for i in taught]
            started = time.perf_counter()
            model = CalibratedSentiment().fit(taught_texts, taught_labels, taught=[True] * size)
            seconds = time.perf_counter() - started
            ours = model.predict_reading(reading, texts=test_texts).labels
            baseline = tfidf_baseline().fit(taught_texts, taught_labels)  # type: ignore[attr-defined]
            theirs = list(baseline.predict(test_texts))
            rows.append(
                {
                    "set (held-out rows)": f"{name} ({held:,})",
                    "labels": size,
                    "shipped": round(accuracy(test_labels, shipped), 3),
                    "TF-IDF+LR": round(accuracy(test_labels, theirs), 3),
                    "calibrated": round(accuracy(test_labels, ours), 3),
                    "fit s": round(seconds, 1),
                    "how": model.summary()["method"],
                }
            )
    columns = list(rows[0]) if rows else []
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for found in rows:
        print("| " + " | ".join(str(found[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
