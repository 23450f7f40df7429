"""``where=`` on the text, advocates and gaps namespaces (the dashboard's global filters), on a
real DuckDB file and a real PostgreSQL server: each keeps the answers the filter names and
nothing else, the same answers ``ws.metrics.scores(where=...)`` counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.errors import UsageError
from gaps.theme_data import THEMES, frames, workspace_with_themes

NORTH = {"unit": ["North"]}


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[advocacy.Workspace]:
    workspace = workspace_with_themes(db_url, tmp_path)
    try:
        yield workspace
    finally:
        workspace.close()


def _north_mentions() -> pd.DataFrame:
    data = frames()
    north = set(data["responses"].query("unit == 'North'")["response_id"])
    mentions = data["mentions"]
    return mentions[mentions["response_id"].isin(north)]


def test_themes_under_a_filter_count_only_the_comments_of_the_answers_it_keeps(
    ws: advocacy.Workspace,
) -> None:
    mentions = _north_mentions()
    expected = mentions.groupby("theme")["response_id"].nunique().to_dict()
    themes = ws.text.themes(where=NORTH)
    found = {THEMES[str(row.theme_id)]: int(row.size) for row in themes.itertuples()}
    assert found == expected
    # Billing errors are North's alone: the same count filtered or not; the others shrink.
    everyone = frames()["mentions"].groupby("theme")["response_id"].nunique()
    assert found["Billing errors"] == everyone["Billing errors"]
    assert found["Parking"] < everyone["Parking"]
    # A filter nothing matches leaves no theme, rather than every theme.
    assert ws.text.themes(where={"unit": ["West"]}).empty


def test_drivers_under_a_unit_filter_are_the_units_own(ws: advocacy.Workspace) -> None:
    filtered = ws.gaps.drivers(where=NORTH, n_bootstrap=0)
    own = ws.gaps.drivers(unit="North", n_bootstrap=0)
    pd.testing.assert_frame_equal(filtered, own)
    everyone = ws.gaps.drivers(n_bootstrap=0)
    assert not filtered["share"].round(6).equals(everyone["share"].round(6))
    themed = ws.gaps.drivers(level="theme", where=NORTH, n_bootstrap=0)
    assert "Billing errors" in set(themed["driver"])


def test_the_register_and_ipa_under_a_filter(ws: advocacy.Workspace) -> None:
    north = ws.metrics.scores("nps", where=NORTH, min_n=1).iloc[0]
    register = ws.gaps.register(where=NORTH)
    nps_targets = register[register["subject"] == "nps"]
    # Every NPS target is measured on North's answers alone.
    assert nps_targets["current"].astype(float).tolist() == pytest.approx(
        [float(north["score"])] * len(nps_targets)
    )
    quadrants = ws.gaps.ipa(where=NORTH, importance="derived").frame
    assert set(quadrants["item"]) == {"speed", "price"}
    with pytest.raises(UsageError, match="unknown dimension"):
        ws.gaps.register(where={"colour": ["red"]})
    with pytest.raises(UsageError, match="employee answers carry only a unit"):
        ws.gaps.culture(where={"segment": ["household"]})


def test_advocates_under_a_filter_list_only_customers_with_such_an_answer(
    ws: advocacy.Workspace,
) -> None:
    answers = ws.metrics.answers(where=NORTH, limit=500)
    customers = {str(value) for value in answers.rows["customer_id"].dropna()}
    ladder = ws.advocates.ladder(where=NORTH)
    assert set(ladder["customer_id"].astype(str)) <= customers
    behavior = ws.advocates.behavior(where=NORTH)
    everyone = ws.advocates.behavior()
    assert behavior["customers"].sum() <= everyone["customers"].sum()


def test_a_date_range_keeps_the_answers_of_its_days_as_scores_counts_them(
    ws: advocacy.Workspace,
) -> None:
    since, until = dt.date(2025, 3, 1), dt.date(2025, 6, 30)
    data = frames()
    days = pd.to_datetime(data["responses"]["submitted_at"]).dt.date
    kept = set(data["responses"][(days >= since) & (days <= until)]["response_id"])
    assert 0 < len(kept) < len(data["responses"])  # the range leaves some answers out
    mentions = data["mentions"][data["mentions"]["response_id"].isin(kept)]
    themes = ws.text.themes(since=since, until=until)
    found = {THEMES[str(row.theme_id)]: int(row.size) for row in themes.itertuples()}
    assert found == mentions.groupby("theme")["response_id"].nunique().to_dict()
    # With a dimension filter on top, the answers behind the page's numbers are the range's.
    north = set(data["responses"].query("unit == 'North'")["response_id"])
    answers = ws.metrics.answers(since=since, until=until, where=NORTH, limit=500)
    assert set(answers.rows["response_id"].astype(str)) == {str(i) for i in kept & north}
    ladder = ws.advocates.ladder(since=since, until=until, where=NORTH)
    customers = set(answers.rows["customer_id"].dropna().astype(str))
    assert set(ladder["customer_id"].astype(str)) <= customers
    dated = ws.gaps.drivers(since=since, until=until, n_bootstrap=0)
    assert not dated["share"].round(6).equals(ws.gaps.drivers(n_bootstrap=0)["share"].round(6))
