"""``advocacy text evaluate FILE``: the workspace's sentiment scored on a user's labelled file.

Real labelled files of ``../shared/data`` (TweetEval tweets, clothing reviews with 1-5 stars),
through the CLI. Every number it prints is computed again here, independently: the readings
by ``analyze_texts`` (with the calibration the workspace would use), the labels read from the
file with pandas and the documented scale rule, the scores with scikit-learn.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, recall_score
from sklearn.metrics import precision_recall_fscore_support as per_class

import advocacy
from advocacy.text.enrich import analyze_texts
from advocacy.text.sentiment import SENTIMENTS
from support.cli import advocacy_cli
from support.corpora import blitzer_ratings, normalised, trained_tweets

#: TweetEval's label numbers (tweeteval/sentiment/mapping.txt).
TWEET_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}
#: 1-5 stars as scale_sentiment's rule reads them (bottom two negative, top two positive).
STARS = {1: "negative", 2: "negative", 3: "neutral", 4: "positive", 5: "positive"}


def _tweets(shared_data: Path, count: int) -> pd.DataFrame:
    """``count`` odd lines of TweetEval's sentiment test split (the shipped heads trained on
    the even ones) as text and label."""
    folder = shared_data / "tweeteval" / "sentiment"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    rows = [(texts[i].strip(), TWEET_LABELS[labels[i].strip()]) for i in range(1, len(texts), 2)]
    return pd.DataFrame(rows[:count], columns=["text", "label"])


def _evaluate(path: Path, db: str, *options: str) -> dict[str, object]:
    outcome = advocacy_cli("text", "evaluate", str(path), "--format", "json", "--db", db, *options)
    assert outcome.returncode == 0, outcome.stderr
    found: dict[str, object] = json.loads(outcome.stdout)
    return found


def _expected(labels: list[str], readings: list[str]) -> dict[str, object]:
    """The scores as scikit-learn computes them, rounded as the command prints them."""
    held = [name for name in SENTIMENTS if name in set(labels)]
    precision, recall, f1, support = per_class(
        labels, readings, labels=list(SENTIMENTS), zero_division=float("nan")
    )
    matrix = confusion_matrix(labels, readings, labels=list(SENTIMENTS))
    majority = pd.Series(labels).value_counts().idxmax()

    def rounded(value: float) -> float | None:
        return None if value != value else round(float(value), 4)

    return {
        "scored": len(labels),
        "accuracy": rounded(accuracy_score(labels, readings)),
        "macro-F1": rounded(f1_score(labels, readings, labels=held, average="macro")),
        "macro recall": rounded(recall_score(labels, readings, labels=held, average="macro")),
        "majority class": majority,
        "majority-class accuracy": rounded(accuracy_score(labels, [majority] * len(labels))),
        "classes": [
            {
                "sentiment": name,
                "n": int(support[i]),
                "read": int(matrix[:, i].sum()),
                "precision": rounded(precision[i]),
                "recall": rounded(recall[i]),
                "f1": rounded(f1[i]) if support[i] else None,  # no recall, so no F1
            }
            for i, name in enumerate(SENTIMENTS)
        ],
        "confusion": {
            name: {other: int(matrix[i, j]) for j, other in enumerate(SENTIMENTS)}
            for i, name in enumerate(SENTIMENTS)
        },
    }


def _scores(found: dict[str, Any], expected: dict[str, object]) -> dict[str, object]:
    """The command's scores that ``expected`` holds (the classes without their intervals,
    which :func:`_intervals_expected` checks, and their "few" mark)."""
    scores = {key: found[key] for key in expected}
    if "classes" in scores:
        scores["classes"] = [
            {
                key: value
                for key, value in score.items()
                if not key.endswith(" interval") and key != "few"
            }
            for score in found["classes"]
        ]
    return scores


def _wilson(successes: int, n: int, z: float = 1.959964) -> list[float] | None:
    """Wilson's score interval of ``successes`` of ``n``, from his formula (None when n is 0)."""
    if not n:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [max(0.0, centre - half), min(1.0, centre + half)]


