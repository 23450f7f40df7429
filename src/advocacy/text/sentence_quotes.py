"""Per theme, the sentence that says the worst and the one that says the best about it.

A theme's quotes are whole documents; a comment that praises the staff and then complains about
the refund is one quote. ``text_sentences`` (written by ``advocacy text analyze``) has the
sentiment of every sentence, so for each theme this module picks, among the sentences of the
documents linked to it (``document_themes``, any origin):

- the **most negative** sentence: labelled negative, lowest ``sentiment_score``;
- the **most positive** sentence: labelled positive, highest ``sentiment_score``.

A sentence's label, not only its score, decides: a theme whose sentences are all positive has no
most negative sentence rather than its least enthusiastic praise. Scores saturate (many short
sentences read 1.00), so ties go to the longer sentence, which usually says what the praise or
complaint was about, then to the earliest document id and sentence. Sentences of a document
whose text changed since it was analysed are passed over (their offsets no longer point at
them) for the next best of the theme's.

The sentence is redacted in its document's context (:func:`redacted_span`), with the same
workspace redactor (:meth:`advocacy.text.pii.Redactor.for_workspace`) as
:func:`advocacy.text.sentences.sentence_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from advocacy.store.connection import Database
from advocacy.text.documents import DOCUMENT_SOURCES, text_hash
from advocacy.text.pii import Redactor

#: Sentences fetched per theme and label, best first: the first whose document is unchanged wins.
CANDIDATES = 5
#: Columns of :func:`theme_sentence_quotes`, per side (``negative_`` and ``positive_``).
SIDE_COLUMNS = ("sentence", "score", "document_kind", "document_id")
COLUMNS = [
    "theme_id",
    "name",
    *(f"{side}_{column}" for side in ("negative", "positive") for column in SIDE_COLUMNS),
]


def redacted_span(
    text: str, start: int, end: int, *, names: Iterable[str] = (), redactor: Redactor | None = None
) -> str:
    """``text[start:end]`` as it reads in the redacted ``text``.

    Redacting the sentence alone would miss personal data given away by the text before it (a
    name after "I spoke to" and a line break); so the text up to the sentence's end is redacted,
    and the redacted text up to its start is cut off. When a redaction straddles the sentence's
    start, the two do not line up and the sentence is redacted on its own. ``redactor`` (a
    workspace's, say) is used if given, else one knowing ``names``.

    >>> redacted_span("I spoke to\\nJane Doe. She was rude.", 11, 20)
    '[name].'
    """
    redact = (redactor or Redactor(names)).redact
    before = redact(text[:start])
    through = redact(text[:end])
    if through.startswith(before):
        return through[len(before) :].strip()
    return redact(text[start:end])


def _documents_sql(
    since: date | None, until: date | None, within: str | None = None
) -> tuple[str, list[Any]]:
    """A CTE of the documents in the period (none when there is no period), or of the
    documents the query ``within`` selects (already limited to the period)."""
    if within is not None:
        return f"in_period AS ({within}), ", []
    if since is None and until is None:
        return "", []
    parts, params = [], []
    for kind, source in DOCUMENT_SOURCES.items():
        conditions = []
        if since is not None:
            conditions.append(f"{source.time_column} >= ?")
            params.append(datetime.combine(since, time(), tzinfo=UTC))
        if until is not None:
            conditions.append(f"{source.time_column} < ?")
            params.append(datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC))
        parts.append(
            f"SELECT '{kind}' AS document_kind, CAST({source.id_column} AS TEXT) AS document_id "
            f"FROM {source.table} WHERE " + " AND ".join(conditions)
        )
    return "in_period AS (" + " UNION ALL ".join(parts) + "), ", params


def _ranked_sql(period: str) -> str:
    keep = (
        "JOIN in_period p ON p.document_kind = l.document_kind AND p.document_id = l.document_id "
        if period
        else ""
    )
    return (
        f"WITH {period}links AS (SELECT DISTINCT l.theme_id, l.document_kind, l.document_id "
        f"FROM document_themes l {keep}), "
        "ranked AS (SELECT l.theme_id, s.document_kind, s.document_id, s.start_offset, "
        "s.end_offset, s.sentiment, s.sentiment_score, row_number() OVER (PARTITION BY "
        "l.theme_id, s.sentiment ORDER BY CASE WHEN s.sentiment = 'negative' THEN "
        "s.sentiment_score ELSE -s.sentiment_score END, s.end_offset - s.start_offset DESC, "
        "s.document_kind, s.document_id, "
        "s.sentence_index) AS position FROM links l JOIN text_sentences s "
        "ON s.document_kind = l.document_kind AND s.document_id = l.document_id "
        "WHERE s.sentiment IN ('negative', 'positive')) "
        "SELECT theme_id, document_kind, document_id, start_offset, end_offset, sentiment, "
        "sentiment_score FROM ranked WHERE position <= ? ORDER BY theme_id, sentiment, position"
    )


def _texts(db: Database, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The current text of each wanted document that was analysed as it reads now."""
    found: dict[tuple[str, str], str] = {}
    for kind in sorted({kind for kind, _ in wanted}):
        source = DOCUMENT_SOURCES[kind]
        ids = sorted(document_id for k, document_id in wanted if k == kind)
        marks = ", ".join("?" for _ in ids)
        rows = db.fetchall(
            f"SELECT CAST(d.{source.id_column} AS TEXT), d.{source.text_column}, f.text_hash "
            f"FROM {source.table} d JOIN text_features f ON f.document_kind = ? "
            f"AND f.document_id = CAST(d.{source.id_column} AS TEXT) "
            f"WHERE CAST(d.{source.id_column} AS TEXT) IN ({marks})",
            [kind, *ids],
        )
        for document_id, text, stored_hash in rows:
            if text is not None and text_hash(str(text)) == stored_hash:
                found[(kind, str(document_id))] = str(text)
    return found


def theme_sentence_quotes(
    db: Database,
    *,
    origin: str | None = None,
    since: date | None = None,
    until: date | None = None,
    within: str | None = None,
) -> pd.DataFrame:
    """Each theme's most negative and most positive sentence, redacted, with its score.

    Parameters
    ----------
    db
        The workspace database.
    origin
        Only themes of this origin (``discovered`` or ``curated``); all when None.
    since, until
        Only sentences of documents dated in this period (inclusive, UTC days); all when None.
    within
        The SQL of a query of ``(document_kind, document_id)``: quote only these documents
        (a filtered view; it replaces ``since`` and ``until``, which it should apply itself).

    Returns
    -------
    pandas.DataFrame
        One row per stored theme (by origin, then size, largest first, then id), with
        ``theme_id``, ``name`` and, for ``negative`` and ``positive``: ``<side>_sentence``
        (PII-redacted), ``<side>_score`` (the sentence's ``sentiment_score``, -1 to 1) and the
        ``<side>_document_kind`` and ``<side>_document_id`` it comes from; None where a theme
        has no such sentence (no
        sentences analysed yet, or none with that label).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> quotes = theme_sentence_quotes(ws.db, origin="curated")  # doctest: +SKIP
    """
    where = "" if origin is None else " WHERE origin = ?"
    themes = db.fetchall(
        "SELECT theme_id, name, origin, size FROM themes" + where,
        [] if origin is None else [origin],
    )
    themes = sorted(themes, key=lambda row: (str(row[2]), -int(row[3] or 0), str(row[0])))
    if not themes:
        return pd.DataFrame(columns=COLUMNS)
    period, params = _documents_sql(since, until, within)
    picked = db.fetchall(_ranked_sql(period), [*params, CANDIDATES])
    texts = _texts(db, {(str(row[1]), str(row[2])) for row in picked})
    redactor = Redactor.for_workspace(db) if picked else Redactor()
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for theme_id, kind, document_id, start, end, label, score in picked:
        text = texts.get((str(kind), str(document_id)))
        if text is None or int(end) > len(text) or (str(theme_id), str(label)) in chosen:
            continue
        chosen[(str(theme_id), str(label))] = {
            "sentence": redacted_span(text, int(start), int(end), redactor=redactor),
            "score": float(score),
            "document_kind": str(kind),
            "document_id": str(document_id),
        }
    rows = []
    for theme_id, name, _, _ in themes:
        row: dict[str, Any] = {"theme_id": str(theme_id), "name": str(name)}
        for side in ("negative", "positive"):
            found = chosen.get((str(theme_id), side), {})
            for column in SIDE_COLUMNS:
                row[f"{side}_{column}"] = found.get(column)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


#: Columns of :func:`theme_quotes`.
QUOTE_COLUMNS = [
    "theme_id",
    "sentiment",
    "rank",
    "sentence",
    "score",
    "document_kind",
    "document_id",
]


def theme_quotes(db: Database, *, count: int = 2, within: str | None = None) -> pd.DataFrame:
    """Per theme and sentiment (negative, positive), the ``count`` strongest sentences, redacted.

    A theme card quotes what its customers mostly feel: a praised theme with praise, a
    complaint with complaints. This gives, per theme and label, the sentences ranked as
    :func:`theme_sentence_quotes` ranks its one (strongest score, then the longer sentence),
    one per document, passing over documents whose text changed since analysis.

    Parameters
    ----------
    db
        The workspace database.
    count
        Sentences per theme and label (1 to 10).
    within
        The SQL of a query of ``(document_kind, document_id)``: quote only these documents.

    Returns
    -------
    pandas.DataFrame
        :data:`QUOTE_COLUMNS`: ``rank`` 1 is the strongest; ``sentence`` is PII-redacted.
    """
    count = max(1, min(10, int(count)))
    if not db.fetchall("SELECT 1 FROM themes LIMIT 1"):
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    period, params = _documents_sql(None, None, within)
    picked = db.fetchall(_ranked_sql(period), [*params, count * 10 + CANDIDATES])
    texts = _texts(db, {(str(row[1]), str(row[2])) for row in picked})
    redactor = Redactor.for_workspace(db) if picked else Redactor()
    rows: list[dict[str, Any]] = []
    taken: dict[tuple[str, str], set[tuple[str, str]]] = {}
    said: set[tuple[str, str, str]] = set()
    for theme_id, kind, document_id, start, end, label, score in picked:
        text = texts.get((str(kind), str(document_id)))
        seen = taken.setdefault((str(theme_id), str(label)), set())
        if text is None or int(end) > len(text) or len(seen) >= count:
            continue
        if (str(kind), str(document_id)) in seen:
            continue  # one sentence per document: two quotes are two customers
        sentence = redacted_span(text, int(start), int(end), redactor=redactor)
        if (str(theme_id), str(label), sentence.casefold()) in said:
            continue  # the same words from another customer add nothing
        said.add((str(theme_id), str(label), sentence.casefold()))
        seen.add((str(kind), str(document_id)))
        rows.append(
            {
                "theme_id": str(theme_id),
                "sentiment": str(label),
                "rank": len(seen),
                "sentence": sentence,
                "score": float(score),
                "document_kind": str(kind),
                "document_id": str(document_id),
            }
        )
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)
