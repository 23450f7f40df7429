"""Per theme, the sentence that says the worst and the one that says the best about it.

A theme's quotes are whole documents; a comment that praises the staff and then complains about
the refund is one quote. ``text_sentences`` (written by ``advocacy text analyze``) has the
sentiment of every sentence, so for each theme this module picks, among the sentences of the
documents linked to it (``document_themes``, any origin), those that **name the theme**:
one of its seed keywords (its keywords and its own name's words,
:func:`~advocacy.text.theme_keywords.keyword_hits`, as theme assignment finds them; a
sub-theme's named sentence names its parent too):

- the **most negative** sentence: labelled negative, lowest ``sentiment_score``;
- the **most positive** sentence: labelled positive, highest ``sentiment_score``.

The strongest sentence of a linked document is not enough: "For the price this is a great
value and great quality." was the most positive sentence of Ease of use, Size and fit, Quality
and Price alike (audit4 item 3), as one of each one's documents. A theme that no sentence
names (meaning alone gave it its documents, or it is the taxonomy's broad theme of comments
nothing else marks) is quoted by a document as a whole, ranked by the document's sentiment:
the evidence is the whole text, not one sentence of it. And a sentence already quoted for
another theme is passed over while a theme has another to quote (the themes with the fewest
candidates choose first).

Only the :data:`CANDIDATES` strongest sentences of a theme and label are searched for its
words (and :data:`DOCUMENT_CANDIDATES` documents ranked): the ranking runs in the engine, the
keyword search here.

A sentence's label, not only its score, decides: a theme whose sentences are all positive has no
most negative sentence rather than its least enthusiastic praise. Scores saturate (many short
sentences read 1.00), so ties go to the longer sentence, which usually says what the praise or
complaint was about, then to the earliest document id and sentence. Sentences of a document
whose text changed since it was analysed are passed over (their offsets no longer point at
them) for the next best of the theme's.

A quote must say something: a sentence of fewer than
:data:`~advocacy.text.quote_choice.QUOTE_MIN_WORDS` words once markup and code are taken out
(:func:`~advocacy.text.quote_choice.says_something`: "??", "!!!", "<script>alert(1)</script>")
is passed over for the next best, whatever its score. The engine ranks the candidates here;
:mod:`advocacy.text.quote_choice` chooses among them.

The sentence is redacted in its document's context
(:func:`~advocacy.text.quote_choice.redacted_span`), with the same
workspace redactor (:meth:`advocacy.text.pii.Redactor.for_workspace`) as
:func:`advocacy.text.sentences.sentence_rows`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.documents import (
    DOCUMENT_SOURCES,
    chosen_documents,
    document_text_column,
    only_chosen,
    text_hash,
)
from advocacy.text.pii import Redactor
from advocacy.text.quote_choice import QuotePicks, chosen_quotes, naming_spans

#: Sentences (and documents) ranked per theme and label, best first: those that name the theme
#: are quoted first, then documents as a whole (:func:`theme_sentence_quotes`).
CANDIDATES = 100
#: Documents ranked per theme and label, for a theme with too few sentences that name it.
DOCUMENT_CANDIDATES = 20
#: Columns of :func:`theme_sentence_quotes`, per side (``negative_`` and ``positive_``).
SIDE_COLUMNS = ("sentence", "score", "document_kind", "document_id")
COLUMNS = [
    "theme_id",
    "name",
    *(f"{side}_{column}" for side in ("negative", "positive") for column in SIDE_COLUMNS),
]


def _in_period(db: Database, since: date | None, until: date | None) -> Any:
    """The (document_kind, document_id) of the documents dated in the period, as Ibis."""
    import ibis

    parts = []
    for kind, source in DOCUMENT_SOURCES.items():
        table = steady_table(db, source.table)
        moment = table[source.time_column]
        conditions = []
        if since is not None:
            conditions.append(moment >= datetime.combine(since, time(), tzinfo=UTC))
        if until is not None:
            end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC)
            conditions.append(moment < end)
        parts.append(
            table.filter(*conditions).select(
                document_kind=ibis.literal(kind), document_id=table[source.id_column].cast("string")
            )
        )
    return ibis.union(*parts)


def _linked(
    db: Database,
    since: date | None = None,
    until: date | None = None,
    within: str | None = None,
) -> Any:
    """The (theme_id, document_kind, document_id) links of the documents to quote, as Ibis.

    ``within`` is the SQL of a query of ``(document_kind, document_id)``, the documents to
    quote (already limited to the period); it takes the place of ``since`` and ``until``.
    """
    links = steady_table(db, "document_themes").select("theme_id", "document_kind", "document_id")
    period = chosen_documents(db, within)
    if period is None and (since is not None or until is not None):
        period = _in_period(db, since, until)
    return only_chosen(links, period).distinct()


#: The columns of a ranked row (:func:`_ranked`, :func:`_ranked_documents`).
_RANKED = (
    "theme_id",
    "document_kind",
    "document_id",
    "start_offset",
    "end_offset",
    "sentiment",
    "sentiment_score",
)


def _ranked(db: Database, links: Any, limit: int) -> list[tuple[Any, ...]]:
    """Per theme and label, the ``limit`` strongest sentences of its linked documents
    (``links``, :func:`_linked`), best first: (theme_id, document_kind, document_id,
    start_offset, end_offset, sentiment, score).

    Read through Ibis, so the ranking runs on the engine of any source (Spark too).
    """
    return _strongest(db, links, "text_sentences", limit, sentences=True)


def _ranked_documents(db: Database, links: Any, limit: int) -> list[tuple[Any, ...]]:
    """Per theme and label, the ``limit`` strongest of its linked documents as a whole (their
    ``text_features`` sentiment), best first, as :func:`_ranked`'s rows with no offsets: the
    quotes of a theme none of whose sentences names it."""
    return _strongest(db, links, "text_features", limit, sentences=False)


def _strongest(
    db: Database, links: Any, table: str, limit: int, *, sentences: bool
) -> list[tuple[Any, ...]]:
    """:func:`_ranked`'s rows from ``table`` (``text_sentences``: ties go to the longer
    sentence first; ``text_features``: whole documents, with no offsets)."""
    import ibis

    read = steady_table(db, table)
    read = read.filter(read.sentiment.isin(["negative", "positive"]))
    joined = links.join(
        read,
        [links.document_kind == read.document_kind, links.document_id == read.document_id],
    )
    strongest = (joined.sentiment == "negative").ifelse(
        joined.sentiment_score, -joined.sentiment_score
    )
    order = [strongest, joined.document_kind, joined.document_id]
    if sentences:
        order = [
            strongest,
            (joined.end_offset - joined.start_offset).desc(),
            joined.document_kind,
            joined.document_id,
            joined.sentence_index,
        ]
    position = ibis.row_number().over(group_by=[joined.theme_id, joined.sentiment], order_by=order)
    columns = [name for name in _RANKED if sentences or not name.endswith("_offset")]
    ranked = joined.select(*columns, position=position)
    ranked = ranked.filter(ranked.position < limit).order_by(["theme_id", "sentiment", "position"])
    return [tuple(row.get(name) for name in _RANKED) for row in ranked.to_pyarrow().to_pylist()]


def _texts(
    db: Database, wanted: set[tuple[str, str]]
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str | None]]:
    """The current text of each wanted document that was analysed as it reads now, and its
    detected language (which chooses the keywords' stemmer)."""
    found: dict[tuple[str, str], str] = {}
    languages: dict[tuple[str, str], str | None] = {}
    features = steady_table(db, "text_features")
    for kind in sorted({kind for kind, _ in wanted}):
        source = DOCUMENT_SOURCES[kind]
        ids = sorted(document_id for k, document_id in wanted if k == kind)
        documents = steady_table(db, source.table)
        key = documents[source.id_column].cast("string")
        analysed = features.filter(features.document_kind == kind)
        rows = (
            documents.filter(key.isin(ids))
            .select(document_id=key, text=document_text_column(documents, source))
            .join(analysed.select("document_id", "text_hash", "language"), "document_id")
            .to_pyarrow()
            .to_pylist()
        )
        for row in rows:
            text = row["text"]
            if text is not None and text_hash(str(text)) == row["text_hash"]:
                found[(kind, str(row["document_id"]))] = str(text)
                languages[(kind, str(row["document_id"]))] = row["language"]
    return found, languages


def theme_sentence_quotes(
    db: Database,
    *,
    origin: str | None = None,
    since: date | None = None,
    until: date | None = None,
    within: str | None = None,
) -> pd.DataFrame:
    """Each theme's most negative and most positive sentence about it, redacted, with its score.

    A sentence that names the theme, else (no sentence of its documents names it) a document as
    a whole; one quoted for another theme only when the theme has nothing else (see the
    module's docstring).

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
        ``<side>_document_kind`` and ``<side>_document_id`` it comes from (for a document
        quoted as a whole, its text and its ``text_features`` score); None where a theme has
        no such sentence (no sentences analysed yet, or none with that label).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> quotes = theme_sentence_quotes(ws.db, origin="curated")  # doctest: +SKIP
    """
    themes = _listed(db, origin)
    if not themes:
        return pd.DataFrame(columns=COLUMNS)
    picks = _picks(db, CANDIDATES, since, until, within)
    return _sentence_table(themes, chosen_quotes(picks, themes, 1))


def _listed(db: Database, origin: str | None = None) -> list[tuple[Any, ...]]:
    """The stored themes (of ``origin``): (theme_id, name, origin, size), by origin, then size,
    largest first, then id."""
    stored = steady_table(db, "themes")
    if origin is not None:
        stored = stored.filter(stored.origin == origin)
    listed = stored.select("theme_id", "name", "origin", "size").to_pyarrow().to_pylist()
    return sorted(
        ((row["theme_id"], row["name"], row["origin"], row["size"]) for row in listed),
        key=lambda row: (str(row[2]), -int(row[3] or 0), str(row[0])),
    )


def _picks(
    db: Database,
    limit: int,
    since: date | None = None,
    until: date | None = None,
    within: str | None = None,
) -> QuotePicks:
    """Rank the sentences (``limit`` per theme and label) and the documents, and fetch what
    quoting them reads."""
    links = _linked(db, since, until, within)
    ranked = _ranked(db, links, limit)
    documents = _ranked_documents(db, links, DOCUMENT_CANDIDATES)
    wanted = {(str(row[1]), str(row[2])) for row in [*ranked, *documents]}
    texts, languages = _texts(db, wanted)
    naming = naming_spans(db, ranked, texts, languages) if ranked else set()
    return QuotePicks(
        ranked, documents, texts, naming, Redactor.for_workspace(db) if wanted else Redactor()
    )


def _sentence_table(
    themes: list[tuple[Any, ...]], chosen: dict[tuple[str, str], list[dict[str, Any]]]
) -> pd.DataFrame:
    """:func:`theme_sentence_quotes` of ``themes`` (:func:`_listed`): per theme and label the
    first quote :func:`chosen_quotes` chose."""
    rows = []
    for theme_id, name, _, _ in themes:
        row: dict[str, Any] = {"theme_id": str(theme_id), "name": str(name)}
        for side in ("negative", "positive"):
            found = (chosen.get((str(theme_id), side)) or [{}])[0]
            for column in SIDE_COLUMNS:
                row[f"{side}_{column}"] = found.get(column)
        rows.append(row)
    # None, not NaN, where a side has no quote (a string column would hold NaN, which reads
    # as true: "nan" would be quoted); the scores stay numbers.
    table = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    for side in ("negative", "positive"):
        table[f"{side}_score"] = table[f"{side}_score"].astype(float)
    return table


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
    :func:`theme_sentence_quotes` ranks its one (sentences that name the theme, strongest
    score, then the longer sentence; then documents as a whole), one per document, passing
    over documents whose text changed since analysis, and sentences another theme quotes
    while the theme has others.

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
    themes = _listed(db)
    if not themes:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    picks = _picks(db, max(CANDIDATES, count * 10), within=within)
    return _quote_table(chosen_quotes(picks, themes, count))


def _quote_table(chosen: dict[tuple[str, str], list[dict[str, Any]]]) -> pd.DataFrame:
    """:func:`theme_quotes`: the quotes :func:`chosen_quotes` chose, by theme, label and rank."""
    rows = [
        {"theme_id": theme_id, "sentiment": label, "rank": rank, **quote}
        for (theme_id, label), quotes in sorted(chosen.items())
        for rank, quote in enumerate(quotes, start=1)
    ]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def theme_quote_sets(
    db: Database, *, count: int = 2, within: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`theme_quotes` and :func:`theme_sentence_quotes` of the same documents, from one
    ranking of their sentences (the text page shows both: the theme cards and the table).

    The table's sentence of a side is the cards' first of it.

    Parameters
    ----------
    db
        The workspace database.
    count
        Sentences per theme and label for the cards (1 to 10).
    within
        The SQL of a query of ``(document_kind, document_id)``: quote only these documents.

    Returns
    -------
    tuple of pandas.DataFrame
        ``theme_quotes(db, count=count, within=within)`` and
        ``theme_sentence_quotes(db, within=within)``.
    """
    count = max(1, min(10, int(count)))
    themes = _listed(db)
    if not themes:
        return pd.DataFrame(columns=QUOTE_COLUMNS), pd.DataFrame(columns=COLUMNS)
    chosen = chosen_quotes(_picks(db, max(CANDIDATES, count * 10), within=within), themes, count)
    return _quote_table(chosen), _sentence_table(themes, chosen)
