"""Calibrated sentiment: a workspace's own labels correct the shipped model, from the first one.

The shipped text model reads tone; a workspace knows better what its customers mean ("flight
delayed 3 hours" is a complaint). :class:`CalibratedSentiment` treats the text model's generic
log-probabilities as a *prior* and learns a correction from the workspace's labels (taught by the
user, or implied by scores: :func:`label_from_scores`) whose strength grows with their number:

* fewer than :data:`MIN_HEAD_LABELS` labels, or a single class: the prior is *adjusted* (one
  temperature and a bias per class, shrunk hard towards the unchanged prior), so one label
  moves nothing but near ties, and a few dozen shift the model towards the user's convention;
* from :data:`MIN_HEAD_LABELS` labels: candidates are compared by stratified k-fold
  cross-validation on the labels themselves (the prior, the adjusted prior, and a multinomial
  logistic head on the model's embedding plus its generic log-probabilities at several L2
  penalties), and the most accurate of those whose macro recall is not below the prior's
  beyond cross-validation's noise, and that lose no class the prior reads, is kept
  (:mod:`~advocacy.text.calibration_choice`: accuracy alone can be won by reading more texts
  as the commonest class). On a tie the
  adjusted prior is kept if it is among the best (what fewer labels gave: more labels that show
  nothing better give no reason to change the reading), else the simplest. The prior is always
  a candidate, so calibration is never worse than the shipped model on cross-validation, and a
  weaker penalty (a head further from the prior) is chosen only when the labels support it;
* from :data:`MIN_TFIDF_LABELS` labels, the same heads are also tried with the out-of-fold
  probabilities of a word 1-2-gram TF-IDF logistic regression fitted on the labelled texts
  stacked as features (Wolpert 1992), kept only if cross-validation says they help;
* past :data:`MAX_CV_LABELS` labels the candidates are compared on a stratified, seeded sample
  of :data:`SAMPLED_CV_LABELS`, in :data:`SAMPLED_FOLDS` folds at :data:`SAMPLED_PENALTIES`,
  and the chosen one is fitted once on every label: the labels beyond the sample are stacked
  with the mean probabilities of the sample's out-of-fold TF-IDF models (which never saw
  them), so the cost of choosing does not grow with the workspace.

The generic log-probabilities enter the head multiplied by :data:`PRIOR_SCALE`: their weights
then cost almost nothing under the L2 penalty, so a strong penalty shrinks the head towards the
(tempered) prior rather than towards the class frequencies.

Labels from scores: :mod:`advocacy.text.scale_sentiment`. The labels are checked in
:mod:`~advocacy.text.calibration_inputs`, the candidates compared in
:mod:`~advocacy.text.calibration_cross_validation` and kept by
:mod:`~advocacy.text.calibration_choice`; the fits are :mod:`~advocacy.text.calibration_fits`'
(the TF-IDF model's, :mod:`~advocacy.text.calibration_tfidf`'), run as
:mod:`~advocacy.text.calibration_tasks` says; labelled texts are read out of sample
(:mod:`~advocacy.text.calibration_out_of_sample`).

scikit-learn fits the heads and the TF-IDF model; only the three-parameter prior adjustment
(logistic regression with an offset and a prior centred on "no change", which scikit-learn does
not offer) is written by hand (:mod:`~advocacy.text.calibration_fits`), with SciPy's L-BFGS.

References
----------
Wolpert, D. (1992). Stacked generalization. Neural Networks 5(2), 241-259.
Platt, J. (1999). Probabilistic outputs for support vector machines and comparisons to
regularized likelihood methods. Advances in Large Margin Classifiers, 61-74.
Guo, C., Pleiss, G., Sun, Y. & Weinberger, K. (2017). On calibration of modern neural networks.
ICML 2017 (temperature scaling).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from advocacy.errors import UsageError
from advocacy.text.calibration_cross_validation import (
    HEAD_PENALTIES,
    MAX_CV_LABELS,
    MIN_HEAD_LABELS,
    MIN_TFIDF_LABELS,
    PARALLEL_LABELS,
    PRIOR_STRENGTH,
    SAMPLED_CV_LABELS,
    SAMPLED_FOLDS,
    SAMPLED_PENALTIES,
    choose,
)
from advocacy.text.calibration_fits import (
    PRIOR_SCALE,
    class_probabilities,
    head_features,
    log_odds,
    log_probabilities,
)
from advocacy.text.calibration_inputs import checked_labels, inputs_digest
from advocacy.text.calibration_kinds import read_kinds, reads_text, source_counts
from advocacy.text.calibration_out_of_sample import (
    TEXT_KEY_BYTES,
    stacked_probabilities,
    text_key,
)
from advocacy.text.calibration_tasks import LastFits, marked_tasks, prepare_fit, unmarked
from advocacy.text.calibration_tfidf import TermCounts
from advocacy.text.heads import FloatArray
from advocacy.text.scale_sentiment import label_from_scores, scale_label
from advocacy.text.sentiment import SENTIMENTS, SentimentResult, sentiment_result
from advocacy.text.workers import run_tasks

__all__ = [
    "FIT_VERSION",
    "HEAD_PENALTIES",
    "MAX_CV_LABELS",
    "MIN_HEAD_LABELS",
    "MIN_TFIDF_LABELS",
    "PARALLEL_LABELS",
    "PRIOR_STRENGTH",
    "SAMPLED_CV_LABELS",
    "SAMPLED_FOLDS",
    "SAMPLED_PENALTIES",
    "TEXT_KEY_BYTES",
    "CalibratedSentiment",
    "LastFits",
    "label_from_scores",
    "prepare_fit",
    "scale_label",
    "text_key",
]

#: Stands for the fitting code in a calibration's name (which names the labelled texts, their
#: labels and what was chosen, not the fitted bits): raise it when a change of this module or
#: of the calibration_* modules it fits with changes what a calibration fitted on the same
#: labels reads, so stored readings are read again.
#: 2 (2026-12-06): the TF-IDF model on every label is fitted by
#: :data:`~advocacy.text.calibration_tfidf.FINAL_TFIDF_SOLVER`. 3 (2026-12-07): the head on
#: every label is solved by Newton-Cholesky from
#: :data:`~advocacy.text.calibration_fits.EXACT_HEAD_LABELS` labels (at weaker penalties).
#: 4 (2026-12-07): a candidate that loses a class the model alone reads is not kept
#: (:func:`~advocacy.text.calibration_choice.lost_classes`).
FIT_VERSION = 4

#: The hyper-parameters of :class:`CalibratedSentiment` (its ``__init__``'s).
_PARAMETERS = ("taught_weight", "text_model", "folds", "sampled_folds", "random_state", "workers")


class CalibratedSentiment:
    """Sentiment from a text model's generic opinion corrected by a workspace's own labels.

    Parameters
    ----------
    taught_weight : float
        How much one user-taught label counts relative to one score-derived label.
    text_model : str
        The ``text_model`` setting value whose reading is calibrated (default ``static``).
    folds : int
        Cross-validation folds used to choose how far to move from the prior.
    sampled_folds : int
        At most this many folds past :data:`MAX_CV_LABELS` labels (default
        :data:`SAMPLED_FOLDS`), where the candidates are compared on a sample.
    random_state : int
        Seed of the fold split (the fit is otherwise deterministic).
    workers : int
        Processes the independent fits of cross-validation run on from
        :data:`PARALLEL_LABELS` labels (forked; see :mod:`advocacy.text.workers`); the
        fitted model is the same for any count.

    Attributes
    ----------
    method_ : str
        ``prior adjusted``, ``prior`` or ``head`` (``head + tfidf`` with the stacked TF-IDF).
    penalty_ : float or None
        The chosen inverse L2 penalty (``C``) of the head.
    cv_accuracy_ : dict of str to float
        Cross-validated accuracy of each candidate (empty below :data:`MIN_HEAD_LABELS`).
    cv_recall_ : dict of str to dict of str to float
        Each candidate's cross-validated recall of each class (the share of its labels read
        as that class, weighted as the accuracy is); empty when no candidate was compared, and
        absent from a calibration stored before 2026-12-06.
    cv_counts_ : dict of str to int
        How many labels of each class the candidates were compared on.
    kinds_ : dict of str to int
        How many of the labels were on texts of each kind (``response``, ``mention``,
        ``note``): it reads those with enough of them (:meth:`reads_kind`); empty when the
        kinds were not given (it reads every kind). Absent from a calibration stored before
        2026-12-07.
    sources_ : dict of str to dict of str to int
        How many of the labels of each kind that names a source came from each source (a
        mention's platform, as :func:`~.calibration_kinds.source_key` keys them): within a
        kind it reads, it reads the sources with enough of them (:meth:`reads_text`). Absent
        when the sources were not given, and from a calibration stored before 2026-12-07 (it
        then reads by kind alone).
    name_ : str
        The model name the calibrated readings record: the text model's, then a digest of
        the labelled texts, their labels and weights, the method and penalty chosen and
        :data:`FIT_VERSION` (the same labels refitted name the same model).

    Every fitted attribute (ending in ``_``) exists only once a fit finished
    (:meth:`fit`, or :meth:`LastFits.finish`); :meth:`start_fit` removes an earlier fit's.
    ``get_params``/``set_params`` follow scikit-learn, so ``sklearn.base.clone`` works.

    References
    ----------
    Wolpert, D. (1992). Stacked generalization. Neural Networks 5(2), 241-259.

    Examples
    --------
    >>> texts = ["flight delayed 3 hours", "lost my bag again", "great crew, lovely flight",
    ...          "on time and friendly", "seat was fine", "they never called back"]
    >>> labels = ["negative", "negative", "positive", "positive", "neutral", "negative"]
    >>> model = CalibratedSentiment().fit(texts, labels)
    >>> model.method_
    'prior adjusted'
    >>> model.predict(["delayed again, no one helped"]).labels
    ['negative']
    """

    def __init__(
        self,
        *,
        taught_weight: float = 3.0,
        text_model: str = "static",
        folds: int = 5,
        sampled_folds: int = SAMPLED_FOLDS,
        random_state: int = 0,
        workers: int = 1,
    ) -> None:
        self.taught_weight = taught_weight
        self.text_model = text_model
        self.folds = folds
        self.sampled_folds = sampled_folds
        self.random_state = random_state
        self.workers = workers

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyper-parameters, as scikit-learn's ``get_params`` (``clone`` works with them).

        Written here rather than inherited from ``sklearn.base.BaseEstimator``: importing
        scikit-learn costs about 0.6 s of CPU, which ``text analyze`` spends beside reading the
        labelled texts (:func:`prepare_fit`), and a report that only reads a stored calibration
        never pays it.

        Parameters
        ----------
        deep
            Ignored: no hyper-parameter is an estimator.

        Returns
        -------
        dict
            Each ``__init__`` parameter's name and value.
        """
        return {name: getattr(self, name) for name in _PARAMETERS}

    def set_params(self, **params: Any) -> CalibratedSentiment:
        """Set hyper-parameters, as scikit-learn's ``set_params``; returns the calibration.

        Raises
        ------
        UsageError
            For a name that is not a parameter of ``__init__``.
        """
        for name, value in params.items():
            if name not in _PARAMETERS:
                raise UsageError(
                    f"CalibratedSentiment has no parameter {name!r}",
                    value=name,
                    fix=f"use one of {', '.join(_PARAMETERS)}",
                )
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags (its ``check_is_fitted`` reads them): an estimator that needs a
        fit and a label per text."""
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=True))

    def __repr__(self) -> str:
        fitted = f", {self.description_}" if hasattr(self, "name_") else ""
        return (
            f"CalibratedSentiment(taught_weight={self.taught_weight}, "
            f"text_model={self.text_model!r}{fitted})"
        )

    def read(self, texts: Sequence[str]) -> Any:
        """The configured text model's :class:`~advocacy.text.text_model.Reading` of texts."""
        from advocacy.text.text_model import text_model

        return text_model(self.text_model).read(texts)

    @staticmethod
    def features_from(reading: Any) -> FloatArray:
        """The model's embedding and its generic sentiment log-odds, scaled (see module notes).

        Unit-length embedding rows are multiplied by the square root of their dimension so
        that their components are of order one, like the log-odds: L-BFGS converges quickly.
        """
        return head_features(reading)

    # -- fitting ----------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        taught: Sequence[bool] | None = None,
        reading: Any = None,
        counts: TermCounts | None = None,
        kinds: Sequence[str] | None = None,
        sources: Sequence[object] | None = None,
    ) -> CalibratedSentiment:
        """Fit on texts and their labels; ``taught`` marks user-taught labels (weighted up).

        ``kinds`` names the kind of each text (``response``, ``mention``, ``note``): the
        calibration then reads texts of those kinds only (:meth:`reads_kind`); None: texts of
        any kind (the labels' kind is not known). ``sources`` (with ``kinds``) names where
        each text came from within its kind (a mention's platform; None for none): the
        calibration then reads, within a kind, only the sources it has enough
        labels of (:meth:`reads_text`); None: any source.

        ``reading`` is the configured model's :meth:`read` of ``texts`` when the caller has
        it already (``text analyze`` reads the labelled texts once for the calibration and
        the documents); ``counts``, :func:`~.calibration_tfidf.labelled_counts` of ``texts``
        when the caller has it (the same fit: it spares splitting them during the fit).
        """
        last = self.start_fit(
            texts,
            labels,
            taught=taught,
            reading=reading,
            counts=counts,
            kinds=kinds,
            sources=sources,
        )
        return last.finish(run_tasks(last.tasks, workers=last.workers, meanwhile=last.meanwhile))

    def start_fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        taught: Sequence[bool] | None = None,
        reading: Any = None,
        counts: TermCounts | None = None,
        kinds: Sequence[str] | None = None,
        sources: Sequence[object] | None = None,
    ) -> LastFits:
        """:meth:`fit` up to its last fits, which the caller runs (see :class:`LastFits`).

        Parameters
        ----------
        texts, labels, taught, reading, counts, kinds, sources
            As for :meth:`fit`.

        Returns
        -------
        LastFits
            The last fits; their results given to :meth:`LastFits.finish` fit this
            calibration as :meth:`fit` does. Until then it is not fitted.
        """
        texts, y, weight, marks = checked_labels(
            texts, labels, taught=taught, taught_weight=self.taught_weight
        )
        if reading is None:
            reading = self.read(texts)
        elif len(reading.sentiment) != len(texts):
            raise UsageError(
                f"the reading has {len(reading.sentiment)} rows for {len(texts)} texts",
                fix="pass the reading of exactly these texts, or none",
            )
        if kinds is not None and len(kinds) != len(texts):
            raise UsageError(
                f"kinds has {len(kinds)} entries for {len(texts)} texts",
                fix="pass one kind per text (response, mention or note), or none",
            )
        if sources is not None and (kinds is None or len(sources) != len(texts)):
            raise UsageError(
                f"sources has {len(sources)} entries for {len(texts)} texts"
                + ("" if kinds is not None else ", and no kinds"),
                fix="pass one source per text (a mention's platform; None for none) with "
                "the kinds, or none",
            )
        if counts is not None and len(counts.texts) != len(texts):
            raise UsageError(
                f"the counts have {len(counts.texts)} texts for {len(texts)} labels",
                fix="pass labelled_counts of exactly these texts, or none",
            )
        for name in [name for name in vars(self) if name.endswith("_")]:
            delattr(self, name)  # not fitted until finished, and nothing of an earlier fit
        self.__dict__.pop("_labelled_tfidf", None)
        self.__dict__.pop("_tfidf_columns", None)
        # Only the last fits of this start_fit finish it (a mark that survives pickling: the
        # results come back from worker processes).
        self._fit_mark = fit = secrets.token_hex(8)
        choice, tasks, workers, take, meanwhile = choose(
            texts,
            reading,
            y,
            weight,
            counts,
            folds=self.folds,
            sampled_folds=self.sampled_folds,
            random_state=self.random_state,
            workers=self.workers,
        )
        inputs = inputs_digest(texts, y, weight)
        base = reading.sentiment_model
        if reading.needs_calibration:
            base = f"{base}+{reading.embedder}"

        def finishing(results: list[Any]) -> CalibratedSentiment:
            if getattr(self, "_fit_mark", None) != fit:
                raise UsageError(
                    "these LastFits are from an earlier start_fit of this calibration",
                    fix="finish the LastFits of its latest start_fit (or fit it again)",
                )
            taken = take(unmarked(fit, results))
            self.head_, self.tfidf_, self._labelled_tfidf, self._tfidf_columns = taken
            self.adjustment_ = choice.adjustment
            self.method_, self.penalty_ = choice.method, choice.penalty
            self.cv_accuracy_ = dict(choice.cv_accuracy)
            self.cv_recall_ = {name: dict(found) for name, found in choice.cv_recall.items()}
            self.cv_counts_ = dict(choice.cv_counts)
            self.n_cv_labels_ = choice.n_cv_labels
            if choice.n_folds is not None:
                self.n_folds_ = choice.n_folds
            self.n_labels_ = len(texts)
            self.n_taught_ = int(marks.sum())
            self.classes_ = tuple(SENTIMENTS[i] for i in np.unique(y))
            self.kinds_ = dict(sorted(Counter(map(str, kinds or ())).items()))
            if kinds is not None and sources is not None:
                self.sources_ = source_counts(kinds, sources)
            self.name_ = f"{base}+workspace-{self._digest(inputs)}"
            self.description_ = choice.description(len(texts))
            self.fit_version_ = FIT_VERSION  # absent from fits of before the recall guard
            return self

        return LastFits(marked_tasks(fit, tasks), workers, finishing, meanwhile)

    def _digest(self, inputs: str) -> str:
        # Named by what was fitted on and what was chosen, not by the fitted bits: a text's
        # probabilities differ in their last bit with the batch it is read in (BLAS blocking),
        # L-BFGS carries that to the 6th digit of the coefficients, and the same labels
        # refitted behind one more comment would name a new model and have every stored
        # reading read again. FIT_VERSION stands for the fitting code.
        chosen = f"{FIT_VERSION}|{self.method_}|{self.penalty_!r}|{inputs}"
        return hashlib.sha256(chosen.encode()).hexdigest()[:8]

    # -- prediction -------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "name_"):
            raise UsageError("CalibratedSentiment is not fitted", fix="call fit(texts, labels)")

    def reads_kind(self, kind: str) -> bool:
        """Whether texts of ``kind`` are read through this calibration.

        A calibration learns what one kind of text means (CSAT comments: "arrived late" is a
        complaint) and can read another kind worse than the model alone (the fourth audit,
        item 5: one fitted on Amazon CSAT comments read TweetEval tweets at 0.344 accuracy, the
        model alone at 0.666). So it reads only the kinds it learnt from enough labels of
        (:func:`~.calibration_kinds.read_kinds`: five rated reviews among the mentions must not
        put every tweet under a CSAT calibration); a text of another kind is read by the model
        alone. Fitted without kinds, it reads every kind.

        Parameters
        ----------
        kind
            A document kind (``response``, ``mention``, ``note``).

        Returns
        -------
        bool
            True when the calibration was fitted on enough labels of ``kind``, or without
            kinds.
        """
        self._check_fitted()
        fitted = getattr(self, "kinds_", None)
        return not fitted or str(kind) in read_kinds(fitted)

    def reads_text(self, kind: str, source: object = None) -> bool:
        """Whether a text of ``kind`` from ``source`` is read through this calibration.

        Within a kind, sources differ as kinds do: 30 rated Amazon reviews imported as
        mentions must not put every tweet (also a mention) under a calibration fitted on them
        or on survey comments. So within a kind it reads (:meth:`reads_kind`), it reads the
        sources it learnt from enough labels of (:func:`~.calibration_kinds.read_sources`);
        fitted without sources (or stored before they were recorded), every source.

        Parameters
        ----------
        kind
            A document kind (``response``, ``mention``, ``note``).
        source
            The text's source (a mention's platform; None: none).

        Returns
        -------
        bool
            True when the calibration reads the text.
        """
        self._check_fitted()
        return reads_text(
            dict(getattr(self, "kinds_", {}) or {}),
            dict(getattr(self, "sources_", {}) or {}),
            str(kind),
            source,
        )

    def predict(self, texts: Sequence[str]) -> SentimentResult:
        """Sentiment of ``texts`` through the calibration."""
        self._check_fitted()
        texts = [str(text) for text in texts]
        return self.predict_reading(self.read(texts), texts=texts)

    def predict_reading(
        self, reading: Any, *, texts: Sequence[str] | None = None
    ) -> SentimentResult:
        """Sentiment from a reading of the configured text model (see :meth:`read`).

        ``texts`` (the texts read) is needed when the calibration stacks a TF-IDF model.
        """
        self._check_fitted()
        log_prior = log_probabilities(reading.sentiment)
        if self.method_ == "prior":
            probabilities = np.exp(log_prior)
            probabilities /= probabilities.sum(axis=1, keepdims=True)
        elif self.method_ == "prior adjusted":
            probabilities = self.adjustment_.probabilities(log_prior)
        else:
            features = self.features_from(reading)
            if self.tfidf_ is not None:
                if texts is None or len(texts) != len(log_prior):
                    raise UsageError(
                        "this calibration stacks a TF-IDF model of the taught texts, so it "
                        "needs the texts as well as their reading",
                        fix="call predict_reading(reading, texts=texts) or predict(texts)",
                    )
                tfidf = np.zeros((len(texts), len(SENTIMENTS)))
                classes = np.asarray(self.tfidf_.classes_, dtype=int)
                tfidf[:, classes] = stacked_probabilities(
                    self.tfidf_,
                    texts,
                    columns=getattr(self, "_tfidf_columns", None),
                    labelled=getattr(self, "_labelled_tfidf", None),
                )
                features = np.hstack([features, PRIOR_SCALE * log_odds(tfidf)])
            probabilities = class_probabilities(self.head_, features)
        return sentiment_result(probabilities, self.name_)

    def summary(self) -> dict[str, Any]:
        """How many labels, how they were used, the model name the labels record, and a
        ``warning`` when the chosen candidate reads a class markedly worse than the model
        alone in cross-validation (:func:`~.calibration_report.recall_warning`; a stored
        calibration carries it too)."""
        from advocacy.text.calibration_report import recall_warning

        self._check_fitted()
        warning = recall_warning(self)
        return {
            "model": self.name_,
            "labels": self.n_labels_,
            "taught": self.n_taught_,
            "classes": list(self.classes_),
            "method": self.description_,
            "cross-validated accuracy": dict(self.cv_accuracy_),
            "cross-validated recall": dict(getattr(self, "cv_recall_", {})),
            "cross-validated labels by class": dict(getattr(self, "cv_counts_", {})),
            **({"warning": warning} if warning else {}),
        }
