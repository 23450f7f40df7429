"""Inside one report run (``steady_tables``) each gap analysis is computed once for the same
inputs and shared (the register's SERVQUAL and culture, importance-performance's key drivers),
with the same results as outside a run; different filters or options are never shared."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from advocacy.store.steady import steady_tables


def test_a_report_run_shares_each_gap_analysis_and_changes_no_result(
    db_url: str, tmp_path: Path
) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        register = ws.gaps.register()
        quality = ws.gaps.servqual()
        people = ws.gaps.culture()
        drivers = ws.gaps.drivers(n_bootstrap=100)
        quadrants = ws.gaps.ipa(importance="derived")
        by_touchpoint = ws.gaps.register(where={"touchpoint": ["billing"]})
        assert ws.gaps.servqual() is not quality  # outside a run every call computes
        with steady_tables():
            pd.testing.assert_frame_equal(ws.gaps.register(), register)
            shared = ws.gaps.servqual()
            assert ws.gaps.servqual() is shared
            pd.testing.assert_frame_equal(shared.dimensions, quality.dimensions)
            assert ws.gaps.culture() is ws.gaps.culture()
            pd.testing.assert_frame_equal(ws.gaps.culture().items, people.items)
            inside = ws.gaps.ipa(importance="derived")
            pd.testing.assert_frame_equal(inside.frame, quadrants.frame)
            assert ws.gaps.drivers(n_bootstrap=100) is ws.gaps.drivers(n_bootstrap=100)
            pd.testing.assert_frame_equal(ws.gaps.drivers(n_bootstrap=100), drivers)
            # A filter the culture survey cannot follow still gives the register, as outside.
            filtered = ws.gaps.register(where={"touchpoint": ["billing"]})
            pd.testing.assert_frame_equal(filtered, by_touchpoint)


def test_different_filters_options_and_unseeded_draws_are_not_shared(
    db_url: str, tmp_path: Path
) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws, steady_tables():
        both = ws.gaps.servqual(where={"unit": ["North", "South"]})
        assert ws.gaps.servqual(where={"unit": ["South", "North"]}) is both  # same answers
        north = ws.gaps.servqual(where={"unit": ["North"]})
        assert north is not both
        assert north.respondents < both.respondents < ws.gaps.servqual().respondents
        assert ws.gaps.drivers(n_bootstrap=0) is not ws.gaps.drivers(n_bootstrap=100)
        assert ws.gaps.drivers(random_state=None) is not ws.gaps.drivers(random_state=None)
        assert ws.gaps.culture(min_group=6) is not ws.gaps.culture()
