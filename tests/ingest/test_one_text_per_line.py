"""A file of one text per line without a header keeps its first line (issue #17, tidy-up).

TweetEval's ``test_text.txt`` is one tweet per line, no header: its first line is a tweet, and
reading it as the column's name lost it with only a note. A first line that is written like the
texts under it and carries a mark of a post no column name carries (an @mention, a #hashtag, a
link) is now the first record; a survey question or a plain sentence over the answers stays
the column's name, as before.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

import advocacy
from advocacy.ingest.headers import first_line_is_text
from advocacy.ingest.raw import RawTable

# Varied lengths and no commas: one text per line, not columns split by blanks or commas.
ANSWERS = [
    "The staff were friendly and the room was clean",
    "Waited forty minutes at the front desk and nobody came to help",
    "Breakfast was cold again",
    "Lovely view from the balcony so we would come back next summer",
]


def _imported(tmp_path: Path, lines: list[str]) -> tuple[int, list[str], list[str]]:
    path = tmp_path / "texts.txt"
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="mentions")
        texts = [str(text) for (text,) in ws.db.fetchall("SELECT text FROM mentions")]
    return result.rows_loaded, texts, list(result.notes)


def _raw(lines: list[str]) -> RawTable:
    rows = pa.table({lines[0]: pa.array(lines[1:], pa.string())})
    return RawTable("x.txt", "csv", [lines[0]], rows, header_cells=[[lines[0]]])


def test_tweets_one_per_line_keep_the_first_tweet(tmp_path: Path) -> None:
    first = "@user the checkout kept failing so I gave up on the order #fail"
    loaded, texts, notes = _imported(tmp_path, [first, *ANSWERS])
    assert loaded == 5
    assert first in texts
    assert any("first line" in note and "first record" in note for note in notes)
    assert not any("header_rows: 0" in note for note in notes)  # no advice to do what was done


@pytest.mark.parametrize(
    "first",
    [
        "Loved the new menu, see https://example.com/menu for the photos",
        "Check-in took ages again www.example.com please fix this",
        "#NeverAgain the room smelled of smoke and the sheets were stained",
    ],
)
def test_a_link_or_hashtag_marks_a_first_line_as_a_post(first: str) -> None:
    assert first_line_is_text(_raw([first, *ANSWERS]))


@pytest.mark.parametrize(
    "header",
    [
        "comment",
        "What could we have done better during your stay?",
        "Please tell us in your own words what made your stay with us memorable",
        "Any other comments about the hotel (optional)",
        "Your comments about store #12:",
        "Comments on visit #2 to the store",
        "Number of visits # of nights and comments",
        "Contact us at reviews@example.com with any comments",
    ],
)
def test_a_name_or_question_over_the_answers_stays_the_header(tmp_path: Path, header: str) -> None:
    assert not first_line_is_text(_raw([header, *ANSWERS]))
    loaded, texts, _ = _imported(tmp_path, [f'"{header}"', *ANSWERS])
    assert loaded == len(ANSWERS) and header not in texts


def test_a_marked_line_over_short_values_stays_the_header() -> None:
    # Not written like the values under it (single words): a header, whatever its marks.
    assert not first_line_is_text(_raw(["@user comments by handle", "yes", "no", "fine"]))


def test_markup_in_a_first_line_is_kept_as_written(tmp_path: Path) -> None:
    first = '<script>alert(1)</script> @user =HYPERLINK("x") the app crashed twice today'
    loaded, texts, notes = _imported(tmp_path, [first, *ANSWERS])
    assert loaded == 5 and first in texts
    note = next(note for note in notes if "first record" in note)
    assert "<script>alert(1)</scr" in note and len(note) < 400  # quoted, cut at 40 characters


@pytest.mark.shared_data
def test_tweeteval_test_text_keeps_its_first_tweet(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "tweeteval" / "sentiment" / "test_text.txt"
    with source.open(encoding="utf-8") as handle:
        first = next(csv.reader(handle))[0]  # as stored: blanks around it kept
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(source, kind="mentions")
        found = ws.db.fetchall("SELECT count(*) FROM mentions WHERE text = ?", [first])
    assert first.startswith("@user @user what do these")
    assert found == [(1,)]
    # The other lines read as before (those with commas still go to quarantine whole).
    assert (result.rows_loaded, result.rows_quarantined) == (8_801, 2_961)