def _intervals_expected(labels: list[str], readings: list[str]) -> dict[str, object]:
    """The 95% intervals as the command documents them: Wilson's for each class's precision
    and recall, and for macro-F1 a percentile bootstrap stratified by label (1,000 draws; in
    each, every labelled class in turn takes ``default_rng(0).integers(0, m, m)`` of its ``m``
    texts), each draw scored by scikit-learn."""
    held = [name for name in SENTIMENTS if name in set(labels)]
    gold, read = np.array(labels), np.array(readings)
    members = [np.flatnonzero(gold == name) for name in held]
    generator = np.random.default_rng(0)
    macro = []
    for _ in range(1000):
        drawn = np.concatenate([m[generator.integers(0, len(m), len(m))] for m in members])
        macro.append(f1_score(gold[drawn], read[drawn], labels=held, average="macro",
                              zero_division=0))  # fmt: skip
    right = [int(((gold == name) & (read == name)).sum()) for name in SENTIMENTS]
    return {
        "macro-F1 interval": [float(x) for x in np.percentile(macro, [2.5, 97.5])],
        "precision interval": [
            _wilson(right[i], int((read == name).sum())) for i, name in enumerate(SENTIMENTS)
        ],
        "recall interval": [
            _wilson(right[i], int((gold == name).sum())) for i, name in enumerate(SENTIMENTS)
        ],
    }


@pytest.mark.shared_data
def test_tweets_are_scored_as_scikit_learn_scores_the_same_readings(
    shared_data: Path, tmp_path: Path
) -> None:
    tweets = _tweets(shared_data, 400)  # one piece of text analyze's reading
    path = tmp_path / "tweets.csv"
    tweets.to_csv(path, index=False)
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass  # a new, empty workspace: no calibration
    found = _evaluate(path, db)
    # An odd line that repeats a tweet the shipped model trained on is scored apart.
    trained = tweets["text"].map(normalised).isin(trained_tweets(shared_data))
    assert found["left out"].get("trained the shipped model", 0) == int(trained.sum())  # type: ignore[attr-defined]
    tweets = tweets[~trained].reset_index(drop=True)
    read = analyze_texts(tweets["text"].tolist())
    unread = read["sentiment_reason"].notna().to_numpy()
    expected = _expected(
        tweets["label"][~unread].tolist(), read["sentiment"][~unread].astype(str).tolist()
    )
    assert _scores(found, expected) == expected
    intervals = _intervals_expected(
        tweets["label"][~unread].tolist(), read["sentiment"][~unread].astype(str).tolist()
    )
    assert found["macro-F1 interval"] == pytest.approx(intervals["macro-F1 interval"], abs=1e-4)
    for i, score in enumerate(found["classes"]):  # type: ignore[attr-defined]
        for measure in ("precision", "recall"):
            assert score[f"{measure} interval"] == pytest.approx(
                intervals[f"{measure} interval"][i],  # type: ignore[index]
                abs=1e-4,
            )
    low, high = found["macro-F1 interval"]  # type: ignore[misc]
    assert low < found["macro-F1"] < high  # type: ignore[operator]
    assert found["interval method"] == {  # stated as such
        "accuracy, precision, recall": "Wilson score interval",
        "macro-F1": "percentile bootstrap over the scored texts, stratified by label: 1,000 "
        "draws, each of as many texts of every class as it holds, seed 0; none when every "
        "draw gives the same value",
    }
    assert found["labels"] == "column 'label'" and found["rows"] == 400
    languages = read["language"][read["sentiment_reason"] == "language not supported"]
    assert {
        reason: count
        for reason, count in found["left out"].items()  # type: ignore[attr-defined]
        if reason != "trained the shipped model"
    } == ({"language not supported": int(unread.sum())} if unread.any() else {})
    assert found["not supported by language"] == languages.value_counts().to_dict()
    assert found["calibration"] == "none: no labelled comment"
    low, high = found["accuracy interval"]  # type: ignore[misc]
    assert low < found["accuracy"] < high  # type: ignore[operator]


