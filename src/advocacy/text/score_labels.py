"""The labels a workspace's own scores imply, and the sentiment calibration fitted on them.

A comment answered with a score says how its writer felt: NPS, else CSAT, else an overall
rating item (:data:`OVERALL_RATING_ITEMS`), else CES (high = easy), each on its own scale; a
review's rating on the scale of its import (:func:`~advocacy.text.mention_scales.mention_scales`).
Taught labels replace a score's for the same document. The selection runs as Ibis expressions
on the tables' engine
(Parquet on Spark), so ``advocacy text analyze`` calibrates the same model on either; the
labelled texts themselves come to the driver, where the calibration is fitted. A workspace's
own database (DuckDB or PostgreSQL) is asked the same selection in SQL
(:func:`workspace_labelled_texts`) while no label is taught: every ``text analyze`` asks it
before its workers can start, and Ibis costs about 0.3 CPU s to import and connect, which the
analysis then pays beside its workers rather than before them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from advocacy.text.calibration import CalibratedSentiment, label_from_scores
from advocacy.text.documents import (
    DOCUMENT_SOURCES,
    WHITESPACE,
    document_text_column,
    sql_document_text,
    sql_has_text,
)
from advocacy.text.mention_scales import mention_scales, scales_of
from advocacy.text.non_answers import is_non_answer
from advocacy.text.text_model import STATIC

if TYPE_CHECKING:
    from advocacy.store.connection import Database

#: Calibrate sentiment on the workspace from this many labelled comments (taught or scored):
#: from the first one, with a strength that grows with their number (see text.calibration).
MIN_CALIBRATION_LABELS = 1
#: Response items whose rating is the respondent's overall verdict (a review's stars).
#: "likely to recommend" and "overall experience" are the NHS Friends and Family Test's 5-point
#: answers in words (:data:`advocacy.ingest.questions.LIKELY_TO_RECOMMEND`, ``OVERALL_EXPERIENCE``).
OVERALL_RATING_ITEMS = (
    "rating", "stars", "star rating", "overall", "overall rating", "score", "likely to recommend",
    "overall experience",
)  # fmt: skip

Labels = dict[tuple[str, str], tuple[str, str]]
#: The columns :func:`score_labels` reads of each scored comment, in the order it unpacks them.
_SCORED = (
    "response_id", "comment", "nps", "csat", "csat_scale_min", "csat_scale_max",
    "ces", "ces_scale_min", "ces_scale_max", "rating", "rating_min", "rating_max",
)  # fmt: skip


def _bound(value: Any, default: float) -> float:
    return default if value is None or pd.isna(value) else float(value)


def _value(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def score_labels(responses: Any, items: Any = None, mentions: Any = None) -> Labels:
    """(kind, id) -> (text, label) for each comment whose scores imply a sentiment.

    Parameters
    ----------
    responses, items, mentions
        Ibis tables ``responses``, ``response_items`` and ``mentions`` (the last two may be
        None when there are none).

    Returns
    -------
    dict
        Keyed by ``("response" | "mention", id)``; see
        :func:`advocacy.text.calibration.label_from_scores` for the labels.
    """
    text = responses.comment
    scored = responses.filter(text.notnull() & (text.strip() != ""))
    scored = scored.mutate(comment=document_text_column(scored, DOCUMENT_SOURCES["response"]))
    columns = [
        "response_id", "comment", "nps", "csat", "csat_scale_min", "csat_scale_max",
        "ces", "ces_scale_min", "ces_scale_max",
    ]  # fmt: skip
    scored = scored.select(*columns).mutate(response_id=scored.response_id.cast("string"))
    if items is not None:
        overall = items.filter(
            (items.kind == "rating") & items.item.lower().isin(list(OVERALL_RATING_ITEMS))
        ).select(
            item_response=items.response_id.cast("string"),
            item=items.item,
            rating=items.value,
            rating_min=items.scale_min,
            rating_max=items.scale_max,
        )
        scored = scored.left_join(overall, scored.response_id == overall.item_response)
        scored = scored.drop("item_response")
    else:
        import ibis

        number = ibis.null("float64")
        scored = scored.mutate(
            item=ibis.null("string"), rating=number, rating_min=number, rating_max=number
        )
    answered = scored.nps.notnull() | scored.csat.notnull() | scored.ces.notnull()
    scored = scored.filter(answered | scored.rating.notnull())
    rows = scored.to_pandas().sort_values(["response_id", "item"], kind="stable")
    # Whole columns as lists: ``itertuples`` over arrow-backed columns cost a third of this
    # function on 12,000 scored comments, which every ``text analyze`` with new texts reads.
    found = _response_labels(zip(*(rows[name].tolist() for name in _SCORED), strict=True))
    if mentions is None:
        return found
    scales = mention_scales(mentions)
    written = mentions.text
    reviews = mentions.filter(
        mentions.rating.notnull() & written.notnull() & (written.strip() != "")
    )
    reviews = reviews.select(
        mention_id=reviews.mention_id.cast("string"),
        text=document_text_column(reviews, DOCUMENT_SOURCES["mention"]),
        rating=reviews.rating,
        source=reviews.source,
    )
    found.update(_mention_labels(reviews.to_pandas().itertuples(index=False), scales))
    return found


def _response_labels(rows: Iterable[Sequence[Any]]) -> Labels:
    """The labels of scored comments, from rows of the :data:`_SCORED` columns ordered by
    response and item (nulls last): a response's first row that gives a label gives it."""
    found: Labels = {}
    for row in rows:
        response_id, comment, nps, csat, csat_min, csat_max, ces, ces_min, ces_max = row[:9]
        rating, rating_min, rating_max = row[9:]
        key = ("response", str(response_id))
        if key in found:
            continue
        label = label_from_scores(
            _value(nps),
            _value(csat),
            csat_min=_bound(csat_min, 1),
            csat_max=_bound(csat_max, 5),
            rating=_value(rating),
            rating_min=_bound(rating_min, 1),
            rating_max=_bound(rating_max, 5),
            ces=_value(ces),
            ces_min=_bound(ces_min, 1),
            ces_max=_bound(ces_max, 7),
        )
        if label:
            found[key] = (str(comment), label)
    return found


