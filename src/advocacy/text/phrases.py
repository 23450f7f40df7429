"""Whole-word, whole-phrase keyword matching after Snowball stemming, in the text's language.

A theme's keywords used to match as regular-expression prefixes, so "tea" hit "team" and "poor"
hit "poorly" whatever the words meant. Here a text and every keyword are cut into words (runs of
letters and digits; apostrophes inside a word kept), each word is case-folded, stripped of
accents (NFKD, combining marks dropped) and reduced by the Snowball stemmer of the text's
language (PyStemmer; English when the language is unknown or has no stemmer). The rule:

    a keyword of k words matches a text when the text has k consecutive words whose stems
    equal the keyword's stems, in order.

So "tea" never matches "team" (stems ``tea`` and ``team``); "poor" matches "poor" but not
"poorer" (``poorer``); "poorly" matches "poor" because Snowball English stems both to ``poor``:
stems agree or they do not, there is no prefix or fuzzy step. "parcel delivery" matches "parcel
deliveries" but not "delivery of the parcel". German text is stemmed with the German stemmer, so
"Lieferung" matches "Lieferungen". Keywords are stemmed with the same stemmer as the text they
are matched against.

Text is cut to :data:`MAX_CHARACTERS` before it is read (hostile input: one giant comment must
not stall a batch); the tokenizer is one linear-time regular expression. The cut is far beyond
any note: the themes read a whole call or interview note, as its sentiment and effort do.

The stemming is Snowball's (Porter 2001), written by hand nowhere here: PyStemmer wraps the
reference C implementation.

References
----------
Porter, M. F. (2001). Snowball: a language for stemming algorithms. snowball.tartarus.org.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

#: Characters of a text that are read for its themes; the rest is ignored. It was 20,000 ("a
#: comment is rarely longer"), and a note's delivery complaint after 60,000 characters of small
#: talk got no theme while its sentiment and effort read it (review27 finding 6). Reading the
#: whole of 20 notes of 200,000 characters costs about 0.2 CPU s each in ``text
#: assign-themes`` (docs/benchmarks.md, readfix); a 1 MB text is still read in about a second.
MAX_CHARACTERS = 1_000_000
#: ISO 639-1 code -> Snowball algorithm name (the languages PyStemmer carries).
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
DEFAULT_LANGUAGE = "en"
# Letters and digits, with an apostrophe allowed inside a word ("don't", "l'accueil" stays one
# word: French elision is rare in keywords and the stemmer keeps it consistent on both sides).
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def fold(word: str) -> str:
    """``word`` case-folded, without accents, with a plain apostrophe.

    >>> fold("Café’s")
    "cafe's"
    """
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (its first :data:`MAX_CHARACTERS` characters)."""
    head = (text or "")[:MAX_CHARACTERS]
    return _WORD.findall(head.lower() if head.isascii() else fold(head))


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Any:
    import Stemmer  # type: ignore[import-not-found,unused-ignore]  # PyStemmer ships no types

    return Stemmer.Stemmer(SNOWBALL[language])


def stemmer_language(language: str | None) -> str:
    """The language whose stemmer reads text in ``language`` (English when it has none)."""
    code = (language or "").lower().split("-")[0].split("_")[0]
    return code if code in SNOWBALL else DEFAULT_LANGUAGE


def stem_words(folded: Sequence[str], language: str | None = None) -> list[str]:
    """Snowball stems of words already folded (:func:`words`), in one call, in ``language``.

    >>> stem_words(["deliveries", "packed"])
    ['deliveri', 'pack']
    """
    stemmed: list[str] = _stemmer(stemmer_language(language)).stemWords(list(folded))
    return stemmed


def stems(text: str, language: str | None = None) -> list[str]:
    """Snowball stems of the words of ``text`` in ``language`` (English when unknown).

    >>> stems("The deliveries were poorly packed")
    ['the', 'deliveri', 'were', 'poor', 'pack']
    """
    return stem_words(words(text), language)


