"""Repair mojibake: UTF-8 text that was decoded as cp1252, latin-1 or mac-roman somewhere upstream.

A file can be decoded correctly and still carry damaged text, because an earlier system wrote it
so: ``â€œear wormâ€`` for ``“ear worm”``, ``JosÃ©`` for ``José``. ``ftfy`` undoes that. It is
asked to fix encodings only (not quotes, HTML entities, line breaks, widths or Unicode
normalisation), so faithful text stays byte-identical, and only cells that hold a
characteristic sequence (a UTF-8 lead byte followed by a continuation byte, as one of those
codecs shows them) go through it: a vectorised regular expression finds them, so clean columns
cost one pass of RE2.

Some repairs are guesses: a byte lost upstream becomes ``�`` (U+FFFD), or a character had to be
mapped back through another codec. Those cells keep their original text in an extra column,
``<column> (before repair)``, which lands in the record's ``attrs``: nothing the user gave is
lost. A repair that re-encodes back to the original exactly keeps no copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ftfy
import ftfy.bad_codecs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.raw import Adapted

#: Cells longer than this are not repaired (ftfy's cost grows with length): noted instead.
MAX_REPAIR_CHARS = 100_000
#: Suffix of the column that keeps the original of a repair that may have lost something.
ORIGINAL_SUFFIX = " (before repair)"
_CODECS = ("latin-1", "cp1252", "mac-roman")
_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)
# cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; some exporters decode those bytes as
# mac-roman instead, which makes the closing quote of "â€\x9d" into "â€ù". Mapped back before
# ftfy sees the text (a guess, so the original is kept).
_MAC_ROMAN_FALLBACK = {
    bytes([byte]).decode("mac-roman"): bytes([byte]).decode("latin-1")
    for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_FALLBACK_SEQUENCE = re.compile("â€([" + "".join(_MAC_ROMAN_FALLBACK) + "])")


def _char_class(codes: range) -> str:
    chars: set[str] = set()
    for codec in _CODECS:
        for code in codes:
            try:
                chars.add(bytes([code]).decode(codec))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(re.escape(char) for char in chars))


#: A UTF-8 lead byte (0xC2-0xF4) then a continuation byte (0x80-0xBF), as any codec shows them.
SUSPECT = f"[{_char_class(range(0xC2, 0xF5))}][{_char_class(range(0x80, 0xC0))}]"


@dataclass
class Repairs:
    """What :func:`repair_table` changed."""

    cells: int = 0  # cells repaired
    lossy: int = 0  # of which the original is kept beside the repair
    by_column: dict[str, int] = field(default_factory=dict)
    too_long: int = 0  # suspect cells left alone for their size


def _undo_pairs(original: str, fixed: str, plan: list[tuple[str, str]]) -> bool:
    """Undo a plan made only of (encode X, decode utf-8) pairs and compare with the original."""
    if len(plan) % 2 or any(
        plan[index][0] != "encode" or plan[index + 1] != ("decode", "utf-8")
        for index in range(0, len(plan), 2)
    ):
        return False
    text = fixed
    try:
        for index in range(len(plan) - 2, -1, -2):
            text = text.encode("utf-8").decode(plan[index][1])
    except (UnicodeError, LookupError):
        return False
    return text == original


def repair_text(text: str) -> tuple[str, bool]:
    """Repair one cell.

    Parameters
    ----------
    text
        A cell that may hold mojibake.

    Returns
    -------
    tuple[str, bool]
        The repaired text (``text`` itself when there is nothing to repair) and whether the
        repair was lossless (undoing it gives ``text`` back).
    """
    guessed = _FALLBACK_SEQUENCE.sub(lambda match: "â€" + _MAC_ROMAN_FALLBACK[match[1]], text)
    result = ftfy.fix_and_explain(guessed, _CONFIG)
    fixed = result.text
    if fixed == text:
        return text, True
    plan = [(step, codec) for step, codec in (result.explanation or [])]
    return fixed, guessed == text and _undo_pairs(text, fixed, plan)


def _repair_column(
    column: pa.ChunkedArray, repairs: Repairs, name: str
) -> tuple[pa.ChunkedArray, pa.Array | None]:
    """The column repaired, and the originals of lossy repairs (None where none)."""
    if column.null_count == len(column) or pc.all(pc.string_is_ascii(column)).as_py():
        return column, None
    mask = pc.fill_null(pc.match_substring_regex(column, SUSPECT), False)
    if not pc.any(mask).as_py():
        return column, None
    positions = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    values = column.take(pa.array(positions)).to_pylist()
    fixed: list[str] = []
    originals: dict[int, str] = {}
    changed = 0
    for position, value in zip(positions, values, strict=True):
        if len(value) > MAX_REPAIR_CHARS:
            repairs.too_long += 1
            fixed.append(value)
            continue
        text, lossless = repair_text(value)
        if text != value:
            changed += 1
            if not lossless:
                originals[int(position)] = value
        fixed.append(text)
    if not changed:
        return column, None
    repairs.cells += changed
    repairs.lossy += len(originals)
    repairs.by_column[name] = changed
    repaired = pc.replace_with_mask(
        column.combine_chunks(), mask.combine_chunks(), pa.array(fixed, pa.string())
    )
    kept = None
    if originals:
        kept = pa.array([originals.get(index) for index in range(len(column))], pa.string())
    return pa.chunked_array([repaired]), kept


def repair_table(table: pa.Table) -> tuple[pa.Table, Repairs]:
    """Repair mojibake in every string column of ``table``.

    Parameters
    ----------
    table
        String columns, as readers produce them.

    Returns
    -------
    tuple[pa.Table, Repairs]
        The table with repaired cells, plus a ``<column> (before repair)`` column holding the
        original of every repair that was not provably lossless (None elsewhere), and counts.
    """
    repairs = Repairs()
    columns: list[pa.ChunkedArray | pa.Array] = []
    names: list[str] = []
    kept: list[tuple[str, pa.Array]] = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            columns.append(column)
            names.append(name)
            continue
        repaired, originals = _repair_column(column, repairs, name)
        columns.append(repaired)
        names.append(name)
        if originals is not None:
            kept.append((name + ORIGINAL_SUFFIX, originals))
    if not repairs.cells and not repairs.too_long:
        return table, repairs
    for name, originals in kept:
        while name in names:
            name += "'"
        columns.append(originals)
        names.append(name)
    return pa.table(columns, names=names), repairs


def repair(adapted: Adapted) -> None:
    """Repair mojibake in ``adapted``'s rows in place and say what was done in its notes.

    Parameters
    ----------
    adapted
        Mapped rows before validation; originals of lossy repairs become extra columns, which
        are unmapped and so kept in ``attrs``.
    """
    rows, repairs = repair_table(adapted.rows)
    adapted.rows = rows
    if repairs.cells:
        columns = ", ".join(f"{name!r}: {count:,}" for name, count in repairs.by_column.items())
        note = (
            f"repaired mojibake (UTF-8 text decoded as cp1252, latin-1 or mac-roman upstream) "
            f"in {repairs.cells:,} cell(s) ({columns})"
        )
        if repairs.lossy:
            note += (
                f"; {repairs.lossy:,} repair(s) may have lost something, so those cells keep "
                f"their original in attrs under '<column>{ORIGINAL_SUFFIX}'"
            )
        adapted.notes.append(note)
    if repairs.too_long:
        adapted.notes.append(
            f"{repairs.too_long:,} cell(s) longer than {MAX_REPAIR_CHARS:,} characters look "
            "like mojibake but were left as they are"
        )
