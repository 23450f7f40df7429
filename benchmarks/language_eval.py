"""Language detection on real text: lingua (all languages, low and high accuracy) vs py3langid.

Run from the project root (needs ../shared/data)::

    PYTHONPATH=src python benchmarks/language_eval.py [--per-set 500]

Sets (each text's language is known from where it came from, never from a detector):
MARC Amazon reviews de en es fr ja zh (test split), SemEval-2016 restaurant/hotel sentences
es fr nl ru tr ar (test triplets, one row per distinct sentence), Olist Portuguese reviews and
TweetEval English tweets. Prints accuracy per set and detector (a ``None`` answer counts as
wrong), the share answered ``None``, and texts per second over all sets, then the same for
``advocacy.text.language.detect_languages`` (the shipped choice with its confidence floor).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CORPORA = DATA / "text-corpora"


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


def load_sets(count: int) -> dict[str, tuple[str, list[str]]]:
    sets = {
        f"marc-{code}": (code, marc(code, count)) for code in ("de", "en", "es", "fr", "ja", "zh")
    }
    for code, name in (
        ("es", "restaurants_test_spanish.xml.dat"),
        ("fr", "restaurants_test_french.xml.dat"),
        ("nl", "restaurants_test_dutch.xml.dat"),
        ("ru", "restaurants_test_russian.xml.dat"),
        ("tr", "restaurants_test_turkish.xml.dat"),
        ("ar", "hotels_test_arabic.xml.dat"),
    ):
        sets[f"semeval-{code}"] = (code, semeval(name, count))
    sets["olist-pt"] = ("pt", olist(count))
    sets["tweeteval-en"] = ("en", tweeteval(count))
    return sets


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


def shipped() -> Callable[[Sequence[str]], list[str | None]]:
    from advocacy.text.language import detect_languages

    return detect_languages


def main(argv: Sequence[str] | None = None) -> int:
    global DATA, CORPORA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-set", type=int, default=500)
    parser.add_argument("--skip", nargs="*", default=[], help="detectors to leave out")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    DATA, CORPORA = args.data, args.data / "text-corpora"
    if not CORPORA.exists():
        print(f"no data at {CORPORA}", file=sys.stderr)
        return 1
    sets = load_sets(args.per_set)
    detectors: dict[str, Callable[[], Callable[[Sequence[str]], list[str | None]]]] = {
        "lingua-low": lambda: lingua_detector(True),
        "lingua-high": lambda: lingua_detector(False),
        "py3langid": langid_detector,
        "advocacy": shipped,
    }
    names = [n for n in detectors if n not in args.skip]
    results: dict[str, dict[str, tuple[float, float]]] = {}
    speed: dict[str, float] = {}
    for name in names:
        started = time.perf_counter()
        detect = detectors[name]()
        detect(["warm up the models"])
        load = time.perf_counter() - started
        results[name], seconds, total = {}, 0.0, 0
        for set_name, (code, texts) in sets.items():
            started = time.perf_counter()
            found = detect(texts)
            seconds += time.perf_counter() - started
            total += len(texts)
            correct = sum(f == code for f in found) / len(texts)
            unknown = sum(f is None for f in found) / len(texts)
            results[name][set_name] = (correct, unknown)
        speed[name] = total / seconds
        print(f"{name}: loaded in {load:.1f}s, {speed[name]:,.0f} texts/s", file=sys.stderr)
    print("| set | n | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for set_name, (_, texts) in sets.items():
        cells = [
            f"{results[n][set_name][0]:.3f}"
            + (f" ({results[n][set_name][1]:.0%} none)" if results[n][set_name][1] else "")
            for n in names
        ]
        print(f"| {set_name} | {len(texts)} | " + " | ".join(cells) + " |")
    means = [sum(v[0] for v in results[n].values()) / len(sets) for n in names]
    print("| mean accuracy | | " + " | ".join(f"{m:.3f}" for m in means) + " |")
    print("| texts/s (2 cores) | | " + " | ".join(f"{speed[n]:,.0f}" for n in names) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
