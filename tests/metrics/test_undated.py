"""Survey answers without dates: scores, period views, the report and the export still work.

A survey export with a comment and a score but no date column is common (audit finding 1). The
period views of such a workspace are empty, and nothing that asks for them may crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from metrics.data import employee_responses, insert, responses


@pytest.fixture
def undated(db_url: str) -> Iterator[Any]:
    import advocacy

    ws = advocacy.open(db_url)
    insert(ws, "responses", responses(200).drop(columns=["submitted_at"]))
    insert(ws, "employee_responses", employee_responses(60).drop(columns=["submitted_at"]))
    yield ws
    ws.close()


@pytest.mark.parametrize(
    "options",
    [
        {"period": "quarter", "compare": "previous"},
        {"period": "month", "compare": "previous", "rolling": 3},
        {"period": "quarter", "compare": "previous", "by": "unit"},
        {"period": "quarter", "compare": "rest", "by": "unit"},
    ],
)
def test_period_views_of_undated_answers_are_empty(undated: Any, options: dict[str, Any]) -> None:
    result = undated.metrics.scores(["nps", "csat", "enps"], **options)
    assert result.empty
    assert {"period", "score", "p_adjusted"} <= set(result.columns)


def test_undated_answers_still_have_scores(undated: Any) -> None:
    result = undated.metrics.scores("nps", by="unit")
    assert result["n"].sum() == responses(200)["nps"].notna().sum()


def test_report_of_undated_answers_says_there_are_no_dates(undated: Any, tmp_path: Path) -> None:
    from advocacy.report import write

    out = tmp_path / "report.html"
    write(undated, out)
    page = out.read_text()
    assert "No answer carries a date" in page
    assert "Over the whole period" in page


def test_dated_and_undated_answers_compare_dated_quarters_only(db_url: str) -> None:
    import advocacy

    ws = advocacy.open(db_url)
    dated = responses(400)
    insert(ws, "responses", dated)
    later = responses(100, seed=9).drop(columns=["submitted_at"])
    insert(ws, "responses", later.assign(response_id=[f"u{i}" for i in range(len(later))]))
    result = ws.metrics.scores("nps", period="quarter", compare="previous")
    ws.close()
    assert result["n"].sum() == dated["nps"].notna().sum()
    assert result["period"].notna().all()
    assert result["p_adjusted"].notna().sum() == len(result) - 1


def test_every_analysis_of_undated_answers_exports(undated: Any, tmp_path: Path) -> None:
    written = undated.export_analysis("all", out=tmp_path / "all.xlsx")
    assert written["scores"] > 0


def test_the_cli_says_why_a_period_view_of_undated_answers_is_empty(tmp_path: Path) -> None:
    from support.cli import advocacy_cli

    survey = tmp_path / "survey.csv"
    survey.write_text("comment,nps\nGreat service,10\nSlow delivery,3\nRude staff,0\n", "utf-8")
    url = str(tmp_path / "w.duckdb")
    ran = advocacy_cli("--create", "import", str(survey), "--kind", "responses", "--db", url)
    assert ran.returncode == 0, ran.stderr
    shown = advocacy_cli("metrics", "scores", "--period", "quarter", "--db", url)
    assert shown.returncode == 0, shown.stderr
    said = " ".join(shown.stdout.split())
    assert "no answer in this slice carries a date" in said and "leave out --period" in said


def test_report_of_partly_dated_answers_says_how_many_have_no_date(
    db_url: str, tmp_path: Path
) -> None:
    # Reportfix review S1: with 100 of 500 answers undated the report showed a trend of 400
    # beside a headline of 500 and never said why the two differ.
    import advocacy
    from advocacy.report import write

    ws = advocacy.open(db_url)
    dated = responses(400)
    insert(ws, "responses", dated)
    later = responses(100, seed=9).drop(columns=["submitted_at"])
    insert(ws, "responses", later.assign(response_id=[f"u{i}" for i in range(len(later))]))
    out = tmp_path / "report.html"
    write(ws, out)
    ws.close()
    page = out.read_text()
    # Every answer has a CSAT (only some an NPS): the metric with the most undated is named.
    assert "100 of 500 CSAT answers carry no date" in page
    assert "No answer carries a date" not in page


def test_an_empty_period_view_of_dated_answers_blames_no_missing_date(tmp_path: Path) -> None:
    from support.cli import advocacy_cli

    survey = tmp_path / "survey.csv"
    survey.write_text(
        "submitted_at,comment,nps\n2024-03-01,Great service,10\n2024-03-02,Slow delivery,3\n",
        "utf-8",
    )
    url = str(tmp_path / "w.duckdb")
    ran = advocacy_cli("--create", "import", str(survey), "--kind", "responses", "--db", url)
    assert ran.returncode == 0, ran.stderr
    shown = advocacy_cli(
        "metrics", "scores", "--period", "quarter", "--since", "2030-01-01", "--db", url
    )
    assert shown.returncode == 0, shown.stderr
    assert "carries a date" not in " ".join(shown.stdout.split())
