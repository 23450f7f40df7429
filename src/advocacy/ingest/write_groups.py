"""Many API writes validated and upserted together, each still answered on its own.

Validating a few records costs about the same as validating a few hundred (a dozen DuckDB
statements either way), so a server that receives many small writes at once
(:class:`advocacy.store.group_commit.GroupCommit`) validates them in one pass and upserts them
in one statement per table, in one transaction: :func:`write_group`. Every write keeps what it
would have had alone: its own import id and ledger entry, its own counts (from the upsert's
per-row outcomes), its own errors with row numbers counted in its own records, and a write
with a bad record is refused whole without touching the others.

Writes are only validated together when that cannot change any of their outcomes:

- they have the same columns, mapped the same way (the generic adapter looks at values too);
- their date fields hold only ISO 8601 values, so no write's dates decide how another's are
  read (:mod:`advocacy.ingest.date_columns` reads a column as a whole);
- no record is given by two of them, by key or by content (a key shared by two writes of a
  group is a repeat or a conflict within one batch, which validation treats differently from
  two writes one after the other).

The others, and any group whose validation finds a repeated key after all, are validated one
write at a time, in the same transaction. Rows plain enough (ids and numbers written plainly,
ISO 8601 timestamps with their offset, every key given once) are validated in Python
(:mod:`advocacy.ingest.plain_validation`), with the same result; all others, and every bad
cell, by :func:`~advocacy.ingest.validation.validate`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from advocacy.errors import ValidationError
from advocacy.ingest.formats import adapt
from advocacy.ingest.limits import InputLimits, check_records
from advocacy.ingest.plain_validation import PlainValidator
from advocacy.ingest.raw import Adapted, RawTable
from advocacy.ingest.validation import ROW, Validated, validate
from advocacy.model import CHILD_KINDS, FieldType, Kind, kind_for
from advocacy.store.connection import Database
from advocacy.store.ledger import record_imports
from advocacy.store.upsert import create_stubs, customer_references, upsert

#: Kinds the API accepts writes of.
WRITABLE_KINDS = ("responses", "mentions", "interactions", "notes", "referrals", "transactions")
#: Start of a validation reason for rows sharing a key with different values.
CONFLICT_REASON = "conflicting key"


@dataclass(frozen=True)
class WriteResult:
    """What one API write did: its import and how many records it inserted, updated, left."""

    import_id: str
    kind: str
    received: int
    inserted: int
    updated: int
    unchanged: int
    stubs_created: int

    def to_dict(self) -> dict[str, Any]:
        """The result as the API answers it."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class WriteRequest:
    """One write, checked and mapped, waiting to be validated and written.

    Made by :func:`prepare_write`; ``adapted`` maps its records onto ``kind``.
    """

    kind: Kind
    records: list[Mapping[str, Any]]
    adapted: Adapted
    actor: str
    received_at: datetime
    sha256: str


@dataclass(frozen=True)
class WriteOutcome:
    """A written request's result and the keys of the records it inserted or updated."""

    result: WriteResult
    written: tuple[str, ...] = field(default=())


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


def prepare_write(
    kind_name: str,
    records: Any,
    *,
    actor: str,
    limits: InputLimits,
    now: datetime | None = None,
) -> WriteRequest:
    """Check the shape and size of one write and map its records (no database needed).

    Raises
    ------
    ValidationError
        For a kind the API does not write, a body that is not a list of objects, an empty
        one, or one over ``limits`` (checked before anything else is).
    """
    kind = kind_for(kind_name)
    if kind.name not in WRITABLE_KINDS:
        raise ValidationError(
            f"records of kind {kind.name!r} cannot be written through the API",
            value=kind.name,
            fix="write one of: " + ", ".join(WRITABLE_KINDS),
        )
    if not isinstance(records, list) or not all(isinstance(item, Mapping) for item in records):
        raise ValidationError(
            "the body must be a JSON array of objects (or an object with a 'records' array)",
            table=kind.table,
            fix='send [{"field": "value", ...}, ...]',
        )
    if not records:
        raise ValidationError("no records in the body", table=kind.table, fix="send one or more")
    check_records(records, limits, table=kind.table)
    payload = json.dumps(records, sort_keys=True, default=str).encode("utf-8")
    return WriteRequest(
        kind,
        records,
        adapt(_raw_table(records), kind, source="generic"),
        actor,
        (now or datetime.now(UTC)).astimezone(UTC),
        hashlib.sha256(payload).hexdigest(),
    )


class BatchRejected(ValidationError):
    """A write with bad records; ``errors`` holds one error per bad cell."""

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


