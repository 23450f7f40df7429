"""Loaders for every real labelled text set in ``../shared/data`` (never copied into the repo).

One small function per corpus. Each returns a DataFrame with the columns ``text``, ``label``,
``lang`` (ISO 639-1) and ``domain`` (``corpus`` or ``corpus/sub-domain``; the key that
``benchmarks/text_eval.py`` matches against the shipped model's training domains), plus columns
a corpus has of its own (``split``, ``stars``, ``categories``...). Labels are the strings
``negative``, ``neutral``, ``positive`` (and ``mixed`` where a rule below says so).

The rules that turn each corpus's annotation into a label, in one place:

* Stars or ratings 1-5: 1-2 negative, 3 neutral, 4-5 positive (clothing, MARC, Olist).
* Blitzer: the authors' two files, negative (1-2 stars) and positive (4-5); no neutral.
* Aspect-annotated sentences (SemEval-2014/2015/2016 and the 2016 triplets): the sentence's
  opinions decide. Opinions that are neutral are ignored when a polar one exists; only
  positive -> positive, only negative -> negative, only neutral or none -> neutral, both
  positive and negative (or a ``conflict`` opinion) -> ``mixed``. The evaluation drops
  ``mixed`` (it is not a class the models predict). SemEval-2014 pools a sentence's aspect-term
  and aspect-category polarities.
* GoEmotions via ``sentiment_dict.json``: a comment whose emotions are all positive (or
  positive plus ambiguous) is positive, likewise negative; ``neutral``-only or ambiguous-only
  (surprise, curiosity, confusion, realization) -> neutral; both positive and negative ->
  ``mixed`` (dropped).

The published row counts these loaders must reproduce are checked by
``tests/benchmarks/test_text_corpora.py``.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

#: ``../shared/data`` beside the project root.
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPORA = "text-corpora"

BLITZER_DOMAINS = ("books", "dvd", "electronics", "kitchen_&_housewares")
MARC_LANGUAGES = ("de", "en", "es", "fr", "ja", "zh")
#: The SemEval-2016 multilingual triplet files: language -> (domain, file name stem).
TRIPLET_FILES = {
    "en": ("restaurants", "restaurants_{split}_english"),
    "es": ("restaurants", "restaurants_{split}_spanish"),
    "fr": ("restaurants", "restaurants_{split}_french"),
    "nl": ("restaurants", "restaurants_{split}_dutch"),
    "ru": ("restaurants", "restaurants_{split}_russian"),
    "tr": ("restaurants", "restaurants_{split}_turkish"),
    "ar": ("hotels", "hotels_{split}_arabic"),
}
#: SemEval-2015 English XML files: (domain, split) -> file name.
SEMEVAL15_FILES = {
    ("restaurants", "train"): "ABSA-15_Restaurants_Train_Final.xml",
    ("restaurants", "test"): "ABSA15_Restaurants_Test.xml",
    ("laptops", "train"): "ABSA-15_Laptops_Train_Data.xml",
    ("laptops", "test"): "ABSA15_Laptops_Test.xml",
    ("hotels", "test"): "ABSA15_Hotels_Test.xml",
}
SEMEVAL14_FILES = {
    ("restaurants", "train"): "Restaurants_Train_v2.xml",
    ("restaurants", "test"): "Restaurants_Test_Gold.xml",
    ("laptops", "train"): "Laptop_Train_v2.xml",
    ("laptops", "test"): "Laptops_Test_Gold.xml",
}
COLUMNS = ["text", "label", "lang", "domain"]


def stars_to_label(stars: int) -> str:
    """1-2 negative, 3 neutral, 4-5 positive."""
    return "negative" if stars <= 2 else "neutral" if stars == 3 else "positive"


def polarity_of(opinions: Iterable[str]) -> str:
    """A sentence's label from its opinions' polarities (rule in the module docstring)."""
    found = {p.lower() for p in opinions}
    if "conflict" in found or {"positive", "negative"} <= found:
        return "mixed"
    if "positive" in found:
        return "positive"
    if "negative" in found:
        return "negative"
    return "neutral"


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    return frame[COLUMNS + [c for c in frame.columns if c not in COLUMNS]]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def tweeteval_sentiment(data: Path, *, unseen_only: bool = True) -> pd.DataFrame:
    """TweetEval sentiment ``test``; by default only the odd 0-based lines (6,142), the half the
    shipped model did not train on (``tools/build_heads.py`` trains on ``val`` + the even lines)."""
    folder = data / "tweeteval" / "sentiment"
    names = ("negative", "neutral", "positive")
    texts = _lines(folder / "test_text.txt")
    labels = [names[int(x)] for x in _lines(folder / "test_labels.txt")]
    step = slice(1, None, 2) if unseen_only else slice(None)
    return _frame(
        [
            {"text": t, "label": y, "lang": "en", "domain": "tweeteval"}
            for t, y in zip(texts[step], labels[step], strict=True)
        ]
    )


def tweeteval_emotion(data: Path) -> pd.DataFrame:
    """TweetEval emotion, the whole official ``test`` split (1,421): anger/joy/optimism/sadness."""
    folder = data / "tweeteval" / "emotion"
    names = ("anger", "joy", "optimism", "sadness")
    texts = _lines(folder / "test_text.txt")
    labels = [names[int(x)] for x in _lines(folder / "test_labels.txt")]
    return _frame(
        [
            {"text": t, "label": y, "lang": "en", "domain": "tweeteval"}
            for t, y in zip(texts, labels, strict=True)
        ]
    )


def clothing(data: Path) -> pd.DataFrame:
    """Clothing reviews with a title or text (958 of 1,000): title and text joined, Rating
    1-2/3/4-5 -> negative/neutral/positive; ``recommended`` keeps Recommended IND."""
    raw = pd.read_csv(data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv")
    text = (raw["Title"].fillna("") + ". " + raw["Review Text"].fillna("")).str.strip(". ")
    frame = pd.DataFrame(
        {
            "text": text,
            "label": [stars_to_label(int(r)) for r in raw["Rating"]],
            "lang": "en",
            "domain": "clothing",
            "stars": raw["Rating"].astype(int),
            "recommended": raw["Recommended IND"].astype(int),
        }
    )
    return frame[frame["text"].str.len() > 0].reset_index(drop=True)


_BLITZER_REVIEW = re.compile(r"<review>(.*?)</review>", re.S)


def _blitzer_field(block: str, tag: str) -> str:
    # Not well-formed XML (unescaped & and <): find the field between its own tags.
    start, end = block.find(f"<{tag}>"), block.find(f"</{tag}>")
    return block[start + len(tag) + 2 : end].strip() if 0 <= start < end else ""


def blitzer(data: Path) -> pd.DataFrame:
    """Blitzer et al. (2007) multi-domain Amazon reviews: 4 domains x 1,000 negative (1-2 stars)
    + 1,000 positive (4-5); 2 classes. Text is the title and the review joined."""
    rows: list[dict[str, object]] = []
    for domain in BLITZER_DOMAINS:
        for label in ("negative", "positive"):
            path = data / CORPORA / "amazon-multidomain-blitzer" / domain / f"{label}.review"
            for block in _BLITZER_REVIEW.findall(path.read_text(encoding="utf-8")):
                title, body = _blitzer_field(block, "title"), _blitzer_field(block, "review_text")
                rows.append(
                    {
                        "text": f"{title}. {body}".strip(". ") if title else body,
                        "label": label,
                        "lang": "en",
                        "domain": f"blitzer/{domain.split('_')[0]}",
                        "stars": int(float(_blitzer_field(block, "rating"))),
                    }
                )
    return _frame(rows)


def marc(data: Path, *, lang: str = "en", split: str = "test") -> pd.DataFrame:
    """MARC (Keung et al. 2020) for one language: ``test`` (5,000, 1,000 per star) or the
    ``train``/``dev`` 1,280-row samples; stars 1-2/3/4-5. Research-only licence: evaluate only."""
    name = "test.csv" if split == "test" else f"{split}-256-42.csv"
    path = data / CORPORA / "marc-amazon-multi" / lang / name
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    return _frame(
        [
            {
                "text": text,
                "label": stars_to_label(int(stars)),
                "lang": lang,
                "domain": "marc",
                "stars": int(stars),
                "split": split,
            }
            for _, text, stars in records
        ]
    )


def semeval14(data: Path, *, domain: str = "restaurants", split: str = "test") -> pd.DataFrame:
    """SemEval-2014 task 4 sentences, label from the pooled aspect-term and aspect-category
    polarities; ``categories`` holds the restaurant aspect categories (a tuple per sentence);
    ``annotated`` is False for a sentence with neither (the laptop sentences have no categories,
    so one without an aspect term, e.g. a verdict on the laptop as a whole, was never judged)."""
    path = data / CORPORA / "semeval14-absa" / SEMEVAL14_FILES[(domain, split)]
    rows: list[dict[str, object]] = []
    for sentence in ElementTree.parse(path).getroot().iter("sentence"):
        terms = [t.get("polarity", "") for t in sentence.iter("aspectTerm")]
        categories = list(sentence.iter("aspectCategory"))
        rows.append(
            {
                "text": sentence.findtext("text", ""),
                "label": polarity_of(terms + [c.get("polarity", "") for c in categories]),
                "lang": "en",
                "domain": f"semeval14/{domain}",
                "split": split,
                "categories": tuple(sorted({c.get("category", "") for c in categories})),
                "annotated": bool(terms or categories),
            }
        )
    return _frame(rows)


def _semeval_xml(path: Path, lang: str, domain: str, split: str) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    for sentence in ElementTree.parse(path).getroot().iter("sentence"):
        # Sentence-level opinions only (SB2 files also carry review-level ones under <Review>).
        opinions = [o for block in sentence.findall("Opinions") for o in block.findall("Opinion")]
        rows.append(
            {
                "text": sentence.findtext("text", ""),
                "label": polarity_of(o.get("polarity", "") for o in opinions),
                "lang": lang,
                "domain": domain,
                "split": split,
                "categories": tuple(sorted({o.get("category", "") for o in opinions})),
            }
        )
    return _frame(rows)


def semeval15(data: Path, *, domain: str = "restaurants", split: str = "test") -> pd.DataFrame:
    """SemEval-2015 task 12 English sentences (restaurants, laptops; hotels test only); label from
    the sentence's opinions; ``categories`` holds its ENTITY#ATTRIBUTE categories."""
    path = data / CORPORA / "semeval15-16-absa" / SEMEVAL15_FILES[(domain, split)]
    return _semeval_xml(path, "en", f"semeval15/{domain}", split)


