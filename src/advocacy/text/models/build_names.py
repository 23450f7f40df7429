"""Build ``given_names.txt``, the first names :func:`advocacy.text.pii.redact` looks for.

Run from ``src`` with the ``text-models`` extra installed (it brings Faker)::

    python -m advocacy.text.models.build_names --data /path/to/shared/data

Source: the first-name lists of Faker's person providers (MIT licence) for the locales in
:data:`LOCALES`: English-speaking countries, India, and the largest European languages, the
names a customer of a European or North American company is likely to write.

Many first names are also words ("Will", "May", "Hope", and from other languages "Per", "Else",
"Floor"), so a name is dropped when a reference corpus of English writing uses it mostly as a
word: written all in lower case more often than capitalised inside a sentence (where only a
name or a proper noun would be). The corpus is the text (never the labels) of every TweetEval
tweet in ``tweeteval/sentiment`` and ``tweeteval/emotion`` and of the clothing reviews in
``clothing-reviews``, from ``../shared/data``; a name needs :data:`WORD_MIN_LOWER` lower-case
uses to be called a word, since one tweet's "edward" is not evidence. Names shorter than
:data:`MIN_LENGTH` letters, of more than one word ("Ana Beatriz": each part is listed on its
own) or with initials, and the words in :data:`ALWAYS_WORDS` are dropped too. The output is
sorted, one name per line, and the same inputs always give the same file.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Faker person providers whose first names are used.
LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "en_IN",
    "en_NZ",
    "fr_FR",
    "de_DE",
    "es_ES",
    "it_IT",
    "pt_PT",
    "pt_BR",
    "nl_NL",
    "pl_PL",
)
#: Faker's attributes holding first names.
FIRST_NAME_ATTRIBUTES = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
)
#: Shorter names ("Al", "Jo") are too often something else.
MIN_LENGTH = 3
#: Words that are also first names and that customers write capitalised for other reasons:
#: months and days, and words of service and retail text that a tweet corpus rarely has.
_ALWAYS_WORDS_TEXT = """
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter Will Bill Mark
    Grace Hope Joy Faith Summer Dawn Guy Frank Chase Case Page King Price Major Miles Royal
    Christian Angel Star Sky Rose Ruby Amber Crystal Jade Holly Ivy Iris Lily Daisy Penny Sunny
    Honey Harmony Destiny Trinity Unique Precious Patience Charity Hunter Mason Cash Sterling
    Bishop Pastor Baker Carter Cooper Taylor Porter Parker Marshal Marshall Dean Earl Prince
    Duke Lord Reed Wood Woods Brook Brooks River Forest Storm Rain Snow Winter Autumn Spring
    Gray Grey Green Brown White Black Blue Silver Gold Pearl Ebony Ginger Olive Cherry Apple
    Berry Coral Jasmine Violet Hazel Heather Fern Willow Sage Basil Clay Stone Rock Cliff Lane
    Glen Dale Hill Bay Jordan Sydney Paris London Victoria Florence Adelaide Georgia Virginia
    Carolina Dakota Austin Dallas Houston Phoenix Tiger Bear Wolf Fox Hawk Dove Robin Teal Tan
    Red Norm Gene Pat Sue Rob Don Ray Art Chip Buck Rusty Dusty Bud Sonny Bunny Kitty Candy
    Sandy Misty Stormy Cloud Sol Luz Paz Mercedes Porsche Lincoln Ford Jaguar Lexus Santa Claus
    Saint Madison Brighton Kent Devon Shannon Kerry Clare Derry Orange Marine India Israel Asia
    Africa America China Kenya Jamaica Brazil Ireland Holland Valentine Panini
"""
ALWAYS_WORDS = frozenset(_ALWAYS_WORDS_TEXT.split())
#: Words, hashtags and handles (skipped: "#vanessa" says nothing about how a name is written)
#: and sentence ends.
_TOKEN = re.compile(r"[#@]?[A-Za-z][A-Za-z'’-]*|[.!?]+")
#: One name: letters (any script with case), capitalised, perhaps two joined by a hyphen.
_NAME = re.compile(r"[^\W\d_][^\W\d_]+(?:-[^\W\d_][^\W\d_]+)?")
#: A name is a word when written in lower case at least this often...
WORD_MIN_LOWER = 3


def faker_first_names(locales: Iterable[str] = LOCALES) -> set[str]:
    """Every first name of the Faker person providers of ``locales``."""
    names: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in FIRST_NAME_ATTRIBUTES:
            names.update(str(name) for name in getattr(provider, attribute, ()) or ())
    return names


def casing_counts(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Per word (lower-cased): times written all lower case, times capitalised mid-sentence."""
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        sentence_start = True
        for token in _TOKEN.findall(text):
            if token[0] in ".!?":
                sentence_start = True
                continue
            if token[0] in "#@":
                continue
            if token.islower():
                lower[token] += 1
            elif not sentence_start and token[0].isupper() and token[1:].islower():
                capitalised[token.lower()] += 1
            sentence_start = False
    return lower, capitalised


def given_names(names: Iterable[str], texts: Iterable[str]) -> list[str]:
    """``names`` less the words (module docstring), sorted."""
    lower, capitalised = casing_counts(texts)
    kept = set()
    for name in names:
        if len(name) < MIN_LENGTH or name in ALWAYS_WORDS:
            continue
        if not (_NAME.fullmatch(name) and name.istitle()):
            continue
        key = name.lower()
        if lower[key] >= WORD_MIN_LOWER and lower[key] > capitalised[key]:
            continue
        kept.add(name)
    return sorted(kept)


def reference_texts(data: Path) -> Iterator[str]:
    """The corpus of the module docstring, from ``data`` (the shared data folder)."""
    for task in ("sentiment", "emotion"):
        for path in sorted((data / "tweeteval" / task).glob("*_text.txt")):
            yield from path.read_text(encoding="utf-8").splitlines()
    reviews = data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with reviews.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield " ".join(filter(None, (row.get("Title"), row.get("Review Text"))))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("given_names.txt"), help="output"
    )
    args = parser.parse_args(argv)
    names = given_names(faker_first_names(), reference_texts(args.data))
    args.out.write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names):,} names to {args.out}")


if __name__ == "__main__":
    main()
