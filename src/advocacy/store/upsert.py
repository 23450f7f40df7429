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
    were unchanged. An update replaces every field of the record (an empty one too), its
    ``source`` and its hash; a placeholder customer written stops being one.
    """
    stage = f"stage_{kind.table}"
    sources = [source] * rows.num_rows if isinstance(source, str) else list(source)
    rows = rows.append_column("source", pa.array(sources, pa.string()))
    db.load_temporary(stage, rows, _stage_types(kind))
    if db.dialect == "postgres":
        written = _write_on_conflict(db, kind, stage, by_row=by_row)
    else:  # a DuckDB file has one writing process (and no unique index to conflict on)
        written = _write_absent_then_changed(db, kind, stage, by_row=by_row)
    db.execute(f'DROP TABLE "{stage}"')
    inserted, updated, inserted_rows, updated_rows = written
    return UpsertCounts(
        inserted, updated, rows.num_rows - inserted - updated, inserted_rows, updated_rows
    )


#: Rows inserted, rows updated, and with ``by_row`` which (their ``_row``).
_Written = tuple[int, int, frozenset[int], frozenset[int]]
_NONE: _Written = (0, 0, frozenset(), frozenset())


def _columns(kind: Kind) -> tuple[list[str], list[str]]:
    """The columns an upsert writes, and the value of each from stage row ``s``."""
    fields = [*kind.field_names, "attrs", TIME_OFFSETS, "source", "record_hash"]
    json = ("attrs", TIME_OFFSETS)
    values = [
        f"CAST(s.{_quote(name)} AS JSON)" if name in json else f"s.{_quote(name)}"
        for name in fields
    ]
    if any(item.name == "is_stub" for item in kind.extra_fields):
        fields, values = [*fields, "is_stub"], [*values, "FALSE"]
    return fields, values


def _write_on_conflict(db: Database, kind: Kind, stage: str, *, by_row: bool) -> _Written:
    """Insert or update each stage row in one statement, on the table's unique key.

    Not a read of which keys exist followed by an ``INSERT`` of the absent ones: two server
    processes writing one new record at the same moment both read it absent, and the second
    insert broke the key (a 500 for its write). Here PostgreSQL makes the second writer wait
    for the first and then update the record (or leave it when its hash is the same), as if
    it had come after. ``xmax = 0`` tells a row this statement inserted from one it updated
    (an updated row carries the updating transaction's id). Rows go in key order so that
    writers of overlapping keys lock them in the same order (no deadlock).

    Rows already stored with the same hash are left out before the insert: ``ON CONFLICT``
    would lock each of them (a write to its page and the log for every row of a re-imported
    file). Leaving out a row that another writer changes at the same moment is the order
    "this write first, then that one", so the outcome is still one of one after another.
    """
    # The planner knows nothing of a new temporary table and guesses it holds about a
    # thousand rows: a write of a few would then be joined by reading the whole table.
    db.execute(f'ANALYZE "{stage}"')
    fields, values = _columns(kind)
    keys = ", ".join(_quote(key) for key in kind.key)
    order = ", ".join(f's.{_quote(key)} COLLATE "C"' for key in kind.key)
    assignments = ", ".join(
        f"{_quote(name)} = EXCLUDED.{_quote(name)}" for name in fields if name not in kind.key
    )
    returned = ", ".join(f"t.{_quote(key)}" for key in kind.key)
    same = " AND ".join(
        [
            *(f"e.{_quote(key)} = s.{_quote(key)}" for key in kind.key),
            "e.record_hash = s.record_hash",
        ]
    )
    written = (
        f"WITH written AS (INSERT INTO {kind.table} AS t ({', '.join(map(_quote, fields))}) "
        f'SELECT {", ".join(values)} FROM "{stage}" AS s WHERE NOT EXISTS '
        f"(SELECT 1 FROM {kind.table} AS e WHERE {same}) ORDER BY {order} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {assignments} "
        "WHERE t.record_hash IS DISTINCT FROM EXCLUDED.record_hash "
        f"RETURNING {returned}, t.xmax = 0 AS inserted) "
    )
    if not by_row:
        counted = db.fetchone(
            f"{written}SELECT count(*) FILTER (WHERE inserted), "
            "count(*) FILTER (WHERE NOT inserted) FROM written"
        )
        return (int(counted[0]), int(counted[1]), frozenset(), frozenset()) if counted else _NONE
    match = " AND ".join(f"w.{_quote(key)} = s.{_quote(key)}" for key in kind.key)
    found = db.fetchall(
        f'{written}SELECT s._row, w.inserted FROM written w JOIN "{stage}" s ON {match}'
    )
    inserted_rows = frozenset(int(row) for row, new in found if new)
    updated_rows = frozenset(int(row) for row, new in found if not new)
    return len(inserted_rows), len(updated_rows), inserted_rows, updated_rows


def _write_absent_then_changed(db: Database, kind: Kind, stage: str, *, by_row: bool) -> _Written:
    """Count the new and changed stage rows, update the changed, then insert the new."""
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
    fields, values = _columns(kind)
    if changed:
        assignments = ", ".join(
            f"{_quote(name)} = {value}"
            for name, value in zip(fields, values, strict=True)
            if name not in kind.key
        )
        db.execute(
            f'UPDATE {kind.table} AS t SET {assignments} FROM "{stage}" AS s '
            f"WHERE {match} AND t.record_hash IS DISTINCT FROM s.record_hash"
        )
    if inserted:
        db.execute(
            f"INSERT INTO {kind.table} ({', '.join(map(_quote, fields))}) "
            f'SELECT {", ".join(values)} FROM "{stage}" AS s '
            f"WHERE NOT EXISTS (SELECT 1 FROM {kind.table} AS t WHERE {match})"
        )
    return inserted, changed, inserted_rows, updated_rows


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


def fill_customer_emails(db: Database, contacts: Mapping[str, str], *, source: str) -> int:
    """Give each customer of ``contacts`` its address, where the customer has no e-mail yet.

    ``contacts`` maps customer ids to the e-mail addresses an import tied them by (see
    :mod:`advocacy.ingest.email_identity`); an address already on file, from a customers
    import or an earlier survey, is kept. Returns how many customers got an address.
    """
    if not contacts:
        return 0
    stage = "stage_customer_emails"
    ids = sorted(contacts)
    db.load_temporary(
        stage,
        pa.table(
            {
                "customer_id": pa.array(ids, pa.string()),
                "email": pa.array([contacts[i] for i in ids], pa.string()),
            }
        ),
        {"customer_id": "TEXT", "email": "TEXT"},
    )
    absent = (
        f'FROM "{stage}" s, customers c WHERE c.customer_id = s.customer_id AND c.email IS NULL'
    )
    row = db.fetchone(f"SELECT count(*) {absent}")
    filled = int(row[0]) if row else 0
    if filled:
        db.execute(
            f'UPDATE customers AS c SET email = s.email, source = ? FROM "{stage}" AS s '
            "WHERE c.customer_id = s.customer_id AND c.email IS NULL",
            [source],
        )
    db.execute(f'DROP TABLE "{stage}"')
    return filled
