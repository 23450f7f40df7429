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

import pydantic
import yaml

from advocacy.errors import MappingError
from advocacy.ingest.date_rules import check_date_fields
from advocacy.ingest.formats.generic import canonical_columns
from advocacy.ingest.headers import header_notes, set_header_rows
from advocacy.ingest.mapping_keys import DateSpec, ItemSpec, MappingFile
from advocacy.ingest.raw import Adapted, Detection, ItemColumn, RawTable
from advocacy.model import CHILD_KINDS, Kind, kind_for

#: What :func:`load_mapping` returns: the validated file, with its path and key lines.
MappingSpec = MappingFile
TOP_KEYS = tuple(MappingFile.model_fields)
ITEM_KEYS = tuple(ItemSpec.model_fields)
#: Mapping files are a few lines; a bigger one is not a mapping.
MAX_BYTES = 1_000_000
#: Longest bad value quoted back in an error.
SHOWN_VALUE = 80
#: What a mapping's author reads for each kind of pydantic error (``ctx`` fills the braces).
MESSAGES = {
    "dict_type": "must be a mapping of name: value (indented lines under the key)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be one of {expected}",
    "model_type": "must be a mapping of key: value",
}


def _error(
    path: str,
    key: str,
    message: str,
    fix: str,
    value: Any = None,
    *,
    line: int | None = None,
) -> MappingError:
    where = f"line {line}: " if line is not None else ""
    shown = value if value is None or len(repr(value)) <= SHOWN_VALUE else None
    return MappingError(
        f"{where}{key}: {message}", file=path, value=shown, parameter="--map", fix=fix
    )


def _key_lines(node: yaml.Node, path: str) -> dict[str, int]:
    """Line of every key (``columns.unit``), refusing keys given twice and YAML aliases.

    PyYAML keeps the last of two equal keys without a word, which would silently drop half of
    a mapping, and aliases can expand a small file into a huge one.
    """
    lines: dict[str, int] = {}
    seen: set[int] = set()

    def walk(current: yaml.Node, prefix: str) -> None:
        if id(current) in seen:
            raise _error(
                path,
                prefix or "(top)",
                "uses a YAML alias (*name)",
                "write the values out: mapping files take no anchors or aliases",
                line=current.start_mark.line + 1,
            )
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                name = f"{prefix}{key_node.value}" if isinstance(key_node.value, str) else prefix
                if name in lines:
                    raise _error(
                        path,
                        name,
                        f"is given twice (first on line {lines[name]})",
                        "keep one: YAML would silently use only the last",
                        line=key_node.start_mark.line + 1,
                    )
                lines[name] = key_node.start_mark.line + 1
                walk(value_node, name + ".")
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                walk(item, f"{prefix}{index}.")

    walk(node, "")
    return lines


def _example(field: Any) -> str:
    """A field's example on one line, for an error's fix."""
    examples = getattr(field, "examples", None) or []
    if not examples:
        return ""
    loaded = yaml.safe_load(examples[0])
    flow = yaml.safe_dump(loaded, default_flow_style=True, sort_keys=False, width=1_000).strip()
    # "{header_rows: 2}" reads better without the braces around the whole example.
    return flow[1:-1] if flow.startswith("{") and flow.endswith("}") else flow


def _validation_error(
    path: str, lines: dict[str, int], error: pydantic.ValidationError
) -> MappingError:
    """The first problem pydantic found, as one line with the key, the value and the fix."""
    problem = error.errors()[0]
    location = [str(part) for part in problem["loc"]]
    key = ".".join(location) or "(top)"
    line = next(
        (lines[".".join(location[:end])] for end in range(len(location), 0, -1)
         if ".".join(location[:end]) in lines),
        None,
    )  # fmt: skip
    value = problem.get("input")
    value = value if isinstance(value, str | int | float | bool) else None
    sections: dict[str, type[pydantic.BaseModel]] = {"items": ItemSpec, "dates": DateSpec}
    nested = len(location) > 2 and location[0] in sections
    model = sections[location[0]] if nested else MappingFile
    known = list(model.model_fields)
    if problem["type"] == "extra_forbidden":
        close = difflib.get_close_matches(location[-1], known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return _error(path, key, "unknown key", f"{hint}use one of: {', '.join(known)}", line=line)
    if problem["type"] == "invalid_key":
        return _error(path, key, "keys must be names", "write the key as text", value, line=line)
    context = problem.get("ctx") or {}
    message = MESSAGES.get(problem["type"], "") or str(problem["msg"]).replace(
        "Input should be", "must be"
    )
    message = message.format(**{name: str(item) for name, item in context.items()})
    field = model.model_fields.get(location[-1]) or MappingFile.model_fields.get(location[0])
    example = _example(field) if field is not None else ""
    fix = context.get("fix") or (f"write it like: {example}" if example else "see docs/import.md")
    return _error(path, key, message, str(fix), value, line=line)


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
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise MappingError(
                f"the mapping file has {size:,} bytes; mapping files are a few lines",
                file=name,
                parameter="--map",
                fix="check that --map names the mapping, not the data file",
            )
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise MappingError(
            f"cannot read the mapping file: {error.strerror}",
            file=name,
            parameter="--map",
            fix="check the path",
        ) from None
    except UnicodeDecodeError:
        raise MappingError(
            "the mapping file is not UTF-8 text",
            file=name,
            parameter="--map",
            fix="save it as UTF-8, or check that --map names the mapping, not the data file",
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        lines = {} if node is None else _key_lines(node, name)
        data = None if node is None else yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise MappingError(
            f"not valid YAML: {' '.join(str(error).split())}",
            file=name,
            parameter="--map",
            fix="check indentation and quoting",
        ) from None
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
    try:
        spec = MappingFile.model_validate(data)
    except pydantic.ValidationError as error:
        raise _validation_error(name, lines, error) from None
    spec._path = name
    spec._lines = lines
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
        return _error(spec.path, key, message, fix, value, line=spec.line(key))

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
    return Adapted(
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