def _mention_labels(
    reviews: Iterable[Sequence[Any]], scales: dict[str, tuple[float, float]]
) -> Labels:
    """The labels of rated reviews, from ``(mention_id, text, rating, source)`` rows, each
    rating read on its source's scale (:func:`~advocacy.text.mention_scales.mention_scales`)."""
    found: Labels = {}
    for mention_id, review, rating, source in reviews:
        if str(source) in scales:
            low, high = scales[str(source)]
            label = label_from_scores(rating=float(rating), rating_min=low, rating_max=high)
            if label:
                found[("mention", str(mention_id))] = (str(review), label)
    return found


def labelled_texts(
    responses: Any,
    *,
    items: Any = None,
    mentions: Any = None,
    taught: Any = None,
    documents: Any = None,
) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(kind, id) -> (text, label, taught) for every comment a calibration learns from.

    Score-derived labels (:func:`score_labels`), with a taught label replacing a score's for
    the same document. A non-answer ("N/A", "Nothing") says nothing of how its writer felt, and
    is read as no content, so its score labels no text; a taught label stands as the user gave
    it. The arguments are as for :func:`calibrate_on_tables`.
    """
    texts = _answered(score_labels(responses, items, mentions))
    if taught is not None and documents is not None:
        labels = taught.filter(taught.sentiment.notnull()).select(
            "document_kind", "document_id", "sentiment"
        )
        rows = labels.to_pandas()
        if len(rows):
            known = (
                documents.select("document_kind", "document_id", "text")
                .to_pandas()
                .set_index(["document_kind", "document_id"])["text"]
            )
            for kind, document_id, label in rows.itertuples(index=False):
                key = (str(kind), str(document_id))
                if key in known.index:
                    texts[key] = (str(known.loc[key]), str(label), True)
    return texts


def _answered(found: Labels) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """The score labels of texts that are not non-answers, marked not taught."""
    return {
        key: (text, label, False) for key, (text, label) in found.items() if not is_non_answer(text)
    }


def _scored_rows(db: Database) -> list[tuple[Any, ...]]:
    """Rows of the :data:`_SCORED` columns of every comment with a score or an overall rating,
    as :func:`score_labels` selects them, ordered as it reads them (by response, then item,
    nulls last)."""
    names = ", ".join("?" for _ in OVERALL_RATING_ITEMS)
    text, text_params = sql_document_text(db, DOCUMENT_SOURCES["response"])
    rows = db.fetchall(
        f"SELECT CAST(r.response_id AS TEXT), {text}, r.nps, r.csat, r.csat_scale_min, "
        "r.csat_scale_max, r.ces, r.ces_scale_min, r.ces_scale_max, o.value, o.scale_min, "
        "o.scale_max, o.item FROM responses r LEFT JOIN (SELECT CAST(response_id AS TEXT) AS "
        "item_response, item, value, scale_min, scale_max FROM response_items WHERE kind = "
        f"'rating' AND LOWER(item) IN ({names})) o ON CAST(r.response_id AS TEXT) = "
        f"o.item_response WHERE {sql_has_text(db, 'r.comment')} "
        "AND (r.nps IS NOT NULL OR r.csat IS NOT NULL OR r.ces IS NOT NULL "
        "OR o.value IS NOT NULL)",
        [*text_params, *OVERALL_RATING_ITEMS, WHITESPACE],
    )
    rows.sort(key=lambda row: (row[0], row[-1] is None, row[-1] or ""))
    return [row[:-1] for row in rows]


def _workspace_score_labels(db: Database) -> Labels:
    """:func:`score_labels` of a workspace's tables, in SQL on its own engine (no Ibis)."""
    found = _response_labels(_scored_rows(db))
    scales = scales_of(
        db.fetchall(
            "SELECT source, MIN(rating), MAX(rating) FROM mentions WHERE rating IS NOT NULL "
            "GROUP BY source"
        )
    )
    text, text_params = sql_document_text(db, DOCUMENT_SOURCES["mention"])
    reviews = db.fetchall(
        f"SELECT CAST(mention_id AS TEXT), {text}, rating, source FROM mentions WHERE rating IS "
        f"NOT NULL AND {sql_has_text(db, 'text')}",
        [*text_params, WHITESPACE],
    )
    found.update(_mention_labels(reviews, scales))
    return found


