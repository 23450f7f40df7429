"""The documents text analytics reads: which records hold free text, how to load them, and
which of them ``text analyze`` reads again.

Documents are the free text of four kinds of record (:data:`DOCUMENT_SOURCES`); a document is
named by its kind and the id its record was imported with. A document's text is its record's
title, a line break, then its text (:func:`advocacy.ingest.title_columns.titled_text`): "Some
major design flaws" says what the review is about before the body does, so sentiment, emotion,
complaint and themes read it. A record without a title, or whose title is its whole text, is
its text alone. Sentence offsets and quotes are positions in that text, so every reader of a
document's text goes through ``titled_text`` (Python), :func:`sql_document_text` (SQL) or
:func:`document_text_column` (Ibis), which give the same string.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from advocacy.errors import UsageError
from advocacy.ingest.title_columns import WHITESPACE as WHITESPACE  # what strip takes off
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table


@dataclass(frozen=True)
class DocumentSource:
    """Where one kind of document lives."""

    table: str
    id_column: str
    text_column: str
    time_column: str
    #: The column naming where a text of this kind came from within it (a mention's platform),
    #: which a calibration's reading is scoped by (:mod:`advocacy.text.calibration_kinds`);
    #: None: the kind is read as one. A response's survey is not one: a survey's waves and
    #: questionnaires are one channel of answers, and a new wave under a new survey name
    #: would be read by the model alone until a refit, beside older waves read by the
    #: calibration (a trend would move with the reading, not the customers).
    source_column: str | None = None
    #: The column holding the record's title, read before its text (None: the kind has none).
    title_column: str | None = None


DOCUMENT_SOURCES: dict[str, DocumentSource] = {
    "response": DocumentSource(
        "responses", "response_id", "comment", "submitted_at", title_column="title"
    ),
    "mention": DocumentSource(
        "mentions", "mention_id", "text", "posted_at", "platform", title_column="title"
    ),
    "note": DocumentSource("notes", "note_id", "text", "taken_at"),
    "employee-response": DocumentSource(
        "employee_responses", "employee_response_id", "comment", "submitted_at"
    ),
}
#: Export table name -> document kind.
TABLE_KINDS = {source.table: kind for kind, source in DOCUMENT_SOURCES.items()}


def check_kinds(kinds: Sequence[str] | None) -> list[str]:
    """The document kinds asked for (all when None); an unknown kind is refused."""
    chosen = list(kinds or DOCUMENT_SOURCES)
    for kind in chosen:
        if kind not in DOCUMENT_SOURCES:
            raise UsageError(
                f"unknown document kind {kind!r}",
                value=kind,
                fix="use one of: " + ", ".join(DOCUMENT_SOURCES),
            )
    return chosen


def load_documents(db: Database, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Every non-empty text: document_kind, document_id, text, at, nps (for responses) and
    document_source (:attr:`DocumentSource.source_column`'s value, null for a kind without
    one), in one order on every engine: kinds as asked, then by id.

    A database returns rows in whatever order it holds them (PostgreSQL's differs from
    DuckDB's, and changes as rows are updated); the themes discovered and the calibration's
    folds follow the order of the texts, so the same file gave other themes on PostgreSQL.
    """
    chosen = check_kinds(kinds)
    if not chosen:
        return pd.DataFrame(columns=[field.name for field in _DOCUMENT_COLUMNS])
    if db.dialect in ("duckdb", "postgres"):
        combined = _documents_in_sql(db, chosen)
    else:  # Parquet on Spark: through Ibis, on the engine
        combined = document_table(functools.partial(steady_table, db), chosen).to_pandas()
    return in_document_order(combined, chosen)


def in_document_order(combined: pd.DataFrame, kinds: Sequence[str]) -> pd.DataFrame:
    """The documents ``combined`` in :func:`load_documents`' order: ``kinds`` as listed, then
    by id (as text), indexed from 0."""
    rank = combined["document_kind"].map({kind: i for i, kind in enumerate(kinds)})
    order = np.lexsort((combined["document_id"].astype(str).to_numpy(), rank.to_numpy()))
    return combined.iloc[order].reset_index(drop=True)


