"""Build ``mash_words.txt``: the words that :func:`advocacy.text.keyboard_mash.mash_shape` would
take for keyboard mash, so that :func:`~advocacy.text.keyboard_mash.is_mash_word` never does.

Run from the repository with the ``text-models`` extra installed (it brings wordfreq)::

    python tools/build_mash_words.py

Source: wordfreq 3.1.1 (Speer 2022; its data is CC BY-SA 4.0, so this derived list is too), the
"large" list of each language that has one and the "small" list of the others, every language
but Chinese, Japanese and Korean (whose words hold no ASCII letter, and whose tokenisers are not
installed). A word is listed when it is ASCII letters and digits only, has a shape of mash, and
is a word of some language (Zipf frequency above 0) — except the shapes that are mash in
themselves: one letter repeated ("nnnn", "aaa") is never listed, and a run of neighbouring keys
along a keyboard row ("asdf", "qwerty") only when some language uses it at Zipf
:data:`ROW_RUN_ZIPF` or more ("wert"). The output is sorted, one word a line, and the same
wordfreq version always gives the same file.

References
----------
Speer, R. (2022). wordfreq: v3.0. Zenodo. https://doi.org/10.5281/zenodo.7199437
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterator
from pathlib import Path

from advocacy.text.keyboard_mash import MASH_WORDS_FILE, mash_shape, row_run

#: A run along a keyboard row is a word only this frequent (Zipf): "wert" 5.2 in German; "qwerty"
#: is 3.1-3.2 in the small Malay and Indonesian lists (web text holds mash), so 3.0 would list it.
ROW_RUN_ZIPF = 3.5
#: Languages left out: no ASCII words, and their tokenisers (jieba, MeCab) are extras.
SKIPPED = frozenset({"zh", "ja", "ko"})
HEADER = (
    "# Derived from wordfreq's word frequencies (Speer 2022, doi:10.5281/zenodo.7199437),\n"
    "# data licensed CC BY-SA 4.0; this list is shared under the same licence.\n"
    "# Made by tools/build_mash_words.py: words of some language that look like keyboard mash.\n"
)


def _frequencies() -> Iterator[tuple[str, float]]:
    """(word, Zipf frequency) of every word of every list used, one pair per list."""
    import wordfreq

    large = wordfreq.available_languages(wordlist="large")
    for language in sorted(wordfreq.available_languages(wordlist="small")):
        if language in SKIPPED:
            continue
        wordlist = "large" if language in large else "small"
        for word, frequency in wordfreq.get_frequency_dict(language, wordlist).items():
            if word.isascii() and word.isalnum():
                yield word.lower(), math.log10(frequency * 1e9)


def mash_words() -> list[str]:
    """The sorted words to write to ``mash_words.txt`` (module docstring)."""
    best: dict[str, float] = {}
    for word, zipf in _frequencies():
        if zipf > 0 and mash_shape(word):
            best[word] = max(best.get(word, 0.0), zipf)
    return sorted(
        word
        for word, zipf in best.items()
        if len(set(word)) > 1 and (zipf >= ROW_RUN_ZIPF or not row_run(word))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MASH_WORDS_FILE)
    arguments = parser.parse_args()
    arguments.out.write_text(HEADER + "".join(f"{word}\n" for word in mash_words()), "utf-8")


if __name__ == "__main__":
    main()
