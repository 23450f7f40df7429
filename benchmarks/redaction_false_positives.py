"""Measure: what the redactor changes in real text that names (almost) nobody, before and after.

Real customer-like text from ``../shared/data`` (never copied into the repository): clothing
reviews, TweetEval tweets, Olist's Portuguese reviews, and from ``text-corpora`` GoEmotions
Reddit comments, Banking77 queries, Amazon reviews in English, German, Spanish and French (MARC,
evaluation use only), SemEval restaurant reviews in five languages, and Amazon multi-domain
reviews. For each corpus: texts, texts changed, and spans replaced by ``[name]``, by the
redactor of this tree and by the one of ``--old REV`` (default 7f7b337, the last before the one
redactor). ``--show N`` prints N replaced spans of each, with context, to judge by eye which are
names and which are words.

Tweets and book or film reviews name public figures and characters, so there a replaced span is
often a real name; in Olist's, MARC's non-English and the SemEval reviews nearly every replaced
span is a word (Nada, Sem, Pero, Una, Linda, Lupe), which is what this measures.

Run: ``.venv/bin/python benchmarks/redaction_false_positives.py [--data ../shared/data]
[--old 7f7b337] [--show 20]``
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from redaction import old_redact

from advocacy.text.pii import redact

PLACEHOLDER = re.compile(r"\[(?:name|email|phone|card|iban|postcode|customer)\]")


def corpora(data: Path) -> dict[str, Callable[[], Iterator[str]]]:
    """Corpus name -> a function yielding its texts."""

    def rows(path: Path, **options: str) -> Iterator[list[str]]:
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.reader(handle, **options)  # type: ignore[arg-type]

    def clothing() -> Iterator[str]:
        path = data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield " ".join(filter(None, (row["Title"], row["Review Text"])))

    def tweets() -> Iterator[str]:
        for task in ("sentiment", "emotion"):
            yield from (data / "tweeteval" / task / "test_text.txt").read_text().splitlines()

    def olist() -> Iterator[str]:
        path = data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield " ".join(
                    filter(None, (row["review_comment_title"], row["review_comment_message"]))
                )

    corpus = data / "text-corpora"

    def goemotions() -> Iterator[str]:
        for line in (corpus / "goemotions" / "test.tsv").read_text().splitlines():
            yield line.split("\t")[0]

    def banking() -> Iterator[str]:
        yield from (row[0] for row in list(rows(corpus / "banking77" / "test.csv"))[1:])

    def marc(language: str) -> Callable[[], Iterator[str]]:
        return lambda: (
            row[1] for row in rows(corpus / "marc-amazon-multi" / language / "test.csv")
        )

    def semeval() -> Iterator[str]:
        folder = corpus / "semeval15-16-absa" / "semeval16-multilingual-apc-dat"
        for path in sorted(folder.glob("restaurants_test_*.dat")):
            lines = path.read_text(encoding="utf-8").splitlines()
            yield from dict.fromkeys(lines[0::3])  # one per sentence, in order

    def blitzer() -> Iterator[str]:
        for path in sorted((corpus / "amazon-multidomain-blitzer").glob("*/*.review")):
            text = path.read_text(encoding="utf-8", errors="replace")
            yield from (
                m.strip() for m in re.findall(r"<review_text>\n(.*?)\n</review_text>", text, re.S)
            )

    return {
        "clothing reviews (en)": clothing,
        "TweetEval tweets (en)": tweets,
        "Olist reviews (pt)": olist,
        "GoEmotions comments (en)": goemotions,
        "Banking77 queries (en)": banking,
        "MARC reviews (en)": marc("en"),
        "MARC reviews (de)": marc("de"),
        "MARC reviews (es)": marc("es"),
        "MARC reviews (fr)": marc("fr"),
        "SemEval restaurants (5 languages)": semeval,
        "Amazon multi-domain reviews (en)": blitzer,
    }


def replaced(original: str, redacted: str) -> list[tuple[str, str]]:
    """(span, context) for each ``[name]`` of ``redacted``: what it replaced in ``original``."""
    original = unicodedata.normalize("NFC", original)
    parts, labels = PLACEHOLDER.split(redacted), PLACEHOLDER.findall(redacted)
    pattern = "".join(
        re.escape(part) + ("(.+?)" if index < len(labels) else "")
        for index, part in enumerate(parts)
    )
    found = re.fullmatch(pattern, original, re.S)
    if found is None:
        return []
    return [
        (found.group(i + 1), original[max(0, found.start(i + 1) - 30) : found.end(i + 1) + 30])
        for i, label in enumerate(labels)
        if label == "[name]"
    ]


def measure(
    texts: list[str], redactor: Callable[[str], object]
) -> tuple[int, list[tuple[str, str]]]:
    changed, spans = 0, []
    for text in texts:
        out = str(redactor(text))
        if out != text:
            changed += 1
            spans += replaced(text, out)
    return changed, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--old", default="7f7b337")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    old = old_redact(args.old)
    print("| corpus | texts | changed before | changed after | [name] before | [name] after |")
    print("|---|---|---|---|---|---|")
    samples = {}
    for name, texts_of in corpora(args.data).items():
        texts = [text for text in texts_of() if text and text.strip()]
        before, old_spans = measure(texts, old)
        after, new_spans = measure(texts, redact)
        print(
            f"| {name} | {len(texts):,} | {before:,} ({before / len(texts):.2%}) | "
            f"{after:,} ({after / len(texts):.2%}) | {len(old_spans):,} | {len(new_spans):,} |",
            flush=True,
        )
        samples[name] = (old_spans, new_spans)
    if args.show:
        rng = random.Random(0)
        for name, (old_spans, new_spans) in samples.items():
            for label, spans in (("before", old_spans), ("after", new_spans)):
                print(f"\n## {name}, {label}: most replaced, then a random sample")
                print(
                    ", ".join(
                        f"{span} x{n}" for span, n in Counter(s for s, _ in spans).most_common(15)
                    )
                )
                for span, context in rng.sample(spans, min(args.show, len(spans))):
                    print(f"  {span!r:24} | {context!r}")


if __name__ == "__main__":
    main()
