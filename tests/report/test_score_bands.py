"""The rule that turns a score into a sentiment label, said the same way where it is used.

Review6: on a 1-10 scale the calibration labelled every rating of 1-6 negative (the NPS bands)
while the theme cards said "a rating's bottom two points negative". The cards now say the rule
in words made from the rule itself, and a reader can recount a card's mix from what it says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections.text import build
from advocacy.report.sections.theme_scores import band_words, bands
from advocacy.text.scale_sentiment import scale_label
from support.corpora import olist_reviews_with_stars


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_the_bands_are_the_labels_rule_point_by_point() -> None:
    for low, high in ((0, 10), (1, 5), (1, 7), (1, 10), (0, 4)):
        found = bands(low, high)
        for point in range(low, high + 1):
            label = scale_label(point, low, high)
            start, _, end = found[str(label)].partition("-")
            assert int(start) <= point <= int(end or start)
    assert "1-10: 1-6 / 9-10" in band_words()  # not "bottom two points"


def test_a_card_on_a_ten_point_scale_can_be_recounted_from_its_own_words(
    shared_data: Path, tmp_path: Path
) -> None:
    # Real Olist reviews (Portuguese: the model does not read them, so the cards give what the
    # ratings imply), their 1-5 stars doubled onto a 1-10 scale (2, 4, 6, 8, 10), as sites
    # that rate out of ten give them.
    path = tmp_path / "reviews.csv"
    stars = olist_reviews_with_stars(shared_data, path, 300)
    frame = pd.read_csv(path, dtype=str)
    frame["rating"] = frame["rating"].astype(int) * 2
    frame.to_csv(path, index=False)
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions", cases=False)
        ws.text.analyze()
        ws.text.discover_themes()
        members = ws.text.theme_members()
        themes = ws.text.themes()
        section = build(ws, ReportScope())
    page, notes = _text(str(section.body)), section.notes
    cards = re.findall(
        r"By their scores: (\d+)% negative, (\d+)% neutral, (\d+)% positive, "
        r"of the ([\d,]+) texts? with a score \((.*?)\)\.",
        page,
    )
    assert cards
    for (negative, neutral, positive, scored, rule), theme_id in zip(
        cards, themes["theme_id"], strict=False
    ):
        said = re.search(r"of 1-10: (\d+)-(\d+) / (\d+)-(\d+)", rule)
        assert said is not None, rule
        worst, positive_from = int(said.group(2)), int(said.group(3))
        given = [2 * stars[doc] for theme, _, doc in members if theme == theme_id]
        assert int(scored.replace(",", "")) == len(given)
        for share, inside in (
            (negative, [r <= worst for r in given]),
            (positive, [r >= positive_from for r in given]),
            (neutral, [worst < r < positive_from for r in given]),
        ):
            assert int(share) == round(100 * sum(inside) / len(given))
    # 6 of 10 is negative for the calibration and for the card alike, and the section's note
    # on the calibration says the same rule.
    assert scale_label(6, 1, 10) == "negative" and worst == 6
    assert any(f"({band_words()})" in note for note in notes)
