"""The dashboard pages in Debian's Chromium: filters that follow the reader from page to page in
the URL, charts drawn, the explorer's table on demand, tables the server sorts and pages, theme
cards, and no page wider than a phone. Screenshots land in ``test-artifacts/web/``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from advocacy.present.web import create_app
from support import require, require_module
from support.live_server import serving
from web.site import Site, prepare_site
from web.test_browser import CHROMIUM, CHROMIUM_ARGS, Visit, _all_drawn

DASHBOARD_PAGES = (
    "/",
    "/?by=unit&segment=household",
    "/explore?by=unit&by=channel&period=quarter",
    "/answers?unit=North&metric=nps",
    "/text",
    "/gaps",
    "/advocates",
    "/advocates?segment=household&ladder_sort=-nps&ladder_page=2",
)


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


@pytest.fixture(scope="module")
def dashboard_site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("dashboard-site"))


@pytest.fixture(scope="module")
def server(dashboard_site: Site) -> Iterator[str]:
    with serving(create_app(dashboard_site.url), name="localhost") as url:
        yield url


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_filters_follow_the_analyst_from_overview_to_explorer_to_answers(
    chromium: Any,
    server: str,
) -> None:
    visit = Visit(chromium, server, width=1440, height=900)
    visit.sign_in("ana")
    page = visit.page
    tiles = page.locator("li.tile")
    assert tiles.count() == 4
    assert "the latest complete quarter" in tiles.first.inner_text()
    assert _all_drawn(visit.charts_drawn())
    page.get_by_label("Unit", exact=True).select_option("North")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/?**unit=North**")
    chips = page.locator("#filtered li.chip").all_inner_texts()
    assert [chip.replace("×", "").strip() for chip in chips] == ["unit: North"]
    # The navigation now carries the filter to the explorer.
    page.get_by_role("link", name="Explorer", exact=True).click()
    page.wait_for_url("**/explore?**")
    assert _query(page.url)["unit"] == ["North"]
    assert page.get_by_label("Unit", exact=True).input_value() == "North"
    page.get_by_label("By", exact=True).select_option("touchpoint")
    page.get_by_label("then by", exact=True).first.select_option("channel")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/explore?**")
    assert _query(page.url)["by"][:2] == ["touchpoint", "channel"]
    assert _query(page.url)["unit"] == ["North"]
    assert _all_drawn(visit.charts_drawn())
    table = page.locator("details.on-demand table")
    assert not table.is_visible()  # a chart first, the table on demand
    page.get_by_text("Show the table").click()
    assert table.is_visible()
    visit.shot("dashboard-explorer")
    # From a tile to the answers behind it, still filtered.
    page.goto(server + "/?unit=North")
    page.locator("li.tile[data-metric='nps'] a.drill").click()
    page.wait_for_url("**/answers?**")
    assert _query(page.url)["unit"] == ["North"] and _query(page.url)["metric"] == ["nps"]
    units = set(page.locator("table.sortable tbody tr td:nth-child(6)").all_inner_texts())
    assert units == {"North"}
    visit.shot("dashboard-answers")
    visit.close()
    assert visit.errors == [] and visit.foreign == []


def test_tables_sort_and_page_and_themes_read_as_cards(
    chromium: Any,
    server: str,
) -> None:
    visit = Visit(chromium, server, width=1440, height=900)
    visit.sign_in("ana")
    page = visit.page
    # The server pages the ladder 50 rows at a time, the global filters kept in every link.
    page.goto(server + "/advocates?segment=household")
    ladder = page.locator("section", has=page.get_by_role("heading", name="The advocacy ladder"))
    rows = ladder.locator("tbody tr")
    where = ladder.locator(".pager .where")
    found = re.match(r"Rows 1 to 50 of ([\d,]+), page 1 of (\d+)$", where.inner_text())
    assert found is not None, where.inner_text()
    total, pages = int(found.group(1).replace(",", "")), int(found.group(2))
    assert pages == -(-total // 50) and pages > 2
    assert rows.count() == 50
    first = rows.first.inner_text()
    ladder.get_by_role("link", name="Next").click()
    page.wait_for_url("**ladder_page=2**")
    assert _query(page.url)["segment"] == ["household"]
    assert where.inner_text().startswith("Rows 51 to 100 of ")
    assert rows.first.inner_text() != first
    # The last page holds the rest, and nothing is on two pages.
    page.goto(server + f"/advocates?segment=household&ladder_page={pages}")
    assert rows.count() == total - 50 * (pages - 1)
    assert ladder.get_by_role("link", name="Next").count() == 0  # no page after the last
    # Sorting by NPS, highest first, sorts the whole ladder, not one page: the first page
    # starts at the highest answer and the second goes on below the first page's lowest.
    page.goto(server + "/advocates?segment=household&ladder_page=2")
    sort = ladder.locator("th a.sort", has_text=re.compile(r"^nps$"))
    sort.click()
    page.wait_for_url("**ladder_sort=nps**")
    assert "ladder_page" not in _query(page.url)  # a new order starts at the first page
    ladder.locator("th a.sort", has_text=re.compile(r"^nps$")).click()
    page.wait_for_url("**ladder_sort=-nps**")
    assert _query(page.url)["segment"] == ["household"]
    header = ladder.locator("th", has=page.locator("a.sort", has_text=re.compile(r"^nps$")))
    assert header.get_attribute("aria-sort") == "descending"
    on_first = _column(ladder, "nps")
    assert on_first == sorted(on_first, reverse=True) and on_first
    ladder.get_by_role("link", name="Next").click()
    page.wait_for_url("**ladder_page=2**")
    on_second = _column(ladder, "nps")
    assert on_second == sorted(on_second, reverse=True)
    assert not on_second or max(on_second) <= min(on_first)
    assert _query(page.url)["ladder_sort"] == ["-nps"]  # the order holds from page to page
    # The whole ladder is one click away as a CSV (every customer, unfiltered).
    csv_link = ladder.get_by_role("link", name="all as CSV").get_attribute("href") or ""
    download = page.request.get(server + csv_link)
    assert download.ok
    lines = [line for line in download.text().splitlines() if line.strip()]
    page.goto(server + "/advocates")
    everyone = re.search(r"of ([\d,]+), page", where.inner_text())
    assert everyone is not None and len(lines) - 1 == int(everyone.group(1).replace(",", ""))
    visit.shot("dashboard-advocates-paged")
    page.goto(server + "/text")
    cards = page.locator("li.card")
    assert cards.count() > 0
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.locator("blockquote.quote").count() <= 2
        widths = card.locator(".sentiment-bar span").evaluate_all(
            "spans => spans.map(s => s.getBoundingClientRect().width)"
        )
        bar = card.locator(".sentiment-bar").bounding_box()
        assert bar is not None and abs(sum(widths) - bar["width"]) < 2
    assert "NPS effect" in cards.first.inner_text()
    visit.shot("dashboard-text")
    visit.close()
    assert visit.errors == [] and visit.foreign == []


def _column(section: Any, name: str) -> list[float]:
    """The numbers in column ``name`` of the table in ``section``, top to bottom."""
    texts = section.locator("tbody tr td.num").evaluate_all(
        "(cells, name) => cells.filter(c => c.cellIndex === "
        "[...c.closest('table').tHead.rows[0].cells].findIndex(h => h.textContent.trim() "
        "=== name)).map(c => c.textContent.trim()).filter(t => t)",
        name,
    )
    return [float(text.replace("\u2212", "-").replace(",", "")) for text in texts]


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_no_dashboard_page_is_wider_than_the_screen(
    chromium: Any,
    server: str,
    width: int,
    height: int,
) -> None:
    visit = Visit(chromium, server, width=width, height=height)
    visit.sign_in("ana")
    wide: dict[str, int] = {}
    for path in DASHBOARD_PAGES:
        visit.page.goto(server + path)
        if visit.page.locator("div.vega").count():
            assert _all_drawn(visit.charts_drawn()), path
        overflow = int(
            visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        )
        if overflow > 0:
            wide[path] = overflow
        name = (path.strip("/").split("?")[0] or "overview") + (
            "-paged" if "_page=" in path else ""
        )
        visit.shot(f"dashboard-{name}-{width}")
    visit.close()
    assert wide == {}
    assert visit.errors == [] and visit.foreign == []
