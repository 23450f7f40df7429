"""Language detection on real text: lingua (all languages, low and high accuracy) vs py3langid.

Run from the project root (needs ../shared/data)::

    PYTHONPATH=src python benchmarks/language_eval.py [--per-set 500] [--split dev]

Sets (each text's language is known from where it came from, never from a detector), test split:
MARC Amazon reviews de en es fr ja zh (test), SemEval-2016 restaurant/hotel sentences en es fr nl
ru tr ar (test triplets, one row per distinct sentence), Olist Portuguese reviews (a seeded sample
of 500) and TweetEval English tweets (test). ``--split dev`` reads what the settings of
``advocacy.text.language`` were chosen on instead, never the test texts: MARC dev and train,
SemEval-2016 train triplets, the Olist reviews outside the test sample, TweetEval val, and two
English sets with no test counterpart (GoEmotions dev: Reddit comments; Banking77 train: short
customer questions).

Prints accuracy per set and detector (a ``None`` answer counts as wrong), the share answered
``None``, and texts per second over all sets. ``advocacy`` (``detect_languages``) is measured
five ways, because it reads a call's texts together: one call per set (an import in one
language), one text per call, every set shuffled together in calls of 5,000 texts (a
workspace in many languages), and each set in calls of 5 texts (a workspace fed a day's few
answers at a time) without and with the prior of the languages its earlier calls were read
in (what ``text analyze`` gives from the workspace's stored languages). lingua
(``lingua-language-detector``, not a dependency) is compared when installed.

``--short`` instead reads every real short text (fewer than 4 words; of Han, kana or Hangul at
most 10 characters) of a known language in the data: MARC bodies (six languages), SemEval-2016
sentences (seven), Olist messages (test) and titles (dev), the clothing reviews' titles,
TweetEval, GoEmotions, Banking77 and the SurveyMonkey polls' "Other (please specify)" answers
(English), split as above (Olist titles, MARC dev/train, SemEval train, TweetEval val and the
GoEmotions and Banking77 training files are ``--split dev``). It prints, per set, the share of
its answers (non-answers left out) that the English model reads (``reads_texts``), one text per
call and one call per set, and the totals for English and for the other languages.

``--speed`` instead times ``detect_languages`` on 5,000 Blitzer reviews cut to their first 60
words (the text benchmark's documents): CPU milliseconds per text, best and median of 7 calls
after a warm-up, and the share of texts read twice (the second opinion).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CORPORA = DATA / "text-corpora"
Sets = dict[str, tuple[str, list[str]]]


def _sample(texts: list[str], count: int, seed: int = 17) -> list[str]:
    unique = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    random.Random(seed).shuffle(unique)
    return unique[:count]


def marc(language: str, count: int) -> list[str]:
    path = CORPORA / "marc-amazon-multi" / language / "test.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return _sample([row[1] for row in csv.reader(handle) if len(row) >= 2], count)


def semeval(name: str, count: int) -> list[str]:
    folder = CORPORA / "semeval15-16-absa" / "semeval16-multilingual-apc-dat"
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    sentences = [lines[i].replace("$T$", lines[i + 1]) for i in range(0, len(lines) - 2, 3)]
    return _sample(sentences, count)


def olist(count: int) -> list[str]:
    path = DATA / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return _sample([row["review_comment_message"] for row in csv.DictReader(handle)], count)


def tweeteval(count: int) -> list[str]:
    path = DATA / "tweeteval" / "sentiment" / "test_text.txt"
    return _sample(path.read_text(encoding="utf-8").splitlines(), count)


def marc_dev(language: str, count: int) -> list[str]:
    texts: list[str] = []
    for split in ("dev-256-42", "train-256-42"):
        path = CORPORA / "marc-amazon-multi" / language / f"{split}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            texts += [row[1] for row in csv.reader(handle) if len(row) >= 2]
    return _sample(texts, count)


def olist_dev(count: int) -> list[str]:
    """Olist reviews outside the test sample (which takes the first 500 after the shuffle)."""
    path = DATA / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        texts = [row["review_comment_message"] for row in csv.DictReader(handle)]
    return _sample(texts, 500 + count)[500:]


def tweeteval_dev(count: int) -> list[str]:
    path = DATA / "tweeteval" / "sentiment" / "val_text.txt"
    return _sample(path.read_text(encoding="utf-8").splitlines(), count)


def goemotions_dev(count: int) -> list[str]:
    lines = (CORPORA / "goemotions" / "dev.tsv").read_text(encoding="utf-8").splitlines()
    return _sample([line.split("\t")[0] for line in lines], count)


def banking_dev(count: int) -> list[str]:
    with (CORPORA / "banking77" / "train.csv").open(newline="", encoding="utf-8") as handle:
        return _sample([row["text"] for row in csv.DictReader(handle)], count)


SEMEVAL_FILES = {
    "en": "restaurants_{}_english.xml.dat",
    "es": "restaurants_{}_spanish.xml.dat",
    "fr": "restaurants_{}_french.xml.dat",
    "nl": "restaurants_{}_dutch.xml.dat",
    "ru": "restaurants_{}_russian.xml.dat",
    "tr": "restaurants_{}_turkish.xml.dat",
    "ar": "hotels_{}_arabic.xml.dat",
}


def load_sets(count: int, split: str = "test") -> dict[str, tuple[str, list[str]]]:
    dev = split == "dev"
    read_marc = marc_dev if dev else marc
    sets = {
        f"marc-{code}": (code, read_marc(code, count))
        for code in ("de", "en", "es", "fr", "ja", "zh")
    }
    for code, name in SEMEVAL_FILES.items():
        sets[f"semeval-{code}"] = (code, semeval(name.format("train" if dev else "test"), count))
    sets["olist-pt"] = ("pt", olist_dev(count) if dev else olist(count))
    sets["tweeteval-en"] = ("en", tweeteval_dev(count) if dev else tweeteval(count))
    if dev:
        sets["goemotions-en"] = ("en", goemotions_dev(count))
        sets["banking77-en"] = ("en", banking_dev(count))
    return sets


#: A short text: fewer words than this (split at white space).
SHORT_WORDS = 4
#: A short text of Han, kana or Hangul (no spaces between words): at most this many characters.
SHORT_UNSPACED = 10


def _short(text: str) -> bool:
    text = text.strip()
    if any(0x2E80 <= ord(character) <= 0xD7AF for character in text):
        return 0 < len(text) <= SHORT_UNSPACED
    return 0 < len(text.split()) < SHORT_WORDS


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _column(path: Path, column: str, encoding: str = "utf-8") -> list[str]:
    with path.open(newline="", encoding=encoding, errors="replace") as handle:
        return [row.get(column) or "" for row in csv.DictReader(handle)]


def short_sets(split: str) -> Sets:
    """Every real short text of a known language (module docstring), by set."""
    dev = split == "dev"
    found: dict[str, tuple[str, list[str]]] = {}

    def add(name: str, code: str, texts: Sequence[str]) -> None:
        short = [text.strip() for text in texts if isinstance(text, str) and _short(text)]
        found[name] = (code, list(dict.fromkeys(found.get(name, (code, []))[1] + short)))

    for code in ("de", "en", "es", "fr", "ja", "zh"):
        for part in ("dev-256-42", "train-256-42") if dev else ("test",):
            path = CORPORA / "marc-amazon-multi" / code / f"{part}.csv"
            with path.open(newline="", encoding="utf-8") as handle:
                add(f"marc-{code}", code, [row[1] for row in csv.reader(handle) if len(row) >= 2])
    for code, name in SEMEVAL_FILES.items():
        folder = CORPORA / "semeval15-16-absa" / "semeval16-multilingual-apc-dat"
        lines = _lines(folder / name.format("train" if dev else "test"))
        add(
            f"semeval-{code}",
            code,
            [lines[i].replace("$T$", lines[i + 1]) for i in range(0, len(lines) - 2, 3)],
        )
    reviews = DATA / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    column = "review_comment_title" if dev else "review_comment_message"
    add(f"olist-{column}", "pt", _column(reviews, column, "utf-8-sig"))
    tweets = DATA / "tweeteval" / "sentiment"
    add("tweeteval-en", "en", _lines(tweets / ("val_text.txt" if dev else "test_text.txt")))
    for part in ("dev.tsv", "train.tsv") if dev else ("test.tsv",):
        lines = _lines(CORPORA / "goemotions" / part)
        add("goemotions-en", "en", [line.split("\t")[0] for line in lines])
    banking = CORPORA / "banking77" / ("train.csv" if dev else "test.csv")
    add("banking77-en", "en", _column(banking, "text"))
    if not dev:
        clothing = DATA / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
        add("clothing-title-en", "en", _column(clothing, "Title"))
        add("clothing-text-en", "en", _column(clothing, "Review Text"))
        for poll in sorted((DATA / "real-exports" / "surveymonkey-538").glob("*.csv")):
            with poll.open(newline="", encoding="utf-8", errors="replace") as handle:
                rows = list(csv.reader(handle))
            others = [i for i, name in enumerate(rows[0]) if "specify" in name.lower()]
            add("surveymonkey-en", "en", [r[i] for r in rows[1:] for i in others if i < len(r)])
    return {name: value for name, value in found.items() if value[1]}


def short_texts_read(split: str) -> int:
    """Print the share of each set's short answers the English model reads (module docstring)."""
    from advocacy.text.language import detect_languages, reads_texts
    from advocacy.text.non_answers import non_answer_mask

    print(f"split: {split}")
    print("| set | language | answers | read, one text per call | read, one call per set |")
    print("|---|---|---:|---:|---:|")
    totals: Counter[tuple[str, str]] = Counter()
    for name, (code, texts) in short_sets(split).items():
        answers = [t for t, empty in zip(texts, non_answer_mask(texts), strict=True) if not empty]
        alone = reads_texts(answers, [detect_languages([text])[0] for text in answers])
        together = reads_texts(answers, detect_languages(answers))
        group = "English" if code == "en" else "other languages"
        totals[group, "answers"] += len(answers)
        totals[group, "alone"] += int(alone.sum())
        totals[group, "together"] += int(together.sum())
        print(f"| {name} | {code} | {len(answers)} | {alone.mean():.1%} | {together.mean():.1%} |")
    for group in ("English", "other languages"):
        count = totals[group, "answers"]
        print(
            f"| **{group}** | | {count} | {totals[group, 'alone'] / count:.1%} "
            f"| {totals[group, 'together'] / count:.1%} |"
        )
    return 0


