"""What the server holds while it runs: the open workspace, who is using it, and a result cache.

Requests run at once, each thread on its own database connection (a DuckDB cursor, or for
PostgreSQL a connection borrowed from the workspace's pool for the request:
:meth:`advocacy.Workspace.pooled`). Every use of the workspace
is counted by :attr:`WebState.use`, so reopening the database after a fault and closing it at
shutdown wait until no request is using it (and hold new ones back meanwhile). Aggregates are
cached per data *generation*, a cheap fingerprint of the import ledger and of the API's own
writes, so dashboards answer from memory until new evidence arrives. With writes arriving all
the time (the REST API, hosted surveys), a page may be served the last result for up to
``page_staleness_seconds`` while one newer result is computed in the background, and then says
when its figures are from. Background refreshes take a bounded share of the server
(:data:`REFRESH_SHARE`) whatever the rate of writes; a server behind (a refresh still on its
way past the bound) serves the last result, labelled, rather than hold readers up: a page
never computes a result the server already has, only one it never had. The API always
answers with fresh figures. The processes of ``advocacy serve --workers N`` refresh for each
other (:mod:`advocacy.present.web.sharing`): each result is computed by one of them and read
by the others.

When the storage fails (a full disk invalidates a DuckDB database; a PostgreSQL connection
breaks), :meth:`WebState.fault_seen` records it and :meth:`WebState.recover` opens the database
again, at most once per :data:`RECONNECT_SECONDS`, until it works: the server answers 503 in
the meantime and needs no restart.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from advocacy import StorageFault
from advocacy.errors import InsufficientDataError, StorageUnavailableError
from advocacy.inputs import InputLimits
from advocacy.namespaces.access import RateLimits
from advocacy.present.web.sharing import Shared, Sharing
from advocacy.workspace import Workspace

T = TypeVar("T")
_log = logging.getLogger(__name__)

#: Results kept in memory; the oldest is dropped first.
CACHE_SIZE = 256
#: Least time between two attempts to reopen a failed database.
RECONNECT_SECONDS = 1.0
#: Results refreshed in the background at once (each holds a pooled connection and a core).
BACKGROUND_COMPUTATIONS = 1
#: Share of the time the background refreshes may work: after a refresh that took t seconds
#: the next waits t * (1 / share - 1). Under a stream of writes every result is stale all the
#: time; refreshing them as fast as they go stale took more than the whole server (each
#: dashboard's analyses cost 0.1-2 s of CPU), and readers got nothing else done.
REFRESH_SHARE = 0.25
#: Longest rest between two refreshes, seconds.
MAX_REST = 30.0
#: Names of the threads the app starts for work after a request: the dashboards' warm-up and a
#: figure's recompute (tests wait for them, so no test starts with another's work running).
WARM_UP_THREAD = "advocacy-warm-up"
RECOMPUTE_THREAD = "advocacy-recompute"
APP_THREADS = (WARM_UP_THREAD, RECOMPUTE_THREAD)


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
class FiguresAge:
    """What one request may be shown: figures up to the staleness bound old (a page) or only
    fresh ones (the API), and the oldest moment the figures it was given are from."""

    stale_allowed: bool = False
    as_of: datetime | None = None
    #: The import ledger's fingerprint, read once per request (a page asks for up to eight
    #: cached results; each would otherwise read the ledger again).
    ledger: tuple[Any, ...] | None = None

    def note(self, moment: datetime) -> None:
        """A result computed at ``moment``, before the latest writes, was used."""
        if self.as_of is None or moment < self.as_of:
            self.as_of = moment


#: The request's :class:`FiguresAge` (set per request by :class:`FiguresAgeScope`); none for
#: work outside a request (warm-up, tests), which gets fresh figures.
figures_age: ContextVar[FiguresAge | None] = ContextVar("figures_age", default=None)


class FiguresAgeScope:
    """ASGI middleware giving each request its :class:`FiguresAge`: pages may be stale within
    the bound, ``/api/`` (which cannot say so to the reader) always gets fresh figures."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = not str(scope.get("path", "")).startswith("/api/")
        token = figures_age.set(FiguresAge(stale_allowed=page))
        try:
            await self.app(scope, receive, send)
        finally:
            figures_age.reset(token)


