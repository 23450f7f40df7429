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
  beyond cross-validation's noise is kept (:mod:`~advocacy.text.calibration_choice`:
  accuracy alone can be won by reading more texts as the commonest class). On a tie the
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

Labels from scores: :mod:`advocacy.text.scale_sentiment`.

scikit-learn fits the heads and the TF-IDF model; only the three-parameter prior adjustment
(logistic regression with an offset and a prior centred on "no change", which scikit-learn does
not offer) is written here, with SciPy's L-BFGS.

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
import importlib
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.calibration_choice import Candidate, choose_candidate
from advocacy.text.calibration_fits import (
    PRIOR_SCALE,
    PriorAdjustment,
    class_probabilities,
    fit_adjustment,
    fit_head,
    fit_stacked_head,
    fold_splits,
    log_odds,
    log_probabilities,
    penalty_path,
    quietly,
    with_tfidf,
)
from advocacy.text.calibration_tfidf import (
    FINAL_TFIDF_SOLVER,
    SpeltVocabulary,
    TermCounts,
    clipped,
    pipeline_probabilities,
)
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
#: labels and what was chosen, not the fitted bits): raise it when a change of this module
#: changes what a calibration fitted on the same labels reads, so stored readings are read again.
#: 2 (2026-12-06): the TF-IDF model on every label is fitted by
#: :data:`~advocacy.text.calibration_tfidf.FINAL_TFIDF_SOLVER`. 3 (2026-12-07): the head on
#: every label is solved by Newton-Cholesky from
#: :data:`~advocacy.text.calibration_fits.EXACT_HEAD_LABELS` labels (at weaker penalties).
FIT_VERSION = 3
#: From this many labels (in at least two classes) a head on the embedding is a candidate.
MIN_HEAD_LABELS = 30
#: From this many labels a TF-IDF model of the labelled texts is stacked if it helps. (100 and
#: the penalty grid were chosen on MARC fr/es train and dev rows, never on evaluated rows.)
MIN_TFIDF_LABELS = 100
#: Inverse L2 penalties of the head, tried by cross-validation (strongest penalty first). The
#: weakest, 0.2, went (2026-12-05): its fits took 40% of the cross-validation's L-BFGS steps,
#: and on the learning curve of benchmarks/text_eval.py it won only with 100 labels (5 of 62
#: fits), where mean held-out accuracy without it was .7603 against .7589 (300 and 1,000
#: labels: the same choices).
HEAD_PENALTIES = (0.0006, 0.002, 0.006, 0.02, 0.06)
#: The penalties tried past :data:`MAX_CV_LABELS` labels, on the comparison sample: without
#: 0.06, which no fit chose there (22 fits of benchmarks/calibration_labels.py, chosen by their
#: own cross-validation) and whose fits took 40% of the penalty paths' L-BFGS steps.
SAMPLED_PENALTIES = (0.0006, 0.002, 0.006, 0.02)
#: How many labels' worth of belief the prior adjustment starts with (its shrinkage).
PRIOR_STRENGTH = 10.0
#: Cross-validation compares the candidates on at most this many labels (a stratified sample;
#: the learning curve's largest step), so choosing costs the same in a workspace of any size;
#: the chosen candidate is then fitted once on every label (benchmarks/calibration_labels.py).
MAX_CV_LABELS = 1_000
#: Past :data:`MAX_CV_LABELS` labels, the size of the stratified sample the candidates are
#: compared on (1,000 until 2026-12-06): with :data:`SAMPLED_PENALTIES`, 42% less CPU in the
#: fit, and on held-out rows of the same 22 fits mean accuracy 0.7801 against 0.7794, macro-F1
#: 0.6842 against 0.6802 (docs/benchmarks.md). Up to the cap nothing changed, so the learning
#: curve (k <= 1,000) is the same. One label past the cap halves the labels compared on (and
#: 5 folds become 3): a sample shrinking one label per label (999 at 1,001, 500 from 1,500) was
#: tried and not kept: held out, it gained at 1,001-1,150 labels and lost at 1,280-1,396, each
#: within the seeds' spread, for 36% more CPU there (docs/benchmarks.md, speedfix lane).
SAMPLED_CV_LABELS = 500
#: Past :data:`MAX_CV_LABELS` labels the comparison sample is split into at most this many
#: folds rather than ``folds``: on held-out rows of 11 real sets with 1,280-2,717 labels
#: (``benchmarks/calibration_labels.py``, 22 fits) three folds chose as well as five (mean
#: accuracy 0.7794 against 0.7800, macro-F1 0.6802 against 0.6827, within the seeds' spread)
#: for 54% of the fit's CPU; below it, where every label is compared on, five are kept.
SAMPLED_FOLDS = 3
#: From this many labels the independent fits run on ``workers`` processes; below it forking
#: them (some 50-100 ms a time for a process holding the models) costs what they save.
PARALLEL_LABELS = 500

