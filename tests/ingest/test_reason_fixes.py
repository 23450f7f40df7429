"""Every reason an import quarantines a cell for names its fix, stored apart (audit4 L7).

The checks are the library's own: each field check of every kind, the scale and target checks,
and every date reading's reasons. A reason without "; fix: " would be listed with the general
fix only, which tells the user nothing they did not know.
"""

from __future__ import annotations

from advocacy.ingest.dates import Bad, Reading, reasons
from advocacy.ingest.missing_text import EMPTY_REASON
from advocacy.ingest.reason_fixes import FIX_MARK, GENERAL_FIX, split_fix
from advocacy.ingest.target_values import PERCENT_SIGN_TEXT
from advocacy.ingest.validation import NOT_A_NUMBER, field_expressions
from advocacy.model import KINDS


def test_every_field_check_of_every_kind_names_its_fix() -> None:
    told = {
        reason
        for kind in KINDS.values()
        for item in kind.fields
        for _, reason in field_expressions(kind, item, '"cell"')[1]
    }
    assert {NOT_A_NUMBER, EMPTY_REASON} <= told and len(told) > 6
    for reason in told | {PERCENT_SIGN_TEXT}:
        said, fix = split_fix(reason)
        assert FIX_MARK in reason and fix != GENERAL_FIX and said and fix, reason


def test_every_date_reason_names_its_fix() -> None:
    for timestamp in (True, False):
        reading = Reading(
            field="submitted_at", label="when", timestamp=timestamp, zone="UTC",
            date_format="%d.%m.%Y", convention="day-first order", epoch="seconds",
        )  # fmt: skip
        for code, reason in reasons(reading).items():
            if code is Bad.OK:
                continue
            said, fix = split_fix(reason)
            assert said.startswith("not a date") and fix != GENERAL_FIX, reason


def test_a_reason_is_split_at_its_fix_and_one_without_gets_the_general_fix() -> None:
    assert split_fix("not a number; fix: write 4") == ("not a number", "write 4")
    assert split_fix("odd; a; b") == ("odd; a; b", GENERAL_FIX)
    assert split_fix("odd; fix: ") == ("odd; fix: ", GENERAL_FIX)
