"""The overview's scores, computed in one batch, equal the separate library calls they replace."""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from advocacy.access.roles import Principal, Role
from advocacy.present.web.dashboards import OVERVIEW_METRICS, _previous_quarter_start, overview
from web.site import HANDLER_UNITS, Site, bearer


@pytest.mark.parametrize("role", [Role.analyst, Role.case_handler])
def test_overview_matches_the_separate_metrics_calls(client: TestClient, role: Role) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    units = HANDLER_UNITS if role is Role.case_handler else ()
    principal = Principal("someone", role, units)
    extra = ["unit"] if units else []
    # A case handler's scores are computed from their units' evidence alone (access.scope).
    reader = principal if units else None
    with state.use:
        found = overview(state, principal)
        ws = state.ws
        headline = ws.metrics.scores(list(OVERVIEW_METRICS), by=extra, principal=reader)
        trend = ws.metrics.scores(["nps"], by=extra, period="month", principal=reader)
        changes = ws.metrics.scores(
            list(OVERVIEW_METRICS),
            by=extra,
            period="quarter",
            compare="previous",
            since=_previous_quarter_start(state),
            principal=reader,
        )
        by_unit = ws.metrics.scores(["nps"], by=["unit"], compare="rest", principal=reader)

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        if units:
            frame = frame[frame["unit"].isin(units)]
        return frame.reset_index(drop=True)

    headline = mine(headline)
    changes = mine(changes)
    changes = changes[changes["period"] == changes["period"].max()]
    expected = {
        "headline": headline[headline["n"] > 0].reset_index(drop=True),
        "trend": mine(trend),
        "changes": changes[changes["n"] > 0].reset_index(drop=True),
        "units": mine(by_unit),
    }
    for name, frame in expected.items():
        assert not frame.empty, name
        pd.testing.assert_frame_equal(getattr(found, name), frame, check_dtype=False, obj=name)


def test_overview_page_shows_the_headline_scores(client: TestClient, site: Site) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        nps = state.ws.metrics.scores(["nps"]).iloc[0]
    page = client.get("/", headers=bearer(site, "analyst")).text
    scores = page.split('id="scores"', 1)[1].split("</table>", 1)[0]
    assert f'<td class="num"><strong>{nps["score"]:,.1f}</strong></td>' in scores
    assert f'<td class="num">{int(nps["n"]):,}</td>' in scores
