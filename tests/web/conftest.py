"""Fixtures of the web tests: a prepared copy per module of the demo built once per run
(``demo_directory``, in the suite's ``conftest.py``).

Each module gets its own copy of the workspace, so writes in one never change what another reads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advocacy.present.web import APP_THREADS, create_app
from web.site import Site, prepare_site


@pytest.fixture(scope="module")
def site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    """The app over ``site`` through the ASGI client (HTTPS, so Secure cookies flow)."""
    with TestClient(create_app(site.url), base_url="https://testserver") as test_client:
        yield test_client


def _app_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name in APP_THREADS]


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """Each web test ends once the work its requests started in the app's threads has.

    pandas enters ``warnings.catch_warnings`` thousands of times in a warm-up; in Python 3.11
    that swaps the process's one list of warning filters, so a warm-up left running while
    pytest builds the next test's filters can leave that test without pyproject's (the ibis
    ``future.infer_string`` warning then escaped, once in ``test_limits.py``'s 200 MB test and
    ten times in ``test_api.py`` under pandas 3.1.2). Every web test, not only those known to
    start work, so a new page that warms something up cannot bring it back.
    """
    yield
    deadline = time.monotonic() + 120
    while (running := _app_threads()) and time.monotonic() < deadline:
        running[0].join(timeout=1)  # a warm-up may ask for one more run: look again
    assert not _app_threads(), "the app's background work did not end within 2 minutes"
