"""A client with CSAT answers and no NPS (the real Olist reviews) gets its own outcome (audit4 H6).

``metrics scores`` says there is no NPS and names the metrics there are, instead of "too few
responses"; key drivers explain CSAT when no answer has an NPS (the CLI by default, the web's
Gaps page), and each driver says which way it goes with the outcome.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import advocacy
from advocacy.access import create_token
from advocacy.present.cli.main import app
from advocacy.present.web import create_app
from gaps.olist import olist_reviews, olist_workspace

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def olist(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("olist-csat")
    url = str(folder / "workspace.duckdb")
    with olist_workspace(url, folder, shared_data) as ws:
        ws.text.analyze()
        ws.text.discover_themes()
    yield url


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_scores_without_nps_name_the_metrics_there_are(olist: str, shared_data: Path) -> None:
    answered = int(olist_reviews(shared_data).review_score.notna().sum())
    said = _cli("metrics", "scores", "--db", olist)
    assert said.strip() == (
        "no NPS answers in this workspace (NPS is the default metric); "
        f"{answered:,} CSAT answers: advocacy metrics scores --metric csat"
    )
    assert "too few" not in said
    # Asked for by name, NPS still gets its row (and its flag).
    assert "NPS" in _cli("metrics", "scores", "--metric", "nps", "--db", olist)


def test_drivers_explain_csat_and_say_their_direction(olist: str) -> None:
    with advocacy.open(olist) as ws:
        frame = ws.gaps.drivers(outcome=None, level="theme", n_bootstrap=0)
        responses = ws.table("responses").select("response_id", "csat", "comment").to_pandas()
        mentions = ws.db.ibis.table("document_themes").to_pandas()
        themes = ws.db.ibis.table("themes").select("theme_id", "name").to_pandas()
        token = create_token(ws.db, role="analyst", name="ana").secret
    assert frame.attrs["outcome"] == "csat"
    # By hand: a theme whose mention goes with a lower mean rating lowers CSAT.
    commented = responses[responses.comment.fillna("").str.strip() != ""].set_index("response_id")
    names = dict(zip(themes.theme_id, themes.name, strict=True))
    checked = 0
    for row in frame[frame.share > 0.1].itertuples():
        ids = {theme_id for theme_id, name in names.items() if name == row.driver}
        mentioned = set(mentions[mentions.theme_id.isin(ids)].document_id)
        inside = commented.index.isin(list(mentioned))
        difference = commented.csat[inside].mean() - commented.csat[~inside].mean()
        assert row.direction == ("raises" if difference > 0 else "lowers"), row.driver
        checked += 1
    assert checked >= 3 and set(frame.direction) == {"raises", "lowers"}

    text = _cli("gaps", "drivers", "--level", "theme", "--bootstrap", "0", "--db", olist)
    assert "Key drivers of csat (lmg)" in text and "direction" in text
    assert "outcome csat, the workspace's own (choose with --outcome)" in text

    with TestClient(create_app(olist), base_url="https://testserver") as client:
        page = client.get("/gaps", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:300]
    body = html.unescape(page.text)
    assert "Comment themes as drivers of CSAT (respondents with a comment)" in body
    assert "discover-themes" not in body.split("Comment themes as drivers of CSAT", 1)[1][:2000]
    section = body.split("Comment themes as drivers of CSAT", 1)[1].split("</table>", 1)[0]
    assert "lowers" in section and str(frame.driver.iloc[0]) in section
    assert isinstance(frame, pd.DataFrame)


def test_the_report_and_the_api_name_the_csat_they_explain(olist: str) -> None:
    from advocacy.report.section import ReportScope
    from advocacy.report.sections import gaps

    with advocacy.open(olist) as ws:
        expected = ws.gaps.drivers(outcome=None, level="theme", n_bootstrap=100)
        body = html.unescape(str(gaps.build(ws, ReportScope()).body))
        token = create_token(ws.db, role="analyst", name="report-reader").secret
    top = expected.iloc[0]
    assert (
        "Comment themes as drivers of CSAT</h3><p>Whether a respondent's comment mentions each "
        f"theme, taken as a driver: each theme's share of the {expected.attrs['r_squared']:.0%} "
        "of CSAT variation" in body
    )
    assert f"The strongest is <strong>{top.driver}</strong> ({top.share:.0%}" in body
    assert "NPS" not in body  # no answer has one: nothing here is about NPS

    with TestClient(create_app(olist), base_url="https://testserver") as client:
        headers = {"Authorization": f"Bearer {token}"}
        listed = client.get("/api/v1/analyses", headers=headers).json()
        rows = client.get("/api/v1/analyses/theme-drivers", headers=headers).json()
    helps = {item["name"]: item["help"] for item in listed}
    assert "NPS" not in helps["theme-drivers"] and "outcome" in helps["theme-drivers"]
    assert {row["outcome"] for row in rows} == {"csat"}
    assert [row["driver"] for row in rows] == list(expected.driver)
