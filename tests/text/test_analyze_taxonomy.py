"""``text analyze --taxonomy FILE``: the themes in the same run, and a remembered taxonomy.

One command must store exactly what ``text analyze`` then ``text assign-themes`` store, on
real reviews; the workspace then remembers the taxonomy (and its threshold), so a later
``text analyze`` that reads new texts assigns it again, and one with nothing new leaves the
themes alone.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.errors import InputError, UsageError
from advocacy.settings import Settings
from advocacy.text.enrich import analyze_workspace
from advocacy.text.taxonomy import load_taxonomy
from advocacy.text.workers import can_fork
from support.cli import advocacy_cli
from support.corpora import blitzer_reviews
from support.taxonomies import BLITZER_TAXONOMY

#: Written from theme names and keywords (support.taxonomies).
TAXONOMY = BLITZER_TAXONOMY
#: Keywords alone (no description): the keywords the workers found are all the keywords read.
KEYWORDS_ONLY = TAXONOMY.replace(
    "description: how the sound and the picture of a film or a player are",
    "keywords: [sound, picture, screen, volume]",
)
#: Texts a user may have anywhere: non-answers, another language, markup, a formula, a huge one.
ODD_TEXTS = [
    "n/a",
    "Die Lieferung kam zu spät und der Kundendienst hat nie geantwortet.",
    # Its keyword in a German form: found by the German stemmer its detected language chooses.
    "Die Lieferungen kamen immer zu spät, und die Verpackungen waren beschädigt.",
    "<script>alert('x')</script> =HYPERLINK(\"http://x\") terrible price",
    "a" * 9000,
    "The story, the plot!!! 📦 and the price...",
]

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes need fork (Linux)")


def _records(
    texts: list[str], first: int = 0, classes: list[str] | None = None
) -> list[dict[str, Any]]:
    """Responses with an NPS: a promoter's for a review the stars call positive, else a
    detractor's (a calibration fitted on them compares heads: its last fits run on the
    workers beside the first documents' reading, and the themes' reading with it); without
    ``classes``, scores from the text's length."""
    return [
        {
            "response_id": f"r{first + i:04d}",
            "comment": text,
            "nps": (len(text) * 7) % 11
            if classes is None or i >= len(classes)
            else (9 + i % 2 if classes[i] == "positive" else i % 5),
        }
        for i, text in enumerate(texts)
    ]


def _stored(ws: Any) -> dict[str, list[Any]]:
    """Every derived row a user reads, without the times of the run."""
    queries = {
        "features": "SELECT document_id, language, sentiment, sentiment_score, emotions, effort, "
        "complaint, model FROM text_features ORDER BY document_id",
        "links": "SELECT document_id, theme_id, score, origin, model FROM document_themes "
        "ORDER BY document_id, theme_id, origin",
        "themes": "SELECT theme_id, name, description, keywords, examples, parent, origin, size, "
        "quotes, model FROM themes ORDER BY theme_id",
    }
    return {name: ws.db.fetchall(sql) for name, sql in queries.items()}


def _open(path: Path, workers: int = 2) -> Any:
    return advocacy.open(f"duckdb:///{path}", settings=Settings.load(text_workers=workers))


