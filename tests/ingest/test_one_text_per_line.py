"""A file of one text per line without a header keeps every line (issue #17, tidy-up).

TweetEval's ``test_text.txt`` is one tweet per line, no header. It was read as a CSV: a tweet
with a comma split into cells and went to quarantine whole (2,961 of 12,284), and the first
tweet was taken for the column's name, with only a note. A file that no delimiter splits into
columns, though some lines hold one, is now read a line per text, as written. A first line
written like the texts under it that carries a mark of a post no column name carries (an
@mention, a #hashtag, a link) is the first record; a survey question or a plain sentence over
the answers stays the column's name, as before.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

import advocacy
from advocacy.ingest.delimited import read_delimited
from advocacy.ingest.headers import first_line_is_text
from advocacy.ingest.raw import RawTable

# Varied lengths and no commas: one text per line, not columns split by blanks or commas.
ANSWERS = [
    "The staff were friendly and the room was clean",
    "Waited forty minutes at the front desk and nobody came to help",
    "Breakfast was cold again",
    "Lovely view from the balcony so we would come back next summer",
]


def _imported(
    tmp_path: Path, lines: list[str], name: str = "texts.txt", end: str = "\n"
) -> tuple[int, list[str], list[str]]:
    path = tmp_path / name
    path.write_bytes("".join(line + end for line in lines).encode("utf-8"))
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
        # A mark after a word by which a name says what the file holds.
        "Mentions of @acme on Twitter",
        "Tweets tagged #acmefail this week",
        "Reviews from www.trustpilot.com for Acme",
        "What did you think of @acme",
        "Posts about @acme and @acmehelp",
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


def test_lines_with_commas_and_quotes_are_each_one_text_as_written(tmp_path: Path) -> None:
    # As in real sets, most lines hold no comma: no delimiter splits the file into columns.
    lines = [
        "@user the app logs me out every time and I have to start again",
        "Fast delivery, good price, would order again",
        '"Best pizza in town" they said. It was cold and late',
        "",  # a blank line is skipped
        "Nothing to add",
        'Staff said "we close at 9", then locked the door at 8:30',
        "Great team at the Leeds store",
        "Took three weeks to get a refund for a broken kettle",
    ]
    loaded, texts, notes = _imported(tmp_path, lines)
    assert loaded == 7
    assert sorted(texts) == sorted(line for line in lines if line)
    assert not any("could not be split" in note for note in notes)


def test_a_one_column_csv_with_quoted_commas_is_still_a_csv(tmp_path: Path) -> None:
    lines = ["comment", '"Fast delivery, good price"', '"Cold, late and wrong"', "Fine"]
    loaded, texts, _ = _imported(tmp_path, lines)
    assert loaded == 3
    assert sorted(texts) == ["Cold, late and wrong", "Fast delivery, good price", "Fine"]


@pytest.mark.parametrize("delimiter", [";", "|", "\t"])
def test_a_one_column_csv_as_excel_writes_it_is_still_a_csv(tmp_path: Path, delimiter: str) -> None:
    # Excel and pandas quote a cell holding a comma, a quote or a line break, not a ; | or tab.
    lines = [
        "comment",
        '"Fast delivery, good price"',
        f"The staff were lovely{delimiter} will come back",
        '"Cold, late and\nwrong order"',
        '"She said ""hi"" and left"',
        "Fine thanks",
    ]
    loaded, texts, notes = _imported(tmp_path, lines, "comments.csv")
    assert sorted(texts) == [
        "Cold, late and\nwrong order",
        "Fast delivery, good price",
        "Fine thanks",
        'She said "hi" and left',
        f"The staff were lovely{delimiter} will come back",
    ]
    assert loaded == 5 and notes == []


def test_a_one_column_csv_as_german_excel_writes_it_keeps_its_quoted_cells(
    tmp_path: Path,
) -> None:
    # A ; or a line break is quoted, a comma is not: the comma's record alone is quarantined.
    lines = [
        "Kommentar",
        "Schnelle Lieferung, guter Preis",
        '"Kalt; spät und falsch"',
        '"Zwei\nZeilen Text"',
        "Alles gut",
        "Nette Beratung im Laden",
    ]
    _, texts, notes = _imported(tmp_path, lines, "comments.csv", end="\r\n")
    assert sorted(texts) == [
        "Alles gut",
        "Kalt; spät und falsch",
        "Nette Beratung im Laden",
        "Zwei\nZeilen Text",
    ]
    assert any("could not be split" in note for note in notes)


def test_a_quoted_record_after_the_sampled_start_keeps_the_file_a_csv(tmp_path: Path) -> None:
    # The first 64 KB are plain lines, a few with a comma; a quoted cell comes after them.
    plain = [f"Answer number {number} was fine" for number in range(3_000)]
    plain[::10] = [f"Answer {number}, fine" for number in range(300)]
    lines = ["comment", *plain, '"Quoted, as a CSV writer quotes it"']
    _, texts, _ = _imported(tmp_path, lines, "comments.csv")
    assert "Quoted, as a CSV writer quotes it" in texts
    assert not any(text.startswith('"') for text in texts)


def test_a_ragged_csv_keeps_its_columns(tmp_path: Path) -> None:
    # A sparse second column: trailing empty cells left out, so most records have one cell.
    lines = [
        "comment,tag",
        "Great service and friendly staff",
        "Slow delivery again this week",
        "Rude staff at the till,complaint",
        "The app works well now",
        "Refund took three weeks,billing",
        "Lovely shop",
    ]
    _, texts, notes = _imported(tmp_path, lines, "comments.csv")
    assert sorted(texts) == ["Refund took three weeks", "Rude staff at the till"]
    assert any("4 record(s) could not be split" in note for note in notes)


def test_a_first_tweet_with_commas_names_no_columns(tmp_path: Path) -> None:
    # TweetEval's emotion/val_text.txt: its first line split into three cells, no names.
    first = "@user @user Oh, hidden revenge and anger...I remember the time,she rebutted you."
    lines = [first, *ANSWERS, "Fast delivery, good price, would order again"]
    loaded, texts, _ = _imported(tmp_path, lines)
    assert loaded == 6 and sorted(texts) == sorted(lines)


def test_reading_one_text_per_line_is_said_with_its_delimiter_and_count(tmp_path: Path) -> None:
    lines = ["text", "Fast delivery, good price", "Nothing to add", "Slow and\rlate", "Fine"]
    path = tmp_path / "texts.csv"
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="mentions")
        texts = [str(text) for (text,) in ws.db.fetchall("SELECT text FROM mentions")]
    assert sorted(texts) == sorted(lines[1:])
    assert result.file_format == "csv"
    line_mode = next(note for note in result.notes if "one text per line" in note)
    assert "1 of its 5 lines hold a comma" in line_mode and "quote the cells" in line_mode
    assert any("1 bare carriage return (CR)" in note for note in result.notes)


@pytest.mark.shared_data
def test_tweeteval_test_text_reads_every_tweet_as_written(
    shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "tweeteval" / "sentiment" / "test_text.txt"
    lines = source.read_text(encoding="utf-8").split("\n")[:-1]
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(source, kind="mentions")
        texts = [str(text) for (text,) in ws.db.fetchall("SELECT text FROM mentions")]
    assert lines[0].startswith("@user @user what do these")
    # Every line, the first one too, and those with commas (2,961 went to quarantine whole).
    assert (result.rows_loaded, result.rows_quarantined) == (12_284, 0) == (len(lines), 0)
    assert sorted(texts) == sorted(lines)


def test_the_header_note_gives_a_mapping_that_keeps_the_first_line(tmp_path: Path) -> None:
    first = "Breakfast was cold and the coffee was worse than last time"
    loaded, _, notes = _imported(tmp_path, [first, *ANSWERS])
    note = next(note for note in notes if "header_rows: 0" in note)
    assert loaded == len(ANSWERS)
    # The note's mapping, as a user would write it from the note, keeps the first line.
    advice = note[note.index("header_rows: 0") :]
    columns = advice[advice.index("columns: ") + len("columns: ") : advice.index("}") + 1]
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(f"header_rows: 0\ncolumns: {columns}\n", "utf-8")
    with advocacy.open(str(tmp_path / "again.duckdb")) as ws:
        result = ws.import_file(tmp_path / "texts.txt", kind="mentions", mapping=mapping)
        texts = [str(text) for (text,) in ws.db.fetchall("SELECT text FROM mentions")]
    assert result.rows_loaded == len(ANSWERS) + 1 and first in texts


@pytest.mark.parametrize(
    "first",
    [
        "Flying to #NYC with @delta today",  # everyday words before the marks, not naming ones
        "Mentions of @acme on Twitter, as always my favourite airline to fly with",  # long
    ],
)
def test_a_tweet_with_marks_after_everyday_words_is_the_first_record(first: str) -> None:
    assert first_line_is_text(_raw([first, *ANSWERS]))


def test_a_question_header_over_ragged_answers_keeps_its_columns(tmp_path: Path) -> None:
    # Survey questions name the columns (longer than any short name); the second cell of most
    # records was left out. Read as a CSV: the full records load, the others go to quarantine.
    lines = [
        "What did you like most about your visit today?,Would you recommend us to a friend?",
        "The friendly staff at the desk",
        "Clean rooms and a quiet street",
        "Breakfast,yes",
        "The view from the balcony",
        "Nothing much",
        "Location,no",
    ]
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    raw = read_delimited(path)
    assert raw.header == lines[0].split(",")
    assert raw.rows.to_pylist() == [
        {raw.header[0]: "Breakfast", raw.header[1]: "yes"},
        {raw.header[0]: "Location", raw.header[1]: "no"},
    ]
    assert not any("one text per line" in note for note in raw.notes)


def test_a_file_that_splits_only_after_its_sample_is_a_csv(tmp_path: Path) -> None:
    # Few of the first 50 records hold a comma, the 200 after them all do: a table, not texts.
    lines = ["comment", *(f"Answer {n} about the visit" for n in range(60))]
    lines[10::20] = [f"{line},Support" for line in lines[10::20]]
    lines += [f"Answer {n} about the visit,Support" for n in range(200)]
    loaded, texts, notes = _imported(tmp_path, lines, "late.csv")
    assert not any("," in text for text in texts)
    assert loaded == 57
    assert any("203 record(s) could not be split" in note for note in notes)
    assert not any("one text per line" in note for note in notes)


def test_a_question_header_with_late_splitting_answers_keeps_its_second_column(
    tmp_path: Path,
) -> None:
    lines = ["What is the main reason for your score today?,Team"]
    lines += [f"Answer {n} about the visit" for n in range(60)]
    lines += [f"Answer {n} about the visit,Support" for n in range(200)]
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    raw = read_delimited(path)
    assert raw.header == ["What is the main reason for your score today?", "Team"]
    assert raw.rows.num_rows == 200 and set(raw.rows.column("Team").to_pylist()) == {"Support"}
