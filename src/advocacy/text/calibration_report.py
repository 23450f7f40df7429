"""How good a sentiment calibration is, in the words ``text teach``, ``text analyze`` and the
report print.

A calibration (:class:`~advocacy.text.calibration.CalibratedSentiment`) is chosen among
candidates by cross-validated accuracy on the workspace's labels, among those whose macro recall
is not below the model alone's beyond cross-validation's noise
(:mod:`~advocacy.text.calibration_choice`). Accuracy alone hides what a CX analyst cares about
most: a candidate can win it by reading more texts as the commonest class, and read fewer
complaints as negative. So the report gives the chosen candidate's cross-validated accuracy
beside the model alone's (the ``prior``: the shipped model's own reading) and the adjusted
prior's, the more accurate candidate passed over if any, each class's cross-validated recall for
both with the number of labels of the class, on how many labels and folds they were compared
and why on a sample, and a warning when the kept calibration still reads a class markedly worse
than the model alone (within the noise, or fitted before the guard). These are cross-validated
on the labels themselves; ``advocacy text evaluate FILE`` measures the reading on a held-out
labelled file.

Labels on texts the shipped model trained on (:mod:`~advocacy.text.training_texts`, the public
sets ``tools/build_heads.py`` names, as the Women's clothing reviews) flatter both the model
alone and the calibration: the model has seen them. They are counted among the labels the
calibration learns from when it is fitted (:func:`count_training_labels`: on texts in languages
the model reads, non-answers out) and the count is stored with the fit
(:mod:`~advocacy.text.calibration_store`), so a report reads it rather than detecting every
labelled text's language again (a calibration stored before 2026-12-06 did not record it: the
report says so, and how to record it). The report says how many, with a warning when they are
most of them, as ``text evaluate`` scores such texts apart. Texts are matched whole, so a short
generic answer ("Thank you!", "ok") counts when a training set holds it; the note says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from advocacy.errors import UsageError
from advocacy.text.calibration_choice import losing
from advocacy.text.calibration_kinds import kinds_scope, read_options, reads_text, texts_of
from advocacy.text.sentiment import SENTIMENTS
from advocacy.text.training_texts import trained_on

if TYPE_CHECKING:
    from advocacy.store.connection import Database
    from advocacy.text.calibration import CalibratedSentiment
    from advocacy.text.calibration_store import StoredCalibration
    from advocacy.text.sentiment_readings import StoredReadingRows

__all__ = [
    "NOT_RECORDED",
    "RECALL_DROP",
    "TRAINED_MOSTLY",
    "TrainingLabels",
    "calibration_note",
    "calibration_report",
    "chosen_candidate",
    "count_training_labels",
    "evaluate_advice",
    "kept_calibration_note",
    "kept_calibration_report",
    "kinds_note",
    "older_readings_note",
    "recall_warning",
    "training_note",
]

#: A class whose cross-validated recall under the chosen calibration is this much below the
#: model alone's is named in a warning.
RECALL_DROP = 0.05


#: Past this share of the labelled texts trained the shipped model, the report warns that its
#: cross-validated accuracies say little of how new texts are read.
TRAINED_MOSTLY = 0.5

#: :func:`training_note` of a calibration that did not record the count (stored before
#: 2026-12-06): counting now would detect the language of every labelled text in every report.
NOT_RECORDED = (
    "not recorded with this calibration (fitted before 2026-12-06): such texts flatter the "
    "cross-validated accuracies; advocacy text analyze --recalibrate counts them"
)


@dataclass(frozen=True)
class TrainingLabels:
    """How many of the workspace's labelled texts trained the shipped model.

    Attributes
    ----------
    labelled
        The labelled texts (taught, or labelled by a score) the calibration learns from: in a
        language the model reads (or too short to tell), non-answers out.
    trained
        Those of them that trained the shipped model, by set (as ``clothing``).
    unread
        The labelled texts left out, in languages the model does not read.
    """

    labelled: int
    trained: Counter[str] = field(default_factory=Counter)
    unread: int = 0

    @property
    def n_trained(self) -> int:
        """The labelled texts that trained the shipped model, in all sets."""
        return sum(self.trained.values())


def count_training_labels(read: Sequence[str], *, unread: int = 0) -> TrainingLabels:
    """Count the labelled texts a calibration learns from that trained the shipped model.

    Called when the calibration is fitted, on the texts it is fitted on, and stored with it
    (:func:`advocacy.text.calibration_store.store`): a report reads the count, never the texts
    (nor their languages) again.

    Parameters
    ----------
    read
        The labelled texts the calibration learns from: in a language the model reads (or too
        short to tell), non-answers out.
    unread
        How many labelled texts were left out, in languages the model does not read.

    Returns
    -------
    TrainingLabels
        The count of ``read``, by set those
        :func:`~advocacy.text.training_texts.trained_on` finds among them, and ``unread``.
    """
    found = trained_on(read)
    return TrainingLabels(len(read), Counter(name for name in found if name is not None), unread)


def training_note(training: TrainingLabels | None) -> str | None:
    """What the labels the shipped model trained on do to the cross-validated accuracies.

    Parameters
    ----------
    training
        What the calibration recorded when it was fitted (:func:`count_training_labels`);
        None: not recorded (a calibration stored before 2026-12-06).

    Returns
    -------
    str or None
        How many of the labelled texts the calibration learns from trained the shipped model,
        from which sets, and what that does to the accuracies: a warning (starting
        ``Warning:``) when they are more than :data:`TRAINED_MOSTLY` of them; None when none
        did; :data:`NOT_RECORDED` when the count was not recorded. It says that texts are
        matched whole, so short generic answers count.

    Examples
    --------
    >>> note = training_note(TrainingLabels(958, Counter(clothing=958)))
    >>> print(note)  # doctest: +NORMALIZE_WHITESPACE
    Warning: 958 of the 958 labelled texts (100%) trained the shipped model (Women's clothing
    reviews): the cross-validated accuracies are measured mostly on texts the model learnt and
    say little of how it reads new ones. Texts are matched whole, so short generic answers
    ("Thank you!", "ok") count when a training set holds them. advocacy text evaluate FILE
    scores a labelled file's other texts apart.
    """
    if training is None:
        return NOT_RECORDED
    if not training.n_trained:
        return None
    # Here: ``text analyze`` stores and reports a calibration without the evaluation module
    # (and the file readers it imports), needed only when some labelled text trained the model.
    from advocacy.text.evaluation import TRAINING_SETS

    n, of = training.n_trained, training.labelled
    sets = ", ".join(TRAINING_SETS.get(name, name) for name, _ in training.trained.most_common())
    among = " in languages the model reads" if training.unread else ""
    counted = (
        f"{n:,} of the {of:,} labelled texts{among} ({n / of:.0%}) trained the shipped model "
        f"({sets})"
    )
    evaluate = (
        'Texts are matched whole, so short generic answers ("Thank you!", "ok") count when a '
        "training set holds them. advocacy text evaluate FILE scores a labelled file's other "
        "texts apart."
    )
    if n > TRAINED_MOSTLY * of:
        return (
            f"Warning: {counted}: the cross-validated accuracies are measured mostly on texts "
            f"the model learnt and say little of how it reads new ones. {evaluate}"
        )
    return f"{counted}: they are in the cross-validated accuracies, which they flatter. {evaluate}"


def chosen_candidate(calibrated: CalibratedSentiment) -> str:
    """The chosen candidate's key in ``cv_accuracy_`` (``prior``, ``head, C=0.0006``)."""
    if calibrated.penalty_ is None:
        return str(calibrated.method_)
    return f"{calibrated.method_}, C={calibrated.penalty_:g}"