_INDEX = {name: i for i, name in enumerate(SENTIMENTS)}
#: The hyper-parameters of :class:`CalibratedSentiment` (its ``__init__``'s).
_PARAMETERS = ("taught_weight", "text_model", "folds", "sampled_folds", "random_state", "workers")


def prepare_fit(labels: int | None = None) -> None:
    """Import what a fit on ``labels`` labels needs (SciPy's optimiser, and scikit-learn from
    :data:`MIN_HEAD_LABELS`, None: any count: about 0.6-0.9 CPU s in a new process), for a
    caller to do while its workers read the labelled texts. Below :data:`MIN_HEAD_LABELS` the
    prior is only adjusted, which never imports scikit-learn."""
    modules = ["scipy.optimize"]
    if labels is None or labels >= MIN_HEAD_LABELS:
        modules += ["sklearn.feature_extraction.text", "sklearn.linear_model"]
        modules += ["sklearn.model_selection", "sklearn.pipeline"]
    for module in modules:
        importlib.import_module(module)


def _compares_heads(y: NDArray[np.int64]) -> bool:
    """Whether a fit on the labels ``y`` compares heads (scikit-learn) or only adjusts the prior:
    from :data:`MIN_HEAD_LABELS` labels of at least two classes."""
    return len(y) >= MIN_HEAD_LABELS and len(np.unique(y)) >= 2


@dataclass(frozen=True)
class _Result:
    """What one last fit returned, marked with its fit and its place among the last fits."""

    fit: str
    index: int
    value: Any


def _marked(fit: str, index: int, task: Callable[[], Any]) -> _Result:
    return _Result(fit, index, task())


@dataclass(frozen=True)
class LastFits:
    """The last fits of :meth:`CalibratedSentiment.start_fit`, for the caller to run.

    They are independent of each other (the final TF-IDF model and the head, on every label),
    so a caller with workers may run its own tasks beside them (``text analyze`` reads its first
    documents there) and then gives their results, in order, to :meth:`finish`.
    ``CalibratedSentiment.fit`` is ``finish(run_tasks(tasks, workers=workers,
    meanwhile=meanwhile))``. Only the last fits of the latest ``start_fit`` of a calibration
    finish it, and only with what their own tasks returned.

    Attributes
    ----------
    tasks : list of callables
        The fits, functions of no arguments (none when the fit chose no head).
    workers : int
        The processes the fit would run them on by itself.
    finishing : callable
        What :meth:`finish` calls with the results once it has checked how many there are.
    meanwhile : callable or None
        What :meth:`finish` would do that the fits do not need (spelling out the final TF-IDF
        model's vocabulary), for the caller to run while they run
        (:func:`~advocacy.text.workers.run_tasks`' ``meanwhile``); :meth:`finish` does what
        it did not (None: nothing to do).
    """

    tasks: list[Callable[[], Any]]
    workers: int
    finishing: Callable[[list[Any]], CalibratedSentiment]
    meanwhile: Callable[[], None] | None = None

    def finish(self, results: Sequence[Any]) -> CalibratedSentiment:
        """The fitted calibration, from the results of :attr:`tasks` in their order.

        Parameters
        ----------
        results
            One result per task, as :func:`~advocacy.text.workers.run_tasks` returns them.

        Returns
        -------
        CalibratedSentiment
            The calibration :meth:`~CalibratedSentiment.start_fit` was called on, fitted.

        Raises
        ------
        UsageError
            When there is not one result per task, a result is not what its task returned,
            or the calibration was started again since these last fits.
        """
        if len(results) != len(self.tasks):
            raise UsageError(
                f"{len(results)} results for the {len(self.tasks)} last fits",
                fix="pass the result of every task of these LastFits, in order",
            )
        return self.finishing(list(results))