#: The columns of :func:`load_documents`, typed as Ibis gives them (``to_pandas``).
_DOCUMENT_COLUMNS = pa.schema(
    [
        ("document_kind", pa.string()),
        ("document_id", pa.string()),
        ("text", pa.string()),
        ("at", pa.timestamp("us", tz="UTC")),
        ("nps", pa.int64()),
        ("document_source", pa.string()),
    ]
)


def sql_has_text(db: Database, column: str) -> str:
    """SQL that ``column`` holds something besides :data:`WHITESPACE`, in ``db``'s dialect, as
    Ibis compiles ``text.notnull() & (text.strip() != "")``; its one parameter is
    :data:`WHITESPACE`."""
    trimmed = f"TRIM(BOTH ? FROM {column})" if db.dialect == "postgres" else f"TRIM({column}, ?)"
    return f"{column} IS NOT NULL AND {trimmed} <> ''"


def sql_document_text(db: Database, source: DocumentSource) -> tuple[str, list[str]]:
    """SQL giving :func:`~advocacy.ingest.title_columns.titled_text` of a row of ``source``'s
    table, and its parameters (in the order they appear)."""
    text, title = source.text_column, source.title_column
    if title is None:
        return text, []
    return (
        f"CASE WHEN {sql_has_text(db, title)} AND {title} <> {text} "
        f"THEN {title} || chr(10) || {text} ELSE {text} END",
        [WHITESPACE],
    )


def document_text_column(rows: Any, source: DocumentSource) -> Any:
    """:func:`~advocacy.ingest.title_columns.titled_text` of ``source``'s Ibis table ``rows``,
    as an Ibis string column (a table written before titles were stored, as Parquet, has
    none: its text alone)."""
    import ibis

    text = rows[source.text_column]
    if source.title_column is None or source.title_column not in rows.columns:
        return text
    title = rows[source.title_column]
    titled = title.notnull() & (title.strip() != "") & (title != text)
    return ibis.ifelse(titled, title.concat("\n", text), text)


def _documents_in_sql(db: Database, kinds: Sequence[str]) -> pd.DataFrame:
    """:func:`document_table` of ``kinds`` in SQL on the workspace's own engine, as a frame:
    ``text analyze`` then needs no Ibis (about 0.3 CPU s to import and connect)."""
    parts, params = [], []
    for kind in kinds:
        source = DOCUMENT_SOURCES[kind]
        text = source.text_column
        combined, combined_params = sql_document_text(db, source)
        nps = "CAST(nps AS BIGINT)" if kind == "response" else "CAST(NULL AS BIGINT)"
        origin = f"CAST({source.source_column or 'NULL'} AS TEXT)"
        parts.append(
            f"SELECT ? AS document_kind, CAST({source.id_column} AS TEXT) AS document_id, "
            f"{combined} AS text, {source.time_column} AS at, {nps} AS nps, "
            f"{origin} AS document_source FROM {source.table} WHERE {sql_has_text(db, text)}"
        )
        params += [kind, *combined_params, WHITESPACE]
    rows = db.fetchall(" UNION ALL ".join(parts), params)
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else []
    columns = columns or [() for _ in _DOCUMENT_COLUMNS]
    table = pa.Table.from_arrays(
        [
            pa.array(values, type=field.type)
            for values, field in zip(columns, _DOCUMENT_COLUMNS, strict=True)
        ],
        schema=_DOCUMENT_COLUMNS,
    )
    frame: pd.DataFrame = table.to_pandas()
    return frame


