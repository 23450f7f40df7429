"""A rating column keeps its meaning when a few of its cells are not numbers.

Real exports carry "N/A", "Not sure", "Weiß nicht" or "-" under a 0-10 question, and now and
then a stray word: one such cell used to send the whole column to attrs, so the workspace had
no NPS at all (audit4 item 2). A non-answer is an empty score with the cell kept in attrs; any
other non-number goes to quarantine by row, column and value; only a real share of them
(over a tenth, :data:`advocacy.ingest.column_profile.MOSTLY`) means the column is no rating. A
question asking for the respondent's own words is the comment however short its answers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advocacy
from advocacy.ingest.column_profile import NO_ANSWERS, is_no_answer

RECOMMEND = "How likely are you to recommend us (0-10)?"
WHY = "Why did you give this score?"


def _object(value: Any) -> dict[str, Any]:
    """A JSON column's value (DuckDB returns it parsed)."""
    return value if isinstance(value, dict) else dict(json.loads(value))


def _survey(path: Path, odd: dict[int, str], *, answers: int = 60) -> Path:
    """An NPS survey of ``answers`` rows 0-10, with the cells of ``odd`` (row -> cell) replaced."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", RECOMMEND, WHY])
        for row in range(answers):
            score = odd.get(row, str(row % 11))
            writer.writerow([f"h{row}", "2026-11-20", score, f"Visit {row}: the staff were kind"])
    return path


def _import(tmp_path: Path, path: Path) -> tuple[Any, pd.DataFrame]:
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="responses")
        stored = ws.table("responses").execute().set_index("response_id")
    return result, stored


@pytest.mark.parametrize(
    # "#N/A" is Excel's missing value; "NaN" what pandas and R write for an empty cell.
    "cell",
    ["N/A", "Not sure", "-", "n/a.", "Weiß nicht", "n.v.t.", "NS/NC", "#N/A", "NaN", "nan"],
)
def test_a_non_answer_under_a_0_to_10_question_keeps_the_nps(tmp_path: Path, cell: str) -> None:
    result, stored = _import(tmp_path, _survey(tmp_path / "nps.csv", {7: cell}))
    assert {d["column"]: d["field"] for d in result.detected}[RECOMMEND] == "nps"
    assert (result.rows_loaded, result.rows_quarantined) == (60, 0)
    # The other answers are the NPS; the skipped one has no score made up for it ...
    assert stored["nps"].notna().sum() == 59
    assert pd.isna(stored.loc["h7", "nps"])
    assert stored.loc["h8", "nps"] == 8
    # ... and what the respondent wrote is kept, under a name that says why.
    kept = _object(stored.loc["h7", "attrs"])
    assert kept == {f"{RECOMMEND} (answer without a rating)": cell}
    [note] = [note for note in result.notes if "give" in note and "no rating" in note]
    assert f"1 answer ({cell!r}) gives no rating" in note


def test_a_stray_word_is_quarantined_by_row_column_and_value_not_the_column(
    tmp_path: Path,
) -> None:
    result, stored = _import(tmp_path, _survey(tmp_path / "nps.csv", {3: "great", 9: "N/A"}))
    assert {d["column"]: d["field"] for d in result.detected}[RECOMMEND] == "nps"
    assert (result.rows_loaded, result.rows_quarantined) == (59, 1)
    [entry] = result.quarantine
    assert (entry.row_number, entry.column, entry.value) == (5, RECOMMEND, "great")
    assert entry.reason == "not a number" and entry.fix and "write a number" in entry.fix
    assert "h3" not in stored.index and stored["nps"].notna().sum() == 58
    assert any(
        f"1 value of the column {RECOMMEND!r} is not a number ('great')" in note
        for note in result.notes
    )
    [reason] = [d["reason"] for d in result.detected if d["column"] == RECOMMEND]
    assert "(59 answers, 1 of them not a number; 1 cell says no answer was given)" in reason


@pytest.mark.parametrize("cell", ["inf", "-Infinity"])
def test_an_infinity_is_no_number_and_is_quarantined_for_one_reason(
    tmp_path: Path, cell: str
) -> None:
    result, _ = _import(tmp_path, _survey(tmp_path / "nps.csv", {3: cell}))
    assert {d["column"]: d["field"] for d in result.detected}[RECOMMEND] == "nps"
    assert (result.rows_loaded, result.rows_quarantined) == (59, 1)
    # One reason, the one the note gives, not "must be between 0 and 10" beside it.
    assert [(e.column, e.value, e.reason) for e in result.quarantine] == [
        (RECOMMEND, cell, "not a number")
    ]


def test_a_question_that_describes_a_choice_is_not_the_comment(tmp_path: Path) -> None:
    roles = [
        *("Product manager", "CX lead", "Store owner", "Teacher", "Nurse", "Data analyst"),
        *("Sales rep", "Chef", "Head of support", "Engineer", "Marketing director", "Lawyer"),
        *("Student", "Driver", "Founder", "Pharmacist", "Retired", "Consultant", "Designer"),
        "Accountant",
    ]
    path = tmp_path / "role.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submitted_at", "Which best describes your role?", RECOMMEND])
        for row in range(30):
            writer.writerow(["2026-11-20", roles[row % 20], str(row % 11)])
    result, stored = _import(tmp_path, path)
    fields = {d["column"]: d["field"] for d in result.detected}
    # Job titles of two words are no comment: sentiment and themes would read them.
    assert fields["Which best describes your role?"] == "attrs"
    assert stored["comment"].isna().all()


def test_a_column_of_many_words_is_not_read_as_a_rating(tmp_path: Path) -> None:
    # 7 of 60 answers are words: more than a tenth, so the column is not taken for NPS.
    words = {row: "depends on the day" for row in range(0, 60, 9)}
    result, stored = _import(tmp_path, _survey(tmp_path / "nps.csv", words))
    assert {d["column"]: d["field"] for d in result.detected}[RECOMMEND] == "attrs"
    assert stored["nps"].isna().all() and result.rows_quarantined == 0


SHORT_ANSWERS = [
    "n/a",
    "-",
    "nothing",
    "not bad",
    "not good",
    "could be better",
    "never again",
    "ok",
    "fine",
    "Not happy",
    "delivery was late again",
    "great",
]


@pytest.mark.parametrize(
    "question",
    [
        "What could we do better?",
        "How can we improve?",
        "What did you like most?",
        "Was können wir besser machen?",
        "Que pourrions-nous améliorer ?",
    ],
)
def test_a_free_text_question_is_the_comment_however_short_its_answers(
    tmp_path: Path, question: str
) -> None:
    path = tmp_path / "short.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submitted_at", "Overall satisfaction (1-5)", question])
        for row, answer in enumerate(SHORT_ANSWERS * 3):
            writer.writerow([f"2026-11-{row % 28 + 1:02d}", str(row % 5 + 1), f"{answer} ({row})"])
    result, stored = _import(tmp_path, path)
    fields = {d["column"]: d["field"] for d in result.detected}
    assert fields[question] == "comment"
    assert len(stored) == 36 and stored["comment"].str.startswith("not bad").sum() == 3


def test_one_value_without_an_offset_was_read(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(f"response_id,submitted_at,{RECOMMEND}\nr1,2026-11-20,9\n")
    result, _ = _import(tmp_path, path)
    [note] = [note for note in result.notes if "without a UTC offset" in note]
    assert "1 value without a UTC offset was read as UTC time" in note
    assert "if it is another zone's" in note


@settings(max_examples=200, deadline=None)
@given(
    phrase=st.sampled_from(sorted(NO_ANSWERS)),
    upper=st.lists(st.booleans(), min_size=40, max_size=40),
    before=st.sampled_from(["", " ", "  "]),
    after=st.sampled_from(["", ".", " .", "!", "  "]),
)
def test_a_non_answer_is_read_whatever_its_case_and_trailing_marks(
    phrase: str, upper: list[bool], before: str, after: str
) -> None:
    written = "".join(c.upper() if up else c for c, up in zip(phrase, upper, strict=False))
    assert is_no_answer(before + written + phrase[len(written) :] + after)


@settings(max_examples=200, deadline=None)
@given(number=st.one_of(st.integers(-100, 100).map(str), st.floats(0, 10).map("{:.1f}".format)))
def test_a_number_is_never_a_non_answer(number: str) -> None:
    assert not is_no_answer(number)
    assert not is_no_answer(f" {number} ")
