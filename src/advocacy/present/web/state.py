"""What the server holds while it runs: the open workspace, its lock, and a result cache.

DuckDB connections are not safe to share between threads, and FastAPI runs plain functions in a
thread pool, so every use of the workspace holds :attr:`WebState.lock`. Aggregates are cached
per data *generation*, a cheap fingerprint of the import ledger and of the API's own writes, so
dashboards answer from memory until new evidence arrives.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from advocacy.workspace import Workspace

T = TypeVar("T")

#: Results kept in memory; the oldest is dropped first.
CACHE_SIZE = 256


@dataclass
class WebState:
    """The workspace a server serves, with ``secure_cookies`` off only for plain-HTTP tests."""

    ws: Workspace
    secure_cookies: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)
    writes: int = 0
    warming: bool = False  # a background warm-up is running
    closed: bool = False  # set at shutdown: background warm-ups then leave the workspace alone
    _cache: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)

    def generation(self) -> tuple[Any, ...]:
        """Changes whenever evidence is imported or written (callers hold the lock)."""
        row = self.ws.db.fetchone("SELECT count(*), max(finished_at) FROM imports")
        return (self.writes, *(row or ()))

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result for ``key`` in the current generation (callers hold the lock)."""
        full = (self.generation(), key)
        if full in self._cache:
            self._cache.move_to_end(full)
            return self._cache[full]  # type: ignore[no-any-return]
        value = compute()
        self._cache[full] = value
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """The cached result for ``key`` in the current generation, or None (never computes)."""
        return self._cache.get((self.generation(), key))

    def wrote(self) -> None:
        """Evidence was written: forget cached aggregates."""
        self.writes += 1
        self._cache.clear()
