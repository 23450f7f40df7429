"""VADER's single-word English polarity lexicon, as shipped (``models/polarity_en.txt``).

Read by the negation rules, the prefix denials, the emotion post-rules and the language
detector's one-English-word check; a module of its own, so a caller that needs only the words
(language detection) imports no model code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["polarity_lexicon"]


@lru_cache(maxsize=1)
def polarity_lexicon() -> dict[str, float]:
    """Word -> valence (-4..4): VADER's single-word lexicon (``models/polarity_en.txt``).

    Built by ``tools/build_polarity.py`` from the vaderSentiment package (MIT licence,
    Hutto & Gilbert 2014). Read from the models package directly, not through
    ``embeddings.model_path``: importing the embedder costs ~0.4 CPU s.
    """
    shipped = resources.files("advocacy.text.models").joinpath("polarity_en.txt")
    words = {}
    for line in shipped.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, valence = line.split("\t")
            words[word] = float(valence)
    return words
