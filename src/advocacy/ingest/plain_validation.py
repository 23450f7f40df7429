"""Validation of a few plain, valid records without SQL: the API's common write.

:func:`advocacy.ingest.validation.validate` types and checks rows with a dozen DuckDB
statements, whose planning and set-up cost 40 ms or so whatever the number of rows: most of
the CPU of an API write of one record. :func:`validate_plain` gives the same result for rows
it can read without doubt (ids and numbers written plainly, timestamps in ISO 8601 with their
offset, no key given twice, no unmapped column) and returns None for anything else, a bad
cell included, so that every error, and every row that needs the full reading, still goes
through :func:`~advocacy.ingest.validation.validate` and its messages. It only accepts; it
never refuses.

The result's types come from a result of the full validation of the same shape of write
(:class:`PlainValidator` keeps one per shape), so both give the same table, cell for cell;
``tests/ingest/test_plain_validation.py`` compares the two on hostile batches.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Hashable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pyarrow as pa

from advocacy.ingest.date_rules import DateRules
from advocacy.ingest.raw import Adapted
from advocacy.ingest.title_columns import text_from_titles
from advocacy.ingest.validation import (
    DEFAULT_SCALES,
    ROW,
    Validated,
    is_identifier,
    row_numbers,
)
from advocacy.model import TIME_OFFSETS, Field, FieldType, Kind

_INTEGER = re.compile(r"-?[0-9]{1,15}")
_FLOAT = re.compile(r"-?[0-9]{1,6}(?:\.[0-9]{1,6})?")
#: An ISO 8601 timestamp with its offset, as API clients write them.
_STAMP = re.compile(
    r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,6}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)
_DATE = re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})")
#: Ids the full validation reads otherwise (``1234.0``) or refuses (``1.2E+5``).
_ODD_ID = re.compile(r"[0-9]+\.0+|[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
_NOTHING = "\u2205"  # a NULL in the record hash
_MAX_OFFSET = 14 * 60


class _Unsure(Exception):
    """A cell the plain reading does not settle: the full validation reads the rows."""


def _read(kind: Kind, item: Field, cell: str | None) -> tuple[Any, int | None]:
    """The typed value of one cell and, for a timestamp, the offset written (minutes)."""
    if cell is None or cell == "":
        if item.required:
            raise _Unsure
        return None, None
    if item.type is FieldType.TEXT and not item.choices and not is_identifier(kind, item):
        # Kept as written; only whether it is blank matters, and no trimming removes a
        # letter, a digit or a visible ASCII character.
        if any(char.isalnum() or "!" <= char <= "~" for char in cell):
            return cell, None
        raise _Unsure
    if not cell.isascii() or cell.strip() != cell:
        raise _Unsure  # the full validation trims such cells
    if item.type is FieldType.TEXT:
        if item.choices:
            if not cell.isascii() or cell.lower() not in item.choices:
                raise _Unsure
            return cell.lower(), None
        if _ODD_ID.fullmatch(cell):
            raise _Unsure
        return cell, None
    if item.type is FieldType.INTEGER:
        if not _INTEGER.fullmatch(cell):
            raise _Unsure
        number: int | float = int(cell)
    elif item.type is FieldType.FLOAT:
        if not _FLOAT.fullmatch(cell):
            raise _Unsure
        number = float(cell)
    elif item.type is FieldType.TIMESTAMP:
        return _stamp(cell)
    elif item.type is FieldType.DATE:
        found = _DATE.fullmatch(cell)
        if not found:
            raise _Unsure
        try:
            return date(*(int(part) for part in found.groups())), None
        except ValueError:
            raise _Unsure from None
    else:
        raise _Unsure
    low, high = item.minimum, item.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Unsure
    return number, None


def _stamp(cell: str) -> tuple[datetime, int]:
    found = _STAMP.fullmatch(cell)
    if not found:
        raise _Unsure
    year, month, day, hour, minute, second, fraction, zulu, sign, hours, minutes = found.groups()
    offset = 0 if zulu else (int(hours) * 60 + int(minutes)) * (-1 if sign == "-" else 1)
    if abs(offset) > _MAX_OFFSET:
        raise _Unsure
    try:
        wall = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=timezone(timedelta(minutes=offset)),
        )
    except ValueError:
        raise _Unsure from None
    instant = wall.astimezone(UTC)
    if not datetime(1000, 1, 2, tzinfo=UTC) <= instant < datetime(9999, 12, 30, tzinfo=UTC):
        raise _Unsure
    return instant, offset


def _text(item: Field, value: Any) -> str:
    """The value as the record hash writes it (DuckDB's text of it, in a UTC session)."""
    if value is None:
        return _NOTHING
    if item.type is FieldType.TIMESTAMP:
        text = str(value.strftime("%Y-%m-%d %H:%M:%S"))
        if value.microsecond:
            text += "." + f"{value.microsecond:06d}".rstrip("0")
        return text + "+00"
    if item.type is FieldType.DATE:
        return str(value.isoformat())
    if item.type is FieldType.FLOAT:
        return repr(float(value))
    return str(value)


def _offset_entry(value: Any, minutes: int | None) -> str | None:
    if value is None or not minutes:
        return None
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _time_offsets(entries: list[tuple[str, str | None]]) -> str | None:
    members = [f'"{name}":"{text}"' for name, text in entries if text is not None]
    return "{" + ",".join(members) + "}" if members else None


def plain_shape(adapted: Adapted) -> bool:
    """Whether rows mapped so can be read plainly at all (before looking at their cells)."""
    kind = adapted.kind
    return (
        # A target's value is checked against its metric's range, and a share written as a
        # fraction is noted: the full validation does both (target files are small).
        kind.name != "targets"
        and not adapted.items
        and not adapted.constants
        and not adapted.attrs_columns
        and not adapted.blank_rows
        and not adapted.excel_serials
        and adapted.on_conflict == "quarantine"
        and adapted.dates == DateRules()
        and len(kind.key) == 1
        and kind.key[0] in adapted.fields
        and all(item.name in adapted.fields for item in kind.fields if item.required)
    )


def validate_plain(adapted: Adapted, schema: pa.Schema) -> Validated | None:
    """:func:`~advocacy.ingest.validation.validate` of plain, valid rows (in a UTC session).

    ``schema`` is that of a full validation's ``rows`` for the same mapping. Returns None
    when any row needs the full validation: a bad or unusual cell, a key missing or given
    twice. Item rows, notes and quarantine are empty, as they are for such rows.
    """
    if not plain_shape(adapted) or text_from_titles(adapted)[1]:
        return None  # a row with a title and no text reads its title: the full validation's
    kind = adapted.kind
    rows = adapted.rows
    cells = {name: rows.column(column).to_pylist() for name, column in adapted.fields.items()}
    count = rows.num_rows
    values: dict[str, list[Any]] = {}
    offsets: dict[str, list[int | None]] = {}
    try:
        for item in kind.fields:
            column = cells.get(item.name)
            if column is None:
                if item.required:
                    raise _Unsure
                values[item.name] = [None] * count
                continue
            read = [_read(kind, item, cell) for cell in column]
            values[item.name] = [value for value, _ in read]
            if item.type is FieldType.TIMESTAMP:
                offsets[item.name] = [minutes for _, minutes in read]
        for score, (low, high) in DEFAULT_SCALES.items():
            if score not in values:
                continue
            scores = values[score]
            lows, highs = values[score + "_scale_min"], values[score + "_scale_max"]
            for index, value in enumerate(scores):
                least = low if lows[index] is None else lows[index]
                most = high if highs[index] is None else highs[index]
                if value is not None and (value < least or value > most):
                    raise _Unsure
            values[score + "_scale_min"] = [
                None if value is None else (low if given is None else given)
                for value, given in zip(scores, lows, strict=True)
            ]
            values[score + "_scale_max"] = [
                None if value is None else (high if given is None else given)
                for value, given in zip(scores, highs, strict=True)
            ]
    except _Unsure:
        return None
    keys = values[kind.key[0]]
    if any(key is None for key in keys) or len(set(keys)) != count:
        return None  # derived keys, repeats and conflicts: the full validation decides
    stamps = list(offsets)  # timestamp fields the write has
    time_offsets = [
        _time_offsets(
            [(name, _offset_entry(values[name][index], offsets[name][index])) for name in stamps]
        )
        if stamps
        else None
        for index in range(count)
    ]
    hashes = []
    for index in range(count):
        parts = [
            _text(item, values[item.name][index]) for item in kind.fields if item.hashed_when_empty
        ]
        parts.append(_NOTHING)  # attrs
        written = time_offsets[index]
        if written is not None:
            parts.append(written)
        parts += [
            _text(item, values[item.name][index])
            for item in kind.fields
            if not item.hashed_when_empty and values[item.name][index] is not None
        ]
        hashes.append(hashlib.md5("\x1f".join(parts).encode("utf-8")).hexdigest())
    columns: dict[str, list[Any]] = {**values, "attrs": [None] * count}
    columns[TIME_OFFSETS] = time_offsets
    columns["record_hash"] = hashes
    columns[ROW] = [int(number) for number in row_numbers(adapted.first_data_row, count)]
    table = pa.table([pa.array(columns[field.name], field.type) for field in schema], schema=schema)
    return Validated(rows=table, items=None)


class PlainValidator:
    """Plain validation of a shape of write once the full validation has typed one.

    :meth:`validate` returns None until :meth:`learn` has seen a full validation's result for
    ``shape``; a server keeps one, so the first write of each shape pays for the full path.
    """

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self._schemas: dict[Hashable, pa.Schema] = {}
        self._lock = threading.Lock()

    def validate(self, shape: Hashable, adapted: Adapted, *, timezone: str) -> Validated | None:
        """The plain validation of ``adapted``, or None where the full one must run."""
        if timezone != "UTC":
            return None
        with self._lock:
            schema = self._schemas.get(shape)
        return None if schema is None else validate_plain(adapted, schema)

    def learn(self, shape: Hashable, validated: Validated) -> None:
        """Keep the types of a full validation's rows for ``shape``."""
        with self._lock:
            if len(self._schemas) >= self.limit:
                self._schemas.clear()
            self._schemas[shape] = validated.rows.schema


__all__ = ["PlainValidator", "plain_shape", "validate_plain"]
