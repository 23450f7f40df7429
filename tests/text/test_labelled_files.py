"""Teaching from a labelled file stores its labels straight from its rows (issue #17, tidy-up).

No teach file is written on the way: teaching works where no temporary folder can be made, and
the labels keep the name of the file they came from as their source, whatever its layout.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import InputError
from advocacy.text.labelled_files import teach_from_file
from advocacy.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures" / "public_formats"
TAUGHT_AT = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as workspace:
        yield workspace


def _sources(ws: Workspace) -> set[tuple[str, str]]:
    rows = ws.db.fetchall("SELECT DISTINCT document_kind, source FROM text_labels")
    return {(str(kind), str(source)) for kind, source in rows}


def test_labels_of_a_tab_separated_labelled_file_keep_its_own_name(ws: Workspace) -> None:
    ws.import_file(FIXTURES / "smsa.tsv", kind="mentions")
    assert ws.text.teach(FIXTURES / "smsa.tsv").sentiment_labels == 29
    assert _sources(ws) == {("mention", "smsa.tsv")}


def test_the_clock_passed_in_stamps_the_labels(ws: Workspace) -> None:
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    teach_from_file(ws.db, FIXTURES / "airline_tweets.csv", now=TAUGHT_AT)
    stamps = ws.db.fetchall("SELECT DISTINCT taught_at FROM text_labels")
    assert [stamp.astimezone(UTC) for (stamp,) in stamps] == [TAUGHT_AT]


def test_a_tab_separated_teach_file_keeps_its_own_name(ws: Workspace, tmp_path: Path) -> None:
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    labels = tmp_path / "my labels.tsv"
    labels.write_text(
        "document_id\tkind\tsentiment\ttheme\n581020034455513090\tmention\tNegative\tdelays\n",
        "utf-8",
    )
    taught = ws.text.teach(labels)
    assert (taught.sentiment_labels, taught.theme_labels) == (1, 1)
    assert ws.db.fetchall("SELECT document_id, sentiment, theme, source FROM text_labels") == [
        ("581020034455513090", "negative", "delays", "my labels.tsv")
    ]


def test_teaching_needs_no_temporary_folder(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A locked-down host with no writable temporary folder still teaches every layout."""
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    ws.import_file(FIXTURES / "smsa.tsv", kind="mentions")
    tabs = tmp_path / "labels.tsv"
    tabs.write_text("document_id\tkind\tsentiment\n581020034455513090\tmention\tpositive\n")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    assert ws.text.teach(FIXTURES / "airline_tweets.csv").sentiment_labels == 30
    assert ws.text.teach(FIXTURES / "smsa.tsv").sentiment_labels == 29
    assert ws.text.teach(tabs).sentiment_labels == 1
    assert _sources(ws) == {("mention", "airline_tweets.csv"), ("mention", "smsa.tsv"),
                            ("mention", "labels.tsv")}  # fmt: skip


TWEET = "581020034455513090"  # a mention of airline_tweets.csv


def _teach_file(ws: Workspace, tmp_path: Path, content: bytes) -> Path:
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    path = tmp_path / "labels.csv"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "message", "row", "column"),
    [
        # A header without sentiment or theme, a first row with an extra cell.
        (f"document_id,kind\n{TWEET},mention,positive\n", "needs columns", None, None),
        (f"document_id,kind,sentiment\n{TWEET},tweet,positive\n", "unknown document kind", 2,
         "kind"),
        (f"document_id,kind,sentiment\n{TWEET},mention,angry\n", "unknown sentiment", 2,
         "sentiment"),
        ("document_id,kind,sentiment\n42,mention,positive\n", "no mention with id '42'", 2,
         "document_id"),
    ],
)  # fmt: skip
def test_a_teach_file_is_refused_by_row_and_column(
    ws: Workspace, tmp_path: Path, content: str, message: str, row: int | None, column: str | None
) -> None:
    path = _teach_file(ws, tmp_path, content.encode())
    with pytest.raises(InputError, match=message) as raised:
        ws.text.teach(path)
    assert (raised.value.row, raised.value.column) == (row, column)
    assert ws.db.fetchall("SELECT count(*) FROM text_labels") == [(0,)]


