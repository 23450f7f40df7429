"""How well the workspace's sentiment reads a user's own labelled file, without learning from it.

``advocacy text evaluate FILE`` answers "how accurate is this on *my* texts?". The file is read
as ``advocacy import`` would read it (the same readers, encodings, header and text-column
detection: :func:`advocacy.importer.read_as`), but nothing of it is written to the workspace
and nothing is taught. Its labels are a column of ``negative``, ``neutral`` or ``positive``,
or else the rows' ratings (a review's stars, an NPS on 0-10), mapped to sentiment by the
documented scale rule (:func:`advocacy.text.scale_sentiment.scale_label`: 1-5 stars are 1-2
negative, 3 neutral, 4-5 positive); :mod:`advocacy.text.evaluation_labels` says how the column
and the scale are chosen and what is left out.

Each text is read exactly as ``text analyze`` would read it now (the same model, the calibration
the next analysis uses, the same pieces), and the readings are scored against the labels:
accuracy (with its Wilson interval), macro-F1 and macro recall over the classes the labels hold,
each class's precision, recall and count (precision and recall with Wilson intervals, macro-F1
with a stratified bootstrap interval: :mod:`advocacy.text.evaluation_intervals`; a class under
30 texts marked "few"), the confusion matrix, and the majority-class baseline on the same rows.
What is not scored is counted and said, each row under one reason: rows without a label or
text, texts the model does not read (a language it does not support, a non-answer), texts of a
public set the shipped model learnt from (scored apart), and texts the calibration learnt
from: a text that the workspace holds with a label (taught, or implied by its score) is read
partly from its own label, which flatters the reading, so it is left out and counted.

A calibration reads only the kinds of text it was fitted on enough labels of
(:meth:`~advocacy.text.calibration.CalibratedSentiment.reads_kind`): a file evaluated as
another kind (``--kind``) is read by the model alone, as ``text analyze`` reads such texts, and
the result says so. When the calibration does read the file, the model alone's accuracy and
macro-F1 on the same rows, with their intervals, are given beside it, so that a calibration
that hurts on the file is seen (the fourth audit, item 5: one fitted on Amazon CSAT comments
read TweetEval tweets at 0.344, the model alone at 0.666).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from advocacy.errors import UsageError
from advocacy.text.calibration_kinds import (
    kinds_scope,
    of_source,
    read_kinds,
    read_options,
    source_key,
)
from advocacy.text.evaluation_intervals import (
    FEW,
    PROPORTION_METHOD,
    ScoreIntervals,
    score_intervals,
)
from advocacy.text.evaluation_labels import LEFT_OUT_REASONS, file_labels
from advocacy.text.sentiment import SENTIMENTS
from advocacy.text.training_texts import trained_on, visible

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.store.connection import Database
    from advocacy.text.calibration import CalibratedSentiment

__all__ = [
    "EVALUATION_MODELS",
    "ClassScore",
    "Evaluation",
    "ModelAloneScores",
    "TrainedTexts",
    "evaluate_file",
    "evaluate_readings",
]

#: What ``--model`` may name: the workspace's calibrated reading, or the shipped model alone.
EVALUATION_MODELS = ("workspace", "generic")
#: Why a read row of the file is not scored (besides :data:`LEFT_OUT_REASONS`).
LEARNT_FROM = "labelled in the workspace"
TRAINED = "trained the shipped model"
#: The longest example of those texts a note quotes.
EXAMPLE_LENGTH = 60
#: How people read the training sets' names (:func:`advocacy.text.training_texts.trained_on`).
TRAINING_SETS = {
    "tweeteval-sentiment": "TweetEval sentiment",
    "tweeteval-emotion": "TweetEval emotion",
    "goemotions": "GoEmotions",
    "clothing": "Women's clothing reviews",
    "banking77": "BANKING77",
    "authored": "the project's written comments",
}


@dataclass(frozen=True)
class TrainedTexts:
    """The file's texts that trained the shipped model, scored apart from the others.

    Attributes
    ----------
    by_set
        How many, per training set (:data:`TRAINING_SETS`).
    n, accuracy
        How many of them were read (all: only read texts are looked up), and the share read
        right (NaN when there is none).
    example
        The first of them, cut at :data:`EXAMPLE_LENGTH` characters ("" when there is none).
    """

    by_set: dict[str, int]
    n: int
    accuracy: float
    example: str = ""


@dataclass(frozen=True)
class ModelAloneScores:
    """The shipped model alone's scores on the rows a calibrated reading was scored on.

    Attributes
    ----------
    accuracy, accuracy_low, accuracy_high
        Share read right, with its Wilson interval.
    macro_f1
        Mean F1 over the classes the labels hold.
    macro_f1_interval
        Its bootstrap interval (:func:`~.evaluation_intervals.score_intervals`).
    """

    accuracy: float
    accuracy_low: float
    accuracy_high: float
    macro_f1: float
    macro_f1_interval: tuple[float, float]


@dataclass(frozen=True)
class ClassScore:
    """One class's scores: its count in the labels, how often it was read, precision,
    recall and F1 (NaN where undefined: recall and F1 of a class no label holds, precision of
    a class never read)."""

    sentiment: str
    n: int
    read: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Evaluation:
    """What :func:`evaluate_file` measured.

    Attributes
    ----------
    file, label_source, model, calibration
        The file, where its labels came from, the model name that read it (as ``text
        analyze`` records it) and how the calibration was chosen (or why there is none).
    distribution
        The labels the file gave, per sentiment (every row with a label).
    file_notes
        What reading the file decided (the label column, the scale, values left out).
    rows, n
        Rows in the file, and rows scored.
    accuracy, accuracy_low, accuracy_high
        Share read right, with its Wilson interval at ``confidence``.
    macro_f1, macro_recall
        Means of F1 and of recall over the classes the scored labels hold.
    intervals
        Bootstrap intervals over the scored texts of macro-F1 and of each class's precision
        and recall, at ``confidence``.
    classes
        Every sentiment's scores.
    confusion
        Label -> reading -> count, over the scored rows.
    majority, majority_accuracy, majority_macro_f1
        The commonest label of the scored rows, and the scores of reading every text as it.
    left_out
        Rows not scored, by reason (no label, no text, trained the shipped model, labelled in
        the workspace, no content, language not supported).
    trained
        The texts that trained the shipped model, scored apart.
    not_supported
        The rows left out for their language, by language code.
    confidence
        The interval's confidence.
    model_alone
        The model alone's scores on the same rows, when the reading was calibrated (None:
        it was the model alone's).
    calibrated_kinds
        The kinds of text the workspace's calibration was fitted on, with their labels (empty:
        no calibration, or one fitted without kinds).
    calibrated_sources
        The sources of each kind the calibration was fitted on, with their labels (empty: not
        recorded, or no calibration).
    source
        The file's source as given (``--source``, keyed by
        :func:`~.calibration_kinds.source_key`; "": none).
    kind_not_calibrated
        The kind the file was read as, when the calibration does not read it (too few of its
        labels were of that kind, or of the file's source within it:
        :func:`~.calibration_kinds.reads_text`) and the model alone read it ("": it was, or
        there is no calibration).
    """

    file: str
    label_source: str
    model: str
    calibration: str
    distribution: dict[str, int]
    file_notes: tuple[str, ...]
    rows: int
    n: int
    accuracy: float
    accuracy_low: float
    accuracy_high: float
    macro_f1: float
    macro_recall: float
    intervals: ScoreIntervals
    classes: list[ClassScore]
    confusion: dict[str, dict[str, int]]
    majority: str | None
    majority_accuracy: float
    majority_macro_f1: float
    left_out: dict[str, int]
    not_supported: dict[str, int]
    trained: TrainedTexts
    confidence: float
    model_alone: ModelAloneScores | None = None
    calibrated_kinds: dict[str, int] = field(default_factory=dict)
    calibrated_sources: dict[str, dict[str, int]] = field(default_factory=dict)
    source: str = ""
    kind_not_calibrated: str = ""
    warning: str = ""

    def notes(self) -> list[str]:
        """What a reader of the scores must know: how the file was read, texts of a set the
        shipped model learnt from, classes of few texts, texts left out because the calibration
        learnt from them, a reading no better than the majority class, nothing scored."""
        found = list(self.file_notes)
        if self.trained.by_set:
            counts = list(self.trained.by_set.items())
            sets = " and ".join(
                TRAINING_SETS.get(name, name) + (f" ({count:,})" if len(counts) > 1 else "")
                for name, count in counts
            )
            texts = (
                "1 text is word for word a text"
                if self.trained.n == 1
                else f"{self.trained.n:,} texts are word for word texts"
            )
            found.append(
                f"{texts} of {sets}, which the shipped model learnt from "
                f"(e.g. “{self.trained.example}”): its reading of them flatters it, so they are "
                f"scored apart (accuracy {self.trained.accuracy:.3f} on them); the scores are "
                f"over the other {self.n:,} read"
            )
        few = [score for score in self.classes if 0 < score.n < FEW]
        if few and self.n:
            named = ", ".join(f"{score.sentiment} ({score.n:,})" for score in few)
            found.append(
                f"few labelled texts of {named}, under {FEW} each: the precision and recall "
                "of so few have wide intervals and say little"
            )
        learnt = self.left_out.get(LEARNT_FROM, 0)
        if learnt:
            found.append(
                f"{learnt:,} of the file's texts are labelled in the workspace (taught, or by "
                "their score): the calibration learnt from their labels, which flatters its "
                f"reading of them, so they are left out; the scores are over the other "
                f"{self.n:,} read"
            )
        fitted = ", ".join(f"{kind} {count:,}" for kind, count in self.calibrated_kinds.items())
        if self.kind_not_calibrated:
            reads = read_options(self.calibrated_kinds, self.calibrated_sources)
            check = (
                f" (to check the calibration, evaluate a file of the texts it reads: "
                f"{' or '.join(reads)})"
                if reads
                else ""
            )
            what = self.kind_not_calibrated
            if self.calibrated_sources.get(what) and what in read_kinds(self.calibrated_kinds):
                what += f" texts {of_source(what, self.source)}"
            else:
                what += " texts"
            scope = kinds_scope(self.calibrated_kinds, self.calibrated_sources)
            found.append(
                f"the workspace's calibration does not read {what} ({scope}): this file was "
                f"read by the model alone, as text analyze reads them{check}"
            )
        alone = self.model_alone
        if alone is not None and self.n and alone.accuracy > self.accuracy:
            found.append(
                f"the calibration reads this file less accurately than the model alone "
                f"({self.accuracy:.3f} [{self.accuracy_low:.3f}, {self.accuracy_high:.3f}] "
                f"against {alone.accuracy:.3f} [{alone.accuracy_low:.3f}, "
                f"{alone.accuracy_high:.3f}]): it learnt from texts that are not like these"
                + (f" (it was fitted on {fitted})" if fitted else "")
            )
        if self.warning:
            found.append(f"the calibration's known weakness: {self.warning}")
        if not self.n:
            found.append("no text of the file was scored: nothing to measure")
        elif self.majority is not None and self.accuracy <= self.majority_accuracy:
            found.append(
                f"the reading is no more accurate than reading every text as {self.majority} "
                f"({self.accuracy:.3f} against {self.majority_accuracy:.3f})"
            )
        return found

    def summary(self) -> dict[str, Any]:
        """The measures as one flat record (the classes and the confusion as nested values)."""
        return {
            "file": self.file,
            "labels": self.label_source,
            "model": self.model,
            "calibration": self.calibration,
            "calibration fitted on": {kind: count for kind, count in self.calibrated_kinds.items()},
            "labels in the file": dict(self.distribution),
            "rows": self.rows,
            "scored": self.n,
            "accuracy": _rounded(self.accuracy),
            "accuracy interval": [_rounded(self.accuracy_low), _rounded(self.accuracy_high)],
            "confidence": self.confidence,
            "macro-F1": _rounded(self.macro_f1),
            "macro-F1 interval": _pair(self.intervals.macro_f1),
            "interval method": {
                "accuracy, precision, recall": PROPORTION_METHOD,
                "macro-F1": self.intervals.method(),
            },
            "macro recall": _rounded(self.macro_recall),
            "model alone": None
            if self.model_alone is None
            else {
                "accuracy": _rounded(self.model_alone.accuracy),
                "accuracy interval": [
                    _rounded(self.model_alone.accuracy_low),
                    _rounded(self.model_alone.accuracy_high),
                ],
                "macro-F1": _rounded(self.model_alone.macro_f1),
                "macro-F1 interval": _pair(self.model_alone.macro_f1_interval),
            },
            "majority class": self.majority,
            "majority-class accuracy": _rounded(self.majority_accuracy),
            "majority-class macro-F1": _rounded(self.majority_macro_f1),
            "classes": [
                {
                    "sentiment": score.sentiment,
                    "n": score.n,
                    "few": 0 < score.n < FEW,
                    "read": score.read,
                    "precision": _rounded(score.precision),
                    "precision interval": _pair(self.intervals.precision[score.sentiment]),
                    "recall": _rounded(score.recall),
                    "recall interval": _pair(self.intervals.recall[score.sentiment]),
                    "f1": _rounded(score.f1),
                }
                for score in self.classes
            ],
            "confusion": {label: dict(read) for label, read in self.confusion.items()},
            "left out": dict(self.left_out),
            "not supported by language": dict(self.not_supported),
            "trained the shipped model": {
                "by set": dict(self.trained.by_set),
                "read": self.trained.n,
                "accuracy": _rounded(self.trained.accuracy),
                "example": self.trained.example,
            },
            "notes": self.notes(),
        }


def _rounded(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _pair(interval: tuple[float, float]) -> list[float | None] | None:
    """An interval as two rounded ends, or None where it is undefined."""
    low, high = (_rounded(end) for end in interval)
    return None if low is None or high is None else [low, high]


def evaluate_readings(
    labels: Sequence[str], readings: Sequence[str]
) -> tuple[float, float, float, list[ClassScore], dict[str, dict[str, int]]]:
    """Accuracy, macro-F1, macro recall, each class's scores and the confusion matrix.

    Macro means run over the classes the labels hold (a file of negatives and positives is
    not scored on a neutral class it does not have; reading one of its texts as neutral is
    still an error).

    Parameters
    ----------
    labels, readings
        The labels and the readings, one each per text.

    Returns
    -------
    tuple
        ``(accuracy, macro_f1, macro_recall, classes, confusion)``.
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
        recall_score,
    )

    if not labels:
        nan = float("nan")
        empty = [ClassScore(name, 0, 0, nan, nan, nan) for name in SENTIMENTS]
        return nan, nan, nan, empty, {name: dict.fromkeys(SENTIMENTS, 0) for name in SENTIMENTS}
    held = [name for name in SENTIMENTS if name in set(labels)]
    accuracy = float(accuracy_score(labels, readings))
    macro_f1 = float(f1_score(labels, readings, labels=held, average="macro", zero_division=0))
    macro_recall = float(
        recall_score(labels, readings, labels=held, average="macro", zero_division=0)
    )
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, readings, labels=list(SENTIMENTS), zero_division=np.nan
    )
    # A class no label holds has no recall, so no F1 either (scikit-learn would say 0).
    f1 = np.where(support == 0, np.nan, f1)
    matrix = confusion_matrix(labels, readings, labels=list(SENTIMENTS))
    read = matrix.sum(axis=0)
    classes = [
        ClassScore(
            name,
            int(support[i]),
            int(read[i]),
            float(precision[i]),
            float(recall[i]),
            float(f1[i]),
        )
        for i, name in enumerate(SENTIMENTS)
    ]
    confusion = {
        name: {other: int(matrix[i, j]) for j, other in enumerate(SENTIMENTS)}
        for i, name in enumerate(SENTIMENTS)
    }
    return accuracy, macro_f1, macro_recall, classes, confusion


