"""A calibration reads only the kinds of text it was fitted on, and every run says so.

The fourth audit (item 5): a workspace calibrated on Amazon CSAT comments read TweetEval tweets
at 0.344 accuracy (the model alone 0.666), and tweets imported as mentions were stored through
that calibration with no word of it. Here survey answers with a CSAT score (our own words)
calibrate the workspace; social posts imported beside them carry no label.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import advocacy
from advocacy.text import calibration_store
from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.calibration_report import kept_calibration_note
from advocacy.text.enrich import analyze_texts
from support.calibration_files import (
    ANSWERS,
    POSTS,
    evaluate_json,
    write_answers,
    write_labelled,
    write_posts,
)

#: How a calibration that recorded its labels' sources says what it reads (after the kinds).
# Fitted on answers alone, which name no source: the rule of kinds, with no word of platforms.
SCOPE = (
    "a kind of text needs 30 labels, or half of the calibration's, to be read by it (other "
    "kinds: by the model alone)"
)


def _workspace(url: str, tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "answers.csv", ANSWERS)
    posts = write_posts(tmp_path / "posts.csv", POSTS)
    with advocacy.open(url, create=True) as ws:
        ws.import_file(answers, kind="responses", cases=False)
        ws.import_file(posts, kind="mentions", cases=False)


def test_texts_of_a_kind_the_calibration_was_not_fitted_on_are_read_by_the_model_alone(
    db_url: str, tmp_path: Path
) -> None:
    _workspace(db_url, tmp_path)
    with advocacy.open(db_url) as ws:
        first = ws.text.analyze(workers=1)
        stored = ws.db.fetchall(
            "SELECT document_kind, document_id, sentiment, model FROM text_features "
            "ORDER BY document_kind, document_id"
        )
        calibrated, _ = ws.text.calibration_status()
        note = kept_calibration_note(ws.db, ws.settings.text_model)
        ws_report = ws.text.calibration_report()
        again = ws.text.analyze(workers=1)
    assert calibrated is not None and calibrated.kinds_ == {"response": 8}
    assert first.analyzed == 11 and first.model_alone == {"mention": 3}
    assert first.summary()["read by the model alone"] == (
        f"3 mention texts from platform 'twitter': the calibration reads response (8 labels); "
        f"{SCOPE}"
    )
    models = {(kind, key): model for kind, key, _, model in stored}
    assert all(calibrated.name_ in models[("response", key)] for key, _, _ in ANSWERS)
    # The posts are stored as the model alone reads them, under its name.
    alone = analyze_texts([text for _, text in POSTS])
    posts = [row for row in stored if row[0] == "mention"]
    assert [sentiment for _, _, sentiment, _ in posts] == list(alone["sentiment"])
    assert {model for _, _, _, model in posts} == {alone["model"].iloc[0]}
    assert "workspace" not in alone["model"].iloc[0]
    # Kept as they are by the next run (not read again because their model is not the
    # calibration's), which says nothing of a model-alone reading it did not make.
    assert (again.analyzed, again.unchanged, again.model_alone) == (0, 11, {})
    # The calibration's report (text teach, a fitting analyze) says which kinds it reads, the
    # report's which reading made how many stored readings.
    assert ws_report["texts it reads"] == f"it reads response (8 labels); {SCOPE}"
    assert note.endswith(
        f"It reads response (8 labels); {SCOPE}: 8 response texts read by it; "
        "3 mention texts from platform 'twitter' read by the model alone."
    )


def test_evaluate_says_what_the_calibration_was_fitted_on_and_what_the_model_alone_scores(
    tmp_path: Path,
) -> None:
    url = str(tmp_path / "w.duckdb")
    _workspace(url, tmp_path)
    labelled = tmp_path / "held_out.csv"
    rows = [
        ("Still waiting on my refund, two weeks now.", "negative"),
        ("The handle snapped off the first day.", "negative"),
        ("Courier left it in the rain and it was soaked.", "negative"),
        ("Quick delivery and the mixer is great.", "positive"),
        ("Really pleased, the staff were so kind.", "positive"),
        ("Fits the kitchen nicely and looks smart.", "positive"),
        ("It arrived on Tuesday.", "neutral"),
        ("I ordered the grey one.", "neutral"),
    ]
    write_labelled(labelled, rows)

    def evaluate(*options: str) -> dict[str, object]:
        return evaluate_json(labelled, url, *options)

    as_answers = evaluate("--kind", "responses")
    as_posts = evaluate("--kind", "mentions")
    generic = evaluate("--model", "generic")
    # Read as survey answers: through the calibration, the model alone's scores beside.
    assert as_answers["calibration fitted on"] == {"response": 8}
    assert "workspace" in str(as_answers["model"])
    alone = as_answers["model alone"]
    assert isinstance(alone, dict)
    assert alone["accuracy"] == generic["accuracy"]
    assert alone["accuracy interval"] == generic["accuracy interval"]
    assert alone["macro-F1"] == generic["macro-F1"]
    # Read as social posts: by the model alone, as text analyze reads them, and said.
    assert as_posts["model alone"] is None
    assert as_posts["model"] == generic["model"] and as_posts["accuracy"] == generic["accuracy"]
    assert (
        "the workspace's calibration does not read mention texts (it reads response (8 "
        f"labels); {SCOPE}): this file was read by the model alone, as text analyze "
        "reads them (to check the calibration, evaluate a file of the texts it reads: --kind "
        "responses)"
    ) in as_posts["notes"]  # type: ignore[operator]


def test_the_kinds_are_stored_with_the_fit_and_an_older_fit_is_refitted(tmp_path: Path) -> None:
    texts = [text for _, _, text in ANSWERS] + [text for _, text in POSTS]
    labels = ["negative", "negative", "positive", "positive", "neutral", "negative"]
    labels += ["positive", "negative", "negative", "positive", "neutral"]
    kinds = ["response"] * 8 + ["mention"] * 3
    fitted = CalibratedSentiment().fit(texts, labels, kinds=kinds)
    assert fitted.kinds_ == {"mention": 3, "response": 8}
    assert fitted.reads_kind("response") and not fitted.reads_kind("note")
    # Three labels of mentions beside eight of responses: too few to read mentions by it.
    assert not fitted.reads_kind("mention")
    anywhere = CalibratedSentiment().fit(texts, labels)
    assert anywhere.kinds_ == {} and anywhere.reads_kind("note")
    with pytest.raises(advocacy.UsageError, match="kinds has 2 entries for 11 texts"):
        CalibratedSentiment().fit(texts, labels, kinds=["response", "mention"])
    state = json.loads(calibration_store.dump(fitted))
    assert state["format"] == 2 and state["scalars"]["kinds_"] == {"mention": 3, "response": 8}
    loaded = calibration_store.load(json.dumps(state))
    assert loaded is not None and loaded.kinds_ == fitted.kinds_
    # A fit stored before the kinds were (format 1) read every kind: it is refitted, not read.
    state["format"] = 1
    assert calibration_store.load(json.dumps(state)) is None
