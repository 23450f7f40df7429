"""A theme's effect on the reviews' rating compares its rated reviews with every other rated
review that has content, in a theme or in none, as a theme's NPS effect compares the other
commenters (review27 finding 13): with one theme the effect is still tested, its size does not
depend on which other themes the taxonomy holds, a review saying "n/a" is no comment, and the
summary's "What to do" says over which reviews its figure at stake is counted (finding 16e)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
from fastapi.testclient import TestClient
from scipy import stats

import advocacy
from advocacy import display
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import summary
from advocacy.report.sections.text import build

SIZING = [
    ("The dress runs small, I had to send it back for a larger size.", 1),
    ("Far too small in the shoulders, order a size up.", 2),
    ("The sizing is off: it runs small and tight.", 2),
    ("Runs small, the large fits like a medium.", 1),
    ("It runs small across the chest, sadly.", 2),
    ("Lovely colour but it runs small, size up.", 3),
]
PRICE = [
    ("The price is fair for the quality.", 4),
    ("Worth the price, I would pay it again.", 5),
    ("A good price for a sturdy coat.", 4),
]
OTHER = [
    ("Beautiful colour and soft fabric, I love it.", 5),
    ("Arrived quickly and looks great on.", 5),
    ("Lovely stitching, I wear it every week.", 4),
    ("My favourite purchase this year.", 5),
    ("Gorgeous pattern, many compliments.", 5),
    ("Soft, warm and well made.", 4),
]
EMPTY = [("n/a", 1), ("n/a", 1), ("nothing", 1)]


def _workspace(tmp_path: Path, themes: str) -> tuple[str, dict[str, float]]:
    rows = SIZING + PRICE + OTHER + EMPTY
    frame = pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(len(rows))],
            "text": [text for text, _ in rows],
            "rating": [stars for _, stars in rows],
            "platform": "shop",
        }
    )
    frame.to_csv(tmp_path / "reviews.csv", index=False)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(f"themes:\n{themes}", encoding="utf-8")
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(tmp_path / "reviews.csv", kind="mentions", cases=False)
        ws.text.analyze(taxonomy=taxonomy)
    return url, dict(zip(frame["mention_id"], frame["rating"].astype(float), strict=True))


def _expected(url: str, stars: dict[str, float], name: str) -> tuple[str, int, int, float]:
    """The Welch estimate of theme ``name`` against every other rated review with content."""
    with advocacy.open(url) as ws:
        ids = dict(zip(ws.text.themes()["name"], ws.text.themes()["theme_id"], strict=True))
        inside = {doc for theme, _, doc in ws.text.theme_members() if theme == ids[name]}
    empty = {f"m{i}" for i in range(len(stars) - len(EMPTY), len(stars))}
    assert not inside & empty
    outside = set(stars) - inside - empty
    mine = [stars[key] for key in inside]
    rest = [stars[key] for key in outside]
    welch = stats.ttest_ind(mine, rest, equal_var=False)
    interval = welch.confidence_interval(0.95)
    effect = float(np.mean(mine) - np.mean(rest))
    return display.estimate(effect, interval.low, interval.high), len(mine), len(rest), effect


def test_one_theme_is_set_against_every_other_rated_review_with_content(tmp_path: Path) -> None:
    url, stars = _workspace(tmp_path, "  - name: Sizing\n    keywords: [small, size]\n")
    estimate, inside, outside, _ = _expected(url, stars, "Sizing")
    assert inside >= 5 and outside >= 9
    with advocacy.open(url) as ws, report_run():
        report = re.sub(r"\s+", " ", html.unescape(str(build(ws, ReportScope()).body)))
        token = create_token(ws.db, role="analyst", name="ana").secret
    assert f"Rating effect {estimate}" in report, report[:3000]
    assert "too few of their writers gave" not in report.split("NPS was not tested")[0]
    assert "No effect was tested" not in report
    assert "The one theme: the sentiment of its texts" in report
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    assert f"Rating effect {html.escape(estimate)}" in page.text or (
        f"Rating effect {estimate}" in page.text
    )
    assert f"({inside} rated reviews)" in re.sub(r"\s+", " ", page.text)


def test_a_themes_effect_does_not_depend_on_the_other_themes(tmp_path: Path) -> None:
    url, stars = _workspace(
        tmp_path,
        "  - name: Sizing\n    keywords: [small, size]\n  - name: Price\n    keywords: [price]\n",
    )
    estimate, inside, outside, effect = _expected(url, stars, "Sizing")
    with advocacy.open(url) as ws, report_run():
        report = re.sub(r"\s+", " ", html.unescape(str(build(ws, ReportScope()).body)))
        findings = summary.collect_findings(ws, ReportScope())
    assert f"Rating effect {estimate}" in report
    themed = [finding for finding in findings if finding.subject == "theme Sizing"]
    assert len(themed) == 1, [finding.subject for finding in findings]
    assert f"for the other {outside} rated reviews with a text: {estimate}" in themed[0].why
    at_stake = abs(effect) * inside / (inside + outside)
    assert (
        f"the mean rating of the {inside + outside} rated reviews with a text would be about "
        f"{display.number(at_stake, 2)} higher"
    ) in themed[0].effect