def figures_as_of() -> datetime | None:
    """When the oldest figures this request was given are from, if any came from before the
    latest writes (a page then says so); None when all were fresh."""
    age = figures_age.get()
    return None if age is None else age.as_of


@dataclass
class _Result:
    """A computed result: the data generation it was computed in and when it started."""

    value: Any
    generation: tuple[Any, ...]
    started: float  # monotonic
    as_of: datetime  # wall clock, for people


@dataclass(frozen=True)
class _Refused:
    """An analysis that refused the data it was given (too little to support it): kept like a
    result, for the same data generation, so a page showing the refusal does not compute the
    analysis again on every view (a refused analysis costs as much as one that succeeds)."""

    error: InsufficientDataError

    def again(self) -> InsufficientDataError:
        """The refusal to raise once more (a copy: each raise adds to its traceback)."""
        return copy.copy(self.error)


def _value(value: Any) -> Any:
    """A cached value as its reader gets it: a kept refusal is raised again."""
    if isinstance(value, _Refused):
        raise value.again()
    return value


@dataclass
class _Running:
    """A computation asked for, and once ``claimed`` in progress (others asking for its result
    may then wait for it)."""

    generation: tuple[Any, ...]
    started: float
    as_of: datetime
    #: Taken by the thread computing it, holding a connection: a request's own, or a
    #: background thread's once it borrowed one. A background computation not yet claimed
    #: (still waiting for its turn or a connection) is never waited for: a request needing
    #: the result claims it and computes it itself.
    claimed: bool = True
    future: Future[Any] = field(default_factory=Future)

    def claim(self, generation: tuple[Any, ...], now: float) -> None:
        """Taken now, in ``generation`` (callers hold the cache lock)."""
        self.claimed = True
        self.generation, self.started, self.as_of = generation, now, datetime.now(UTC)


@dataclass
class CacheCounts:
    """What the cache computed and where: by requests (and the warm-up: results the server
    never had) or background refreshes (the CPU time of the computing threads, seconds),
    and the results taken from the server's other processes; the server logs them at
    shutdown (the load benchmark reads them)."""

    in_requests: int = 0
    in_requests_cpu: float = 0.0
    in_background: int = 0
    in_background_cpu: float = 0.0
    taken_from_others: int = 0


