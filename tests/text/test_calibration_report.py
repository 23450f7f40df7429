"""What ``text teach`` and ``text analyze`` say of how good the calibration is.

Real labelled texts of ``../shared/data`` (TweetEval tweets taught from their file, clothing
reviews labelled by their stars), through the CLI and the stored calibration.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

import advocacy
from advocacy.text import calibration_store
from advocacy.text.calibration import MAX_CV_LABELS, SAMPLED_CV_LABELS, CalibratedSentiment
from advocacy.text.calibration_report import (
    NOT_RECORDED,
    RECALL_DROP,
    TrainingLabels,
    calibration_report,
    chosen_candidate,
    kept_calibration_note,
    kept_calibration_report,
    recall_warning,
)
from advocacy.text.sentiment import SENTIMENTS
from support.cli import advocacy_cli

TWEET_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def _tweets(shared_data: Path, count: int) -> pd.DataFrame:
    """``count`` odd lines of TweetEval's sentiment test split as text and sentiment."""
    folder = shared_data / "tweeteval" / "sentiment"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    rows = [(texts[i].strip(), TWEET_LABELS[labels[i].strip()]) for i in range(1, len(texts), 2)]
    return pd.DataFrame(rows[:count], columns=["text", "sentiment"])


def _recall_line(calibrated: CalibratedSentiment, candidate: str) -> str:
    found, counts = calibrated.cv_recall_[candidate], calibrated.cv_counts_
    return ", ".join(f"{name} {found[name]:.3f} of {counts[name]:,}" for name in SENTIMENTS)


def _recalls_make_the_accuracy(calibrated: CalibratedSentiment) -> None:
    """Every candidate's class recalls, weighted by the classes' counts, give back its
    accuracy: the recalls come from the same cross-validated readings (equal weights)."""
    counts = calibrated.cv_counts_
    assert sum(counts.values()) == calibrated.n_cv_labels_
    assert set(calibrated.cv_recall_) == set(calibrated.cv_accuracy_)
    for candidate, accuracy in calibrated.cv_accuracy_.items():
        recalls = calibrated.cv_recall_[candidate]
        rebuilt = sum(recalls[name] * counts[name] for name in counts) / sum(counts.values())
        assert rebuilt == pytest.approx(accuracy, abs=2e-4), candidate


@pytest.mark.shared_data
def test_teach_says_the_cross_validated_accuracy_and_recall_against_the_model_alone(
    shared_data: Path, tmp_path: Path
) -> None:
    path, db = tmp_path / "tweets.csv", str(tmp_path / "w.duckdb")
    _tweets(shared_data, 300).to_csv(path, index=False)
    assert advocacy_cli("import", str(path), "--kind", "mentions", "--db", db).returncode == 0
    taught = advocacy_cli("text", "teach", str(path), "--format", "json", "--db", db)
    assert taught.returncode == 0, taught.stderr
    said = json.loads(taught.stdout)
    with advocacy.open(db) as ws:
        calibrated, status = ws.text.calibration_status()  # the fit teach stored, loaded
    assert calibrated is not None and status.startswith("kept")
    used = calibrated.n_labels_
    assert said["sentiment labels"] == 300
    assert said["calibration status"].startswith(f"fitted ({used:,} labels)")
    if used < 300:  # the labels left out are said, with their reason
        assert f"{300 - used} labelled text" in said["calibration status"]
        assert "languages the model does not read" in said["calibration status"]
    assert said["compared on"] == f"all {used:,} labels, in 5 folds"
    chosen = chosen_candidate(calibrated)
    scores = calibrated.cv_accuracy_
    assert said["accuracy (cross-validated)"].startswith(f"{scores[chosen]:.3f} chosen ({chosen})")
    assert said["recall, chosen"] == _recall_line(calibrated, chosen)
    if chosen != "prior":
        assert f"{scores['prior']:.3f} the model alone" in said["accuracy (cross-validated)"]
        assert said["recall, model alone"] == _recall_line(calibrated, "prior")
        alone, mine = calibrated.cv_recall_["prior"], calibrated.cv_recall_[chosen]
        dropped = [name for name in SENTIMENTS if alone[name] - mine[name] >= RECALL_DROP]
        assert ("warning" in said) == bool(dropped)
        for name in dropped:
            assert f"{name} {mine[name]:.3f} against {alone[name]:.3f}" in said["warning"]
    _recalls_make_the_accuracy(calibrated)


