"""The honest text benchmark: advocacy's text analytics on every real labelled set, leave one
domain out, against the baselines a user would try first (issue #17).

Run from the project root, with ``../shared/data`` beside it (or ``--data PATH``)::

    .venv/bin/python benchmarks/text_eval.py            # full run, Markdown on stdout
    .venv/bin/python benchmarks/text_eval.py --quick    # a seeded subsample, < 3 minutes

Loaders and labelling rules are in ``benchmarks/text_corpora.py``. What is reported:

* Sentiment, per set and language: n, class shares, accuracy and macro-F1 (scikit-learn) of
  (a) advocacy as a user gets it, the ``sentiment`` column of ``analyze_texts`` (null where it
  declines to read: non-answers, unsupported languages; "labelled %" says how many it read; a
  null counts as wrong), and the shipped model alone, ``advocacy.text.sentiment.sentiment`` on
  every text; (b) VADER (compound >= 0.05 positive, <= -0.05 negative); (c) the majority class
  of the evaluated rows themselves (optimistic: it knows the evaluated label shares).
  Two-class sets (Blitzer) score negative and positive only: a neutral answer is wrong there.
  Aspect sentences with both positive and negative opinions ("mixed") are dropped, and so are
  SemEval-2014 sentences nobody judged (no aspect term and no category: 378 of the 800 laptop
  test sentences, verdicts like "excellent in every way" among them, which the labelling rule
  would call neutral).
* Leave one domain out: :data:`TRAINED_ON` lists the domains the shipped model trained on
  (one place; change it with the model). A row counts as evidence ("unseen domain: yes") only
  when its domain is not in it; the summary averages only those rows. MARC is research-only:
  evaluation only, never training.
* Learning curve: k taught labels (k in :data:`TAUGHT`, where the pool has that many) drawn
  with seeds 0, 1, 2 (seed 0 only at k = 1,000; ``--quick``: seed 0, k <= 300, fewer sets)
  from a pool disjoint from the evaluated rows (the set's train split, or a seeded part of
  it): TF-IDF (word 1-2-grams + character 2-5-grams) + logistic regression with
  scikit-learn's defaults, against ``CalibratedSentiment().fit(texts, labels, taught=[True] *
  k)``; a ``UsageError`` is reported as "refused". Means over seeds.
* Language detection (``detect_language``) per language on MARC test (500 per language), the
  SemEval-2016 triplet sentences and the Olist reviews: % of texts given their language.
* Themes: micro-F1 of ``assign_themes`` on SemEval-2014 restaurant categories and SemEval-2015
  restaurant ENTITY#ATTRIBUTE categories, with taxonomies written here from the category names
  alone (``RESTAURANT_THEMES``, ``RESTAURANT_CATEGORY_THEMES`` in ``text_corpora.py``):
  keywords + meaning, meaning only (``keywords=``/``meaning=`` switches where the API has
  them; otherwise a threshold above any cosine, or a taxonomy without keywords).
* Emotions: the top emotion on TweetEval emotion test, and on single-label GoEmotions test
  comments through Ekman's groups (``ekman_mapping.json``), among the emotions the model has.
* Complaint: F1 of ``Reading.complaint >= COMPLAINT_CUTOFF`` (the product's cutoff) against
  Banking77 problem intents (when the reading has a complaint probability).
* Survey sentences the team writes for its tests (a check, never evidence): a ``tests/text``
  module's ``NEGATION`` list of (sentence, sentiment) pairs, and the ``PLACEHOLDERS`` (and
  look-alike ``COMMENTS``) of the module that defines them.
* Throughput: ``analyze_texts`` on Blitzer reviews cut to their first 60 words, documents per
  second, median of 3 runs after a warm-up, and VADER on the same texts in the same run; and
  ``discover_themes`` (25 themes) on 100,000 real English texts (10,000 with ``--quick``).

Big sets are subsampled with seed 0 (at most :data:`FULL_ROWS` rows per set, :data:`QUICK_ROWS`
with ``--quick``); the report says n for every row.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import text_corpora as corpora
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline, make_union

from advocacy.errors import UsageError

#: Domains the shipped text model was trained or tuned on (``text-corpora`` keys as in the
#: loaders' ``domain`` column; ``blitzer`` covers every ``blitzer/...``). The lead keeps this
#: in step with ``tools/build_heads.py``.
# The shipped heads' training sources (tools/build_heads.py): sentiment and
# emotion on TweetEval, GoEmotions, clothing reviews and the authored comments; the complaint head
# on BANKING77's train split too (so its test split is not an unseen domain).
TRAINED_ON = frozenset({"tweeteval", "goemotions", "clothing", "authored", "banking77"})
#: Domains whose licence allows evaluation only.
RESEARCH_ONLY = frozenset({"marc"})
SENTIMENTS = ("negative", "neutral", "positive")
TWO_CLASSES = ("negative", "positive")
TAUGHT = (25, 100, 300, 1000)
#: From this many taught labels on, one seed only (the costly fits; variance is small there).
LARGEST_SEEDED = 1000
#: Sets with a learning curve (name prefixes); ``--quick`` uses the first entries only.
LEARNING_SETS = (
    "Clothing",
    "Blitzer kitchen",
    "MARC en",
    "MARC de",
    "SemEval-2014 restaurants",
    "Blitzer",
    "Olist",
)
FULL_ROWS, QUICK_ROWS = 2000, 300
LANGUAGE_ROWS = 500
#: The top-level list of (sentence, sentiment) pairs a ``tests/text`` module may define for
#: negation and praise-by-denial ("could not fault them" -> positive).
NEGATION_LIST = "NEGATION"
THROUGHPUT_WORDS = 60


@dataclass(frozen=True)
class Plan:
    """How much of each set to use (``--quick`` shrinks everything)."""

    data: Path
    rows: int
    seeds: tuple[int, ...]
    language_rows: int
    throughput_docs: int
    learning_rows: int
    taught: tuple[int, ...]
    learning_sets: tuple[str, ...]
    discovery_texts: int


def unseen(domain: str) -> bool:
    """Whether ``domain`` is outside the shipped model's training domains."""
    return not any(domain == d or domain.startswith(d + "/") for d in TRAINED_ON)


