"""Kept theme readings: assigning a taxonomy again reads only what changed, with the same rows.

Each document's theme reading is kept (``text_theme_readings``); a later assignment reads only
the documents that are new, changed or of another language, and must store exactly the rows
of reading every text again, on both engines, with hostile texts among real reviews.
"""

from __future__ import annotations

from dataclasses import replace
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
    kept = ws.db.fetchall("SELECT document_id, sentences, tokens FROM text_theme_readings")
    assign_taxonomy(ws.db, other, now=T1)
    # Every row's keyword hits are the other taxonomy's now; nothing else was read or written
    # again (only the keywords and hits are updated: a switch does not rewrite every row).
    assert len({row[0] for row in ws.db.fetchall("SELECT keywords FROM text_theme_readings")}) == 1
    assert set(_read_at(ws).values()) == {T0}
    after = ws.db.fetchall("SELECT document_id, sentences, tokens FROM text_theme_readings")
    assert sorted(after) == sorted(kept)
    searched = _rows(ws)
    assert ("response", "r0002", "curated:Price") in {row[:3] for row in searched["links"]}
    story = [row[1:4] for row in searched["links"] if row[2] == "curated:Story"]
    assert story != [row[1:4] for row in before["links"] if row[2] == "curated:Story"]
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
    # A reading handed over without the rows it summed (built elsewhere): they are found again.
    handed = theme_reading(HOSTILE[:4], load_taxonomy(first), embedder=default_embedder())
    assign_taxonomy(ws.db, first, now=T0, read=replace(handed, tokens=None))
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
    # Edited rows: rows cut short, rows of no piece (-1), the text's own rows cut short,
    # sentences past the text's end, a hit of no theme.
    ws.db.execute("UPDATE text_theme_readings SET tokens = ? WHERE document_id = 'r0001'", [b"x"])
    (size,) = ws.db.fetchall(
        "SELECT octet_length(tokens) FROM text_theme_readings WHERE document_id = 'r0002'"
    )[0]
    ws.db.execute(
        "UPDATE text_theme_readings SET tokens = ? WHERE document_id = 'r0002'",
        [b"\xff" * int(size)],
    )
    ws.db.execute(
        "UPDATE text_theme_readings SET text_tokens = ? WHERE document_id = 'r0004'", [b"\1"]
    )
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
        "r0002",
        "r0003",
        "r0004",
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


def test_the_kept_reading_is_that_of_every_text_to_the_bit(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    """The sums of the kept rows are the vectors of reading the texts again, exactly. A text's
    own rows are kept beside its sentences' only where they differ (a word cut at a
    sentence's edge, the text past the sentences read), and they are needed."""
    import numpy as np
    import pandas as pd

    from advocacy.text import default_embedder
    from advocacy.text.taxonomy import load_taxonomy
    from advocacy.text.theme_reading_store import reading_with_kept
    from advocacy.text.theme_sentences import theme_reading

    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    reviews, _ = blitzer_reviews(shared_data, 60, seed=14, words=80)
    texts = [*HOSTILE, *reviews]
    ws = advocacy.open(db_url, create=True, settings=Settings.load(text_workers=1))
    # Kept in two runs: the hostile texts and a few reviews, then the other reviews.
    ws.write_records("responses", _records(texts[:30]))
    assign_taxonomy(ws.db, taxonomy, now=T0)
    ws.write_records("responses", _records(texts[30:], first=30))
    assign_taxonomy(ws.db, taxonomy, now=T1)
    own = ws.db.fetchall(
        "SELECT document_id FROM text_theme_readings WHERE text_tokens IS NOT NULL ORDER BY 1"
    )
    # "The price! " * 1800 has a last piece its sentences lack; "...\nSecond" is cut in
    # other words at the sentence's edge.
    assert own == [("r0002",), ("r0005",)]
    themes, embedder = load_taxonomy(taxonomy), default_embedder()
    truth = theme_reading(texts, themes, embedder=embedder)
    documents = pd.DataFrame(
        {"document_kind": "response", "document_id": [f"r{i:04d}" for i in range(len(texts))]}
    )

    def kept() -> Any:
        def nothing(positions: list[int]) -> Any:
            assert positions == [], "a kept reading was read again"
            return theme_reading([], themes, embedder=embedder)

        unknown = [None] * len(texts)  # as assign_taxonomy reads them (no text analyze)
        return reading_with_kept(
            ws.db, documents, texts, unknown, themes, embedder=embedder, read=nothing
        )[0]

    reading = kept()
    assert np.array_equal(reading.embeddings, truth.embeddings)
    assert np.array_equal(reading.vectors, truth.vectors)
    assert reading.cut.pieces == truth.cut.pieces
    ws.db.execute("UPDATE text_theme_readings SET text_tokens = NULL")
    differ = (kept().embeddings != truth.embeddings).any(axis=1)
    assert np.flatnonzero(differ).tolist() == [2, 5]
    ws.close()


def test_the_reader_names_a_digest_of_the_model_files(tmp_path: Path) -> None:
    """A model re-trained and shipped under the same name, size and time reads again: the
    kept rows name the digest of the files' contents."""
    import os

    from advocacy.text import default_embedder
    from advocacy.text.embeddings import DEFAULT_FILES, model_path
    from advocacy.text.theme_reading_store import model_digest, reader

    one, two = tmp_path / "one.npz", tmp_path / "two.npz"
    one.write_bytes(b"\0" * 4096)
    two.write_bytes(b"\0" * 4095 + b"\1")
    os.utime(two, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns))
    assert model_digest([one]) != model_digest([two])
    shipped = model_digest([model_path(name) for name in DEFAULT_FILES])
    assert reader(default_embedder()) == f"static-e5-256-words-folded {shipped}; theme reading v3"
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True)
    ws.write_records("responses", _records(HOSTILE))
    assign_taxonomy(ws.db, taxonomy, now=T0)
    ws.db.execute(
        "UPDATE text_theme_readings SET reader = replace(reader, ?, ?) "
        "WHERE document_id <> 'r0000'",
        [shipped, model_digest([one])],
    )
    assign_taxonomy(ws.db, taxonomy, now=T1)
    assert {document for document, stamp in _read_at(ws).items() if stamp == T0} == {"r0000"}
    ws.close()


