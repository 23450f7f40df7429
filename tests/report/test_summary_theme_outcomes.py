"""The executive summary of a survey without NPS names a theme that lowers its CSAT, and never
says "nothing calls for urgent action" of an outcome it did not test (audit4 item 1: "no theme
lowers NPS or the rating beyond chance" of a CSAT survey whose Service theme sank CSAT)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import advocacy
from advocacy.metrics.intervals import newcombe_difference
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import summary
from support.outcome_surveys import answers, survey


def _summary(database: str) -> tuple[list[summary.Finding], str]:
    with advocacy.open(database) as ws, report_run():
        findings = summary.collect_findings(ws, ReportScope())
        body = str(summary.build(ws, ReportScope()).body)
    return findings, re.sub(r"\s+", " ", html.unescape(body))


def test_a_theme_that_lowers_csat_is_a_finding(tmp_path: Path) -> None:
    database = survey(
        tmp_path,
        "csat",
        answers(
            {
                "price": [2] * 12 + [5] * 8,  # 40% satisfied
                "delivery": [1] * 16 + [4] * 4,  # 20% satisfied
                "praise": [5] * 40 + [2] * 10,  # 80%
                "n/a": [3] * 30,
            }
        ),
    )
    findings, body = _summary(database)
    themed = [finding for finding in findings if finding.subject == "theme Delivery"]
    assert len(themed) == 1
    # Delivery's 20 commenters: 4 satisfied (20%) against 48 of the other 70 (69%).
    effect, low, high = (100 * value for value in newcombe_difference(4, 20, 48, 70))
    assert high < 0
    why = themed[0].why
    assert "Of the 20 respondents whose comment mentions it, 20% were satisfied" in why
    assert "against 69% of the other commenters" in why
    assert f"−{abs(round(effect))} [−{abs(round(low))}, −{abs(round(high))}] points" in why
    assert "(CSAT in its top two boxes)" in why and "NPS" not in why
    assert "CSAT would be about" in themed[0].effect
    assert "Find out what lies behind “Delivery”" in body
    assert "no theme lowers NPS" not in body


def test_the_closing_sentence_names_what_was_tested(tmp_path: Path) -> None:
    # Every theme's commenters are as satisfied as the others; each answer has a CES too.
    database = survey(
        tmp_path,
        "csat",
        answers({"price": [2, 4] * 10, "delivery": [2, 5] * 10, "praise": [1, 5] * 25}),
        extra="ces",
    )
    findings, body = _summary(database)
    assert not findings
    assert (
        "no unit falls significantly below the rest and no theme lowers CSAT beyond chance "
        "(CES was not tested against the themes): nothing in the evidence tested calls for "
        "urgent action"
    ) in body


def test_a_theme_that_lowers_csat_and_the_reviews_rating_is_one_finding_saying_both(
    tmp_path: Path,
) -> None:
    database = survey(
        tmp_path,
        "csat",
        answers({"delivery": [1] * 16 + [4] * 4, "praise": [5] * 40 + [2] * 10}),
    )
    reviews = tmp_path / "reviews.csv"
    # The other rated reviews (every one with content, themed or not) are Price's.
    rows = [("Shipping took three weeks", 1 + i % 2) for i in range(30)]
    rows += [("A fair price for what it is", 4 + i % 2) for i in range(30)]
    reviews.write_text(
        "text,rating,posted_at\n"
        + "".join(f"{text},{stars},2026-03-2{i % 9}\n" for i, (text, stars) in enumerate(rows)),
        encoding="utf-8",
    )
    with advocacy.open(database) as ws:
        ws.import_file(reviews, kind="mentions")
        ws.text.analyze()
        ws.text.assign_themes(tmp_path / "taxonomy.yaml")
    findings, _ = _summary(database)
    themed = [finding for finding in findings if finding.subject == "theme Delivery"]
    assert len(themed) == 1
    assert "respondents whose comment mentions it" in themed[0].why  # the CSAT
    assert "rated reviews that mention it average 1.5 against 4.5" in themed[0].why  # the rating