@needs_fork
@pytest.mark.parametrize(("batch_size", "written"), [(5000, TAXONOMY), (300, KEYWORDS_ONLY)])
def test_one_command_stores_what_analyze_then_assign_themes_store(
    shared_data: Path, tmp_path: Path, batch_size: int, written: str
) -> None:
    # The first batch's themes are read on the workers beside the calibration's last fits:
    # all the documents (one batch), or the first 300 and then the rest apart.
    texts, classes = blitzer_reviews(shared_data, 700, seed=5, words=60)
    texts, classes = [*ODD_TEXTS, *texts], [*["positive"] * len(ODD_TEXTS), *classes]
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(written, encoding="utf-8")
    two = _open(tmp_path / "two.duckdb")
    two.write_records("responses", _records(texts, classes=classes))
    analyze_workspace(two.db, batch_size=batch_size, workers=2)
    counts = two.text.assign_themes(taxonomy)
    one = _open(tmp_path / "one.duckdb")
    one.write_records("responses", _records(texts, classes=classes))
    result = analyze_workspace(one.db, batch_size=batch_size, workers=2, taxonomy=taxonomy)
    assert result.analyzed == len(texts) and result.calibration.startswith("fitted")
    assert result.taxonomy == f"{taxonomy} (6 themes)"
    assert result.themes is not None
    assert result.themes.to_dict("list") == counts.to_dict("list")
    stored = _stored(one)
    assert stored == _stored(two)
    # The German review's keyword in a German form, found by its language's stemmer.
    assert ("r0002", "curated:Delivery", 1.0) in {row[:3] for row in stored["links"]}
    assert len(stored["links"]) > len(texts) // 2  # most reviews have a theme
    assert {row[1] for row in stored["links"]} == {f"curated:{name}" for name in result.themes.name}
    one.close()
    two.close()


@needs_fork
def test_a_later_analyze_assigns_the_remembered_taxonomy_again(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, 260, seed=6, words=60)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb")
    ws.write_records("responses", _records(texts[:200]))
    first = ws.text.analyze(taxonomy=taxonomy, threshold=0.3)
    assert first.themes is not None
    # Nothing new: the themes are left as they were (not even assigned again).
    stamps = ws.db.fetchall("SELECT DISTINCT assigned_at FROM document_themes")
    again = ws.text.analyze()
    assert again.analyzed == 0 and again.themes is None and again.taxonomy == ""
    assert ws.db.fetchall("SELECT DISTINCT assigned_at FROM document_themes") == stamps
    # New texts: the remembered taxonomy, with its threshold, is assigned to every text.
    # (Unscored: new scores would refit the calibration and read every text again.)
    unscored = [{**row, "nps": None} for row in _records(texts[200:], first=200)]
    ws.write_records("responses", unscored)
    later = ws.text.analyze()
    assert later.analyzed == 60 and later.themes is not None
    assert later.taxonomy == f"remembered: {taxonomy} (6 themes)"
    new_ids = {f"r{i:04d}" for i in range(200, 260)}
    remembered = _stored(ws)
    assert new_ids & {row[0] for row in remembered["links"]}
    assert all(row[4].endswith("threshold 0.3") for row in remembered["links"])
    # ... the rows assign-themes with the same file and threshold stores.
    explicit = ws.text.assign_themes(taxonomy, threshold=0.3)
    assert later.themes.to_dict("list") == explicit.to_dict("list")
    assert _stored(ws) == remembered
    ws.close()


def test_without_a_taxonomy_analyze_assigns_no_theme(tmp_path: Path) -> None:
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair and it arrived on time."]))
    result = ws.text.analyze()
    assert result.analyzed == 1 and result.themes is None
    assert "taxonomy" not in result.summary() and "curated themes" not in result.summary()
    assert ws.db.fetchall("SELECT * FROM document_themes") == []
    assert ws.db.fetchall("SELECT * FROM text_taxonomy") == []
    ws.close()


