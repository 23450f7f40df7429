"""The import ledger: one row per import, and the quarantined rows with their reasons.

Quarantine is a work queue. Each entry is one bad cell of one source row; an entry is *open*
until a later import loads its record, which marks it *resolved* (when, by which import). A
later import also *replaces* open entries whose record it quarantines again, so re-importing a
file never doubles its entries. A later import speaks for an earlier entry when

- it is the same file: the same SHA-256 of its content, wherever it lies (a path is not the
  file: scheduled exports overwrite one path with new rows every day, and matching by path would
  silently drop yesterday's open entries);
- its row comes from ``advocacy quarantine export`` and names the entry's import and row; or
- its record has the entry's key (the source's own id) and it imports the same kind.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.store.connection import Database


class QuarantineEntry(NamedTuple):
    """One bad cell of one row, with the whole source record so nothing is lost.

    The record is ``record_json`` (JSON text, as validation writes it for the rows it flags,
    with ``record`` None) or else ``record``; :meth:`source_record` gives it either way.
    ``key`` is the record's key as the source gave it (None without one). ``reason`` says what
    is wrong with the cell and ``fix`` what to do about it. A tuple of plain
    values, as a file can have a million of them: a dict per bad row, kept alive through an
    import, made the garbage collector's passes the largest cost of quarantining.
    """

    row_number: int
    column: str | None
    value: str | None
    reason: str
    record: dict[str, Any] | None
    key: str | None = None
    record_json: str | None = None
    fix: str | None = None

    def source_record(self) -> dict[str, Any]:
        """The whole source row, column by column."""
        if self.record_json is not None:
            parsed: dict[str, Any] = json.loads(self.record_json)
            return parsed
        return self.record or {}


@dataclass(frozen=True)
class Settled:
    """What an import did to earlier quarantine entries (counted in source rows)."""

    resolved: int = 0  # their records loaded now
    replaced: int = 0  # quarantined again by this import, whose entries take their place


def record_import(db: Database, entry: dict[str, Any]) -> None:
    """Insert the ledger row of an import (``entry`` holds the ``imports`` columns)."""
    record_imports(db, [entry])


def record_imports(db: Database, entries: Sequence[dict[str, Any]]) -> None:
    """Insert the ledger rows of several imports with the same columns in one statement (a
    group of API writes: one import each)."""
    if not entries:
        return
    names = list(entries[0])
    one = "(" + ", ".join("CAST(? AS JSON)" if name == "detected" else "?" for name in names) + ")"
    values = [
        json.dumps(entry[name]) if name == "detected" else entry[name]
        for entry in entries
        for name in names
    ]
    db.execute(
        f"INSERT INTO imports ({', '.join(names)}) VALUES {', '.join([one] * len(entries))}",
        values,
    )


def record_quarantine(db: Database, import_id: str, entries: Sequence[QuarantineEntry]) -> None:
    """Store quarantined rows (bulk, so a file with many bad rows stays fast)."""
    if not entries:
        return
    rows, columns, values, reasons, records, keys, texts, fixes = zip(*entries, strict=True)
    encoded: dict[int, str] = {}
    for index, text in enumerate(texts):
        if text is None:
            row = rows[index]
            if row not in encoded:
                encoded[row] = json.dumps(records[index] or {}, ensure_ascii=False)
    if encoded:
        texts = tuple(encoded.get(row, text) for row, text in zip(rows, texts, strict=True))
    table = pa.table(
        {
            "import_id": pa.array([import_id] * len(entries), pa.string()),
            "row_number": pa.array(rows, pa.int64()),
            "column_name": pa.array(columns, pa.string()),
            "value": pa.array(values, pa.string()),
            "reason": pa.array(reasons, pa.string()),
            "record": pa.array(texts, pa.string()),
            "record_key": pa.array(keys, pa.string()),
            "fix": pa.array(fixes, pa.string()),
        }
    )
    types = {
        "import_id": "TEXT",
        "row_number": "BIGINT",
        "column_name": "TEXT",
        "value": "TEXT",
        "reason": "TEXT",
        "record": "TEXT",
        "record_key": "TEXT",
        "fix": "TEXT",
    }
    db.load_temporary("stage_quarantine", table, types)
    # PostgreSQL needs the cast to JSON; DuckDB takes the text as it is (validating it again
    # cost a third of the insert, and it is JSON we wrote).
    record = "CAST(record AS JSON)" if db.dialect == "postgres" else "record"
    db.execute(
        "INSERT INTO quarantine (import_id, row_number, column_name, value, reason, record, "
        f"record_key, fix) SELECT import_id, row_number, column_name, value, reason, {record}, "
        'record_key, fix FROM "stage_quarantine"'
    )
    db.execute('DROP TABLE "stage_quarantine"')


_OPEN = "resolved_at IS NULL AND import_id <> ?"
#: The fix shown for an entry stored before each entry kept its fix (migration 0015).
FIX_NOT_RECORDED = "not recorded"


def settle_quarantine(
    db: Database,
    *,
    import_id: str,
    kind: str,
    sha256: str,
    at: datetime,
    bad_rows: Collection[int],
    bad_keys: Collection[str] = (),
    bad_records: Collection[str] = (),
    loaded_keys: pa.Array | pa.ChunkedArray | None = None,
    fixes: Mapping[int, tuple[str, int]] | None = None,
) -> Settled:
    """Resolve or replace earlier open entries that import ``import_id`` speaks for.

    Call it inside the import's transaction, after its ledger row is written and before its own
    entries are (:func:`record_quarantine`).

    Parameters
    ----------
    import_id, kind, sha256
        The import: its id, the kind it loads and the SHA-256 of its file.
    at
        When it ran (the resolution time).
    bad_rows
        Its quarantined row numbers.
    bad_keys
        The keys of its quarantined records (where the source gave one).
    bad_records
        Its quarantined records as JSON text: an earlier open entry of the same kind without
        a key and with the very same record (an overlapping export) is replaced.
    loaded_keys
        The keys of the records it loaded or found unchanged.
    fixes
        For a file written by ``quarantine export``: its row number -> the (import, row) of the
        quarantined row it carries.

    Returns
    -------
    Settled
        How many earlier source rows were resolved and how many replaced.
    """
    open_now = _open_rows(db)
    if not open_now:
        return Settled()
    bad = pa.table({"row_number": pa.array(sorted(set(bad_rows)), pa.int64())})
    db.load_temporary("stage_bad_rows", bad, {"row_number": "BIGINT"})
    # 1. The same file again: its rows are the same rows, so they match by row number.
    same_file = "import_id IN (SELECT import_id FROM imports WHERE sha256 = ? AND import_id <> ?)"
    db.execute(
        f"DELETE FROM quarantine WHERE {_OPEN} AND {same_file} "
        "AND row_number IN (SELECT row_number FROM stage_bad_rows)",
        [import_id, sha256, import_id],
    )
    _resolve(db, f"{_OPEN} AND {same_file}", [import_id, sha256, import_id], import_id, at)
    # 2. Rows of a quarantine export, each naming the entry it fixes.
    if fixes:
        db.load_temporary(
            "stage_fixes",
            pa.table(
                {
                    "row_number": pa.array(list(fixes), pa.int64()),
                    "fixes_import": pa.array([origin[0] for origin in fixes.values()], pa.string()),
                    "fixes_row": pa.array([origin[1] for origin in fixes.values()], pa.int64()),
                }
            ),
            {"row_number": "BIGINT", "fixes_import": "TEXT", "fixes_row": "BIGINT"},
        )
        fixed = (
            "EXISTS (SELECT 1 FROM stage_fixes f WHERE f.fixes_import = quarantine.import_id "
            "AND f.fixes_row = quarantine.row_number{})"
        )
        again = " AND f.row_number IN (SELECT row_number FROM stage_bad_rows)"
        db.execute(f"DELETE FROM quarantine WHERE {_OPEN} AND {fixed.format(again)}", [import_id])
        _resolve(db, f"{_OPEN} AND {fixed.format('')}", [import_id], import_id, at)
        db.execute("DROP TABLE stage_fixes")
    db.execute("DROP TABLE stage_bad_rows")
    # 3. Records of the same kind with the same key (their source's own id), or, without a
    # key, the same content quarantined again.
    _settle_keys(db, import_id, kind, at, set(bad_keys), loaded_keys)
    _replace_same_records(db, import_id, kind, set(bad_records))
    after = _open_rows(db)
    resolved = _resolved_rows(db, import_id)
    return Settled(resolved=resolved, replaced=open_now - after - resolved)


def _open_rows(db: Database) -> int:
    row = db.fetchone(
        "SELECT count(DISTINCT import_id || ':' || CAST(row_number AS TEXT)) FROM quarantine "
        "WHERE resolved_at IS NULL"
    )
    return int(row[0]) if row else 0


def _resolved_rows(db: Database, import_id: str) -> int:
    row = db.fetchone(
        "SELECT count(DISTINCT import_id || ':' || CAST(row_number AS TEXT)) FROM quarantine "
        "WHERE resolved_by = ?",
        [import_id],
    )
    return int(row[0]) if row else 0


def _resolve(db: Database, where: str, params: Sequence[Any], import_id: str, at: datetime) -> None:
    db.execute(
        "UPDATE quarantine SET resolved_at = ?, resolved_by = ?, resolution = 'loaded' "
        f"WHERE {where}",
        [at, import_id, *params],
    )


def _settle_keys(
    db: Database,
    import_id: str,
    kind: str,
    at: datetime,
    bad_keys: set[str],
    loaded_keys: pa.Array | pa.ChunkedArray | None,
) -> None:
    same_kind = "import_id IN (SELECT import_id FROM imports WHERE kind = ?)"
    waiting = [
        str(row[0])
        for row in db.fetchall(
            f"SELECT DISTINCT record_key FROM quarantine WHERE {_OPEN} AND {same_kind} "
            "AND record_key IS NOT NULL",
            [import_id, kind],
        )
    ]
    if not waiting:
        return
    replaced = [key for key in waiting if key in bad_keys]
    loaded: list[str] = []
    if loaded_keys is not None and len(loaded_keys):
        candidates = pa.array(waiting, pa.string())
        found = pc.is_in(candidates, value_set=pc.cast(loaded_keys, pa.string()))
        loaded = [key for key in candidates.filter(found).to_pylist() if key not in bad_keys]
    for keys, verb in ((replaced, "DELETE FROM quarantine"), (loaded, None)):
        if not keys:
            continue
        db.load_temporary("stage_keys", pa.table({"record_key": keys}), {"record_key": "TEXT"})
        where = f"{_OPEN} AND {same_kind} AND record_key IN (SELECT record_key FROM stage_keys)"
        if verb is None:
            _resolve(db, where, [import_id, kind], import_id, at)
        else:
            db.execute(f"{verb} WHERE {where}", [import_id, kind])
        db.execute("DROP TABLE stage_keys")


def _replace_same_records(db: Database, import_id: str, kind: str, records: set[str]) -> None:
    same_kind = "import_id IN (SELECT import_id FROM imports WHERE kind = ?)"
    keyless = f"{_OPEN} AND {same_kind} AND record_key IS NULL"
    waiting = db.fetchone(f"SELECT count(*) FROM quarantine WHERE {keyless}", [import_id, kind])
    if not records or not waiting or not waiting[0]:
        return
    staged = pa.table({"record": pa.array(sorted(records), pa.string())})
    db.load_temporary("stage_records", staged, {"record": "TEXT"})
    db.execute(
        f"DELETE FROM quarantine WHERE {keyless} "
        "AND CAST(record AS TEXT) IN (SELECT record FROM stage_records)",
        [import_id, kind],
    )
    db.execute("DROP TABLE stage_records")


def quarantine_rows(
    db: Database, *, import_id: str | None = None, include_resolved: bool = False
) -> list[dict[str, Any]]:
    """Quarantined cells, newest import first, with the file each came from.

    Open entries only, unless ``include_resolved``; each carries its ``status`` (``open`` or
    ``resolved``) and, when resolved, ``resolved_by`` (the import that loaded the record).
    ``value`` is the cell as the file wrote it and ``fix`` what to do about it
    (:data:`FIX_NOT_RECORDED` for entries stored before fixes were: migration 0015).
    """
    conditions, params = [], []
    if import_id:
        conditions.append("q.import_id = ?")
        params.append(import_id)
    if not include_resolved:
        conditions.append("q.resolved_at IS NULL")
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    rows = db.fetchall(
        "SELECT q.import_id, i.file, i.kind, q.row_number, q.column_name, q.value, q.reason, "
        "CAST(q.record AS TEXT), q.record_key, "
        "CASE WHEN q.resolved_at IS NULL THEN 'open' ELSE 'resolved' END, q.resolved_by, "
        "q.resolved_at, q.fix FROM quarantine q JOIN imports i ON i.import_id = q.import_id "
        f"{where} ORDER BY i.started_at DESC, q.row_number, q.column_name",
        params,
    )
    names = [
        "import_id",
        "file",
        "kind",
        "row",
        "column",
        "value",
        "reason",
        "record",
        "key",
        "status",
        "resolved_by",
        "resolved_at",
        "fix",
    ]
    result = []
    for row in rows:
        item = dict(zip(names, row, strict=True))
        item["record"] = json.loads(item["record"]) if item["record"] else None
        item["fix"] = item["fix"] or FIX_NOT_RECORDED
        result.append(item)
    return result


def quarantine_counts(db: Database) -> tuple[int, int]:
    """Quarantined source rows: (open, resolved)."""
    row = db.fetchone(
        "SELECT count(DISTINCT CASE WHEN resolved_at IS NULL "
        "THEN import_id || ':' || CAST(row_number AS TEXT) END), "
        "count(DISTINCT CASE WHEN resolved_at IS NOT NULL "
        "THEN import_id || ':' || CAST(row_number AS TEXT) END) FROM quarantine"
    )
    return (int(row[0]), int(row[1])) if row else (0, 0)


@dataclass(frozen=True)
class ImportsSummary:
    """The import ledger in two values, which change whenever evidence arrives.

    Attributes
    ----------
    imports
        Imports finished, API and survey writes included (one ledger row each).
    last_finished_at
        When the latest of them finished, or None before the first.
    """

    imports: int
    last_finished_at: datetime | None


def imports_summary(db: Database) -> ImportsSummary:
    """How many imports the ledger holds and when the latest finished: one cheap query, so a
    cache may ask on every read whether new evidence has arrived since it computed a result."""
    row = db.fetchone("SELECT count(*), max(finished_at) FROM imports")
    count, last = row if row else (0, None)
    return ImportsSummary(int(count), last)


def recent_imports(db: Database, *, limit: int = 10) -> list[dict[str, Any]]:
    rows = db.fetchall(
        "SELECT import_id, file, kind, source_format, rows_read, rows_loaded, rows_updated, "
        "rows_unchanged, rows_quarantined, started_at, finished_at FROM imports "
        # A whole number written into the SQL, not bound: binding any parameter makes DuckDB's
        # Python client import pandas (~0.3 s), which `advocacy status` need not pay.
        f"ORDER BY started_at DESC LIMIT {int(limit)}",
    )
    names = [
        "import_id",
        "file",
        "kind",
        "source_format",
        "rows_read",
        "rows_loaded",
        "rows_updated",
        "rows_unchanged",
        "rows_quarantined",
        "started_at",
        "finished_at",
    ]
    return [dict(zip(names, row, strict=True)) for row in rows]


def as_utc_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
