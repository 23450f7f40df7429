"""The readout's parts on their own: the branded cover from settings, eNPS waves drawn as points,
and hostile names escaped wherever the summary and the charts show them."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.report.build import render_report
from advocacy.report.section import chart_svg
from advocacy.report.sections.metrics import trend_spec
from advocacy.settings import Settings

#: An SVG logo that would run a script if it were inlined rather than drawn as a picture.
HOSTILE_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<script>alert("logo")</script><rect width="40" height="20" fill="#1f6f8b"/></svg>'
)


def test_cover_shows_logo_title_client_and_date_from_settings(
    report_workspace: str, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(HOSTILE_LOGO, encoding="utf-8")
    settings = Settings.load(
        directory=tmp_path,
        report_title="Quarterly <readout>",
        report_client='Lumen & Oak "Retail"',
        report_logo=str(logo),
        timezone="Pacific/Kiritimati",
    )
    with advocacy.open(report_workspace, settings=settings) as ws:
        html = render_report(ws)
    cover = re.search(r'<section class="cover" id="cover">(.*?)</section>', html, re.S)
    assert cover is not None
    today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert "<h1>Quarterly &lt;readout&gt;</h1>" in cover.group(1)
    assert "Prepared for Lumen &amp; Oak &#34;Retail&#34;" in cover.group(1)
    assert today.strftime("%-d %B %Y") in cover.group(1)
    # The logo is a picture (a data: URI in an <img>), so the script inside it never runs.
    source = re.search(r'<img class="logo" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert source is not None
    assert base64.b64decode(source.group(1)).decode() == HOSTILE_LOGO
    assert "<script" not in html
    assert "<title>Quarterly &lt;readout&gt;</title>" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "is not a file"), (b"GIF89a....", "is not an SVG, PNG or JPEG image")],
)
def test_a_bad_logo_is_an_error_naming_the_setting(
    report_workspace: str, tmp_path: Path, content: bytes | None, message: str
) -> None:
    logo = tmp_path / "logo.gif"
    if content is not None:
        logo.write_bytes(content)
    settings = Settings.load(directory=tmp_path, report_logo=str(logo))
    with (
        advocacy.open(report_workspace, settings=settings) as ws,
        pytest.raises(UsageError, match=message) as raised,
    ):
        render_report(ws)
    assert "report_logo" in str(raised.value)


def test_a_single_enps_wave_is_a_point_with_its_interval_never_a_line() -> None:
    months = pd.date_range("2025-01-01", periods=4, freq="MS")
    frame = pd.DataFrame(
        {
            "metric": ["nps"] * 4 + ["enps"],
            "period": [*months, pd.Timestamp("2025-04-01")],
            "score": [20.0, 24.0, 18.0, 22.0, -5.0],
            "ci_low": [12.0, 16.0, 10.0, 14.0, -30.0],
            "ci_high": [28.0, 32.0, 26.0, 30.0, 20.0],
            "n": [200, 210, 190, 205, 60],
        }
    )
    svg = str(chart_svg(trend_spec(frame, "month"), label="trend"))
    lines = re.findall(r'<g class="mark-line role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    strokes = {color for line in lines for color in re.findall(r'stroke="(#[0-9a-f]+)"', line)}
    symbols = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    fills = {color for group in symbols for color in re.findall(r'fill="(#[0-9a-f]+)"', group)}
    # NPS (the first colour) is a line; eNPS (the second) is drawn only as a point.
    assert strokes == {"#4c78a8"}
    assert "#f58518" in fills


def test_hostile_unit_names_are_escaped_in_the_summary_and_charts(tmp_path: Path) -> None:
    units = ['<img src=x onerror=alert("u")>', '=HYPERLINK("http://x")', "Nord 北"]
    rows = []
    for index in range(900):
        unit = units[index % 3]
        quarter = index // 300
        # Answers in every month of each quarter, so the last quarter is complete (its data
        # run to its end): the summary reads it.
        month = 1 + 3 * quarter + (index // 3) % 3
        # The first unit collapses in the last quarter, so the summary names it.
        nps = 2 if unit == units[0] and quarter == 2 else 6 + index % 5
        rows.append((f"R{index}", f"2025-{month:02d}-{1 + index % 28:02d}T10:00:00Z", unit, nps))
    data = tmp_path / "responses.csv"
    pd.DataFrame(rows, columns=["response_id", "submitted_at", "unit", "nps"]).to_csv(
        data, index=False
    )
    with advocacy.open(str(tmp_path / "w.duckdb")) as ws:
        ws.import_file(data, kind="responses")
        html = render_report(ws)
    assert "<img src=x" not in html
    assert "Find out what changed for &lt;img src=x onerror=alert(&#34;u&#34;)&gt;" in html
    assert "Nord 北" in html
