"""Files people write by hand, read one way: the line of every key, a pydantic model, one error.

Rules, mappings, taxonomies, survey definitions, the shipped SERVQUAL and maturity templates and
``advocacy.toml`` are each described by a pydantic model (``extra="forbid"``, so a misspelt key
is caught). This module reads such a file (YAML, JSON, which is YAML, or TOML), remembers the
line each key is written on, validates the data with the model and turns the first problem into
the one error shape every format shares::

    rules.yaml: line 4: trigger: unknown trigger 'nps_below'; fix: use one of: nps_at_most, ...

``file`` is the file, ``row`` its line, ``column`` the field (its dotted path without list
positions; the message shows positions, counted from 1), with the bad value and the fix. A
validator gives its own message and fix by raising
:class:`pydantic_core.PydanticCustomError` with ``{"fix": ...}`` in its context (and
``{"at": key}`` to point below the field it validates, at one key of a mapping).

YAML aliases (``*name``) are refused (nested aliases expand exponentially, "billion laughs"), and
so are keys written twice (YAML would silently keep the last).
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from advocacy.errors import AdvocacyError, InputError

if TYPE_CHECKING:
    import yaml

__all__ = [
    "Document",
    "file_error",
    "parse_toml",
    "parse_yaml",
    "read_packaged",
    "read_text",
    "text_value",
    "validate",
]

Model = TypeVar("Model", bound=pydantic.BaseModel)
Error = TypeVar("Error", bound=AdvocacyError)

#: Longest bad value quoted back in an error.
SHOWN_VALUE = 80
#: What a file's author reads for each kind of pydantic error (``ctx`` fills the braces).
MESSAGES = {
    "missing": "is required",
    "dict_type": "must be a mapping of name: value (indented lines under the key)",
    "list_type": "must be a list (one '- ' line per entry, or [a, b])",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be one of {expected}",
    "model_type": "must be a mapping of key: value",
    "model_attributes_type": "must be a mapping of key: value",
}


@dataclass(frozen=True)
class Document:
    """Parsed data with the line of every key (``routes.0.owner``) it came from."""

    data: Any
    source: str
    lines: Mapping[str, int] = field(default_factory=dict)

    def line(self, key: str) -> int | None:
        """The line of ``key``, else of the nearest enclosing key or list entry."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return None


def text_value(value: Any) -> Any:
    """A name or id written in a file (a pydantic "before" validator): YAML may read ``2024`` as
    a number, so a number is taken as its text; an empty value is no value (None); a list, a
    mapping or a yes/no is refused with the fix."""
    from pydantic_core import PydanticCustomError

    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PydanticCustomError("text", "must be text", {"fix": "quote the value"})
    return str(value)


def file_error(
    error: type[Error],
    source: str,
    key: str,
    message: str,
    fix: str,
    value: Any = None,
    *,
    line: int | None = None,
    column: str | None = None,
    parameter: str | None = None,
) -> Error:
    """The one error shape of a hand-written file: ``line N: key: message`` with its fix."""
    where = f"line {line}: " if line is not None else ""
    label = f"{key}: " if key else ""
    shown = value if value is None or len(repr(value)) <= SHOWN_VALUE else None
    return error(
        f"{where}{label}{message}",
        file=source or None,
        row=line,
        column=(key or None) if column is None else (column or None),
        value=shown,
        parameter=parameter,
        fix=fix,
    )


def read_text(
    path: str | Path,
    *,
    what: str,
    error: type[AdvocacyError] = InputError,
    parameter: str | None = None,
    max_bytes: int | None = None,
) -> str:
    """The UTF-8 text of the ``what`` at ``path`` (``"rules file"``), or one clear error."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise error(
                f"the {what} has {size:,} bytes; {what}s are a few lines",
                file=name,
                parameter=parameter,
                fix=f"check that the path names the {what}, not a data file",
            )
        return Path(path).read_text(encoding="utf-8")
    except OSError as problem:
        raise error(
            f"cannot read the {what}: {problem.strerror}",
            file=name,
            parameter=parameter,
            fix="check the path",
        ) from None
    except UnicodeDecodeError:
        raise error(
            f"the {what} is not UTF-8 text",
            file=name,
            parameter=parameter,
            fix=f"save it as UTF-8, or check that the path names the {what}, not a data file",
        ) from None


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """A safe loader that refuses aliases before they expand (built on first use: a command
    that reads no YAML file does not import PyYAML, about 10 ms)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.events.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "uses a YAML alias (*name); write the values out",
                    event.start_mark,
                )
            return super().compose_node(parent, index)

    return Loader


