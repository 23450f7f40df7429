"""Keys that never merge different records, on DuckDB and PostgreSQL.

Without an id in the source, a record's key is derived from everything it holds (canonical
fields, item ratings and the unmapped columns kept in ``attrs``), so two different files never
collide while re-importing a file, or an overlapping later export, adds nothing. With an id, two
different rows of one file sharing it are a conflict the user resolves.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import advocacy
from advocacy.errors import ValidationError
from advocacy.ingest.formats import adapt
from advocacy.ingest.readers import read_file
from advocacy.ingest.validation import validate
from advocacy.model import RESPONSES


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _survey(ward: str, answers: list[tuple[str, str]]) -> str:
    """A patient-survey export without ids: ward, a 0-10 recommend answer and a comment."""
    lines = ["Ward,How likely are you to recommend this ward to friends and family?,comment"]
    lines += [f"{ward},{score},{comment}" for score, comment in answers]
    return "\n".join(lines) + "\n"


ANSWERS = [("9", "Kind nurses"), ("3", ""), ("10", "Kind nurses"), ("3", "")]


def test_two_exports_without_ids_never_overwrite_each_other(db_url: str, tmp_path: Path) -> None:
    # The issue: a second export without ids "loaded 0, updated 551" and replaced the first
    # file's answers, because its rows agreed with the first file's in every keyed field and
    # differed only in a column kept in attrs.
    first = write(tmp_path, "ward_a.csv", _survey("Ward A", ANSWERS))
    second = write(tmp_path, "ward_b.csv", _survey("Ward B", ANSWERS))
    with advocacy.open(db_url) as ws:
        loaded = ws.import_file(first, kind="responses")
        other = ws.import_file(second, kind="responses")
        responses = ws.table("responses").execute()
    assert (loaded.rows_loaded, loaded.rows_unchanged) == (4, 0)
    assert (other.rows_loaded, other.rows_updated, other.rows_unchanged) == (4, 0, 0)
    wards = sorted(
        (row["attrs"] if isinstance(row["attrs"], dict) else json.loads(row["attrs"]))["Ward"]
        for row in responses.to_dict("records")
    )
    assert wards == ["Ward A"] * 4 + ["Ward B"] * 4


def test_reimport_and_overlapping_export_without_ids_add_nothing(
    db_url: str, tmp_path: Path
) -> None:
    first = write(tmp_path, "june.csv", _survey("Ward A", ANSWERS))
    # A later export of the same survey: the same four answers and two new ones.
    later = write(tmp_path, "june_july.csv", _survey("Ward A", [*ANSWERS, ("3", ""), ("7", "ok")]))
    with advocacy.open(db_url) as ws:
        ws.import_file(first, kind="responses")
        again = ws.import_file(first, kind="responses")
        overlap = ws.import_file(later, kind="responses")
        count = ws.table("responses").count().execute()
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, 4)
    # The third "3, no comment" is a new occurrence of an answer the first export had twice.
    assert (overlap.rows_loaded, overlap.rows_updated, overlap.rows_unchanged) == (2, 0, 4)
    assert count == 6


def _attrs(value: object) -> dict[str, str]:
    return value if isinstance(value, dict) else json.loads(str(value))


def test_rows_differing_only_in_item_ratings_or_constants_are_different_records(
    db_url: str, tmp_path: Path
) -> None:
    header = "How satisfied are you overall? (1-5),Please rate the food (1-5)\n"
    lunch = write(tmp_path, "lunch.csv", header + "4,2\n5,3\n")
    dinner = write(tmp_path, "dinner.csv", header + "4,5\n5,1\n")  # same CSAT, other ratings
    text = "Ward,comment\nA,Clean and quiet\n"
    spring = write(tmp_path, "spring.yaml", "kind: responses\nconstants:\n  survey: spring\n")
    autumn = write(tmp_path, "autumn.yaml", "kind: responses\nconstants:\n  survey: autumn\n")
    with advocacy.open(db_url) as ws:
        first = ws.import_file(lunch, kind="responses")
        second = ws.import_file(dinner, kind="responses")
        assert first.items_loaded == 2  # the food ratings are items
        assert (second.rows_loaded, second.rows_updated) == (2, 0)
        same_text = write(tmp_path, "wards.csv", text)
        ws.import_file(same_text, kind="responses", mapping=spring)
        other_survey = ws.import_file(same_text, kind="responses", mapping=autumn)
        assert (other_survey.rows_loaded, other_survey.rows_updated) == (1, 0)
        surveys = ws.db.fetchall("SELECT survey FROM responses WHERE survey IS NOT NULL ORDER BY 1")
        items = ws.table("response_items").count().execute()
    assert surveys == [("autumn",), ("spring",)]
    assert items == 4


def test_derived_keys_are_the_same_on_both_engines_and_across_versions(
    db_url: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "ward.csv", _survey("Ward A", ANSWERS))
    adapted = adapt(read_file(path), RESPONSES)
    computed = validate(adapted, timezone="UTC").rows
    scratch = sorted(
        zip(
            computed.column("_row").to_pylist(),
            computed.column("response_id").to_pylist(),
            strict=True,
        )
    )
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="responses")
        stored = {row[0] for row in ws.db.fetchall("SELECT response_id FROM responses")}
    assert stored == {key for _, key in scratch}
    # Pinned: a change to how keys are derived would key every id-less record of every
    # workspace anew, and the next import of the same file would add it all a second time.
    assert scratch[0] == (2, "k7b3a626f2e6e47d38ddbfcd0")
    assert all(key.startswith("k") and len(key) == 25 for _, key in scratch)
    # The two identical "3, no comment" answers stay two records.
    assert len(stored) == 4


def test_targets_keep_their_natural_key_and_the_ids_earlier_versions_gave(
    db_url: str, tmp_path: Path
) -> None:
    targets = "metric,scope,desired_value,due\nnps,all,40,2026-12-31\ncsat,unit=North,85,\n"
    path = write(tmp_path, "targets.csv", targets)
    revised = write(tmp_path, "revised.csv", targets.replace(",40,", ",45,"))
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="targets")
        ids = dict(ws.db.fetchall("SELECT metric, target_id FROM targets"))
        again = ws.import_file(revised, kind="targets")
        values = dict(ws.db.fetchall("SELECT metric, desired_value FROM targets"))
    # The ids advocacy gave these targets before keys covered whole records.
    assert ids == {"nps": "h1c3006d93b59ed231aba27d8", "csat": "hd1e9b11728e5a0ba008a41c3"}
    # A target is its metric, scope and due date: a new desired value revises it.
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 1, 1)
    assert values == {"nps": 45.0, "csat": 85.0}


CONFLICTING = (
    "response_id,submitted_at,nps,comment\n"
    "R1,2024-01-02T10:00:00Z,9,great\n"  # row 2
    "R2,2024-01-02T11:00:00Z,7,fine\n"  # row 3
    "R1,2024-01-02T10:00:00Z,2,awful\n"  # row 4: R1 again, other answers
    "R2,2024-01-02T11:00:00Z,7,fine\n"  # row 5: R2 repeated exactly
    "R3,2024-01-02T12:00:00Z,10,\n"  # row 6
    "R1,2024-01-02T10:00:00Z,2,awful\n"  # row 7: R1 as on row 4
)


def test_rows_sharing_an_id_with_different_values_are_all_quarantined(
    db_url: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "responses.csv", CONFLICTING)
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="responses")
        stored = dict(ws.db.fetchall("SELECT response_id, nps FROM responses"))
        quarantined = ws.quarantine()
    assert (result.rows_loaded, result.rows_unchanged, result.rows_quarantined) == (2, 1, 3)
    assert stored == {"R2": 7, "R3": 10}
    reasons = {item["row"]: item for item in quarantined}
    assert sorted(reasons) == [2, 4, 7]
    assert reasons[4]["column"] == "response_id" and reasons[4]["value"] == "R1"
    assert reasons[4]["reason"].startswith(
        "conflicting key: response_id 'R1' is also on rows 2, 7 with different values, so none "
        "of them was loaded"
    )
    assert "on_conflict: first|last" in reasons[4]["fix"]
    assert "is also on rows 4, 7" in reasons[2]["reason"]
    assert reasons[7]["record"]["comment"] == "awful"  # the whole row is kept to fix


@pytest.mark.parametrize(
    ("choice", "kept", "unchanged", "set_aside"),
    [
        ("first", 9, 1, "4, 7"),  # row 2 kept; rows 4 and 7 differ from it
        ("last", 2, 2, "2"),  # row 7 kept; row 4 repeats it, row 2 differs
    ],
)
def test_on_conflict_first_or_last_keeps_one_and_says_which_were_set_aside(
    db_url: str, tmp_path: Path, choice: str, kept: int, unchanged: int, set_aside: str
) -> None:
    path = write(tmp_path, "responses.csv", CONFLICTING)
    mapping = write(tmp_path, "map.yaml", f"kind: responses\non_conflict: {choice}\n")
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="responses", mapping=mapping)
        stored = dict(ws.db.fetchall("SELECT response_id, nps FROM responses"))
        assert ws.quarantine() == []
    assert stored == {"R1": kept, "R2": 7, "R3": 10}
    assert (result.rows_loaded, result.rows_unchanged, result.rows_quarantined) == (3, unchanged, 0)
    assert result.rows_superseded == len(set_aside.split(", "))
    assert (
        result.rows_read
        == 6
        == (result.rows_loaded + result.rows_unchanged + result.rows_superseded)
    )
    assert any(
        f"on_conflict: {choice} kept the {choice} of them instead: row(s) {set_aside}" in note
        for note in result.notes
    ), result.notes


def test_api_writes_without_ids_stay_idempotent_and_refuse_conflicts(db_url: str) -> None:
    notes = [
        {"customer_id": "C1", "text": "Called back, resolved"},
        {"customer_id": "C1", "text": "Called back, resolved", "channel": "phone"},
    ]
    with advocacy.open(db_url) as ws:
        first = ws.write_records("notes", notes)
        again = ws.write_records("notes", notes)
        assert (first.inserted, again.inserted, again.unchanged) == (2, 0, 2)
        with pytest.raises(ValidationError, match="conflicting key: note_id 'n-1'"):
            ws.write_records(
                "notes", [{"note_id": "n-1", "text": "a"}, {"note_id": "n-1", "text": "b"}]
            )
        assert ws.table("notes").count().execute() == 2


def test_a_workspace_keyed_the_old_way_is_told_so(db_url: str, tmp_path: Path) -> None:
    # What an earlier version stored for an id-less file: keys of 'h' and 24 hex digits.
    old = write(
        tmp_path,
        "old.csv",
        "response_id,nps,comment\nh1c3006d93b59ed231aba27d8,9,Kind nurses\n"
        "hd1e9b11728e5a0ba008a41c3,3,\n",
    )
    fresh = write(tmp_path, "ward_a.csv", _survey("Ward A", ANSWERS))
    with advocacy.open(db_url) as ws:
        with_ids = ws.import_file(fresh, kind="responses", dry_run=True)
        ws.import_file(old, kind="responses")
        result = ws.import_file(fresh, kind="responses")
        again = ws.import_file(fresh, kind="responses")
    assert not any("earlier versions" in note for note in with_ids.notes)
    [note] = [note for note in result.notes if "earlier versions" in note]
    assert note.startswith("this workspace holds 2 responses without ids keyed the way earlier")
    assert not any("earlier versions" in note for note in again.notes)  # nothing was inserted


CELLS = st.sampled_from(["", "a", "b", "a b", " a", "Ä", "x,y", '"q"'])
COLUMNS = st.lists(
    st.sampled_from(["comment", "Ward", "Note"]), min_size=1, max_size=3, unique=True
)


@st.composite
def exports(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    columns = draw(COLUMNS)
    rows = draw(st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)), max_size=6))
    return columns, [row for row in rows if any(cell.strip() for cell in row)]


def _keys(columns: list[str], rows: list[list[str]]) -> list[tuple[object, int]]:
    """What identifies each row: its non-empty cells by column, and its occurrence number."""
    seen: dict[frozenset[tuple[str, str]], int] = {}
    keys = []
    for row in rows:
        content = frozenset(
            (name, cell.strip(" ")) for name, cell in zip(columns, row, strict=True) if cell.strip()
        )
        seen[content] = seen.get(content, 0) + 1
        keys.append((content, seen[content]))
    return keys


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=exports(), second=exports())
@example(first=(["comment"], [["a"]]), second=(["comment"], [[" a"]]))  # found by Hypothesis
def test_files_without_ids_merge_only_what_is_the_same_row(
    first: tuple[list[str], list[list[str]]], second: tuple[list[str], list[list[str]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, (columns, rows) in (("first.csv", first), ("second.csv", second)):
            path = Path(folder) / name
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                writer.writerows(rows)
            paths.append(path)
        with advocacy.open(str(Path(folder) / "ws.duckdb")) as ws:
            loaded = [ws.import_file(path, kind="responses") for path in paths]
            again = ws.import_file(paths[0], kind="responses")
            stored = ws.table("responses").count().execute()
    expected = set(_keys(*first)) | set(_keys(*second))
    assert stored == len(expected)
    assert loaded[0].rows_loaded == len(first[1])
    assert loaded[1].rows_loaded == len(set(_keys(*second)) - set(_keys(*first)))
    # The same row written differently (" a" for "a": keys ignore the spaces, the text keeps
    # them as written) is an update of that row, and loading the first file again undoes it.
    written = {
        key: _written(first[0], row) for key, row in zip(_keys(*first), first[1], strict=True)
    }
    rewritten = sum(
        key in written and written[key] != _written(second[0], row)
        for key, row in zip(_keys(*second), second[1], strict=True)
    )
    assert loaded[1].rows_updated == rewritten
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (
        0,
        rewritten,
        len(first[1]) - rewritten,
    )


def _written(columns: list[str], row: list[str]) -> frozenset[tuple[str, str]]:
    """A row's non-empty cells as written (spaces kept)."""
    return frozenset((name, cell) for name, cell in zip(columns, row, strict=True) if cell.strip())


def test_a_key_shared_by_thousands_of_rows_is_reported_briefly(
    duckdb_url: str, tmp_path: Path
) -> None:
    key = "R" + "9" * 300  # a hostile id: long, and shared by every row
    lines = ["response_id,nps"] + [f"{key},{index % 11}" for index in range(3_000)]
    path = write(tmp_path, "same.csv", "\n".join(lines) + "\n")
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(path, kind="responses", dry_run=True)
    assert (result.rows_loaded, result.rows_quarantined) == (0, 3_000)
    reason = result.quarantine[0].reason
    shown = key[:79] + "…"
    assert reason.startswith(
        f"conflicting key: response_id {shown!r} is also on rows 3, 4, 5, 6, 7, 8, 9, 10, 11, "
        "12 and 2,989 more with different values"
    )
    assert result.quarantine[0].value == key  # the cell keeps the whole value
    assert len(reason) < 400
