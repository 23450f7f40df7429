"""The documents text analytics reads: which records hold free text, and how to load them.

Documents are the free text of four kinds of record (:data:`DOCUMENT_SOURCES`); a document is
named by its kind and the id its record was imported with.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from advocacy.errors import UsageError
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table


@dataclass(frozen=True)
class DocumentSource:
    """Where one kind of document lives."""

    table: str
    id_column: str
    text_column: str
    time_column: str


DOCUMENT_SOURCES: dict[str, DocumentSource] = {
    "response": DocumentSource("responses", "response_id", "comment", "submitted_at"),
    "mention": DocumentSource("mentions", "mention_id", "text", "posted_at"),
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
    """Every non-empty text: document_kind, document_id, text, at (and nps for responses)."""
    chosen = check_kinds(kinds)
    if not chosen:
        return pd.DataFrame(columns=["document_kind", "document_id", "text", "at", "nps"])
    combined: pd.DataFrame = document_table(functools.partial(steady_table, db), chosen).to_pandas()
    return combined


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
        ``document_kind``, ``document_id`` (text), ``text``, ``at`` and ``nps`` (responses'
        NPS, else null), kinds in the order asked.
    """
    import ibis

    parts = []
    for kind in check_kinds(kinds):
        source = DOCUMENT_SOURCES[kind]
        rows = table(source.table)
        text = rows[source.text_column]
        nps = rows.nps.cast("int64") if kind == "response" else ibis.null("int64")
        parts.append(
            rows.filter(text.notnull() & (text.strip() != "")).select(
                document_kind=ibis.literal(kind),
                document_id=rows[source.id_column].cast("string"),
                text=text,
                at=rows[source.time_column],
                nps=nps,
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
