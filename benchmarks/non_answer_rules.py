"""How many real comments the non-answer rules take for placeholders (audit finding 10).

Reads the real customer text of ``../shared/data`` (clothing reviews, Olist reviews, the
SurveyMonkey and Qualtrics exports' cells with words, MARC test reviews in six languages,
SemEval-2014 sentences, TweetEval sentiment tweets, GoEmotions test comments) and prints, per
set, how many texts it holds, how many of them are short enough to be checked at all (the
rules look only at :data:`~advocacy.text.non_answers.MAX_LENGTH` characters or fewer: the real
denominator), how many :func:`advocacy.text.non_answers.is_non_answer` marks as no content, and
each distinct text it marks that the rules of ``--base`` (a checkout of the previous ``src``)
did not and the reverse. Then every distinct short text marked, and, word by word, every
distinct word of all these texts that :func:`advocacy.text.keyboard_mash.is_mash_word` takes
for mash (whole texts cannot show a word the rule would take inside a longer answer). The lists
are read by eye. Not all of these texts are unseen: the mash shapes were written on Olist's mash
("vbvbsgfbsbfs", "dsdfr3fEF") and the padding template on the MARC-zh test texts that hold it.

Usage::

    PYTHONPATH=$PWD/src python benchmarks/non_answer_rules.py --base /tmp/base/src
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from advocacy.text.keyboard_mash import is_mash_word
from advocacy.text.non_answers import MAX_LENGTH, is_non_answer

_WORD = re.compile(r"[^\W_]+")
DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _csv_column(path: Path, column: str | int, *, header: bool = True) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        names = next(reader) if header else []
        at = names.index(column) if isinstance(column, str) else column
        for row in reader:
            if len(row) > at and row[at].strip():
                yield row[at]


def _lines(path: Path) -> Iterator[str]:
    yield from (line.rstrip("\n") for line in path.open(encoding="utf-8") if line.strip())


def _xml_texts(path: Path) -> Iterator[str]:
    yield from re.findall(r"<text>(.*?)</text>", path.read_text(encoding="utf-8"), re.S)


def _free_text(path: Path) -> Iterator[str]:
    """Every cell of a survey export with three letters or more (its header rows included):
    its free text; choices such as "18-29" or "$0 - $24,999" are no comments."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.reader(handle):
            yield from (cell for cell in row if sum(ch.isalpha() for ch in cell) >= 3)


def sets(root: Path) -> dict[str, Iterator[str]]:
    corpora = root / "text-corpora"
    found = {
        "clothing reviews": _csv_column(
            root / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv", "Review Text"
        ),
        "olist reviews (pt)": _csv_column(
            root / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv",
            "review_comment_message",
        ),
        "tweeteval sentiment test": _lines(root / "tweeteval" / "sentiment" / "test_text.txt"),
        "semeval14 test sentences": (
            text
            for name in ("Restaurants_Test_Gold.xml", "Laptops_Test_Gold.xml")
            for text in _xml_texts(corpora / "semeval14-absa" / name)
        ),
        "goemotions test": (
            line.split("\t")[0] for line in _lines(corpora / "goemotions" / "test.tsv")
        ),
    }
    for language in ("de", "en", "es", "fr", "ja", "zh"):
        found[f"marc {language} test"] = _csv_column(
            corpora / "marc-amazon-multi" / language / "test.csv", 1, header=False
        )
    for path in sorted((root / "real-exports" / "surveymonkey-538").glob("*.csv")):
        found[f"surveymonkey {path.stem} cells"] = _free_text(path)
    for path in sorted((root / "qualtrics-exports").glob("*.csv")):
        found[f"qualtrics {path.stem} cells"] = _free_text(path)
    return found


def _base_rule(base: Path) -> Callable[[object], bool]:
    spec = importlib.util.spec_from_file_location(
        "base_non_answers", base / "advocacy" / "text" / "non_answers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["base_non_answers"] = module
    spec.loader.exec_module(module)
    rule: Callable[[object], bool] = module.is_non_answer
    return rule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--base", type=Path, help="src/ of the rules to compare with")
    arguments = parser.parse_args()
    base = _base_rule(arguments.base) if arguments.base else None
    total = total_short = total_now = total_new = total_gone = 0
    marked: Counter[str] = Counter()
    mash: Counter[str] = Counter()
    for name, texts in sets(arguments.data).items():
        seen = list(texts)
        short = sum(len(text.strip()) <= MAX_LENGTH for text in seen)
        now = [text for text in seen if is_non_answer(text)]
        marked.update(text.strip() for text in now if len(text.strip()) <= MAX_LENGTH)
        mash.update(word for text in seen for word in _WORD.findall(text) if is_mash_word(word))
        new = Counter(text.strip() for text in now if base is not None and not base(text))
        gone = Counter(
            text.strip()
            for text in seen
            if base is not None and base(text) and not is_non_answer(text)
        )
        total += len(seen)
        total_short += short
        total_now += len(now)
        total_new += sum(new.values())
        total_gone += sum(gone.values())
        print(
            f"{name}: {len(seen):,} texts, {short:,} of {MAX_LENGTH} characters or fewer, "
            f"{len(now):,} no content ({sum(new.values())} newly, {sum(gone.values())} no longer)"
        )
        for sign, changed in (("+", new), ("-", gone)):
            for text, count in changed.most_common():
                print(f"    {sign} {text!r}" + (f" x{count}" if count > 1 else ""))
    print(
        f"all: {total:,} texts, {total_short:,} short enough to check, {total_now:,} no content, "
        f"{total_new:,} newly, {total_gone:,} no longer"
    )
    print(f"every distinct short text marked ({len(marked)}):")
    print("    " + " | ".join(f"{text!r} x{count}" for text, count in sorted(marked.items())))
    print(f"every distinct word taken for keyboard mash, in any text ({len(mash)}):")
    print("    " + " | ".join(f"{word} x{count}" for word, count in sorted(mash.items())))


if __name__ == "__main__":
    main()
