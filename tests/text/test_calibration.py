"""Calibration from the user's own labels and from ratings read on their own scale.

Workspaces are real DuckDB files and PostgreSQL databases (``db_url``) filled through the
importer's generic reader; the real-data test reads ``../shared/data``.
"""

from __future__ import annotations

import csv
import importlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import advocacy
from advocacy.errors import UsageError
from advocacy.text.calibration import CalibratedSentiment, label_from_scores, scale_label
from advocacy.text.calibration_workspace import calibration
from advocacy.text.enrich import analyze_workspace
from advocacy.text.sentiment import SENTIMENTS, sentiment
from support.cli import advocacy_cli

CLEAR = [
    "I love this shop, brilliant staff",
    "Worst service ever, never again",
    "Absolutely wonderful experience",
    "Terrible, rude and slow",
    "The parcel came on Tuesday.",
    "Not great, not awful either.",
]
LATE = [
    *(f"My parcel arrived {n} days after the promised date." for n in range(2, 12)),
    *(f"The order came {n} days late, as usual." for n in range(2, 12)),
]
LATE_HELD_OUT = [
    "The delivery turned up a week after the date you gave.",
    "Package arrived 9 days after it was due.",
    "My order came two weeks late.",
    "Shipment arrived three days after the promised date.",
    "My parcel arrived 14 days after the promised date.",
]


def test_one_taught_label_is_counted_and_changes_nothing_harmful() -> None:
    before = sentiment(CLEAR)
    model = CalibratedSentiment().fit(["Refund took five weeks."], ["negative"], taught=[True])
    after = model.predict(CLEAR)
    assert model.summary()["labels"] == 1 and model.summary()["taught"] == 1
    assert model.summary()["method"] == "prior adjusted (1 label)"
    assert after.labels == before.labels
    assert np.abs(after.probabilities - before.probabilities).max() < 0.1
    assert after.model != before.model  # the labels record that a calibration made them


def test_twenty_labels_of_a_users_convention_move_predictions_towards_it() -> None:
    before = sentiment(LATE_HELD_OUT)
    model = CalibratedSentiment().fit(LATE, ["negative"] * len(LATE), taught=[True] * len(LATE))
    after = model.predict(LATE_HELD_OUT)
    assert model.summary()["method"] == "prior adjusted (20 labels)"
    assert after.probabilities[:, 0].mean() > before.probabilities[:, 0].mean() + 0.1
    assert after.labels.count("negative") >= max(before.labels.count("negative"), 3)
    # Clear praise stays praise: a bias towards "negative" is not a new model of language.
    assert model.predict(["I love this shop, brilliant staff"]).labels == ["positive"]


def test_the_summary_says_how_many_labels_and_how_they_were_used() -> None:
    texts = [*LATE, *(f"Arrived {n} days early, brilliant and well packed!" for n in range(20))]
    labels = ["negative"] * len(LATE) + ["positive"] * 20
    model = CalibratedSentiment().fit(texts, labels)
    summary = model.summary()
    assert (summary["labels"], summary["taught"]) == (40, 0)
    # Either a correction chosen by cross-validation or the prior kept because none beat it.
    assert re.fullmatch(r".*5-fold CV \(40 labels\)", summary["method"])
    assert "prior" in summary["cross-validated accuracy"]
    assert summary["classes"] == ["negative", "positive"]
    # The most accurate in cross-validation is chosen, so never worse than the prior there.
    scores = summary["cross-validated accuracy"]
    key = model.method_ if model.penalty_ is None else f"{model.method_}, C={model.penalty_:g}"
    assert scores[key] == max(scores.values()) >= scores["prior"]
    assert model.predict(["My order came two weeks late."]).labels == ["negative"]


def test_refuses_what_it_cannot_use() -> None:
    with pytest.raises(UsageError, match="not fitted"):
        CalibratedSentiment().predict(["hello"])
    with pytest.raises(UsageError, match="unknown sentiment label 'angry'"):
        CalibratedSentiment().fit(["hello"], ["angry"])
    with pytest.raises(UsageError, match="at least one labelled text"):
        CalibratedSentiment().fit([], [])


