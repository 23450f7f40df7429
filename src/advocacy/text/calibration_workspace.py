"""The calibration a ``text analyze`` run reads with: the stored one kept while its labels hold,
else fitted anew on the workspace's labelled texts (its scores and taught labels), and the label
its readings carry.

Kept apart from :mod:`advocacy.text.enrich`, which analyses the texts with it: the report, the
evaluation and ``ws.text`` ask for the calibration without analysing anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from advocacy.store.connection import Database
from advocacy.text.calibration import MIN_TFIDF_LABELS, CalibratedSentiment, prepare_fit
from advocacy.text.calibration_kinds import read_kinds, reads_text
from advocacy.text.calibration_tfidf import TermCounts, labelled_counts
from advocacy.text.document_reading import label_model, load_models, read_in_pieces
from advocacy.text.documents import document_sources, stored_languages
from advocacy.text.language import SENTIMENT_LANGUAGES, UNKNOWN_LANGUAGE, reads_texts
from advocacy.text.score_labels import MIN_CALIBRATION_LABELS, workspace_labelled_texts
from advocacy.text.sentiment import check_sentiment_head
from advocacy.text.text_model import STATIC, KnownReadings, text_model
from advocacy.text.workers import run_tasks

if TYPE_CHECKING:
    from advocacy.text.calibration_store import StoredCalibration

Progress = Callable[[str, int, int], None]


def _base_model(model: str) -> str:
    """The name of the reading a calibration of ``model`` corrects (as in its ``name_``)."""
    names = text_model(model).names
    base = names.sentiment_model
    return f"{base}+{names.embedder}" if names.needs_calibration else base


def labelling_model(model: str, calibration: str | None) -> str:
    """:func:`label_model` of the documents ``text analyze`` reads with the ``text_model``
    setting ``model`` and the calibration named ``calibration`` (its ``name_``; None: none),
    known without reading a text.

    Raises
    ------
    UsageError
        When the model has no sentiment head of its own and there is no calibration.
    """
    names = text_model(model).names
    if calibration is None:
        check_sentiment_head(names.embedder, needs_calibration=names.needs_calibration)
    return label_model(calibration or names.sentiment_model, names.emotion_model)


@dataclass(frozen=True)
class Calibration:
    """The calibration a run uses, and whether it was refitted or kept from an earlier run.

    A kept fit is built (importing scikit-learn) when ``calibrated`` is first asked for; its
    ``name`` and ``n_labels`` are known before.
    """

    fitted: CalibratedSentiment | None
    status: str
    #: The model's reading of the labelled texts when this run fitted on them (None: kept).
    known: KnownReadings | None = None
    #: Stores a fit made with ``defer_store`` (None: nothing left to store).
    store: Callable[[], None] | None = None
    #: The results of the caller's ``beside`` tasks when they ran beside the fit (else empty).
    beside: list[Any] = field(default_factory=list)
    #: The stored fit this run keeps (None: fitted now, or no calibration).
    kept: StoredCalibration | None = None

    @property
    def calibrated(self) -> CalibratedSentiment | None:
        """The calibration (None: none)."""
        return self.kept.calibrated if self.kept is not None else self.fitted

    @property
    def name(self) -> str | None:
        """The calibration's model name (its ``name_``; None: no calibration)."""
        if self.kept is not None:
            return self.kept.name
        return None if self.fitted is None else str(self.fitted.name_)

    @property
    def n_labels(self) -> int:
        """How many labels the calibration was fitted on (0: no calibration)."""
        if self.kept is not None:
            return self.kept.n_labels
        return 0 if self.fitted is None else int(self.fitted.n_labels_)

    @property
    def kinds(self) -> dict[str, int]:
        """The kinds of text the calibration was fitted on, with the labels it had of each
        (empty: every kind, or no calibration); it reads those in :attr:`read_kinds`."""
        if self.kept is not None:
            return self.kept.kinds
        return {} if self.fitted is None else dict(getattr(self.fitted, "kinds_", {}))

    @property
    def sources(self) -> dict[str, dict[str, int]]:
        """The sources of each kind the calibration was fitted on, with their labels (empty:
        not recorded, or no calibration): it reads a text only when :meth:`reads_text`."""
        if self.kept is not None:
            return self.kept.sources
        return {} if self.fitted is None else dict(getattr(self.fitted, "sources_", {}))

    def reads_text(self, kind: str, source: object = None) -> bool:
        """Whether the calibration reads a text of ``kind`` from ``source`` (a mention's
        platform): :func:`~.calibration_kinds.reads_text`, known without building a kept fit.

        Parameters
        ----------
        kind
            The text's kind.
        source
            Its source value (None: none).

        Returns
        -------
        bool
            True when it reads the text (and when there is no calibration).
        """
        return reads_text(self.kinds, self.sources, kind, source)

    @property
    def read_kinds(self) -> dict[str, int]:
        """The kinds of text the calibration reads (:func:`~.calibration_kinds.read_kinds` of
        :attr:`kinds`; empty: every kind, or no calibration)."""
        return read_kinds(self.kinds)

    @property
    def warning(self) -> str | None:
        """The calibration's known weakness, fitted now or kept (None: none): every run that
        reads with it says so, not only the one that fitted it."""
        from advocacy.text.calibration_report import recall_warning

        if self.kept is not None:
            return self.kept.warning
        return None if self.fitted is None else recall_warning(self.fitted)