def _iso_dates_only(adapted: Adapted) -> bool:
    """Whether every value of the date fields is ISO 8601-like (or empty): no evidence for
    how a column's dates are written, so validating with others changes nothing."""
    for item in adapted.kind.fields:
        column = adapted.fields.get(item.name)
        if item.type not in (FieldType.TIMESTAMP, FieldType.DATE) or column is None:
            continue
        for value in adapted.rows.column(column).to_pylist():
            if value is None or value == "" or len(value) > 100:
                continue
            head = value[:4]
            if not (len(value) > 4 and value[4] == "-" and head.isascii() and head.isdigit()):
                return False
    return True


def _shape(request: WriteRequest) -> tuple[Any, ...]:
    adapted = request.adapted
    return (
        tuple(adapted.rows.column_names),
        tuple(sorted(adapted.fields.items())),
        tuple(sorted(adapted.constants.items())),
        repr(adapted.items),
        adapted.on_conflict,
        repr(adapted.dates),
    )


def _contents(request: WriteRequest) -> set[tuple[tuple[str, str], ...]]:
    """Each record's cells without any white space: equal for records that may be one."""
    return {
        tuple(
            sorted(
                (str(key), "".join(text.split()))
                for key, value in record.items()
                if (text := _cell(value)) is not None and text.strip()
            )
        )
        for record in request.records
    }


def _groups(requests: Sequence[WriteRequest]) -> list[list[int]]:
    """Indexes of the requests validated together, in order of their first request."""
    groups: dict[Any, list[int]] = {}
    for index, request in enumerate(requests):
        shape = _shape(request) if _iso_dates_only(request.adapted) else ("alone", index)
        groups.setdefault(shape, []).append(index)
    ordered: list[list[int]] = []
    for members in groups.values():
        seen: set[Any] = set()
        shared = False
        for index in members:
            contents = _contents(requests[index])
            shared = shared or not seen.isdisjoint(contents)
            seen |= contents
        ordered.extend([[index] for index in members] if shared else [members])
    return sorted(ordered, key=min)


@dataclass
class _Checked:
    """One validation pass over some requests: which rows are whose."""

    members: list[int]
    offsets: list[int]  # first row of each member
    validated: Validated


#: The types of each shape of write the full validation has seen, for writes whose rows
#: are plain enough to be validated without it (:mod:`advocacy.ingest.plain_validation`).
PLAIN = PlainValidator()


def _validate(requests: Sequence[WriteRequest], members: list[int], *, timezone: str) -> _Checked:
    adapted = requests[members[0]].adapted
    offsets = list(np.cumsum([0] + [requests[i].adapted.rows.num_rows for i in members])[:-1])
    if len(members) > 1:
        rows = pa.concat_tables([requests[i].adapted.rows for i in members])
        adapted = replace(adapted, rows=rows, first_data_row=0, notes=[])
    shape = (adapted.kind.name, timezone, _shape(requests[members[0]]))
    validated = PLAIN.validate(shape, adapted, timezone=timezone)
    if validated is None:
        child = CHILD_KINDS.get(adapted.kind.name) if adapted.items else None
        validated = validate(adapted, timezone=timezone, child=child)
        if not validated.bad_cells and not validated.duplicates and validated.items is None:
            PLAIN.learn(shape, validated)
    return _Checked(members, [int(offset) for offset in offsets], validated)


def _shares_keys(validated: Validated) -> bool:
    return validated.duplicates > 0 or any(
        cell.reason.startswith(CONFLICT_REASON) for cell in validated.bad_cells
    )


def _checked(requests: Sequence[WriteRequest], *, timezone: str) -> list[_Checked]:
    passes: list[_Checked] = []
    for members in _groups(requests):
        checked = _validate(requests, members, timezone=timezone)
        if len(members) > 1 and _shares_keys(checked.validated):
            passes.extend(_validate(requests, [index], timezone=timezone) for index in members)
        else:
            passes.append(checked)
    return passes


