"""The labels a workspace's own scores imply, and the sentiment calibration fitted on them.

A comment answered with a score says how its writer felt: NPS, else CSAT, else an overall
rating item (:data:`OVERALL_RATING_ITEMS`), else CES (high = easy), each on its own scale; a
review's rating on the scale of its import (:func:`mention_scales`). Taught labels replace a
score's for the same document. The selection runs as Ibis expressions on the tables' engine (the
workspace's database, or Parquet on Spark), so ``advocacy text analyze`` calibrates the same
model on either; the labelled texts themselves come to the driver, where the calibration is fitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

from advocacy.text.calibration import CalibratedSentiment, label_from_scores
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
#: Possible tops of a mention's rating scale; the smallest that holds a source's ratings is it.
MENTION_SCALE_TOPS = (5, 7, 10, 100)

Labels = dict[tuple[str, str], tuple[str, str]]
#: The columns :func:`score_labels` reads of each scored comment, in the order it unpacks them.
_SCORED = (
    "response_id", "comment", "nps", "csat", "csat_scale_min", "csat_scale_max",
    "ces", "ces_scale_min", "ces_scale_max", "rating", "rating_min", "rating_max",
)  # fmt: skip


def mention_scales(mentions: Any) -> dict[str, tuple[float, float]]:
    """Per import (``source``), the scale its mentions' ratings come from.

    Mentions store a rating without its scale: the bottom is 0 when a 0 occurs, else 1; the top
    is the smallest of :data:`MENTION_SCALE_TOPS` that holds the largest rating (stars 1-5 are
    1-5). A source with ratings above 100 or below 0 is not read.
    """
    rated = mentions.filter(mentions.rating.notnull())
    ranges = (
        rated.group_by("source").aggregate(low=rated.rating.min(), high=rated.rating.max())
    ).to_pandas()
    scales = {}
    for source, low, high in ranges.itertuples(index=False):
        top = next((t for t in MENTION_SCALE_TOPS if high <= t), None)
        if top is not None and low >= 0:
            scales[str(source)] = (0.0 if low < 1 else 1.0, float(top))
    return scales


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
        number = ibis.null("float64")
        scored = scored.mutate(
            item=ibis.null("string"), rating=number, rating_min=number, rating_max=number
        )
    answered = scored.nps.notnull() | scored.csat.notnull() | scored.ces.notnull()
    scored = scored.filter(answered | scored.rating.notnull())
    rows = scored.to_pandas().sort_values(["response_id", "item"], kind="stable")
    found: Labels = {}
    # Whole columns as lists: ``itertuples`` over arrow-backed columns cost a third of this
    # function on 12,000 scored comments, which every ``text analyze`` with new texts reads.
    for row in zip(*(rows[name].tolist() for name in _SCORED), strict=True):
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
    if mentions is None:
        return found
    scales = mention_scales(mentions)
    written = mentions.text
    reviews = mentions.filter(
        mentions.rating.notnull() & written.notnull() & (written.strip() != "")
    ).select(mention_id=mentions.mention_id.cast("string"), text=written, rating=mentions.rating,
             source=mentions.source)  # fmt: skip
    for mention_id, review, rating, source in reviews.to_pandas().itertuples(index=False):
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
    texts = {
        key: (text, label, False)
        for key, (text, label) in score_labels(responses, items, mentions).items()
        if not is_non_answer(text)
    }
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


def workspace_labelled_texts(db: Database) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """:func:`labelled_texts` of a workspace's own tables: its answers, reviews and mentions
    with their scores, and the labels taught on its documents."""
    from advocacy.text.documents import document_table

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
    return CalibratedSentiment(text_model=model).fit(
        [text for _, (text, _, _) in ordered],
        [label for _, (_, label, _) in ordered],
        taught=[taught for _, (_, _, taught) in ordered],
    )