@pytest.mark.shared_data
def test_star_ratings_label_by_the_scale_rule_and_labelled_texts_are_left_out(
    shared_data: Path, tmp_path: Path
) -> None:
    reviews = blitzer_ratings(shared_data, 450)
    reviews.loc[[3, 200, 301], "Review Text"] = ["", None, "  "]  # rows without a text
    path, imported = tmp_path / "reviews.csv", tmp_path / "first.csv"
    reviews.to_csv(path, index=False)
    reviews.head(150).to_csv(imported, index=False)
    db = str(tmp_path / "w.duckdb")
    # The first 150 reviews imported with their stars: their ratings label them, and the
    # workspace's calibration learns from those labels.
    with advocacy.open(db, create=True) as ws:
        ws.import_file(imported, kind="mentions")
        calibrated = ws.text.calibration()
    assert calibrated is not None

    found = _evaluate(path, db)

    texts = reviews["Review Text"]
    has_text = texts.notna() & (texts.fillna("").str.strip() != "")
    learnt = set(texts.head(150)[has_text.head(150)].str.strip())
    scored = reviews[has_text & ~texts.fillna("").str.strip().isin(learnt)]
    read = analyze_texts(scored["Review Text"].tolist(), calibrated)
    unread = read["sentiment_reason"].notna().to_numpy()
    labels = scored["Rating"].map(STARS)[~unread].tolist()
    expected = _expected(labels, read["sentiment"][~unread].astype(str).tolist())
    assert _scores(found, expected) == expected
    assert (
        found["labels"] == "column 'Rating' as ratings 1-5 (1-2 negative, 3 neutral, 4-5 positive)"
    )
    # Labelled in the workspace and read (one it does not read is left out for that alone).
    held = texts[has_text & texts.fillna("").str.strip().isin(learnt)].tolist()
    in_workspace = int(analyze_texts(held, calibrated)["sentiment_reason"].isna().sum())
    assert 140 <= in_workspace < len(held)
    assert found["left out"]["labelled in the workspace"] == in_workspace  # type: ignore[index]
    assert found["rows"] == found["scored"] + sum(found["left out"].values())  # type: ignore[union-attr]
    assert found["left out"]["no text"] == int((~has_text).sum())  # type: ignore[index]
    assert any("labelled in the workspace" in note for note in found["notes"])  # type: ignore[attr-defined]
    assert found["model"] == calibrated.name_


@pytest.mark.shared_data
def test_evaluating_writes_nothing_and_generic_reads_without_the_calibration(
    shared_data: Path, tmp_path: Path
) -> None:
    reviews = blitzer_ratings(shared_data, 200)
    path = tmp_path / "reviews.csv"
    reviews.head(200).to_csv(path, index=False)
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True) as ws:
        ws.import_file(path, kind="mentions")
    tables = ("mentions", "text_labels", "text_features", "text_calibration", "imports")

    def counts() -> dict[str, int]:
        with duckdb.connect(db, read_only=True) as connection:
            return {
                name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # type: ignore[index]
                for name in tables
            }

    before = counts()
    found = _evaluate(path, db)  # every text is labelled in the workspace by its stars
    assert found["scored"] == 0
    assert any("no text of the file was scored" in note for note in found["notes"])  # type: ignore[attr-defined]
    generic = _evaluate(path, db, "--model", "generic")
    assert counts() == before  # the calibration fitted for the run was not stored either
    texts = reviews.head(200)["Review Text"]
    kept = texts.notna()
    read = analyze_texts(texts[kept].tolist())
    unread = read["sentiment_reason"].notna().to_numpy()
    labels = reviews.head(200)["Rating"][kept].map(STARS)[~unread].tolist()
    expected = _expected(labels, read["sentiment"][~unread].astype(str).tolist())
    assert _scores(generic, expected) == expected
    assert "labelled in the workspace" not in generic["left out"]  # type: ignore[operator]
    assert generic["calibration"] == "not used (--model generic)"


def test_a_file_without_labels_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("text,channel\nThe parcel was late.,web\nLovely staff.,shop\n", "utf-8")
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    outcome = advocacy_cli("text", "evaluate", str(path), "--db", db)
    assert outcome.returncode == 1
    assert "no column holds sentiment labels" in outcome.stderr
    assert "--labels" in outcome.stderr and "Traceback" not in outcome.stderr


