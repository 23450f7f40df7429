"""The import ledger: one row per import, and the quarantined rows with their reasons."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from advocacy.store.connection import Database


@dataclass(frozen=True)
class QuarantineEntry:
    """One bad cell of one row, with the whole source record so nothing is lost."""

    row_number: int
    column: str | None
    value: str | None
    reason: str
    record: dict[str, Any]


def record_import(db: Database, entry: dict[str, Any]) -> None:
    """Insert the ledger row of an import (``entry`` holds the ``imports`` columns)."""
    names = list(entry)
    values = [json.dumps(value) if name == "detected" else value for name, value in entry.items()]
    placeholders = ", ".join("CAST(? AS JSON)" if name == "detected" else "?" for name in names)
    db.execute(f"INSERT INTO imports ({', '.join(names)}) VALUES ({placeholders})", values)


def record_quarantine(db: Database, import_id: str, entries: Sequence[QuarantineEntry]) -> None:
    """Store quarantined rows (bulk, so a file with many bad rows stays fast)."""
    if not entries:
        return
    table = pa.table(
        {
            "import_id": pa.array([import_id] * len(entries), pa.string()),
            "row_number": pa.array([entry.row_number for entry in entries], pa.int64()),
            "column_name": pa.array([entry.column for entry in entries], pa.string()),
            "value": pa.array([entry.value for entry in entries], pa.string()),
            "reason": pa.array([entry.reason for entry in entries], pa.string()),
            "record": pa.array(
                [json.dumps(entry.record, ensure_ascii=False) for entry in entries], pa.string()
            ),
        }
    )
    types = {
        "import_id": "TEXT",
        "row_number": "BIGINT",
        "column_name": "TEXT",
        "value": "TEXT",
        "reason": "TEXT",
        "record": "TEXT",
    }
    db.load_temporary("stage_quarantine", table, types)
    db.execute(
        "INSERT INTO quarantine SELECT import_id, row_number, column_name, value, reason, "
        'CAST(record AS JSON) FROM "stage_quarantine"'
    )
    db.execute('DROP TABLE "stage_quarantine"')


def quarantine_rows(db: Database, *, import_id: str | None = None) -> list[dict[str, Any]]:
    """Quarantined cells, newest import first, with the file each came from."""
    where = "WHERE q.import_id = ?" if import_id else ""
    rows = db.fetchall(
        "SELECT q.import_id, i.file, i.kind, q.row_number, q.column_name, q.value, q.reason, "
        "CAST(q.record AS TEXT) FROM quarantine q JOIN imports i ON i.import_id = q.import_id "
        f"{where} ORDER BY i.started_at DESC, q.row_number, q.column_name",
        [import_id] if import_id else [],
    )
    names = ["import_id", "file", "kind", "row", "column", "value", "reason", "record"]
    result = []
    for row in rows:
        item = dict(zip(names, row, strict=True))
        item["record"] = json.loads(item["record"]) if item["record"] else None
        result.append(item)
    return result


def recent_imports(db: Database, *, limit: int = 10) -> list[dict[str, Any]]:
    rows = db.fetchall(
        "SELECT import_id, file, kind, source_format, rows_read, rows_loaded, rows_updated, "
        "rows_unchanged, rows_quarantined, started_at, finished_at FROM imports "
        "ORDER BY started_at DESC LIMIT ?",
        [limit],
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