@pytest.mark.shared_data
@pytest.mark.slow
def test_past_a_thousand_labels_the_report_says_the_sample_and_why(shared_data: Path) -> None:
    tweets = _tweets(shared_data, MAX_CV_LABELS + 100)
    calibrated = CalibratedSentiment().fit(tweets["text"], tweets["sentiment"])
    report = calibration_report(calibrated, "fitted")
    assert report["compared on"].startswith(
        f"a stratified sample of {calibrated.n_cv_labels_:,} of the {MAX_CV_LABELS + 100:,} "
        "labels, in 3 folds (past 1,000 labels the candidates are compared on a sample"
    )
    assert abs(calibrated.n_cv_labels_ - SAMPLED_CV_LABELS) <= 3
    _recalls_make_the_accuracy(calibrated)


@pytest.mark.shared_data
def test_analyze_says_how_good_a_new_fit_is_and_not_a_kept_one(
    shared_data: Path, tmp_path: Path
) -> None:
    reviews = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    )
    path, db = tmp_path / "reviews.csv", str(tmp_path / "w.duckdb")
    reviews.head(120).to_csv(path, index=False)
    assert advocacy_cli("import", str(path), "--kind", "mentions", "--db", db).returncode == 0
    first = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", "1")
    assert first.returncode == 0, first.stderr
    fitted = json.loads(first.stdout)
    with advocacy.open(db) as ws:
        calibrated, _ = ws.text.calibration_status()
    assert calibrated is not None and fitted["calibration"].startswith("fitted")
    chosen = chosen_candidate(calibrated)
    assert fitted["recall, chosen"] == _recall_line(calibrated, chosen)
    assert fitted["compared on"] == f"all {calibrated.n_labels_:,} labels, in 5 folds"
    again = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", "1")
    kept = json.loads(again.stdout)
    assert kept["calibration"].startswith("kept")
    assert "recall, chosen" not in kept and "compared on" not in kept


def test_the_report_of_an_analyze_that_fitted_is_the_stored_fits_report(
    shared_data: Path, tmp_path: Path
) -> None:
    """``calibration_report(of=result)`` reads the fit the run made, not the labels and the
    store again (what ``text analyze`` prints after a fit): the same lines but the status."""
    reviews = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    )
    path, db = tmp_path / "reviews.csv", str(tmp_path / "w.duckdb")
    reviews.head(120).to_csv(path, index=False)
    assert advocacy_cli("import", str(path), "--kind", "mentions", "--db", db).returncode == 0
    with advocacy.open(db) as ws:
        result = ws.text.analyze(workers=1)
        assert result.fitted is not None and result.calibration.startswith("fitted")
        of_run = ws.text.calibration_report(of=result)
        stored = ws.text.calibration_report()
        assert of_run.pop("calibration status") == result.calibration
        assert stored.pop("calibration status").startswith("kept")
        assert of_run == stored
        assert "recall, chosen" in of_run and "compared on" in of_run
        again = ws.text.analyze(workers=1)  # kept: the report falls back to the stored fit
        assert again.fitted is None
        assert ws.text.calibration_report(of=again)["calibration status"].startswith("kept")


def test_a_few_labels_say_no_accuracy_was_measured() -> None:
    calibrated = CalibratedSentiment().fit(
        ["Refund took five weeks.", "Lovely staff."], ["negative", "positive"], taught=[True] * 2
    )
    report = calibration_report(calibrated, "fitted (2 labels)")
    assert report == {
        "calibration": "prior adjusted (2 labels)",
        "calibration status": "fitted (2 labels)",
        "accuracy (cross-validated)": "not measured: with 2 labels (negative, positive) the "
        "model's prior is only adjusted, shrunk towards the model; from 30 labels of two "
        "classes, corrections are compared by cross-validation",
    }
    assert calibration_report(None, "none: no labelled comment") == {
        "calibration": "none: no labelled comment"
    }


