"""Give timestamps back as the source wrote them: in their own UTC offset, or zone-less.

DuckDB and PostgreSQL store a ``TIMESTAMPTZ`` as an instant, so the offset a file wrote
(``2015-02-24 11:35:52 -0800``) is gone from the column. The importer keeps it in each record's
``time_offsets`` JSON (see :data:`advocacy.model.TIME_OFFSETS`): per timestamp field, the offset
the source wrote (``"-08:00"``), or the IANA zone a value without an offset was read in
(``"UTC"``, ``"Europe/Berlin"``); a timestamp without entry was written in UTC (``+00:00``,
``Z``). :func:`with_original_offsets` turns a table read from the workspace back into that text:
a value written with an offset in that offset, and a value read in a zone in the offset the zone
had at that instant (``2017-11-01 00:00:00-02:00`` in Sao Paulo's summer time), never as a bare
wall clock, which a workspace of another zone (``ADVOCACY_TIMEZONE``) would read as its own
time. So an export re-imported into any workspace stores the same instants and writes the same
text; the record then keeps the offset the file wrote in place of the zone's name (Parquet keeps
the ``time_offsets`` column as it is). Records stored before offsets were kept have no entries
either and come out in UTC, which is the instant they hold.

A Parquet file's ``time_offsets`` is the user's data, not ours: :func:`unreadable_offsets`
checks every entry in Python first (JSON of an object, each timestamp's entry a ``+hh:mm``
offset within +-14:00 or a time zone name the database knows, as a mapping's ``timezone``), so
the reader quarantines a row whose entry is not one, and no entry reaches the SQL unchecked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from advocacy.model import TIME_OFFSETS

_SECONDS = "%Y-%m-%d %H:%M:%S"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _offsets_as_text(column: pa.ChunkedArray) -> pa.Array:
    """The ``time_offsets`` column as JSON text (PostgreSQL drivers may hand back dicts)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.combine_chunks().cast(pa.string())
    values = [
        None if value is None else value if isinstance(value, str) else json.dumps(value)
        for value in column.to_pylist()
    ]
    return pa.array(values, pa.string())


def _clock(expression: str) -> str:
    """SQL text of a naive timestamp, with microseconds only when it has any."""
    return (
        f"CASE WHEN epoch_us({expression}) % 1000000 <> 0 "
        f"THEN strftime({expression}, '{_SECONDS}.%f') "
        f"ELSE strftime({expression}, '{_SECONDS}') END"
    )


#: The largest UTC offset the importer reads back (Kiribati, +14:00), in seconds.
_MAX_OFFSET_SECONDS = 14 * 3600


def _zone_offset(local: str, utc: str) -> str:
    """SQL: ``+hh:mm`` of the offset a zone had at an instant (its wall clock ``local`` less the
    UTC one), or NULL for one no importer reads back (a local mean time with seconds, before
    1900 in most zones, or past +-14:00)."""
    seconds = f"(epoch_us({local}) - epoch_us({utc})) // 1000000"
    return (
        f"CASE WHEN {seconds} % 60 = 0 AND abs({seconds}) <= {_MAX_OFFSET_SECONDS} "
        f"THEN printf('%s%02d:%02d', CASE WHEN {seconds} < 0 THEN '-' ELSE '+' END, "
        f"abs({seconds}) // 3600, abs({seconds}) % 3600 // 60) END"
    )


#: An offset entry as the importer writes it: sign, two digits of hours, two of minutes.
_OFFSET_ENTRY = re.compile(r"[+-]([0-9]{2}):([0-9]{2})")
#: Characters of a bad entry shown in a quarantine reason.
_SHOWN = 60


@cache
def _zone_names() -> frozenset[str]:
    """The time zone names DuckDB knows (those a mapping's ``timezone`` may name)."""
    with duckdb.connect() as con:
        names = con.execute("SELECT name FROM pg_timezone_names()").fetchall()
    return frozenset(str(row[0]) for row in names)


