"""Report section: what customers say and feel - sentiment, emotion, effort, themes and impact.

Uses the stored analysis (``advocacy text analyze`` / ``advocacy text discover-themes``) when the
workspace has one; otherwise analyses the texts in memory for the report (calibrated on the
workspace's scored comments, as ``text analyze`` would) without storing anything. Every quote
is PII-redacted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.errors import ParquetSourceError, UsageError
from advocacy.metrics.intervals import wilson_interval
from advocacy.report.section import ReportScope, Section, chart_svg, remembered, table_html
from advocacy.report.sections.quote_captions import quote_caption
from advocacy.report.sections.text_coverage import read_mix, reasons, unread_note
from advocacy.report.sections.theme_findings import OUTCOME_NAMES, stored_themes
from advocacy.report.sections.theme_scores import (
    READ_FOR_SENTIMENT,
    ScoreMix,
    band_words,
    mostly_unread,
    score_line,
    score_mixes,
    scored_labels,
)
from advocacy.report.sections.theme_source_words import sources_words
from advocacy.text.calibration_report import kept_calibration_note
from advocacy.text.emotion import EMOTIONS, clear_emotion
from advocacy.text.enrich import load_documents
from advocacy.text.language import SENTIMENT_LANGUAGES
from advocacy.text.pii import redact
from advocacy.text.quote_choice import says_something
from advocacy.text.quote_text import shown_quote
from advocacy.text.sentiment import SENTIMENTS
from advocacy.text.theme_ratings import RATING_COLUMNS, theme_rating_effects

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "What customers say and feel"


def _in_scope(documents: pd.DataFrame, scope: ReportScope) -> pd.DataFrame:
    at = pd.to_datetime(documents["at"], utc=True, errors="coerce")
    keep = pd.Series(True, index=documents.index)
    if scope.since is not None:
        keep &= at.dt.date >= scope.since
    if scope.until is not None:
        keep &= at.dt.date <= scope.until
    return documents[keep].reset_index(drop=True)


def _features(ws: Workspace, documents: pd.DataFrame) -> pd.DataFrame:
    stored = ws.text.features()
    documents = documents.assign(document_id=documents["document_id"].astype(str))
    if len(stored) >= len(documents):
        keys = ["document_kind", "document_id"]
        stored = stored.merge(reasons(ws), on=keys, how="left")
        return documents.merge(stored, on=keys, how="left")
    from advocacy.text.calibration_workspace import calibration
    from advocacy.text.documents import stored_languages
    from advocacy.text.enrich import analyze_texts

    computed = analyze_texts(
        [str(t) for t in documents["text"]],
        calibration(ws.db),
        language_prior=stored_languages(ws.db),  # as text analyze reads them
    )
    columns = ["sentiment", "sentiment_score", "emotions", "effort"]
    columns += ["language", "sentiment_reason"]
    return pd.concat([documents, computed[columns]], axis=1)


def scoped_documents(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """The scope's texts (``load_documents``), read once per report run."""
    return remembered(  # type: ignore[no-any-return]
        ("text-documents", scope), lambda: _in_scope(load_documents(ws.db), scope)
    )


def read_texts(ws: Workspace, scope: ReportScope) -> pd.DataFrame | None:
    """The scope's texts with their reading (stored, else analysed in memory for the report),
    once per report run; None when there is no text, or from a source whose texts are read
    elsewhere (Parquet on Spark)."""

    def compute() -> pd.DataFrame | None:
        documents = scoped_documents(ws, scope)
        if documents.empty or ws.unavailable("text_features") is not None:
            return None
        return _features(ws, documents)

    return remembered(("text-read", scope), compute)  # type: ignore[no-any-return]


#: Said under themes the report grouped itself: the web and the CLI show none of them.
UNSTORED_THEMES = Markup(
    "These themes were grouped for this report only: none are stored yet, so the web's Text "
    "page and <code>advocacy text themes</code> show none. <code>advocacy text "
    "discover-themes</code> groups and stores them (its themes may differ a little from these)."
)


#: Said when themes are stored but none has a text in the report's dates or unit.
STORED_ELSEWHERE = (
    "Themes are stored, but none has a text in this report's dates or unit; a report without "
    "--since, --until or --unit shows them."
)


