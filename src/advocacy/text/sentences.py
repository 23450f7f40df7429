"""Sentiment per sentence: each sentence of each analysed document, located by its offsets.

Rows live in ``text_sentences`` (migration 0006): a document's sentences are written together
with its ``text_features`` row by ``advocacy text analyze`` and replaced when it is analysed
again. The sentence text itself is not stored; :func:`sentence_rows` slices it from the
document and redacts it for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.store.connection import Database
from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.documents import DOCUMENT_SOURCES, check_kinds, sql_document_text
from advocacy.text.sentiment import reading_sentiment, sentence_spans
from advocacy.text.text_model import STATIC, Reading, text_model

SENTENCE_TYPES = {
    "document_kind": "TEXT",
    "document_id": "TEXT",
    "sentence_index": "INTEGER",
    "start_offset": "INTEGER",
    "end_offset": "INTEGER",
    "sentiment": "TEXT",
    "sentiment_score": "DOUBLE PRECISION",
    "model": "TEXT",
    "analysed_at": "TIMESTAMPTZ",
}


def analyze_sentences(
    texts: Sequence[str],
    calibrated: CalibratedSentiment | None = None,
    *,
    model: str = STATIC,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sentiment of each sentence of each text, by the model that labels whole texts.

    One row per sentence: ``text_index`` (position in ``texts``), ``sentence_index``,
    ``start_offset`` and ``end_offset`` (character offsets into the text), ``sentiment``,
    ``sentiment_score`` and ``model``. ``documents`` (:func:`advocacy.text.enrich.analyze_texts`
    of the same texts, same model) saves reading a one-sentence text twice, and its
    ``sentiment_reason`` leaves out the texts the model did not read.

    Parameters
    ----------
    texts
        The texts.
    calibrated
        A sentiment head calibrated on the workspace's scored comments (None: the model's own).
    model
        The ``text_model`` setting value.
    documents
        :func:`~advocacy.text.enrich.analyze_texts` of the same texts and model, when at hand.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, texts in order.

    Examples
    --------
    >>> analyze_sentences(["Great staff. Awful wait."])["sentiment"].tolist()  # doctest: +SKIP
    ['positive', 'negative']
    """
    # Documents the model did not read (non-answers, unsupported languages) have no sentences.
    unread = (
        documents["sentiment_reason"].notna().to_numpy()
        if documents is not None and "sentiment_reason" in documents
        else np.zeros(len(texts), dtype=bool)
    )
    found = read_sentences(texts, unread, model=model, one_sentence_known=documents is not None)
    return complete_sentences(found, calibrated, documents)


@dataclass(frozen=True)
class SentenceReading:
    """The part of :func:`analyze_sentences` that needs no calibration: where each sentence
    is, and the model's reading of those it must read (see :func:`read_sentences`)."""

    #: ``text_index``, ``sentence_index``, ``start_offset`` and ``end_offset``, one row each.
    frame: pd.DataFrame
    #: The sentences that are a whole text (their sentiment is the document's).
    whole: NDArray[np.bool_]
    #: The other sentences, in order, and the model's reading of them (None: there are none).
    parts: list[str]
    reading: Reading | None


def read_sentences(
    texts: Sequence[str],
    unread: NDArray[np.bool_],
    *,
    model: str = STATIC,
    one_sentence_known: bool = True,
) -> SentenceReading:
    """The sentences of ``texts`` and the model's reading of those not already read whole.

    What :func:`complete_sentences` completes, with or without a calibration (``text analyze``
    reads it before the calibration is fitted).

    Parameters
    ----------
    texts
        The texts.
    unread
        One flag per text: True for a text the model does not read (no sentences).
    model
        The ``text_model`` setting value.
    one_sentence_known
        Whether a text that is one sentence takes its document's sentiment (then that sentence
        is not read, and :func:`complete_sentences` needs the documents); False reads every
        sentence.

    Returns
    -------
    SentenceReading
        Where each sentence is, which are whole texts, and the reading of the others.
    """
    spans = [[] if skip else sentence_spans(text) for text, skip in zip(texts, unread, strict=True)]
    rows = [
        (number, index, start, end)
        for number, found in enumerate(spans)
        for index, (start, end) in enumerate(found)
    ]
    frame = pd.DataFrame(
        rows, columns=["text_index", "sentence_index", "start_offset", "end_offset"]
    )
    whole = np.array([one_sentence_known and len(spans[n]) == 1 for n, _, _, _ in rows], bool)
    parts = [
        texts[n][start:end] for (n, _, start, end), one in zip(rows, whole, strict=True) if not one
    ]
    reading = text_model(model).read(parts, emotions=False) if parts else None
    return SentenceReading(frame, whole, parts, reading)


