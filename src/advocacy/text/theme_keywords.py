"""Which themes a text names by keyword: each theme's seed keywords, matched as whole stemmed words.

A text gets every theme one of whose *seed keywords* it contains as whole words after stemming
(:mod:`advocacy.text.phrases`: "tea" never matches "team"). A theme's seed keywords are its
keywords and the words of its own name and description that no other theme's name or
description shares (:func:`seed_keywords`): "Ambience: the atmosphere, decor and music" is
marked by "atmosphere", "decor" and "music" even with no keyword written. The name of the
whole thing the other themes speak of ("the battery of the laptop") marks the taxonomy's broad
theme ("Laptop", or the catch-all ``LAPTOP#GENERAL``) though the other descriptions share it.
A word only the description gives is weaker evidence than a written keyword or a word of the
name: a description describes ("clothes or shoes too small"), and "Very comfortable shoes." is
no complaint about size. :func:`~advocacy.text.theme_assignment.assign_themes` keeps such a
word's hit only where the sentence's meaning is near the theme (:func:`firm_seed_hits`
tells the two apart).

A word of a theme's name that is no keyword the user wrote and that cannot name a theme on its
own in a text's language (:func:`~advocacy.text.theme_names.naming_stop_words`: "use", "get",
"good", the words discovered themes are never named by) marks no theme in that text
(:func:`generic_name_words`): "Ease of use" is marked by "ease" and its keywords, and "Used
these in my woodshop" says nothing of ease of use. A word the user listed as a keyword always
counts.

Compound themes (``FOOD#PRICES``, or "Food prices" beside "Food quality" and "Drink prices")
are read by halves (:mod:`advocacy.text.theme_facets`): a keyword names an entity or an
attribute, the halves a sentence names are joined ("the pizza is overpriced": FOOD#PRICES),
and a word the themes of one entity (or of one attribute) share seeds that half. An entity
named with no attribute gets its first listed theme here (:func:`keyword_hits`); by meaning,
:func:`~advocacy.text.theme_assignment.assign_themes` may choose another of its themes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from advocacy.text.phrases import PhraseMatcher, fold, stems, words
from advocacy.text.taxonomy_file import Taxonomy
from advocacy.text.theme_facets import (
    ATTRIBUTE,
    SEPARATOR,
    Facets,
    broad_theme,
    compose_hits,
    theme_facets,
)

__all__ = [
    "composed_hits",
    "firm_seed_hits",
    "generic_name_words",
    "keyword_hits",
    "seed_hits",
    "seed_keywords",
]


def seed_keywords(taxonomy: Taxonomy, *, described: bool = True) -> list[tuple[str, ...]]:
    """Each theme's keywords plus the words of its name and description that no other theme uses.

    A taxonomy written from theme names and a line each already says which words mark a theme:
    "Ambience: the atmosphere, decor, music and noise" names four. A word of a theme's name or
    description counts as its keyword when it is no stop word (of any language theme names
    know), has three letters or more and no other theme's name or description has a word of
    the same stem ("prices" in both "Food prices" and "Drink prices" marks neither); words
    shared with other themes mostly say how the line was written ("the", "how", "quality"),
    not what it is about. The one exception is the name of the whole thing the other themes
    speak of, which seeds the taxonomy's broad theme (``_whole_words``). A taxonomy of one
    theme has nothing to compare with, so only that theme's name counts.

    Parameters
    ----------
    taxonomy
        The themes.
    described
        Whether the words that only a description gives are included (False: the written
        keywords and the words of the names alone, the firm evidence).

    Returns
    -------
    list of tuple
        Per theme, in the taxonomy's order, its seed keywords: its written keywords first,
        then its own words, each once.

    Examples
    --------
    >>> from advocacy.text.taxonomy_file import Taxonomy, TaxonomyTheme
    >>> taxonomy = Taxonomy((
    ...     TaxonomyTheme("Food", "the dishes and their taste", ("meal",)),
    ...     TaxonomyTheme("Service", "the staff and their manners"),
    ... ))
    >>> seed_keywords(taxonomy)
    [('meal', 'dishes', 'food', 'taste'), ('manners', 'service', 'staff')]
    >>> seed_keywords(taxonomy, described=False)
    [('meal', 'food'), ('service',)]
    """
    from advocacy.text.theme_names import STOP_WORDS

    # A taxonomy has no language of its own, and in a German one "und" or "nicht" would mark
    # a theme in every German comment: a stop word of any language the names know is no seed
    # (English "door" or "van" then only mark a theme when listed as keywords).
    stop = frozenset().union(*STOP_WORDS.values())
    # A lone theme has no other theme to tell its generic words ("problems") from its own: only
    # its name counts then.
    alone = len(taxonomy.themes) < 2
    own = [
        {
            word: stems(word)[0]
            for word in words(
                theme.name.replace("_", " ")
                if alone
                else f"{theme.name.replace('_', ' ')} {theme.description}"
            )
            if len(word) >= 3 and not word.isdigit() and word not in stop
        }
        for theme in taxonomy.themes
    ]
    users = Counter(stem for found in own for stem in set(found.values()))
    named = [
        {stems(word)[0] for word in words(theme.name.replace("_", " "))}
        for theme in taxonomy.themes
    ]
    seeds = [
        [
            *theme.keywords,
            *sorted(
                w for w, stem in found.items() if users[stem] == 1 and (described or stem in name)
            ),
        ]
        for theme, found, name in zip(taxonomy.themes, own, named, strict=True)
    ]
    facets = theme_facets(taxonomy)
    if facets is not None:
        every_name = set().union(*named)
        for column, word in _facet_words(own, users, facets):
            if described or stems(word)[0] in every_name:
                seeds[column].append(word)
    if not alone:
        for column, word in _whole_words(taxonomy, stop, facets):
            seeds[column].append(word)
    return [tuple(dict.fromkeys(found)) for found in seeds]


def _whole_words(
    taxonomy: Taxonomy, stop: frozenset[str], facets: Facets | None
) -> list[tuple[int, str]]:
    """(column, word): the name of the whole thing, a word of the taxonomy's broad theme.

    The other themes' descriptions speak of the whole ("the battery of the laptop"), so its
    name is shared and would mark no theme; it is what names the broad theme ("Laptop") all
    the same. In a plain taxonomy, the words of the broad theme's name that no other theme's
    *name* has; in a compound one, the name of the general entity (RESTAURANT), for its
    catch-all theme (RESTAURANT#GENERAL), which :func:`compose_hits` gives only to a sentence
    that names nothing more specific. Not when that theme is one attribute of the entity
    ("Food prices" listed first, with no "Food" of its own): "the food was tasty" says
    nothing of prices.
    """
    broad = broad_theme(taxonomy)
    if broad is None:
        return []

    def named(text: str) -> set[str]:
        return {
            word
            for word in words(text.replace("_", " "))
            if len(word) >= 3 and not word.isdigit() and word not in stop
        }

    if facets is None:
        others = Counter(
            stem
            for column, theme in enumerate(taxonomy.themes)
            if column != broad
            for stem in {stems(word)[0] for word in named(theme.name)}
        )
        own = named(taxonomy.themes[broad].name)
        return [(broad, word) for word in sorted(own) if not others[stems(word)[0]]]
    if not facets.whole[facets.general_entity]:
        # Its default theme is one attribute of it ("Food prices" listed first, no "Food" or
        # FOOD#GENERAL): the entity's name says nothing of that attribute.
        return []
    marked = any(SEPARATOR in theme.name for theme in taxonomy.themes)
    members = np.flatnonzero(facets.entity == facets.general_entity).tolist()
    # By stem: "Room overall" and "Rooms prices" share the room.
    spelt = [
        {stems(word)[0]: word for word in named(head)}
        for head in (
            name.partition(SEPARATOR)[0] if marked else " ".join(words(name)[:1])
            for name in (taxonomy.themes[c].name for c in members)
        )
    ]
    common = set.intersection(*(set(found) for found in spelt))
    return [(broad, spelt[0][stem]) for stem in sorted(common)]


def _facet_words(
    own: list[dict[str, str]], users: Counter[str], facets: Facets
) -> list[tuple[int, str]]:
    """(column, word): the words a compound taxonomy's themes share within one half.

    A word that every theme using it shares with its entity ("food" in FOOD#QUALITY and
    FOOD#PRICES) names that entity: it seeds the entity's default theme. A word shared by themes
    of one attribute ("prices" of RESTAURANT#PRICES and FOOD#PRICES) names that attribute: it
    seeds the general entity's theme of it, which :func:`compose_hits` reads as the attribute
    alone (the general attribute, the default, is left out: "general" says nothing).
    """
    columns: dict[str, set[int]] = {}
    spelling: dict[str, str] = {}
    for column, found in enumerate(own):
        for word, stem in found.items():
            columns.setdefault(stem, set()).add(column)
            spelling.setdefault(stem, word)
    general = facets.entity == facets.general_entity
    out = []
    for stem, using in sorted(columns.items()):
        if users[stem] < 2:
            continue
        entities = {int(facets.entity[c]) for c in using}
        attributes = {int(facets.attribute[c]) for c in using}
        if len(entities) == 1 and (entity := entities.pop()) != facets.general_entity:
            out.append((int(facets.default[entity]), spelling[stem]))
        elif len(attributes) == 1:
            attribute = attributes.pop()
            target = np.flatnonzero(general & (facets.attribute == attribute))
            if len(target) and facets.kind[target[0]] == ATTRIBUTE:
                out.append((int(target[0]), spelling[stem]))
    return out


def keyword_hits(
    texts: Sequence[str], taxonomy: Taxonomy, *, languages: Sequence[str | None] | None = None
) -> NDArray[np.bool_]:
    """n texts x n themes: which themes' seed keywords each text mentions (whole stemmed words).

    The seed keywords are the theme's keywords and its own words (:func:`seed_keywords`); the
    halves of a compound taxonomy's themes are joined (:func:`composed_hits`), an entity named
    alone getting its first listed theme.

    Parameters
    ----------
    texts
        The texts.
    taxonomy
        The themes.
    languages
        ISO 639-1 code per text (None: unknown), which chooses the stemmer.

    Returns
    -------
    numpy.ndarray
        True where a text names a theme.
    """
    every = seed_keywords(taxonomy)
    hits = _hits(texts, every, languages, None, None)
    firm = seed_keywords(taxonomy, described=False)
    return composed_hits(
        _without_generic(hits, every, texts, taxonomy, languages, None, None, firm), taxonomy
    )


def seed_hits(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    languages: Sequence[str | None] | None = None,
    folded_words: Sequence[Sequence[str]] | None = None,
    stemmed: dict[str, dict[str, str]] | None = None,
) -> NDArray[np.bool_]:
    """n texts x n themes: which themes' seed keywords each text names, halves not yet joined.

    Parameters
    ----------
    texts
        The texts (or sentences).
    taxonomy
        The themes.
    languages
        ISO 639-1 code per text (None: unknown), which chooses the stemmer.
    folded_words
        The :func:`~advocacy.text.phrases.words` of each text, when the caller has them.
    stemmed
        Stemmer -> word -> stem, read and filled, for a caller that stems the words again.

    Returns
    -------
    numpy.ndarray
        True where a text says one of a theme's seed keywords.
    """
    return _hits(texts, seed_keywords(taxonomy), languages, folded_words, stemmed)


def firm_seed_hits(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    languages: Sequence[str | None] | None = None,
    folded_words: Sequence[Sequence[str]] | None = None,
    stemmed: dict[str, dict[str, str]] | None = None,
    found: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """:func:`seed_hits`, and the hits of the firm seed keywords alone, in one pass.

    The firm seed keywords are the written keywords and the words of the names
    (``seed_keywords(taxonomy, described=False)``); the others are words only a description
    gives, weaker evidence. When the taxonomy has none of those, the two are one array.

    Parameters
    ----------
    texts, taxonomy, languages, folded_words, stemmed
        As for :func:`seed_hits`.
    found
        :func:`seed_hits` of ``texts``, when the caller has it: only the firm words are
        searched for then.

    Returns
    -------
    tuple of numpy.ndarray
        Texts x themes: the hits of every seed keyword, and those of the firm ones.
    """
    every = seed_keywords(taxonomy)
    firm = seed_keywords(taxonomy, described=False)
    found_as = (texts, taxonomy, languages, folded_words, stemmed, firm)
    if every == firm:
        hits = _hits(texts, every, languages, folded_words, stemmed) if found is None else found
        hits = _without_generic(hits, every, *found_as)
        return hits, hits
    if found is not None:
        firm_hits = _hits(texts, firm, languages, folded_words, stemmed)
    else:
        described = [
            tuple(w for w in seeds if w not in kept)
            for seeds, kept in zip(every, firm, strict=True)
        ]
        both = _hits(texts, [*firm, *described], languages, folded_words, stemmed)
        k = len(firm)
        found, firm_hits = both[:, :k] | both[:, k:], both[:, :k]
    return _without_generic(found, every, *found_as), _without_generic(firm_hits, firm, *found_as)


def generic_name_words(taxonomy: Taxonomy, language: str | None) -> list[tuple[str, ...]]:
    """Per theme, the seed words of its name that mark no theme in texts of ``language``.

    A word of a theme's name is a seed keyword (:func:`seed_keywords`) because a name usually
    says what the theme is about; but a name may be made of words any text says: "Ease of
    use" gives "use", which 435 of 3,000 Amazon reviews said about anything else ("Used these
    in my woodshop"). Such a word is one that cannot name a theme on its own in the text's
    language (:func:`~advocacy.text.theme_names.naming_stop_words`, the same words a
    discovered theme is never named by: "use", "get", "good"; not "price", "size" or
    "work", which name what customers write about). A word the user listed among the
    theme's keywords is never one of them.

    Parameters
    ----------
    taxonomy
        The themes.
    language
        ISO 639-1 code of the texts (None: English, as the stop words read it).

    Returns
    -------
    list of tuple
        Per theme, in the taxonomy's order, the generic words of its seed keywords (most
        often none).

    Examples
    --------
    >>> from advocacy.text.taxonomy_file import Taxonomy, TaxonomyTheme
    >>> taxonomy = Taxonomy((
    ...     TaxonomyTheme("Ease of use", keywords=("easy",)),
    ...     TaxonomyTheme("Price"),
    ... ))
    >>> generic_name_words(taxonomy, "en")
    [('use',), ()]
    >>> generic_name_words(Taxonomy((TaxonomyTheme("Ease of use", keywords=("use",)),)), "en")
    [()]
    """
    return _generic_words(taxonomy, seed_keywords(taxonomy, described=False), language)


def _generic_words(
    taxonomy: Taxonomy, firm: Sequence[Sequence[str]], language: str | None
) -> list[tuple[str, ...]]:
    """:func:`generic_name_words`, of the firm seed keywords ``firm`` the caller has."""
    from advocacy.text.theme_names import naming_stop_words

    stop = naming_stop_words(language)
    written = [{fold(keyword) for keyword in theme.keywords} for theme in taxonomy.themes]
    return [
        tuple(word for word in seeds if fold(word) in stop and fold(word) not in own)
        for seeds, own in zip(firm, written, strict=True)
    ]


def _without_generic(
    hits: NDArray[np.bool_],
    seeds: Sequence[Sequence[str]],
    texts: Sequence[str],
    taxonomy: Taxonomy,
    languages: Sequence[str | None] | None,
    folded_words: Sequence[Sequence[str]] | None,
    stemmed: dict[str, dict[str, str]] | None,
    firm: Sequence[Sequence[str]],
) -> NDArray[np.bool_]:
    """``hits`` (texts x columns, of ``seeds``) less the hits of generic name words.

    The texts of each language that have a hit in a column whose seeds hold a word generic
    in it (:func:`generic_name_words`) are searched again for those columns, without those
    words (fewer words find no new hit: the others keep theirs); ``hits`` is left as it is
    (a copy changes), and returned unchanged when no seed is generic.
    """
    codes = [None] * len(texts) if languages is None else list(languages)
    out = hits
    for code in dict.fromkeys(codes):
        generic = _generic_words(taxonomy, firm, code)
        columns = [c for c, words in enumerate(generic) if set(words) & set(seeds[c])]
        if not columns:
            continue
        said = np.asarray(hits[:, columns].any(axis=1), dtype=bool)
        rows = [row for row, own in enumerate(codes) if own == code and said[row]]
        if not rows:
            continue
        if out is hits:
            out = hits.copy()
        out[np.ix_(rows, columns)] = _hits(
            [texts[row] for row in rows],
            [tuple(w for w in seeds[c] if w not in generic[c]) for c in columns],
            None if languages is None else [code] * len(rows),
            None if folded_words is None else [folded_words[row] for row in rows],
            stemmed,
        )
    return out


def _hits(
    texts: Sequence[str],
    seeds: Sequence[Sequence[str]],
    languages: Sequence[str | None] | None,
    folded_words: Sequence[Sequence[str]] | None,
    stemmed: dict[str, dict[str, str]] | None,
) -> NDArray[np.bool_]:
    """Texts x columns: which of each column's ``seeds`` each text says."""
    hits = np.zeros((len(texts), len(seeds)), dtype=bool)
    found = PhraseMatcher(seeds).match_many(
        texts, languages, folded_words=folded_words, stemmed=stemmed
    )
    rows = np.repeat(np.arange(len(texts)), [len(columns) for columns in found])
    hits[rows, [column for columns in found for column in columns]] = True
    return hits


def composed_hits(hits: NDArray[np.bool_], taxonomy: Taxonomy) -> NDArray[np.bool_]:
    """``hits`` with a compound taxonomy's halves joined (:func:`compose_hits`), else as given.

    Parameters
    ----------
    hits
        Texts x themes: the themes whose seed keywords each text says (:func:`seed_hits`).
    taxonomy
        The themes.

    Returns
    -------
    numpy.ndarray
        The themes each text gets by keyword (an entity named alone, its first listed theme).
    """
    facets = theme_facets(taxonomy)
    return hits if facets is None else compose_hits(hits, facets)
