"""What the server holds while it runs: the open workspace, who is using it, and a result cache.

Requests run at once, each thread on its own database connection (a DuckDB cursor, or for
PostgreSQL a connection borrowed from the workspace's pool for the request:
:meth:`advocacy.Workspace.pooled`). Every use of the workspace
is counted by :attr:`WebState.use`, so reopening the database after a fault and closing it at
shutdown wait until no request is using it (and hold new ones back meanwhile). Aggregates are
cached per data *generation*, a cheap fingerprint of the import ledger and of the API's own
writes, so dashboards answer from memory until new evidence arrives.

When the storage fails (a full disk invalidates a DuckDB database; a PostgreSQL connection
breaks), :meth:`WebState.fault_seen` records it and :meth:`WebState.recover` opens the database
again, at most once per :data:`RECONNECT_SECONDS`, until it works: the server answers 503 in
the meantime and needs no restart.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from advocacy import StorageFault
from advocacy.errors import StorageUnavailableError
from advocacy.inputs import InputLimits
from advocacy.namespaces.access import RateLimits
from advocacy.workspace import Workspace

T = TypeVar("T")

#: Results kept in memory; the oldest is dropped first.
CACHE_SIZE = 256
#: Least time between two attempts to reopen a failed database.
RECONNECT_SECONDS = 1.0


class WorkspaceUse:
    """Shared use of the workspace by any number of requests, or exclusive use by one.

    ``with use:`` is a request's shared use; :meth:`exclusively` waits until every shared use
    has ended, holding new ones back meanwhile, for what must not overlap any query: reopening
    the database, closing it at shutdown.
    """

    def __init__(self, session: Callable[[], AbstractContextManager[None]] | None = None) -> None:
        self._changed = threading.Condition()
        self._users = 0
        self._exclusive = False
        #: Entered around each shared use, in its thread: the workspace's pooled connection.
        self.session = session
        self._sessions = threading.local()

    def __enter__(self) -> None:
        with self._changed:
            while self._exclusive:
                self._changed.wait()
            self._users += 1
        if self.session is not None:
            session = self.session()
            try:
                session.__enter__()
            except BaseException:
                self._leave()
                raise
            self._sessions.__dict__.setdefault("open", []).append(session)

    def __exit__(self, *error: Any) -> None:
        try:
            if self.session is not None:
                self._sessions.open.pop().__exit__(*error)
        finally:
            self._leave()

    def _leave(self) -> None:
        with self._changed:
            self._users -= 1
            self._changed.notify_all()

    @contextlib.contextmanager
    def exclusively(self) -> Iterator[None]:
        with self._changed:
            while self._exclusive:
                self._changed.wait()
            self._exclusive = True
            while self._users:
                self._changed.wait()
        try:
            yield
        finally:
            with self._changed:
                self._exclusive = False
                self._changed.notify_all()


@dataclass
class WebState:
    """The workspace a server serves, with ``secure_cookies`` off only for plain-HTTP tests."""

    ws: Workspace
    secure_cookies: bool = True
    use: WorkspaceUse = field(default_factory=WorkspaceUse)
    writes: int = 0
    warming: bool = False  # a background warm-up is running
    closed: bool = False  # set at shutdown: background warm-ups then leave the workspace alone
    limits: InputLimits = field(default_factory=InputLimits)
    rate_limits: RateLimits = field(init=False)  # those of the workspace's settings
    fault: StorageFault | None = None  # a fault that needs the database reopened, until it is
    _last_attempt: float = 0.0
    _cache: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    _computing: dict[Hashable, Future[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rate_limits = RateLimits.from_settings(self.ws.settings)
        self.use.session = self.ws.pooled  # each request on a pooled connection (PostgreSQL)

    def fault_seen(self, fault: StorageFault) -> StorageUnavailableError:
        """Note a storage fault (one needing a reopen is kept until :meth:`recover` works);
        return the error to answer with."""
        if fault.reopen:
            self.fault = fault
        return unavailable(fault)

    def recover(self, *, clock: Callable[[], float] = time.monotonic) -> bool:
        """Reopen the database after a fault that needs it (callers use the workspace exclusively).

        Returns True when the workspace can be used: no fault needing a reopen, or the reopen
        worked. Attempts are spaced :data:`RECONNECT_SECONDS` apart, so a flood of requests
        during an outage does not hammer a full disk.
        """
        if self.fault is None or not self.fault.reopen:
            return True
        moment = clock()
        if moment - self._last_attempt < RECONNECT_SECONDS:
            return False
        self._last_attempt = moment
        try:
            self.ws.reconnect()
        except Exception:  # still failing (the disk may still be full): try again later
            return False
        self.fault = None
        with self._cache_lock:
            self._cache.clear()
        return True

    def generation(self) -> tuple[Any, ...]:
        """Changes whenever evidence is imported or written (callers use the workspace)."""
        ledger = self.ws.imports_summary()
        return (self.writes, ledger.imports, ledger.last_finished_at)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result for ``key`` in the current generation (callers use the
        workspace).

        One request computes a missing result; others asking for it meanwhile wait for that
        one (and get its error if it fails) instead of computing it again side by side, which
        is what many users opening the same page after new evidence would otherwise do.
        """
        full = (self.generation(), key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]  # type: ignore[no-any-return]
            running = self._computing.get(full)
            mine = running is None
            if running is None:
                running = self._computing[full] = Future()
        if not mine:
            return running.result()  # type: ignore[no-any-return]
        try:
            value = compute()
        except BaseException as error:
            with self._cache_lock:
                self._computing.pop(full, None)
            running.set_exception(error)
            raise
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            self._computing.pop(full, None)
        running.set_result(value)
        return value

    def peek(self, key: Hashable) -> Any:
        """The cached result for ``key`` in the current generation, or None (never computes)."""
        full = (self.generation(), key)
        with self._cache_lock:
            return self._cache.get(full)

    def wrote(self) -> None:
        """Evidence was written: forget cached aggregates."""
        with self._cache_lock:
            self.writes += 1
            self._cache.clear()


def unavailable(fault: StorageFault | None) -> StorageUnavailableError:
    """The error (503) a request gets while the storage is at fault."""
    reason = fault.reason if fault else "the database is not available"
    return StorageUnavailableError(
        f"{reason}: the request was not carried out (answers acknowledged earlier are kept)",
        retry_after=5,
        fix="try again in a few seconds; if it persists, an operator must free disk space or "
        "restore the database server",
    )