@pytest.mark.shared_data
def test_a_calibration_stored_without_recalls_says_how_to_get_them(shared_data: Path) -> None:
    tweets = _tweets(shared_data, 120)
    fitted = CalibratedSentiment().fit(tweets["text"], tweets["sentiment"])
    state = json.loads(calibration_store.dump(fitted))
    assert state["scalars"]["cv_recall_"] == fitted.cv_recall_  # stored with the fit
    for name in ("cv_recall_", "cv_counts_"):  # as a fit stored before 2026-12-06
        del state["scalars"][name]
    older = calibration_store.load(json.dumps(state))
    assert older is not None
    report = calibration_report(older, "kept")
    assert report["recall (cross-validated)"].startswith("not stored with this calibration")
    assert "--recalibrate" in report["recall (cross-validated)"]
    assert (
        report["accuracy (cross-validated)"]
        == calibration_report(fitted, "kept")["accuracy (cross-validated)"]
    )


@pytest.mark.shared_data
def test_the_report_carries_the_warning_of_the_calibration_its_readings_used(
    shared_data: Path, tmp_path: Path
) -> None:
    """The CLI's warning reaches a reader of the report: the methods appendix gives what
    ``text analyze`` says of the kept calibration, and the text section's note names it."""
    from advocacy.report.section import ReportScope
    from advocacy.report.sections import methods, text

    path, db = tmp_path / "tweets.csv", str(tmp_path / "w.duckdb")
    _tweets(shared_data, 50).to_csv(path, index=False)
    assert advocacy_cli("import", str(path), "--kind", "mentions", "--db", db).returncode == 0
    assert advocacy_cli("text", "teach", str(path), "--db", db).returncode == 0
    analyzed = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", "1")
    assert analyzed.returncode == 0, analyzed.stderr
    with advocacy.open(db) as ws:
        calibrated, _ = ws.text.calibration_status()
        appendix = str(methods.build(ws, ReportScope()).body)
        notes = " ".join(text.build(ws, ReportScope()).notes)
    assert calibrated is not None
    warning = recall_warning(calibrated)
    # 50 taught tweets: the adjusted prior finds fewer negative tweets than the model alone
    # (negative 0.688 against more; fewer positive ones too before capitals were folded,
    # real-sentiment-e5-v6), within the noise of 16 labels, so it is kept, with the warning.
    assert calibrated.method_ == "prior adjusted" and warning is not None
    assert warning.startswith(
        "in cross-validation the calibration finds fewer of the negative texts than the model"
    )
    assert "<h3>Sentiment calibration</h3>" in appendix
    assert html.escape(warning, quote=True) in appendix
    assert html.escape(calibrated.description_) in appendix
    assert (
        f"Sentiment is calibrated on 50 of this workspace's labels ({calibrated.description_})"
        in notes
    )
    assert f"Warning: {warning}." in notes
    assert calibrated.summary()["warning"] == warning
    # Every later analyze that keeps the calibration says its weakness too (audit4 item 6:
    # they said only "kept"), not only the run that fitted it.
    kept = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", "1")
    assert kept.returncode == 0, kept.stderr
    said = json.loads(kept.stdout)
    assert said["calibration"].startswith("kept") and said["warning"] == warning
    # Fitted with the macro-recall guard, and stored with it: "--recalibrate" would choose
    # the same (review6 item 3), so it is advised only for a fit of before the guard.
    assert "--recalibrate" not in warning
    del calibrated.fit_version_
    assert "--recalibrate chooses again" in (recall_warning(calibrated) or "")
    # A finding read from these texts' sentiment says so (review6 item 4: the summary's
    # "largest complaint" rested on readings the methods appendix warned about).
    from advocacy.report.sections.theme_findings import calibration_caveat

    with advocacy.open(db) as ws:
        assert "check the reading on a labelled sample before acting" in calibration_caveat(ws)


