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
reading every text again (``tests/text/test_theme_reading_store.py``): about 5.6 MB per 1,000
reviews of 60-250 words (a sentence read for meaning costs 1 KB). A row whose numbers do not
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


@dataclass
class _Document:
    """One document's reading: its sentences, those read for meaning, its embedding, their
    vectors (none for a one-sentence text, whose sentence's vector is the text's) and the
    (sentence, theme) keyword hits (None: to be searched)."""

    pieces: list[str]
    spans: NDArray[np.int64]
    read: NDArray[np.int64]
    embedding: NDArray[np.float32]
    vectors: NDArray[np.float32]
    hits: NDArray[np.int64] | None


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
    from advocacy.text.theme_sentences import read_for_meaning

    n, k = len(texts), len(taxonomy.themes)
    dimension = int(embedder.dimension)
    by = reader(embedder)
    digest = keywords_digest(taxonomy)
    kinds_of = documents["document_kind"].astype(str).tolist()
    ids_of = documents["document_id"].astype(str).tolist()
    position = {key: i for i, key in enumerate(zip(kinds_of, ids_of, strict=True))}
    hashes = [text_hash(text) for text in texts]
    found: list[_Document | None] = [None] * n
    fresh = np.ones(n, bool)  # read (or searched) in this run: its row is written
    gone: list[tuple[str, str]] = []
    for row in _kept_rows(db, kinds):
        key = (str(row[0]), str(row[1]))
        at = position.get(key)
        if at is None:
            gone.append(key)
            continue
        if (row[2], row[3], row[4]) != (hashes[at], languages[at], by):
            continue  # read again (and its row replaced)
        document = _decoded(row, texts[at], dimension, k, digest, read_for_meaning)
        if document is not None:
            found[at] = document
            fresh[at] = document.hits is None
    if first is not None and first.texts == list(texts[: len(first.texts)]):
        for at, document in enumerate(_split(first)):
            if found[at] is None or found[at].hits is None:  # type: ignore[union-attr]
                found[at], fresh[at] = document, True
    missing = [at for at in range(n) if found[at] is None]
    for at, document in zip(missing, _split(read(missing)), strict=True):
        found[at] = document
    documents_read: list[_Document] = [document for document in found if document is not None]
    _search_again(documents_read, taxonomy, languages)
    reading = _joined(list(texts), documents_read, dimension, k)
    written = np.flatnonzero(fresh).tolist()
    rows = pd.DataFrame(
        {
            "document_kind": [kinds_of[at] for at in written],
            "document_id": [ids_of[at] for at in written],
            "text_hash": [hashes[at] for at in written],
            "language": [languages[at] for at in written],
            "reader": by,
            "sentences": [documents_read[at].spans.astype(_INTEGERS).tobytes() for at in written],
            "embedding": [documents_read[at].embedding.astype(_FLOATS).tobytes() for at in written],
            "vectors": [documents_read[at].vectors.astype(_FLOATS).tobytes() for at in written],
            "keywords": digest,
            "hits": [
                _searched(documents_read[at].hits).astype(_INTEGERS).tobytes() for at in written
            ],
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


def _decoded(
    row: tuple[Any, ...],
    text: str,
    dimension: int,
    themes: int,
    digest: str,
    read_for_meaning: Callable[[Sequence[str]], NDArray[np.int64]],
) -> _Document | None:
    """A kept row as the reading of ``text`` (hits None under another taxonomy), or None when
    its numbers do not fit the text (then it is read again)."""
    sentences, embedding, vectors, hits = (bytes(row[at]) for at in (5, 6, 7, 9))
    keywords = str(row[8])
    width = 2 * _INTEGERS.itemsize
    if len(sentences) % width or len(embedding) != dimension * _FLOATS.itemsize:
        return None
    spans = np.frombuffer(sentences, _INTEGERS).reshape(-1, 2).astype(np.int64)
    limit = min(len(text), MAX_CHARACTERS)
    if len(spans) and not (
        (spans[:, 0] >= 0).all() and (spans[:, 0] <= spans[:, 1]).all() and spans.max() <= limit
    ):
        return None
    pieces = [text[start:end] for start, end in spans.tolist()]
    read = read_for_meaning(pieces)
    expected = len(read) if len(pieces) > 1 else 0
    if len(vectors) != expected * dimension * _FLOATS.itemsize:
        return None
    found = None
    if keywords == digest:
        if len(hits) % width:
            return None
        found = np.frombuffer(hits, _INTEGERS).reshape(-1, 2).astype(np.int64)
        inside = (found >= 0).all() and (found < [max(len(pieces), 1), themes]).all()
        if len(found) and not (inside and len(pieces)):
            return None
    return _Document(
        pieces,
        spans,
        read,
        np.frombuffer(embedding, _FLOATS).astype(np.float32),
        np.frombuffer(vectors, _FLOATS).astype(np.float32).reshape(expected, dimension),
        found,
    )


def _split(reading: ThemeReading) -> list[_Document]:
    """``reading`` document by document."""
    cut = reading.cut
    starts = np.concatenate([[0], np.cumsum(cut.counts)]).astype(np.int64)
    read_starts = np.searchsorted(cut.read, starts)
    hits = np.argwhere(reading.found) if reading.found is not None else np.zeros((0, 2), int)
    hit_starts = np.searchsorted(hits[:, 0], starts) if len(hits) else np.zeros_like(starts)
    dimension = reading.embeddings.shape[1] if reading.embeddings.ndim == 2 else 0
    documents = []
    for at in range(len(reading.texts)):
        first, last = int(starts[at]), int(starts[at + 1])
        read = cut.read[read_starts[at] : read_starts[at + 1]] - first
        vectors = (
            reading.vectors[read_starts[at] : read_starts[at + 1]]
            if last - first > 1
            else np.zeros((0, dimension), np.float32)
        )
        found = hits[hit_starts[at] : hit_starts[at + 1]] - [first, 0]
        documents.append(
            _Document(
                cut.pieces[first:last],
                cut.spans[first:last],
                read,
                reading.embeddings[at],
                vectors,
                found.astype(np.int64) if reading.found is not None else None,
            )
        )
    return documents


def _search_again(
    documents: list[_Document], taxonomy: Taxonomy, languages: Sequence[str | None]
) -> None:
    """Search the seed keywords in the sentences of the documents kept under another
    taxonomy (their hits None), all at once."""
    from advocacy.text.theme_keywords import seed_hits

    again = [at for at, document in enumerate(documents) if document.hits is None]
    if not again:
        return
    pieces = [piece for at in again for piece in documents[at].pieces]
    chosen = [languages[at] for at in again for _ in documents[at].pieces]
    found = seed_hits(pieces, taxonomy, languages=chosen)
    start = 0
    for at in again:
        count = len(documents[at].pieces)
        documents[at].hits = np.argwhere(found[start : start + count]).astype(np.int64)
        start += count


def _searched(hits: NDArray[np.int64] | None) -> NDArray[np.int64]:
    """``hits``, searched by now (:func:`_search_again`)."""
    assert hits is not None
    return hits


def _joined(
    texts: list[str], documents: list[_Document], dimension: int, themes: int
) -> ThemeReading:
    """One reading of ``texts`` from their documents' readings, in order: what
    :func:`~advocacy.text.theme_sentences.theme_reading` of every text gives."""
    from advocacy.text.theme_sentences import SentenceCut, ThemeReading

    counts = np.array([len(document.pieces) for document in documents], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    owner = np.repeat(np.arange(len(documents), dtype=np.int64), counts)
    read = np.concatenate(
        [np.zeros(0, np.int64)]
        + [document.read + starts[at] for at, document in enumerate(documents)]
    ).astype(np.int64)
    spans = np.concatenate(
        [np.zeros((0, 2), np.int64)] + [document.spans for document in documents]
    ).astype(np.int64)
    cut = SentenceCut(
        [piece for document in documents for piece in document.pieces], owner, read, counts, spans
    )
    embeddings = np.zeros((len(documents), dimension), np.float32)
    if documents:
        embeddings[:] = np.stack([document.embedding for document in documents])
    vectors = np.zeros((len(read), dimension), np.float32)
    reuse = counts[owner[read]] == 1
    vectors[reuse] = embeddings[owner[read[reuse]]]
    vectors[~reuse] = np.concatenate(
        [np.zeros((0, dimension), np.float32)] + [document.vectors for document in documents]
    )
    found = np.zeros((len(cut.pieces), themes), bool)
    step = np.zeros((len(documents), 2), np.int64)
    step[:, 0] = starts[:-1]
    hits = [_searched(document.hits) + step[at] for at, document in enumerate(documents)]
    every = np.concatenate([np.zeros((0, 2), np.int64), *hits]).astype(np.int64)
    found[every[:, 0], every[:, 1]] = True
    return ThemeReading(texts, embeddings, cut, found, vectors)
