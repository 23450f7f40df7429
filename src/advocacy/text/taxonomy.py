"""Curated themes: a YAML taxonomy the user edits, multi-label assignment, and promotion.

A taxonomy file is a list of themes under ``themes:``; each has a ``name`` and optionally a
``description``, ``keywords`` (words or phrases that mark the theme outright), ``examples``
(phrases that show what the theme sounds like) and a ``parent`` (another theme's name)::

    themes:
      - name: Delivery
        description: parcels arriving late, damaged or not at all
        keywords: [delivery, courier, parcel]
        examples: ["my order never arrived", "the box was crushed"]
      - name: Late delivery
        parent: Delivery
        keywords: [late, delayed]

A text gets every theme one of whose *seed keywords* it contains as whole words after stemming
(:mod:`advocacy.text.phrases`: "tea" never matches "team"). A theme's seed keywords are its
keywords and the words of its own name and description that no other theme's name or
description shares (:func:`seed_keywords`): "Ambience: the atmosphere, decor and music" is
marked by "atmosphere", "decor" and "music" even with no keyword written. The name of the
whole thing the other themes speak of ("the battery of the laptop") marks the taxonomy's broad
theme ("Laptop", or the catch-all ``LAPTOP#GENERAL``) though the other descriptions share it.
A theme written without keywords is also marked by the words the texts themselves use for it
(:func:`text_terms`: "delicious" and "pasta" for "Food: the dishes and how they taste", read
from the sentences that say them), more weakly than by a written word: what is learnt depends
on the texts assigned together.

Compound themes (``FOOD#PRICES``, or "Food prices" beside "Food quality" and "Drink prices")
are read by halves (:mod:`advocacy.text.theme_facets`): a keyword names an entity or an
attribute, the halves a sentence names are joined ("the pizza is overpriced": FOOD#PRICES),
and a word the themes of one entity (or of one attribute) share seeds that half. An entity
named with no attribute gets its first listed theme, except when that theme is not the entity
as a whole but an attribute the whole has too ("Drink prices" listed first beside "Restaurant
prices"): then the sentence's meaning chooses among the entity's themes ("the drinks were
great": "Drink quality"); with keywords alone (:func:`keyword_hits`), or in a sentence too
short to read for meaning, the first listed.

Meaning reads every sentence of a few words, in two steps, and a last rule catches the rest:

1. *Self-training on the texts being assigned* (:func:`advocacy.text.theme_classifier.
   keyword_self_training`): the sentences whose keywords name exactly one theme are examples
   of it; a multinomial logistic regression on their embeddings learns what else each theme
   sounds like ("the sashimi was fresh" is Food though it says no Food word). A sentence takes
   its most likely theme when that probability is :data:`SELF_TRAINED_EVEN_SPLITS` times an
   even split among the themes learnt (at most :data:`SELF_TRAINED_CEILING`: between two
   themes 0.5 is a guess) and what the theme's own keyword sentences reach at the
   :data:`SELF_TRAINED_SEED_PERCENTILE` percentile (a theme the regression tells apart well
   asks more; the taxonomy's broad theme, :func:`~advocacy.text.theme_facets.broad_theme`,
   only the even split), and it is nearer that theme's prototype than generic text
   (:data:`SELF_TRAINED_SIMILARITY`); a sentence with keywords gets it beside theirs ("great
   pizza and fantastic service"). Transductive: no label of anyone else's data is used.
2. What self-training leaves of the sentences without keywords (or, without keywords at all,
   every sentence) gets the one theme whose
   *prototype* it is most similar to, when that similarity reaches ``threshold`` and beats the
   next theme's by ``margin``. A theme's prototype is the mean embedding of its name +
   description, its keywords and its examples (prototypical networks, Snell et al. 2017).
   Similarities are cosines measured from the *none prototype*, the mean embedding of generic,
   theme-free sentences (:data:`NONE_TEXTS`): measured from generic text, only what a text says
   beyond the generic counts.
3. A text that still has no theme and has a word gets the taxonomy's *broad theme*
   (:func:`~advocacy.text.theme_facets.broad_theme`: ``LAPTOP#GENERAL``, "the laptop as a
   whole"), at the weak score :data:`BROAD_FALLBACK`: "I love it" and "Highly recommended" are
   about the whole thing. A taxonomy without a broad theme leaves such a text without one.

A child implies its parent. Non-answers ("n/a", "nothing") get no theme.

Quality on real data (``benchmarks/themes_semeval.py``): SemEval aspect categories as the
taxonomy, written from the category names and one line each; every setting chosen on the train
files (restaurants 2014 and 2015, laptops 2015 by entity and by category); micro-F1 of
keywords + meaning on the held-out
test files, static-e5-256 embedder, for the taxonomy as written / with three keywords a theme /
with names and descriptions only (docs/benchmarks.md, 2026-12-06, has the full tables):

=====================================  ===================  ===================  ===================
test set                               as written           three keywords       no keywords
=====================================  ===================  ===================  ===================
2014 restaurants (4 categories)        0.843                0.812                0.816 (was 0.809)
2015 restaurants (12 E#A)              0.574                0.541                0.539 (was 0.512)
2015 laptops (22 entities)             0.722                0.727                0.735 (was 0.702)
2015 laptops (38 E#A)                  0.428 (was 0.427)    0.416                0.415 (was 0.416)
2015 hotels (7 entities, no train)     0.659                0.651                0.616 (was 0.606)
2015 hotels (34 E#A, no train)         0.451 (was 0.455)    0.451                0.397 (was 0.402)
=====================================  ===================  ===================  ===================

References
----------
Snell, J., Swersky, K. & Zemel, R. (2017). Prototypical networks for few-shot learning. NeurIPS.
Pontiki, M. et al. (2014). SemEval-2014 Task 4: aspect based sentiment analysis. SemEval 2014.
Pontiki, M. et al. (2015). SemEval-2015 Task 12: aspect based sentiment analysis. SemEval 2015.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from advocacy.config_files import Document, file_error, parse_yaml, read_text, validate
from advocacy.errors import InputError, UsageError
from advocacy.text.embeddings import Embedder
from advocacy.text.language import SENTIMENT_LANGUAGES
from advocacy.text.non_answers import non_answer_mask
from advocacy.text.phrases import (
    MAX_CHARACTERS,
    PhraseMatcher,
    stem_words,
    stemmer_language,
    stems,
    words,
)
from advocacy.text.theme_classifier import MAX_SEEDS, MIN_SEEDS, keyword_self_training
from advocacy.text.theme_facets import (
    ATTRIBUTE,
    SEPARATOR,
    Facets,
    alone_themes,
    broad_theme,
    compose_hits,
    theme_facets,
    vague_entities,
)

#: Cosine similarity (from the none prototype) to a theme's prototype at which meaning assigns
#: it to a sentence without keywords; chosen on the SemEval train files (themes_semeval.py).
DEFAULT_THRESHOLD = 0.35
#: How much closer to its best theme than to the next a sentence must be for meaning to assign it.
DEFAULT_MARGIN = 0.075
#: The classifier self-trained on keyword matches assigns a theme to a sentence without keywords
#: when its probability is this many times an even split among the themes it learnt (0.5 of 4
#: themes, 0.17 of 12) or reaches :data:`SELF_TRAINED_CEILING`; chosen on the SemEval train
#: files (themes_semeval.py): among many themes a probability of 0.2 is already a clear choice.
SELF_TRAINED_EVEN_SPLITS = 2.0
#: Probability that always suffices (between two themes, 0.5 would be a guess).
SELF_TRAINED_CEILING = 0.8
#: A learnt theme also needs the probability its own keyword sentences reach at this
#: percentile (the taxonomy's broad theme excepted); chosen on the SemEval train files
#: (themes_semeval.py, text_eval.py's taxonomies): 2 raises their mean and lowers none of
#: them, 5 and 10 lower some, 0 is the even split alone.
SELF_TRAINED_SEED_PERCENTILE = 2.0
#: Least similarity to the self-trained theme's prototype (measured from the none prototype).
SELF_TRAINED_SIMILARITY = 0.1
#: Score of the taxonomy's broad theme in a text that nothing else marks (chosen on the SemEval
#: train files, themes_semeval.py: every set with a broad theme gains, none loses).
BROAD_FALLBACK = 0.01
#: Fewer words than this and a sentence gets no theme by meaning (keywords still count).
MIN_MEANING_WORDS = 3
#: A word of the texts marks a theme written without keywords when the mean of its sentences
#: (measured from the none prototype) is this similar to the theme's prototype ...
TERM_SIMILARITY = 0.4
#: ... and this much more similar to it than to any other theme's (chosen on the SemEval train
#: files, themes_semeval.py: 0.35-0.45 and 0.06-0.1 tried).
TERM_MARGIN = 0.08
#: Sentences (of :data:`MIN_MEANING_WORDS` words or more) a word needs before it is read so
#: (chosen on the SemEval train files, themes_semeval.py: 2 and 5 tried).
TERM_MIN_SENTENCES = 3
#: Generic sentences that are about no theme: their mean embedding is the none prototype.
NONE_TEXTS = (
    "It was fine.",
    "I went there last week.",
    "Thank you.",
    "Overall it was okay.",
    "We will see.",
    "Nothing special to say.",
    "I have been there a few times.",
    "My friend told me about it.",
    "It is what it is.",
    "This is my review.",
    "We went on a Saturday.",
    "I would say so.",
)


@dataclass(frozen=True)
class TaxonomyTheme:
    """One curated theme.

    Attributes
    ----------
    name
        The theme's name, unique in its taxonomy.
    description
        What the theme covers, in words.
    keywords
        Words and phrases that assign the theme wherever they occur.
    examples
        Example sentences that teach the theme's meaning.
    parent
        The name of the broader theme it belongs to, if any.

    Examples
    --------
    >>> TaxonomyTheme("Billing", keywords=("invoice", "charged")).as_dict()
    {'name': 'Billing', 'keywords': ['invoice', 'charged']}
    """

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    parent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.keywords:
            out["keywords"] = list(self.keywords)
        if self.examples:
            out["examples"] = list(self.examples)
        if self.parent:
            out["parent"] = self.parent
        return out


@dataclass(frozen=True)
class Taxonomy:
    """A validated list of curated themes.

    Attributes
    ----------
    themes
        The themes, in the file's order.

    Examples
    --------
    >>> Taxonomy((TaxonomyTheme("Billing"), TaxonomyTheme("Staff"))).names
    ['Billing', 'Staff']
    """

    themes: tuple[TaxonomyTheme, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [theme.name for theme in self.themes]


def _phrases(value: Any) -> Any:
    """Keywords or examples: one phrase or a list of them (YAML may read a phrase as a number)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        raise PydanticCustomError(
            "phrases",
            "must be a list of phrases",
            {"fix": "write it like: [first phrase, second phrase]"},
        )
    return tuple(str(v).strip() for v in value if str(v).strip())