def test_a_report_without_a_stored_calibration_says_so_plainly(tmp_path: Path) -> None:
    from advocacy.report.section import ReportScope
    from advocacy.report.sections import methods

    answers = tmp_path / "responses.csv"
    answers.write_text("response_id,submitted_at,nps\nA,2024-03-01,9\nB,2024-03-02,3\n")
    with advocacy.open(str(tmp_path / "w.duckdb")) as ws:
        ws.import_file(answers, kind="responses")
        appendix = str(methods.build(ws, ReportScope()).body)
        assert kept_calibration_report(ws.db, ws.settings.text_model) == {}
        assert kept_calibration_note(ws.db, ws.settings.text_model).startswith(
            "Sentiment is calibrated on this workspace's scored comments"
        )
    assert "Sentiment calibration" not in appendix


@pytest.mark.shared_data
def test_labels_the_shipped_model_trained_on_are_counted_and_warned_about(
    shared_data: Path, tmp_path: Path
) -> None:
    """audit4 H5: all 958 clothing reviews trained the shipped model (``text evaluate`` scores
    none of them), so their cross-validated accuracy says little of new texts: ``text
    analyze`` and the report's methods and text note say so."""
    from advocacy.report.section import ReportScope
    from advocacy.report.sections import methods, text

    source = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    db = str(tmp_path / "w.duckdb")
    assert advocacy_cli("import", str(source), "--kind", "mentions", "--db", db).returncode == 0
    analyzed = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", "1")
    assert analyzed.returncode == 0, analyzed.stderr
    said = json.loads(analyzed.stdout)
    evaluated = advocacy_cli("text", "evaluate", str(source), "--format", "json", "--db", db)
    assert evaluated.returncode == 0, evaluated.stderr
    assert "958" in evaluated.stdout  # text evaluate's own count of the texts it left out
    expected = (
        "Warning: 958 of the 958 labelled texts (100%) trained the shipped model (Women's "
        "clothing reviews): the cross-validated accuracies are measured mostly on texts the "
        "model learnt and say little of how it reads new ones. Texts are matched whole, so "
        'short generic answers ("Thank you!", "ok") count when a training set holds them. '
        "advocacy text evaluate FILE scores a labelled file's other texts apart."
    )
    assert said["trained the shipped model"] == expected
    with advocacy.open(db) as ws:
        appendix = str(methods.build(ws, ReportScope()).body)
        notes = " ".join(text.build(ws, ReportScope()).notes)
    assert str(escape(expected)) in appendix
    assert expected in notes


@pytest.mark.shared_data
def test_a_few_labels_the_model_trained_on_are_counted_without_a_warning(
    shared_data: Path, tmp_path: Path
) -> None:
    # TweetEval's even test lines trained the shipped model, its odd ones did not.
    folder = shared_data / "tweeteval" / "sentiment"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    rows = [(texts[i].strip(), TWEET_LABELS[labels[i].strip()]) for i in range(1, 121, 2)]
    rows += [(texts[i].strip(), TWEET_LABELS[labels[i].strip()]) for i in range(0, 40, 2)]
    path, db = tmp_path / "tweets.csv", str(tmp_path / "w.duckdb")
    pd.DataFrame(rows, columns=["text", "sentiment"]).to_csv(path, index=False)
    assert advocacy_cli("import", str(path), "--kind", "mentions", "--db", db).returncode == 0
    taught = advocacy_cli("text", "teach", str(path), "--format", "json", "--db", db)
    assert taught.returncode == 0, taught.stderr
    said = json.loads(taught.stdout)
    assert said["trained the shipped model"] == (
        "20 of the 80 labelled texts (25%) trained the shipped model (TweetEval sentiment): "
        "they are in the cross-validated accuracies, which they flatter. Texts are matched "
        'whole, so short generic answers ("Thank you!", "ok") count when a training set holds '
        "them. advocacy text evaluate FILE scores a labelled file's other texts apart."
    )


