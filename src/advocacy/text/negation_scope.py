"""Negation scope: which words of a text a negation word governs, in the sentiment languages.

A negation word (``not``, ``never``, ``nothing``, ``no``, ``without``, ``n't``; ``nicht``,
``kein``; ``pas``, ``jamais``, ``sans``; ``no``, ``nunca``, ``sin``; ``não``, ``sem``; ``non``,
``mai``, ``senza``; ``niet``, ``geen``, ``zonder``...) governs the next few words up to the end of
the clause: a punctuation mark or a contrast word (``but``, ``aber``, ``mais``, ``pero``, ``mas``,
``ma``, ``maar``...). The text models read the governed words with their meaning reversed, so
"could not fault them", "nothing went wrong", "no complaints" and "not itchy at all" read as
praise, and "would not recommend" as a complaint (Wiegand et al. 2010 review such scope rules;
this is the simple window-to-clause-end rule most of them start from).

:func:`split_negated` returns, per text, the text with the governed words removed and the
governed words alone; both are plain strings, so the embedder tokenises them as it would any
text. What a negation does to an English text's sentiment is :mod:`advocacy.text.negation`'s.

References
----------
Wiegand, M. et al. (2010). A survey on the role of negation in sentiment analysis. Workshop on
Negation and Speculation in Natural Language Processing, 60-68.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["SCOPE_WORDS", "by_first_letter", "lower_case_pattern", "marked_texts", "split_negated"]

#: How many words after a negation word it governs at most (fewer at a clause end).
SCOPE_WORDS = 4

_NEGATORS = (
    # English
    "not|no|never|nothing|nobody|none|neither|nor|without|hardly|cannot|nowhere|"
    r"\w+n[’']t|"
    # German
    "nicht|nichts|nie|niemals|kein|keine|keinen|keinem|keiner|keines|ohne|weder|"
    # French
    "ne|n[’']|pas|jamais|rien|sans|aucun|aucune|personne|"
    # Spanish and Portuguese
    "nunca|nada|sin|ningún|ninguna|ninguno|ni|jamás|tampoco|não|nao|sem|nenhum|nenhuma|"
    # Italian
    "non|mai|niente|nulla|senza|nessun|nessuno|nessuna|"
    # Dutch
    "niet|geen|nooit|niets|zonder|noch"
)
_CLAUSE_END = (
    "but|however|although|though|yet|except|aber|doch|jedoch|sondern|mais|cependant|pero|sino|"
    "aunque|mas|porém|contudo|ma|però|tuttavia|maar|echter"
)


def by_first_letter(alternation: str) -> str:
    """The same alternation with its words grouped by their first letter, for speed.

    ``re`` tries each alternative in turn at every position; grouped, a position whose letter
    starts no word fails after one comparison per group instead of one per word (half the time
    of :func:`split_negated` on real reviews). What matches is unchanged: a word must end
    where the text's word ends (every pattern follows it with ``(?!\\w)``), so two alternatives
    can never both match at one place, except ``\\w+n't`` against a word that ends in "n"
    ("non't"), which is tried before those words as it was; within a letter the order is kept.

    >>> by_first_letter(r"not|no|\\w+n[’']t|kein|n[’']")
    "\\\\w+n[’']t|n(?:ot|o|[’'])|kein"
    """
    groups: dict[str, list[str]] = {}
    patterns = []
    for alternative in alternation.split("|"):
        if alternative[0].isalpha():
            groups.setdefault(alternative[0], []).append(alternative[1:])
        else:
            patterns.append(alternative)
    for letter, rests in groups.items():
        patterns.append(f"{letter}(?:{'|'.join(rests)})" if len(rests) > 1 else letter + rests[0])
    return "|".join(patterns)


_NEGATOR = by_first_letter(_NEGATORS)
# A negation word, then up to SCOPE_WORDS words that are not a contrast word, with no
# clause-ending punctuation between them.
_SCOPE = re.compile(
    rf"(?i)(?<!\w)(?:{_NEGATOR})(?!\w)"
    rf"((?:[\s\-–]*(?!(?:{by_first_letter(_CLAUSE_END)}|{_NEGATOR})(?!\w))\w[\w'’\-]*)"
    rf"{{1,{SCOPE_WORDS}}})"
)


def lower_case_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without its leading ``(?i)``, for a text in ASCII read in lower case.

    The same matches at the same places, about twice as fast: lower-casing ASCII moves no
    character, every letter and escape of the pattern is lower case (so nothing it matches
    changes), and no pattern character has a case partner in ASCII other than its own upper
    case (``re``'s extra partners are ``ı``, ``ſ`` and the Kelvin sign, which it does not hold).
    ``tests/text/test_negation_ascii.py`` compares the two on real and generated texts.
    """
    source = pattern.pattern.removeprefix("(?i)")
    if source == pattern.pattern or source != source.lower() or set(source) & set("ıſ\u212a"):
        raise ValueError(f"not a case-insensitive pattern of lower-case letters: {source!r}")
    return re.compile(source)


_SCOPE_LOWER = lower_case_pattern(_SCOPE)


def split_negated(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Per text: the text without its negated words, and the negated words alone.

    >>> split_negated(["I could not fault them. Great!"])
    (['I could not. Great!'], ['fault them'])
    >>> split_negated(["Soft and cozy, not itchy at all"])
    (['Soft and cozy, not'], ['itchy at all'])
    """
    plain, negated = [], []
    for text in texts:
        source = text or ""
        kept, governed, start = [], [], 0
        if source.isascii():
            matches = _SCOPE_LOWER.finditer(source.lower())
        else:
            matches = _SCOPE.finditer(source)
        for match in matches:
            kept.append(source[start : match.start(1)])
            governed.append(source[match.start(1) : match.end(1)].strip(" -–"))
            start = match.end(1)
        if start:  # something is negated
            kept.append(source[start:])
            plain.append("".join(kept))
            negated.append(" ".join(governed))
        else:
            plain.append(source)
            negated.append("")
    return plain, negated


def marked_texts(plain: Sequence[str], negated: Sequence[str]) -> list[str]:
    """What a word n-gram model reads: each text's :func:`split_negated` parts, its negated
    words marked ``neg_`` ("not happy" reads "not neg_happy", never "happy").

    >>> marked_texts(*split_negated(["Not happy, great staff"]))
    ['Not, great staff neg_happy']
    """
    return [
        f"{kept} {' '.join('neg_' + word for word in governed.lower().split())}"
        for kept, governed in zip(plain, negated, strict=True)
    ]