def _name(value: Any) -> Any:
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not text or isinstance(value, dict | list):
        raise PydanticCustomError("name", "the theme has no name", {"fix": "give it 'name: ...'"})
    return text


def _words(value: Any) -> Any:
    return "" if value is None else str(value).strip()


Phrases = Annotated[tuple[str, ...], BeforeValidator(_phrases)]


class ThemeSpec(BaseModel):
    """One theme as written in a taxonomy file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, BeforeValidator(_name)] = Field(
        "", validate_default=True, description="the theme's name", examples=["name: Delivery"]
    )
    description: Annotated[str, BeforeValidator(_words)] = Field(
        "", description="what the theme covers, in a line"
    )
    keywords: Phrases = Field((), description="words or phrases that mark the theme outright")
    examples: Phrases = Field((), description="phrases that show what the theme sounds like")
    parent: Annotated[str, BeforeValidator(_words)] = Field("", description="another theme's name")

    def theme(self) -> TaxonomyTheme:
        return TaxonomyTheme(
            self.name, self.description, self.keywords, self.examples, self.parent or None
        )


class TaxonomyFile(BaseModel):
    """A taxonomy file: its list of themes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    themes: list[ThemeSpec] = Field(
        description="the curated themes", examples=["themes: [{name: Delivery}]"]
    )


