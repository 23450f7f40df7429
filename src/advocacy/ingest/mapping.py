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
    header_rows: 1      # rows of header: 0 (none: column_1..column_N), 1 (default), 2, ...
    on_conflict: quarantine   # rows sharing an id but differing: quarantine, first or last
    day_first: true     # dates (also date_format, timezone), for every date field ...
    dates:              # ... or for one canonical field
      posted_at: {date_format: "%d.%m.%Y %H:%M", timezone: Europe/Berlin}

Its keys are the fields of :class:`advocacy.ingest.mapping_keys.MappingFile`. Columns already
named as canonical fields need no entry. A mapping is typed by hand, so every mistake is one
error naming the file, the line, the key, the bad value and the fix: an empty file, a file that
is not a mapping, an unknown key, a key given twice, a wrong type, a field the kind lacks, a
column the file lacks, a ``kind`` that contradicts ``--kind``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from advocacy.config_files import file_error, parse_yaml, read_text, validate
from advocacy.errors import MappingError
from advocacy.ingest.date_rules import check_date_fields
from advocacy.ingest.email_identity import identify_by_email
from advocacy.ingest.formats.generic import canonical_columns
from advocacy.ingest.headers import header_notes, set_header_rows
from advocacy.ingest.mapping_keys import ItemSpec, MappingFile
from advocacy.ingest.raw import Adapted, Detection, ItemColumn, RawTable
from advocacy.model import CHILD_KINDS, Kind, kind_for

#: What :func:`load_mapping` returns: the validated file, with its path and key lines.
MappingSpec = MappingFile
TOP_KEYS = tuple(MappingFile.model_fields)
ITEM_KEYS = tuple(ItemSpec.model_fields)
#: Mapping files are a few lines; a bigger one is not a mapping.
MAX_BYTES = 1_000_000


def load_mapping(path: str | Path) -> MappingSpec:
    """Read and validate a mapping YAML file.

    Parameters
    ----------
    path
        The mapping file.

    Returns
    -------
    MappingSpec
        The mapping (a :class:`~advocacy.ingest.mapping_keys.MappingFile`); field and column
        names are checked against a kind and a file by :func:`apply_mapping`.

    Raises
    ------
    MappingError
        When the file is missing, empty, not YAML, not a mapping, or has unknown or repeated
        keys or values of the wrong type, naming the line and key.
    """
    name = str(path)
    text = read_text(
        path, what="mapping file", error=MappingError, parameter="--map", max_bytes=MAX_BYTES
    )
    document = parse_yaml(text, source=name, error=MappingError, parameter="--map")
    data = document.data
    if data is None:
        raise MappingError(
            "the mapping file is empty (or only comments), so it maps nothing",
            file=name,
            parameter="--map",
            fix="write at least 'kind:' and 'columns:' (see docs/import.md), or import without "
            "--map",
        )
    if not isinstance(data, dict):
        raise MappingError(
            f"the mapping must be a YAML mapping of keys, not a {_yaml_type(data)}",
            file=name,
            parameter="--map",
            fix="start with 'kind:' and 'columns:' keys (see docs/import.md)",
        )
    spec = validate(MappingFile, document, error=MappingError, parameter="--map")
    spec._path = name
    spec._lines = dict(document.lines)
    return spec


def _yaml_type(data: Any) -> str:
    if isinstance(data, list):
        return "list"
    if isinstance(data, bool):
        return "true/false"
    if isinstance(data, int | float):
        return "number"
    return "text" if isinstance(data, str) else type(data).__name__


