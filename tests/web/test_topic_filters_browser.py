"""The global filters hold on the topic pages, in Debian's Chromium on a live server.

A unit set on the overview travels with the navigation to the text, advocates and gaps pages;
each shows the filter as a chip and the unit's numbers, the same ones the workspace's
namespaces give when called with that ``where`` (and not the whole company's). A filter a page
cannot follow is named on it rather than silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

import advocacy
from advocacy.present.web import create_app
from support.live_server import serving
from web.site import Site, prepare_site
from web.test_browser import Visit, chromium  # noqa: F401 - a fixture

UNIT = "North"
WHERE = {"unit": [UNIT]}


@pytest.fixture(scope="module")
def filter_site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("topic-filter-site"))


@pytest.fixture(scope="module")
def expected(filter_site: Site) -> dict[str, Any]:
    """What the namespaces say for the unit and for everyone (read before the server starts)."""
    with advocacy.open(filter_site.url) as ws:
        themes = ws.text.themes(where=WHERE)
        everyone = ws.text.themes()
        return {
            "theme sizes": sorted(themes["size"].astype(int), reverse=True),
            "all theme sizes": sorted(everyone["size"].astype(int), reverse=True),
            "ladder": len(ws.advocates.ladder(where=WHERE)),
            "all ladder": len(ws.advocates.ladder()),
            "promoters": int(ws.advocates.say_do(where=WHERE)["promoters"].sum()),
            "all promoters": int(ws.advocates.say_do()["promoters"].sum()),
            "driver": str(ws.gaps.drivers(where=WHERE).sort_values("rank")["driver"].iloc[0]),
            "all driver": str(ws.gaps.drivers().sort_values("rank")["driver"].iloc[0]),
            "culture rows": len(ws.gaps.culture(where=WHERE).units),
            "all culture rows": len(ws.gaps.culture().units),
        }


@pytest.fixture(scope="module")
def dated(filter_site: Site) -> dict[str, Any]:
    """A date range (the later half of the answers) and what the namespaces say for it."""
    with advocacy.open(filter_site.url) as ws:
        first, last = ws.db.fetchall(
            "SELECT min(CAST(submitted_at AS DATE)), max(CAST(submitted_at AS DATE)) FROM responses"
        )[0]
        since = first + (last - first) / 2
        dates = {"since": since, "until": last}
        themes = ws.text.themes(**dates)
        drivers = ws.gaps.drivers(**dates).sort_values("rank")
        return {
            "query": f"since={since.isoformat()}&until={last.isoformat()}",
            "theme sizes": sorted(themes["size"].astype(int), reverse=True),
            "all theme sizes": sorted(ws.text.themes()["size"].astype(int), reverse=True),
            "ladder": len(ws.advocates.ladder(**dates)),
            "all ladder": len(ws.advocates.ladder()),
            "promoters": int(ws.advocates.say_do(**dates)["promoters"].sum()),
            "all promoters": int(ws.advocates.say_do()["promoters"].sum()),
            "drivers": list(drivers["driver"].astype(str)),
            "all drivers": list(ws.gaps.drivers().sort_values("rank")["driver"].astype(str)),
        }


@pytest.fixture(scope="module")
def server(filter_site: Site, expected: dict[str, Any], dated: dict[str, Any]) -> Iterator[str]:
    with serving(create_app(filter_site.url), name="localhost") as url:
        yield url


def _section(page: Any, heading: str) -> Any:
    return page.locator("section", has=page.get_by_role("heading", name=heading))


def _rows_in(section: Any) -> int:
    """The rows of the whole table in ``section``, as its caption counts them (the server
    shows them a page at a time)."""
    caption = section.locator("caption").inner_text()
    found = re.match(r"(?:Rows [\d,]+ to [\d,]+ of )?([\d,]+)(?: rows?)?;", caption)
    assert found is not None, caption
    return int(found.group(1).replace(",", ""))


def _open_from_navigation(page: Any, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(f"**/{label.lower()}?**")
    assert parse_qs(urlparse(page.url).query)["unit"] == [UNIT]
    chips = page.locator("ul.chips li.chip").all_inner_texts()
    assert [re.sub(r"\s*×$", "", chip) for chip in chips] == [f"unit: {UNIT}"]


def test_a_unit_set_on_the_overview_holds_on_the_text_advocates_and_gaps_pages(
    chromium: Any,  # noqa: F811
    server: str,
    expected: dict[str, Any],
) -> None:
    # The unit's numbers differ from everyone's, so a page that ignored the filter would fail.
    assert expected["theme sizes"] != expected["all theme sizes"]
    assert expected["ladder"] != expected["all ladder"]
    assert expected["promoters"] != expected["all promoters"]
    assert expected["driver"] != expected["all driver"]
    assert expected["culture rows"] != expected["all culture rows"]
    visit = Visit(chromium, server, width=1440, height=900)
    visit.sign_in("ana")
    page = visit.page
    page.get_by_label("Unit", exact=True).select_option(UNIT)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**/?**unit={UNIT}**")

    _open_from_navigation(page, "Text")
    sizes = [
        int(re.match(r"([\d,]+) comments?", text).group(1).replace(",", ""))  # type: ignore[union-attr]
        for text in page.locator("li.card p.size").all_inner_texts()
    ]
    assert sizes == expected["theme sizes"]
    drill = page.locator("li.card a.drill").first.get_attribute("href") or ""
    assert parse_qs(urlparse(drill).query)["unit"] == [UNIT]  # the answers behind a card, too
    visit.shot("topic-filter-text")

    _open_from_navigation(page, "Advocates")
    ladder = _section(page, "The advocacy ladder")
    assert _rows_in(ladder) == expected["ladder"]
    say_do = _section(page, "The say-do gap")
    heads = say_do.locator("thead th").all_inner_texts()
    column = [head.strip().split("\n")[0] for head in heads].index("promoters")
    cells = say_do.locator(f"tbody tr td:nth-child({column + 1})").all_inner_texts()
    assert sum(int(cell.replace(",", "")) for cell in cells) == expected["promoters"]
    assert "Unit filter not applied here: Referrals" in page.locator("ul.not-applied").inner_text()
    visit.shot("topic-filter-advocates")
    # Back on the overview, the ladder is the unit's customers' (placed by the Advocates page).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Overview").click()
    page.wait_for_url(f"**/?**unit={UNIT}**")
    rungs = page.locator("section[aria-labelledby='ladder'] tbody td:nth-child(2)")
    assert sum(int(text.replace(",", "")) for text in rungs.all_inner_texts()) == expected["ladder"]

    _open_from_navigation(page, "Gaps")  # from the overview, still filtered
    drivers = _section(page, "Key drivers of NPS")
    assert drivers.locator("tbody tr").first.locator("td").first.inner_text() == expected["driver"]
    visit.shot("topic-filter-gaps")

    _open_from_navigation(page, "People")
    culture = _section(page, "Culture and eNPS by unit")
    assert culture.locator("caption").inner_text().startswith(f"{expected['culture rows']} rows")
    named = page.locator("ul.not-applied").inner_text()
    assert named.startswith("Unit filter not applied here: Employee results against customer")

    # A filter a page cannot follow everywhere is named, with what ignores it and why.
    page.goto(server + "/gaps?segment=household")
    named = page.locator("ul.not-applied").inner_text()
    assert named.startswith("Segment filter not applied here: Gap register")
    assert "Targets (each target has its own scope)" in named
    # Removing the chip drops the filter.
    page.get_by_role("link", name="Remove the segment filter").click()
    page.wait_for_url(server + "/gaps")
    assert page.locator("ul.chips").count() == 0
    visit.close()
    assert visit.errors == [] and visit.foreign == []


def _sizes(page: Any) -> list[int]:
    return [
        int(re.match(r"([\d,]+) comments?", text).group(1).replace(",", ""))  # type: ignore[union-attr]
        for text in page.locator("li.card p.size").all_inner_texts()
    ]


def test_a_date_range_holds_on_the_theme_cards_advocates_and_gaps(
    chromium: Any,  # noqa: F811
    server: str,
    dated: dict[str, Any],
) -> None:
    # The range's numbers differ from the whole history's, so a page ignoring it would fail.
    assert dated["theme sizes"] != dated["all theme sizes"]
    assert dated["ladder"] != dated["all ladder"]
    assert dated["promoters"] != dated["all promoters"]
    assert dated["drivers"] != dated["all drivers"]
    visit = Visit(chromium, server, width=1440, height=900)
    visit.sign_in("ana")
    page = visit.page

    page.goto(f"{server}/text?{dated['query']}")
    assert _sizes(page) == dated["theme sizes"]
    drill = page.locator("li.card a.drill").first.get_attribute("href") or ""
    assert parse_qs(urlparse(drill).query)["since"] == [dated["query"][6:16]]
    assert page.locator("ul.not-applied").count() == 0  # nothing on the page ignores it
    visit.shot("topic-dates-text")

    page.goto(f"{server}/advocates?{dated['query']}")
    ladder = _section(page, "The advocacy ladder")
    assert _rows_in(ladder) == dated["ladder"]
    say_do = _section(page, "The say-do gap")
    heads = say_do.locator("thead th").all_inner_texts()
    column = [head.strip().split("\n")[0] for head in heads].index("promoters")
    cells = say_do.locator(f"tbody tr td:nth-child({column + 1})").all_inner_texts()
    assert sum(int(cell.replace(",", "")) for cell in cells) == dated["promoters"]
    # Only the referrals, which no answer dates, keep the whole history.
    named = page.locator("ul.not-applied").inner_text()
    assert named.startswith("Date range filter not applied here: Referrals with attribution")

    page.goto(f"{server}/gaps?{dated['query']}")
    drivers = _section(page, "Key drivers of NPS")
    shown = drivers.locator("tbody tr td:first-child").all_inner_texts()
    assert shown == dated["drivers"][: len(shown)]
    named = page.locator("ul.not-applied").inner_text()
    assert named.startswith("Date range filter not applied here: Targets")
    visit.close()
    assert visit.errors == [] and visit.foreign == []
