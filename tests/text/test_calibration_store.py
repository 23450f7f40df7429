"""The fitted calibration is kept between runs and refitted only when its labels change
materially: a stored fit predicts exactly as the fresh one, and a re-run after a few new scored
comments neither refits nor re-reads the documents it already analysed."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pytest

import advocacy
from advocacy.text import calibration_store as kept
from advocacy.text.calibration import CalibratedSentiment
from support.corpora import blitzer_reviews

GOOD = [
    "Lovely staff, quick refund, thank you so much",
    "Brilliant help from the team, sorted in minutes",
    "Easy to order and it came early, great",
    "Friendly driver and the box was perfect",
]
BAD = [
    "Rude on the phone and nobody called back",
    "Parcel lost again, three weeks and no refund",
    "Broken on arrival and the returns page fails",
    "Waited an hour in the queue, awful",
]
MEH = [
    "It arrived on Tuesday",
    "Ordered the blue one, got the blue one",
    "The shop is on the high street",
    "Paid by card",
]


def _responses(count: int, offset: int = 0) -> list[dict[str, object]]:
    records = []
    for i in range(offset, offset + count):
        group, score = [(GOOD, 10), (BAD, 2), (MEH, 7)][i % 3]
        text = f"{group[i % 4]} (order {i})"
        records.append({"response_id": f"r{i}", "comment": text, "nps": score})
    return records


@pytest.mark.slow
def test_a_stored_fit_predicts_exactly_as_the_fresh_one(shared_data) -> None:
    texts, labels = blitzer_reviews(shared_data, 440, seed=1)
    assert len(texts) == 440 and set(labels) == {"negative", "positive"}
    # Texts it was not fitted on: a fresh fit reads its own labelled texts out of sample
    # (tests/text/test_calibration_out_of_sample.py), which a stored fit does not keep.
    probe = [*texts[400:], "I could not fault them", '=HYPERLINK("x")', "Très bien"]
    methods = set()
    for n in (12, 60, 400):
        fresh = CalibratedSentiment().fit(
            texts[:n], labels[:n], taught=[i % 5 == 0 for i in range(n)]
        )
        methods.add(fresh.method_)
        loaded = kept.load(kept.dump(fresh))
        assert loaded is not None
        assert loaded.summary() == fresh.summary()
        before, after = fresh.predict(probe), loaded.predict(probe)
        assert after.labels == before.labels
        assert after.model == before.model
        np.testing.assert_array_equal(after.probabilities, before.probabilities)
    # The three ways a calibration can use labels were all round-tripped.
    assert "prior adjusted" in methods and methods & {"head", "head + tfidf"}


@pytest.mark.slow
def test_a_giant_word_among_the_labels_stores_in_little_memory(shared_data) -> None:
    # One 5,000-character "word" (what the TF-IDF model reads of a longer one) gave every
    # stored term its width: hundreds of MB here, gigabytes for 100,000 terms.
    # Stacks TF-IDF (5-fold CV 0.782 against 0.764 for the head alone; seed 3's reviews chose
    # the head alone by a hair once English whole words entered the embedding).
    texts, labels = blitzer_reviews(shared_data, 500, seed=0, words=60)
    texts, labels = [*texts, "x" * 9000, "y" * 40], [*labels, "negative", "positive"]
    fresh = CalibratedSentiment().fit(texts, labels)
    assert fresh.tfidf_ is not None
    vocabulary = fresh.tfidf_.steps[0][1].vocabulary_
    assert "x" * 5000 in vocabulary and len(vocabulary) > 10_000
    tracemalloc.start()
    try:
        state = kept.dump(fresh)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000
    loaded = kept.load(state)
    assert loaded is not None and loaded.tfidf_.steps[0][1].vocabulary_ == vocabulary
    unseen = blitzer_reviews(shared_data, 520, seed=0, words=60)[0][500:]
    probe = [*unseen, "x" * 9001, "yyyy and more"]
    np.testing.assert_array_equal(
        loaded.predict(probe).probabilities, fresh.predict(probe).probabilities
    )
    # A row stored before (its terms an array of strings) still loads as the same model.
    data = json.loads(state)
    arrays = kept._arrays(data["arrays"])
    arrays["tfidf_words"] = np.array(kept._terms(arrays), dtype=str)
    del arrays["tfidf_terms"]
    older = kept.load(json.dumps({**data, "arrays": kept._arrays_text(arrays)}))
    assert older is not None
    np.testing.assert_array_equal(
        older.predict(probe).probabilities, fresh.predict(probe).probabilities
    )


def test_a_rerun_keeps_the_fit_until_the_labels_change_materially(tmp_path) -> None:
    ws = advocacy.open(tmp_path / "ws.duckdb")
    ws.write_records("responses", _responses(150))
    first = ws.text.analyze()
    assert first.calibration.startswith("fitted") and first.calibration_labels == 150

    # 6 new scored comments (4% of the fitted labels): kept, nothing old is read again.
    ws.write_records("responses", _responses(6, offset=150))
    second = ws.text.analyze()
    assert second.calibration.startswith("kept")
    assert second.model == first.model
    assert (second.analyzed, second.unchanged) == (6, 150)

    # 30 more (a fifth): refitted, and the documents are read again with the new fit.
    ws.write_records("responses", _responses(30, offset=156))
    third = ws.text.analyze()
    assert third.calibration.startswith(
        "refitted: score-derived labels changed by 36 (150 when fitted, 186 now)"
    )
    assert third.calibration_labels == 186

    # Asked to refit, it does, though nothing changed: the same fit, so no document is read
    # again, and the refit is stored all the same.
    fitted_at = ws.db.fetchone("SELECT fitted_at FROM text_calibration")
    again = ws.text.analyze(recalibrate=True)
    assert again.calibration.startswith("refitted on request") and again.analyzed == 0
    assert ws.db.fetchone("SELECT fitted_at FROM text_calibration") > fitted_at
    assert ws.text.analyze().calibration.startswith("kept")
    ws.close()


def test_one_taught_label_refits_at_once(tmp_path) -> None:
    ws = advocacy.open(tmp_path / "ws.duckdb")
    ws.write_records("responses", _responses(150))
    ws.text.analyze()
    teach = tmp_path / "teach.csv"
    teach.write_text("document_id,kind,sentiment\nr2,response,neutral\n", encoding="utf-8")
    ws.text.teach(teach)
    result = ws.text.analyze()
    assert result.calibration.startswith("refitted: taught labels changed")
    ws.close()


def test_a_damaged_stored_fit_is_refitted_not_trusted(tmp_path) -> None:
    ws = advocacy.open(tmp_path / "ws.duckdb")
    ws.write_records("responses", _responses(40))
    ws.text.analyze()
    ws.db.execute("UPDATE text_calibration SET state = ?", ['{"format": 1, "scalars": {'])
    assert ws.text.analyze().calibration.startswith("fitted")
    for state in ("[1, 2]", '"text"', '{"none": 3}'):  # valid JSON, not a state
        ws.db.execute("UPDATE text_calibration SET state = ?", [state])
        assert ws.text.analyze().calibration.startswith("fitted"), state
    ws.close()


def test_a_page_describes_a_stored_fit_without_its_arrays_and_analyze_still_refits_them(
    tmp_path,
) -> None:
    # Describing a fit (the text page, a report) reads its recorded numbers only: its arrays
    # (megabytes for a stacked TF-IDF model) are not decoded, so damage to them does not
    # hide the description; the next text analyze, which reads with the fit, refits it.
    from advocacy.text.calibration_report import kept_calibration_report

    ws = advocacy.open(tmp_path / "ws.duckdb")
    ws.write_records("responses", _responses(40))
    ws.text.analyze()
    model = ws.settings.text_model
    described = kept_calibration_report(ws.db, model)
    [state] = ws.db.fetchone("SELECT state FROM text_calibration")
    damaged = json.loads(state)
    damaged["arrays"] = "bm90IGFuIGFyY2hpdmU="  # base64 of "not an archive"
    ws.db.execute("UPDATE text_calibration SET state = ?", [json.dumps(damaged)])
    assert kept_calibration_report(ws.db, model) == described
    assert kept.stored(ws.db, model) is None  # read to be used: damaged, so refitted
    assert ws.text.analyze().calibration.startswith("fitted")
    ws.close()


def test_small_label_sets_refit_on_any_change() -> None:
    old = kept.LabelSummary("t", {"negative": 20, "positive": 30})
    assert kept.material_change(old, kept.LabelSummary("t", {"negative": 21, "positive": 30}))
    assert kept.material_change(old, old) is None


GERMAN = [
    "Der Kundendienst war sehr freundlich und hat mir schnell geholfen.",
    "Die Lieferung kam zwei Wochen zu spät und der Karton war kaputt.",
    "Alles bestens, gerne wieder bei diesem Händler bestellt.",
    "Die Rücksendung war kompliziert und niemand hat zurückgerufen.",
]


def test_no_calibration_from_unread_languages_is_kept_until_the_labels_change(tmp_path) -> None:
    from advocacy.text.calibration_workspace import workspace_calibration

    ws = advocacy.open(tmp_path / "ws.duckdb")
    records = [
        {"response_id": f"r{i}", "comment": f"{GERMAN[i % 4]} (Bestellung {i})", "nps": i % 11}
        for i in range(40)
    ]
    ws.write_records("responses", records)
    first = ws.text.analyze()
    verdict = "none: 40 labelled texts in languages the model does not read (de 40)"
    assert (first.calibration, first.calibration_labels) == (verdict, 0)
    # The verdict is stored: the next run reads no labelled text to reach it again.
    again = workspace_calibration(ws.db)
    assert again.calibrated is None and again.known is None
    assert again.status == f"{verdict}; kept: the labels did not change"
    assert ws.text.analyze().calibration == again.status
    # A label on a text the model reads judges again, and gives the workspace a calibration.
    ws.write_records("responses", [{"response_id": "en1", "comment": BAD[0], "nps": 1}])
    judged = workspace_calibration(ws.db)
    assert judged.known is not None and judged.calibrated is not None
    assert judged.status.startswith("fitted (1 labels)")
    # And that fit replaced the verdict: the run after keeps it.
    assert ws.text.analyze().calibration.startswith("kept: 1 labels")
    ws.close()


def test_the_verdict_is_judged_again_when_a_labelled_text_changes(tmp_path) -> None:
    # The labels' summary holds no text: a German comment edited into English with the same
    # score leaves it equal, yet the workspace now has a label the model reads.
    from advocacy.text.calibration_workspace import workspace_calibration

    ws = advocacy.open(tmp_path / "ws.duckdb")
    records = [
        {"response_id": f"r{i}", "comment": f"{GERMAN[i % 4]} (Bestellung {i})", "nps": i % 11}
        for i in range(40)
    ]
    ws.write_records("responses", records)
    assert workspace_calibration(ws.db).calibrated is None
    ws.write_records("responses", [{"response_id": "r1", "comment": BAD[0], "nps": 1}])
    judged = workspace_calibration(ws.db)
    assert judged.calibrated is not None
    assert judged.status.startswith("fitted (1 labels)")
    ws.close()


def test_the_verdict_holds_only_for_the_minimum_it_was_reached_with(tmp_path) -> None:
    from advocacy.text.calibration_workspace import workspace_calibration

    ws = advocacy.open(tmp_path / "ws.duckdb")
    records = [
        {"response_id": f"r{i}", "comment": f"{GERMAN[i % 4]} (Bestellung {i})", "nps": i % 11}
        for i in range(40)
    ]
    records += [{"response_id": f"e{i}", "comment": BAD[i], "nps": 1} for i in range(3)]
    ws.write_records("responses", records)
    few = workspace_calibration(ws.db, minimum=5)
    assert few.calibrated is None  # 3 readable labels
    assert few.status.startswith(
        "none: 3 read, 5 needed; 40 labelled texts in languages the model does not read (de 40)"
    )
    assert workspace_calibration(ws.db, minimum=5).status.endswith(
        "kept: the labels did not change"
    )
    fitted = workspace_calibration(ws.db, minimum=1)
    assert fitted.calibrated is not None and fitted.status.startswith("fitted (3 labels)")
    ws.close()
