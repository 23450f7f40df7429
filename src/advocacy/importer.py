"""Import one file into the workspace: read, recognise, map, validate, then write atomically.

The pipeline runs down the layers: ``ingest`` reads and validates without touching the database,
then ``store`` writes every good row, the customer stubs, the ledger entry and the quarantined
rows in one transaction, so a crash or ``kill -9`` mid-import leaves the workspace as before.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advocacy.errors import InputError, ValidationError
from advocacy.ingest.formats import adapt
from advocacy.ingest.mapping import apply_mapping, load_mapping
from advocacy.ingest.raw import Adapted, RawTable
from advocacy.ingest.readers import read_file
from advocacy.ingest.validation import Validated, validate
from advocacy.model import CHILD_KINDS, kind_for
from advocacy.store.connection import Database
from advocacy.store.ledger import QuarantineEntry, record_import, record_quarantine
from advocacy.store.upsert import create_customer_stubs, upsert

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    import_id: str
    file: str
    kind: str
    source_format: str
    file_format: str
    encoding: str | None
    rows_read: int
    rows_loaded: int
    rows_updated: int
    rows_unchanged: int
    rows_quarantined: int
    stubs_created: int = 0
    items_loaded: int = 0
    dry_run: bool = False
    detected: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quarantine: list[QuarantineEntry] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The fields ``advocacy import --format json`` prints."""
        return {
            "import_id": self.import_id,
            "file": self.file,
            "kind": self.kind,
            "source_format": self.source_format,
            "file_format": self.file_format,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_updated": self.rows_updated,
            "rows_unchanged": self.rows_unchanged,
            "rows_quarantined": self.rows_quarantined,
            "stubs_created": self.stubs_created,
            "items_loaded": self.items_loaded,
            "dry_run": self.dry_run,
            "detected": self.detected,
            "notes": self.notes,
        }


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quarantine_entries(validated: Validated) -> list[QuarantineEntry]:
    return [
        QuarantineEntry(
            cell.row, cell.column, cell.value, cell.reason, validated.bad_records.get(cell.row, {})
        )
        for cell in sorted(validated.bad_cells, key=lambda cell: (cell.row, cell.column))
    ]


def _adapted(
    path: Path, kind_name: str, source: str, mapping: str | Path | None
) -> tuple[RawTable, Adapted]:
    kind = kind_for(kind_name)
    raw = read_file(path)
    if mapping is not None:
        adapted = apply_mapping(raw, load_mapping(Path(mapping)), kind)
    else:
        adapted = adapt(raw, kind, source=source)
    # Errors then name the row a spreadsheet shows, counting the blank lines the reader skipped.
    adapted.blank_rows = raw.blank_rows
    # Numbers in an .xlsx date field are Excel day numbers (date-formatted cells come as dates).
    adapted.excel_serials = raw.file_format == "xlsx"
    return raw, adapted


def import_file(
    db: Database,
    path: str | Path,
    *,
    kind: str,
    source: str = "auto",
    mapping: str | Path | None = None,
    dry_run: bool = False,
    strict: bool = False,
    timezone: str = "UTC",
    chunk_rows: int = 200_000,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``path`` as records of ``kind``.

    Parameters
    ----------
    db
        The workspace database.
    path
        CSV/TSV, XLSX, JSON, JSONL or Parquet file.
    kind
        Canonical kind: customers, responses, interactions, mentions, notes, referrals,
        transactions, employees, employee-responses, targets (or their item kinds).
    source
        ``auto`` to recognise survey-tool exports, or one of qualtrics, surveymonkey, typeform,
        google-forms, delighted, generic.
    mapping
        A mapping YAML file naming which source column holds which canonical field.
    dry_run
        Validate and count, write nothing.
    strict
        Reject the whole file if any row is bad.
    timezone
        Zone assumed for timestamps without an offset.

    Returns
    -------
    ImportResult
        Rows read, loaded, updated, unchanged and quarantined, and what was detected.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError("file not found", file=str(path), fix="check the path")
    started = datetime.now(UTC)
    raw, adapted = _adapted(file, kind, source, mapping)
    total = adapted.rows.num_rows
    if progress is not None:
        progress("validating", 0, total)
    child = CHILD_KINDS.get(adapted.kind.name) if adapted.items else None
    validated = validate(
        adapted,
        timezone=timezone,
        child=child,
        chunk_rows=chunk_rows,
        progress=None if progress is None else (lambda done: progress("validating", done, total)),
    )
    entries = _quarantine_entries(validated)
    if strict and entries:
        first = entries[0]
        raise ValidationError(
            f"{first.reason}; {len({e.row_number for e in entries})} bad row(s), "
            "nothing imported (--strict)",
            file=str(path),
            row=first.row_number,
            column=first.column,
            value=first.value,
            fix="correct the rows, or import without --strict to quarantine them",
        )
    result = ImportResult(
        import_id=uuid.uuid4().hex[:16],
        file=str(file),
        kind=adapted.kind.name,
        source_format=adapted.source_format,
        file_format=raw.file_format,
        encoding=raw.encoding,
        rows_read=total,
        rows_loaded=0,
        rows_updated=0,
        rows_unchanged=validated.duplicates,
        rows_quarantined=len({entry.row_number for entry in entries}),
        dry_run=dry_run,
        detected=[
            {"column": d.column, "field": d.field, "reason": d.reason} for d in adapted.detections
        ],
        notes=[*adapted.notes, *validated.notes],
        quarantine=entries,
    )
    try:
        with db.transaction():
            _write(db, result, validated, started, file, progress)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _write(
    db: Database,
    result: ImportResult,
    validated: Validated,
    started: datetime,
    file: Path,
    progress: Progress | None,
) -> None:
    kind = kind_for(result.kind)
    total = validated.rows.num_rows
    if progress is not None:
        progress("writing", 0, total)
    counts = upsert(db, kind, validated.rows, source=result.import_id)
    if progress is not None:
        # Reported inside the transaction: the rows are written but not yet committed.
        progress("writing", total, total)
    result.rows_loaded = counts.inserted
    result.rows_updated = counts.updated
    result.rows_unchanged += counts.unchanged
    result.stubs_created = create_customer_stubs(db, kind, validated.rows, source=result.import_id)
    if validated.items is not None and validated.items.num_rows:
        child = CHILD_KINDS[kind.name]
        child_counts = upsert(db, child, validated.items, source=result.import_id)
        result.items_loaded = child_counts.inserted + child_counts.updated
    record_import(
        db,
        {
            "import_id": result.import_id,
            "file": str(file.resolve()),
            "sha256": file_sha256(file),
            "kind": result.kind,
            "file_format": result.file_format,
            "source_format": result.source_format,
            "encoding": result.encoding,
            "rows_read": result.rows_read,
            "rows_loaded": result.rows_loaded,
            "rows_updated": result.rows_updated,
            "rows_unchanged": result.rows_unchanged,
            "rows_quarantined": result.rows_quarantined,
            "stubs_created": result.stubs_created,
            "detected": result.detected,
            "started_at": started,
            "finished_at": datetime.now(UTC),
        },
    )
    record_quarantine(db, result.import_id, result.quarantine)