def _stored_elsewhere(ws: Workspace, scope: ReportScope) -> bool:
    """Whether themes are stored but none has a text in ``scope``'s dates or unit."""
    narrowed = scope.since is not None or scope.until is not None or scope.unit is not None
    return (
        narrowed
        and stored_themes(ws, scope).empty
        and not stored_themes(ws, ReportScope(redact=scope.redact)).empty
    )


def _themes(
    ws: Workspace, scope: ReportScope, documents: pd.DataFrame, features: pd.DataFrame
) -> pd.DataFrame:
    # The stored themes of the report's dates and unit: the ones the summary's findings read.
    stored = stored_themes(ws, scope)
    if not stored.empty:
        return stored
    import ibis

    from advocacy.text.embeddings import default_embedder
    from advocacy.text.theme_listing import theme_effects
    from advocacy.text.themes import discover_themes

    texts = [str(t) for t in documents["text"]]
    sentiments = [None if pd.isna(label) else str(label) for label in features["sentiment"]]
    languages = features.get("language", pd.Series(None, index=features.index))
    found = discover_themes(
        texts,
        default_embedder().embed(texts),
        sentiments=sentiments,
        languages=[None if pd.isna(code) else str(code) for code in languages],
    )
    keys = list(
        zip(
            documents["document_kind"].astype(str),
            documents["document_id"].astype(str),
            strict=True,
        )
    )
    frame = pd.DataFrame(
        {
            "theme_id": [t.theme_id for t in found],
            "name": [t.label for t in found],
            "size": [t.size for t in found],
            "sentiment_mix": [t.sentiment_mix for t in found],
            "quotes": [t.quotes for t in found],
            "member_keys": [[keys[row] for row in t.members] for t in found],
        }
    )
    # Their effect on NPS, else on the survey's own CSAT or CES, over the report's answers, as
    # `text themes` measures a stored theme's (audit4: a CSAT survey's themes got none).
    links = pd.DataFrame(
        [
            (keys[row][1], theme.theme_id)
            for theme in found
            for row in theme.members
            if keys[row][0] == "response"
        ],
        columns=["document_id", "theme_id"],
    )
    chosen = ibis.memtable(
        pd.DataFrame(keys, columns=["document_kind", "document_id"], dtype=object)
    )
    return theme_effects(ws.db, frame, links, chosen=chosen, confidence=ws.settings.confidence)


def _emotions(value: Any) -> dict[str, float]:
    """A text's emotion scores: one JSON text (DuckDB, Parquet) or a mapping (Spark's map)."""
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list):  # a map column read as (key, value) pairs
        return dict(value)
    return {}


def _mix(record: Mapping[Any, Any]) -> dict[str, float]:
    mix = record.get("sentiment_mix")
    return mix if isinstance(mix, dict) else {}


