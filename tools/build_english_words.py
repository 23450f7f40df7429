"""Build ``english_words.txt``: English words and how much more often English writes them than
the other Latin-script language that writes them most, for
:mod:`advocacy.text.english_words`.

Run from the repository with the ``text-models`` extra installed (it brings wordfreq)::

    python tools/build_english_words.py

Source: wordfreq 3.1.1 (Speer 2022; its data is CC BY-SA 4.0, so this derived list is too), the
"large" English list and the "small" list of each other language written in the Latin script. A
word is listed when it is letters of the Latin script only and its English Zipf frequency is at
least :data:`MIN_ZIPF` (about 90,000 words: "ok", "congrats", "lol", "cornbread", "bom");
beside it, its English Zipf frequency minus the highest Zipf frequency any other of those
languages gives it, to one decimal ("great" 1.3, "ok" -0.7, "bom" -2.6: Portuguese writes "bom"
four hundred times more often). The output is
sorted, one word a line, and the same wordfreq version always gives the same file.

References
----------
Speer, R. (2022). wordfreq: v3.0. Zenodo. https://doi.org/10.5281/zenodo.7199437
"""

from __future__ import annotations

import argparse
import math
import unicodedata
from pathlib import Path

from advocacy.text.english_words import ENGLISH_WORDS_FILE

#: English words at least this frequent (Zipf: log10 of uses per billion words) are listed:
#: at 3.0 (28,000 words) "pecan", "cornbread" and "boxy" were unknown words and their answers
#: refused; 2.0 lists them (the list is 1.1 MB).
MIN_ZIPF = 2.0
#: The languages of wordfreq's small lists written in the Latin script (English among them).
_LATIN = "ca cs da de en es fi fil fr hu id is it lt lv ms nb nl pl pt ro sh sk sl sv tr vi"
LATIN_LANGUAGES = tuple(_LATIN.split(" "))
HEADER = (
    "# Derived from wordfreq's word frequencies (Speer 2022, doi:10.5281/zenodo.7199437),\n"
    "# data licensed CC BY-SA 4.0; this list is shared under the same licence.\n"
    "# Made by tools/build_english_words.py: an English word, then its English Zipf frequency\n"
    "# minus the highest Zipf frequency of another Latin-script language.\n"
)


def _latin_word(word: str) -> bool:
    return word.isalpha() and all(
        unicodedata.name(character, "").startswith("LATIN") for character in word
    )


def _zipf(language: str, wordlist: str = "small") -> dict[str, float]:
    import wordfreq

    return {
        word: math.log10(frequency * 1e9)
        for word, frequency in wordfreq.get_frequency_dict(language, wordlist).items()
        if _latin_word(word)
    }


def english_margins() -> dict[str, float]:
    """English word -> its English Zipf frequency minus the most any other language gives it."""
    english = {word: zipf for word, zipf in _zipf("en", "large").items() if zipf >= MIN_ZIPF}
    elsewhere: dict[str, float] = {}
    for language in LATIN_LANGUAGES:
        if language == "en":
            continue
        for word, zipf in _zipf(language).items():
            if word in english and zipf > elsewhere.get(word, 0.0):
                elsewhere[word] = zipf
    return {word: round(zipf - elsewhere.get(word, 0.0), 1) for word, zipf in english.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ENGLISH_WORDS_FILE)
    arguments = parser.parse_args()
    margins = english_margins()
    lines = "".join(f"{word}\t{margins[word]:.1f}\n" for word in sorted(margins))
    arguments.out.write_text(HEADER + lines, "utf-8")


if __name__ == "__main__":
    main()
