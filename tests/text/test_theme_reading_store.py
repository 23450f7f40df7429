"""Kept theme readings: assigning a taxonomy again reads only what changed, with the same rows.

Each document's theme reading is kept (``text_theme_readings``); a later assignment reads only
the documents that are new, changed or of another language, and must store exactly the rows
of reading every text again, on both engines, with hostile texts among real reviews.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.settings import Settings
from advocacy.text.catalogue import assign_taxonomy
from advocacy.text.enrich import analyze_workspace
from support.corpora import blitzer_reviews
from support.taxonomies import BLITZER_TAXONOMY

TAXONOMY = BLITZER_TAXONOMY
#: Another taxonomy: other keywords, so the kept keyword hits do not serve it.
OTHER = TAXONOMY.replace("[story, plot, characters, author]", "[book, read, pages]")
#: Hostile texts: markup, a formula, a giant text of 3,600 sentences, other scripts.
HOSTILE = [
    "n/a",
    "<script>alert('x')</script> =HYPERLINK(\"http://x\") terrible price. It broke.",
    "The price! " * 1800,  # 19,800 characters: about the most a text may hold
    "Die Lieferung kam zu spät. Der Kundendienst hat nie geantwortet, und das Paket war nass.",
    "配送が遅れました。 品質は良いです。 価格は高い。",
    "The story, the plot!!! 📦 and the price...\nSecond line here: shipping was slow.",
    "Great.",
]
T0, T1, T2 = (datetime(2026, 12, 7, hour, tzinfo=UTC) for hour in (1, 2, 3))


def _records(texts: list[str], first: int = 0) -> list[dict[str, Any]]:
    return [
        {"response_id": f"r{first + i:04d}", "comment": text, "nps": (len(text) * 7) % 11}
        for i, text in enumerate(texts)
    ]


def _rows(ws: Any) -> dict[str, list[Any]]:
    """The theme rows a user reads, without the times of the run."""
    queries = {
        "links": "SELECT document_kind, document_id, theme_id, score, origin, model "
        "FROM document_themes ORDER BY 1, 2, 3, 5",
        "themes": "SELECT theme_id, name, description, keywords, examples, parent, origin, "
        "size, quotes, model FROM themes ORDER BY theme_id",
    }
    return {name: ws.db.fetchall(sql) for name, sql in queries.items()}


def _read_at(ws: Any) -> dict[str, datetime]:
    rows = ws.db.fetchall("SELECT document_id, read_at FROM text_theme_readings")
    return {str(document): stamp.astimezone(UTC) for document, stamp in rows}


def _all_read_again(ws: Any, taxonomy: Path) -> dict[str, list[Any]]:
    """The rows of reading every text again (nothing kept)."""
    ws.db.execute("DELETE FROM text_theme_readings")
    assign_taxonomy(ws.db, taxonomy, now=T2)
    return _rows(ws)


def test_kept_readings_give_the_rows_of_reading_every_text(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, 160, seed=11, words=80)
    texts = [*HOSTILE, *texts]
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = advocacy.open(db_url, create=True, settings=Settings.load(text_workers=1))
    ws.write_records("responses", _records(texts[:120]))
    assign_taxonomy(ws.db, taxonomy, now=T0)
    first = _read_at(ws)
    assert set(first) == {f"r{i:04d}" for i in range(120)} and set(first.values()) == {T0}
    # New texts, a changed one, a deleted one: only the new and changed are read.
    ws.write_records("responses", _records(texts[120:], first=120))
    ws.write_records("responses", [{"response_id": "r0010", "comment": "The plot was thin."}])
    ws.db.execute("DELETE FROM responses WHERE response_id = 'r0011'")
    assign_taxonomy(ws.db, taxonomy, now=T1)
    again = _read_at(ws)
    read = {document for document, stamp in again.items() if stamp == T1}
    assert read == {"r0010", *(f"r{i:04d}" for i in range(120, len(texts)))}
    assert "r0011" not in again  # the deleted document's reading went with it
    kept = _rows(ws)
    assert ("response", "r0010", "curated:Story", 1.0, "curated") in {r[:5] for r in kept["links"]}
    assert len(kept["links"]) > len(texts) // 2
    assert kept == _all_read_again(ws, taxonomy)
    ws.close()


def test_another_taxonomy_searches_the_kept_sentences_for_its_keywords(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, 120, seed=12, words=80)
    texts = [*HOSTILE, *texts]
    first, other = tmp_path / "first.yaml", tmp_path / "other.yaml"
    first.write_text(TAXONOMY, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    ws = advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True)
    ws.write_records("responses", _records(texts))
    assign_taxonomy(ws.db, first, now=T0)
    before = _rows(ws)
    assign_taxonomy(ws.db, other, now=T1)
    # Every row's keyword hits are the other taxonomy's now (written again, not read again).
    assert len({row[0] for row in ws.db.fetchall("SELECT keywords FROM text_theme_readings")}) == 1
    searched = _rows(ws)
    assert ("response", "r0002", "curated:Price") in {row[:3] for row in searched["links"]}
    story = [row[1:4] for row in searched["links"] if row[2] == "curated:Story"]
    assert story != [row[1:4] for row in before["links"] if row[2] == "curated:Story"]
    assert {document for document, stamp in _read_at(ws).items() if stamp == T1} == set(
        _read_at(ws)
    )
    assert searched == _all_read_again(ws, other)
    ws.close()


def test_a_reading_given_beside_rows_kept_under_another_taxonomy(tmp_path: Path) -> None:
    """``text analyze --taxonomy`` hands over the first documents' reading; kept rows of the
    same documents under another taxonomy are searched again, and each document counts once."""
    from advocacy.text import default_embedder
    from advocacy.text.taxonomy import load_taxonomy
    from advocacy.text.theme_sentences import theme_reading

    first, other = tmp_path / "first.yaml", tmp_path / "other.yaml"
    first.write_text(TAXONOMY, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    ws = advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True)
    ws.write_records("responses", _records(HOSTILE))
    assign_taxonomy(ws.db, first, now=T0)
    given = theme_reading(HOSTILE[:4], load_taxonomy(other), embedder=default_embedder())
    assign_taxonomy(ws.db, other, now=T1, read=given)
    assert len(ws.db.fetchall("SELECT * FROM text_theme_readings")) == len(HOSTILE)
    assert _rows(ws) == _all_read_again(ws, other)
    ws.close()


def test_a_kept_row_that_does_not_fit_its_text_is_read_again(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True)
    ws.write_records("responses", _records(HOSTILE))
    assign_taxonomy(ws.db, taxonomy, now=T0)
    truth = _rows(ws)
    # Edited rows: vectors cut short, sentences past the text's end, a hit of no theme.
    ws.db.execute("UPDATE text_theme_readings SET vectors = ? WHERE document_id = 'r0001'", [b"x"])
    ws.db.execute(
        "UPDATE text_theme_readings SET sentences = ? WHERE document_id = 'r0003'",
        [bytes(range(8)) * 40],
    )
    ws.db.execute(
        "UPDATE text_theme_readings SET hits = ? WHERE document_id = 'r0005'", [b"\1" * 8]
    )
    # Two rows of one document (two writers at once): read again, one row kept.
    ws.db.execute(
        "INSERT INTO text_theme_readings SELECT * FROM text_theme_readings "
        "WHERE document_id = 'r0006'"
    )
    assign_taxonomy(ws.db, taxonomy, now=T1)
    again = _read_at(ws)
    assert {document for document, stamp in again.items() if stamp == T1} == {
        "r0001",
        "r0003",
        "r0005",
        "r0006",
    }
    assert len(ws.db.fetchall("SELECT * FROM text_theme_readings")) == len(HOSTILE)
    assert _rows(ws) == truth
    ws.close()


def test_a_failed_assignment_keeps_no_reading(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True)
    ws.write_records("responses", _records(HOSTILE))
    # The themes cannot be written (a table gone): the readings are not written either.
    ws.db.execute("DROP INDEX document_themes_document")
    ws.db.execute("ALTER TABLE document_themes RENAME TO document_themes_away")
    with pytest.raises(Exception, match="document_themes"):
        assign_taxonomy(ws.db, taxonomy, now=T0)
    assert ws.db.fetchall("SELECT * FROM text_theme_readings") == []
    ws.close()


@pytest.mark.skipif(
    not __import__("advocacy.text.workers", fromlist=["can_fork"]).can_fork(),
    reason="worker processes need fork (Linux)",
)
def test_a_later_analyze_in_batches_reads_only_the_new_texts(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, 400, seed=13, words=60)
    texts = [*HOSTILE, *texts]
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    settings = Settings.load(text_workers=2)
    ws = advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True, settings=settings)
    ws.write_records("responses", _records(texts[:300]))
    analyze_workspace(ws.db, batch_size=120, workers=2, taxonomy=taxonomy, now=T0)
    unscored = [{**row, "nps": None} for row in _records(texts[300:], first=300)]
    ws.write_records("responses", unscored)
    later = analyze_workspace(ws.db, batch_size=120, workers=2, now=T1)
    assert later.analyzed == len(texts) - 300 and later.themes is not None
    read = {document for document, stamp in _read_at(ws).items() if stamp == T1}
    assert read == {f"r{i:04d}" for i in range(300, len(texts))}
    assert _rows(ws) == _all_read_again(ws, taxonomy)
    ws.close()
