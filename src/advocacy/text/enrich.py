"""Analyse a workspace's texts into the derived tables, incrementally, and teach it labels.

Documents are the free text of four kinds of record (:data:`DOCUMENT_SOURCES`). ``text_features``
holds one row per document with the hash of the text and the name of the model that labelled
it, so a re-run analyses only new or changed texts, or everything when the model changed (for
instance because taught labels or many new scored comments re-calibrated it, or the
``text_model`` setting changed; a calibration is kept between runs until its labels change
materially, see :mod:`advocacy.text.calibration_store`; which one a run reads with:
:mod:`advocacy.text.calibration_workspace`). ``text_sentences`` holds the
sentiment of each sentence of each analysed document, located by character offsets; a
document's sentences are replaced with its features.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advocacy.errors import UsageError
from advocacy.store.connection import Database
from advocacy.text.calibration_kinds import kinds_scope, source_key, texts_of
from advocacy.text.calibration_workspace import (
    Calibration,
    labelling_model,
    needs_calibration,
    run_work,
    tell_progress,
    workspace_calibration,
)

# Re-exported: callers have long imported these from here.
from advocacy.text.document_reading import NOT_SUPPORTED as NOT_SUPPORTED
from advocacy.text.document_reading import PIECE_TEXTS as PIECE_TEXTS
from advocacy.text.document_reading import DocumentReading as DocumentReading
from advocacy.text.document_reading import analyze_documents as analyze_documents
from advocacy.text.document_reading import analyze_texts as analyze_texts
from advocacy.text.document_reading import document_frame as document_frame
from advocacy.text.document_reading import label_model as label_model
from advocacy.text.document_reading import load_models as load_models
from advocacy.text.document_reading import pieces as pieces
from advocacy.text.document_reading import read_documents as read_documents
from advocacy.text.document_reading import read_piece as read_piece
from advocacy.text.documents import DOCUMENT_SOURCES as DOCUMENT_SOURCES
from advocacy.text.documents import TABLE_KINDS as TABLE_KINDS
from advocacy.text.documents import check_kinds as check_kinds
from advocacy.text.documents import known_names as known_names
from advocacy.text.documents import load_documents as load_documents
from advocacy.text.documents import replace_rows as replace_rows
from advocacy.text.documents import (
    stale_documents,
    stored_documents,
    stored_languages,
    surely_read,
)
from advocacy.text.documents import text_hash as text_hash
from advocacy.text.language import UNKNOWN_LANGUAGE
from advocacy.text.non_answers import NO_CONTENT
from advocacy.text.phrases import MAX_CHARACTERS as THEME_CHARACTERS
from advocacy.text.sentences import SENTENCE_TYPES
from advocacy.text.sentences import sentence_rows as sentence_rows
from advocacy.text.text_model import STATIC, KnownReadings
from advocacy.text.workers import reap, worker_count

if TYPE_CHECKING:
    from advocacy.text.calibration import CalibratedSentiment
    from advocacy.text.export import export_columns as export_columns
    from advocacy.text.export import export_table as export_table
    from advocacy.text.taxonomy_file import Taxonomy
    from advocacy.text.theme_sentences import ThemeReading

Progress = Callable[[str, int, int], None]

#: The summary's count of this run's texts longer than the themes read
#: (:data:`~advocacy.text.phrases.MAX_CHARACTERS`, 1,000,000 characters): their themes are read
#: from that many first characters only, which the summary says (review27 finding 6).
CUT_FOR_THEMES = "texts cut for themes (this run)"
#: The stage of :func:`analyze_workspace` that reads the stale texts (texts done so far).
ANALYSING = "analysing texts"


#: What the summary says when curated themes were assigned before workspaces remembered a
#: taxonomy: the texts just analysed got none of them.
UNREMEMBERED = (
    "none remembered: the curated themes were assigned before workspaces remembered their "
    "taxonomy, so the texts just analysed have none; assign it once more (text analyze "
    "--taxonomy FILE) and later runs keep it current"
)


@dataclass(frozen=True)
class AnalyzeResult:
    """What ``advocacy text analyze`` did.

    ``not_supported`` counts the analysed documents left unread because of their language, by
    language code; ``non_answers`` counts the analysed documents that were survey placeholders.
    ``themes`` holds, when the run assigned a taxonomy's themes (``analyze_workspace``'s
    ``taxonomy``, or the one the workspace remembers), what
    :func:`~advocacy.text.catalogue.assign_taxonomy` returns (None: no theme was assigned);
    ``taxonomy`` says which taxonomy and why.
    """

    analyzed: int
    unchanged: int
    model: str
    calibration_labels: int
    not_supported: dict[str, int] = field(default_factory=dict)
    non_answers: int = 0
    calibration: str = ""
    #: Not compared: a frame has no single truth value (the counts are its ``taxonomy``'s).
    themes: pd.DataFrame | None = field(default=None, compare=False)
    taxonomy: str = ""
    #: The calibration this run fitted (None: kept from an earlier run, or none), for its report
    #: (``ws.text.calibration_report(of=result)``) without building it again.
    fitted: CalibratedSentiment | None = field(default=None, compare=False, repr=False)
    #: The calibration's known weakness (a class it reads markedly worse than the model
    #: alone), whether this run fitted it or kept it ("": none).
    warning: str = ""
    #: The texts this run read by the model alone (given a sentiment), by kind, as the
    #: calibration does not read their kind (too few of its labels were of it; empty: none).
    model_alone: dict[str, int] = field(default_factory=dict)
    #: The kinds of text the calibration was fitted on, with their labels (empty: every kind,
    #: or no calibration).
    calibrated_kinds: dict[str, int] = field(default_factory=dict)
    #: The sources of each kind it was fitted on, with their labels (empty: not recorded).
    calibrated_sources: dict[str, dict[str, int]] = field(default_factory=dict)
    #: :attr:`model_alone` of the kinds that name their source, by source (a mention's
    #: platform, as :func:`~.calibration_kinds.source_key` keys it): which platforms' texts.
    model_alone_sources: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The texts stored after the run (of the kinds analysed), and those of them not read, as
    #: ``not_supported`` and ``non_answers`` count this run's: a re-run that reads nothing
    #: new still tells how many texts of the workspace the model does not read (review27
    #: finding 5: "language not supported 0" beside 2,547 unread Portuguese reviews).
    stored: int = 0
    stored_not_supported: dict[str, int] = field(default_factory=dict)
    stored_non_answers: int = 0
    #: The texts this run read that are longer than
    #: :data:`~advocacy.text.phrases.MAX_CHARACTERS`: their themes are read from that many
    #: first characters only (:data:`CUT_FOR_THEMES`).
    cut_for_themes: int = 0

    def summary(self) -> dict[str, Any]:
        found = {
            "analysed": self.analyzed,
            "unchanged": self.unchanged,
            "model": self.model,
            "calibration labels": self.calibration_labels,
            "calibration": self.calibration,
            "language not supported (this run)": sum(self.not_supported.values()),
            "not supported by language (this run)": dict(self.not_supported),
            "non-answers (this run)": self.non_answers,
            CUT_FOR_THEMES: self.cut_for_themes,
            "not read in the workspace": {
                "stored texts": self.stored,
                "language not supported": sum(self.stored_not_supported.values()),
                "not supported by language": dict(self.stored_not_supported),
                "non-answers": self.stored_non_answers,
            },
        }
        if self.model_alone:
            alone = ", ".join(
                words
                for kind, count in self.model_alone.items()
                for words in texts_of(kind, count, self.model_alone_sources.get(kind))
            )
            scope = kinds_scope(self.calibrated_kinds, self.calibrated_sources).removeprefix("it ")
            found["read by the model alone"] = f"{alone}: the calibration {scope}"
        if self.warning:
            found["warning"] = self.warning
        if self.taxonomy:
            found["taxonomy"] = self.taxonomy
        if self.themes is not None:
            found["curated themes"] = len(self.themes)
        return found


FEATURE_TYPES = {
    "document_kind": "TEXT",
    "document_id": "TEXT",
    "language": "TEXT",
    "sentiment": "TEXT",
    "sentiment_score": "DOUBLE PRECISION",
    "sentiment_reason": "TEXT",
    "emotions": "JSON",
    "emotion_labels": "TEXT",
    "effort": "DOUBLE PRECISION",
    "effort_cues": "TEXT",
    "complaint": "DOUBLE PRECISION",
    "model": "TEXT",
    "text_hash": "TEXT",
    "analysed_at": "TIMESTAMPTZ",
}


def analyze_workspace(
    db: Database,
    *,
    kinds: Sequence[str] | None = None,
    calibrate: bool | None = None,
    recalibrate: bool = False,
    model: str = STATIC,
    batch_size: int = 5000,
    progress: Progress | None = None,
    now: datetime | None = None,
    workers: int = 0,
    taxonomy: Taxonomy | str | Path | None = None,
    threshold: float | None = None,
) -> AnalyzeResult:
    """Analyse new and changed texts into ``text_features`` and ``text_sentences``.

    ``calibrate`` None uses a workspace calibration when there is any labelled comment,
    True requires one, False uses the model's own heads only; the fitted calibration is kept
    between runs until its labels change materially, or ``recalibrate`` is given (see
    :mod:`advocacy.text.calibration_store`). ``model`` is the ``text_model``
    setting value (see :mod:`advocacy.text.text_model`). A document is analysed again when its
    text or the model changed, or when it has no sentence rows yet (analysed before they existed).

    ``workers`` processes (0: the cores available; the ``text_workers`` setting) share out
    the reading of the texts, in pieces of :data:`PIECE_TEXTS`, and the calibration's
    independent fits; the stored rows are the same for any count, and only this process
    writes (:mod:`advocacy.text.workers`).

    ``taxonomy`` (a :class:`~advocacy.text.taxonomy_file.Taxonomy` or its YAML file, checked
    before any text is read) then assigns its themes to every text of the workspace, in the
    same process: :func:`~advocacy.text.catalogue.assign_taxonomy` with ``threshold`` (None:
    its default), the same rows as ``text analyze`` then ``text assign-themes``, without a
    second process loading the models again. The workspace then remembers the taxonomy (as
    ``assign-themes`` does), and a later run without ``taxonomy`` that analyses any new or
    changed text, or follows a taught theme label, assigns the remembered one again
    (:mod:`advocacy.text.taxonomy_store`); a run with neither leaves the themes as they are.
    """
    result = _analyze_workspace(
        db,
        kinds=kinds,
        calibrate=calibrate,
        recalibrate=recalibrate,
        model=model,
        batch_size=batch_size,
        progress=progress,
        now=now,
        workers=workers,
        taxonomy=taxonomy,
        threshold=threshold,
    )
    return _with_stored_counts(db, result, kinds)


def _with_stored_counts(
    db: Database, result: AnalyzeResult, kinds: Sequence[str] | None
) -> AnalyzeResult:
    """``result`` with the stored texts of ``kinds`` counted, and those not read by reason
    (every row is written by now, the last batch's included)."""
    chosen = check_kinds(kinds)
    marks = ", ".join("?" for _ in chosen)
    rows = db.fetchall(
        "SELECT sentiment_reason, language, COUNT(*) FROM text_features "
        f"WHERE document_kind IN ({marks}) GROUP BY sentiment_reason, language",
        chosen,
    )
    stored, non_answers = 0, 0
    not_supported: dict[str, int] = {}
    for reason, code, count in rows:
        stored += int(count)
        if reason == NO_CONTENT:
            non_answers += int(count)
        elif reason == NOT_SUPPORTED:
            code = code if isinstance(code, str) else UNKNOWN_LANGUAGE
            not_supported[code] = not_supported.get(code, 0) + int(count)
    return replace(
        result,
        stored=stored,
        stored_not_supported=dict(
            sorted(not_supported.items(), key=lambda item: (-item[1], item[0]))
        ),
        stored_non_answers=non_answers,
    )


def _analyze_workspace(
    db: Database,
    *,
    kinds: Sequence[str] | None,
    calibrate: bool | None,
    recalibrate: bool,
    model: str,
    batch_size: int,
    progress: Progress | None,
    now: datetime | None,
    workers: int,
    taxonomy: Taxonomy | str | Path | None,
    threshold: float | None,
) -> AnalyzeResult:
    from threadpoolctl import threadpool_limits

    from advocacy.text import taxonomy_store

    chosen = None if taxonomy is None else taxonomy_store.chosen_taxonomy(taxonomy, threshold)
    # What the analysis of every kind hands to the theme assignment after it.
    handover = _Handover() if kinds is None else None
    # The heads' products are small: a second BLAS thread costs more CPU than it saves (a
    # quarter of the reading's CPU on a busy two-core machine, benchmarks/text_analyze.py).
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            result = _analyze_stale(
                db,
                kinds=kinds,
                calibrate=calibrate,
                recalibrate=recalibrate,
                model=model,
                batch_size=batch_size,
                progress=progress,
                now=now,
                workers=worker_count(workers),
                # The first documents of every kind are the theme assignment's first ones;
                # those of some kinds need not be.
                taxonomy=None if chosen is None or kinds is not None else chosen.taxonomy,
                handover=handover,
                # With a taxonomy given, the last batch's rows are written while the workers
                # read the themes (the analysis tells the languages they need).
                defer_last=chosen is not None,
            )
        if chosen is None and (result.analyzed or taxonomy_store.taught_since(db)):
            # Only when a text changed or a theme was taught: else one query, nothing more.
            chosen = taxonomy_store.remembered(db)
            if chosen is None and taxonomy_store.curated_unremembered(db):
                return replace(result, taxonomy=UNREMEMBERED)
        if chosen is None:
            return result
        # Outside the BLAS limit above, as assign-themes runs: the same numbers.
        from advocacy.text.catalogue import assign_taxonomy
        from advocacy.text.theme_sentences import joined_readings

        # What the workers read of the first documents beside the calibration's last fits.
        parts = [] if handover is None else handover.parts
        counts = assign_taxonomy(
            db,
            chosen,
            now=now,
            workers=worker_count(workers),
            read=joined_readings(parts) if parts else None,
            progress=progress,
            # Loaded before analysing (only text_features and text_sentences were written
            # since): not queried and hashed again.
            documents=None if handover is None else handover.documents,
            detected=None if handover is None else handover.languages,
            meanwhile=None if handover is None else handover.last,
        )
        return replace(result, themes=counts, taxonomy=chosen.describe())
    finally:
        if handover is not None:
            handover.last()  # written whatever failed after the analysis (once)
        reap()  # the last workers finish exiting while the last batch was written


class _Once:
    """``work``, run at most once however often it is called (empty: nothing to run)."""

    def __init__(self, work: Callable[[], None] | None = None) -> None:
        self.work = work

    def __call__(self) -> None:
        work, self.work = self.work, None
        if work is not None:
            work()


@dataclass
class _Handover:
    """What :func:`_analyze_stale` hands to the theme assignment after it."""

    #: The theme readings of the first documents, read beside the calibration's last fits.
    parts: list[ThemeReading] = field(default_factory=list)
    #: The documents compared, with their text hashes (None: none loaded yet).
    documents: pd.DataFrame | None = None
    #: Writes the last batch's rows, when left to the caller (empty: written).
    last: _Once = field(default_factory=_Once)
    #: The languages this run's analysis detected, by (kind, id): the last batch's are not
    #: written yet, and with every document's no stored one is queried.
    languages: dict[tuple[str, str], str | None] = field(default_factory=dict)


def _analyze_stale(
    db: Database,
    *,
    kinds: Sequence[str] | None,
    calibrate: bool | None,
    recalibrate: bool,
    model: str,
    batch_size: int,
    progress: Progress | None,
    now: datetime | None,
    workers: int,
    taxonomy: Taxonomy | None = None,
    handover: _Handover | None = None,
    defer_last: bool = False,
) -> AnalyzeResult:
    """:func:`analyze_workspace` (see there). With ``handover``, the documents compared
    (with their text hashes) and, with ``taxonomy``, the theme reading of those read beside
    the calibration's last fits are handed over; with ``defer_last`` too, the writing of the
    last batch's rows and the languages it detected (the caller writes them). ``defer_last``
    (a theme assignment follows) also prepares the assignment while the first batch is read."""
    stamp = now or datetime.now(UTC)
    stored: list[pd.DataFrame] = []
    # Languages read before, for a batch of few texts sure of theirs (read before any is written).
    prior = stored_languages(db)

    def load_stored() -> None:  # while the workers read the labelled texts, if they do
        stored.extend(stored_documents(db, kinds))

    # When every document is read whatever the fit's model is named (a first run), the first
    # batch's reading that needs no calibration runs beside the fit's last step; not when a
    # stored reading may be kept (a refit may name the same model: the reading would be lost).
    def beside(known: KnownReadings) -> list[Callable[[], Any]]:
        batch = surely_read(*stored, batch_size=batch_size)
        if batch is None:
            return []
        texts = [str(t) for t in batch["text"].tolist()]
        # With a taxonomy, the same workers read its themes' sentences of the same texts.
        read = read_piece if taxonomy is None else partial(_read_with_themes, taxonomy=taxonomy)
        return [
            partial(
                read,
                texts[piece.start : piece.stop],
                model=model,
                known=known,
                language_prior=prior,
            )
            for piece in pieces(len(texts))
        ]

    # Labels count from the first one; a model without heads of its own needs at least one.
    chosen, known = Calibration(None, "not used"), None
    read_first: list[Any] = []
    pending: Callable[[], None] | None = None
    if calibrate is not False:
        # Refitting on thousands of scored comments takes seconds: show the step, not a pause.
        if progress is not None:
            progress("calibrating on the labels", 0, 1)
        chosen = workspace_calibration(
            db,
            model=model,
            refit=recalibrate,
            now=stamp,
            workers=workers,
            defer_store=True,
            meanwhile=load_stored,
            beside=beside,
            progress=progress,
        )
        known, read_first = chosen.known, chosen.beside
        if taxonomy is not None and read_first:
            if handover is not None:
                handover.parts.extend(themes for _, themes in read_first)
            read_first = [found for found, _ in read_first]
        # A new fit is stored while the workers start on the documents (before any is written).
        pending = chosen.store
        if progress is not None:
            progress("calibrating on the labels", 1, 1)
    if calibrate and chosen.name is None:
        raise UsageError(
            "calibration needs at least one comment with a score (NPS, CSAT, CES or a rating) "
            f"or a taught label, in a language the model reads ({chosen.status})",
            fix="import scored comments or teach labels (advocacy text teach FILE)",
        )
    if not stored:
        load_stored()
    documents, existing, with_sentences = stored
    if handover is not None:
        handover.documents = documents
    # Known without reading: with nothing stale, no model is loaded (nor a kept fit built).
    labelled_by = labelling_model(model, chosen.name)
    stale = stale_documents(documents, existing, with_sentences, label_model=labelled_by)
    # The kinds, and sources within a kind, the calibration was not fitted on enough labels of
    # are read by the model alone (review 23: five rated reviews among the mentions must not
    # put every tweet under a CSAT calibration; chanscope: nor 30 rated Amazon reviews, as
    # mentions, every tweet); a model without a sentiment head of its own has no "alone":
    # the calibration reads every text.
    fitted_kinds = chosen.kinds
    alone_of = _NoneAlone()
    if fitted_kinds and not needs_calibration(model):
        alone_of = _Alone(chosen)
    if alone_of(documents).any():
        by_model = stale_documents(
            documents, existing, with_sentences, label_model=labelling_model(model, None)
        )
        stale = pd.concat([stale[~alone_of(stale)], by_model[alone_of(by_model)]]).sort_index(
            kind="stable"
        )
    total = len(stale)
    # Built (importing scikit-learn, for a kept fit) only when a stale text is one it reads.
    reads_any = not alone_of(stale).all()
    calibrated = chosen.calibrated if total and reads_any else None
    model_alone: Counter[str] = Counter()
    model_alone_sources: Counter[tuple[str, str]] = Counter()
    not_supported: dict[str, int] = {}
    non_answers = cut_for_themes = 0
    # A batch's rows are written while the workers read the next batch (its pool's
    # ``meanwhile``), not while they wait; the last batch's after its pool.
    write = _Once()
    # The theme assignment's imports and model digest, while the workers read the first batch.
    prepare = _prepare_themes if defer_last else None
    try:
        for start in range(0, total, batch_size):
            chunk = stale.iloc[start : start + batch_size]
            texts = [str(t) for t in chunk["text"].tolist()]
            cut_for_themes += sum(len(text) > THEME_CHARACTERS for text in texts)
            # Texts the calibration does not read are read in the same pieces (the reading
            # beside the fit serves them too); only their sentiment is the model alone's.
            alone_rows = alone_of(chunk)
            features, sentences = analyze_documents(
                texts,
                calibrated,
                alone=alone_rows if alone_rows.any() else None,
                model=model,
                known=known,
                workers=workers,
                # A new fit is stored before any batch is written.
                meanwhile=_in_turn(pending, write, prepare),
                read=read_first or None,
                language_prior=prior,
                progress=None
                if progress is None
                else partial(tell_progress, progress, ANALYSING, start, total),
            )
            pending, read_first, prepare = None, [], None
            # Read, not those in a language it does not read (review 23).
            given = features["sentiment"].notna().to_numpy() & alone_rows
            model_alone.update(chunk["document_kind"].astype(str).to_numpy()[given])
            if "document_source" in chunk.columns:
                model_alone_sources.update(
                    (kind, source_key(None if pd.isna(source) else source))
                    for kind, source in chunk[["document_kind", "document_source"]][
                        given
                    ].itertuples(index=False)
                )
            reasons = features["sentiment_reason"]
            non_answers += int((reasons == NO_CONTENT).sum())
            for code in features["language"][reasons == NOT_SUPPORTED]:
                # None: too short to tell, in a script the model does not read ("很好").
                code = code if isinstance(code, str) else UNKNOWN_LANGUAGE
                not_supported[code] = not_supported.get(code, 0) + 1
            write = _Once(partial(_write_batch, db, chunk, features, sentences, stamp))
            if handover is not None and defer_last:  # what the theme assignment reads them in
                kinds_ids = zip(
                    chunk["document_kind"].astype(str).tolist(),
                    chunk["document_id"].astype(str).tolist(),
                    strict=True,
                )
                codes = [code if isinstance(code, str) else None for code in features["language"]]
                handover.languages.update(zip(kinds_ids, codes, strict=True))
    except BaseException:
        # The batches analysed before a failure are kept, as when each was written at once.
        write()
        raise
    run_work(pending)  # no document to read
    if handover is not None and defer_last:
        handover.last = write
    else:
        write()
    return AnalyzeResult(
        total,
        len(documents) - total,
        labelled_by,
        chosen.n_labels,
        dict(sorted(not_supported.items(), key=lambda item: (-item[1], item[0]))),
        non_answers,
        chosen.status,
        fitted=chosen.fitted,
        warning=chosen.warning or "",
        model_alone=dict(sorted(model_alone.items())),
        calibrated_kinds=fitted_kinds if model_alone else {},
        calibrated_sources=chosen.sources if model_alone else {},
        model_alone_sources=_by_source(model_alone_sources),
        cut_for_themes=cut_for_themes,
    )


def _by_source(counted: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Kind -> source -> texts, of the kinds that name their source."""
    found: dict[str, dict[str, int]] = {}
    for (kind, source), n in sorted(counted.items()):
        if DOCUMENT_SOURCES.get(kind) is not None and DOCUMENT_SOURCES[kind].source_column:
            found.setdefault(kind, {})[source] = n
    return found


class _NoneAlone:
    """No document is read by the model alone (no calibration, or one that reads every text)."""

    def __call__(self, documents: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(documents), dtype=bool)


class _Alone(_NoneAlone):
    """Which documents of a frame (``document_kind``, ``document_source``) the calibration
    ``chosen`` does not read (:meth:`Calibration.reads_text`), asked once per kind and source."""

    def __init__(self, chosen: Calibration) -> None:
        self._chosen = chosen
        self._known: dict[tuple[str, object], bool] = {}

    def __call__(self, documents: pd.DataFrame) -> np.ndarray:
        kinds = documents["document_kind"].astype(str).tolist()
        if "document_source" in documents.columns:
            sources = [None if pd.isna(v) else v for v in documents["document_source"].tolist()]
        else:
            sources = [None] * len(kinds)
        alone = np.empty(len(kinds), dtype=bool)
        for i, key in enumerate(zip(kinds, sources, strict=True)):
            found = self._known.get(key)
            if found is None:
                found = self._known[key] = not self._chosen.reads_text(*key)
            alone[i] = found
        return alone


def _in_turn(*works: Callable[[], None] | None) -> Callable[[], None] | None:
    """One work that runs ``works`` (None: none) one after the other; None when there is none."""
    chosen = [work for work in works if work is not None]
    if len(chosen) < 2:
        return chosen[0] if chosen else None

    def every() -> None:
        for work in chosen:
            work()

    return every


def _prepare_themes() -> None:
    """What the theme assignment after the analysis would import and compute first (its
    modules, the digest of the model's files: about 0.06 CPU s), done while workers read."""
    from advocacy.text import catalogue, pii, taxonomy, theme_evidence  # noqa: F401
    from advocacy.text.embeddings import default_embedder
    from advocacy.text.theme_reading_store import reader

    reader(default_embedder())


def _write_batch(
    db: Database,
    chunk: pd.DataFrame,
    features: pd.DataFrame,
    sentences: pd.DataFrame,
    stamp: datetime,
) -> None:
    """Replace the ``text_features`` and ``text_sentences`` rows of the documents of ``chunk``
    (their kind, id and text hash) with the analysis's ``features`` and ``sentences``
    (:func:`analyze_documents`), in one transaction."""
    keys = chunk[["document_kind", "document_id"]].reset_index(drop=True).astype(str)
    frame = pd.concat([keys, features], axis=1)
    frame["text_hash"] = chunk["text_hash"].to_numpy()
    frame["analysed_at"] = stamp
    located = keys.iloc[sentences["text_index"].to_numpy()].reset_index(drop=True)
    sentence_frame = pd.concat([located, sentences.drop(columns="text_index")], axis=1)
    sentence_frame["analysed_at"] = stamp
    with db.transaction():
        replace_rows(db, "text_features", frame, FEATURE_TYPES)
        replace_rows(db, "text_sentences", sentence_frame, SENTENCE_TYPES)


def _read_with_themes(
    texts: Sequence[str],
    *,
    model: str,
    known: KnownReadings | None,
    taxonomy: Taxonomy,
    language_prior: Mapping[str, int] | None,
) -> tuple[tuple[DocumentReading, Any], ThemeReading]:
    """:func:`read_piece` of ``texts`` and their theme reading
    (:func:`~advocacy.text.theme_sentences.read_theme_piece`) with the languages just
    detected, which are the ones stored: what ``assign-themes`` would read of them."""
    from advocacy.text.embeddings import default_embedder
    from advocacy.text.theme_sentences import read_theme_piece

    found = read_piece(texts, model=model, known=known, language_prior=language_prior)
    themes = read_theme_piece(
        texts, taxonomy, embedder=default_embedder(), languages=found[0].languages, keep=True
    )
    return found, themes


@dataclass(frozen=True)
class TeachResult:
    """Labels stored by ``advocacy text teach``, with what was decided on the way (``notes``:
    for a labelled file as imported, which column taught and which rows were skipped)."""

    sentiment_labels: int
    theme_labels: int
    unknown_documents: int
    notes: tuple[str, ...] = ()


def __getattr__(name: str) -> Any:
    """``export_columns`` and ``export_table``, named here too, imported when first asked for:
    the export brings the import formats and the redaction (about 0.06 CPU s) that an analysis
    never uses."""
    if name in ("export_columns", "export_table"):
        from advocacy.text import export

        return getattr(export, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
