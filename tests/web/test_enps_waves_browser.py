"""eNPS from employee surveys asked in waves, on the overview in Debian's Chromium.

A workspace whose employee answers come in two waves six months apart (March and September,
imported through the REST API): the eNPS tile shows the September wave against the March one
(not against an empty previous quarter), names both waves by their dates, and the chart draws
each wave as a point with its interval, no line between them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pandas as pd
import pytest

import advocacy
from advocacy import display
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.live_server import serving
from web.site import ensure_user
from web.test_browser import Visit, chromium  # noqa: F401 - a fixture

#: (first day, enps answers): March's team is happier than September's.
WAVES = {"2025-03": [10] * 18 + [8] * 12 + [3] * 10, "2025-09": [9] * 10 + [7] * 12 + [2] * 18}


def _answers() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_response_id", "unit", "submitted_at", "enps"])
    for month, scores in WAVES.items():
        for index, score in enumerate(scores):
            day = 3 + index % 12  # answers over 3-14 of the month
            writer.writerow([f"E-{month}-{index}", "North", f"{month}-{day:02d}T09:00:00Z", score])
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def waves_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = str(tmp_path_factory.mktemp("enps-waves") / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ensure_user(ws, "ana", role="analyst")
    return url


@pytest.fixture(scope="module")
def server(waves_url: str) -> Iterator[str]:
    with advocacy.open(waves_url) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
    with serving(create_app(waves_url), name="localhost") as url:
        imported = httpx.post(
            url + "/api/v1/imports",
            headers={"Authorization": f"Bearer {token}"},
            data={"kind": "employee-responses"},
            files={"file": ("staff.csv", _answers(), "text/csv")},
            timeout=60,
        )
        assert imported.status_code == 200, imported.text
        assert imported.json()["rows_loaded"] == sum(map(len, WAVES.values()))
        yield url


def test_the_enps_tile_compares_the_latest_wave_with_the_one_before(
    chromium: Any,  # noqa: F811
    server: str,
    waves_url: str,
) -> None:
    visit = Visit(chromium, server, width=1440, height=900)
    visit.sign_in("ana")
    page = visit.page
    tile = page.locator("li.tile[data-metric='enps']")
    text = " ".join(tile.inner_text().split())
    with advocacy.open(waves_url) as ws:  # the same numbers from the library
        waves: pd.DataFrame = ws.metrics.waves("enps")
    assert list(waves["label"]) == ["3-14 Mar 2025", "3-14 Sep 2025"]
    latest = waves.iloc[-1]
    assert display.number(latest["score"], 0) in tile.locator("p.score").inner_text()
    assert "Wave of 3-14 Sep 2025, the latest survey wave · 40 answers" in text
    change = display.signed(latest["change"])
    assert f"Worse than the wave of 3-14 Mar 2025: {change} (likely real)" in text
    assert "No earlier" not in text
    # Each wave a point with its interval bar; no line joins them.
    figure = page.locator("figure.chart", has=page.locator("div.vega[aria-label^='eNPS per']"))
    page.wait_for_function(
        "[...document.querySelectorAll('div.vega')].every(d => d.dataset.rendered)"
    )
    assert figure.locator("g.mark-symbol.role-mark path").count() == 2
    assert figure.locator("g.mark-rule.role-mark line").count() == 2
    assert figure.locator("g.mark-line").count() == 0
    visit.shot("enps-waves")
    visit.close()
    assert visit.errors == [] and visit.foreign == []


def test_the_explorer_shows_enps_over_time_per_wave_not_per_month(
    chromium: Any,  # noqa: F811
    server: str,
    waves_url: str,
) -> None:
    with advocacy.open(waves_url) as ws:
        waves: pd.DataFrame = ws.metrics.waves("enps")
    visit = Visit(chromium, server, width=1440, height=900)
    visit.sign_in("ana")
    page = visit.page
    for by in ("none", "unit"):
        page.goto(f"{server}/explore?metric=enps&period=month&by={by}")
        page.wait_for_function(
            "[...document.querySelectorAll('div.vega')].every(d => d.dataset.rendered)"
        )
        figure = page.locator("figure.chart")
        # Two waves, two points with their intervals, no line across the empty months.
        assert figure.locator("g.mark-symbol.role-mark path").count() == 2
        assert figure.locator("g.mark-rule.role-mark line").count() == 2
        assert figure.locator("g.mark-line").count() == 0
        axis = figure.locator("g.role-axis-label text").all_text_contents()
        assert all(label in axis for label in waves["label"])
        page.locator("details.on-demand summary").click()
        rows = page.locator("details.on-demand tbody tr")
        assert rows.count() == 2
        scores = " ".join(rows.all_inner_texts())
        for row in waves.to_dict("records"):
            assert display.estimate(row["score"], row["ci_low"], row["ci_high"]) in scores
        visit.shot(f"explore-enps-waves-{by}")
    visit.close()
    assert visit.errors == [] and visit.foreign == []
