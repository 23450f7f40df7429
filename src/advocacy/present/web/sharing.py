"""One refresh for the whole server: results computed by one process, read by the others.

Each process serving a PostgreSQL workspace (``advocacy serve --workers N``) keeps its own
cache of aggregates (:class:`advocacy.present.web.state.WebState`). Without this, under a
stream of writes every process refreshed every result itself, so N processes did N times the
refreshing for the same figures (two did worse than one in the load benchmark). With a
:class:`Sharing`, a process about to refresh a result first takes a newer one another process
stored (``ws.shared_results()``); failing that it claims the key, computes, and stores the
result for the others; while another process holds the claim it waits for that one's result
rather than compute it too. Every result a process computes, a request's included, is stored.

Results are stored as pickles, sealed with an HMAC of a secret only the server's processes
know (``advocacy serve`` makes one per run and hands it to its workers): a row anyone else
wrote (a database user, an older server run) fails the check and is ignored, never unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import pickle
import time
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: Bytes of the seal before each payload (HMAC-SHA256).
SEAL = 32
#: Most seconds a process waits for the result of a key another process is computing
#: (past it, it computes the result itself).
WAIT_SECONDS = 30.0
#: Seconds between two looks for that result.
POLL_SECONDS = 0.2
#: Every this many results stored, the results older than :data:`KEEP_SECONDS` are dropped.
PRUNE_EVERY = 256
#: Age after which a stored result is dropped (by then every result still read has been
#: refreshed, or is kept in the memory of the processes that read it).
KEEP_SECONDS = 3600.0


@dataclass(frozen=True)
class Shared:
    """A result another process computed: its value, the ledger it was computed from, and
    when its computation started."""

    value: Any
    ledger: tuple[Any, ...]
    as_of: datetime


class Sharing:
    """Sealing, reading and storing shared results with the server's ``secret``.

    Parameters
    ----------
    store
        The workspace's shared results (``ws.shared_results()``).
    secret
        Bytes only the processes of this server know.
    """

    def __init__(self, store: Any, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the secret sealing shared results must be at least 16 bytes")
        self.store = store
        self._secret = secret
        self._stored = itertools.count(1)

    @staticmethod
    def name(key: Hashable) -> str:
        """The stored name of a cache key (the same in every process for the same key)."""
        return hashlib.sha256(repr(key).encode("utf-8", "backslashreplace")).hexdigest()

    def seal(self, result: Shared) -> bytes | None:
        """``result`` as sealed bytes; None when it cannot be pickled (then not shared)."""
        try:
            blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a result holding a lock, a connection or a closure
            return None
        return hmac.new(self._secret, blob, hashlib.sha256).digest() + blob

    def unseal(self, data: bytes) -> Shared | None:
        """The result in ``data``, or None when the seal is not this server's."""
        seal, blob = data[:SEAL], data[SEAL:]
        expected = hmac.new(self._secret, blob, hashlib.sha256).digest()
        if len(seal) != SEAL or not hmac.compare_digest(seal, expected):
            return None
        found = pickle.loads(blob)  # sealed by this server's processes only
        return found if isinstance(found, Shared) else None

    def newer(self, key: Hashable, than: datetime | None) -> Shared | None:
        """A result of ``key`` whose computation started after ``than`` (callers use the
        workspace), if another process stored one."""
        since = 0.0 if than is None else than.timestamp()
        found = self.store.newer(self.name(key), since)
        return None if found is None else self.unseal(found.payload)

    def claim(self, key: Hashable) -> bool:
        """Take ``key`` for computing; False while another process computes it."""
        return bool(self.store.claim(self.name(key)))

    def wait(self, key: Hashable, than: datetime | None, use: Any) -> Shared | None:
        """The result of ``key`` newer than ``than`` another process is computing, looked for
        every :data:`POLL_SECONDS` (on a connection only while looking) for at most
        :data:`WAIT_SECONDS`; None if it did not come (or the claim was given up)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            with use:
                found = self.newer(key, than)
                if found is not None:
                    return found
                if self.claim(key):  # the other process gave up or died: compute it here
                    return None
        return None

    def put(self, key: Hashable, result: Shared) -> None:
        """Store ``result`` for the other processes and end this process's claim on ``key``
        (callers use the workspace)."""
        sealed = self.seal(result)
        if sealed is None:
            self.store.release(self.name(key))
            return
        self.store.store(self.name(key), result.as_of.timestamp(), sealed)
        if next(self._stored) % PRUNE_EVERY == 0:
            self.store.prune(KEEP_SECONDS)

    def release(self, key: Hashable) -> None:
        """End this process's claim on ``key`` (its computation failed)."""
        self.store.release(self.name(key))


__all__ = ["Shared", "Sharing"]
