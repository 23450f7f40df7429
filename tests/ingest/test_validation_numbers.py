"""Numbers that read as numbers but fit no whole-number column are a bad cell, not a crash.

``NaN``, ``inf`` and ``1e300`` parse as floating-point numbers; casting them to a whole-number
column used to raise a conversion error that failed the whole validation (an import of a
million rows, or an API write) instead of quarantining the one cell.
"""

from __future__ import annotations

from advocacy.ingest.limits import InputLimits
from advocacy.ingest.reason_fixes import split_fix
from advocacy.ingest.validation import validate
from advocacy.ingest.write_groups import prepare_write


def test_numbers_no_whole_number_column_holds_are_reported_by_cell() -> None:
    records = [
        {"response_id": "R-0", "nps": "7", "csat": "4", "csat_scale_max": "5"},
        {"response_id": "R-1", "nps": "NaN"},
        {"response_id": "R-2", "nps": "inf"},
        {"response_id": "R-3", "nps": "4", "csat": "3", "csat_scale_max": "1e300"},
    ]
    adapted = prepare_write("responses", records, actor="test", limits=InputLimits()).adapted
    validated = validate(adapted, timezone="UTC")
    reasons: dict[tuple[int, str, str | None], set[str]] = {}
    for cell in validated.bad_cells:
        reasons.setdefault((cell.row, cell.column, cell.value), set()).add(
            split_fix(cell.reason)[0]
        )
    fix = "must be a whole number of at most 18 digits"
    # NaN and inf are no number anyone gave: one reason, not "whole number" and "between".
    assert reasons[(1, "nps", "NaN")] == {"not a number"}
    assert reasons[(2, "nps", "inf")] == {"not a number"}
    assert reasons[(3, "csat_scale_max", "1e300")] == {fix}
    assert {row for row, _, _ in reasons} == {1, 2, 3}
    assert validated.rows.column("response_id").to_pylist() == ["R-0"]
    assert validated.rows.column("nps").to_pylist() == [7]
