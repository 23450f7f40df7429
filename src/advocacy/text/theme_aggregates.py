"""Theme impact from engine aggregates: respondents grouped by score and the themes they mention.

:func:`~advocacy.text.themes.theme_impact` compares, per theme, the NPS of the respondents whose
comment mentions it with that of the other commenters. Respondents with the same score and the
same set of themes contribute identical rows, so the engine (DuckDB, PostgreSQL or Spark, through
Ibis) counts them per (score, theme pattern) and the comparison runs on those few rows with the
counts as frequency weights: the same effects, intervals and NPS as on every respondent.

A respondent counts as a commenter when their comment has content, themed or not, as in the
workspace's theme listing (:func:`advocacy.text.catalogue.list_themes`): an empty comment or a
non-answer ("n/a", "nothing") is no comment (:func:`advocacy.text.non_answers.is_non_answer`).
Non-answers are short, so only comments of up to :data:`CHECKED_LENGTH` characters come back
from the engine to be checked (grouped, each distinct text once per score and theme pattern);
longer ones count as content on the engine.

A survey without NPS measures the themes on its CSAT or CES instead (``outcome``): the
respondents are then grouped by whether they reached it (satisfied, easy), with the same
engine counts, and :func:`~advocacy.text.themes.theme_share_impact` compares the shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from advocacy.errors import UsageError
from advocacy.text.documents import DOCUMENT_SOURCES, document_text_column
from advocacy.text.non_answers import MAX_LENGTH, non_answer_mask
from advocacy.text.themes import theme_impact, theme_share_impact

#: Themes entered at most: the patterns grow as 2^themes (the engine's groups stay few).
MAX_THEMES = 30
#: Longest comment (after the engine's trim) checked for being a non-answer; twice the
#: non-answers' own limit, so that a trim that leaves other white space still sends it.
CHECKED_LENGTH = 2 * MAX_LENGTH


#: The outcomes a theme's effect can be measured on: NPS, or for a survey without one the
#: metrics' own CSAT (top two boxes) and CES (easy third) shares
#: (:data:`advocacy.metrics.catalogue.METRICS`), as the theme listing uses them.
OUTCOMES = ("nps", "csat", "ces-easy")


def theme_patterns(
    responses: Any,
    document_themes: Any,
    *,
    themes: Sequence[str] | None = None,
    outcome: str = "nps",
) -> pd.DataFrame:
    """Respondents with an NPS (or ``outcome``) counted by score and themes mentioned, on the
    tables' engine.

    Parameters
    ----------
    responses
        Ibis table ``responses``.
    document_themes
        Ibis table ``document_themes`` (``document_kind``, ``document_id``, ``theme_id``).
    themes
        Theme ids to enter (default: every theme linked to a response, at most
        :data:`MAX_THEMES`, most linked first).
    outcome
        One of :data:`OUTCOMES`: ``csat`` or ``ces-easy`` count the respondents with that
        score by whether they reached it (1 or 0) in the ``nps`` column.

    Returns
    -------
    pandas.DataFrame
        ``nps`` (the score, or 1/0 for another ``outcome``), ``commented`` (the comment has
        content), ``respondents`` and one boolean column per theme; ``frame.attrs["themes"]``
        lists the themes.

    Raises
    ------
    UsageError
        When ``outcome`` is not one of :data:`OUTCOMES`.
    """
    if outcome not in OUTCOMES:
        raise UsageError(
            f"unknown outcome {outcome!r}",
            value=outcome,
            parameter="outcome",
            fix=f"use one of {', '.join(OUTCOMES)}",
        )
    links = document_themes.filter(document_themes.document_kind == "response").select(
        document_id=document_themes.document_id.cast("string"), theme_id="theme_id"
    )
    if themes is None:
        linked = links.group_by("theme_id").aggregate(links=links.count()).to_pandas()
        linked = linked.sort_values(["links", "theme_id"], ascending=[False, True])
        themes = [str(theme) for theme in linked["theme_id"].head(MAX_THEMES)]
    chosen = list(themes)
    import ibis

    # What the answer reads as (its title, then its comment): "commented" as text analysis says.
    comment = document_text_column(responses, DOCUMENT_SOURCES["response"]).cast("string")
    short = comment.isnull() | (comment.strip().length() <= CHECKED_LENGTH)
    if outcome == "nps":
        valid, score = responses.nps.notnull(), responses.nps.cast("int64")
    else:
        from advocacy.metrics.catalogue import METRICS
        from advocacy.metrics.slicing import _metric_parts

        valid, parts = _metric_parts(responses, METRICS[outcome])
        score = parts["hits"].ifelse(1, 0).cast("int64")
    answered = responses.filter(valid).select(
        document_id=responses.response_id.cast("string"),
        nps=score,
        # A short comment comes back to be checked; a long one is content.
        said=ibis.ifelse(short, comment, ibis.null("string")),
        long=~short,
    )
    # Positional names: theme ids are user text, not identifiers.
    flags = links.group_by("document_id").aggregate(
        **{
            f"t{index}": (links.theme_id == theme).ifelse(1, 0).max()
            for index, theme in enumerate(chosen)
        }
    )
    joined = answered.left_join(flags, answered.document_id == flags.document_id)
    columns = {f"t{index}": joined[f"t{index}"].fill_null(0) for index in range(len(chosen))}
    pattern = joined.select(nps=joined.nps, said=joined.said, long=joined.long, **columns)
    keys = ["nps", "said", "long", *columns]
    counted = pattern.group_by(keys).aggregate(respondents=pattern.count()).to_pandas()
    said = counted["said"].astype(object).where(counted["said"].notna(), None).tolist()
    counted["commented"] = counted["long"].astype(bool).to_numpy() | ~non_answer_mask(said)
    keys = ["nps", "commented", *columns]
    counted = counted.groupby(keys, as_index=False)["respondents"].sum()
    counted = counted.sort_values(keys).reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "nps": counted["nps"].astype(float),
            "commented": counted["commented"].astype(bool),
            "respondents": counted["respondents"].astype(int),
        }
    )
    for index, theme in enumerate(chosen):
        frame[theme] = counted[f"t{index}"].astype(int) > 0
    frame.attrs["themes"] = chosen
    return frame


def engine_theme_impact(
    responses: Any,
    document_themes: Any,
    *,
    themes: Sequence[str] | None = None,
    confidence: float = 0.95,
    outcome: str = "nps",
) -> pd.DataFrame:
    """Each theme's effect on NPS (or ``outcome``) from the engine's counts (see
    :func:`theme_patterns`).

    Parameters
    ----------
    responses, document_themes
        Ibis tables on any engine.
    themes
        Theme ids to enter (default the most linked, up to :data:`MAX_THEMES`).
    confidence
        Confidence level of the effects' intervals.
    outcome
        ``nps``, or for a survey without one ``csat`` or ``ces-easy`` (:data:`OUTCOMES`).

    Returns
    -------
    pandas.DataFrame
        As :func:`advocacy.text.themes.theme_impact` (for ``csat`` and ``ces-easy``
        :func:`advocacy.text.themes.theme_share_impact`) gives on every respondent with the
        commenters of :func:`theme_patterns` (the theme listing's): every commenter with
        content is on one side of each theme, themed or not, whether or not their themes are
        among those entered.
    """
    patterns = theme_patterns(responses, document_themes, themes=themes, outcome=outcome)
    impact = theme_impact if outcome == "nps" else theme_share_impact
    return impact(
        patterns["nps"].to_numpy(),
        patterns[patterns.attrs["themes"]],
        commented=patterns["commented"].to_numpy(),
        confidence=confidence,
        weights=patterns["respondents"].to_numpy(),
    )