def complete_sentences(
    found: SentenceReading,
    calibrated: CalibratedSentiment | None,
    documents: pd.DataFrame | None,
) -> pd.DataFrame:
    """:func:`analyze_sentences` from :func:`read_sentences` of the same texts.

    Parameters
    ----------
    found
        :func:`read_sentences` of the texts.
    calibrated
        A sentiment head calibrated on the workspace's scored comments (None: the model's own).
    documents
        :func:`~advocacy.text.enrich.analyze_texts` of the same texts and model: the sentiment
        of a sentence that is a whole text. Required when ``found`` has any.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, as :func:`analyze_sentences` gives.

    Raises
    ------
    UsageError
        When a sentence is a whole text and ``documents`` is None.
    """
    frame, whole = found.frame, found.whole
    if documents is None and whole.any():
        raise UsageError(
            f"{int(whole.sum())} sentences are whole texts, whose sentiment is their documents'",
            fix="pass the documents' analyze_texts, or read_sentences(one_sentence_known=False)",
        )
    if not len(frame):
        return frame.assign(sentiment=[], sentiment_score=[], model=[])
    labels = np.empty(len(frame), dtype=object)
    scores = np.zeros(len(frame))
    names = np.empty(len(frame), dtype=object)
    # A text that is one sentence has that sentence's sentiment already.
    if documents is not None and whole.any():
        source = frame["text_index"].to_numpy()[whole]
        labels[whole] = documents["sentiment"].to_numpy()[source]
        scores[whole] = documents["sentiment_score"].to_numpy()[source]
        models = documents["model"].to_numpy()[source]
        names[whole] = [str(name).split("; ")[0] for name in models]
    if found.reading is not None:
        result = reading_sentiment(found.reading, calibrated, texts=found.parts)
        labels[~whole] = result.labels
        scores[~whole] = result.scores
        names[~whole] = result.model
    return frame.assign(
        sentiment=labels.astype(str),
        sentiment_score=np.round(scores.astype(float), 4),
        model=names.astype(str),
    )


def sentence_rows(db: Database, kind: str, document_id: str) -> list[dict[str, Any]]:
    """A document's sentences with their sentiment, the sentence text PII-redacted.

    Returns dicts with ``sentence_index``, ``sentence``, ``sentiment``, ``sentiment_score`` and
    ``model``, in sentence order; empty when the document was not analysed.

    Parameters
    ----------
    db
        The workspace database.
    kind
        The document's kind: ``response``, ``mention``, ``note`` or ``employee-response``.
    document_id
        The document's id in its table.

    Returns
    -------
    list of dict
        One dict per sentence, as above.

    Raises
    ------
    UsageError
        On an unknown ``kind``.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [row["sentiment"] for row in sentence_rows(ws.db, "response", "r-1")]  # doctest: +SKIP
    """
    from advocacy.text.pii import Redactor

    source = DOCUMENT_SOURCES[check_kinds([kind])[0]]
    text_sql, text_params = sql_document_text(db, source)
    found = db.fetchone(
        f"SELECT {text_sql} FROM {source.table} WHERE {source.id_column} = ?",
        [*text_params, document_id],
    )
    if found is None or found[0] is None:
        return []
    text, redactor = str(found[0]), Redactor.for_workspace(db)
    rows = db.fetchall(
        "SELECT sentence_index, start_offset, end_offset, sentiment, sentiment_score, model "
        "FROM text_sentences WHERE document_kind = ? AND document_id = ? "
        "ORDER BY sentence_index",
        [kind, document_id],
    )
    return [
        {
            "sentence_index": int(index),
            "sentence": redactor.redact(text[start:end]),
            "sentiment": label,
            "sentiment_score": float(score),
            "model": label_model,
        }
        for index, start, end, label, score, label_model in rows
    ]
