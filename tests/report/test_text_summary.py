"""A workspace with texts but no score gets an executive summary that says what the texts say
(review6, 7: reviews without stars got none): their volume, the sentiment mix of the texts read
with Wilson intervals, the largest themes and the largest complaint with a sentence read as
negative. Real reviews (MARC English, without their stars)."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pandas as pd
from scipy import stats

import advocacy
from advocacy import display
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import summary


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def test_texts_without_scores_get_a_summary_of_what_they_say(
    shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        # The file is sorted by stars: every 8th of the first 3,000 rows (1 to 3 stars), so
        # that complaints dominate; the stars are left out (reviews without a score).
        rows = list(csv.reader(handle))[:3000:8]
    path, notes = tmp_path / "reviews.csv", tmp_path / "notes.csv"
    reviews, noted = [row[1] for row in rows[:300]], [row[1] for row in rows[300:]]
    # Notes too (call notes have no score either), one of them hostile markup.
    noted[0] = "<script>alert(1)</script> " + noted[0]
    pd.DataFrame({"text": reviews, "platform": "store"}).to_csv(path, index=False)
    pd.DataFrame({"text": noted, "interviewer": "ana"}).to_csv(notes, index=False)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions", cases=False)
        ws.import_file(notes, kind="notes", cases=False)
        ws.text.analyze()
        ws.text.discover_themes(n_themes=6)
        features = ws.text.features()
        themes = ws.text.themes()
        sentences = ws.text.theme_sentences()
        with report_run():
            section = summary.build(ws, ReportScope())
    assert section.missing is None, section.missing
    body = _text(str(section.body))
    read = features["sentiment"].dropna()
    assert f"what the {len(rows)} texts say (300 reviews and posts, {len(noted)} notes)" in body
    assert "<script>" not in str(section.body)
    for name in ("negative", "neutral", "positive"):
        hits = int((read == name).sum())
        wilson = stats.binomtest(hits, len(read)).proportion_ci(0.95, method="wilson")
        low, high = wilson.low, wilson.high
        shown = display.share_estimate(hits / len(read), low, high)
        assert f"Read as {name} {shown} {len(read)} of {len(rows)} texts read" in body, body
    for name in themes.sort_values("size", ascending=False)["name"].head(3):
        assert f"“{name}”" in body
    # The largest complaint: the theme with the most texts read as negative, quoted by its
    # most negative sentence (a sentence read as negative), and a finding of the summary.
    negatives = {
        str(record["theme_id"]): record["sentiment_mix"].get("negative", 0) * record["size"]
        for record in themes.to_dict("records")
    }
    loudest = themes[themes["theme_id"] == max(negatives, key=lambda key: negatives[key])]
    name = str(loudest["name"].iloc[0])
    assert f"The largest complaint is “{name}”" in body
    assert f"Look into “{name}”, the largest complaint." in body
    quoted = re.search(
        r"Most negative sentence</p><blockquote>(.*?)</blockquote>", str(section.body)
    )
    assert quoted is not None
    wanted = sentences.loc[
        sentences["theme_id"] == loudest["theme_id"].iloc[0], "negative_sentence"
    ]
    assert html.unescape(quoted.group(1)).rstrip("…")[:60] in str(wanted.iloc[0])
    assert "No score (NPS, CSAT, CES or a rating) to show" in body


def test_an_undated_survey_is_not_said_to_have_no_score(shared_data: Path, tmp_path: Path) -> None:
    # NPS answers without a date have a score but no quarter, so no tile: the summary must
    # not claim there is no score (it says why there is no trend, as before).
    source = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[::25]
    nps = {1: 0, 2: 3, 3: 6, 4: 8, 5: 10}
    path = tmp_path / "survey.csv"
    pd.DataFrame(
        {"comment": [row[1] for row in rows], "nps": [nps[int(row[2])] for row in rows]}
    ).to_csv(path, index=False)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="responses", cases=False)
        ws.text.analyze()
        with report_run():
            section = summary.build(ws, ReportScope())
    said = section.missing or _text(str(section.body))
    assert "No score (NPS, CSAT, CES or a rating) to show" not in said
    assert "No answer carries a date" in said


def _marc(shared_data: Path, language: str, step: int) -> list[str]:
    source = shared_data / "text-corpora" / "marc-amazon-multi" / language / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        # The file is sorted by stars: rows 1 to 3,000 are one-star reviews.
        return [row[1] for row in list(csv.reader(handle))[1:3000:step]]


def _summary_of_mentions(texts: list[str], tmp_path: Path) -> tuple[str, pd.DataFrame]:
    path = tmp_path / "mentions.csv"
    pd.DataFrame({"text": texts, "platform": "store"}).to_csv(path, index=False)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions", cases=False)
        ws.text.analyze()
        ws.text.discover_themes(n_themes=5)
        themes = ws.text.themes()
        with report_run():
            section = summary.build(ws, ReportScope())
    assert section.missing is None, section.missing
    return _text(str(section.body)), themes


def test_unread_one_star_reviews_are_not_summed_up_as_all_well(
    shared_data: Path, tmp_path: Path
) -> None:
    # review9: 300 one-star Japanese reviews (a language the model does not read) were summed
    # up as "No theme is a clear complaint" and "Nothing in the texts calls for urgent action".
    body, themes = _summary_of_mentions(_marc(shared_data, "ja", 10), tmp_path)
    assert "Nothing in the texts calls for urgent action" not in body
    assert "No theme is a clear complaint" not in body
    assert (
        "0 of them were read for sentiment (not read: language not supported 300: ja 300)" in body
    )
    assert "Sentiment could not be read for any of the 300 texts" in body
    assert "Read as negative" not in body  # no share of nothing
    assert "Too few of the texts were read to tell whether anything in them calls for" in body
    # The unread themes are named, largest first.
    named = [
        f"“{name}” ({size} texts, none read)"
        for name, size in themes.sort_values("size", ascending=False, kind="stable")[
            ["name", "size"]
        ]
        .head(3)
        .itertuples(index=False)
    ]
    listed = body[body.index("The largest themes whose texts were mostly not read (5 of 5") :]
    places = [listed.index(words) for words in named]
    assert places == sorted(places), listed


def test_a_mixed_workspace_says_its_shares_are_of_the_read_share_only(
    shared_data: Path, tmp_path: Path
) -> None:
    japanese, english = _marc(shared_data, "ja", 10), _marc(shared_data, "en", 30)
    body, themes = _summary_of_mentions(japanese + english, tmp_path)
    assert (
        "These shares and the largest complaint are of the texts read only: 100 of 400 (25%). "
        "The other 300 could not be read and are in neither." in body
    )
    assert "Nothing in the texts calls for urgent action" not in body
    assert "No theme is a clear complaint" not in body
    assert "read as negative, the most among the texts read only." in body
    # The one finding is a count of complaints: no test ran (review9 item 3).
    assert "Only one finding passed its test" not in body
    assert (
        "With no score there was no change to test: the finding above is counted from the "
        "evidence, not tested." in body
    )
    for name in themes.sort_values("size", ascending=False)["name"].head(3):
        assert f"“{name}”" in body
