"""Fixtures of the web tests: a prepared copy per module of the demo built once per run
(``demo_directory``, in the suite's ``conftest.py``).

Each module gets its own copy of the workspace, so writes in one never change what another reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advocacy.present.web import create_app
from web.site import Site, prepare_site


@pytest.fixture(scope="module")
def site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    """The app over ``site`` through the ASGI client (HTTPS, so Secure cookies flow)."""
    with TestClient(create_app(site.url), base_url="https://testserver") as test_client:
        yield test_client
