"""Idempotent writes: upsert validated rows on their natural key, creating customer stubs.

Rows whose key is new are inserted, rows whose content hash changed are updated, and rows that
are identical to what is stored are left alone, so re-importing a file (or an overlapping later
export) adds no duplicates. Callers run this inside ``Database.transaction()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from advocacy.model import BOOKKEEPING_FIELDS, CUSTOMERS, TIME_OFFSETS, FieldType, Kind
from advocacy.store.connection import Database

SQL_TYPES = {
    FieldType.TEXT: "TEXT",
    FieldType.INTEGER: "BIGINT",
    FieldType.FLOAT: "DOUBLE PRECISION",
    FieldType.TIMESTAMP: "TIMESTAMPTZ",
    FieldType.DATE: "DATE",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.JSON: "TEXT",  # staged as text, cast to JSON on the way in
}


@dataclass(frozen=True)
class UpsertCounts:
    """Rows inserted, updated and left unchanged; with ``by_row``, which rows (``_row``)."""

    inserted: int
    updated: int
    unchanged: int
    inserted_rows: frozenset[int] = frozenset()
    updated_rows: frozenset[int] = frozenset()


def _quote(name: str) -> str:
    return '"' + name + '"'


def _stage_types(kind: Kind) -> dict[str, str]:
    types = {item.name: SQL_TYPES[item.type] for item in (*kind.fields, *BOOKKEEPING_FIELDS)}
    types["_row"] = "BIGINT"
    return types


def upsert(
    db: Database,
    kind: Kind,
    rows: pa.Table,
    *,
    source: str | Sequence[str],
    by_row: bool = False,
) -> UpsertCounts:
    """Insert new and update changed ``rows`` of ``kind``; return how many of each.

    ``source`` is the import that writes them, or one import per row (a group commit of
    several API writes). With ``by_row`` the counts also say which rows (their ``_row``) were
    inserted and which updated, so each write of a group learns its own outcome; the rest
    were unchanged.
    """
    stage = f"stage_{kind.table}"
    sources = [source] * rows.num_rows if isinstance(source, str) else list(source)
    rows = rows.append_column("source", pa.array(sources, pa.string()))
    db.load_temporary(stage, rows, _stage_types(kind))
    match = " AND ".join(f"t.{_quote(key)} = s.{_quote(key)}" for key in kind.key)
    missing = f"t.{_quote(kind.key[0])} IS NULL"
    changed_row = f"t.record_hash IS DISTINCT FROM s.record_hash AND NOT {missing}"
    inserted_rows: frozenset[int] = frozenset()
    updated_rows: frozenset[int] = frozenset()
    if by_row:
        found = db.fetchall(
            f'SELECT s._row, {missing} FROM "{stage}" s LEFT JOIN {kind.table} t ON {match} '
            f"WHERE {missing} OR ({changed_row})"
        )
        inserted_rows = frozenset(int(row) for row, new in found if new)
        updated_rows = frozenset(int(row) for row, new in found if not new)
        inserted, changed = len(inserted_rows), len(updated_rows)
    else:
        counted = db.fetchone(
            f"SELECT count(*) FILTER (WHERE {missing}), count(*) FILTER (WHERE {changed_row}) "
            f'FROM "{stage}" s LEFT JOIN {kind.table} t ON {match}'
        )
        inserted, changed = (int(counted[0]), int(counted[1])) if counted else (0, 0)
    fields = [*kind.field_names, "attrs", TIME_OFFSETS, "source", "record_hash"]
    json = ("attrs", TIME_OFFSETS)
    values = [
        f"CAST(s.{_quote(name)} AS JSON)" if name in json else f"s.{_quote(name)}"
        for name in fields
    ]
    extra = [item.name for item in kind.extra_fields]
    if changed:
        assignments = ", ".join(
            f"{_quote(name)} = {value}"
            for name, value in zip(fields, values, strict=True)
            if name not in kind.key
        )
        if "is_stub" in extra:
            assignments += ", is_stub = FALSE"
        db.execute(
            f'UPDATE {kind.table} AS t SET {assignments} FROM "{stage}" AS s '
            f"WHERE {match} AND t.record_hash IS DISTINCT FROM s.record_hash"
        )
    if inserted:
        columns = ", ".join(_quote(name) for name in fields + (["is_stub"] if extra else []))
        selected = ", ".join(values + (["FALSE"] if extra else []))
        db.execute(
            f'INSERT INTO {kind.table} ({columns}) SELECT {selected} FROM "{stage}" AS s '
            f"WHERE NOT EXISTS (SELECT 1 FROM {kind.table} AS t WHERE {match})"
        )
    db.execute(f'DROP TABLE "{stage}"')
    return UpsertCounts(
        inserted, changed, rows.num_rows - inserted - changed, inserted_rows, updated_rows
    )


def customer_references(kind: Kind, rows: pa.Table) -> list[list[str]]:
    """The customer ids each of ``rows`` refers to (its fields that reference customers)."""
    references = [item.name for item in kind.fields if item.reference == CUSTOMERS.name]
    if kind is CUSTOMERS or not references:
        return [[] for _ in range(rows.num_rows)]
    columns = [rows.column(name).to_pylist() for name in references]
    return [[v for v in values if v is not None] for values in zip(*columns, strict=True)]


def create_customer_stubs(db: Database, kind: Kind, rows: pa.Table, *, source: str) -> int:
    """Create placeholder customers for ids that ``rows`` refer to but the workspace lacks.

    Feedback often arrives before the CRM export; a later customers import fills the stub in.
    """
    references = [item.name for item in kind.fields if item.reference == CUSTOMERS.name]
    if kind is CUSTOMERS or not references:
        return 0
    ids: set[str] = set()
    for name in references:
        ids.update(value for value in rows.column(name).unique().to_pylist() if value is not None)
    return len(create_stubs(db, dict.fromkeys(ids, source)))


def create_stubs(db: Database, sources: Mapping[str, str]) -> set[str]:
    """Create a placeholder customer for each id of ``sources`` the workspace lacks.

    ``sources`` gives each id the import that refers to it; returns the ids created.
    """
    if not sources:
        return set()
    stage = "stage_referenced_customers"
    ids = sorted(sources)
    db.load_temporary(
        stage,
        pa.table(
            {
                "customer_id": pa.array(ids, pa.string()),
                "source": pa.array([sources[i] for i in ids], pa.string()),
            }
        ),
        {"customer_id": "TEXT", "source": "TEXT"},
    )
    insert = (
        "INSERT INTO customers (customer_id, is_stub, source) SELECT s.customer_id, TRUE, s.source"
    )
    if db.dialect == "postgres":
        # ON CONFLICT, not a NOT EXISTS read first: two server processes writing answers of
        # one new customer at the same moment both found it absent, and the second insert
        # broke the key (a 500 for its write). PostgreSQL makes the second wait and skip.
        inserted = db.fetchall(
            f'{insert} FROM "{stage}" s ON CONFLICT (customer_id) DO NOTHING RETURNING customer_id'
        )
        created = {str(row[0]) for row in inserted}
    else:  # a DuckDB file has one writing process (and no key to name as the conflict's)
        absent = (
            f'FROM "{stage}" s WHERE NOT EXISTS '
            "(SELECT 1 FROM customers c WHERE c.customer_id = s.customer_id)"
        )
        created = {str(row[0]) for row in db.fetchall(f"SELECT s.customer_id {absent}")}
        if created:
            db.execute(f"{insert} {absent}")
    db.execute(f'DROP TABLE "{stage}"')
    return created
