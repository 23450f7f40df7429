"""``advocacy text evaluate``: how a user's labels are read, and what is said about them.

The review of the first ``text evaluate`` (2026-12-06) found labels read silently wrong: an NPS
read on a scale guessed from the file, TweetEval's class ids 0/1/2 read as 0-5 ratings, one
typo of 55 moving 1-5 stars onto 1-100, a vendor's predictions taken over a gold column, one
"mixed" refusing the whole file, broken records dropped unsaid, a CSV without the model, and a
"no calibration" verdict written by a command that writes nothing. Each test plants one of
those in real texts of ``../shared/data`` (TweetEval's odd test lines, Blitzer's reviews, MARC
German reviews) or in a small written file, through the CLI.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import advocacy
from support.cli import advocacy_cli
from support.corpora import blitzer_ratings, normalised, trained_tweets

#: TweetEval's label numbers (tweeteval/sentiment/mapping.txt).
TWEET_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}
SCORES = ("accuracy", "macro-F1", "macro recall", "classes", "confusion", "scored")


def _tweets(shared_data: Path, count: int) -> pd.DataFrame:
    """``count`` odd lines of TweetEval's sentiment test split, with the label's number
    (without the odd lines that repeat a tweet the shipped model trained on: those are
    scored apart, as test_evaluation.py checks)."""
    folder = shared_data / "tweeteval" / "sentiment"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    ids = (folder / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    trained = trained_tweets(shared_data)
    rows = [
        (texts[i].strip(), ids[i].strip())
        for i in range(1, len(texts), 2)
        if normalised(texts[i]) not in trained
    ][:count]
    frame = pd.DataFrame(rows, columns=["text", "id"])
    frame["label"] = frame["id"].map(TWEET_LABELS)
    return frame


def _reviews(shared_data: Path, count: int) -> pd.DataFrame:
    """Product reviews with stars that the shipped model did not train on (Blitzer's)."""
    return blitzer_ratings(shared_data, count)


def _workspace(tmp_path: Path) -> str:
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True):
        pass
    return db


def _run(path: Path, db: str, *options: str, output: str = "json") -> tuple[int, str, str]:
    outcome = advocacy_cli(
        "text", "evaluate", str(path), "--format", output, "--db", db, *options,
        env={"COLUMNS": "220"},
    )  # fmt: skip
    return outcome.returncode, outcome.stdout, outcome.stderr


def _evaluate(path: Path, db: str, *options: str) -> dict[str, object]:
    code, out, err = _run(path, db, *options)
    assert code == 0, err
    found: dict[str, object] = json.loads(out)
    return found


@pytest.mark.shared_data
def test_an_nps_is_read_on_0_to_10_whatever_the_file_s_largest_value(
    shared_data: Path, tmp_path: Path
) -> None:
    reviews = _reviews(shared_data, 200)
    scores = [0, 2, 5, 6, 7]  # detractors and passives: the file's largest NPS is 7
    answers = pd.DataFrame(
        {
            "respondent": range(200),
            "comment": reviews["Review Text"],
            "nps": [scores[i % 5] for i in range(200)],
        }
    )
    path = tmp_path / "survey.csv"
    answers.to_csv(path, index=False)
    found = _evaluate(path, _workspace(tmp_path), "--kind", "responses")
    assert found["labels"] == "column 'nps' as NPS 0-10 (0-6 negative, 7-8 neutral, 9-10 positive)"
    # 6 is a detractor's score: negative, never positive (on a guessed 0-7 it was positive).
    assert found["labels in the file"] == {"negative": 160, "neutral": 40, "positive": 0}


@pytest.mark.shared_data
def test_class_ids_are_refused_with_the_scale_that_reads_them(
    shared_data: Path, tmp_path: Path
) -> None:
    tweets = _tweets(shared_data, 300)
    words, ids = tmp_path / "words.csv", tmp_path / "ids.csv"
    tweets[["text", "label"]].to_csv(words, index=False)
    tweets[["text", "id"]].rename(columns={"id": "label"}).to_csv(ids, index=False)
    db = _workspace(tmp_path)
    code, _, err = _run(ids, db, "--labels", "label")
    assert code == 1 and "Traceback" not in err
    assert "holds only the values 0, 1 and 2: class ids" in err
    assert "--scale 0-2 reads 0 negative, 1 neutral, 2 positive" in err
    by_words = _evaluate(words, db)
    by_ids = _evaluate(ids, db, "--labels", "label", "--scale", "0-2")
    assert {key: by_ids[key] for key in SCORES} == {key: by_words[key] for key in SCORES}
    assert by_ids["labels"] == "column 'label' as ratings 0-2 (0 negative, 1 neutral, 2 positive)"
    counts = tweets["label"].value_counts()
    assert by_ids["labels in the file"] == {
        name: int(counts[name]) for name in TWEET_LABELS.values()
    }
    # Without --labels (audit4 item 13: "no column holds sentiment labels ... or ratings",
    # even with --scale 0-2): the file's one label-named column of numbers is taken, said so.
    code, _, err = _run(ids, db)
    assert code == 1 and "column 'label', named like labels, holds numbers (0, 1, 2)" in err
    assert "--scale 0-2 reads 0 negative, 1 neutral, 2 positive" in err
    found = _evaluate(ids, db, "--scale", "0-2")
    assert {key: found[key] for key in SCORES} == {key: by_words[key] for key in SCORES}
    assert found["labels"] == by_ids["labels"]
    assert any("column 'label' is taken as the labels" in note for note in found["notes"])  # type: ignore[attr-defined]