def test_a_refused_row_is_named_by_the_line_it_is_on(ws: Workspace, tmp_path: Path) -> None:
    # A blank line and a quoted line break come before it: an editor shows 'angry' on line 6.
    content = (
        f'document_id,kind,sentiment,theme\n{TWEET},mention,negative,"late\nflight"\n\n'
        f"\n{TWEET},mention,angry,\n"
    )
    path = _teach_file(ws, tmp_path, content.encode())
    with pytest.raises(InputError, match="unknown sentiment 'angry'") as raised:
        ws.text.teach(path)
    assert raised.value.row == 6


def test_two_sentiments_for_one_document_are_refused_naming_both_rows(
    ws: Workspace, tmp_path: Path
) -> None:
    content = f"document_id,kind,sentiment\n{TWEET},mention,negative\n{TWEET},mention,positive\n"
    path = _teach_file(ws, tmp_path, content.encode())
    with pytest.raises(InputError, match="rows 2 and 3 give mention") as raised:
        ws.text.teach(path)
    assert raised.value.row == 3
    assert ws.db.fetchall("SELECT count(*) FROM text_labels") == [(0,)]


def test_one_sentiment_and_two_themes_of_a_document_are_counted_once_each(
    ws: Workspace, tmp_path: Path
) -> None:
    content = (
        f"document_id,kind,sentiment,theme\n{TWEET},mention,negative,delays\n"
        f"{TWEET},mention,negative,staff\n{TWEET},mention,negative,staff\n"
    )
    taught = ws.text.teach(_teach_file(ws, tmp_path, content.encode()))
    assert (taught.sentiment_labels, taught.theme_labels) == (1, 2)
    themes = ws.db.fetchall("SELECT theme FROM text_labels ORDER BY theme")
    assert themes == [("delays",), ("staff",)]


def test_a_teach_file_in_cp1252_with_spaced_column_names_is_taught(
    ws: Workspace, tmp_path: Path
) -> None:
    content = f"document_id, kind, sentiment, theme\n{TWEET},mention,negative,caf\xe9\n"
    taught = ws.text.teach(_teach_file(ws, tmp_path, content.encode("cp1252")))
    assert (taught.sentiment_labels, taught.theme_labels) == (1, 1)
    assert ws.db.fetchall("SELECT sentiment, theme FROM text_labels") == [("negative", "café")]


def test_a_text_repeated_under_two_labels_is_left_untaught_with_a_note(
    ws: Workspace, tmp_path: Path
) -> None:
    labels = ["negative", "neutral", "positive"]
    lines = ["text,sentiment"]
    lines += [f"Tweet number {n} about the flight today,{labels[n % 3]}" for n in range(9)]
    lines += ["Same words twice today,positive", "Same words twice today,negative"]
    lines += ["Said twice and agreed,positive", "Said twice and agreed,positive"]
    path = tmp_path / "tweets.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert ws.import_file(path, kind="mentions").rows_loaded == 13
    taught = ws.text.teach(path)
    # Nine texts and the two records of the agreed text; neither record of the torn one.
    assert taught.sentiment_labels == 11
    stored = ws.db.fetchall(
        "SELECT m.text, l.sentiment FROM text_labels l JOIN mentions m "
        "ON m.mention_id = l.document_id WHERE m.text LIKE 'S%' ORDER BY 1"
    )
    assert stored == [("Said twice and agreed", "positive")] * 2
    note = next(note for note in taught.notes if "different labels" in note)
    assert "2 mention(s)" in note and "positive (row 11), negative (row 12)" in note
    # Named by the text the user wrote, not by an id the import made.
    assert "text 'Same words twice today'" in note


def test_a_file_of_sentiments_keeps_the_themes_taught_before_it(
    db_url: str, tmp_path: Path
) -> None:
    # On both engines: keeping the other kind of label is SQL of its own (labelled_files._store).
    with advocacy.open(db_url) as ws:
        _sentiments_after_themes(ws, tmp_path)


