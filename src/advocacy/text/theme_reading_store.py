"""Each document's theme reading, kept in the workspace so that a taxonomy is assigned again
without reading every text again.

Assigning a taxonomy reads every text (:func:`~advocacy.text.theme_sentences.theme_reading`:
its embedding, its sentences, their embeddings and the seed keywords they name), then weighs
the themes over all the texts together. The reading is most of the work (5.9 of 7.0 CPU s for
12,000 reviews) and a text's reading does not depend on the texts beside it, so it is kept in
``text_theme_readings`` (migration 0020), one row per document, and read again only for a
document that is new, whose text changed (its hash), whose detected language changed (it
chooses the keyword stemmer) or that another embedder, model file or reading format read
(:func:`reader`, with a digest of the model's files). The seed keywords found belong to one
taxonomy: they are kept with its digest (:func:`keywords_digest`), searched again in the kept
sentences under another taxonomy and only they are written again then.

The static embedder's vectors are sums of rows of its matrix
(:meth:`~advocacy.text.embeddings.StaticEmbedder.sums`, in the order of the rows whatever the
batch), so a row keeps the rows (int32) of each sentence's pieces, not the float vectors: the
sums of the kept rows are the vectors of reading the text again, to the bit, so the themes and
their scores are the same (``tests/text/test_theme_reading_store.py``). A text's embedding is
the sum of its sentences' rows when it holds the same rows (nearly always), else its own rows
are kept beside them (``text_tokens``). About 0.4 MB per 1,000 reviews of about 60 words
(4 bytes per word piece; float vectors took 1 KB per sentence, 5.7 MB). A row whose numbers do
not fit its text (edited, or cut by another version) is read again, never trusted. The rows are
written in the transaction that writes the themes, and the rows of documents gone are deleted
there: a run that fails writes nothing. A row's bytes depend on its text alone, so the workers
that read a piece build them (:func:`kept_columns`) and only they travel back, not the rows
summed; the caller gathers those of the documents it writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.text.documents import text_hash
from advocacy.text.phrases import MAX_CHARACTERS

if TYPE_CHECKING:
    import pyarrow as pa

    from advocacy.store.connection import Database
    from advocacy.text.embeddings import StaticEmbedder, TokenRows
    from advocacy.text.taxonomy_file import Taxonomy
    from advocacy.text.theme_sentences import ThemeReading

__all__ = [
    "READING_FORMAT",
    "KeptReadings",
    "keep_readings",
    "kept_columns",
    "keywords_digest",
    "model_digest",
    "reader",
    "reading_with_kept",
]

#: The format of the kept readings: a change to how texts are cut into sentences, which are
#: read for meaning or how keywords are found takes a new number (every text is read again).
#: 2: the rows of the pieces instead of float vectors (migration 0020).
READING_FORMAT = 2

_COLUMNS = (
    "document_kind",
    "document_id",
    "text_hash",
    "language",
    "reader",
    "sentences",
    "tokens",
    "text_tokens",
    "keywords",
    "hits",
    "read_at",
)
_TYPES = {
    "document_kind": "TEXT",
    "document_id": "TEXT",
    "text_hash": "TEXT",
    "language": "TEXT",
    "reader": "TEXT",
    "sentences": "BYTEA",
    "tokens": "BYTEA",
    "text_tokens": "BYTEA",
    "keywords": "TEXT",
    "hits": "BYTEA",
    "read_at": "TIMESTAMPTZ",
}
_BYTES = ("sentences", "tokens", "text_tokens", "hits")
_INTEGERS = np.dtype("<i4")


def model_digest(paths: Sequence[str | Path]) -> str:
    """A SHA-256 of the contents of ``paths``, in order (a file re-trained and shipped under
    the same name, size and time gets another).

    Parameters
    ----------
    paths
        The files.

    Returns
    -------
    str
        The first 16 hex digits of the digest (about 25 ms for the shipped 32 MB).
    """
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _shipped_digest() -> str:
    """:func:`model_digest` of the shipped model's files (once per process)."""
    from advocacy.text.embeddings import DEFAULT_FILES, model_path

    return model_digest([model_path(name) for name in DEFAULT_FILES])


