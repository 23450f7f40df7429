"""The workspace's themes as listed: size, sentiment mix, quotes, effect and trend of each.

:func:`list_themes` reads what :mod:`advocacy.text.catalogue` stored (``themes``,
``document_themes``, ``text_features``) and adds each theme's effect on NPS, else on the
survey's own outcome (CSAT, else CES), and its change in the latest complete quarter. It
imports only what it reads: listing themes (the text page, ``advocacy text themes``) never
loads the models, the taxonomy's reading or the non-answer rules (whose patterns compile on
import) unless an answer was never analysed.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.documents import (
    DOCUMENT_SOURCES,
    check_kinds,
    chosen_documents,
    document_table,
    document_text_column,
    only_chosen,
    text_hash,
)
from advocacy.text.model_names import read_by_current_model
from advocacy.text.theme_sources import SOURCE_COLUMNS, theme_sources

__all__ = [
    "EMERGING_COLUMNS",
    "NO_CONTENT",
    "OUTCOMES",
    "OUTCOME_COLUMNS",
    "ThemeListing",
    "commented",
    "list_themes",
    "theme_effects",
]

#: The ``sentiment_reason`` ``text analyze`` stores for a non-answer
#: (:data:`advocacy.text.non_answers.NO_CONTENT`, not imported: its rules compile on import).
NO_CONTENT = "no content"


@dataclass(frozen=True)
class ThemeListing:
    """Themes with size, sentiment mix, quotes and NPS impact (when responses carry NPS)."""

    themes: pd.DataFrame


def list_themes(
    db: Database,
    *,
    origin: str | None = None,
    confidence: float = 0.95,
    within: str | None = None,
    today: date | None = None,
    min_n: int | None = None,
) -> pd.DataFrame:
    """Every stored theme with its size, sentiment mix, quotes and NPS impact.

    A curated theme also says how many of its texts its keywords gave it and how many meaning
    alone (:data:`~advocacy.text.theme_sources.SOURCE_COLUMNS`; None for a discovered one).
    Its central ``quotes`` are as stored (the customer's text: an export or the API carries
    them whole; pages show them with :func:`~advocacy.text.quote_text.shown_quote`).

    ``within`` is the SQL of a query of ``(document_kind, document_id)``: the documents to
    count (a filtered view). Sizes, sentiment mixes, NPS impacts and the emerging flags are
    then those of these documents, and themes none of them mention are left out.

    Without an NPS (fewer than 10 answers carry one), each theme's effect is on the survey's
    own outcome instead, CSAT else CES (:data:`OUTCOMES`), in ``outcome`` and
    :data:`OUTCOME_COLUMNS`. The change against the quarter before (:data:`EMERGING_COLUMNS`)
    is that of the latest complete quarter as of ``today`` with ``min_n`` texts
    (:func:`_emerging`).
    """
    # Read through Ibis, so the listing runs on any backend (a Parquet source on Spark too);
    # ``within`` is SQL, so a filtered listing needs a workspace database.

    table = functools.partial(steady_table, db)
    stored = table("themes")
    if origin is not None:
        stored = stored.filter(stored.origin == origin)
    themes: pd.DataFrame = stored.select(
        "theme_id", "name", "origin", "parent", "size", "keywords", "sentiment_mix", "quotes"
    ).to_pandas()
    if themes.empty:
        return themes
    chosen = chosen_documents(db, within)
    for column in ("keywords", "sentiment_mix", "quotes"):
        themes[column] = [json.loads(v) if isinstance(v, str) else v for v in themes[column]]
    assigned = only_chosen(table("document_themes"), chosen)
    links = (
        assigned.filter(assigned.document_kind == "response")
        .select("document_id", "theme_id")
        .to_pandas()
    )
    if chosen is not None:
        themes = _counted(assigned, themes)
    themes = _with_sources(themes, assigned)
    themes = theme_effects(db, themes, links, chosen=chosen, confidence=confidence)
    mixes, readings = _sentiment_mixes(db, chosen)
    # Which reading (the workspace's calibration, the model alone) made how many of the
    # sentiments in each mix: the calibration reads only the kinds of text it learnt.
    themes["sentiment_readings"] = pd.Series(
        [readings.get(str(theme_id), {}) for theme_id in themes["theme_id"]],
        index=themes.index,
        dtype=object,
    )
    themes["sentiment_mix"] = pd.Series(
        [
            mixes.get(theme_id, stored if isinstance(stored, dict) else {})
            for theme_id, stored in zip(themes["theme_id"], themes["sentiment_mix"], strict=True)
        ],
        index=themes.index,
        dtype=object,
    )
    themes = themes.merge(
        _emerging(db, chosen, today=today, min_n=min_n), on="theme_id", how="left"
    )
    return themes.sort_values(["origin", "size"], ascending=[True, False]).reset_index(drop=True)


#: The outcomes a theme is set against when the answers carry no NPS, first found first: the
#: metrics' own definitions (:data:`advocacy.metrics.catalogue.METRICS`), CSAT in its top two
#: boxes and CES in the easy third of its scale, each on the scale stored with the answer.
OUTCOMES = ("csat", "ces-easy")
#: The columns :func:`list_themes` adds for such an outcome (besides ``outcome``, its metric).
OUTCOME_COLUMNS = [
    "outcome_n_mentioning",
    "outcome_n_not",
    "outcome_mentioning",
    "outcome_not",
    "outcome_effect",
    "outcome_effect_low",
    "outcome_effect_high",
    "outcome_p_value",
]


def theme_effects(
    db: Database,
    themes: pd.DataFrame,
    links: pd.DataFrame,
    *,
    chosen: Any = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """``themes`` (with ``theme_id``) with each theme's effect on the answers' outcome: on NPS
    when at least 10 of the (``chosen``) answers carry one (:func:`theme_impact`'s columns),
    else on the survey's own outcome, CSAT else CES (``outcome`` and :data:`OUTCOME_COLUMNS`);
    unchanged when neither can be tested. ``links`` (``document_id``, ``theme_id``) says which
    answers mention which theme; the baseline is the other answers whose comment says
    something (:func:`commented`). ``chosen`` is an Ibis query of ``(document_kind,
    document_id)`` (:func:`~advocacy.text.documents.chosen_documents`), all answers when None.
    """
    import ibis

    from advocacy.text.themes import theme_impact

    table = functools.partial(steady_table, db)
    answers = table("responses").filter(lambda t: t.nps.notnull())
    answers = answers.select(
        document_kind=ibis.literal("response"),
        document_id=answers.response_id.cast("string"),
        nps=answers.nps,
        comment=document_text_column(answers, DOCUMENT_SOURCES["response"]),
    )
    responses = only_chosen(answers, chosen).select("document_id", "nps", "comment").to_pandas()
    if len(responses) < 10 or not len(links):
        # No NPS: the survey's own outcome, CSAT else CES (audit4: a CSAT survey got none).
        return _outcome_impact(table, chosen, themes, links, confidence)
    # Against the other commenters with content, themed or not (a taxonomy leaves some out).
    impact = theme_impact(
        responses["nps"].to_numpy(float),
        _answer_mentions(links, responses),
        commented=commented(table, responses),
        confidence=confidence,
    )
    return themes.merge(impact.rename(columns={"theme": "theme_id"}), on="theme_id", how="left")


def _outcome_impact(
    table: Any, chosen: Any, themes: pd.DataFrame, links: pd.DataFrame, confidence: float
) -> pd.DataFrame:
    """``themes`` with each theme's effect on the first of :data:`OUTCOMES` that at least 10
    of the (``chosen``) answers carry, in :data:`OUTCOME_COLUMNS` and ``outcome`` (the metric's
    name), from :func:`~advocacy.text.themes.theme_share_impact`; unchanged when none does or
    no answer is linked to a theme (``links``: ``document_id``, ``theme_id`` of the answers').
    Kept apart from the NPS columns, so that nothing shows a CSAT effect as an NPS one."""
    import ibis

    from advocacy.metrics.catalogue import METRICS
    from advocacy.metrics.slicing import _metric_parts
    from advocacy.text.themes import theme_share_impact

    answers = table("responses")
    if links.empty:
        return themes
    for name in OUTCOMES:
        valid, parts = _metric_parts(answers, METRICS[name])
        scored = answers.filter(valid).select(
            document_kind=ibis.literal("response"),
            document_id=answers.response_id.cast("string"),
            hit=parts["hits"].ifelse(1.0, 0.0),
            comment=document_text_column(answers, DOCUMENT_SOURCES["response"]),
        )
        frame = only_chosen(scored, chosen).select("document_id", "hit", "comment").to_pandas()
        if len(frame) < 10:
            continue
        impact = theme_share_impact(
            frame["hit"].to_numpy(float),
            _answer_mentions(links, frame),
            commented=commented(table, frame),
            confidence=confidence,
        )
        impact = impact.rename(
            columns={"theme": "theme_id", "share_mentioning": "mentioning", "share_not": "not"}
        )
        impact = impact.rename(
            columns={c: f"outcome_{c}" for c in impact.columns if c != "theme_id"}
        )
        impact.insert(1, "outcome", name)
        return themes.merge(impact, on="theme_id", how="left")
    return themes


def _answer_mentions(links: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Whether each of ``answers`` (rows: its ``document_id``, in order) mentions each theme of
    ``links`` (``document_id``, ``theme_id``)."""
    flags = _mentions([links["document_id"]], links["theme_id"])
    return flags.reindex(answers["document_id"].astype(str), fill_value=False)


def _mentions(keys: list[pd.Series], theme_ids: pd.Series) -> pd.DataFrame:
    """Whether each document (rows: its ``keys``, sorted) mentions each theme (columns: the
    ids, sorted): ``pd.crosstab(keys, theme_ids) > 0`` without crosstab's aggregation of every
    cell in Python (0.035 -> 0.005 CPU s on 3,000 reviews, warm)."""
    flags: pd.DataFrame = pd.get_dummies(theme_ids, dtype=bool).groupby(keys).max()
    flags.columns.name = theme_ids.name
    return flags


def commented(
    table: Any, responses: pd.DataFrame, kind: str = "response"
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each answer of ``responses`` (``document_id``, ``comment``; documents of
    ``kind``, e.g. ``"mention"`` with the review's text as ``comment``) says something, not
    "n/a" or "nothing": the verdict ``text analyze`` stored for a comment analysed as it reads
    now by the current model (its sentiment reason :data:`NO_CONTENT` or not), the non-answer
    rules (:func:`~advocacy.text.non_answers.non_answer_mask`) for any other (never analysed,
    changed since, or read by an older model, whose rules may have judged it otherwise until
    the next ``text analyze``). ``table`` looks a table up by name."""
    features = table("text_features")
    stored = (
        features.filter(features.document_kind == kind)
        .select("document_id", "text_hash", "sentiment_reason", "model")
        .to_pyarrow()
        .to_pylist()
    )
    verdicts = {
        str(row["document_id"]): (row["text_hash"], row["sentiment_reason"] == NO_CONTENT)
        for row in stored
        if read_by_current_model(row["model"])
    }
    comments = responses["comment"].tolist()
    commented = np.ones(len(comments), dtype=bool)
    unread = []
    for at, (document_id, comment) in enumerate(
        zip(responses["document_id"], comments, strict=True)
    ):
        verdict = verdicts.get(str(document_id))
        if verdict is not None and isinstance(comment, str) and text_hash(comment) == verdict[0]:
            commented[at] = not verdict[1]
        else:
            unread.append(at)
    if unread:
        from advocacy.text.non_answers import non_answer_mask

        commented[unread] = ~non_answer_mask([comments[at] for at in unread])
    return commented


def _counted(assigned: Any, themes: pd.DataFrame) -> pd.DataFrame:
    """``themes`` sized by the chosen documents linked to them (``assigned``: the document-theme
    links already kept to those documents); themes none of them mention are dropped."""
    sizes = (
        assigned.select("document_kind", "document_id", "theme_id")
        .distinct()
        .group_by("theme_id")
        .aggregate(n=lambda t: t.count())
        .to_pandas()
    )
    found = dict(zip(sizes["theme_id"].astype(str), sizes["n"].astype(int), strict=True))
    counted = themes.assign(size=[found.get(str(t), 0) for t in themes["theme_id"]])
    return counted[counted["size"] > 0].reset_index(drop=True)


def _with_sources(themes: pd.DataFrame, assigned: Any) -> pd.DataFrame:
    """``themes`` with how many of each curated theme's texts came by a keyword, by teaching,
    by meaning alone (:func:`~advocacy.text.theme_sources.theme_sources`): 0 for a curated
    theme none of whose texts are counted, None for a discovered one (a cluster has no
    keywords to come by)."""
    found = theme_sources(assigned).set_index("theme_id")
    curated = themes["origin"].astype(str) == "curated"
    for column in SOURCE_COLUMNS:
        themes[column] = pd.Series(
            [
                int(found[column].get(str(theme_id), 0)) if mine else None
                for theme_id, mine in zip(themes["theme_id"], curated, strict=True)
            ],
            index=themes.index,
            dtype=object,
        )
    return themes


def _sentiment_mixes(
    db: Database, chosen: Any = None
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, int]]]:
    """Theme id -> share of its texts per sentiment, from the current text features (of the
    ``chosen`` documents when given, see :func:`~advocacy.text.documents.chosen_documents`),
    and theme id -> how many of its sentiments each reading made
    (:func:`~advocacy.text.sentiment_readings.reading_of`: the calibration, the model alone,
    an older model)."""
    from advocacy.text.sentiment_readings import READINGS, reading_of
    from advocacy.text.themes import NO_SENTIMENT

    links = only_chosen(steady_table(db, "document_themes"), chosen)
    stored = steady_table(db, "text_features")
    # The reading's model, not the theme link's (document_themes has a model of its own).
    features = stored.select("document_kind", "document_id", "sentiment", read_with=stored.model)
    joined = links.join(
        features,
        [
            links.document_kind == features.document_kind,
            links.document_id == features.document_id,
        ],
    )
    rows = [
        (row["theme_id"], row["sentiment"], row["read_with"], int(row["n"]))
        for row in joined.group_by([joined.theme_id, joined.sentiment, joined.read_with])
        .aggregate(n=joined.count())
        .to_pyarrow()
        .to_pylist()
    ]
    counts: dict[str, dict[str, int]] = {}
    readings: dict[str, dict[str, int]] = {}
    for theme_id, label, model, count in rows:
        # A text with no sentiment (a non-answer, a language the model does not read).
        name = NO_SENTIMENT if label is None else str(label)
        found = counts.setdefault(str(theme_id), {})
        found[name] = found.get(name, 0) + int(count)
        reading = None if label is None else reading_of(model)
        if reading is not None:
            made = readings.setdefault(str(theme_id), {})
            made[reading] = made.get(reading, 0) + int(count)
    mixes = {
        theme_id: {
            label: round(count / sum(found.values()), 3)
            for label, count in sorted(found.items(), key=lambda item: -item[1])
        }
        for theme_id, found in counts.items()
    }
    ordered = {
        theme_id: {name: made[name] for name in READINGS if name in made}
        for theme_id, made in readings.items()
    }
    return mixes, ordered


#: The columns :func:`_emerging` gives each theme (besides ``theme_id``).
EMERGING_COLUMNS = ["quarter", "change_points", "change_low", "change_high", "emerging"]


def _emerging(
    db: Database, chosen: Any = None, *, today: date | None = None, min_n: int | None = None
) -> pd.DataFrame:
    """Per theme: its share of the texts (the ``chosen`` documents when given) in the latest
    complete quarter against the quarter before, in points with Newcombe's interval, and
    whether it rose beyond chance (:func:`~advocacy.text.themes.emerging_themes`, Holm).

    The quarter is the report's (:func:`advocacy.metrics.periods.latest_complete`): ended by
    ``today`` (UTC today when None), with texts up to its end and at least ``min_n`` of them
    (the settings' default when None); a quarter still under way would compare a few weeks
    with a whole quarter (audit4: Oct-Nov against Q3). ``quarter`` names it ("2026 Q3")."""
    from advocacy.display import period_label
    from advocacy.metrics.intervals import newcombe_difference
    from advocacy.metrics.periods import latest_complete
    from advocacy.text.themes import emerging_themes

    empty = pd.DataFrame(columns=["theme_id", *EMERGING_COLUMNS])
    documents = _dated(db)
    if chosen is not None:
        kept = chosen.to_pandas().drop_duplicates()
        documents = documents.astype({"document_id": str}).merge(
            kept, on=["document_kind", "document_id"]
        )
    at = pd.to_datetime(documents["at"], utc=True, errors="coerce")
    quarter = at.dt.tz_localize(None).dt.to_period("Q")
    if quarter.isna().all():
        return empty
    if min_n is None:
        from advocacy.settings import Settings

        min_n = int(Settings.model_fields["min_n"].default)
    counts = quarter.value_counts()
    latest = latest_complete(
        pd.DataFrame({"period": [q.start_time.date() for q in counts.index], "n": counts.values}),
        "quarter",
        today=today or datetime.now(UTC).date(),
        min_n=min_n,
        data_end=at.max().date(),
    )
    if latest is None:
        return empty
    latest_period = pd.Period(latest, "Q")
    documents = documents.assign(quarter=quarter, document_id=documents["document_id"].astype(str))
    links = (
        steady_table(db, "document_themes").select("document_kind", "document_id", "theme_id")
    ).to_pandas()
    if links.empty:
        return empty
    flags = _mentions([links["document_kind"], links["document_id"]], links["theme_id"])
    keyed = documents.set_index(["document_kind", "document_id"])
    flags = flags.reindex(keyed.index, fill_value=False)
    current = flags[(keyed["quarter"] == latest_period).to_numpy()]
    previous = flags[(keyed["quarter"] == latest_period - 1).to_numpy()]
    if current.empty or previous.empty:
        return empty
    table = emerging_themes(current, previous).rename(columns={"theme": "theme_id"})
    bounds = [
        newcombe_difference(
            int(current[theme].sum()), len(current), int(previous[theme].sum()), len(previous)
        )[1:]
        for theme in table["theme_id"]
    ]
    table["change_low"] = [100 * low for low, _ in bounds]
    table["change_high"] = [100 * high for _, high in bounds]
    table["quarter"] = period_label(latest, "quarter")
    return table[["theme_id", *EMERGING_COLUMNS]]


def _dated(db: Database) -> pd.DataFrame:
    """``document_kind``, ``document_id`` and ``at`` of every document
    :func:`~advocacy.text.documents.load_documents` returns, in its order, without the texts."""
    kinds = check_kinds(None)
    dated: pd.DataFrame = (
        document_table(functools.partial(steady_table, db), kinds)
        .select("document_kind", "document_id", "at")
        .to_pandas()
    )
    rank = dated["document_kind"].map({kind: i for i, kind in enumerate(kinds)})
    order = np.lexsort((dated["document_id"].astype(str).to_numpy(), rank.to_numpy()))
    return dated.iloc[order].reset_index(drop=True)
