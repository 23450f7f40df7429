"""The report's sentiment mix is over the texts the model read, and says what it left out.

Audit finding 3: on the Olist reviews (Portuguese, a language the model does not read) the
report showed "2,562 texts: 80% positive" from ten English-looking words, and theme cards read
"0% negative, 0% neutral, 0% positive".
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections.text import CARDS, build
from advocacy.report.sections.text_coverage import read_mix, unread_note
from support.corpora import olist_reviews_with_stars

ENGLISH = [
    "The delivery was late and nobody answered my emails.",
    "Great product, arrived early and works perfectly.",
    "The staff were friendly and sorted it out quickly.",
    "Broken on arrival, I want a refund.",
]
NON_ANSWERS = ["n/a", "nothing", "-"]


def _olist_comments(shared_data: Path, count: int) -> list[str]:
    source = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        texts = [row["review_comment_message"] for row in csv.DictReader(handle)]
    long_enough = [text for text in texts if len(text.split()) >= 6]
    return long_enough[:count]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_mix_is_over_read_texts_with_the_rest_counted(shared_data: Path, tmp_path: Path) -> None:
    portuguese = _olist_comments(shared_data, 60)
    texts = portuguese + ENGLISH + NON_ANSWERS
    path = tmp_path / "mentions.csv"
    pd.DataFrame({"text": texts, "platform": "store"}).to_csv(path, index=False)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        stored = ws.text.features()
        section = build(ws, ReportScope())
    read = stored[stored["sentiment"].notna()]
    page = _text(str(section.body))
    row = re.search(r"mentions ([\d,]+) ([\d,]+) (\d+)% (\d+)% (\d+)%", page)
    assert row is not None, page
    assert int(row.group(1).replace(",", "")) == len(texts)
    assert int(row.group(2)) == len(read)
    shares = read["sentiment"].value_counts(normalize=True)
    for group, name in zip((3, 4, 5), ("negative", "neutral", "positive"), strict=True):
        assert int(row.group(group)) == round(100 * shares.get(name, 0.0))
    assert f"of {len(texts)} texts have no sentiment" in page
    assert "language not supported" in page and "pt " in page
    assert f"no content {len(NON_ANSWERS)}" in page
    assert "trained on TweetEval" not in page


def test_theme_without_read_texts_says_no_sentiment() -> None:
    assert read_mix({"no sentiment": 1.0}) == ({}, 0.0)
    shares, read = read_mix({"no sentiment": 0.75, "negative": 0.125, "positive": 0.125})
    assert read == 0.25 and shares == {"negative": 0.5, "neutral": 0.0, "positive": 0.5}


def test_note_counts_texts_not_analysed_yet() -> None:
    frame = pd.DataFrame({"sentiment": [None, "neutral"], "sentiment_reason": [None, None]})
    note = unread_note("notes", frame)
    assert note is not None and "not analysed yet" in note and "1 of 2" in note
    assert unread_note("notes", frame.iloc[1:]) is None


def test_theme_card_of_unread_texts_says_no_sentiment() -> None:
    from advocacy.report.sections.text import theme_cards

    themes = pd.DataFrame(
        {
            "theme_id": ["t1", "t2"],
            "name": ["prazo / entrega", "lannister / lindo"],
            "size": [184, 200],
            "sentiment_mix": [
                {"no sentiment": 1.0},
                {"no sentiment": 0.99, "negative": 0.005, "neutral": 0.005},
            ],
        }
    )
    cards = _text(str(theme_cards(themes, {})))
    assert "No sentiment: none of its texts was read." in cards
    assert "50% negative, 50% neutral, 0% positive of the 2 read (1% of its texts)" in cards
    assert "0% negative, 0% neutral, 0% positive" not in cards


def test_note_names_the_largest_languages_first() -> None:
    codes = ["de"] * 3 + ["fr"] * 3 + ["ja"] * 2 + ["es", "zh", "pl"]
    frame = pd.DataFrame(
        {"sentiment": None, "sentiment_reason": "language not supported", "language": codes}
    )
    note = unread_note("mentions", frame)
    assert note is not None
    assert "(language not supported 11: de 3, fr 3, ja 2, es 1, 2 more languages)" in note


def test_theme_card_of_unread_texts_says_what_their_stars_imply(
    shared_data: Path, tmp_path: Path
) -> None:
    # Audit 2, N7: reviews in a language the model does not read, each with its stars, gave
    # theme cards that said only "No sentiment"; the stars say how the writers felt.
    path = tmp_path / "reviews.csv"
    stars = olist_reviews_with_stars(shared_data, path, 300)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        ws.text.discover_themes()
        themes = ws.text.themes()
        members = ws.text.theme_members()
        section = build(ws, ReportScope())
    page = _text(str(section.body))
    assert "No sentiment: none of its texts was read." in page
    cards = re.findall(
        r"By their scores: (\d+)% negative, (\d+)% neutral, (\d+)% positive, "
        r"of the ([\d,]+) texts? with a score",
        page,
    )
    shown = themes.head(len(cards))
    assert len(cards) == min(len(themes), CARDS) and cards
    for (negative, neutral, positive, scored), theme_id in zip(
        cards, shown["theme_id"], strict=True
    ):
        given = [stars[doc] for theme, _, doc in members if theme == theme_id]
        assert int(scored.replace(",", "")) == len(given)
        for share, low, high in ((negative, 1, 2), (neutral, 3, 3), (positive, 4, 5)):
            expected = sum(low <= star <= high for star in given) / len(given)
            assert int(share) == round(100 * expected)


def test_a_comment_of_markup_alone_is_never_a_theme_quote(tmp_path: Path) -> None:
    # Review of the hostile lane: the report's whole-comment quotes skipped the test the
    # sentence quotes make, so a comment of markup alone could stand for a theme.
    from advocacy.report.sections.text import theme_quotes

    hostile, real = "<script>alert(1)</script>", "The refund never came and nobody answered."
    features = pd.DataFrame(
        {
            "document_kind": ["mention", "mention"],
            "document_id": ["1", "2"],
            "sentiment": ["negative", "negative"],
            "text": [hostile, real],
        }
    )
    themes = pd.DataFrame(
        {
            "theme_id": ["t1"],
            "sentiment_mix": [{"negative": 1.0}],
            "quotes": [[hostile, real]],
        }
    )
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        quotes = theme_quotes(ws, features, themes)
    assert quotes["t1"] == [("A comment read as negative", real)]