def sample(frame: pd.DataFrame, rows: int, seed: int = 0) -> pd.DataFrame:
    """At most ``rows`` rows, a seeded random sample (all rows when there are fewer)."""
    if len(frame) <= rows:
        return frame.reset_index(drop=True)
    return frame.sample(n=rows, random_state=seed).reset_index(drop=True)


def scores(
    truth: Sequence[str], predicted: Sequence[Any], classes: Sequence[str]
) -> dict[str, float]:
    """Accuracy and macro-F1 over ``classes``; anything else predicted counts as wrong."""
    said = [p if p in classes else "<other>" for p in predicted]
    return {
        "accuracy": float(accuracy_score(truth, said)),
        "macro_f1": float(
            f1_score(truth, said, labels=list(classes), average="macro", zero_division=0)
        ),
    }


def advocacy_labels(texts: list[str]) -> list[Any]:
    """What a user gets: the ``sentiment`` column of ``analyze_texts`` (null for a text it does
    not read, e.g. a non-answer or a language the model does not support)."""
    from advocacy.text.enrich import analyze_texts

    return list(analyze_texts(texts)["sentiment"])


def model_labels(texts: list[str]) -> list[Any]:
    """The shipped model alone, every text read: ``sentiment(texts).labels``."""
    from advocacy.text.sentiment import sentiment

    return list(sentiment(texts).labels)


def vader_labels(texts: list[str]) -> list[str]:
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


# -- sentiment sets -----------------------------------------------------------------------------
@dataclass
class SentimentSet:
    name: str
    frame: pd.DataFrame
    classes: tuple[str, ...] = SENTIMENTS
    pool: pd.DataFrame | None = None  # labels a learning curve may teach (disjoint from frame)
    note: str = ""

    @property
    def domain(self) -> str:
        return str(self.frame["domain"].iloc[0])

    @property
    def lang(self) -> str:
        return str(self.frame["lang"].iloc[0])


def _usable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["label"] != "mixed"].reset_index(drop=True)