def recall_warning(calibrated: CalibratedSentiment) -> str | None:
    """The warning that the kept calibration finds fewer texts of a class than the model alone.

    Parameters
    ----------
    calibrated
        A fitted (or stored) calibration.

    Returns
    -------
    str or None
        The classes whose cross-validated recall under the chosen candidate is at least
        :data:`RECALL_DROP` below the model alone's, with both recalls, what to do about it;
        None when there are none, or when no candidates were compared or their recalls were
        not stored.
    """
    recalls = getattr(calibrated, "cv_recall_", None)
    if not recalls or not calibrated.cv_accuracy_:
        return None
    chosen = chosen_candidate(calibrated)
    if chosen == "prior" or chosen not in recalls or "prior" not in recalls:
        return None
    alone, mine = recalls["prior"], recalls[chosen]
    worse = [
        name
        for name in SENTIMENTS
        if name in alone and alone[name] - mine.get(name, 0.0) >= RECALL_DROP
    ]
    if not worse:
        return None
    counts = dict(getattr(calibrated, "cv_counts_", {}) or {})
    lost = ", ".join(f"{name} {mine[name]:.3f} against {alone[name]:.3f}" for name in worse)
    commonest = max(counts, key=lambda name: counts[name]) if counts else "the commonest"
    # A fit of before the macro-recall guard (no fit_version_ stored) was chosen by accuracy
    # alone: choosing again may keep the model alone.
    again = (
        "; it was chosen by accuracy alone, before the macro-recall guard: advocacy text "
        "analyze --recalibrate chooses again"
        if getattr(calibrated, "fit_version_", None) is None
        else ""
    )
    return (
        f"in cross-validation the calibration finds fewer of the {' and '.join(worse)} texts "
        f"than the model alone ({lost}); accuracy can favour the commonest class "
        f"({commonest}). Check it on a held-out labelled file ({evaluate_advice(calibrated)}, "
        f"and --model generic for the model alone){again}"
    )


