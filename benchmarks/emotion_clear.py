"""The cut that decides whether a text has a clear emotion
(:data:`advocacy.text.emotion.CLEAR_EMOTION`), chosen on GoEmotions ``dev`` and checked once on
held-out sets (audit4 item 8).

Run from the project root, with ``../shared/data`` beside it (or ``--data PATH``)::

    nice -n 10 .venv/bin/python benchmarks/emotion_clear.py

The shipped emotion head's four scores always sum to 1, so the highest one names an emotion
even for a text that expresses none. A text has a clear emotion when its top score reaches the
cut and its sentiment (the shipped model's, uncalibrated here) is the one that emotion
expresses (:func:`advocacy.text.emotion.clear_emotion`).

* **Choice**: GoEmotions ``dev`` (comments the heads never read; they trained on ``train``):
  the comments its raters called only ``neutral`` should have no clear emotion, those with one
  of the emotions grouped into our four (``tools/build_heads.py`` EMOTION_GROUPS) should keep
  one. The cut of 0.25..0.75 (step 0.01) with the highest balanced accuracy (the mean of the
  two shares) is chosen. Comments with only other emotions (admiration, curiosity...) are
  counted apart: our four do not name them.
* **Held out** (scored once): GoEmotions ``test`` the same way; TweetEval emotion ``test``
  (every tweet carries one of the four: the share that keeps one, and how often the kept one
  is right); MARC en ``test`` reviews by stars (the share with a clear emotion, and among 4-5
  star reviews the share whose clear emotion is anger or sadness; 1-2 stars: joy or optimism).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import text_corpora as corpora

from advocacy.text.emotion import EMOTIONS, clear_emotion
from advocacy.text.sentiment import SENTIMENTS
from advocacy.text.text_model import text_model

HERE = Path(__file__).resolve().parent
#: GoEmotions emotions grouped into our four, as the head was trained (tools/build_heads.py).
GROUPS = {
    "anger": ("anger", "annoyance", "disgust"),
    "joy": ("joy", "amusement", "excitement", "love"),
    "optimism": ("optimism",),
    "sadness": ("sadness", "grief", "disappointment", "remorse"),
}
GRID = np.round(np.arange(0.25, 0.7501, 0.01), 2)


def _read(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    reading = text_model("static").read(texts)
    return reading.emotions, [SENTIMENTS[i] for i in reading.sentiment.argmax(axis=1)]


def _clear(probabilities: np.ndarray, sentiments: list[str], cut: float) -> np.ndarray:
    """Whether each text has a clear emotion at ``cut`` (the rule of clear_emotion, any cut)."""
    top = probabilities.argmax(axis=1)
    strong = np.round(probabilities.max(axis=1), 3) >= cut
    agree = np.array(
        [
            clear_emotion({EMOTIONS[t]: 1.0}, s) is not None
            for t, s in zip(top, sentiments, strict=True)
        ]
    )
    return strong & agree


def _goemotions(data: Path, split: str) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    frame = corpora.goemotions(data, split=split)
    ours = {e for members in GROUPS.values() for e in members}
    emotional = frame["emotions"].map(lambda e: bool(set(e) & ours)).to_numpy()
    neutral = frame["emotions"].map(lambda e: tuple(e) == ("neutral",)).to_numpy()
    probabilities, sentiments = _read(list(frame["text"]))
    return probabilities, sentiments, emotional, neutral


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    args = parser.parse_args(argv)
    data = args.data

    p, s, emotional, neutral = _goemotions(data, "dev")

    def shares(
        cut: float, p: np.ndarray, s: list[str], emo: np.ndarray, neu: np.ndarray
    ) -> tuple[float, float]:
        clear = _clear(p, s, cut)
        return float(clear[emo].mean()), float((~clear[neu]).mean())

    balanced = [sum(shares(cut, p, s, emotional, neutral)) / 2 for cut in GRID]
    cut = float(GRID[int(np.argmax(balanced))])
    print(f"chosen cut {cut:.2f} (GoEmotions dev balanced accuracy {max(balanced):.3f})")
    print("| GoEmotions dev, cut | 0.30 | 0.40 | 0.45 | 0.50 | 0.55 | 0.60 | 0.70 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    picks = [0.30, 0.40, 0.45, 0.50, 0.55, 0.60, 0.70]
    row = [balanced[int(np.argmin(np.abs(GRID - c)))] for c in picks]
    print("| balanced accuracy | " + " | ".join(f"{b:.3f}" for b in row) + " |")
    print()
    print("| set | n | keeps an emotion, before | after | none, before | after |")
    print("|---|---:|---:|---:|---:|---:|")
    for split, (pp, ss, emo, neu) in (
        ("dev (choice)", (p, s, emotional, neutral)),
        ("test (held out)", _goemotions(data, "test")),
    ):
        keep, none = shares(cut, pp, ss, emo, neu)
        print(f"| GoEmotions {split}, one of our four | {emo.sum():,} | 1.000 | {keep:.3f} | | |")
        print(f"| GoEmotions {split}, neutral only | {neu.sum():,} | | | 0.000 | {none:.3f} |")
        other = ~emo & ~neu
        print(
            f"| GoEmotions {split}, other emotions only | {other.sum():,} | 1.000 | "
            f"{_clear(pp, ss, cut)[other].mean():.3f} | | |"
        )
    tweets = corpora.tweeteval_emotion(data)
    tp, ts = _read(list(tweets["text"]))
    truth = tweets["label"].to_numpy()
    said = np.array([EMOTIONS[i] for i in tp.argmax(axis=1)])
    clear = _clear(tp, ts, cut)
    print(
        f"| TweetEval emotion test (all emotional) | {len(truth):,} | 1.000 | {clear.mean():.3f} "
        f"| | |"
    )
    print(
        f"\nTweetEval test accuracy of the top emotion: all {np.mean(said == truth):.3f}; "
        f"the {clear.sum():,} kept {np.mean(said[clear] == truth[clear]):.3f}; "
        f"the {(~clear).sum():,} not kept {np.mean(said[~clear] == truth[~clear]):.3f}"
    )
    reviews = corpora.marc(data)
    mp, ms = _read(list(reviews["text"]))
    stars = reviews["stars"].to_numpy()
    top = mp.argmax(axis=1)
    clear = _clear(mp, ms, cut)
    print("\n| MARC en test | n | clear emotion | anger/sadness top, before | after (of clear) |")
    print("|---|---:|---:|---:|---:|")
    for name, rows, wrong in (
        ("4-5 stars", stars >= 4, (0, 3)),
        ("3 stars", stars == 3, ()),
        ("1-2 stars", stars <= 2, (1, 2)),
    ):
        bad = np.isin(top, wrong)
        before = f"{bad[rows].mean():.3f}" if wrong else ""
        after = f"{bad[rows & clear].sum() / max((rows & clear).sum(), 1):.3f}" if wrong else ""
        print(f"| {name} | {rows.sum():,} | {clear[rows].mean():.3f} | {before} | {after} |")
    print("(1-2 stars: the columns count joy/optimism on top instead)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
