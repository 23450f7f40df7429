"""What a page builds from cached results (formatted tables, tiles, chart specs), built once.

The server caches each analysis' result per data generation
(:meth:`advocacy.present.web.state.WebState.cached`); a page then shapes it for people: masks,
sorts, formats every cell, builds chart specs. For the same result objects that work gives the
same answer every time, yet it was redone for every reader (15,000 cells on the Advocates page,
two thirds of a cached page's CPU time). :func:`derived` keeps the answer beside the results it
was built from, compared *by identity*: when the cache replaces a result (new evidence, a
recomputation after the staleness bound), the part is built again from the new one. So a part
is never older than its results, and how stale a page may be stays the cache's business (a
request still asks the cache for each result, which notes when stale figures are shown).

Parts must be treated as read-only by their callers: every reader gets the same object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: Parts kept; the least recently used is dropped first. Each holds its results alive, so the
#: bound is small (a part per page shape and reader kind, not per reader).
SIZE = 128

_lock = threading.Lock()
_parts: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()


def derived(key: Hashable, sources: Sequence[Any], build: Callable[[], T]) -> T:
    """``build()``, kept under ``key`` for as long as ``sources`` are the same objects.

    Parameters
    ----------
    key
        What the part is: the page's part and every choice that shapes it (sort, page, the
        reader's masking, the time zone), but not the results it is built from.
    sources
        The results ``build`` reads (from the server's cache), compared by identity.
    build
        Builds the part; called again when any of ``sources`` is another object.

    Returns
    -------
    T
        The part, shared by every caller with the same ``key`` and ``sources``.
    """
    held = tuple(sources)
    with _lock:
        found = _parts.get(key)
        if found is not None and _same(found[0], held):
            _parts.move_to_end(key)
            return found[1]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _parts[key] = (held, value)
        _parts.move_to_end(key)
        while len(_parts) > SIZE:
            _parts.popitem(last=False)
    return value


def _same(kept: tuple[Any, ...], given: tuple[Any, ...]) -> bool:
    return len(kept) == len(given) and all(a is b for a, b in zip(kept, given, strict=True))


__all__ = ["derived"]
