"""The answers behind a score: the responses a slice, a period and filters hold, newest first.

A dashboard's number is only as good as the answers under it; this is the drill-down from any
score to them (``ws.metrics.answers``), with the same dimensions, dates and filters as
:func:`advocacy.metrics.experience.experience_metrics`, so the rows listed are the rows counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from advocacy.errors import UsageError
from advocacy.metrics.catalogue import metric_definitions
from advocacy.metrics.slicing import (
    TableSource,
    _metric_parts,
    _utc_time,
    as_date,
    filtered_table,
)

#: Columns of each answer listed, in order.
ANSWER_COLUMNS = (
    "response_id",
    "submitted_at",
    "customer_id",
    "unit",
    "touchpoint",
    "channel",
    "nps",
    "csat",
    "ces",
    "comment",
)
#: The most answers one call lists.
MAX_ANSWERS = 500


@dataclass(frozen=True)
class Answers:
    """One page of the answers behind a score.

    Attributes
    ----------
    rows
        The answers (:data:`ANSWER_COLUMNS`), newest first.
    total
        How many answers match, on every page.
    offset
        How many matching answers come before ``rows``.
    """

    rows: pd.DataFrame
    total: int
    offset: int


def answers(
    tables: TableSource,
    *,
    metric: str | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    commented: bool = False,
    limit: int = 50,
    offset: int = 0,
    keep: Any = None,
) -> Answers:
    """The customer answers a score counts, newest first, one page at a time.

    Parameters
    ----------
    tables
        Returns the Ibis table of a given name (scoped to a reader by the caller).
    metric
        Keep only answers that count towards this customer metric (``nps``, ``csat``, ``ces``,
        ...); None for every answer.
    where
        Keep only answers whose dimension holds one of the values (as for ``experience_metrics``).
    since, until
        First and last day (inclusive, UTC) of answers to include.
    commented
        Keep only answers with a comment (the verbatims).
    limit, offset
        The page: at most ``limit`` answers (1 to :data:`MAX_ANSWERS`) after the first ``offset``.
    keep
        An Ibis table with a ``response_id`` column: only these answers (the ones mentioning a
        theme, say); None for all.

    Returns
    -------
    Answers
        The page of answers and how many match in all.

    Raises
    ------
    UsageError
        For an employee metric (eNPS answers are anonymous), a bad filter, date or page.
    """
    if not 1 <= limit <= MAX_ANSWERS or offset < 0:
        raise UsageError(
            f"cannot list {limit} answers from {offset}",
            value=limit,
            parameter="limit",
            fix=f"ask for 1 to {MAX_ANSWERS} answers from an offset of 0 or more",
        )
    definition = metric_definitions([metric])[0] if metric else None
    if definition is not None and definition.table != "responses":
        raise UsageError(
            f"the answers behind {metric!r} are anonymous employee answers",
            value=metric,
            parameter="metric",
            fix="drill down into a customer metric: nps, csat, ces or top-box",
        )
    t = filtered_table(tables, "responses", where)
    day = _utc_time(t).date()
    first, last = as_date(since, "since"), as_date(until, "until")
    if first is not None:
        t = t.filter(day >= first)
    if last is not None:
        t = t.filter(day <= last)
    if definition is not None:
        valid, _ = _metric_parts(t, definition)
        t = t.filter(valid)
    if keep is not None:
        t = t.filter(t.response_id.isin(keep.response_id))
    if commented:
        t = t.filter(t.comment.notnull() & (t.comment.strip() != ""))
    selected: Any = t.select(*ANSWER_COLUMNS)
    total = int(selected.count().to_pyarrow().as_py())
    page = selected.order_by([selected.submitted_at.desc(), selected.response_id])
    rows: pd.DataFrame = page.limit(limit, offset=offset).to_pandas()
    return Answers(rows.reset_index(drop=True), total, offset)