@dataclass
class WebState:
    """The workspace a server serves, with ``secure_cookies`` off only for plain-HTTP tests."""

    ws: Workspace
    secure_cookies: bool = True
    use: WorkspaceUse = field(default_factory=WorkspaceUse)
    writes: int = 0
    warming: bool = False  # a background warm-up is running
    warm_again: bool = False  # evidence arrived during it: warm up once more after it
    warmed_at: float = -math.inf  # when the last warm-up after a write started (monotonic)
    closed: bool = False  # set at shutdown: background warm-ups then leave the workspace alone
    limits: InputLimits = field(default_factory=InputLimits)
    rate_limits: RateLimits = field(init=False)  # those of the workspace's settings
    #: Seconds a page may show a result computed before the latest writes (the
    #: ``page_staleness_seconds`` setting); 0: always fresh.
    staleness: float = field(init=False)
    fault: StorageFault | None = None  # a fault that needs the database reopened, until it is
    #: Results shared with the other processes serving the workspace (``serve --workers N``,
    #: :mod:`advocacy.present.web.sharing`); None: this process keeps its own.
    sharing: Sharing | None = None
    #: This process's share of the time for refreshing (:data:`REFRESH_SHARE`, split between
    #: the server's processes: they refresh for each other).
    refresh_share: float = REFRESH_SHARE
    clock: Callable[[], float] = time.monotonic
    _last_attempt: float = 0.0
    _cache: OrderedDict[Hashable, _Result] = field(default_factory=OrderedDict)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    _computing: dict[Hashable, _Running] = field(default_factory=dict)
    _background: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(BACKGROUND_COMPUTATIONS)
    )
    _claims: set[Hashable] = field(default_factory=set)  # keys this process claimed (sharing)
    counts: CacheCounts = field(default_factory=CacheCounts)

    def __post_init__(self) -> None:
        self.rate_limits = RateLimits.from_settings(self.ws.settings)
        self.staleness = max(0.0, float(self.ws.settings.page_staleness_seconds))
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
        """Changes whenever evidence is imported or written (callers use the workspace).

        The ledger (where the imports and the writes of every process serving the workspace
        are recorded) is read once per request; this process's own writes count at once.
        """
        age = figures_age.get()
        ledger = age.ledger if age is not None else None
        if ledger is None:
            summary = self.ws.imports_summary()
            ledger = (summary.imports, summary.last_finished_at)
            if age is not None:
                age.ledger = ledger
        return (self.writes, *ledger)

    def _bound(self) -> float:
        age = figures_age.get()
        return self.staleness if age is not None and age.stale_allowed else 0.0

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result for ``key`` (callers use the workspace).

        A result computed in the current data generation is served from memory. After new
        evidence, a page (see :class:`FiguresAgeScope`) may be served the last result while it
        is at most :attr:`staleness` seconds old, and notes when its figures are from
        (:func:`figures_as_of`), while one newer result is computed in the background.
        Refreshes take turns (:data:`BACKGROUND_COMPUTATIONS` at once) and rest between turns
        (:data:`REFRESH_SHARE`), so however many writes and readers there are, refreshing
        takes a bounded share of the server. Past the bound a page is still served the last
        result, and its refresh started if none is on its way (the server is behind; the page
        says how old its figures are), rather than compute it or wait for it: under a stream
        of writes, pages computing their own figures past the bound took most of the server.
        A result the server never had (nor another process serving the workspace: see
        :mod:`advocacy.present.web.sharing`) is computed by one request, and others asking
        for it meanwhile wait for that one (and get its error if it fails) instead of
        computing it again side by side; so is a fresh result the API asks for.
        """
        generation = self.generation()
        bound = self._bound()
        now = self.clock()
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None and found.generation == generation:
                self._cache.move_to_end(key)
                return _value(found.value)  # type: ignore[no-any-return]
            running = self._computing.get(key)
            if found is not None and bound > 0:
                # The last figures, labelled, while newer ones are computed in the background:
                # within the bound, or past it while the server is behind (a page never
                # computes a result it already has, nor waits for one; it says how old its
                # figures are).
                self._cache.move_to_end(key)
                if running is None:
                    running = self._start(key, generation, now, background=True)
                    self._in_background(key, running, compute)
                self._note(found.as_of)
                return _value(found.value)  # type: ignore[no-any-return]
            usable = running is not None and (bound > 0 or running.generation == generation)
            if running is not None and usable and running.claimed:
                mine = False  # on its way, computed by a thread holding a connection: wait
            elif running is not None and usable:
                # Asked for in the background but not started (it may be waiting for a
                # connection, and this request holds one): compute it here instead.
                running.claim(generation, now)
                mine = True
            else:
                mine = True
                running = self._start(key, generation, now)
        if not mine:
            value = running.future.result()
            if running.generation != generation:
                self._note(running.as_of)
            return _value(value)  # type: ignore[no-any-return]
        if found is None and self.sharing is not None:
            shared = self._first_shared(key, running, generation, bound, self.sharing)
            if shared is not None:
                return shared.value  # type: ignore[no-any-return]
        return self._compute(key, running, compute)  # type: ignore[no-any-return]

    def _first_shared(
        self,
        key: Hashable,
        running: _Running,
        generation: tuple[Any, ...],
        bound: float,
        sharing: Sharing,
    ) -> Shared | None:
        """A result this process never had, as another process stored it, or waited for while
        another process computes it (processes starting together would otherwise each compute
        every result): for a page (noted when older than the latest writes), or the API when
        computed from the current data. None: this request is to compute it."""
        try:
            found = sharing.newer(key, None)
            if found is None:
                if sharing.claim(key):
                    with self._cache_lock:
                        self._claims.add(key)
                    return None
                found = sharing.wait(key, None, contextlib.nullcontext())  # holds one
                if found is None:
                    with self._cache_lock:
                        self._claims.add(key)  # wait() claims it when the other gave up
        except Exception:  # a cache: the request computes the result instead
            return None
        if found is None:
            return None
        fresh = (self.writes, *found.ledger) == generation
        if not fresh and bound <= 0:
            return None
        self._adopt(key, running, found, mine=True)
        if not fresh:
            self._note(found.as_of)
        return found

    def _start(
        self, key: Hashable, generation: tuple[Any, ...], now: float, *, background: bool = False
    ) -> _Running:
        """Register a computation of ``key`` (holding the cache lock); one in the background
        is claimed when it starts."""
        running = _Running(generation, now, datetime.now(UTC), claimed=not background)
        self._computing[key] = running
        return running

    def _note(self, moment: datetime) -> None:
        age = figures_age.get()
        if age is not None:
            age.note(moment)

    def _compute(
        self,
        key: Hashable,
        running: _Running,
        compute: Callable[[], Any],
        *,
        background: bool = False,
    ) -> Any:
        begun = time.thread_time()
        try:
            value = compute()
        except InsufficientDataError as error:
            value = _Refused(error)  # kept for this generation, raised below
        except BaseException as error:
            with self._cache_lock:
                if self._computing.get(key) is running:
                    del self._computing[key]
            running.future.set_exception(error)
            self._unclaim(key)
            raise
        with self._cache_lock:
            current = self._cache.get(key)
            if current is None or current.started <= running.started:
                self._cache[key] = _Result(
                    value, running.generation, running.started, running.as_of
                )
                self._cache.move_to_end(key)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            if self._computing.get(key) is running:
                del self._computing[key]
        running.future.set_result(value)
        spent = time.thread_time() - begun
        with self._cache_lock:
            if background:
                self.counts.in_background += 1
                self.counts.in_background_cpu += spent
            else:
                self.counts.in_requests += 1
                self.counts.in_requests_cpu += spent
        if isinstance(value, _Refused):  # not shared: the other processes find it themselves
            self._unclaim(key)
            raise value.again()
        if self.sharing is not None:  # for the other processes (a cache: never fails a page)
            try:
                self.sharing.put(key, Shared(value, running.generation[1:], running.as_of))
            except Exception:  # the others compute it themselves after a wait
                _log.warning("a result could not be shared with the other processes", exc_info=True)
            with self._cache_lock:
                self._claims.discard(key)
        return value

    def _unclaim(self, key: Hashable, *, using: bool = True) -> None:
        """End this process's claim on ``key`` after its computation failed (sharing; the
        caller uses the workspace, or with ``using=False`` does not)."""
        with self._cache_lock:
            claimed = key in self._claims
            self._claims.discard(key)
        if claimed and self.sharing is not None:
            # Not a second use inside the caller's: it would wait for an exclusive use
            # (a reopen, the shutdown) that waits for the caller.
            use = self.use if not using else contextlib.nullcontext()
            with contextlib.suppress(Exception), use:
                self.sharing.release(key)

    def _take_shared(self, key: Hashable, running: _Running, sharing: Sharing) -> bool:
        """Before refreshing ``key``: take a newer result another process stored, or wait for
        the one another process is computing. False when this process is to compute it (it
        then holds the claim, or waited in vain)."""
        with self._cache_lock:
            local = self._cache.get(key)
        than = None if local is None else local.as_of
        waiting = False
        with self.use:
            found = sharing.newer(key, than)
            if found is None:
                if sharing.claim(key):
                    with self._cache_lock:
                        self._claims.add(key)
                else:
                    waiting = True
        if waiting:
            found = sharing.wait(key, than, self.use)
            if found is None:
                with self._cache_lock:
                    self._claims.add(key)  # wait() claims it when the other process gave up
        if found is None:
            return False
        self._adopt(key, running, found)
        return True

    def _adopt(
        self, key: Hashable, running: _Running, found: Shared, *, mine: bool = False
    ) -> None:
        """Keep a result another process computed, and answer ``running`` with it (unless a
        request took it over; ``mine``: this thread holds it)."""
        started = self.clock() - max(0.0, time.time() - found.as_of.timestamp())
        with self._cache_lock:
            generation = (self.writes, *found.ledger)
            current = self._cache.get(key)
            if current is None or current.as_of < found.as_of:
                self._cache[key] = _Result(found.value, generation, started, found.as_of)
                self._cache.move_to_end(key)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            self.counts.taken_from_others += 1
            answer = mine or not running.claimed  # else a request took it over
            if answer:
                running.claimed = True
                if self._computing.get(key) is running:
                    del self._computing[key]
        if answer:
            running.future.set_result(found.value)

    def _in_background(self, key: Hashable, running: _Running, compute: Callable[[], Any]) -> None:
        """Compute ``key`` in a thread of its own, at most :data:`BACKGROUND_COMPUTATIONS` at
        once, on a connection of its own; readers meanwhile get the last result. A request
        that needs the result before this thread started it computes it itself (the thread
        then leaves it)."""

        def work() -> None:
            mine = False
            with self._background:
                begun = time.monotonic()
                try:
                    if self.closed:
                        raise RuntimeError("the server is shutting down")
                    sharing = self.sharing
                    if sharing is not None and self._take_shared(key, running, sharing):
                        return  # another process computed it
                    begun = time.monotonic()
                    with self.use:
                        generation = self.generation()
                        with self._cache_lock:
                            if running.claimed:
                                return  # a request took it
                            running.claim(generation, self.clock())
                            mine = True
                        # answers its waiters itself
                        self._compute(key, running, compute, background=True)
                except BaseException as error:  # the next reader past the bound sees it
                    if not mine:
                        self._unclaim(key, using=False)
                    with self._cache_lock:
                        if not mine and running.claimed:
                            return  # a request took it: its outcome is that request's
                        running.claimed = True  # nobody else may take it now
                        if self._computing.get(key) is running:
                            del self._computing[key]
                    if not running.future.done():
                        running.future.set_exception(error)
                finally:
                    if mine:  # rest before the next refresh's turn
                        rest = (time.monotonic() - begun) * (1 / self.refresh_share - 1)
                        time.sleep(min(rest, MAX_REST))

        threading.Thread(target=work, name=RECOMPUTE_THREAD, daemon=True).start()

    def peek(self, key: Hashable) -> Any:
        """The cached result for ``key`` if it is fresh, or stale and the request allows
        stale figures (noted as for :meth:`cached`); else None (never computes)."""
        generation = self.generation()
        bound = self._bound()
        with self._cache_lock:
            found = self._cache.get(key)
        if found is None:
            return None
        if isinstance(found.value, _Refused):
            return None
        if found.generation == generation:
            return found.value
        if bound > 0:
            self._note(found.as_of)
            return found.value
        return None

    def wrote(self) -> None:
        """Evidence was written: cached aggregates are now of an earlier generation."""
        with self._cache_lock:
            self.writes += 1


def unavailable(fault: StorageFault | None) -> StorageUnavailableError:
    """The error (503) a request gets while the storage is at fault."""
    reason = fault.reason if fault else "the database is not available"
    return StorageUnavailableError(
        f"{reason}: the request was not carried out (answers acknowledged earlier are kept)",
        retry_after=5,
        fix="try again in a few seconds; if it persists, an operator must free disk space or "
        "restore the database server",
    )
