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

A quote must say something: a sentence of fewer than :data:`QUOTE_MIN_WORDS` words once markup
and code are taken out (:func:`says_something`: "??", "!!!", "<script>alert(1)</script>") is
passed over for the next best, whatever its score.

The sentence is redacted in its document's context (:func:`redacted_span`), with the same
workspace redactor (:meth:`advocacy.text.pii.Redactor.for_workspace`) as
:func:`advocacy.text.sentences.sentence_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from advocacy.ingest.word_count import word_count
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.documents import (
    DOCUMENT_SOURCES,
    chosen_documents,
    only_chosen,
    text_hash,
)
from advocacy.text.markup import without_markup
from advocacy.text.pii import Redactor

#: Sentences fetched per theme and label, best first: the first whose document is unchanged and
#: that says something wins.
CANDIDATES = 10
#: Words (of letters or digits, markup and code left out) a sentence needs to be a quote.
QUOTE_MIN_WORDS = 2
#: Columns of :func:`theme_sentence_quotes`, per side (``negative_`` and ``positive_``).
SIDE_COLUMNS = ("sentence", "score", "document_kind", "document_id")
COLUMNS = [
    "theme_id",
    "name",
    *(f"{side}_{column}" for side in ("negative", "positive") for column in SIDE_COLUMNS),
]


def says_something(sentence: str) -> bool:
    """Whether ``sentence`` can be a quote: :data:`QUOTE_MIN_WORDS` words or more of letters or
    digits (a Chinese or Japanese word by its letters,
    :func:`~advocacy.ingest.word_count.word_count`) once markup and code are taken out
    (:func:`~advocacy.text.markup.without_markup`).

    >>> says_something("??"), says_something("Never again."), says_something("<b>Awful</b>")
    (False, True, False)
    >>> says_something("<img src=x onerror=alert(1)> refund never came")
    True
    """
    prose = without_markup(sentence[:QUOTE_SCAN_CHARACTERS])
    kept = " ".join(part for part in prose.split() if any(char.isalnum() for char in part))
    return word_count(kept) >= QUOTE_MIN_WORDS


#: Characters of a sentence read to tell whether it says something (a few words suffice).
QUOTE_SCAN_CHARACTERS = 2_000


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


def _ranked(
    db: Database,
    limit: int,
    since: date | None = None,
    until: date | None = None,
    within: str | None = None,
) -> list[tuple[Any, ...]]:
    """Per theme and label, the ``limit`` strongest sentences of its documents, best first:
    (theme_id, document_kind, document_id, start_offset, end_offset, sentiment, score).

    ``within`` is the SQL of a query of ``(document_kind, document_id)``, the documents to
    rank (already limited to the period); it takes the place of ``since`` and ``until``.
    Read through Ibis, so the ranking runs on the engine of any source (Spark too).
    """
    import ibis

    links = steady_table(db, "document_themes").select("theme_id", "document_kind", "document_id")
    period = chosen_documents(db, within)
    if period is None and (since is not None or until is not None):
        period = _in_period(db, since, until)
    links = only_chosen(links, period)
    links = links.distinct()
    sentences = steady_table(db, "text_sentences")
    sentences = sentences.filter(sentences.sentiment.isin(["negative", "positive"]))
    joined = links.join(
        sentences,
        [
            links.document_kind == sentences.document_kind,
            links.document_id == sentences.document_id,
        ],
    )
    strongest = (joined.sentiment == "negative").ifelse(
        joined.sentiment_score, -joined.sentiment_score
    )
    position = ibis.row_number().over(
        group_by=[joined.theme_id, joined.sentiment],
        order_by=[
            strongest,
            (joined.end_offset - joined.start_offset).desc(),
            joined.document_kind,
            joined.document_id,
            joined.sentence_index,
        ],
    )
    names = [
        "theme_id",
        "document_kind",
        "document_id",
        "start_offset",
        "end_offset",
        "sentiment",
        "sentiment_score",
    ]
    ranked = joined.select(*names, position=position)
    ranked = ranked.filter(ranked.position < limit).order_by(["theme_id", "sentiment", "position"])
    return [tuple(row[name] for name in names) for row in ranked.to_pyarrow().to_pylist()]


def _texts(db: Database, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The current text of each wanted document that was analysed as it reads now."""
    found: dict[tuple[str, str], str] = {}
    features = steady_table(db, "text_features")
    for kind in sorted({kind for kind, _ in wanted}):
        source = DOCUMENT_SOURCES[kind]
        ids = sorted(document_id for k, document_id in wanted if k == kind)
        documents = steady_table(db, source.table)
        key = documents[source.id_column].cast("string")
        analysed = features.filter(features.document_kind == kind)
        rows = (
            documents.filter(key.isin(ids))
            .select(document_id=key, text=documents[source.text_column])
            .join(analysed.select("document_id", "text_hash"), "document_id")
            .to_pyarrow()
            .to_pylist()
        )
        for row in rows:
            text = row["text"]
            if text is not None and text_hash(str(text)) == row["text_hash"]:
                found[(kind, str(row["document_id"]))] = str(text)
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
    themes = _listed(db, origin)
    if not themes:
        return pd.DataFrame(columns=COLUMNS)
    return _sentence_table(themes, _picks(db, CANDIDATES, since, until, within))


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


@dataclass(frozen=True)
class _Picks:
    """The ranked sentences (:func:`_ranked`), their documents' current texts and the redactor."""

    ranked: list[tuple[Any, ...]]
    texts: dict[tuple[str, str], str]
    redactor: Redactor


def _picks(
    db: Database,
    limit: int,
    since: date | None = None,
    until: date | None = None,
    within: str | None = None,
) -> _Picks:
    """Rank the sentences (``limit`` per theme and label) and fetch what quoting them reads."""
    ranked = _ranked(db, limit, since, until, within)
    texts = _texts(db, {(str(row[1]), str(row[2])) for row in ranked})
    return _Picks(ranked, texts, Redactor.for_workspace(db) if ranked else Redactor())


def _sentence_table(themes: list[tuple[Any, ...]], picks: _Picks) -> pd.DataFrame:
    """:func:`theme_sentence_quotes` of ``themes`` (:func:`_listed`): per theme and label the
    first of its :data:`CANDIDATES` strongest sentences that can be quoted."""
    texts, redactor = picks.texts, picks.redactor
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    position: dict[tuple[str, str], int] = {}
    for theme_id, kind, document_id, start, end, label, score in picks.ranked:
        key = (str(theme_id), str(label))
        position[key] = position.get(key, -1) + 1  # ranked by theme, label, then strength
        if position[key] >= CANDIDATES:
            continue  # a longer ranking (:func:`theme_quote_sets`) holds more than the table reads
        text = texts.get((str(kind), str(document_id)))
        if text is None or int(end) > len(text) or key in chosen:
            continue
        if not says_something(text[int(start) : int(end)]):
            continue
        chosen[key] = {
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
    if not steady_table(db, "themes").count().execute():
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    return _quote_table(_picks(db, count * 10 + CANDIDATES, within=within), count)


def _quote_table(picks: _Picks, count: int) -> pd.DataFrame:
    """:func:`theme_quotes`: per theme and label the ``count`` first sentences of ``picks``
    that can be quoted, one per document and no two alike."""
    texts, redactor = picks.texts, picks.redactor
    rows: list[dict[str, Any]] = []
    taken: dict[tuple[str, str], set[tuple[str, str]]] = {}
    said: set[tuple[str, str, str]] = set()
    for theme_id, kind, document_id, start, end, label, score in picks.ranked:
        text = texts.get((str(kind), str(document_id)))
        seen = taken.setdefault((str(theme_id), str(label)), set())
        if text is None or int(end) > len(text) or len(seen) >= count:
            continue
        if (str(kind), str(document_id)) in seen:
            continue  # one sentence per document: two quotes are two customers
        if not says_something(text[int(start) : int(end)]):
            continue
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


def theme_quote_sets(
    db: Database, *, count: int = 2, within: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`theme_quotes` and :func:`theme_sentence_quotes` of the same documents, from one
    ranking of their sentences (the text page shows both: the theme cards and the table).

    The table's sentence of a side is the cards' first of it when one of the
    :data:`CANDIDATES` strongest can be quoted (the cards read further down the ranking).

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
    picks = _picks(db, count * 10 + CANDIDATES, within=within)
    return _quote_table(picks, count), _sentence_table(themes, picks)