def test_of_several_label_named_columns_of_numbers_none_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "text,label,class\n"
        "The kettle boils fast and looks smart,2,1\n"
        "Lid cracked on the second day,0,0\n"
        "It is a kettle,1,1\n",
        encoding="utf-8",
    )
    code, _, err = _run(path, _workspace(tmp_path), "--scale", "0-2")
    assert code == 1 and "Traceback" not in err
    assert "several named like labels hold numbers: 'label', 'class'" in err
    assert "--labels" in err


@pytest.mark.shared_data
def test_one_rating_far_above_the_rest_does_not_set_the_scale(
    shared_data: Path, tmp_path: Path
) -> None:
    reviews = _reviews(shared_data, 300)[["Review Text", "Rating"]]
    reviews.loc[17, "Rating"] = 55  # a typo among 1-5 stars: the file's 19th row
    path = tmp_path / "reviews.csv"
    reviews.to_csv(path, index=False)
    db = _workspace(tmp_path)
    code, _, err = _run(path, db)
    assert code == 1
    assert "row 19, column 'Rating'" in err and "(value '55')" in err
    assert "the others run 1-5" in err and "--scale 1-5" in err
    found = _evaluate(path, db, "--scale", "1-5")
    left_out: dict[str, int] = found["left out"]  # type: ignore[assignment]
    unread = left_out.pop("language not supported", 0)  # a review Blitzer holds in Spanish
    assert left_out == {"rating off the scale": 1}
    assert (
        found["labels"] == "column 'Rating' as ratings 1-5 (1-2 negative, 3 neutral, 4-5 positive)"
    )
    stars = reviews["Rating"].drop(17)
    expected = {
        "negative": int((stars <= 2).sum()),
        "neutral": int((stars == 3).sum()),
        "positive": int((stars >= 4).sum()),
    }
    assert found["labels in the file"] == expected
    assert found["scored"] == 299 - unread
    # Without --scale, a scale guessed from the values is said.
    reviews.loc[17, "Rating"] = 5
    reviews.to_csv(path, index=False)
    guessed = _evaluate(path, db)
    assert "the scale 1-5 is guessed from the ratings, which run 1-5" in " ".join(
        guessed["notes"]  # type: ignore[arg-type]
    )


@pytest.mark.shared_data
def test_a_skewed_1_to_10_file_is_offered_both_scales_it_may_be_on(
    shared_data: Path, tmp_path: Path
) -> None:
    # 96 ratings of 1-7 and four 9s (late review): 1-10 is as plausible as 1-7.
    tweets = _tweets(shared_data, 100)[["text"]]
    tweets["rating"] = [1 + i % 7 for i in range(96)] + [9] * 4
    path = tmp_path / "skewed.csv"
    tweets.to_csv(path, index=False)
    db = _workspace(tmp_path)
    code, _, err = _run(path, db)
    assert code == 1
    negative_on_10 = int((tweets["rating"] <= 6).sum())
    assert f"on the scale the largest implies, 1-10, {negative_on_10} of the 100 would" in err
    assert "--scale 1-7 (the 4 rating(s) above 7 left out and counted)" in err
    assert "--scale 1-10 (every rating read on it)" in err
    on_10 = _evaluate(path, db, "--scale", "1-10")
    assert on_10["labels"] == (
        "column 'rating' as ratings 1-10 (1-6 negative, 7-8 neutral, 9-10 positive)"
    )
    assert on_10["labels in the file"] == {"negative": negative_on_10, "neutral": 13, "positive": 4}
    on_7 = _evaluate(path, db, "--scale", "1-7")
    assert on_7["left out"] == {"rating off the scale": 4}


