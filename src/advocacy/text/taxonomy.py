"""Curated themes: a YAML taxonomy the user edits, multi-label assignment, and promotion.

The user writes a taxonomy (themes with a name and optionally a description, keywords,
examples and a parent); every text gets each theme it names by keyword, as whole stemmed words,
and, where its sentences name none, the themes its meaning is close to; a child implies its
parent, and non-answers get no theme. A discovered theme can be promoted into the taxonomy.

This module is where callers import the curated themes from; each part lives in a module of
its own:

- :mod:`advocacy.text.taxonomy_file`: the :class:`Taxonomy`, its YAML file
  (:func:`load_taxonomy`, :func:`save_taxonomy`, :func:`parse_taxonomy`) and
  :func:`promote`;
- :mod:`advocacy.text.theme_keywords`: each theme's seed keywords (:func:`seed_keywords`) and
  which themes a text names by them (:func:`keyword_hits`), compound themes read by halves;
- :mod:`advocacy.text.theme_terms`: words of the texts that mark a theme written without
  keywords (:func:`text_terms`);
- :mod:`advocacy.text.theme_prototypes`: what each theme means, as a direction in embedding
  space measured from generic text (:func:`theme_prototypes`);
- :mod:`advocacy.text.theme_sentences`: the sentences read, their embeddings and stemmers;
- :mod:`advocacy.text.theme_assignment`: :func:`assign_themes`, keywords first and meaning
  where they are silent, with its settings and its quality on real data.
"""

from __future__ import annotations

from advocacy.text.taxonomy_file import (
    Phrases,
    Taxonomy,
    TaxonomyFile,
    TaxonomyTheme,
    ThemeSpec,
    load_taxonomy,
    parse_taxonomy,
    promote,
    save_taxonomy,
)
from advocacy.text.theme_assignment import (
    BROAD_FALLBACK,
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    SELF_TRAINED_CEILING,
    SELF_TRAINED_EVEN_SPLITS,
    SELF_TRAINED_LEAD,
    SELF_TRAINED_SEED_PERCENTILE,
    SELF_TRAINED_SIMILARITY,
    assign_themes,
)
from advocacy.text.theme_keywords import keyword_hits, seed_keywords
from advocacy.text.theme_prototypes import NONE_TEXTS, Prototypes, theme_prototypes
from advocacy.text.theme_sentences import MIN_MEANING_WORDS
from advocacy.text.theme_terms import TERM_MARGIN, TERM_MIN_SENTENCES, TERM_SIMILARITY, text_terms

__all__ = [
    "BROAD_FALLBACK",
    "DEFAULT_MARGIN",
    "DEFAULT_THRESHOLD",
    "MIN_MEANING_WORDS",
    "NONE_TEXTS",
    "SELF_TRAINED_CEILING",
    "SELF_TRAINED_EVEN_SPLITS",
    "SELF_TRAINED_LEAD",
    "SELF_TRAINED_SEED_PERCENTILE",
    "SELF_TRAINED_SIMILARITY",
    "TERM_MARGIN",
    "TERM_MIN_SENTENCES",
    "TERM_SIMILARITY",
    "Phrases",
    "Prototypes",
    "Taxonomy",
    "TaxonomyFile",
    "TaxonomyTheme",
    "ThemeSpec",
    "assign_themes",
    "keyword_hits",
    "load_taxonomy",
    "parse_taxonomy",
    "promote",
    "save_taxonomy",
    "seed_keywords",
    "text_terms",
    "theme_prototypes",
]
