"""The report's advocates section on a generated demo company shows every part."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import advocacy
from advocacy.demo.build import write_tables
from advocacy.demo.generator import generate
from advocacy.report.section import ReportScope
from advocacy.report.sections.advocates import build

KINDS = ("customers", "responses", "interactions", "transactions", "referrals", "mentions")


def test_demo_report_shows_ladder_say_do_referrals_and_fans(
    duckdb_url: str, tmp_path: Path
) -> None:
    paths = write_tables(generate(np.random.default_rng(7), customers=1500), tmp_path / "data")
    with advocacy.open(duckdb_url) as ws:
        for kind in KINDS:
            ws.import_file(paths[kind], kind=kind, source="generic")
        section = build(ws, ReportScope())
    html = str(section.body)
    for heading in (
        "The advocacy ladder",
        "The say-do gap",
        "Referral value",
        "What advocacy is worth",
        "Fans-to-be",
        "Who is slipping away",
    ):
        assert f"<h3>{heading}</h3>" in html
    assert "<svg" in html  # the ladder chart
    assert not [note for note in section.notes if "not shown" in note], section.notes
