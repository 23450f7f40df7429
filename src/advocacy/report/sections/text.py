"""Report section: what customers say and feel - sentiment, emotion, effort, themes and impact.

Uses the stored analysis (``advocacy text analyze`` / ``advocacy text discover-themes``) when the
workspace has one; otherwise analyses the texts in memory for the report (calibrated on the
workspace's scored comments, as ``text analyze`` would) without storing anything. Every quote
is PII-redacted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy.report.section import ReportScope, Section, chart_svg, table_html
from advocacy.text.catalogue import list_themes
from advocacy.text.embeddings import default_embedder
from advocacy.text.enrich import analyze_texts, calibration, load_documents
from advocacy.text.pii import redact
from advocacy.text.themes import discover_themes, theme_impact

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
    stored = pd.DataFrame(
        ws.db.fetchall(
            "SELECT document_kind, document_id, sentiment, sentiment_score, emotions, effort "
            "FROM text_features"
        ),
        columns=[
            "document_kind",
            "document_id",
            "sentiment",
            "sentiment_score",
            "emotions",
            "effort",
        ],
    )
    documents = documents.assign(document_id=documents["document_id"].astype(str))
    if len(stored) >= len(documents):
        return documents.merge(stored, on=["document_kind", "document_id"], how="left")
    computed = analyze_texts([str(t) for t in documents["text"]], calibration(ws.db))
    return pd.concat(
        [documents, computed[["sentiment", "sentiment_score", "emotions", "effort"]]], axis=1
    )


def _themes(ws: Workspace, documents: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    stored = list_themes(ws.db)
    if not stored.empty:
        return stored
    texts = [str(t) for t in documents["text"]]
    found = discover_themes(
        texts, default_embedder().embed(texts), sentiments=list(features["sentiment"].astype(str))
    )
    frame = pd.DataFrame(
        {
            "theme_id": [t.theme_id for t in found],
            "name": [t.label for t in found],
            "size": [t.size for t in found],
            "sentiment_mix": [t.sentiment_mix for t in found],
            "quotes": [t.quotes for t in found],
        }
    )
    responses = documents["document_kind"].eq("response") & documents["nps"].notna()
    if responses.sum() >= 10:
        flags = pd.DataFrame({t.theme_id: pd.Series(False, index=documents.index) for t in found})
        for theme in found:
            flags.loc[theme.members, theme.theme_id] = True
        impact = theme_impact(documents.loc[responses, "nps"].to_numpy(float), flags[responses])
        frame = frame.merge(impact.rename(columns={"theme": "theme_id"}), on="theme_id", how="left")
    return frame


def _mix(record: Mapping[Any, Any]) -> dict[str, float]:
    mix = record.get("sentiment_mix")
    return mix if isinstance(mix, dict) else {}


def _impact_chart(themes: pd.DataFrame) -> Markup:
    data = themes.dropna(subset=["effect"])[["name", "effect", "effect_low", "effect_high"]]
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 420,
        "data": {"values": data.to_dict("records")},
        "encoding": {"y": {"field": "name", "type": "nominal", "sort": "x", "title": None}},
        "layer": [
            {
                "mark": "rule",
                "encoding": {
                    "x": {"field": "effect_low", "type": "quantitative", "title": "NPS points"},
                    "x2": {"field": "effect_high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True},
                "encoding": {"x": {"field": "effect", "type": "quantitative"}},
            },
        ],
    }
    return chart_svg(spec, label="Each theme's effect on NPS in points, with 95% intervals")


def _sentences(ws: Workspace, scope: ReportScope, theme_ids: list[str]) -> Markup:
    """Each shown theme's most negative and most positive sentence (stored analysis only)."""
    quotes = ws.text.theme_sentences(since=scope.since, until=scope.until)
    quotes = quotes[quotes["theme_id"].isin(theme_ids)]
    found = quotes[["negative_sentence", "positive_sentence"]].notna().any(axis=1)
    if not found.any():
        analysed = ws.db.fetchone("SELECT count(*) FROM text_sentences")
        if quotes.empty or not analysed or not analysed[0]:
            return Markup(
                "<p>Run <code>advocacy text analyze</code> and assign themes to see each "
                "theme's most negative and most positive sentence.</p>"
            )
        return Markup("<p>No sentence of these themes reads clearly negative or positive.</p>")
    rows = [
        {
            "name": record["name"],
            "negative": record["negative_sentence"] or "",
            "negative_score": _score(record["negative_score"]),
            "positive": record["positive_sentence"] or "",
            "positive_score": _score(record["positive_score"]),
        }
        for record in quotes[found].to_dict("records")
    ]
    return Markup(
        "<p>The sentence that says the worst and the one that says the best about each theme, "
        "with its sentiment score (-1 to 1).</p>"
    ) + table_html(
        rows,
        [
            ("name", "Theme"),
            ("negative", "Most negative sentence"),
            ("negative_score", "Score"),
            ("positive", "Most positive sentence"),
            ("positive_score", "Score"),
        ],
    )


