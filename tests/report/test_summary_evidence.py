"""The executive summary names what to act on, on real reviews (third audit, F7-F9).

F7: a survey whose comments are real product reviews (MARC English test rows, an NPS drawn
from each review's stars) had a theme lowering NPS by 27 points [-43, -8], yet the summary said
"nothing in the evidence calls for urgent action" and named no theme; the loop note said "turn
on case rules" when the rules were on and the evidence was older than the case window.
F8: a workspace of real reviews only (MARC en, de and fr with their stars) got no summary
("import survey answers"), theme cards promised an "effect on NPS", and the PDF's first page was
the title alone. F9: a five-star review was quoted under "Most negative sentence".
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import advocacy
from advocacy import display
from advocacy.report.build import render_report
from advocacy.report.pdf import html_to_pdf
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import summary
from advocacy.report.sections.loop import HOW_TO_ADD, no_cases_reason

MARC = ("text-corpora", "marc-amazon-multi")


def _marc(shared_data: Path, language: str, every: int, count: int) -> list[tuple[str, int]]:
    source = shared_data.joinpath(*MARC, language, "test.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        # Every n-th row: the file is sorted by stars.
        return [(row[1], int(row[2])) for row in list(csv.reader(handle))[::every][:count]]


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979), written out here to check against."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [0.0] * len(p_values), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def survey(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real reviews as survey comments, an NPS drawn from their stars, dated in 2025 (older
    than the case window), analysed and with discovered themes."""
    directory = tmp_path_factory.mktemp("survey")
    reviews = _marc(shared_data, "en", 10, 500)
    rng = np.random.default_rng(7)
    scores = [int(np.clip(2 * stars + rng.integers(-1, 1), 0, 10)) for _, stars in reviews]
    days = rng.integers(0, 180, len(reviews))
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i:04d}" for i in range(len(reviews))],
            "submitted_at": [
                (pd.Timestamp("2025-04-01") + pd.Timedelta(days=int(d))).strftime("%Y-%m-%d")
                for d in days
            ],
            "nps": scores,
            "comment": [text for text, _ in reviews],
        }
    )
    frame.to_csv(directory / "survey.csv", index=False)
    url = directory / "w.duckdb"
    with advocacy.open(url) as ws:
        ws.import_file(directory / "survey.csv", kind="responses")
        ws.text.analyze()
        ws.text.discover_themes(n_themes=8)
    return url


def test_summary_names_each_theme_that_lowers_nps_beyond_chance(survey: Path) -> None:
    with advocacy.open(survey) as ws, report_run():
        themes = ws.text.themes()
        body = _text(str(summary.build(ws, ReportScope()).body))
        loop_note = no_cases_reason(ws)
    tested = themes.dropna(subset=["p_value", "effect"])
    adjusted = np.array(holm([float(p) for p in tested["p_value"]]))
    lowering = tested[(adjusted < 0.05) & (tested["effect_high"] < 0)]
    # The reviews of one and two stars (NPS 0-4) gather in themes whose effect is real.
    assert not lowering.empty
    for _, theme in lowering.iterrows():
        interval = display.estimate(theme["effect"], theme["effect_low"], theme["effect_high"])
        assert f"Find out what lies behind “{theme['name']}” and act on it." in body
        assert f"{interval} points" in body
        assert f"mentions it ({display.number(int(theme['n_mentioning']))})" in body
    assert f"Holm-corrected over the {len(tested)} themes tested" in body
    # Themes that do not lower NPS beyond chance are not named as such.
    for _, theme in tested[~tested.index.isin(lowering.index)].iterrows():
        assert f"Find out what lies behind “{theme['name']}”" not in body
    # The largest complaint by volume is named (on its own, or inside its NPS finding).
    negatives = themes["sentiment_mix"].map(lambda mix: mix.get("negative", 0.0)) * themes["size"]
    loudest = themes.loc[negatives.idxmax(), "name"]
    assert f"“{loudest}”" in body
    assert "the most of any theme among the texts read" in body
    assert "nothing in the evidence calls for urgent action" not in body
    # The case rules are on and every answer is older than the window: the note says so.
    assert "the case rules are on (" in loop_note and "older than 30 days" in loop_note
    assert "advocacy cases open --since DATE (e.g. --since 2025-" in loop_note
    assert "turn on case rules" not in loop_note