def _key_lines(
    node: yaml.Node, source: str, error: type[AdvocacyError], parameter: str | None
) -> dict[str, int]:
    """Line of every key and list entry, refusing keys given twice."""
    lines: dict[str, int] = {}

    import yaml

    def walk(current: yaml.Node, prefix: str) -> None:
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                name = f"{prefix}{key_node.value}" if isinstance(key_node.value, str) else prefix
                if name in lines and name != prefix:
                    raise file_error(
                        error,
                        source,
                        name,
                        f"is given twice (first on line {lines[name]})",
                        "keep one: YAML would silently use only the last",
                        line=key_node.start_mark.line + 1,
                        parameter=parameter,
                    )
                lines[name] = key_node.start_mark.line + 1
                walk(value_node, name + ".")
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines[f"{prefix}{index}"] = item.start_mark.line + 1
                walk(item, f"{prefix}{index}.")

    walk(node, "")
    return lines


def parse_yaml(
    text: str,
    *,
    source: str,
    error: type[AdvocacyError] = InputError,
    parameter: str | None = None,
) -> Document:
    """YAML (or JSON) text as a :class:`Document`; bad syntax is an error naming its line."""
    import yaml

    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        lines = {} if node is None else _key_lines(node, source, error, parameter)
        data = None if node is None else loader.construct_document(node)
    except (yaml.YAMLError, ValueError) as problem:  # ValueError: a date like 2024-13-45
        mark = getattr(problem, "problem_mark", None)
        reason = " ".join(str(getattr(problem, "problem", None) or problem).split())
        raise file_error(
            error,
            source,
            "",
            f"not valid YAML: {reason}",
            "check the indentation and quoting around that line",
            line=mark.line + 1 if mark is not None else None,
            parameter=parameter,
        ) from None
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return Document(data, source, lines)


_TOML_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def parse_toml(
    text: str,
    *,
    source: str,
    error: type[AdvocacyError] = InputError,
    parameter: str | None = None,
) -> Document:
    """TOML text as a :class:`Document` (lines of ``[table]`` headers and their plain keys)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        found = re.search(r"line (\d+)", str(problem))
        raise file_error(
            error,
            source,
            "",
            f"not valid TOML: {problem}",
            "fix the TOML syntax",
            line=int(found.group(1)) if found else None,
            parameter=parameter,
        ) from None
    lines: dict[str, int] = {}
    table = ""
    for number, written in enumerate(text.splitlines(), start=1):
        header, key = _TOML_TABLE.match(written), _TOML_KEY.match(written)
        if header:
            table = header.group(1)
            lines.setdefault(table, number)
        elif key:
            lines.setdefault(f"{table}.{key.group(1)}" if table else key.group(1), number)
    return Document(data, source, lines)


def read_packaged(model: type[Model], package: str, resource: str) -> Model:
    """A YAML file shipped in ``package`` (``templates/servqual.yaml``), read once as ``model``."""
    loaded = _read_packaged(model, package, resource)
    assert isinstance(loaded, model)
    return loaded


@functools.cache
def _read_packaged(
    model: type[pydantic.BaseModel], package: str, resource: str
) -> pydantic.BaseModel:
    shipped = resources.files(package).joinpath(resource)
    return validate(model, parse_yaml(shipped.read_text(encoding="utf-8"), source=str(shipped)))


def _strip(annotation: Any) -> Any:
    """``annotation`` without ``Annotated[...]`` and ``... | None`` around it."""
    while True:
        origin = typing.get_origin(annotation)
        arguments = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = arguments[0]
            continue
        rest = [argument for argument in arguments if argument is not type(None)]
        if origin in (typing.Union, types.UnionType) and len(rest) == 1:
            annotation = rest[0]
            continue
        return annotation


def _element(annotation: Any) -> Any:
    """What a container annotation holds (``dict[str, X]`` and ``list[X]`` -> ``X``)."""
    stripped = _strip(annotation)
    arguments = typing.get_args(stripped)
    if typing.get_origin(stripped) in (dict, Mapping) and len(arguments) == 2:
        return arguments[1]
    if typing.get_origin(stripped) in (list, tuple) and arguments:
        return arguments[0]
    return None


def _model(annotation: Any) -> type[pydantic.BaseModel] | None:
    stripped = _strip(annotation)
    if isinstance(stripped, type) and issubclass(stripped, pydantic.BaseModel):
        return stripped
    return None


def _walk(
    model: type[pydantic.BaseModel], location: tuple[str | int, ...], data: Any
) -> tuple[list[str | int], type[pydantic.BaseModel], Any]:
    """The parts of ``location`` that name data or fields (pydantic's names of union members
    and validators dropped), the model holding the last field, and that field's info."""
    parts: list[str | int] = []
    holder: type[pydantic.BaseModel] = model
    info: Any = None
    current: Any = model
    for part in location:
        in_data = (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        )
        found = _model(current)
        is_field = isinstance(part, str) and found is not None and part in found.model_fields
        if not (in_data or is_field):
            continue
        parts.append(part)
        if found is not None:
            holder = found  # the model the key sits in (an unknown key's suggestions)
        if is_field and found is not None:
            info = found.model_fields[str(part)]
            current = info.annotation
        else:
            current = _element(current)
        data = data[part] if in_data else None
    return parts, holder, info


