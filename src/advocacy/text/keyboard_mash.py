"""Keyboard mash: "asdf", "nnnn", "vbvbsgfbsbfs" typed into a comment box to get past it.

A mashed answer says nothing, so :func:`advocacy.text.non_answers.is_non_answer` marks it
``no_content``. The rules are conservative, because a real one-word answer read as mash loses
its reading ("Stressful", "Verdreckt", "Trends" all look like touching keys with few vowels):

- a word with a letter outside ASCII ("Štvrť", "Größe", "好") is never mash;
- an all-caps word of two letters or more ("MSNBC", "LGBTQ", "XXXXL", "ASDF") is read as an
  acronym, never mash;
- a word of any language wordfreq lists (``models/mash_words.txt``, built by
  ``tools/build_mash_words.py``: the words of wordfreq's lists, in every language it has, that
  the shapes below would take) is never mash: "Trends", "Mama", "crwth" is not listed but "cwtch"
  is. Two shapes are mash in themselves, and wordfreq's web text holds them because people type
  them there: one letter typed three times or more ("nnnn", "aaa"; not the laughs, hums and
  exclamations "kkkk", "hhh", "mmmm", "ooo", "zzz"), and a run of neighbouring keys along a
  keyboard row ("asdf", "qwerty"), which is a word only when it is frequent (Zipf 3.5 or more
  in a language: "wert").

What is left is mash when it has one of these shapes: a unit of two or three keys typed over
and over ("vbvbvb", "asdasd"; not laughter such as "hahaha", "jaja"), a run along a keyboard row,
five or more letters without a vowel ("vbvbsgfbsbfs"), or six or more keys of which most touch
the next on a keyboard while few are vowels ("dfgadfgertterqt", "dsdfr3fef"). A letter held down
inside a word is emphasis, so a word is read with it typed once ("Wowwwww": "wow", "asdffff":
"asdf"), and is no mash when typed once or twice it is a listed word ("Hellllllo": "hello").
Some mash gets through ("ASDF", "Azerty"): losing a real answer is the worse error.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

__all__ = ["MASH_WORDS_FILE", "is_keyboard_mash", "is_mash_word", "mash_shape", "row_run"]

#: Words of wordfreq's lists that :func:`mash_shape` would take (``tools/build_mash_words.py``).
MASH_WORDS_FILE = Path(__file__).parent / "models" / "mash_words.txt"

# Keyboard rows (QWERTY, QWERTZ, AZERTY), whose runs of keys make up a mashed answer.
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm",
         "azertyuiop", "qsdfghjklm", "wxcvbn")  # fmt: skip
_RUNS = frozenset(
    run[start : start + 3]
    for row in _ROWS
    for run in (row, row[::-1])
    for start in range(len(run) - 2)
)
# Keys that touch on a QWERTY keyboard (same row, or the row above or below).
_GRID = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_PLACE = {key: (row, column) for row, keys in enumerate(_GRID) for column, key in enumerate(keys)}
_VOWELS = frozenset("aeiouy")
# Laughter and hums repeat a short unit too, and are reactions rather than mash.
_LAUGHTER = frozenset({"ha", "he", "hi", "ja", "je", "ji", "rs", "lol", "kk"})
_REACTIONS = frozenset("hkmoz")
_TOKEN = re.compile(r"[^\W_]+")
_LONGEST = 64
_ELONGATED = re.compile(r"(.)\1{2,}")


def _touching(first: str, second: str) -> bool:
    """True for the same key twice or two keys that touch on a QWERTY keyboard."""
    if first == second:
        return True
    if first not in _PLACE or second not in _PLACE:
        return False
    (row_a, column_a), (row_b, column_b) = _PLACE[first], _PLACE[second]
    # Each row sits half a key to the right of the one above it.
    step = row_b - row_a
    shift = column_b - column_a
    return (step == 0 and abs(shift) == 1) or (step, shift) in {(-1, 0), (-1, 1), (1, -1), (1, 0)}


def row_run(word: str) -> bool:
    """True when ``word`` (lower case) is a chain of runs of three or more keys along a row.

    >>> row_run("asdf"), row_run("qwerty"), row_run("west")
    (True, True, False)
    """
    if len(word) < 4:
        return False
    ends = {0}
    for end in range(3, len(word) + 1):
        if any(
            start in ends and all(word[i : i + 3] in _RUNS for i in range(start, end - 2))
            for start in range(end - 2)
        ):
            ends.add(end)
    return len(word) in ends


def mash_shape(word: str) -> bool:
    """True when ``word`` (lower-case ASCII letters and digits) has a shape of mash.

    The shapes of the module docstring, with no look-up of words: "stress" has one (five
    letters, one vowel, most keys touching), which is why :func:`is_mash_word` looks it up.

    Parameters
    ----------
    word
        One lower-case word of ASCII letters and digits.

    Returns
    -------
    bool
        Whether it is a repeated unit, a run along a keyboard row, five or more letters without
        a vowel, or six or more keys most of which touch the next and few of which are vowels;
        False for a word of more than 64 characters (longer than any answer the rules read).

    Examples
    --------
    >>> [mash_shape(word) for word in ("asdf", "vbvbvb", "hahaha", "slow", "stressful")]
    [True, True, False, False, True]
    """
    # Longer than any short answer: not looked at (the row-run search grows with the cube).
    if word.isdigit() or not 3 <= len(word) <= _LONGEST:
        return False
    if len(set(word)) == 1:
        return word.isalpha() and word[0] not in _REACTIONS
    for size in (2, 3):
        unit = word[:size]
        if len(word) >= 2 * size and unit * (len(word) // size) == word:
            return unit not in _LAUGHTER and len(set(unit)) == size
    if row_run(word):
        return True
    letters = [character for character in word if character.isalpha()]
    vowels = sum(character in _VOWELS for character in letters)
    if len(letters) >= 5 and vowels == 0:
        return True
    if len(word) < 6 or vowels / max(len(letters), 1) >= 0.25:
        return False
    touching = sum(_touching(a, b) for a, b in pairwise(word))
    return touching >= 0.5 * (len(word) - 1)


@cache
def _words() -> frozenset[str]:
    lines = MASH_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_mash_word(token: str) -> bool:
    """True when ``token``, one word as the customer typed it, is keyboard mash.

    Parameters
    ----------
    token
        One word, with its case and accents (not normalised).

    Returns
    -------
    bool
        False for a word with a non-ASCII letter, an all-caps acronym, a number, a word of
        ``models/mash_words.txt``; otherwise :func:`mash_shape` of its lower case (with a
        letter held down read typed once and twice).

    Examples
    --------
    >>> [is_mash_word(word) for word in ("asdf", "nnnn", "Stressful", "Verdreckt", "MSNBC")]
    [True, True, False, False, False]
    """
    if not token.isascii() or not token.isalnum():
        return False
    if sum(character.isalpha() for character in token) >= 2 and token.isupper():
        return False
    word = token.lower()
    if len(set(word)) > 1 and _ELONGATED.search(word):
        # A letter held down is emphasis ("Wowwww", "verrrry", "Hmmmm"): read the word typed once.
        once, twice = _ELONGATED.sub(r"\1", word), _ELONGATED.sub(r"\1\1", word)
        return mash_shape(once) and not {once, twice} & _words()
    return mash_shape(word) and word not in _words()


def is_keyboard_mash(text: str) -> bool:
    """True when every word of ``text`` is keyboard mash ("asdf", "asdf asdf!", "nnnn").

    >>> is_keyboard_mash("asdf asdf!"), is_keyboard_mash("asdf slow"), is_keyboard_mash("")
    (True, False, False)
    """
    tokens = _TOKEN.findall(text)
    return bool(tokens) and all(is_mash_word(token) for token in tokens)
