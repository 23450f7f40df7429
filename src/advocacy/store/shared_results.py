"""Results the processes serving one PostgreSQL workspace share: one computes, the others read.

``advocacy serve --workers N`` starts N processes, each with its own cache of aggregates. Under
a stream of writes every aggregate goes stale all the time, and each process recomputed every
one itself: N processes did N times the work for the same figures. Here a process about to
refresh a result first looks for a newer one another process stored; failing that it *claims*
the key for a while (a lease, so a process that dies while computing holds nobody up for
longer than :data:`LEASE_SECONDS`), computes, and stores what it computed for the others.

The rows are a cache, not evidence: the table is UNLOGGED (no write-ahead log; PostgreSQL
empties it after a crash, which costs only recomputing) and made on first use, not by a
migration. Payloads are bytes the caller has sealed (:mod:`advocacy.present.web.sharing`
signs them with a secret only the server's processes know); this module neither makes nor
reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from advocacy.store.connection import Database

#: The table (one row per cache key).
TABLE = "advocacy_shared_results"
#: Longest time a claim keeps other processes from computing the same key, seconds.
LEASE_SECONDS = 300


@dataclass(frozen=True)
class SharedResult:
    """A stored result: when its computation started (seconds since the epoch) and its
    sealed bytes."""

    started: float
    payload: bytes


class SharedResults:
    """The shared results of one PostgreSQL database (callers run on a connection of theirs,
    e.g. a pooled one)."""

    def __init__(self, db: Database) -> None:
        if db.dialect != "postgres":
            raise ValueError("results are shared between processes on PostgreSQL only")
        self.db = db
        self._made = False

    def _make(self) -> None:
        if self._made:
            return
        with self.db.transaction():
            # Processes starting together would race to create it (a unique violation in the
            # catalogue): they take turns.
            self.db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [TABLE])
            self.db.execute(
                f"CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} ("
                "key text PRIMARY KEY, started double precision, payload bytea, "
                "claimed_until timestamptz)"
            )
        self._made = True

    def newer(self, key: str, than: float) -> SharedResult | None:
        """The result stored under ``key`` if its computation started after ``than``."""
        self._make()
        row = self.db.fetchone(
            f"SELECT started, payload FROM {TABLE} WHERE key = ? AND started > ?", [key, than]
        )
        return None if row is None else SharedResult(float(row[0]), bytes(row[1]))

    def started(self, key: str) -> float | None:
        """When the result stored under ``key`` started computing (None: no result yet)."""
        self._make()
        row = self.db.fetchone(f"SELECT started FROM {TABLE} WHERE key = ?", [key])
        return None if row is None or row[0] is None else float(row[0])

    def claim(self, key: str) -> bool:
        """Take ``key`` for computing, unless another process holds an unexpired claim."""
        self._make()
        row = self.db.fetchone(
            f"INSERT INTO {TABLE} AS kept (key, claimed_until) "
            f"VALUES (?, now() + make_interval(secs => {LEASE_SECONDS})) "
            "ON CONFLICT (key) DO UPDATE SET claimed_until = excluded.claimed_until "
            "WHERE kept.claimed_until IS NULL OR kept.claimed_until < now() RETURNING key",
            [key],
        )
        return row is not None

    def store(self, key: str, started: float, payload: bytes) -> None:
        """Store a result under ``key`` and end the claim on it (an older result than the one
        stored is not kept)."""
        self._make()
        self.db.execute(
            f"INSERT INTO {TABLE} AS kept (key, started, payload) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET started = excluded.started, "
            "payload = excluded.payload, claimed_until = NULL "
            "WHERE kept.started IS NULL OR kept.started < excluded.started",
            [key, started, payload],
        )
        self.release(key)

    def prune(self, older_than: float) -> None:
        """Drop the results whose computation started more than ``older_than`` seconds ago
        and that nobody claims (a filter read once, or an earlier server run's rows: the
        table would otherwise only grow)."""
        self._make()
        self.db.execute(
            f"DELETE FROM {TABLE} WHERE started < extract(epoch FROM now()) - ? "
            "AND (claimed_until IS NULL OR claimed_until < now())",
            [older_than],
        )

    def release(self, key: str) -> None:
        """End this process's claim on ``key`` (its computation failed or was stored)."""
        self._make()
        self.db.execute(f"UPDATE {TABLE} SET claimed_until = NULL WHERE key = ?", [key])
