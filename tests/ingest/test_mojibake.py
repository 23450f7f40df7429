"""Mojibake is repaired, counted and kept where the repair may lose something; clean text is not."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

import advocacy
from advocacy.ingest.mojibake import ORIGINAL_SUFFIX, repair_table, repair_text
from advocacy.ingest.readers import read_file

# UTF-8 text that went through cp1252 (and, for the closing quote, mac-roman) upstream, as in
# the export: the file itself is valid UTF-8.
DAMAGED = (
    "response_id,comment,name\n"
    "r1,â€œear wormâ€ù all day,JosÃ©\n"
    "r2,The app doesnâ€™t load,Zoë\n"
    "r3,Great service,Ana\n"
)


def _attrs(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else json.loads(str(value))


def test_mojibake_repaired_and_counted(duckdb_url: str, tmp_path: Path) -> None:
    path = tmp_path / "damaged.csv"
    path.write_text(DAMAGED, encoding="utf-8")
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(path, kind="responses")
        stored = ws.db.fetchall("SELECT response_id, comment, attrs FROM responses ORDER BY 1")
    assert [row[1] for row in stored] == [
        "“ear worm” all day",
        "The app doesn’t load",
        "Great service",
    ]
    assert _attrs(stored[0][2])["name"] == "José"
    [note] = [note for note in result.notes if "mojibake" in note]
    assert "in 3 cell(s) ('comment': 2, 'name': 1)" in note
    # The closing quote was a guess (its byte came back through another codec): the original
    # is kept beside the repair; the exact repairs keep no copy.
    assert _attrs(stored[0][2])["comment" + ORIGINAL_SUFFIX] == "â€œear wormâ€ù all day"
    assert "comment" + ORIGINAL_SUFFIX not in _attrs(stored[1][2])
    assert "1 repair(s) may have lost something" in note


@pytest.mark.parametrize(
    "text",
    [
        "naïve “quoted” — fine, 12 €",
        "&amp; <b>bold</b> &lt;tag&gt;",
        "line one\r\nline two\rthree",
        "NÃO GOSTEI, péssimo",  # Portuguese capitals: not mojibake
        "«été» à Zürich — ½ price",
        "ＦＵＬＬ width ﬁ ligature",
        "emoji 😀 and 日本語",
    ],
)
def test_clean_text_is_left_byte_identical(text: str) -> None:
    assert repair_text(text) == (text, True)
    table = pa.table({"text": [text]})
    repaired, repairs = repair_table(table)
    assert repaired.column("text").to_pylist() == [text]
    assert repairs.cells == 0


def test_mac_roman_and_latin1_mojibake() -> None:
    assert repair_text("Caf√© cr√®me") == ("Café crème", True)
    assert repair_text("NÃ£o gostei") == ("Não gostei", True)


@pytest.mark.shared_data
def test_real_clean_files_come_through_unchanged(shared_data: Path) -> None:
    files = [
        shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv",
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv",
    ]
    for path in files:
        rows = read_file(path).rows
        repaired, repairs = repair_table(rows)
        assert repairs.cells == 0, path
        assert repaired.equals(rows)
    for path in sorted((shared_data / "tweeteval").glob("*/*_text.txt")):
        table = pa.table({"text": path.read_text(encoding="utf-8").split("\n")})
        repaired, repairs = repair_table(table)
        assert repairs.cells == 0, path
        assert repaired.equals(table)
