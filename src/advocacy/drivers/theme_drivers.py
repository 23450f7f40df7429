"""Text themes as drivers: whether each respondent's comment mentions a theme, as a 0/1 regressor.

A theme is a driver like a rated item once every commenting respondent gets a column that is 1 when
their comment was assigned the theme (``document_themes``, document kind ``response``) and 0 when
it was not. Respondents who left no comment say nothing about any theme, so they are left out
(not counted as "did not mention"); the frame says how many that was.

LMG and Johnson's weights treat the indicators as ordinary regressors: a theme's weight is the part
of the outcome's R^2 that goes with *whether the theme is mentioned*, averaged over every order of
entry (LMG), alongside the ratings when both are asked for. Each binary column's variance is
``q (1 - q)`` for a theme mentioned by a share ``q``, so a rare theme can only explain a little,
however strongly it moves the score of the few who mention it; ``theme_impact`` in the text layer
gives that per-mention effect. Only the ``max_themes`` most frequent themes enter (12 by default:
LMG is exact up to ``EXACT_LIMIT`` drivers, and sampled beyond).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from advocacy.drivers.respondents import OUTCOMES
from advocacy.errors import UsageError
from advocacy.text.non_answers import is_non_answer

#: Themes entering the model by default: the most frequent ones among the respondents used.
MAX_THEMES = 12
#: Fewest mentions a theme needs among the respondents used to enter the model.
MIN_MENTIONS = 3


def _commented(responses: Any, outcome: str, unit: str | None) -> pd.DataFrame:
    answers = responses.filter(responses[outcome].notnull())
    if unit is not None:
        answers = answers.filter(answers.unit == unit)
    frame = answers.select("response_id", "unit", "touchpoint", outcome, "comment").to_pandas()
    # A non-answer ("n/a", "nothing") is no comment: it would read as one that mentions no theme.
    has_comment = frame["comment"].map(lambda text: not is_non_answer(text))
    has_comment = has_comment.astype(bool)  # an empty column maps to object dtype
    kept = frame[has_comment].drop(columns="comment").reset_index(drop=True)
    kept["response_id"] = kept["response_id"].astype(str)
    kept[outcome] = kept[outcome].astype(float)
    kept.attrs["without_comment"] = int((~has_comment).sum())
    return cast(pd.DataFrame, kept)


def _theme_names(themes: Any) -> dict[str, str]:
    frame = themes.select("theme_id", "name").to_pandas()
    return {str(row.theme_id): str(row.name) for row in frame.itertuples()}


def theme_mentions(
    responses: Any,
    document_themes: Any,
    themes: Any,
    *,
    outcome: str = "nps",
    unit: str | None = None,
    max_themes: int = MAX_THEMES,
    min_mentions: int = MIN_MENTIONS,
) -> pd.DataFrame:
    """One row per commenting respondent: the outcome and a 0/1 column per frequent theme.

    Parameters
    ----------
    responses, document_themes, themes
        Ibis tables ``responses``, ``document_themes`` and ``themes``.
    outcome
        ``nps``, ``csat`` or ``ces``.
    unit
        Keep only this unit's responses.
    max_themes
        How many themes enter, the most frequently mentioned first.
    min_mentions
        Themes mentioned by fewer respondents are left out (too rare to weigh).

    Returns
    -------
    pandas.DataFrame
        ``response_id``, ``unit``, ``touchpoint``, the outcome and one column per theme named by
        the theme's name. ``frame.attrs``: ``drivers`` (the theme columns, most frequent first),
        ``theme_ids`` (column -> theme id), ``mentions`` (column -> respondents mentioning it),
        ``without_comment`` (respondents with the outcome but no comment, left out) and
        ``themes_available`` (themes mentioned by at least one respondent used).

    Raises
    ------
    UsageError
        On an unknown ``outcome`` or a ``max_themes`` below 1.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> frame = theme_mentions(  # doctest: +SKIP
    ...     ws.table("responses"), ws.table("document_themes"), ws.table("themes")
    ... )
    """
    if outcome not in OUTCOMES:
        raise UsageError(
            f"unknown outcome {outcome!r}",
            value=outcome,
            parameter="outcome",
            fix="use one of: " + ", ".join(OUTCOMES),
        )
    if max_themes < 1:
        raise UsageError(
            "max_themes must be at least 1", value=max_themes, parameter="max_themes", fix="use 12"
        )
    frame = _commented(responses, outcome, unit)
    links = document_themes.filter(document_themes.document_kind == "response")
    links = links.select("document_id", "theme_id").distinct().to_pandas()
    links = links.astype(str)
    links = links[links.document_id.isin(set(frame.response_id))]
    names = _theme_names(themes)
    counts = links.groupby("theme_id").document_id.nunique()
    # Most mentioned first; ties by theme id, so the chosen themes never depend on row order.
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    counts = counts[[theme in names for theme in counts.index]]
    chosen = [str(theme) for theme, n in counts.items() if n >= min_mentions][:max_themes]
    columns: dict[str, str] = {}
    for theme in chosen:
        label = names[theme]
        columns[label if label not in columns else f"{label} ({theme})"] = theme
    for label, theme in columns.items():
        mentioned = set(links.document_id[links.theme_id == theme])
        frame[label] = frame.response_id.isin(mentioned).astype(float)
    frame.attrs.update(
        drivers=list(columns),
        theme_ids=columns,
        mentions={label: int(counts[theme]) for label, theme in columns.items()},
        themes_available=len(counts),
        without_comment=frame.attrs.get("without_comment", 0),
    )
    return frame


def independent_drivers(
    frame: pd.DataFrame, fixed: Sequence[str], optional: Sequence[str]
) -> list[str]:
    """``fixed`` plus each of ``optional`` in turn that varies and adds a new direction.

    A theme mentioned by everyone (or no one) in the rows used, or one whose mentions repeat another
    theme's exactly (a sub-theme assigned with its parent), has no importance of its own; it is
    left out rather than failing the whole model.
    """
    kept = list(fixed)
    complete = frame[[*fixed, *optional]].dropna()
    for name in optional:
        column = complete[name].to_numpy(dtype=np.float64)
        if column.size == 0 or not column.std() > 0:
            continue
        trial = complete[[*kept, name]].to_numpy(dtype=np.float64)
        centred = trial - trial.mean(axis=0)
        if np.linalg.matrix_rank(centred) == len(kept) + 1:
            kept.append(name)
    return kept
