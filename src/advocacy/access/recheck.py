"""What a process found valid lately (API tokens, sign-in sessions), trusted for
:data:`RECHECK_EVERY` before the database is asked again.

One :class:`Recent` per :class:`~advocacy.store.connection.Database` (:class:`PerDatabase`):
a change made through that ``Database`` (a revocation, a sign-out, a user disabled) forgets
the entries concerned at once; one made elsewhere (the CLI, another server process) takes
effect within :data:`RECHECK_EVERY`. A look-up that began before a change never stores its
(possibly stale) answer: :meth:`Recent.forget` moves the generation on, and :meth:`Recent.put`
refuses an answer of an older generation. Only what was found valid is ever kept.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from advocacy.store.connection import Database

#: How long something found valid is trusted before the database is asked again: the longest
#: a token revoked or a user disabled by another process (the CLI, another server worker)
#: keeps working.
RECHECK_EVERY = timedelta(seconds=5)

T = TypeVar("T")


class Recent(Generic[T]):
    """Entries found valid lately, by digest, each with the moment it was checked.

    Safe to share between threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_digest: dict[str, tuple[datetime, T]] = {}
        self.generation = 0

    def get(self, digest: str, moment: datetime) -> T | None:
        """The entry of ``digest`` if checked within :data:`RECHECK_EVERY` before ``moment``
        (a clock gone back trusts nothing)."""
        found = self._by_digest.get(digest)
        if found is None or not timedelta(0) <= moment - found[0] < RECHECK_EVERY:
            return None
        return found[1]

    def put(self, digest: str, entry: T, checked_at: datetime, generation: int) -> None:
        """Remember ``entry``, found valid at ``checked_at`` by a look-up that began at
        ``generation``; entries past :data:`RECHECK_EVERY` are dropped."""
        with self._lock:
            if generation != self.generation:
                return  # a change happened meanwhile: the look-up may predate it
            self._by_digest = {
                key: kept
                for key, kept in self._by_digest.items()
                if checked_at - kept[0] < RECHECK_EVERY
            }
            self._by_digest[digest] = (checked_at, entry)

    def forget(self, drop: Callable[[str, T], bool]) -> None:
        """Drop every entry for which ``drop(digest, entry)`` holds: its next use asks the
        database."""
        with self._lock:
            self.generation += 1
            self._by_digest = {
                key: kept for key, kept in self._by_digest.items() if not drop(key, kept[1])
            }


R = TypeVar("R", bound=Recent)  # type: ignore[type-arg]


class PerDatabase(Generic[R]):
    """One ``make()`` per :class:`~advocacy.store.connection.Database`, created on first use and
    gone with the database."""

    def __init__(self, make: Callable[[], R]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._found: weakref.WeakKeyDictionary[Database, R] = weakref.WeakKeyDictionary()

    def __call__(self, db: Database) -> R:
        """The one of ``db``."""
        with self._lock:
            found = self._found.get(db)
            if found is None:
                found = self._found[db] = self._make()
            return found
