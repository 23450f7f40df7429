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
text.

References
----------
Wiegand, M. et al. (2010). A survey on the role of negation in sentiment analysis. Workshop on
Negation and Speculation in Natural Language Processing, 60-68.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
# A negation word, then up to SCOPE_WORDS words that are not a contrast word, with no
# clause-ending punctuation between them.
_SCOPE = re.compile(
    rf"(?i)(?<!\w)(?:{_NEGATORS})(?!\w)"
    rf"((?:[\s\-–]*(?!(?:{_CLAUSE_END}|{_NEGATORS})(?!\w))\w[\w'’\-]*){{1,{SCOPE_WORDS}}})"
)


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
        if not _may_negate(source):
            plain.append(source)
            negated.append("")
            continue
        kept, governed, start = [], [], 0
        for match in _SCOPE.finditer(source):
            kept.append(source[start : match.start(1)])
            governed.append(match.group(1).strip(" -–"))
            start = match.end(1)
        kept.append(source[start:])
        plain.append("".join(kept))
        negated.append(" ".join(governed))
    return plain, negated


_QUICK = re.compile(rf"(?i)(?<!\w)(?:{_NEGATORS})(?!\w)")


def _may_negate(text: str) -> bool:
    return _QUICK.search(text) is not None
