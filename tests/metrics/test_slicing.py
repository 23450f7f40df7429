"""``ws.metrics.scores`` on DuckDB and PostgreSQL against a pandas computation of the same data.

Each case runs once per engine (``db_url``) and is checked against counts computed here from the
raw rows, so both engines are held to the same numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from advocacy.errors import UsageError
from advocacy.metrics import nps_from_counts
from metrics.data import (
    CASES,
    customers,
    employee_responses,
    responses,
    same_rows,
    workspace_with_data,
)


@pytest.fixture
def ws(db_url: str) -> Iterator[Any]:
    workspace = workspace_with_data(db_url)
    yield workspace
    workspace.close()


def _nps_by(frame: pd.DataFrame, keys: list[str], column: str = "nps") -> pd.DataFrame:
    answered = frame[frame[column].notna()]
    grouped = answered.groupby(keys)[column]
    return pd.DataFrame(
        {
            "detractors": grouped.apply(lambda s: int((s <= 6).sum())),
            "passives": grouped.apply(lambda s: int(s.between(7, 8).sum())),
            "promoters": grouped.apply(lambda s: int((s >= 9).sum())),
        }
    ).reset_index()


def _check_nps(result: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    got = result[result.metric == "nps"].reset_index(drop=True)
    assert got[keys].astype(str).values.tolist() == expected[keys].astype(str).values.tolist()
    for row, want in zip(got.itertuples(), expected.itertuples(), strict=True):
        reference = nps_from_counts(want.detractors, want.passives, want.promoters)
        assert (row.detractors, row.passives, row.promoters) == (
            want.detractors,
            want.passives,
            want.promoters,
        )
        assert row.score == pytest.approx(reference.score)
        assert row.se == pytest.approx(reference.se)
        assert (row.ci_low, row.ci_high) == pytest.approx((reference.ci_low, reference.ci_high))


def test_nps_by_unit(ws: Any) -> None:
    result = ws.metrics.scores("nps", by="unit")
    assert list(result.columns) == [
        "metric", "unit", "n", "score", "se", "ci_low", "ci_high", "flag",
        "promoters", "passives", "detractors",
    ]  # fmt: skip
    _check_nps(result, _nps_by(responses(), ["unit"]), ["unit"])
    assert result.flag.isna().all()


def test_nps_by_unit_and_month(ws: Any) -> None:
    raw = responses()
    raw["period"] = raw.submitted_at.dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date
    result = ws.metrics.scores(["nps"], by=["unit"], period="month")
    _check_nps(result, _nps_by(raw, ["unit", "period"]), ["unit", "period"])


def test_customer_dimensions_and_attributes(ws: Any) -> None:
    raw = responses().merge(customers(), on="customer_id")
    raw["attrs.plan"] = [json.loads(text)["plan"] for text in raw["attrs"]]
    result = ws.metrics.scores("nps", by=["segment", "attrs.plan"])
    _check_nps(result, _nps_by(raw, ["segment", "attrs.plan"]), ["segment", "attrs.plan"])
    seats = ws.metrics.scores("nps", by="attrs.seats")
    assert seats["attrs.seats"].tolist() == ["0", "1", "2"]


def test_missing_dimension_values_get_a_label(ws: Any) -> None:
    result = ws.metrics.scores("nps", by="channel")
    assert result.channel.tolist() == ["(not set)", "email", "web"]


def test_csat_ces_and_top_box(ws: Any) -> None:
    raw = responses()
    result = ws.metrics.scores(["csat", "top-box", "csat-mean", "ces", "ces-easy"]).set_index(
        "metric"
    )
    assert result.loc["csat", "score"] == pytest.approx(100 * (raw.csat >= 4).mean())
    assert result.loc["top-box", "score"] == pytest.approx(100 * (raw.csat == 5).mean())
    assert result.loc["csat-mean", "score"] == pytest.approx(raw.csat.mean())
    assert result.loc["csat-mean", "se"] == pytest.approx(raw.csat.sem())
    assert result.loc["ces", "score"] == pytest.approx(raw.ces.mean())
    assert result.loc["ces-easy", "score"] == pytest.approx(100 * (raw.ces >= 5).mean())
    assert set(result.n) == {len(raw)}


def test_scales_are_respected(ws: Any) -> None:
    ws.db.execute("UPDATE responses SET csat = 10, csat_scale_min = 0, csat_scale_max = 10")
    result = ws.metrics.scores(["csat-mean", "top-box"]).set_index("metric")
    assert result.loc["csat-mean", "score"] == pytest.approx(5.0)
    assert result.loc["top-box", "score"] == pytest.approx(100.0)


def test_weights_use_the_effective_sample_size(ws: Any) -> None:
    raw = responses()
    answered = raw[raw.nps.notna()]
    weights = answered.weight.to_numpy()
    result = ws.metrics.scores("nps", weighted=True).iloc[0]
    promoters = weights[answered.nps.to_numpy(dtype=float) >= 9].sum() / weights.sum()
    detractors = weights[answered.nps.to_numpy(dtype=float) <= 6].sum() / weights.sum()
    assert result.score == pytest.approx(100 * (promoters - detractors))
    assert result.n_effective == pytest.approx(weights.sum() ** 2 / (weights**2).sum())
    assert result.n == len(answered)


def test_dates_and_rolling_windows(ws: Any) -> None:
    raw = responses()
    day = raw.submitted_at.dt.date
    inside = raw[
        (day >= pd.Timestamp("2024-02-01").date()) & (day <= pd.Timestamp("2024-03-31").date())
    ]
    result = ws.metrics.scores("nps", since="2024-02-01", until="2024-03-31").iloc[0]
    assert result.n == inside.nps.notna().sum()
    monthly = ws.metrics.scores("nps", period="month")
    rolling = ws.metrics.scores("nps", period="month", rolling=3)
    assert rolling.n.tolist() == monthly.n.rolling(3, min_periods=1).sum().astype(int).tolist()


def test_previous_period_comparison(ws: Any) -> None:
    result = ws.metrics.scores("nps", by="unit", period="quarter", compare="previous")
    south = result[result.unit == "South"].reset_index(drop=True)
    assert np.isnan(south.change[0]) and south.verdict[0] == "nothing to compare with"
    assert south.change[1] == pytest.approx(south.score[1] - south.score[0])
    # South improves over time by construction; the change is large and survives Holm.
    assert south.verdict[1].startswith("better by ") and "likely real" in south.verdict[1]
    tested = result.p_value.notna()
    assert (result.p_adjusted[tested] >= result.p_value[tested]).all()


def test_rest_of_company_comparison(ws: Any) -> None:
    result = ws.metrics.scores("nps", by="unit", compare="rest", correction="none")
    raw = responses()
    answered = raw[raw.nps.notna()]
    rest = answered[answered.unit != "North"].nps
    north = result.set_index("unit").loc["North"]
    reference = nps_from_counts(
        int((rest <= 6).sum()), int(rest.between(7, 8).sum()), int((rest >= 9).sum())
    )
    assert north.reference_score == pytest.approx(reference.score)
    assert north.p_adjusted == north.p_value
    assert north.verdict.startswith("worse than the rest by")


def test_too_few_responses_are_flagged(ws: Any) -> None:
    result = ws.metrics.scores("nps", by="unit", period="month", min_n=60)
    assert set(result.flag.dropna()) == {"too few responses"}
    assert (result.flag.notna() == (result.n < 60)).all()


def test_enps_by_unit(ws: Any) -> None:
    expected = _nps_by(employee_responses(), ["unit"], column="enps")
    result = ws.metrics.scores(["enps"], by="unit").assign(metric="nps")
    _check_nps(result, expected, ["unit"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"metrics": "nsp"}, "unknown metric"),
        ({"by": "colour"}, "unknown dimension"),
        ({"metrics": "enps", "by": "segment"}, "eNPS cannot be sliced"),
        ({"compare": "previous"}, "needs a period"),
        ({"compare": "rest"}, "needs slices"),
        ({"period": "fortnight"}, "unknown period"),
        ({"since": "last week"}, "as a date"),
        ({"rolling": 3}, "rolling window"),
    ],
)
def test_bad_requests_say_what_to_do(ws: Any, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        ws.metrics.scores(**arguments)
    assert raised.value.fix


def test_postgres_gives_duckdb_numbers(duckdb_url: str, postgres_url: str) -> None:
    with workspace_with_data(duckdb_url) as duck, workspace_with_data(postgres_url) as postgres:
        for case in CASES:
            options = {key: value for key, value in case.items() if key != "metrics"}
            expected = duck.metrics.scores(case["metrics"], **options)
            got = postgres.metrics.scores(case["metrics"], **options)
            assert len(expected) > 0
            pd.testing.assert_frame_equal(
                same_rows(got), same_rows(expected), check_exact=False, rtol=1e-9
            )