def lingua_detector(low_accuracy: bool) -> Callable[[Sequence[str]], list[str | None]]:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(texts: Sequence[str]) -> list[str | None]:
        found = detector.detect_languages_in_parallel_of(list(texts))
        return [None if f is None else f.iso_code_639_1.name.lower() for f in found]

    return detect


def langid_detector() -> Callable[[Sequence[str]], list[str | None]]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(texts: Sequence[str]) -> list[str | None]:
        return [identifier.classify(text)[0] for text in texts]

    return detect


Found = dict[str, list[str | None]]


def per_set(detect: Callable[[Sequence[str]], list[str | None]]) -> Callable[[Sets], Found]:
    """One call per set."""
    return lambda sets: {name: detect(texts) for name, (_, texts) in sets.items()}


def one_by_one(detect: Callable[[Sequence[str]], list[str | None]]) -> Callable[[Sets], Found]:
    """One call per text."""
    return lambda sets: {
        name: [detect([text])[0] for text in texts] for name, (_, texts) in sets.items()
    }


def mixed(
    detect: Callable[[Sequence[str]], list[str | None]], batch: int = 5_000
) -> Callable[[Sets], Found]:
    """Every set's texts shuffled together, read in calls of ``batch`` texts."""

    def run(sets: Sets) -> Found:
        rows = [
            (name, i, text) for name, (_, texts) in sets.items() for i, text in enumerate(texts)
        ]
        random.Random(1).shuffle(rows)
        found: Found = {name: [None] * len(texts) for name, (_, texts) in sets.items()}
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            for (name, i, _), code in zip(chunk, detect([t for _, _, t in chunk]), strict=True):
                found[name][i] = code
        return found

    return run