@pytest.mark.shared_data
def test_labels_in_languages_the_model_does_not_read_are_not_counted_against_the_trained_ones(
    shared_data: Path, tmp_path: Path
) -> None:
    """review11 item 1: clothing reviews (English, all trained the shipped model) beside Olist
    reviews (Portuguese, left out of the calibration): the count is among the labels the
    calibration used, so the clothing reviews are most of them and the note warns."""
    clothing = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    olist = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    reviews = pd.read_csv(olist, dtype=str, keep_default_na=False)
    reviews = reviews[reviews["review_comment_message"].str.strip() != ""]
    portuguese = tmp_path / "olist.csv"
    pd.DataFrame(
        {
            "mention_id": reviews["review_id"],
            "text": reviews["review_comment_message"],
            "rating": reviews["review_score"],
            "posted_at": reviews["review_creation_date"],
        }
    ).to_csv(portuguese, index=False)
    db = str(tmp_path / "w.duckdb")
    for source in (clothing, portuguese):
        imported = advocacy_cli("import", str(source), "--kind", "mentions", "--db", db)
        assert imported.returncode == 0, imported.stderr
    analyzed = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", "1")
    assert analyzed.returncode == 0, analyzed.stderr
    said = json.loads(analyzed.stdout)
    assert "in languages the model does not read left out (pt" in said["calibration"]
    used = said["calibration labels"]
    trained = said["trained the shipped model"]
    assert trained.startswith("Warning: "), trained
    counted, of = trained.removeprefix("Warning: ").split(" labelled texts")[0].split(" of the ")
    assert int(of.replace(",", "")) == used  # the calibration's own figure
    assert 958 <= int(counted.replace(",", "")) <= used


#: In a fresh process: what the report's two readers and ``text teach``'s print say of the
#: labels that trained the shipped model, and whether the language detector was loaded.
_FRESH_REPORT = """
import json, sys
import advocacy
from advocacy.text.calibration_report import kept_calibration_note, kept_calibration_report
with advocacy.open(sys.argv[1]) as ws:
    methods = kept_calibration_report(ws.db, ws.settings.text_model)
    note = kept_calibration_note(ws.db, ws.settings.text_model)
print(json.dumps({"methods": methods, "note": note, "detector": "py3langid.langid" in sys.modules}))
"""


def _hashed_count(texts: list[str]) -> int:
    """How many of ``texts`` are in the shipped file of training-text hashes, read here."""
    from advocacy.text.embeddings import model_path
    from advocacy.text.training_texts import TRAINING_TEXTS_FILE, text_hash

    with np.load(model_path(TRAINING_TEXTS_FILE), allow_pickle=False) as data:
        known = np.concatenate([data[name] for name in data.files]).astype(np.uint64)
    hashes = np.array([text_hash(text) for text in texts], dtype=np.uint64)
    return int(np.isin(hashes, known).sum())


@pytest.mark.shared_data
@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_fit_stores_the_count_of_labels_that_trained_the_model_and_the_report_reads_it(
    shared_data: Path, tmp_path: Path, workers: str
) -> None:
    """The count is made when fitting and stored with the fit: it equals an independent count
    of the labelled texts by the shipped hashes, and a report in a fresh process reads it
    without detecting any text's language (it detected every labelled text's, twice). With
    two workers it is counted beside the last fits, maybe in the worker."""
    clothing = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    ).dropna(subset=["Review Text"])
    olist = pd.read_csv(
        shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv",
        dtype=str,
        keep_default_na=False,
    )
    olist = olist[olist["review_comment_message"].str.len() > 40].head(40)
    trained = clothing["Review Text"].head(90).tolist()
    # A word added inside makes another text, one the model never learnt.
    untrained = [text.replace(" ", " really ", 1) for text in clothing["Review Text"][90:180]]
    texts = trained + untrained + olist["review_comment_message"].tolist()
    ratings = [*clothing["Rating"].head(180).astype(int), *olist["review_score"].astype(int)]
    path, db = tmp_path / "mentions.csv", str(tmp_path / "w.duckdb")
    pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(len(texts))],
            "text": texts,
            "rating": ratings,
            "posted_at": "2024-05-01",
        }
    ).to_csv(path, index=False)
    assert advocacy_cli("import", str(path), "--kind", "mentions", "--db", db).returncode == 0
    analyzed = advocacy_cli("text", "analyze", "--format", "json", "--db", db, "--workers", workers)
    assert analyzed.returncode == 0, analyzed.stderr
    with advocacy.open(db) as ws:
        found = calibration_store.stored(ws.db, ws.settings.text_model)
        assert found is not None and found.calibrated is not None
        assert calibration_store.stored_training(ws.db, ws.settings.text_model) == found.training
    training = found.training
    assert training is not None
    assert training.n_trained == _hashed_count(texts) == 90
    assert dict(training.trained) == {"clothing": 90}
    assert training.labelled == found.calibrated.n_labels_
    assert training.labelled + training.unread == len(texts)
    assert training.unread > 0  # Portuguese reviews, left out of the fit
    said = json.loads(analyzed.stdout)["trained the shipped model"]
    assert said.startswith(f"90 of the {training.labelled:,} labelled texts in languages")

    fresh = subprocess.run(
        [sys.executable, "-c", _FRESH_REPORT, db], capture_output=True, text=True, check=True
    )
    report = json.loads(fresh.stdout)
    assert report["methods"]["trained the shipped model"] == said
    assert said in report["note"]
    assert report["detector"] is False


