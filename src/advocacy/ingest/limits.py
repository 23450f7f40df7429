"""Bounded input: how large a request body, a batch of records, a text and a JSON document may be.

Everything a client sends is hostile until checked, and the checks run before the input reaches
a regular expression, a text model or the workspace lock, so one huge or deeply nested request
cannot stall the server for everyone else. The limits are settings (see :mod:`advocacy.settings`):

``max_body_bytes``
    The server stops reading a request body beyond this many bytes and answers 413.
``max_upload_bytes``
    The largest file the server's import takes (streamed to a temporary file, not kept in
    memory); every other request stays under ``max_body_bytes``.
``max_batch_records``
    Records one write (:func:`advocacy.ingest.records.write_records`) may carry.
``max_text_chars``
    Characters one text field may hold (JSON strings, object keys, form fields).
``max_json_depth``
    Nesting of arrays and objects in a JSON document (``[[1]]`` is 2 deep).

:func:`parse_json` reads a body under these limits (Python's own parser raises RecursionError a
thousand levels down, which used to surface as a 500); :func:`check_json` and
:func:`check_records` check documents and records already parsed. The walks are iterative, so
they cost time linear in the document and no stack. Errors are :class:`ValidationError`
naming where in the document the bad value sits (``[3].comment``) and a short preview of it,
never the whole value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advocacy.errors import UsageError, ValidationError
from advocacy.settings import Settings

#: Characters of a refused value repeated in an error message.
PREVIEW_CHARS = 40
#: Control characters, which no field name may hold (NUL ends a statement in DuckDB's parser).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class InputLimits:
    """The limits of one request: body bytes, records per batch, characters per text, depth,
    and the bytes of an uploaded file."""

    body_bytes: int = 1_000_000
    batch_records: int = 10_000
    text_chars: int = 20_000
    json_depth: int = 32
    upload_bytes: int = 200_000_000

    def __post_init__(self) -> None:
        for name in ("body_bytes", "batch_records", "text_chars", "json_depth", "upload_bytes"):
            if int(getattr(self, name)) < 1:
                raise UsageError(
                    f"the input limit {name} must be at least 1",
                    value=getattr(self, name),
                    parameter=name,
                    fix="set a positive number (see docs/settings.md)",
                )

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        """The limits ``settings`` give (``max_body_bytes``, ``max_batch_records``...)."""
        return cls(
            body_bytes=settings.max_body_bytes,
            batch_records=settings.max_batch_records,
            text_chars=settings.max_text_chars,
            json_depth=settings.max_json_depth,
            upload_bytes=settings.max_upload_bytes,
        )


def preview(text: str) -> str:
    """The start of ``text`` and its length, to quote in an error instead of the whole text."""
    if len(text) <= PREVIEW_CHARS:
        return text
    return f"{text[:PREVIEW_CHARS]}... ({len(text):,} characters)"


def _step(path: str, key: object) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else str(key)


def too_long(text: str, limits: InputLimits, *, where: str, **context: Any) -> ValidationError:
    """The error for a text over ``limits.text_chars`` found at ``where``."""
    return ValidationError(
        f"{where or 'the text'} is {len(text):,} characters long; at most "
        f"{limits.text_chars:,} are accepted",
        value=preview(text),
        fix="shorten the text (the limit is the max_text_chars setting)",
        **context,
    )


def _encodes(text: str) -> bool:
    """Whether ``text`` is valid Unicode: JSON's ``\\ud800`` escapes let half of a UTF-16
    surrogate pair through on its own, which is no character and has no UTF-8 form."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(text: str, limits: InputLimits, *, where: str, **context: Any) -> None:
    """Refuse ``text`` if it is longer than ``limits.text_chars`` or is not valid Unicode."""
    if len(text) > limits.text_chars:
        raise too_long(text, limits, where=where, **context)
    if not text.isascii() and not _encodes(text):
        raise ValidationError(
            f"{where or 'the text'} holds an unpaired UTF-16 surrogate, which is no character",
            value=preview(text.encode("utf-8", "backslashreplace").decode("utf-8")),
            fix="send valid Unicode text (escape characters beyond U+FFFF as surrogate pairs)",
            **context,
        )


