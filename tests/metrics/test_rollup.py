"""Several metric requests answered from one aggregation equal the separate library calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from advocacy.errors import UsageError
from advocacy.metrics.rollup import MetricsRequest, experience_metrics_batch
from metrics.data import workspace_with_data

#: The overview's four requests, then slicings that need a daily aggregation or a join.
REQUESTS = [
    MetricsRequest(("nps", "csat", "top-box", "ces", "enps")),
    MetricsRequest(("nps",), period="month"),
    MetricsRequest(
        ("nps", "csat", "top-box", "ces", "enps"),
        period="quarter",
        compare="previous",
        since="2024-04-01",
    ),
    MetricsRequest(("nps",), by=("unit",), compare="rest"),
    MetricsRequest(("nps", "ces-easy"), by=("segment", "channel"), period="year"),
    MetricsRequest(("csat-mean",), period="week", until="2024-02-14"),
    MetricsRequest(("nps",), by=("unit",), period="month", rolling=3, compare="previous"),
    MetricsRequest(("enps",), by=("unit",), period="quarter", since="2024-02-10"),
]


@pytest.fixture
def ws(db_url: str) -> Iterator[Any]:
    workspace = workspace_with_data(db_url)
    yield workspace
    workspace.close()


def _separately(ws: Any, request: MetricsRequest, weighted: bool = False) -> pd.DataFrame:
    return ws.metrics.scores(
        list(request.metrics),
        by=list(request.by),
        period=request.period,
        since=request.since,
        until=request.until,
        compare=request.compare,
        rolling=request.rolling,
        weighted=weighted,
    )


@pytest.mark.parametrize(
    ("requests", "weighted"),
    [
        (REQUESTS[:4], False),  # the overview's: rolled up from months
        (REQUESTS, False),  # weeks and dates within months: rolled up from days
        ([REQUESTS[1], REQUESTS[3], REQUESTS[4]], True),  # weights (eNPS answers have none)
    ],
)
def test_a_batch_equals_the_separate_calls(
    ws: Any, requests: list[MetricsRequest], weighted: bool
) -> None:
    together = ws.metrics.scores_batch(requests, weighted=weighted)
    assert len(together) == len(requests)
    for request, frame in zip(requests, together, strict=True):
        expected = _separately(ws, request, weighted)
        assert not expected.empty
        pd.testing.assert_frame_equal(frame, expected, check_dtype=False, obj=repr(request))


def test_a_bad_request_is_refused_like_a_single_call(ws: Any) -> None:
    with pytest.raises(UsageError, match="needs a period"):
        experience_metrics_batch(ws.table, [MetricsRequest(compare="previous")])
    with pytest.raises(UsageError, match="eNPS cannot be sliced"):
        experience_metrics_batch(ws.table, [MetricsRequest(("enps",), by=("channel",))])


def test_an_answer_without_a_date_counts_overall_but_in_no_period(ws: Any) -> None:
    ws.write_records("responses", [{"response_id": "undated", "unit": "North", "nps": 0}])
    requests = [MetricsRequest(("nps",)), MetricsRequest(("nps",), period="quarter")]
    overall, by_quarter = ws.metrics.scores_batch(requests)
    assert int(overall.iloc[0]["n"]) == int(by_quarter["n"].sum()) + 1
    assert by_quarter["period"].notna().all()
    for request, frame in zip(requests, (overall, by_quarter), strict=True):
        pd.testing.assert_frame_equal(frame, _separately(ws, request), check_dtype=False)