def test_loop_note_asks_to_turn_rules_on_only_when_none_is(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("response_id,submitted_at,nps\nR1,2025-01-05,3\n", encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n", encoding="utf-8")
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="responses")
        assert "the case rules are on" in no_cases_reason(ws)
        ws.cases.load_rules(rules)
        assert no_cases_reason(ws) == HOW_TO_ADD


@pytest.fixture(scope="module")
def reviews(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Real reviews only, English, German and French with their stars, dated over 2025."""
    directory = tmp_path_factory.mktemp("reviews")
    # Mostly English (the language the model reads), German and French beside it.
    sampled = {"en": (10, 500), "de": (33, 150), "fr": (33, 150)}
    rows = [
        (text, stars, language)
        for language, (every, count) in sampled.items()
        for text, stars in _marc(shared_data, language, every, count)
    ]
    rng = np.random.default_rng(3)
    days = rng.integers(0, 365, len(rows))
    frame = pd.DataFrame(
        {
            "review": [text for text, _, _ in rows],
            "stars": [stars for _, stars, _ in rows],
            "posted_at": [
                (pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(d))).strftime("%Y-%m-%d")
                for d in days
            ],
        }
    )
    frame.to_csv(directory / "reviews.csv", index=False)
    url = directory / "w.duckdb"
    with advocacy.open(url) as ws:
        ws.import_file(directory / "reviews.csv", kind="mentions")
        ws.text.analyze()
        ws.text.discover_themes(n_themes=8)
    return url, directory / "reviews.csv"


def test_reviews_only_summary_gives_the_rating_with_intervals(
    reviews: tuple[Path, Path],
) -> None:
    url, path = reviews
    frame = pd.read_csv(path)
    with advocacy.open(url) as ws, report_run():
        section = summary.build(ws, ReportScope())
    assert section.missing is None, section.missing
    body = _text(str(section.body))
    # The latest complete quarter is 2025 Q4; its reviews, computed here on their own.
    at = pd.to_datetime(frame["posted_at"])
    quarter = frame[(at >= "2025-10-01") & (at < "2026-01-01")]["stars"]
    before = frame[(at >= "2025-07-01") & (at < "2025-10-01")]["stars"]
    mean = quarter.mean()
    low, high = stats.t.interval(0.95, len(quarter) - 1, loc=mean, scale=stats.sem(quarter))
    tile = re.search(r"Review rating \(1-5\) (\S+) \[(\S+), (\S+)\] (.*?) ([\d,]+) reviews", body)
    assert tile is not None, body
    digits = display.digits_for(low, high)
    assert tile.group(1, 2, 3) == tuple(display.number(v, digits) for v in (mean, low, high))
    assert int(tile.group(5).replace(",", "")) == len(quarter)
    top, top_before = int((quarter >= 4).sum()), int((before >= 4).sum())
    # Welch's t (mean) and the pooled two-proportion z (top-two share), Holm over the two.
    p_mean = stats.ttest_ind(quarter, before, equal_var=False).pvalue
    pooled = (top + top_before) / (len(quarter) + len(before))
    spread = np.sqrt(pooled * (1 - pooled) * (1 / len(quarter) + 1 / len(before)))
    z = (top / len(quarter) - top_before / len(before)) / spread
    p_share = 2 * stats.norm.sf(abs(z))
    p_adjusted = holm([float(p_mean), float(p_share)])
    change = mean - before.mean()
    if p_adjusted[0] >= 0.05:
        assert tile.group(4) == f"no clear change ({display.signed(change, 2)})"
    else:
        assert tile.group(4).endswith("likely real")
    wilson = stats.binomtest(top, len(quarter)).proportion_ci(0.95, method="wilson")
    share_low, share_high = wilson.low, wilson.high
    shares = re.search(r"Reviews rated 4-5 (\d+)% \[(\d+)%, (\d+)%\]", body)
    assert shares is not None, body
    assert [int(x) for x in shares.group(1, 2, 3)] == [
        round(100 * top / len(quarter)),
        round(100 * share_low),
        round(100 * share_high),
    ]
    # The share's change is in points, as every CSAT and NPS change is: "+1.1 points".
    moved = re.search(r"Reviews rated 4-5 \S+ \[\S+, \S+\] (.*?) [\d,]+ reviews", body)
    assert moved is not None, body
    points = 100 * (top / len(quarter) - top_before / len(before))
    if p_adjusted[1] >= 0.05:
        assert moved.group(1) == f"no clear change ({display.signed(points, 1)} points)"
    else:
        assert moved.group(1) == (
            f"{display.change_word(points)} by {display.number(abs(points), 1)} points, likely real"
        )
    assert "2025 Q4" in body and "import survey answers" not in body


def test_reviews_only_report_promises_no_nps_and_quotes_fit_their_caption(
    reviews: tuple[Path, Path], tmp_path: Path
) -> None:
    url, path = reviews
    frame = pd.read_csv(path)
    stars = dict(zip(frame["review"].astype(str).str[:60], frame["stars"], strict=True))
    with advocacy.open(url) as ws:
        html = render_report(ws)
    pdf, _ = html_to_pdf(html)
    (tmp_path / "r.pdf").write_bytes(pdf)
    themes = html[html.index("id='themes'") : html.index("Methods and sources</h2>")]
    assert "NPS effect" not in themes and "effect on NPS in points" not in themes
    assert "NPS was not tested: too few of their writers gave one." in themes
    # Every quote says what it is; a comment shown for a negative theme is not a 4-5 star
    # review, nor one shown for a positive theme a 1-2 star one.
    quotes = re.findall(
        r"<p class='quote-caption'>(.*?)</p><blockquote>(.*?)</blockquote>", themes, re.S
    )
    assert quotes and themes.count("<blockquote>") == len(quotes)
    checked = 0
    for caption, quote in quotes:
        star = stars.get(quote.replace("&#39;", "'").replace("&#34;", '"')[:60])
        if star is None:
            continue
        checked += 1
        if caption == "A comment read as negative":
            assert star <= 3, quote
        if caption == "A comment read as positive":
            assert star >= 3, quote
    assert checked >= 3
    # The PDF's first page holds the title and the executive summary.
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Customer advocacy assessment" in first and "Executive summary" in first
    assert "Review rating (1-5)" in first


def test_reviews_that_got_worse_are_a_finding_and_undated_ones_a_rating_without_trend(
    shared_data: Path, tmp_path: Path
) -> None:
    # Real reviews: 2025 Q3 gets every 40th row of the file (all stars), Q4 the first rows
    # (the file is sorted by stars: ones and twos), so the top-two share collapses. Q4's are
    # written in its last week: reviews that stop earlier leave Q4 partial (metrics/periods.py).
    mixed = _marc(shared_data, "en", 40, 120)
    low = _marc(shared_data, "en", 1, 120)
    frame = pd.DataFrame(
        {
            "review": [text for text, _ in mixed + low],
            "stars": [stars for _, stars in mixed + low],
            "posted_at": ["2025-08-10"] * len(mixed) + ["2025-12-28"] * len(low),
        }
    )
    frame.to_csv(tmp_path / "dated.csv", index=False)
    frame.drop(columns=["posted_at"]).to_csv(tmp_path / "undated.csv", index=False)
    with advocacy.open(tmp_path / "dated.duckdb") as ws:
        ws.import_file(tmp_path / "dated.csv", kind="mentions")
    with advocacy.open(tmp_path / "dated.duckdb") as ws, report_run():
        findings = summary.collect_findings(ws, ReportScope())
        body = _text(str(summary.build(ws, ReportScope()).body))
    before = round(100 * (np.array([s for _, s in mixed]) >= 4).mean())
    now = round(100 * (np.array([s for _, s in low]) >= 4).mean())
    assert findings[0].action == "Find out why reviews got worse and fix it."
    assert f"Reviews rated 4-5 fell from {before}% to {now}% in 2025 Q4" in findings[0].why
    assert "nothing in the evidence calls for urgent action" not in body
    with advocacy.open(tmp_path / "undated.duckdb") as ws:
        ws.import_file(tmp_path / "undated.csv", kind="mentions")
    with advocacy.open(tmp_path / "undated.duckdb") as ws, report_run():
        body = _text(str(summary.build(ws, ReportScope()).body))
    stars = frame["stars"]
    assert f"{display.number(len(stars))} reviews · all reviews, undated" in body
    assert "no dates: no trend" in body
    low, high = stats.t.interval(0.95, len(stars) - 1, loc=stars.mean(), scale=stats.sem(stars))
    digits = display.digits_for(low, high)
    shown = [display.number(value, digits) for value in (stars.mean(), low, high)]
    assert "Review rating (1-5) {} [{}, {}]".format(*shown) in body
    # Dated reviews too few for any quarter: every review, said so, and no trend.
    frame.iloc[::12].to_csv(tmp_path / "few.csv", index=False)
    with advocacy.open(tmp_path / "few.duckdb") as ws:
        ws.import_file(tmp_path / "few.csv", kind="mentions")
    with advocacy.open(tmp_path / "few.duckdb") as ws, report_run():
        body = _text(str(summary.build(ws, ReportScope()).body))
    assert "no complete quarter holds 30 of them" in body and "no quarter has 30: no trend" in body
    assert f"{len(frame.iloc[::12])} reviews · all reviews" in body


def test_reviews_only_summary_names_the_themes_that_lower_the_rating(
    reviews: tuple[Path, Path],
) -> None:
    url, path = reviews
    frame = pd.read_csv(path)
    with advocacy.open(url) as ws, report_run():
        themes = ws.text.themes().set_index("theme_id")
        members = ws.text.theme_members()
        ids = ws.db.ibis.table("mentions").select("mention_id", "rating").to_pandas()
        body = _text(str(summary.build(ws, ReportScope()).body))
        cards = _text(render_report(ws))
    rating = dict(zip(ids["mention_id"].astype(str), ids["rating"], strict=True))
    assert len(rating) == len(frame)
    inside: dict[str, set[str]] = {}
    for theme_id, _, document_id in members:
        inside.setdefault(theme_id, set()).add(str(document_id))
    # Against every other rated review with content, themed or not (review27 finding 13).
    with advocacy.open(url) as ws:
        features = ws.db.ibis.table("text_features").to_pandas()
    empty = set(features.loc[features["sentiment_reason"] == "no content", "document_id"])
    rated = set(rating) - {str(key) for key in empty}
    tested = []
    for theme_id, keys in inside.items():
        mine = np.array([rating[key] for key in keys])
        rest = np.array([rating[key] for key in rated - keys])
        welch = stats.ttest_ind(mine, rest, equal_var=False)
        low, high = welch.confidence_interval(0.95)
        tested.append((theme_id, mine.mean() - rest.mean(), low, high, welch.pvalue))
    adjusted = holm([p for *_, p in tested])
    named = 0
    for (theme_id, effect, low, high, _), p in zip(tested, adjusted, strict=True):
        name = themes.loc[theme_id, "name"]
        estimate = display.estimate(effect, low, high)
        if theme_id in themes.index[:8]:  # a card: its rating effect with Welch's interval
            assert f"{name} " in cards and f"Rating effect {estimate} ·" in cards
        if p < 0.05 and high < 0:
            named += 1
            assert f"Find out what lies behind “{name}” and act on it." in body
            others = len(rated - inside[theme_id])
            assert f"for the other {others} rated reviews with a text: {estimate} (" in body
        else:
            assert f"Find out what lies behind “{name}”" not in body
    assert named >= 1
    assert f"Holm-corrected over the {len(tested)} themes tested" in body
