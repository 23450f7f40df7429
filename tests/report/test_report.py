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


#: Per chart, the labels that are cut short ("…") or drawn beyond the chart's own box.
CLIPPED_LABELS = """
svgs => svgs.flatMap(svg => {
  const box = svg.getBoundingClientRect();
  const chart = svg.closest("figure").getAttribute("aria-label");
  return [...svg.querySelectorAll("text")].filter(text => text.textContent.trim()).flatMap(text => {
    const r = text.getBoundingClientRect();
    const outside = r.left < box.left - 1 || r.right > box.right + 1
      || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    const cut = text.textContent.includes("\\u2026");
    return outside || cut ? [`${chart}: ${text.textContent}`] : [];
  });
})
"""


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


def page_images(pdf_path: Path, directory: Path) -> list[Path]:
    require(shutil.which("pdftoppm") is not None, "poppler-utils (pdftoppm) is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf_path), str(directory / "page")], check=True
    )
    return sorted(directory.glob("page-*.png"))


def filled_height(page: Path) -> float:
    """How far down the page its content reaches (0-1), above the footer line."""
    pixels = Image.open(page).convert("L")
    width, height = pixels.size
    inked = [
        y
        for y in range(int(height * 0.92))
        if pixels.crop((0, y, width, y + 1)).getextrema()[0] < 200
    ]
    return (max(inked) + 1) / height if inked else 0.0


