"""A text as the name finder reads it: its words, and what surrounds each of them.

One linear scan finds the words (:data:`TOKEN`); everything else is asked of a word only when
the name finder needs it, and answered from the few characters around it: whether a sentence
starts there, whether it is written as a handle, which spaces stand before the next word. Only
the title-casing of a sentence and the language of the text look further, each computed once.
So a text of a megabyte of short words costs one scan and a list, not a Python object per word.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from itertools import accumulate

from advocacy.text.language import STOPWORDS

#: A word: letters or digits of any script, joined by an apostrophe or a hyphen (O'Brien,
#: Jean-Luc, CUST-0001). Possessive runs, so each character is scanned once.
TOKEN = re.compile(r"[^\W_]++(?:['’-][^\W_]++)*+")
#: A word that starts with a letter (names do; numbers matter only to known identities). The
#: letter comes first so the search skips other characters quickly; the look-behind then makes
#: sure it starts the word ("x2Sarah" is one word).
LETTER_TOKEN = re.compile(r"[^\W\d_](?<![^\W_].)[^\W_]*+(?:['’-][^\W_]++)*+")
_SPLIT_TOKEN = re.compile(f"({TOKEN.pattern})")
_SPLIT_LETTER_TOKEN = re.compile(f"({LETTER_TOKEN.pattern})")
#: Characters that end a sentence: the capital after them is no evidence of a name.
SENTENCE_END = re.compile(r"[.!?…:;\n\"“”]|\s-\s")
#: What may stand between the words of a name: spaces, or an initial's full stop.
NAME_GAP = re.compile(r"\.?\s{1,3}+|\.")
#: Spaces only, as between a naming word and the name it introduces.
SPACES = re.compile(r"[ \t\u00a0]{1,3}")
POSSESSIVE = ("'s", "’s", "'", "’")
#: Function word -> the languages of :data:`advocacy.text.language.STOPWORDS` listing it.
_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {}
for _language, _vocabulary in STOPWORDS.items():
    for _word in _vocabulary:
        _FUNCTION_WORDS[_word] = (*_FUNCTION_WORDS.get(_word, ()), _language)


def stem(word: str) -> str:
    """``word`` without a possessive ending ("Sarah's" -> "Sarah")."""
    if word[-1:] not in ("s", "'", "’"):
        return word
    for ending in POSSESSIVE:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return word


def capitalised(word: str) -> bool:
    """Capital first letter, not all capitals ("Sarah", "McDonald", "O'Brien"; not "NHS")."""
    return word[:1].isupper() and not word.isupper()


class Words:
    """The words of ``text`` (placeholders of redaction such as ``[name]`` left out); with
    ``numbers=False`` only those starting with a letter."""

    def __init__(self, text: str, *, numbers: bool = True) -> None:
        self.text = text
        # Splitting on the words (a capturing pattern) gives them and the text between them as
        # strings, whose running lengths are the positions: no match object per word.
        parts = (_SPLIT_TOKEN if numbers else _SPLIT_LETTER_TOKEN).split(text)
        positions = list(accumulate(map(len, parts)))
        words, starts, ends = parts[1::2], positions[0::2], positions[1::2]
        if "[" in text:
            kept = [
                index
                for index, (start, end) in enumerate(zip(starts, ends, strict=False))
                if not (text[start - 1 : start] == "[" and text[end : end + 1] == "]")
            ]
            words = [words[index] for index in kept]
            starts = [starts[index] for index in kept]
            ends = [ends[index] for index in kept]
        self.words: list[str] = words
        self.starts: list[int] = starts[: len(words)]
        self.ends: list[int] = ends
        self._title_case: dict[int, bool] = {}

    @cached_property
    def _marks(self) -> tuple[list[int], list[int]]:
        """Starts and ends of the sentence-ending marks, in order (one scan, on first use)."""
        found = [match.span() for match in SENTENCE_END.finditer(self.text)]
        return [start for start, _ in found], [end for _, end in found]

    def __len__(self) -> int:
        return len(self.words)

    @cached_property
    def lowered(self) -> list[str]:
        """Each word in lower case."""
        return [word.lower() for word in self.words]

    def sentence_start(self, index: int) -> bool:
        """Whether word ``index`` begins a sentence (or the text)."""
        if index == 0:
            return True
        starts, ends = self._marks
        mark = bisect.bisect_left(starts, self.ends[index - 1])
        return mark < len(starts) and ends[mark] <= self.starts[index]

    def handle(self, index: int) -> bool:
        """Whether word ``index`` is written as a handle or hashtag (``@Sarah``, ``#Sarah``)."""
        start = self.starts[index]
        return start > 0 and self.text[start - 1] in "@#"

    def gap(self, first: int, second: int, pattern: re.Pattern[str] = NAME_GAP) -> bool:
        """Whether only ``pattern`` (name gaps by default) stands between two words."""
        return pattern.fullmatch(self.text, self.ends[first], self.starts[second]) is not None

    def run(self, first: int, last: int) -> bool:
        """Whether words ``first..last`` follow each other with name gaps only."""
        text, starts, ends = self.text, self.starts, self.ends
        return all(
            text[ends[index] : starts[index + 1]] == " " or self.gap(index, index + 1)
            for index in range(first, last)
        )

    def sentence_first(self, index: int) -> int:
        """The first word of the sentence word ``index`` belongs to."""
        ends = self._marks[1]
        mark = bisect.bisect_right(ends, self.starts[index]) - 1
        if mark < 0:
            return 0
        return min(index, bisect.bisect_left(self.starts, ends[mark]))

    def sentence_last(self, index: int) -> int:
        """The last word of the sentence word ``index`` belongs to."""
        starts, _ = self._marks
        mark = bisect.bisect_left(starts, self.ends[index])
        if mark == len(starts):
            return len(self.words) - 1
        return max(index, bisect.bisect_left(self.starts, starts[mark]) - 1)

    def title_cased(self, index: int) -> bool:
        """Whether the sentence of word ``index`` capitalises most of its words (a heading)."""
        first = self.sentence_first(index)
        if first not in self._title_case:
            inner = [word for word in self.words[first + 1 : self.sentence_last(first) + 1]]
            inner = [word for word in inner if len(word) > 2]
            capitals = sum(1 for word in inner if word[0].isupper())
            # "Vendedor Sem Compromisso", "Love This Dress, Runs Large": all but a few capitalised.
            self._title_case[first] = (len(inner) >= 2 and capitals == len(inner)) or (
                len(inner) >= 3 and capitals * 3 > len(inner) * 2
            )
        return self._title_case[first]

    @cached_property
    def language(self) -> str | None:
        """The language whose function words the text uses most, or None when none leads."""
        counts = dict.fromkeys(STOPWORDS, 0)
        for word in self.words:
            for language in _FUNCTION_WORDS.get(word.lower(), ()):
                counts[language] += 1
        ranked = sorted(counts.values(), reverse=True)
        if ranked[0] == 0 or ranked[0] == ranked[1]:
            return None
        return max(counts, key=lambda language: counts[language])
