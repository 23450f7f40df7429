"""The latest period a summary reports is complete and large enough."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from advocacy.metrics.periods import latest_complete, period_end, period_status


def _trend(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"period": [dt.date.fromisoformat(k) for k in counts], "n": list(counts.values())}
    )


def test_one_answer_dated_today_does_not_become_the_latest_quarter():
    trend = _trend({"2025-04-01": 236, "2025-07-01": 231, "2025-10-01": 1})
    today = dt.date(2025, 10, 14)
    assert latest_complete(trend, "quarter", today=today, min_n=30) == dt.date(2025, 7, 1)
    assert period_status(trend, "quarter", today=today, min_n=30).tolist() == [
        "complete",
        "complete",
        "incomplete",
    ]


def test_a_finished_period_with_too_few_answers_is_skipped_not_reported():
    trend = _trend({"2025-04-01": 236, "2025-07-01": 12})
    today = dt.date(2026, 1, 5)
    assert latest_complete(trend, "quarter", today=today, min_n=30) == dt.date(2025, 4, 1)
    assert period_status(trend, "quarter", today=today, min_n=30).iloc[1] == "too few"


def test_sliced_counts_are_summed_per_period():
    trend = pd.DataFrame(
        {
            "period": [dt.date(2025, 1, 1)] * 2 + [dt.date(2025, 2, 1)] * 2,
            "unit": ["North", "South"] * 2,
            "n": [20, 15, 10, 10],
        }
    )
    today = dt.date(2025, 6, 1)
    assert latest_complete(trend, "month", today=today, min_n=30) == dt.date(2025, 1, 1)
    assert latest_complete(trend.iloc[:0], "month", today=today, min_n=30) is None


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        ("2025-10-01", "quarter", dt.date(2026, 1, 1)),
        ("2024-02-01", "month", dt.date(2024, 3, 1)),
        ("2025-03-31", "week", dt.date(2025, 4, 7)),
        ("2025-01-01", "year", dt.date(2026, 1, 1)),
    ],
)
def test_period_ends(start, period, end):
    assert period_end(start, period) == end


def test_an_unknown_grain_is_refused():
    with pytest.raises(ValueError, match="unknown period"):
        period_end("2025-01-01", "fortnight")
