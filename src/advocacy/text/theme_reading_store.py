"""Each document's theme reading, kept in the workspace so that a taxonomy is assigned again
without reading every text again.

Assigning a taxonomy reads every text (:func:`~advocacy.text.theme_sentences.theme_reading`:
its embedding, its sentences, their embeddings and the seed keywords they name), then weighs
the themes over all the texts together. The reading is most of the work (5.9 of 7.0 CPU s for
12,000 reviews) and a text's reading does not depend on the texts beside it, so it is kept in
``text_theme_readings`` (migration 0019), one row per document, and read again only for a
document that is new, whose text changed (its hash), whose detected language changed (it
chooses the keyword stemmer) or that another embedder or reading format read (:func:`reader`).
The seed keywords found belong to one taxonomy: they are kept with its digest
(:func:`keywords_digest`) and searched again in the kept sentences under another taxonomy.

The numbers are kept exactly (float32, as read), so the themes and their scores are those of
reading every text again (``tests/text/test_theme_reading_store.py``): 5.2 MB per 1,000
reviews of about 60 words (a sentence read for meaning costs 1 KB; 12,000 reviews kept 62.8 MB,
50 MB of it the sentences' vectors). A row whose numbers do not
fit its text (edited, or cut by another version) is read again, never trusted. The rows are
written in the transaction that writes the themes, and the rows of documents gone are deleted
there: a run that fails writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.text.documents import text_hash
from advocacy.text.phrases import MAX_CHARACTERS

if TYPE_CHECKING:
    from advocacy.store.connection import Database
    from advocacy.text.embeddings import Embedder
    from advocacy.text.taxonomy_file import Taxonomy
    from advocacy.text.theme_sentences import ThemeReading

__all__ = [
    "READING_FORMAT",
    "KeptReadings",
    "keep_readings",
    "keywords_digest",
    "reader",
    "reading_with_kept",
]

#: The format of the kept readings: a change to how texts are cut into sentences, which are
#: read for meaning or how keywords are found takes a new number (every text is read again).
READING_FORMAT = 1

_COLUMNS = (
    "document_kind",
    "document_id",
    "text_hash",
    "language",
    "reader",
    "sentences",
    "embedding",
    "vectors",
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
    "embedding": "BYTEA",
    "vectors": "BYTEA",
    "keywords": "TEXT",
    "hits": "BYTEA",
    "read_at": "TIMESTAMPTZ",
}
_INTEGERS = np.dtype("<i4")
_FLOATS = np.dtype("<f4")


def reader(embedder: Embedder) -> str:
    """What a kept reading records of who read it: the embedder and :data:`READING_FORMAT`.

    Parameters
    ----------
    embedder
        The embedder of the texts and their sentences.

    Returns
    -------
    str
        ``"<embedder name>; theme reading v<format>"``.
    """
    return f"{embedder.name}; theme reading v{READING_FORMAT}"


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


@dataclass(frozen=True)
class KeptReadings:
    """What :func:`keep_readings` writes: the rows of the documents read (or searched for
    keywords) in this run, and the documents whose rows go.

    Attributes
    ----------
    rows
        One row per document to (re)write, columns as ``text_theme_readings`` less
        ``read_at``.
    gone
        ``(document_kind, document_id)`` of the kept rows to delete (documents gone).
    """

    rows: pd.DataFrame
    gone: list[tuple[str, str]]


def reading_with_kept(
    db: Database,
    documents: pd.DataFrame,
    texts: Sequence[str],
    languages: Sequence[str | None],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
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
        The embedder of the texts and sentences.
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
    from advocacy.text.theme_sentences import joined_readings

    n = len(texts)
    by = reader(embedder)
    digest = keywords_digest(taxonomy)
    kinds_of = documents["document_kind"].astype(str).tolist()
    ids_of = documents["document_id"].astype(str).tolist()
    position = {key: at for at, key in enumerate(zip(kinds_of, ids_of, strict=True))}
    hashes = [text_hash(text) for text in texts]
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
        texts, candidates, taxonomy, languages, int(embedder.dimension), digest
    )
    fresh = np.ones(n, bool)  # read, or searched for keywords, in this run: its row is written
    fresh[kept_at] = False
    fresh[kept_at[searched]] = True
    parts: list[tuple[NDArray[np.int64], ThemeReading]] = [(kept_at, kept)]
    if first is not None and first.texts == list(texts[: len(first.texts)]):
        # Those no kept row serves (a kept one searched again under this taxonomy is kept).
        taken = np.setdiff1d(np.arange(len(first.texts), dtype=np.int64), kept_at)
        parts.append((taken, _taken(first, taken)))
        fresh[taken] = True
    covered = np.concatenate([at for at, _ in parts])
    missing = np.setdiff1d(np.arange(n, dtype=np.int64), covered)
    parts.append((missing, read(missing.tolist())))
    order = np.concatenate([at for at, _ in parts])
    reading = joined_readings([part for _, part in parts])
    if (np.diff(order) < 0).any():  # else in order already (nothing kept, or nothing new)
        reading = _taken(reading, np.argsort(order, kind="stable"))
    sentences, embeddings, vectors, hits = _row_bytes(reading, np.flatnonzero(fresh))
    written = np.flatnonzero(fresh).tolist()
    rows = pd.DataFrame(
        {
            "document_kind": [kinds_of[at] for at in written],
            "document_id": [ids_of[at] for at in written],
            "text_hash": [hashes[at] for at in written],
            "language": [languages[at] for at in written],
            "reader": by,
            "sentences": sentences,
            "embedding": embeddings,
            "vectors": vectors,
            "keywords": digest,
            "hits": hits,
        },
        columns=list(_COLUMNS[:-1]),
    )
    return reading, KeptReadings(rows, gone)


def keep_readings(db: Database, kept: KeptReadings, stamp: datetime) -> None:
    """Write the rows of :func:`reading_with_kept` and delete those of documents gone, in one
    transaction (the caller's, when it holds one).

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

    rows = kept.rows.assign(read_at=stamp)
    if db.dialect == "postgres":  # written as CSV: bytes as BYTEA's hex form
        for column in ("sentences", "embedding", "vectors", "hits"):
            rows[column] = ["\\x" + bytes(value).hex() for value in rows[column]]
    gone = pd.DataFrame(kept.gone, columns=["document_kind", "document_id"], dtype=object)
    with db.transaction():
        for frame in (gone, rows):
            if frame.empty:
                continue
            db.load_temporary(
                "__reading_rows",
                pa.Table.from_pandas(frame, preserve_index=False),
                {column: _TYPES[column] for column in frame.columns},
            )
            db.execute(
                "DELETE FROM text_theme_readings WHERE EXISTS (SELECT 1 FROM __reading_rows r "
                "WHERE r.document_kind = text_theme_readings.document_kind "
                "AND r.document_id = text_theme_readings.document_id)"
            )
            if frame is rows:
                columns = ", ".join(_COLUMNS)
                db.execute(
                    f"INSERT INTO text_theme_readings ({columns}) "
                    f"SELECT {columns} FROM __reading_rows"
                )
            db.execute("DROP TABLE __reading_rows")


def _kept_rows(db: Database, kinds: Sequence[str] | None) -> list[tuple[Any, ...]]:
    """The kept rows (of ``kinds``, None: every kind), without ``read_at``."""
    sql = f"SELECT {', '.join(_COLUMNS[:-1])} FROM text_theme_readings"
    if kinds is None:
        return db.fetchall(sql)
    if not kinds:
        return []
    marks = ", ".join("?" for _ in kinds)
    return db.fetchall(f"{sql} WHERE document_kind IN ({marks})", list(kinds))


def _kept_reading(
    texts: Sequence[str],
    candidates: list[tuple[int, tuple[Any, ...]]],
    taxonomy: Taxonomy,
    languages: Sequence[str | None],
    dimension: int,
    digest: str,
) -> tuple[NDArray[np.int64], ThemeReading, NDArray[np.bool_]]:
    """The reading of the texts whose kept rows (``candidates``: position and row, in order)
    fit them: their positions, their reading, and which were searched for keywords again
    (kept under another taxonomy). A row whose numbers do not fit its text is left out."""
    while True:
        at = np.array([position for position, _ in candidates], dtype=np.int64)
        rows = [row for _, row in candidates]
        reading, searched, bad = _decoded(texts, at, rows, taxonomy, languages, dimension, digest)
        if not bad.any():
            return at, reading, searched
        # Rare (an edited row): decoded again without the rows that do not fit.
        candidates = [
            candidate for candidate, wrong in zip(candidates, bad, strict=True) if not wrong
        ]


def _decoded(
    texts: Sequence[str],
    at: NDArray[np.int64],
    rows: list[tuple[Any, ...]],
    taxonomy: Taxonomy,
    languages: Sequence[str | None],
    dimension: int,
    digest: str,
) -> tuple[ThemeReading, NDArray[np.bool_], NDArray[np.bool_]]:
    """The reading the kept ``rows`` give the texts at ``at`` (every array at once), which
    were searched for keywords again, and which rows do not fit their texts."""
    from advocacy.text.theme_keywords import seed_hits
    from advocacy.text.theme_sentences import SentenceCut, ThemeReading, read_for_meaning

    m, k = len(rows), len(taxonomy.themes)
    width, size = 2 * _INTEGERS.itemsize, dimension * _FLOATS.itemsize
    blobs = [[bytes(row[column]) for row in rows] for column in (5, 6, 7, 9)]
    lengths = [np.array([len(blob) for blob in column], dtype=np.int64) for column in blobs]
    searched = np.array([str(row[8]) != digest for row in rows], dtype=bool)
    bad = (lengths[0] % width != 0) | (lengths[1] != size) | (lengths[2] % size != 0)
    bad |= ~searched & (lengths[3] % width != 0)
    if bad.any():
        return _empty(dimension, k), searched, bad
    counts = lengths[0] // width
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    owner = np.repeat(np.arange(m, dtype=np.int64), counts)
    spans = np.frombuffer(b"".join(blobs[0]), _INTEGERS).reshape(-1, 2).astype(np.int64)
    chosen = [texts[position] for position in at.tolist()]
    limit = np.array([min(len(text), MAX_CHARACTERS) for text in chosen], dtype=np.int64)
    outside = (spans[:, 0] < 0) | (spans[:, 0] > spans[:, 1]) | (spans[:, 1] > limit[owner])
    bad |= np.bincount(owner[outside], minlength=m) > 0
    pieces = [
        chosen[row][start:end]
        for row, (start, end) in zip(owner.tolist(), spans.tolist(), strict=True)
    ]
    read = read_for_meaning(pieces)
    several = counts[owner[read]] > 1  # a one-sentence text's sentence vector is its own
    bad |= np.bincount(owner[read[several]], minlength=m) != lengths[2] // size
    hits = (
        np.frombuffer(
            b"".join(blob for blob, again in zip(blobs[3], searched, strict=True) if not again),
            _INTEGERS,
        )
        .reshape(-1, 2)
        .astype(np.int64)
    )
    hit_owner = np.repeat(np.flatnonzero(~searched), lengths[3][~searched] // width)
    outside = (hits < 0).any(axis=1) | (hits[:, 0] >= counts[hit_owner]) | (hits[:, 1] >= k)
    bad |= np.bincount(hit_owner[outside], minlength=m) > 0
    if bad.any():
        return _empty(dimension, k), searched, bad
    embeddings = np.frombuffer(b"".join(blobs[1]), _FLOATS).reshape(m, dimension)
    embeddings = embeddings.astype(np.float32)
    vectors = np.zeros((len(read), dimension), np.float32)
    vectors[~several] = embeddings[owner[read[~several]]]
    vectors[several] = np.frombuffer(b"".join(blobs[2]), _FLOATS).reshape(-1, dimension)
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
    return ThemeReading(chosen, embeddings, cut, found, vectors), searched, bad


def _empty(dimension: int, themes: int) -> ThemeReading:
    """The reading of no text."""
    from advocacy.text.theme_sentences import SentenceCut, ThemeReading

    nothing = np.zeros(0, np.int64)
    return ThemeReading(
        [],
        np.zeros((0, dimension), np.float32),
        SentenceCut([], nothing, nothing, nothing, np.zeros((0, 2), np.int64)),
        np.zeros((0, themes), bool),
        np.zeros((0, dimension), np.float32),
    )


def _taken(reading: ThemeReading, order: NDArray[np.int64]) -> ThemeReading:
    """The reading of ``reading``'s texts at ``order`` (in that order), as if read so."""
    from advocacy.text.theme_sentences import SentenceCut, ThemeReading

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
    return ThemeReading(
        [reading.texts[at] for at in order.tolist()],
        reading.embeddings[order],
        taken,
        None if reading.found is None else reading.found[sentences],
        reading.vectors[vector_of[sentences[read]]],
    )


def _row_bytes(
    reading: ThemeReading, written: NDArray[np.int64]
) -> tuple[list[bytes], list[bytes], list[bytes], list[bytes]]:
    """The kept columns (sentences, embedding, vectors, hits) of the texts at ``written``."""
    cut = reading.cut
    starts = np.concatenate([[0], np.cumsum(cut.counts)]).astype(np.int64)
    read_starts = np.searchsorted(cut.read, starts)
    found = reading.found if reading.found is not None else np.zeros((len(cut.pieces), 0), bool)
    hits = np.argwhere(found).astype(np.int64)
    hit_starts = np.searchsorted(hits[:, 0], starts)
    columns: tuple[list[bytes], list[bytes], list[bytes], list[bytes]] = ([], [], [], [])
    for at in written.tolist():
        first, last = int(starts[at]), int(starts[at + 1])
        columns[0].append(cut.spans[first:last].astype(_INTEGERS).tobytes())
        columns[1].append(reading.embeddings[at].astype(_FLOATS).tobytes())
        several = reading.vectors[read_starts[at] : read_starts[at + 1]]
        # A one-sentence text's sentence vector is its embedding: not kept twice.
        columns[2].append(several.astype(_FLOATS).tobytes() if last - first > 1 else b"")
        local = hits[hit_starts[at] : hit_starts[at + 1]]
        columns[3].append((local - [first, 0]).astype(_INTEGERS).tobytes())
    return columns
