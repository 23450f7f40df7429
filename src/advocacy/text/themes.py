"""Themes: discover them by clustering embeddings, label them, and measure what each costs in NPS.

Discovery leaves non-answers out, clusters the unit-length text embeddings with scikit-learn's
k-means (k-means++ seeding, Arthur & Vassilvitskii 2007; on unit vectors it follows spherical
k-means closely) and names each cluster by representative phrases under class-based TF-IDF
(c-TF-IDF, Grootendorst 2022; :mod:`advocacy.text.theme_names`) and one central quote.
Impact compares the NPS of the commenters who mention a theme with that of the other commenters
whose comment has content (non-answers and respondents without a comment are left out): the
difference in NPS points, with the Wald interval and z test of a difference of two NPS on their
trinomial variances (Rocks 2016). Emerging themes are those whose
share of texts rose significantly against the previous period (two-proportion z test, Holm).

References
----------
Arthur, D. & Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. SODA 2007.
Grootendorst, M. (2022). BERTopic: neural topic modeling with a class-based TF-IDF procedure.
arXiv:2203.05794.
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician
70(4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.metrics.comparisons import adjust_p_values, nps_z_test, two_proportion_z_test
from advocacy.metrics.intervals import ADJUSTED_WALD_PSEUDO_COUNTS, z_critical
from advocacy.metrics.scores import nps_from_counts
from advocacy.text.embeddings import unit_rows
from advocacy.text.phrases import PhraseMatcher
from advocacy.text.theme_names import class_tfidf, naming_texts, shorten, unique_names

#: The sentiment mix's name for a theme's texts that have no sentiment (non-answers, languages
#: the model does not read).
NO_SENTIMENT = "no sentiment"

#: Texts per theme that its name is computed from (a seeded sample of larger themes).
NAMING_SAMPLE = 2_000
#: Texts the cluster centres are fitted on (a seeded sample of larger collections).
CLUSTERING_SAMPLE = 20_000


@dataclass
class DiscoveredTheme:
    """One discovered theme: name (``label``), key phrases, size, sentiment mix and quotes.

    Attributes
    ----------
    theme_id
        ``discovered-01``, ``discovered-02``, ... largest first.
    label
        The theme's name, from its leading key phrases.
    key_phrases
        The phrases that set the theme's texts apart (c-TF-IDF), best first.
    size
        How many texts the theme holds.
    members
        Positions of those texts in the input.
    sentiment_mix
        Share of each sentiment label among the members (to three decimals, a share that rounds
        to 0 left out), texts without one as :data:`NO_SENTIMENT` (empty without sentiments).
    quotes
        The texts nearest the theme's centre.
    quote
        The text closest to the theme's centre, shortened for display.

    Examples
    --------
    >>> import numpy as np
    >>> texts = ["price is too high", "too expensive", "price went up",
    ...          "staff were kind", "friendly staff", "lovely staff member"]
    >>> vectors = np.array([[1, 0], [0.9, 0.1], [1, 0.05], [0, 1], [0.1, 0.9], [0.05, 1]])
    >>> theme = discover_themes(texts, vectors, n_themes=2)[0]
    >>> theme.theme_id, theme.size, sorted(theme.members.tolist())
    ('discovered-01', 3, [3, 4, 5])
    """

    theme_id: str
    label: str
    key_phrases: list[str]
    size: int
    members: NDArray[np.int64]
    sentiment_mix: dict[str, float] = field(default_factory=dict)
    quotes: list[str] = field(default_factory=list)
    #: The text closest to the theme's centre, shortened for display.
    quote: str = ""


def _kmeans(
    vectors: NDArray[Any], k: int, *, random_state: int
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """k-means on unit vectors (close to spherical k-means); returns labels and unit centres.

    The centres are fitted on a seeded sample of at most :data:`CLUSTERING_SAMPLE` texts (the
    fit costs grow with n; the centres hardly move beyond that), then every text joins its most
    similar centre and each centre becomes the unit mean of its members.
    """
    from sklearn.cluster import KMeans

    x = unit_rows(np.asarray(vectors, dtype=np.float32))
    rng = np.random.default_rng(random_state)
    chosen = rng.choice(len(x), CLUSTERING_SAMPLE, False) if len(x) > CLUSTERING_SAMPLE else None
    # Measured from the texts' mean, so the direction every text shares (generic wording) does
    # not pull most texts towards one centre; centres are unit length, so a text joins the
    # centre it points at, not the one with the largest norm.
    middle = (x if chosen is None else x[chosen]).mean(axis=0)
    centred = unit_rows(x - middle)
    sample = centred if chosen is None else centred[chosen]
    model = KMeans(n_clusters=k, n_init=1, max_iter=50, random_state=random_state).fit(sample)
    centres = unit_rows(np.asarray(model.cluster_centers_, dtype=np.float32))
    labels = np.asarray((centred @ centres.T).argmax(axis=1), dtype=np.int64)
    sums = np.zeros_like(centres)
    np.add.at(sums, labels, x)
    # An empty cluster keeps its centre, moved back from the centred space to the texts' space.
    sums = np.where(np.bincount(labels, minlength=k)[:, None] > 0, sums, centres + middle)
    lengths = np.linalg.norm(sums, axis=1, keepdims=True)
    return labels, (sums / np.where(lengths > 0, lengths, 1.0)).astype(np.float32)


def discover_themes(
    texts: Sequence[str],
    embeddings: NDArray[Any],
    *,
    n_themes: int | None = None,
    sentiments: Sequence[str | None] | None = None,
    languages: Sequence[str | None] | None = None,
    quotes: int = 3,
    random_state: int = 0,
    redact: Callable[[str], str] | None = None,
) -> list[DiscoveredTheme]:
    """Cluster texts into themes, each named by representative phrases, largest first.

    Non-answers ("n/a", "nothing", "did not answer") are left out: they belong to no theme.
    ``n_themes`` defaults to ``sqrt(n / 10)`` clamped to 2..25 (n: the texts that answer).
    Names come from :mod:`advocacy.text.theme_names` (c-TF-IDF on at most
    :data:`NAMING_SAMPLE` texts per theme, in each text's language where ``languages`` gives
    it, and only from the texts of the theme's most common language and those without one),
    with personal data masked by ``redact`` so that no name holds any; no two themes get the
    same name. ``quotes`` are the ``quotes`` texts nearest the theme's centre among those that
    say one of its key phrases (in its most common language or none; the nearest others make
    up the number), and ``quote`` the first of them, shortened.

    Parameters
    ----------
    texts
        The texts to group.
    embeddings
        One vector per text (n x d), e.g. from the workspace's text model.
    n_themes
        How many themes to form; None picks it from the number of texts.
    sentiments
        Optional sentiment label per text, for each theme's sentiment mix.
    languages
        Optional language code per text, for naming themes in each text's language.
    quotes
        How many representative texts to keep per theme.
    random_state
        Seed of the k-means initialisation, for reproducible themes.
    redact
        Masks personal data in a text (a workspace redactor's ``redact``); the shipped
        :class:`~advocacy.text.pii.Redactor` when None.

    Returns
    -------
    list of DiscoveredTheme
        The themes, largest first, each with its label, key phrases, members and quotes.

    Raises
    ------
    UsageError
        When ``embeddings`` has not one row per text, or fewer than 4 texts say something.

    Examples
    --------
    >>> import numpy as np
    >>> texts = ["the price is too high", "too expensive for me", "price went up again",
    ...          "staff were kind", "friendly helpful staff", "the staff member was lovely"]
    >>> vectors = np.array([[1, 0], [0.9, 0.1], [1, 0.05], [0, 1], [0.1, 0.9], [0.05, 1]])
    >>> [theme.key_phrases[0] for theme in discover_themes(texts, vectors, n_themes=2)]
    ['staff', 'price']
    """
    from advocacy.text.non_answers import non_answer_mask

    if len(embeddings) != len(texts):
        raise UsageError(
            f"theme discovery needs one embedding per text (got {len(embeddings)} for "
            f"{len(texts)} texts)",
            fix="embed every text with the same embedder",
        )
    answering = np.flatnonzero(~non_answer_mask(texts))
    n = len(answering)
    if n < 4:
        raise UsageError(
            f"theme discovery needs at least 4 texts that say something (got {n} of "
            f"{len(texts)}; placeholder answers such as n/a do not count)",
            fix="themes need more comments, reviews or notes with something to say",
        )
    # Never more themes than different texts: k-means cannot split identical points.
    distinct = len({texts[int(i)] for i in answering})
    k = min(n_themes or int(np.clip(round(np.sqrt(n / 10)), 2, 25)), distinct)
    labels, centroids = _kmeans(np.asarray(embeddings)[answering], k, random_state=random_state)
    assignment = np.full(len(texts), -1, dtype=np.int64)
    assignment[answering] = labels
    rng = np.random.default_rng(random_state)
    spoken = [None] * len(texts) if languages is None else list(languages)
    named = np.full(len(texts), -1, dtype=np.int64)
    naming_languages = list(spoken)
    main_language: dict[int, str | None] = {}
    for cluster in range(k):
        members = np.flatnonzero(assignment == cluster)
        # A theme is named in the language most of its texts are in: a few texts in another
        # language would give it a name half in each.
        # A text without a language (not analysed yet, or too short to tell: "good", "price")
        # counts as the theme's language: leaving it out would let a few texts that have one
        # name a theme they are a minority of.
        said = pd.Series([spoken[int(i)] for i in members], dtype=object).dropna()
        main_language[cluster] = str(said.mode().iloc[0]) if len(said) else None
        if main_language[cluster] is not None:
            members = members[[spoken[int(i)] in (None, main_language[cluster]) for i in members]]
            for i in members:
                naming_languages[int(i)] = main_language[cluster]
        if len(members) > NAMING_SAMPLE:
            members = rng.choice(members, NAMING_SAMPLE, replace=False)
        named[members] = cluster
    readable = [""] * len(texts)
    chosen = np.flatnonzero(named >= 0)
    sample = [texts[i] for i in chosen.tolist()]
    for row, text in zip(chosen.tolist(), naming_texts(sample, redact), strict=True):
        readable[row] = text
    phrases = class_tfidf(readable, named, k, languages=naming_languages)
    vectors = np.asarray(embeddings, np.float32)
    similarity = np.full(len(texts), -np.inf, dtype=np.float32)
    similarity[answering] = np.einsum("ij,ij->i", vectors[answering], centroids[labels])
    sizes = np.bincount(labels, minlength=k)
    order = sorted(range(k), key=lambda cluster: (-sizes[cluster], cluster))
    names = dict(
        zip(
            order,
            unique_names([phrases[c] for c in order], [f"theme {c + 1}" for c in order]),
            strict=True,
        )
    )
    themes = []
    for cluster in range(k):
        members = np.flatnonzero(assignment == cluster)
        if len(members) == 0:
            continue
        ranked = members[np.argsort(-similarity[members], kind="stable")]
        nearest = _quotes(texts, ranked, phrases[cluster], spoken, main_language[cluster], quotes)
        mix: dict[str, float] = {}
        if sentiments is not None:
            read = [sentiments[int(i)] for i in members]
            values = pd.Series(
                [NO_SENTIMENT if label is None or label != label else label for label in read]
            ).value_counts(normalize=True)
            # A share that rounds to nothing ("no sentiment 0%") is noise on a theme card.
            mix = {str(key): round(float(v), 3) for key, v in values.items() if round(v, 3) > 0}
        themes.append(
            DiscoveredTheme(
                "",
                names[cluster],
                phrases[cluster],
                len(members),
                members,
                mix,
                [texts[i] for i in nearest],
                shorten(texts[nearest[0]]) if nearest else "",
            )
        )
    themes.sort(key=lambda theme: -theme.size)
    for number, theme in enumerate(themes, start=1):
        theme.theme_id = f"discovered-{number:02d}"
    return themes


#: Texts nearest a theme's centre searched for quotes that say one of its key phrases.
QUOTE_SEARCH = 200


def _quotes(
    texts: Sequence[str],
    ranked: NDArray[np.int64],
    phrases: Sequence[str],
    languages: Sequence[str | None],
    language: str | None,
    count: int,
) -> list[int]:
    """The ``count`` texts that best show the theme, of the :data:`QUOTE_SEARCH` nearest its
    centre (``ranked``, nearest first): those whose shown part (:func:`shorten`) says the most
    of the theme's name (its first two ``phrases``, each counting twice) and of its next three
    phrases, in its main ``language``, the nearer first; then the nearest others."""
    searched = [int(i) for i in ranked[:QUOTE_SEARCH]]
    fitting: list[int] = []
    if phrases:
        matcher = PhraseMatcher([[phrase] for phrase in phrases[:5]])
        found = matcher.match_many(
            [shorten(texts[i]) for i in searched], [languages[i] for i in searched]
        )
        said = {
            i: sum(2 if group < 2 else 1 for group in hit)
            for i, hit in zip(searched, found, strict=True)
            if hit and languages[i] in (None, language)
        }
        fitting = sorted(said, key=lambda i: -said[i])  # stable: the nearer first on ties
    chosen = fitting[:count]
    taken = set(chosen)
    return (chosen + [i for i in ranked.tolist() if i not in taken])[:count]


def _sides(
    outcome: NDArray[np.float64],
    named: str,
    mentions: pd.DataFrame,
    commented: Sequence[bool] | NDArray[Any] | None,
    weights: Sequence[float] | NDArray[Any] | None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Each respondent's weight, theme flags (one column per theme) and whether they are on
    either side of a theme (a commenter with an ``outcome``), ``outcome`` checked against
    ``mentions`` and ``commented`` (``named`` in the errors)."""
    if len(outcome) != len(mentions):
        raise UsageError(f"{named} and mentions must have one row per respondent", fix="align them")
    counts = np.ones(len(outcome)) if weights is None else np.asarray(weights, dtype=np.float64)
    flags = mentions.astype(bool).to_numpy().reshape(len(outcome), -1)
    if commented is None:
        writers = flags.any(axis=1)
    else:
        writers = np.asarray(commented, dtype=bool)
        if len(writers) != len(outcome):
            raise UsageError(
                "commented must have one value per respondent", fix=f"align it with {named}"
            )
    return counts, flags, writers & ~np.isnan(outcome)


def theme_impact(
    nps: Sequence[float] | NDArray[Any],
    mentions: pd.DataFrame,
    *,
    commented: Sequence[bool] | NDArray[Any] | None = None,
    confidence: float = 0.95,
    weights: Sequence[float] | NDArray[Any] | None = None,
) -> pd.DataFrame:
    """NPS of the commenters mentioning each theme against the other commenters, and the
    difference in NPS points with its interval.

    A theme's ``effect`` is ``nps_mentioning - nps_not``: the NPS of the respondents whose
    comment mentions the theme minus that of the other respondents whose comment has content,
    so its sign always agrees with the two scores beside it. Respondents without a comment, or
    whose comment is a non-answer ("n/a", "nothing"), say nothing about any theme and are left
    out of both sides: against them every theme would look like a promoter driver, because
    people who write nothing are mostly passive. Respondents without a score are left out.

    The interval and the test are the adjusted-Wald ones, as for the project's own NPS
    intervals (:func:`advocacy.metrics.intervals.nps_interval`): each side first gains 0.75
    detractors, 1.5 passives and 0.75 promoters
    (:data:`~advocacy.metrics.intervals.ADJUSTED_WALD_PSEUDO_COUNTS`), its adjusted NPS and
    trinomial standard error come from those counts, and the interval is the difference of
    the two adjusted NPS plus or minus ``z`` times the two standard errors added in
    quadrature (the sides are independent), clipped to -200..200; ``p_value`` is the
    two-sided z test of that difference
    (:func:`advocacy.metrics.comparisons.nps_z_test`). The plain Wald form collapses to a
    zero-width interval and p NaN when a side is all promoters or all detractors (1 promoter
    against 1 detractor gave +200 [200, 200]), and is far too narrow at small n; the adjusted
    form never is zero-width. At very small n the adjusted difference is pulled towards 0, so
    the interval need not hold the observed ``effect``: read it as "too few to tell". Each
    theme is compared on its own: the effects of overlapping themes are not separated, and a
    respondent may be on the mentioning side of several themes.

    Parameters
    ----------
    nps : array of 0..10
        One likelihood-to-recommend per respondent.
    mentions : DataFrame of bool
        One row per respondent (aligned with ``nps``), one column per theme.
    commented : array of bool, optional
        Whether each respondent wrote a comment with content. By default a respondent counts
        as a commenter when their row mentions at least one theme: discovered themes cover
        every comment with content, so a row without any is a respondent without a comment
        or with a non-answer. Pass it for a taxonomy that leaves some comments without a theme.
    confidence : float
        Confidence level of the effect's interval.
    weights : array of counts, optional
        How many respondents each row stands for (frequency weights): an engine can group the
        respondents by score and themes mentioned (:mod:`advocacy.text.theme_aggregates`) and
        the result is that of the rows repeated.

    Returns
    -------
    DataFrame
        Per theme: ``n_mentioning``, ``n_not`` (the other commenters), ``nps_mentioning``,
        ``nps_not``, ``difference`` and ``effect`` (the same number), ``effect_low``/
        ``effect_high`` and ``p_value``. A side without respondents gives NaN.

    Raises
    ------
    UsageError
        When ``nps``, ``mentions`` and ``commented`` have different numbers of rows.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American
    Statistician 70(4): the trinomial variance of an NPS and the adjusted-Wald interval.
    Lewis, J. R. and Sauro, J. (2021). How to statistically compare two Net Promoter Scores
    (MeasuringU): the z test of two NPS on each side's adjusted-Wald counts.

    Examples
    --------
    >>> import pandas as pd
    >>> mentions = pd.DataFrame({"price": [True, False, True, False, False, True, False, True]})
    >>> impact = theme_impact([2, 10, 3, 9, 10, 5, 9, 4], mentions, commented=[True] * 8)
    >>> impact[["theme", "n_mentioning", "nps_mentioning", "nps_not", "effect"]]
       theme  n_mentioning  nps_mentioning  nps_not  effect
    0  price             4          -100.0    100.0  -200.0
    """
    scores = np.asarray(nps, dtype=np.float64)
    counts, flags, writers = _sides(scores, "nps", mentions, commented, weights)
    bands = (scores <= 6, (scores > 6) & (scores < 9), scores >= 9)
    z = z_critical(confidence)

    def score(mask: NDArray[np.bool_]) -> tuple[float, float, float, float]:
        """NPS, adjusted-Wald NPS and its standard error, and the respondents counted, of
        the rows in ``mask``."""
        weight = counts[mask]
        if weight.sum() <= 0:
            return float("nan"), float("nan"), float("nan"), 0.0
        observed = [float(weight[band[mask]].sum()) for band in bands]
        extras = ADJUSTED_WALD_PSEUDO_COUNTS
        adjusted = nps_from_counts(
            *(count + extra for count, extra in zip(observed, extras, strict=True)),
            confidence=confidence,
            interval="wald",
        )
        return nps_from_counts(*observed).score, adjusted.score, adjusted.se, sum(observed)

    rows = []
    for column, name in enumerate(mentions.columns):
        inside = writers & flags[:, column]
        nps_in, centre_in, se_in, n_in = score(inside)
        nps_out, centre_out, se_out, n_out = score(writers & ~inside)
        effect = nps_in - nps_out
        centre = centre_in - centre_out
        spread = float(np.hypot(se_in, se_out))
        p_value = float(nps_z_test(centre_in, se_in, centre_out, se_out)[1][()])
        rows.append(
            {
                "theme": name,
                "n_mentioning": round(n_in),
                "n_not": round(n_out),
                "nps_mentioning": nps_in,
                "nps_not": nps_out,
                "difference": effect,
                "effect": effect,
                "effect_low": max(centre - z * spread, -200.0),
                "effect_high": min(centre + z * spread, 200.0),
                "p_value": p_value,
            }
        )
    return pd.DataFrame(rows)


def emerging_themes(
    current: pd.DataFrame, previous: pd.DataFrame, *, alpha: float = 0.05, correction: str = "holm"
) -> pd.DataFrame:
    """Themes whose share of texts rose significantly against the previous period.

    ``current``/``previous`` hold one bool column per theme and one row per text of that period.
    Returns per theme the two shares, the change in points, z, adjusted p and ``emerging``.

    Parameters
    ----------
    current, previous
        One row per text of each period, one bool column per theme.
    alpha
        Significance level of the one-sided test, after correction.
    correction
        ``holm``, ``bh`` or ``none``: the multiple-comparison correction across themes.

    Returns
    -------
    pandas.DataFrame
        Per theme: ``share``, ``previous_share``, ``change_points``, ``z``, ``p_value``
        (adjusted) and ``emerging``, in the column order of ``current``.

    Examples
    --------
    >>> import pandas as pd
    >>> current = pd.DataFrame({"price": [True] * 30 + [False] * 10})
    >>> previous = pd.DataFrame({"price": [True] * 5 + [False] * 35})
    >>> emerging_themes(current, previous)[["theme", "share", "previous_share", "emerging"]]
       theme  share  previous_share  emerging
    0  price   0.75           0.125      True
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


def theme_share_impact(
    hits: Sequence[float] | NDArray[Any],
    mentions: pd.DataFrame,
    *,
    commented: Sequence[bool] | NDArray[Any] | None = None,
    confidence: float = 0.95,
    weights: Sequence[float] | NDArray[Any] | None = None,
) -> pd.DataFrame:
    """Share of the commenters mentioning each theme who reached an outcome (satisfied on a
    CSAT, an easy CES) against the other commenters, and the difference in points with its
    interval: each theme's effect on a survey's own score when it has no NPS.

    The sides are those of :func:`theme_impact` (the commenters with content; no comment or a
    non-answer on neither side). ``hits`` says per respondent whether they reached the
    outcome: 1, 0, or NaN for a respondent without that score (left out of both sides). The
    effect is ``share_mentioning - share_not`` in percentage points, with Newcombe's hybrid
    score interval (:func:`advocacy.metrics.intervals.newcombe_difference`) and the pooled
    two-proportion z test's two-sided ``p_value``
    (:func:`advocacy.metrics.comparisons.two_proportion_z_test`); with ``weights`` (how many
    respondents each row stands for) the result is that of the rows repeated.

    Parameters
    ----------
    hits : array of 1, 0 or NaN
        One outcome per respondent (e.g. CSAT in its top two boxes).
    mentions : DataFrame of bool
        One row per respondent (aligned with ``hits``), one column per theme.
    commented : array of bool, optional
        Whether each respondent wrote a comment with content (default: mentions any theme).
    confidence : float
        Confidence level of the effect's interval.
    weights : array of counts, optional
        How many respondents each row stands for (frequency weights).

    Returns
    -------
    DataFrame
        Per theme: ``n_mentioning``, ``n_not``, ``share_mentioning`` and ``share_not`` (in %),
        ``effect`` (points), ``effect_low``/``effect_high`` and ``p_value``. A side without
        respondents gives NaN.

    Raises
    ------
    UsageError
        When ``hits``, ``mentions`` and ``commented`` have different numbers of rows.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. Statistics in Medicine 17(8), method 10.

    Examples
    --------
    >>> import pandas as pd
    >>> mentions = pd.DataFrame({"service": [True] * 4 + [False] * 6})
    >>> hits = [0, 0, 1, 0, 1, 1, 1, 0, 1, 1]
    >>> theme_share_impact(hits, mentions, commented=[True] * 10)[
    ...     ["theme", "n_mentioning", "share_mentioning", "share_not", "effect"]]
         theme  n_mentioning  share_mentioning  share_not     effect
    0  service             4              25.0  83.333333 -58.333333
    """
    from advocacy.metrics.intervals import newcombe_difference

    reached = np.asarray(hits, dtype=np.float64)
    counts, flags, writers = _sides(reached, "hits", mentions, commented, weights)
    success = np.where(np.isnan(reached), 0.0, reached) > 0
    rows = []
    for column, name in enumerate(mentions.columns):
        inside = writers & flags[:, column]
        outside = writers & ~inside
        n_in, n_out = round(counts[inside].sum()), round(counts[outside].sum())
        hit_in = round(counts[inside & success].sum())
        hit_out = round(counts[outside & success].sum())
        effect, low, high = newcombe_difference(hit_in, n_in, hit_out, n_out, confidence=confidence)
        share_in = hit_in / n_in if n_in else float("nan")
        share_out = hit_out / n_out if n_out else float("nan")
        p_value = float(two_proportion_z_test(share_in, n_in, share_out, n_out)[1][()])
        rows.append(
            {
                "theme": name,
                "n_mentioning": n_in,
                "n_not": n_out,
                "share_mentioning": 100 * share_in,
                "share_not": 100 * share_out,
                "effect": 100 * effect,
                "effect_low": 100 * low,
                "effect_high": 100 * high,
                "p_value": p_value if n_in and n_out else float("nan"),
            }
        )
    return pd.DataFrame(rows)
