"""Within a kind of text, a calibration reads only the sources it has enough labels of.

Kinds were not enough: 30 rated shop reviews imported as mentions put every tweet (also a
mention) back under a calibration fitted on those reviews and on survey answers. Here survey
answers with a CSAT score and 30 rated reviews of one platform (our own words) calibrate the
workspace; tweets imported beside them carry no label and must be read by the model alone,
by ``text analyze``, ``text evaluate``, the report and the Spark reading alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.text import calibration_store
from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.calibration_kinds import (
    kinds_scope,
    read_options,
    read_sources,
    reads_text,
    source_key,
)
from advocacy.text.calibration_report import evaluate_advice, kept_calibration_note
from advocacy.text.enrich import analyze_documents, analyze_texts
from advocacy.text.parquet_enrich import _read_by_kind
from support.calibration_files import POSTS as TWEETS
from support.calibration_files import evaluate_json, write_labelled, write_posts
from support.cli import advocacy_cli

COMPLAINTS = [
    "Parcel {} turned up late and support never wrote back.",
    "The kettle in box {} leaked from the first day.",
    "Charged twice for order {} and still no refund.",
]
PRAISE = [
    "Order {} came early and works like a dream.",
    "Really happy with blender number {}, quiet and strong.",
    "Friendly chat agent fixed order {} in minutes.",
]
PLAIN = ["Order {} arrived on the stated day.", "It is a toaster, order {} toasts."]


def _answers() -> list[tuple[str, int, str]]:
    rows = []
    for i in range(5):
        rows += [(f"b{i}{j}", 1 + j % 2, text.format(i + 2)) for j, text in enumerate(COMPLAINTS)]
        rows += [(f"g{i}{j}", 5 - j % 2, text.format(i + 2)) for j, text in enumerate(PRAISE)]
        rows += [(f"n{i}{j}", 3, text.format(i + 2)) for j, text in enumerate(PLAIN)]
    return rows


def _reviews() -> list[tuple[str, int, str]]:
    rows = []
    for i in range(5):
        rows += [(f"v{i}{j}", 1 + j % 2, text.format(i + 10)) for j, text in enumerate(COMPLAINTS)]
        rows += [(f"w{i}{j}", 5 - j % 2, text.format(i + 10)) for j, text in enumerate(PRAISE)]
    return rows


def _workspace(url: str, tmp_path: Path) -> None:
    answers, reviews, tweets = (tmp_path / name for name in ("a.csv", "r.csv", "t.csv"))
    answers.write_text(
        "response_id,survey,submitted_at,csat,comment\n"
        + "".join(f'{key},After delivery,2026-03-01,{n},"{text}"\n' for key, n, text in _answers()),
        encoding="utf-8",
    )
    reviews.write_text(
        "mention_id,platform,posted_at,rating,text\n"
        + "".join(f'{key},Shop,2026-03-02,{n},"{text}"\n' for key, n, text in _reviews()),
        encoding="utf-8",
    )
    write_posts(tweets, TWEETS, platform="twitter")
    with advocacy.open(url, create=True) as ws:
        ws.import_file(answers, kind="responses", cases=False)
        ws.import_file(reviews, kind="mentions", cases=False)
        ws.import_file(tweets, kind="mentions", cases=False)


def test_tweets_are_read_by_the_model_alone_beside_enough_rated_reviews_of_another_platform(
    db_url: str, tmp_path: Path
) -> None:
    _workspace(db_url, tmp_path)
    n_answers, n_reviews = len(_answers()), len(_reviews())
    with advocacy.open(db_url) as ws:
        first = ws.text.analyze(workers=1)
        stored = ws.db.fetchall(
            "SELECT document_id, sentiment, model FROM text_features "
            "WHERE document_kind = 'mention' ORDER BY document_id"
        )
        calibrated, _ = ws.text.calibration_status()
        note = kept_calibration_note(ws.db, ws.settings.text_model)
        readings = ws.text.sentiment_readings()
        again = ws.text.analyze(workers=1)
    assert calibrated is not None
    # 30 reviews: enough to read mentions, and reviews of their platform, by the calibration.
    assert calibrated.kinds_ == {"mention": n_reviews, "response": n_answers} and n_reviews == 30
    # A survey is no source (its waves are one channel): answers record none.
    assert calibrated.sources_ == {"mention": {"shop": n_reviews}}
    assert calibrated.reads_text("mention", "Shop") and not calibrated.reads_text(
        "mention", "twitter"
    )
    # A new survey (the next wave) is read by the calibration as the older ones are.
    assert calibrated.reads_text("response", None)
    models = {key: model for key, _, model in stored}
    tweets = [key for key, _ in TWEETS]
    alone = analyze_texts([text for _, text in TWEETS])
    assert [row[1] for row in stored if row[0] in tweets] == list(alone["sentiment"])
    assert {models[key] for key in tweets} == {alone["model"].iloc[0]}
    assert all(calibrated.name_ in models[key] for key, _, _ in _reviews())
    assert first.model_alone == {"mention": len(TWEETS)}
    # Which platform's texts were left to the model alone, and why, where each run says it.
    said = first.summary()["read by the model alone"]
    assert said.startswith(
        f"{len(TWEETS)} mention texts from platform 'twitter': the calibration reads mention "
        f"from platform 'shop' (30 labels), response ({n_answers} labels); a kind of text, and "
        "within mentions a platform, needs"
    )
    assert (again.analyzed, again.model_alone) == (0, {})
    assert note.endswith(
        f": 30 mention texts from platform 'shop', {n_answers} response texts read by it; "
        f"{len(TWEETS)} mention texts from platform 'twitter' read by the model alone."
    ), note
    assert readings.summary() == (
        f"Sentiment of {n_answers + n_reviews + len(TWEETS)} stored texts: "
        f"{n_answers + n_reviews} read by the workspace's calibration (30 mention texts from "
        f"platform 'shop', {n_answers} response texts), {len(TWEETS)} read by the model alone "
        f"({len(TWEETS)} mention texts from platform 'twitter')."
    )
    assert readings.calibration_note().startswith(
        "The workspace's calibration reads only the kinds of text, and within mentions the "
        "platforms, it has enough labels of"
    )


def test_evaluate_reads_a_file_by_its_source(tmp_path: Path) -> None:
    url = str(tmp_path / "w.duckdb")
    _workspace(url, tmp_path)
    labelled = tmp_path / "held_out.csv"
    rows = [
        ("Still waiting on my refund, two weeks now.", "negative"),
        ("The handle snapped off the first day.", "negative"),
        ("Quick delivery and the mixer is great.", "positive"),
        ("Really pleased, the staff were so kind.", "positive"),
        ("It arrived on Tuesday.", "neutral"),
    ]
    write_labelled(labelled, rows)

    def evaluate(*options: str) -> dict[str, object]:
        return evaluate_json(labelled, url, *options)

    as_shop = evaluate("--kind", "mentions", "--platform", "shop")
    as_tweets = evaluate("--kind", "mentions", "--platform", "twitter")
    generic = evaluate("--model", "generic")
    # A platform names where posts come from: refused with answers (usage, exit 2).
    refused = advocacy_cli(
        "text", "evaluate", str(labelled), "--kind", "responses", "--platform", "x", "--db", url
    )
    assert refused.returncode == 2 and "--platform" in refused.stderr, refused.stderr
    assert "workspace" in str(as_shop["model"]) and as_shop["model alone"] is not None
    assert as_tweets["model"] == generic["model"] and as_tweets["model alone"] is None
    assert as_tweets["accuracy"] == generic["accuracy"]
    notes = "\n".join(as_tweets["notes"])  # type: ignore[arg-type]
    assert "does not read mention texts from platform 'twitter' (it reads mention from " in notes
    assert (
        "(to check the calibration, evaluate a file of the texts it reads: --kind mentions "
        "--platform shop or --kind responses)"
    ) in notes


def test_the_rule_counts_labels_per_source() -> None:
    kinds = {"mention": 60, "response": 3000}
    sources = {"mention": {"amazon": 30, "twitter": 5, "": 25}, "response": {"": 3000}}
    assert read_sources(kinds, sources) == {"mention": {"amazon": 30}}
    assert reads_text(kinds, sources, "mention", " Amazon ")
    assert not reads_text(kinds, sources, "mention", "twitter")
    assert not reads_text(kinds, sources, "mention", None)  # 25 labels naming no platform
    assert not reads_text(kinds, sources, "mention", "trustpilot")  # no label at all
    assert reads_text(kinds, sources, "response", None)
    # A small calibration reads every platform it has labels of (three, 20 each), not one it
    # has none of; a platform of half of the labels is read with fewer than 30.
    small = {"mention": {"a": 20, "b": 20, "c": 20}}
    assert read_sources({"mention": 60}, small) == small
    assert not reads_text({"mention": 60}, small, "mention", "d")
    assert reads_text({"mention": 20, "response": 12}, {"mention": {"x": 20}}, "mention", "x")
    # But not beside one of 30: its 20 labels say nothing of the platform's texts.
    lopsided = {"mention": {"x": 20, "y": 40}}
    assert not reads_text({"mention": 60}, lopsided, "mention", "x")
    # Fitted without sources (or stored before they were): by kind alone, as before.
    assert reads_text({"mention": 60}, {}, "mention", "anything")
    assert not reads_text({"mention": 5, "response": 300}, {}, "mention", "anything")
    assert reads_text({}, {}, "note", None)  # fitted without kinds: every text
    assert source_key(" Twitter\n") == "twitter" and source_key(float("nan")) == ""


def test_a_fit_that_recorded_surveys_reads_every_answer() -> None:
    # A fit stored while a response's survey was a source (for a few hours on 2026-12-07)
    # recorded surveys; answers, now read with no source, are all read through it (review25:
    # every answer went to the model alone, and the fit was kept: labels did not change).
    surveys = {"response": {"after delivery": 2412, "support": 587}, "note": {"x": 40}}
    kinds = {"response": 2999, "note": 40}
    assert reads_text(kinds, surveys, "response", None)
    assert reads_text(kinds, surveys, "note", None)
    assert read_sources(kinds, surveys) == {}


def test_sources_are_named_safely_in_sentences_and_commands() -> None:
    hostile = "x' ; rm -rf ~ #" + "a" * 100
    kinds = {"mention": 40}
    sources = {"mention": {source_key(hostile): 40}}
    scope = kinds_scope(kinds, sources)
    assert "a" * 50 not in scope and "…" in scope  # a name is cut, quoted
    options = read_options(kinds, sources)
    # Quoted for a shell, whole (a cut name would name another platform).
    assert options == [f"--kind mentions --platform 'x'\"'\"' ; rm -rf ~ #{'a' * 100}'"]
    many = {"mention": {f"shop {i}": 100 + i for i in range(8)}}
    listed = kinds_scope({"mention": sum(many["mention"].values())}, many)
    assert listed.count("platform '") == 5 and "and 3 more" in listed
    # Notes and survey answers name no source: the kind alone.
    noted = kinds_scope({"note": 40, "mention": 40}, {"note": {"": 40}, "mention": {"a": 40}})
    assert noted.startswith("it reads note (40 labels), mention from platform 'a' (40 labels);")
    answers = kinds_scope({"response": 40}, {"response": {"": 40}})
    assert answers.startswith("it reads response (40 labels);"), answers
    fitted = type("Fitted", (), {"kinds_": {"mention": 40, "response": 10}, "sources_": {
        "mention": {"shop": 40}, "response": {"": 10}}})()  # fmt: skip
    assert evaluate_advice(fitted) == "advocacy text evaluate FILE --kind mentions --platform shop"  # type: ignore[arg-type]


def test_the_sources_are_stored_with_the_fit_and_an_older_fit_reads_by_kind() -> None:
    texts = [text.format(i) for i in range(12) for text in (*COMPLAINTS, *PRAISE)]
    labels = ["negative"] * 3 + ["positive"] * 3
    labels = labels * 12
    kinds = ["mention"] * len(texts)
    sources = ["shop"] * 36 + ["Twitter"] * 36
    fitted = CalibratedSentiment().fit(texts, labels, kinds=kinds, sources=sources)
    assert fitted.sources_ == {"mention": {"shop": 36, "twitter": 36}}
    with pytest.raises(advocacy.UsageError, match="sources has 2 entries for 72 texts"):
        CalibratedSentiment().fit(texts, labels, kinds=kinds, sources=["a", "b"])
    state = json.loads(calibration_store.dump(fitted))
    assert state["scalars"]["sources_"] == fitted.sources_
    loaded = calibration_store.load(json.dumps(state))
    assert loaded is not None and loaded.sources_ == fitted.sources_
    assert not loaded.reads_text("mention", "trustpilot")
    # A fit stored before sources were recorded is kept and reads every source of its kinds.
    del state["scalars"]["sources_"]
    older = calibration_store.load(json.dumps(state))
    assert older is not None and not hasattr(older, "sources_")
    assert older.reads_text("mention", "trustpilot") and not older.reads_text("note")


def test_the_spark_reading_scopes_by_source_as_the_workspace_does() -> None:
    texts = [text.format(i) for i in range(6) for text in (*COMPLAINTS, *PRAISE)]
    labels = (["negative"] * 3 + ["positive"] * 3) * 6
    fitted = CalibratedSentiment().fit(
        texts, labels, kinds=["mention"] * len(texts), sources=["shop"] * len(texts)
    )
    read = ["the toaster from them burnt every slice, avoid", "Order 3 came early, lovely"]
    got = _read_by_kind(
        read,
        pd.Series(["mention", "mention"]),
        fitted,
        "static",
        sources=pd.Series(["twitter", "Shop"]),
    )
    assert list(got["model"]) == [
        analyze_texts(read[:1])["model"].iloc[0],
        analyze_texts(read[1:], fitted)["model"].iloc[0],
    ]
    assert got["model"].iloc[0] != got["model"].iloc[1]


def test_texts_the_calibration_does_not_read_are_read_once_with_the_others() -> None:
    # One reading of the batch serves both: each text's rows (its sentences too) are those of
    # its own reading, as if the two groups had been read apart.
    texts = [text.format(i) for i in range(6) for text in (*COMPLAINTS, *PRAISE)]
    labels = (["negative"] * 3 + ["positive"] * 3) * 6
    fitted = CalibratedSentiment().fit(texts, labels)
    batch = [
        "The kettle leaked. Support never wrote back, so I gave up.",
        "anyone else watching the match tonight",
        "Order 7 came early. Works like a dream!",
        "so fed up with this rain honestly. again.",
    ]
    alone = [False, True, False, True]
    features, sentences = analyze_documents(batch, fitted, alone=alone)
    calibrated = analyze_documents(batch, fitted)
    plain = analyze_documents(batch, None)
    for i, by_model in enumerate(alone):
        expected = plain if by_model else calibrated
        pd.testing.assert_series_equal(features.iloc[i], expected[0].iloc[i])
        pd.testing.assert_frame_equal(
            sentences[sentences["text_index"] == i].reset_index(drop=True),
            expected[1][expected[1]["text_index"] == i].reset_index(drop=True),
        )
    assert features["model"].iloc[0] != features["model"].iloc[1]
    with pytest.raises(advocacy.UsageError, match="alone has 1 entries for 4 texts"):
        analyze_documents(batch, fitted, alone=[True])


@pytest.mark.parametrize("stored_before", [False, True], ids=["now", "row-of-before"])
def test_a_kept_fit_notices_its_labelled_reviews_moved_to_another_platform(
    db_url: str, tmp_path: Path, stored_before: bool
) -> None:
    # The rated reviews were imported under a placeholder platform and imported again under
    # their real one: the same labels (so not a material change of the counts), but a kept
    # fit that reads platform 'shop' only would leave every review to the model alone. A row
    # stored before the labels' platforms were recorded with them is compared by its fit's.
    _workspace(db_url, tmp_path)
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        "mention_id,platform,posted_at,rating,text\n"
        + "".join(f'{key},Amazon,2026-03-02,{n},"{text}"\n' for key, n, text in _reviews()),
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        ws.text.analyze(workers=1)
        if stored_before:
            [labels] = ws.db.fetchone("SELECT labels FROM text_calibration")
            recorded = json.loads(labels)
            assert recorded["sources"] == {"mention": {"shop": 30}}
            older = {"taught": recorded["taught"], "scored": recorded["scored"]}
            ws.db.execute("UPDATE text_calibration SET labels = ?", [json.dumps(older)])
        ws.import_file(renamed, kind="mentions", cases=False)
        moved = ws.text.analyze(workers=1)
        calibrated, _ = ws.text.calibration_status()
        stored = dict(
            ws.db.fetchall(
                "SELECT document_id, model FROM text_features WHERE document_kind = 'mention'"
            )
        )
        kept = ws.text.analyze(workers=1)
    assert moved.calibration.startswith(
        "refitted: the texts it would read changed: now mention from platform 'amazon'; no "
        "longer mention from platform 'shop'"
    ), moved.calibration
    assert calibrated is not None and calibrated.sources_ == {"mention": {"amazon": 30}}
    assert all(calibrated.name_ in stored[key] for key, _, _ in _reviews())
    assert all(calibrated.name_ not in stored[key] for key, _ in TWEETS)
    # Read by the refitted calibration as they were under 'shop': nothing to read again.
    assert (moved.analyzed, moved.model_alone) == (0, {})
    assert kept.calibration.startswith("kept: 70 labels, none changed"), kept.calibration


def test_a_platform_reaching_30_labels_is_a_change_however_few_labels_moved() -> None:
    # 3,000 answers and 29 rated Trustpilot reviews: one more review is 1 label in 3,029 (under
    # the material share), yet the 30th puts every Trustpilot review under the calibration.
    def summary(reviews: int) -> calibration_store.LabelSummary:
        keys = [(("response", str(i)), "positive", False) for i in range(3000)]
        keys += [(("mention", f"t{i}"), "negative", False) for i in range(reviews)]
        platforms = {("mention", f"t{i}"): "Trustpilot" for i in range(reviews)}
        return calibration_store.LabelSummary.of(keys, platforms)

    before, after = summary(29), summary(30)
    assert after.sources == {"mention": {"trustpilot": 30}}
    assert calibration_store.material_change(before, after) == (
        "the texts it would read changed: now mention from platform 'trustpilot'"
    )
    assert calibration_store.material_change(after, summary(31)) is None
    # Recorded with the fit, and read back from the stored row.
    assert calibration_store.LabelSummary.from_json(after.to_json()) == after
    # A row stored before they were holds classes only: compared as before.
    older = calibration_store.LabelSummary(before.taught, before.scored)
    assert calibration_store.LabelSummary.from_json(older.to_json()) == older
    assert calibration_store.material_change(older, after) is None


def test_a_fit_that_recorded_answers_as_a_source_reads_and_says_the_same() -> None:
    # Fits stored before 2026-12-07 evening recorded {"response": {"": n}}; now a fit records
    # only the kinds that name a source. Both read every answer, say the same, and an older
    # stored fit is still loaded and read as it was.
    texts = [text.format(i) for i in range(12) for text in (*COMPLAINTS, *PRAISE)]
    labels = (["negative"] * 3 + ["positive"] * 3) * 12
    kinds = ["response"] * 36 + ["mention"] * 36
    fitted = CalibratedSentiment().fit(
        texts, labels, kinds=kinds, sources=[None] * 36 + ["shop"] * 36
    )
    assert fitted.sources_ == {"mention": {"shop": 36}}
    state = json.loads(calibration_store.dump(fitted))
    state["scalars"]["sources_"] = {"mention": {"shop": 36}, "response": {"": 36}}
    older = calibration_store.load(json.dumps(state))
    assert older is not None and older.sources_["response"] == {"": 36}
    for fit in (fitted, older):
        assert fit.reads_text("response", None) and fit.reads_text("response", "anything")
        assert fit.reads_text("mention", "Shop") and not fit.reads_text("mention", "twitter")
    assert kinds_scope(older.kinds_, older.sources_) == kinds_scope(fitted.kinds_, fitted.sources_)
    assert evaluate_advice(older) == evaluate_advice(fitted)
    read = ["The kettle leaked again, avoid.", "Order 3 came early, lovely"]
    assert list(older.predict(read).scores) == list(fitted.predict(read).scores)
    # Answers alone record no source at all; the sentence names kinds only, old fit or new.
    answers = CalibratedSentiment().fit(
        texts[:36], labels[:36], kinds=kinds[:36], sources=[None] * 36
    )
    assert answers.sources_ == {}
    assert kinds_scope(answers.kinds_, answers.sources_) == kinds_scope(
        answers.kinds_, {"response": {"": 36}}
    )


def test_mentions_naming_no_platform_are_said_with_no_platform() -> None:
    # review27 #16g: "it reads mention from no platform (958 labels)" was hard to read.
    said = kinds_scope({"mention": 958}, {"mention": {"": 900, "amazon": 58}})
    assert said.startswith(
        "it reads mention with no platform (900 labels), from platform 'amazon' (58 labels);"
    )
    assert "from no platform" not in said