def test_hostile_texts_are_read_not_obeyed() -> None:
    hostile = [
        "<script>alert(1)</script> refund never came",
        '=HYPERLINK("http://x","click") great service',
        "配送が遅れて最悪でした",
        "Lieferung kam zwei Wochen zu spät",
        "",
        "\u202eevil\x00",
    ] * 6 + ["refund " * 20_000]
    labels = [SENTIMENTS[i % 3] for i in range(len(hostile))]
    model = CalibratedSentiment().fit(hostile, labels, taught=[True] * len(hostile))
    result = model.predict(hostile[:6] + hostile[-1:])
    assert set(result.labels) <= set(SENTIMENTS) and len(result.labels) == 7
    assert np.allclose(result.probabilities.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (1, 5, "--0++"),
        (1, 7, "--000++"),
        (0, 10, "-------00++"),
        (1, 10, "------00++"),
        (1, 3, "-0+"),
        (1, 4, "--++"),
    ],
)
def test_ratings_read_on_their_own_scale(low: int, high: int, expected: str) -> None:
    sign = {"negative": "-", "neutral": "0", "positive": "+"}
    assert "".join(sign[str(scale_label(v, low, high))] for v in range(low, high + 1)) == expected


def test_csat_4_of_5_is_positive_and_nps_keeps_its_bands() -> None:
    assert label_from_scores(csat=4, csat_min=1, csat_max=5) == "positive"
    assert label_from_scores(csat=3, csat_min=1, csat_max=5) == "neutral"
    assert label_from_scores(ces=6, ces_min=1, ces_max=7) == "positive"  # high CES = easy
    assert label_from_scores(nps=8) == "neutral"
    assert label_from_scores(rating=7, rating_min=1, rating_max=5) is None  # off the scale
    assert label_from_scores(csat=float("nan")) is None


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


REVIEWS = [
    ("Arrived broken and support never replied.", 1),
    ("Cheap plastic, snapped in a week.", 2),
    ("Does the job, nothing special.", 3),
    ("Good value, would buy again.", 4),
    ("Lovely quality, fits perfectly.", 5),
]


def test_reviews_with_a_rating_column_calibrate(db_url: str, tmp_path: Path) -> None:
    rows = [
        [f"M{copy}-{n}", "shop", f"{text} <b>{copy}</b>", stars]
        for copy in range(3)
        for n, (text, stars) in enumerate(REVIEWS)
    ]
    path = _write(tmp_path / "reviews.csv", ["mention_id", "platform", "text", "rating"], rows)
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="mentions")
        calibrated = calibration(ws.db)
        assert calibrated is not None
        assert calibrated.summary()["labels"] == 15
        assert calibrated.summary()["classes"] == ["negative", "neutral", "positive"]
        result = analyze_workspace(ws.db)
    assert result.calibration_labels == 15 and "+workspace-" in result.model


def test_a_csat_of_4_of_5_calibrates_as_positive(db_url: str, tmp_path: Path) -> None:
    rows = [[f"R{n}", "Quick and friendly, thank you.", 4] for n in range(5)]
    path = _write(tmp_path / "csat.csv", ["response_id", "comment", "csat"], rows)
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="responses")
        calibrated = calibration(ws.db)
    assert calibrated is not None
    assert calibrated.summary()["classes"] == ["positive"]
    assert calibrated.summary()["method"] == "prior adjusted (5 labels)"


def test_a_rating_column_on_responses_calibrates(db_url: str, tmp_path: Path) -> None:
    rows = [[f"R{n}", text, stars] for n, (text, stars) in enumerate(REVIEWS)]
    path = _write(tmp_path / "rated.csv", ["response_id", "comment", "rating"], rows)
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="responses")
        calibrated = calibration(ws.db)
    assert calibrated is not None and calibrated.summary()["labels"] == 5
    assert calibrated.summary()["classes"] == ["negative", "neutral", "positive"]