class PhraseMatcher:
    """Finds which of several keyword lists a text mentions, by stemmed whole words.

    Parameters
    ----------
    keyword_lists : sequence of sequences of str
        One list of keywords (words or phrases) per group, e.g. per theme.

    Examples
    --------
    >>> matcher = PhraseMatcher([["tea", "coffee"], ["parcel delivery"]])
    >>> matcher.match("The team brought my parcel deliveries")
    [1]
    """

    def __init__(self, keyword_lists: Sequence[Sequence[str]]) -> None:
        self.keyword_lists = [tuple(k for k in keywords if k.strip()) for keywords in keyword_lists]
        self._compiled: dict[str, tuple[dict[tuple[str, ...], set[int]], int]] = {}
        self._firsts: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        count = sum(len(keywords) for keywords in self.keyword_lists)
        return f"PhraseMatcher(groups={len(self.keyword_lists)}, keywords={count})"

    def _index(self, language: str) -> tuple[dict[tuple[str, ...], set[int]], int]:
        """Stemmed phrase -> groups, and the longest phrase in words, for one stemmer."""
        if language not in self._compiled:
            index: dict[tuple[str, ...], set[int]] = {}
            for group, keywords in enumerate(self.keyword_lists):
                for keyword in keywords:
                    phrase = tuple(stems(keyword, language))
                    if phrase:
                        index.setdefault(phrase, set()).add(group)
            longest = max((len(phrase) for phrase in index), default=0)
            self._compiled[language] = (index, longest)
            self._firsts[language] = frozenset(phrase[0] for phrase in index)
        return self._compiled[language]

    def match(self, text: str, language: str | None = None) -> list[int]:
        """Sorted indices of the groups with a keyword in ``text``."""
        return self.match_many([text], [language])[0]

    def match_many(
        self,
        texts: Sequence[str],
        languages: Iterable[str | None] | None = None,
        *,
        folded_words: Sequence[Sequence[str]] | None = None,
        stemmed: dict[str, dict[str, str]] | None = None,
    ) -> list[list[int]]:
        """:meth:`match` for each text (``languages`` aligned with ``texts``, or all unknown).

        Each distinct word is stemmed once per batch, and a text is only searched for phrases
        when one of its words begins a keyword. ``folded_words``, the :func:`words` of each
        text when the caller has them, saves cutting the texts again; ``stemmed`` (stemmer ->
        word -> stem), when given, is read and filled, for a caller that stems the words again.
        """
        chosen = list(languages) if languages is not None else [None] * len(texts)
        if len(chosen) != len(texts):
            raise ValueError(f"{len(chosen)} languages for {len(texts)} texts")
        out: list[list[int]] = []
        cache: dict[str, dict[str, str]] = {} if stemmed is None else stemmed
        for row, (text, language) in enumerate(zip(texts, chosen, strict=True)):
            stemmer = stemmer_language(language)
            index, longest = self._index(stemmer)
            folded = words(text) if folded_words is None else folded_words[row]
            known = cache.setdefault(stemmer, {})
            fresh = [word for word in set(folded) if word not in known]
            if fresh:
                known.update(zip(fresh, stem_words(fresh, stemmer), strict=True))
            tokens = [known[word] for word in folded]
            firsts = self._firsts[stemmer]
            found: set[int] = set()
            for start, token in enumerate(tokens):
                if token not in firsts:
                    continue
                for length in range(1, min(longest, len(tokens) - start) + 1):
                    groups = index.get(tuple(tokens[start : start + length]))
                    if groups:
                        found |= groups
            out.append(sorted(found))
        return out


def phrase_ends(phrase: str) -> tuple[str, str]:
    """The first and the last word of ``phrase``.

    >>> phrase_ends("easy to install"), phrase_ends("price")
    (('easy', 'install'), ('price', 'price'))
    """
    parts = phrase.split()
    return parts[0], parts[-1]
