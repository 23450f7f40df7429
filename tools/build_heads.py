"""Train the shipped sentiment, emotion and complaint heads on real text (a build step).

Run from the repository after ``build_encoder.py``, with ``../shared/data`` (the labelled
corpora)::

    python tools/build_heads.py --data /path/to/shared/data

It writes ``src/advocacy/text/models/heads_e5.npz``: three logistic regressions (scikit-learn,
multinomial, L2) on the features of :func:`advocacy.text.text_model.head_features` (the static
embedding of a text with its negated words reversed, and the embedding of the negated words
alone).

Training data: only sets whose licence allows a shipped model, each named with its licence.

=====================  ==========================================  ==========================
source                 rows and labels                             licence
=====================  ==========================================  ==========================
TweetEval sentiment    ``val`` + ``test`` lines with an even index  SemEval-2017 task 4 data
                       (8,142 tweets; the odd lines stay unseen)   via TweetEval (research)
GoEmotions ``train``   Reddit comments: its sentiment grouping of   Apache-2.0
                       emotions (positive / negative; ambiguous
                       and neutral -> neutral; mixed dropped)
Clothing reviews       1,000 reviews, stars 1-2 / 3 / 4-5           CC0
Authored comments      ``training/customer_comments.csv`` (901)     CC0, the project's own
TweetEval emotion      ``train`` + ``val`` (3,631; ``test`` unseen)  as TweetEval sentiment
BANKING77 ``train``    complaint (a problem the customer reports)   CC BY 4.0
                       vs request, by intent (see COMPLAINT_INTENTS)
=====================  ==========================================  ==========================

Each head weighs its sources equally (every source's rows sum to the same weight) and balances
the classes within each source. The penalty ``C`` is chosen on a seeded 10% of every source
(the mean of the sources' development macro-F1); the head is then refitted on every row.
Nothing reported by ``benchmarks/text_eval.py`` as unseen is read here: MARC, the Blitzer
reviews, SemEval and Olist are evaluation-only (MARC's licence forbids a shipped model trained on
it).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

HERE = Path(__file__).resolve().parent
#: Where the shipped text models live in the repository.
MODELS = HERE.parent / "src" / "advocacy" / "text" / "models"
SEED = 0
C_GRID = (0.1, 0.3, 1.0, 3.0)
SENTIMENTS = ("negative", "neutral", "positive")
EMOTIONS = ("anger", "joy", "optimism", "sadness")
#: GoEmotions emotions grouped into the four TweetEval emotions (others are left out).
EMOTION_GROUPS = {
    "anger": ("anger", "annoyance", "disgust"),
    "joy": ("joy", "amusement", "excitement", "love"),
    "optimism": ("optimism",),
    "sadness": ("sadness", "grief", "disappointment", "remorse"),
}
#: BANKING77 intents where the customer reports something that went wrong for them.
COMPLAINT_INTENTS = frozenset(
    {
        "card_not_working", "contactless_not_working", "virtual_card_not_working",
        "card_payment_wrong_exchange_rate", "extra_charge_on_statement",
        "wrong_amount_of_cash_received", "card_payment_fee_charged", "transaction_charged_twice",
        "transfer_not_received_by_recipient", "top_up_reverted", "top_up_failed",
        "balance_not_updated_after_cheque_or_cash_deposit",
        "balance_not_updated_after_bank_transfer", "card_payment_not_recognised",
        "direct_debit_payment_not_recognised", "cash_withdrawal_not_recognised",
        "unable_to_verify_identity", "compromised_card", "declined_cash_withdrawal",
        "declined_transfer", "declined_card_payment", "Refund_not_showing_up", "card_swallowed",
        "failed_transfer", "reverted_card_payment?", "wrong_exchange_rate_for_cash_withdrawal",
        "pin_blocked", "lost_or_stolen_card", "lost_or_stolen_phone", "beneficiary_not_allowed",
        "request_refund",
    }
)  # fmt: skip


@dataclass
class Source:
    """One training set: texts, integer labels and its name."""

    name: str
    texts: list[str]
    labels: NDArray[np.int64]
    development: NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        order = np.random.default_rng(SEED).permutation(len(self.texts))
        self.development = np.zeros(len(self.texts), bool)
        self.development[order[: len(self.texts) // 10]] = True


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[: -1 or None]


def tweeteval(data: Path, task: str, splits: tuple[str, ...], *, even_test: bool) -> Source:
    texts: list[str] = []
    labels: list[int] = []
    for split in splits:
        folder = data / "tweeteval" / task
        split_texts = _lines(folder / f"{split}_text.txt")
        split_labels = [int(x) for x in _lines(folder / f"{split}_labels.txt")]
        step = 2 if (split == "test" and even_test) else 1
        texts += split_texts[::step]
        labels += split_labels[::step]
    return Source(f"tweeteval-{task}", texts, np.array(labels))


def goemotions(data: Path, grouping: Callable[[set[str]], int | None], name: str) -> Source:
    folder = data / "text-corpora" / "goemotions"
    names = (folder / "emotions.txt").read_text(encoding="utf-8").split()
    texts, labels = [], []
    with (folder / "train.tsv").open(encoding="utf-8", newline="") as handle:
        for text, ids, _ in csv.reader(handle, delimiter="\t"):
            label = grouping({names[int(i)] for i in ids.split(",")})
            if label is not None:
                texts.append(text)
                labels.append(label)
    return Source(name, texts, np.array(labels))


def goemotions_sentiment(data: Path) -> Source:
    groups = json.loads((data / "text-corpora" / "goemotions" / "sentiment_dict.json").read_text())
    positive, negative = set(groups["positive"]), set(groups["negative"])

    def grouping(emotions: set[str]) -> int | None:
        good, bad = bool(emotions & positive), bool(emotions & negative)
        if good and bad:
            return None
        return 2 if good else (0 if bad else 1)

    return goemotions(data, grouping, "goemotions-sentiment")


def goemotions_emotion(data: Path) -> Source:
    def grouping(emotions: set[str]) -> int | None:
        hits = {i for i, name in enumerate(EMOTIONS) if emotions & set(EMOTION_GROUPS[name])}
        return hits.pop() if len(hits) == 1 else None

    return goemotions(data, grouping, "goemotions-emotion")


def clothing(data: Path) -> Source:
    texts, labels = [], []
    path = data / "clothing-reviews" / "Womens Clothing E-Commerce Reviews.csv"
    if not path.exists():
        path = next((data / "clothing-reviews").glob("*.csv"))
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = " ".join(x for x in (row["Title"], row["Review Text"]) if x and x.strip())
            if text:
                rating = int(row["Rating"])
                texts.append(text)
                labels.append(0 if rating <= 2 else (1 if rating == 3 else 2))
    return Source("clothing", texts, np.array(labels))


def authored() -> Source:
    with (HERE / "training" / "customer_comments.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Source(
        "authored",
        [row["text"] for row in rows],
        np.array([SENTIMENTS.index(row["label"]) for row in rows]),
    )


def banking_complaints(data: Path) -> Source:
    with (data / "text-corpora" / "banking77" / "train.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Source(
        "banking77",
        [row["text"] for row in rows],
        np.array([int(row["category"] in COMPLAINT_INTENTS) for row in rows]),
    )


def as_complaints(source: Source, *, complaint: int = 0) -> Source:
    """A sentiment source as complaint labels: its negatives are complaints."""
    labels = (source.labels == complaint).astype(int)
    return Source(f"{source.name}-complaint", source.texts, labels)


def _weights(sources: list[Source], rows: list[NDArray[np.bool_]]) -> NDArray[np.float64]:
    """Every source the same total weight; classes balanced within a source."""
    parts = []
    for source, chosen in zip(sources, rows, strict=True):
        labels = source.labels[chosen]
        counts = np.bincount(labels)
        present = np.count_nonzero(counts)
        per_class = np.where(counts > 0, 1.0 / (present * np.maximum(counts, 1)), 0.0)
        parts.append(per_class[labels])
    weights = np.concatenate(parts)
    return np.asarray(weights * len(weights) / weights.sum(), dtype=np.float64)


def train_head(
    sources: list[Source],
    features: Callable[[list[str]], NDArray[np.float32]],
    classes: tuple[str, ...],
) -> tuple[object, dict[str, float], float]:
    """A logistic head; ``C`` chosen by the sources' mean development macro-F1."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    matrices = [features(source.texts) for source in sources]
    train = [~source.development for source in sources]
    x_train = np.vstack([m[t] for m, t in zip(matrices, train, strict=True)])
    y_train = np.concatenate([s.labels[t] for s, t in zip(sources, train, strict=True)])
    w_train = _weights(sources, train)
    best: tuple[float, float, dict[str, float]] = (-1.0, 0.0, {})
    for c in C_GRID:
        head = LogisticRegression(C=c, max_iter=2000).fit(x_train, y_train, sample_weight=w_train)
        scores = {
            source.name: float(
                f1_score(
                    source.labels[source.development],
                    head.predict(matrix[source.development]),
                    average="macro",
                    labels=np.unique(source.labels),
                )
            )
            for source, matrix in zip(sources, matrices, strict=True)
        }
        mean = float(np.mean(list(scores.values())))
        print(f"  C={c}: development macro-F1 {mean:.3f} {scores}")
        if mean > best[0]:
            best = (mean, c, scores)
    everything = [np.ones(len(s.texts), bool) for s in sources]
    head = LogisticRegression(C=best[1], max_iter=2000).fit(
        np.vstack(matrices),
        np.concatenate([s.labels for s in sources]),
        sample_weight=_weights(sources, everything),
    )
    return head, best[2], best[1]