def test_a_fit_stored_without_the_count_says_it_was_not_recorded(tmp_path: Path) -> None:
    """A calibration stored before the count was (2026-12-06) is not counted again by every
    report: the report says the count was not recorded and how to record it."""
    taught = ["Refund took five weeks, awful.", "Lovely staff, thank you!"] * 20
    labels = ["negative", "positive"] * 20
    fitted = CalibratedSentiment().fit(taught, labels, taught=[True] * 40)
    assert fitted.cv_accuracy_  # candidates compared: the report has accuracies to qualify
    recorded = TrainingLabels(40, Counter(clothing=30))
    with advocacy.open(str(tmp_path / "w.duckdb")) as ws:
        model = ws.settings.text_model
        summary = calibration_store.LabelSummary.of(
            ((("responses", str(i)), label, True) for i, label in enumerate(labels))
        )
        now = datetime(2026, 12, 6, tzinfo=UTC)
        calibration_store.store(ws.db, model, "base", summary, fitted, now, training=recorded)
        assert calibration_store.stored_training(ws.db, model) == recorded
        assert kept_calibration_report(ws.db, model)["trained the shipped model"].startswith(
            "Warning: 30 of the 40 labelled texts (75%) trained the shipped model (Women's "
        )
        # As a row of before: the same fit, its state without the count.
        ws.db.execute(
            "UPDATE text_calibration SET state = ? WHERE model = ?",
            [calibration_store.dump(fitted), model],
        )
        assert calibration_store.stored_training(ws.db, model) is None
        # An edited row whose counts cannot be (more trained than labelled) is not believed.
        state = json.loads(calibration_store.dump(fitted, training=recorded))
        state["training"]["labelled"] = 0
        ws.db.execute(
            "UPDATE text_calibration SET state = ? WHERE model = ?", [json.dumps(state), model]
        )
        assert calibration_store.stored_training(ws.db, model) is None
        # Nor one whose counts are not numbers (JSON's Infinity, text): read, never fatal.
        for damaged in ("Infinity", '"many"', "[1]"):
            raw = calibration_store.dump(fitted, training=recorded)
            raw = raw.replace('"labelled": 40', f'"labelled": {damaged}')
            assert f'"labelled": {damaged}' in raw
            ws.db.execute("UPDATE text_calibration SET state = ? WHERE model = ?", [raw, model])
            assert calibration_store.stored_training(ws.db, model) is None
            assert calibration_store.stored(ws.db, model) is not None
        report = kept_calibration_report(ws.db, model)
        note = kept_calibration_note(ws.db, model)
    assert report["trained the shipped model"] == NOT_RECORDED
    assert "--recalibrate counts them" in NOT_RECORDED
    assert f"Labelled texts that trained the shipped model: {NOT_RECORDED}." in note
