"""One refresh for the whole server (issue #20.3): the processes of ``serve --workers N`` share
the aggregates they compute through PostgreSQL, so each result is computed by one of them.

Two processes are stood for by two workspaces opened on the same real PostgreSQL database, each
with its own :class:`WebState` (its own cache, connections and background refreshes), sealing
with the same secret, as ``advocacy serve`` hands its workers; every result is counted where it
is computed.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.present.web.sharing import Sharing
from advocacy.present.web.state import FiguresAge, WebState, figures_age
from advocacy.settings import current_settings

SECRET = b"s" * 32
KEY = ("responses",)


class Process:
    """One server process: its workspace, state and the results it computed itself."""

    def __init__(self, url: str, name: str, secret: bytes = SECRET) -> None:
        settings = current_settings().updated(page_staleness_seconds=5, pool_size=4)
        self.ws = advocacy.open(url, settings=settings)
        self.state = WebState(self.ws)
        store = self.ws.shared_results()
        assert store is not None
        self.state.sharing = Sharing(store, secret)
        self.name = name
        self.computed: list[int] = []
        self.release = threading.Event()
        self.release.set()

    def count(self) -> int:
        self.release.wait(30)
        value = int(self.ws.db.fetchall("SELECT count(*) FROM responses")[0][0])
        self.computed.append(value)
        return value

    def read(self, *, page: bool = True) -> tuple[int, FiguresAge]:
        """A request's read of the cached count: a page (may be stale) or the API."""
        age = FiguresAge(stale_allowed=page)
        token = figures_age.set(age)
        try:
            with self.state.use:
                return self.state.cached(KEY, self.count), age
        finally:
            figures_age.reset(token)

    def write(self, response_id: str) -> None:
        with self.state.use:
            self.ws.write_records("responses", [{"response_id": response_id, "nps": 9}])
        self.state.wrote()

    def settle(self) -> None:
        """Wait until no refresh is on its way (its rest included)."""
        deadline = time.monotonic() + 60
        while self.state._computing and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not self.state._computing
        with self.state._background:  # the rest after a refresh holds the turn
            pass


@pytest.fixture
def processes(postgres_url: str) -> Iterator[tuple[Process, Process]]:
    with advocacy.open(postgres_url) as ws:  # the schema, made once
        ws.write_records("responses", [{"response_id": "r0", "nps": 9}])
    first, second = Process(postgres_url, "first"), Process(postgres_url, "second")
    try:
        yield first, second
    finally:
        for process in (first, second):
            process.release.set()
            process.state.closed = True
            process.ws.close()


def _until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert condition()


def test_a_result_one_process_computed_is_read_by_the_other(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    value, age = first.read()
    assert value == 1 and age.as_of is None
    value, age = second.read()
    assert value == 1 and age.as_of is None  # from the current data: not labelled
    assert (first.computed, second.computed) == ([1], [])  # computed once, for both


def test_processes_starting_together_compute_a_new_result_once(
    processes: tuple[Process, Process],
) -> None:
    """Both processes meet a result neither has (as at start): the second waits for the one
    the first is computing rather than compute it too."""
    first, second = processes
    first.release.clear()
    answers: list[int] = []
    reader = threading.Thread(target=lambda: answers.append(first.read()[0]))
    reader.start()
    _until(lambda: KEY in first.state._claims)
    waiting = threading.Thread(target=lambda: answers.append(second.read()[0]))
    waiting.start()
    time.sleep(0.5)
    assert answers == [] and second.computed == []
    first.release.set()
    reader.join(30)
    waiting.join(30)
    assert answers == [1, 1]
    assert (first.computed, second.computed) == ([1], [])


def test_after_a_write_one_process_refreshes_and_the_other_takes_its_result(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    first.read(), second.read()
    first.write("r1")

    value, age = first.read()  # the last figures, labelled; a refresh started
    assert value == 1 and age.as_of is not None
    _until(lambda: first.computed == [1, 2])
    first.settle()

    value, age = second.read()  # second's own last figures, and its refresh started...
    assert value == 1 and age.as_of is not None
    second.settle()
    value, age = second.read()
    assert value == 2 and age.as_of is None
    assert second.computed == []  # ...which took first's result instead of computing it
    assert first.computed == [1, 2]
    # What the server logs at shutdown says the same.
    assert (first.state.counts.in_requests, first.state.counts.in_background) == (1, 1)
    assert (second.state.counts.in_requests, second.state.counts.in_background) == (0, 0)
    assert second.state.counts.taken_from_others == 2  # the first read's, the refresh's


def test_while_one_process_computes_a_result_the_other_waits_for_it(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    first.read(), second.read()
    first.write("r1")
    first.release.clear()  # first's refresh will be slow
    first.read()
    _until(lambda: first.state._computing.get(KEY) is not None)
    _until(lambda: first.state._computing[KEY].claimed)
    second.read()  # second's refresh finds the key claimed by first
    time.sleep(0.5)
    assert second.computed == []
    first.release.set()
    first.settle()
    second.settle()
    assert second.read()[0] == 2
    assert (first.computed, second.computed) == ([1, 2], [])


def test_the_api_never_takes_a_shared_result_from_before_the_latest_writes(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    first.read()
    first.write("r1")  # first's stored result now predates the data
    value, age = second.read(page=False)
    assert value == 2 and age.as_of is None
    assert second.computed == [2]


def test_a_row_not_sealed_by_this_server_is_ignored_and_never_unpickled(
    processes: tuple[Process, Process], postgres_url: str, tmp_path: Path
) -> None:
    _, second = processes
    planted = tmp_path / "planted"
    stranger = Process(postgres_url, "stranger", secret=b"x" * 32)
    try:
        sharing = stranger.state.sharing
        assert sharing is not None
        blob = pickle.dumps(_Planted(str(planted)))
        sealed = bytes(32) + blob  # a forged seal
        with stranger.state.use:
            stranger.ws.shared_results().store(  # type: ignore[union-attr]
                Sharing.name(KEY), time.time(), sealed
            )
        assert second.read()[0] == 1
        assert second.computed == [1]  # computed, the planted row ignored
        assert not planted.exists()
        stranger.read()  # another server's secret: its own result, not theirs
        assert stranger.computed == [1]
    finally:
        stranger.state.closed = True
        stranger.ws.close()


class _Planted:
    """What a hostile row would hold: unpickling it would create a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return (os.makedirs, (self.path,))


def test_old_results_are_dropped_unless_claimed(postgres_url: str) -> None:
    """The table holds one row per key ever computed: rows older than the bound go."""
    with advocacy.open(postgres_url) as ws:
        store = ws.shared_results()
        assert store is not None
        now = time.time()
        store.store("old", now - 7200, b"old")
        store.store("fresh", now - 60, b"fresh")
        store.store("old-claimed", now - 7200, b"old")
        assert store.claim("old-claimed")
        store.prune(3600)
        assert store.newer("old", 0) is None
        assert store.newer("fresh", 0) is not None
        assert store.newer("old-claimed", 0) is not None  # a process is computing it now
        # Nothing older than what a process holds is ever taken as newer.
        assert store.newer("fresh", now) is None