def _example(info: Any) -> str:
    """A field's first example on one line, for an error's fix."""
    examples = getattr(info, "examples", None) or []
    if not examples:
        return ""
    import yaml

    loaded = yaml.safe_load(examples[0])
    flow = yaml.safe_dump(loaded, default_flow_style=True, sort_keys=False, width=1_000).strip()
    # "{header_rows: 2}" reads better without the braces around the whole example.
    return flow[1:-1] if flow.startswith("{") and flow.endswith("}") else flow


def validate(
    model: type[Model],
    document: Document,
    *,
    at: tuple[str | int, ...] = (),
    error: type[AdvocacyError] = InputError,
    parameter: str | None = None,
) -> Model:
    """The data of ``document`` (below the path ``at``) as ``model``; else the first problem.

    Raises
    ------
    AdvocacyError
        Of class ``error``, naming the file, the line, the field, the bad value and the fix.
    """
    data = document.data
    for part in at:
        data = data[part]
    data = _printable_keys(data)
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as problem:
        raise _as_file_error(problem, model, data, document, at, error, parameter) from None


def _printable_keys(data: Any) -> Any:
    """``data`` with lone surrogates in keys (YAML decodes ``"\\ud921"`` to one) escaped.

    Such a key is no known key anyway; escaped, it is reported as unknown, by its name.
    """
    if isinstance(data, dict):
        return {
            key.encode("utf-8", "backslashreplace").decode("utf-8")
            if isinstance(key, str)
            else key: _printable_keys(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_printable_keys(item) for item in data]
    return data


def _as_file_error(
    problem: pydantic.ValidationError,
    model: type[pydantic.BaseModel],
    data: Any,
    document: Document,
    at: tuple[str | int, ...],
    error: type[AdvocacyError],
    parameter: str | None,
) -> AdvocacyError:
    # An unknown key first: a misspelt key also makes the key it meant look missing.
    first = min(problem.errors(), key=lambda found: found["type"] != "extra_forbidden")
    context = dict(first.get("ctx") or {})
    parts, holder, info = _walk(model, tuple(first["loc"]), data)
    value = first.get("input")
    if "at" in context:  # a validator pointing at one key of the mapping it checks
        below = str(context.pop("at"))
        value = value.get(below) if isinstance(value, dict) else None
        parts.append(below)
    value = value if isinstance(value, str | int | float | bool) else None
    key = ".".join(f"[{part + 1}]" if isinstance(part, int) else part for part in (*at, *parts))
    key = key.replace(".[", "[")
    column = ".".join(part for part in parts if isinstance(part, str))
    line = document.line(".".join(str(part) for part in (*at, *parts)))

    def shaped(message: str, fix: str, shown: Any = value) -> AdvocacyError:
        return file_error(
            error,
            document.source,
            key or "(top)",
            message,
            fix,
            shown,
            line=line,
            column=column,
            parameter=parameter,
        )

    if first["type"] == "extra_forbidden":
        known = list(holder.model_fields)
        close = difflib.get_close_matches(str(parts[-1]), known, n=1) if parts else []
        hint = f"did you mean {close[0]!r}? " if close else ""
        return shaped("unknown key", f"{hint}use one of: {', '.join(known)}", None)
    if first["type"] == "invalid_key":
        return shaped("keys must be names", "write the key as text")
    message = MESSAGES.get(first["type"], "") or str(first["msg"]).replace(
        "Input should be", "must be"
    )
    if first["type"] in MESSAGES:
        message = message.format(**{name: str(item) for name, item in context.items()})
    example = _example(info)
    fix = context.get("fix") or (f"write it like: {example}" if example else "see the docs")
    if first["type"] == "missing":
        value = None
        fix = context.get("fix") or (f"add {example}" if example else f"add {parts[-1]}:")
    return shaped(message, str(fix), value)
