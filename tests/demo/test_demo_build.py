"""The demo end to end: files written, imported without loss, report written, CLI summary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import advocacy
from advocacy.demo.build import build_demo
from advocacy.demo.generator import IMPORT_ORDER
from support.cli import advocacy_cli


def test_build_demo_writes_files_imports_everything_and_reports(tmp_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    summary = build_demo(
        tmp_path / "demo", seed=3, customers=300, progress=lambda *step: steps.append(step)
    )
    assert summary.quarantined == 0
    assert summary.rows["customers"] == 300
    assert steps[0][1] == 0 and steps[-1][1] == steps[-1][2]
    for kind in IMPORT_ORDER:
        written = pd.read_csv(tmp_path / "demo" / "data" / f"{kind}.csv")
        assert summary.rows[kind] == len(written), kind
    with advocacy.open(str(summary.database)) as ws:
        assert ws.table("responses").count().execute() == summary.rows["responses"]
        # The owners the demo's rules name are users who sign in, with the drawn password.
        assert summary.users["cole"] == "case handler, Coast" and len(summary.password) >= 12
        assert ws.access.authenticate("cole", summary.password).units == ("Coast",)
        assert summary.password not in repr(summary)
        plans = ws.table("customers")["attrs"].execute()
        assert plans.astype(str).str.contains("plan").all()
    assert summary.headline["nps"] is not None
    report = summary.report.read_text(encoding="utf-8")
    assert report.lstrip().lower().startswith("<!doctype html>")
    assert "Lumen &amp; Oak" in report

    # Building again replaces the workspace rather than piling the same rows on top.
    again = build_demo(tmp_path / "demo", seed=3, customers=300)
    assert again.rows == summary.rows


def test_demo_command_prints_summary_and_next_commands(tmp_path: Path) -> None:
    done = advocacy_cli("demo", "shop", "--customers", "200", "--seed", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "NPS " in done.stdout
    assert "advocacy status --db shop/advocacy.duckdb" in done.stdout
    assert "advocacy metrics scores --by unit --db shop/advocacy.duckdb" in done.stdout
    assert "web app: advocacy serve --db shop/advocacy.duckdb; sign in as ana (analyst)" in (
        done.stdout
    )
    assert "  password: " in done.stdout
    assert (tmp_path / "shop" / "report.html").is_file()
    assert (tmp_path / "shop" / "data" / "responses.csv").is_file()