def _cv_rows(y: NDArray[np.int64], weight: FloatArray, random_state: int) -> NDArray[np.int64]:
    """The labels cross-validation compares candidates on: all up to :data:`MAX_CV_LABELS`.

    Past that many, a seeded sample of :data:`SAMPLED_CV_LABELS` stratified by class (taught
    labels first) is as good a judge of which candidate wins and keeps the choice from growing
    with the workspace; the chosen model is then fitted on every label.
    """
    if len(y) <= MAX_CV_LABELS:
        return np.arange(len(y))
    rng = np.random.default_rng(random_state)
    order = np.lexsort((rng.random(len(y)), -weight))  # taught (heavier) first, then shuffled
    classes, counts = np.unique(y, return_counts=True)
    kept = []
    for label, count in zip(classes, counts, strict=True):
        quota = max(2, round(SAMPLED_CV_LABELS * count / len(y)))
        kept.append(order[y[order] == label][:quota])
    return np.sort(np.concatenate(kept))


@dataclass(frozen=True)
class _Choice:
    """What cross-validation chose in :meth:`CalibratedSentiment.start_fit`; the fitted
    attributes of the same names are set from it when the last fits finish."""

    adjustment: PriorAdjustment
    method: str
    penalty: float | None
    cv_accuracy: dict[str, float]
    n_cv_labels: int
    n_folds: int | None  # None: no candidate was compared (too few labels, or one class)
    #: Per candidate (as ``cv_accuracy``), each class's cross-validated recall.
    cv_recall: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The labels of each class that the candidates were compared on.
    cv_counts: dict[str, int] = field(default_factory=dict)