def _taxonomy(document: Document) -> Taxonomy:
    if not isinstance(document.data, dict):
        raise InputError(
            "a taxonomy file needs a top-level list called themes",
            file=document.source,
            fix="start the file with 'themes:' followed by '- name: ...' entries",
        )
    themes = [spec.theme() for spec in validate(TaxonomyFile, document).themes]
    names = [theme.name for theme in themes]

    def fail(index: int, key: str, message: str, fix: str, value: Any) -> InputError:
        return file_error(
            InputError,
            document.source,
            f"themes[{index + 1}].{key}",
            message,
            fix,
            value,
            line=document.line(f"themes.{index}.{key}"),
            column=key,
        )

    for index, theme in enumerate(themes):
        if names.index(theme.name) != index:
            raise fail(index, "name", f"theme {theme.name!r} is listed twice", "merge them", None)
        if theme.parent is not None and theme.parent not in names:
            raise fail(
                index,
                "parent",
                f"theme {theme.name!r} has parent {theme.parent!r}, which is not in the taxonomy",
                "add the parent theme or correct its name",
                theme.parent,
            )
    return Taxonomy(tuple(themes))


def parse_taxonomy(data: Any, *, path: str = "<taxonomy>") -> Taxonomy:
    """Validate parsed YAML into a :class:`Taxonomy` (every error names the theme and the fix)."""
    return _taxonomy(Document(data, path))


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy YAML file (errors name its line too).

    Parameters
    ----------
    path
        The taxonomy file: a ``themes`` list, each with a ``name`` and optionally a
        ``description``, ``keywords``, ``examples`` and a ``parent``.

    Returns
    -------
    Taxonomy
        The themes, ready to tag texts.

    Raises
    ------
    InputError
        When the file does not exist or cannot be read.
    ValidationError
        When a theme is malformed, with the file, line and field at fault.

    Examples
    --------
    >>> taxonomy = load_taxonomy("taxonomy.yaml")  # doctest: +SKIP
    """
    if not Path(path).exists():
        raise InputError(f"no taxonomy file {str(path)!r}", file=str(path), fix="check the path")
    text = read_text(path, what="taxonomy file")
    return _taxonomy(parse_yaml(text, source=str(path)))


def save_taxonomy(taxonomy: Taxonomy, path: str | Path) -> None:
    """Write ``taxonomy`` as YAML (the format :func:`load_taxonomy` reads)."""
    text = yaml.safe_dump(
        {"themes": [t.as_dict() for t in taxonomy.themes]}, sort_keys=False, allow_unicode=True
    )
    Path(path).write_text(text, encoding="utf-8")


def promote(taxonomy: Taxonomy, theme: TaxonomyTheme) -> Taxonomy:
    """``taxonomy`` with ``theme`` added (a discovered theme becoming a curated one)."""
    if theme.name in taxonomy.names:
        raise UsageError(
            f"the taxonomy already has a theme {theme.name!r}", fix="pass another --name"
        )
    return Taxonomy((*taxonomy.themes, theme))


def _unit(rows: NDArray[Any]) -> NDArray[np.float32]:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)


@dataclass(frozen=True)
class Prototypes:
    """Theme prototypes and the none prototype they are measured from, for one embedder."""

    themes: NDArray[np.float32]  # n themes x d, unit rows measured from ``none``
    none: NDArray[np.float32]  # d

    def similarity(self, vectors: NDArray[Any]) -> NDArray[np.float32]:
        """Cosine of each vector to each theme prototype, both measured from the none prototype."""
        centred = _unit(np.asarray(vectors, np.float32) - self.none)
        similarity: NDArray[np.float32] = centred @ self.themes.T
        return similarity


def theme_prototypes(taxonomy: Taxonomy, embedder: Embedder) -> Prototypes:
    """Each theme's prototype: the mean embedding of its name + description, keywords, examples."""
    prompts = [
        [f"{theme.name}. {theme.description}".strip(" ."), *theme.keywords, *theme.examples]
        for theme in taxonomy.themes
    ]
    # One call for every prompt: the per-call cost of the embedder is paid once.
    vectors = np.asarray(
        embedder.embed([*NONE_TEXTS, *(prompt for found in prompts for prompt in found)]),
        np.float32,
    )
    none = vectors[: len(NONE_TEXTS)].mean(axis=0)
    ends = np.cumsum([len(NONE_TEXTS)] + [len(found) for found in prompts])
    rows = [vectors[start:end].mean(axis=0) for start, end in pairwise(ends)]
    matrix = np.vstack(rows) if rows else np.zeros((0, len(none)), np.float32)
    return Prototypes(_unit(matrix - none), none)


