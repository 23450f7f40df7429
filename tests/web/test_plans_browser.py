"""An analyst starts a plan on the top gap in Chromium and sees its frozen baseline."""

from __future__ import annotations

from typing import Any

from web.site import Site
from web.test_browser import Visit, _all_drawn, browser_site, chromium, server

__all__ = ["browser_site", "chromium", "server"]  # fixtures shared with test_browser


def test_analyst_creates_a_plan_on_the_top_gap_and_sees_its_baseline(
    chromium: Any, server: str, browser_site: Site
) -> None:
    visit = Visit(chromium, server)
    try:
        visit.sign_in("ana")
        page = visit.page
        page.get_by_role("link", name="Plans").click()
        page.wait_for_url(server + "/plans")
        chosen = page.get_by_label("What it fixes").input_value()
        assert chosen.startswith("gap:"), chosen  # the register's top gap is preselected
        page.get_by_label("Starts (default today)").fill("2026-03-01")
        page.get_by_role("button", name="Create plan").click()
        page.wait_for_url(server + "/plans/*")
        baseline = page.get_by_role("row", name="Baseline (frozen)")
        assert "2025-12-01 to 2026-02-28" in baseline.inner_text()
        assert page.locator(".verdict").first.inner_text() in (
            "improved", "worsened", "no clear change", "too early",
        )  # fmt: skip
        assert _all_drawn(visit.charts_drawn())
        visit.shot("plan")
        page.get_by_label("Status").select_option("active")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert "active" in page.locator("dl.profile").inner_text()
        title = page.locator("h1").inner_text()
        page.get_by_role("link", name="All plans").click()
        page.wait_for_url(server + "/plans")
        assert page.get_by_role("link", name=title).count() >= 1
        assert visit.errors == [] and visit.foreign == []
    finally:
        visit.close()
