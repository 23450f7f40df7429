"""The latest period a summary reports is complete and large enough."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from advocacy.metrics.periods import (
    data_end_day,
    latest_complete,
    partial_note,
    period_end,
    period_status,
)


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


def test_a_quarter_the_data_end_inside_is_not_complete():
    # Olist's reviews end on 2018-08-31: Q3 holds July and August only (audit4 H7).
    trend = _trend({"2018-04-01": 1297, "2018-07-01": 938})
    today, end = dt.date(2026, 12, 6), dt.date(2018, 8, 31)
    assert latest_complete(trend, "quarter", today=today, min_n=30, data_end=end) == dt.date(
        2018, 4, 1
    )
    assert period_status(trend, "quarter", today=today, min_n=30, data_end=end).tolist() == [
        "complete",
        "incomplete",
    ]
    assert partial_note(trend, "quarter", today=today, data_end=end) == (
        "data end 2018-08-31: 2018 Q3 partial"
    )
    # Evidence into the quarter's last week completes it (answers do not come every day); none
    # is said to be partial, and the note names the days it lacks (review10 item 5). Ten days
    # short of its end, it is partial.
    notes = {
        dt.date(2018, 9, 30): "",
        dt.date(2018, 9, 29): "data end 2018-09-29: the last day of 2018 Q3 has no answers",
        dt.date(2018, 9, 23): "data end 2018-09-23: the last 7 days of 2018 Q3 have no answers",
    }
    for last, note in notes.items():
        latest = latest_complete(trend, "quarter", today=today, min_n=30, data_end=last)
        assert latest == dt.date(2018, 7, 1)
        assert partial_note(trend, "quarter", today=today, data_end=last) == note
    short = dt.date(2018, 9, 20)
    assert partial_note(trend, "quarter", today=today, data_end=short) == (
        "data end 2018-09-20: 2018 Q3 partial"
    )
    # The grace is a quarter of a short period at most: a day needs its own answers.
    days = _trend({"2018-08-30": 40, "2018-08-31": 40})
    latest = latest_complete(days, "day", today=today, min_n=30, data_end=dt.date(2018, 8, 30))
    assert latest == dt.date(2018, 8, 30)
    # Answers ending on 2018-08-24 (review10): August is complete by the grace, and says what
    # it lacks.
    months = _trend({"2018-07-01": 6000, "2018-08-01": 5000})
    end_olist = dt.date(2018, 8, 24)
    status = period_status(months, "month", today=today, min_n=30, data_end=end_olist)
    assert status.tolist() == ["complete", "complete"]
    assert partial_note(months, "month", today=today, data_end=end_olist) == (
        "data end 2018-08-24: the last 7 days of Aug 2018 have no answers"
    )
    # A quarter under way is incomplete by today's rule, not "partial".
    assert partial_note(trend, "quarter", today=dt.date(2018, 9, 1), data_end=end) == ""


def test_the_data_end_is_the_utc_day_of_the_latest_answer():
    late = dt.datetime(2018, 8, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    assert data_end_day(late) == dt.date(2018, 9, 1)
    assert data_end_day(None) is None and data_end_day(dt.date(2018, 8, 31)) == dt.date(2018, 8, 31)
