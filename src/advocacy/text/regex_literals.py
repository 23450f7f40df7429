"""The literal strings a regular expression cannot match without: a cheap test before a dear one.

Python's regular expressions try every alternative of a long alternation at every place in a
text; a cue lexicon of sixty patterns (:mod:`advocacy.text.effort`) spends most of its time
failing them on texts that hold no cue at all. Each pattern, though, needs some literal text
to match: ``on hold`` needs "on hold", ``wait(?:ed|ing)? for`` needs "wait" and " for". A
plain substring test settles that most patterns cannot match a text, and only the rest are
run. This is the prefilter idea of RE2 and Hyperscan, on Python's own parse of the pattern:
:func:`required_literal_sets` returns the sets of strings a match needs one of each (every set
must be met), :func:`required_literals` the most telling one, and :class:`LiteralScan` finds
which of many such strings a text holds in one pass instead of one substring test each.

The parse is ``re._parser``, the standard library's own (``sre_parse`` before Python 3.11): it
is private, so any surprise in its shape means "no literals" (run the pattern), never a
filter that could drop a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # the standard library's regular-expression parser (private, stable since Python 3.11)
    from re import _constants as _ops  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose parser moved: patterns always run
    _parser = _ops = None

__all__ = ["LiteralScan", "required_literal_sets", "required_literals"]

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
    found = required_literal_sets(pattern)
    return found[0] if found else None


def required_literal_sets(pattern: str) -> tuple[Literals, ...]:
    """Sets of strings every match of ``pattern`` holds one of, from each set; none: no test.

    Parameters
    ----------
    pattern
        A regular expression compiled without flags (the caller lower-cases what it reads).

    Returns
    -------
    tuple of frozenset of str
        Every match holds at least one string of every set, so a text missing all of one set's
        strings cannot match. The most telling set first (the one :func:`required_literals`
        names); a later set that another implies (each of its strings holds one of the set's) is
        left out.

    Examples
    --------
    >>> [sorted(one) for one in required_literal_sets(r"(?:hard|difficult) to (?:reach|cancel)")]
    [['cancel', 'reach'], ['difficult', 'hard'], [' to ']]
    """
    if _parser is None:  # pragma: no cover
        return ()
    try:
        found = _requirements(_parser.parse(pattern))
    except (AttributeError, TypeError, ValueError, IndexError):  # pragma: no cover - parse moved
        return ()
    unique = list(dict.fromkeys(found))
    best = _best(unique)
    if best is None:
        return ()
    others = [one for one in unique if one is not best]
    kept = [
        one
        for place, one in enumerate(others)
        if not any(
            _implies(other, one) and not (_implies(one, other) and there > place)
            for there, other in enumerate([best, *others], start=-1)
            if there != place
        )
    ]
    return (best, *kept)


def _implies(one: Literals, other: Literals) -> bool:
    """Whether a text holding a string of ``one`` holds a string of ``other``."""
    return all(any(needed in held for needed in other) for held in one)


class LiteralScan:
    """Which of many literal strings a text holds, read in one pass.

    A substring test per string costs a scan of the text each (178 of them: about 40 µs a
    review); one regular expression built as a trie of the strings, looked for at every place,
    reads the text once. At each place it finds the longest string that starts there; every
    string starting there is a prefix of that one, so the strings each found one contains are
    the strings the text holds.

    Examples
    --------
    >>> sorted(LiteralScan(["wait", "waited again", "hold", "on hold"]).present("on hold, waited"))
    ['hold', 'on hold', 'wait']
    """

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals = tuple(sorted({one for one in literals if one}))
        trie: dict[str, Any] = {}
        for one in self.literals:
            node = trie
            for char in one:
                node = node.setdefault(char, {})
            node[""] = {}
        self._pattern = re.compile("(?=(" + _trie_pattern(trie) + "))", re.DOTALL)
        self._within = {
            one: frozenset(other for other in self.literals if other in one)
            for one in self.literals
        }

    def present(self, text: str) -> set[str]:
        """The strings of :attr:`literals` that ``text`` holds."""
        found: set[str] = set()
        for longest in set(self._pattern.findall(text)):
            found |= self._within[longest]
        return found


def _trie_pattern(node: dict[str, Any]) -> str:
    """A pattern matching the strings of a trie, the longest one first at each place."""
    branches = [re.escape(char) + _trie_pattern(node[char]) for char in sorted(node) if char]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if "" in node else body


def _best(found: Iterable[Literals]) -> Literals | None:
    best: Literals | None = None
    for one in found:
        best = _better(best, one)
    return best


def _requirements(items: Iterable[tuple[Any, Any]]) -> list[Literals]:
    """Every set a sequence needs: each run of literal characters and each element's sets."""
    found: list[Literals] = []
    run: list[str] = []
    for op, value in items:
        if op is _ops.LITERAL:
            run.append(chr(value))
            continue
        if op in (_ops.AT, _ops.ASSERT, _ops.ASSERT_NOT):
            continue  # takes no characters: the literals either side stay next to each other
        if run:
            found.append(frozenset({"".join(run)}))
            run = []
        found.extend(_element_requirements(op, value))
    if run:
        found.append(frozenset({"".join(run)}))
    return found


def _element_requirements(op: Any, value: Any) -> list[Literals]:
    if op is _ops.SUBPATTERN:
        if value[1] or value[2]:
            return []  # inline flags ("(?i:...)") change what matches: no test
        return _requirements(value[-1])
    if op is _ops.BRANCH:
        one = _element(op, value)
        return [one] if one is not None else []
    if op in (_ops.MAX_REPEAT, _ops.MIN_REPEAT) and value[0] >= 1:
        return _requirements(value[2])
    return []


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
        if value[1] or value[2]:
            return None  # inline flags ("(?i:...)") change what matches: no test
        return _sequence(value[-1])
    if op is _ops.BRANCH:
        found = [_sequence(branch) for branch in value[1]]
        if any(one is None for one in found):
            return None  # an alternative that needs no literal: the branch needs none
        return frozenset().union(*(one for one in found if one is not None))
    if op in (_ops.MAX_REPEAT, _ops.MIN_REPEAT) and value[0] >= 1:
        return _sequence(value[2])
    return None