def evaluate_advice(calibrated: CalibratedSentiment) -> str:
    """The ``text evaluate`` command that checks ``calibrated`` on a held-out file: with the
    ``--kind`` it reads (``text evaluate`` reads a file as mentions by default, and a file of
    a kind the calibration does not read is read by the model alone: review 23, item 3).

    Parameters
    ----------
    calibrated
        A fitted (or stored) calibration.

    Returns
    -------
    str
        As "advocacy text evaluate FILE --kind responses"; without ``--kind`` when the
        calibration reads every kind or mentions.
    """
    kinds = dict(getattr(calibrated, "kinds_", {}) or {})
    sources = dict(getattr(calibrated, "sources_", {}) or {})
    options = read_options(kinds, sources)
    if not options or reads_text(kinds, sources, "mention", None):  # the default is read by it
        return "advocacy text evaluate FILE"
    return f"advocacy text evaluate FILE {' or '.join(options)}"


def calibration_note(
    calibrated: CalibratedSentiment | None, *, training: TrainingLabels | None = None
) -> str:
    """One sentence for a report's reader on how the sentiment was calibrated, with the
    warning of :func:`recall_warning` when there is one and :func:`training_note`.

    Parameters
    ----------
    calibrated
        The calibration the workspace's readings were made with (None: there is none).
    training
        What the calibration recorded of the labels that trained the shipped model
        (:func:`count_training_labels`; None: not recorded).

    Returns
    -------
    str
        What was fitted on how many labels, its cross-validated accuracy beside the model
        alone's, and the warning.
    """
    if calibrated is None:
        return "Sentiment is not calibrated: the shipped model's reading is used as it is."
    n_labels = int(calibrated.n_labels_)
    note = (
        f"Sentiment is calibrated on {n_labels:,} of this workspace's labels "
        f"({calibrated.description_})"
    )
    scores = dict(calibrated.cv_accuracy_)
    chosen = chosen_candidate(calibrated)
    if scores and chosen in scores and "prior" in scores:
        note += (
            f"; cross-validated accuracy {scores[chosen]:.3f} against {scores['prior']:.3f} "
            "for the model alone"
        )
    note += "."
    warning = recall_warning(calibrated)
    if warning:
        note += f" Warning: {warning}."
    trained = training_note(training) if scores else None
    if trained == NOT_RECORDED:
        note += f" Labelled texts that trained the shipped model: {NOT_RECORDED}."
    elif trained:
        note += f" {trained}"
    return note


def _recall(found: dict[str, float], counts: dict[str, int]) -> str:
    return ", ".join(
        f"{name} {found[name]:.3f} of {counts.get(name, 0):,}"
        for name in SENTIMENTS
        if name in found
    )


