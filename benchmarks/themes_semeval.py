"""Theme assignment on real review sentences: SemEval aspect categories as a curated taxonomy.

Run from the project root (needs ../shared/data)::

    .venv/bin/python benchmarks/themes_semeval.py [--data ../shared/data] [--train]
    .venv/bin/python benchmarks/themes_semeval.py --speed   # documents/s of assignment
    .venv/bin/python benchmarks/themes_semeval.py --errors  # where train errors fall
    .venv/bin/python benchmarks/themes_semeval.py --meaning-precision  # meaning's pairs, train

Each taxonomy in ``benchmarks/data/themes/`` was written from the SemEval category names and a
one-line description each, before any test sentence was read. A sentence's gold themes are its
annotated categories (SemEval-2014 restaurants: food, service, price, ambience, with
anecdotes/miscellaneous meaning no theme; SemEval-2015 restaurants: the 12 ENTITY#ATTRIBUTE
categories; SemEval-2015 laptops and hotels: the entity before ``#``; ``hotels-2015-categories``:
the hotels' ENTITY#ATTRIBUTE categories, 34 themes from the task's 7 entities and 8 attributes,
written from the names in the restaurant file's style before any hotel sentence was read;
``laptops-2015-categories``: the 38 laptop ENTITY#ATTRIBUTE categories the train file uses 8
times or more, written the same way, a development set of many compound themes that has a
train file, unlike the hotels; a sentence's categories outside the 38 count as missed).
The score is micro-F1 over (sentence, theme) pairs (with keywords + meaning, its precision and
recall too). Each taxonomy is scored as written and in
two sparser forms a user is as likely to write (``--keywords``): its first three keywords per
theme (``few``) and none at all, names and descriptions only (``none``).

Development and held out: every setting of the assignment (the meaning threshold and margin,
the self-training confidence :data:`advocacy.text.taxonomy.SELF_TRAINED_EVEN_SPLITS`, the seed
sample size, the bar at which a word of the texts marks a theme written without keywords,
:data:`advocacy.text.taxonomy.TERM_SIMILARITY`, :data:`~advocacy.text.taxonomy.TERM_MARGIN`
and :data:`~advocacy.text.taxonomy.TERM_MIN_SENTENCES`)
was chosen on the train files (SemEval-2014 restaurants, SemEval-2015 restaurants and laptops,
entities and, since 2026-12-05, categories); the test files below are held out and only ever
scored. ``--calibrate`` re-runs
the threshold and margin search on the train files (of the settings within :data:`TIE` of the
best mean train micro-F1 of keywords + meaning, the one that assigns least by meaning). Hotels
has no train file: it is an unseen domain, scored with the settings chosen elsewhere.
"""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from advocacy.text.embeddings import default_embedder
from advocacy.text.taxonomy import (
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    Taxonomy,
    TaxonomyTheme,
    assign_themes,
    load_taxonomy,
)
from advocacy.text.theme_assignment import BROAD_FALLBACK

TAXONOMIES = Path(__file__).parent / "data" / "themes"
FILES = {
    ("restaurants-2014", "train"): "semeval14-absa/Restaurants_Train_v2.xml",
    ("restaurants-2014", "test"): "semeval14-absa/Restaurants_Test_Gold.xml",
    ("restaurants-2015", "train"): "semeval15-16-absa/ABSA-15_Restaurants_Train_Final.xml",
    ("restaurants-2015", "test"): "semeval15-16-absa/ABSA15_Restaurants_Test.xml",
    ("laptops-2015", "train"): "semeval15-16-absa/ABSA-15_Laptops_Train_Data.xml",
    ("laptops-2015", "test"): "semeval15-16-absa/ABSA15_Laptops_Test.xml",
    ("laptops-2015-categories", "train"): "semeval15-16-absa/ABSA-15_Laptops_Train_Data.xml",
    ("laptops-2015-categories", "test"): "semeval15-16-absa/ABSA15_Laptops_Test.xml",
    ("hotels-2015", "test"): "semeval15-16-absa/ABSA15_Hotels_Test.xml",
    ("hotels-2015-categories", "test"): "semeval15-16-absa/ABSA15_Hotels_Test.xml",
}
TAXONOMY = {
    "restaurants-2014": "semeval14_restaurants.yaml",
    "restaurants-2015": "semeval15_restaurants.yaml",
    "laptops-2015": "semeval15_laptops_entities.yaml",
    "laptops-2015-categories": "semeval15_laptops.yaml",
    "hotels-2015": "semeval15_hotels_entities.yaml",
    "hotels-2015-categories": "semeval15_hotels.yaml",
}
#: Sets scored at entity level (the part of the category before ``#``).
ENTITY_LEVEL = frozenset({"laptops-2015", "hotels-2015"})
#: How many of each theme's keywords a form of the taxonomy keeps (None: all of them).
KEYWORDS = {"all": None, "few": 3, "none": 0}
#: Mean train micro-F1 differences smaller than this do not count when calibrating.
TIE = 0.002


