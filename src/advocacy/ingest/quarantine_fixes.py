"""Files written by ``advocacy quarantine export``, coming back corrected.

``quarantine export`` writes each open quarantined row in its original columns, after five
columns that say where it came from, why it was refused and the fix (:data:`PROVENANCE_COLUMNS`;
files written before the fix had its column have four). The user corrects the cells and imports
the file again. Then those columns are not evidence, so
they must not land in the records' ``attrs``: :func:`split_fixes` takes them off and returns, per
row of the file, the import and row it fixes, so the import can mark those quarantine entries
resolved (or replace them, if the row is still bad).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from advocacy.ingest.raw import RawTable
from advocacy.ingest.validation import row_numbers

IMPORT_COLUMN = "quarantine_import_id"
FILE_COLUMN = "quarantine_file"
ROW_COLUMN = "quarantine_row"
REASONS_COLUMN = "quarantine_reasons"
FIX_COLUMN = "quarantine_fixes"
#: The columns ``quarantine export`` puts before a row's own columns, in this order.
PROVENANCE_COLUMNS = (IMPORT_COLUMN, FILE_COLUMN, ROW_COLUMN, REASONS_COLUMN, FIX_COLUMN)


@dataclass(frozen=True)
class Fixes:
    """Which quarantined row each row of a corrected quarantine export stands for.

    ``origins`` maps the row number in this file (as validation numbers rows) to the
    (import id, row number) of the quarantine entry it fixes.
    """

    origins: dict[int, tuple[str, int]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.origins)


def split_fixes(raw: RawTable) -> tuple[RawTable, Fixes]:
    """``raw`` without the provenance columns of a quarantine export, and what its rows fix.

    Parameters
    ----------
    raw
        A file as read. Unless its header holds :data:`IMPORT_COLUMN` and :data:`ROW_COLUMN`, it
        is returned unchanged with empty :class:`Fixes`.

    Returns
    -------
    tuple[RawTable, Fixes]
        The table the adapters should see, and the rows it fixes (rows whose provenance cells
        were blanked or mangled simply fix nothing).
    """
    if IMPORT_COLUMN not in raw.header or ROW_COLUMN not in raw.header:
        return raw, Fixes()
    imports = raw.rows.column(IMPORT_COLUMN).to_pylist()
    rows = raw.rows.column(ROW_COLUMN).to_pylist()
    numbers = row_numbers(raw.first_data_row, raw.rows.num_rows, raw.skipped_rows)
    origins: dict[int, tuple[str, int]] = {}
    for number, import_id, row in zip(numbers.tolist(), imports, rows, strict=True):
        origin_row = _whole_number(row)
        if import_id and origin_row is not None:
            origins[int(number)] = (str(import_id).strip(), origin_row)
    kept = [name for name in raw.header if name not in PROVENANCE_COLUMNS]
    return dataclasses.replace(raw, header=kept, rows=raw.rows.select(kept)), Fixes(origins)


def _whole_number(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None
