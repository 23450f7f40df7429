"""Pages under writes (issue #20.3): with ``page_staleness_seconds`` above 0 a page is served
the last computed figures while newer ones are computed in the background (past the bound too:
a request never computes a result it already has), and then says when its figures are from;
the API always gets fresh figures.

The cache is driven with a clock the test moves; the pages through the app, on a copy of the
demo workspace, with writes made through the REST API.
"""

from __future__ import annotations

import html
import itertools
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy import display
from advocacy.errors import InsufficientDataError
from advocacy.present.web import create_app
from advocacy.present.web.state import (
    BACKGROUND_COMPUTATIONS,
    REFRESH_SHARE,
    FiguresAge,
    WebState,
    figures_age,
)
from advocacy.settings import current_settings
from web.site import Site, bearer

BOUND = 5.0
LABEL = re.compile(r"Figures as of (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def state(tmp_path: Path) -> Iterator[WebState]:
    settings = current_settings().updated(page_staleness_seconds=BOUND)
    with advocacy.open(str(tmp_path / "ws.duckdb"), settings=settings) as ws:
        web = WebState(ws)
        web.clock = Clock()
        yield web


def _count(state: WebState) -> int:
    return int(state.ws.db.fetchall("SELECT count(*) FROM responses")[0][0])


def _read(state: WebState, compute: Any, *, page: bool = True) -> tuple[int, FiguresAge]:
    """One request's read of the cached count, as a page (may be stale) or the API."""
    age = FiguresAge(stale_allowed=page)
    token = figures_age.set(age)
    try:
        with state.use:
            return state.cached(("responses",), compute), age
    finally:
        figures_age.reset(token)


def _write(state: WebState, response_id: str) -> None:
    with state.use:
        state.ws.write_records("responses", [{"response_id": response_id, "nps": 9}])
        state.wrote()


def test_a_write_then_reads_within_the_bound_are_served_the_last_figures_and_say_so(
    state: WebState,
) -> None:
    clock = state.clock
    assert isinstance(clock, Clock)
    _write(state, "r1")
    first, age = _read(state, lambda: _count(state))
    assert first == 1 and age.as_of is None  # fresh: no label

    _write(state, "r2")
    clock.now += 2  # within the bound
    release = threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        release.wait(30)
        return _count(state)

    # Readers within the bound get the last figures at once, labelled, and do not wait for the
    # one recomputation the first of them started in the background.
    answers = [_read(state, slow) for _ in range(5)]
    assert [value for value, _ in answers] == [1] * 5
    assert all(age.as_of is not None for _, age in answers)
    stamps = {age.as_of for _, age in answers}
    assert len(stamps) == 1
    deadline = time.monotonic() + 30
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls, "the refresh must start in the background"
    # The API never gets stale figures: it waits for the current ones on their way.
    api: list[tuple[int, FiguresAge]] = []
    reader = threading.Thread(target=lambda: api.append(_read(state, slow, page=False)))
    reader.start()
    reader.join(0.5)
    assert not api, "the API must not be answered with the last figures"
    release.set()
    reader.join(30)
    assert api and api[0][0] == 2 and api[0][1].as_of is None

    while state._computing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(calls) == 1  # one background recomputation for all five readers and the API
    fresh, fresh_age = _read(state, slow)
    assert fresh == 2 and fresh_age.as_of is None


def test_an_analysis_refusing_the_data_is_asked_once_per_generation(state: WebState) -> None:
    """A refusal for too little data stands until new evidence arrives: each reader gets it
    (with its message), but the analysis is not run again for every view (the Advocates page's
    fans-to-be cost 0.3 s a view on a workspace it refused)."""
    calls: list[int] = []

    def analysis() -> int:
        calls.append(1)
        count = _count(state)
        if count < 2:
            raise InsufficientDataError(
                f"{count} answer(s): too few to fit", fix="import at least 2 answers"
            )
        return count

    _write(state, "r1")
    for _ in range(3):
        for page in (True, False):
            with pytest.raises(InsufficientDataError) as refused:
                _read(state, analysis, page=page)
            assert refused.value.message == "1 answer(s): too few to fit"
            assert refused.value.fix == "import at least 2 answers"
    assert len(calls) == 1
    assert state.peek(("responses",)) is None  # the overview's peek finds no figures

    _write(state, "r2")  # new evidence: asked again, and now it answers
    value, _ = _read(state, analysis, page=False)
    assert value == 2 and len(calls) == 2
    assert _read(state, analysis)[0] == 2 and len(calls) == 2


def test_background_refreshes_take_turns_and_rest_between_them(state: WebState) -> None:
    """Under a stream of writes every result is stale all the time: refreshes take a bounded
    share of the server (one at a time, resting REFRESH_SHARE's complement after each)."""
    clock = state.clock
    assert isinstance(clock, Clock)
    keys = [("a",), ("b",), ("c",)]
    for key in keys:
        with state.use:
            state.cached(key, lambda: _count(state))
    spans: list[tuple[float, float]] = []

    def slow() -> int:
        begun = time.monotonic()
        time.sleep(0.2)
        spans.append((begun, time.monotonic()))
        return _count(state)

    _write(state, "r1")
    clock.now += 1
    for key in keys:  # each page served its last figures at once; three refreshes asked for
        age = FiguresAge(stale_allowed=True)
        token = figures_age.set(age)
        try:
            with state.use:
                assert state.cached(key, slow) == 0
        finally:
            figures_age.reset(token)
        assert age.as_of is not None
    deadline = time.monotonic() + 30
    while state._computing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(spans) == 3
    spans.sort()
    for (_, ended), (begun, _) in itertools.pairwise(spans):
        assert begun - ended >= 0.2 * (1 / REFRESH_SHARE - 1) * 0.9  # one at a time, resting


def test_a_server_behind_serves_the_last_figures_past_the_bound_and_says_how_old(
    state: WebState,
) -> None:
    clock = state.clock
    assert isinstance(clock, Clock)
    _write(state, "r1")
    assert _read(state, lambda: _count(state))[0] == 1
    threads: list[str] = []

    def counted() -> int:
        threads.append(threading.current_thread().name)
        return _count(state)

    # Every background slot taken (as by other pages' refreshes): the refresh started by a
    # reader past half the bound waits for its turn.
    for _ in range(BACKGROUND_COMPUTATIONS):
        state._background.acquire()
    try:
        _write(state, "r2")
        clock.now += BOUND * 0.75
        first, first_age = _read(state, counted)
        _write(state, "r3")
        clock.now += BOUND  # past the bound, the refresh still waiting
        value, age = _read(state, counted)
        assert (first, value) == (1, 1)  # not held up by the server being behind...
        assert age.as_of is not None and age.as_of == first_age.as_of  # ...and labelled
        assert threads == []
        # The API takes over the refresh that did not start (it holds a connection; the
        # refresh may be waiting for one) and gets the current figures.
        api, api_age = _read(state, counted, page=False)
        assert api == 3 and api_age.as_of is None
        assert threads == [threading.current_thread().name]
    finally:
        for _ in range(BACKGROUND_COMPUTATIONS):
            state._background.release()
    deadline = time.monotonic() + 30
    while state._computing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(threads) == 1  # the background thread left it to the API
    assert _read(state, counted)[0] == 3


def test_past_the_bound_a_page_is_served_the_last_figures_while_they_are_refreshed(
    state: WebState,
) -> None:
    """A request never computes a result it already has (issue #20.3: under a stream of
    writes, pages computing their own figures past the bound took most of the server): it gets
    the last figures, labelled, and the refresh it started brings the current ones."""
    clock = state.clock
    assert isinstance(clock, Clock)
    _write(state, "r1")
    assert _read(state, lambda: _count(state))[0] == 1
    _write(state, "r2")
    clock.now += BOUND * 10
    threads: list[str] = []

    def counted() -> int:
        threads.append(threading.current_thread().name)
        return _count(state)

    value, age = _read(state, counted)
    assert value == 1 and age.as_of is not None
    deadline = time.monotonic() + 30
    while state._computing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threads == ["advocacy-recompute"]  # computed in the background, not by the page
    fresh, fresh_age = _read(state, counted)
    assert fresh == 2 and fresh_age.as_of is None


def test_no_staleness_means_always_fresh(tmp_path: Path) -> None:
    settings = current_settings().updated(page_staleness_seconds=0)
    with advocacy.open(str(tmp_path / "ws.duckdb"), settings=settings) as ws:
        state = WebState(ws)
        _write(state, "r1")
        assert _read(state, lambda: _count(state))[0] == 1
        _write(state, "r2")
        value, age = _read(state, lambda: _count(state))
        assert value == 2 and age.as_of is None


def _page(client: TestClient, site: Site) -> str:
    answer = client.get("/", headers=bearer(site, "analyst"))
    assert answer.status_code == 200, answer.text[:300]
    return html.unescape(answer.text)


def _post(client: TestClient, site: Site, response_id: str) -> None:
    record = [{"response_id": response_id, "nps": 2, "submitted_at": "2026-01-02T10:00:00Z"}]
    answer = client.post("/api/v1/responses", json=record, headers=bearer(site, "analyst"))
    assert answer.status_code == 200, answer.text


def test_the_overview_after_a_write_says_when_its_figures_are_from(site: Site) -> None:
    settings = current_settings().updated(page_staleness_seconds=600)
    with (
        advocacy.open(site.url, settings=settings) as ws,
        TestClient(create_app(workspace=ws), base_url="https://testserver") as client,
    ):
        state = client.app.state.web  # type: ignore[attr-defined]
        assert LABEL.search(_page(client, site)) is None  # computed now: fresh
        before = display.moment(datetime.now(UTC), ws.settings.timezone, seconds=True)
        _post(client, site, "stale-1")
        stale = _page(client, site)
        found = LABEL.search(stale)
        assert found is not None, "a page served from before the write must say so"
        assert found.group(1) <= before  # the figures are from before the write
        # The newer figures arrive in the background; then the page is fresh again.
        deadline = time.monotonic() + 120
        while (state.warming or state._computing) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert LABEL.search(_page(client, site)) is None


def test_without_staleness_the_overview_is_fresh_after_a_write(site: Site) -> None:
    settings = current_settings().updated(page_staleness_seconds=0)
    with (
        advocacy.open(site.url, settings=settings) as ws,
        TestClient(create_app(workspace=ws), base_url="https://testserver") as client,
    ):
        _page(client, site)
        _post(client, site, "fresh-1")
        assert LABEL.search(_page(client, site)) is None
