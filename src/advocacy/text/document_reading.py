"""Reading documents: what ``text analyze`` makes of each text, in pieces shared by workers.

Each text's language, why it is not read (a survey non-answer, a language the model does not
read), the text model's reading, emotions, effort and sentences (:func:`read_piece`), completed
into ``text_features`` rows with or without the workspace calibration (:func:`document_frame`).
Texts are read in :func:`pieces` of at most :data:`PIECE_TEXTS`, which worker processes share
(:mod:`advocacy.text.workers`); the caller loads the models before it forks them
(:func:`load_models`). :mod:`advocacy.text.enrich` writes the rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advocacy.errors import UsageError
from advocacy.text.effort import Effort, effort
from advocacy.text.emotion import EmotionResult, emotion_result
from advocacy.text.language import detect_languages, reads_texts
from advocacy.text.model_names import EFFORT_CUES
from advocacy.text.non_answers import NO_CONTENT, non_answer_mask
from advocacy.text.sentences import SentenceReading, complete_sentences, read_sentences
from advocacy.text.sentiment import SENTIMENTS, reading_sentiment
from advocacy.text.text_model import STATIC, KnownReadings, Reading, text_model
from advocacy.text.workers import items_done, run_tasks, split_evenly

if TYPE_CHECKING:
    from advocacy.text.calibration import CalibratedSentiment

#: Sentiment reason of a document in a language the text model does not read.
NOT_SUPPORTED = "language not supported"
#: Texts are read in pieces of at most this many, whatever the number of workers: a matrix
#: product may round a row's last bit differently in a batch of another size, so the pieces,
#: not the workers, decide the numbers. Workers share the pieces out (a batch of one piece is
#: read by one process); pieces of 500 cost about 5% more CPU than one batch of 3,000.
PIECE_TEXTS = 500


def load_models(model: str = STATIC) -> None:
    """Load into this process what reading a document with ``model`` needs (the text model,
    the language detector, the sentence reader), by reading one short text; cheap once loaded.

    Called before worker processes are forked (:func:`~advocacy.text.workers.run_tasks`'s
    ``before_fork``): each then finds the models loaded (shared copy-on-write) instead of
    loading its own copy while the caller loads them again for its own pieces. The text is too
    short for the language detector to remember, so nothing read later depends on it.
    """
    read_piece(["probe"], model=model)


def label_model(sentiment_model: str, emotion_model: str) -> str:
    """What ``text_features.model`` says of a document read with these two models and the
    current effort cues (:data:`~advocacy.text.model_names.EFFORT_CUES`)."""
    return f"{sentiment_model}; {emotion_model}; {EFFORT_CUES}"


def analyze_texts(
    texts: Sequence[str],
    calibrated: CalibratedSentiment | None = None,
    *,
    model: str = STATIC,
    known: KnownReadings | None = None,
    language_prior: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Language, sentiment, score, emotions (JSON scores and labels), effort and cues per text.

    ``model`` is a ``text_model`` setting value (see :mod:`advocacy.text.text_model`); a
    ``calibrated`` head must have been fitted on the same model. A text the model does not read
    has no sentiment, score, emotions or complaint, and ``sentiment_reason`` says why:
    ``language not supported`` (its detected language is not in
    :data:`~advocacy.text.language.SENTIMENT_LANGUAGES`; a text too short to tell is read,
    unless it is written in a script the model does not read, such as "很好") or
    ``no content`` (a survey non-answer, see :mod:`advocacy.text.non_answers`); its ``effort`` and
    ``effort_cues`` are missing too (the cues read English). ``complaint`` is the model's
    complaint probability where the model gives one.

    Parameters
    ----------
    texts
        The texts, in any language.
    calibrated
        A sentiment head calibrated on the workspace's scored comments (None: the model's own).
    model
        The ``text_model`` setting value.
    known
        Readings of some of the texts by the same model, made earlier in the run (the
        calibration's); those texts are not read again.
    language_prior
        Language code -> how many texts of the same source are in it (``text analyze`` gives
        its workspace's): what a batch with few texts surely in a language leans on
        (:func:`~advocacy.text.language.detect_languages`).

    Returns
    -------
    pandas.DataFrame
        One row per text, in order: ``language``, ``sentiment``, ``sentiment_score``,
        ``emotions``, ``effort``, ``sentiment_reason``, ``complaint`` and the cues.

    Examples
    --------
    >>> analyze_texts(["The parcel came a week late."])["sentiment"].tolist()  # doctest: +SKIP
    ['negative']
    """
    found = read_documents(texts, model=model, known=known, language_prior=language_prior)
    return document_frame(found, calibrated)


@dataclass(frozen=True)
class DocumentReading:
    """The part of :func:`analyze_texts` that needs no calibration (:func:`read_documents`).

    Attributes
    ----------
    texts
        The texts read.
    languages, reasons
        Each text's detected language, and why it is not read (None: it is).
    reading
        The text model's reading of the texts.
    emotions, efforts
        Their emotions and effort (None for a text not read: its effort is unknown, not nil).
    """

    texts: list[str]
    languages: list[str | None]
    reasons: list[str | None]
    reading: Reading
    emotions: EmotionResult
    efforts: list[Effort | None]


