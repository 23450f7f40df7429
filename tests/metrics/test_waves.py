"""Survey waves: answers in bursts scored per wave and compared with the wave before."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from advocacy.errors import UsageError
from advocacy.metrics.comparisons import nps_z_test
from advocacy.metrics.scores import nps_from_counts
from advocacy.metrics.waves import survey_waves


def _days(*rows: tuple[str, int, int, int]) -> pd.DataFrame:
    """(day, promoters, passives, detractors) per day with answers."""
    return pd.DataFrame(
        [
            {"period": dt.date.fromisoformat(day), "promoters": p, "passives": s, "detractors": d}
            for day, p, s, d in rows
        ]
    )


def test_two_waves_six_months_apart_are_two_points_compared_with_each_other() -> None:
    days = _days(
        ("2025-03-03", 10, 5, 5),
        ("2025-03-10", 10, 5, 5),
        ("2025-09-01", 4, 6, 10),
        ("2025-09-12", 4, 6, 10),
    )
    waves = survey_waves(days, min_n=10)
    assert list(waves["label"]) == ["3-10 Mar 2025", "1-12 Sep 2025"]
    assert list(waves["n"]) == [40, 40]
    march = nps_from_counts(10, 10, 20)
    september = nps_from_counts(20, 12, 8)
    assert waves["score"].tolist() == pytest.approx([march.score, september.score])
    assert waves["ci_low"].tolist() == pytest.approx([march.ci_low, september.ci_low])
    latest = waves.iloc[1]
    assert latest["reference_label"] == "3-10 Mar 2025"
    assert latest["change"] == pytest.approx(september.score - march.score)
    _, p = nps_z_test([september.score], [september.se], [march.score], [march.se])
    assert latest["p_value"] == pytest.approx(p[0])
    assert latest["verdict"].startswith("worse by 55.0 points, likely real")
    assert waves.iloc[0]["verdict"] == "nothing to compare with"


def test_a_gap_longer_than_gap_days_starts_a_wave_and_a_shorter_one_does_not() -> None:
    days = _days(("2025-01-01", 1, 0, 0), ("2025-02-10", 1, 0, 0), ("2025-04-01", 0, 0, 1))
    assert list(survey_waves(days)["n"]) == [2, 1]  # 40 days apart: one wave; 50: a new one
    assert list(survey_waves(days, gap_days=30)["n"]) == [1, 1, 1]
    assert survey_waves(days)["flag"].tolist() == ["fewer than 30 answers"] * 2
    with pytest.raises(UsageError, match="wave gap"):
        survey_waves(days, gap_days=0)


def test_no_answers_is_no_wave() -> None:
    assert survey_waves(_days(("2025-01-01", 0, 0, 0))).empty