def seed_keywords(taxonomy: Taxonomy) -> list[tuple[str, ...]]:
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

    Examples
    --------
    >>> taxonomy = Taxonomy((
    ...     TaxonomyTheme("Food", "the dishes and their taste", ("meal",)),
    ...     TaxonomyTheme("Service", "the staff and their manners"),
    ... ))
    >>> seed_keywords(taxonomy)
    [('meal', 'dishes', 'food', 'taste'), ('manners', 'service', 'staff')]
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
    seeds = [
        [*theme.keywords, *sorted(w for w, stem in found.items() if users[stem] == 1)]
        for theme, found in zip(taxonomy.themes, own, strict=True)
    ]
    facets = theme_facets(taxonomy)
    if facets is not None:
        for column, word in _facet_words(own, users, facets):
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

    The seed keywords are the theme's keywords and its own words (:func:`seed_keywords`).
    """
    return _composed(_seed_hits(texts, taxonomy, languages=languages), taxonomy)


def _seed_hits(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    languages: Sequence[str | None] | None = None,
    folded_words: Sequence[Sequence[str]] | None = None,
    stemmed: dict[str, dict[str, str]] | None = None,
) -> NDArray[np.bool_]:
    """n texts x n themes: which themes' seed keywords each text names, halves not yet joined."""
    hits = np.zeros((len(texts), len(taxonomy.themes)), dtype=bool)
    matcher = PhraseMatcher(seed_keywords(taxonomy))
    found = matcher.match_many(texts, languages, folded_words=folded_words, stemmed=stemmed)
    rows = np.repeat(np.arange(len(texts)), [len(columns) for columns in found])
    hits[rows, [column for columns in found for column in columns]] = True
    return hits


def _composed(
    hits: NDArray[np.bool_], taxonomy: Taxonomy, alone: NDArray[np.int64] | None = None
) -> NDArray[np.bool_]:
    facets = theme_facets(taxonomy)
    return hits if facets is None else compose_hits(hits, facets, alone=alone)


def text_terms(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None = None,
    languages: Sequence[str | None] | None = None,
) -> dict[str, str]:
    """Words of the texts that mark a theme written without keywords: word -> theme name.

    A theme written from its name and a line ("Food: the dishes and how they taste") has few
    words of its own, and the texts say more ("pasta", "sauce", "crust"). The texts are cut
    into sentences as :func:`assign_themes` cuts them, and every word of the sentences read for
    meaning (:data:`MIN_MEANING_WORDS` words or more) that has three letters or more, is no
    stop word (of any language theme names know) nor has a stop word's stem, and is no seed
    keyword of any theme is read by the sentences that say it: the mean of their directions
    from the none prototype (not re-normalised: the sentences of a filler word point many ways
    and their mean is short) must be :data:`TERM_SIMILARITY` similar to one theme's prototype
    and :data:`TERM_MARGIN` more similar to it than to any other, and that theme must have no
    keywords written (a theme given keywords is marked by those). A word said in fewer than
    :data:`TERM_MIN_SENTENCES` such sentences is left out. The forms of a word that share a
    stem (in any language the texts are read in) count as one word.

    :func:`assign_themes` learns these words from the texts it is given and marks their themes
    in every sentence that says one, at the word's similarity (below a written keyword's 1.0):
    what it learns depends on the batch, and this function shows what it learnt.

    Parameters
    ----------
    texts
        The texts, as given to :func:`assign_themes`.
    taxonomy
        The themes.
    embedder
        Embeds the sentences and the prototypes.
    embeddings
        The texts' embeddings by ``embedder``, if at hand (they serve one-sentence texts).
    languages
        ISO 639-1 code per text (None: unknown), which chooses the stemmer.

    Returns
    -------
    dict
        The form said most often of each word learnt -> the name of the theme it marks.
    """
    cut = _cut(texts)
    chosen = None if languages is None else [languages[row] for row in cut.owner]
    if not len(cut.read):
        return {}
    vectors = _sentence_vectors(cut.pieces, cut.read, cut.owner, cut.counts, embedder, embeddings)
    terms = _text_terms(
        cut.pieces,
        cut.read,
        vectors,
        theme_prototypes(taxonomy, embedder),
        taxonomy,
        stemmer_of=_stemmers_of(chosen, len(cut.pieces)),
        folded=[words(piece) for piece in cut.pieces],
        stemmed={},
    )
    return {term.word: taxonomy.names[term.column] for term in terms}


