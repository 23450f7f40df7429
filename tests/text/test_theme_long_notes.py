"""Themes read the whole of a long note, as its sentiment and effort do (review27 finding 6).

A call or interview note of 60,000 characters of small talk whose complaint comes last got no
theme: the themes read only its first 20,000 characters, silently.
"""

from __future__ import annotations

import csv
from pathlib import Path

import advocacy

SMALL_TALK = "The staff were friendly and the room was clean and bright. " * 1_100
COMPLAINT = (
    "Finally: the courier lost my parcel and the delivery was three weeks late, and I had to "
    "call support five times."
)
TAXONOMY = """\
themes:
  - name: Delivery
    keywords: [courier, parcel, delivery]
  - name: Support
    keywords: [support, call centre]
  - name: Rooms
    keywords: [room, clean]
"""


def test_a_complaint_after_60000_characters_of_a_note_gets_its_themes(
    duckdb_url: str, tmp_path: Path
) -> None:
    notes = {
        "last": SMALL_TALK + COMPLAINT,  # the complaint after 60,000 characters
        "first": COMPLAINT + " " + SMALL_TALK,
        "short": "Lovely clean room, nothing else to say about it really.",
    }
    assert len(notes["last"]) > 60_000
    path = tmp_path / "notes.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note_id", "text"])
        writer.writerows(notes.items())
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="notes")
        ws.text.analyze(taxonomy=taxonomy)
        themes: dict[str, set[str]] = {}
        for document_id, name in ws.db.fetchall(
            "SELECT d.document_id, t.name FROM document_themes d "
            "JOIN themes t ON t.theme_id = d.theme_id"
        ):
            themes.setdefault(str(document_id), set()).add(str(name))
    assert {"Delivery", "Support", "Rooms"} <= themes["last"]
    assert themes["last"] == themes["first"]
    assert "Delivery" not in themes.get("short", set())
