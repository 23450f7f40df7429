"""Texts that reorder themselves or run for pages (audit3 F1): a right-to-left override pasted in
a comment showed "keew a retfa ekorb tcudorp ehT" on the text page, and a theme card quoted a
200,000-character comment whole. Every page takes the reordering controls out, and a card's
quote is cut as a table's text is. Real reviews from ``../shared/data`` around the hostile ones."""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.present.web.pages.rendering import templates
from advocacy.present.web.pages.text_cells import TEXT_CELL_CHARACTERS

REVERSED = "\u202eThe product broke after a week\u202c"
ISOLATED = "\u2067refund\u2069 never came, \u202aask\u202c for it"
GIANT = "awful refund " * 16_000  # no sentence ends: one 208,000-character complaint
UNIT = "\u202ehtroN\u202c"  # "North", typed reversed inside an override
SITE_URL: list[str] = []  # the module's workspace, for the report
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: The same as JSON writes them inside a chart's spec.
ESCAPED = re.compile(r"\\u(?:202[a-e]|206[6-9])", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, str]]:
    folder = tmp_path_factory.mktemp("reordering")
    reviews = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    )["Review Text"].dropna()
    texts = list(reviews.head(160)) + [REVERSED] * 30 + [GIANT] * 30 + [ISOLATED]
    source = folder / "responses.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "customer_id", "submitted_at", "unit", "nps", "comment"])
        for number, text in enumerate(texts):
            unit = UNIT if number % 2 else "South"
            day = f"2026-{1 + number % 11:02d}-02"
            writer.writerow([f"R{number}", f"C{number}", day, unit, number % 11, text])
    url = str(folder / "advocacy.duckdb")
    SITE_URL[:] = [url]
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="responses", cases=False)
        ws.text.analyze()
        ws.text.discover_themes()
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(url), base_url="https://testserver") as client:
        yield client, token


def _get(site: tuple[TestClient, str], path: str) -> str:
    client, token = site
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text[:500]
    return html.unescape(response.text)


@pytest.mark.parametrize(
    "path", ["/text", "/answers", "/customers/C160", "/customers/C220", "/explore", "/"]
)
def test_no_page_reorders_a_text(site: tuple[TestClient, str], path: str) -> None:
    page = _get(site, path)
    assert not CONTROLS.search(page)
    assert not ESCAPED.search(page)  # nor a chart's data (review4 item 3)
    if path == "/customers/C160":
        assert "The product broke after a week" in page  # read in the order it was typed
    if path == "/customers/C220":
        assert "refund never came, ask for it" in page


def test_theme_cards_quote_a_giant_comment_cut(site: tuple[TestClient, str]) -> None:
    page = _get(site, "/text")
    quotes = re.findall(r'<blockquote class="quote">(.*?)</blockquote>', page, flags=re.S)
    assert quotes
    assert any(quote.startswith("awful refund awful") for quote in quotes)  # it is quoted ...
    for quote in quotes:  # ... cut, with its length
        assert len(re.sub(r"<[^>]+>", "", quote)) <= TEXT_CELL_CHARACTERS + 60
    assert f"(cut: {len(GIANT.strip()):,} characters in all)" in page or (
        f"(cut: {len(GIANT):,} characters in all)" in page
    )
    assert len(page) < 200_000


def test_the_report_reorders_no_text(site: tuple[TestClient, str]) -> None:
    # review4 item 3: the report kept the controls in its by-unit table and theme quotes.
    from advocacy.report.build import render_report

    with advocacy.open(SITE_URL[0]) as ws:
        report = render_report(ws)
    assert "South" in report and "htroN" in report  # the unit, as typed
    assert not CONTROLS.search(report) and not ESCAPED.search(report)


def test_a_value_printed_by_any_template_loses_its_reordering_controls() -> None:
    shown = templates.env.from_string("<p>{{ text }}</p>").render(text=REVERSED)
    assert shown == "<p>The product broke after a week</p>"
