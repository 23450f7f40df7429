"""Japanese and Chinese text is counted in words although it has no spaces between them.

MARC's test files (``id,review,stars`` lines without a header) import whole in every language:
before, the German file kept its first review while the Japanese and Chinese ones were refused,
because their reviews, written without spaces, counted as one or two "words" each.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import advocacy
from advocacy.ingest.word_count import word_count

MARC = Path("text-corpora") / "marc-amazon-multi"


def test_a_sentence_without_spaces_counts_its_words_by_letters() -> None:
    assert word_count("Great service, thanks") == 3
    assert word_count("とても良い商品でした。") == 5  # 10 kana and kanji
    assert word_count("质量很好") == 2
    assert word_count("好") == 1
    assert word_count("iPhone 很好用") == 2
    assert word_count("") == 0


@pytest.mark.shared_data
@pytest.mark.parametrize("language", ["ja", "zh", "de"])
def test_marc_test_files_without_a_header_import_whole(
    shared_data: Path, tmp_path: Path, language: str
) -> None:
    with (shared_data / MARC / language / "test.csv").open(encoding="utf-8", newline="") as handle:
        records = [row for _, row in zip(range(200), csv.reader(handle), strict=False)]
    path = tmp_path / f"{language}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        result = ws.import_file(path, kind="mentions")
        stored = list(ws.table("mentions").execute()["text"])
    assert result.rows_loaded == len(records)
    assert result.rows_quarantined == 0
    assert sorted(stored) == sorted(text for _, text, _ in records)
