"""The web app in Debian's Chromium, driven by Playwright, against a real uvicorn server.

Each main page is opened as a user would; the test checks its charts were drawn (vega-embed,
served by the app itself), that nothing was fetched from another origin, and that the console
stayed free of errors. Screenshots land in ``test-artifacts/web/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advocacy.access.masking import MASK
from advocacy.present.web import create_app
from support import require, require_module
from support.live_server import serving
from web.site import PASSWORD, Site, prepare_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture(scope="module")
def browser_site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="module")
def server(browser_site: Site) -> Iterator[str]:
    """``advocacy serve``'s app under uvicorn on a free loopback port, in a thread."""
    # Chromium treats localhost as a secure context, so the app's Secure cookies work there.
    with serving(create_app(browser_site.url), name="localhost") as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require(CHROMIUM.exists(), "Debian's chromium is not installed: apt-get install chromium")
    sync_api = require_module("playwright.sync_api", "pip install -e .[dev]")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Visit:
    """A signed-in browser tab that records console errors and requests to other origins."""

    def __init__(self, chromium: Any, server: str, *, width: int = 1200, height: int = 900):
        self.server = server
        self.context = chromium.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((server, "data:"))
                else self.foreign.append(request.url)
            ),
        )

    def sign_in(self, username: str) -> None:
        self.page.goto(self.server + "/")
        assert "/login" in self.page.url
        self.page.get_by_label("User name").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(self.server + "/")

    def charts_drawn(self) -> list[str]:
        self.page.wait_for_function(
            "[...document.querySelectorAll('div.vega')].every(d => d.dataset.rendered)",
            timeout=15_000,
        )
        states: list[str] = self.page.eval_on_selector_all(
            "div.vega",
            "nodes => nodes.map(n => n.dataset.rendered + ':' + "
            "(n.querySelector('svg') ? n.querySelector('svg').getBoundingClientRect().width : 0))",
        )
        return states

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def _all_drawn(states: list[str]) -> bool:
    return bool(states) and all(
        state.startswith("true:") and float(state.split(":")[1]) > 100 for state in states
    )


def test_analyst_reads_overview_explorer_and_customer_360(
    chromium: Any, server: str, browser_site: Site
) -> None:
    visit = Visit(chromium, server)
    visit.sign_in("ana")
    page = visit.page
    assert page.get_by_role("heading", name="Where we stand").is_visible()
    nps_tile = page.locator("li.tile[data-metric='nps']")
    assert "95% interval" in nps_tile.inner_text()  # the score carries its interval
    assert _all_drawn(visit.charts_drawn())
    visit.shot("overview")

    page.get_by_role("link", name="Explorer").click()
    page.get_by_label("By", exact=True).select_option("region")
    page.get_by_label("Metric", exact=True).select_option("csat")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/explore?**")
    assert "by=region" in page.url
    page.get_by_text("Show the table").click()  # the chart first, the table on demand
    assert page.locator("details.on-demand caption").inner_text() == "CSAT (% satisfied) by region"
    assert _all_drawn(visit.charts_drawn())
    visit.shot("explorer")

    page.get_by_role("link", name="Customers").click()
    page.get_by_label("Find", exact=True).fill(browser_site.north_customer)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=browser_site.north_customer).click()
    page.wait_for_url(f"**/customers/{browser_site.north_customer}")
    assert page.get_by_role("heading", name="Timeline").is_visible()
    kinds = set(page.locator("ol.timeline .tag").all_inner_texts())
    assert "response" in kinds
    assert MASK not in page.locator("dl#profile").inner_text()
    visit.shot("customer-360")

    page.get_by_role("link", name="Coaching").click()
    page.locator("table a").first.click()
    assert page.get_by_role("heading", name="Customers' view").is_visible()
    visit.shot("coaching")
    for topic in ("text", "advocates", "gaps", "people"):
        page.goto(f"{server}/{topic}")
        assert page.get_by_role("heading", name="Evidence in this workspace").is_visible()
        visit.shot(topic)
    visit.close()
    assert visit.errors == [] and visit.foreign == []


def test_viewer_sees_masked_personal_data_on_a_phone(
    chromium: Any, server: str, browser_site: Site
) -> None:
    visit = Visit(chromium, server, width=390, height=844)
    visit.sign_in("vic")
    page = visit.page
    assert _all_drawn(visit.charts_drawn())
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the overview scrolls sideways on a phone"
    visit.shot("overview-phone-viewer")
    page.goto(f"{server}/customers/{browser_site.north_customer}")
    assert page.get_by_role("note").inner_text() == "Personal data is masked for your role."
    profile = page.locator("dl#profile dd.pii").all_inner_texts()
    assert profile[:2] == [MASK, MASK]
    assert "@" not in page.locator("main").inner_text()
    visit.shot("customer-360-viewer")
    visit.close()
    assert visit.errors == [] and visit.foreign == []