def page_text(pdf_path: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_demo_report_has_every_section_and_chart_in_html_and_pdf(
    demo_report: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, html_path, pdf_path = demo_report
    html = html_path.read_text(encoding="utf-8")
    titles = h2_titles(html)
    for expected in (
        "Executive summary",
        "Scores and significant changes",
        "What customers say and feel",
        "Which gaps matter",
        "Methods and sources",
    ):
        assert expected in titles
    assert titles[0] == "Executive summary" and titles[-1] in (
        "Methods and sources",
        "Not covered yet",
    )
    charts = re.findall(r'<figure class="chart" role="img" aria-label="([^"]+)">', html)
    assert {
        "NPS by unit and quarter with interval bands",
        "NPS by month with its interval band",
        "Mean rating of each driver by unit",
    } <= set(charts)
    assert html.count("<svg") == len(charts)
    # Standalone: nothing is fetched (no scripts, links or remote images).
    assert not re.search(r"<(script|link)\b|src=\"https?:", html)

    pages = page_images(pdf_path, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True)
    page_count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert len(pages) == page_count
    text = pdf_text(pdf_path)
    for title in titles:
        assert title in text, title
    # Every chart drew its axis titles into the PDF.
    for title in ("Score (-100 to 100)", "Month", "against the other units"):
        assert title in text, title


def test_demo_pdf_is_tight_a_first_page_with_the_summary_and_no_near_empty_pages(
    demo_report: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, pdf_path = demo_report
    pages = page_images(pdf_path, tmp_path)
    # The demo report ran to 22-24 pages with nearly blank ones (now 15, plus the
    # "From promoters to advocates" section of the demo's ask campaign).
    assert len(pages) <= 17
    # No page is near-empty (under a quarter full), the first and the last included; the page
    # before the landscape register may end early, but not that early.
    low = {page.name: round(filled_height(page), 2) for page in pages if filled_height(page) < 0.25}
    assert low == {}, f"near-empty pages: {low}"
    # The title heads the first page, above the summary (a title page alone was the third
    # audit's F8); the summary fits that page: tiles, findings, and nothing after them.
    first = page_text(pdf_path, 1)
    assert "Lumen & Oak assessment" in first
    assert "Executive summary" in first and "What to do" in first
    assert "Scores and significant changes" not in first
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The gap register's wide table gets a landscape page.
    assert re.search(r"size:\s+841\.89 x 595\.2", sizes)


def test_report_numbers_match_the_evidence(demo_report: tuple[Path, Path, Path]) -> None:
    database, html_path, _ = demo_report
    answers = pd.read_csv(database.parent / "data" / "responses.csv")
    scored = answers["nps"].dropna()
    nps = 100 * ((scored >= 9).mean() - (scored <= 6).mean())
    html = html_path.read_text(encoding="utf-8")
    found = re.search(
        r"<td>NPS</td><td>(\S+) \[(\S+), (\S+)\]</td><td class='num'>([\d,]+)</td>", html
    )
    assert found is not None
    score, low, high = (float(text.replace("\u2212", "-")) for text in found.group(1, 2, 3))
    # Written to the precision its interval supports: whole points for an interval of +-3.
    assert score == round(nps) and low < nps < high
    assert found.group(4) == f"{len(scored):,}"


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
        clipped = page.eval_on_selector_all("figure.chart svg", CLIPPED_LABELS)
        wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        # In print, on the width of an A4 page inside its margins (182 mm), every table fits.
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 688, "height": 900})
        wide_tables = page.eval_on_selector_all(
            "main table:not(.register)",
            "tables => tables.filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
            ".map(t => t.querySelector('th').textContent)",
        )
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert errors == [] and failed == []
    assert requested == [html_path.as_uri()]
    assert "Executive summary" in headings
    assert svg_widths and all(width > 100 for width in svg_widths)
    # Every label of every chart is drawn whole, inside its chart's box.
    assert clipped == []
    assert wider is False
    assert wide_tables == []


def test_report_for_one_unit_and_dates(
    demo_report: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    database, _, _ = demo_report
    with advocacy.open(str(database)) as ws:
        unit = str(ws.table("responses").unit.value_counts().execute().iloc[0]["unit"])
        told: list[tuple[str, int, int]] = []
        files = advocacy.report.write(
            ws,
            tmp_path / "unit.html",
            since="2025-01-01",
            until="2025-12-31",
            unit=unit,
            progress=lambda stage, done, total: told.append((stage, done, total)),
        )
    assert files.pdf is None
    # A progress bar hears of every section in turn, and of no PDF when none is asked for.
    total = told[-1][2]
    assert total >= 5 and told == [("sections", done, total) for done in range(1, total + 1)]
    html = files.html.read_text(encoding="utf-8")
    assert f"unit {unit}" in html and "from 2025-01-01" in html
    assert re.search(rf"<p class=.standing.>{re.escape(unit)} in \d{{4}} Q\d:", html)


def test_theme_quotes_carry_the_themes_main_sentiment(demo_report: tuple[Path, Path, Path]) -> None:
    from advocacy.report.sections import text
    from advocacy.text.catalogue import list_themes
    from advocacy.text.enrich import load_documents

    database, _, _ = demo_report
    with advocacy.open(str(database)) as ws:
        documents = load_documents(ws.db)
        features = text._features(ws, documents)
        themes = list_themes(ws.db).head(text.CARDS)
        quotes = text.theme_quotes(ws, features, themes)
    label_of = dict(zip(features["text"].astype(str), features["sentiment"], strict=True))
    checked = 0
    for record in themes.to_dict("records"):
        mix = record["sentiment_mix"]
        # The main sentiment: the largest share (a tie allows either of the tied).
        mains = {name for name, share in mix.items() if share == max(mix.values())}
        chosen = quotes[str(record["theme_id"])]
        assert len(chosen) == 2, record["name"]
        assert len({quote for _, quote in chosen}) == 2
        for caption, quote in chosen:
            # Each quote says what it is: the theme's most negative (positive) sentence, or a
            # comment read as its main sentiment (a central one when most were not read).
            assert caption == "A central comment" or any(
                caption in (f"Most {main} sentence", f"A comment read as {main}") for main in mains
            ), (record["name"], caption, mix)
            if caption.startswith("Most"):
                checked += 1
            elif caption.startswith("A comment read as ") and quote in label_of:
                # (quotes cut short or redacted are not the stored text)
                said = caption.removeprefix("A comment read as ")
                assert label_of[quote] == said, (record["name"], said, quote)
                checked += 1
    assert checked >= len(themes)
