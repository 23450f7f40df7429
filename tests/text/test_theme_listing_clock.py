"""``ws.text.themes`` counts its "vs last quarter" change on the workspace's own settings: the
``min_n`` a quarter needs to be compared, and today in the workspace's time zone (csatthemes
used the settings' default and UTC's today)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import advocacy
from advocacy.settings import Settings
from support.outcome_surveys import answers, survey

# 8 answers in each of Q2, Q3 and Q4 2026, Price in 1, 4 and 6 of them.
ROWS = (
    answers({"price": [3] * 1, "praise": [4] * 7}, "2026-06-28")
    + answers({"price": [3] * 4, "praise": [4] * 4}, "2026-09-28")
    + answers({"price": [3] * 6, "praise": [4] * 2}, "2026-12-30")
)


def price(url: str, settings: Settings, now: dt.datetime) -> tuple[object, float]:
    with advocacy.open(url, settings=settings) as ws:
        row = ws.text.themes(now=now).set_index("theme_id").loc["curated:Price"]
    return row["quarter"], float(row["change_points"])


def test_the_workspaces_min_n_decides_which_quarters_are_compared(
    tmp_path: Path, db_url: str
) -> None:
    url = survey(tmp_path, "csat", ROWS, url=db_url)  # DuckDB and PostgreSQL
    now = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    # 8 answers a quarter: too few for the default 30, enough for a workspace set to 5.
    with advocacy.open(url, settings=Settings(db=url)) as ws:
        assert ws.text.themes(now=now)["change_points"].isna().all()
    assert price(url, Settings(db=url, min_n=5), now) == ("2026 Q3", pytest.approx(100 * 3 / 8))


def test_today_is_the_workspaces_in_its_time_zone(tmp_path: Path, db_url: str) -> None:
    """At 20:00 on 31 December in Los Angeles (04:00 on 1 January UTC) Q4 is still under way
    there: the change is Q3's, not Q4's."""
    url = survey(tmp_path, "csat", ROWS, url=db_url)
    new_year_utc = dt.datetime(2027, 1, 1, 4, tzinfo=dt.UTC)
    local = Settings(db=url, min_n=5, timezone="America/Los_Angeles")
    assert price(url, local, new_year_utc) == ("2026 Q3", pytest.approx(100 * 3 / 8))
    assert price(url, Settings(db=url, min_n=5), new_year_utc) == (
        "2026 Q4",
        pytest.approx(100 * 2 / 8),
    )
    # A clock without a zone is read in the workspace's: 31 December there.
    assert price(url, local, dt.datetime(2026, 12, 31, 20))[0] == "2026 Q3"


def test_until_ends_the_quarters_as_the_report_does(tmp_path: Path) -> None:
    """With ``until`` 28 December, Q4 has not ended for the listing (the report's day is the day
    after ``until``), even though its texts reach within a week of its end."""
    url = survey(tmp_path, "csat", ROWS[:-1] + answers({"price": [3]}, "2026-12-28"))
    with advocacy.open(url, settings=Settings(db=url, min_n=1)) as ws:
        row = (
            ws.text.themes(until=dt.date(2026, 12, 28), now=dt.datetime(2027, 2, 1, tzinfo=dt.UTC))
            .set_index("theme_id")
            .loc["curated:Price"]
        )
    assert row["quarter"] == "2026 Q3"
