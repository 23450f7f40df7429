"""Themes the report discovers itself are named in their texts' language, as stored ones are.

Without a stored discovery the report finds themes of its own; it passed them no languages, so
French reviews were named by French function words ("sont / ils", "quelques / après").
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pandas as pd

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections.text import build
from advocacy.text.phrases import fold
from advocacy.text.theme_names import naming_stop_words


def test_themes_the_report_discovers_are_named_in_their_language(
    shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "text-corpora" / "marc-amazon-multi" / "fr" / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        texts = [row[1] for _, row in zip(range(600), csv.reader(handle), strict=False)]
    path = tmp_path / "mentions.csv"
    pd.DataFrame({"text": texts, "platform": "store"}).to_csv(path, index=False)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        assert ws.text.themes().empty  # the report discovers them itself
        page = str(build(ws, ReportScope()).body)
    names = [html.unescape(name) for name in re.findall(r'<div class="card"><h4>(.*?)</h4>', page)]
    assert len(names) >= 4, page[:2000]
    stop = naming_stop_words("fr")
    for name in names:
        for phrase in name.split(" / "):
            words = phrase.split()
            assert fold(words[0]) not in stop and fold(words[-1]) not in stop, name