@pytest.mark.shared_data
def test_a_gold_column_is_preferred_when_as_full_and_a_sparser_one_is_never_passed_over(
    shared_data: Path, tmp_path: Path
) -> None:
    tweets = _tweets(shared_data, 300)
    vendor = tweets["label"].sample(frac=1, random_state=3).to_numpy()  # a vendor's guesses
    both = pd.DataFrame(
        {"text": tweets["text"], "vendor_sentiment": vendor, "label": tweets["label"]}
    )
    full, partial = tmp_path / "full.csv", tmp_path / "partial.csv"
    both.to_csv(full, index=False)
    both.assign(label=both["label"].where(both.index < 150)).to_csv(partial, index=False)
    db = _workspace(tmp_path)
    code, out, _ = _run(full, db, output="table")
    assert code == 0
    assert (
        "labels from column 'label' (300 labels); 'vendor_sentiment' (300 labels) also hold" in out
    )
    found = _evaluate(full, db)
    assert found["labels"] == "column 'label'"
    gold = _evaluate(full, db, "--labels", "label")
    assert {key: found[key] for key in SCORES} == {key: gold[key] for key in SCORES}
    code, _, err = _run(partial, db)
    assert code == 1
    assert (
        "several columns hold sentiment labels ('vendor_sentiment' (300 labels), 'label' (150"
        in err
    )
    assert "--labels" in err


@pytest.mark.shared_data
def test_odd_labels_are_left_out_by_value_and_spellings_are_read(
    shared_data: Path, tmp_path: Path
) -> None:
    tweets = _tweets(shared_data, 300)
    plain, odd, short = tmp_path / "plain.csv", tmp_path / "odd.csv", tmp_path / "short.csv"
    tweets[["text", "label"]].to_csv(plain, index=False)
    marked = tweets[["text", "label"]].copy()
    marked.loc[5, "label"] = "mixed"  # the file's 7th row
    marked.loc[9, "label"] = marked.loc[9, "label"].upper()
    marked.to_csv(odd, index=False)
    abbreviated = tweets["label"].map({"negative": "Neg", "neutral": "neu", "positive": "POS"})
    tweets[["text"]].assign(label=abbreviated).to_csv(short, index=False)
    db = _workspace(tmp_path)
    every = _evaluate(plain, db)
    assert {key: _evaluate(short, db)[key] for key in SCORES} == {key: every[key] for key in SCORES}
    for options in ((), ("--labels", "label")):
        found = _evaluate(odd, db, *options)
        assert found["left out"] == {"unknown label": 1}
        assert found["scored"] == 299
        assert any("'mixed' 1 (first at row 7)" in note for note in found["notes"])  # type: ignore[attr-defined]
    # A column of mostly non-labels is not labels: the error names the row and the value.
    words = tweets[["text"]].assign(label=["great"] * 299 + ["positive"])
    words.to_csv(odd, index=False)
    code, _, err = _run(odd, db, "--labels", "label")
    assert code == 1 and "row 2, column 'label'" in err and "(value 'great')" in err


@pytest.mark.shared_data
def test_evaluating_writes_no_verdict_when_every_label_is_in_an_unread_language(
    shared_data: Path, tmp_path: Path
) -> None:
    german = pd.read_csv(
        shared_data / "text-corpora" / "marc-amazon-multi" / "de" / "train-256-42.csv",
        header=None,
        names=["id", "review", "rating"],
    ).head(60)
    imported = tmp_path / "de.csv"
    german.to_csv(imported, index=False)
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True) as ws:
        ws.import_file(imported, kind="mentions")
    tweets = tmp_path / "tweets.csv"
    _tweets(shared_data, 100)[["text", "label"]].to_csv(tweets, index=False)

    def tables() -> dict[str, int]:
        with duckdb.connect(db, read_only=True) as connection:
            names = connection.execute("SELECT table_name FROM information_schema.tables")
            return {
                name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[index]
                for (name,) in names.fetchall()
            }

    before = tables()
    found = _evaluate(tweets, db)
    assert found["calibration"] == (
        "none: 60 labelled texts in languages the model does not read (de 60)"
    )
    assert tables() == before and before["text_calibration"] == 0


def test_unreadable_records_and_empty_files_are_said(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "text,label\n"
        "The refund never came.,negative\n"
        "Lovely staff and quick service.,positive\n"
        "broken,row,with,extra,fields,negative\n"
        "The parcel was late again.,negative\n"
        "Okay I guess.,neutral\n",
        "utf-8",
    )
    found = _evaluate(broken, db)
    assert found["rows"] == 5 and found["scored"] == 4
    assert found["left out"] == {"unreadable record": 1}
    assert any("could not be split" in note and "(line 4)" in note for note in found["notes"])  # type: ignore[attr-defined]
    empty = tmp_path / "empty.csv"
    empty.write_text("text,label\n", "utf-8")
    code, _, err = _run(empty, db)
    assert code == 1 and "the file has no rows under its header" in err
    code, _, err = _run(broken, db, "--text", "label")
    assert code == 1
    assert "column 'label', named with --text, holds sentiment labels, not texts" in err


