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

Texts the model could not read (another language) are not evidence that all is well (review9:
300 one-star Japanese reviews were summed up as "Nothing in the texts calls for urgent
action"). With fewer than :data:`FEW_READ` texts read there are no shares; with less than
:data:`~.theme_scores.READ_FOR_SENTIMENT` of them read the tiles and the largest complaint are
said to be of the read share only, and neither "no clear complaint" nor "nothing urgent" is
claimed (:func:`read_enough`, which the summary asks). The largest themes mostly not read are
named by size, with what their writers' scores imply when they gave any
(:func:`.theme_scores.unread_score_mixes`).

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
from advocacy.report.sections.theme_scores import (
    FEW_READ,
    READ_FOR_SENTIMENT,
    mostly_unread,
    score_words,
    unread_score_mixes,
)
from advocacy.text.enrich import NOT_SUPPORTED
from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = ["KIND_WORDS", "LARGEST_THEMES", "read_enough", "text_standing"]

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


def _why_not_read(features: pd.DataFrame) -> str:
    """Why the unread texts were not read, by reason, a language's with its codes."""
    why = not_read(features)
    parts = []
    for reason, count in why.dropna().astype(str).value_counts().items():
        part = f"{reason} {display.number(int(count))}"
        if reason == NOT_SUPPORTED and "language" in features:
            codes = features.loc[why == reason, "language"].fillna("unknown").astype(str)
            counted = sorted(codes.value_counts().items(), key=lambda item: (-item[1], item[0]))
            part += ": " + ", ".join(f"{code} {display.number(int(n))}" for code, n in counted)
        parts.append(part)
    return "; ".join(parts)


def _enough(read: int, total: int) -> bool:
    return read >= FEW_READ and read >= READ_FOR_SENTIMENT * total


def read_enough(ws: Workspace, scope: ReportScope) -> bool:
    """Whether enough of the scope's texts were read for their words to stand for them: at
    least :data:`FEW_READ` texts and :data:`~.theme_scores.READ_FOR_SENTIMENT` of them (the
    cards' thresholds). The summary says "nothing in the texts calls for urgent action" only
    then."""
    features = read_texts(ws, scope)
    if features is None or features.empty:
        return False
    return _enough(int(features["sentiment"].notna().sum()), len(features))


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


def _unread_themes(ws: Workspace, themes: pd.DataFrame) -> Markup:
    """The largest themes mostly not read, by size, with what their writers' scores imply."""
    unread = set(mostly_unread(themes))
    if not unread:
        return Markup()
    chosen = themes[themes["theme_id"].astype(str).isin(unread)]
    largest = chosen.sort_values("size", ascending=False, kind="stable").head(LARGEST_THEMES)
    mixes = unread_score_mixes(ws, [str(theme_id) for theme_id in largest["theme_id"]])
    named = Markup()
    for record in largest.to_dict("records"):
        mix = mixes.get(str(record["theme_id"]))
        named += Markup("<li>{}{}</li>").format(
            _theme_words(record), "" if mix is None else ". " + score_words(mix)
        )
    return Markup(
        "<p>The largest themes whose texts were mostly not read ({} of {} themes), by size:"
        "</p><ul>{}</ul>"
    ).format(display.number(len(unread)), display.number(len(themes)), named)


def _complaint(ws: Workspace, scope: ReportScope, themes: pd.DataFrame, *, judged: bool) -> Markup:
    loudest = largest_complaint(ws, themes)
    if loudest is None and not judged:
        return Markup(
            "<p>Whether a theme is a clear complaint cannot be told: too few of the texts were "
            "read.</p>"
        )
    if loudest is None:
        return Markup(
            "<p>No theme is a clear complaint: none holds {} texts read as negative with most of "
            "its read texts negative.</p>"
        ).format(display.number(ws.settings.min_n))
    name, size = str(loudest["name"]), int(loudest["size"])
    shares, read = read_mix(loudest["sentiment_mix"])
    negatives = round(shares["negative"] * read * size)
    said = Markup(
        "<p>The largest complaint is “{}”: {} of its {} texts read as negative{}.</p>"
    ).format(
        name,
        display.number(negatives),
        display.number(size),
        "" if judged else ", the most among the texts read only",
    )
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
        The volume and why texts were not read, one tile per sentiment with its interval (counts
        only under :data:`FEW_READ` texts read), the largest themes read, the largest themes
        mostly not read, and the largest complaint with a quote; empty when the scope holds no
        text or its texts are read elsewhere (a Parquet source).
    """
    from advocacy.report.sections.summary import tile_markup

    features = read_texts(ws, scope)
    if features is None or features.empty:
        return Markup()
    total = len(features)
    read = features["sentiment"].dropna().astype(str)
    left = _why_not_read(features)
    judged = _enough(len(read), total)
    body = Markup(
        "<p class='standing'>No score (NPS, CSAT, CES or a rating) to show: what the {} texts "
        "say ({}). {} of them were read for sentiment{}.{}</p>"
    ).format(
        display.number(total),
        _volume(features),
        display.number(len(read)),
        f" (not read: {left})" if left else "",
        Markup(" Each share is of the texts read, with its {:.0%} Wilson interval.").format(
            ws.settings.confidence
        )
        if len(read) >= FEW_READ
        else "",
    )
    if len(read) >= FEW_READ:
        tiles = Markup()
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
        if not judged:
            body += Markup(
                "<p class='note'>These shares and the largest complaint are of the texts read "
                "only: {} of {} ({}). The other {} could not be read and are in neither.</p>"
            ).format(
                display.number(len(read)),
                display.number(total),
                display.percent(len(read) / total, 0),
                display.number(total - len(read)),
            )
    elif len(read):
        counts = ", ".join(
            f"{display.number(int((read == name).sum()))} {name}" for name in SENTIMENTS
        )
        body += Markup(
            "<p class='note'>Too few texts were read for shares (fewer than {}): of the {} "
            "read, {}.</p>"
        ).format(FEW_READ, display.number(len(read)), counts)
    if not len(read):
        body += Markup(
            "<p class='note'>Sentiment could not be read for any of the {} texts: nothing can "
            "be said here of how their writers feel, good or bad.</p>"
        ).format(display.number(total))
    themes = stored_themes(ws, scope)
    if themes.empty:
        body += Markup(
            "<p>No themes are stored (advocacy text discover-themes stores them); the section "
            "“What customers say and feel” groups the texts for this report.</p>"
        )
        return body
    unread = set(mostly_unread(themes))
    read_themes = themes[~themes["theme_id"].astype(str).isin(unread)]
    largest = read_themes.sort_values("size", ascending=False, kind="stable").head(LARGEST_THEMES)
    if not largest.empty:
        body += Markup("<p>The largest themes: {}.</p>").format(
            "; ".join(_theme_words(record) for record in largest.to_dict("records"))
        )
    body += _unread_themes(ws, themes)
    return body + _complaint(ws, scope, themes, judged=judged)
