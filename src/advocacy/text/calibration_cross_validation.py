"""How a sentiment calibration compares its candidates by cross-validation, and what it chose.

:func:`choose` fits the prior adjustment on every label; from :data:`MIN_HEAD_LABELS` labels
of two classes it compares the candidates of :mod:`advocacy.text.calibration` (the prior, the
adjusted prior, a head on the embedding at each penalty, and from :data:`MIN_TFIDF_LABELS`
labels the head with the out-of-fold probabilities of a TF-IDF model stacked) by stratified
k-fold cross-validation: on every label up to :data:`MAX_CV_LABELS`, past it on a stratified,
seeded sample of :data:`SAMPLED_CV_LABELS` in at most :data:`SAMPLED_FOLDS` folds at
:data:`SAMPLED_PENALTIES`. Which candidate is kept is the rule of
:mod:`advocacy.text.calibration_choice`. What was chosen comes back as a
:class:`~advocacy.text.calibration_choice.Choice`, with the last fits of the chosen candidate
on every label for :class:`~advocacy.text.calibration_tasks.LastFits`. The fits themselves are
:mod:`advocacy.text.calibration_fits`'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.calibration_choice import Candidate, Choice, choose_candidate
from advocacy.text.calibration_fits import (
    fit_adjustment,
    fit_head,
    fit_stacked_head,
    fold_splits,
    head_features,
    log_probabilities,
    penalty_path,
    quietly,
    with_tfidf,
)
from advocacy.text.calibration_out_of_sample import text_key
from advocacy.text.calibration_tfidf import (
    FINAL_TFIDF_SOLVER,
    SpeltVocabulary,
    TermCounts,
    clipped,
)
from advocacy.text.heads import FloatArray
from advocacy.text.sentiment import SENTIMENTS
from advocacy.text.workers import run_tasks

__all__ = [
    "HEAD_PENALTIES",
    "MAX_CV_LABELS",
    "MIN_HEAD_LABELS",
    "MIN_TFIDF_LABELS",
    "PARALLEL_LABELS",
    "PRIOR_STRENGTH",
    "SAMPLED_CV_LABELS",
    "SAMPLED_FOLDS",
    "SAMPLED_PENALTIES",
    "Chosen",
    "choose",
]

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


def _compares_heads(y: NDArray[np.int64]) -> bool:
    """Whether a fit on the labels ``y`` compares heads (scikit-learn) or only adjusts the prior:
    from :data:`MIN_HEAD_LABELS` labels of at least two classes."""
    return len(y) >= MIN_HEAD_LABELS and len(np.unique(y)) >= 2


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


#: Makes the fitted head, TF-IDF model and labelled texts' TF-IDF probabilities of the results
#: of the last fits.
_Take = Callable[[list[Any]], tuple[Any, Any, Any, Any]]
#: The choice, the last fits, their processes, their :data:`_Take` and its ``meanwhile``.
Chosen = tuple[Choice, list[Callable[[], Any]], int, _Take, Callable[[], None] | None]


def choose(
    texts: list[str],
    reading: Any,
    y: NDArray[np.int64],
    weight: FloatArray,
    counts: TermCounts | None = None,
    *,
    folds: int,
    sampled_folds: int,
    random_state: int,
    workers: int,
) -> Chosen:
    """Choose among the candidates: the choice, the chosen one's last fits, the processes
    to run them on, what makes the fitted models of their results (every fit runs
    :func:`~.calibration_fits.quietly`) and what it may do while they run.

    Parameters
    ----------
    texts, reading, y, weight
        The labelled texts, the text model's reading of them, their classes (indices into
        SENTIMENTS) and their labels' weights.
    counts
        :func:`~.calibration_tfidf.labelled_counts` of ``texts`` if the caller has it.
    folds, sampled_folds, random_state, workers
        The calibration's hyper-parameters of the same names
        (:class:`~advocacy.text.calibration.CalibratedSentiment`).

    Returns
    -------
    tuple
        :data:`Chosen`.
    """
    among = partial(
        _choose_among_candidates,
        texts,
        reading,
        y,
        weight,
        counts,
        folds=folds,
        sampled_folds=sampled_folds,
        random_state=random_state,
        workers=workers,
    )
    chosen: Chosen = quietly(among, scikit_learn=_compares_heads(y))()
    return chosen


def _choose_among_candidates(
    texts: list[str],
    reading: Any,
    y: NDArray[np.int64],
    weight: FloatArray,
    split: TermCounts | None,
    *,
    folds: int,
    sampled_folds: int,
    random_state: int,
    workers: int,
) -> Chosen:
    log_prior = log_probabilities(reading.sentiment)
    adjustment = fit_adjustment(log_prior, y, weight, PRIOR_STRENGTH)
    nothing: _Take = lambda results: (None, None, None, None)  # noqa: E731
    if not _compares_heads(y):
        adjusted = Choice(adjustment, "prior adjusted", None, {}, len(y), None)
        return adjusted, [], 1, nothing, None
    features = head_features(reading)
    workers = workers if len(y) >= PARALLEL_LABELS else 1
    rows = _cv_rows(y, weight, random_state)
    fold_count = folds if len(y) <= MAX_CV_LABELS else min(folds, sampled_folds)
    splits = fold_splits(y[rows], fold_count, random_state)
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
        tfidf, models = _tfidf_fits(
            counts,
            rows,
            y,
            folds=fold_count,
            random_state=random_state,
            workers=workers,
            meanwhile=early,
        )
        stacked = with_tfidf(features[rows], tfidf[rows])
    scores, method, penalty, recalls = _cross_validate(
        log_prior[rows],
        features[rows],
        stacked,
        y[rows],
        weight[rows],
        folds=fold_count,
        random_state=random_state,
        workers=workers,
        penalties=HEAD_PENALTIES if len(y) <= MAX_CV_LABELS else SAMPLED_PENALTIES,
    )
    classes, counts_found = np.unique(y[rows], return_counts=True)
    compared = {SENTIMENTS[c]: int(n) for c, n in zip(classes, counts_found, strict=True)}
    choice = Choice(adjustment, method, penalty, scores, len(rows), len(splits), recalls, compared)
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
    counts: TermCounts,
    rows: NDArray[np.int64],
    y: NDArray[np.int64],
    *,
    folds: int,
    random_state: int,
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
    splits = fold_splits(y[rows], folds, random_state)
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
    log_prior: FloatArray,
    features: FloatArray,
    stacked: FloatArray | None,
    y: NDArray[np.int64],
    weight: FloatArray,
    *,
    folds: int,
    random_state: int,
    workers: int = 1,
    penalties: Sequence[float] = HEAD_PENALTIES,
) -> tuple[dict[str, float], str, float | None, dict[str, dict[str, float]]]:
    """Score every candidate by ``folds``-fold CV at each of the head's ``penalties``:
    the accuracy of each, the one kept with its penalty, and each candidate's recall of
    each class (what the accuracy hides: a candidate may win it by reading more texts as
    the commonest class). The most accurate candidate whose macro recall is not below the
    model alone's beyond the noise is kept; on a tie the adjusted prior if it is among the
    best, else the simplest (:func:`~.calibration_choice.choose_candidate`)."""
    splits = fold_splits(y, folds, random_state)

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
