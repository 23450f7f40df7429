"""Compound themes (``ENTITY#ATTRIBUTE``): read a keyword as evidence of one half of a theme.

Aspect taxonomies name a theme by what is talked about and which side of it: ``FOOD#QUALITY``,
``FOOD#PRICES``, ``RESTAURANT#PRICES`` (the SemEval aspect categories, Pontiki et al. 2015).
Written from such names, a theme's keywords say only one half: "food" under ``FOOD#QUALITY``
names the entity, "expensive" under ``RESTAURANT#PRICES`` the attribute. Matched as they stand,
"the food is overpriced" gets ``FOOD#QUALITY`` and ``RESTAURANT#PRICES`` and never
``FOOD#PRICES``. :func:`compose_hits` reads each theme's keyword hits as evidence of a half and
puts the halves a sentence mentions back together:

- the *general entity* is the one the descriptions of most other entities talk about ("the
  prices of the *restaurant*", "the *hotel*'s facilities"), else the one with most themes, else
  the first listed; a keyword of one of its
  themes other than its *default* (below) names only the attribute ("expensive": PRICES);
- an entity's *default theme* is its ``GENERAL`` theme (else its first listed); a keyword of a
  default theme of another entity names only the entity ("food": FOOD);
- any other keyword names both halves (a phrase such as "wine list" under
  ``DRINKS#STYLE_OPTIONS``).

A sentence's attribute evidence joins every entity it names that has a theme of that attribute
(FOOD + PRICES: ``FOOD#PRICES``) or, when it names none, the general entity (``RESTAURANT#PRICES``);
an entity named without an attribute gets its default theme (``FOOD#QUALITY``), and an entity
named with one of its attributes does not get its theme as a whole (``DISPLAY#GENERAL``). When
the default is not the entity as a whole but an attribute the general entity has too
(``DRINKS#PRICES`` listed first beside ``RESTAURANT#PRICES``) and the entity has other themes,
the entity is *vague* (:func:`vague_entities`): the caller may choose by what the sentence says
(``compose_hits(..., alone=...)``; ``assign_themes`` does so by meaning, when it clearly says
another side, :func:`alone_themes`; a :data:`CATCH_ALL` attribute such as ``MISCELLANEOUS`` is
no side a sentence says, and is never chosen so): "the drinks were great" is no sentence about
their price, and "the drinks were tasty" (``DRINKS#QUALITY`` by keyword) does not get it beside.
A taxonomy whose names do not all split in two at ``#``, or that shares no attribute between
entities, is left as it is.

References
----------
Pontiki, M. et al. (2015). SemEval-2015 Task 12: aspect based sentiment analysis. SemEval 2015.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from advocacy.text.phrases import stems

if TYPE_CHECKING:
    from advocacy.text.taxonomy import Taxonomy

__all__ = [
    "ATTRIBUTE",
    "BOTH",
    "CATCH_ALL",
    "ENTITY",
    "GENERAL",
    "SEPARATOR",
    "Facets",
    "alone_themes",
    "broad_theme",
    "compose_hits",
    "theme_facets",
    "vague_entities",
]

#: What separates the entity from the attribute in a compound theme name.
SEPARATOR = "#"
#: The attribute name that marks an entity's default theme ("FOOD#GENERAL").
GENERAL = "general"
#: Attribute names of what is left over of an entity ("FOOD_DRINKS#MISCELLANEOUS", "Food
#: other"): the SemEval guidelines' catch-all attribute and its common spellings.
CATCH_ALL = ("miscellaneous", "misc", "other", "others")

#: A keyword of the theme names both halves, only its entity, or only its attribute.
BOTH, ENTITY, ATTRIBUTE = 0, 1, 2


@dataclass(frozen=True)
class Facets:
    """The two halves of every theme of a compound taxonomy.

    Attributes
    ----------
    entity, attribute
        Per theme (column), the index of its entity and of its attribute.
    kind
        Per theme, what its keywords name: :data:`BOTH`, :data:`ENTITY` or :data:`ATTRIBUTE`.
    general_entity
        The entity whose themes catch what names no other entity.
    default
        Per entity, the column of its default theme.
    whole
        Per entity, whether its default theme is about it as a whole (``FOOD#GENERAL``), not
        one attribute of it (``FOOD#QUALITY`` as the first listed).
    catch_all
        Per theme, whether its attribute is what is left over of the entity (:data:`CATCH_ALL`:
        ``FOOD_DRINKS#MISCELLANEOUS``).
    """

    entity: NDArray[np.int64]
    attribute: NDArray[np.int64]
    kind: NDArray[np.int64]
    general_entity: int
    default: NDArray[np.int64]
    whole: NDArray[np.bool_]
    catch_all: NDArray[np.bool_]


def _split(name: str, *, marked: bool) -> tuple[str, str] | None:
    """(entity, attribute) of a theme name: around ``#`` when the taxonomy uses it, else its
    first word and the rest by stem ("Food prices": food, price; "Ambience": ambienc, "")."""
    if marked:
        entity, separator, attribute = name.partition(SEPARATOR)
        entity, attribute = entity.strip().casefold(), attribute.strip().casefold()
        if not separator or not entity or not attribute or SEPARATOR in attribute:
            return None
        return entity, attribute
    stemmed = stems(name)
    return (stemmed[0], " ".join(stemmed[1:])) if stemmed else None


def _left_over(attribute: str) -> bool:
    """Whether an attribute (as :func:`_split` gives it) is a :data:`CATCH_ALL` one."""
    first = stems(attribute.replace("_", " "))[:1]
    return bool(first) and first[0] in {stem for name in CATCH_ALL for stem in stems(name)}


def theme_facets(taxonomy: Taxonomy) -> Facets | None:
    """The entity and attribute of each theme, or None when the taxonomy is not compound.

    Names split at ``#`` ("FOOD#PRICES") when the taxonomy uses it, else into their first word
    and the rest ("Food prices"; "Ambience" is an entity alone). The taxonomy is compound when
    two entities have two themes or more each and an attribute other than the general one is
    shared by two entities: "Billing problems", "Delivery problems" are plain themes.

    Examples
    --------
    >>> from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme
    >>> names = ["SHOP#GENERAL", "SHOP#PRICES", "FOOD#QUALITY", "FOOD#PRICES"]
    >>> found = theme_facets(Taxonomy(tuple(TaxonomyTheme(n) for n in names)))
    >>> found.general_entity, found.default.tolist(), found.kind.tolist()
    (0, [0, 2], [0, 2, 1, 0])
    """
    marked = any(SEPARATOR in theme.name for theme in taxonomy.themes)
    halves = [_split(theme.name, marked=marked) for theme in taxonomy.themes]
    if len(halves) < 4 or any(half is None for half in halves):
        return None
    pairs = [half for half in halves if half is not None]
    if len(set(pairs)) < len(pairs):
        return None
    entities = list(dict.fromkeys(entity for entity, _ in pairs))
    attributes = list(dict.fromkeys(attribute for _, attribute in pairs))
    sharing = Counter(attribute for _, attribute in pairs if attribute not in ("", GENERAL))
    sizes = Counter(entity for entity, _ in pairs)
    if sum(size >= 2 for size in sizes.values()) < 2 or max(sharing.values(), default=0) < 2:
        return None
    entity = np.array([entities.index(e) for e, _ in pairs], np.int64)
    attribute = np.array([attributes.index(a) for _, a in pairs], np.int64)
    # The general entity is the one the other entities' descriptions speak of ("the prices of
    # the restaurant overall", "the hotel's facilities"), counted by entity: ROOMS_AMENITIES
    # speaking of "the room" in each of its seven themes does not make the room the whole the
    # hotel's parts belong to. Then the one its descriptions speak of most often, then the one
    # with most themes, then the first listed.
    speakers: dict[int, set[int]] = {}
    mentions = Counter[int]()
    for column, theme in enumerate(taxonomy.themes):
        said = set(stems(theme.description))
        for index, name in enumerate(entities):
            named = set(stems(name.replace("_", " ")))
            if index != entity[column] and named and named <= said:
                mentions[index] += 1
                speakers.setdefault(index, set()).add(int(entity[column]))
    general = max(
        range(len(entities)),
        key=lambda e: (len(speakers.get(e, ())), mentions[e], sizes[entities[e]], -e),
    )
    default = np.empty(len(entities), np.int64)
    whole = np.zeros(len(entities), bool)
    for index in range(len(entities)):
        columns = np.flatnonzero(entity == index)
        generals = [c for c in columns if pairs[c][1] in ("", GENERAL)]
        default[index] = generals[0] if generals else columns[0]
        whole[index] = bool(generals)
    kind = np.full(len(pairs), BOTH, np.int64)
    for column in range(len(pairs)):
        if entity[column] == general and default[general] != column:
            kind[column] = ATTRIBUTE
        elif entity[column] != general and default[entity[column]] == column:
            kind[column] = ENTITY
    catch_all = np.array([_left_over(attribute) for _, attribute in pairs], bool)
    return Facets(entity, attribute, kind, general, default, whole, catch_all)


def compose_hits(
    hits: NDArray[np.bool_], facets: Facets, *, alone: NDArray[np.int64] | None = None
) -> NDArray[np.bool_]:
    """Keyword hits (texts x themes) with each half read as such and the halves joined.

    Parameters
    ----------
    hits
        Which themes' keywords each text (best: each sentence) mentions.
    facets
        The taxonomy's halves (:func:`theme_facets`).
    alone
        Texts x entities: the column to give a vague entity (:func:`vague_entities`) that a
        text names alone, chosen by what the text says
        (:func:`advocacy.text.taxonomy.assign_themes` reads it by meaning); None, or a
        negative column, keeps the entity's default (its first listed theme).

    Returns
    -------
    numpy.ndarray
        The themes each text gets: a keyword of both halves its own theme; an attribute joined
        to each entity named that has a theme of it, else to the general entity; an entity
        named alone its default theme, or for a vague entity (:func:`vague_entities`) where
        ``alone`` chooses another theme, that theme, and not the default beside another of its
        themes named.
    """
    n_entities = len(facets.default)
    n_attributes = int(facets.attribute.max()) + 1
    out: NDArray[np.bool_] = hits & (facets.kind == BOTH)
    named = np.zeros((len(hits), n_entities), bool)  # the entities each text names
    said = np.zeros((len(hits), n_attributes), bool)  # the attributes it names alone
    bare = np.zeros((len(hits), n_entities), bool)  # the entities it names by name only
    for column, (entity, attribute, kind) in enumerate(
        zip(facets.entity, facets.attribute, facets.kind, strict=True)
    ):
        if kind == ATTRIBUTE:
            said[:, attribute] |= hits[:, column]
        else:
            named[:, entity] |= hits[:, column]
            if kind == ENTITY:
                bare[:, entity] |= hits[:, column]
    named[:, facets.general_entity] = False
    joined = np.zeros_like(said)
    specific = np.zeros_like(named)  # the entities a text names with one of their attributes
    for column, (entity, attribute) in enumerate(zip(facets.entity, facets.attribute, strict=True)):
        if entity != facets.general_entity:
            both = named[:, entity] & said[:, attribute]
            out[:, column] |= both
            joined[:, attribute] |= both
            if column != facets.default[entity]:
                specific[:, entity] |= both | (hits[:, column] & (facets.kind[column] == BOTH))
    for column, (attribute, kind) in enumerate(zip(facets.attribute, facets.kind, strict=True)):
        if kind == ATTRIBUTE:
            out[:, column] |= said[:, attribute] & ~joined[:, attribute]
    vague = vague_entities(facets)
    for entity, column in enumerate(facets.default):
        if entity != facets.general_entity:
            # "The screen is bright": DISPLAY#QUALITY, not also the screen as a whole
            # (DISPLAY#GENERAL). A default that is itself an attribute (FOOD#QUALITY, listed
            # first) stays: "the food is overpriced" is often about its taste too.
            as_a_whole = specific[:, entity] & facets.whole[entity]
            given = bare[:, entity] & ~as_a_whole
            if entity in vague and alone is not None:
                # "The drinks were great" with "Drink prices" listed first: the name says
                # which entity, not which attribute. Where what the text says clearly points
                # to another of its themes (``alone``), the default is not meant: named with
                # none, that theme is; named with one ("the drinks were tasty"), it alone.
                other = alone[:, entity] >= 0
                moved = given & other & ~out[:, facets.entity == entity].any(axis=1)
                out[moved, alone[moved, entity]] = True
                given &= ~other
            out[:, column] |= given
    # The general entity's default theme ("the place was great") is what a text is about when it
    # names nothing more specific: "the place is small but the food is fantastic" is about the
    # food, not the restaurant as a whole.
    general = facets.default[facets.general_entity]
    out[:, general] &= ~np.delete(out, general, axis=1).any(axis=1)
    return out


def vague_entities(facets: Facets) -> list[int]:
    """The entities whose name alone does not say which of their themes a text is about.

    An entity with no theme about it as a whole whose first listed theme is of an attribute the
    general entity has too ("Drink prices" listed first beside "Restaurant prices"): that
    attribute is a side of many things, said in words of its own, and a text that names the
    drinks with none of them is no text about their price. An entity whose first theme is an
    attribute the whole does not have ("Food quality" first, no "Restaurant quality") keeps it,
    as the user listed it; an entity with one theme has nothing to choose from.

    Parameters
    ----------
    facets
        The taxonomy's halves (:func:`theme_facets`).

    Returns
    -------
    list of int
        The indices of those entities.
    """
    shared = set(facets.attribute[facets.entity == facets.general_entity].tolist())
    sizes = np.bincount(facets.entity, minlength=len(facets.default))
    return [
        entity
        for entity in range(len(facets.default))
        if not facets.whole[entity]
        and entity != facets.general_entity
        and sizes[entity] >= 2
        and int(facets.attribute[facets.default[entity]]) in shared
    ]


def alone_themes(
    similarity: NDArray[np.float32],
    columns: NDArray[np.int64],
    read: NDArray[np.int64],
    n: int,
    facets: Facets,
    *,
    margin: float,
) -> NDArray[np.int64]:
    """For each vague entity (:func:`vague_entities`), the theme a text naming it alone gets.

    Parameters
    ----------
    similarity
        Similarity of each text read for meaning (rows of ``read``) to the prototypes of the
        themes in ``columns``.
    columns
        The themes compared: every theme of the vague entities.
    read
        Which of the ``n`` texts were read for meaning.
    n
        The number of texts.
    facets
        The taxonomy's halves (:func:`theme_facets`).
    margin
        How much more similar to the nearest of the entity's themes than to its default (first
        listed) theme a text must be to move off the default.

    Returns
    -------
    numpy.ndarray
        ``n`` x entities: for a vague entity and a text read, the column of its theme whose
        prototype the text is nearest (of its themes other than a :data:`CATCH_ALL` one), when
        that similarity is above 0 and beats the default's by ``margin``; -1 elsewhere
        (:func:`compose_hits` then gives the entity's default theme). The ``alone`` argument of
        :func:`compose_hits`.
    """
    alone = np.full((n, len(facets.default)), -1, np.int64)
    rows = np.arange(len(read))
    for entity in np.unique(facets.entity[columns]).tolist():
        # What is left over of the entity (its MISCELLANEOUS) is no side a text can clearly
        # say: its prototype is the entity's name and "other things", so every text naming the
        # entity alone lies near it. It stays the default when listed first, never a choice.
        members = np.flatnonzero(
            (facets.entity[columns] == entity)
            & (~facets.catch_all[columns] | (columns == facets.default[entity]))
        )
        near = similarity[:, members]
        best = near.argmax(axis=1)
        default = near[:, columns[members].tolist().index(facets.default[entity])]
        # A name says which entity, not which side of it: the listing stands unless the text
        # clearly says another side (two themes' similarities a hair apart choose nothing) and
        # says it at all, nearer that side than generic text is (similarities are measured from
        # the none prototype: below 0, the text is further from it than "It was fine.").
        best_similarity = near[rows, best]
        clear = (best_similarity - default >= margin) & (best_similarity > 0)
        alone[read, entity] = np.where(clear, columns[members][best], -1)
    return alone


def broad_theme(taxonomy: Taxonomy) -> int | None:
    """The column of the theme about the whole thing the others are parts of, if any.

    In a compound taxonomy it is the general entity's default theme (``RESTAURANT#GENERAL``);
    in a plain one, the theme whose name the descriptions of two other themes or more speak
    of ("Fans: the fans and cooling of the laptop", "Shipping: delivery of the laptop":
    ``LAPTOP``), the most spoken of when several are. None when no theme is.

    Examples
    --------
    >>> from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme
    >>> broad_theme(Taxonomy((
    ...     TaxonomyTheme("Laptop", "the laptop as a whole"),
    ...     TaxonomyTheme("Battery", "the battery of the laptop"),
    ...     TaxonomyTheme("Screen", "the laptop's screen"),
    ... )))
    0
    """
    facets = theme_facets(taxonomy)
    if facets is not None:
        return int(facets.default[facets.general_entity])
    spoken = Counter[int]()
    for column, theme in enumerate(taxonomy.themes):
        named = set(stems(theme.name.replace("_", " ")))
        for other in taxonomy.themes:
            if named and other is not theme and named <= set(stems(other.description)):
                spoken[column] += 1
    column, count = max(spoken.items(), key=lambda item: (item[1], -item[0]), default=(0, 0))
    return column if count >= 2 else None
