"""A theme's texts that are not survey answers: the reviews, mentions and notes it holds.

A theme card's "Read the answers" leads to ``/answers?theme=``, which lists survey answers; a
theme found in imported reviews (mentions) or interview notes has none, and the page said
"0 answers" under a card of 269 texts. :func:`theme_texts` lists those texts on the same page,
newest first, from the tables as the caller may read them (``ws.text.theme_texts`` passes them
scoped: a case handler's units only) and under the page's dates and filters. Employee answers are
anonymous and never listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

__all__ = ["OTHER_TEXT_COLUMNS", "ThemeTexts", "theme_texts"]

#: Columns of each text listed, in order.
OTHER_TEXT_COLUMNS = ("kind", "document_id", "at", "text", "rating", "platform", "customer_id")
#: Kind -> (table, its plural for people, id column, time column); responses have the answers'
#: list. A note's interviewer is personal data and is not listed.
_SOURCES = {
    "mention": ("mentions", "reviews and mentions", "mention_id", "posted_at"),
    "note": ("notes", "notes", "note_id", "taken_at"),
}


@dataclass(frozen=True)
class ThemeTexts:
    """One page of a theme's reviews, mentions and notes.

    Attributes
    ----------
    rows
        The texts (:data:`OTHER_TEXT_COLUMNS`), newest first.
    total
        How many texts match, on every page.
    left_out
        Kinds the filters left out because they do not carry a filtered dimension (a filter on
        a touchpoint keeps no review): ``"notes (no unit)"``.
    """

    rows: pd.DataFrame
    total: int
    left_out: tuple[str, ...]


def theme_texts(
    table: Callable[[str], Any],
    links: Any,
    theme: str,
    *,
    where: Mapping[str, Sequence[str]] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ThemeTexts:
    """The reviews, mentions and notes with ``theme``, newest first, one page at a time.

    Parameters
    ----------
    table
        Looks an evidence table up by name (scoped to what the caller may read).
    links
        The ``document_themes`` table (kind, id, theme of each text), or None when no text was
        ever given a theme.
    theme
        A ``theme_id`` (``curated:Delivery``, ``discovered-01``).
    where
        Dimension -> values to keep, as the answers' filters; a kind whose table lacks one of
        the dimensions is left out (and named in ``left_out``).
    since, until
        First and last day (inclusive, UTC) of texts to include.
    limit, offset
        The page.

    Returns
    -------
    ThemeTexts
        The page and how many texts match.
    """
    empty = pd.DataFrame(columns=list(OTHER_TEXT_COLUMNS))
    if links is None:
        return ThemeTexts(empty, 0, ())
    parts, left_out = [], []
    for kind, (name, plural, id_column, time_column) in _SOURCES.items():
        rows = table(name)
        missing = [column for column in (where or {}) if column not in rows.columns]
        if missing:
            left_out.append(f"{plural} (no {', '.join(missing)})")
            continue
        for column, values in (where or {}).items():
            rows = rows.filter(rows[column].cast("string").isin(list(values)))
        day = rows[time_column].date()
        if since is not None:
            rows = rows.filter(day >= since)
        if until is not None:
            rows = rows.filter(day <= until)
        chosen = links.filter((links.theme_id == theme) & (links.document_kind == kind))
        rows = rows.filter(rows[id_column].cast("string").isin(chosen.document_id))
        rows = rows.filter(rows.text.notnull() & (rows.text.strip() != ""))
        parts.append(
            rows.select(
                kind=ibis.literal(kind),
                document_id=rows[id_column].cast("string"),
                at=rows[time_column],
                text=rows.text,
                rating=(
                    rows.rating.cast("float64")
                    if "rating" in rows.columns
                    else ibis.null("float64")
                ),
                platform=(
                    rows.platform.cast("string")
                    if "platform" in rows.columns
                    else ibis.null("string")
                ),
                customer_id=rows.customer_id.cast("string"),
            )
        )
    if not parts:
        return ThemeTexts(empty, 0, tuple(left_out))
    union: Any = ibis.union(*parts) if len(parts) > 1 else parts[0]
    total = int(union.count().to_pyarrow().as_py())
    ordered = union.order_by([ibis.desc(union.at), union.kind, union.document_id])
    page: pd.DataFrame = ordered.limit(limit, offset=offset).to_pandas()
    return ThemeTexts(page.reset_index(drop=True), total, tuple(left_out))