def _sentiments_after_themes(ws: Workspace, tmp_path: Path) -> None:
    themes = f"document_id,kind,theme\n{TWEET},mention,Lounge\n{TWEET},mention,Opening hours\n"
    (tmp_path / "themes.csv").write_bytes(_teach_file(ws, tmp_path, themes.encode()).read_bytes())
    ws.text.teach(tmp_path / "themes.csv")
    (tmp_path / "sentiments.csv").write_text(
        f"document_id,kind,sentiment\n{TWEET},mention,neutral\n", "utf-8"
    )
    ws.text.teach(tmp_path / "sentiments.csv")
    rows = ws.db.fetchall("SELECT sentiment, theme, source FROM text_labels")
    assert sorted(rows, key=str) == sorted(
        [
            (None, "Lounge", "themes.csv"),
            (None, "Opening hours", "themes.csv"),
            ("neutral", None, "sentiments.csv"),
        ],
        key=str,
    )
    # Themes given again replace the themes, and keep the sentiment.
    (tmp_path / "again.csv").write_text(f"document_id,kind,theme\n{TWEET},mention,Staff\n", "utf-8")
    ws.text.teach(tmp_path / "again.csv")
    rows = ws.db.fetchall("SELECT sentiment, theme FROM text_labels")
    assert sorted(rows, key=str) == sorted([("neutral", None), (None, "Staff")], key=str)


def test_a_theme_the_assigned_taxonomy_lacks_is_refused(ws: Workspace, tmp_path: Path) -> None:
    # audit4 item 11: "Nonexistent theme" was stored and counted ("theme labels 1"), and
    # linked to nothing.
    from advocacy.text.catalogue import assign_taxonomy
    from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme

    content = f"document_id,kind,theme\n{TWEET},mention,Delays\n{TWEET},mention,Nonexistent theme\n"
    path = _teach_file(ws, tmp_path, content.encode())
    assign_taxonomy(ws.db, Taxonomy((TaxonomyTheme("Delays"), TaxonomyTheme("Staff"))))
    with pytest.raises(InputError, match="unknown theme 'Nonexistent theme'") as raised:
        ws.text.teach(path)
    assert (raised.value.row, raised.value.column) == (3, "theme")
    assert "'Delays', 'Staff'" in str(raised.value.fix)
    assert ws.db.fetchall("SELECT count(*) FROM text_labels") == [(0,)]
    # A theme written in another case is the taxonomy's theme, stored as the taxonomy names it.
    path.write_text(f"document_id,kind,theme\n{TWEET},mention,staff\n", "utf-8")
    assert ws.text.teach(path).theme_labels == 1
    assert ws.db.fetchall("SELECT theme FROM text_labels") == [("Staff",)]


def test_themes_taught_before_any_taxonomy_are_kept_with_a_note(
    ws: Workspace, tmp_path: Path
) -> None:
    content = f"document_id,kind,theme\n{TWEET},mention,Lounge\n"
    taught = ws.text.teach(_teach_file(ws, tmp_path, content.encode()))
    assert taught.theme_labels == 1
    assert taught.notes == (
        "1 theme label(s) kept for a taxonomy to come: none is assigned yet, and a label "
        "counts once one with a theme of its name is (advocacy text analyze --taxonomy FILE)",
    )


def test_a_labelled_file_with_titles_teaches_the_reviews_it_imported(
    ws: Workspace, tmp_path: Path
) -> None:
    # No ids: its rows find their reviews by what is read, the title then the text (and a
    # review with a title alone, stored with its title as its text).
    path = tmp_path / "reviews.csv"
    path.write_text(
        "Title,Review Text,sentiment\n"
        "Broke in a week,The handle snapped off.,negative\n"
        "Great value,The handle snapped off.,positive\n"
        "Love it,,positive\n",
        "utf-8",
    )
    assert ws.import_file(path, kind="mentions").rows_loaded == 3
    assert ws.text.teach(path).sentiment_labels == 3
    taught = ws.db.fetchall(
        "SELECT m.title, l.sentiment FROM text_labels l "
        "JOIN mentions m ON m.mention_id = l.document_id ORDER BY m.title"
    )
    assert taught == [
        ("Broke in a week", "negative"),
        ("Great value", "positive"),
        ("Love it", "positive"),
    ]