def small_calls(
    detect: Callable[..., list[str | None]], size: int = 5, *, workspace: bool
) -> Callable[[Sets], Found]:
    """Each set read as a workspace fed ``size`` texts at a time (a day's few answers); with
    ``workspace``, each call leans on the languages its set's earlier calls were read in (the
    prior ``text analyze`` gives from ``text_features``)."""

    def run(sets: Sets) -> Found:
        found: Found = {}
        for name, (_, texts) in sets.items():
            answers: list[str | None] = []
            for start in range(0, len(texts), size):
                stored = Counter(code for code in answers if code is not None)
                prior = dict(stored) if workspace else None
                answers += detect(texts[start : start + size], prior=prior)
            found[name] = answers
        return found

    return run


def time_detection() -> int:
    """CPU time of ``detect_languages`` on 60-word reviews, as ``text analyze`` calls it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import numpy as np
    import text_corpora

    from advocacy.text import language

    reviews = text_corpora.blitzer(DATA)["text"]
    texts = [" ".join(text.split()[:60]) for text in reviews][:5_000]
    language.detect_languages(texts[:100])
    seconds = []
    for _ in range(7):
        started = time.process_time()
        language.detect_languages(texts)
        seconds.append(time.process_time() - started)
    seconds.sort()
    cleaned = [language._clean(text) for text in texts]
    scores = language._log_scores(cleaned) - language.REGIONAL_PENALTY * language._regional_mask()
    doubtful = np.mean(language._softmax(scores).max(axis=1) < language.SECOND_OPINION_BELOW)
    print(
        f"{len(texts):,} reviews of 60 words: {1000 * seconds[0] / len(texts):.4f} CPU ms per text"
        f" (median {1000 * seconds[3] / len(texts):.4f}); second opinion on {doubtful:.2%}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    global DATA, CORPORA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-set", type=int, default=500)
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--skip", nargs="*", default=[], help="detectors to leave out")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--speed", action="store_true", help="time detect_languages instead")
    parser.add_argument(
        "--short", action="store_true", help="the share of real short texts read, by language"
    )
    args = parser.parse_args(argv)
    DATA, CORPORA = args.data, args.data / "text-corpora"
    if not CORPORA.exists():
        print(f"no data at {CORPORA}", file=sys.stderr)
        return 1
    if args.speed:
        return time_detection()
    if args.short:
        return short_texts_read(args.split)
    sets = load_sets(args.per_set, args.split)
    from advocacy.text.language import detect_languages

    detectors: dict[str, Callable[[], Callable[[Sets], Found]]] = {
        "lingua-low": lambda: per_set(lingua_detector(True)),
        "lingua-high": lambda: per_set(lingua_detector(False)),
        "py3langid": lambda: per_set(langid_detector()),
        "advocacy, one text per call": lambda: one_by_one(detect_languages),
        "advocacy, one call per set": lambda: per_set(detect_languages),
        "advocacy, all sets mixed": lambda: mixed(detect_languages),
        "advocacy, calls of 5": lambda: small_calls(detect_languages, workspace=False),
        "advocacy, calls of 5 + workspace": lambda: small_calls(detect_languages, workspace=True),
    }
    if importlib.util.find_spec("lingua") is None:
        args.skip += ["lingua-low", "lingua-high"]
    names = [n for n in detectors if n not in args.skip]
    results: dict[str, dict[str, tuple[float, float]]] = {}
    speed: dict[str, float] = {}
    total = sum(len(texts) for _, texts in sets.values())
    for name in names:
        started = time.process_time()
        run = detectors[name]()
        run({"warm-up": ("en", ["warm up the models"])})
        load = time.process_time() - started
        started = time.process_time()
        found = run(sets)
        speed[name] = total / (time.process_time() - started)
        results[name] = {}
        for set_name, (code, texts) in sets.items():
            correct = sum(f == code for f in found[set_name]) / len(texts)
            unknown = sum(f is None for f in found[set_name]) / len(texts)
            results[name][set_name] = (correct, unknown)
        print(f"{name}: loaded in {load:.1f}s CPU, {speed[name]:,.0f} texts/CPU s", file=sys.stderr)
    print(f"split: {args.split}")
    print("| set | n | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for set_name, (_, texts) in sets.items():
        cells = [
            f"{results[n][set_name][0]:.3f}"
            + (f" ({results[n][set_name][1]:.1%} none)" if results[n][set_name][1] else "")
            for n in names
        ]
        print(f"| {set_name} | {len(texts)} | " + " | ".join(cells) + " |")
    means = [sum(v[0] for v in results[n].values()) / len(sets) for n in names]
    lowest = [min(v[0] for v in results[n].values()) for n in names]
    print("| mean accuracy | | " + " | ".join(f"{m:.3f}" for m in means) + " |")
    print("| lowest accuracy | | " + " | ".join(f"{m:.3f}" for m in lowest) + " |")
    print("| texts per CPU second | | " + " | ".join(f"{speed[n]:,.0f}" for n in names) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
