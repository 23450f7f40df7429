"""advocacy's own table exports (``advocacy export TABLE``), imported into another workspace.

An export holds a table's canonical columns, its ``attrs`` (the unmapped source columns, as a
JSON object per row), the bookkeeping columns ``source`` and ``record_hash``, and for tables of
free text the text analysis columns. Imported as a plain table, the last three kinds would land
in ``attrs`` and the JSON would be kept as one opaque text, so a workspace moved this way (say
from DuckDB to PostgreSQL) would not hold what the first one did. This adapter recognises the
layout and gives back the records as they first came in: ``attrs`` unpacked into the source
columns it was made of, derived columns left out (the import computes ``source`` and
``record_hash`` afresh, ``advocacy text analyze`` the text columns).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.formats.generic import canonical_columns
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

#: Columns every exported record table carries besides its canonical fields.
BOOKKEEPING_COLUMNS = ("attrs", "source", "record_hash")
#: Text analysis columns an export appends to tables of free text (see advocacy.text.export).
TEXT_ANALYSIS_COLUMNS = (
    "sentiment",
    "sentiment_score",
    "emotions",
    "effort",
    "themes",
    "analysed_language",
    "sentiment_reason",
    "complaint",
)
#: Columns derived by a workspace, never imported: it derives them again.
DERIVED_COLUMNS = frozenset({"source", "record_hash", "is_stub", *TEXT_ANALYSIS_COLUMNS})


def detect(raw: RawTable) -> bool:
    """Recognise an export by its bookkeeping columns ``attrs``, ``source`` and ``record_hash``."""
    return all(name in raw.header for name in BOOKKEEPING_COLUMNS)


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map an advocacy export back onto ``kind``: canonical columns by name, ``attrs`` unpacked.

    Parameters
    ----------
    raw
        The export as read.
    kind
        The kind imported (the export's table).

    Returns
    -------
    Adapted
        Source format ``advocacy-export``.
    """
    notes = []
    rows = raw.rows
    if "is_stub" in raw.header:
        # Customers known only by id, created from references: a later import of the records
        # that reference them creates them again; imported as customers they would not be stubs.
        stub = pa.array([value == "true" for value in rows.column("is_stub").to_pylist()])
        stubs = int(pc.sum(stub).as_py() or 0)
        if stubs:
            rows = rows.filter(pc.invert(stub))
            notes.append(
                f"{stubs:,} customer stub(s) (known only by id) not imported: importing the "
                "records that reference them creates them again"
            )
    kept = [name for name in rows.column_names if name not in DERIVED_COLUMNS and name != "attrs"]
    fields = canonical_columns(kept, kind, {})
    unpacked, unreadable = _unpack(rows.column("attrs").to_pylist(), taken=set(kept))
    if unreadable:
        notes.append(
            f"{unreadable:,} attrs cell(s) are not JSON objects: kept as they are, in attrs "
            "under 'attrs'"
        )
    table = rows.select(kept)
    for name, values in unpacked.items():
        table = table.append_column(name, pa.array(values, pa.string()))
    left_out = [name for name in rows.column_names if name in DERIVED_COLUMNS]
    if left_out:
        notes.append(
            "an advocacy export: attrs unpacked into the columns it was made of; derived "
            f"columns not imported ({', '.join(left_out)})"
        )
    return Adapted(
        kind=kind,
        source_format="advocacy-export",
        rows=table,
        first_data_row=raw.first_data_row,
        fields=fields,
        detections=[
            Detection(column, name, f"column {column!r} of an advocacy export")
            for name, column in fields.items()
        ],
        notes=notes,
        blank_rows=raw.blank_rows,
    )


def _unpack(cells: list[str | None], *, taken: set[str]) -> tuple[dict[str, list[Any]], int]:
    """``attrs`` cells as one column per key (keys in the order the rows give them).

    A key that names a column the export already has (``comment`` left unmapped beside a
    mapped comment) is numbered ``comment (2)``. A cell that is not a JSON object is kept whole
    under the key ``attrs``; the second value returned counts those cells.
    """
    parsed: list[dict[str, Any]] = []
    order: list[str] = []
    unreadable = 0
    for cell in cells:
        record = _object(cell)
        if record is None:
            unreadable += 1
            record = {"attrs": cell}
        parsed.append(record)
        _merge_order(order, list(record))
    names: dict[str, str] = {}
    for key in order:
        name, number = key, 1
        while name in taken or name in names.values():
            number += 1
            name = f"{key} ({number})"
        names[key] = name
    columns: dict[str, list[Any]] = {names[key]: [] for key in order}
    for record in parsed:
        for key in order:
            columns[names[key]].append(_text(record.get(key)))
    return columns, unreadable


def _object(cell: str | None) -> dict[str, Any] | None:
    if cell is None:
        return {}
    try:
        value = json.loads(cell)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _merge_order(order: list[str], keys: list[str]) -> None:
    """Insert ``keys`` missing from ``order`` after the key that precedes them in ``keys``."""
    position = -1
    for key in keys:
        if key in order:
            position = order.index(key)
        else:
            position += 1
            order.insert(position, key)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
