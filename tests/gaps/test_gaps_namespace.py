"""``ws.gaps``: every gap analysis through the facade, on DuckDB and PostgreSQL (``db_url``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from advocacy.drivers.ipa import ImportancePerformance
from advocacy.errors import UsageError
from advocacy.gaps.assessment import key_drivers
from advocacy.gaps.culture import CultureResult, UnitLink
from advocacy.gaps.servqual import ServqualResult


def test_every_gap_analysis_answers_through_the_namespace(db_url: str, tmp_path: Path) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        drivers = ws.gaps.drivers(level="dimension", n_bootstrap=0)
        direct = key_drivers(ws.table, level="dimension", n_bootstrap=0, confidence=0.95)
        pd.testing.assert_frame_equal(drivers, direct)
        with pytest.raises(UsageError):
            ws.gaps.drivers(level="themes")

        quadrants = ws.gaps.ipa(importance="derived")
        assert isinstance(quadrants, ImportancePerformance)
        assert set(quadrants.frame["item"]) <= set(ws.gaps.drivers(n_bootstrap=0)["driver"])

        quality = ws.gaps.servqual()
        assert isinstance(quality, ServqualResult)
        assert "reliability" in set(quality.dimensions["dimension"])

        assert {"T1", "T2", "T3"} <= set(ws.gaps.targets()["target_id"])

        gaps = ws.gaps.register()
        assert list(gaps["rank"]) == list(range(1, len(gaps) + 1))
        pd.testing.assert_frame_equal(ws.gaps.register(top=2), gaps.head(2))

        culture = ws.gaps.culture()
        assert isinstance(culture, CultureResult)
        assert culture.suppressed_units == 1
        assert set(ws.gaps.culture(min_group=6).enps["unit"]) == {"North", "all"}

        link = ws.gaps.culture_link(predictor="culture_gap")
        assert isinstance(link, UnitLink)
        assert link.predictor == "culture_gap"