def read_documents(
    texts: Sequence[str],
    *,
    model: str = STATIC,
    known: KnownReadings | None = None,
    language_prior: Mapping[str, int] | None = None,
) -> DocumentReading:
    """Each text's language, why it is not read (if so), the model's reading, emotions and
    effort: what :func:`document_frame` completes, with or without a calibration.

    Parameters
    ----------
    texts, model, known, language_prior
        As for :func:`analyze_texts`.

    Returns
    -------
    DocumentReading
        The part of :func:`analyze_texts` that needs no calibration.
    """
    texts = list(texts)
    languages = detect_languages(texts, prior=language_prior)
    empty = non_answer_mask(texts)
    unsupported = ~reads_texts(texts, languages)
    reasons: list[str | None] = [
        NO_CONTENT if no_content else NOT_SUPPORTED if refused else None
        for no_content, refused in zip(empty, unsupported, strict=True)
    ]
    reader = text_model(model)
    reading = reader.read(texts) if known is None else known.read(reader, texts)
    found = emotion_result(
        reading.emotions,
        reading.emotion_model,
        reading.emotion_thresholds,
        sentiments=[SENTIMENTS[i] for i in np.asarray(reading.sentiment).argmax(axis=1)],
    )
    # The effort cues are English: a text not read (another language, no content) has no
    # effort reading, not "no effort described" (review27 finding 4).
    efforts = [
        effort(text) if reason is None else None
        for text, reason in zip(texts, reasons, strict=True)
    ]
    return DocumentReading(texts, languages, reasons, reading, found, efforts)


def document_frame(
    documents: DocumentReading, calibrated: CalibratedSentiment | None = None
) -> pd.DataFrame:
    """:func:`analyze_texts` from :func:`read_documents` of the texts.

    Parameters
    ----------
    documents
        :func:`read_documents` of the texts.
    calibrated
        As for :func:`analyze_texts`.

    Returns
    -------
    pandas.DataFrame
        The rows :func:`analyze_texts` gives.
    """
    texts, reasons, reading = documents.texts, documents.reasons, documents.reading
    read = np.array([reason is None for reason in reasons], dtype=bool)
    result = reading_sentiment(reading, calibrated, texts=texts)
    efforts = documents.efforts
    labels = np.asarray(result.labels, dtype=object)
    # A clear emotion agrees with the sentiment stored beside it (calibrated or not).
    read_emotions = documents.emotions
    found = emotion_result(
        read_emotions.probabilities,
        read_emotions.model,
        read_emotions.thresholds,
        sentiments=list(labels),
    )
    complaint = getattr(reading, "complaint", None)
    complaints = (
        np.full(len(texts), np.nan)
        if complaint is None
        else np.round(np.asarray(complaint, dtype=np.float64).reshape(len(texts)), 4)
    )
    return pd.DataFrame(
        {
            "language": documents.languages,
            "sentiment": [label if ok else None for label, ok in zip(labels, read, strict=True)],
            "sentiment_score": np.where(read, np.round(result.scores, 4), np.nan),
            "sentiment_reason": reasons,
            "emotions": [
                json.dumps(found.scores(i)) if read[i] else None for i in range(len(texts))
            ],
            "emotion_labels": [
                ";".join(names) if read[i] else None for i, names in enumerate(found.present)
            ],
            "effort": [np.nan if e is None else e.score for e in efforts],
            "effort_cues": [None if e is None else ",".join(e.cues) for e in efforts],
            "complaint": np.where(read, complaints, np.nan),
            "model": label_model(result.model, found.model),
        }
    )