def reader(embedder: StaticEmbedder) -> str:
    """What a kept reading records of who read it: the embedder, the digest of the shipped
    model's files when it is the default one, and :data:`READING_FORMAT`.

    Parameters
    ----------
    embedder
        The embedder of the texts and their sentences.

    Returns
    -------
    str
        ``"<embedder name> <model digest>; theme reading v<format>"``.
    """
    from advocacy.text.embeddings import DEFAULT_EMBEDDER

    files = f" {_shipped_digest()}" if embedder.name == DEFAULT_EMBEDDER else ""
    return f"{embedder.name}{files}; theme reading v{READING_FORMAT}"


def keywords_digest(taxonomy: Taxonomy) -> str:
    """The digest of ``taxonomy`` that kept keyword hits belong to (any edit changes it).

    Parameters
    ----------
    taxonomy
        The themes.

    Returns
    -------
    str
        A SHA-256 of the themes as the workspace remembers them.
    """
    themes = json.dumps([theme.as_dict() for theme in taxonomy.themes], sort_keys=True)
    return hashlib.sha256(themes.encode("utf-8")).hexdigest()


def kept_columns(reading: ThemeReading, embedder: StaticEmbedder) -> pa.Table:
    """The columns a kept row holds of each text of ``reading`` that depend on its reading
    alone (``sentences``, ``tokens``, ``text_tokens``, ``hits``), one row per text in order.

    A text's columns do not depend on the texts read beside it, so the workers that read a
    piece build its columns (:func:`~advocacy.text.theme_sentences.theme_reading` with
    ``keep``) and the caller only gathers those of the texts it writes.

    Parameters
    ----------
    reading
        The reading of the texts.
    embedder
        The static embedder that read them.

    Returns
    -------
    pyarrow.Table
        The four binary columns.
    """
    import pyarrow as pa

    written = np.arange(len(reading.texts), dtype=np.int64)
    return pa.table(_row_bytes(reading, written, embedder)).select(list(_BYTES))


@dataclass(frozen=True)
class KeptReadings:
    """What :func:`keep_readings` writes: the rows of the documents read in this run, the
    keyword hits of those kept and searched again, and the documents whose rows go.

    Attributes
    ----------
    rows
        One row per document to (re)write, columns as ``text_theme_readings`` less
        ``read_at`` (an Arrow table).
    searched
        ``document_kind``, ``document_id``, ``keywords`` and ``hits`` of the kept rows
        searched again under another taxonomy (an Arrow table): only those columns change.
    gone
        ``(document_kind, document_id)`` of the kept rows to delete (documents gone).
    """

    rows: pa.Table
    searched: pa.Table
    gone: list[tuple[str, str]]