def entry_problem(entry: object) -> str | None:
    """Why a ``time_offsets`` entry cannot be read back, or None when it can.

    >>> entry_problem("-03:00") is None and entry_problem("America/Sao_Paulo") is None
    True
    >>> entry_problem("+05:30:15")
    'neither a UTC offset written +hh:mm nor a known time zone name'
    >>> entry_problem("+14:30")
    'an offset beyond -14:00 to +14:00'
    """
    if not isinstance(entry, str):
        return "not text"
    offset = _OFFSET_ENTRY.fullmatch(entry)
    if offset is not None:
        hours, minutes = int(offset.group(1)), int(offset.group(2))
        if minutes < 60 and hours * 3600 + minutes * 60 <= _MAX_OFFSET_SECONDS:
            return None
        return "an offset beyond -14:00 to +14:00"
    if entry in _zone_names():
        return None
    return "neither a UTC offset written +hh:mm nor a known time zone name"


@dataclass(frozen=True)
class UnreadableOffset:
    """A row whose ``time_offsets`` cannot be read back.

    Attributes
    ----------
    row
        The row's index in the table (0-based).
    reason
        What is wrong, with the entry (cut to a few dozen characters) and the fix.
    """

    row: int
    reason: str


def _shown(value: str) -> str:
    cut = value if len(value) <= _SHOWN else f"{value[:_SHOWN]}... ({len(value):,} characters)"
    return repr(cut)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key is repeated")
    return dict(pairs)


_FIX = (
    "write each entry as a UTC offset such as -03:00 (within -14:00 to +14:00) or a time zone "
    "name such as America/Sao_Paulo, or remove it to read the value in UTC"
)


def unreadable_offsets(table: pa.Table) -> list[UnreadableOffset]:
    """The rows of ``table`` whose ``time_offsets`` cell cannot be read back.

    Parameters
    ----------
    table
        A table as read from a file (a Parquet export of a workspace).

    Returns
    -------
    list of UnreadableOffset
        One per row whose cell is not JSON of an object (with each key once), or whose entry
        for one of its time-zone-aware timestamps (with a value) fails :func:`entry_problem`;
        empty without a ``time_offsets`` column or such timestamps.
    """
    if TIME_OFFSETS not in table.column_names:
        return []
    stamps = {
        name: table.column(name)
        for name, kind in zip(table.column_names, table.schema.types, strict=True)
        if pa.types.is_timestamp(kind) and kind.tz is not None
    }
    if not stamps:
        return []
    # An export repeats a few cells (one per zone or offset) over many rows: each distinct cell
    # is parsed once, and only rows holding a cell with a problem are visited.
    cells = _offsets_as_text(table.column(TIME_OFFSETS)).dictionary_encode()
    problems = [_cell_problems(cell, list(stamps)) for cell in cells.dictionary.to_pylist()]
    bad = [index for index, found in enumerate(problems) if found]
    if not bad:
        return []
    indices = cells.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(np.isin(indices, bad))
    valued = {
        name: column.is_valid().to_numpy(zero_copy_only=False) for name, column in stamps.items()
    }
    found: list[UnreadableOffset] = []
    for row in rows.tolist():
        for name, reason in problems[int(indices[row])]:
            if name is None or valued[name][row]:
                found.append(UnreadableOffset(row, reason))
                break
    return found


def _cell_problems(cell: str, names: list[str]) -> list[tuple[str | None, str]]:
    """What is wrong with one ``time_offsets`` cell: ``(None, reason)`` when it is no JSON
    object, else ``(field, reason)`` per field of ``names`` (in order) whose entry is bad."""
    if not cell.strip():
        return []
    try:
        entries = json.loads(cell, object_pairs_hook=_unique_keys)
    except ValueError:
        entries = None
    if not isinstance(entries, dict):
        return [
            (
                None,
                f"{TIME_OFFSETS} is not a JSON object of offsets by field: {_shown(cell)}; "
                f"fix: {_FIX}",
            )
        ]
    found: list[tuple[str | None, str]] = []
    for name in names:
        entry = entries.get(name)
        if entry is None:
            continue
        problem = entry_problem(entry)
        if problem is not None:
            shown = _shown(entry) if isinstance(entry, str) else _shown(json.dumps(entry))
            found.append(
                (name, f"{TIME_OFFSETS} entry of {name} is {problem}: {shown}; fix: {_FIX}")
            )
    return found


