"""A phrase's form: the stems of its words in its text's language, so that the forms of one word
("sleeve" and "sleeves", "knife" and "knives", "ótimo" and "otimo") count as one when themes are
named (:mod:`advocacy.text.theme_names`), and two phrases that say one thing are told apart from
two that say two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from advocacy.text.phrases import fold, stem_words, stemmer_language


def phrase_forms(
    phrases: Sequence[Iterable[str]], languages: Sequence[str | None]
) -> list[dict[str, str]]:
    """Each text's phrases, each mapped to its form: the Snowball stems of its words.

    A phrase's form is its folded words (:func:`~advocacy.text.phrases.fold`) stemmed by the
    Snowball stemmer of the text's language (:func:`~advocacy.text.phrases.stem_words`, as
    keywords are matched), so "sleeve" and "sleeves", "ótimo" and "otimo" are one form. In
    English, a plural in -ves that has no other form among the texts joins the singular in -f
    or -fe said beside it ("knives" and "knife", "shelves" and "shelf"), which Snowball keeps
    apart; "lives" stays with "live" when "living" or "lived" is said.

    Parameters
    ----------
    phrases
        Each text's phrases (:func:`~advocacy.text.theme_names.text_phrases`).
    languages
        Each text's language (ISO 639-1; None: English).

    Returns
    -------
    list of dict
        Per text, phrase -> form (the stems joined by single spaces).

    Examples
    --------
    >>> first, second = phrase_forms([{"knives", "sleeve"}, {"knife", "sleeves"}], ["en", "en"])
    >>> sorted(first.items()), sorted(second.items())
    ([('knives', 'knife'), ('sleeve', 'sleev')], [('knife', 'knife'), ('sleeves', 'sleev')])
    """
    words: dict[str, set[str]] = {}
    for found, language in zip(phrases, languages, strict=True):
        said = words.setdefault(stemmer_language(language), set())
        for phrase in found:
            said.update(phrase.split(" "))
    stem_of: dict[str, dict[str, str]] = {}
    for stemmer, said in words.items():
        ordered = sorted(said)
        stem_of[stemmer] = dict(
            zip(ordered, stem_words([fold(word) for word in ordered], stemmer), strict=True)
        )
        if stemmer == "en":
            _join_plurals_in_ves(stem_of[stemmer])
    mapped = []
    for found, language in zip(phrases, languages, strict=True):
        stem = stem_of[stemmer_language(language)]
        mapped.append(
            {phrase: " ".join(stem[word] for word in phrase.split(" ")) for phrase in found}
        )
    return mapped


def _join_plurals_in_ves(stem_of: dict[str, str]) -> None:
    """Give an English plural in -ves the stem of its singular in -f or -fe when that is said
    and nothing else has the plural's own stem ("knives" -> "knife", not "knive")."""
    others = Counter(stem for word, stem in stem_of.items() if not word.endswith("ves"))
    for word in [w for w in stem_of if len(w) > 4 and w.endswith("ves")]:
        if others[stem_of[word]]:
            continue  # "lives" beside "living": the verb
        for singular in (word[:-3] + "f", word[:-3] + "fe"):
            [stem] = stem_words([fold(singular)], "en")
            if others[stem]:
                stem_of[word] = stem
                break


def say_one_thing(first: set[str], second: set[str], *, english: bool) -> bool:
    """Whether two phrases' forms (sets of stems) say one thing: they share a stem, or, in
    English, one has a word and the other the word with -r or -er ("voter" and "vote",
    "printer" and "print", "seller" and "sell")."""
    if first & second:
        return True
    if not english:
        return False
    return any(
        a in (b + "r", b + "er") or b in (a + "r", a + "er")
        for a in first
        for b in second
        if min(len(a), len(b)) >= 3
    )
