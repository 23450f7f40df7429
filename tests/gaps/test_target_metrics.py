"""A target means what its metric means everywhere (audit4 H3), on the real Olist reviews.

``csat`` is the tool's "% satisfied" in ``metrics scores``; a target on it is measured the same
way, a share written as a fraction reads as a percentage, a value outside its metric's range is
quarantined with the row and the reason, every metric ``metrics scores`` estimates is measurable,
and a plan on a target's gap moves that metric towards that value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from advocacy.errors import UsageError
from advocacy.ingest.target_values import METRIC_RANGES, desired_value
from advocacy.metrics.catalogue import METRICS
from gaps.olist import REVIEWS, olist_workspace

TARGETS = (
    "target_id,metric,scope,desired_value,due\n"
    "fraction,csat,all,0.85,2018-12-31\n"
    "percent,csat,all,85,2018-12-31\n"
    "mean,csat-mean,all,4.3,2018-12-31\n"
    "top,top-box,all,65,2018-12-31\n"
    "easy,CES_easy,all,50,2018-12-31\n"
    "too-high,csat,all,120,2018-12-31\n"
    "off-scale,nps,all,150,2018-12-31\n"
    "legacy,csat,all,4.2,2018-12-31\n"
    "legacy-edge,CSAT,all,5,2018-12-31\n"
    "per-cent,csat,all,85%,2018-12-31\n"
    "nps-share,nps,all,0.45,2018-12-31\n"
)


def test_the_target_rule_covers_every_metric_scores_estimates() -> None:
    assert set(METRIC_RANGES) == set(METRICS)
    assert desired_value("csat", 0.85) == pytest.approx(85.0)
    assert desired_value("top-box", 1) == 100.0 and desired_value("csat", 85) == 85.0
    assert desired_value("csat-mean", 0.85) == 0.85  # a mean is not a share: the range refuses it
    assert desired_value("nps", 0.5) == 0.5


def test_csat_targets_mean_percent_satisfied(
    db_url: str, tmp_path: Path, shared_data: Path
) -> None:
    (tmp_path / "targets.csv").write_text(TARGETS, encoding="utf-8")
    scores = pd.read_csv(shared_data / REVIEWS).review_score
    satisfied = 100 * (scores >= 4).mean()  # the top-2 box of 1-5, by hand
    very = 100 * (scores == 5).mean()
    with olist_workspace(db_url, tmp_path, shared_data) as ws:
        result = ws.import_file(tmp_path / "targets.csv", kind="targets")
        gaps = ws.gaps.targets().set_index("target_id")
        csat = ws.metrics.scores("csat").iloc[0]
        suggestions = {row["gap_id"]: row for row in ws.plans.gap_suggestions()}
        with pytest.raises(UsageError) as ambiguous:  # two csat targets on all: which one?
            ws.plans.add("gap:target-csat", title="Fix late deliveries", starts_on="2018-04-01")
        plan = ws.plans.add(
            "gap:target-csat-fraction", title="Fix late deliveries", starts_on="2018-04-01"
        )
        older = ws.plans.add("gap:target-csat-mean", title="Same", starts_on="2018-04-01")
    refused = {(entry.row_number, entry.column, entry.value) for entry in result.quarantine}
    assert refused == {
        (7, "desired_value", "120"),
        (8, "desired_value", "150"),
        (9, "desired_value", "4.2"),
        (10, "desired_value", "5"),
        (11, "desired_value", "85%"),
    }
    fixes = " ".join(f"{entry.fix}" for entry in result.quarantine)
    # The old meaning of csat (a mean on 1-5) is refused with the fix, not read as 4.2% "met".
    legacy = [entry.fix for entry in result.quarantine if entry.row_number in (9, 10)]
    assert all(f"{fix}".startswith("write the metric csat-mean") for fix in legacy), legacy
    assert {"legacy", "legacy-edge"}.isdisjoint(gaps.index)
    # "85%" is refused with one reason and its fix (not also "not a number"); an NPS of 0.45 is
    # kept, with a note that 45 was likely meant.
    percent = [(entry.reason, entry.fix) for entry in result.quarantine if entry.row_number == 11]
    assert percent == [
        (
            "a target is a number without a % sign",
            "write 85 (the number alone; a share such as csat is already a percentage)",
        )
    ]
    assert any("nps 0.45" in note and "write the score (45)" in note for note in result.notes)
    assert gaps.loc["nps-share"].desired == 0.45
    assert "from 0 to 100 for csat (a share in %)" in fixes
    assert "write a value from -100 to 100 for nps (an NPS)" in fixes
    assert any("csat 0.85 as 85%" in note for note in result.notes)

    assert gaps.loc["fraction"].desired == gaps.loc["percent"].desired == 85.0
    for target in ("fraction", "percent"):
        row = gaps.loc[target]
        assert row.current == pytest.approx(satisfied) == pytest.approx(csat.score)
        assert (row.ci_low, row.ci_high) == (
            pytest.approx(csat.ci_low),
            pytest.approx(csat.ci_high),
        )
        assert row.gap == pytest.approx(85.0 - satisfied) and row.status == "short"
    assert gaps.loc["mean"].current == pytest.approx(scores.mean())
    assert gaps.loc["top"].current == pytest.approx(very)
    # Measurable (Olist asks no CES): no answers, rather than "not measurable".
    assert (gaps.loc["easy"].status, gaps.loc["easy"].n) == ("too few answers", 0)
    # A gap's id names its target: two csat targets on "all" are two gaps (review10 item 4).
    for target in ("fraction", "percent"):
        assert suggestions[f"target-csat-{target}"]["metric"] == "csat"
        assert suggestions[f"target-csat-{target}"]["target_value"] == 85.0
    assert suggestions["target-csat-mean-mean"]["metric"] == "csat-mean"
    assert suggestions["target-csat-mean-mean"]["target_value"] == 4.3
    assert "gap:target-csat-fraction" in ambiguous.value.fix
    assert "gap:target-csat-percent" in ambiguous.value.fix
    assert (plan.metric, plan.target_value, plan.link) == (
        "csat",
        85.0,
        "gap:target-csat-fraction",
    )
    # The id before targets were part of it still names the one target that has it.
    assert (older.link, older.target_value) == ("gap:target-csat-mean-mean", 4.3)