def document_sources(db: Database, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The source (:attr:`DocumentSource.source_column`'s value: a mention's platform, a
    kind without one: none) of each document of ``keys`` that names one, in SQL on the workspace's
    engine.

    Parameters
    ----------
    db
        The workspace.
    keys
        ``(document_kind, document_id)`` of the documents (a calibration's labelled texts).

    Returns
    -------
    dict of (str, str) to str
        The key -> the source, for those whose record names one (absent: none, or a kind
        without a source column).
    """
    wanted = {kind for kind, _ in keys}
    found: dict[tuple[str, str], str] = {}
    for kind in sorted(wanted):
        source = DOCUMENT_SOURCES.get(kind)
        if source is None or source.source_column is None:
            continue
        rows = db.fetchall(
            f"SELECT CAST({source.id_column} AS TEXT), CAST({source.source_column} AS TEXT) "
            f"FROM {source.table} WHERE {source.source_column} IS NOT NULL"
        )
        found.update(((kind, str(key)), str(value)) for key, value in rows)
    keyed = set(keys)
    return {key: value for key, value in found.items() if key in keyed}


def document_table(table: Callable[[str], Any], kinds: Sequence[str] | None = None) -> Any:
    """Every non-empty text of ``kinds`` as one Ibis expression, on the tables' engine.

    Parameters
    ----------
    table
        Looks a table up by name (the workspace's, or Parquet on Spark:
        :func:`advocacy.metrics.engines.spark_tables`).
    kinds
        Document kinds (default all of :data:`DOCUMENT_SOURCES`).

    Returns
    -------
    ibis.Table
        ``document_kind``, ``document_id`` (text), ``text``, ``at``, ``nps`` (responses'
        NPS, else null) and ``document_source`` (:attr:`DocumentSource.source_column`'s
        value, else null), kinds in the order asked.
    """
    import ibis

    parts = []
    for kind in check_kinds(kinds):
        source = DOCUMENT_SOURCES[kind]
        rows = table(source.table)
        text = rows[source.text_column]
        nps = rows.nps.cast("int64") if kind == "response" else ibis.null("int64")
        origin = (
            ibis.null("string")
            if source.source_column is None
            else rows[source.source_column].cast("string")
        )
        parts.append(
            rows.filter(text.notnull() & (text.strip() != "")).select(
                document_kind=ibis.literal(kind),
                document_id=rows[source.id_column].cast("string"),
                text=document_text_column(rows, source),
                at=rows[source.time_column],
                nps=nps,
                document_source=origin,
            )
        )
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


def chosen_documents(db: Database, within: str | None) -> Any:
    """The ``(document_kind, document_id)`` that the SQL query ``within`` selects, as an Ibis
    table of text columns; None when ``within`` is None (every document)."""
    if within is None:
        return None
    chosen = db.ibis.sql(within)
    return chosen.select(
        document_kind=chosen.document_kind.cast("string"),
        document_id=chosen.document_id.cast("string"),
    )


def only_chosen(table: Any, chosen: Any) -> Any:
    """The rows of the Ibis ``table`` (with ``document_kind`` and ``document_id``) whose document
    is in ``chosen`` (from :func:`chosen_documents`), in the engine; all of them when None."""
    if chosen is None:
        return table
    return table.semi_join(
        chosen,
        [
            table.document_kind == chosen.document_kind,
            table.document_id.cast("string") == chosen.document_id,
        ],
    )


def text_hash(text: str) -> str:
    """Short SHA-256 of a text: a changed text is analysed again."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def replace_rows(db: Database, table: str, frame: pd.DataFrame, types: dict[str, str]) -> None:
    """Delete ``table``'s rows for the documents in ``frame``, then insert ``frame``."""
    db.load_temporary("__text_rows", pa.Table.from_pandas(frame, preserve_index=False), types)
    db.execute(
        f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM __text_rows r WHERE "
        f"r.document_kind = {table}.document_kind AND r.document_id = {table}.document_id)"
    )
    columns = ", ".join(frame.columns)
    db.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM __text_rows")
    db.execute("DROP TABLE __text_rows")


def known_names(db: Database) -> list[str]:
    """Customer and employee names and mention authors: redacted wherever they appear in text."""
    names: list[str] = []
    for sql in (
        "SELECT DISTINCT name FROM customers WHERE name IS NOT NULL",
        "SELECT DISTINCT name FROM employees WHERE name IS NOT NULL",
        "SELECT DISTINCT author FROM mentions WHERE author IS NOT NULL",
    ):
        names.extend(str(row[0]) for row in db.fetchall(sql))
    return names


def stored_languages(db: Database) -> dict[str, int]:
    """Language code -> how many of the workspace's analysed texts were read in it.

    What a batch with few texts surely in a language leans on
    (:func:`~advocacy.text.language.detect_languages`'s ``prior``): among a workspace's English
    answers, a new "Terrible" is English, not Catalan.

    Parameters
    ----------
    db
        The workspace.

    Returns
    -------
    dict of str to int
        The counts of the languages in ``text_features``.
    """
    rows = db.fetchall(
        "SELECT language, COUNT(*) FROM text_features WHERE language IS NOT NULL GROUP BY language"
    )
    return {str(code): int(count) for code, count in rows}


def stale_documents(
    documents: pd.DataFrame,
    existing: pd.DataFrame,
    with_sentences: pd.DataFrame,
    *,
    label_model: str,
) -> pd.DataFrame:
    """The documents to analyse, in order: new or changed texts, those the model
    ``label_model`` did not label, and read ones without sentence rows.

    Parameters
    ----------
    documents, existing, with_sentences
        :func:`stored_documents`.
    label_model
        The name of the model that labels the documents in this run.

    Returns
    -------
    pandas.DataFrame
        The documents' rows (``text``, ``text_hash`` and the stored row's columns).
    """
    merged = _merged(documents, existing, with_sentences)
    return merged[_changed(merged) | (merged["old_model"] != label_model)]


def surely_read(
    documents: pd.DataFrame,
    existing: pd.DataFrame,
    with_sentences: pd.DataFrame,
    *,
    batch_size: int,
) -> pd.DataFrame | None:
    """The first batch :func:`stale_documents` gives whatever the model is named.

    Parameters
    ----------
    documents, existing, with_sentences
        :func:`stored_documents`.
    batch_size
        Documents in a batch.

    Returns
    -------
    pandas.DataFrame or None
        That batch on a first run (no stored reading), else None: a stored reading might be
        kept, so the batch depends on the model's name.
    """
    if len(existing):  # a stored reading might be kept (and a re-run spends nothing here)
        return None
    return stale_documents(documents, existing, with_sentences, label_model="").iloc[:batch_size]


def _merged(
    documents: pd.DataFrame, existing: pd.DataFrame, with_sentences: pd.DataFrame
) -> pd.DataFrame:
    return documents.merge(existing, on=["document_kind", "document_id"], how="left").merge(
        with_sentences, on=["document_kind", "document_id"], how="left"
    )


def _changed(merged: pd.DataFrame) -> pd.Series:
    """The documents read again whatever the model: new or changed texts, and read ones
    without sentence rows (unread ones, non-answers and unsupported languages, have none by
    design)."""
    return (merged["old_hash"] != merged["text_hash"]) | (
        merged["has_sentences"].isna() & merged["old_reason"].isna()
    )


def stored_documents(
    db: Database, kinds: Sequence[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What :func:`stale_documents` compares.

    Parameters
    ----------
    db
        The workspace.
    kinds
        The document kinds (None: all).

    Returns
    -------
    tuple of pandas.DataFrame
        The documents with their text hashes, their ``text_features`` rows (``old_hash``,
        ``old_model``, ``old_reason``) and the documents that have sentence rows.
    """
    documents = load_documents(db, kinds)
    documents["text_hash"] = [text_hash(str(text)) for text in documents["text"]]
    documents["document_id"] = documents["document_id"].astype(str)
    existing = pd.DataFrame(
        db.fetchall(
            "SELECT document_kind, document_id, text_hash, model, sentiment_reason "
            "FROM text_features"
        ),
        columns=["document_kind", "document_id", "old_hash", "old_model", "old_reason"],
    )
    with_sentences = pd.DataFrame(
        db.fetchall("SELECT DISTINCT document_kind, document_id FROM text_sentences"),
        columns=["document_kind", "document_id"],
    ).assign(has_sentences=True)
    return documents, existing, with_sentences
