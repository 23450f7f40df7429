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
there: a run that fails writes nothing. A row's bytes (built and decoded by
:mod:`~advocacy.text.theme_reading_bytes`) depend on its text alone, so the workers that read a
piece build them and only they travel back, not the rows summed; the caller gathers those of the
documents it writes.
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
from advocacy.text.theme_reading_bytes import (
    BYTE_COLUMNS,
    decoded_reading,
    kept_columns,
    row_hits,
    taken_reading,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from advocacy.store.connection import Database
    from advocacy.text.embeddings import StaticEmbedder
    from advocacy.text.taxonomy_file import Taxonomy
    from advocacy.text.theme_sentences import ThemeReading

__all__ = [
    "READING_FORMAT",
    "KeptReadings",
    "keep_readings",
    "keywords_digest",
    "model_digest",
    "reader",
    "reading_with_kept",
]

#: The format of the kept readings: a change to how texts are cut into sentences, which are
#: read for meaning or how keywords are found takes a new number (every text is read again).
#: 2: the rows of the pieces instead of float vectors (migration 0020). 3: a text is read whole
#: up to :data:`~advocacy.text.phrases.MAX_CHARACTERS` = 1,000,000, not its first 20,000
#: characters (review27 finding 6), so a long note's reading kept cut is read again.
READING_FORMAT = 3

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
    from advocacy.text.model_cache import file_sha256

    digest = hashlib.sha256()
    for path in paths:
        digest.update(file_sha256(path))
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
    kept_at, kept, searched = decoded_reading(
        texts, candidates, taxonomy, languages, embedder, digest
    )
    fresh = np.ones(n, bool)  # read in this run: its row is written
    fresh[kept_at] = False
    parts: list[tuple[NDArray[np.int64], ThemeReading]] = [(kept_at, kept)]
    if first is not None and first.texts == list(texts[: len(first.texts)]):
        # Those no kept row serves (a kept one searched again under this taxonomy is kept).
        taken = np.setdiff1d(np.arange(len(first.texts), dtype=np.int64), kept_at)
        parts.append(
            (taken, first if len(taken) == len(first.texts) else taken_reading(first, taken))
        )
    covered = np.concatenate([at for at, _ in parts])
    missing = np.setdiff1d(np.arange(n, dtype=np.int64), covered)
    parts.append((missing, read(missing.tolist())))
    # The columns of the texts read in this run (every part but the kept one), in order.
    columns = _fresh_columns(parts[1:], embedder)
    order = np.concatenate([at for at, _ in parts])
    reading = joined_readings([replace(part, kept=None) for _, part in parts])
    if (np.diff(order) < 0).any():  # else in order already (nothing kept, or nothing new)
        reading = taken_reading(reading, np.argsort(order, kind="stable"))
    written = np.flatnonzero(fresh)
    listed = written.tolist()
    rows = pa.table(
        {
            "document_kind": pa.array([kinds_of[at] for at in listed], pa.string()),
            "document_id": pa.array([ids_of[at] for at in listed], pa.string()),
            "text_hash": pa.array([hashes[at] for at in listed], pa.string()),
            "language": pa.array([languages[at] for at in listed], pa.string()),
            "reader": pa.array([by] * len(listed), pa.string()),
            **{name: columns.column(name) for name in BYTE_COLUMNS},
            "keywords": pa.array([digest] * len(listed), pa.string()),
        }
    ).select(list(_COLUMNS[:-1]))
    again = kept_at[searched]
    listed = again.tolist()
    hits = row_hits(reading, again)
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

    for column in BYTE_COLUMNS:
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
