"""advocacy.records: frames and values as plain records for JSON, pages and chart specs."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from advocacy.records import frame_records, plain


def test_every_kind_of_missing_becomes_none_and_numbers_become_python() -> None:
    frame = pd.DataFrame(
        {
            "unit": pd.Series(["North", None], dtype=object),
            "n": pd.Series([3, None], dtype="Int64"),
            "score": [12.5, np.nan],
            "at": pd.to_datetime(["2024-05-01 08:30", None]),
            "flag": [True, False],
        }
    )
    records = frame_records(frame)
    assert records == [
        {"unit": "North", "n": 3, "score": 12.5, "at": "2024-05-01T08:30:00", "flag": True},
        {"unit": None, "n": None, "score": None, "at": None, "flag": False},
    ]
    assert [type(value) for value in records[0].values()] == [str, int, float, str, bool]
    json.dumps(records, allow_nan=False)  # nothing JSON cannot hold


def test_columns_keep_those_the_frame_has_in_the_order_asked() -> None:
    frame = pd.DataFrame({"a": [1], "b": [2.0], 3: ["x"]})
    assert frame_records(frame, ["b", "missing", "a"]) == [{"b": 2.0, "a": 1}]
    assert frame_records(frame) == [{"a": 1, "b": 2.0, "3": "x"}]
    assert frame_records(frame.iloc[0:0]) == []


def test_plain_goes_through_mappings_lists_and_arrays() -> None:
    value = {
        1: [np.float64("nan"), np.int32(4), (dt.date(2024, 1, 2), dt.time(9, 5))],
        "tags": np.array(["a", "b"]),
        "when": np.datetime64("2024-03-04T05:06:07"),
        "never": np.datetime64("NaT"),
        "na": pd.NA,
        "nat": pd.NaT,
    }
    assert plain(value) == {
        "1": [None, 4, ["2024-01-02", "09:05:00"]],
        "tags": ["a", "b"],
        "when": "2024-03-04T05:06:07",
        "never": None,
        "na": None,
        "nat": None,
    }
