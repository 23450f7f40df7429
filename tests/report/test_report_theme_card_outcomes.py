"""The report's theme cards of a survey without NPS show each theme's effect on the survey's own
outcome (CSAT, else CES), named so, and never "No theme has an effect on NPS" when NPS was not
tested (csatthemes left the cards on NPS while the summary, which links to them, named CSAT)."""

from __future__ import annotations

import csv
import html
import re
from datetime import date
from pathlib import Path

import pytest

import advocacy
from advocacy import display
from advocacy.metrics.intervals import newcombe_difference
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import text
from support.outcome_surveys import answers, survey


def _themes_part(database: str) -> str:
    with advocacy.open(database) as ws, report_run():
        body = str(text.build(ws, ReportScope()).body)
    body = re.sub(r"\s+", " ", html.unescape(body))
    return body[body.index("id='themes'") :]


@pytest.mark.parametrize(
    ("column", "low", "high", "metric", "reached"),
    [("csat", 1, 5, "CSAT", "were satisfied"), ("ces", 1, 7, "CES", "found it easy")],
)
def test_cards_show_the_effect_on_the_surveys_own_outcome(
    tmp_path: Path, db_url: str, column: str, low: int, high: int, metric: str, reached: str
) -> None:
    database = survey(
        tmp_path,
        column,
        answers(
            {
                "price": [low] * 12 + [high] * 8,  # 8 of 20 reached it
                "delivery": [low] * 16 + [high] * 4,  # 4 of 20
                "praise": [high] * 40 + [low] * 10,  # 40 of 50
                "n/a": [low] * 30,
            }
        ),
        url=db_url,  # DuckDB and PostgreSQL
    )
    themes = _themes_part(database)
    # Delivery's 20 commenters: 4 reached it (20%) against 48 of the other 70 (69%).
    effect, lower, upper = (100 * value for value in newcombe_difference(4, 20, 48, 70))
    card = (
        f"{metric} effect {display.estimate(effect, lower, upper)} points · 20% {reached} "
        "mentioning vs 69% not"
    )
    assert card in themes, themes
    assert f"their effect on {metric} in points" in themes
    assert f"Each theme's effect on {metric} in points" in themes  # the chart's label
    assert "NPS was not tested: too few of their writers gave one." in themes
    assert "not corrected for the number of themes shown" in themes
    assert "No theme has an effect on NPS" not in themes and "NPS effect" not in themes


def test_an_nps_survey_keeps_its_nps_cards(tmp_path: Path) -> None:
    database = survey(
        tmp_path, "nps", answers({"price": [0, 3, 9, 10] * 5, "praise": [9, 10, 10, 4] * 10})
    )
    themes = _themes_part(database)
    assert "NPS effect" in themes and "their effect on NPS in points" in themes
    assert "not tested" not in themes and "CSAT" not in themes
    assert "not corrected for the number of themes shown" in themes


def test_a_dated_report_shows_the_themes_of_its_dates(tmp_path: Path) -> None:
    # 20 Delivery answers in January and 4 in June: a report from April counts June's 4, as
    # its summary's findings do, not all 24.
    rows = answers({"delivery": [1] * 20, "praise": [5] * 20}, day="2026-01-15")
    rows += answers({"delivery": [1] * 4, "praise": [5] * 30}, day="2026-06-15")
    database = survey(tmp_path, "csat", rows)
    scope = ReportScope(since=date(2026, 4, 1))
    with advocacy.open(database) as ws, report_run():
        body = re.sub(r"\s+", " ", html.unescape(str(text.build(ws, scope).body)))
        dated = ws.text.themes(since=scope.since)
    sizes = dict(zip(dated["name"], dated["size"], strict=True))
    assert sizes["Delivery"] == 4
    themes = body[body.index("id='themes'") :]
    assert "<h4>Delivery</h4><p>4 texts: all by its keywords</p>" in themes, themes
    assert "<h4>Delivery</h4><p>24 texts" not in themes


def test_the_effect_chart_names_the_confidence_its_intervals_have(tmp_path: Path) -> None:
    database = survey(
        tmp_path, "csat", answers({"delivery": [1] * 16 + [4] * 4, "praise": [5] * 40 + [2] * 10})
    )
    with advocacy.open(database) as ws, report_run():
        ws.settings = ws.settings.updated(confidence=0.9)
        body = html.unescape(str(text.build(ws, ReportScope()).body))
    assert "Each theme's effect on CSAT in points, with 90% intervals" in body
    assert "95% intervals" not in body


def test_themes_grouped_for_the_report_alone_show_the_csat_effect(
    tmp_path: Path, db_url: str
) -> None:
    # No taxonomy assigned and no themes discovered: the report groups the comments itself. A
    # CSAT survey's grouped themes were tested on NPS only, so the report said "No effect was
    # tested: too few of their writers gave an NPS, a CSAT, a CES or a rating" of 180 CSATs.
    rows = answers(
        {
            "price": [1] * 12 + [5] * 8,
            "delivery": [1] * 16 + [5] * 4,
            "praise": [5] * 40 + [1] * 10,
            "n/a": [1] * 30,
        }
    )
    with (tmp_path / "s.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["comment", "csat", "submitted_at"])
        writer.writerows(rows)
    with advocacy.open(db_url) as ws:  # DuckDB and PostgreSQL
        ws.import_file(tmp_path / "s.csv", kind="responses")
        ws.text.analyze()
    themes = _themes_part(db_url)
    assert "grouped for this report only" in themes
    # The group of the 20 delivery comments: 4 satisfied (20%) against 48 of the other 70
    # commenters with content (69%); the 30 "n/a" are on neither side.
    effect, lower, upper = (100 * value for value in newcombe_difference(4, 20, 48, 70))
    card = (
        f"CSAT effect {display.estimate(effect, lower, upper)} points · 20% were satisfied "
        "mentioning vs 69% not"
    )
    assert card in themes, themes
    assert "No effect was tested" not in themes
