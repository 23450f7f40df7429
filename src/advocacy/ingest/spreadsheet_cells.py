"""Spreadsheet cells that would run as formulas: neutralised on the way out, restored on the way in.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (OWASP, "CSV Injection"): a customer comment
``=HYPERLINK("http://evil","click")`` becomes a live link in the analyst's spreadsheet. Exports
to CSV and XLSX therefore prefix such a cell with one ``'`` (which spreadsheets read as "this is
text" and do not show), and the CSV and XLSX readers take exactly that ``'`` off again, so
``import`` -> ``export`` -> ``import`` gives back the text that came in.

An XLSX cell is typed: one written as a text cell is shown as text and never runs, whatever it
starts with, so XLSX exports write would-be formulas as they are (a ``'`` there would be shown,
a stray character with nothing gained) and mark them with the cell style Excel gives a typed
``'=...`` (``quotePrefix``), so editing the cell keeps it text. Only a text that already begins
with apostrophes before a trigger gains one ``'`` there too (:func:`protect_apostrophes`), so the
reader, which takes one off such texts (exports of earlier versions prefixed every would-be
formula), gives back every text unchanged. A spreadsheet shows that one ``'`` (a stored
``'@twice`` is shown as ``''@twice``): the reader cannot tell this version's exports from
earlier ones without each cell's style (``readers._read_xlsx`` reads values only), and without
the ``'`` an import would turn ``'@twice`` into ``@twice``. Only a text that begins with
apostrophes *and then* ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is shown so.

To make the two directions exact inverses, a text that already begins with apostrophes followed
by a trigger character (``'=1``) also gains one more ``'`` on the way out; on the way in, one
``'`` is removed from every text of the form ``'`` + apostrophes + trigger. Any other text,
including one that begins with ``'`` and then a letter, is left alone both ways.

XLSX adds one more pair of directions. XML cannot carry most control characters, and XML
parsers turn a carriage return into a line feed, so a text cell holding them is written with
the escape Office Open XML defines for them (ECMA-376 ``ST_Xstring``: ``_x000D_`` for a carriage
return, ``_x005F_`` for an underscore that would otherwise start such an escape), which Excel
shows as the characters; reading an XLSX file decodes them again (openpyxl leaves them as
written, so Excel's own files read with ``_x000D_`` in their line breaks without this).

Both directions are vectorised over Arrow arrays, so a million-row export or import pays a scan
per text column, not a Python call per cell.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.raw import RawTable

#: First characters that make a spreadsheet evaluate a cell (OWASP CSV-injection guidance).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: What an XLSX export writes at the end of a text cut to fit an Excel cell; an import refuses
#: a cell that ends in it (the rest of the text is not in the file).
XLSX_CUT_NOTE = " [cut to fit an Excel cell; export as CSV, JSON or Parquet for the whole text]"
PREFIX = "'"
#: File formats whose cells a spreadsheet evaluates: exported neutralised, read back restored.
SPREADSHEET_FORMATS = frozenset({"csv", "tsv", "xlsx"})
_CLASS = "[=+\\-@\\t\\r]"
#: A text a spreadsheet would run (possibly behind apostrophes already there): gets one ``'``.
_NEEDS_PREFIX = "^'*" + _CLASS
#: A text we neutralised: one ``'`` comes off.
_NEUTRALIZED = "^'+" + _CLASS
_NEEDS_PREFIX_RE = re.compile(_NEEDS_PREFIX)
_NEUTRALIZED_RE = re.compile(_NEUTRALIZED)
#: What XLSX text must escape: control characters XML cannot keep as they are (tab and line
#: feed it can), and text that already looks like an escape.
_XLSX_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_XLSX_ESCAPE = "_x[0-9A-Fa-f]{4}_"
_XLSX_ESCAPE_RE = re.compile("_x([0-9A-Fa-f]{4})_")


def neutralize(text: str) -> str:
    """``text`` as a spreadsheet cell that cannot run: ``'`` in front of a would-be formula.

    >>> print(neutralize('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    >>> neutralize("fine as it is")
    'fine as it is'
    """
    return PREFIX + text if _NEEDS_PREFIX_RE.match(text) else text


def protect_apostrophes(text: str) -> str:
    """``text`` as an XLSX text cell holds it: one more ``'`` only before apostrophes and a
    trigger, which :func:`restore` takes off again (a text cell never runs as a formula).

    >>> protect_apostrophes('=HYPERLINK("http://x","y")'), protect_apostrophes("'=1")
    ('=HYPERLINK("http://x","y")', "''=1")
    """
    return PREFIX + text if _NEUTRALIZED_RE.match(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralize`: ``restore(neutralize(t)) == t`` for every text ``t``.

    >>> restore("'=1+1")
    '=1+1'
    >>> restore("'quoted")
    "'quoted"
    """
    return text[1:] if _NEUTRALIZED_RE.match(text) else text


def escape_xlsx_text(text: str) -> str:
    """``text`` as an XLSX cell keeps it: control characters as ``_xHHHH_`` (ECMA-376).

    >>> escape_xlsx_text(chr(13) + "=1 and _x0041_")
    '_x000D_=1 and _x005F_x0041_'
    """
    return _XLSX_UNSAFE.sub(lambda found: f"_x{ord(found.group()):04X}_", text)


def unescape_xlsx_text(text: str) -> str:
    """Undo :func:`escape_xlsx_text` (and decode the escapes Excel itself writes)."""
    return _XLSX_ESCAPE_RE.sub(lambda found: chr(int(found.group(1), 16)), text)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def neutralize_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`neutralize` applied to every text of an Arrow string array (nulls stay null)."""
    risky = pc.match_substring_regex(values, _NEEDS_PREFIX)
    if not pc.any(risky).as_py():
        return values
    kind = values.type
    prefixed = pc.binary_join_element_wise(pa.scalar(PREFIX, kind), values, pa.scalar("", kind))
    return pc.if_else(risky, prefixed, values)


def protect_apostrophes_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`protect_apostrophes` applied to every text of an Arrow string array."""
    if not pc.any(pc.starts_with(values, PREFIX)).as_py():
        return values
    kind = values.type
    protected = pc.match_substring_regex(values, _NEUTRALIZED)
    prefixed = pc.binary_join_element_wise(pa.scalar(PREFIX, kind), values, pa.scalar("", kind))
    return pc.if_else(protected, prefixed, values)


def restore_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`restore` applied to every text of an Arrow string array (nulls stay null)."""
    # Most columns hold no apostrophe at the start at all: one cheap scan tells.
    if not pc.any(pc.starts_with(values, PREFIX)).as_py():
        return values
    neutralised = pc.match_substring_regex(values, _NEUTRALIZED)
    return pc.if_else(neutralised, pc.utf8_slice_codeunits(values, 1), values)


def _unescape_xlsx_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    escaped = pc.match_substring_regex(values, _XLSX_ESCAPE)
    if not pc.any(escaped).as_py():
        return values
    texts = values.to_pylist()
    return pa.array(
        [None if text is None else unescape_xlsx_text(text) for text in texts], pa.string()
    )


def neutralize_table(table: pa.Table, *, typed_cells: bool = False) -> pa.Table:
    """Every text column of ``table`` neutralised, and its column names too; numbers untouched.

    ``typed_cells`` is for a format whose text cells never run (XLSX): only the apostrophes the
    reader would take off are protected (:func:`protect_apostrophes`).
    """
    array_rule = protect_apostrophes_array if typed_cells else neutralize_array
    text_rule = protect_apostrophes if typed_cells else neutralize
    columns = [array_rule(column) if _is_text(column.type) else column for column in table.columns]
    return pa.table(columns, names=[text_rule(name) for name in table.column_names])


def restore_names(names: Sequence[str]) -> list[str]:
    """Header names with the neutralisation undone, where that keeps them unique."""
    restored = [restore(name) for name in names]
    if len(set(restored)) != len(restored):
        # '=a' and ''=a' can only both come from a header that already held '=a' twice, which a
        # reader has numbered apart: keep the names as read rather than merge two columns.
        return list(names)
    return restored


def restore_spreadsheet_cells(raw: RawTable) -> RawTable:
    """``raw`` with the exports' neutralisation undone in header and cells, if a spreadsheet.

    :func:`advocacy.ingest.readers.read_file` calls this on every file it reads; only CSV, TSV
    and XLSX files change (JSON and Parquet exports are never neutralised).
    """
    if raw.file_format not in SPREADSHEET_FORMATS:
        return raw
    columns, header = list(raw.rows.columns), list(raw.header)
    if raw.file_format == "xlsx":
        header = [unescape_xlsx_text(name) for name in header]
        columns = [
            _unescape_xlsx_array(column) if _is_text(column.type) else column for column in columns
        ]
    header = restore_names(header)
    restored = 0
    for index, column in enumerate(columns):
        if _is_text(column.type):
            columns[index] = restore_array(column)
            if columns[index] is not column:
                restored += pc.sum(pc.not_equal(column, columns[index])).as_py() or 0
    notes = list(raw.notes)
    if restored:
        notes.append(
            f"{restored:,} cell(s) began with ' before =, +, -, @, a tab or a carriage return, "
            "as advocacy's exports neutralise would-be formulas: that one ' was taken off"
        )
    return dataclasses.replace(
        raw, header=header, rows=pa.table(columns, names=header), notes=notes
    )
