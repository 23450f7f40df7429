"""The text benchmark's loaders read the real files with the counts their READMEs state.

``benchmarks/text_corpora.py`` turns every labelled set in ``../shared/data`` into rows of text
and label; a loader that silently drops or duplicates rows would change every number in
docs/benchmarks.md, so each count here is the one the corpus's README publishes.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def corpora() -> ModuleType:
    return load_benchmark("text_corpora")


def test_tweeteval_keeps_only_the_half_the_model_never_saw(
    corpora: ModuleType, shared_data: Path
) -> None:
    every = corpora.tweeteval_sentiment(shared_data, unseen_only=False)
    unseen = corpora.tweeteval_sentiment(shared_data)
    assert (len(every), len(unseen)) == (12_284, 6_142)
    assert list(unseen["text"]) == list(every["text"])[1::2]
    assert len(corpora.tweeteval_emotion(shared_data)) == 1_421


def test_clothing_reviews_with_text_and_their_rating_bands(
    corpora: ModuleType, shared_data: Path
) -> None:
    reviews = corpora.clothing(shared_data)
    assert len(reviews) == 958  # of 1,000 rows, 42 have neither title nor text
    bands = reviews.groupby("label")["stars"].agg(["min", "max"]).to_dict("index")
    assert bands == {
        "negative": {"min": 1, "max": 2},
        "neutral": {"min": 3, "max": 3},
        "positive": {"min": 4, "max": 5},
    }


def test_blitzer_has_the_published_stars_per_domain(corpora: ModuleType, shared_data: Path) -> None:
    reviews = corpora.blitzer(shared_data)
    stars = reviews.groupby(["domain", "stars"]).size().to_dict()
    published = {  # README: negative (1 / 2 stars), positive (4 / 5 stars)
        "books": (538, 462, 269, 731),
        "dvd": (530, 470, 286, 714),
        "electronics": (666, 334, 320, 680),
        "kitchen": (687, 313, 246, 754),
    }
    for domain, counts in published.items():
        assert tuple(stars[(f"blitzer/{domain}", s)] for s in (1, 2, 4, 5)) == counts
    assert Counter(reviews["label"]) == {"negative": 4_000, "positive": 4_000}
    assert reviews["text"].str.len().min() > 0
    assert not reviews["text"].str.contains("<review_text>").any()


@pytest.mark.parametrize("lang", ["de", "en", "es", "fr", "ja", "zh"])
def test_marc_test_and_train_sample_are_balanced_by_stars(
    corpora: ModuleType, shared_data: Path, lang: str
) -> None:
    test = corpora.marc(shared_data, lang=lang)
    train = corpora.marc(shared_data, lang=lang, split="train")
    assert Counter(test["stars"]) == dict.fromkeys(range(1, 6), 1_000)
    assert Counter(train["stars"]) == dict.fromkeys(range(1, 6), 256)
    assert Counter(test["label"]) == {"negative": 2_000, "neutral": 1_000, "positive": 2_000}


def test_semeval_sentence_counts(corpora: ModuleType, shared_data: Path) -> None:
    sentences_2014 = {
        ("restaurants", "train"): 3_041,
        ("restaurants", "test"): 800,
        ("laptops", "train"): 3_045,
        ("laptops", "test"): 800,
    }
    for (domain, split), count in sentences_2014.items():
        assert len(corpora.semeval14(shared_data, domain=domain, split=split)) == count
    sentences_2015 = {
        ("restaurants", "train"): 1_315,
        ("restaurants", "test"): 685,
        ("laptops", "train"): 1_739,
        ("laptops", "test"): 761,
        ("hotels", "test"): 266,
    }
    for (domain, split), count in sentences_2015.items():
        assert len(corpora.semeval15(shared_data, domain=domain, split=split)) == count
    assert len(corpora.semeval16_dutch(shared_data)) == 1_722
    # SemEval-2014 laptop sentences carry aspect terms only: one without any was never judged
    # (a verdict on the laptop as a whole has no term), so it is not a neutral sentence.
    laptops = corpora.semeval14(shared_data, domain="laptops", split="test")
    assert (~laptops["annotated"]).sum() == 378
    assert "excellent in every way." in set(laptops.loc[~laptops["annotated"], "text"])
    assert corpora.semeval14(shared_data, domain="restaurants", split="test")["annotated"].all()
    restaurants = corpora.semeval14(shared_data, domain="restaurants", split="test")
    assert set().union(*restaurants["categories"]) == {
        "food",
        "service",
        "price",
        "ambience",
        "anecdotes/miscellaneous",
    }


def test_sentence_polarity_rule(corpora: ModuleType) -> None:
    assert corpora.polarity_of(["positive", "neutral"]) == "positive"
    assert corpora.polarity_of(["negative", "negative"]) == "negative"
    assert corpora.polarity_of(["neutral"]) == corpora.polarity_of([]) == "neutral"
    assert corpora.polarity_of(["positive", "negative"]) == "mixed"
    assert corpora.polarity_of(["conflict"]) == "mixed"


@pytest.mark.parametrize(
    ("lang", "split", "published"),
    [
        ("en", "test", (483, 135, 32)),
        ("es", "test", (521, 176, 34)),
        ("fr", "test", (364, 285, 69)),
        ("nl", "test", (245, 125, 24)),
        ("ru", "test", (670, 207, 92)),
        ("tr", "test", (94, 46, 6)),
        ("ar", "test", (1_426, 784, 162)),
        ("ar", "train", (5_819, 3_141, 660)),
    ],
)
def test_semeval16_triplets_and_their_sentences(
    corpora: ModuleType, shared_data: Path, lang: str, split: str, published: tuple[int, ...]
) -> None:
    records = corpora.semeval16_triplet_records(shared_data, lang=lang, split=split)
    polarities = Counter(records["polarity"])
    assert tuple(polarities[p] for p in ("positive", "negative", "neutral")) == published
    assert not records["sentence"].str.contains("$T$", regex=False).any()
    sentences = corpora.semeval16_triplets(shared_data, lang=lang, split=split)
    assert sentences["opinions"].sum() == len(records)  # every triplet in exactly one sentence
    assert sentences["text"].is_unique


def test_olist_reviews_skip_empty_comments(corpora: ModuleType, shared_data: Path) -> None:
    every = corpora.olist(shared_data, keep_empty=True)
    commented = corpora.olist(shared_data)
    assert len(every) == 6_123
    assert len(commented) == int((every["text"].str.len() > 0).sum())
    assert 0 < len(commented) < len(every)
    assert set(commented["stars"]) == {1, 2, 3, 4, 5}


def test_goemotions_label_counts(corpora: ModuleType, shared_data: Path) -> None:
    sizes = {"train": 43_410, "dev": 5_426, "test": 5_427}
    for split, size in sizes.items():
        assert len(corpora.goemotions(shared_data, split=split)) == size
    test = corpora.goemotions(shared_data)
    per_comment = Counter(min(len(e), 3) for e in test["emotions"])
    assert (per_comment[1], per_comment[2], per_comment[3]) == (4_590, 774, 63)
    assert sum("neutral" in e for e in test["emotions"]) == 1_787
    only_neutral = test[test["emotions"].map(lambda e: e == ("neutral",))]
    assert set(only_neutral["label"]) == {"neutral"}


def test_banking77_counts_and_complaint_intents_exist(
    corpora: ModuleType, shared_data: Path
) -> None:
    test = corpora.banking77(shared_data)
    assert len(test) == 3_080
    assert set(Counter(test["intent"]).values()) == {40}
    assert len(corpora.banking77(shared_data, split="train")) == 10_003
    intents = json.loads(
        (shared_data / "text-corpora" / "banking77" / "categories.json").read_text()
    )
    assert len(intents) == 77
    assert set(intents) >= corpora.BANKING_PROBLEM_INTENTS
    assert (test["label"] == "complaint").sum() == 40 * len(corpora.BANKING_PROBLEM_INTENTS)