def reading_with_kept(
    db: Database,
    documents: pd.DataFrame,
    texts: Sequence[str],
    languages: Sequence[str | None],
    taxonomy: Taxonomy,
    *,
    embedder: StaticEmbedder,
    read: Callable[[list[int]], ThemeReading],
    first: ThemeReading | None = None,
    kinds: Sequence[str] | None = None,
) -> tuple[ThemeReading, KeptReadings]:
    """The theme reading of every text, read only where no kept reading serves.

    Parameters
    ----------
    db
        The workspace's database.
    documents
        ``document_kind`` and ``document_id`` of each text, in order.
    texts
        The texts.
    languages
        Each text's detected language (None: unknown).
    taxonomy
        The themes whose seed keywords are searched for.
    embedder
        The embedder of the texts and sentences (a static one: its rows are kept).
    read
        Reads the texts at the given positions (in order): the
        :func:`~advocacy.text.theme_sentences.theme_reading` of those texts.
    first
        The reading of the first texts when read already (``text analyze --taxonomy``).
    kinds
        The document kinds of ``documents`` (None: every kind): the kept rows of other kinds
        are left alone.

    Returns
    -------
    tuple
        The reading of every text (:class:`~advocacy.text.theme_sentences.ThemeReading`, the
        same as reading them all), and the rows to write (:func:`keep_readings`).
    """
    import pyarrow as pa

    from advocacy.text.theme_sentences import joined_readings

    n = len(texts)
    by = reader(embedder)
    digest = keywords_digest(taxonomy)
    kinds_of = documents["document_kind"].astype(str).tolist()
    ids_of = documents["document_id"].astype(str).tolist()
    position = {key: at for at, key in enumerate(zip(kinds_of, ids_of, strict=True))}
    hashes = (
        documents["text_hash"].astype(str).tolist()
        if "text_hash" in documents.columns
        else [text_hash(text) for text in texts]
    )
    gone: list[tuple[str, str]] = []
    chosen: dict[int, tuple[Any, ...] | None] = {}
    for row in _kept_rows(db, kinds):
        at = position.get((str(row[0]), str(row[1])))
        if at is None:
            gone.append((str(row[0]), str(row[1])))
        elif (row[2], row[3], row[4]) == (hashes[at], languages[at], by):
            # Two rows of one document (two writers at once): neither is trusted; it is read
            # again, and its rows replaced by one.
            chosen[at] = None if at in chosen else row
        # else read again, and its row replaced
    candidates = sorted((at, row) for at, row in chosen.items() if row is not None)
    kept_at, kept, searched = _kept_reading(
        texts, candidates, taxonomy, languages, embedder, digest
    )
    fresh = np.ones(n, bool)  # read in this run: its row is written
    fresh[kept_at] = False
    parts: list[tuple[NDArray[np.int64], ThemeReading]] = [(kept_at, kept)]
    if first is not None and first.texts == list(texts[: len(first.texts)]):
        # Those no kept row serves (a kept one searched again under this taxonomy is kept).
        taken = np.setdiff1d(np.arange(len(first.texts), dtype=np.int64), kept_at)
        parts.append((taken, first if len(taken) == len(first.texts) else _taken(first, taken)))
    covered = np.concatenate([at for at, _ in parts])
    missing = np.setdiff1d(np.arange(n, dtype=np.int64), covered)
    parts.append((missing, read(missing.tolist())))
    # The columns of the texts read in this run (every part but the kept one), in order.
    columns = _fresh_columns(parts[1:], embedder)
    order = np.concatenate([at for at, _ in parts])
    reading = joined_readings([replace(part, kept=None) for _, part in parts])
    if (np.diff(order) < 0).any():  # else in order already (nothing kept, or nothing new)
        reading = _taken(reading, np.argsort(order, kind="stable"))
    written = np.flatnonzero(fresh)
    listed = written.tolist()
    rows = pa.table(
        {
            "document_kind": pa.array([kinds_of[at] for at in listed], pa.string()),
            "document_id": pa.array([ids_of[at] for at in listed], pa.string()),
            "text_hash": pa.array([hashes[at] for at in listed], pa.string()),
            "language": pa.array([languages[at] for at in listed], pa.string()),
            "reader": pa.array([by] * len(listed), pa.string()),
            **{name: columns.column(name) for name in _BYTES},
            "keywords": pa.array([digest] * len(listed), pa.string()),
        }
    ).select(list(_COLUMNS[:-1]))
    again = kept_at[searched]
    listed = again.tolist()
    hits = _row_bytes(reading, again, None)["hits"]
    searched_rows = pa.table(
        {
            "document_kind": pa.array([kinds_of[at] for at in listed], pa.string()),
            "document_id": pa.array([ids_of[at] for at in listed], pa.string()),
            "keywords": pa.array([digest] * len(listed), pa.string()),
            "hits": hits,
        }
    )
    return reading, KeptReadings(rows, searched_rows, gone)