#: The steps :func:`workspace_calibration` tells its ``progress`` when it fits.
READING_LABELLED, FITTING = "reading the labelled texts", "fitting the calibration"


def workspace_calibration(
    db: Database,
    *,
    minimum: int = MIN_CALIBRATION_LABELS,
    model: str = STATIC,
    refit: bool = False,
    now: datetime | None = None,
    workers: int = 1,
    defer_store: bool = False,
    meanwhile: Callable[[], None] | None = None,
    beside: Callable[[KnownReadings], Sequence[Callable[[], Any]]] | None = None,
    progress: Progress | None = None,
) -> Calibration:
    """The workspace's sentiment calibration from scored comments and taught labels.

    Uses every label from the first (a taught label replaces a score's for the same document)
    on a text in a language the model reads (the others are left out and counted in the
    status); none with fewer than ``minimum``. With labels of one class only, the calibration
    adjusts the model's prior (no head: a head needs two classes); see
    :class:`advocacy.text.calibration.CalibratedSentiment` for how the labels are used.
    ``model`` is the ``text_model`` setting value whose reading is calibrated.

    The fit is stored and kept while the labels do not change materially
    (:mod:`advocacy.text.calibration_store`); so is the verdict that every label is on a text
    in a language the model does not read (no calibration), kept while the labelled texts,
    their labels and ``minimum`` are exactly the same, so a re-run does not read them all
    again. ``refit`` fits again regardless. ``workers`` processes share the fit's independent
    parts (the same fit for any count). With
    ``defer_store`` a new fit, or a new verdict of no calibration, is stored when the caller
    calls the result's ``store`` (``text analyze`` does while its workers start on the
    documents; ``text evaluate`` never does), not before returning.
    ``meanwhile`` (the caller's own work, which the fit does not need) runs once: while the
    workers read the labelled texts when fitting, else before returning. ``beside`` gives the
    caller's own tasks from the reading of the labelled texts; it is called only when the fit
    has last fits (a head: :class:`~advocacy.text.calibration.LastFits`), and its tasks then
    run on the workers beside them, the result holding what they returned (else it is never
    called and the result's ``beside`` is empty). ``progress`` is told (stage, done, total)
    when it fits: the labelled texts read so far (:data:`READING_LABELLED`), then the fit as
    one step (:data:`FITTING`, with the caller's tasks beside it).
    """
    from advocacy.text import calibration_store as kept
    from advocacy.text.calibration_report import count_training_labels
    from advocacy.text.training_texts import training_sets

    texts = workspace_labelled_texts(db)
    if not texts or len(texts) < minimum:
        run_work(meanwhile)
        return Calibration(None, "none: no labelled comment")
    # Every labelled text's source (a mention's platform): the kept fit is compared by the
    # texts it would read, and a new fit learns which it reads.
    origins = document_sources(db, list(texts))
    summary = kept.LabelSummary.of(
        ((key, label, taught) for key, (_, label, taught) in texts.items()), origins
    )
    base = _base_model(model)
    earlier = None if refit else kept.stored(db, model)
    digest = partial(  # hashes every labelled text: only where a verdict is compared or kept
        kept.labelled_digest,
        [(key, label, taught, text) for key, (text, label, taught) in texts.items()],
    )
    if earlier is not None and earlier.fit is None:
        # A stored verdict of no calibration holds while the labelled texts, the minimum and
        # what the model reads are exactly as they were (one readable label could change it).
        if (
            earlier.base_model == base
            and earlier.labels.same_labels(summary)
            and earlier.labelled == digest()
            and earlier.minimum == minimum
            and earlier.languages == tuple(sorted(SENTIMENT_LANGUAGES))
        ):
            run_work(meanwhile)
            return Calibration(None, f"{earlier.reason}; kept: the labels did not change")
        earlier = None
    if earlier is not None and earlier.base_model == base and earlier.fit is not None:
        change = kept.material_change(earlier.labels, summary)
        if change is None:
            run_work(meanwhile)
            # Identical labels keep the fit the last teach or analyze stored: say so, rather
            # than "no material change" right after a teach that refitted.
            kept_why = (
                "none changed since it was fitted"
                if earlier.labels.same_labels(summary)
                else "no material change"
            )
            status = f"kept: {earlier.n_labels:,} labels, {kept_why}"
            return Calibration(None, status, kept=earlier)
        reason = f"refitted: {change}"
    else:
        reason = "refitted on request" if refit else "fitted"
    ordered = sorted(texts.items())
    labelled = [text for _, (text, _, _) in ordered]

    split: list[TermCounts] = []

    def imports_and_meanwhile() -> None:  # the fit's imports (in a new process) and the caller's
        prepare_fit(len(labelled))
        run_work(meanwhile)
        if workers > 1 and len(labelled) >= MIN_TFIDF_LABELS:
            # The fit's n-grams, here rather than between its steps while a core waits.
            split.append(labelled_counts(labelled))

    reading, languages = read_in_pieces(
        text_model(model),
        labelled,
        workers,
        meanwhile=imports_and_meanwhile,
        before_fork=partial(load_models, model),
        language_prior=stored_languages(db),
        progress=None
        if progress is None
        else partial(tell_progress, progress, READING_LABELLED, 0, len(labelled)),
    )
    known = KnownReadings(labelled, reading)
    # A label on a text the model does not read would teach the reader of English what German
    # or Portuguese looks like, and no document in that language is read with the calibration.
    read = reads_texts(labelled, languages)
    readable = np.flatnonzero(read)
    unread = Counter(
        UNKNOWN_LANGUAGE if code is None else code
        for code, ok in zip(languages, read, strict=True)
        if not ok
    )
    if len(readable) < minimum:
        why = _unread(unread)
        if len(readable):  # some in languages it reads, fewer than ``minimum``
            why = f"{len(readable):,} read, {minimum:,} needed; {why}"
        verdict = f"none: {why}"
        # Stored, so that a re-run with the same labels does not read them all again (with
        # ``defer_store``, when the caller stores: text evaluate never does).
        store_verdict = partial(
            kept.store_verdict,
            db,
            model,
            base,
            summary,
            verdict,
            SENTIMENT_LANGUAGES,
            now or datetime.now(UTC),
            labelled=digest(),
            minimum=minimum,
        )
        if not defer_store:
            store_verdict()
        return Calibration(None, verdict, known, store_verdict if defer_store else None)
    every = len(readable) == len(labelled)
    if progress is not None:
        progress(FITTING, 0, 1)
    last = CalibratedSentiment(text_model=model, workers=workers).start_fit(
        [labelled[i] for i in readable],
        [ordered[i][1][1] for i in readable],
        taught=[ordered[i][1][2] for i in readable],
        # The kinds it reads: a calibration on CSAT comments misreads tweets (audit4 item 5),
        # and within a kind the sources: one on Amazon reviews misreads tweets (chanscope).
        kinds=[ordered[i][0][0] for i in readable],
        sources=[origins.get(ordered[i][0]) for i in readable],
        reading=reading if every else reading.take(readable),
        counts=(split[0] if every else split[0].take(readable)) if split else None,
    )
    # Stored with what its report would otherwise count again from every labelled text; the
    # count does not need the fit, so it is a task beside the last fits (where a core would
    # wait for the longest one) rather than the caller's alone after them.
    count: Callable[[], Any] = partial(
        count_training_labels,
        [labelled[i] for i in readable],
        unread=len(labelled) - len(readable),
    )
    training_sets()  # the hashes it counts by (1 ms), here: a worker then loads no model file
    # The caller's tasks beside the last fits, too.
    mine = list(beside(known)) if beside is not None and last.tasks else []
    done: list[Any] = run_tasks(
        [*last.tasks, *mine, count],
        workers=workers if mine else last.workers,
        meanwhile=last.meanwhile,
        before_fork=partial(load_models, model) if mine else None,
    )
    calibrated = last.finish(done[: len(last.tasks)])
    training = done[-1]
    if progress is not None:
        progress(FITTING, 1, 1)
    store = partial(
        kept.store,
        db,
        model,
        base,
        summary,
        calibrated,
        now or datetime.now(UTC),
        training=training,
    )
    if not defer_store:
        store()
    status = f"{reason} ({calibrated.n_labels_:,} labels)"
    if unread:
        status += f"; {_unread(unread, left_out=' left out')}"
    beside_results = done[len(last.tasks) : -1]
    return Calibration(calibrated, status, known, store if defer_store else None, beside_results)


