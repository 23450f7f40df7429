"""Does reading a review's title with its text read it better? (review27 finding 17a)

The shipped model alone (no calibration) reads each review twice: its text alone, as the
import stored it before titles were a field, and its title, a line break, then its text, as
:func:`advocacy.ingest.title_columns.titled_text` gives it now. Accuracy and macro-F1 against the
stars (1-2 negative, 3 neutral, 4-5 positive) on a fixed seeded sample of each set:

- the Blitzer et al. (2007) Amazon reviews (four domains, 1-2 and 4-5 stars only: 2 classes),
  unseen by the shipped model (``tools/build_heads.py``: evaluation only);
- the clothing reviews, 3 classes: the shipped sentiment head was trained on them (title and
  text joined by a space), so they are no clean evidence, shown for what a user sees.

MARC's test split has no titles (its README: "the title ... dropped"), so it cannot say.

Run::

    PYTHONPATH=src:benchmarks nice python benchmarks/title_reading.py --data /work/shared/data
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import time
from pathlib import Path

import numpy as np

from advocacy.ingest.title_columns import titled_text
from advocacy.text.calibration import scale_label
from advocacy.text.document_reading import analyze_texts

SEED = 7
_BLOCK = re.compile(r"<review>(.*?)</review>", re.S)
Review = tuple[str, str, str]  # title, text, label


def _field(block: str, tag: str) -> str:
    found = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", block, re.S)
    return found.group(1) if found else ""


def blitzer(data: Path) -> list[Review]:
    """Every Blitzer review: title, text, negative or positive."""
    found = []
    for folder in sorted((data / "text-corpora" / "amazon-multidomain-blitzer").iterdir()):
        if not folder.is_dir():
            continue
        for label in ("negative", "positive"):
            raw = (folder / f"{label}.review").read_text(encoding="utf-8", errors="replace")
            for block in _BLOCK.findall(raw):
                found.append((_field(block, "title"), _field(block, "review_text"), label))
    return found


def clothing(data: Path) -> list[Review]:
    """The clothing reviews with a text: title, text, label from the stars."""
    path = next((data / "clothing-reviews").glob("*.csv"))
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["Title"], row["Review Text"], scale_label(float(row["Rating"]), 1, 5) or "")
            for row in csv.DictReader(handle)
            if row["Review Text"].strip()
        ]


def scores(truth: list[str], predicted: list[str], classes: tuple[str, ...]) -> tuple[float, float]:
    """Accuracy and macro-F1 (over ``classes``; an unread text counts as wrong)."""
    right = np.array([t == p for t, p in zip(truth, predicted, strict=True)])
    f1s = []
    for label in classes:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(right.mean()), float(np.mean(f1s))


def read(texts: list[str]) -> list[str]:
    frame = analyze_texts(texts)
    return [str(label) if isinstance(label, str) else "" for label in frame["sentiment"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=2000)
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    sets = [
        ("Blitzer, 4 domains (unseen), 2-class", blitzer(options.data)),
        ("clothing (trained on), 3-class", clothing(options.data)),
    ]
    for name, reviews in sets:
        rng = np.random.default_rng(SEED)
        chosen = [reviews[i] for i in sorted(rng.permutation(len(reviews))[: options.sample])]
        truth = [label for _, _, label in chosen]
        classes = tuple(sorted(set(truth)))
        titled = sum(1 for title, _, _ in chosen if title.strip())
        started = time.perf_counter()
        body = read([text for _, text, _ in chosen])
        both = read([titled_text(text, title) or "" for title, text, _ in chosen])
        seconds = time.perf_counter() - started
        before, after = scores(truth, body, classes), scores(truth, both, classes)
        flips = [(b == t, a == t) for b, a, t in zip(body, both, truth, strict=True)]
        fixed = sum(1 for b, a in flips if a and not b)
        broken = sum(1 for b, a in flips if b and not a)
        print(
            f"{name}: {len(chosen):,} reviews ({titled:,} with a title), seed {SEED}; "
            f"text alone acc {before[0]:.3f} macro-F1 {before[1]:.3f}; title + text acc "
            f"{after[0]:.3f} macro-F1 {after[1]:.3f}; {fixed} right only with the title, "
            f"{broken} wrong only with it ({seconds:.0f} s)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
