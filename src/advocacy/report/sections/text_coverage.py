"""Which texts the report's sentiment actually read, and what it says about the rest.

A text in a language the model does not read, a non-answer ("n/a", "nothing") and a text not
analysed yet have no sentiment. Shares of sentiment, the emotions and the effort are therefore
taken over the texts that were read, and the texts left out are counted beside them by reason
(and language), so that "80% positive" never stands for ten English words among 2,500
Portuguese reviews.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from advocacy import display
from advocacy.store.steady import steady_table
from advocacy.text.enrich import NOT_SUPPORTED
from advocacy.text.non_answers import NO_CONTENT
from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = ["NOT_ANALYSED", "not_read", "read_mix", "reasons", "unread_note"]

#: The reason of a document that has text but no stored analysis yet.
NOT_ANALYSED = "not analysed yet (run advocacy text analyze)"
#: How many languages a note names before it says "and N more".
LANGUAGES_NAMED = 4


def reasons(ws: Workspace) -> pd.DataFrame:
    """Each analysed document's ``language`` and ``sentiment_reason`` (why it has no sentiment).

    Read through Ibis, as the stored features are, so that a Parquet source answers too.
    """
    features = steady_table(ws.db, "text_features")
    wanted = ["document_kind", "document_id", "language", "sentiment_reason"]
    present = [name for name in wanted if name in features.columns]
    frame: pd.DataFrame = features.select(*present).to_pandas()
    for name in wanted:
        if name not in frame:
            frame[name] = None
    return frame.assign(document_id=frame["document_id"].astype(str))


def not_read(features: pd.DataFrame) -> pd.Series:
    """Per document without a sentiment, why: its stored reason, else :data:`NOT_ANALYSED`.

    ``features`` holds ``sentiment`` and, when known, ``sentiment_reason`` and ``language``;
    a text that was read gives None.
    """
    reason = features.get("sentiment_reason", pd.Series(None, index=features.index))
    reason = reason.astype(object).where(reason.notna(), NOT_ANALYSED)
    return reason.where(features["sentiment"].isna(), None)


def unread_note(kind: str, features: pd.DataFrame) -> str | None:
    """One sentence on the texts of ``kind`` that have no sentiment, by reason, or None.

    >>> frame = pd.DataFrame({
    ...     "sentiment": [None, None, None, "positive"],
    ...     "sentiment_reason": ["language not supported", "language not supported",
    ...                          "no content", None],
    ...     "language": ["pt", "pt", None, "en"]})
    >>> unread_note("mentions", frame)
    'mentions: 3 of 4 texts have no sentiment (language not supported 2: pt 2; no content 1); \
the shares, emotions and effort above are over the 1 read.'
    """
    why = not_read(features)
    left = why.notna()
    if not left.any():
        return None
    order = {NOT_SUPPORTED: 0, NO_CONTENT: 1}
    counts = sorted(
        why[left].value_counts().items(), key=lambda item: (order.get(str(item[0]), 2), -item[1])
    )
    parts = []
    for reason, count in counts:
        part = f"{reason} {display.number(int(count))}"
        if reason == NOT_SUPPORTED and "language" in features:
            languages = features.loc[why == reason, "language"].fillna("unknown")
            counted = sorted(languages.value_counts().items(), key=lambda item: (-item[1], item[0]))
            named = [f"{code} {display.number(int(n))}" for code, n in counted[:LANGUAGES_NAMED]]
            if len(counted) > LANGUAGES_NAMED:
                more = len(counted) - LANGUAGES_NAMED
                named.append(f"{more} more language{'' if more == 1 else 's'}")
            part += ": " + ", ".join(named)
        parts.append(part)
    read = int((~left).sum())
    return (
        f"{kind}: {display.number(int(left.sum()))} of {display.number(len(features))} texts "
        f"have no sentiment ({'; '.join(parts)}); the shares, emotions and effort above are "
        f"over the {display.number(read)} read."
    )


def read_mix(mix: Mapping[str, float]) -> tuple[dict[str, float], float]:
    """A theme's sentiment mix over its texts that were read, and the share that was read.

    >>> read_mix({"no sentiment": 0.5, "negative": 0.25, "positive": 0.25})
    ({'negative': 0.5, 'neutral': 0.0, 'positive': 0.5}, 0.5)
    >>> read_mix({"no sentiment": 1.0})
    ({}, 0.0)
    """
    read: dict[str, Any] = {name: float(mix.get(name, 0.0) or 0.0) for name in SENTIMENTS}
    total = sum(read.values())
    if total <= 0:
        return {}, 0.0
    return {name: share / total for name, share in read.items()}, min(total, 1.0)