def workspace_labelled_texts(db: Database) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """:func:`labelled_texts` of a workspace's own tables: its answers, reviews and mentions
    with their scores, and the labels taught on its documents.

    While no sentiment label is taught, the same selection in SQL on the workspace's engine
    (DuckDB or PostgreSQL), without Ibis; a taught label's document is found by Ibis, as
    :func:`~advocacy.text.documents.document_table` finds documents.
    """
    from advocacy.text.documents import document_table

    if db.fetchone("SELECT 1 FROM text_labels WHERE sentiment IS NOT NULL LIMIT 1") is None:
        return _answered(_workspace_score_labels(db))
    table = db.ibis.table
    return labelled_texts(
        table("responses"),
        items=table("response_items"),
        mentions=table("mentions"),
        taught=table("text_labels"),
        documents=document_table(table),
    )


def calibrate_on_tables(
    responses: Any,
    *,
    items: Any = None,
    mentions: Any = None,
    taught: Any = None,
    documents: Any = None,
    minimum: int = MIN_CALIBRATION_LABELS,
    model: str = STATIC,
) -> CalibratedSentiment | None:
    """The sentiment calibration from scored comments and taught labels, on any engine.

    Uses every label from the first (a taught label replaces a score's for the same document);
    None with fewer than ``minimum``. With labels of one class only, the calibration adjusts
    the model's prior (no head: a head needs two classes); see
    :class:`advocacy.text.calibration.CalibratedSentiment` for how the labels are used.

    Parameters
    ----------
    responses, items, mentions
        Ibis tables ``responses``, ``response_items`` and ``mentions`` (None: there are none).
    taught, documents
        The ``text_labels`` table and the documents
        (:func:`advocacy.text.documents.document_table`) its labels name; None: no taught labels.
    minimum
        Fewest labels to calibrate on.
    model
        The ``text_model`` setting value whose reading is calibrated.

    Returns
    -------
    CalibratedSentiment or None
        Fitted on the labels, or None with fewer than ``minimum``.
    """
    texts = labelled_texts(
        responses, items=items, mentions=mentions, taught=taught, documents=documents
    )
    if not texts or len(texts) < minimum:
        return None
    ordered = sorted(texts.items())
    origins = _label_sources(responses, mentions, documents)
    return CalibratedSentiment(text_model=model).fit(
        [text for _, (text, _, _) in ordered],
        [label for _, (_, label, _) in ordered],
        taught=[taught for _, (_, _, taught) in ordered],
        kinds=[kind for (kind, _), _ in ordered],
        # Within a kind, the sources it reads (chanscope), as the workspace's calibration.
        sources=[origins.get(key) for key, _ in ordered],
    )


def _label_sources(responses: Any, mentions: Any, documents: Any) -> dict[tuple[str, str], str]:
    """(kind, id) -> the source (a mention's platform; none for a kind without one) of each document
    that names one, from ``documents`` (:func:`~advocacy.text.documents.document_table`) when
    given, else from the ``responses`` and ``mentions`` tables."""
    import ibis

    from advocacy.text.documents import DOCUMENT_SOURCES

    frames = []
    if documents is not None:
        frames.append(documents.select("document_kind", "document_id", "document_source"))
    else:
        for kind, table in (("response", responses), ("mention", mentions)):
            source = DOCUMENT_SOURCES[kind]
            if table is not None and source.source_column is not None:
                frames.append(
                    table.select(
                        document_id=table[source.id_column].cast("string"),
                        document_source=table[source.source_column].cast("string"),
                    ).mutate(document_kind=ibis.literal(kind))
                )
    found: dict[tuple[str, str], str] = {}
    for frame in frames:
        rows = frame.filter(frame.document_source.notnull()).to_pandas()
        found.update(
            ((str(kind), str(key)), str(value))
            for kind, key, value in rows[
                ["document_kind", "document_id", "document_source"]
            ].itertuples(index=False)
        )
    return found
