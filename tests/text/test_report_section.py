"""The report's text section shows sentiment, emotion, effort, themes with quotes and impact."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections.text import build

ROWS = [
    ("Refund still not here after five weeks, call me on 07700 900123.", 1),
    ("Charged twice, on hold for an hour. My name is Jane Miller.", 2),
    ("Delivery next morning, lovely packaging.", 10),
    ("Friendly staff, sorted my exchange in minutes.", 9),
]


def _answers(folder: Path) -> Path:
    """Five copies of :data:`ROWS` as survey answers with an NPS and a comment."""
    path = folder / "responses.csv"
    lines = ["response_id,submitted_at,nps,comment"]
    for copy in range(5):
        for number, (text, nps) in enumerate(ROWS):
            lines.append(f'R{copy}{number},2024-05-0{1 + number}T09:00:00Z,{nps},"{text}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_section_on_a_small_workspace(duckdb_url: str, tmp_path: Path) -> None:
    path = _answers(tmp_path)
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="responses")
        section = build(ws, ReportScope())
    html = str(section.body)
    assert section.missing is None
    for heading in (
        "Negative",
        "Optimism",
        "describe effort",
        "mentioning vs",
        "NPS effect",
    ):
        assert heading in html
    assert "07700 900123" not in html and "Jane Miller" not in html  # quotes are redacted


def test_section_says_how_to_add_texts(duckdb_url: str) -> None:
    with advocacy.open(duckdb_url) as ws:
        section = build(ws, ReportScope())
    assert section.missing is not None and "advocacy text analyze" in section.missing


def test_themes_grouped_for_the_report_alone_say_so(duckdb_url: str, tmp_path: Path) -> None:
    # Without stored themes the report groups its own; it says the web shows none (audit4 L6),
    # and says nothing of the kind once themes are stored.
    path = _answers(tmp_path)
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="responses")
        grouped_here = str(build(ws, ReportScope()).body)
        ws.text.analyze()
        ws.text.discover_themes(n_themes=2)
        stored = str(build(ws, ReportScope()).body)
    assert "grouped for this report only" in grouped_here
    assert "<code>advocacy text discover-themes</code> groups and stores them" in grouped_here
    assert "grouped for this report only" not in stored and "Themes</h3>" in stored


def test_emotion_shares_are_over_texts_with_a_clear_emotion(
    duckdb_url: str, tmp_path: Path
) -> None:
    # Of the four answers, the refund is angry and the delivery joyful; the double charge and
    # the friendly staff carry no clear emotion (once read as anger 0.35 and 0.39, which made
    # the mean anger 33% and put anger on top of a positive answer: audit4 item 8).
    (html,) = _analysed_sections(duckdb_url, tmp_path, 0.95)
    head = "<th>Anger</th><th>Joy</th><th>Optimism</th><th>Sadness</th><th>Texts that"
    assert head in html
    # 20 responses read: anger 50%, joy 50% of the 10 with a clear emotion; 10 have none.
    assert "<td>50%</td><td>50%</td><td>0%</td><td>0%</td>" in html
    assert "shares of the texts with a clear emotion" in html
    # The emotion shares' margin: the farthest end of their 95% Wilson intervals on the 10
    # (0 of 10: 0-0.278, said 28 points).
    assert "(95% Wilson interval): responses 21 (emotions 28)." in html
    assert "Texts read with no clear emotion: responses 10 of 20 (50%).</p>" in html


def test_sentiment_shares_carry_intervals_at_the_workspaces_confidence(
    duckdb_url: str, tmp_path: Path
) -> None:
    # 20 answers read, 10 negative, 10 positive, none neutral; 10 describe effort (the refund
    # still not here after five weeks, on hold for an hour). The farthest interval end is a
    # half's: 10 of 20 is 0.327-0.673 at 90% (17.3, said 18 points: margins round up) and
    # 0.299-0.701 at 95% (20.1, said 21 points). The note names the setting.
    at_95, at_90 = _analysed_sections(duckdb_url, tmp_path, 0.95, 0.9)
    said = (
        "<p class='note'>How far each share may be from the truth, at most, in points ({} Wilson "
        "interval): responses {} (emotions"
    )
    assert said.format("95%", 21) in at_95
    assert said.format("90%", 18) in at_90


def _analysed_sections(url: str, folder: Path, *confidences: float) -> list[str]:
    """The section's HTML on :func:`_answers` analysed, at each confidence setting."""
    with advocacy.open(url) as ws:
        ws.import_file(_answers(folder), kind="responses")
        ws.text.analyze()
        found = []
        for confidence in confidences:
            ws.settings = ws.settings.updated(confidence=confidence)
            found.append(str(build(ws, ReportScope()).body))
    return found