def _score(value: Any) -> str:
    return "" if value is None or value != value else f"{value:+.2f}"


def build(ws: Workspace, scope: ReportScope) -> Section:
    documents = _in_scope(load_documents(ws.db), scope)
    if documents.empty:
        return Section.absent(
            TITLE, "import comments, reviews or notes with text, then advocacy text analyze"
        )
    features = _features(ws, documents)
    mix = (
        features.groupby("document_kind")["sentiment"]
        .value_counts(normalize=True)
        .unstack(fill_value=0)
        .reindex(columns=["negative", "neutral", "positive"], fill_value=0)
        .mul(100)
        .reset_index()
    )
    emotion_rows: list[dict[str, Any]] = []
    for kind, group in features.groupby("document_kind"):
        parsed = pd.DataFrame(
            [json.loads(e) if isinstance(e, str) else {} for e in group["emotions"]]
        )
        means = parsed.mean().mul(100).round(1)
        emotion_rows.append({"document_kind": kind, **{str(k): v for k, v in means.items()}})
    high_effort = float((features["effort"] >= 0.5).mean() * 100)
    body = Markup("<p>Sentiment of every text (share in %), by kind of document:</p>")
    body += table_html(
        [{str(k): v for k, v in record.items()} for record in mix.to_dict("records")],
        [("document_kind", "Documents")]
        + [(c, c.capitalize()) for c in ("negative", "neutral", "positive")],
    )
    body += Markup("<p>Average emotion scores (%), anger, joy, optimism and sadness:</p>")
    body += table_html(
        emotion_rows,
        [
            ("document_kind", "Documents"),
            ("anger", "Anger"),
            ("joy", "Joy"),
            ("optimism", "Optimism"),
            ("sadness", "Sadness"),
        ],
    )
    body += Markup(
        "<p>{:.1f}% of texts describe effort (waiting, repeating, being passed around).</p>"
    ).format(high_effort)
    themes = _themes(ws, documents, features)
    if not themes.empty:
        rows = []
        for record in themes.head(15).to_dict("records"):
            quotes = record.get("quotes") or []
            effect = record.get("effect")
            rows.append(
                {
                    "name": record["name"],
                    "size": record["size"],
                    "sentiment": ", ".join(f"{k} {v:.0%}" for k, v in _mix(record).items()),
                    "nps": ""
                    if record.get("nps_mentioning") is None
                    or record.get("nps_mentioning") != record.get("nps_mentioning")
                    else f"{record['nps_mentioning']:.0f} vs {record['nps_not']:.0f}",
                    "effect": ""
                    if effect is None or effect != effect
                    else f"{effect:+.1f} "
                    f"[{record['effect_low']:+.1f}, {record['effect_high']:+.1f}]",
                    "quote": redact(quotes[0]) if quotes else "",
                }
            )
        body += Markup(
            "<h3>Themes</h3><p>NPS of respondents mentioning each theme vs not, and its "
            "effect in NPS points from a regression on all themes (95% interval).</p>"
        )
        body += table_html(
            rows,
            [
                ("name", "Theme"),
                ("size", "Texts"),
                ("sentiment", "Sentiment"),
                ("nps", "NPS mentioning vs not"),
                ("effect", "NPS points"),
                ("quote", "Example"),
            ],
        )
        if "effect" in themes and themes["effect"].notna().any():
            body += _impact_chart(themes.head(15))
        body += _sentences(ws, scope, [str(t) for t in themes["theme_id"].head(15)])
    return Section(
        title=TITLE,
        body=body,
        notes=[
            "Sentiment and emotion come from models shipped with advocacy (trained on TweetEval); "
            "sentiment is calibrated on this workspace's scored comments when there are enough.",
        ],
    )