def pieces(count: int) -> list[range]:
    """The pieces ``count`` texts are read in: as even as can be, none above
    :data:`PIECE_TEXTS` (the same for any number of workers)."""
    return split_evenly(count, -(-count // PIECE_TEXTS))


def read_in_pieces(
    reader: Any,
    texts: list[str],
    workers: int,
    *,
    meanwhile: Callable[[], None] | None = None,
    before_fork: Callable[[], None] | None = None,
    language_prior: Mapping[str, int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Reading, list[str | None]]:
    """``reader.read(texts)`` and each text's detected language (``language_prior`` as for
    :func:`analyze_texts`), read in :func:`pieces` shared out among ``workers`` (the caller
    runs ``before_fork`` and ``meanwhile``, see :func:`~advocacy.text.workers.run_tasks`);
    ``progress`` is called with the texts read so far as each piece is read."""
    split = pieces(len(texts))
    parts = run_tasks(
        [
            partial(_read_and_detect, reader, texts[piece.start : piece.stop], language_prior)
            for piece in split
        ],
        workers=workers,
        meanwhile=meanwhile,
        before_fork=before_fork,
        finished=items_done(split, progress),
    )
    readings = [reading for reading, _ in parts]
    languages = [code for _, found in parts for code in found]
    return (readings[0] if len(readings) == 1 else Reading.concatenate(readings)), languages


def read_piece(
    texts: Sequence[str],
    *,
    model: str = STATIC,
    known: KnownReadings | None = None,
    language_prior: Mapping[str, int] | None = None,
) -> tuple[DocumentReading, SentenceReading]:
    """What :func:`analyze_documents` reads of a piece before it needs the calibration.

    Parameters
    ----------
    texts, model, known, language_prior
        As for :func:`analyze_texts`.

    Returns
    -------
    tuple
        The documents' :func:`read_documents` and their sentences'
        :func:`~advocacy.text.sentences.read_sentences`.
    """
    documents = read_documents(texts, model=model, known=known, language_prior=language_prior)
    unread = np.array([reason is not None for reason in documents.reasons], dtype=bool)
    return documents, read_sentences(documents.texts, unread, model=model)


def _read_and_detect(
    reader: Any, texts: list[str], prior: Mapping[str, int] | None
) -> tuple[Reading, list[str | None]]:
    return reader.read(texts), detect_languages(texts, prior=prior)


def analyze_documents(
    texts: Sequence[str],
    calibrated: CalibratedSentiment | None = None,
    *,
    model: str = STATIC,
    known: KnownReadings | None = None,
    workers: int = 1,
    meanwhile: Callable[[], None] | None = None,
    read: Sequence[tuple[DocumentReading, SentenceReading]] | None = None,
    language_prior: Mapping[str, int] | None = None,
    progress: Callable[[int], None] | None = None,
    alone: Sequence[bool] | np.ndarray[Any, np.dtype[np.bool_]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`analyze_texts` of ``texts`` and the sentences of each (see
    :func:`~advocacy.text.sentences.analyze_sentences`), read in :func:`pieces` that
    ``workers`` processes share out (:mod:`advocacy.text.workers`).

    The pieces do not depend on ``workers``, so neither do the rows. ``read`` holds
    :func:`read_piece` of each piece when done earlier (``text analyze`` does it beside the
    calibration's last fits); only what needs the calibration is left.

    Parameters
    ----------
    texts, calibrated, model, known, language_prior
        As for :func:`analyze_texts`.
    workers
        Processes to read on (1: this one alone).
    meanwhile
        The caller's own work, done while the workers start reading (see
        :func:`~advocacy.text.workers.run_tasks`).
    read
        :func:`read_piece` of the texts of each of the :func:`pieces`, if at hand.
    progress
        Called with the texts analysed so far as each piece is done (from a thread of this
        process for the workers' pieces, one call at a time).
    alone
        For each text, whether the model alone gives its sentiment although ``calibrated``
        is given (a text of a kind or source the calibration does not read); None: none is.
        The texts are read once either way: only their sentiment differs.

    Raises
    ------
    UsageError
        When ``read`` is not the reading of these texts' pieces.

    Returns
    -------
    tuple of pandas.DataFrame
        The features (one row per text, in order) and the sentences (``text_index`` counts
        in ``texts``).
    """
    texts = list(texts)
    split = pieces(len(texts))
    # A reading of other texts would give their rows to these documents.
    given = [found.texts for found, _ in read or ()]
    if read is not None and given != [texts[p.start : p.stop] for p in split]:
        raise UsageError(
            f"read ({len(read)} pieces) is not the reading of these {len(texts)} texts' "
            f"{len(split)} pieces",
            fix="pass read_piece of each of pieces(len(texts)), or no read",
        )
    ready = dict(enumerate(read or ()))
    by_model = None if alone is None or calibrated is None else np.asarray(alone, dtype=bool)
    if by_model is not None and len(by_model) != len(texts):
        raise UsageError(
            f"alone has {len(by_model)} entries for {len(texts)} texts",
            fix="pass one entry per text, or none",
        )

    def piece_of(number: int, piece: range) -> tuple[pd.DataFrame, pd.DataFrame]:
        found = ready.pop(number, None)
        if found is None:
            found = read_piece(
                texts[piece.start : piece.stop],
                model=model,
                known=known,
                language_prior=language_prior,
            )
        features = document_frame(found[0], calibrated)
        sentences = complete_sentences(found[1], calibrated, features)
        mask = None if by_model is None else by_model[piece.start : piece.stop]
        if mask is not None and mask.any():  # these texts' sentiment is the model alone's
            plain = document_frame(found[0], None)
            plain_sentences = complete_sentences(found[1], None, plain)
            features = pd.concat([features[~mask], plain[mask]]).sort_index(kind="stable")
            of_alone = mask[sentences["text_index"].to_numpy(dtype=np.int64)]
            plain_of_alone = mask[plain_sentences["text_index"].to_numpy(dtype=np.int64)]
            sentences = (
                pd.concat([sentences[~of_alone], plain_sentences[plain_of_alone]])
                .sort_index(kind="stable")
                .reset_index(drop=True)
            )
        sentences["text_index"] += piece.start
        return features, sentences

    done = run_tasks(
        [partial(piece_of, number, piece) for number, piece in enumerate(split)],
        workers=workers,
        meanwhile=meanwhile,
        before_fork=partial(load_models, model),
        finished=items_done(split, progress),
    )
    if len(done) == 1:
        return done[0]
    return (
        pd.concat([features for features, _ in done], ignore_index=True),
        pd.concat([sentences for _, sentences in done], ignore_index=True),
    )
