"""The overview dashboard against the library: KPI tiles of the latest complete period, the
trend's incomplete periods, alerts, global filters in the URL, the explorer and the drill-down.

Every expected number comes from the library call the page stands for (``ws.metrics.scores``
with the same filters), and "the latest complete period" from :func:`latest_complete`, so the
tests say what the page must agree with rather than what it happened to print.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from advocacy.access.roles import Principal, Role
from advocacy.metrics.periods import latest_complete
from advocacy.present.web.filters import Filters
from advocacy.present.web.overview import dashboard, data_end, today_in
from web.site import Site, bearer

ANALYST = Principal("someone", Role.analyst)


def _state(client: TestClient) -> Any:
    return client.app.state.web  # type: ignore[attr-defined]


def _latest_rows(
    frame: pd.DataFrame, today: dt.date, min_n: int, end: dt.date | None
) -> dict[str, pd.Series]:
    rows = {}
    for metric, group in frame[frame["n"] > 0].groupby("metric", sort=False):
        latest = latest_complete(group, "quarter", today=today, min_n=min_n, data_end=end)
        if latest is not None:
            rows[str(metric)] = group[group["period"] == latest].iloc[0]
    return rows


def _page(client: TestClient, site: Site, path: str) -> str:
    response = client.get(path, headers=bearer(site, "analyst"))
    assert response.status_code == 200, response.text[:500]
    return html.unescape(response.text)


def test_tiles_show_the_latest_complete_quarter_and_its_change(client: TestClient) -> None:
    state = _state(client)
    with state.use:
        found = dashboard(state, ANALYST, Filters())
        ws = state.ws
        expected = ws.metrics.scores(["nps", "csat", "ces"], period="quarter", compare="previous")
        waves = ws.metrics.waves("enps")
        today, min_n, end = today_in(state), ws.settings.min_n, data_end(state)
    rows = _latest_rows(expected, today, min_n, end)
    assert [tile.metric for tile in found.tiles] == [*rows, "enps"]
    # eNPS comes in survey waves: the latest wave against the wave before, by their dates.
    staff, wave = found.tiles[-1], waves.iloc[-1]
    assert staff.period_label == f"Wave of {wave['label']}"
    assert staff.against == f"the wave of {waves.iloc[-2]['label']}"
    assert staff.score == pytest.approx(wave["score"]) and staff.n == wave["n"]
    assert staff.change == pytest.approx(wave["change"])
    for tile in found.tiles[:-1]:
        row = rows[tile.metric]
        assert tile.period == row["period"]
        assert tile.score == pytest.approx(row["score"]) and tile.n == row["n"]
        assert tile.low == pytest.approx(row["ci_low"]) and tile.high == pytest.approx(
            row["ci_high"]
        )
        if pd.isna(row["change"]):
            assert tile.change is None
        else:
            assert tile.change == pytest.approx(row["change"])
            assert tile.direction == ("better" if row["change"] > 0 else "worse")


def test_filters_in_the_url_restrict_tiles_links_and_answers(
    client: TestClient, site: Site
) -> None:
    state = _state(client)
    with state.use:
        ws = state.ws
        household = ws.metrics.scores("nps", period="quarter", where={"segment": ["household"]})
        today, min_n, end = today_in(state), ws.settings.min_n, data_end(state)
    row = _latest_rows(household, today, min_n, end)["nps"]
    page = _page(client, site, "/?segment=household&by=touchpoint")
    tile = page.split('data-metric="nps"', 1)[1].split("</li>", 1)[0]
    assert f"{int(row['n']):,} answers" in tile
    assert "segment: household" in page.split('id="filtered"', 1)[1].split("</div>", 1)[0]
    # Employee answers carry only a unit: under a segment filter there is no eNPS tile.
    assert 'data-metric="enps"' in _page(client, site, "/")
    assert 'data-metric="enps"' not in page
    # The explorer link carries the filters and the trend's choices.
    assert "/explore?segment=household&metric=nps&by=touchpoint" in page
    # Drilling from the tile lists exactly the answers it counts.
    link = re.search(r'<a class="drill" href="([^"]+)"', tile)
    assert link is not None
    answers = _page(client, site, link.group(1))
    assert f"{int(row['n']):,} answers counted in NPS" in answers


def test_one_answer_dated_today_cannot_become_the_headline(client: TestClient, site: Site) -> None:
    state = _state(client)
    before = {tile.metric: (tile.period, tile.score) for tile in _tiles(state)}
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    written = client.post(
        "/api/v1/responses",
        json=[{"response_id": "today-1", "submitted_at": now, "unit": "Coast", "nps": 0}],
        headers=bearer(site, "analyst"),
    )
    assert written.status_code in (200, 201), written.text
    after = {tile.metric: (tile.period, tile.score) for tile in _tiles(state)}
    assert after == before
    with state.use:
        found = dashboard(state, ANALYST, Filters(), by="unit")
    assert found.trend is not None
    current = found.trend.frame[found.trend.frame["n"] == 1]
    assert list(current["status"]) == ["incomplete"] and found.trend.left_out >= 1
    page = _page(client, site, "/?by=unit")
    assert "Hollow points are periods still under way" in page


def _tiles(state: Any) -> list[Any]:
    with state.use:
        return dashboard(state, ANALYST, Filters()).tiles


def test_a_significant_drop_raises_an_alert_with_its_numbers(
    client: TestClient, site: Site
) -> None:
    state = _state(client)
    latest = _tiles(state)[0].period
    assert latest is not None
    middle = (latest + dt.timedelta(days=40)).isoformat() + "T12:00:00Z"
    detractors = [
        {"response_id": f"drop-{index}", "submitted_at": middle, "unit": "South", "nps": 0}
        for index in range(120)
    ]
    written = client.post("/api/v1/responses", json=detractors, headers=bearer(site, "analyst"))
    assert written.status_code in (200, 201), written.text
    with state.use:
        found = dashboard(state, ANALYST, Filters())
        ws = state.ws
        expected = ws.metrics.scores(
            ["nps"], by="unit", period="quarter", compare="previous"
        ).set_index(["unit", "period"])
    south = [alert for alert in found.alerts if alert.value == "South" and alert.metric == "nps"]
    assert len(south) == 1
    row = expected.loc[("South", latest)]
    assert south[0].score == pytest.approx(row["score"])
    assert south[0].change == pytest.approx(row["change"]) and row["change"] < 0
    assert south[0].p_adjusted == pytest.approx(row["p_adjusted"]) and row["p_adjusted"] < 0.05
    page = _page(client, site, "/")
    assert "NPS fell in South" in page
    assert "unit=South" in south[0].link and "commented=1" in south[0].link


def test_the_explorer_slices_by_several_dimensions_or_none_and_downloads_csv(
    client: TestClient, site: Site
) -> None:
    state = _state(client)
    with state.use:
        expected = state.ws.metrics.scores("csat", by=["unit", "segment"])
    page = _page(client, site, "/explore?metric=csat&by=unit&by=segment")
    assert "CSAT (% satisfied) by unit, segment" in page
    assert '<details class="on-demand">' in page  # the table on demand, the chart first
    download = client.get(
        "/explore.csv?metric=csat&by=unit&by=segment", headers=bearer(site, "analyst")
    )
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["unit"], r["segment"], int(r["n"])) for r in rows] == [
        (r.unit, r.segment, int(r.n)) for r in expected.itertuples()
    ]
    whole = _page(client, site, "/explore?metric=nps&by=none")
    assert "NPS, all answers" in whole
    refused = _page(client, site, "/explore?metric=nps&by=colour")
    assert "cannot slice by 'colour'" in refused


def test_hostile_filter_values_are_escaped_and_bad_ones_refused(
    client: TestClient, site: Site
) -> None:
    payload = '<img src=x onerror="alert(1)">'
    response = client.get("/", params={"unit": payload}, headers=bearer(site, "analyst"))
    assert response.status_code == 200
    assert payload not in response.text and "&lt;img src=x" in response.text
    bad = client.get("/?since=yesterday", headers=bearer(site, "analyst"))
    assert bad.status_code == 400 and "YYYY-MM-DD" in html.unescape(bad.text)
    backwards = client.get(
        "/answers?since=2025-02-01&until=2025-01-01", headers=bearer(site, "analyst")
    )
    assert backwards.status_code == 400 and "before it starts" in html.unescape(backwards.text)


def test_a_unit_filter_shows_that_units_drivers_against_the_other_units(
    client: TestClient,
) -> None:
    state = _state(client)
    with state.use:
        found = dashboard(state, ANALYST, Filters({"unit": ("North",)}))
        everyone = state.ws.gaps.unit_ratings()
    assert found.heat is not None and set(found.heat["unit"]) == {"North"}
    north = everyone[everyone["unit"] == "North"].reset_index(drop=True)
    # Against the other units, as without the filter (not against nothing).
    assert found.heat["difference"].tolist() == pytest.approx(north["difference"].tolist())
    assert (found.heat["difference"].abs() > 0.5).any()


def test_a_date_range_holds_on_the_heat_map(client: TestClient) -> None:
    state = _state(client)
    with state.use:
        first, last = state.ws.db.fetchall(
            "SELECT min(CAST(submitted_at AS DATE)), max(CAST(submitted_at AS DATE)) FROM responses"
        )[0]
        since = first + (last - first) / 2
        found = dashboard(state, ANALYST, Filters(since=since, until=last))
        dated = state.ws.gaps.unit_ratings(since=since, until=last)
        everyone = state.ws.gaps.unit_ratings()
    assert found.heat is not None
    # The range's answers, not the whole history's.
    assert found.heat["n"].tolist() == dated["n"].tolist() != everyone["n"].tolist()
    assert found.heat["mean"].tolist() == pytest.approx(dated["mean"].tolist())


def test_a_heat_map_of_thin_cells_says_why_it_is_white(client: TestClient, site: Site) -> None:
    state = _state(client)
    with state.use:
        ratings = state.ws.gaps.unit_ratings()
        min_n = state.ws.settings.min_n
        busiest = state.ws.db.fetchall(
            "SELECT CAST(submitted_at AS DATE) FROM responses WHERE response_id IN "
            "(SELECT response_id FROM response_items) "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )[0][0]
    page = html.unescape(client.get("/", headers=bearer(site, "analyst")).text)
    thin = bool((ratings["n"] < min_n).all())
    assert ("no unit can be told apart" in page) == thin
    # Under a month around the busiest day of rated answers, every cell is thin.
    since, until = busiest - dt.timedelta(days=15), busiest + dt.timedelta(days=15)
    day = client.get(f"/?since={since}&until={until}", headers=bearer(site, "analyst"))
    assert day.status_code == 200 and "Drivers by unit" in day.text
    heat = html.unescape(day.text).split('id="heat"')[1].split("</section>")[0]
    assert f"Every cell holds fewer than {min_n} ratings" in heat, heat
