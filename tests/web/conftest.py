"""Fixtures of the web tests: the demo built once per run, a prepared copy per module.

Each module gets its own copy of the workspace, so writes in one never change what another reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advocacy.demo.build import build_demo
from advocacy.present.web import create_app
from support.built_once import built_once
from web.site import PASSWORD, Site, prepare_site


@pytest.fixture(scope="session")
def demo_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, built once for the run (once in all, under pytest-xdist); only ever copied.

    Its users (the case owners, ``ana`` and ``ada``) sign in with the tests' password."""
    return built_once(
        tmp_path_factory,
        "demo",
        lambda directory: build_demo(directory, customers=300, seed=7, password=PASSWORD),
    )


@pytest.fixture(scope="module")
def site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    """The app over ``site`` through the ASGI client (HTTPS, so Secure cookies flow)."""
    with TestClient(create_app(site.url), base_url="https://testserver") as test_client:
        yield test_client
