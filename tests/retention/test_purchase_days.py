"""Purchase days are days of the workspace's time zone, on every engine (the last note's Left 3).

They were UTC days everywhere: in a Tokyo workspace, whose day starts at 09:00 local time, a
purchase at 08:00 on the 5th counted on the 4th, while every ``--as-of`` and calibration end is
read in the workspace's zone. Here purchases sit just before and after midnight, UTC and local
(Berlin's two clock changes of 2024 included), and the summaries are checked against days
counted by hand with :mod:`zoneinfo`, on pandas, DuckDB and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.retention.rfm import summarize_transactions
from advocacy.settings import Settings
from support.zone_purchases import COLUMNS, ZONES, days_by_hand, edge_purchases


@pytest.mark.parametrize("zone", ZONES)
def test_purchase_days_are_the_zones_days_in_memory(zone: str) -> None:
    purchases = edge_purchases()
    summary = summarize_transactions(purchases, time_unit="day", timezone=zone)
    expected = days_by_hand(purchases, zone)
    pd.testing.assert_frame_equal(summary[COLUMNS], expected, check_exact=False, rtol=1e-12)
    # the edges make the zone matter: UTC's days are other days
    utc = summarize_transactions(purchases, time_unit="day")
    assert not utc[COLUMNS].equals(summary[COLUMNS])
    pd.testing.assert_frame_equal(utc[COLUMNS], days_by_hand(purchases, "UTC"), rtol=1e-12)
    # the same instants written as ISO strings with another offset give the same days
    as_text = purchases.assign(
        occurred_at=purchases["occurred_at"]
        .dt.tz_convert("America/Sao_Paulo")
        .map(lambda moment: moment.isoformat())
    )
    pd.testing.assert_frame_equal(
        summarize_transactions(as_text, time_unit="day", timezone=zone), summary,
        check_dtype=False,
    )  # fmt: skip


def test_a_tokyo_purchase_at_eight_in_the_morning_is_that_days() -> None:
    # 23:00 UTC on the 4th is 08:00 on the 5th in Tokyo; 01:00 UTC on the 5th is 10:00 there
    purchases = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A"],
            "date": ["2024-01-04T23:00+00:00", "2024-01-05T01:00+00:00", "2024-01-12T03:00Z"],
            "amount": [10.0, 5.0, 7.0],
        }
    )
    tokyo = summarize_transactions(purchases, time_unit="day", timezone="Asia/Tokyo")
    assert tokyo.loc["A", "frequency"] == 1.0  # the 5th and the 12th
    assert tokyo.loc["A", "first_purchase"] == pd.Timestamp("2024-01-05")
    assert tokyo.loc["A", "recency"] == 7.0
    utc = summarize_transactions(purchases, time_unit="day")
    assert utc.loc["A", "frequency"] == 2.0  # the 4th, the 5th and the 12th
    # a calibration end is the zone's day too: an end at 08:00 Tokyo on the 12th keeps the 12th
    ended = summarize_transactions(
        purchases, time_unit="day", timezone="Asia/Tokyo", calibration_end="2024-01-11T23:00Z"
    )
    assert ended.loc["A", "frequency"] == 1.0 and ended.loc["A", "T"] == 7.0


def test_times_without_a_zone_are_the_zones_wall_clock() -> None:
    # as import reads them: "2024-01-04 23:00" in a Tokyo workspace is the 4th in Tokyo
    purchases = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A"],
            "date": ["2024-01-04 23:00", "2024-01-05", "2024-01-05 01:00"],
            "amount": [1.0, 2.0, 3.0],
        }
    )
    tokyo = summarize_transactions(purchases, time_unit="day", timezone="Asia/Tokyo")
    naive = summarize_transactions(
        purchases.assign(date=pd.to_datetime(purchases["date"], format="ISO8601")),
        timezone="Asia/Tokyo",
    )
    assert tokyo.loc["A", "frequency"] == naive.loc["A", "frequency"] == 1.0
    assert tokyo.loc["A", "first_purchase"] == pd.Timestamp("2024-01-04")


@pytest.mark.parametrize("zone", ZONES)
def test_the_workspace_counts_its_zones_days_on_each_engine(
    db_url: str, tmp_path: Path, zone: str
) -> None:
    purchases = edge_purchases()
    path = tmp_path / "purchases.csv"
    purchases.assign(
        occurred_at=purchases["occurred_at"].map(lambda moment: moment.isoformat())
    ).to_csv(path, index=False)
    with advocacy.open(db_url) as ws:
        assert ws.import_file(path, kind="transactions").rows_quarantined == 0
    settings = Settings.load(directory=tmp_path, timezone=zone)
    expected = days_by_hand(purchases, zone)
    with advocacy.open(db_url, settings=settings) as ws:
        # what a user of the workspace gets: its zone's days, without naming the zone
        predicted = ws.retention.predict(horizon=30, time_unit="day").set_index("customer_id")
        pd.testing.assert_frame_equal(
            predicted.sort_index()[COLUMNS], expected, check_exact=False, rtol=1e-12
        )
        fitted = ws.retention.fit(time_unit="day")
        assert fitted.params_ == pytest.approx(_fitted_in_memory(purchases, zone), rel=1e-6)
        on_engine = summarize_transactions(ws.table("transactions"), time_unit="day", timezone=zone)
    pd.testing.assert_frame_equal(on_engine[COLUMNS], expected, check_exact=False, rtol=1e-12)


def _fitted_in_memory(purchases: pd.DataFrame, zone: str) -> dict[str, float]:
    """BG/NBD's parameters fitted on the in-memory summary in ``zone``."""
    from advocacy.retention.bg_nbd import BetaGeo

    summary = summarize_transactions(purchases, time_unit="day", timezone=zone)
    return dict(BetaGeo(time_unit="day").fit_summary(summary).params_)