def _owners(checked: _Checked, rows: pa.Array | pa.ChunkedArray) -> np.ndarray[Any, Any]:
    """For each row number, the position in ``checked.members`` of the request it is from."""
    numbers = np.asarray(rows.to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.searchsorted(np.array(checked.offsets), numbers, side="right") - 1


def write_group(
    db: Database,
    requests: Sequence[WriteRequest],
    *,
    timezone: str,
    now: datetime | None = None,
) -> list[WriteOutcome | BatchRejected]:
    """Validate and upsert ``requests`` (of one kind) together, in one transaction.

    ``timezone`` is assumed for timestamps that carry none. Returns one outcome per request,
    in order: what it wrote, or the error refusing it (every bad cell, rows counted in its own
    records; nothing of it is written). A write refused does not change the others'.
    """
    kind = requests[0].kind
    if any(request.kind is not kind for request in requests):
        raise ValueError("a group of writes holds one kind of records")
    outcomes: list[WriteOutcome | BatchRejected | None] = [None] * len(requests)
    import_ids = ["api-" + uuid.uuid4().hex[:12] for _ in requests]
    counts = [[0, 0, 0] for _ in requests]  # inserted, updated, stubs
    written: list[list[str]] = [[] for _ in requests]
    passes = _checked(requests, timezone=timezone)
    with db.transaction():
        for checked in passes:
            rejected = _rejections(requests, checked, kind, outcomes)
            _write_pass(db, kind, checked, rejected, import_ids, counts, written)
        finished = (now or datetime.now(UTC)).astimezone(UTC)
        entries = []
        for index, request in enumerate(requests):
            if outcomes[index] is not None:
                continue
            inserted, updated, stubs = counts[index]
            received = len(request.records)
            result = WriteResult(
                import_ids[index],
                kind.name,
                received,
                inserted,
                updated,
                received - inserted - updated,
                stubs,
            )
            entries.append(_ledger_entry(request, result, finished))
            outcomes[index] = WriteOutcome(result, tuple(written[index]))
        record_imports(db, entries)  # one ledger entry per write, in one statement
    return [outcome for outcome in outcomes if outcome is not None]


def _rejections(
    requests: Sequence[WriteRequest],
    checked: _Checked,
    kind: Kind,
    outcomes: list[WriteOutcome | BatchRejected | None],
) -> set[int]:
    """Refuse the requests of ``checked`` with bad cells; return their positions in it."""
    bad: dict[int, list[ValidationError]] = {}
    cells = sorted(checked.validated.bad_cells, key=lambda cell: (cell.row, cell.column))
    if cells:
        owners = _owners(checked, pa.array([cell.row for cell in cells], pa.int64()))
        for cell, owner in zip(cells, owners, strict=True):
            bad.setdefault(int(owner), []).append(
                ValidationError(
                    cell.reason,
                    fix=cell.fix,
                    row=cell.row - checked.offsets[owner],
                    column=cell.column,
                    value=cell.value,
                    table=kind.table,
                )
            )
    for position, errors in bad.items():
        outcomes[checked.members[position]] = BatchRejected(errors)
    return set(bad)


def _write_pass(
    db: Database,
    kind: Kind,
    checked: _Checked,
    rejected: set[int],
    import_ids: list[str],
    counts: list[list[int]],
    written: list[list[str]],
) -> None:
    """Upsert the good rows of one validation pass, each with its own request's import."""
    validated = checked.validated
    rows = validated.rows
    owners = _owners(checked, rows.column(ROW))
    if rejected:
        keep = ~np.isin(owners, list(rejected))
        rows, owners = rows.filter(pa.array(keep)), owners[keep]
    if rows.num_rows == 0:
        return
    requests = [checked.members[int(owner)] for owner in owners]
    sources = [import_ids[index] for index in requests]
    done = upsert(db, kind, rows, source=sources, by_row=True)
    key = kind.key[0]
    for number, index, value in zip(
        rows.column(ROW).to_pylist(), requests, rows.column(key).to_pylist(), strict=True
    ):
        if number in done.inserted_rows:
            counts[index][0] += 1
            written[index].append(str(value))
        elif number in done.updated_rows:
            counts[index][1] += 1
            written[index].append(str(value))
    referring: dict[str, str] = {}  # each new customer id: the first request referring to it
    first: dict[str, int] = {}
    for index, ids in zip(requests, customer_references(kind, rows), strict=True):
        for customer in ids:
            if customer not in first or index < first[customer]:
                first[customer], referring[customer] = index, import_ids[index]
    for customer in create_stubs(db, referring):
        counts[first[customer]][2] += 1
    items = validated.items
    if items is not None and items.num_rows:
        item_owners = _owners(checked, items.column(ROW))
        if rejected:
            kept = ~np.isin(item_owners, list(rejected))
            items, item_owners = items.filter(pa.array(kept)), item_owners[kept]
        if items.num_rows:
            child_sources = [import_ids[checked.members[int(o)]] for o in item_owners]
            upsert(db, CHILD_KINDS[kind.name], items, source=child_sources)


def _ledger_entry(request: WriteRequest, result: WriteResult, finished: datetime) -> dict[str, Any]:
    return {
        "import_id": result.import_id,
        "file": f"api:{request.actor}",
        "sha256": request.sha256,
        "kind": result.kind,
        "file_format": "json",
        "source_format": "api",
        "encoding": "utf-8",
        "rows_read": result.received,
        "rows_loaded": result.inserted,
        "rows_updated": result.updated,
        "rows_unchanged": result.unchanged,
        "rows_quarantined": 0,
        "stubs_created": result.stubs_created,
        "detected": [],
        "started_at": request.received_at,
        "finished_at": finished,
    }


__all__ = [
    "WRITABLE_KINDS",
    "BatchRejected",
    "WriteOutcome",
    "WriteRequest",
    "WriteResult",
    "prepare_write",
    "write_group",
]
