"""How good a sentiment calibration is, in the words ``text teach`` and ``text analyze`` print.

A calibration (:class:`~advocacy.text.calibration.CalibratedSentiment`) is chosen among
candidates by cross-validated accuracy on the workspace's labels. Accuracy alone hides what a
CX analyst cares about most: a candidate can win it by reading more texts as the commonest
class, and read fewer complaints as negative. So the report gives the chosen candidate's
cross-validated accuracy beside the model alone's (the ``prior``: the shipped model's own
reading) and the adjusted prior's, each class's cross-validated recall for both with the
number of labels of the class, on how many labels and folds they were compared and why on a
sample, and a warning when the choice reads a class markedly worse than the model alone. These
are cross-validated on the labels themselves; ``advocacy text evaluate FILE`` measures the
reading on a held-out labelled file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.text.calibration import CalibratedSentiment

__all__ = ["RECALL_DROP", "calibration_report", "chosen_candidate"]

#: A class whose cross-validated recall under the chosen calibration is this much below the
#: model alone's is named in a warning.
RECALL_DROP = 0.05


def chosen_candidate(calibrated: CalibratedSentiment) -> str:
    """The chosen candidate's key in ``cv_accuracy_`` (``prior``, ``head, C=0.0006``)."""
    if calibrated.penalty_ is None:
        return str(calibrated.method_)
    return f"{calibrated.method_}, C={calibrated.penalty_:g}"


def _recall(found: dict[str, float], counts: dict[str, int]) -> str:
    return ", ".join(
        f"{name} {found[name]:.3f} of {counts.get(name, 0):,}"
        for name in SENTIMENTS
        if name in found
    )


def calibration_report(calibrated: CalibratedSentiment | None, status: str) -> dict[str, str]:
    """What a calibration is worth, for people: one line per field.

    Parameters
    ----------
    calibrated
        The fitted calibration (None: there is none).
    status
        How it was fitted or kept, or why there is none (``ws.text.calibration_status()``).

    Returns
    -------
    dict of str to str
        ``calibration`` (the method; when there is none, why) and ``calibration status``
        (how it was fitted or kept, and which labels were left out), and when candidates were
        compared:
        ``compared on``, ``accuracy (cross-validated)``, ``recall, chosen`` and ``recall,
        model alone`` (when the calibration holds them), and ``warning`` when the choice reads
        a class at least :data:`RECALL_DROP` worse than the model alone.
    """
    if calibrated is None:
        return {"calibration": status}
    report = {"calibration": str(calibrated.description_), "calibration status": status}
    scores = dict(calibrated.cv_accuracy_)
    n_labels = int(calibrated.n_labels_)
    if not scores:
        report["accuracy (cross-validated)"] = (
            f"not measured: with {n_labels:,} label{'s' if n_labels != 1 else ''} "
            f"({', '.join(calibrated.classes_)}) the model's prior is only adjusted, shrunk "
            "towards the model; from 30 labels of two classes, corrections are compared by "
            "cross-validation"
        )
        return report
    compared, folds = int(calibrated.n_cv_labels_), int(calibrated.n_folds_)
    if compared < n_labels:
        report["compared on"] = (
            f"a stratified sample of {compared:,} of the {n_labels:,} labels, in {folds} folds "
            "(past 1,000 labels the candidates are compared on a sample, so that choosing costs "
            f"the same in any workspace); the chosen one was then fitted on all {n_labels:,}"
        )
    else:
        report["compared on"] = f"all {n_labels:,} labels, in {folds} folds"
    chosen = chosen_candidate(calibrated)
    line = f"{scores[chosen]:.3f} chosen ({chosen})"
    if chosen != "prior":
        line += f", {scores['prior']:.3f} the model alone"
    if chosen != "prior adjusted" and "prior adjusted" in scores:
        line += f", {scores['prior adjusted']:.3f} the model's prior adjusted"
    report["accuracy (cross-validated)"] = line + "; the most accurate is chosen"
    recalls = getattr(calibrated, "cv_recall_", None)
    counts = dict(getattr(calibrated, "cv_counts_", {}) or {})
    if not recalls:
        report["recall (cross-validated)"] = (
            "not stored with this calibration (fitted before 2026-12-06); shown once it is "
            "refitted (advocacy text analyze --recalibrate)"
        )
        return report
    report["recall, chosen"] = _recall(recalls[chosen], counts)
    if chosen != "prior":
        alone = recalls["prior"]
        report["recall, model alone"] = _recall(alone, counts)
        worse = [
            name
            for name in SENTIMENTS
            if name in alone and alone[name] - recalls[chosen][name] >= RECALL_DROP
        ]
        if worse:
            lost = ", ".join(
                f"{name} {recalls[chosen][name]:.3f} against {alone[name]:.3f}" for name in worse
            )
            commonest = max(counts, key=lambda name: counts[name]) if counts else ""
            report["warning"] = (
                f"in cross-validation the calibration finds fewer of the {' and '.join(worse)} "
                f"texts than the model alone ({lost}): it is chosen for accuracy, which can "
                f"favour the commonest class ({commonest}); check it on a held-out labelled "
                "file (advocacy text evaluate FILE, and --model generic for the model alone)"
            )
    return report
