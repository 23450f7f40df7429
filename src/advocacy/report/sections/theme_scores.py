"""What the writers of a theme scored, for a theme whose texts the model could not read.

A theme of reviews in a language the sentiment model does not read has no sentiment mix, but its
writers often gave a score: an NPS, a CSAT, a review's stars. Read on each score's own scale
(:func:`advocacy.text.scale_sentiment.label_from_scores`, the rule the sentiment calibration
learns from: NPS 0-6 negative, 7-8 neutral, 9-10 positive; a rating's bottom two points negative
and its top two positive up to 8 points, the NPS bands on 9 to 11, so 1-6 of 1-10 is negative),
those scores say how the theme's writers felt, and the report's and the web's theme cards show
that mix beside "no sentiment" instead of nothing (:func:`unread_score_mixes`, one
implementation for both). The cards say the rule in words made from the rule itself
(:func:`band_words`), so the wording cannot drift from the labels.

The scores are read (every scored comment, :func:`advocacy.text.score_labels.score_labels`) only
when a theme needs them: a workspace whose themes were read has no such theme and reads nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.errors import ParquetSourceError
from advocacy.report.sections.text_coverage import read_mix
from advocacy.store.steady import steady_table
from advocacy.text.scale_sentiment import scale_label
from advocacy.text.score_labels import score_labels
from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = [
    "FEW_READ",
    "READ_FOR_SENTIMENT",
    "SPELLED_SCALES",
    "ScoreMix",
    "band_words",
    "bands",
    "mostly_unread",
    "score_line",
    "score_mixes",
    "score_words",
    "scored_labels",
    "unread_score_mixes",
]

#: Per theme: the share of each sentiment its writers' scores imply, and how many scored.
ScoreMix = tuple[dict[str, float], int]
#: The share of a theme's texts that must have been read for its sentiment to stand for it; below
#: it (a theme in a language the model does not read) its cards say what its writers' scores
#: imply, and the report quotes its most central texts, whatever their reading.
READ_FOR_SENTIMENT = 0.5
#: Fewer texts read than this and a card or a summary gives counts, not shares, and no bar:
#: "100% positive" drawn full width from one text reads as a verdict.
FEW_READ = 10
#: The rating scales whose bands the cards spell out: the ones reviews and surveys mostly use.
SPELLED_SCALES = ((1, 5), (1, 7), (1, 10))


def _span(points: list[int]) -> str:
    return str(points[0]) if len(points) == 1 else f"{points[0]}-{points[-1]}"


def bands(low: int, high: int) -> dict[str, str]:
    """The points of the scale ``low``..``high`` each sentiment covers, as the calibration's
    labels read them (:func:`~advocacy.text.scale_sentiment.scale_label`, asked point by point).

    >>> bands(1, 10)
    {'negative': '1-6', 'neutral': '7-8', 'positive': '9-10'}
    >>> bands(1, 5)
    {'negative': '1-2', 'neutral': '3', 'positive': '4-5'}
    """
    covered: dict[str, list[int]] = {}
    for point in range(low, high + 1):
        label = scale_label(float(point), float(low), float(high))
        if label is not None:
            covered.setdefault(label, []).append(point)
    return {name: _span(covered[name]) for name in SENTIMENTS if name in covered}


def band_words() -> str:
    """Which scores count as negative and which as positive, for NPS and
    :data:`SPELLED_SCALES`, in words made from :func:`bands`.

    >>> band_words()
    'negative / positive: NPS 0-6 / 9-10; a rating of 1-5: 1-2 / 4-5, of 1-7: 1-2 / 6-7, \
of 1-10: 1-6 / 9-10'
    """
    nps = bands(0, 10)
    ratings = ", of ".join(
        f"{low}-{high}: {found['negative']} / {found['positive']}"
        for low, high in SPELLED_SCALES
        if (found := bands(low, high))
    )
    return f"negative / positive: NPS {nps['negative']} / {nps['positive']}; a rating of {ratings}"


def scored_labels(ws: Workspace) -> dict[tuple[str, str], str]:
    """(document kind, id) -> the sentiment its writer's score implies, for every scored text.

    Empty from a source whose tables the report cannot query here (Parquet on Spark).
    """
    try:
        found = score_labels(
            steady_table(ws.db, "responses"),
            steady_table(ws.db, "response_items"),
            steady_table(ws.db, "mentions"),
        )
    except ParquetSourceError:
        return {}
    return {key: label for key, (_, label) in found.items()}


def score_mixes(
    members: Iterable[tuple[str, str, str]], labels: Mapping[tuple[str, str], str]
) -> dict[str, ScoreMix]:
    """Per theme id, the sentiment mix its members' scores imply and how many were scored.

    ``members`` are (theme id, document kind, document id); a theme none of whose members has
    a score is left out.
    """
    counts: dict[str, Counter[str]] = {}
    for theme_id, kind, document_id in members:
        label = labels.get((str(kind), str(document_id)))
        if label is not None:
            counts.setdefault(str(theme_id), Counter())[label] += 1
    mixes: dict[str, ScoreMix] = {}
    for theme_id, counted in counts.items():
        total = sum(counted.values())
        mixes[theme_id] = ({name: counted[name] / total for name in SENTIMENTS}, total)
    return mixes


def mostly_unread(themes: pd.DataFrame) -> tuple[str, ...]:
    """The ids of ``themes`` (``ws.text.themes()`` rows) fewer than :data:`READ_FOR_SENTIMENT`
    of whose texts were read: the CLI's, the web's and the report's rule, in one place.

    >>> mostly_unread(pd.DataFrame({"theme_id": ["a", "b"],
    ...     "sentiment_mix": [{"no sentiment": 0.9, "positive": 0.1}, {"negative": 1.0}]}))
    ('a',)
    """
    return tuple(
        str(record["theme_id"])
        for record in themes.to_dict("records")
        if read_mix(
            record["sentiment_mix"] if isinstance(record.get("sentiment_mix"), dict) else {}
        )[1]
        < READ_FOR_SENTIMENT
    )


def unread_score_mixes(
    ws: Workspace,
    unread: Collection[str],
    *,
    members: Iterable[tuple[str, str, str]] | None = None,
) -> dict[str, ScoreMix]:
    """Per theme id of ``unread``, the mix its writers' scores imply (:func:`score_mixes`).

    Parameters
    ----------
    ws
        The workspace.
    unread
        The themes whose texts were mostly not read (fewer than :data:`READ_FOR_SENTIMENT`).
    members
        (theme id, document kind, document id) of the themes' texts; default every stored
        assignment (``ws.text.theme_members()``).

    Returns
    -------
    dict
        Theme id -> :data:`ScoreMix`, for the themes of ``unread`` of which a text has a score;
        empty, without reading the workspace, when ``unread`` is.
    """
    if not unread:
        return {}
    chosen = {str(theme_id) for theme_id in unread}
    found = ws.text.theme_members() if members is None else members
    return score_mixes((member for member in found if member[0] in chosen), scored_labels(ws))


def score_words(mix: ScoreMix) -> str:
    """What a theme's writers' scores say, with how many scored, in words.

    >>> score_words(({"negative": 0.5, "neutral": 0.25, "positive": 0.25}, 4))
    'By their scores: 50% negative, 25% neutral, 25% positive, of the 4 texts with a score \
(negative / positive: NPS 0-6 / 9-10; a rating of 1-5: 1-2 / 4-5, of 1-7: 1-2 / 6-7, \
of 1-10: 1-6 / 9-10).'
    """
    shares, scored = mix
    words = ", ".join(f"{display.percent(shares[name], 0)} {name}" for name in SENTIMENTS)
    texts = "text" if scored == 1 else "texts"
    return (
        f"By their scores: {words}, of the {display.number(scored)} {texts} with a score "
        f"({band_words()})."
    )


def score_line(mix: ScoreMix) -> Markup:
    """:func:`score_words` as one paragraph of a report's card.

    >>> print(score_line(({"negative": 1.0, "neutral": 0.0, "positive": 0.0}, 1))[:80])
    <p>By their scores: 100% negative, 0% neutral, 0% positive, of the 1 text with a
    """
    return Markup("<p>{}</p>").format(score_words(mix))
