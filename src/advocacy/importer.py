"""Import one file into the workspace: read, recognise, map, validate, then write atomically.

The pipeline runs down the layers: ``ingest`` reads and validates without touching the database,
then ``store`` writes every good row, the customer stubs, the ledger entry and the quarantined
rows in one transaction, so a crash or ``kill -9`` mid-import leaves the workspace as before.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.errors import InputError, ValidationError
from advocacy.ingest.email_identity import (
    ID_PREFIX,
    customers_by_email,
    merge_notes,
    merges_for,
    normalised_address,
    retie,
    shared_addresses,
    split_notes,
    split_placeholders,
)
from advocacy.ingest.formats import adapt
from advocacy.ingest.mapping import apply_mapping, load_mapping
from advocacy.ingest.mojibake import repair as repair_mojibake
from advocacy.ingest.nothing_to_analyse import nothing_to_analyse
from advocacy.ingest.quarantine_fixes import Fixes, split_fixes
from advocacy.ingest.raw import Adapted, RawTable
from advocacy.ingest.readers import read_file
from advocacy.ingest.reason_fixes import split_fix
from advocacy.ingest.record_hashes import record_hashes
from advocacy.ingest.recovery import RECORD_COLUMN, bounded
from advocacy.ingest.validation import DERIVED_KEY_PREFIX, Validated, validate
from advocacy.model import CHILD_KINDS, CUSTOMERS, KINDS, TIME_OFFSETS, Kind, kind_for
from advocacy.store.connection import Database
from advocacy.store.customer_merge import customers_by_alias_key, merge_customers
from advocacy.store.ledger import (
    QuarantineEntry,
    record_import,
    record_quarantine,
    settle_quarantine,
)
from advocacy.store.upsert import (
    create_customer_stubs,
    fill_customer_emails,
    upsert,
)

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
    rows_superseded: int = 0  # rows sharing a key, set aside by the mapping's on_conflict
    stubs_created: int = 0
    #: Customers known only by e-mail merged into the customer on file with their address.
    customers_merged: int = 0
    items_loaded: int = 0
    dry_run: bool = False
    detected: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    #: The first rows as they are (or, with ``dry_run``, would be) stored: ``row`` (the file's
    #: row number), every canonical field that has a value, ``attrs`` and ``items``.
    preview: list[dict[str, Any]] = field(default_factory=list)
    #: What the case rules did with the records written (``BulkCases.to_dict``), when the
    #: import ran them over a kind they read (``Workspace.import_file(cases=True)``).
    cases: dict[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """The fields ``advocacy import --format json`` prints (``cases`` when rules ran)."""
        summary: dict[str, Any] = {
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
            "rows_superseded": self.rows_superseded,
            "stubs_created": self.stubs_created,
            "customers_merged": self.customers_merged,
            "items_loaded": self.items_loaded,
            "dry_run": self.dry_run,
            "detected": self.detected,
            "notes": self.notes,
            "preview": self.preview,
        }
        if self.cases is not None:
            summary["cases"] = self.cases
        return summary


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quarantine_entries(validated: Validated) -> list[QuarantineEntry]:
    records, keys, texts = validated.bad_records, validated.bad_keys, validated.bad_record_json
    entries = []
    for row, column, value, reason, fix in sorted(validated.bad_cells, key=itemgetter(0, 1)):
        entries.append(
            QuarantineEntry(
                row, column, value, reason, records.get(row), keys.get(row), texts.get(row), fix
            )
        )
    return entries


def broken_record_entries(raw: RawTable) -> list[QuarantineEntry]:
    """Quarantine entries for the records the reader could not split, with their raw text."""
    entries = []
    for record in raw.broken:
        reason, fix = split_fix(record.reason)
        text = bounded(record.text)
        entries.append(
            QuarantineEntry(record.row, RECORD_COLUMN, text, reason, {RECORD_COLUMN: text}, fix=fix)
        )
    return entries


#: Keys earlier versions derived for rows without ids: ``h`` and 24 hexadecimal digits.
LEGACY_KEY_PATTERN = "h%"
#: Rows of a file shown by :attr:`ImportResult.preview`.
PREVIEW_ROWS = 5


def preview_rows(
    validated: Validated, adapted: Adapted, *, rows: int = PREVIEW_ROWS
) -> list[dict[str, Any]]:
    """The first ``rows`` good rows of the file as they are stored.

    Each is the file's row number, the canonical fields that have a value (derived keys
    included), the unmapped columns kept in ``attrs`` and the item ratings taken from the row.
    """
    table = validated.rows
    if table.num_rows == 0:
        return []
    first = pc.select_k_unstable(table, rows, sort_keys=[("_row", "ascending")])
    records = table.take(first).to_pylist()
    key = adapted.kind.key[0]
    items: dict[Any, list[dict[str, Any]]] = {}
    if validated.items is not None and validated.items.num_rows:
        wanted = pa.array([record[key] for record in records])
        child = validated.items.filter(pc.is_in(validated.items.column(key), value_set=wanted))
        for item in child.sort_by("_row").to_pylist():
            items.setdefault(item[key], []).append(
                {name: item[name] for name in ("item", "kind", "value") if name in item}
            )
    shown = []
    for record in records:
        row: dict[str, Any] = {"row": record["_row"]}
        row.update(
            (name, record[name])
            for name in adapted.kind.field_names
            if record.get(name) is not None
        )
        if record.get("attrs"):
            row["attrs"] = json.loads(record["attrs"])
        if record[key] in items:
            row["items"] = items[record[key]]
        shown.append(row)
    return shown


def _legacy_key_notes(db: Database, kind: Kind) -> list[str]:
    """Warn when the workspace holds id-less records keyed the way earlier versions did.

    Those keys (``h`` and 24 hex digits) came from a few fields only; this version keys
    id-less rows by everything they hold, so a file imported before is added again beside them.
    """
    key = kind.key[0]
    found = db.fetchone(
        f'SELECT count(*) FROM {kind.table} WHERE "{key}" LIKE ? AND length("{key}") = 25',
        [LEGACY_KEY_PATTERN],
    )
    legacy = int(found[0]) if found else 0
    if not legacy:
        return []
    return [
        f"this workspace holds {legacy:,} {kind.table} without ids keyed the way earlier "
        "versions of advocacy did (ids starting with 'h'); rows without ids are now keyed by "
        "everything they hold, so if this file (or an overlapping one) was imported before, "
        "its rows without ids were added a second time: import your files into a fresh "
        "workspace (see docs/import.md, Keys)"
    ]


def _content_key_notes(
    db: Database, kind: Kind, validated: Validated, detected: list[dict[str, str]]
) -> list[str]:
    """Warn when an id column now keys posts this workspace holds keyed by their content.

    Earlier versions kept a post's id column in ``attrs`` and keyed each post by all it held;
    once the column is taken as the id, the same file imported again adds its posts a second
    time under their ids. A stored post is the same record only when it has the same text *and*
    the same id in its ``attrs``: different reviews often share a short text ("recomendo").
    """
    key = kind.key[0]
    column = next((d["column"] for d in detected if d["field"] == key), None)
    if column is None or "text" not in kind.field_names:
        return []
    rows = validated.rows.select(["text", key])
    db.load_temporary("stage_content_keys", rows, {"text": "VARCHAR", key: "VARCHAR"})
    try:
        found = db.fetchone(
            f'SELECT count(DISTINCT t."{key}") FROM {kind.table} AS t '
            'JOIN stage_content_keys AS s ON t."text" = s."text" '
            # ->> a key: both DuckDB and PostgreSQL read the attrs' member by its name.
            f'AND (t.attrs ->> CAST(? AS VARCHAR)) = s."{key}" '
            f'WHERE t."{key}" LIKE ? AND length(t."{key}") = ?',
            [column, f"{DERIVED_KEY_PREFIX}%", len(DERIVED_KEY_PREFIX) + 24],
        )
    finally:
        db.execute('DROP TABLE IF EXISTS "stage_content_keys"')
    twice = int(found[0]) if found else 0
    if not twice:
        return []
    return [
        f"{twice:,} of these {kind.table} have the text of {kind.table} this workspace already "
        f"holds keyed by their content, not by {column!r} (earlier versions of advocacy kept "
        f"{column!r} in attrs): if this file (or an overlapping one) was imported before, "
        "those rows are now stored twice; import your files into a fresh workspace (see "
        "docs/import.md, Keys)"
    ]


def _conflict_notes(adapted: Adapted, validated: Validated) -> list[str]:
    """Say which rows ``on_conflict: first|last`` set aside, since they are not quarantined."""
    if not validated.superseded:
        return []
    rows = validated.superseded
    listed = ", ".join(str(row) for row in rows[:10]) + (
        f" and {len(rows) - 10:,} more" if len(rows) > 10 else ""
    )
    kept = "first" if adapted.on_conflict == "first" else "last"
    return [
        f"{len(rows):,} row(s) share a key with a row of the file that has different values, "
        f"and on_conflict: {adapted.on_conflict} kept the {kept} of them instead: row(s) {listed}"
    ]


def _adapted(
    path: Path, kind_name: str, source: str, mapping: str | Path | None
) -> tuple[RawTable, Adapted, Fixes]:
    kind = kind_for(kind_name)
    raw, fixes = split_fixes(read_file(path))
    if mapping is not None:
        adapted = apply_mapping(raw, load_mapping(Path(mapping)), kind)
    else:
        adapted = adapt(raw, kind, source=source)
    repair_mojibake(adapted)
    # Errors then name the row a spreadsheet shows, counting the blank lines the reader skipped
    # and the records it could not split (quarantined whole, see broken_record_entries).
    adapted.blank_rows = raw.skipped_rows
    # Numbers in an .xlsx date field are Excel day numbers (date-formatted cells come as dates).
    adapted.excel_serials = raw.file_format == "xlsx"
    return raw, adapted, fixes


def read_as(path: str | Path, kind: str) -> tuple[RawTable, Adapted]:
    """``path`` read and mapped onto ``kind`` exactly as :func:`import_file` reads it.

    What teaching from a labelled file uses to find the records its rows were imported as: the
    same reader, adapter and repairs, so a row's id and text are those stored.

    Parameters
    ----------
    path
        CSV/TSV, XLSX, JSON, JSONL or Parquet file.
    kind
        Canonical kind (``mentions``, ``responses``, ``notes``, ...).

    Returns
    -------
    raw, adapted
        The file as read, and its rows mapped onto the kind (before validation).
    """
    raw, adapted, _ = _adapted(Path(path), kind, "auto", None)
    return raw, adapted


#: Column names an error lists before it says how many more there are.
LISTED_COLUMNS = 12


def _refuse_unfilled(adapted: Adapted, file: str) -> None:
    """Refuse a file in which no column or constant fills a required field.

    Every row would otherwise be quarantined for the same empty cell: the file is refused
    whole, naming the field, the columns it has and how to map one. The key of a kind whose
    records without an id get one derived from their content is left out, and so is a file
    without rows (a day with nothing new imports nothing).
    """
    kind = adapted.kind
    derived = set(kind.key) if kind.derived_key is not None else set()
    missing = [
        item.name
        for item in kind.fields
        if item.required
        and item.name not in adapted.fields
        and item.name not in adapted.constants
        and item.name not in derived
    ]
    if not missing or adapted.rows.num_rows == 0:
        return
    names = adapted.rows.column_names
    listed = ", ".join(repr(name[:60]) for name in names[:LISTED_COLUMNS])
    if len(names) > LISTED_COLUMNS:
        listed += f" and {len(names) - LISTED_COLUMNS} more"
    fields = ", ".join(repr(name) for name in missing)
    raise InputError(
        f"no column holds the required field{'s' if len(missing) > 1 else ''} {fields} of "
        f"{kind.name}; the file's columns are {listed or 'none'}",
        file=file,
        fix=(
            f"name the column that holds it {missing[0]!r}, or map it with --map: a YAML file "
            f"with 'columns:' and a line '{missing[0]}: <column name>' (docs/import.md)"
        ),
    )


P = ParamSpec("P")
R = TypeVar("R")


def _cyclic_gc_paused(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with Python's cyclic garbage collector paused.

    A file of bad rows makes hundreds of thousands of small tuples (quarantine entries), none
    in a reference cycle, and the collector's passes over them were half the cost of
    quarantining; reference counting frees them as before. The collector is process-wide, so
    pausing it during an import only postpones other threads' cycle collection.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_cyclic_gc_paused
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
    name: str | None = None,
    then: Callable[[ImportResult], None] | None = None,
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
    name
        What the result and the import ledger call the file (default: its path); the server
        passes the name of an uploaded file, which it keeps under a temporary path.
    then
        Called with the result inside the import's transaction once the rows are written:
        what must commit with them or not at all, such as an audit entry. On a dry run
        (``result.dry_run``) it is called too, and everything is then rolled back: it may say
        what the import would do (the cases it would open) but its writes never last.

    Returns
    -------
    ImportResult
        Rows read, loaded, updated, unchanged and quarantined, and what was detected.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError("file not found", file=str(path), fix="check the path")
    started = datetime.now(UTC)
    raw, adapted, fixes = _adapted(file, kind, source, mapping)
    _refuse_unfilled(adapted, name if name is not None else str(path))
    # Every address the file ties by, before retie hands some to customers on file: an
    # earlier import may have given them an email: customer of their own, merged on writing.
    addresses = sorted(set(adapted.contacts.values()))
    if adapted.contacts:
        retie(
            adapted,
            customers_by_email(db, addresses),
            customers_by_alias_key(db, addresses),
        )
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
    entries = sorted(
        [*_quarantine_entries(validated), *broken_record_entries(raw)],
        key=lambda entry: entry.row_number,
    )
    if strict and entries:
        first = entries[0]
        raise ValidationError(
            f"{first.reason}; {len({e.row_number for e in entries})} bad row(s), "
            "nothing imported (--strict)",
            file=name if name is not None else str(path),
            row=first.row_number,
            column=first.column,
            value=first.value,
            fix=f"{first.fix}; or import without --strict to quarantine the bad rows",
        )
    result = ImportResult(
        import_id=uuid.uuid4().hex[:16],
        file=name if name is not None else str(file),
        kind=adapted.kind.name,
        source_format=adapted.source_format,
        file_format=raw.file_format,
        encoding=raw.encoding,
        rows_read=total + len(raw.broken),
        rows_loaded=0,
        rows_updated=0,
        rows_unchanged=validated.duplicates,
        rows_quarantined=len({entry.row_number for entry in entries}),
        rows_superseded=len(validated.superseded),
        dry_run=dry_run,
        detected=[
            {"column": d.column, "field": d.field, "reason": d.reason} for d in adapted.detections
        ],
        notes=[
            *adapted.notes,
            *validated.notes,
            *_conflict_notes(adapted, validated),
            *nothing_to_analyse(adapted),
        ],
        quarantine=entries,
        preview=preview_rows(validated, adapted),
    )
    try:
        with db.transaction():
            _write(
                db,
                result,
                validated,
                started,
                file,
                progress,
                fixes,
                name=name,
                contacts=adapted.contacts,
                addresses=addresses,
                timezone=timezone,
            )
            if then is not None:
                then(result)
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
    fixes: Fixes,
    *,
    name: str | None,
    contacts: Mapping[str, str],
    addresses: list[str],
    timezone: str,
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
    if validated.derived_keys and counts.inserted:
        result.notes += _legacy_key_notes(db, kind)
    if counts.inserted:
        result.notes += _content_key_notes(db, kind, validated, result.detected)
    result.stubs_created = create_customer_stubs(db, kind, validated.rows, source=result.import_id)
    # After the stubs: a customer tied by e-mail exists now, and gets its address if it has none.
    fill_customer_emails(db, contacts, source=result.import_id)
    _merge_email_customers(db, result, validated, addresses, timezone=timezone)
    if validated.items is not None and validated.items.num_rows:
        child = CHILD_KINDS[kind.name]
        child_counts = upsert(db, child, validated.items, source=result.import_id)
        result.items_loaded = child_counts.inserted + child_counts.updated
    sha256 = file_sha256(file)
    record_import(
        db,
        {
            "import_id": result.import_id,
            "file": name if name is not None else str(file.resolve()),
            "sha256": sha256,
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
    result.notes += _settle_quarantine(db, result, validated, sha256, fixes)
    record_quarantine(db, result.import_id, result.quarantine)


def _merge_email_customers(
    db: Database,
    result: ImportResult,
    validated: Validated,
    addresses: list[str],
    *,
    timezone: str,
) -> None:
    """Merge the ``email:`` customers of ``addresses`` (or, for a customers file, of its
    e-mails) into the customer on file with the address, and count them in ``result``; the
    records moved get the hash an import of them now computes."""
    placeholder = db.fetchone(
        "SELECT 1 FROM customers WHERE customer_id LIKE ? AND is_stub LIMIT 1", [f"{ID_PREFIX}%"]
    )
    if placeholder is None:  # no survey was ever tied by e-mail: nothing to look up
        return
    if result.kind == "customers":
        emails = validated.rows.column("email").unique().to_pylist()
        addresses = sorted({a for a in map(normalised_address, emails) if a is not None})
    if addresses:
        known = customers_by_email(db, addresses)
        # A placeholder about to merge that holds answers from two mailboxes is split first.
        split = split_placeholders(db, merges_for(known), source=result.import_id)
        if split.moved:
            result.notes += split_notes(split)
            _rehash(db, set(split.customers), set(split.moved), timezone=timezone)
            known = customers_by_email(db, addresses)
        merges = merges_for(known)
        # Each placeholder's alias keeps the address it stood for, also one an earlier key
        # named differently (its id is not the one the address gives now).
        keys = {
            stub: address
            for address, ids in known.items()
            for stub in ids
            if stub.startswith(ID_PREFIX)
        }
        merged = merge_customers(db, merges, keys=keys, import_id=result.import_id)
        result.customers_merged = len(merged.merged)
        result.notes += merge_notes(merged, shared=shared_addresses(known))
        if merged.merged:
            _rehash(db, set(merged.merged.values()), set(merged.moved), timezone=timezone)


def _rehash(db: Database, customers: set[str], tables: set[str], *, timezone: str) -> None:
    """Give the records of ``customers`` in ``tables`` the hash an import computes for them.

    A merge changes their customer id outside an import; with the hash they had, the next
    import of the same records (the survey again, the workspace's own export) would count them
    as updated.
    """
    ids = sorted(customers)
    marks = ", ".join("?" * len(ids))
    for kind in KINDS.values():
        references = [item.name for item in kind.fields if item.reference == CUSTOMERS.name]
        if kind.table not in tables or not references:
            continue
        where = " OR ".join(f'"{name}" IN ({marks})' for name in references)
        # The JSON columns as their stored text (PostgreSQL's driver would give structs).
        columns = ", ".join(
            f'CAST("{name}" AS TEXT) AS "{name}"'
            if name in ("attrs", TIME_OFFSETS)
            else f'"{name}"'
            for name in [*kind.field_names, "attrs", TIME_OFFSETS]
        )
        rows = db.fetch_arrow(
            f"SELECT {columns} FROM {kind.table} WHERE {where}", ids * len(references)
        )
        if not rows.num_rows:
            continue
        stage = "stage_record_hashes"
        keys = {name: rows.column(name) for name in kind.key}
        db.load_temporary(
            stage,
            pa.table({**keys, "record_hash": record_hashes(rows, kind, timezone=timezone)}),
            {**dict.fromkeys(kind.key, "TEXT"), "record_hash": "TEXT"},
        )
        match = " AND ".join(f't."{name}" = s."{name}"' for name in kind.key)
        db.execute(
            f'UPDATE {kind.table} AS t SET record_hash = s.record_hash FROM "{stage}" AS s '
            f"WHERE {match}"
        )
        db.execute(f'DROP TABLE "{stage}"')


def _settle_quarantine(
    db: Database, result: ImportResult, validated: Validated, sha256: str, fixes: Fixes
) -> list[str]:
    """Resolve or replace earlier quarantine entries this import speaks for; say what it did."""
    kind = kind_for(result.kind)
    loaded = validated.rows.column(kind.key[0]) if len(kind.key) == 1 else None
    settled = settle_quarantine(
        db,
        import_id=result.import_id,
        kind=result.kind,
        sha256=sha256,
        at=datetime.now(UTC),
        bad_rows={entry.row_number for entry in result.quarantine},
        bad_keys={entry.key for entry in result.quarantine if entry.key is not None},
        bad_records={
            entry.record_json
            for entry in result.quarantine
            if entry.key is None and entry.record_json is not None
        },
        loaded_keys=loaded,
        fixes=fixes.origins,
    )
    notes = []
    if settled.resolved:
        notes.append(
            f"{settled.resolved:,} quarantined row(s) of earlier imports now loaded: marked "
            "resolved (advocacy quarantine list --all)"
        )
    if settled.replaced:
        notes.append(
            f"{settled.replaced:,} quarantined row(s) of earlier imports quarantined again: "
            "their entries replaced by this import's"
        )
    return notes