def keep_readings(db: Database, kept: KeptReadings, stamp: datetime) -> None:
    """Write the rows of :func:`reading_with_kept`, the keyword hits of the rows searched again
    and delete the rows of documents gone, in one transaction (the caller's, when it holds one).

    Parameters
    ----------
    db
        The workspace's database.
    kept
        What to write and delete.
    stamp
        When the texts were read.
    """
    import pyarrow as pa

    rows = kept.rows.append_column(
        "read_at", pa.array([stamp] * kept.rows.num_rows, pa.timestamp("us", tz="UTC"))
    )
    gone = pa.table(
        {
            "document_kind": pa.array([kind for kind, _ in kept.gone], pa.string()),
            "document_id": pa.array([document for _, document in kept.gone], pa.string()),
        }
    )
    same = (
        "r.document_kind = text_theme_readings.document_kind "
        "AND r.document_id = text_theme_readings.document_id"
    )
    columns = ", ".join(_COLUMNS)
    with db.transaction():
        for table, written in ((gone, None), (rows, "insert"), (kept.searched, "update")):
            if table.num_rows == 0:
                continue
            db.load_temporary(
                "__reading_rows",
                _hex_bytes(table) if db.dialect == "postgres" else table,
                {column: _TYPES[column] for column in table.column_names},
            )
            if written == "update":
                db.execute(
                    "UPDATE text_theme_readings SET keywords = r.keywords, hits = r.hits "
                    f"FROM __reading_rows r WHERE {same}"
                )
            else:
                db.execute(
                    "DELETE FROM text_theme_readings WHERE EXISTS "
                    f"(SELECT 1 FROM __reading_rows r WHERE {same})"
                )
            if written == "insert":
                db.execute(
                    f"INSERT INTO text_theme_readings ({columns}) "
                    f"SELECT {columns} FROM __reading_rows"
                )
            db.execute("DROP TABLE __reading_rows")


def _hex_bytes(table: pa.Table) -> pa.Table:
    """``table`` with its bytes as BYTEA's hex form (PostgreSQL reads the rows as CSV)."""
    import pyarrow as pa

    for column in _BYTES:
        if column in table.column_names:
            values = table.column(column).to_pylist()
            hexed = [None if value is None else "\\x" + value.hex() for value in values]
            at = table.column_names.index(column)
            table = table.set_column(at, column, pa.array(hexed, pa.string()))
    return table