def _judged(frame: pd.DataFrame) -> pd.DataFrame:
    """SemEval-2014 sentences someone judged: with an aspect term or category (see
    ``text_corpora.semeval14``; 378 of the 800 laptop test sentences have neither)."""
    return _usable(frame[frame["annotated"]])


def _split(frame: pd.DataFrame, held: float, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pool, evaluated): a seeded split of one set into labels to teach and rows to score."""
    order = np.random.default_rng(seed).permutation(len(frame))
    cut = round(len(frame) * (1 - held))
    return (
        frame.iloc[order[:cut]].reset_index(drop=True),
        frame.iloc[order[cut:]].reset_index(drop=True),
    )


def sentiment_sets(plan: Plan) -> list[SentimentSet]:
    data, rows = plan.data, plan.rows
    sets = [
        SentimentSet(
            "TweetEval sentiment (test, odd lines)",
            sample(corpora.tweeteval_sentiment(data), rows),
            note="even test lines + val trained the shipped model",
        )
    ]
    pool, held = _split(corpora.clothing(data), held=0.48)
    sets.append(SentimentSet("Clothing reviews (rating 1-2/3/4-5)", held, pool=pool))
    reviews = corpora.blitzer(data)
    for domain, part in reviews.groupby("domain", sort=True):
        pool, held = _split(part, held=0.5)
        sets.append(
            SentimentSet(
                f"Blitzer {str(domain).split('/')[1]} (2-class)",
                sample(held, rows),
                TWO_CLASSES,
                pool=pool,
            )
        )
    for lang in corpora.MARC_LANGUAGES:
        sets.append(
            SentimentSet(
                f"MARC {lang} (test, stars 1-2/3/4-5)",
                sample(corpora.marc(data, lang=lang), rows),
                pool=corpora.marc(data, lang=lang, split="train"),
                note="research-only: evaluation only",
            )
        )
    for domain in ("restaurants", "laptops"):
        sets.append(
            SentimentSet(
                f"SemEval-2014 {domain} (test)",
                _judged(corpora.semeval14(data, domain=domain, split="test")),
                pool=_judged(corpora.semeval14(data, domain=domain, split="train")),
            )
        )
    for domain in ("restaurants", "laptops", "hotels"):
        sets.append(
            SentimentSet(
                f"SemEval-2015 {domain} (test)",
                _usable(corpora.semeval15(data, domain=domain, split="test")),
            )
        )
    sets.append(
        SentimentSet(
            "SemEval-2016 Dutch restaurants (train file)",
            sample(_usable(corpora.semeval16_dutch(data)), rows),
        )
    )
    for lang in corpora.TRIPLET_FILES:
        sets.append(
            SentimentSet(
                f"SemEval-2016 triplets {lang} (test, sentences)",
                _usable(corpora.semeval16_triplets(data, lang=lang, split="test")),
            )
        )
    pool, held = _split(corpora.olist(data), held=0.5)
    sets.append(SentimentSet("Olist reviews pt (score 1-2/3/4-5)", sample(held, rows), pool=pool))
    sets.append(
        SentimentSet(
            "GoEmotions (test, via sentiment_dict)",
            sample(_usable(corpora.goemotions(data)), rows),
        )
    )
    return sets


@dataclass
class Row:
    set: SentimentSet
    results: dict[str, dict[str, float]] = field(default_factory=dict)
    labelled: float = 1.0
    seconds: float = 0.0


def evaluate_sentiment(one: SentimentSet) -> Row:
    texts, truth = list(one.frame["text"]), list(one.frame["label"])
    start = time.perf_counter()
    ours = advocacy_labels(texts)
    row = Row(one, seconds=time.perf_counter() - start)
    row.labelled = float(np.mean([label in SENTIMENTS for label in ours]))
    row.results["advocacy"] = scores(truth, ours, one.classes)
    row.results["model alone"] = scores(truth, model_labels(texts), one.classes)
    row.results["VADER"] = scores(truth, vader_labels(texts), one.classes)
    majority = pd.Series(truth).value_counts().index[0]
    row.results["majority"] = scores(truth, [majority] * len(truth), one.classes)
    return row


def shares(frame: pd.DataFrame, classes: Sequence[str]) -> str:
    counts = frame["label"].value_counts(normalize=True)
    return " / ".join(f"{100 * counts.get(c, 0.0):.0f}" for c in classes)


def sentiment_report(rows: list[Row]) -> list[str]:
    out = [
        "| set | lang | unseen domain | n | shares % | labelled % | advocacy acc / F1 "
        "| model alone acc / F1 | VADER acc / F1 | majority acc / F1 |",
        "|---|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        one = row.set
        cells = [
            f"{row.results[m]['accuracy']:.3f} / {row.results[m]['macro_f1']:.3f}"
            for m in ("advocacy", "model alone", "VADER", "majority")
        ]
        classes = one.classes if one.classes == SENTIMENTS else ("negative", "positive")
        label = "/".join(c[:3] for c in classes)
        name = one.name + (f" ({one.note})" if one.note else "")
        out.append(
            f"| {name} | {one.lang} | {'yes' if unseen(one.domain) else 'no'} | "
            f"{len(one.frame):,} | {shares(one.frame, classes)} ({label}) | "
            f"{100 * row.labelled:.0f} | " + " | ".join(cells) + " |"
        )
    return out


def summary_report(rows: list[Row]) -> list[str]:
    """Means over the unseen rows only, English and other languages apart."""
    out = [
        "| unseen sets | sets | advocacy acc / F1 | VADER acc / F1 | majority acc / F1 "
        "| advocacy above both (acc and F1) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    groups = {
        "English": [r for r in rows if unseen(r.set.domain) and r.set.lang == "en"],
        "other languages": [r for r in rows if unseen(r.set.domain) and r.set.lang != "en"],
    }
    groups["all"] = groups["English"] + groups["other languages"]
    for name, group in groups.items():
        if not group:
            continue
        cells = []
        for model in ("advocacy", "VADER", "majority"):
            accuracy = np.mean([r.results[model]["accuracy"] for r in group])
            macro = np.mean([r.results[model]["macro_f1"] for r in group])
            cells.append(f"{accuracy:.3f} / {macro:.3f}")
        above = sum(
            all(
                r.results["advocacy"][metric] > r.results[other][metric]
                for other in ("VADER", "majority")
                for metric in ("accuracy", "macro_f1")
            )
            for r in group
        )
        out.append(
            f"| {name} | {len(group)} | " + " | ".join(cells) + f" | {above} of {len(group)} |"
        )
    return out


# -- learning curve -----------------------------------------------------------------------------
def tfidf_logistic() -> Any:
    """TF-IDF word 1-2-grams + character 2-5-grams, logistic regression (scikit-learn defaults)."""
    return make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=2000),
    )


def taught_predictions(
    texts: list[str], labels: list[str], held: list[str], held_reading: Any
) -> tuple[list[str], list[Any] | None]:
    """(TF-IDF + LR, advocacy taught) predictions for ``held`` after teaching ``texts``;
    advocacy's is None when it refuses (``UsageError``). ``held_reading`` is the text model's
    reading of ``held`` (read once per set, not once per k and seed)."""
    from advocacy.text.calibration import CalibratedSentiment

    if len(set(labels)) < 2:  # logistic regression needs two classes: predict the one seen
        baseline = [labels[0]] * len(held)
    else:
        baseline = list(tfidf_logistic().fit(texts, labels).predict(held))
    try:
        head = CalibratedSentiment().fit(texts, labels, taught=[True] * len(texts))
    except UsageError:
        return baseline, None
    return baseline, list(head.predict_reading(held_reading, texts=held).labels)


def learning_curve(sets: list[SentimentSet], plan: Plan) -> list[str]:
    from advocacy.text.calibration import CalibratedSentiment

    out = [
        "| set | unseen domain | evaluated | k taught | seeds | TF-IDF + LR acc / F1 "
        "| advocacy taught acc / F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for one in sets:
        if one.pool is None or not one.name.startswith(plan.learning_sets):
            continue
        held = sample(one.frame, plan.learning_rows)
        held_texts, truth = list(held["text"]), list(held["label"])
        held_reading = CalibratedSentiment().read(held_texts)
        pool = one.pool
        for k in (k for k in plan.taught if k <= len(pool)):
            base, ours = [], []
            seeds = plan.seeds if k < LARGEST_SEEDED else plan.seeds[:1]
            for seed in seeds:
                taught = pool.sample(n=k, random_state=seed)
                predicted, taught_labels = taught_predictions(
                    list(taught["text"]), list(taught["label"]), held_texts, held_reading
                )
                base.append(scores(truth, predicted, one.classes))
                if taught_labels is not None:
                    ours.append(scores(truth, taught_labels, one.classes))
            out.append(
                f"| {one.name} | {'yes' if unseen(one.domain) else 'no'} | {len(held):,} | "
                f"{k:,} | {len(seeds)} | {mean_scores(base)} | "
                + (
                    mean_scores(ours)
                    if len(ours) == len(base)
                    else "refused"
                    if not ours
                    else f"refused {len(base) - len(ours)} of {len(base)}"
                )
                + " |"
            )
        print(f"  learning curve: {one.name}", file=sys.stderr, flush=True)
    return out


def mean_scores(found: list[dict[str, float]]) -> str:
    return " / ".join(f"{np.mean([s[m] for s in found]):.3f}" for m in ("accuracy", "macro_f1"))


# -- language detection -------------------------------------------------------------------------
def language_report(plan: Plan) -> list[str]:
    from advocacy.text.language import detect_language

    out = [
        "| set | language | n | detected correctly % | no answer % |",
        "|---|---|---:|---:|---:|",
    ]
    frames = [
        ("MARC test", sample(corpora.marc(plan.data, lang=lang), plan.language_rows))
        for lang in corpora.MARC_LANGUAGES
    ]
    frames += [
        ("SemEval-2016 triplet sentences (test)", corpora.semeval16_triplets(plan.data, lang=lang))
        for lang in corpora.TRIPLET_FILES
    ]
    frames.append(("Olist reviews", sample(corpora.olist(plan.data), plan.language_rows)))
    for name, frame in frames:
        found = [detect_language(text) for text in frame["text"]]
        lang = str(frame["lang"].iloc[0])
        right = np.mean([f == lang for f in found])
        none = np.mean([f is None for f in found])
        out.append(f"| {name} | {lang} | {len(frame):,} | {100 * right:.1f} | {100 * none:.1f} |")
    return out


# -- themes -------------------------------------------------------------------------------------
def theme_f1(
    texts: list[str],
    truth: list[tuple[str, ...]],
    themes: dict[str, tuple[str, str, tuple[str, ...]]],
) -> dict[str, float | str]:
    """Micro-F1 of assign_themes in the three modes the public API allows."""
    from advocacy.text.embeddings import default_embedder
    from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes

    keys = list(themes)
    expected = np.array([[key in found for key in keys] for found in truth])
    embedder = default_embedder()
    embeddings = embedder.embed(texts)

    def taxonomy(with_keywords: bool) -> Any:
        return Taxonomy(
            tuple(
                TaxonomyTheme(name, description, keywords if with_keywords else ())
                for name, description, keywords in themes.values()
            )
        )

    def run(mode: str) -> Any:
        # assign_themes(keywords=..., meaning=...) where the API has them; before it did,
        # a threshold above any cosine meant keywords only, a taxonomy without keywords
        # meaning only.
        switches = {
            "keywords only": {"meaning": False},
            "keywords + meaning": {},
            "meaning only": {"keywords": False},
        }[mode]
        try:
            return assign_themes(
                texts, taxonomy(True), embedder=embedder, embeddings=embeddings, **switches
            )
        except TypeError:
            if mode == "keywords only":
                return assign_themes(
                    texts, taxonomy(True), embedder=embedder, embeddings=embeddings, threshold=2.0
                )
            return assign_themes(
                texts, taxonomy(mode != "meaning only"), embedder=embedder, embeddings=embeddings
            )

    out: dict[str, float | str] = {}
    for mode in ("keywords only", "keywords + meaning", "meaning only"):
        try:
            found = np.asarray(run(mode)) > 0
        except UsageError as error:  # the API may refuse a mode
            out[mode] = f"refused ({error})"
            continue
        out[mode] = float(f1_score(expected, found, average="micro", zero_division=0))
    return out


def themes_report(plan: Plan) -> list[str]:
    out = [
        "| set | themes | sentences | keywords only | keywords + meaning | meaning only |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    restaurants = corpora.semeval14(plan.data, domain="restaurants", split="test")
    categories = corpora.semeval15(plan.data, domain="restaurants", split="test")
    for name, frame, themes in (
        ("SemEval-2014 restaurants (test), categories", restaurants, corpora.RESTAURANT_THEMES),
        (
            "SemEval-2015 restaurants (test), ENTITY#ATTRIBUTE",
            categories,
            corpora.RESTAURANT_CATEGORY_THEMES,
        ),
    ):
        result = theme_f1(list(frame["text"]), list(frame["categories"]), themes)
        cells = [v if isinstance(v, str) else f"{v:.3f}" for v in result.values()]
        out.append(f"| {name} | {len(themes)} | {len(frame):,} | " + " | ".join(cells) + " |")
    return out


# -- emotions and complaints --------------------------------------------------------------------
def top_emotions(texts: list[str], allowed: Sequence[str]) -> list[str]:
    """The highest-scoring of the model's emotions among ``allowed``."""
    from advocacy.text.emotion import EMOTIONS
    from advocacy.text.text_model import text_model

    columns = [i for i, name in enumerate(EMOTIONS) if name in allowed]
    found = text_model("static").read(texts).emotions[:, columns]
    return [EMOTIONS[columns[i]] for i in found.argmax(axis=1)]


