"""The executive summary of a workspace whose evidence is texts alone: what the texts say.

A workspace of reviews without stars, social mentions or interview notes has no score to put on
a tile, yet its texts say how customers feel (review6, 7: such a report had no executive summary
at all). This part of the summary gives, for the report's scope:

- the volume: how many texts of each kind, and how many the model read (a language it does not
  read, or a non-answer, is counted apart);
- the sentiment mix of the texts read, one tile per sentiment, each share with its Wilson
  interval (Wilson 1927) on the texts read;
- the largest themes (stored ones: ``advocacy text discover-themes``) with the mix of each;
- the largest complaint (:func:`.theme_findings.largest_complaint`, the finding the summary
  lists) with its most negative sentence, captioned by the cards' rule
  (:func:`.quote_captions.quote_caption`).

Texts are read as the text section reads them (:func:`.text.read_texts`, shared within a run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.metrics.scores import share
from advocacy.report.section import ReportScope
from advocacy.report.sections.quote_captions import quote_caption
from advocacy.report.sections.text import cut_quote, read_texts, scoped_theme_sentences
from advocacy.report.sections.text_coverage import not_read, read_mix
from advocacy.report.sections.theme_findings import largest_complaint, stored_themes
from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = ["KIND_WORDS", "LARGEST_THEMES", "text_standing"]

#: What each kind of document is, in the plural.
KIND_WORDS = {
    "mention": "reviews and posts",
    "note": "notes",
    "response": "survey comments",
    "employee-response": "employee comments",
}
#: How many of the largest themes the summary names.
LARGEST_THEMES = 3


def _volume(features: pd.DataFrame) -> str:
    counts = features["document_kind"].astype(str).value_counts()
    return ", ".join(
        f"{display.number(int(count))} {KIND_WORDS.get(str(kind), str(kind))}"
        for kind, count in sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    )


def _theme_words(record: dict[Any, Any]) -> str:
    shares, read = read_mix(
        record["sentiment_mix"] if isinstance(record["sentiment_mix"], dict) else {}
    )
    size = int(record["size"])
    if not shares:
        return f"“{record['name']}” ({display.number(size)} texts, none read)"
    read_count = round(read * size)
    mix = ", ".join(f"{display.percent(shares[name], 0)} {name}" for name in SENTIMENTS)
    return (
        f"“{record['name']}” ({display.number(size)} texts; of the {display.number(read_count)} "
        f"read, {mix})"
    )


def _complaint(ws: Workspace, scope: ReportScope, themes: pd.DataFrame) -> Markup:
    loudest = largest_complaint(ws, themes)
    if loudest is None:
        return Markup(
            "<p>No theme is a clear complaint: none holds {} texts read as negative with most of "
            "its read texts negative.</p>"
        ).format(display.number(ws.settings.min_n))
    name, size = str(loudest["name"]), int(loudest["size"])
    shares, read = read_mix(loudest["sentiment_mix"])
    negatives = round(shares["negative"] * read * size)
    said = Markup(
        "<p>The largest complaint is “{}”: {} of its {} texts read as negative.</p>"
    ).format(name, display.number(negatives), display.number(size))
    sentences = scoped_theme_sentences(ws, scope)
    if sentences is not None and not sentences.empty:
        found = sentences[sentences["theme_id"].astype(str) == str(loudest["theme_id"])]
        if not found.empty and not display.missing(found.iloc[0]["negative_sentence"]):
            said += Markup("<p class='quote-caption'>{}</p><blockquote>{}</blockquote>").format(
                quote_caption("sentence", "negative", strongest=True),
                cut_quote(str(found.iloc[0]["negative_sentence"])),
            )
    return said


def text_standing(ws: Workspace, scope: ReportScope) -> Markup:
    """What the scope's texts say, for a summary with no score to show (see the module).

    Returns
    -------
    Markup
        The volume, one tile per sentiment with its interval, the largest themes and the
        largest complaint with a quote; empty when the scope holds no text or its texts are read
        elsewhere (a Parquet source).
    """
    from advocacy.report.sections.summary import tile_markup

    features = read_texts(ws, scope)
    if features is None or features.empty:
        return Markup()
    total = len(features)
    read = features["sentiment"].dropna().astype(str)
    why = not_read(features).dropna().astype(str).value_counts()
    left = "; ".join(f"{reason} {display.number(int(count))}" for reason, count in why.items())
    body = Markup(
        "<p class='standing'>No score (NPS, CSAT, CES or a rating) to show: what the {} texts "
        "say ({}). {} of them were read for sentiment{}. Each share is of the texts read, with "
        "its {:.0%} Wilson interval.</p>"
    ).format(
        display.number(total),
        _volume(features),
        display.number(len(read)),
        f" (not read: {left})" if left else "",
        ws.settings.confidence,
    )
    tiles = Markup()
    if len(read):
        for name in SENTIMENTS:
            result = share((read == name).to_numpy(), confidence=ws.settings.confidence)
            interval = display.estimate(result.score, result.ci_low, result.ci_high, suffix="%")
            tiles += tile_markup(
                f"Read as {name}",
                display.number(result.score, display.digits_for(result.ci_low, result.ci_high))
                + "%",
                interval[interval.find("[") :] if "[" in interval else "",
                "",
                f"{display.number(len(read))} of {display.number(total)} texts read",
            )
        body += Markup('<div class="tiles">{}</div>').format(tiles)
    themes = stored_themes(ws, scope)
    if themes.empty:
        body += Markup(
            "<p>No themes are stored (advocacy text discover-themes stores them); the section "
            "“What customers say and feel” groups the texts for this report.</p>"
        )
        return body
    largest = themes.sort_values("size", ascending=False, kind="stable").head(LARGEST_THEMES)
    body += Markup("<p>The largest themes: {}.</p>").format(
        "; ".join(_theme_words(record) for record in largest.to_dict("records"))
    )
    return body + _complaint(ws, scope, themes)