def check_json(value: Any, limits: InputLimits, *, where: str = "") -> None:
    """Raise :class:`ValidationError` if ``value`` nests deeper or holds longer texts than allowed.

    ``where`` is the path of ``value`` in its document, used in the error (``parameter``).
    """
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            check_text(item, limits, where=path, parameter=path or None)
            continue
        if not isinstance(item, Mapping | list | tuple):
            continue
        if depth + 1 > limits.json_depth:
            raise ValidationError(
                f"the JSON nests deeper than {limits.json_depth} levels"
                + (f" at {path}" if path else ""),
                parameter=path or None,
                fix="send a flatter document (the limit is the max_json_depth setting)",
            )
        if isinstance(item, Mapping):
            for key, child in item.items():
                name = str(key)
                check_text(name, limits, where=f"a key in {path or 'the body'}")
                stack.append((child, _step(path, name), depth + 1))
        else:
            stack.extend((child, _step(path, index), depth + 1) for index, child in enumerate(item))


def parse_json(body: bytes | str, limits: InputLimits) -> Any:
    """``body`` parsed as JSON, refused with :class:`ValidationError` if it breaks a limit.

    The caller has already bounded the body's size (the server reads at most
    ``max_body_bytes``); this bounds the nesting and each text.
    """
    if isinstance(body, bytes) and len(body) > limits.body_bytes:
        raise ValidationError(
            f"the body is {len(body):,} bytes; at most {limits.body_bytes:,} are accepted",
            fix="send less at once (the limit is the max_body_bytes setting)",
        )
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        document = json.loads(text)
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"the body is not UTF-8 text: {error.reason} at byte {error.start}",
            fix="send JSON encoded as UTF-8",
        ) from None
    except RecursionError:
        raise ValidationError(
            f"the JSON nests deeper than {limits.json_depth} levels",
            fix="send a flatter document (the limit is the max_json_depth setting)",
        ) from None
    except ValueError as error:  # JSONDecodeError, and integers of over 4,300 digits
        raise ValidationError(
            f"the body is not JSON: {error}", fix="send a JSON document, UTF-8 encoded"
        ) from None
    check_json(document, limits)
    return document


def check_records(
    records: Sequence[Mapping[str, Any]], limits: InputLimits, *, table: str | None = None
) -> None:
    """Refuse a batch with more records than allowed, or with a field over the limits.

    Raises
    ------
    ValidationError
        For too many records, or for the first field (``row`` = index, ``column`` = field)
        whose text is too long or whose value nests too deep.
    """
    if len(records) > limits.batch_records:
        raise ValidationError(
            f"{len(records):,} records in one request; at most {limits.batch_records:,} are "
            "accepted",
            table=table,
            fix="split the batch (the limit is the max_batch_records setting), or import a file "
            "with advocacy import",
        )
    for row, record in enumerate(records):
        for key, value in record.items():
            column = str(key)
            check_text(column, limits, where="a field name", row=row, table=table)
            if not column.strip() or _CONTROL.search(column):
                raise ValidationError(
                    f"the field name {preview(column)!r} is blank or holds control characters",
                    row=row,
                    table=table,
                    value=preview(column),
                    fix="name every field with visible characters (unknown fields are kept in "
                    "attrs under their name)",
                )
            if isinstance(value, str):
                check_text(value, limits, where=column, row=row, column=column, table=table)
            elif isinstance(value, Mapping | list):
                check_json(value, limits, where=_step(f"[{row}]", column))
                stored = json.dumps(value, sort_keys=True)  # a nested value is kept as its JSON
                if len(stored) > limits.text_chars:
                    raise too_long(
                        stored, limits, where=column, row=row, column=column, table=table
                    )


__all__ = [
    "InputLimits",
    "check_json",
    "check_records",
    "check_text",
    "parse_json",
    "preview",
    "too_long",
]
