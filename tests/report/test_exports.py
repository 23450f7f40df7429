"""``advocacy export analysis NAME``: every analysis as CSV, Parquet and XLSX (one sheet each)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import advocacy
from advocacy.analyses import ANALYSES
from advocacy.errors import UsageError
from support.cli import advocacy_cli


def fixture_nps(directory: Path) -> tuple[float, int]:
    answers = pd.read_csv(directory / "responses.csv")
    return 100 * ((answers["nps"] >= 9).mean() - (answers["nps"] <= 6).mean()), len(answers)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_export_one_analysis(report_workspace: str, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"scores.{suffix}"
    done = advocacy_cli(
        "export", "analysis", "scores", "--out", str(out), "--db", report_workspace, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote 5 rows of scores to {out}"
    frame = pd.read_csv(out) if suffix == "csv" else pd.read_parquet(out)
    nps, n = fixture_nps(Path(report_workspace).parent / "data")
    row = frame.set_index("metric").loc["nps"]
    assert row["score"] == pytest.approx(nps) and row["n"] == n
    assert row["ci_low"] < nps < row["ci_high"]
    assert list(frame["metric"]) == ["nps", "csat", "top-box", "ces", "enps"]


def test_export_every_analysis_to_one_workbook(report_workspace: str, tmp_path: Path) -> None:
    out = tmp_path / "analyses.xlsx"
    done = advocacy_cli(
        "export", "analysis", "all", "--out", str(out), "--db", report_workspace, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == list(ANALYSES)
    with advocacy.open(report_workspace) as ws:
        for name in ANALYSES:
            sheet = pd.read_excel(out, sheet_name=name)
            if list(sheet.columns) == ["not available"]:
                # Too little data for this one: the sheet says why instead of vanishing.
                assert "fix:" in sheet["not available"][0], name
                continue
            expected = ws.analysis(name)
            assert len(sheet) == len(expected), name
            if "score" in expected:
                assert sheet["score"].round(6).tolist() == expected["score"].round(6).tolist()


def test_export_table_still_works_and_mistakes_are_explained(
    report_workspace: str, tmp_path: Path
) -> None:
    out = tmp_path / "responses.csv"
    done = advocacy_cli(
        "export", "responses", "--out", str(out), "--db", report_workspace, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out)) == 1500
    two = advocacy_cli(
        "export",
        "analysis",
        "scores",
        "score-changes",
        "--out",
        str(tmp_path / "x.csv"),
        "--db",
        report_workspace,
        cwd=tmp_path,
    )
    assert two.returncode == 2
    assert "use --format xlsx for one sheet per analysis" in two.stderr
    unknown = advocacy_cli(
        "export",
        "analysis",
        "vibes",
        "--out",
        str(tmp_path / "x.csv"),
        "--db",
        report_workspace,
        cwd=tmp_path,
    )
    assert unknown.returncode == 2 and "no analysis called 'vibes'" in unknown.stderr
    with advocacy.open(report_workspace) as ws, pytest.raises(UsageError):
        ws.export_analysis("scores", out=tmp_path / "x.txt")