def test_a_bad_taxonomy_is_refused_before_any_text_is_read(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text("themes:\n  - name: Price\n  - name: Price\n", encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair."]))
    with pytest.raises(InputError, match="Price"):
        ws.text.analyze(taxonomy=taxonomy)
    with pytest.raises(InputError, match="no taxonomy file"):
        ws.text.analyze(taxonomy=tmp_path / "missing.yaml")
    with pytest.raises(UsageError, match="no taxonomy was given"):
        ws.text.analyze(threshold=0.3)
    assert ws.db.fetchall("SELECT * FROM text_features") == []
    ws.close()


def test_the_remembered_taxonomy_reads_back_as_written(tmp_path: Path) -> None:
    from advocacy.text.taxonomy_store import chosen_taxonomy, remember, remembered

    ws = _open(tmp_path / "w.duckdb", workers=1)
    folder = Path(__file__).parents[2] / "benchmarks" / "data" / "themes"
    files = sorted(folder.glob("*.yaml"))
    assert files
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "themes:\n"
        '  - name: "<b>Price</b> =1+1"\n'
        '    description: "it\'s \\"cheap\\"; DROP TABLE themes; -- \\u00e9t\\u00e9 \\U0001F4E6"\n'
        '    keywords: ["\'quoted\'", "prix"]\n'
        "  - name: Sub\n"
        '    parent: "<b>Price</b> =1+1"\n'
        '    examples: ["a\\nb"]\n',
        encoding="utf-8",
    )
    for path in [*files, hostile]:
        chosen = chosen_taxonomy(path, 0.25)
        remember(ws.db, chosen)
        back = remembered(ws.db)
        assert back is not None
        assert back.taxonomy == load_taxonomy(path) and back.threshold == 0.25
        assert back.source == str(path) and back.remembered
    assert len(ws.db.fetchall("SELECT * FROM text_taxonomy")) == 1  # the last one only
    # A row edited into something the file format refuses is refused, with the fix.
    ws.db.execute("UPDATE text_taxonomy SET themes = ?", [json.dumps({"themes": [{}]})])
    with pytest.raises(InputError, match="remembered taxonomy"):
        remembered(ws.db)
    ws.db.execute("UPDATE text_taxonomy SET themes = ?", ["{not json"])
    with pytest.raises(InputError, match="assign the taxonomy again"):
        remembered(ws.db)
    ws.close()


def test_the_cli_prints_the_summary_then_the_themes(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    # Story's keywords written without brackets (review27 #14): read as four, and said so.
    written = TAXONOMY.replace(
        "[story, plot, characters, author]", "story, plot, characters, author"
    )
    taxonomy.write_text(written + "  - name: Mystery\n", encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records(
        "responses",
        _records(["The price was fair and it arrived on time.", "The plot was thin.", "n/a"]),
    )
    ws.close()
    db = str(tmp_path / "w.duckdb")
    table = advocacy_cli("text", "analyze", "--taxonomy", str(taxonomy), "--db", db)
    assert table.returncode == 0, table.stderr
    assert "Text analysis" in table.stdout and "Curated themes" in table.stdout
    assert table.stdout.index("Text analysis") < table.stdout.index("Curated themes")
    # The words of its name count as keywords: the warning says so (review27 #16a).
    assert "warning: theme 'Mystery' is written as a name alone: the words of its name (its " + (
        "texts 'by keyword') and their meaning assign it"
    ) in table.stderr.replace("\n", " ")
    assert "theme 'Story' keywords 'story, plot, characters, author' read as 4 keywords" in (
        table.stderr.replace("\n", " ")
    )
    common = ("text", "analyze", "--taxonomy", str(taxonomy), "--db", db, "--format")
    data = json.loads(advocacy_cli(*common, "json").stdout)
    assert data["analysed"] == 0 and data["curated themes"] == 7
    sizes = {row["name"]: row["size"] for row in data["themes"]}
    assert sizes["Price"] == 1 and sizes["Story"] == 1
    assert data["taxonomy"] == f"{taxonomy} (7 themes)"
    refused = advocacy_cli("text", "analyze", "--threshold", "0.3", "--db", db)
    assert refused.returncode == 2 and "--taxonomy" in refused.stderr


def test_a_threshold_of_zero_is_used_by_both_commands_not_the_default(tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair and it arrived on time."]))
    ws.text.analyze(taxonomy=taxonomy, threshold=0.0)
    by_analyze = ws.db.fetchall("SELECT DISTINCT model FROM document_themes")
    ws.text.assign_themes(taxonomy, threshold=0.0)
    assert ws.db.fetchall("SELECT DISTINCT model FROM document_themes") == by_analyze
    assert by_analyze[0][0].endswith("threshold 0.0")
    ws.close()


def test_both_engines_remember_the_taxonomy_and_assign_it_to_new_texts(db_url: str) -> None:
    taxonomy = Path(__file__).parents[2] / "benchmarks" / "data" / "themes"
    taxonomy = sorted(taxonomy.glob("*.yaml"))[0]
    ws = advocacy.open(db_url, create=True, settings=Settings.load(text_workers=1))
    ws.write_records("responses", _records(["The food was cold and the waiter was rude."]))
    ws.text.assign_themes(taxonomy, threshold=0.3)  # remembered by assign-themes too
    ws.write_records(
        "responses",
        [{**row, "nps": None} for row in _records(["The pasta was lovely.", "n/a"], first=1)],
    )
    result = ws.text.analyze()
    assert result.analyzed == 3  # nothing was analysed before
    assert result.taxonomy.startswith(f"remembered: {taxonomy} (")
    assert result.themes is not None and len(result.themes) == len(load_taxonomy(taxonomy).themes)
    themed = {row[0] for row in ws.db.fetchall("SELECT document_id FROM document_themes")}
    assert themed == {"r0000", "r0001"}  # the non-answer has none
    ws.close()


@needs_fork
def test_the_last_batch_is_assigned_in_the_languages_its_analysis_detected(
    shared_data: Path, tmp_path: Path
) -> None:
    """The last batch's rows are written while the workers read the themes: its texts are
    read in the languages the analysis detected, as if written first (the German review's
    keyword in a German form is found by the German stemmer)."""
    texts, _ = blitzer_reviews(shared_data, 640, seed=6, words=60)
    texts = [*texts, *ODD_TEXTS]  # the odd texts in the last batch
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    two = _open(tmp_path / "two.duckdb")
    two.write_records("responses", _records(texts))
    analyze_workspace(two.db, batch_size=300, workers=2)
    two.text.assign_themes(taxonomy)
    one = _open(tmp_path / "one.duckdb")
    one.write_records("responses", _records(texts))
    result = analyze_workspace(one.db, batch_size=300, workers=2, taxonomy=taxonomy)
    assert result.analyzed == len(texts)
    german = f"r{len(texts) - len(ODD_TEXTS) + 2:04d}"
    stored = _stored(one)
    assert (german, "curated:Delivery", 1.0) in {row[:3] for row in stored["links"]}
    assert (german, "de") in {row[:2] for row in stored["features"]}
    assert stored == _stored(two)
    languages = "SELECT document_id, language FROM text_theme_readings ORDER BY 1"
    assert one.db.fetchall(languages) == two.db.fetchall(languages)
    one.close()
    two.close()


def test_a_theme_reading_of_other_texts_is_not_used(tmp_path: Path) -> None:
    from advocacy.text import default_embedder
    from advocacy.text.catalogue import assign_taxonomy
    from advocacy.text.theme_sentences import theme_reading

    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair.", "The plot was thin."]))
    read = partial(theme_reading, taxonomy=load_taxonomy(taxonomy), embedder=default_embedder())
    # The first document's reading is used; the second's alone (another text first) is not,
    # and would have given the plot's Story to the review of the price.
    for reading in (read(["The price was fair."]), read(["The plot was thin."])):
        assign_taxonomy(ws.db, taxonomy, read=reading)
        links = ws.db.fetchall("SELECT document_id, theme_id FROM document_themes ORDER BY 1")
        assert links == [("r0000", "curated:Price"), ("r0001", "curated:Story")]
    ws.close()


def test_documents_handed_over_are_the_ones_assigned(tmp_path: Path) -> None:
    """``text analyze --taxonomy`` hands the documents it loaded (with their text hashes) to
    the assignment: the rows of loading them again, and only those documents get themes."""
    from advocacy.text.catalogue import assign_taxonomy
    from advocacy.text.documents import stored_documents

    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    texts = ["The price was fair.", "The plot was thin.", *ODD_TEXTS]
    ws.write_records("responses", _records(texts))
    assign_taxonomy(ws.db, taxonomy)
    loaded = _stored(ws)
    ws.db.execute("DELETE FROM text_theme_readings")
    documents = stored_documents(ws.db, None)[0]
    assert "text_hash" in documents.columns
    assign_taxonomy(ws.db, taxonomy, documents=documents)
    assert _stored(ws) == loaded
    # A frame without the second review: it is not assigned, nor its reading kept.
    assign_taxonomy(ws.db, taxonomy, documents=documents[documents["document_id"] != "r0001"])
    links = _stored(ws)["links"]
    assert links == [row for row in loaded["links"] if row[0] != "r0001"]
    assert ("r0001", "curated:Story", 1.0) in {row[:3] for row in loaded["links"]}
    kept = ws.db.fetchall("SELECT document_id FROM text_theme_readings ORDER BY 1")
    assert ("r0001",) not in kept and len(kept) == len(texts) - 1
    ws.close()


def test_two_results_with_themes_compare_without_error() -> None:
    import pandas as pd

    from advocacy.text.enrich import AnalyzeResult

    def made(taxonomy: str) -> AnalyzeResult:
        return AnalyzeResult(1, 0, "m", 0, themes=pd.DataFrame({"size": [1, 2]}), taxonomy=taxonomy)

    assert made("t.yaml (2 themes)") == made("t.yaml (2 themes)")
    assert made("t.yaml (2 themes)") != made("u.yaml (2 themes)")


@needs_fork
def test_one_kind_analysed_with_a_taxonomy_assigns_every_kind_as_assign_themes(
    shared_data: Path, tmp_path: Path
) -> None:
    # The mentions are read beside the calibration's last fits (fitted on the responses'
    # scores); the themes go to every document, mentions after responses.
    texts, classes = blitzer_reviews(shared_data, 140, seed=7, words=60)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    stored = []
    for name in ("one", "two"):
        ws = _open(tmp_path / f"{name}.duckdb")
        ws.write_records("responses", _records(texts[:100], classes=classes[:100]))
        ws.write_records(
            "mentions",
            [{"mention_id": f"m{i}", "text": text} for i, text in enumerate(texts[100:])],
        )
        if name == "one":
            result = analyze_workspace(ws.db, kinds=["mention"], workers=2, taxonomy=taxonomy)
            assert result.analyzed == 40 and result.themes is not None
        else:
            analyze_workspace(ws.db, kinds=["mention"], workers=2)
            ws.text.assign_themes(taxonomy)
        stored.append(_stored(ws))
        ws.close()
    assert stored[0] == stored[1]
    assert {row[0][0] for row in stored[0]["links"]} == {"m", "r"}  # both kinds have themes


def test_a_chosen_taxonomy_keeps_its_threshold(tmp_path: Path) -> None:
    from advocacy.text.catalogue import assign_taxonomy
    from advocacy.text.taxonomy_store import chosen_taxonomy

    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair."]))
    chosen = chosen_taxonomy(taxonomy, 0.3)
    with pytest.raises(UsageError, match=r"threshold 0\.5 given beside a chosen taxonomy.s 0\.3"):
        assign_taxonomy(ws.db, chosen, threshold=0.5)
    assign_taxonomy(ws.db, chosen, threshold=0.3)  # the same: no conflict
    assert ws.db.fetchall("SELECT threshold, source FROM text_taxonomy") == [(0.3, str(taxonomy))]
    ws.close()


@pytest.mark.parametrize("threshold", [float("nan"), -0.1, 1.5])
def test_a_threshold_outside_zero_to_one_is_refused_before_anything_is_read(
    tmp_path: Path, threshold: float
) -> None:
    """The help says 0-1: NaN, a negative or one above 1 would be remembered and applied to
    every later run, so each is refused, by both commands, before a text is read."""
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair."]))
    with pytest.raises(InputError, match="from 0 to 1"):
        ws.text.analyze(taxonomy=taxonomy, threshold=threshold)
    with pytest.raises(InputError, match="from 0 to 1"):
        ws.text.assign_themes(taxonomy, threshold=threshold)
    assert ws.db.fetchall("SELECT * FROM text_features") == []
    assert ws.db.fetchall("SELECT * FROM text_taxonomy") == []
    ws.close()
    result = advocacy_cli(
        "text", "analyze", "--taxonomy", str(taxonomy), "--threshold", str(threshold),
        "--db", str(tmp_path / "w.duckdb"),
    )  # fmt: skip
    assert result.returncode != 0 and "from 0 to 1" in result.stderr


def test_the_remembered_file_is_named_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given as a relative path, the file is remembered by where it is, so a later run from
    another folder names the file it came from."""
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "tax.yaml").write_text(TAXONOMY, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair."]))
    ws.text.analyze(taxonomy="tax.yaml")
    source = str((tmp_path / "work" / "tax.yaml").resolve())
    assert ws.db.fetchall("SELECT source FROM text_taxonomy") == [(source,)]
    monkeypatch.chdir(tmp_path)
    ws.write_records("responses", [{"response_id": "r9", "comment": "It arrived late."}])
    assert ws.text.analyze().taxonomy == f"remembered: {source} (6 themes)"
    ws.close()


def test_curated_themes_assigned_before_the_taxonomy_was_remembered_are_reported(
    tmp_path: Path,
) -> None:
    """A workspace whose themes were assigned before workspaces remembered a taxonomy (no
    row in text_taxonomy): new texts get no curated theme, and the summary says so and what
    to do, instead of nothing."""
    from advocacy.text.enrich import UNREMEMBERED

    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair.", "It broke in a week."]))
    ws.text.analyze()
    ws.text.assign_themes(taxonomy)
    ws.db.execute("DELETE FROM text_taxonomy")  # as a workspace upgraded from schema 17 is
    # Unscored: a new score would refit the calibration and read every text again.
    new = [{**row, "nps": None} for row in _records(["The delivery was late."], first=2)]
    ws.write_records("responses", new)
    result = ws.text.analyze()
    assert result.analyzed == 1 and result.themes is None
    assert result.taxonomy == UNREMEMBERED
    assert "text analyze --taxonomy FILE" in result.summary()["taxonomy"]
    assert ws.text.analyze().taxonomy == ""  # nothing new: nothing to say
    ws.close()


def test_a_remembered_row_the_checks_refuse_names_the_fix_for_the_row(tmp_path: Path) -> None:
    from advocacy.text.taxonomy_store import remembered

    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    ws.write_records("responses", _records(["The price was fair."]))
    ws.text.analyze(taxonomy=taxonomy)
    twice = {"themes": [{"name": "Price"}, {"name": "Price"}]}
    ws.db.execute("UPDATE text_taxonomy SET themes = ?", [json.dumps(twice)])
    with pytest.raises(InputError, match="no longer passes the checks") as raised:
        remembered(ws.db)
    assert raised.value.fix is not None and "assign the taxonomy again" in raised.value.fix
    ws.close()


def test_a_theme_taught_after_the_assignment_is_applied_by_the_next_analyze(
    tmp_path: Path,
) -> None:
    """After ``text teach`` of theme labels, the next ``text analyze`` (no text new) assigns
    the remembered taxonomy again, so the taught themes and what they teach are stored; the
    run after that has nothing to do."""
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    ws = _open(tmp_path / "w.duckdb", workers=1)
    texts = [
        "The price was fair and it arrived on time.",
        "The story dragged and the characters were flat.",
        "It broke after two weeks.",
    ]
    ws.write_records(
        "responses", [{"response_id": f"r{i}", "comment": t} for i, t in enumerate(texts)]
    )
    ws.text.analyze(taxonomy=taxonomy)
    labels = tmp_path / "labels.csv"
    labels.write_text("document_id,kind,theme\nr2,response,Durability\n", encoding="utf-8")
    ws.text.teach(labels)
    taught = "SELECT document_id, theme_id FROM document_themes WHERE origin = 'taught'"
    assert ws.db.fetchall(taught) == []
    result = ws.text.analyze()
    assert result.analyzed == 0 and result.themes is not None
    assert result.taxonomy.startswith("remembered: ")
    assert ws.db.fetchall(taught) == [("r2", "curated:Durability")]
    again = ws.text.analyze()
    assert again.themes is None and again.taxonomy == ""
    ws.close()
