"""The report end to end: the demo's report as HTML and PDF, page images, headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

import advocacy
import advocacy.report
from advocacy.demo.build import build_demo
from support import require, require_module
from support.cli import advocacy_cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pdf_text(path: Path) -> str:
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", " ", done.stdout)


def h2_titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", title).strip() for title in re.findall(r"<h2>(.*?)</h2>", html)]


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The demo workspace and its report written by the CLI, as (database, html, pdf)."""
    directory = tmp_path_factory.mktemp("demo-report")
    summary = build_demo(directory / "demo", seed=5, customers=800)
    html, pdf = directory / "report.html", directory / "report.pdf"
    done = advocacy_cli(
        "report",
        "--db",
        str(summary.database),
        "--out",
        str(html),
        "--pdf",
        str(pdf),
        "--title",
        "Lumen & Oak assessment",
        cwd=directory,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {pdf}" in done.stdout
    return summary.database, html, pdf


def test_demo_report_has_every_section_and_chart_in_html_and_pdf(
    demo_report: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, html_path, pdf_path = demo_report
    html = html_path.read_text(encoding="utf-8")
    titles = h2_titles(html)
    for expected in (
        "Executive summary",
        "The evidence",
        "Scores and significant changes",
        "Methods and sources",
    ):
        assert expected in titles
    assert titles[0] == "Executive summary" and titles[-1] in (
        "Methods and sources",
        "Not covered yet",
    )
    charts = re.findall(r'<figure class="chart" role="img" aria-label="([^"]+)">', html)
    assert {"NPS by unit with intervals", "NPS by month with its interval band"} <= set(charts)
    assert html.count("<svg") == len(charts)
    # Standalone: nothing is fetched (no scripts, links or remote images).
    assert not re.search(r"<(script|link)\b|src=\"https?:", html)

    require(shutil.which("pdftoppm") is not None, "poppler-utils (pdftoppm) is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf_path), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True)
    page_count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert len(pages) == page_count
    # Each present section starts a page in print, so there are at least as many pages.
    assert page_count >= len(titles)
    for page in pages:
        pixels = Image.open(page).convert("L")
        assert pixels.getextrema()[0] < 128, f"{page.name} is blank"
    text = pdf_text(pdf_path)
    for title in titles:
        assert title in text, title
    # Every chart drew its axis titles into the PDF.
    for title in ("NPS (-100 to 100)", "Score (-100 to 100)", "Month"):
        assert title in text, title


def test_report_numbers_match_the_evidence(demo_report: tuple[Path, Path, Path]) -> None:
    database, html_path, _ = demo_report
    answers = pd.read_csv(database.parent / "data" / "responses.csv")
    scored = answers["nps"].dropna()
    nps = 100 * ((scored >= 9).mean() - (scored <= 6).mean())
    html = html_path.read_text(encoding="utf-8")
    assert f"<td>NPS</td><td>{nps:.1f}</td>" in html
    assert f"<td>{len(scored):,}</td>" in html


def test_report_opens_in_chromium_without_errors_or_requests(
    demo_report: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    require(CHROMIUM.exists(), "Debian's chromium is not installed")
    sync_api = require_module("playwright.sync_api", "pip install -e .[dev]")
    _, html_path, _ = demo_report
    errors: list[str] = []
    failed: list[str] = []
    requested: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("request", lambda request: requested.append(request.url))
        page.goto(html_path.as_uri(), wait_until="networkidle")
        headings = page.locator("h2").all_inner_texts()
        svg_widths = page.eval_on_selector_all(
            "figure.chart svg", "nodes => nodes.map(n => n.getBoundingClientRect().width)"
        )
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert errors == [] and failed == []
    assert requested == [html_path.as_uri()]
    assert "Executive summary" in headings
    assert svg_widths and all(width > 100 for width in svg_widths)


def test_report_for_one_unit_and_dates(
    demo_report: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    database, _, _ = demo_report
    with advocacy.open(str(database)) as ws:
        unit = str(ws.table("responses").unit.value_counts().execute().iloc[0]["unit"])
        files = advocacy.report.write(
            ws, tmp_path / "unit.html", since="2025-01-01", until="2025-12-31", unit=unit
        )
    assert files.pdf is None
    html = files.html.read_text(encoding="utf-8")
    assert f"unit {unit}" in html and "from 2025-01-01" in html
    assert f"{unit} stands at" in html