def test_readings_kept_as_vectors_are_dropped_and_read_again(db_url: str, tmp_path: Path) -> None:
    """Migration 0020: the float rows of 0019 are not converted or mixed; they are read again."""
    from advocacy.store.connection import connect
    from advocacy.store.migrate import migrate

    db = connect(db_url)
    migrate(db, target=19)
    db.execute(
        "INSERT INTO text_theme_readings VALUES ('response', 'r0000', 'h', 'en', "
        "'static-e5-256-words-folded; theme reading v1', ?, ?, ?, 'k', ?, ?)",
        [b"\0" * 8, b"\0" * 1024, b"", b"", T0],
    )
    migrate(db)
    assert db.fetchall("SELECT count(*) FROM text_theme_readings") == [(0,)]
    db.close()
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = advocacy.open(db_url)
    ws.write_records("responses", _records(HOSTILE))
    assign_taxonomy(ws.db, taxonomy, now=T1)
    assert set(_read_at(ws).values()) == {T1} and len(_read_at(ws)) == len(HOSTILE)
    ws.close()


def test_the_columns_kept_are_built_where_each_piece_is_read(shared_data: Path) -> None:
    """The workers that read a piece build its kept columns: the same bytes as building them
    from the whole reading in the caller, and a text's own rows only where its sentences'
    differ (the hostile giant text and the cut line)."""
    import yaml

    from advocacy.text import default_embedder
    from advocacy.text.taxonomy_file import parse_taxonomy
    from advocacy.text.theme_reading_bytes import kept_columns
    from advocacy.text.theme_sentences import PIECE_TEXTS, joined_readings, theme_reading

    reviews, _ = blitzer_reviews(shared_data, PIECE_TEXTS + 100, seed=15, words=80)
    texts = [*HOSTILE, *reviews]
    themes, embedder = parse_taxonomy(yaml.safe_load(TAXONOMY)), default_embedder()
    read = theme_reading(texts, themes, embedder=embedder, workers=2, keep=True)
    truth = kept_columns(theme_reading(texts, themes, embedder=embedder), embedder)
    assert read.kept is not None and read.kept.num_rows == len(texts)
    assert read.kept.equals(truth)
    own = read.kept.column("text_tokens").is_valid().to_pylist()
    assert [at for at, valid in enumerate(own) if valid] == [2, 5]
    # Joined from pieces read apart, the columns follow the texts.
    parts = [
        theme_reading(texts[:7], themes, embedder=embedder, keep=True),
        theme_reading(texts[7:], themes, embedder=embedder, keep=True),
    ]
    joined = joined_readings(parts).kept
    assert joined is not None and joined.equals(truth)
