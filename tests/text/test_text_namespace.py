"""``ws.text``: analysing, teaching and theming a workspace's texts through the facade.

Runs on a real DuckDB file and a real PostgreSQL server (``db_url``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import InputError, NotFoundError
from advocacy.workspace import Workspace

COMMENTS = [
    ("R1", 2, "Refund still hasn't arrived after five weeks. Awful."),
    ("R2", 1, "Charged twice and an hour on hold to fix the refund."),
    ("R3", 10, "Delivery came next morning, well packed. Brilliant."),
    ("R4", 9, "Friendly staff, the delivery was quick and well packed."),
    ("R5", 3, "Parcel arrived damaged and the courier was rude."),
    ("R6", 8, "The delivery was on time."),
]


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    records = [
        {"response_id": rid, "submitted_at": f"2024-03-0{n}", "nps": nps, "comment": text}
        for n, (rid, nps, text) in enumerate(COMMENTS, start=1)
    ]
    with advocacy.open(db_url) as workspace:
        workspace.write_records("responses", records)
        yield workspace


def test_analyze_is_incremental_and_sentences_are_redacted(ws: Workspace) -> None:
    first = ws.text.analyze(calibrate=False)
    assert (first.analyzed, first.unchanged) == (6, 0)
    assert ws.text.analyze(calibrate=False).analyzed == 0
    assert "+workspace" in ws.text.analyze().model  # calibrated on the scored comments
    ws.write_records("responses", [{"response_id": "R9", "comment": "Call +44 20 7946 0958."}])
    assert ws.text.analyze().analyzed == 1
    assert [row["sentence"] for row in ws.text.sentences("response", "R9")] == ["Call [phone]."]


def test_teach_stores_labels_and_refuses_unknown_documents(ws: Workspace, tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("document_id,kind,sentiment\nR6,response,positive\n", encoding="utf-8")
    taught = ws.text.teach(labels)
    assert (taught.sentiment_labels, taught.theme_labels) == (1, 0)
    labels.write_text("document_id,kind,sentiment\nNOPE,response,positive\n", encoding="utf-8")
    with pytest.raises(InputError, match="NOPE"):
        ws.text.teach(labels)


def test_themes_are_assigned_discovered_listed_quoted_and_promoted(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.text.analyze(calibrate=False)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n  - name: Delivery\n    keywords: [delivery, parcel, courier]\n",
        encoding="utf-8",
    )
    counts = ws.text.assign_themes(taxonomy)
    assert list(counts["theme_id"]) == ["curated:Delivery"]
    discovered = ws.text.discover_themes(n_themes=2)
    assert len(discovered) == 2
    listed = ws.text.themes()
    assert set(listed["origin"]) == {"curated", "discovered"}
    assert sorted(ws.text.themes(origin="discovered")["theme_id"]) == sorted(
        theme.theme_id for theme in discovered
    )
    quotes = ws.text.theme_sentences(origin="curated")
    assert list(quotes["name"]) == ["Delivery"]

    found = ws.text.themes(origin="discovered")["theme_id"].iloc[0]
    promoted = ws.text.promote_theme(found, tmp_path / "more.yaml", name="Refunds")
    assert promoted.name == "Refunds"
    with pytest.raises(NotFoundError):
        ws.text.promote_theme("nope", tmp_path / "more.yaml")