def test_the_table_says_what_was_left_out_and_escapes_the_file_s_text(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(
        "comment,verdict\n"
        '"[bold red]Refund never came[/] =HYPERLINK(""x"")",negative\n'
        "N/A,neutral\n"
        "Lovely staff and quick service.,positive\n"
        ",positive\n"
        "Das Paket kam viel zu spät an und war beschädigt.,negative\n",
        "utf-8",
    )
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    outcome = advocacy_cli(
        "text", "evaluate", str(path), "--db", db, "--labels", "verdict", env={"COLUMNS": "160"}
    )
    assert outcome.returncode == 0, outcome.stderr
    out = outcome.stdout
    assert "no text 1; no content 1; language not supported 1 (de 1)" in out
    assert re.search(r"│ scored +│ 2 ", out)
    assert "HYPERLINK" not in out  # texts are scored, never printed


@pytest.mark.shared_data
def test_a_file_of_two_classes_is_scored_on_them_and_a_neutral_reading_is_an_error(
    shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "text-corpora" / "amazon-multidomain-blitzer" / "kitchen_&_housewares"
    rows = []
    for label in ("negative", "positive"):
        raw = (folder / f"{label}.review").read_text(encoding="utf-8", errors="replace")
        for block in re.findall(r"<review_text>\s*(.*?)\s*</review_text>", raw, re.S)[:60]:
            rows.append((block.strip(), label))
    reviews = pd.DataFrame(rows, columns=["review", "polarity"])
    path = tmp_path / "kitchen.csv"
    reviews.to_csv(path, index=False)
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    found = _evaluate(path, db, "--text", "review", "--labels", "polarity")
    read = analyze_texts(reviews["review"].tolist())
    unread = read["sentiment_reason"].notna().to_numpy()
    readings = read["sentiment"][~unread].astype(str).tolist()
    labels = reviews["polarity"][~unread].tolist()
    assert "neutral" in readings  # the shipped model reads some reviews as neutral
    expected = _expected(labels, readings)
    assert _scores(found, expected) == expected
    two = ["negative", "positive"]
    assert found["macro-F1"] == round(f1_score(labels, readings, labels=two, average="macro"), 4)
    assert found["macro-F1"] != round(
        f1_score(labels, readings, labels=list(SENTIMENTS), average="macro", zero_division=0), 4
    )


@pytest.mark.shared_data
def test_texts_that_trained_the_shipped_model_are_scored_apart(
    shared_data: Path, tmp_path: Path
) -> None:
    # Clothing reviews trained the shipped heads (tools/build_heads.py); Blitzer's did not.
    clothing = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    )
    clothing = clothing[clothing["Review Text"].notna()].head(120)[["Review Text", "Rating"]]
    clothing.iloc[:10, 0] = clothing.iloc[:10, 0].str.upper().str.replace(" ", "  ")  # copied
    unseen = blitzer_ratings(shared_data, 200)
    mixed = pd.concat([unseen.head(100), clothing, unseen.tail(100)], ignore_index=True)
    path = tmp_path / "mixed.csv"
    mixed.to_csv(path, index=False)
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass

    for model in ("workspace", "generic"):
        found = _evaluate(path, db, "--model", model)
        assert found["left out"]["trained the shipped model"] == 120  # type: ignore[index]
        read = analyze_texts(unseen["Review Text"].tolist())
        unread = read["sentiment_reason"].notna().to_numpy()
        labels = unseen["Rating"].map(STARS)[~unread].tolist()
        expected = _expected(labels, read["sentiment"][~unread].astype(str).tolist())
        assert _scores(found, expected) == expected
        apart = analyze_texts(clothing["Review Text"].tolist())
        kept = apart["sentiment_reason"].isna().to_numpy()
        accuracy = accuracy_score(
            clothing["Rating"].map(STARS)[kept].tolist(),
            apart["sentiment"][kept].astype(str).tolist(),
        )
        assert kept.all()  # every one is read, so every one is looked up
        first = " ".join(clothing.iloc[0, 0].split())
        first = first if len(first) <= 60 else first[:59].rstrip() + "…"
        assert found["trained the shipped model"] == {
            "by set": {"clothing": 120},
            "read": 120,
            "accuracy": round(accuracy, 4),
            "example": first,
        }
        assert (
            f"120 texts are word for word texts of Women's clothing reviews, which the shipped "
            f"model learnt from (e.g. “{first}”): its reading of them flatters it, so they are "
            f"scored apart (accuracy {accuracy:.3f} on them); the scores are over the other "
            f"{found['scored']:,} read"
        ) in found["notes"]  # type: ignore[operator]


def test_each_row_left_out_has_one_reason_and_non_answers_are_no_content(tmp_path: Path) -> None:
    # The reviewer's small.csv: two non-answers ("no thanks" is word for word a GoEmotions
    # text, but it is not read, so it is not looked up), three short texts of GoEmotions.
    path = tmp_path / "small.csv"
    path.write_text(
        "text,label\nno thanks,neutral\nNo thanks,neutral\n"
        "Thank\u200b you\u202e!\x1b,positive\n"  # invisible characters, an escape character
        "Love it!,positive\nok,neutral\nThe zipper broke after two days,negative\n"
        "Great fit and soft fabric,positive\nArrived late and damaged,negative\n"
        ",negative\n",
        "utf-8",
    )
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    found = _evaluate(path, db, "--model", "generic")
    read = analyze_texts(["no thanks", "No thanks", "Thank you!", "Love it!", "ok"])
    table = advocacy_cli(
        "text", "evaluate", str(path), "--db", db, "--model", "generic", env={"COLUMNS": "300"}
    ).stdout
    assert "e.g. “Thank you!”" in table
    assert not {"\u200b", "\u202e", "\x1b"} & set(table)
    assert read["sentiment_reason"].tolist()[:2] == ["no content"] * 2
    assert read["sentiment_reason"][2:].isna().all()
    assert found["left out"] == {
        "no text": 1,
        "trained the shipped model": 3,
        "no content": 2,
    }
    assert found["rows"] == found["scored"] + sum(found["left out"].values()) == 9  # type: ignore[union-attr]
    assert found["trained the shipped model"]["read"] == 3  # type: ignore[index]
    note = next(n for n in found["notes"] if "learnt from" in n)  # type: ignore[attr-defined]
    assert note.startswith(
        "3 texts are word for word texts of GoEmotions, which the shipped model learnt from "
        "(e.g. “Thank you!”)"
    )
    assert "trained" not in note and "your" not in note


def test_evaluations_run_side_by_side_on_one_duckdb_file(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(
        "text,label\nThe refund never came.,negative\nLovely staff and quick service.,positive\n",
        "utf-8",
    )
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    # Another process reading the file (as another evaluation does) holds it open read-only;
    # a process opening it for writing is refused ("in use by another process").
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, db], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "open\n"
        found = _evaluate(path, db, "--model", "generic")
        assert found["scored"] == 2
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(db)  # the writer the command used to be
        with (
            advocacy.open(db, read_only=True) as ws,
            pytest.raises(duckdb.Error, match="read-only"),
        ):
            ws.db.execute("CREATE TABLE scratch (a INTEGER)")
    finally:
        reader.communicate("")


#: A process that holds a DuckDB file open read-only until its stdin closes.
READER = (
    "import sys, duckdb\n"
    "connection = duckdb.connect(sys.argv[1], read_only=True)\n"
    "print('open', flush=True)\n"
    "sys.stdin.read()\n"
)


def test_a_labelled_review_file_is_read_with_its_titles_as_the_workspace_reads_it(
    tmp_path: Path,
) -> None:
    from advocacy.text.evaluation_labels import file_labels

    path = tmp_path / "reviews.csv"
    path.write_text(
        "Title,Review Text,Rating\n"
        "Broke in a week,The handle snapped off.,1\n"
        "  ,Fine.,3\n"
        "Love it,,5\n",
        "utf-8",
    )
    found = file_labels(path)
    assert found.texts == ["Broke in a week\nThe handle snapped off.", "Fine.", "Love it"]
    # The column named with --text is read alone.
    assert file_labels(path, text="Review Text").texts == ["The handle snapped off.", "Fine."]