def _impact_chart(
    themes: pd.DataFrame, outcome: str | None = None, *, confidence: float = 0.95
) -> Markup:
    """Each theme's effect with its interval (at ``confidence``, the listing's): on NPS, or
    with ``outcome`` (a metric of :data:`.theme_findings.OUTCOME_NAMES`) on the survey's own
    outcome, in points."""
    prefix = "" if outcome is None else "outcome_"
    columns = [f"{prefix}effect", f"{prefix}effect_low", f"{prefix}effect_high"]
    data = themes.dropna(subset=columns[:1])[["name", *columns]]
    data.columns = pd.Index(["name", "effect", "effect_low", "effect_high"])
    metric = "NPS" if outcome is None else OUTCOME_NAMES[outcome][0]
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "data": {"values": data.to_dict("records")},
        "encoding": {
            "y": {
                "field": "name",
                "type": "nominal",
                "sort": "x",
                "title": None,
                "axis": {"labelLimit": 0},
            }
        },
        "layer": [
            {
                "mark": "rule",
                "encoding": {
                    "x": {
                        "field": "effect_low",
                        "type": "quantitative",
                        "title": f"{metric} points",
                    },
                    "x2": {"field": "effect_high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True},
                "encoding": {"x": {"field": "effect", "type": "quantitative"}},
            },
        ],
    }
    interval = display.percent(confidence, 0)
    return chart_svg(
        spec, label=f"Each theme's effect on {metric} in points, with {interval} intervals"
    )


#: How many themes the report shows as cards, and the longest quote on a card.
CARDS, QUOTE_CHARS = 8, 220
#: The sentiment a writer's score must not imply for their comment to illustrate a theme's.
OPPOSITE = {"negative": "positive", "positive": "negative"}


def _dominant(mix: Mapping[str, float]) -> str | None:
    """The sentiment most of a theme's read texts carry, or None when most were not read."""
    shares, read = read_mix(mix)
    if read < READ_FOR_SENTIMENT:
        return None
    return max(shares, key=lambda name: shares[name])


def cut_quote(text: str) -> str:
    """``text`` PII-redacted, without its markup (:func:`~advocacy.text.quote_text.shown_quote`)
    and cut to :data:`QUOTE_CHARS` at a word, as cards quote it."""
    clean = shown_quote(redact(str(text)))
    if len(clean) > QUOTE_CHARS:
        clean = clean[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return clean


def theme_quotes(
    ws: Workspace,
    features: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    sentences: pd.DataFrame | None = None,
    per_theme: int = 2,
    scores: Mapping[tuple[str, str], str] | None = None,
) -> dict[str, list[tuple[str, str]]]:
    """Per theme, ``per_theme`` quotes whose sentiment is the theme's dominant one, each as
    (caption, text).

    When the theme is mostly negative (positive), the first quote is its most negative (most
    positive) sentence from ``sentences`` (``ws.text.theme_sentences``), captioned so: the
    sentence, not the whole comment. The rest are members of the theme (stored assignments, most
    confident first) whose sentiment is the dominant one, so a theme that is mostly complaints is
    never illustrated by praise. A theme found in memory (no stored assignments) keeps the
    representative quotes whose own sentiment matches. A comment whose writer's own score
    says the opposite (``scores``: :func:`.theme_scores.scored_labels`, e.g. five stars on a
    comment read as negative) is not shown as an example of the theme's sentiment. Each quote
    is captioned by what it is: the sentence, a comment read as the theme's sentiment, or a
    central comment of a theme most of whose texts were not read, so praise never sits under
    "Most negative sentence". Each is PII-redacted and cut to :data:`QUOTE_CHARS`.
    """
    sentiment = {
        (str(kind), str(doc)): (str(label), str(text))
        for kind, doc, label, text in zip(
            features["document_kind"],
            features["document_id"].astype(str),
            features["sentiment"],
            features["text"],
            strict=True,
        )
    }
    members: dict[str, list[tuple[str, str]]] = {}
    for theme_id, kind, doc in ws.text.theme_members():
        members.setdefault(theme_id, []).append((kind, doc))
    by_text = {text: label for label, text in sentiment.values()}
    best: dict[str, dict[Any, Any]] = {}
    if sentences is not None and not sentences.empty:
        best = {str(row["theme_id"]): row for row in sentences.to_dict("records")}
    chosen: dict[str, list[tuple[str, str]]] = {}
    for record in themes.to_dict("records"):
        theme_id, wanted = str(record["theme_id"]), _dominant(_mix(record))
        quotes: list[tuple[str, str]] = []
        sentence = best.get(theme_id, {}).get(f"{wanted}_sentence")
        if wanted in ("negative", "positive") and sentence:
            quotes.append((quote_caption("sentence", wanted, strongest=True), cut_quote(sentence)))
        opposite = OPPOSITE.get(wanted or "")
        texts = [
            found[1]
            for key in members.get(theme_id, [])
            if (found := sentiment.get(key))
            and wanted in (None, found[0])
            and (opposite is None or (scores or {}).get(key) != opposite)
        ]
        if not texts:
            texts = [
                str(q) for q in record.get("quotes") or [] if wanted in (None, by_text.get(str(q)))
            ]
        caption = quote_caption("central" if wanted is None else "comment", wanted)
        for text in texts:
            if len(quotes) >= per_theme:
                break
            clean = cut_quote(text)
            # A comment that holds a quote already shown (or is held by one) adds nothing, and
            # one of punctuation or markup alone ("??") says nothing.
            if (
                clean
                and says_something(clean)
                and not any(clean in quote or quote in clean for _, quote in quotes)
            ):
                quotes.append((caption, clean))
        chosen[theme_id] = quotes
    return chosen


def _bar(mix: Mapping[str, float], size: int) -> Markup:
    """The sentiment of a theme's read texts as a bar and in words, saying how many were read."""
    shares, read = read_mix(mix)
    if size == 0:
        return Markup("<p>No text mentions it.</p>")
    if not shares:
        return Markup("<p>No sentiment: none of its texts was read.</p>")
    spans = Markup()
    for name in ("negative", "neutral", "positive"):
        share = shares[name]
        if share > 0:
            spans += Markup('<span class="{}" style="width: {:.1f}%" title="{} {}"></span>').format(
                name, 100 * share, name, display.percent(share, 0)
            )
    words = ", ".join(
        f"{display.percent(shares[name], 0)} {name}" for name in ("negative", "neutral", "positive")
    )
    if read < 1:
        count = round(read * size)
        words += f" of the {display.number(count)} read ({display.percent(read, 0)} of its texts)"
    return Markup('<div class="bar" role="img" aria-label="{}">{}</div><p>{}</p>').format(
        words, spans, words
    )


def theme_cards(
    themes: pd.DataFrame,
    quotes: Mapping[str, list[tuple[str, str]]],
    scores: Mapping[str, ScoreMix] | None = None,
) -> Markup:
    """Each theme as a card: name, size, sentiment bar, effect with interval, two quotes.

    The effect is on NPS; without one, on the survey's own outcome (``outcome``: the share
    satisfied on a CSAT, easy on a CES), else on the reviews' rating, each named so.

    A theme most of whose texts were not read (a language the model does not read) also says
    what its writers' scores imply, from ``scores`` (:func:`.theme_scores.score_mixes`).
    """
    cards = Markup()
    for record in themes.to_dict("records"):
        bar = _bar(_mix(record), int(record["size"]))
        scored = (scores or {}).get(str(record["theme_id"]))
        if scored is not None and read_mix(_mix(record))[1] < READ_FOR_SENTIMENT:
            bar += score_line(scored)
        effect = record.get("effect")
        impact = (
            ""
            if display.missing(effect)
            else "NPS effect "
            + display.estimate(effect, record.get("effect_low"), record.get("effect_high"))
            + " points"
        )
        if not display.missing(record.get("nps_mentioning")):
            impact += (
                f" · NPS {display.number(record['nps_mentioning'], 0)} mentioning vs "
                f"{display.number(record['nps_not'], 0)} not"
            )
        elif str(record.get("outcome")) in OUTCOME_NAMES and not display.missing(
            record.get("outcome_effect")
        ):
            metric, reached = OUTCOME_NAMES[str(record["outcome"])]
            impact = (
                f"{metric} effect "
                + display.estimate(
                    record["outcome_effect"],
                    record["outcome_effect_low"],
                    record["outcome_effect_high"],
                )
                + f" points · {display.number(record['outcome_mentioning'], 0)}% "
                f"{reached.split(' (')[0]} mentioning vs "
                f"{display.number(record['outcome_not'], 0)}% not"
            )
        elif not display.missing(record.get("rating_effect")):
            impact = (
                "Rating effect "
                + display.estimate(
                    record["rating_effect"],
                    record["rating_effect_low"],
                    record["rating_effect_high"],
                )
                + f" · rated {display.number(record['rating_mentioning'], 1)} mentioning vs "
                f"{display.number(record['rating_not'], 1)} not"
            )
        said = Markup("").join(
            Markup("<p class='quote-caption'>{}</p><blockquote>{}</blockquote>").format(
                caption, quote
            )
            if caption
            else Markup("<blockquote>{}</blockquote>").format(quote)
            for caption, quote in quotes.get(str(record["theme_id"]), [])
        )
        size = int(record["size"])
        came = sources_words(record)  # how many by its keywords, how many by meaning alone
        cards += Markup('<div class="card"><h4>{}</h4><p>{} {}{}</p>{}<p>{}</p>{}</div>').format(
            record["name"],
            display.number(size),
            "text" if size == 1 else "texts",
            f": {came}" if came else "",
            bar,
            impact,
            said,
        )
    return Markup('<div class="cards">{}</div>').format(cards)


def _has_effects(themes: pd.DataFrame) -> bool:
    """Whether any theme has an effect on NPS (its writers gave an NPS)."""
    return "effect" in themes and bool(themes["effect"].notna().any())


def _outcome(themes: pd.DataFrame) -> str | None:
    """The survey's own outcome the themes have an effect on (no NPS): a metric of
    :data:`.theme_findings.OUTCOME_NAMES`, or None."""
    if "outcome_effect" not in themes or "outcome" not in themes:
        return None
    found = themes.loc[themes["outcome_effect"].notna(), "outcome"].dropna().astype(str)
    return next((name for name in found if name in OUTCOME_NAMES), None)


def themes_intro(
    shown: int,
    *,
    has_effects: bool,
    confidence: float,
    rating_effects: bool = False,
    outcome: str | None = None,
) -> str:
    """What the theme cards show: their effect on NPS, else on the survey's own ``outcome``
    (CSAT, CES), else on the reviews' rating, only when there is one to show, and which
    outcome was not tested.

    >>> themes_intro(3, has_effects=False, confidence=0.95).split(". ")[-1]
    'No effect was tested: too few of their writers gave an NPS, a CSAT, a CES or a rating.'
    >>> themes_intro(3, has_effects=False, confidence=0.95, outcome="csat").split(". ")[-1]
    'NPS was not tested: too few of their writers gave one.'
    """
    effect = ""
    if has_effects:
        effect = (
            f", their effect on NPS in points (the NPS of the respondents who mention the theme "
            f"minus that of the other respondents whose comment has content, with its "
            f"{confidence:.0%} interval)"
        )
    elif outcome is not None:
        metric, reached = OUTCOME_NAMES[outcome]
        effect = (
            f", their effect on {metric} in points (the share of the respondents who mention "
            f"the theme who {reached}, minus that of the other respondents whose comment has "
            f"content, with its {confidence:.0%} Newcombe interval)"
        )
    elif rating_effects:
        effect = (
            ", their effect on the reviews' rating (the mean rating of the rated reviews that "
            "mention the theme minus that of every other rated review with content, in a theme "
            "or in none, with its "
            f"{confidence:.0%} Welch interval)"
        )
    lead = (
        "The one theme: the sentiment of its texts"
        if shown == 1
        else (f"The {shown} largest themes: the sentiment of their texts")
    )
    return (
        f"{lead}{effect} and quotes, labelled "
        "by what they are: the theme's strongest sentence of its main sentiment, and comments "
        "that carry that sentiment (its most central ones when most of its texts were not "
        "read)."
        + (
            " Each interval is the theme's own, not corrected for the number of themes shown: "
            "among many themes, one may exclude 0 by chance."
            if effect
            else ""
        )
    ) + _untested(has_effects=has_effects, outcome=outcome, rating_effects=rating_effects)


def _untested(*, has_effects: bool, outcome: str | None, rating_effects: bool) -> str:
    """What the cards' effects were not tested on, said so rather than as "no effect"."""
    if has_effects:
        return ""
    if outcome is not None or rating_effects:
        return " NPS was not tested: too few of their writers gave one."
    return " No effect was tested: too few of their writers gave an NPS, a CSAT, a CES or a rating."


def scoped_theme_sentences(ws: Workspace, scope: ReportScope) -> pd.DataFrame | None:
    """Each theme's strongest sentences (once per report run), or None from a Parquet source:
    ranking sentences and redacting them with the workspace's identities needs the workspace
    database."""

    def compute() -> pd.DataFrame | None:
        try:
            return ws.text.theme_sentences(since=scope.since, until=scope.until)
        except ParquetSourceError:
            return None

    return remembered(("theme-sentences", scope), compute)  # type: ignore[no-any-return]


def _margin(counts: list[int], n: int, confidence: float) -> int:
    """The farthest an end of the Wilson interval of ``count / n`` lies from the share, over
    ``counts``, in whole points rounded up: each share is within that many points.

    >>> _margin([10, 0, 10], 20, 0.95), _margin([10, 0, 10], 20, 0.90)
    (21, 18)
    """
    shares = np.asarray(counts, dtype=float) / n
    found = wilson_interval(shares, n, confidence)
    farthest = np.maximum(shares - found.low, found.high - shares).max()
    return int(np.ceil(100 * farthest - 1e-9))


@dataclass(frozen=True)
class _KindShares:
    """What a kind's shares rest on: the texts read (sentiment and effort) with the counts of
    each share, and the texts with a clear emotion (the emotion shares) with theirs."""

    kind: str
    counts: list[int]
    read: int
    emotions: list[int]
    clear: int


def _margins_note(kinds: list[_KindShares], confidence: float) -> str:
    """Below the table, one note for every kind: how far its shares may be from the truth (the
    farthest end of their Wilson intervals, :func:`_margin`) and how many texts it read have
    no clear emotion.
    """
    margins = "; ".join(
        f"{shares.kind} {_margin(shares.counts, shares.read, confidence)}"
        + (
            f" (emotions {_margin(shares.emotions, shares.clear, confidence)})"
            if shares.clear
            else ""
        )
        for shares in kinds
    )
    unclear = "; ".join(
        f"{shares.kind} {display.number(shares.read - shares.clear)} of "
        f"{display.number(shares.read)} ({display.percent(1 - shares.clear / shares.read, 0)})"
        for shares in kinds
    )
    return (
        "How far each share may be from the truth, at most, in points "
        f"({display.percent(confidence, 0)} Wilson interval): {margins}. Texts read with no "
        f"clear emotion: {unclear}."
    )


def build(ws: Workspace, scope: ReportScope) -> Section:
    documents = scoped_documents(ws, scope)
    if documents.empty:
        return Section.absent(
            TITLE, "import comments, reviews or notes with text, then advocacy text analyze"
        )
    features = read_texts(ws, scope)
    if features is None:  # a Parquet source: the texts are analysed on Spark, not here
        return Section.absent(TITLE, str(ws.unavailable("text_features")))
    confidence = ws.settings.confidence
    rows: list[dict[str, Any]] = []
    unread: list[str] = []
    kind_shares: list[_KindShares] = []
    for kind, group in features.groupby("document_kind"):
        # Shares, emotions and effort are over the texts the model read; the rest are counted
        # by reason below the table (a language it does not read, a non-answer).
        read = group[group["sentiment"].notna()]
        counts = read["sentiment"].value_counts()
        # Each emotion's share is over the texts with a clear emotion; the others are counted.
        leading = pd.Series(
            [
                clear_emotion(_emotions(scores), sentiment)
                for scores, sentiment in zip(read["emotions"], read["sentiment"], strict=True)
            ],
            dtype=object,
        ).dropna()
        row: dict[str, Any] = {"document_kind": f"{kind}s", "n": len(group), "read": len(read)}
        if not read.empty:
            effortful = int((read["effort"] >= 0.5).sum())
            for name in ("negative", "neutral", "positive"):
                row[name] = display.percent(counts.get(name, 0) / len(read), 0)
            emotional = leading.value_counts()
            for name in EMOTIONS:
                row[name] = (
                    display.percent(emotional.get(name, 0) / len(leading), 0)
                    if len(leading)
                    else ""
                )
            row["effort"] = display.percent(effortful / len(read), 0)
            kind_shares.append(
                _KindShares(
                    f"{kind}s",
                    [*(counts.get(name, 0) for name in SENTIMENTS), effortful],
                    len(read),
                    [emotional.get(name, 0) for name in EMOTIONS],
                    len(leading),
                )
            )
        rows.append(row)
        note = unread_note(f"{kind}s", group)
        if note is not None:
            unread.append(note)
    body = Markup(
        "<p>Sentiment, emotion and effort of the texts the model read, by kind of document. "
        "Anger, joy, optimism and sadness are shares of the texts with a clear emotion; a text "
        "has none when its strongest emotion is weak or is not the one its sentiment expresses "
        "(a neutral text, or anger in a positive one). Below the table: how many have none, "
        "and how far each share may be from the truth (its Wilson interval).</p>"
    )
    body += table_html(
        rows,
        [
            ("document_kind", "Documents"),
            ("n", "Texts"),
            ("read", "Read"),
            ("negative", "Negative"),
            ("neutral", "Neutral"),
            ("positive", "Positive"),
            ("anger", "Anger"),
            ("joy", "Joy"),
            ("optimism", "Optimism"),
            ("sadness", "Sadness"),
            ("effort", "Texts that describe effort"),
        ],
    )
    notes_below = [_margins_note(kind_shares, confidence)] if kind_shares else []
    for note in [*notes_below, *unread]:
        body += Markup("<p class='note'>{}</p>").format(note)
    notes = []
    if ws.unavailable("themes", "document_themes") is None and _stored_elsewhere(ws, scope):
        # Stored themes, none with a text in the report's dates or unit: said so, rather than
        # themes grouped here beside a word that none are stored (review27 finding 18).
        themes = pd.DataFrame()
        body += Markup("<h3 id='themes'>Themes</h3><p>{}</p>").format(STORED_ELSEWHERE)
    elif ws.unavailable("themes", "document_themes") is None:
        try:
            themes = _themes(ws, scope, documents, features)
        except UsageError as error:  # too few texts to group: the rest of the report stands
            themes = pd.DataFrame()
            notes.append(f"No themes: {error.message}.")
    else:  # a Parquet source without themes: they are not discovered in the driver
        themes = pd.DataFrame()
        notes.append(str(ws.unavailable("themes", "document_themes")))
    if not themes.empty:
        shown = themes.head(CARDS)
        rated = False
        outcome = None if _has_effects(shown) else _outcome(shown)
        if not _has_effects(shown) and outcome is None:
            ratings = theme_rating_effects(
                ws.db, ws.settings.confidence, since=scope.since, until=scope.until, unit=scope.unit
            )
            rated = not ratings.empty and bool(ratings["theme_id"].isin(shown["theme_id"]).any())
            if rated:
                shown = shown.drop(columns=RATING_COLUMNS, errors="ignore").merge(
                    ratings, on="theme_id", how="left"
                )
        body += Markup("<h3 id='themes'>Themes</h3><p>{}</p>").format(
            themes_intro(
                len(shown),
                has_effects=_has_effects(shown),
                confidence=ws.settings.confidence,
                rating_effects=rated,
                outcome=outcome,
            )
        )
        if "member_keys" in themes:  # grouped here, in memory (see _themes)
            body += Markup("<p class='note'>{}</p>").format(UNSTORED_THEMES)
        if _has_effects(themes):
            body += _impact_chart(themes.head(15), confidence=ws.settings.confidence)
        elif outcome is not None:
            body += _impact_chart(themes.head(15), outcome, confidence=ws.settings.confidence)
        sentences = scoped_theme_sentences(ws, scope)
        members = (
            None
            if "member_keys" not in shown
            else [
                (str(theme_id), kind, document_id)
                for theme_id, keys in zip(shown["theme_id"], shown["member_keys"], strict=True)
                for kind, document_id in keys
            ]
        )
        # The writers' scores: to keep a quote from a writer whose own score says the
        # opposite, and for a theme mostly not read, what they imply (read once for both).
        labels = scored_labels(ws)
        unread_ids = set(mostly_unread(shown))
        found = ws.text.theme_members() if members is None and unread_ids else members or []
        if members is None and (scope.since is not None or scope.until is not None):
            # A window's stored themes count its texts only: so do their writers' scores.
            dated = set(
                zip(
                    documents["document_kind"].astype(str),
                    documents["document_id"].astype(str),
                    strict=True,
                )
            )
            found = [member for member in found if (str(member[1]), str(member[2])) in dated]
        scores = score_mixes((m for m in found if m[0] in unread_ids), labels)
        quotes = theme_quotes(ws, features, shown, sentences=sentences, scores=labels)
        body += theme_cards(shown, quotes, scores)
    return Section(
        title=TITLE,
        body=body,
        notes=[
            "Sentiment, emotion and complaint come from logistic heads shipped with advocacy, "
            "on a multilingual static embedding, trained on English tweets, Reddit comments, "
            "reviews and customer requests (tools/build_heads.py); texts in "
            f"{', '.join(SENTIMENT_LANGUAGES)} are read, others get no sentiment and are counted "
            "apart. "
            + kept_calibration_note(
                ws.db if ws.unavailable("text_calibration") is None else None,
                ws.settings.text_model,
            )
            + f" A writer's score labels their comment for the calibration ({band_words()}).",
            *notes,
        ],
    )
