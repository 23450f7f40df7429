"""The one formatter: what a reader sees for numbers, shares, periods, moments and flags."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from advocacy import display


@pytest.mark.parametrize(
    ("value", "low", "high", "shown"),
    [
        (42.37, 37.2, 47.5, "42 [37, 48]"),  # ±5: to the unit
        (4.2312, 4.18, 4.28, "4.23 [4.18, 4.28]"),  # ±0.05: to the hundredth
        (0.2291, 0.1752, 0.2823, "0.23 [0.18, 0.28]"),
        (-4.1, -12.3, 4.0, "−4 [−12, 4]"),
        (31.0, None, None, "31"),
        (float("nan"), 1.0, 2.0, ""),
    ],
)
def test_an_estimate_is_written_to_the_precision_its_interval_supports(value, low, high, shown):
    assert display.estimate(value, low, high) == shown


def test_a_share_and_its_interval_are_percentages_side_by_side():
    # The drivers bug: a share of 0.229 printed beside another column's interval.
    assert display.share_estimate(0.229, 0.175, 0.282) == "23% [18%, 28%]"
    assert display.percent(0.088) == "8.8%"
    assert display.percent(None) == ""


@pytest.mark.parametrize(
    ("start", "period", "label"),
    [
        ("2025-04-01", "quarter", "2025 Q2"),
        (dt.date(2025, 12, 1), "quarter", "2025 Q4"),
        (pd.Timestamp("2025-04-01"), "month", "Apr 2025"),
        (np.datetime64("2025-01-01"), "year", "2025"),
        ("2024-12-30", "week", "2025 W01"),  # ISO weeks belong to the year of their Thursday
        ("2025-04-03", None, "2025-04-03"),
    ],
)
def test_periods_are_named_as_people_name_them(start, period, label):
    assert display.period_label(start, period) == label


def test_moments_are_shown_in_the_users_time_zone_without_a_raw_offset():
    utc = pd.Timestamp("2025-03-30T00:30:00+00:00")
    assert display.moment(utc, "Europe/Berlin") == "2025-03-30 01:30"
    assert display.moment(utc, "America/Los_Angeles") == "2025-03-29 17:30"
    assert "+00:00" not in display.cell(utc)
    assert display.day(utc, "America/Los_Angeles") == "2025-03-29"


def test_flags_mappings_and_numbers_never_show_python_reprs():
    assert display.cell(True) == "yes"
    assert display.cell(np.bool_(False)) == "no"
    assert display.cell(np.int64(3191)) == "3,191"
    assert display.cell(10.0) == display.cell(10) == "10"
    shown = display.cell({"positive": 0.406, "neutral": 0.5})
    assert "{" not in shown and "'" not in shown
    assert display.cell(None) == display.cell(pd.NaT) == display.cell(pd.NA) == ""


def test_signs_and_direction_words():
    assert display.signed(10.44) == "+10.4"
    assert display.signed(-4.1) == "−4.1"
    assert display.signed(-0.01) == "0.0"  # rounds to zero: no sign
    # CES: higher is easier here; a fall is worse, whatever "down" suggests.
    assert display.change_word(-0.13, higher_is_better=True) == "worse"
    assert display.change_word(-0.13, higher_is_better=False) == "better"
    assert display.change_word(0.0) == "no change"


def test_a_share_change_is_written_in_points():
    # 40.6% against 39.6%: the share's change is a point, not a bare "+1.1" (review6).
    assert display.points(40.6 - 39.6) == "+1.0 points"
    assert display.points(-27.3, 0) == "−27 points"
    assert display.points(-0.01) == "0.0 points"  # rounds to zero: no sign
    assert display.points(float("nan")) == ""


def test_p_values_read_as_people_read_them():
    # `plans show` printed "p = 0" for a p-value below a thousandth.
    assert display.p_value(0.0) == display.p_value(4e-7) == "< 0.001"
    assert display.p_value(0.0123) == "0.012"
    assert display.p_value(float("nan")) == ""