NGRAM_C = (1.0, 3.0, 10.0)
NGRAM_WEIGHTS = (0.3, 0.5, 0.7)


def ngram_head(
    sources: list[Source], embedding_c: float, prefix: str = "ngram"
) -> dict[str, NDArray[np.float64]]:
    """The word n-gram sentiment head and its blending weight, chosen on development rows.

    The embedding head (penalty ``embedding_c``) and the n-gram head are fitted on the training
    rows; ``C`` and the most the n-gram head counts are those with the best mean development
    macro-F1 of the blend (:meth:`advocacy.text.text_model.ShippedHeads.sentiment`). The head
    is then refitted on every row.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    from advocacy.text.heads import softmax
    from advocacy.text.text_model import (
        NGRAM_OPTIONS,
        WordNgramHead,
        head_features,
        sentiment_ngram_texts,
    )

    texts = [sentiment_ngram_texts(s.texts) for s in sources]
    features = [head_features(s.texts) for s in sources]
    train = [~s.development for s in sources]
    weights = _weights(sources, train)
    y_train = np.concatenate([s.labels[t] for s, t in zip(sources, train, strict=True)])
    embedding = LogisticRegression(C=embedding_c, max_iter=2000).fit(
        np.vstack([f[t] for f, t in zip(features, train, strict=True)]),
        y_train,
        sample_weight=weights,
    )
    vectorizer = TfidfVectorizer(**NGRAM_OPTIONS, min_df=3, max_features=60000)
    vectorizer.fit(
        [
            x
            for xs, t in zip(texts, train, strict=True)
            for x, keep in zip(xs, t, strict=True)
            if keep
        ]
    )
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for c in NGRAM_C:
        model = LogisticRegression(C=c, max_iter=3000).fit(
            vectorizer.transform(
                [
                    x
                    for xs, t in zip(texts, train, strict=True)
                    for x, keep in zip(xs, t, strict=True)
                    if keep
                ]
            ),
            y_train,
            sample_weight=weights,
        )
        terms = vectorizer.get_feature_names_out()
        head = WordNgramHead(
            {t: i for i, t in enumerate(terms)}, vectorizer.idf_, model.coef_, model.intercept_, 1.0
        )
        for weight in NGRAM_WEIGHTS:
            scores = []
            for source, xs, f in zip(sources, texts, features, strict=True):
                rows = np.flatnonzero(source.development)
                ngram, coverage = head.predict([xs[i] for i in rows])
                base = softmax(f[rows] @ embedding.coef_.T + embedding.intercept_)
                share = (weight * coverage**2)[:, None]
                blend = (1 - share) * base + share * ngram
                scores.append(f1_score(source.labels[rows], blend.argmax(axis=1), average="macro"))
            mean = float(np.mean(scores))
            print(f"  n-grams C={c}, weight {weight}: development macro-F1 {mean:.3f}")
            if mean > best[0]:
                best = (mean, c, weight)
    vectorizer.fit([x for xs in texts for x in xs])
    model = LogisticRegression(C=best[1], max_iter=3000).fit(
        vectorizer.transform([x for xs in texts for x in xs]),
        np.concatenate([s.labels for s in sources]),
        sample_weight=_weights(sources, [np.ones(len(s.texts), bool) for s in sources]),
    )
    return {
        f"{prefix}_terms": np.array(vectorizer.get_feature_names_out(), dtype=str),
        f"{prefix}_idf": vectorizer.idf_,
        f"{prefix}_coef": model.coef_,
        f"{prefix}_intercept": model.intercept_,
        f"{prefix}_weight": np.float64(best[2]),
    }


def emotion_thresholds(
    head: object, sources: list[Source], features: Callable[[list[str]], NDArray[np.float32]]
) -> NDArray[np.float64]:
    """Per emotion, the score cut that maximises its one-vs-rest development F1."""
    from sklearn.metrics import f1_score

    x = np.vstack([features([s.texts[i] for i in np.flatnonzero(s.development)]) for s in sources])
    y = np.concatenate([s.labels[s.development] for s in sources])
    probabilities = head.predict_proba(x)  # type: ignore[attr-defined]
    cuts = []
    for k in range(len(EMOTIONS)):
        grid = np.arange(0.2, 0.8, 0.02)
        scores = [f1_score(y == k, probabilities[:, k] >= t) for t in grid]
        cuts.append(float(grid[int(np.argmax(scores))]))
    return np.array(cuts)


def _sentiment_sources(data: Path) -> list[Source]:
    return [
        tweeteval(data, "sentiment", ("val", "test"), even_test=True),
        goemotions_sentiment(data),
        clothing(data),
        authored(),
    ]


def _emotion_sources(data: Path) -> list[Source]:
    return [
        tweeteval(data, "emotion", ("train", "val"), even_test=False),
        goemotions_emotion(data),
    ]


def build(data: Path, out: Path = MODELS) -> None:
    from advocacy.text.text_model import head_features, sentiment_log_probabilities

    def features(texts: list[str]) -> NDArray[np.float32]:
        return head_features(texts)

    print("sentiment")
    sentiment_sources = _sentiment_sources(data)
    sentiment_head, sentiment_scores, sentiment_c = train_head(
        sentiment_sources, features, SENTIMENTS
    )
    arrays: dict[str, NDArray[np.float64]] = {
        "sentiment_coef": sentiment_head.coef_,  # type: ignore[attr-defined]
        "sentiment_intercept": sentiment_head.intercept_,  # type: ignore[attr-defined]
    }
    print("sentiment n-grams")
    arrays |= ngram_head(sentiment_sources, sentiment_c)

    print("emotion")
    emotion_sources = _emotion_sources(data)
    emotion_head, emotion_scores, emotion_c = train_head(emotion_sources, features, EMOTIONS)
    arrays["emotion_coef"] = emotion_head.coef_  # type: ignore[attr-defined]
    arrays["emotion_intercept"] = emotion_head.intercept_  # type: ignore[attr-defined]
    print("emotion n-grams")
    arrays |= ngram_head(emotion_sources, emotion_c, prefix="emotion_ngram")
    arrays["emotion_thresholds"] = emotion_thresholds(emotion_head, emotion_sources, features)

    print("complaint")
    sentiment_coef, sentiment_intercept = arrays["sentiment_coef"], arrays["sentiment_intercept"]

    def complaint_features(texts: list[str]) -> NDArray[np.float32]:
        x = head_features(texts)
        prior = sentiment_log_probabilities(x, sentiment_coef, sentiment_intercept)
        return np.hstack([x, prior]).astype(np.float32)

    complaint_sources = [
        banking_complaints(data),
        as_complaints(authored()),
        as_complaints(tweeteval(data, "sentiment", ("val", "test"), even_test=True)),
    ]
    complaint_head, complaint_scores, complaint_c = train_head(
        complaint_sources, complaint_features, ("other", "complaint")
    )
    arrays["complaint_coef"] = complaint_head.coef_  # type: ignore[attr-defined]
    arrays["complaint_intercept"] = complaint_head.intercept_  # type: ignore[attr-defined]
    np.savez_compressed(out / "heads_e5.npz", **arrays)  # type: ignore[arg-type]
    print(
        json.dumps(
            {
                "sentiment": {"C": sentiment_c, "development macro-F1": sentiment_scores},
                "emotion": {"C": emotion_c, "development macro-F1": emotion_scores},
                "complaint": {"C": complaint_c, "development macro-F1": complaint_scores},
            },
            indent=2,
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=MODELS)
    arguments = parser.parse_args(argv)
    build(arguments.data.resolve(), arguments.out)


if __name__ == "__main__":
    main()