#: Makes the fitted head, TF-IDF model and labelled texts' TF-IDF probabilities of the results
#: of the last fits.
_Take = Callable[[list[Any]], tuple[Any, Any, Any, Any]]
#: The choice, the last fits, their processes, their :data:`_Take` and its ``meanwhile``.
_Chosen = tuple["_Choice", list[Callable[[], Any]], int, _Take, Callable[[], None] | None]


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
        embeddings = np.asarray(reading.embeddings, dtype=np.float64)
        embeddings = embeddings * math.sqrt(embeddings.shape[1])
        return np.hstack([embeddings, PRIOR_SCALE * log_odds(reading.sentiment)])

    # -- fitting ----------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        taught: Sequence[bool] | None = None,
        reading: Any = None,
        counts: TermCounts | None = None,
    ) -> CalibratedSentiment:
        """Fit on texts and their labels; ``taught`` marks user-taught labels (weighted up).

        ``reading`` is the configured model's :meth:`read` of ``texts`` when the caller has
        it already (``text analyze`` reads the labelled texts once for the calibration and
        the documents); ``counts``, :func:`~.calibration_tfidf.labelled_counts` of ``texts``
        when the caller has it (the same fit: it spares splitting them during the fit).
        """
        last = self.start_fit(texts, labels, taught=taught, reading=reading, counts=counts)
        return last.finish(run_tasks(last.tasks, workers=last.workers, meanwhile=last.meanwhile))

    def start_fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        taught: Sequence[bool] | None = None,
        reading: Any = None,
        counts: TermCounts | None = None,
    ) -> LastFits:
        """:meth:`fit` up to its last fits, which the caller runs (see :class:`LastFits`).

        Parameters
        ----------
        texts, labels, taught, reading, counts
            As for :meth:`fit`.

        Returns
        -------
        LastFits
            The last fits; their results given to :meth:`LastFits.finish` fit this
            calibration as :meth:`fit` does. Until then it is not fitted.
        """
        texts = [str(text) for text in texts]
        if len(texts) != len(labels) or not texts:
            raise UsageError(
                f"calibration needs at least one labelled text and one label per text "
                f"(got {len(texts)} texts, {len(labels)} labels)",
                fix="teach labels (advocacy text teach FILE) or import scored comments",
            )
        unknown = sorted({str(label) for label in labels} - set(SENTIMENTS))
        if unknown:
            raise UsageError(
                f"unknown sentiment label {unknown[0]!r}",
                value=unknown[0],
                fix="use negative, neutral or positive",
            )
        marks = np.zeros(len(texts), bool) if taught is None else np.asarray(taught, bool)
        if marks.shape != (len(texts),):
            raise UsageError(
                f"taught needs one flag per text (got {marks.size} for {len(texts)})",
                fix="pass taught=[True or False, one per text]",
            )
        y = np.array([_INDEX[str(label)] for label in labels], dtype=np.int64)
        weight = np.where(marks, self.taught_weight, 1.0)
        if reading is None:
            reading = self.read(texts)
        elif len(reading.sentiment) != len(texts):
            raise UsageError(
                f"the reading has {len(reading.sentiment)} rows for {len(texts)} texts",
                fix="pass the reading of exactly these texts, or none",
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
        choice, tasks, workers, take, meanwhile = self._choose(texts, reading, y, weight, counts)
        inputs = _inputs_digest(texts, y, weight)
        base = reading.sentiment_model
        if reading.needs_calibration:
            base = f"{base}+{reading.embedder}"

        def finishing(results: list[Any]) -> CalibratedSentiment:
            if getattr(self, "_fit_mark", None) != fit:
                raise UsageError(
                    "these LastFits are from an earlier start_fit of this calibration",
                    fix="finish the LastFits of its latest start_fit (or fit it again)",
                )
            for index, result in enumerate(results):
                if not (isinstance(result, _Result) and (result.fit, result.index) == (fit, index)):
                    raise UsageError(
                        f"result {index} is not what task {index} of these LastFits returned",
                        fix="pass what each task of these LastFits returned, in their order",
                    )
            taken = take([r.value for r in results])
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
            self.name_ = f"{base}+workspace-{self._digest(inputs)}"
            self.description_ = self._describe()
            self.fit_version_ = FIT_VERSION  # absent from fits of before the recall guard
            return self

        marked: list[Callable[[], Any]] = [
            partial(_marked, fit, index, task) for index, task in enumerate(tasks)
        ]
        return LastFits(marked, workers, finishing, meanwhile)

    def _choose(
        self,
        texts: list[str],
        reading: Any,
        y: NDArray[np.int64],
        weight: FloatArray,
        counts: TermCounts | None = None,
    ) -> _Chosen:
        """Choose among the candidates: the choice, the chosen one's last fits, the processes
        to run them on, what makes the fitted models of their results (every fit runs
        :func:`~.calibration_fits.quietly`) and what it may do while they run."""
        choose = partial(self._choose_among_candidates, texts, reading, y, weight, counts)
        chosen: _Chosen = quietly(choose, scikit_learn=_compares_heads(y))()
        return chosen

    def _choose_among_candidates(
        self,
        texts: list[str],
        reading: Any,
        y: NDArray[np.int64],
        weight: FloatArray,
        split: TermCounts | None,
    ) -> _Chosen:
        log_prior = log_probabilities(reading.sentiment)
        adjustment = fit_adjustment(log_prior, y, weight, PRIOR_STRENGTH)
        nothing: _Take = lambda results: (None, None, None, None)  # noqa: E731
        if not _compares_heads(y):
            adjusted = _Choice(adjustment, "prior adjusted", None, {}, len(y), None)
            return adjusted, [], 1, nothing, None
        features = self.features_from(reading)
        workers = self.workers if len(y) >= PARALLEL_LABELS else 1
        rows = _cv_rows(y, weight, self.random_state)
        fold_count = self.folds if len(y) <= MAX_CV_LABELS else min(self.folds, self.sampled_folds)
        folds = fold_splits(y[rows], fold_count, self.random_state)
        # Each text split into n-grams once (here, or by the caller before the fit).
        stacked, counts = None, split if split is not None else TermCounts(clipped(texts))
        rest = np.setdiff1d(np.arange(len(y)), rows)  # labels the comparison did not use
        tfidf: FloatArray | None = None
        models: list[Any] = []
        if len(y) >= MIN_TFIDF_LABELS:
            # The labels beyond the sample are split into n-grams while a worker fits the
            # folds (an odd number of tasks on two processes leaves one waiting): the stacked
            # head, if it wins, needs them. With one process, only then.
            early = partial(counts.split, rest) if workers > 1 and len(rest) else None
            tfidf, models = self._tfidf_fits(
                counts, rows, y, folds=fold_count, workers=workers, meanwhile=early
            )
            stacked = with_tfidf(features[rows], tfidf[rows])
        scores, method, penalty, recalls = self._cross_validate(
            log_prior[rows],
            features[rows],
            stacked,
            y[rows],
            weight[rows],
            folds=fold_count,
            workers=workers,
            penalties=HEAD_PENALTIES if len(y) <= MAX_CV_LABELS else SAMPLED_PENALTIES,
        )
        classes, counts_found = np.unique(y[rows], return_counts=True)
        compared = {SENTIMENTS[c]: int(n) for c, n in zip(classes, counts_found, strict=True)}
        choice = _Choice(
            adjustment, method, penalty, scores, len(rows), len(folds), recalls, compared
        )
        if not method.startswith("head"):
            return choice, [], 1, nothing, None
        chosen = float(penalty or 1.0)
        if method == "head + tfidf" and tfidf is not None:
            counts.split(rest)  # once, before the fork: both fits below read every text
            everything = np.arange(len(y))
            spelt: list[SpeltVocabulary] = []

            def spell() -> None:
                # The final model's vocabulary is every term (known before it is fitted),
                # spelt out while the fits run rather than after, while a core waits.
                if not spelt:
                    spelt.append(counts.spell(counts.vocabulary(everything)))

            def take(results: list[Any]) -> tuple[Any, Any, Any, Any]:
                fitted_tfidf, (head, out_of_sample) = results
                # Spelt out from the counts split before the fork (see fit_model): while the
                # fits ran, when the caller ran ``meanwhile``, else here.
                spell()
                tfidf_model = counts.pipeline_of(fitted_tfidf, spelt=spelt[0])
                # The labelled texts are read with the TF-IDF probabilities the head was fitted
                # on, out of sample: the final model has seen their labels and echoes them.
                classes = np.asarray(tfidf_model.classes_, dtype=int)
                found = out_of_sample[:, classes]
                labelled = ({text_key(text): i for i, text in enumerate(texts)}, found)
                # New texts are counted by their words (the same counts, a third the cost).
                columns = (
                    spelt[0].columns
                    if spelt[0].of(fitted_tfidf[1])
                    else counts.ngram_columns(fitted_tfidf[1])
                )
                return head, tfidf_model, labelled, columns

            # The TF-IDF model on every label beside the head.
            fits: list[Callable[[], Any]] = [
                partial(counts.fit_model, everything, y, solver=FINAL_TFIDF_SOLVER),
                partial(fit_stacked_head, chosen, features, tfidf, counts, models, rest, y, weight),
            ]
            return choice, [quietly(fit) for fit in fits], workers, take, spell

        def take_head(results: list[Any]) -> tuple[Any, Any, Any, Any]:
            return results[0], None, None, None

        fit = quietly(partial(fit_head, chosen, features, y, weight))
        return choice, [fit], 1, take_head, None

    def _tfidf_fits(
        self,
        counts: TermCounts,
        rows: NDArray[np.int64],
        y: NDArray[np.int64],
        *,
        folds: int,
        workers: int = 1,
        meanwhile: Callable[[], None] | None = None,
    ) -> tuple[FloatArray, list[Any]]:
        """Out-of-fold probabilities of a TF-IDF model of the texts at ``rows`` (those
        cross-validation compares on; zero elsewhere), and the folds' fitted models
        (``meanwhile``: the caller's own work, see :func:`~advocacy.text.workers.run_tasks`).

        Past :data:`MAX_CV_LABELS` the other labels are stacked with the mean of these models'
        probabilities if a head with the TF-IDF wins, so the chosen candidate is fitted once
        on every label, never chosen again on them.
        """
        splits = fold_splits(y[rows], folds, self.random_state)
        counts.split(rows)  # once, here, rather than in each worker
        done = run_tasks(
            [
                partial(counts.fit_predict_model, rows[train], y[rows][train], rows[test])
                for train, test in splits
            ],
            workers=workers,
            meanwhile=meanwhile,
        )
        probabilities = np.zeros((len(y), len(SENTIMENTS)))
        for (_, test), (found, classes, _) in zip(splits, done, strict=True):
            probabilities[np.ix_(rows[test], np.asarray(classes, dtype=int))] = found
        return probabilities, [model for _, _, model in done]

    def _cross_validate(
        self,
        log_prior: FloatArray,
        features: FloatArray,
        stacked: FloatArray | None,
        y: NDArray[np.int64],
        weight: FloatArray,
        *,
        folds: int,
        workers: int = 1,
        penalties: Sequence[float] = HEAD_PENALTIES,
    ) -> tuple[dict[str, float], str, float | None, dict[str, dict[str, float]]]:
        """Score every candidate by ``folds``-fold CV at each of the head's ``penalties``:
        the accuracy of each, the one kept with its penalty, and each candidate's recall of
        each class (what the accuracy hides: a candidate may win it by reading more texts as
        the commonest class). The most accurate candidate whose macro recall is not below the
        model alone's beyond the noise is kept; on a tie the adjusted prior if it is among the
        best, else the simplest (:func:`~.calibration_choice.choose_candidate`)."""
        splits = fold_splits(y, folds, self.random_state)

        def key(name: str, tried: float | None) -> str:
            return name if tried is None else f"{name}, C={tried:g}"

        # Candidates from the simplest: on a tie the earlier one is kept.
        candidates = [Candidate("prior", log_prior.argmax(axis=1))]
        adjusted = np.zeros(len(y), dtype=np.int64)
        for train, test in splits:
            fitted = fit_adjustment(log_prior[train], y[train], weight[train], PRIOR_STRENGTH)
            adjusted[test] = fitted.probabilities(log_prior[test]).argmax(axis=1)
        candidates.append(Candidate("prior adjusted", adjusted))
        heads = (("head", features), ("head + tfidf", stacked))
        paths = [
            (name, matrix, train, test)
            for name, matrix in heads
            if matrix is not None
            for train, test in splits
        ]
        # Each (candidate, fold) penalty path is one task: the workers share them out.
        done = run_tasks(
            [
                partial(penalty_path, matrix, y, weight, train, test, penalties)
                for _, matrix, train, test in paths
            ],
            workers=workers,
        )
        tried_penalties: list[float | None] = [None, None]
        for name, matrix in heads:
            if matrix is None:
                continue
            predicted = np.zeros((len(penalties), len(y)), dtype=np.int64)
            for (path_name, _, _, test), path in zip(paths, done, strict=True):
                if path_name == name:
                    predicted[:, test] = path
            for step, penalty in enumerate(penalties):
                candidates.append(Candidate(key(name, penalty), predicted[step]))
                tried_penalties.append(penalty)
        accuracies = {
            c.key: round(float(np.average(c.predicted == y, weights=weight)), 4) for c in candidates
        }
        recalls = {
            c.key: {
                SENTIMENTS[label]: round(
                    float(np.average(c.predicted[y == label] == label, weights=weight[y == label])),
                    4,
                )
                for label in np.unique(y)
            }
            for c in candidates
        }
        kept = choose_candidate(candidates, y, weight)
        method = candidates[kept].key.partition(", C=")[0]
        return accuracies, method, tried_penalties[kept], recalls

    def _digest(self, inputs: str) -> str:
        # Named by what was fitted on and what was chosen, not by the fitted bits: a text's
        # probabilities differ in their last bit with the batch it is read in (BLAS blocking),
        # L-BFGS carries that to the 6th digit of the coefficients, and the same labels
        # refitted behind one more comment would name a new model and have every stored
        # reading read again. FIT_VERSION stands for the fitting code.
        chosen = f"{FIT_VERSION}|{self.method_}|{self.penalty_!r}|{inputs}"
        return hashlib.sha256(chosen.encode()).hexdigest()[:8]

    def _describe(self) -> str:
        labels = f"{self.n_labels_:,} label{'s' if self.n_labels_ != 1 else ''}"
        if self.method_ == "prior adjusted" and not self.cv_accuracy_:
            return f"prior adjusted ({labels})"
        chosen = f"{self.n_folds_}-fold CV"
        if self.n_cv_labels_ < self.n_labels_:
            chosen += f" on {self.n_cv_labels_:,} of them"
        if self.method_ == "prior":
            if max(self.cv_accuracy_.values()) > self.cv_accuracy_["prior"]:
                return (
                    f"prior kept: the corrections more accurate in {chosen} lower the macro "
                    f"recall beyond the noise ({labels})"
                )
            return f"prior kept: no correction beat it in {chosen} ({labels})"
        if self.method_ == "prior adjusted":
            return f"prior adjusted, chosen by {chosen} ({labels})"
        what = "head on embedding + generic log-probabilities"
        if self.method_ == "head + tfidf":
            what += " + stacked TF-IDF"
        return f"{what}, C={self.penalty_:g}, chosen by {chosen} ({labels})"

    # -- prediction -------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "name_"):
            raise UsageError("CalibratedSentiment is not fitted", fix="call fit(texts, labels)")

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
                tfidf[:, classes] = self._tfidf_probabilities(texts)
                features = np.hstack([features, PRIOR_SCALE * log_odds(tfidf)])
            probabilities = class_probabilities(self.head_, features)
        return sentiment_result(probabilities, self.name_)

    def _tfidf_probabilities(self, texts: Sequence[str]) -> FloatArray:
        """The stacked TF-IDF model's probabilities of ``texts`` (columns: its classes); a
        labelled text's are its out-of-sample probabilities from the fit, those the head was
        fitted on, so its reading is the model's, not its own label echoed back by a TF-IDF
        model that has seen it."""
        # A fit of this run holds its vocabulary by its words as well (a stored one does not).
        probabilities = partial(
            pipeline_probabilities, self.tfidf_, columns=getattr(self, "_tfidf_columns", None)
        )
        kept: tuple[dict[bytes, int], FloatArray] | None = getattr(self, "_labelled_tfidf", None)
        if kept is None:
            return probabilities(clipped(texts))
        row, found = kept
        rows = np.fromiter(
            (row.get(text_key(text), -1) for text in texts), np.int64, count=len(texts)
        )
        if not (rows >= 0).any():
            return probabilities(clipped(texts))
        out = np.empty((len(texts), found.shape[1]))
        known = rows >= 0
        out[known] = found[rows[known]]
        if not known.all():
            fresh = [texts[int(i)] for i in np.flatnonzero(~known)]
            out[~known] = probabilities(clipped(fresh))
        return out

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


#: Bytes of a :func:`text_key`.
TEXT_KEY_BYTES = 16


def text_key(text: str) -> bytes:
    """The key of a labelled text in a calibration's out-of-sample TF-IDF probabilities
    (:data:`TEXT_KEY_BYTES` of BLAKE2b of its UTF-8, lone surrogates kept): a stored fit holds
    the keys, not the texts, and reads a labelled text as the fit that stored it did."""
    return hashlib.blake2b(
        text.encode("utf-8", "surrogatepass"), digest_size=TEXT_KEY_BYTES
    ).digest()


def _inputs_digest(texts: Sequence[str], y: NDArray[Any], weight: NDArray[Any]) -> str:
    """Digest of the labelled texts, in order, with their labels and weights."""
    digest = hashlib.sha256()
    for text in texts:
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(weight, dtype=np.float64).tobytes())
    return digest.hexdigest()
