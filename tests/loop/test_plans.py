"""Action plans: frozen baselines, movement with its interval, verdicts, links and audit."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scipy import stats

import advocacy
from advocacy.access import audit_entries
from advocacy.errors import NotFoundError, UsageError
from advocacy.loop.plans.changes import create_plan, get_plan, list_plans, update_plan
from advocacy.loop.plans.impact import Measurement, movement
from advocacy.loop.plans.progress import plan_progress, target_position
from advocacy.metrics import nps_difference, nps_from_counts
from advocacy.metrics.intervals import z_critical
from advocacy.metrics.scores import share_from_sums
from advocacy.workspace import Workspace
from support.cli import advocacy_cli

NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)
START = dt.date(2026, 2, 1)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _answers(
    prefix: str, day: dt.date, scores: list[int], *, unit: str = "North", **extra: Any
) -> list[dict[str, Any]]:
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return [
        {
            "response_id": f"{prefix}-{index}",
            "submitted_at": (moment + dt.timedelta(minutes=index)).isoformat(),
            "unit": unit,
            "nps": score,
            **extra,
        }
        for index, score in enumerate(scores)
    ]


def _counts(detractors: int, passives: int, promoters: int) -> list[int]:
    return [3] * detractors + [7] * passives + [10] * promoters


def _plan(ws: Workspace, **options: Any) -> Any:
    chosen: dict[str, Any] = {
        "title": "Coach the North team",
        "link_kind": "culture",
        "link_ref": "Supervisors who coach rather than manage",
        "metric": "nps",
        "metric_filter": {"unit": "North"},
        "starts_on": START,
        "baseline_days": 31,
        "actor": "ana",
        "now": NOW,
    }
    chosen.update(options)
    return create_plan(ws.db, **chosen, settings=ws.settings)


def test_the_baseline_is_frozen_when_the_plan_is_created(ws: Workspace) -> None:
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 10), _counts(10, 10, 20)))
    plan = _plan(ws, owner="ana", resources="time, money", effort="medium", target_value=40)
    assert (plan.baseline.value, plan.baseline.n) == (25.0, 40)
    assert (plan.baseline.since, plan.baseline.until) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))

    # A late import of January answers and new answers since the start.
    ws.write_records("responses", _answers("late", dt.date(2026, 1, 20), _counts(30, 0, 0)))
    ws.write_records("responses", _answers("feb", dt.date(2026, 2, 10), _counts(5, 5, 30)))

    stored = get_plan(ws.db, plan.plan_id)
    assert stored.baseline == plan.baseline  # the goalposts did not move
    assert stored.resources == ("time", "money") and stored.effort == "medium"
    progress = plan_progress(ws.db, stored, now=NOW, settings=ws.settings)
    assert progress.baseline.value == 25.0
    assert (progress.current.value, progress.current.n) == (62.5, 40)
    assert progress.movement.change == pytest.approx(37.5)
    # 62.5 is past the target of 40: nothing left to go, not "-22.5 to go (250% of the way)".
    assert progress.to_target == 0.0 and progress.target_share == 1.0
    assert progress.target_note == "target met (62.5 against 40)"


def test_a_baseline_already_past_its_target_and_a_move_away_from_it(ws: Workspace) -> None:
    # Issue #19: "Target 35.0: 39.1 to go (365% of the way)" for a plan whose baseline (49.8)
    # already beat its target and whose metric then fell to -4.1.
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 10), _counts(10, 0, 30)))
    plan = _plan(ws, target_value=35)
    assert plan.baseline.value == 50.0
    ws.write_records("responses", _answers("feb", dt.date(2026, 2, 10), _counts(20, 0, 20)))
    progress = plan_progress(ws.db, plan, now=NOW, settings=ws.settings)
    assert progress.current.value == 0.0
    assert progress.to_target == 35.0 and progress.target_share is None
    assert progress.target_note == "the baseline (50) already met the target; now 35 short of it"
    assert progress.verdict == "worsened"


def test_a_move_away_from_a_target_not_yet_met_is_a_negative_share() -> None:
    position = target_position(20.0, 10.0, 40.0, better="higher")
    assert (position.to_target, position.share) == (30.0, -0.5)
    assert position.note == "moved away from the target: 30 to go, 20 at the baseline"
    lower = target_position(12.0, 9.0, 6.0, better="lower")  # a theme's share, lower is better
    assert (lower.to_target, lower.share) == (3.0, 0.5)
    assert lower.note == "50% of the way from the baseline; 3 to go"


def test_nps_movement_and_interval_agree_with_the_metrics_two_sample_test(ws: Workspace) -> None:
    # Rocks (2016): (20, 30, 50) before, (10, 20, 70) after: z = 2.9277, p = 0.003415.
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 5), _counts(20, 30, 50)))
    ws.write_records("responses", _answers("feb", dt.date(2026, 2, 5), _counts(10, 20, 70)))
    progress = plan_progress(ws.db, _plan(ws), now=NOW, settings=ws.settings)

    before, after = nps_from_counts(20, 30, 50), nps_from_counts(10, 20, 70)
    expected = nps_difference(after, before)
    half = z_critical(0.95) * math.hypot(before.se, after.se)
    assert progress.movement.change == pytest.approx(expected.change) == pytest.approx(30.0)
    assert progress.movement.p_value == pytest.approx(expected.p_value)
    assert round(progress.movement.p_value or 0, 6) == 0.003415
    assert progress.movement.ci_low == pytest.approx(30.0 - half)
    assert progress.movement.ci_high == pytest.approx(30.0 + half)
    assert progress.verdict == "improved"


def test_verdicts_read_the_interval_and_the_minimum_n(ws: Workspace) -> None:
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 5), _counts(10, 20, 70)))
    ws.write_records("responses", _answers("feb", dt.date(2026, 2, 5), _counts(20, 30, 50)))
    plan = _plan(ws)
    assert plan_progress(ws.db, plan, now=NOW, settings=ws.settings).verdict == "worsened"
    assert (
        plan_progress(ws.db, plan, now=NOW, min_n=101, settings=ws.settings).verdict == "too early"
    )
    # Before the start there is nothing to compare yet.
    before_start = dt.datetime(2026, 1, 20, tzinfo=dt.UTC)
    assert plan_progress(ws.db, plan, now=before_start, settings=ws.settings).verdict == "too early"

    ws.write_records("responses", _answers("s", dt.date(2026, 2, 5), [3, 7, 10] * 15, unit="South"))
    unmeasured = _plan(ws, metric_filter={"unit": "South"})
    assert plan_progress(ws.db, unmeasured, now=NOW, settings=ws.settings).verdict == "no baseline"
    ws.write_records(
        "responses",
        _answers("e1", dt.date(2026, 1, 5), [3, 7, 10] * 15, unit="East")
        + _answers("e2", dt.date(2026, 2, 5), [3, 7, 10, 10] * 10, unit="East"),
    )
    unclear = _plan(ws, metric_filter={"unit": "East"})
    assert plan_progress(ws.db, unclear, now=NOW, settings=ws.settings).verdict == "no clear change"


def test_mean_movement_is_welchs_interval(ws: Workspace) -> None:
    before = [5.0, 6, 4, 7, 5, 6, 3, 5, 6, 4] * 4
    after = [6.0, 7, 6, 7, 5, 7, 6, 6, 7, 5] * 3
    records = [
        {"response_id": f"b{i}", "submitted_at": f"2026-01-{1 + i % 28:02d}T10:00:00Z", "ces": v}
        for i, v in enumerate(before)
    ] + [
        {"response_id": f"a{i}", "submitted_at": f"2026-02-{1 + i % 28:02d}T10:00:00Z", "ces": v}
        for i, v in enumerate(after)
    ]
    ws.write_records("responses", records)
    progress = plan_progress(
        ws.db, _plan(ws, metric="ces", metric_filter=None), now=NOW, settings=ws.settings
    )
    welch = stats.ttest_ind(after, before, equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert progress.movement.ci_low == pytest.approx(interval.low)
    assert progress.movement.ci_high == pytest.approx(interval.high)
    assert progress.movement.p_value == pytest.approx(welch.pvalue)
    assert progress.verdict == "improved"


def test_a_mean_with_every_answer_alike_in_both_windows_moves_exactly(ws: Workspace) -> None:
    # 40 answers of 5 before the start and 30 of 6 after: no spread to estimate from, yet the
    # move is certain. It once divided by zero in the Welch degrees of freedom.
    records = [
        {"response_id": f"b{i}", "submitted_at": f"2026-01-{1 + i % 28:02d}T10:00:00Z", "ces": 5}
        for i in range(40)
    ] + [
        {"response_id": f"a{i}", "submitted_at": f"2026-02-{1 + i % 28:02d}T10:00:00Z", "ces": 6}
        for i in range(30)
    ]
    ws.write_records("responses", records)
    progress = plan_progress(
        ws.db, _plan(ws, metric="ces", metric_filter=None), now=NOW, settings=ws.settings
    )
    moved = progress.movement
    assert (moved.change, moved.ci_low, moved.ci_high) == (1.0, 1.0, 1.0)
    assert progress.verdict == "improved"


def test_share_movement_is_newcombes_hybrid_score_interval() -> None:
    # Newcombe (1998), method 10: 56/70 against 48/80 gives +0.2000 in [0.0524, 0.3339].
    day = dt.date(2026, 1, 1)

    def measured(hits: int, n: int) -> Measurement:
        result = share_from_sums(n, n, hits, confidence=0.95)
        values = (result.estimate, result.se, result.low, result.high)
        value, se, low, high = (float(v[()]) for v in values)
        return Measurement(value, se, low, high, n=n, since=day, until=day)

    moved = movement("csat", measured(48, 80), measured(56, 70), min_n=30)
    assert round(moved.change or 0, 4) == 20.0
    assert (round(moved.ci_low or 0, 2), round(moved.ci_high or 0, 2)) == (5.24, 33.39)
    assert moved.verdict == "improved"
    # A theme's share of comments is better lower: the same rise is a worsening.
    assert movement("theme-share", measured(48, 80), measured(56, 70)).verdict == "worsened"


def test_unknown_references_are_refused_with_the_valid_ones(ws: Workspace) -> None:
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 10), _counts(1, 1, 1)))
    with pytest.raises(NotFoundError) as culture:
        _plan(ws, link_ref="Leaders who shout")
    assert "Leaders who inspire" in str(culture.value.fix)
    with pytest.raises(NotFoundError) as gap:
        _plan(ws, link_kind="gap", link_ref="target-nps")
    assert gap.value.parameter == "--link"
    with pytest.raises(NotFoundError) as unit:
        _plan(ws, metric_filter={"unit": "Atlantis"})
    assert unit.value.value == "Atlantis"
    with pytest.raises(UsageError, match="unknown metric"):
        _plan(ws, metric="happiness")
    with pytest.raises(UsageError, match="unknown resources 'luck'"):
        _plan(ws, resources="time, luck")
    with pytest.raises(UsageError, match="due before it starts"):
        _plan(ws, due_on="2026-01-01")
    assert list_plans(ws.db) == []


def test_a_plan_from_a_target_gap_and_its_audit_trail(ws: Workspace, tmp_path: Path) -> None:
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 10), _counts(10, 10, 20)))
    targets = tmp_path / "targets.csv"
    targets.write_text("target_id,metric,scope,desired_value\nT1,nps,unit=North,50\n")
    ws.import_file(targets, kind="targets")
    from advocacy.loop.plans.changes import plan_from_gap

    plan = plan_from_gap(
        ws.db, "target-nps-unit-north", starts_on=START, actor="ana", now=NOW, settings=ws.settings
    )
    assert (plan.metric, plan.metric_filter, plan.target_value) == ("nps", {"unit": "North"}, 50)
    # The id without the target names the only target it fits; the plan keeps the full id.
    assert plan.link == "gap:target-nps-unit-north-t1" and plan.baseline.value == 25.0

    later = NOW + dt.timedelta(days=1)
    update_plan(
        ws.db,
        plan.plan_id,
        status="active",
        owner="hal",
        actor="ada",
        now=later,
        settings=ws.settings,
    )
    with pytest.raises(UsageError, match="frozen"):
        update_plan(ws.db, plan.plan_id, starts_on="2026-02-15", actor="ada", settings=ws.settings)
    with pytest.raises(UsageError, match="unknown status"):
        update_plan(ws.db, plan.plan_id, status="finished", actor="ada", settings=ws.settings)
    stored = get_plan(ws.db, plan.plan_id)
    assert (stored.status, stored.owner, stored.updated_at) == ("active", "hal", later)

    entries = [entry for entry in audit_entries(ws.db) if entry.target == plan.plan_id]
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("plan.update", "ada"),
        ("plan.create", "ana"),
    ]
    assert entries[0].detail == {"status": "active", "owner": "hal"}
    assert entries[1].detail["baseline"]["value"] == 25.0


def cli(*args: str) -> tuple[int, str, str]:
    done = advocacy_cli(*args)
    return done.returncode, done.stdout, done.stderr


def test_the_plans_commands_add_show_and_update(duckdb_url: str) -> None:
    with advocacy.open(duckdb_url) as ws:
        ws.write_records("responses", _answers("jan", dt.date(2026, 1, 10), _counts(10, 10, 20)))
        ws.write_records("responses", _answers("feb", dt.date(2026, 2, 10), _counts(5, 5, 30)))
    db = ("--db", duckdb_url)
    code, out, err = cli(
        "plans", "add", "--link", "culture:career paths", "--metric", "nps", "--unit", "North",
        "--title", "Career ladders", "--starts", "2026-02-01", "--baseline-days", "31",
        "--resources", "time,money", "--format", "json", *db,
    )  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    assert (plan["link"], plan["baseline"], plan["baseline_n"]) == ("culture:Career paths", 25, 40)

    code, out, err = cli("plans", "show", plan["plan_id"], "--format", "json", *db)
    shown = json.loads(out)
    assert (shown["current"], shown["change"], shown["baseline_window"]) == (
        62.5, 37.5, "2026-01-01 to 2026-01-31",
    )  # fmt: skip
    code, out, err = cli("plans", "update", plan["plan_id"], "--status", "done", *db)
    assert code == 0, err
    listed = cli("plans", "list", "--format", "csv", *db)[1].splitlines()
    assert listed[0].startswith("plan_id,title,status") and ",done," in listed[1]

    code, out, err = cli("plans", "add", "--link", "culture:nope", "--metric", "nps", *db)
    assert code == 1
    assert "no culture attribute 'nope'" in err and "Career paths" in err


def test_the_report_section_shows_plans_or_how_to_start(ws: Workspace) -> None:
    from advocacy.report.section import ReportScope
    from advocacy.report.sections import loop

    empty = loop.build(ws, ReportScope())
    assert empty.missing is not None and "advocacy plans add" in empty.missing
    ws.write_records("responses", _answers("jan", dt.date(2026, 1, 5), _counts(10, 20, 70)))
    ws.write_records("responses", _answers("feb", dt.date(2026, 2, 5), _counts(20, 30, 50)))
    _plan(ws, title="Coach the North team")
    section = loop.build(ws, ReportScope())
    assert section.missing is None
    assert "Coach the North team" in section.body and "worsened" in section.body
    [finding] = loop.plan_findings(ws, ReportScope())
    assert finding.action == 'Rethink the plan "Coach the North team".'