def _unread(counts: Mapping[str, int], *, left_out: str = "") -> str:
    total, by = sum(counts.values()), sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    languages = ", ".join(f"{code} {count:,}" for code, count in by)
    unread = f"in languages the model does not read{left_out} ({languages})"
    return f"{total:,} labelled text{'' if total == 1 else 's'} {unread}"


def tell_progress(progress: Progress, stage: str, start: int, total: int, done: int) -> None:
    """``progress`` of ``stage``: the texts of the batches before (``start``) and of this
    one so far, of ``total``."""
    progress(stage, start + done, total)


def run_work(work: Callable[[], None] | None) -> None:
    """Run ``work``, if any."""
    if work is not None:
        work()


def calibration(
    db: Database, *, minimum: int = MIN_CALIBRATION_LABELS, model: str = STATIC
) -> CalibratedSentiment | None:
    """The calibration the next ``text analyze`` uses (:func:`workspace_calibration`)."""
    return workspace_calibration(db, minimum=minimum, model=model).calibrated


def needs_calibration(model: str) -> bool:
    """Whether the ``text_model`` setting ``model`` has no sentiment head of its own (its
    calibration then reads every kind of text: there is no model alone to read the others).

    Parameters
    ----------
    model
        The ``text_model`` setting value.

    Returns
    -------
    bool
        True for a user's embedder without a sentiment head.
    """
    return bool(text_model(model).names.needs_calibration)