def test_an_unknown_zone_is_refused_with_the_fix() -> None:
    from advocacy.errors import UsageError

    with pytest.raises(UsageError, match="unknown time zone") as raised:
        summarize_transactions(edge_purchases(), timezone="Mars/Olympus")
    assert raised.value.fix is not None and "Europe/Berlin" in raised.value.fix


def test_a_day_without_a_time_is_that_day_in_every_zone() -> None:
    # as import reads it (at local midnight), so no zone moves it to the day before
    purchases = pd.DataFrame(
        {"customer_id": ["a", "a", "b"], "date": ["2024-01-01", "2024-01-15", "2024-01-08"]}
    )
    for zone in ("UTC", *ZONES):
        summary = summarize_transactions(purchases, time_unit="day", timezone=zone)
        assert summary["first_purchase"].tolist() == [
            pd.Timestamp(dt.date(2024, 1, 1)),
            pd.Timestamp(dt.date(2024, 1, 8)),
        ]


def test_the_overview_counts_repeat_buyers_by_the_zones_days(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # EDGE buys at 23:00 UTC on the 4th and 01:00 UTC on the 5th: two UTC days, one Tokyo day
    edge = pd.DataFrame(
        {
            "customer_id": ["EDGE", "EDGE"],
            "occurred_at": pd.to_datetime(["2024-01-04T23:00Z", "2024-01-05T01:00Z"]),
            "amount": [5.0, 6.0],
            "transaction_id": ["E1", "E2"],
        }
    )
    rows = pd.concat([edge_purchases(), edge], ignore_index=True)
    path = tmp_path / "purchases.csv"
    rows.assign(occurred_at=rows["occurred_at"].map(lambda moment: moment.isoformat())).to_csv(
        path, index=False
    )
    with advocacy.open(db_url) as ws:
        assert ws.import_file(path, kind="transactions").rows_quarantined == 0
    counted = {}
    for zone in ("UTC", "Asia/Tokyo"):
        repeat = int((days_by_hand(rows, zone)["frequency"] > 0).sum())
        with advocacy.open(db_url, settings=Settings.load(directory=tmp_path, timezone=zone)) as ws:
            counted[zone] = ws.retention.buyers()
        assert counted[zone] == (121, repeat), zone
    assert counted["UTC"][1] == counted["Asia/Tokyo"][1] + 1
    # the page says the zone's count, beside the models' slipping-away list
    from fastapi.testclient import TestClient

    from advocacy.access import create_token
    from advocacy.present.web import create_app

    monkeypatch.setenv("ADVOCACY_TIMEZONE", "Asia/Tokyo")
    monkeypatch.chdir(tmp_path)
    with advocacy.open(db_url) as ws:
        analyst = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(db_url), base_url="https://testserver") as client:
        page = client.get("/", headers={"Authorization": f"Bearer {analyst}"})
    assert page.status_code == 200, page.text[:300]
    assert f"121 buyers, {counted['Asia/Tokyo'][1]:,} bought on more than one day" in page.text


def test_a_column_of_mixed_forms_is_read_alike_in_every_zone() -> None:
    """Times with and without an offset and dates alone in one text column: UTC read only the
    first one's form (the others "not a date") while other zones read each (review15 item 6)."""
    from advocacy.retention.purchase_days import purchase_days

    texts = pd.Series(
        ["2024-01-01T23:30:00", "2024-01-01T23:30:00+02:00", "2024-01-02", None, "soon"]
    )
    expected = [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")]
    assert purchase_days(texts, "UTC").tolist()[:3] == expected
    assert purchase_days(texts, "UTC").isna().tolist() == [False, False, False, True, True]
    berlin = [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")]
    assert purchase_days(texts, "Europe/Berlin").tolist()[:3] == berlin
