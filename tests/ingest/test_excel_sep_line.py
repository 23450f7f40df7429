"""Excel's ``sep=`` first line names the delimiter (issue #17, review 2 of the teach lanes, S2).

Excel writes ``sep=;`` as a CSV's first line to say which delimiter it uses, and reads and
hides that line. It was taken for the header: the real header became a row and every text went
to attrs. The line now sets the delimiter and is left out, with a note.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from advocacy.ingest.delimited import read_delimited


@pytest.mark.parametrize(
    ("first", "content", "bom"),
    [
        ("sep=;", 'comment;score\r\n"Fast; cheap";9\r\nSlow, late;2\r\n', b""),
        ("sep=,", 'comment,score\n"Fast, cheap",9\nSlow; late,2\n', b"\xef\xbb\xbf"),
        ("sep=\t", "comment\tscore\nFast, cheap\t9\nSlow; late\t2\n", b""),
    ],
)
def test_an_excel_sep_line_sets_the_delimiter_and_is_left_out(
    tmp_path: Path, first: str, content: str, bom: bytes
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(bom + (first + "\n" + content).encode("utf-8"))
    raw = read_delimited(path)
    assert raw.header == ["comment", "score"]
    assert [list(row.values()) for row in raw.rows.to_pylist()] == [
        [content.split("\n")[1].rsplit(first[-1], 1)[0].strip('"'), "9"],
        [content.split("\n")[2].rsplit(first[-1], 1)[0], "2"],
    ]
    assert any("names the file's delimiter as Excel writes it" in note for note in raw.notes)


def test_an_excel_sep_line_keeps_every_comment_in_the_import(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'sep=,\ncomment,score\n"Fast, cheap",9\nSlow and late,2\n\n"Line one\nline two",5\n',
        "utf-8",
    )
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="responses")
        comments = [str(text) for (text,) in ws.db.fetchall("SELECT comment FROM responses")]
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    assert sorted(comments) == ["Fast, cheap", "Line one\nline two", "Slow and late"]