@dataclass(frozen=True)
class _Term:
    """A word of the texts learnt for a theme: its most said form, the theme, the similarity,
    and every (stemmer, stem) and form that say it."""

    word: str
    column: int
    similarity: float
    keys: frozenset[tuple[str, str]]
    forms: frozenset[str]


@dataclass(frozen=True)
class _Cut:
    """Texts cut into sentences: each piece's text and owner, the pieces read for meaning,
    and the number of pieces of each text."""

    pieces: list[str]
    owner: NDArray[np.int64]
    read: NDArray[np.int64]
    counts: NDArray[np.int64]


def _cut(texts: Sequence[str]) -> _Cut:
    from advocacy.text.sentiment import sentence_spans

    spans = [sentence_spans((text or "")[:MAX_CHARACTERS]) for text in texts]
    owner = np.array([row for row, found in enumerate(spans) for _ in found], dtype=np.int64)
    pieces = [texts[row][a:b] for row, found in enumerate(spans) for a, b in found]
    # Only sentences of a few words are read for meaning: "Brilliant." says nothing about a
    # topic, and a lone word's embedding is mostly its spelling.
    long_enough = np.array([len(piece.split()) >= MIN_MEANING_WORDS for piece in pieces], bool)
    counts = np.array([len(found) for found in spans], dtype=np.int64)
    return _Cut(pieces, owner, np.flatnonzero(long_enough), counts)


def _stemmers_of(languages: Sequence[str | None] | None, n: int) -> list[str]:
    if languages is None:
        return [stemmer_language(None)] * n
    return [stemmer_language(language) for language in languages]


def _stems_in(
    stemmed: dict[str, dict[str, str]], stemmer: str, folded: Iterable[str]
) -> dict[str, str]:
    """``stemmed[stemmer]``, filled with the stems of ``folded`` it lacks."""
    known = stemmed.setdefault(stemmer, {})
    fresh = [word for word in set(folded) if word not in known]
    if fresh:
        known.update(zip(fresh, stem_words(fresh, stemmer), strict=True))
    return known


