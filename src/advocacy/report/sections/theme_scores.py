"""What the writers of a theme scored, for a theme whose texts the model could not read.

A theme of reviews in a language the sentiment model does not read has no sentiment mix, but its
writers often gave a score: an NPS, a CSAT, a review's stars. Read on each score's own scale
(:func:`advocacy.text.scale_sentiment.label_from_scores`: NPS 0-6 negative, 7-8 neutral, 9-10
positive; a rating's bottom two points negative, its top two positive), those scores say how the
theme's writers felt, and the report shows that mix beside "no sentiment" instead of nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from markupsafe import Markup

from advocacy import display
from advocacy.errors import ParquetSourceError
from advocacy.store.steady import steady_table
from advocacy.text.score_labels import score_labels
from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = ["ScoreMix", "score_line", "score_mixes", "scored_labels"]

#: Per theme: the share of each sentiment its writers' scores imply, and how many scored.
ScoreMix = tuple[dict[str, float], int]


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


def score_line(mix: ScoreMix) -> Markup:
    """One paragraph: what a theme's writers' scores say, with how many scored.

    >>> print(score_line(({"negative": 0.5, "neutral": 0.25, "positive": 0.25}, 4)))
    <p>By their scores: 50% negative, 25% neutral, 25% positive, of the 4 texts with a score \
(NPS 0-6 or a rating's bottom two points negative, NPS 9-10 or its top two positive).</p>
    """
    shares, scored = mix
    words = ", ".join(f"{display.percent(shares[name], 0)} {name}" for name in SENTIMENTS)
    texts = "text" if scored == 1 else "texts"
    return Markup(
        "<p>By their scores: {}, of the {} {} with a score (NPS 0-6 or a rating's bottom two "
        "points negative, NPS 9-10 or its top two positive).</p>"
    ).format(words, display.number(scored), texts)
