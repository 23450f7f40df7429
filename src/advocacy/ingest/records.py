"""Write evidence given as JSON-like records (API, hosted surveys, notebooks) like an import.

They go through the importer's own validation and idempotent upsert.

Records are turned into the string table a reader would produce, mapped by the generic adapter
(canonical field names, unknown keys kept in ``attrs``), validated by
:func:`advocacy.ingest.validation.validate` and written by :func:`advocacy.store.upsert.upsert`
with a ledger entry, all in one transaction. Unlike a file import, a batch with any bad record
is refused whole, so a client can fix and resend it without partial writes; the same records
sent twice change nothing (the natural key, or the content-derived one, makes them idempotent).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from advocacy.errors import AdvocacyError, ValidationError
from advocacy.ingest.formats import adapt
from advocacy.ingest.limits import InputLimits, check_records
from advocacy.ingest.raw import RawTable
from advocacy.ingest.validation import validate
from advocacy.model import CHILD_KINDS, Kind, kind_for
from advocacy.store.connection import Database
from advocacy.store.ledger import record_import
from advocacy.store.upsert import create_customer_stubs, upsert

#: Kinds the API accepts writes of.
WRITABLE_KINDS = ("responses", "mentions", "interactions", "notes", "referrals", "transactions")


@dataclass(frozen=True)
class WriteResult:
    import_id: str
    kind: str
    received: int
    inserted: int
    updated: int
    unchanged: int
    stubs_created: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _raw_table(records: Sequence[Mapping[str, Any]]) -> RawTable:
    header: list[str] = []
    for record in records:
        header.extend(str(key) for key in record if str(key) not in header)
    columns = {
        name: pa.array([_cell(record.get(name)) for record in records], pa.string())
        for name in header
    }
    # Row numbers are indexes into the posted array, counted from 0.
    return RawTable("api", "json", header, pa.table(columns), first_data_row=0)


def _checked_records(kind: Kind, records: Any, limits: InputLimits) -> list[Mapping[str, Any]]:
    if not isinstance(records, list) or not all(isinstance(item, Mapping) for item in records):
        raise ValidationError(
            "the body must be a JSON array of objects (or an object with a 'records' array)",
            table=kind.table,
            fix='send [{"field": "value", ...}, ...]',
        )
    if not records:
        raise ValidationError("no records in the body", table=kind.table, fix="send one or more")
    check_records(records, limits, table=kind.table)
    return records


def write_records(
    db: Database,
    kind_name: str,
    records: Any,
    *,
    actor: str,
    timezone: str,
    limits: InputLimits,
    now: datetime | None = None,
) -> WriteResult:
    """Validate and upsert ``records`` (a list of JSON objects) of ``kind_name``.

    ``timezone`` is assumed for timestamps that carry none (the workspace's ``timezone``
    setting, as an import uses). ``limits`` bound the batch (records, characters per text
    field, nesting): the workspace's (:meth:`advocacy.ingest.limits.InputLimits.from_settings`)
    or the server's.

    Raises
    ------
    ValidationError
        Carrying every bad cell as ``errors`` (row = index in ``records``); nothing is written.
        A batch over the limits is refused before any of it is validated.
    """
    kind = kind_for(kind_name)
    if kind.name not in WRITABLE_KINDS:
        raise ValidationError(
            f"records of kind {kind.name!r} cannot be written through the API",
            value=kind.name,
            fix="write one of: " + ", ".join(WRITABLE_KINDS),
        )
    rows = _checked_records(kind, records, limits)
    raw = _raw_table(rows)
    adapted = adapt(raw, kind, source="generic")
    child = CHILD_KINDS.get(kind.name) if adapted.items else None
    validated = validate(adapted, timezone=timezone, child=child)
    if validated.bad_cells:
        errors = [
            ValidationError(
                cell.reason, row=cell.row, column=cell.column, value=cell.value, table=kind.table
            )
            for cell in sorted(validated.bad_cells, key=lambda cell: (cell.row, cell.column))
        ]
        raise BatchRejected(errors)
    started = (now or datetime.now(UTC)).astimezone(UTC)
    import_id = "api-" + uuid.uuid4().hex[:12]
    payload = json.dumps(rows, sort_keys=True, default=str).encode("utf-8")
    with db.transaction():
        counts = upsert(db, kind, validated.rows, source=import_id)
        stubs = create_customer_stubs(db, kind, validated.rows, source=import_id)
        if child is not None and validated.items is not None and validated.items.num_rows:
            upsert(db, child, validated.items, source=import_id)
        record_import(
            db,
            {
                "import_id": import_id,
                "file": f"api:{actor}",
                "sha256": hashlib.sha256(payload).hexdigest(),
                "kind": kind.name,
                "file_format": "json",
                "source_format": "api",
                "encoding": "utf-8",
                "rows_read": len(rows),
                "rows_loaded": counts.inserted,
                "rows_updated": counts.updated,
                "rows_unchanged": counts.unchanged + validated.duplicates,
                "rows_quarantined": 0,
                "stubs_created": stubs,
                "detected": [],
                "started_at": started,
                "finished_at": datetime.now(UTC),
            },
        )
    return WriteResult(
        import_id,
        kind.name,
        len(rows),
        counts.inserted,
        counts.updated,
        counts.unchanged + validated.duplicates,
        stubs,
    )


class BatchRejected(ValidationError):
    """A batch of records with bad cells; ``errors`` holds one error per bad cell."""

    def __init__(self, errors: list[ValidationError]) -> None:
        first = errors[0]
        bad_rows = len({error.row for error in errors})
        super().__init__(
            f"{first.message}; {bad_rows} bad record(s), nothing written",
            row=first.row,
            column=first.column,
            value=first.value,
            table=first.table,
            fix="correct the records listed in 'errors' and send the batch again",
        )
        self.errors = errors

    def to_dict(self) -> dict[str, Any]:
        shape = super().to_dict()
        shape["error"] = "ValidationError"  # the one error shape: clients match on its class
        shape["errors"] = [error.to_dict() for error in self.errors]
        return shape


__all__ = ["WRITABLE_KINDS", "AdvocacyError", "BatchRejected", "WriteResult", "write_records"]
