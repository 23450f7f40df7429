"""Idempotent writes: upsert validated rows on their natural key, creating customer stubs.

Rows whose key is new are inserted, rows whose content hash changed are updated, and rows that
are identical to what is stored are left alone, so re-importing a file (or an overlapping later
export) adds no duplicates. Callers run this inside ``Database.transaction()``.
"""

from __future__ import annotations

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
    inserted: int
    updated: int
    unchanged: int


def _quote(name: str) -> str:
    return '"' + name + '"'


def _stage_types(kind: Kind) -> dict[str, str]:
    types = {item.name: SQL_TYPES[item.type] for item in (*kind.fields, *BOOKKEEPING_FIELDS)}
    types["_row"] = "BIGINT"
    return types


def upsert(db: Database, kind: Kind, rows: pa.Table, *, source: str) -> UpsertCounts:
    """Insert new and update changed ``rows`` of ``kind``; return how many of each."""
    stage = f"stage_{kind.table}"
    rows = rows.append_column("source", pa.array([source] * rows.num_rows, pa.string()))
    db.load_temporary(stage, rows, _stage_types(kind))
    match = " AND ".join(f"t.{_quote(key)} = s.{_quote(key)}" for key in kind.key)
    counted = db.fetchone(
        f"SELECT count(*) FILTER (WHERE t.{_quote(kind.key[0])} IS NULL), "
        "count(*) FILTER (WHERE t.record_hash IS DISTINCT FROM s.record_hash "
        f"AND t.{_quote(kind.key[0])} IS NOT NULL) "
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
    return UpsertCounts(inserted, changed, rows.num_rows - inserted - changed)


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
    if not ids:
        return 0
    stage = "stage_referenced_customers"
    db.load_temporary(
        stage,
        pa.table({"customer_id": pa.array(sorted(ids), pa.string())}),
        {"customer_id": "TEXT"},
    )
    missing_row = db.fetchone(
        f'SELECT count(*) FROM "{stage}" s WHERE NOT EXISTS '
        "(SELECT 1 FROM customers c WHERE c.customer_id = s.customer_id)"
    )
    missing = int(missing_row[0]) if missing_row else 0
    if missing:
        db.execute(
            f"INSERT INTO customers (customer_id, is_stub, source) "
            f'SELECT s.customer_id, TRUE, ? FROM "{stage}" s WHERE NOT EXISTS '
            "(SELECT 1 FROM customers c WHERE c.customer_id = s.customer_id)",
            [source],
        )
    db.execute(f'DROP TABLE "{stage}"')
    return missing