def emotion_report(plan: Plan) -> list[str]:
    import json

    from advocacy.text.emotion import EMOTIONS

    out = [
        "| set | unseen domain | classes | n | accuracy | macro-F1 |",
        "|---|---|---|---:|---:|---:|",
    ]
    tweets = corpora.tweeteval_emotion(plan.data)
    classes = [c for c in ("anger", "joy", "optimism", "sadness") if c in EMOTIONS]
    tweets = sample(tweets[tweets["label"].isin(classes)], plan.rows)
    if classes:
        said = top_emotions(list(tweets["text"]), classes)
        s = scores(list(tweets["label"]), said, classes)
        out.append(
            f"| TweetEval emotion (test) | {'yes' if unseen('tweeteval') else 'no'} | "
            f"{', '.join(classes)} | {len(tweets):,} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} |"
        )
    ekman = json.loads(
        (plan.data / corpora.CORPORA / "goemotions" / "ekman_mapping.json").read_text()
    )
    group_of = {e: g for g, members in ekman.items() for e in (g, *members)}
    # Ekman groups the model can name, and which of its emotions stand for each group.
    covered = sorted({group_of[e] for e in EMOTIONS if e in group_of})
    comments = corpora.goemotions(plan.data)
    comments = comments[comments["emotions"].map(len) == 1]
    truth = comments["emotions"].map(lambda e: group_of.get(e[0], ""))
    comments = sample(comments[truth.isin(covered)].assign(group=truth), plan.rows)
    if covered and len(comments):
        said = top_emotions(list(comments["text"]), [e for e in EMOTIONS if e in group_of])
        groups = [group_of[e] for e in said]
        s = scores(list(comments["group"]), groups, covered)
        out.append(
            f"| GoEmotions (test, one label, Ekman groups) | "
            f"{'yes' if unseen('goemotions') else 'no'} | {', '.join(covered)} | "
            f"{len(comments):,} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} |"
        )
    return out


