"""Intervals of an evaluation's per-class precision and recall and of its macro-F1.

``text evaluate`` gives accuracy with its Wilson interval. A class's recall (texts of the class
read right, of the class's texts) and precision (read right, of the texts read as the class) are
proportions too, so each gets the Wilson score interval on its own denominator: unlike a
bootstrap of a recall of 1 on 20 texts, which can only draw 1 again, it keeps a width where
there is least data (all 20 right: [0.839, 1]). Macro-F1 has no closed form, so its interval is
a percentile bootstrap (Efron and Tibshirani 1993, ch. 13) stratified by the labels: each draw
takes as many texts of each labelled class as the file holds, with replacement from that
class, so no draw loses a class (an unstratified draw without the 3 negatives of 53 texts
scores that class's F1 0 and drags the interval down). The draws are seeded, so the same file
gives the same interval. A class under :data:`FEW` labelled texts is marked "few": its
intervals are wide, and its scores say little.

References
----------
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall,
chapter 13 (the percentile interval).
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22, 209-212.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from advocacy.metrics.intervals import wilson_interval
from advocacy.text.sentiment import SENTIMENTS

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "FEW",
    "PROPORTION_METHOD",
    "ScoreIntervals",
    "score_intervals",
]

#: Draws of the texts, and the seed of the generator that draws them.
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
#: A class with fewer labelled texts than this is marked "few".
FEW = 30

Interval = tuple[float, float]


@dataclass(frozen=True)
class ScoreIntervals:
    """The intervals (NaN where a score is undefined).

    Attributes
    ----------
    macro_f1
        Of the mean F1 over the classes the labels hold (stratified percentile bootstrap).
    precision, recall
        Of each sentiment's precision and recall (Wilson, on the texts read as the class and
        on the class's texts).
    resamples, seed, confidence
        How the bootstrap drew, and the intervals' confidence.
    """

    macro_f1: Interval
    precision: dict[str, Interval]
    recall: dict[str, Interval]
    resamples: int
    seed: int
    confidence: float

    def method(self) -> str:
        """How macro-F1's interval was found, for people."""
        return (
            f"percentile bootstrap over the scored texts, stratified by label: {self.resamples:,} "
            f"draws, each of as many texts of every class as it holds, seed {self.seed}; none "
            "when every draw gives the same value"
        )


#: How the precision and recall intervals are found, for people.
PROPORTION_METHOD = "Wilson score interval"


def score_intervals(
    labels: Sequence[str],
    readings: Sequence[str],
    *,
    confidence: float = 0.95,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> ScoreIntervals:
    """Wilson intervals of each class's precision and recall; a bootstrap one of macro-F1.

    Draw ``b`` of the bootstrap takes, for each sentiment the labels hold in
    :data:`~advocacy.text.sentiment.SENTIMENTS` order, ``default_rng(seed).integers(0, m, m)``
    (the generator's next such call; ``m`` the class's texts) as indices into that class's
    texts in file order. Macro-F1 averages F1 over the classes the labels hold (as
    :func:`~advocacy.text.evaluation.evaluate_readings`).

    Parameters
    ----------
    labels, readings
        One each per scored text (negative, neutral or positive).
    confidence
        The confidence of every interval.
    resamples, seed
        How many bootstrap draws, and the seed of the generator.

    Returns
    -------
    ScoreIntervals
        The intervals (NaN for every score when no text is given; NaN for a recall of a class
        no label holds, and for a precision of a class never read).
    """
    nan = (float("nan"), float("nan"))
    if not labels:
        empty = dict.fromkeys(SENTIMENTS, nan)
        return ScoreIntervals(nan, empty, dict(empty), resamples, seed, confidence)
    size = len(SENTIMENTS)
    gold = np.array([SENTIMENTS.index(label) for label in labels])
    read = np.array([SENTIMENTS.index(reading) for reading in readings])
    matrix = np.bincount(gold * size + read, minlength=size * size).reshape(size, size)
    right, support, predicted = np.diagonal(matrix), matrix.sum(axis=1), matrix.sum(axis=0)
    return ScoreIntervals(
        _percentiles(_macro_f1_draws(gold, read, resamples, seed), confidence),
        {
            name: _wilson(int(right[i]), int(predicted[i]), confidence)
            for i, name in enumerate(SENTIMENTS)
        },
        {
            name: _wilson(int(right[i]), int(support[i]), confidence)
            for i, name in enumerate(SENTIMENTS)
        },
        resamples,
        seed,
        confidence,
    )


def _wilson(successes: int, n: int, confidence: float) -> Interval:
    """The Wilson interval of ``successes`` of ``n`` (NaN when ``n`` is 0)."""
    if not n:
        return float("nan"), float("nan")
    found = wilson_interval(successes / n, n, confidence)
    return float(found.low), float(found.high)


def _macro_f1_draws(
    gold: NDArray[np.int64], read: NDArray[np.int64], resamples: int, seed: int
) -> NDArray[np.float64]:
    """Macro-F1 of each stratified draw (see :func:`score_intervals`)."""
    size = len(SENTIMENTS)
    classes = [np.flatnonzero(gold == i) for i in range(size)]
    classes = [members for members in classes if len(members)]
    held = np.isin(np.arange(size), gold)
    generator = np.random.default_rng(seed)
    counts = np.empty((resamples, size, size), dtype=np.int64)
    for b in range(resamples):
        drawn = np.concatenate(
            [members[generator.integers(0, len(members), len(members))] for members in classes]
        )
        counts[b] = np.bincount(gold[drawn] * size + read[drawn], minlength=size * size).reshape(
            size, size
        )
    right = np.diagonal(counts, axis1=1, axis2=2).astype(float)
    both = counts.sum(axis=2) + counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(both > 0, 2 * right / both, 0.0)
    macro: NDArray[np.float64] = f1[:, held].mean(axis=1)
    return macro


def _percentiles(values: NDArray[np.float64], confidence: float) -> Interval:
    """The middle ``confidence`` of ``values``; NaN when every draw gave the same value (each
    class's texts all read alike: a bootstrap cannot tell how far the score could be, and a
    point shown as an interval would claim a certainty the few texts cannot give)."""
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    if high - low <= 1e-12:
        return float("nan"), float("nan")
    return float(low), float(high)