def _read(
    texts: list[str], calibrated: CalibratedSentiment | None, model: str, workers: int
) -> pd.DataFrame:
    """``text analyze``'s reading of ``texts``: in the same pieces, so the same numbers; with
    a calibration, the model alone's sentiment of the same reading too (``alone``)."""
    import pandas as pd
    from threadpoolctl import threadpool_limits

    from advocacy.text.enrich import document_frame, pieces, read_documents
    from advocacy.text.workers import reap, run_tasks

    columns = ["language", "sentiment", "sentiment_reason", "model"]

    def piece(start: int, stop: int) -> pd.DataFrame:
        documents = read_documents(texts[start:stop], model=model)
        frame: pd.DataFrame = document_frame(documents, calibrated)[columns]
        if calibrated is not None:  # the same reading, its sentiment without the calibration
            frame = frame.assign(alone=document_frame(documents, None)["sentiment"].to_numpy())
        return frame

    if not texts:
        return pd.DataFrame(columns=columns)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            done = run_tasks(
                [partial(piece, part.start, part.stop) for part in pieces(len(texts))],
                workers=workers,
            )
    finally:
        reap()
    return pd.concat(done, ignore_index=True)


def evaluate_file(
    db: Database,
    file: Path,
    *,
    kind: str = "mentions",
    platform: str | None = None,
    labels: str | None = None,
    text: str | None = None,
    scale: str | None = None,
    model: str = "workspace",
    text_model: str = "static",
    workers: int = 1,
    confidence: float = 0.95,
) -> Evaluation:
    """Score the workspace's sentiment on a labelled file, without teaching or storing it.

    Parameters
    ----------
    db
        The workspace's database (read only: the file is neither imported nor taught, and a
        calibration fitted for the run is not stored).
    file
        The labelled file.
    kind, labels, text, scale
        As for :func:`~advocacy.text.evaluation_labels.file_labels`.
    platform
        Where the file's mentions come from (None: none); a calibration reads, within
        mentions, only the platforms it has enough labels of
        (:meth:`~advocacy.text.calibration.CalibratedSentiment.reads_text`).
    model
        ``workspace``: the model with the calibration the next ``text analyze`` uses (none
        when the workspace has no labels); ``generic``: the shipped model alone.
    text_model
        The ``text_model`` setting value.
    workers
        Processes to read on (the readings are the same for any count).
    confidence
        The confidence of the intervals (accuracy's Wilson interval; the bootstrap intervals
        of macro-F1 and each class's precision and recall, :mod:`.evaluation_intervals`).

    Returns
    -------
    Evaluation
        The scores, and what was left out and why.

    Raises
    ------
    UsageError
        For an unknown ``model``, or a ``platform`` with another kind than mentions.
    InputError
        As :func:`~advocacy.text.evaluation_labels.file_labels`.
    """
    from advocacy.metrics.intervals import wilson_interval
    from advocacy.text.calibration_workspace import needs_calibration as calibrated_only
    from advocacy.text.calibration_workspace import workspace_calibration
    from advocacy.text.documents import TABLE_KINDS
    from advocacy.text.enrich import NOT_SUPPORTED
    from advocacy.text.non_answers import NO_CONTENT

    if model not in EVALUATION_MODELS:
        raise UsageError(
            f"unknown model {model!r}",
            value=model,
            parameter="model",
            fix="use workspace (the calibrated reading text analyze stores) or generic (the "
            "shipped model alone)",
        )
    source = _source_given(kind, platform=platform)
    found = file_labels(file, kind=kind, labels=labels, text=text, scale=scale)
    calibrated, status = None, "not used (--model generic)"
    fitted_kinds: dict[str, int] = {}
    fitted_sources: dict[str, dict[str, int]] = {}
    not_calibrated, warning = "", ""
    if model == "workspace":
        # The calibration the next analysis uses; a fit made for this run is not stored.
        chosen = workspace_calibration(
            db, model=text_model, workers=max(1, workers), defer_store=True
        )
        calibrated, status = chosen.calibrated, chosen.status
        fitted_kinds, fitted_sources = chosen.kinds, chosen.sources
        warning = chosen.warning or ""
        read_as = TABLE_KINDS.get(kind, kind)
        # A model without a sentiment head of its own has no reading but the calibration's.
        if (
            calibrated is not None
            and not chosen.reads_text(read_as, source)
            and not calibrated_only(text_model)
        ):
            calibrated, not_calibrated, warning = None, read_as, ""
    left_out = Counter(found.left_out)
    # Every text is read once; each one not scored is counted under one reason: not read (no
    # content, a language not supported), else word for word a text the shipped model learnt
    # from (scored apart), else labelled in the workspace.
    read = _read(found.texts, calibrated, text_model, max(1, workers))
    # A read text has no reason (None, or NaN once pandas stores the column as strings).
    reasons = [None if _missing(reason) else str(reason) for reason in read["sentiment_reason"]]
    not_supported = Counter(
        str(code)
        for code, reason in zip(read["language"], reasons, strict=True)
        if reason == NOT_SUPPORTED
    )
    for reason in (NO_CONTENT, NOT_SUPPORTED):
        count = sum(1 for given in reasons if given == reason)
        if count:
            left_out[reason] += count
    read_at = [i for i, reason in enumerate(reasons) if reason is None]
    sets: list[str | None] = [None] * len(reasons)
    for i, name in zip(read_at, trained_on([found.texts[i] for i in read_at]), strict=True):
        sets[i] = name
    flagged = [i for i, name in enumerate(sets) if name is not None]
    for i in flagged:
        reasons[i] = TRAINED
    left_out[TRAINED] += len(flagged)
    if calibrated is not None:
        learnt = _labelled_texts(db)
        for i, value in enumerate(found.texts):
            if reasons[i] is None and _spaced(value) in learnt:
                reasons[i] = LEARNT_FROM
                left_out[LEARNT_FROM] += 1
    readings_all = [str(value) for value in read["sentiment"]]
    trained_scores = _trained_scores(
        [found.labels[i] for i in flagged],
        [readings_all[i] for i in flagged],
        Counter(name for name in sets if name is not None),
        found.texts[flagged[0]] if flagged else "",
    )
    gold = found.labels
    scored = [i for i, reason in enumerate(reasons) if reason is None]
    labels_scored = [gold[i] for i in scored]
    readings = [readings_all[i] for i in scored]
    accuracy, macro_f1, macro_recall, classes, confusion = evaluate_readings(
        labels_scored, readings
    )
    interval = wilson_interval(accuracy, len(scored), confidence)
    alone_scores = None
    if calibrated is not None:
        alone = [str(read["alone"].iloc[i]) for i in scored]
        alone_accuracy, alone_f1, *_ = evaluate_readings(labels_scored, alone)
        alone_interval = wilson_interval(alone_accuracy, len(scored), confidence)
        alone_scores = ModelAloneScores(
            alone_accuracy,
            float(alone_interval.low),
            float(alone_interval.high),
            alone_f1,
            score_intervals(labels_scored, alone, confidence=confidence).macro_f1,
        )
    majority = Counter(labels_scored).most_common(1)[0][0] if labels_scored else None
    baseline = evaluate_readings(labels_scored, [majority or ""] * len(labels_scored))
    probe_model = str(read["model"].iloc[0]) if len(read) else ""
    return Evaluation(
        file=str(file),
        label_source=found.source,
        model=probe_model.split("; ")[0] if probe_model else _model_name(calibrated, text_model),
        calibration=status,
        distribution=dict(found.distribution),
        file_notes=found.notes,
        rows=found.rows,
        n=len(scored),
        accuracy=accuracy,
        accuracy_low=float(interval.low),
        accuracy_high=float(interval.high),
        macro_f1=macro_f1,
        macro_recall=macro_recall,
        intervals=score_intervals(labels_scored, readings, confidence=confidence),
        classes=classes,
        confusion=confusion,
        majority=majority,
        majority_accuracy=baseline[0],
        majority_macro_f1=baseline[1],
        left_out={reason: left_out[reason] for reason in _REASONS if left_out[reason]},
        not_supported=dict(sorted(not_supported.items(), key=lambda item: (-item[1], item[0]))),
        trained=trained_scores,
        confidence=confidence,
        model_alone=alone_scores,
        calibrated_kinds=fitted_kinds,
        calibrated_sources=fitted_sources,
        source=source_key(source),
        kind_not_calibrated=not_calibrated,
        warning=warning,
    )


