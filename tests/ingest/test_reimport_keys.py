"""A file imported by the version before 2026-12-07 imports again without a row twice.

nacells read a 0-10 column with "N/A" as NPS, and guessed "submission_id"-like columns as the
response's id. Both changed the key of rows the previous version had stored (review22 items 1
and 2): a cumulative export imported again after the upgrade loaded its rows a second time.
The keys pinned here are those the version before (b3d7c65) gave these files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import advocacy

RECOMMEND = "How likely are you to recommend us (0-10)?"
WHY = "Why did you give this score?"


def _survey(path: Path, odd: dict[int, str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submitted_at", RECOMMEND, WHY])
        for row in range(12):
            score = odd.get(row, str(row % 11))
            writer.writerow(["2026-11-20", score, f"Visit {row}: the staff were kind"])
    return path


def _keys(tmp_path: Path, path: Path) -> tuple[list[str], dict[str, str]]:
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="responses")
        keys = sorted(ws.table("responses").execute()["response_id"])
    return keys, {d["column"]: d["field"] for d in result.detected}


#: The keys b3d7c65 gave ``_survey`` with "N/A", "Not sure" and a label (it kept the column in
#: attrs); generated with `git archive b3d7c65 src` and advocacy.open(...).import_file.
KEYS_BEFORE = [
    "k0a03852724bc0775fb6047cf",
    "k1010dca9a02ef9a6fd9d24a9",
    "k1101c0c99d5aee8c5a754839",
    "k20711d958d943e9dd7b830f1",
    "k6131f38e256a76c0ecaff479",
    "k650606419289bfe9c4c9ab75",
    "k6ec080c469cc93fd35a624b4",
    "k7095bad13df1d4f05c3b606c",
    "kd7be94bc94830a481df3249d",
    "kedb04addac07ef664339ee85",
    "kf2710495ad9ae15f16bc5148",
    "kf633b02b2891bacb8d7639a4",
]
#: The keys b3d7c65 gave it with "Don't know" and a label, which it read as NPS already.
KEYS_BEFORE_KNOWN = [
    "k08e8bd5a792ad0479afa9185",
    "k1010dca9a02ef9a6fd9d24a9",
    "k1101c0c99d5aee8c5a754839",
    "k20711d958d943e9dd7b830f1",
    "k45432246883e6a1ae0ef2e5f",
    "k6131f38e256a76c0ecaff479",
    "k650606419289bfe9c4c9ab75",
    "k6ec080c469cc93fd35a624b4",
    "kce2073fabdef44425cd5995b",
    "kd7be94bc94830a481df3249d",
    "kedb04addac07ef664339ee85",
    "kf633b02b2891bacb8d7639a4",
]


def test_rows_with_a_non_answer_keep_the_key_they_had(tmp_path: Path) -> None:
    odd = {3: "N/A", 5: "Not sure", 8: "10 - Extremely likely"}
    keys, fields = _keys(tmp_path, _survey(tmp_path / "na.csv", odd))
    assert fields[RECOMMEND] == "nps"
    assert keys == KEYS_BEFORE


def test_a_column_read_as_before_keeps_its_keys_too(tmp_path: Path) -> None:
    odd = {3: "Don't know", 8: "10 - Extremely likely"}
    keys, fields = _keys(tmp_path, _survey(tmp_path / "dk.csv", odd))
    assert fields[RECOMMEND] == "nps"
    assert keys == KEYS_BEFORE_KNOWN


def test_a_non_answer_row_imported_twice_is_one_row(tmp_path: Path) -> None:
    path = _survey(tmp_path / "na.csv", {3: "N/A", 5: "-"})
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        ws.import_file(path, kind="responses")
        again = ws.import_file(path, kind="responses")
        stored = ws.table("responses").execute()
    assert (again.rows_loaded, again.rows_updated, len(stored)) == (0, 0, 12)


def test_a_submission_id_does_not_newly_key_a_cumulative_export(tmp_path: Path) -> None:
    path = tmp_path / "sub.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submission_id", RECOMMEND, WHY])
        for row in range(12):
            writer.writerow([f"sub-1000{row:02d}", str(row % 11), f"Visit {row}: kind staff"])
    keys, fields = _keys(tmp_path, path)
    # Kept in attrs, as before: the rows stay keyed by all they hold, so the file's next,
    # longer export updates them rather than loading them again.
    assert fields["submission_id"] == "attrs"
    assert all(key.startswith("k") for key in keys) and len(keys) == 12


def test_a_quarantined_row_shows_the_rating_cell_as_written(tmp_path: Path) -> None:
    path = tmp_path / "na.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["submitted_at", RECOMMEND, WHY])
        for row in range(12):
            # Row 3: a non-answer, and a date no one can read, which quarantines the row.
            when, score = ("the 40th", "N/A") if row == 3 else ("2026-11-20", str(row % 11))
            writer.writerow([when, score, f"Visit {row}: the staff were kind"])
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="responses")
    [entry] = result.quarantine
    record = entry.source_record()
    # The file's cells, so `quarantine export` writes a file that imports as this one did.
    assert record[RECOMMEND] == "N/A"
    assert not [name for name in record if name.startswith(f"{RECOMMEND} (")]
