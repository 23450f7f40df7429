"""The calibration end is read by the one as-of parser (``advocates.evidence``), not by pandas.

``retention/rfm.py`` parsed ``calibration_end`` and ``observation_end`` with ``pd.Timestamp``:
a third rule beside ``as_of_end``. "now" became today, and an ISO time with a zone kept its
zone and could not be compared with the purchase days. The summaries count whole UTC days, so
an end is the UTC day it names.
"""

from __future__ import annotations

import pandas as pd
import pytest

from advocacy.errors import UsageError
from advocacy.retention.rfm import summarize_transactions


def test_an_end_with_a_zone_is_the_utc_day_of_that_instant(cdnow: pd.DataFrame) -> None:
    rows = cdnow[["customer_id", "date", "amount"]]
    # 20:00 in Los Angeles on 30 September is 03:00 UTC on 1 October
    with_zone = summarize_transactions(rows, calibration_end="1997-09-30T20:00-07:00")
    by_day = summarize_transactions(rows, calibration_end="1997-10-01")
    pd.testing.assert_frame_equal(with_zone, by_day)
    on_the_30th = summarize_transactions(rows, calibration_end="1997-09-30T20:00")
    assert on_the_30th["T"].max() == pytest.approx(by_day["T"].max() - 1 / 7)


@pytest.mark.parametrize("end", ["now", "yesterday", "09/30/1997"])
def test_an_end_the_as_of_rule_does_not_read_is_refused_with_the_fix(
    cdnow: pd.DataFrame, end: str
) -> None:
    with pytest.raises(UsageError, match="calibration_end is not a date") as raised:
        summarize_transactions(cdnow[["customer_id", "date", "amount"]], calibration_end=end)
    assert raised.value.fix is not None and "YYYY-MM-DD" in raised.value.fix