def semeval16_dutch(data: Path) -> pd.DataFrame:
    """SemEval-2016 task 5 Dutch restaurant sentences (subtask 1 training file, 1,722)."""
    path = data / CORPORA / "semeval15-16-absa" / "restaurants_dutch_training.xml"
    return _semeval_xml(path, "nl", "semeval16/restaurants", "train")


def semeval16_triplet_records(data: Path, *, lang: str = "es", split: str = "test") -> pd.DataFrame:
    """The raw triplets of one file: ``sentence`` (``$T$`` put back as the target), ``target``
    and ``polarity`` (``positive``/``negative``/``neutral``), one row per opinion."""
    _, stem = TRIPLET_FILES[lang]
    path = data / CORPORA / "semeval15-16-absa" / "semeval16-multilingual-apc-dat"
    text = (path / f"{stem.format(split=split)}.xml.dat").read_text(encoding="utf-8")
    lines = text.strip("\n").split("\n")
    return pd.DataFrame(
        [
            {
                "sentence": lines[i].replace("$T$", lines[i + 1]).strip(),
                "target": lines[i + 1],
                "polarity": lines[i + 2].strip().lower(),
            }
            for i in range(0, len(lines) - 2, 3)
        ]
    )


def semeval16_triplets(data: Path, *, lang: str = "es", split: str = "test") -> pd.DataFrame:
    """SemEval-2016 multilingual opinion triplets (PyABSA's format) deduplicated to sentences:
    a sentence's triplets give its label (module rule); ``opinions`` counts them."""
    domain, _ = TRIPLET_FILES[lang]
    records = semeval16_triplet_records(data, lang=lang, split=split)
    polarities: dict[str, list[str]] = {}
    for sentence, polarity in zip(records["sentence"], records["polarity"], strict=True):
        polarities.setdefault(sentence, []).append(polarity)
    return _frame(
        [
            {
                "text": text,
                "label": polarity_of(found),
                "lang": lang,
                "domain": f"semeval16-triplets/{domain}",
                "split": split,
                "opinions": len(found),
            }
            for text, found in polarities.items()
        ]
    )