def read_sentences(path: Path, *, entity_only: bool = False) -> list[tuple[str, set[str]]]:
    """(sentence, gold categories) from a SemEval-2014 or -2015/16 XML file."""
    rows = []
    for sentence in ET.parse(path).getroot().iter("sentence"):
        categories = {c.get("category", "") for c in sentence.iter("aspectCategory")}
        categories = {c.capitalize() for c in categories - {"anecdotes/miscellaneous"}}
        categories |= {o.get("category", "") for o in sentence.iter("Opinion")}
        if entity_only:
            categories = {c.split("#")[0] for c in categories}
        rows.append((sentence.findtext("text") or "", categories))
    return rows


def micro_scores(predicted: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    """Micro-averaged (F1, precision, recall) over (sentence, theme) pairs."""
    hits = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
    precision = hits / max(sum(map(len, predicted)), 1)
    recall = hits / max(sum(map(len, gold)), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def micro_f1(predicted: list[set[str]], gold: list[set[str]]) -> float:
    """Micro-averaged F1 over (sentence, theme) pairs."""
    return micro_scores(predicted, gold)[0]


def score(
    data: Path,
    name: str,
    split: str,
    *,
    threshold: float,
    margin: float = DEFAULT_MARGIN,
    vague_margin: float | None = None,
    keywords: bool = True,
    meaning: bool = True,
    form: str = "all",
) -> float:
    """Micro-F1 of one assignment mode on one set, with the taxonomy in one form (KEYWORDS)."""
    return scores(
        data,
        name,
        split,
        threshold=threshold,
        margin=margin,
        vague_margin=vague_margin,
        keywords=keywords,
        meaning=meaning,
        form=form,
    )[0]


def scores(
    data: Path,
    name: str,
    split: str,
    *,
    threshold: float,
    margin: float = DEFAULT_MARGIN,
    vague_margin: float | None = None,
    keywords: bool = True,
    meaning: bool = True,
    form: str = "all",
) -> tuple[float, float, float]:
    """Micro (F1, precision, recall) of one assignment mode on one set, taxonomy in one form.

    ``vague_margin`` None keeps assign_themes' own (the script also runs on sources older than
    the argument, to compare before and after).
    """
    return micro_scores(
        *predictions(
            data,
            name,
            split,
            threshold=threshold,
            margin=margin,
            vague_margin=vague_margin,
            keywords=keywords,
            meaning=meaning,
            form=form,
        )
    )


def written_taxonomy(name: str, form: str) -> Taxonomy:
    """Set ``name``'s taxonomy as written, each theme keeping the keywords of ``form``
    (:data:`KEYWORDS`: all, the first three, or none)."""
    written = load_taxonomy(TAXONOMIES / TAXONOMY[name])
    kept = KEYWORDS[form]
    return Taxonomy(
        tuple(
            TaxonomyTheme(
                t.name, t.description, t.keywords[:kept] if kept is not None else t.keywords
            )
            for t in written.themes
        )
    )


def predictions(
    data: Path,
    name: str,
    split: str,
    *,
    threshold: float,
    margin: float = DEFAULT_MARGIN,
    vague_margin: float | None = None,
    keywords: bool = True,
    meaning: bool = True,
    form: str = "all",
) -> tuple[list[set[str]], list[set[str]]]:
    """(predicted, gold) themes per sentence of one set, as :func:`scores` scores them."""
    rows = read_sentences(data / FILES[(name, split)], entity_only=name in ENTITY_LEVEL)
    taxonomy = written_taxonomy(name, form)
    texts = [text for text, _ in rows]
    extra: dict[str, Any] = {} if vague_margin is None else {"vague_margin": vague_margin}
    assigned = assign_themes(
        texts,
        taxonomy,
        embedder=default_embedder(),
        threshold=threshold,
        margin=margin,
        **extra,
        keywords=keywords,
        meaning=meaning,
    )
    predicted = [{taxonomy.names[j] for j in np.flatnonzero(row > 0)} for row in assigned]
    return predicted, [gold for _, gold in rows]


#: Score bands of meaning's themes (:func:`meaning_precision`): is a higher score surer?
BANDS = (0.0, 0.5, 0.7, 0.9, 1.0)


def meaning_precision(data: Path) -> None:
    """Per train set and form: micro-F1, and how many (sentence, theme) pairs meaning alone
    gave (a score between the broad theme's fallback and a keyword's 1.0) and how many of them
    are gold, overall and by score band. Train files only."""
    print(
        "| set (train) | keywords | micro-F1 | by meaning | precision | "
        + " | ".join(f"{low}-{high}" for low, high in pairwise(BANDS))
        + " |"
    )
    print("|---|---|---:|---:|---:|" + "---:|" * (len(BANDS) - 1))
    for name, split in FILES:
        if split != "train":
            continue
        rows = read_sentences(data / FILES[(name, split)], entity_only=name in ENTITY_LEVEL)
        for form in KEYWORDS:
            taxonomy = written_taxonomy(name, form)
            gold = [themes for _, themes in rows]
            assigned = assign_themes(
                [text for text, _ in rows], taxonomy, embedder=default_embedder()
            )
            predicted = [{taxonomy.names[j] for j in np.flatnonzero(row > 0)} for row in assigned]
            f1 = micro_f1(predicted, gold)
            meant = np.argwhere((assigned > BROAD_FALLBACK) & (assigned < 1.0))
            right = np.array([taxonomy.names[j] in gold[i] for i, j in meant], bool)
            values = assigned[meant[:, 0], meant[:, 1]] if len(meant) else np.zeros(0)
            bands = []
            for low, high in pairwise(BANDS):
                inside = (values >= low) & (values < high)
                bands.append(
                    f"{right[inside].mean():.2f} ({inside.sum()})" if inside.any() else "-"
                )
            share = f"{right.mean():.3f}" if len(right) else "-"
            print(
                f"| {name} | {form} | {f1:.4f} | {len(meant)} | {share} | "
                + " | ".join(bands)
                + " |"
            )


def entity(theme: str) -> str:
    """The entity of an ENTITY#ATTRIBUTE theme (a theme without ``#`` is its own entity)."""
    return theme.split("#")[0]


def error_shares(predicted: list[set[str]], gold: list[set[str]]) -> dict[str, float]:
    """Where a compound taxonomy's errors fall, and what mending each kind alone would give.

    A wrong theme is *same entity* when the sentence has a missed gold theme of its entity
    (``DISPLAY#GENERAL`` given, ``DISPLAY#QUALITY`` meant: the attribute was chosen wrong), *no
    category* when the sentence has no gold theme at all, else *other*. ``attribute_oracle``
    is the micro-F1 were every same-entity wrong theme its entity's missed one (one for one);
    ``no_category_oracle`` the micro-F1 were sentences without a gold theme given none;
    ``entity_f1`` the micro-F1 of the same themes read at entity level.
    """
    counts = {"given": 0, "gold": 0, "right": 0, "same_entity": 0, "no_category": 0, "other": 0}
    kept = 0  # themes given on sentences that have a gold theme
    for given, meant in zip(predicted, gold, strict=True):
        counts["given"] += len(given)
        counts["gold"] += len(meant)
        counts["right"] += len(given & meant)
        wrong, missed = sorted(given - meant), sorted(meant - given)
        if not meant:
            counts["no_category"] += len(wrong)
            continue
        kept += len(given)
        for theme in wrong:
            match = next((m for m in missed if entity(m) == entity(theme)), None)
            if match is None:
                counts["other"] += 1
            else:
                missed.remove(match)
                counts["same_entity"] += 1

    def f1(right: int, given: int, meant: int) -> float:
        return 2 * right / (given + meant) if given + meant else 0.0

    entities = micro_scores(
        [{entity(t) for t in p} for p in predicted], [{entity(t) for t in g} for g in gold]
    )[0]
    return {
        **{key: float(value) for key, value in counts.items()},
        "f1": f1(counts["right"], counts["given"], counts["gold"]),
        "attribute_oracle": f1(
            counts["right"] + counts["same_entity"], counts["given"], counts["gold"]
        ),
        "no_category_oracle": f1(counts["right"], kept, counts["gold"]),
        "entity_f1": entities,
    }


def errors(data: Path) -> None:
    """Print :func:`error_shares` of keywords + meaning on each compound taxonomy's train file.

    Read on the train files only (the test files are held out): why many-theme taxonomies
    lose (docs/benchmarks.md, "themef1").
    """
    print(
        "| set (train) | keywords | themes | micro-F1 | wrong: same entity / no category / "
        "other | attribute oracle | no-category oracle | entity level |"
    )
    print("|---|---|---:|---:|---|---:|---:|---:|")
    for (name, split), _ in FILES.items():
        if split != "train" or name in ENTITY_LEVEL or name == "restaurants-2014":
            continue
        themes = len(load_taxonomy(TAXONOMIES / TAXONOMY[name]).themes)
        for form in KEYWORDS:
            shares = error_shares(
                *predictions(data, name, split, threshold=DEFAULT_THRESHOLD, form=form)
            )
            print(
                f"| {name} | {form} | {themes} | {shares['f1']:.3f} | "
                f"{shares['same_entity']:.0f} / {shares['no_category']:.0f} / "
                f"{shares['other']:.0f} | {shares['attribute_oracle']:.3f} | "
                f"{shares['no_category_oracle']:.3f} | {shares['entity_f1']:.3f} |"
            )


def calibrate(data: Path) -> tuple[float, float]:
    """(threshold, margin) for keywords + meaning, chosen on the train files only.

    Mean train micro-F1 is nearly flat over a wide range, so of the settings within
    :data:`TIE` of the best, the one that assigns least by meaning wins (highest threshold, then
    highest margin): users forgive a missed theme more readily than a wrong one.
    """
    trained = [name for name, split in FILES if split == "train"]
    results = {}
    for margin in (0.0, 0.025, 0.05, 0.075, 0.1):
        for threshold in np.round(np.arange(0.2, 0.51, 0.05), 3):
            results[(float(threshold), margin)] = value = float(
                np.mean(
                    [score(data, n, "train", threshold=threshold, margin=margin) for n in trained]
                )
            )
            print(
                f"  threshold {threshold:.3f}, margin {margin:.3f}: mean train micro-F1 {value:.4f}"
            )
    best = max(results.values())
    return max(setting for setting, value in results.items() if value >= best - TIE)


def vague_margins(data: Path) -> None:
    """Print the train micro-F1 of keywords + meaning for each vague-entity margin.

    :data:`advocacy.text.theme_assignment.VAGUE_MARGIN` was chosen on these numbers (12 per
    margin: the four train sets, the taxonomy in its three forms, in that order): the best mean
    that lowers none of them against a margin of 10, which never moves off an entity's first
    listed theme (the assignment before vague entities).
    """
    trained = [name for name, split in FILES if split == "train"]
    for vague_margin in (0.0, 0.025, 0.05, 0.075, 0.1, 0.15, 10.0):
        values = [
            score(
                data,
                name,
                "train",
                threshold=DEFAULT_THRESHOLD,
                vague_margin=vague_margin,
                form=form,
            )
            for form in KEYWORDS
            for name in trained
        ]
        shown = " ".join(f"{value:.4f}" for value in values)
        print(f"  vague margin {vague_margin}: {shown}; mean {np.mean(values):.4f}")


def name_words(data: Path) -> None:
    """Print, per train set and taxonomy form, each theme's seed words from its name alone.

    A word of a theme's name that no keyword lists is a seed keyword (:func:`advocacy.text.
    theme_keywords.seed_keywords`) unless it is generic in the texts' language (:func:`advocacy.
    text.theme_keywords.generic_name_words`); the share of the set's sentences that say it
    shows how much such a word decides (``use`` said 7.3% of 8,591 sentences of 3,000 Amazon
    reviews; ``food`` 14.6% of the 2014 restaurant sentences, where it is what Food means).
    """
    from advocacy.text.theme_keywords import generic_name_words, seed_hits, seed_keywords
    from advocacy.text.theme_sentences import cut_sentences

    for (name, split), path in FILES.items():
        if split != "train":
            continue
        pieces = cut_sentences(
            [text for text, _ in read_sentences(data / path, entity_only=name in ENTITY_LEVEL)]
        ).pieces
        for form in KEYWORDS:
            taxonomy = written_taxonomy(name, form)
            named = [
                (column, word)
                for column, seeds in enumerate(seed_keywords(taxonomy, described=False))
                for word in seeds
                if word not in taxonomy.themes[column].keywords
            ]
            generic = generic_name_words(taxonomy, "en")
            alone = Taxonomy(
                tuple(TaxonomyTheme(f"t{i}", keywords=(w,)) for i, (_, w) in enumerate(named))
            )
            shares = (
                seed_hits(pieces, alone, languages=["en"] * len(pieces)).mean(axis=0)
                if named
                else []
            )
            shown = ", ".join(
                f"{taxonomy.names[c]}: {w} {share:.3f}" + (" (generic)" if w in generic[c] else "")
                for (c, w), share in sorted(zip(named, shares, strict=True), key=lambda x: -x[1])
            )
            print(f"{name} ({split}, {form}), {len(pieces)} sentences: {shown or 'none'}")


def assignment_speed(data: Path, *, documents: int = 2_000, runs: int = 7) -> dict[str, float]:
    """Documents per CPU second of ``assign_themes`` (embeddings given), best of ``runs``.

    The texts are ``documents`` Blitzer reviews (seed 0) cut to their first 60 words; one
    figure per taxonomy of 12, 22 and 38 themes (the 38 laptop categories have entities named
    alone whose theme is chosen by meaning, :func:`advocacy.text.taxonomy.assign_themes`).
    """
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).parent))
    import text_corpora

    frame = text_corpora.blitzer(data).sample(documents, random_state=0)
    texts = [" ".join(str(text).split()[:60]) for text in frame["text"]]
    embedder = default_embedder()
    embeddings = embedder.embed(texts)
    out = {}
    for name in ("restaurants-2015", "laptops-2015", "laptops-2015-categories"):
        taxonomy = load_taxonomy(TAXONOMIES / TAXONOMY[name])
        assign_themes(texts[:100], taxonomy, embedder=embedder)  # warm-up
        seconds = []
        for _ in range(runs):
            start = time.process_time()
            assign_themes(texts, taxonomy, embedder=embedder, embeddings=embeddings)
            seconds.append(time.process_time() - start)
        out[name] = len(texts) / min(seconds)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--calibrate", action="store_true", help="tune the threshold on train")
    parser.add_argument("--keywords", choices=list(KEYWORDS), nargs="*", default=list(KEYWORDS))
    parser.add_argument("--train", action="store_true", help="score the train files too")
    parser.add_argument(
        "--train-only", action="store_true", help="score the train files alone (to choose settings)"
    )
    parser.add_argument("--speed", action="store_true", help="measure assignment speed only")
    parser.add_argument(
        "--vague-margins", action="store_true", help="train micro-F1 of each vague-entity margin"
    )
    parser.add_argument(
        "--name-words", action="store_true", help="each theme's seed words from its name alone"
    )
    parser.add_argument(
        "--errors",
        action="store_true",
        help="where the compound taxonomies' train errors fall, and each kind's oracle",
    )
    parser.add_argument(
        "--meaning-precision",
        action="store_true",
        help="train files: pairs meaning alone gave, their precision, by score band",
    )
    arguments = parser.parse_args()
    if arguments.meaning_precision:
        meaning_precision(arguments.data / "text-corpora")
        return
    if arguments.errors:
        errors(arguments.data / "text-corpora")
        return
    if arguments.name_words:
        name_words(arguments.data / "text-corpora")
        return
    if arguments.vague_margins:
        vague_margins(arguments.data / "text-corpora")
        return
    if arguments.speed:
        for name, rate in assignment_speed(arguments.data).items():
            print(f"assign_themes, {TAXONOMY[name]}: {rate:,.0f} documents per CPU second")
        return
    corpora = arguments.data / "text-corpora"
    threshold, margin = (
        calibrate(corpora) if arguments.calibrate else (DEFAULT_THRESHOLD, DEFAULT_MARGIN)
    )
    splits = (
        ("train",) if arguments.train_only else ("train", "test") if arguments.train else ("test",)
    )
    for form in arguments.keywords:
        print(
            f"\nTheme micro-F1, taxonomy keywords: {form} (threshold {threshold}, "
            f"margin {margin}):\n"
        )
        print("| set | keywords only | meaning only | keywords + meaning | precision | recall |")
        print("|---|---|---|---|---|---|")
        for name, split in FILES:
            if split not in splits:
                continue
            modes = [(True, False), (False, True), (True, True)]
            values = [
                scores(
                    corpora,
                    name,
                    split,
                    threshold=threshold,
                    margin=margin,
                    keywords=k,
                    meaning=m,
                    form=form,
                )
                for k, m in modes
            ]
            shown = [f"{f1:.3f}" for f1, _, _ in values] + [f"{v:.3f}" for v in values[-1][1:]]
            print(f"| {name} ({split}) | " + " | ".join(shown) + " |")


if __name__ == "__main__":
    main()