def test_text_teach_says_how_the_labels_are_used(db_url: str, tmp_path: Path) -> None:
    rows = [[f"R{n}", text, stars] for n, (text, stars) in enumerate(REVIEWS)]
    path = _write(tmp_path / "rated.csv", ["response_id", "comment", "rating"], rows)
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="responses")
    labels = _write(tmp_path / "labels.csv", ["document_id", "kind", "sentiment"], [
        ["R2", "response", "negative"],  # replaces the label its 3 of 5 implies
        ["R3", "response", "positive"],
    ])  # fmt: skip
    taught = advocacy_cli(
        "text", "teach", str(labels), "--format", "json", "--db", db_url, cwd=tmp_path
    )
    assert taught.returncode == 0, taught.stderr
    assert json.loads(taught.stdout) == {
        "sentiment labels": 2,
        "theme labels": 0,
        "calibration": "prior adjusted (5 labels)",
        "calibration status": "fitted (5 labels)",
        # Survey answers' labels: it reads survey answers, and leaves other kinds alone.
        # Answers name no platform: the rule of kinds alone.
        "texts it reads": "it reads response (5 labels); a kind of text needs 30 labels, or "
        "half of the calibration's, to be read by it (other kinds: by the model alone)",
        # R2's 3 of 5 was neutral: taught negative, no neutral label is left.
        "accuracy (cross-validated)": "not measured: with 5 labels (negative, positive) the "
        "model's prior is only adjusted, shrunk towards the model; from 30 labels of two "
        "classes, corrections are compared by cross-validation",
    }


_BLOCK = re.compile(r"<review>(.*?)</review>", re.S)


def _blitzer(folder: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label in ("negative", "positive"):
        raw = (folder / f"{label}.review").read_text(encoding="utf-8", errors="replace")
        for block in _BLOCK.findall(raw):
            found = re.search(r"<review_text>\s*(.*?)\s*</review_text>", block, re.S)
            texts.append(found.group(1) if found else "")
            labels.append(label)
    return texts, labels


@pytest.mark.shared_data
def test_300_taught_labels_beat_tfidf_on_held_out_reviews(shared_data: Path) -> None:
    # Three seeded splits, means compared: on one split the 5-fold choice between the adjusted
    # prior and the stacked head can go either way (seed 1 flipped when the prior improved with
    # the negation reading), as the benchmark's learning curve averages seeds too.
    folder = shared_data / "text-corpora" / "amazon-multidomain-blitzer" / "kitchen_&_housewares"
    texts, labels = _blitzer(folder)
    ours, theirs, methods = [], [], []
    for seed in (0, 1, 2):
        order = np.random.default_rng(seed).permutation(len(texts))
        taught, held = order[:300], order[300:800]
        taught_texts, taught_labels = [texts[i] for i in taught], [labels[i] for i in taught]
        held_texts, held_labels = [texts[i] for i in held], np.array([labels[i] for i in held])
        model = CalibratedSentiment().fit(taught_texts, taught_labels, taught=[True] * 300)
        ours.append(np.mean(np.array(model.predict(held_texts).labels) == held_labels))
        methods.append(model.summary()["method"])
        baseline = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(C=10.0, max_iter=2000),
        ).fit(taught_texts, taught_labels)
        theirs.append(np.mean(baseline.predict(held_texts) == held_labels))
    assert np.mean(ours) > np.mean(theirs), (ours, theirs, methods)


