"""A theme's size says how much of it its keywords gave and how much meaning alone (review27
finding 12: meaning filled a theme with unrelated texts and nothing showed it), on the report's
and the web's cards and in `advocacy text themes`; and a quote pasted with markup is shown
without it, its words kept (finding 17c: "<script>alert("x")</script> The app <b>crashed</b>"
was shown escaped, tags and all)."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections.text import build
from support.cli import advocacy_cli

HOSTILE = '<script>alert("x")</script> The app <b>crashed</b> twice and support never answered.'
SHOWN = "The app crashed twice and support never answered."
COMMENTS = [
    (0, "Terrible, I waited three weeks for a refund and had to call five times."),
    (2, "The refund never came and nobody answered my emails."),
    (9, "Great service and a fast refund when I asked for one."),
    (1, "Still no refund after a month."),
    (1, HOSTILE),
    (10, "Support was friendly and solved my problem in minutes."),
    (3, "I got my money back only after four weeks of chasing them."),
    (8, "Nice app, easy to use every day."),
    (4, "They kept my money and never paid me back."),
    (6, "The parcel arrived late but intact."),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("sources")
    pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(COMMENTS))],
            "nps": [score for score, _ in COMMENTS],
            "comment": [text for _, text in COMMENTS],
        }
    ).to_csv(folder / "answers.csv", index=False)
    taxonomy = folder / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n"
        "  - name: Refund\n    keywords: [refund]\n"
        "    description: customers waiting for their money back\n"
        "  - name: Support\n    keywords: [support]\n",
        encoding="utf-8",
    )
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(folder / "answers.csv", kind="responses", cases=False)
        ws.text.analyze(taxonomy=taxonomy)
        themes = ws.text.themes().set_index("name")
        token = create_token(ws.db, role="analyst", name="ana").secret
        with report_run():
            report = html.unescape(str(build(ws, ReportScope()).body))
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    return {"url": url, "themes": themes, "report": report, "page": page.text}


def _said(size: int, keyword: int, meaning: int) -> str:
    """What a card should say after the size, written out here, not by the code under test."""
    if meaning == 0:
        return "all by its keywords"
    if keyword == 0:
        return "all by meaning alone"
    return f"{keyword} by its keywords, {meaning} by meaning alone"


def test_the_listing_counts_texts_by_keyword_and_by_meaning_alone(
    workspace: dict[str, Any],
) -> None:
    refund = workspace["themes"].loc["Refund"]
    # The four comments that say "refund" are the theme's by its keyword ...
    assert refund["by_keyword"] == sum("refund" in text.lower() for _, text in COMMENTS) == 4
    # ... whatever meaning added, and the counts add up to its size.
    assert refund["by_keyword"] + refund["by_teaching"] + refund["by_meaning"] == refund["size"]
    assert refund["by_teaching"] == 0


def test_report_and_web_cards_say_how_the_texts_came(workspace: dict[str, Any]) -> None:
    refund = workspace["themes"].loc["Refund"]
    size, keyword, meaning = (int(refund[c]) for c in ("size", "by_keyword", "by_meaning"))
    words = _said(size, keyword, meaning)
    report = " ".join(workspace["report"].split())
    assert f"{size} texts: {words}" in report
    page = " ".join(html.unescape(workspace["page"]).split())
    assert f"{size} comments: {words}" in page


def test_text_themes_gives_the_counts(workspace: dict[str, Any]) -> None:
    refund = workspace["themes"].loc["Refund"]
    spreadsheet = advocacy_cli("text", "themes", "--format", "csv", "--db", workspace["url"])
    assert spreadsheet.returncode == 0, spreadsheet.stderr
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(spreadsheet.stdout))}
    assert int(rows["Refund"]["by_keyword"]) == 4
    assert int(rows["Refund"]["by_meaning"]) == int(refund["by_meaning"])
    shown = advocacy_cli("text", "themes", "--db", workspace["url"], env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    table = " ".join(shown.stdout.split())
    assert "by meaning alone" in table
    assert f"{int(refund['by_meaning'])} of {int(refund['size'])}" in table


def test_a_quote_with_markup_is_shown_without_it(workspace: dict[str, Any]) -> None:
    for shown in (workspace["report"], html.unescape(workspace["page"])):
        prose = " ".join(shown.split())
        assert SHOWN in prose  # every word the customer wrote, in order
        assert "<b>crashed" not in prose and "alert(" not in prose
    # Still escaped where it is shown: no tag of the customer's reaches the page.
    assert "<script>alert" not in workspace["page"]
    assert not re.search(r"&lt;b&gt;crashed", workspace["page"])
