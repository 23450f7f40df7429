"""The shipped models reproduce the held-out numbers recorded in docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from advocacy.text import detect_language, effort, emotions, sentiment
from advocacy.text.calibration import label_from_scores
from advocacy.text.emotion import EMOTIONS
from advocacy.text.sentiment import SENTIMENTS, sentence_sentiment


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def test_sentiment_macro_recall_on_held_out_tweeteval(shared_data: Path) -> None:
    folder = shared_data / "tweeteval" / "sentiment"
    texts = _lines(folder / "test_text.txt")[1::2]  # odd lines: never trained on
    truth = np.array([SENTIMENTS[int(x)] for x in _lines(folder / "test_labels.txt")[1::2]])
    predicted = np.array(sentiment(texts).labels)
    recall = np.mean([np.mean(predicted[truth == c] == c) for c in SENTIMENTS])
    # 63.8 before the English negation reading (text/negation.py), 63.5 with it and with the
    # complaint head counting towards a negative (sentiment.with_complaint), 64.8 with English
    # split words read whole and the heads rebuilt on that embedding (real-sentiment-e5-v6),
    # 65.9 with a word that capitals split read as its lower-case form and the heads rebuilt
    # again (real-sentiment-e5-v7), 66.0 with a short denial of a fault read as praise and a
    # denial that states the fault read as blame (real-sentiment-e5-v9), 65.8 with the clause
    # after "but" read as the verdict (real-sentiment-e5-v13: a tweet's "but" is less often
    # one; reviews gain): docs/benchmarks.md
    assert round(100 * recall, 1) == 65.8


def test_emotion_macro_f1_on_tweeteval_test(shared_data: Path) -> None:
    folder = shared_data / "tweeteval" / "emotion"
    truth = np.array([EMOTIONS[int(x)] for x in _lines(folder / "test_labels.txt")])
    # Every test tweet carries one of the four: scored as the leaderboard does, a forced choice.
    predicted = np.array(emotions(_lines(folder / "test_text.txt")).strongest())
    f1 = []
    for c in EMOTIONS:
        tp = np.sum((predicted == c) & (truth == c))
        f1.append(2 * tp / (np.sum(predicted == c) + np.sum(truth == c)))
    # 68.7 before English split words were read whole, 70.9 with them (real-emotion-e5-v2), 70.1
    # with capitals folded and the heads rebuilt (real-emotion-e5-v3): docs/benchmarks.md
    assert round(100 * float(np.mean(f1)), 1) == 70.1


def test_scores_sentences_and_score_labels() -> None:
    result = sentiment(["I love this shop", "Worst service ever, never again"])
    assert result.labels == ["positive", "negative"]
    assert result.scores[0] > 0.3 > -0.3 > result.scores[1]
    parts = sentence_sentiment(
        "Great staff. But the refund took five weeks and nobody called back!"
    )
    assert [label for _, label, _ in parts] == ["positive", "negative"]
    assert [label_from_scores(n) for n in (0, 6, 7, 8, 9, 10)] == [
        "negative", "negative", "neutral", "neutral", "positive", "positive",
    ]  # fmt: skip
    assert label_from_scores(csat=5, csat_min=1, csat_max=5) == "positive"


def test_effort_and_language() -> None:
    found = effort("I was on hold for 40 minutes, then transferred and had to explain it again")
    assert found.high and set(found.cues) == {"waiting", "transfers", "repeating"}
    assert effort("Lovely shop, friendly people").score == 0.0
    assert detect_language("The delivery was late and the box was damaged") == "en"
    assert detect_language("Die Lieferung war nicht pünktlich und der Karton ist kaputt") == "de"
    assert detect_language("ok") == "en"  # too few letters to tell, an English word
    assert detect_language("12345") is None
