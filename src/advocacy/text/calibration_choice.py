"""Which cross-validated candidate a sentiment calibration keeps: the most accurate of those
whose macro recall is not below the model alone's beyond the noise and that lose no class the
model alone reads.

Accuracy alone lets a candidate win by reading more texts as the commonest class: on a survey
where most comments come from detractors, a head that calls nearly everything negative can be
the most accurate and find far fewer of the other classes (the third usability audit, F3). So a
candidate is *eligible* only if its cross-validated macro recall (the mean of the classes'
recalls: what a reader who cares for every class equally sees) is not below the model alone's
(the ``prior``) by more than :data:`NOISE_ERRORS` standard errors of their paired difference;
the model alone is always eligible. Among the eligible the most accurate is kept; on a tie the
adjusted prior if it is among the best (what fewer labels gave), else the simplest. What a fit
chose, and with what cross-validated accuracy and recall, is a :class:`Choice`, which also
words it (:meth:`Choice.description`).

The standard error is that of the paired difference (the candidate's and the model alone's
readings of the same labels): within a class, of a weighted mean of the per-label differences
of correctness; over the classes, as the macro mean combines them. Three errors, chosen on the
training pools of ``benchmarks/calibration_training_curve.py`` (docs/benchmarks.md, "The
calibration's choice guards the macro recall"): the only bound tried (1, 1.5, 2, 3 errors)
under which mean accuracy fell by at most 0.005 at every k while macro-F1 and macro recall
did not fall; guards on each class's recall (1, 2, 3 errors) lost up to 0.029 of accuracy, as
a correction that stops the model alone over-reading a class lowers that class's recall.

A candidate that *loses a class* the model alone reads is not eligible either, however the
macro recall hides it (another class gained more): a class is lost when the candidate finds fewer
than :data:`LOST_SHARE` of the share of its labels the model alone finds, and the drop is beyond
:data:`NOISE_ERRORS` standard errors of that class's paired difference (the fourth audit, item 6:
ten taught labels, three of them neutral, refitted 3,029 labels to ``head, C=0.0006``, neutral
recall 0.179 -> 0.000 in cross-validation, the macro recall's drop within the noise, and stored
neutrals fell from 279 to 44). A smaller loss of a class that the macro recall does not show is
not refused: it is named in a warning wherever the calibration is used or reported
(:func:`~advocacy.text.calibration_report.recall_warning`). Written here: scikit-learn's model
selection has no paired, weighted recall guard.

References
----------
Breiman, L., Friedman, J., Olshen, R. & Stone, C. (1984). Classification and Regression
Trees, section 3.4.3 (the rule of standard errors this guard borrows its noise from).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from advocacy.text.calibration_fits import PriorAdjustment

__all__ = [
    "LOST_SHARE",
    "NOISE_ERRORS",
    "Candidate",
    "Choice",
    "RecallShortfall",
    "choose_candidate",
    "losing",
    "lost_classes",
    "recall_shortfall",
]

#: A candidate whose macro recall is below the model alone's by more than this many standard
#: errors of the paired difference is not kept.
NOISE_ERRORS = 3.0
#: A candidate that finds fewer than this share of what the model alone finds of a class (its
#: cross-validated recall below this times the model alone's), beyond the noise, loses the class
#: and is not kept. Half: "loses" rather than "reads somewhat less of" (a correction that stops
#: the model alone over-reading a class lowers that class's recall, and the per-class guards of
#: 2026-12-06 that refused any such drop cost up to 0.029 of accuracy).
LOST_SHARE = 0.5


@dataclass(frozen=True)
class Candidate:
    """One candidate's out-of-fold reading: its key (``prior``, ``head, C=0.002``) and the
    class it read for each label."""

    key: str
    predicted: NDArray[np.int64]


@dataclass(frozen=True)
class RecallShortfall:
    """How far a candidate's cross-validated macro recall is below the model alone's.

    Attributes
    ----------
    drop : float
        The model alone's macro recall minus the candidate's (negative: the candidate's is
        higher).
    standard_error : float
        The standard error of that paired difference.
    """

    drop: float
    standard_error: float

    @property
    def beyond_noise(self) -> bool:
        """Whether the drop exceeds :data:`NOISE_ERRORS` standard errors."""
        return self.drop > NOISE_ERRORS * self.standard_error + 1e-12


def recall_shortfall(
    predicted: NDArray[np.int64],
    reference: NDArray[np.int64],
    y: NDArray[np.int64],
    weight: NDArray[np.float64],
) -> RecallShortfall:
    """The macro recall of ``reference`` minus that of ``predicted``, with its standard error.

    Parameters
    ----------
    predicted, reference
        The classes two candidates read for the same labelled texts.
    y
        The labels.
    weight
        Each label's weight (a taught label counts more), as the accuracy weighs it.

    Returns
    -------
    RecallShortfall
        The mean over the classes in ``y`` of each class's drop in recall, and its standard
        error: each class's variance is that of a weighted mean of the per-label differences
        of correctness, ``sum(w**2 * (d - mean)**2) / sum(w)**2``; the classes' are summed
        (their labels are distinct) and the root divided by the number of classes.
    """
    drops, variances = [], []
    for label in np.unique(y):
        mine = y == label
        w = weight[mine]
        difference = (reference[mine] == label).astype(float) - (predicted[mine] == label)
        mean = float(np.average(difference, weights=w))
        drops.append(mean)
        variances.append(float(np.sum((w * (difference - mean)) ** 2)) / float(w.sum()) ** 2)
    return RecallShortfall(float(np.mean(drops)), float(np.sqrt(np.sum(variances))) / len(drops))


def lost_classes(
    predicted: NDArray[np.int64],
    reference: NDArray[np.int64],
    y: NDArray[np.int64],
    weight: NDArray[np.float64],
) -> list[int]:
    """The classes ``predicted`` loses that ``reference`` reads (see the module notes).

    Parameters
    ----------
    predicted, reference
        The classes a candidate and the model alone read for the same labelled texts.
    y
        The labels.
    weight
        Each label's weight, as the accuracy weighs it.

    Returns
    -------
    list of int
        Each class (index into SENTIMENTS) whose weighted recall under ``predicted`` is below
        :data:`LOST_SHARE` of its recall under ``reference``, with a drop of more than
        :data:`NOISE_ERRORS` standard errors of the paired per-label difference
        (``sqrt(sum(w**2 * (d - mean)**2)) / sum(w)``); a class ``reference`` never reads
        right is not lost.
    """
    lost = []
    for label in np.unique(y):
        mine = y == label
        w = weight[mine]
        theirs = (reference[mine] == label).astype(float)
        ours = (predicted[mine] == label).astype(float)
        found, kept = float(np.average(theirs, weights=w)), float(np.average(ours, weights=w))
        drop = found - kept
        error = float(np.sqrt(np.sum((w * (theirs - ours - drop)) ** 2))) / float(w.sum())
        if found > 0 and kept < LOST_SHARE * found and drop > NOISE_ERRORS * error + 1e-12:
            lost.append(int(label))
    return lost


def losing(recalls: dict[str, dict[str, float]], candidate: str) -> list[str]:
    """The classes whose stored cross-validated recall under ``candidate`` is below
    :data:`LOST_SHARE` of the model alone's (the ``prior``'s): the classes it loses, as far as
    the stored recalls tell (without the noise, which needs the readings).

    Parameters
    ----------
    recalls
        Each candidate's recall of each class (a calibration's ``cv_recall_``).
    candidate
        The candidate's key.

    Returns
    -------
    list of str
        The classes, in the order of SENTIMENTS; empty when the recalls are not at hand.
    """
    alone, mine = recalls.get("prior"), recalls.get(candidate)
    if not alone or mine is None:
        return []
    return [
        name
        for name, found in alone.items()
        if found > 0 and mine.get(name, 0.0) < LOST_SHARE * found
    ]


def choose_candidate(
    candidates: Sequence[Candidate],
    y: NDArray[np.int64],
    weight: NDArray[np.float64],
    *,
    incumbent: str = "prior adjusted",
) -> int:
    """The index of the candidate a calibration keeps (see the module notes).

    Parameters
    ----------
    candidates
        From the simplest; the first is the model alone (the reference of the guard).
    y, weight
        The labels and their weights.
    incumbent
        The key kept on a tie for the best accuracy when it is among the tied.

    Returns
    -------
    int
        The most accurate eligible candidate's index.
    """
    reference = candidates[0].predicted
    eligible = [
        (float(np.average(c.predicted == y, weights=weight)), index)
        for index, c in enumerate(candidates)
        if index == 0
        or not (
            recall_shortfall(c.predicted, reference, y, weight).beyond_noise
            or lost_classes(c.predicted, reference, y, weight)
        )
    ]
    best = max(score for score, _ in eligible)
    tied = [index for score, index in eligible if score >= best - 1e-12]
    return next((i for i in tied if candidates[i].key == incumbent), tied[0])


@dataclass(frozen=True)
class Choice:
    """What cross-validation chose in
    :meth:`~advocacy.text.calibration.CalibratedSentiment.start_fit`; the calibration's fitted
    attributes of the same names are set from it when the last fits finish.

    Attributes
    ----------
    adjustment : PriorAdjustment
        The prior adjustment fitted on every label.
    method : str
        The candidate kept (``prior``, ``prior adjusted``, ``head`` or ``head + tfidf``).
    penalty : float or None
        The kept head's inverse L2 penalty (None: no head).
    cv_accuracy : dict of str to float
        Each candidate's cross-validated accuracy (empty: none was compared).
    n_cv_labels : int
        The labels the candidates were compared on.
    n_folds : int or None
        The folds they were compared in (None: no candidate was compared: too few labels, or
        one class).
    cv_recall : dict of str to dict of str to float
        Per candidate (as ``cv_accuracy``), each class's cross-validated recall.
    cv_counts : dict of str to int
        The labels of each class that the candidates were compared on.
    """

    adjustment: PriorAdjustment
    method: str
    penalty: float | None
    cv_accuracy: dict[str, float]
    n_cv_labels: int
    n_folds: int | None
    cv_recall: dict[str, dict[str, float]] = field(default_factory=dict)
    cv_counts: dict[str, int] = field(default_factory=dict)

    def description(self, n_labels: int) -> str:
        """What was chosen and how, of a fit on ``n_labels`` labels (the calibration's
        ``description_``, which its summary and reports show)."""
        labels = f"{n_labels:,} label{'s' if n_labels != 1 else ''}"
        if self.method == "prior adjusted" and not self.cv_accuracy:
            return f"prior adjusted ({labels})"
        chosen = f"{self.n_folds}-fold CV"
        if self.n_cv_labels < n_labels:
            chosen += f" on {self.n_cv_labels:,} of them"
        if self.method == "prior":
            best = max(self.cv_accuracy, key=lambda name: self.cv_accuracy[name])
            if self.cv_accuracy[best] > self.cv_accuracy["prior"]:
                lost = losing(self.cv_recall, best)
                why = (
                    f"lose the {' and '.join(lost)} texts the model alone finds"
                    if lost
                    else "lower the macro recall beyond the noise"
                )
                return f"prior kept: the corrections more accurate in {chosen} {why} ({labels})"
            return f"prior kept: no correction beat it in {chosen} ({labels})"
        if self.method == "prior adjusted":
            return f"prior adjusted, chosen by {chosen} ({labels})"
        what = "head on embedding + generic log-probabilities"
        if self.method == "head + tfidf":
            what += " + stacked TF-IDF"
        return f"{what}, C={self.penalty:g}, chosen by {chosen} ({labels})"
