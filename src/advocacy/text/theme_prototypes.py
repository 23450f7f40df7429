"""Theme prototypes: what each theme of a taxonomy means, as a direction in embedding space.

A theme's prototype is the mean embedding of its name + description, its keywords and its
examples (prototypical networks, Snell et al. 2017). Similarities are cosines measured from the
*none prototype*, the mean embedding of generic, theme-free sentences (:data:`NONE_TEXTS`):
measured from generic text, only what a text says beyond the generic counts.

References
----------
Snell, J., Swersky, K. & Zemel, R. (2017). Prototypical networks for few-shot learning. NeurIPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from advocacy.text.embeddings import Embedder, unit_rows
from advocacy.text.taxonomy_file import Taxonomy

__all__ = ["NONE_TEXTS", "Prototypes", "theme_prototypes"]

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
class Prototypes:
    """Theme prototypes and the none prototype they are measured from, for one embedder.

    Attributes
    ----------
    themes
        n themes x d: each theme's prototype, measured from ``none``, as a unit row.
    none
        d: the mean embedding of :data:`NONE_TEXTS`.
    """

    themes: NDArray[np.float32]
    none: NDArray[np.float32]


def theme_prototypes(taxonomy: Taxonomy, embedder: Embedder) -> Prototypes:
    """Each theme's prototype: the mean embedding of its name + description, keywords, examples.

    Parameters
    ----------
    taxonomy
        The themes.
    embedder
        Embeds the prompts (all in one call) and :data:`NONE_TEXTS`.

    Returns
    -------
    Prototypes
        The themes' prototypes and the none prototype they are measured from.
    """
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
    return Prototypes(unit_rows(matrix - none), none)