def _check(spec: MappingSpec, raw: RawTable, kind: Kind) -> None:
    """Check the mapping against the kind imported and the file's columns."""

    def fail(key: str, message: str, fix: str, value: Any = None) -> MappingError:
        return file_error(
            MappingError,
            spec.path,
            key,
            message,
            fix,
            value,
            line=spec.line(key),
            parameter="--map",
        )

    valid = ", ".join(kind.field_names)
    if spec.kind is not None and kind_for(spec.kind).name != kind.name:
        raise fail(
            "kind",
            f"the mapping is for {spec.kind}, the import for {kind.name}",
            f"use --kind {spec.kind}, or a mapping for {kind.name}",
            spec.kind,
        )
    for section, names in (("columns", spec.columns), ("constants", spec.constants)):
        for name in names:
            if name not in kind.field_names:
                close = difflib.get_close_matches(name, kind.field_names, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise fail(
                    f"{section}.{name}",
                    f"{kind.name} has no field {name!r}",
                    f"{hint}use one of: {valid}",
                    name,
                )
    columns = raw.rows.column_names
    for name, column in spec.columns.items():
        if column not in columns:
            raise fail(
                f"columns.{name}",
                f"the file has no column {column!r}",
                "use one of: " + ", ".join(columns),
                column,
            )
    if spec.customer_email is not None:
        if kind.name != "responses":
            raise fail(
                "customer_email",
                f"{kind.name} are not tied to customers by e-mail",
                "remove 'customer_email', or use it with --kind responses",
                spec.customer_email,
            )
        if spec.customer_email not in columns:
            raise fail(
                "customer_email",
                f"the file has no column {spec.customer_email!r}",
                "use one of: " + ", ".join(columns),
                spec.customer_email,
            )
    child = CHILD_KINDS.get(kind.name)
    if spec.items and child is None:
        raise fail(
            "items",
            f"{kind.name} has no item ratings",
            "remove 'items' or use --kind " + " or --kind ".join(CHILD_KINDS),
        )
    for column, item in spec.items.items():
        if column not in columns:
            raise fail(
                f"items.{column}",
                f"the file has no column {column!r}",
                "use one of: " + ", ".join(columns),
                column,
            )
        choices = child.field("kind").choices if child is not None else ()
        if item.kind not in choices:
            raise fail(
                f"items.{column}.kind",
                f"unknown item kind {item.kind!r}",
                "use one of: " + ", ".join(choices),
                item.kind,
            )
    # An item rating is keyed by its record, item and kind: two columns onto one item of one
    # kind would give each record two ratings under one key (doubled, or refused by the store).
    first_column: dict[tuple[str, str], str] = {}
    for column, item in spec.items.items():
        name = item.item or column
        earlier = first_column.setdefault((name, item.kind), column)
        if earlier != column:
            raise fail(
                f"items.{column}.item",
                f"columns {earlier!r} and {column!r} are both mapped to item {name!r} "
                f"of kind {item.kind!r}",
                "give each column its own item name, or a different kind "
                "(e.g. perception and expectation)",
                name,
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
        Naming the mapping file, the line, the key and the fix, for unknown fields, columns
        missing from the file or a kind that disagrees.
    """
    raw = set_header_rows(raw, spec.header_rows)
    rows = raw.rows
    notes = list(raw.notes)
    if spec.header_rows == 0:
        notes.append(f"header_rows: 0: columns are named column_1..column_{len(raw.header)}")
    else:
        notes += header_notes(raw.header_cells[0]) if raw.header_cells else []
    _check(spec, raw, kind)
    check_date_fields(spec.date_rules, kind)
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
    items = [
        ItemColumn(
            column=column,
            item=item.item or column,
            kind=item.kind,
            dimension=item.dimension,
            scale_min=item.scale_min,
            scale_max=item.scale_max,
        )
        for column, item in spec.items.items()
    ]
    detections += [
        Detection(item.column, f"item:{item.item}", f"mapped by {spec.path}") for item in items
    ]
    adapted = Adapted(
        kind=kind,
        source_format="mapping",
        rows=rows,
        first_data_row=raw.first_data_row,
        fields=fields,
        constants=dict(spec.constants),
        items=items,
        detections=detections,
        notes=notes,
        on_conflict=spec.on_conflict,
        dates=spec.date_rules,
    )
    if spec.customer_email is not None:
        identify_by_email(adapted, spec.customer_email, reason=f"mapped by {spec.path}")
    return adapted
