"""A quarter the data end inside is not "the latest complete quarter" (audit4 H7).

The real Olist reviews end on 2018-08-31: 2018 Q3 holds July and August only. The CLI, the
overview and the report's summary all report 2018 Q2 as the latest complete quarter and say that
the data end two months into Q3, by one rule (:mod:`advocacy.metrics.periods`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from advocacy.access import create_token
from advocacy.present.cli.main import app
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope
from advocacy.report.sections import summary
from gaps.olist import olist_reviews, olist_workspace

PARTIAL = "data end 2018-08-31: 2018 Q3 partial"


@pytest.fixture(scope="module")
def olist(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("olist-periods")
    url = str(folder / "workspace.duckdb")
    olist_workspace(url, folder, shared_data).close()
    yield url


def test_the_quarter_the_data_end_in_is_called_partial_everywhere(
    olist: str, shared_data: Path
) -> None:
    reviews = olist_reviews(shared_data)
    assert reviews.day.max() == dt.date(2018, 8, 31)
    in_q2 = reviews[(reviews.day >= dt.date(2018, 4, 1)) & (reviews.day < dt.date(2018, 7, 1))]
    satisfied = round(100 * (in_q2.review_score >= 4).mean())  # by hand: 77 (%)

    result = CliRunner().invoke(
        app,
        ["metrics", "scores", "--metric", "csat", "--period", "quarter", "--db", olist],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert f"latest complete quarter: 2018 Q2 ({PARTIAL})" in result.stdout
    q3 = [line for line in result.stdout.splitlines() if "2018 Q3" in line and "│" in line]
    assert len(q3) == 1 and "incomplete period" in q3[0]

    import advocacy

    with advocacy.open(olist) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
        body = html.unescape(str(summary.build(ws, ReportScope()).body))
    assert f"The latest complete quarter, 2018 Q2 ({PARTIAL})" in body
    with TestClient(create_app(olist), base_url="https://testserver") as client:
        page = client.get("/", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:300]
    text = html.unescape(page.text)
    tile = text.split('data-metric="csat"', 1)[1].split("</li>", 1)[0]
    assert f"<strong>2018 Q2</strong>, the latest complete quarter ({PARTIAL})" in tile
    assert f"{len(in_q2):,} answers" in tile and f'<p class="score">{satisfied}</p>' in tile


def test_the_explorer_calls_the_quarter_the_data_end_in_incomplete(olist: str) -> None:
    import csv
    import io

    import advocacy

    with advocacy.open(olist) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(olist), base_url="https://testserver") as client:
        download = client.get(
            "/explore.csv?metric=csat&by=none&period=quarter",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert download.status_code == 200, download.text[:300]
    status = {
        row["period"][:10]: row["status"] for row in csv.DictReader(io.StringIO(download.text))
    }
    # Today is years after 2018: only the data end (2018-08-31) makes Q3 incomplete.
    assert status["2018-07-01"] == "incomplete" and status["2018-04-01"] == "complete"
