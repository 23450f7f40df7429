"""Words of judgement in theme names: praise ("nice", "comfortable") and English -ly adverbs
("absolutely", "monthly") say how a customer judged, not what about, and may begin or end a
discovered theme's phrase only when the theme is about them (see :mod:`advocacy.text.theme_names`
for the rule as a user reads it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.phrases import phrase_ends, stem_words, stemmer_language

#: A word the shipped text model reads, alone, as positive with this probability or more is
#: praise: it says how the customer judged, not what about, and begins or ends no name ("nice",
#: "perfect", "love", "ótimo").
PRAISE_PROBABILITY = 0.8
#: Praise the model reads as positive with this probability or more is generic: it praises
#: anything ("nice" .99, "love" 1.0, "great" 1.0, "perfect" 1.0, "ótimo" .96) and never names a
#: theme. Milder praise is often a quality customers write about ("comfortable" .92, "fast" .82,
#: "durable" .85, "bequem" .86) and names a theme when it is distinctive of it
#: (:data:`DISTINCTIVE_SHARE`, :data:`DISTINCTIVE_LIFT`). Chosen on clothing reviews: "nice",
#: "cute", "flattering", "love" and "perfect" are above it, "comfortable" below.
GENERIC_PRAISE_PROBABILITY = 0.95
#: Milder praise, or an English -ly adverb, is distinctive of a cluster, and may name it, when
#: at least this share of the cluster's texts say it ...
DISTINCTIVE_SHARE = 0.2
#: ... and this many times the share of the other clusters' texts that say it (a comfort cluster
#: says "comfortable" more than the others; "absolutely" is said everywhere).
DISTINCTIVE_LIFT = 2.0


def praise_words(words: Iterable[str]) -> frozenset[str]:
    """The words of ``words`` that are praise: they say how a customer judged, not what about.

    A word is praise when the shipped text model (:func:`~advocacy.text.text_model.text_model`,
    the model alone, never a workspace's calibration) reads it alone as positive with
    probability :data:`PRAISE_PROBABILITY` or more: "nice", "love", "perfect", "cute" and
    Portuguese "ótimo", "satisfeito", in every language the model reads, but not "sleeves",
    "price", "fit" or "size". Words of complaint are not set apart so: "broken", "leak" or
    "damaged" often say what went wrong. Praise below :data:`GENERIC_PRAISE_PROBABILITY`
    ("comfortable") still names a cluster that is about it (see the module docs).

    Parameters
    ----------
    words
        The words (lower case), each read once.

    Returns
    -------
    frozenset of str
        Those of ``words`` that are praise.

    Examples
    --------
    >>> sorted(praise_words(["nice", "sleeves", "perfect", "price", "broken", "ótimo"]))
    ['nice', 'perfect', 'ótimo']
    """
    positive = _positive(words)
    return frozenset(word for word, p in positive.items() if p >= PRAISE_PROBABILITY)


def _positive(words: Iterable[str]) -> dict[str, float]:
    """Each of ``words`` with the probability the shipped text model (alone) reads it positive."""
    from advocacy.text.sentiment import SENTIMENTS
    from advocacy.text.text_model import STATIC, text_model

    chosen = sorted(set(words))
    if not chosen:
        return {}
    reading = text_model(STATIC).read(chosen, emotions=False)
    positive = reading.sentiment[:, SENTIMENTS.index("positive")]
    return dict(zip(chosen, positive.tolist(), strict=True))


@lru_cache(maxsize=4096)
def _is_english_adverb(word: str) -> bool:
    """Whether ``word`` is an English adverb made with -ly from another word ("perfectly",
    "absolutely", "highly"): Snowball gives it the stem of the word without -ly, which it
    does not give a noun that ends so ("assembly", "family", "supply")."""
    if len(word) < 5 or not word.endswith("ly"):
        return False
    adverb, base = stem_words([word, word[:-2]], "en")
    return adverb == base


def barred_words(
    frequent: Iterable[str],
    per_text: Sequence[set[str]],
    forms: Sequence[dict[str, str]],
    assignment: NDArray[Any],
    languages: Sequence[str | None],
    sizes: NDArray[Any],
) -> list[frozenset[str]]:
    """Per cluster, the words of judgement that may not begin or end its phrases.

    A word of judgement is praise (:func:`praise_words`) or an English adverb made with -ly
    ("absolutely", "finally", "monthly"). Generic praise (read positive with
    :data:`GENERIC_PRAISE_PROBABILITY` or more, or an -ly adverb of such a word, "perfectly", or a
    form of one, "loves") is barred everywhere. Any other is barred unless the cluster is about
    it: at least :data:`DISTINCTIVE_SHARE` of its texts say it (in any form), and at least
    :data:`DISTINCTIVE_LIFT` times the share of the other clusters' texts, so a comfort cluster
    is "comfortable / ..." and a fee cluster "monthly fee".
    """
    ends = {word for phrase in frequent for word in phrase_ends(phrase)}
    english = {
        phrase
        for phrases, language in zip(per_text, languages, strict=True)
        if stemmer_language(language) == "en"
        for phrase in phrases & ends
    }
    adverbs = {word for word in english if _is_english_adverb(word)}
    positive = _positive(ends | {word[:-2] for word in adverbs})
    praise = {word for word in ends if positive[word] >= PRAISE_PROBABILITY}
    judgement = praise | adverbs
    if not judgement:
        return [frozenset() for _ in sizes]
    # A word's form (its stem): "loves" is generic when "love" is.
    form_of_word: dict[str, str] = {}
    for phrases, form_of in zip(per_text, forms, strict=True):
        for phrase in phrases:
            if phrase in ends:
                form_of_word.setdefault(phrase, form_of[phrase])
    generic_forms = {
        form_of_word.get(word, word)
        for word in praise
        if positive[word] >= GENERIC_PRAISE_PROBABILITY
    }
    generic = {word for word in judgement if form_of_word.get(word, word) in generic_forms}
    generic |= {word for word in adverbs if positive[word[:-2]] >= GENERIC_PRAISE_PROBABILITY}
    # The texts of each cluster that say each word of judgement, in any form.
    judged_forms = {form_of_word.get(word, word) for word in judgement - generic}
    said = np.zeros((len(judged_forms), len(sizes)))
    row = {form: index for index, form in enumerate(sorted(judged_forms))}
    for phrases, form_of, cluster in zip(per_text, forms, assignment, strict=True):
        if int(cluster) >= 0:
            for form in {form_of[p] for p in phrases if " " not in p} & judged_forms:
                said[row[form], int(cluster)] += 1
    total = said.sum(axis=1, keepdims=True)
    others = np.maximum(float(sizes.sum()) - sizes, 1.0)
    share = said / np.maximum(sizes, 1.0)
    elsewhere = (total - said) / others
    distinctive = (share >= DISTINCTIVE_SHARE) & (share >= DISTINCTIVE_LIFT * elsewhere)
    barred = []
    for cluster in range(len(sizes)):
        barred.append(
            frozenset(
                word
                for word in judgement
                if word in generic or not distinctive[row[form_of_word.get(word, word)], cluster]
            )
        )
    return barred
