"""The literal strings a regular expression cannot match without: a cheap test before a dear one.

Python's regular expressions try every alternative of a long alternation at every place in a
text; a cue lexicon of sixty patterns (:mod:`advocacy.text.effort`) spends most of its time
failing them on texts that hold no cue at all. Each pattern, though, needs some literal text
to match: ``on hold`` needs "on hold", ``wait(?:ed|ing)? for`` needs "wait". A plain substring
test (``"wait" in text``, a fast scan in C) settles that most patterns cannot match a text, and
only the rest are run. This is the prefilter idea of RE2 and Hyperscan, on Python's own parse
of the pattern: :func:`required_literals` returns a set of strings one of which every match
contains, or None when it cannot name one (then the pattern is always run).

The parse is ``re._parser``, the standard library's own (``sre_parse`` before Python 3.11): it
is private, so any surprise in its shape means "no literals" (run the pattern), never a
filter that could drop a match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:  # the standard library's regular-expression parser (private, stable since Python 3.11)
    from re import _constants as _ops  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose parser moved: patterns always run
    _parser = _ops = None

__all__ = ["required_literals"]

Literals = frozenset[str]


def required_literals(pattern: str) -> Literals | None:
    """Strings one of which every match of ``pattern`` contains; None when none can be named.

    Parameters
    ----------
    pattern
        A regular expression compiled without flags (the caller lower-cases what it reads).

    Returns
    -------
    frozenset of str or None
        Every match holds at least one of them as a substring, so a text holding none of them
        cannot match. Among the sets the pattern allows, the one whose shortest string is
        longest (fewest strings on a tie): the most telling test.

    Examples
    --------
    >>> sorted(required_literals(r"\\b(?:on hold|wait(?:ed|ing)? (?:for|on))"))
    ['on hold', 'wait']
    >>> required_literals(r"\\d+ times?") is None
    False
    >>> required_literals(r"\\w+") is None
    True
    """
    if _parser is None:  # pragma: no cover
        return None
    try:
        return _sequence(_parser.parse(pattern))
    except (AttributeError, TypeError, ValueError, IndexError):  # pragma: no cover - parse moved
        return None


def _better(one: Literals | None, other: Literals | None) -> Literals | None:
    if one is None:
        return other
    if other is None:
        return one
    return max(one, other, key=lambda found: (min(map(len, found)), -len(found)))


def _sequence(items: Iterable[tuple[Any, Any]]) -> Literals | None:
    """The best literal set of a sequence: a run of literal characters, or any one element's."""
    best: Literals | None = None
    run: list[str] = []
    for op, value in items:
        if op is _ops.LITERAL:
            run.append(chr(value))
            continue
        if op in (_ops.AT, _ops.ASSERT, _ops.ASSERT_NOT):
            continue  # takes no characters: the literals either side stay next to each other
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        best = _better(best, _element(op, value))
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best


def _element(op: Any, value: Any) -> Literals | None:
    if op is _ops.SUBPATTERN:
        return _sequence(value[-1])
    if op is _ops.BRANCH:
        found = [_sequence(branch) for branch in value[1]]
        if any(one is None for one in found):
            return None  # an alternative that needs no literal: the branch needs none
        return frozenset().union(*(one for one in found if one is not None))
    if op in (_ops.MAX_REPEAT, _ops.MIN_REPEAT) and value[0] >= 1:
        return _sequence(value[2])
    return None
