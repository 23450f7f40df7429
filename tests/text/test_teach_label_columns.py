"""``text teach FILE`` reads the label columns ``text evaluate`` reads, by one rule
(:mod:`advocacy.ingest.label_columns`): labels in any case, ``pos``/``neg``/``neu``, a value
that is no label left out and counted with its first row, a gold column preferred over a
vendor's, and a sparser gold column never passed over silently. Real tweets of
``../shared/data`` (TweetEval's odd test lines), imported then taught, through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from support.cli import advocacy_cli
from support.corpora import normalised, trained_tweets

#: TweetEval's label numbers (tweeteval/sentiment/mapping.txt).
TWEET_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def _tweets(shared_data: Path, count: int) -> pd.DataFrame:
    """``count`` distinct odd lines of TweetEval's sentiment test split, labelled."""
    folder = shared_data / "tweeteval" / "sentiment"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    ids = (folder / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    trained = trained_tweets(shared_data)
    rows = [
        (texts[i].strip(), TWEET_LABELS[ids[i].strip()])
        for i in range(1, len(texts), 2)
        if normalised(texts[i]) not in trained
    ]
    frame = pd.DataFrame(rows, columns=["text", "label"]).drop_duplicates("text")
    return frame.head(count).reset_index(drop=True)


def _cli(*arguments: str) -> tuple[int, str, str]:
    outcome = advocacy_cli(*arguments, env={"COLUMNS": "220"})
    return outcome.returncode, outcome.stdout, outcome.stderr


def _taught(db: str) -> dict[str, int]:
    with advocacy.open(db) as ws:
        rows = ws.db.fetchall("SELECT sentiment, count(*) FROM text_labels GROUP BY sentiment")
    return {str(sentiment): int(count) for sentiment, count in rows}


@pytest.mark.shared_data
def test_teach_reads_any_case_short_labels_and_leaves_an_unknown_one_out_by_row(
    shared_data: Path, tmp_path: Path
) -> None:
    tweets = _tweets(shared_data, 200)
    spelled = tweets["label"].map({"negative": "NEG", "neutral": "Neu", "positive": " pos "})
    spelled[6] = "mixed"  # the file's 8th row
    spelled[40] = "mixed"
    path = tmp_path / "tweets.csv"
    tweets.assign(label=spelled).to_csv(path, index=False)
    db = str(tmp_path / "w.duckdb")
    code, _, err = _cli("import", str(path), "--kind", "mentions", "--db", db)
    assert code == 0, err
    code, out, err = _cli("text", "teach", str(path), "--db", db, "--format", "json")
    assert code == 0, err  # one "mixed" refused the whole file before
    taught = json.loads(out)
    assert taught["sentiment labels"] == 198
    assert (
        "left out as not a sentiment label (none of negative, neutral, positive, neg, neu, "
        "pos): 'mixed' 2 (first at row 8)" in taught["notes"]
    )
    kept = tweets.drop(index=[6, 40])
    assert _taught(db) == kept["label"].value_counts().to_dict()
    # evaluate reads the same column the same way, and says the same of the odd values.
    code, out, err = _cli("text", "evaluate", str(path), "--db", db, "--format", "json")
    assert code == 0, err
    evaluated = json.loads(out)
    assert evaluated["labels"] == "column 'label'"
    assert evaluated["left out"]["unknown label"] == 2
    assert any("'mixed' 2 (first at row 8)" in note for note in evaluated["notes"])


@pytest.mark.shared_data
def test_teach_takes_the_gold_column_over_a_vendor_s_and_refuses_a_sparser_gold(
    shared_data: Path, tmp_path: Path
) -> None:
    tweets = _tweets(shared_data, 120)
    vendor = tweets["label"].sample(frac=1, random_state=3).to_numpy()  # a vendor's guesses
    both = pd.DataFrame(
        {"text": tweets["text"], "vendor_sentiment": vendor, "gold": tweets["label"]}
    )
    full, partial = tmp_path / "full.csv", tmp_path / "partial.csv"
    both.to_csv(full, index=False)
    both.assign(gold=both["gold"].where(both.index < 60)).to_csv(partial, index=False)
    db = str(tmp_path / "w.duckdb")
    code, _, err = _cli("import", str(full), "--kind", "mentions", "--db", db)
    assert code == 0, err
    code, out, err = _cli("text", "teach", str(full), "--db", db, "--format", "json")
    assert code == 0, err
    note = (
        "labels from column 'gold' (120 labels); 'vendor_sentiment' (120 labels) also hold "
        "labels and were left aside"
    )
    assert note in json.loads(out)["notes"]
    assert _taught(db) == tweets["label"].value_counts().to_dict()  # the gold labels
    refusal = "several columns hold sentiment labels ('vendor_sentiment' (120 labels), 'gold' (60"
    code, _, err = _cli("text", "teach", str(partial), "--db", db)
    assert code == 1 and refusal in err
    code, _, err = _cli("text", "evaluate", str(partial), "--db", db)
    assert code == 1 and refusal in err