def calibration_report(
    calibrated: CalibratedSentiment | None,
    status: str,
    *,
    training: TrainingLabels | None = None,
) -> dict[str, str]:
    """What a calibration is worth, for people: one line per field.

    Parameters
    ----------
    calibrated
        The fitted calibration (None: there is none).
    status
        How it was fitted or kept, or why there is none (``ws.text.calibration_status()``).
    training
        What the calibration recorded of the labels that trained the shipped model
        (:func:`count_training_labels`; None: not recorded).

    Returns
    -------
    dict of str to str
        ``calibration`` (the method; when there is none, why) and ``calibration status``
        (how it was fitted or kept, and which labels were left out), ``texts it reads`` (the
        kinds of text it was fitted on, when it recorded them), and when candidates were
        compared:
        ``compared on``, ``accuracy (cross-validated)``, ``recall, chosen`` and ``recall,
        model alone`` (when the calibration holds them), and ``warning`` when the choice reads
        a class at least :data:`RECALL_DROP` worse than the model alone
        (:func:`recall_warning`); ``passed over`` when a more accurate candidate was not
        kept because its macro recall was below the model alone's beyond the noise;
        ``trained the shipped model`` (:func:`training_note`) when some of the labelled texts
        did, with the accuracies.
    """
    if calibrated is None:
        return {"calibration": status}
    report = {"calibration": str(calibrated.description_), "calibration status": status}
    kinds = dict(getattr(calibrated, "kinds_", {}) or {})
    if kinds:  # what it reads (a kept one's report counts the stored readings of each)
        report["texts it reads"] = kinds_scope(
            kinds, dict(getattr(calibrated, "sources_", {}) or {})
        )
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
    report["accuracy (cross-validated)"] = line + (
        "; the most accurate of the candidates whose macro recall is not below the model "
        "alone's beyond cross-validation's noise, and that lose no class the model alone "
        "finds, is chosen"
    )
    trained = training_note(training)
    if trained:
        report["trained the shipped model"] = trained
    best = max(scores, key=lambda name: scores[name])
    if scores[best] > scores[chosen]:
        recalls_of = dict(getattr(calibrated, "cv_recall_", {}) or {})
        lost = losing(recalls_of, best)
        why = (
            "it loses the "
            + " and ".join(
                f"{name} texts ({recalls_of[best].get(name, 0.0):.3f} against "
                f"{recalls_of['prior'][name]:.3f} for the model alone)"
                for name in lost
            )
            if lost
            else "its macro recall (the mean of the classes' recalls) is below the model "
            "alone's beyond cross-validation's noise"
        )
        report["passed over"] = f"{best} ({scores[best]:.3f}): more accurate, but {why}"
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
        report["recall, model alone"] = _recall(recalls["prior"], counts)
    warning = recall_warning(calibrated)
    if warning:
        report["warning"] = warning
    return report


def kept_calibration_report(
    db: Database, model: str, rows: StoredReadingRows | None = None
) -> dict[str, str]:
    """:func:`calibration_report` of the calibration ``text analyze`` stored for the
    ``text_model`` setting ``model`` (what the stored readings were calibrated with), for a
    report: read only, never fitted here.

    Parameters
    ----------
    db
        The workspace's database.
    model
        The ``text_model`` setting value.
    rows
        The stored sentiments counted, when the caller has them
        (:func:`~advocacy.text.sentiment_readings.stored_reading_rows`; None: read here).

    Returns
    -------
    dict of str to str
        The report's fields; empty when nothing is stored (no ``text analyze`` yet); for a
        stored verdict of no calibration, ``calibration`` says why.
    """
    from advocacy.text.calibration_store import stored

    found = stored(db, model, describe=True)  # its arrays are never decoded here
    if found is None:
        return {}
    summary = found.summary  # its recorded numbers: the fit itself is not built
    if summary is None:  # a verdict's reason reads "none: ..." as the run said it
        return {"calibration": f"none: {found.reason.removeprefix('none: ')}"}
    report = calibration_report(
        summary,
        "kept: the one the stored readings were made with",
        training=found.training,
    )
    scope = kinds_note(db, found.name or "", found.kinds, found.sources, rows)
    if scope:
        report["texts it reads"] = scope
    return report