def _rendered(name: str) -> str:
    """SQL: the text of timestamp column ``name`` in the offset or zone its entry names.

    A value read in a zone is written with the offset that zone had at that instant
    (``2017-11-01 00:00:00-02:00`` in Sao Paulo's summer time, ``-03:00`` in its winter), so
    the text names one instant wherever it is imported, across a daylight-saving change too.
    """
    column = _quote(name)
    entry = f"json_extract_string(__offsets, {_literal('$.' + json.dumps(name))})"
    sign = f"CASE WHEN left({entry}, 1) = '-' THEN -1 ELSE 1 END"
    minutes = (
        f"{sign} * (TRY_CAST(substr({entry}, 2, 2) AS INTEGER) * 60 "
        f"+ TRY_CAST(substr({entry}, 5, 2) AS INTEGER))"
    )
    utc = f"timezone('UTC', {column})"
    local = f"timezone({entry}, {column})"
    return (
        f"CASE WHEN {column} IS NULL THEN NULL "
        f"WHEN regexp_matches({entry}, '^[+-]\\d\\d:\\d\\d$') "
        f"THEN {_clock(f'{utc} + to_minutes({minutes})')} || {entry} "
        f"WHEN {entry} IS NOT NULL THEN "
        f"coalesce({_clock(local)} || {_zone_offset(local, utc)}, {_clock(utc)} || '+00:00') "
        f"ELSE {_clock(utc)} || '+00:00' END AS {column}"
    )


def with_original_offsets(table: pa.Table) -> pa.Table:
    """``table`` with its timestamps written as text in the offsets their source gave.

    Parameters
    ----------
    table
        Rows of a record table as read from the workspace, with its ``time_offsets`` column
        (tables without one are returned unchanged); a table read from a file holds no row
        :func:`unreadable_offsets` finds.

    Returns
    -------
    pyarrow.Table
        The same columns in the same order, each time-zone-aware timestamp column now text:
        ``2015-02-24 11:35:52-08:00`` for a value written with an offset, ``2024-07-01
        12:00:00+02:00`` (the wall clock of the zone it was read in, here Europe/Berlin, with
        the offset that zone had then) for one written without, or in UTC (``+00:00``) when
        that offset is not whole minutes (a local mean time of before 1900); the
        ``time_offsets`` column itself is left out, its content being in the text.
    """
    if TIME_OFFSETS not in table.column_names:
        return table
    stamps = [
        name
        for name, kind in zip(table.column_names, table.schema.types, strict=True)
        if pa.types.is_timestamp(kind) and kind.tz is not None
    ]
    rest = table.drop_columns([TIME_OFFSETS])
    if not stamps or table.num_rows == 0:
        if not stamps:
            return rest
        for name in stamps:
            index = rest.schema.get_field_index(name)
            rest = rest.set_column(index, name, pa.array([], pa.string()))
        return rest
    offsets = _offsets_as_text(table.column(TIME_OFFSETS))
    source = pa.table({name: table.column(name) for name in stamps}).append_column(
        "__offsets", offsets
    )
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.register("__stamps", source)
        rendered = con.execute(
            f"SELECT {', '.join(_rendered(name) for name in stamps)} FROM __stamps"
        ).to_arrow_table()
    for name in stamps:
        index = rest.schema.get_field_index(name)
        rest = rest.set_column(index, name, rendered.column(name).cast(pa.string()))
    return rest


__all__ = ["UnreadableOffset", "entry_problem", "unreadable_offsets", "with_original_offsets"]
