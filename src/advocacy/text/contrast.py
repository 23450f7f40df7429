"""What a ``but`` says: the clause after it is the verdict, the one before it the set-up.

"I was worried it might break but it has held up well" is praise, "Looks great but it broke in
a week" blame. The text models read a bag of words, so the set-up's words weigh as much as the
verdict's, and a fault in the set-up can outweigh the praise that answers it. Within a
sentence whose last ``but`` (or ``however``) joins two clauses of opposite polarity in the
lexicon (or, for a sentence that opens with one, answers the sentence before it), the clause
after it gains over the one before: the side of the later clause gains :data:`CONTRAST` times
the two clauses' difference in valence (VADER's -4..4 scale), the shift VADER itself makes
(words before "but" count half, after it one and a half: Hutto & Gilbert 2014). A clause that
holds a negation is left to :mod:`advocacy.text.negation`, which already weighs a negation
before a ``but`` by half; clauses of the same polarity ("fast but cheap") move nothing.
:func:`~advocacy.text.negation.negation_shift` adds this to a text's shift.

References
----------
Hutto, C. J. & Gilbert, E. (2014). VADER: a parsimonious rule-based model for sentiment
analysis of social media text. ICWSM-14 (the "but" rule, section 3.2.2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from advocacy.text.heads import FloatArray

#: How much the later clause gains over the earlier one, per unit of their difference in
#: valence: VADER's half (its clause weights 0.5 and 1.5 are the even 1 and 1 plus and minus
#: 0.5). Chosen among 0.1-1 on reviews no benchmark scores (the Blitzer halves that only
#: teach, SemEval-2014 train; flat from 0.35 to 1; docs/benchmarks.md "resolve").
CONTRAST = 0.5
_OVERRIDING = frozenset(("but", "however"))
_SENTENCE_MARKS = frozenset((".", "!", "?", ";"))
# Cheap test before tokenising: most texts hold neither word.
_QUICK = re.compile(r"(?<![a-z])(?:but|however)(?![a-z])")


def contrast_evidence(
    texts: Sequence[str],
    tokens_of: Callable[[str], list[str]],
    valence: Callable[[list[str], int], float],
    negates: Callable[[str], bool],
) -> FloatArray:
    """Per text, how far its contrasts push its sentiment (VADER's -4..4 scale; + positive).

    Parameters
    ----------
    texts
        The texts.
    tokens_of
        A lower-cased text's words and marks (:mod:`advocacy.text.negation`'s tokens).
    valence
        The valence of a clause's word at a position (the words after it may tell: "fell
        apart"), 0 for a word of no polarity.
    negates
        Whether a word is a negation (its clause is left out).

    Returns
    -------
    numpy.ndarray
        The sum over the text's sentences of :data:`CONTRAST` times (the later clause's
        valence minus the earlier one's) where the two have opposite signs; 0 elsewhere.

    Examples
    --------
    >>> values = {"worried": -1.2, "well": 1.1, "great": 3.1, "fast": 1.0, "cheap": 0.5}
    >>> tokens = lambda text: re.findall(r"[a-z]+|[.!?;]", text)
    >>> found = contrast_evidence(
    ...     ["i was worried but it held up well", "fast but cheap", "not great but well",
    ...      "i was worried. but it held up well"],
    ...     tokens, lambda words, at: values.get(words[at], 0.0), lambda word: word == "not")
    >>> [round(float(value), 2) for value in found]
    [1.15, 0.0, 0.0, 1.15]
    """
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        lowered = text.lower()
        if _QUICK.search(lowered) is None:
            continue
        total = 0.0
        sentence: list[str] = []
        previous: list[str] = []
        for token in [*tokens_of(lowered), "."]:
            if token not in _SENTENCE_MARKS:
                sentence.append(token)
                continue
            if sentence:  # "!!" ends no second sentence
                total += _sentence_contrast(sentence, previous, valence, negates)
                previous, sentence = sentence, []
        out[i] = CONTRAST * total
    return out


def _sentence_contrast(
    words: list[str],
    previous: list[str],
    valence: Callable[[list[str], int], float],
    negates: Callable[[str], bool],
) -> float:
    """The later clause's valence minus the earlier one's, at the sentence's last contrast
    word, where they have opposite signs and neither holds a negation; else 0. A sentence that
    opens with the contrast word ("It broke twice. However, the replacement is perfect.")
    answers the ``previous`` sentence."""
    at = max((k for k, word in enumerate(words) if word in _OVERRIDING), default=-1)
    if at < 0:
        return 0.0
    opening = not any(word[0].isalpha() for word in words[:at])
    before = _clause_valence(previous if opening else words[:at], valence, negates)
    after = 0.0
    if before:
        after = _clause_valence(words[at + 1 :], valence, negates)
    if before * after >= 0:
        return 0.0
    return after - before


def _clause_valence(
    words: list[str], valence: Callable[[list[str], int], float], negates: Callable[[str], bool]
) -> float:
    """The sum of a clause's word valences; 0 for a clause with a negation in it."""
    if any(negates(word) for word in words):
        return 0.0
    return sum(valence(words, at) for at, word in enumerate(words) if word[0].isalpha())
