"""The CLI a CX lead can read (issue #19 item 6): tables that fit 80 columns, periods and shares
written for people, ``--wide``, ``--version``, and no silent empty workspace from a typo."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import advocacy
from advocacy import display
from metrics.data import workspace_with_data
from support.cli import advocacy_cli

NARROW = {"COLUMNS": "80"}
ROOMY = {"COLUMNS": "140"}  # every label on one line, so a row is one line


@pytest.fixture(scope="module")
def metrics_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("fit") / "metrics.duckdb")
    workspace_with_data(path).close()
    return path


def test_a_mistyped_workspace_is_an_error_not_a_new_empty_one(tmp_path: Path) -> None:
    typo = tmp_path / "advocacy.duckbd"
    done = advocacy_cli("metrics", "scores", "--db", str(typo), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: no workspace at {typo}: the file does not exist")
    assert "--create" in done.stderr and done.stderr.count("\n") == 1
    assert not typo.exists()
    # The default workspace (./advocacy.duckdb) is no different.
    done = advocacy_cli("status", cwd=tmp_path)
    assert done.returncode == 1 and "no workspace at advocacy.duckdb" in done.stderr
    assert not (tmp_path / "advocacy.duckdb").exists()
    with pytest.raises(advocacy.WorkspaceError, match="no workspace at"):
        advocacy.open(str(typo), create=False)


def test_import_and_create_make_a_workspace(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "response_id,submitted_at,nps\nr1,2025-04-02T10:00:00Z,9\nr2,2025-04-03T10:00:00Z,3\n",
        encoding="utf-8",
    )
    imported = tmp_path / "imported.duckdb"
    done = advocacy_cli(
        "import", str(answers), "--kind", "responses", "--db", str(imported), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert imported.exists()
    created = tmp_path / "created.duckdb"
    done = advocacy_cli("--create", "status", "--db", str(created), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert created.exists()
    done = advocacy_cli("status", "--db", str(created), cwd=tmp_path)  # now it exists
    assert done.returncode == 0, done.stderr


def test_version() -> None:
    done = advocacy_cli("--version")
    assert done.returncode == 0
    assert done.stdout == f"advocacy {advocacy.__version__}\n"


def test_a_comparison_by_unit_and_quarter_fits_80_columns(metrics_db: str, tmp_path: Path) -> None:
    args = ("metrics", "scores", "--metric", "nps,ces", "--by", "unit", "--period", "quarter")
    args += ("--compare", "previous", "--db", metrics_db)
    done = advocacy_cli(*args, cwd=tmp_path, env=NARROW)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in done.stdout  # nothing cut to "Cen…", "202…"
    text = " ".join(lines)
    for unit in ("North", "South", "East"):
        assert f" {unit} " in text  # whole words, never folded
    assert re.search(r"│ 2024 Q1 +│", done.stdout) and "2024-01-01" not in done.stdout
    assert "CES (ease," in text  # the label wraps between words in its column
    assert lines[-2:] == [
        "not shown at 80 columns: p (adj.), n (--wide shows them)",
        "latest complete quarter: 2024 Q2",
    ]

    wide = advocacy_cli(*args, "--wide", cwd=tmp_path, env=NARROW)
    assert wide.returncode == 0, wide.stderr
    assert "p (adj.)" in wide.stdout and "not shown" not in wide.stdout
    assert max(len(line) for line in wide.stdout.splitlines()) > 80


def test_each_score_is_written_beside_its_own_interval(metrics_db: str, tmp_path: Path) -> None:
    args = ("metrics", "scores", "--metric", "nps,csat", "--by", "unit", "--db", metrics_db)
    rows = json.loads(advocacy_cli(*args, "--format", "json", cwd=tmp_path).stdout)
    table = advocacy_cli(*args, cwd=tmp_path, env=ROOMY).stdout
    for row in rows:
        suffix = "%" if row["metric"] == "csat" else ""
        cell = display.estimate(row["score"], row["ci_low"], row["ci_high"], suffix=suffix)
        line = next(
            line
            for line in table.splitlines()
            if f" {row['unit']} " in line and ("CSAT" in line) == (row["metric"] == "csat")
        )
        assert cell in line
    assert "CSAT (% satisfied)" in table and re.search(r"\d+% \[\d+%, \d+%\]", table)


def test_drivers_show_the_share_with_the_share_interval(tmp_path: Path) -> None:
    from gaps.data import workspace_with_gaps

    db = str(tmp_path / "gaps.duckdb")
    workspace_with_gaps(db, tmp_path).close()
    args = ("gaps", "drivers", "--bootstrap", "40", "--db", db)
    rows = json.loads(advocacy_cli(*args, "--format", "json", cwd=tmp_path).stdout)
    table = advocacy_cli(*args, cwd=tmp_path, env=ROOMY).stdout
    for row in rows:
        assert row["share_low"] <= row["share"] <= row["share_high"]
        shown = display.share_estimate(row["share"], row["share_low"], row["share_high"])
        line = next(line for line in table.splitlines() if f" {row['driver']} " in line)
        assert shown in line
        wrong = display.share_estimate(row["share"], row["raw_weight_low"], row["raw_weight_high"])
        assert wrong == shown or wrong not in line


def test_ces_changes_read_better_or_worse_in_its_direction(tmp_path: Path) -> None:
    # CES is rated so that higher is easier: a fall from about 6 to about 3 is worse, never
    # "down 3" that reads like good news for an effort score.
    def answers(month: int, ces: list[float]) -> list[dict[str, object]]:
        start = dt.datetime(2025, month, 3, 10, tzinfo=dt.UTC)
        return [
            {
                "response_id": f"m{month}-{index}",
                "submitted_at": (start + dt.timedelta(hours=index)).isoformat(),
                "ces": value,
                "ces_scale_min": 1,
                "ces_scale_max": 7,
            }
            for index, value in enumerate(ces)
        ]

    with advocacy.open(str(tmp_path / "ces.duckdb")) as ws:
        ws.write_records("responses", answers(1, [6.0, 7.0, 5.0, 6.0] * 10))
        ws.write_records("responses", answers(2, [3.0, 2.0, 4.0, 3.0] * 10))
        ws.write_records("responses", answers(3, [5.0, 6.0, 6.0, 5.0] * 10))
        frame = ws.metrics.scores(["ces"], period="month", compare="previous")
    verdicts = list(frame["verdict"])
    assert verdicts[1].startswith("worse by 3.00, likely real")
    assert verdicts[2].startswith("better by 2.50, likely real")
    assert advocacy.namespaces.metrics.METRICS["ces"].direction == "higher is easier"


def test_the_recovery_finding_is_one_sentence_with_its_intervals() -> None:
    from advocacy.present.cli.cases import recovery_sentence

    # Newcombe (1998), Table II example (a): 56/70 - 48/80 = 0.2000 [0.0524, 0.3339].
    comparison = {
        "cases_eligible": 70, "cases_recovered": 56,
        "case_rate": 0.8, "case_low": 0.6917, "case_high": 0.8772,
        "comparison_eligible": 80, "comparison_recovered": 48,
        "comparison_rate": 0.6, "comparison_low": 0.4905, "comparison_high": 0.7007,
        "difference": 0.2, "difference_low": 0.0524, "difference_high": 0.3339,
    }  # fmt: skip
    assert recovery_sentence(comparison) == (
        "Recovery: 80% [69%, 88%] of detractors with a case recovered (answered 7+ or 2 points "
        "higher, or bought again; 56 of 70), 60% [49%, 70%] of comparable detractors without one "
        "(48 of 80): +20 points [+5, +33], a clear difference."
    )
    assert recovery_sentence({}) == "Recovery: too few detractors answered again to compare."


def test_one_answer_today_is_an_incomplete_period_not_the_latest(tmp_path: Path) -> None:
    # Issue #19: one response dated today made "the latest quarter" an n=1 quarter.
    db = str(tmp_path / "periods.duckdb")
    workspace_with_data(db).close()  # 1,141 NPS answers in 2024 H1
    now = dt.datetime.now(dt.UTC)
    with advocacy.open(db) as ws:
        ws.write_records(
            "responses", [{"response_id": "today", "submitted_at": now.isoformat(), "nps": 0}]
        )
    args = ("metrics", "scores", "--period", "quarter", "--db", db)
    done = advocacy_cli(*args, cwd=tmp_path, env=ROOMY)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    this_quarter = display.period_label(now.date(), "quarter")
    row = next(line for line in lines if f" {this_quarter} " in line)
    assert "incomplete period" in row
    assert lines[-1] == "latest complete quarter: 2024 Q2"


def test_a_quarantine_table_of_long_values_fits_80_columns_whole(tmp_path: Path) -> None:
    """Rich widens columns below their minimum back after narrowing them all, so a table our
    own sum of minimums said fitted came out wider and lost its right edge (the fix column):
    columns are now left out until the width Rich lays out fits (gaps lane leftover)."""
    source = tmp_path / "offsets.csv"
    source.write_text(
        "response_id,submitted_at,nps\n"
        "a1,2025-01-01T00:10:00+05:30:15,9\n"
        "a2,2025-01-01T23:59:59-03:00:30,9\n"
        "a3,2025-01-01T12:00:00+05:30,7\n",
        encoding="utf-8",
    )
    workspace = str(tmp_path / "offsets.duckdb")
    done = advocacy_cli(
        "--db", workspace, "import", str(source), "--kind", "responses", cwd=tmp_path, env=NARROW
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if "Quarantined" in line)
    table = lines[start + 1 : next(i for i in range(start, len(lines)) if lines[i][0] == "└") + 1]
    assert all(len(line) <= 80 and line[-1] in "┓┃┩│┘" for line in table), table
    assert "write it as +hh:mm" in done.stdout  # the fix, whole
    assert "2025-01-01T00:10:00+05:30:15" in done.stdout  # the value as written, unbroken
    assert "not shown at 80 columns: reason (--wide shows them)" in lines