def olist(data: Path, *, keep_empty: bool = False) -> pd.DataFrame:
    """Olist Portuguese order reviews with a comment (title and message joined; rows with
    neither are skipped unless ``keep_empty``), review score 1-2/3/4-5."""
    raw = pd.read_csv(
        data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv",
        dtype=str,
        keep_default_na=False,
    )
    title = raw["review_comment_title"].str.strip()
    message = raw["review_comment_message"].str.strip()
    text = [f"{t}. {m}" if t and m else t or m for t, m in zip(title, message, strict=True)]
    frame = pd.DataFrame(
        {
            "text": text,
            "label": [stars_to_label(int(s)) for s in raw["review_score"]],
            "lang": "pt",
            "domain": "olist",
            "stars": raw["review_score"].astype(int),
        }
    )
    return frame if keep_empty else frame[frame["text"].str.len() > 0].reset_index(drop=True)


def goemotions(data: Path, *, split: str = "test") -> pd.DataFrame:
    """GoEmotions (Demszky et al. 2020) Reddit comments; ``emotions`` holds the tuple of emotion
    names (``neutral`` included), ``label`` the sentiment by the module rule."""
    folder = data / CORPORA / "goemotions"
    names = (folder / "emotions.txt").read_text(encoding="utf-8").split()
    polarity = {
        emotion: side
        for side, emotions in json.loads((folder / "sentiment_dict.json").read_text()).items()
        for emotion in emotions
    }
    rows: list[dict[str, object]] = []
    with (folder / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
        for text, ids, _ in csv.reader(handle, delimiter="\t"):
            emotions = tuple(names[int(i)] for i in ids.split(","))
            sides = {polarity.get(e, "neutral") for e in emotions}
            label = polarity_of(s for s in sides if s in ("positive", "negative"))
            rows.append(
                {
                    "text": text,
                    "label": label,
                    "lang": "en",
                    "domain": "goemotions",
                    "emotions": emotions,
                }
            )
    return _frame(rows)


#: Banking77 intents that report a problem the bank is expected to fix (a complaint proxy),
#: chosen from the intent names only; every other intent asks for information or an action.
BANKING_PROBLEM_INTENTS = frozenset(
    {
        "card_not_working",
        "contactless_not_working",
        "virtual_card_not_working",
        "card_swallowed",
        "compromised_card",
        "lost_or_stolen_card",
        "lost_or_stolen_phone",
        "pin_blocked",
        "wrong_amount_of_cash_received",
        "wrong_exchange_rate_for_cash_withdrawal",
        "card_payment_wrong_exchange_rate",
        "extra_charge_on_statement",
        "transaction_charged_twice",
        "card_payment_not_recognised",
        "cash_withdrawal_not_recognised",
        "direct_debit_payment_not_recognised",
        "declined_card_payment",
        "declined_cash_withdrawal",
        "declined_transfer",
        "failed_transfer",
        "top_up_failed",
        "top_up_reverted",
        "reverted_card_payment?",
        "transfer_not_received_by_recipient",
        "balance_not_updated_after_bank_transfer",
        "balance_not_updated_after_cheque_or_cash_deposit",
        "Refund_not_showing_up",
        "unable_to_verify_identity",
        "beneficiary_not_allowed",
        "card_arrival",
    }
)


def banking77(data: Path, *, split: str = "test") -> pd.DataFrame:
    """Banking77 queries; ``label`` is ``complaint`` for a problem intent
    (:data:`BANKING_PROBLEM_INTENTS`), else ``other``; ``intent`` keeps the intent."""
    with (data / CORPORA / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    return _frame(
        [
            {
                "text": r["text"],
                "label": "complaint" if r["category"] in BANKING_PROBLEM_INTENTS else "other",
                "lang": "en",
                "domain": "banking77",
                "intent": r["category"],
            }
            for r in records
        ]
    )


#: Theme taxonomies for the benchmark, written from the category names alone (never from
#: the sentences): name, one-line description, keywords.
#: SemEval-2014 restaurant categories, written from the names only (anecdotes/misc = none).
RESTAURANT_THEMES = {
    "food": ("Food", "the dishes, their taste, freshness and portions", ("food", "dish", "meal")),
    "service": (
        "Service",
        "the staff, waiters and how quickly and kindly they serve",
        ("service", "staff", "waiter", "waitress"),
    ),
    "price": (
        "Price",
        "how expensive or cheap it is, value for money",
        ("price", "expensive", "cheap"),
    ),
    "ambience": (
        "Ambience",
        "the atmosphere, decor, music and noise of the place",
        ("ambience", "atmosphere", "decor", "music"),
    ),
}
#: SemEval-2015 restaurant ENTITY#ATTRIBUTE categories, written from the names only.
RESTAURANT_CATEGORY_THEMES = {
    "RESTAURANT#GENERAL": (
        "Restaurant overall",
        "the restaurant as a whole",
        ("restaurant", "place"),
    ),
    "RESTAURANT#PRICES": (
        "Restaurant prices",
        "what a visit costs overall",
        ("prices", "expensive"),
    ),
    "RESTAURANT#MISCELLANEOUS": (
        "Restaurant other",
        "other aspects of the restaurant such as reservations or opening hours",
        ("reservation", "open late"),
    ),
    "FOOD#QUALITY": (
        "Food quality",
        "how the food tastes, its freshness",
        ("food", "tasty", "delicious"),
    ),
    "FOOD#PRICES": ("Food prices", "the prices of the dishes", ("food prices", "overpriced")),
    "FOOD#STYLE_OPTIONS": (
        "Food options",
        "the menu choice, portions and presentation of the food",
        ("menu", "portions", "selection"),
    ),
    "DRINKS#QUALITY": (
        "Drink quality",
        "how the drinks, wine and cocktails taste",
        ("drinks", "wine"),
    ),
    "DRINKS#PRICES": ("Drink prices", "the prices of the drinks", ("drink prices",)),
    "DRINKS#STYLE_OPTIONS": (
        "Drink options",
        "the choice of drinks, the wine list",
        ("wine list", "beer selection"),
    ),
    "AMBIENCE#GENERAL": ("Ambience", "the atmosphere, decor and noise", ("atmosphere", "decor")),
    "SERVICE#GENERAL": ("Service", "the staff and the service", ("service", "staff", "waiter")),
    "LOCATION#GENERAL": (
        "Location",
        "where the restaurant is, its view and area",
        ("location", "view"),
    ),
}