def _text_terms(
    pieces: Sequence[str],
    read: NDArray[np.int64],
    vectors: NDArray[Any],
    prototypes: Prototypes,
    taxonomy: Taxonomy,
    *,
    stemmer_of: Sequence[str],
    folded: Sequence[Sequence[str]],
    stemmed: dict[str, dict[str, str]],
) -> list[_Term]:
    """The words of the sentences ``read`` (``vectors`` their embeddings) that mark a theme
    (:func:`text_terms`); ``stemmed`` (stemmer -> word -> stem) is read and filled."""
    from scipy import sparse

    from advocacy.text.theme_names import STOP_WORDS

    open_columns = np.array([not theme.keywords for theme in taxonomy.themes], bool)
    if len(read) == 0 or len(taxonomy.themes) < 2 or not open_columns.any():
        return []
    stop = frozenset().union(*STOP_WORDS.values())
    # Words are nodes; the words one stemmer gives one stem are one term, and a word read in
    # two languages joins its stems in both ("delicious": delici in English, delicious in
    # French). A term with a stop word's stem or a seed keyword's, in any stemmer, marks nothing.
    node: dict[str, int] = {}
    seen_by: dict[str, set[str]] = {}  # stemmer -> the words it reads
    said_in: list[int] = []  # per occurrence, the sentence (index into read) and the word
    said_word: list[int] = []
    for i, row in enumerate(read.tolist()):
        kept = [word for word in folded[row] if len(word) >= 3 and not word.isdigit()]
        seen_by.setdefault(stemmer_of[row], set()).update(kept)
        said_in.extend([i] * len(kept))
        said_word.extend([node.setdefault(word, len(node)) for word in kept])
    if not node:
        return []
    parent = list(range(len(node)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seeds = {
        word for found in seed_keywords(taxonomy) for keyword in found for word in words(keyword)
    }
    vocabulary = list(node)
    stopped = {node[word] for word in vocabulary if word in stop or word in seeds}
    keys_of: dict[int, set[tuple[str, str]]] = {}
    for stemmer, found in sorted(seen_by.items()):
        seen = sorted(found)
        table = _stems_in(stemmed, stemmer, seen)
        banned = set(stem_words([*stop, *seeds], stemmer))
        first: dict[str, int] = {}
        for word in seen:
            stem = table[word]
            at = node[word]
            keys_of.setdefault(at, set()).add((stemmer, stem))
            if stem in banned or not stem:
                stopped.add(at)
            other = first.setdefault(stem, at)
            parent[root(at)] = root(other)
    roots = [root(at) for at in range(len(node))]
    banned_roots = {roots[at] for at in stopped}
    term_of: dict[int, int] = {}
    for top in roots:
        if top not in banned_roots:
            term_of.setdefault(top, len(term_of))
    if not term_of:
        return []
    ids = np.array([term_of.get(roots[at], -1) for at in range(len(node))], np.int64)
    rows = np.array(said_in, np.int64)
    nodes = np.array(said_word, np.int64)
    terms = ids[nodes]
    keep = terms >= 0
    n_terms = len(term_of)
    # One count per (sentence, term), however often the sentence says it.
    pairs = np.unique(rows[keep] * n_terms + terms[keep])
    counts = sparse.csr_matrix(
        (np.ones(len(pairs), np.float32), (pairs % n_terms, pairs // n_terms)),
        shape=(n_terms, len(read)),
    )
    said = np.asarray(counts.sum(axis=1)).ravel()
    frequent = np.flatnonzero(said >= TERM_MIN_SENTENCES)
    if len(frequent) == 0:
        return []
    # The mean of the sentences' directions from the none prototype, not re-normalised: a word
    # whose sentences point many ways (a filler word) has a short mean and reaches no theme.
    centred = _unit(np.asarray(vectors, np.float32) - prototypes.none)
    centre = (counts[frequent] @ centred) / said[frequent, None]
    similarity = centre @ prototypes.themes.T
    order = np.argsort(-similarity, axis=1)
    best = order[:, 0]
    first_value = similarity[np.arange(len(frequent)), best]
    second = similarity[np.arange(len(frequent)), order[:, 1]]
    chosen = (first_value >= TERM_SIMILARITY) & (first_value - second >= TERM_MARGIN)
    chosen &= open_columns[best]
    if not chosen.any():
        return []
    # The form said in most sentences names the term (the first such form read, on ties).
    form_counts = np.bincount(np.unique(rows * len(node) + nodes) % len(node), minlength=len(node))
    members: dict[int, list[int]] = {}
    for at in range(len(node)):
        if ids[at] >= 0:
            members.setdefault(int(ids[at]), []).append(at)
    out = []
    for i in np.flatnonzero(chosen).tolist():
        term = int(frequent[i])
        forms = members[term]
        out.append(
            _Term(
                word=vocabulary[max(forms, key=lambda at: (form_counts[at], -at))],
                column=int(best[i]),
                similarity=float(first_value[i]),
                keys=frozenset(key for at in forms for key in keys_of.get(at, ())),
                forms=frozenset(vocabulary[at] for at in forms),
            )
        )
    return out


def _term_hits(
    terms: Sequence[_Term],
    k: int,
    *,
    stemmer_of: Sequence[str],
    folded: Sequence[Sequence[str]],
    stemmed: dict[str, dict[str, str]],
) -> NDArray[np.float64]:
    """Pieces x themes: the similarity of the strongest learnt word each piece says, else 0.

    A piece says a term when one of its words is one of the term's forms or has one of its
    stems in the piece's stemmer: every sentence, however short ("Delicious pasta.").
    """
    strength = np.zeros((len(folded), k))
    if not terms:
        return strength
    by_form: dict[str, _Term] = {}
    by_key: dict[tuple[str, str], _Term] = {}
    for term in sorted(terms, key=lambda term: term.similarity):  # the strongest wins
        by_form.update(dict.fromkeys(term.forms, term))
        by_key.update(dict.fromkeys(term.keys, term))
    # Each distinct word of each stemmer is looked up once.
    said: dict[str, dict[str, _Term]] = {}
    for stemmer in set(stemmer_of):
        seen = {
            word
            for row, found in enumerate(folded)
            if stemmer_of[row] == stemmer
            for word in found
            if len(word) >= 3 and not word.isdigit()
        }
        table = _stems_in(stemmed, stemmer, seen)
        said[stemmer] = {
            word: marks
            for word in seen
            if (marks := by_form.get(word) or by_key.get((stemmer, table[word]))) is not None
        }
    for row, found in enumerate(folded):
        marked = said[stemmer_of[row]]
        for word in found:
            hit = marked.get(word)
            if hit is not None and hit.similarity > strength[row, hit.column]:
                strength[row, hit.column] = hit.similarity
    return strength


def assign_themes(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
    languages: Sequence[str | None] | None = None,
    keywords: bool = True,
    meaning: bool = True,
) -> NDArray[np.float64]:
    """Theme scores (n texts x n themes) in 0..1; a score > 0 means the text has the theme.

    Parameters
    ----------
    texts
        The texts to assign.
    taxonomy
        The themes.
    embedder
        Embeds sentences and the prototypes (``embeddings`` of the same embedder saves the work
        for one-sentence texts).
    embeddings
        The texts' embeddings by ``embedder``, if at hand (they serve one-sentence texts).
    threshold
        Similarity to a prototype, measured from the none prototype, at which meaning assigns a
        theme to a sentence that has no keyword.
    margin
        How much more similar to that theme than to the next best the sentence must be.
    languages
        ISO 639-1 code per text (None: unknown), which chooses the keyword stemmer.
    keywords, meaning
        Turn either evidence off (to measure the other alone).

    Returns
    -------
    numpy.ndarray
        1.0 for a hit of a seed keyword (:func:`seed_keywords`), the word's similarity (below
        1.0) for a word learnt from the texts (:func:`text_terms`), else the best sentence's
        similarity (or self-trained
        probability) where meaning assigned the theme, :data:`BROAD_FALLBACK` for the broad
        theme of a text nothing else marks (in a language the sentiment model reads, or one
        ``languages`` does not know), else 0; a child's score propagates to its parent.
        Non-answers score 0 everywhere.

    Examples
    --------
    >>> from advocacy.text import default_embedder
    >>> taxonomy = Taxonomy((
    ...     TaxonomyTheme("Billing", keywords=("invoice", "charged")),
    ...     TaxonomyTheme("Staff", keywords=("staff", "agent")),
    ... ))
    >>> texts = ["I was charged twice on my invoice", "the agent was kind", "nice weather"]
    >>> assign_themes(texts, taxonomy, embedder=default_embedder()).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """
    n, k = len(texts), len(taxonomy.themes)
    scores = np.zeros((n, k))
    if n == 0 or k == 0:
        return scores
    if keywords and not meaning:
        scores[keyword_hits(texts, taxonomy, languages=languages)] = 1.0
    if meaning:
        _by_sentence(
            scores,
            texts,
            taxonomy,
            embedder=embedder,
            embeddings=embeddings,
            threshold=threshold,
            margin=margin,
            languages=languages if keywords else None,
            keywords=keywords,
        )
        # A text that names nothing the taxonomy lists is about the thing as a whole: its broad
        # theme ("I love it": LAPTOP#GENERAL), weakly (quotes come from texts that name it).
        # Only in a language the model reads: a Japanese review in an English taxonomy names
        # nothing because nothing could be read, not because it is about the whole.
        broad = broad_theme(taxonomy)
        if broad is not None:
            unthemed = np.flatnonzero(~(scores > 0).any(axis=1)).tolist()
            worded = [
                row
                for row in unthemed
                if words((texts[row] or "")[:MAX_CHARACTERS])
                and (languages is None or languages[row] in (None, *SENTIMENT_LANGUAGES))
            ]
            scores[worded, broad] = BROAD_FALLBACK
    index = {name: i for i, name in enumerate(taxonomy.names)}
    for _ in range(k):  # propagate up chains of parents
        for column, theme in enumerate(taxonomy.themes):
            if theme.parent is not None:
                parent = index[theme.parent]
                scores[:, parent] = np.maximum(scores[:, parent], scores[:, column])
    scores[non_answer_mask(texts)] = 0.0
    return np.clip(scores, 0.0, 1.0)


def _by_sentence(
    scores: NDArray[np.float64],
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None,
    threshold: float,
    margin: float,
    languages: Sequence[str | None] | None,
    keywords: bool,
) -> None:
    """Fill ``scores`` sentence by sentence: keywords first, meaning where they are silent."""
    k = len(taxonomy.themes)
    cut = _cut(texts)
    pieces, owner, read, counts = cut.pieces, cut.owner, cut.read, cut.counts
    hits = np.zeros((len(pieces), k), dtype=bool)
    vectors: NDArray[np.float32] | None = None
    centred: NDArray[np.float32] | None = None
    prototypes: Prototypes | None = None
    if keywords:
        chosen = None if languages is None else [languages[row] for row in owner]
        open_themes = any(not theme.keywords for theme in taxonomy.themes)
        # Cut once: the keywords and the words of the texts read the same words.
        folded = [words(piece) for piece in pieces] if open_themes else None
        stemmed: dict[str, dict[str, str]] = {}
        found = _seed_hits(pieces, taxonomy, languages=chosen, folded_words=folded, stemmed=stemmed)
        facets = theme_facets(taxonomy)
        alone = None
        if facets is not None and len(read) and vague_entities(facets):
            # An entity named with no attribute and no theme about it as a whole: what the
            # sentence says may choose which of its themes ("the drinks were great").
            vectors = _sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
            # Names and descriptions only: by convention an entity's own words are its first
            # theme's keywords, and they say nothing of the attribute.
            described = theme_prototypes(
                Taxonomy(tuple(TaxonomyTheme(t.name, t.description) for t in taxonomy.themes)),
                embedder,
            )
            # The none prototype is the same generic sentences': the centred vectors serve
            # self-training below too.
            centred = _unit(vectors - described.none)
            similarity = centred @ described.themes.T
            alone = alone_themes(similarity, read, len(pieces), facets)
        written = _composed(found, taxonomy, alone)
        hits = written
        if len(read) and folded is not None:
            # A theme written without keywords is also marked by the words the texts use for
            # it, learnt from the sentences read for meaning, found in every sentence.
            if vectors is None:
                vectors = _sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
            if prototypes is None:
                prototypes = theme_prototypes(taxonomy, embedder)
            stemmer_of = _stemmers_of(chosen, len(pieces))
            terms = _text_terms(
                pieces,
                read,
                vectors,
                prototypes,
                taxonomy,
                stemmer_of=stemmer_of,
                folded=folded,
                stemmed=stemmed,
            )
            if terms:
                strength = _term_hits(
                    terms, k, stemmer_of=stemmer_of, folded=folded, stemmed=stemmed
                )
                hits = _composed(found | (strength > 0), taxonomy, alone)
                # Weaker evidence than a written keyword: the word's similarity, not 1.0 (a
                # word learnt from one batch may not be learnt from the next).
                rows, columns = np.nonzero(hits & ~written)
                np.maximum.at(scores, (owner[rows], columns), strength[rows].max(axis=1))
        # A text's keywords are its sentences' keywords (a phrase does not cross a sentence).
        rows, columns = np.nonzero(written)
        scores[owner[rows], columns] = 1.0
    silent = np.asarray(~hits.any(axis=1), bool)
    if not silent[read].any():
        return
    # Sentences whose keywords name exactly one theme teach what else that theme sounds like.
    seeds = np.flatnonzero(hits[read].sum(axis=1) == 1) if keywords else read[:0]
    if len(seeds) > MAX_SEEDS:
        seeds = np.sort(np.random.default_rng(0).choice(seeds, MAX_SEEDS, replace=False))
    if vectors is None:
        vectors = _sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
    if prototypes is None:
        prototypes = theme_prototypes(taxonomy, embedder)
    if centred is None:
        centred = _unit(vectors - prototypes.none)
    learned = keyword_self_training(
        centred[seeds], hits[read[seeds]].argmax(axis=1), centred, n_themes=k
    )
    chosen, confidence = learned.argmax(axis=1), learned.max(axis=1)
    similarity = centred @ prototypes.themes.T
    # The regression always picks one of the themes it learnt; a sentence must also be nearer
    # that theme's prototype than generic text is, or a taxonomy of two themes would tag
    # everything else one of the two.
    nearer = similarity[np.arange(len(read)), chosen] >= SELF_TRAINED_SIMILARITY
    # Well above an even split among the themes learnt: 0.2 is a clear choice among twelve,
    # 0.5 a guess between two (hence the ceiling).
    learnt = max(int((learned.sum(axis=0) > 0).sum()), 1)
    bar = _self_trained_bars(
        learned, seeds, hits[read[seeds]].argmax(axis=1), learnt, broad_theme(taxonomy)
    )
    taught = (confidence >= bar[chosen]) & nearer
    # A sentence with keywords gets the learnt theme too when its keywords do not name it
    # ("great pizza and fantastic service": service by keyword, food by what pizza sounds like),
    # except a compound taxonomy's catch-all theme (RESTAURANT#GENERAL), which is only for a
    # sentence that names nothing more specific (compose_hits).
    facets = theme_facets(taxonomy)
    catch_all = -1 if facets is None else int(facets.default[facets.general_entity])
    named = np.asarray(hits[read].any(axis=1), bool)
    for i in np.flatnonzero(taught):
        row, column = int(owner[read[i]]), int(chosen[i])
        if not hits[read[i], column] and not (column == catch_all and named[i]):
            scores[row, column] = max(scores[row, column], float(confidence[i]))
    # What self-training leaves of the silent sentences (or, without keywords, all of them) is
    # read against the prototypes.
    left = silent[read] & ~taught
    ordered = np.sort(similarity, axis=1)
    best = similarity.argmax(axis=1)
    value = ordered[:, -1]
    runner_up = ordered[:, -2] if k > 1 else np.full(len(read), -1.0)
    for i in np.flatnonzero(left & (value >= threshold) & (value - runner_up >= margin)):
        row, column = int(owner[read[i]]), int(best[i])
        scores[row, column] = max(scores[row, column], float(value[i]))


def _sentence_vectors(
    pieces: Sequence[str],
    read: NDArray[np.int64],
    owner: NDArray[np.int64],
    counts: NDArray[np.int64],
    embedder: Embedder,
    embeddings: NDArray[Any] | None,
) -> NDArray[np.float32]:
    """Embeddings of the sentences ``read`` (a one-sentence text's own, when given)."""
    vectors = np.zeros((len(read), embedder.dimension), np.float32)
    reuse = counts[owner[read]] == 1 if embeddings is not None else np.zeros(len(read), bool)
    if reuse.any():
        vectors[reuse] = np.asarray(embeddings, np.float32)[owner[read[reuse]]]
    if (~reuse).any():
        vectors[~reuse] = embedder.embed([pieces[i] for i in read[~reuse]])
    return vectors


def _self_trained_bars(
    learned: NDArray[np.float64],
    seeds: NDArray[np.int64],
    seed_themes: NDArray[np.int64],
    learnt: int,
    broad: int | None,
) -> NDArray[np.float64]:
    """Per theme, the probability at which self-training assigns it.

    Every theme needs :data:`SELF_TRAINED_EVEN_SPLITS` times an even split among the themes
    learnt (at most :data:`SELF_TRAINED_CEILING`). A theme also needs the probability that
    its own keyword sentences reach at their :data:`SELF_TRAINED_SEED_PERCENTILE` percentile:
    a theme the regression tells apart well ("the staff") asks more of a sentence than one it
    confuses with others, measured on the texts being assigned. The taxonomy's broad theme
    (:func:`~advocacy.text.theme_facets.broad_theme`: "the laptop as a whole") keeps the even
    split alone: its keywords occur in sentences of every kind, so what they score says little
    of a sentence about it that names nothing.
    """
    even = min(SELF_TRAINED_CEILING, SELF_TRAINED_EVEN_SPLITS / learnt)
    bars = np.full(learned.shape[1], even)
    for theme in np.unique(seed_themes):
        own = learned[seeds[seed_themes == theme], theme]
        if len(own) >= MIN_SEEDS and theme != broad:
            bars[theme] = max(even, float(np.percentile(own, SELF_TRAINED_SEED_PERCENTILE)))
    return bars
