"""Themes: discover them by clustering embeddings, label them, and measure what each costs in NPS.

Discovery clusters unit-length text embeddings with spherical k-means (k-means++ seeding,
Arthur & Vassilvitskii 2007) and labels each cluster by its key phrases under class-based TF-IDF
(c-TF-IDF, Grootendorst 2022): a phrase scores high when it is frequent in the cluster and rare
across clusters. Impact compares the NPS of respondents who mention a theme with those who do
not, and estimates each theme's effect in NPS points by least squares of the respondent's NPS
contribution (+100 promoter, 0 passive, -100 detractor) on all theme indicators at once, with
heteroscedasticity-consistent (HC1) standard errors (White 1980). Emerging themes are those whose
share of texts rose significantly against the previous period (two-proportion z test, Holm).

References
----------
Arthur, D. & Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. SODA 2007.
Grootendorst, M. (2022). BERTopic: neural topic modeling with a class-based TF-IDF procedure.
arXiv:2203.05794.
White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator. Econometrica 48(4).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from advocacy.errors import UsageError
from advocacy.metrics.comparisons import adjust_p_values, two_proportion_z_test
from advocacy.metrics.scores import nps_from_counts

_TOKEN = re.compile(r"[a-z][a-z'’-]+")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don't",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "ive",
        "im",
        "dont",
        "didnt",
        "wasnt",
        "got",
        "get",
        "one",
        "really",
        "much",
        "even",
        "still",
        "us",
        "it’s",
        "i’m",
    ]
)


@dataclass
class DiscoveredTheme:
    """One discovered theme: label, key phrases, size, sentiment mix and example quotes."""

    theme_id: str
    label: str
    key_phrases: list[str]
    size: int
    members: NDArray[np.int64]
    sentiment_mix: dict[str, float] = field(default_factory=dict)
    quotes: list[str] = field(default_factory=list)


def _phrases(text: str) -> list[str]:
    words = [w for w in _TOKEN.findall(text.lower()) if len(w) > 2]
    unigrams = [w for w in words if w not in STOPWORDS]
    bigrams = [
        f"{a} {b}"
        for a, b in itertools.pairwise(words)
        if a not in STOPWORDS and b not in STOPWORDS
    ]
    return unigrams + bigrams


def class_tfidf(
    texts: Sequence[str], assignment: NDArray[Any], k: int, *, top: int = 5
) -> list[list[str]]:
    """Top ``top`` phrases per cluster under c-TF-IDF (Grootendorst 2022, eq. 1)."""
    counts = [Counter[str]() for _ in range(k)]
    for text, cluster in zip(texts, assignment, strict=True):
        counts[int(cluster)].update(_phrases(text))
    total = Counter[str]()
    for counter in counts:
        total.update(counter)
    average = sum(total.values()) / max(k, 1)
    labels = []
    for counter in counts:
        size = max(sum(counter.values()), 1)
        scored = sorted(
            ((c / size) * np.log(1 + average / total[p]), p) for p, c in counter.items() if c >= 2
        )
        chosen: list[str] = []
        for _, phrase in reversed(scored):
            if not any(phrase in other or other in phrase for other in chosen):
                chosen.append(phrase)
            if len(chosen) == top:
                break
        labels.append(chosen)
    return labels


def spherical_kmeans(
    vectors: NDArray[Any], k: int, *, random_state: int = 0, max_iter: int = 30
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Cluster unit vectors by cosine similarity; returns (assignment, unit centroids)."""
    rng = np.random.default_rng(random_state)
    x = np.asarray(vectors, dtype=np.float32)
    n = len(x)
    sample = x[rng.choice(n, size=min(n, 20_000), replace=False)]
    centres = [sample[rng.integers(len(sample))]]
    distance = 1 - sample @ centres[0]
    for _ in range(1, k):
        p = np.clip(distance, 0, None) ** 2
        centres.append(
            sample[
                rng.choice(len(sample), p=p / p.sum()) if p.sum() > 0 else rng.integers(len(sample))
            ]
        )
        distance = np.minimum(distance, 1 - sample @ centres[-1])
    centroids = np.vstack(centres)
    assignment = np.zeros(n, dtype=np.int64)
    for iteration in range(max_iter):
        new = (x @ centroids.T).argmax(axis=1)
        if iteration and np.array_equal(new, assignment):
            break
        assignment = new
        sums = np.zeros_like(centroids)
        np.add.at(sums, assignment, x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids = np.where(norms > 0, sums / np.where(norms > 0, norms, 1), centroids)
    return assignment, centroids.astype(np.float32)


def discover_themes(
    texts: Sequence[str],
    embeddings: NDArray[Any],
    *,
    n_themes: int | None = None,
    sentiments: Sequence[str] | None = None,
    quotes: int = 3,
    random_state: int = 0,
) -> list[DiscoveredTheme]:
    """Cluster texts into themes, each labelled by key phrases, largest first.

    ``n_themes`` defaults to ``sqrt(n / 10)`` clamped to 2..25. Quotes are the texts nearest the
    theme's centre.
    """
    n = len(texts)
    if n < 4 or len(embeddings) != n:
        raise UsageError(
            f"theme discovery needs at least 4 texts with one embedding each (got {n})",
            fix="analyse more texts first (advocacy text analyze)",
        )
    k = n_themes or int(np.clip(round(np.sqrt(n / 10)), 2, 25))
    k = min(k, n)
    assignment, centroids = spherical_kmeans(embeddings, k, random_state=random_state)
    phrases = class_tfidf(texts, assignment, k)
    similarity = np.einsum("ij,ij->i", np.asarray(embeddings, np.float32), centroids[assignment])
    themes = []
    for cluster in range(k):
        members = np.flatnonzero(assignment == cluster)
        if len(members) == 0:
            continue
        nearest = members[np.argsort(-similarity[members])][:quotes]
        mix: dict[str, float] = {}
        if sentiments is not None:
            values = pd.Series([sentiments[int(i)] for i in members]).value_counts(normalize=True)
            mix = {str(key): round(float(v), 3) for key, v in values.items()}
        label = ", ".join(phrases[cluster][:3]) or f"theme {cluster + 1}"
        themes.append(
            DiscoveredTheme(
                "", label, phrases[cluster], len(members), members, mix, [texts[i] for i in nearest]
            )
        )
    themes.sort(key=lambda theme: -theme.size)
    for number, theme in enumerate(themes, start=1):
        theme.theme_id = f"discovered-{number:02d}"
    return themes


def _contribution(nps: NDArray[Any]) -> NDArray[np.float64]:
    return np.where(nps >= 9, 100.0, np.where(nps <= 6, -100.0, 0.0))


def theme_impact(
    nps: Sequence[float] | NDArray[Any],
    mentions: pd.DataFrame,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """NPS of respondents mentioning each theme vs not, and each theme's effect in NPS points.

    Parameters
    ----------
    nps : array of 0..10
        One likelihood-to-recommend per respondent.
    mentions : DataFrame of bool
        One row per respondent (aligned with ``nps``), one column per theme.

    Returns
    -------
    DataFrame
        Per theme: ``n_mentioning``, ``nps_mentioning``, ``nps_not``, ``difference`` and the
        regression ``effect`` with ``effect_low``/``effect_high`` (HC1, t interval) and ``p_value``.
    """
    scores = np.asarray(nps, dtype=np.float64)
    if len(scores) != len(mentions):
        raise UsageError("nps and mentions must have one row per respondent", fix="align them")
    flags = mentions.astype(bool).to_numpy()
    y = _contribution(scores)
    design = np.column_stack([np.ones(len(y)), flags.astype(float)])
    keep = np.concatenate([[True], flags.any(axis=0) & ~flags.all(axis=0)])
    x = design[:, keep]
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ coef
    n, p = x.shape
    bread = np.linalg.pinv(x.T @ x)
    meat = (x * residual[:, None] ** 2).T @ x
    covariance = bread @ meat @ bread * n / max(n - p, 1)
    se = np.sqrt(np.clip(np.diag(covariance), 0, None))
    t = stats.t.ppf(0.5 + confidence / 2, max(n - p, 1))
    estimate = dict(
        zip(np.flatnonzero(keep)[1:] - 1, zip(coef[1:], se[1:], strict=True), strict=True)
    )
    rows = []
    for column, name in enumerate(mentions.columns):
        inside, outside = scores[flags[:, column]], scores[~flags[:, column]]

        def score(values: NDArray[Any]) -> float:
            if len(values) == 0:
                return float("nan")
            counts = (np.sum(values <= 6), np.sum((values > 6) & (values < 9)), np.sum(values >= 9))
            return nps_from_counts(*map(float, counts), confidence=confidence).score

        effect, error = estimate.get(column, (float("nan"), float("nan")))
        rows.append(
            {
                "theme": name,
                "n_mentioning": len(inside),
                "nps_mentioning": score(inside),
                "nps_not": score(outside),
                "difference": score(inside) - score(outside),
                "effect": float(effect),
                "effect_low": float(effect - t * error),
                "effect_high": float(effect + t * error),
                "p_value": float(2 * stats.t.sf(abs(effect / error), max(n - p, 1)))
                if error > 0
                else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def emerging_themes(
    current: pd.DataFrame, previous: pd.DataFrame, *, alpha: float = 0.05, correction: str = "holm"
) -> pd.DataFrame:
    """Themes whose share of texts rose significantly against the previous period.

    ``current``/``previous`` hold one bool column per theme and one row per text of that period.
    Returns per theme the two shares, the change in points, z, adjusted p and ``emerging``.
    """
    names = [c for c in current.columns if c in previous.columns] or list(current.columns)
    n1, n2 = len(current), len(previous)
    share1 = np.array([current[c].astype(bool).mean() if n1 else np.nan for c in names])
    share2 = np.array(
        [previous[c].astype(bool).mean() if (n2 and c in previous) else 0.0 for c in names]
    )
    z, p = two_proportion_z_test(share1, n1, share2, n2)
    adjusted = adjust_p_values(np.where(z > 0, p / 2, 1 - p / 2), correction)
    return pd.DataFrame(
        {
            "theme": names,
            "share": share1,
            "previous_share": share2,
            "change_points": 100 * (share1 - share2),
            "z": z,
            "p_value": adjusted,
            "emerging": (z > 0) & (adjusted < alpha),
        }
    )