def test_many_labels_are_compared_on_a_sample_and_all_of_them_fit(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_CV_LABELS, candidates are compared on a stratified sample that keeps every
    taught label, and the chosen model is fitted on all the labels."""
    module = importlib.import_module("advocacy.text.calibration_cross_validation")
    monkeypatch.setattr(module, "MAX_CV_LABELS", 120)
    monkeypatch.setattr(module, "SAMPLED_CV_LABELS", 120)
    folder = shared_data / "text-corpora" / "amazon-multidomain-blitzer" / "kitchen_&_housewares"
    texts, labels = _blitzer(folder)
    order = np.random.default_rng(2).permutation(len(texts))[:400]
    texts, labels = [texts[i] for i in order], [labels[i] for i in order]
    taught = [i < 40 for i in range(400)]
    # The sample is judged in SAMPLED_FOLDS folds; labels within the cap keep all five.
    sampled = CalibratedSentiment().fit(texts, labels, taught=taught)
    assert sampled.n_folds_ == module.SAMPLED_FOLDS == 3
    assert "3-fold CV" in sampled.summary()["method"]
    within = CalibratedSentiment().fit(texts[:100], labels[:100])
    assert within.n_folds_ == 5
    # The sample is judged at SAMPLED_PENALTIES: the weakest penalty only within the cap.
    tried = {key.split("C=")[1] for key in sampled.cv_accuracy_ if "C=" in key}
    assert tried == {f"{c:g}" for c in module.SAMPLED_PENALTIES} and "0.06" not in tried
    assert {key.split("C=")[1] for key in within.cv_accuracy_ if "C=" in key} == {
        f"{c:g}" for c in module.HEAD_PENALTIES
    }
    # With five folds of this small sample the stacked TF-IDF wins (0.845 against 0.830 for
    # the head alone; seed 2's sample tied at 0.835 once English whole words entered the
    # embedding and seed 0's at 0.855 once capitals were folded, real-sentiment-e5-v7, and a
    # tie keeps the head): it is fitted on all labels.
    model = CalibratedSentiment(sampled_folds=5).fit(texts, labels, taught=taught)
    assert model.n_labels_ == 400 and 118 <= model.n_cv_labels_ <= 122
    assert f"on {model.n_cv_labels_} of them (400 labels)" in model.summary()["method"]
    assert model.method_ == "head + tfidf"
    # The chosen model is fitted on every label: its TF-IDF knows every labelled text's words.
    from sklearn.feature_extraction.text import CountVectorizer

    from advocacy.text.calibration_tfidf import clipped  # what it reads: negations marked

    words = CountVectorizer(ngram_range=(1, 2)).fit(clipped(texts)).vocabulary_
    assert set(model.tfidf_.steps[0][1].vocabulary) == set(words)
    rows = module._cv_rows(
        np.array([SENTIMENTS.index(label) for label in labels]),
        np.where(taught, 3.0, 1.0),
        random_state=0,
    )
    assert set(range(40)) <= set(rows.tolist())  # every taught label is compared on
    shares = np.bincount([SENTIMENTS.index(labels[i]) for i in rows], minlength=3) / len(rows)
    overall = np.bincount([SENTIMENTS.index(label) for label in labels], minlength=3) / 400
    assert np.abs(shares - overall).max() < 0.02  # stratified by class


def test_the_comparison_sample_past_the_cap_has_its_own_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Up to MAX_CV_LABELS every label is compared on; past it, a stratified sample of
    SAMPLED_CV_LABELS (which may be smaller than the cap)."""
    module = importlib.import_module("advocacy.text.calibration_cross_validation")
    monkeypatch.setattr(module, "MAX_CV_LABELS", 120)
    monkeypatch.setattr(module, "SAMPLED_CV_LABELS", 60)
    y = np.random.default_rng(0).choice(3, size=400, p=[0.2, 0.3, 0.5])
    rows = module._cv_rows(y, np.ones(400), random_state=0)
    assert 58 <= len(rows) <= 62 and len(set(rows.tolist())) == len(rows)
    shares = np.bincount(y[rows], minlength=3) / len(rows)
    assert np.abs(shares - np.bincount(y, minlength=3) / 400).max() < 0.03
    assert module._cv_rows(y[:120], np.ones(120), random_state=0).tolist() == list(range(120))


@pytest.mark.shared_data
def test_a_tie_with_the_model_alone_keeps_the_adjusted_prior(shared_data: Path) -> None:
    """Below MIN_HEAD_LABELS the prior is adjusted unexamined; with more labels that show no
    candidate better than it (a tie at the top of cross-validation) it stays, rather than the
    reading falling back to the model alone (on training pools the adjusted prior read as well
    or better held out in every such tie: docs/benchmarks.md)."""
    reviews = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    ).dropna(subset=["Review Text"])
    texts = [str(text) for text in reviews["Review Text"].head(50)]
    labels = [scale_label(float(rating), 1, 5) or "" for rating in reviews["Rating"].head(50)]
    model = CalibratedSentiment().fit(texts, labels)
    scores = model.cv_accuracy_
    assert scores["prior"] == scores["prior adjusted"] == max(scores.values())
    assert model.method_ == "prior adjusted" and model.penalty_ is None
    said = f"prior adjusted, chosen by {model.n_folds_}-fold CV (50 labels)"
    assert model.summary()["method"] == said
    # The choice is named: the same labels refitted read through the same model.
    assert CalibratedSentiment().fit(texts, labels).name_ == model.name_