def _kept_rows(db: Database, kinds: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """The kept rows (of ``kinds``, None: every kind), without ``read_at``."""
    sql = f"SELECT {', '.join(_COLUMNS[:-1])} FROM text_theme_readings"
    if kinds is None:
        return db.fetchall(sql)
    if not kinds:
        return []
    marks = ", ".join("?" for _ in kinds)
    return db.fetchall(f"{sql} WHERE document_kind IN ({marks})", list(kinds))


def _fresh_columns(
    parts: list[tuple[NDArray[np.int64], ThemeReading]], embedder: StaticEmbedder
) -> pa.Table:
    """:func:`kept_columns` of the texts of ``parts`` (their positions and reading), in the
    order of the positions: a part's own when its workers built them, else built here."""
    import pyarrow as pa

    tables = [
        part.kept if part.kept is not None else kept_columns(part, embedder) for _, part in parts
    ]
    at = np.concatenate([at for at, _ in parts])
    table = pa.concat_tables(tables)
    if (np.diff(at) < 0).any():
        table = table.take(pa.array(np.argsort(at, kind="stable")))
    return table


def _kept_reading(
    texts: Sequence[str],
    candidates: list[tuple[int, tuple[Any, ...]]],
    taxonomy: Taxonomy,
    languages: Sequence[str | None],
    embedder: StaticEmbedder,
    digest: str,
) -> tuple[NDArray[np.int64], ThemeReading, NDArray[np.bool_]]:
    """The reading of the texts whose kept rows (``candidates``: position and row, in order)
    fit them: their positions, their reading, and which were searched for keywords again
    (kept under another taxonomy). A row whose numbers do not fit its text is left out."""
    while True:
        at = np.array([position for position, _ in candidates], dtype=np.int64)
        rows = [row for _, row in candidates]
        reading, searched, bad = _decoded(texts, at, rows, taxonomy, languages, embedder, digest)
        if not bad.any():
            return at, reading, searched
        # Rare (an edited row): decoded again without the rows that do not fit.
        candidates = [
            candidate for candidate, wrong in zip(candidates, bad, strict=True) if not wrong
        ]


def _gathered(
    values: NDArray[np.int64], starts: NDArray[np.int64], lengths: NDArray[np.int64]
) -> NDArray[np.int64]:
    """``values[starts[i]:starts[i] + lengths[i]]`` for every i, one after another."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return values[np.repeat(starts - (ends - lengths), lengths) + np.arange(total)]


def _decoded(
    texts: Sequence[str],
    at: NDArray[np.int64],
    rows: list[tuple[Any, ...]],
    taxonomy: Taxonomy,
    languages: Sequence[str | None],
    embedder: StaticEmbedder,
    digest: str,
) -> tuple[ThemeReading, NDArray[np.bool_], NDArray[np.bool_]]:
    """The reading the kept ``rows`` give the texts at ``at`` (every array at once), which
    were searched for keywords again, and which rows do not fit their texts."""
    from advocacy.text.embeddings import unit_rows
    from advocacy.text.theme_keywords import seed_hits
    from advocacy.text.theme_sentences import (
        ReadingTokens,
        SentenceCut,
        ThemeReading,
        read_for_meaning,
    )

    m, k, dimension = len(rows), len(taxonomy.themes), int(embedder.dimension)
    word = _INTEGERS.itemsize
    blobs = [[bytes(row[column] or b"") for row in rows] for column in (5, 6, 7, 9)]
    lengths = [np.array([len(blob) for blob in column], dtype=np.int64) for column in blobs]
    own = np.array([row[7] is not None for row in rows], dtype=bool)  # the text's own rows
    searched = np.array([str(row[8]) != digest for row in rows], dtype=bool)
    bad = (lengths[0] % (3 * word) != 0) | (lengths[1] % word != 0) | (lengths[2] % word != 0)
    bad |= ~searched & (lengths[3] % (2 * word) != 0)
    if bad.any():
        return _empty(dimension, k), searched, bad
    counts = lengths[0] // (3 * word)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    owner = np.repeat(np.arange(m, dtype=np.int64), counts)
    triples = np.frombuffer(b"".join(blobs[0]), _INTEGERS).reshape(-1, 3).astype(np.int64)
    spans, sizes = triples[:, :2], triples[:, 2]
    chosen = [texts[position] for position in at.tolist()]
    limit = np.array([min(len(text), MAX_CHARACTERS) for text in chosen], dtype=np.int64)
    outside = (spans[:, 0] < 0) | (spans[:, 0] > spans[:, 1]) | (spans[:, 1] > limit[owner])
    outside |= sizes < 0
    bad |= np.bincount(owner[outside], minlength=m) > 0
    bad |= np.bincount(owner, weights=sizes, minlength=m) * word != lengths[1]
    pieces_rows = np.frombuffer(b"".join(blobs[1]), _INTEGERS).astype(np.int64)
    text_rows = np.frombuffer(b"".join(blobs[2]), _INTEGERS).astype(np.int64)
    for kept_rows, size in ((pieces_rows, lengths[1]), (text_rows, lengths[2])):
        wrong = (kept_rows < 0) | (kept_rows >= embedder.row_count)
        bad |= np.bincount(np.repeat(np.arange(m), size // word)[wrong], minlength=m) > 0
    if bad.any():
        return _empty(dimension, k), searched, bad
    pieces = [
        chosen[row][start:end]
        for row, (start, end) in zip(owner.tolist(), spans.tolist(), strict=True)
    ]
    read = read_for_meaning(pieces)
    several = counts[owner[read]] > 1  # a one-sentence text's sentence vector is its own
    hits = (
        np.frombuffer(
            b"".join(blob for blob, again in zip(blobs[3], searched, strict=True) if not again),
            _INTEGERS,
        )
        .reshape(-1, 2)
        .astype(np.int64)
    )
    hit_owner = np.repeat(np.flatnonzero(~searched), lengths[3][~searched] // (2 * word))
    outside = (hits < 0).any(axis=1) | (hits[:, 0] >= counts[hit_owner]) | (hits[:, 1] >= k)
    bad |= np.bincount(hit_owner[outside], minlength=m) > 0
    if bad.any():
        return _empty(dimension, k), searched, bad
    # The rows of each sentence, and of each text: its sentences' or its own.
    sentence_starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    pool = np.concatenate([pieces_rows, text_rows])
    text_sizes = np.where(own, lengths[2] // word, lengths[1] // word)
    own_starts = len(pieces_rows) + np.concatenate([[0], np.cumsum(lengths[2] // word)])[:-1]
    text_starts = np.where(own, own_starts, sentence_starts[starts[:-1]])
    text_tokens = _token_rows(_gathered(pool, text_starts, text_sizes), text_sizes)
    embeddings = unit_rows(embedder.sums(text_tokens))
    chosen_sentences = read[several]
    sentence_sizes = sizes[chosen_sentences]
    vectors = np.zeros((len(read), dimension), np.float32)
    vectors[~several] = embeddings[owner[read[~several]]]
    vectors[several] = unit_rows(
        embedder.sums(
            _token_rows(
                _gathered(pieces_rows, sentence_starts[chosen_sentences], sentence_sizes),
                sentence_sizes,
            )
        )
    )
    found = np.zeros((len(pieces), k), bool)
    found[starts[hit_owner] + hits[:, 0], hits[:, 1]] = True
    again = np.flatnonzero(searched[owner])
    if len(again):
        found[again] = seed_hits(
            [pieces[sentence] for sentence in again.tolist()],
            taxonomy,
            languages=[languages[int(at[row])] for row in owner[again].tolist()],
        )
    cut = SentenceCut(pieces, owner, read, counts, spans)
    tokens = ReadingTokens(text_tokens, _token_rows(pieces_rows, sizes))
    return ThemeReading(chosen, embeddings, cut, found, vectors, tokens), searched, bad


def _token_rows(rows: NDArray[np.int64], sizes: NDArray[np.int64]) -> TokenRows:
    """The :class:`~advocacy.text.embeddings.TokenRows` of texts of ``sizes`` rows each."""
    from advocacy.text.embeddings import TokenRows

    return TokenRows(rows, np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))


def _empty(dimension: int, themes: int) -> ThemeReading:
    """The reading of no text."""
    from advocacy.text.theme_sentences import ReadingTokens, SentenceCut, ThemeReading

    nothing = np.zeros(0, np.int64)
    return ThemeReading(
        [],
        np.zeros((0, dimension), np.float32),
        SentenceCut([], nothing, nothing, nothing, np.zeros((0, 2), np.int64)),
        np.zeros((0, themes), bool),
        np.zeros((0, dimension), np.float32),
        ReadingTokens(_token_rows(nothing, nothing), _token_rows(nothing, nothing)),
    )


def _taken(reading: ThemeReading, order: NDArray[np.int64]) -> ThemeReading:
    """The reading of ``reading``'s texts at ``order`` (in that order), as if read so."""
    import pyarrow as pa

    from advocacy.text.theme_sentences import ReadingTokens, SentenceCut, ThemeReading

    cut = reading.cut
    starts = np.concatenate([[0], np.cumsum(cut.counts)]).astype(np.int64)
    counts = cut.counts[order]
    ends = np.cumsum(counts)
    sentences = np.repeat(starts[order] - (ends - counts), counts) + np.arange(
        int(ends[-1]) if len(ends) else 0, dtype=np.int64
    )
    vector_of = np.full(len(cut.pieces), -1, np.int64)
    vector_of[cut.read] = np.arange(len(cut.read))
    read = np.flatnonzero(vector_of[sentences] >= 0).astype(np.int64)
    taken = SentenceCut(
        [cut.pieces[sentence] for sentence in sentences.tolist()],
        np.repeat(np.arange(len(order), dtype=np.int64), counts),
        read,
        counts,
        cut.spans[sentences],
    )
    tokens = reading.tokens
    return ThemeReading(
        [reading.texts[at] for at in order.tolist()],
        reading.embeddings[order],
        taken,
        None if reading.found is None else reading.found[sentences],
        reading.vectors[vector_of[sentences[read]]],
        None
        if tokens is None
        else ReadingTokens(
            _taken_rows(tokens.texts, order), _taken_rows(tokens.sentences, sentences)
        ),
        None if reading.kept is None else reading.kept.take(pa.array(order)),
    )


def _taken_rows(tokens: TokenRows, order: NDArray[np.int64]) -> TokenRows:
    """The token rows of the entries of ``tokens`` at ``order``, in that order."""
    sizes = np.diff(tokens.offsets)[order]
    return _token_rows(_gathered(tokens.rows, tokens.offsets[order], sizes), sizes)


def _row_bytes(
    reading: ThemeReading, written: NDArray[np.int64], embedder: StaticEmbedder | None
) -> dict[str, pa.Array]:
    """The kept columns (``sentences``, ``tokens``, ``text_tokens``, ``hits``) of the texts at
    ``written`` (in order; ``hits`` alone without an ``embedder``), as Arrow arrays built from
    whole buffers (no bytes object per row)."""
    cut = reading.cut
    starts = np.concatenate([[0], np.cumsum(cut.counts)]).astype(np.int64)
    counts = cut.counts[written].astype(np.int64)
    sentences = _gathered(np.arange(len(cut.pieces), dtype=np.int64), starts[written], counts)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    local = np.full(len(cut.pieces), -1, np.int64)
    local[sentences] = np.arange(len(sentences))
    found = reading.found if reading.found is not None else np.zeros((len(cut.pieces), 0), bool)
    hits = np.argwhere(found).astype(np.int64)
    hits = hits[local[hits[:, 0]] >= 0]
    at = local[hits[:, 0]]  # the sentence's place among the written ones
    owner = np.searchsorted(offsets, at, side="right") - 1
    pairs = np.column_stack([at - offsets[owner], hits[:, 1]])
    hit_offsets = np.searchsorted(at, offsets) * 2 * _INTEGERS.itemsize
    columns = {"hits": _binary(pairs, hit_offsets)}
    if embedder is None:
        return columns
    if reading.tokens is not None:  # the rows the reading summed
        text_tokens = _taken_rows(reading.tokens.texts, written)
        piece_tokens = _taken_rows(reading.tokens.sentences, sentences)
    else:
        text_tokens = embedder.token_rows([reading.texts[at] for at in written.tolist()])
        piece_tokens = embedder.token_rows([cut.pieces[at] for at in sentences.tolist()])
    sizes = np.diff(piece_tokens.offsets)
    word = _INTEGERS.itemsize
    columns["sentences"] = _binary(
        np.column_stack([cut.spans[sentences], sizes]), offsets * 3 * word
    )
    token_offsets = piece_tokens.offsets[offsets]
    columns["tokens"] = _binary(piece_tokens.rows, token_offsets * word)
    own = ~_same_rows(text_tokens, piece_tokens.rows, token_offsets)
    own_sizes = np.where(own, np.diff(text_tokens.offsets), 0)
    columns["text_tokens"] = _binary(
        _gathered(text_tokens.rows, text_tokens.offsets[:-1], own_sizes),
        np.concatenate([[0], np.cumsum(own_sizes)]) * word,
        valid=own,
    )
    return columns


def _same_rows(
    texts: TokenRows, pieces: NDArray[np.int64], offsets: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Whether each text's rows are those of its sentences (``pieces[offsets[i]:offsets[i +
    1]]``) in some order: then their sums are the same floats (:meth:`StaticEmbedder.sums`
    adds a text's rows in the order of the rows)."""
    n = len(texts)
    own, theirs = np.diff(texts.offsets), np.diff(offsets)
    same: NDArray[np.bool_] = own == theirs
    owner = np.repeat(np.arange(n, dtype=np.int64), own)
    # Each text's rows sorted: one sort of (text, row) keys (rows are int32, so a key fits in
    # 64 bits), which compares as the rows do wherever the texts line up.
    mine = np.sort((owner << 32) + texts.rows)
    other = pieces[offsets[0] : offsets[-1]] if n else pieces[:0]
    other = np.sort((np.repeat(np.arange(n, dtype=np.int64), theirs) << 32) + other)
    compared = same[owner]
    differ = mine[compared] != other[same[np.repeat(np.arange(n), theirs)]]
    same[owner[compared][differ]] = False
    return same


def _binary(
    values: NDArray[Any], offsets: NDArray[np.int64], valid: NDArray[np.bool_] | None = None
) -> pa.Array:
    """A binary Arrow array of ``values`` as little-endian int32 bytes, value i the bytes
    ``offsets[i]:offsets[i + 1]`` (None where ``valid`` is False)."""
    import pyarrow as pa

    data = np.ascontiguousarray(values, dtype=_INTEGERS)
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(
        pa.binary(),
        len(offsets) - 1,
        [bitmap, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)],
        null_count=0 if valid is None else int((~valid).sum()),
    )
