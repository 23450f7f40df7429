"""The import command's preview: the first rows of a file as they would be stored.

The values come from the file, so they are printed as plain text: rich markup in a cell is not
rendered, control characters (terminal escapes, carriage returns, bidirectional overrides) are
shown escaped, and long texts are cut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rich.table import Table
from rich.text import Text

#: Characters of a cell shown before it is cut.
CELL_CHARACTERS = 60
#: C0 and C1 controls, and the invisible characters that reorder or hide text in a terminal.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def terminal_text(value: Any, *, limit: int = CELL_CHARACTERS) -> Text:
    """``value`` as one line of plain terminal text, escaped and cut to ``limit`` characters."""
    if value is None:
        return Text("")
    if isinstance(value, datetime | date):
        shown = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        shown = str(int(value))
    else:
        shown = str(value)
    # Cut before escaping so a giant cell is never escaped whole.
    cut = len(shown) > limit
    shown = shown[:limit]
    shown = _HIDDEN.sub(lambda found: _NAMED.get(found[0], f"\\u{ord(found[0]):04x}"), shown)
    if cut or len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return Text(shown, no_wrap=True, overflow="ellipsis")


def _labels(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Field names in the order they first appear, then attrs keys, then items."""
    fields: dict[str, None] = {}
    attrs: dict[str, None] = {}
    items: dict[str, None] = {}
    for row in rows:
        for name, value in row.items():
            if name == "attrs":
                attrs.update(dict.fromkeys(f"attrs.{key}" for key in value))
            elif name == "items":
                items.update(
                    dict.fromkeys(f"item:{item['item']} ({item['kind']})" for item in value)
                )
            elif name != "row":
                fields[name] = None
    return [*fields, *attrs, *items]


def _value(row: Mapping[str, Any], label: str) -> Any:
    if label.startswith("attrs."):
        return (row.get("attrs") or {}).get(label.removeprefix("attrs."))
    if label.startswith("item:"):
        for item in row.get("items") or []:
            if label == f"item:{item['item']} ({item['kind']})":
                return item["value"]
        return None
    return row.get(label)


def preview_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """A table of ``rows`` (from ``ImportResult.preview``): fields down, file rows across."""
    table = Table(
        title=f"First {len(rows)} row{'s' if len(rows) != 1 else ''} as they would be stored",
        header_style="bold",
    )
    table.add_column("field", no_wrap=True)
    for row in rows:
        table.add_column(f"row {row['row']}", overflow="ellipsis")
    for label in _labels(rows):
        table.add_row(
            terminal_text(label, limit=40), *(terminal_text(_value(row, label)) for row in rows)
        )
    return table