def test_the_csv_says_what_the_numbers_are_of_and_runs_no_formula(tmp_path: Path) -> None:
    path = tmp_path / "=labelled.csv"
    path.write_text(
        "comment,verdict\n"
        "The refund never came and nobody answered.,negative\n"
        "Lovely staff and quick service.,positive\n"
        '"Ok, nothing special.",neutral\n'
        'Great shoes,=HYPERLINK("http://x")\n'
        "Das Paket kam viel zu spät an und war beschädigt.,negative\n",
        "utf-8",
    )
    db = _workspace(tmp_path)
    code, out, err = _run(path, db, "--labels", "verdict", output="csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    fields = {row["measure"]: row["value"] for row in rows if not row["sentiment"]}
    assert fields["file"] == str(path)
    assert fields["labels"] == "column 'verdict'"
    assert fields["model"].startswith("real-sentiment-")
    assert fields["calibration"] == "none: no labelled comment"
    assert fields["language not supported: de"] == "1"
    assert fields["left out: unknown label"] == "1"
    # The intervals' ends and how they were found are in the CSV too.
    assert (
        float(fields["accuracy low"]) <= float(fields["accuracy"]) <= float(fields["accuracy high"])
    )
    # Macro-F1's bootstrap gives no interval when every draw scores the same (a few texts,
    # each class read alike): both ends empty, never a point shown as an interval.
    low, high = fields["macro-F1 low"], fields["macro-F1 high"]
    assert (low == high == "") or float(low) < float(fields["macro-F1"]) < float(high)
    assert fields["interval of accuracy, precision, recall"] == "Wilson score interval"
    assert fields["interval of macro-F1"].startswith("percentile bootstrap")
    per_class = {(row["measure"], row["sentiment"]) for row in rows if row["sentiment"]}
    assert {("precision low", "negative"), ("recall high", "positive")} <= per_class
    notes = [row["value"] for row in rows if row["measure"] == "note"]
    assert any("HYPERLINK" in note for note in notes)
    given = {
        row["sentiment"]: row["value"] for row in rows if row["measure"] == "labels in the file"
    }
    assert given == {"negative": "2", "neutral": "1", "positive": "1"}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell


@pytest.mark.shared_data
def test_a_labelled_text_copied_with_its_spaces_changed_is_still_left_out(
    shared_data: Path, tmp_path: Path
) -> None:
    reviews = _reviews(shared_data, 200)[["Review Text", "Rating"]]
    imported, respaced = tmp_path / "first.csv", tmp_path / "respaced.csv"
    reviews.head(100).to_csv(imported, index=False)
    changed = reviews["Review Text"].str.replace(r"\s+", " ", regex=True).str.strip()
    assert (changed.head(100) != reviews["Review Text"].head(100).str.strip()).sum() >= 5
    reviews.assign(**{"Review Text": "  " + changed}).to_csv(respaced, index=False)
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db, create=True) as ws:
        ws.import_file(imported, kind="mentions")
    found = _evaluate(respaced, db)
    assert found["left out"]["labelled in the workspace"] == 100  # type: ignore[index]


@pytest.mark.shared_data
def test_a_class_no_label_holds_has_no_f1(shared_data: Path, tmp_path: Path) -> None:
    tweets = _tweets(shared_data, 300)
    two = tweets[tweets["label"] != "neutral"][["text", "label"]]
    path = tmp_path / "two.csv"
    two.to_csv(path, index=False)
    db = _workspace(tmp_path)
    found = _evaluate(path, db)
    neutral = next(c for c in found["classes"] if c["sentiment"] == "neutral")  # type: ignore[attr-defined]
    assert neutral["n"] == 0 and neutral["read"] > 0
    assert neutral["recall"] is None and neutral["f1"] is None
    code, out, _ = _run(path, db, output="table")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("│ neutral "))
    assert line.count("–") == 2  # recall and F1


def test_a_label_named_flag_of_numbers_is_not_read_on_a_guessed_scale(tmp_path: Path) -> None:
    # A 0/1 complaint flag under "label" read on a guessed 0-5 scale made every text negative.
    path = tmp_path / "flags.csv"
    path.write_text(
        "text,label\n"
        "Ordered a lamp three weeks ago and it still says processing,1\n"
        "The new headphones sound lovely,0\n"
        "Nobody answers the phone at the branch,1\n",
        encoding="utf-8",
    )
    code, _, err = _run(path, _workspace(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert "no column holds sentiment labels" in err
    assert "column 'label', named like labels, holds numbers (0, 1)" in err
    assert "--scale 0-1 reads them as ratings on it" in err
