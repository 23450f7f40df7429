"""Item ratings found among a survey's questions: each gets a name of its own, even when two
questions are worded alike (an item rating is keyed by its record, item and kind)."""

from __future__ import annotations

import pyarrow as pa

from advocacy.ingest.questions import scan_questions


def test_two_questions_worded_alike_are_two_items() -> None:
    rows = pa.table(
        {
            "Q5_1": ["4", "5", "3", "2", "5"],
            "Q5_2": ["3", "4", "4", "1", "5"],
            "Q9": ["5", "5", "4", "3", "4"],
        }
    )
    wording = "How would you rate the staff? (1 = poor, 5 = excellent)"
    scan = scan_questions(
        rows,
        ["Q5_1", "Q5_2", "Q9"],
        wordings={"Q5_1": wording, "Q5_2": wording, "Q9": "Rate the store layout (1-5)"},
        available=(),
    )
    names = [(item.column, item.item) for item in scan.items]
    assert names == [
        ("Q5_1", wording),
        ("Q5_2", f"{wording} (Q5_2)"),
        ("Q9", "Rate the store layout (1-5)"),
    ]
    said = {d.column: d.reason for d in scan.detections if d.field.startswith("item:")}
    assert "named with its column" in said["Q5_2"]
    assert "named with its column" not in said["Q5_1"]


def test_a_long_wording_asked_twice_falls_back_to_the_column() -> None:
    rows = pa.table({"A": ["1", "2", "3", "4"], "B": ["2", "3", "4", "5"]})
    wording = "Please rate how strongly you agree: the service was prompt and the staff kind"
    wording += "!" * (78 - len(wording))  # fits as a name alone, not with its column
    scan = scan_questions(rows, ["A", "B"], wordings={"A": wording, "B": wording}, available=())
    assert [item.item for item in scan.items] == [wording, "B"]
