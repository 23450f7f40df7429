"""Mapping files: the user's statement of which source column fills which canonical field.

A mapping is YAML::

    kind: mentions
    columns:            # canonical field: source column
      mention_id: tweet_id
      text: text
    constants:          # canonical field: fixed value
      platform: twitter
    items:              # responses only: source column -> item spec
      Fit: {item: fit, kind: rating, scale_min: 1, scale_max: 5}
    header_rows: 1      # rows of header in the file (default 1)
    day_first: true     # dates: see advocacy.ingest.date_rules (also date_format, timezone)
    dates:              # per canonical date field
      posted_at: {date_format: "%d.%m.%Y %H:%M", timezone: Europe/Berlin}

Columns already named as canonical fields need no entry. Every mistake is reported with the
mapping file, the key and the valid names, because a mapping is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advocacy.errors import MappingError
from advocacy.ingest.date_rules import DATE_KEYS, DateRules, check_date_fields, date_rules
from advocacy.ingest.formats.generic import canonical_columns
from advocacy.ingest.raw import Adapted, Detection, ItemColumn, RawTable
from advocacy.model import CHILD_KINDS, Kind, kind_for

TOP_KEYS = ("kind", "columns", "constants", "items", "header_rows", *DATE_KEYS, "dates")
ITEM_KEYS = ("item", "kind", "dimension", "scale_min", "scale_max")


@dataclass
class MappingSpec:
    """A parsed mapping file."""

    path: str
    kind: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    items: dict[str, ItemColumn] = field(default_factory=dict)
    header_rows: int = 1
    dates: DateRules = field(default_factory=DateRules)


def _error(spec_path: str, key: str, message: str, fix: str, value: Any = None) -> MappingError:
    return MappingError(
        f"{key}: {message}", file=spec_path, value=value, parameter="--map", fix=fix
    )


def _mapping(path: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        raise _error(
            path,
            key,
            "must be a mapping of name: value",
            f"write '{key}:' then indented 'name: value' lines",
        )
    return {str(name): value for name, value in section.items()}


def _number(path: str, key: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _error(path, key, "must be a number", "write a number such as 1 or 5", value)
    return float(value)


def _item(path: str, column: str, spec: Any) -> ItemColumn:
    key = f"items.{column}"
    if not isinstance(spec, dict):
        raise _error(path, key, "must be a mapping", "write {item: name, kind: rating, ...}")
    unknown = sorted(set(map(str, spec)) - set(ITEM_KEYS))
    if unknown:
        raise _error(path, key, f"unknown keys {', '.join(unknown)}", "use " + ", ".join(ITEM_KEYS))
    return ItemColumn(
        column=column,
        item=str(spec.get("item") or column),
        kind=str(spec.get("kind") or "rating"),
        dimension=None if spec.get("dimension") is None else str(spec["dimension"]),
        scale_min=_number(path, f"{key}.scale_min", spec.get("scale_min")),
        scale_max=_number(path, f"{key}.scale_max", spec.get("scale_max")),
    )


def load_mapping(path: str | Path) -> MappingSpec:
    """Read and check the shape of a mapping YAML file.

    Parameters
    ----------
    path
        The mapping file.

    Returns
    -------
    MappingSpec
        The mapping; field names are checked against a kind by :func:`apply_mapping`.

    Raises
    ------
    MappingError
        When the file is missing, not YAML, or has unknown keys or wrong value types.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise MappingError(
            f"cannot read the mapping file: {error.strerror}",
            file=name,
            parameter="--map",
            fix="check the path",
        ) from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise MappingError(
            f"not valid YAML: {error}",
            file=name,
            parameter="--map",
            fix="check indentation and quoting",
        ) from None
    if not isinstance(data, dict):
        raise MappingError(
            "the mapping must be a YAML mapping",
            file=name,
            parameter="--map",
            fix="start with 'kind:' and 'columns:' keys",
        )
    unknown = sorted(set(map(str, data)) - set(TOP_KEYS))
    if unknown:
        raise _error(name, unknown[0], "unknown key", "use " + ", ".join(TOP_KEYS))
    header_rows = data.get("header_rows", 1)
    if isinstance(header_rows, bool) or not isinstance(header_rows, int) or header_rows < 1:
        raise _error(
            name,
            "header_rows",
            "must be a whole number of at least 1",
            "write e.g. header_rows: 2",
            header_rows,
        )
    columns = _mapping(name, data, "columns")
    return MappingSpec(
        path=name,
        kind=None if data.get("kind") is None else str(data["kind"]),
        columns={field_name: str(column) for field_name, column in columns.items()},
        constants={key: str(value) for key, value in _mapping(name, data, "constants").items()},
        items={
            column: _item(name, column, spec)
            for column, spec in _mapping(name, data, "items").items()
        },
        header_rows=header_rows,
        dates=date_rules(name, data),
    )