def _source_given(kind: str, *, platform: str | None) -> str | None:
    """The file's source: ``platform`` for mentions (refused for another kind: it names
    where mentions come from)."""
    from advocacy.text.documents import DOCUMENT_SOURCES, TABLE_KINDS

    known = DOCUMENT_SOURCES.get(TABLE_KINDS.get(kind, kind))
    if platform is not None and (known is None or known.source_column != "platform"):
        raise UsageError(
            f"a platform names where mentions come from, not {kind}",
            value=platform,
            parameter="platform",
            fix="give --platform with --kind mentions, or leave it out",
        )
    return platform


def _trained_scores(
    labels: list[str], readings: list[str], by_set: Counter[str], example: str
) -> TrainedTexts:
    """The accuracy of the reading on the read texts that trained the shipped model, how many
    came from each set, and the first of them (its blanks collapsed, invisible characters
    dropped, cut at :data:`EXAMPLE_LENGTH` characters)."""
    right = sum(reading == label for label, reading in zip(labels, readings, strict=True))
    shown = _spaced(visible(example))
    if len(shown) > EXAMPLE_LENGTH:
        shown = shown[: EXAMPLE_LENGTH - 1].rstrip() + "…"
    return TrainedTexts(
        dict(by_set.most_common()),
        len(labels),
        right / len(labels) if labels else float("nan"),
        shown,
    )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


#: The reasons a row is left out, in the order they are shown.
_REASONS = (*LEFT_OUT_REASONS, TRAINED, LEARNT_FROM, "no content", "language not supported")


def _model_name(calibrated: CalibratedSentiment | None, text_model: str) -> str:
    from advocacy.text.enrich import analyze_texts

    return str(analyze_texts(["probe"], calibrated, model=text_model)["model"].iloc[0]).split("; ")[
        0
    ]


def _labelled_texts(db: Database) -> set[str]:
    """The texts the workspace's calibration learns from (taught, or labelled by a score),
    with their blanks collapsed (:func:`_spaced`)."""
    from advocacy.text.score_labels import workspace_labelled_texts

    found = workspace_labelled_texts(db)
    return {_spaced(str(value)) for value, _, _ in found.values()}


def _spaced(text: str) -> str:
    """``text`` with each run of blanks one space and none around it: a labelled text copied
    with its spaces changed is still the text the calibration learnt from."""
    return " ".join(text.split())