def complaint_report(plan: Plan) -> list[str]:
    from advocacy.text.sentiment import COMPLAINT_CUTOFF
    from advocacy.text.text_model import text_model

    queries = sample(corpora.banking77(plan.data), plan.rows)
    reading = text_model("static").read(list(queries["text"]))
    probability = getattr(reading, "complaint", None)
    if probability is None:
        return ["Skipped: the text model's `Reading` has no `complaint` probability yet."]
    said = np.where(np.asarray(probability) >= COMPLAINT_CUTOFF, "complaint", "other")
    f1 = f1_score(list(queries["label"]), list(said), pos_label="complaint", average="binary")
    share = float(np.mean(queries["label"] == "complaint"))
    return [
        f"Banking77 test ({len(queries):,} queries, {100 * share:.0f}% problem intents; "
        f"unseen domain: {'yes' if unseen('banking77') else 'no'}): complaint F1 "
        f"**{f1:.3f}** (complaint probability >= {COMPLAINT_CUTOFF:g}, the product's cutoff)."
    ]


def team_module(name: str) -> tuple[str, ModuleType] | None:
    """The first ``tests/text`` module defining ``name`` at top level (the sentences the team
    writes for its tests live there), and where it is."""
    folder = Path(__file__).resolve().parents[1] / "tests" / "text"
    for path in sorted(folder.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if not re.search(rf"^{name}\b.*=", source, re.M):
            continue
        spec = importlib.util.spec_from_file_location(f"team_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return f"tests/text/{path.name}", module
    return None


def survey_sentences_report() -> list[str]:
    """Negation and non-answers on the team's own sentences (a check, never evidence)."""
    from advocacy.text.enrich import analyze_texts

    out = []
    negation = team_module(NEGATION_LIST)
    if negation is None:
        out.append(f"- Negation: skipped, no `tests/text` module defines `{NEGATION_LIST}` yet.")
    else:
        where, pairs = negation[0], list(getattr(negation[1], NEGATION_LIST))
        texts, truth = [str(t) for t, _ in pairs], [str(y) for _, y in pairs]
        ours, alone = advocacy_labels(texts), model_labels(texts)
        out.append(
            f"- Negation and praise-by-denial (`{where}`, {len(texts)} sentences): accuracy "
            f"advocacy {accuracy_score(truth, ours):.3f}, model alone "
            f"{accuracy_score(truth, alone):.3f}, VADER "
            f"{accuracy_score(truth, vader_labels(texts)):.3f}."
        )
    placeholders = team_module("PLACEHOLDERS")
    if placeholders is None:
        out.append("- Non-answers: skipped, no `tests/text` module defines `PLACEHOLDERS` yet.")
    else:
        where, module = placeholders
        answers = list(module.PLACEHOLDERS)
        found = analyze_texts([str(a) for a in answers])
        unread = float(found["sentiment"].isna().mean())
        out.append(
            f"- Non-answers (`{where}` PLACEHOLDERS, {len(answers)}): {100 * unread:.0f}% get no "
            "sentiment (goal 100%)."
        )
        lookalikes = list(getattr(module, "COMMENTS", []))
        if lookalikes:
            frame = analyze_texts([str(c) for c in lookalikes])
            content = float((frame["sentiment_reason"] != "no content").mean())
            read = float(frame["sentiment"].notna().mean())
            out.append(
                f"- Comments that start like non-answers (same file, COMMENTS, {len(lookalikes)}):"
                f" {100 * content:.0f}% are not taken for a non-answer (goal 100%); "
                f"{100 * read:.0f}% get a sentiment (the rest: language not supported)."
            )
    return out


# -- throughput ---------------------------------------------------------------------------------
def throughput_report(plan: Plan) -> list[str]:
    from advocacy.text.enrich import analyze_texts

    reviews = corpora.blitzer(plan.data)
    long_enough = reviews[reviews["text"].map(lambda t: len(t.split()) >= THROUGHPUT_WORDS)]
    texts = [
        " ".join(text.split()[:THROUGHPUT_WORDS])
        for text in sample(long_enough, plan.throughput_docs)["text"]
    ]

    def median_rate(run: Callable[[list[str]], Any]) -> float:
        run(texts[:100])  # warm-up: loads models
        rates = []
        for _ in range(3):
            start = time.perf_counter()
            run(texts)
            rates.append(len(texts) / (time.perf_counter() - start))
        return statistics.median(rates)

    ours = median_rate(analyze_texts)
    vader = median_rate(vader_labels)
    big, seconds, largest = discovery_seconds(plan)
    return [
        f"`analyze_texts` (everything a document gets) on {len(texts):,} Blitzer reviews cut to "
        f"their first {THROUGHPUT_WORDS} words: **{ours:,.0f} documents/s**; VADER on the same "
        f"texts {vader:,.0f} documents/s (advocacy / VADER = {ours / vader:.2f}); median of 3 "
        "runs after a warm-up.",
        "",
        f"Theme discovery (25 themes, embedding included) on {big:,} real English texts "
        f"(GoEmotions, TweetEval, Blitzer, MARC en, repeated to size): **{seconds:.1f} s** "
        f"(largest theme {largest}).",
    ]


def discovery_seconds(plan: Plan) -> tuple[int, float, str]:
    """(texts, seconds, largest theme) of ``discover_themes`` on real English texts."""
    from advocacy.text.embeddings import default_embedder
    from advocacy.text.themes import discover_themes

    pool = [
        *(
            t
            for split in ("train", "dev", "test")
            for t in corpora.goemotions(plan.data, split=split)["text"]
        ),
        *corpora.tweeteval_sentiment(plan.data, unseen_only=False)["text"],
        *corpora.blitzer(plan.data)["text"],
        *corpora.marc(plan.data, lang="en")["text"],
    ]
    texts = (pool * (plan.discovery_texts // len(pool) + 1))[: plan.discovery_texts]
    start = time.perf_counter()
    found = discover_themes(texts, default_embedder().embed(texts), n_themes=25)
    seconds = time.perf_counter() - start
    return len(texts), seconds, f"{found[0].label!r}, {found[0].size:,} texts" if found else "none"


# -- main ---------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA, help="../shared/data")
    parser.add_argument("--quick", action="store_true", help="a seeded subsample, < 3 minutes")
    parser.add_argument(
        "--sentiment-only",
        action="store_true",
        help="only the sentiment rows, emotions, complaint and survey sentences (a changed "
        "embedding's check: no learning curve, languages, themes or throughput)",
    )
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    plan = Plan(
        data=arguments.data,
        rows=QUICK_ROWS if quick else FULL_ROWS,
        seeds=(0,) if quick else (0, 1, 2),
        language_rows=100 if quick else LANGUAGE_ROWS,
        throughput_docs=500 if quick else 2000,
        learning_rows=200 if quick else 500,
        taught=TAUGHT[:3] if quick else TAUGHT,
        learning_sets=LEARNING_SETS[:5] if quick else LEARNING_SETS,
        discovery_texts=10_000 if quick else 100_000,
    )
    started = time.perf_counter()

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {name}", file=sys.stderr, flush=True)

    sets = sentiment_sets(plan)
    rows = []
    for one in sets:
        rows.append(evaluate_sentiment(one))
        step(f"sentiment: {one.name}")
    sections: list[tuple[str, list[str]]] = [
        ("Summary: unseen domains only (means over sets)", summary_report(rows)),
        ("Sentiment, out of the box", sentiment_report(rows)),
    ]
    if not arguments.sentiment_only:
        sections.append(("Learning curve: the same k taught labels", learning_curve(sets, plan)))
        step("learning curve")
        sections.append(("Language detection", language_report(plan)))
        step("languages")
        sections.append(
            ("Themes: micro-F1, taxonomies written from category names", themes_report(plan))
        )
        step("themes")
    sections.append(("Emotions (top emotion)", emotion_report(plan)))
    sections.append(("Complaint", complaint_report(plan)))
    sections.append(("Negation and non-answers", survey_sentences_report()))
    step("emotions, complaint, survey sentences")
    if not arguments.sentiment_only:
        sections.append(("Throughput", throughput_report(plan)))
        step("throughput")

    seconds = time.perf_counter() - started
    print(
        f"Text benchmark ({'quick' if quick else 'full'} run: {seconds:.0f} s wall clock, "
        f"{time.process_time():.0f} s CPU). "
        f"Trained on (not evidence): {', '.join(sorted(TRAINED_ON))}. "
        f"Evaluation only (licence): {', '.join(sorted(RESEARCH_ONLY))}."
    )
    for title, lines in sections:
        print(f"\n### {title}\n")
        print("\n".join(lines))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