def _check(spec: MappingSpec, raw: RawTable, kind: Kind) -> None:
    valid = ", ".join(kind.field_names)
    if spec.kind is not None and kind_for(spec.kind).name != kind.name:
        raise _error(
            spec.path,
            "kind",
            f"the mapping is for {spec.kind}, the import for {kind.name}",
            f"use --kind {spec.kind} or another mapping",
            spec.kind,
        )
    for section, names in (("columns", spec.columns), ("constants", spec.constants)):
        for name in names:
            if name not in kind.field_names:
                raise _error(
                    spec.path,
                    f"{section}.{name}",
                    f"{kind.name} has no field {name!r}",
                    f"use one of: {valid}",
                    name,
                )
    for name, column in spec.columns.items():
        if column not in raw.rows.column_names:
            raise _error(
                spec.path,
                f"columns.{name}",
                f"the file has no column {column!r}",
                "use one of: " + ", ".join(raw.rows.column_names),
                column,
            )
    child = CHILD_KINDS.get(kind.name)
    if spec.items and child is None:
        raise _error(
            spec.path,
            "items",
            f"{kind.name} has no item ratings",
            "remove 'items' or use --kind " + " or --kind ".join(CHILD_KINDS),
        )
    for column, item in spec.items.items():
        if column not in raw.rows.column_names:
            raise _error(
                spec.path,
                f"items.{column}",
                f"the file has no column {column!r}",
                "use one of: " + ", ".join(raw.rows.column_names),
                column,
            )
        choices = child.field("kind").choices if child is not None else ()
        if item.kind not in choices:
            raise _error(
                spec.path,
                f"items.{column}.kind",
                f"unknown item kind {item.kind!r}",
                "use one of: " + ", ".join(choices),
                item.kind,
            )


def apply_mapping(raw: RawTable, spec: MappingSpec, kind: Kind) -> Adapted:
    """Map ``raw`` onto ``kind`` as ``spec`` says, plus columns named as canonical fields.

    Parameters
    ----------
    raw
        The file as read.
    spec
        The mapping, from :func:`load_mapping`.
    kind
        The kind imported (``--kind``); must agree with the mapping's ``kind``.

    Returns
    -------
    Adapted
        Source format ``mapping``.

    Raises
    ------
    MappingError
        Naming the mapping file, the key and the fix, for unknown fields, columns missing from
        the file or a kind that disagrees.
    """
    extra = spec.header_rows - 1
    rows = raw.rows.slice(extra)
    _check(spec, raw, kind)
    check_date_fields(spec.dates, kind)
    fields = dict(spec.columns)
    detections = [
        Detection(column, name, f"mapped by {spec.path}") for name, column in fields.items()
    ]
    unmapped = [
        column
        for column in rows.column_names
        if column not in fields.values() and column not in spec.items
    ]
    taken = {**fields, **dict.fromkeys(spec.constants, "")}
    for name, column in canonical_columns(unmapped, kind, taken).items():
        fields[name] = column
        detections.append(Detection(column, name, f"column {column!r} is named as the field"))
    detections += [
        Detection(item.column, f"item:{item.item}", f"mapped by {spec.path}")
        for item in spec.items.values()
    ]
    return Adapted(
        kind=kind,
        source_format="mapping",
        rows=rows,
        first_data_row=raw.first_data_row + extra,
        fields=fields,
        constants=dict(spec.constants),
        items=list(spec.items.values()),
        detections=detections,
        dates=spec.dates,
    )
