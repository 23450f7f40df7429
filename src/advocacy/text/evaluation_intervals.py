"""Bootstrap intervals of an evaluation's macro-F1 and of each class's precision and recall.

``text evaluate`` gives accuracy with its Wilson interval (a proportion has a closed form);
macro-F1 and per-class precision and recall have none, so their intervals come from a
percentile bootstrap over the scored texts (Efron and Tibshirani 1993, ch. 13): the texts are
drawn with replacement ``resamples`` times, each draw is scored, and the interval is the
middle ``confidence`` of the draws' scores. The draws are seeded, so the same file gives the
same interval. Written by hand rather than with :func:`scipy.stats.bootstrap`, because a draw
may hold no text of a small class (its recall is then undefined, and left out of that class's
percentiles) and SciPy's statistic must be defined on every draw.

References
----------
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall,
chapter 13 (the percentile interval).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from advocacy.text.sentiment import SENTIMENTS

__all__ = ["BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "ScoreIntervals", "score_intervals"]

#: Draws of the texts, and the seed of the generator that draws them.
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0

Interval = tuple[float, float]


@dataclass(frozen=True)
class ScoreIntervals:
    """Percentile bootstrap intervals (NaN where a score is undefined on every draw).

    Attributes
    ----------
    macro_f1
        Of the mean F1 over the classes the labels hold.
    precision, recall
        Of each sentiment's precision and recall.
    resamples, seed, confidence
        How they were drawn.
    """

    macro_f1: Interval
    precision: dict[str, Interval]
    recall: dict[str, Interval]
    resamples: int
    seed: int
    confidence: float

    def method(self) -> str:
        """How the intervals were found, for people."""
        return (
            f"percentile bootstrap over the scored texts: {self.resamples:,} draws with "
            f"replacement, seed {self.seed}"
        )


def score_intervals(
    labels: Sequence[str],
    readings: Sequence[str],
    *,
    confidence: float = 0.95,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> ScoreIntervals:
    """Intervals of macro-F1 and of each class's precision and recall, by bootstrap.

    Draw ``b`` takes ``numpy.random.default_rng(seed).integers(0, n, n)`` (the generator's
    ``b``-th such call) as the indices of its texts. Macro-F1 averages F1 over the classes the
    labels hold (as :func:`~advocacy.text.evaluation.evaluate_readings`); a class a draw does
    not hold has F1 0 there, as scikit-learn's ``zero_division=0`` says.

    Parameters
    ----------
    labels, readings
        One each per scored text (negative, neutral or positive).
    confidence
        The share of the draws inside each interval.
    resamples, seed
        How many draws, and the seed of the generator.

    Returns
    -------
    ScoreIntervals
        The intervals (NaN for every score when no text is given).
    """
    nan = (float("nan"), float("nan"))
    if not labels:
        empty = dict.fromkeys(SENTIMENTS, nan)
        return ScoreIntervals(nan, empty, dict(empty), resamples, seed, confidence)
    gold = np.array([SENTIMENTS.index(label) for label in labels])
    read = np.array([SENTIMENTS.index(reading) for reading in readings])
    held = np.isin(np.arange(len(SENTIMENTS)), gold)
    cells = gold * len(SENTIMENTS) + read
    generator = np.random.default_rng(seed)
    counts = np.stack(
        [
            np.bincount(cells[generator.integers(0, len(cells), len(cells))], minlength=9)
            for _ in range(resamples)
        ]
    ).reshape(resamples, len(SENTIMENTS), len(SENTIMENTS))
    right = np.diagonal(counts, axis1=1, axis2=2).astype(float)
    support, predicted = counts.sum(axis=2), counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(support > 0, right / support, np.nan)
        precision = np.where(predicted > 0, right / predicted, np.nan)
        both = support + predicted
        f1 = np.where(both > 0, 2 * right / both, 0.0)
    macro = f1[:, held].mean(axis=1)
    return ScoreIntervals(
        _percentiles(macro, confidence),
        {name: _percentiles(precision[:, i], confidence) for i, name in enumerate(SENTIMENTS)},
        {name: _percentiles(recall[:, i], confidence) for i, name in enumerate(SENTIMENTS)},
        resamples,
        seed,
        confidence,
    )


def _percentiles(values: NDArray[np.float64], confidence: float) -> Interval:
    """The middle ``confidence`` of the defined values (NaN when none is)."""
    defined = values[~np.isnan(values)]
    if not len(defined):
        return float("nan"), float("nan")
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(defined, [tail, 100 - tail])
    return float(low), float(high)