def kinds_note(
    db: Database,
    name: str,
    kinds: dict[str, int],
    sources: dict[str, dict[str, int]] | None = None,
    rows: StoredReadingRows | None = None,
) -> str | None:
    """Which kinds of text a stored calibration reads, and how many stored readings each
    reading made (the calibration's, the model alone's) of each kind, and of each platform
    within mentions.

    Parameters
    ----------
    db
        The workspace's database.
    name
        The calibration's model name (its ``name_``).
    kinds
        The kinds it was fitted on, with their labels (empty: every kind).
    sources
        The sources of each kind it was fitted on, with their labels (None or empty: not
        recorded).
    rows
        The stored sentiments counted (None: read here).

    Returns
    -------
    str or None
        :func:`~.calibration_kinds.kinds_scope` of ``kinds``, then the stored readings, as
        "...: 30 mention texts from platform 'amazon', 3,000 response texts read by it; 1,996
        mention texts from platform 'twitter' read by the model alone" (mentions by platform:
        a calibration reads only those it has enough labels of); None when it was fitted
        without kinds.
    """
    if not kinds:
        return None
    from advocacy.text.sentiment_readings import counted_readings, stored_reading_rows

    def by(model: str | None) -> str | None:  # this calibration's readings, or the others
        return "it" if name and str(model or "").startswith(name) else "the model alone"

    counts, stored = counted_readings(stored_reading_rows(db) if rows is None else rows, by)
    said = []
    for reader in ("it", "the model alone"):
        texts = [
            words
            for kind, readings in sorted(counts.items())
            if readings.get(reader)
            for words in texts_of(kind, readings[reader], stored.get(kind, {}).get(reader))
        ]
        if texts:
            said.append(f"{', '.join(texts)} read by {reader}")
    note = kinds_scope(kinds, sources)
    return note + (f": {'; '.join(said)}" if said else "")


def kept_calibration_note(db: Database | None, model: str) -> str:
    """:func:`calibration_note` of the calibration ``text analyze`` stored for ``model``
    (read only), or a general sentence when none is stored.

    Parameters
    ----------
    db
        The workspace's database (None: one that holds no stored calibration, as a folder
        of Parquet tables).
    model
        The ``text_model`` setting value.

    Returns
    -------
    str
        One or two sentences for a report's reader.
    """
    from advocacy.text.calibration_store import stored

    if db is None:
        return (
            "Sentiment is calibrated on this workspace's scored comments and taught labels "
            "when there are enough."
        )
    found = stored(db, model, describe=True)  # its arrays are never decoded here
    older = older_readings_note(db, model, found)
    if found is None:
        return (
            "Sentiment is calibrated on this workspace's scored comments and taught labels "
            f"when there are enough.{older}"
        )
    summary = found.summary  # its recorded numbers: the fit itself is not built
    if summary is None:
        return f"Sentiment is not calibrated: {found.reason.removeprefix('none: ')}.{older}"
    note = calibration_note(summary, training=found.training)
    scope = kinds_note(db, found.name or "", found.kinds, found.sources)
    return (note if scope is None else f"{note} {scope[0].upper()}{scope[1:]}.") + older


def older_readings_note(db: Database, model: str, found: StoredCalibration | None) -> str:
    """What the report says of stored readings the next ``text analyze`` would make again: by
    an older sentiment or emotion model, older effort cues, or a calibration stored in an
    older format (refitted then), as a workspace upgraded but not yet analysed holds (review
    23, item 6: its report showed the old readings and said nothing).

    Parameters
    ----------
    db
        The workspace's database.
    model
        The ``text_model`` setting value.
    found
        The stored calibration it reads with (:func:`~.calibration_store.stored`; None: none
        readable, as one stored in an older format).

    Returns
    -------
    str
        As " 5,000 of the 5,000 stored readings were made by an older model, older effort
        cues or an older calibration: the figures here are theirs until advocacy text
        analyze reads them again."; "" when every stored reading is current.
    """
    from advocacy.text.calibration_workspace import labelling_model

    try:
        current = {labelling_model(model, None)}
    except UsageError:  # a model without a sentiment head of its own: only calibrated readings
        current = set()
    if found is not None and found.name is not None:
        current.add(labelling_model(model, found.name))
    rows = db.fetchall(
        "SELECT model, COUNT(*) FROM text_features WHERE model IS NOT NULL GROUP BY 1"
    )
    total = sum(int(n) for _, n in rows)
    older = sum(int(n) for name, n in rows if str(name) not in current)
    if not older:
        return ""
    return (
        f" {older:,} of the {total:,} stored readings were made by an older model, older "
        "effort cues or an older calibration: the figures here are theirs until advocacy "
        "text analyze reads them again."
    )
