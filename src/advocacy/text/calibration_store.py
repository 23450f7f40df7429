"""The workspace's fitted sentiment calibration, kept between runs of ``text analyze``.

Refitting the calibration reads every labelled comment and cross-validates a dozen candidate
heads: seconds to minutes on a workspace whose comments carry scores. Worse, every refit names
a new model (``...+workspace-<digest>``), so every document is analysed again. The fitted
calibration is therefore stored (table ``text_calibration``, one row per ``text_model``
setting) and reused until its labels change *materially*:

* any taught label added, removed or changed (a user's teaching always counts at once);
* the texts it would read (:func:`~advocacy.text.calibration_kinds.scope_change`): a kind of
  text, or a platform within mentions, reaching 30 labels or falling under them, or labelled
  mentions moved to another platform (30 of 3,000 labels are not material to the counts of
  each class, yet put a platform's texts under the calibration or take them from it);
* the score-derived labels (from NPS, CSAT, CES and ratings) moved by at least
  :data:`MATERIAL_SHARE` of the labels it was fitted on, counted per class (new scored comments
  arriving, old ones removed); below :data:`ALWAYS_REFIT_BELOW` labels, any change;
* the shipped text model or the stored format changed.

A workspace whose labels are all on texts in languages the model does not read has no
calibration; that verdict is stored too (:func:`store_verdict`), so a re-run does not read every
labelled text again to reach it. It is kept while the labelled texts are exactly those it was
reached on (keys, labels, taught or not, and the texts themselves: :func:`labelled_digest`), with
the same ``minimum``, and the model reads the same languages: any label or labelled text added,
removed or changed judges again (a comment edited into a language the model reads gives the
workspace a calibration).

``advocacy text analyze --recalibrate`` (``ws.text.analyze(recalibrate=True)``) refits anyway.

A fit is stored with what its report would otherwise count again from the labelled texts: how
many of the texts it learnt from trained the shipped model, by set, and how many labelled texts
were left out for their language (:class:`~advocacy.text.calibration_report.TrainingLabels`,
counted when fitting; :func:`stored_training`). A row stored before 2026-12-06 holds no count
and is read as "not recorded", never counted again by a report. A fit that stacks a TF-IDF model
is stored with its labelled texts' out-of-sample probabilities, by a 16-byte key of each text
(:func:`~advocacy.text.calibration.text_key`; about 40 bytes a label), so a run that keeps it
reads a labelled text as the run that fitted it did, not with the final model's probabilities,
which echo the text's label. A fit stored before 2026-12-07 holds none: it reads labelled
texts as before until it is refitted (``--recalibrate``).

The state is stored as JSON with its arrays in a NumPy ``.npz`` archive read with
``allow_pickle=False``: numbers and words, never code, so a tampered row cannot run anything.

Examples
--------
>>> old = LabelSummary(taught="t0", scored={"negative": 300, "neutral": 200, "positive": 500})
>>> new = LabelSummary(taught="t0", scored={"negative": 310, "neutral": 205, "positive": 520})
>>> material_change(old, new) is None  # 35 of 1,000 moved: under 10%
True
>>> material_change(old, LabelSummary(taught="t1", scored=old.scored))
'taught labels changed'
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from advocacy.text.calibration import TEXT_KEY_BYTES, CalibratedSentiment
from advocacy.text.calibration_fits import PriorAdjustment
from advocacy.text.calibration_kinds import scope_change, source_counts
from advocacy.text.calibration_report import TrainingLabels
from advocacy.text.calibration_tfidf import tfidf_model

if TYPE_CHECKING:
    from advocacy.store.connection import Database

#: Bump when the stored state changes shape: an older row is then refitted, never misread.
#: 2 (2026-12-07): a fit records the kinds of text it was fitted on (``kinds_``), which it alone
#: reads; a fit of format 1 did not, and was read on every kind.
FORMAT = 2
#: Score-derived labels moved by this share of the fitted ones (per class) force a refit.
MATERIAL_SHARE = 0.10
#: Below this many labels, any change refits (a small fit is cheap and moves most).
ALWAYS_REFIT_BELOW = 100


@dataclass(frozen=True)
class LabelSummary:
    """What a calibration was fitted on: the taught labels' digest, the score-derived labels'
    count per class, and the labels of each kind of text and of each source within a kind
    that names one (a mention's platform): what it reads (:func:`material_change`).

    ``kinds`` and ``sources`` are None when not recorded (a fit stored before 2026-12-07,
    18:00 UTC: :func:`stored` then takes them from the fit). They count every labelled
    text, as the summary's classes do, those in languages the model does not read too (a fit
    counts the others only): both ends of a comparison are counted alike, so a fit is not
    refitted run after run for labels it leaves out.
    """

    taught: str
    scored: Mapping[str, int] = field(default_factory=dict)
    kinds: Mapping[str, int] | None = None
    sources: Mapping[str, Mapping[str, int]] | None = None

    @classmethod
    def of(
        cls,
        labels: Iterable[tuple[tuple[str, str], str, bool]],
        sources: Mapping[tuple[str, str], object] | None = None,
    ) -> LabelSummary:
        """From ``((kind, id), label, taught)`` triples and, when given, each labelled text's
        source value by its ``(kind, id)`` (absent: none; ``sources`` None: kinds and sources
        not recorded)."""
        digest = hashlib.sha256()
        scored: dict[str, int] = {}
        keys = []
        for key, label, taught in sorted(labels):
            keys.append(key)
            if taught:
                digest.update(f"{key[0]}\x1f{key[1]}\x1f{label}\x1e".encode())
            else:
                scored[label] = scored.get(label, 0) + 1
        summary = cls(digest.hexdigest()[:16], dict(sorted(scored.items())))
        if sources is None:
            return summary
        kinds = [kind for kind, _ in keys]
        return replace(
            summary,
            kinds=dict(sorted(Counter(kinds).items())),
            sources=source_counts(kinds, [sources.get(key) for key in keys]),
        )

    def same_labels(self, other: LabelSummary) -> bool:
        """Whether ``other`` holds the same taught labels and the same counts of score-derived
        ones (whatever it recorded of kinds and sources)."""
        return (self.taught, dict(self.scored)) == (other.taught, dict(other.scored))

    def to_json(self) -> str:
        data: dict[str, Any] = {"taught": self.taught, "scored": dict(self.scored)}
        if self.kinds is not None:
            data |= {"kinds": dict(self.kinds), "sources": dict(self.sources or {})}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> LabelSummary:
        data = json.loads(text)
        summary = cls(str(data["taught"]), {str(k): int(v) for k, v in data["scored"].items()})
        if "kinds" not in data:  # stored before they were recorded
            return summary
        return replace(
            summary,
            kinds={str(kind): int(n) for kind, n in dict(data["kinds"]).items()},
            sources={
                str(kind): {str(source): int(n) for source, n in dict(counts).items()}
                for kind, counts in dict(data["sources"]).items()
            },
        )


def material_change(old: LabelSummary, new: LabelSummary) -> str | None:
    """Why the labels changed enough to refit, or None when the stored fit still holds: any
    taught label; the texts a fit would read (:func:`~.calibration_kinds.scope_change`: a
    platform's labels reaching 30, or moved to another platform), when both ends recorded
    their kinds; the score-derived labels by :data:`MATERIAL_SHARE`."""
    if old.taught != new.taught:
        return "taught labels changed"
    if old.kinds is not None and new.kinds is not None:
        scope = scope_change((old.kinds, old.sources or {}), (new.kinds, new.sources or {}))
        if scope is not None:
            return scope
    classes = set(old.scored) | set(new.scored)
    moved = sum(abs(new.scored.get(c, 0) - old.scored.get(c, 0)) for c in classes)
    fitted = sum(old.scored.values())
    if moved == 0:
        return None
    if fitted < ALWAYS_REFIT_BELOW or moved >= MATERIAL_SHARE * fitted:
        # Not "268 of 117 changed" when the labels grew: the counts at both ends.
        now = sum(new.scored.values())
        return f"score-derived labels changed by {moved:,} ({fitted:,} when fitted, {now:,} now)"
    return None


# -- the state as JSON + arrays ------------------------------------------------------------------
_SCALARS = (
    "taught_weight",
    "text_model",
    "folds",
    "random_state",
    "method_",
    "penalty_",
    "cv_accuracy_",
    "cv_recall_",  # absent from fits stored before 2026-12-06: loaded without it
    "cv_counts_",
    "n_labels_",
    "n_taught_",
    "n_cv_labels_",
    "classes_",
    "kinds_",  # absent from fits stored before 2026-12-07 (format 1: refitted)
    # Absent from fits stored before sources were recorded (chanscope, 2026-12-07): such a fit
    # reads by kind alone, as it did; the same format, so it is not refitted for it.
    "sources_",
    "name_",
    "description_",
    "fit_version_",  # absent from fits stored before the macro-recall guard (2026-12-06)
)


#: zlib level of the stored arrays (an ``.npz`` archive, as ``np.savez_compressed`` writes it
#: but at this level rather than 6): a fit with the stacked TF-IDF model on 11,400 labelled
#: reviews (340,000 terms) is compressed in 0.22 CPU s rather than 0.43-0.51, into 8.64 MB
#: rather than 8.27 (its 8 MB of float weights hardly compress at any level).
ARRAYS_COMPRESSION = 1


def _arrays_text(arrays: Mapping[str, Any]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=ARRAYS_COMPRESSION
    ) as archive:
        for name, value in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(value), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _arrays(text: str) -> dict[str, Any]:
    with np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _column_order(vocabulary: Mapping[str, int]) -> list[str]:
    """A fitted vocabulary's terms in column order: each put in its place (half the CPU of a
    sort by column, 0.1 s of 340,000 terms), or sorted when the columns are not 0..n-1."""
    words: list[str | None] = [None] * len(vocabulary)
    try:
        for word, column in vocabulary.items():
            words[column] = word
    except (IndexError, TypeError):
        words = [None]
    if None in words:
        return sorted(vocabulary, key=vocabulary.__getitem__)
    return words  # type: ignore[return-value]


def dump(calibrated: CalibratedSentiment, *, training: TrainingLabels | None = None) -> str:
    """A fitted calibration as JSON text (see the module notes), with ``training`` when
    given (what the fit counted of the labels that trained the shipped model)."""
    scalars = {name: getattr(calibrated, name) for name in _SCALARS if hasattr(calibrated, name)}
    scalars["classes_"] = list(scalars.get("classes_", ()))
    if hasattr(calibrated, "n_folds_"):
        scalars["n_folds_"] = calibrated.n_folds_
    arrays: dict[str, Any] = {
        "adjustment_bias": calibrated.adjustment_.bias,
        "adjustment_temperature": np.array([calibrated.adjustment_.temperature]),
    }
    if calibrated.head_ is not None:
        arrays |= {
            "head_coef": calibrated.head_.coef_,
            "head_intercept": calibrated.head_.intercept_,
            "head_classes": calibrated.head_.classes_,
        }
    if calibrated.tfidf_ is not None:
        vectorizer, classifier = (step for _, step in calibrated.tfidf_.steps)
        words = _column_order(vectorizer.vocabulary_)
        arrays |= {
            # One UTF-8 text, a term a line (a term never holds a line break): an array of
            # fixed-width strings would give every term the longest one's width, and one
            # 5,000-character word in a comment made that gigabytes for 100,000 terms.
            "tfidf_terms": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
            "tfidf_idf": vectorizer.idf_,
            "tfidf_coef": classifier.coef_,
            "tfidf_intercept": classifier.intercept_,
            "tfidf_classes": classifier.classes_,
        }
        arrays |= _labelled_arrays(getattr(calibrated, "_labelled_tfidf", None))
    state = {"format": FORMAT, "scalars": scalars, "arrays": _arrays_text(arrays)}
    if training is not None:
        state["training"] = {
            "labelled": training.labelled,
            "trained": dict(sorted(training.trained.items())),
            "unread": training.unread,
        }
    return json.dumps(state)


def _labelled_arrays(kept: tuple[dict[bytes, int], Any] | None) -> dict[str, Any]:
    """The labelled texts' out-of-sample TF-IDF probabilities of a fit, by the key of each text
    (:func:`~advocacy.text.calibration.text_key`), as arrays: a kept fit then reads a labelled
    text as the run that fitted it did, not with probabilities that echo its label."""
    if kept is None:
        return {}
    row, found = kept
    keys = list(row)
    return {
        "tfidf_labelled_keys": np.frombuffer(b"".join(keys), dtype=np.uint8),
        "tfidf_labelled_probabilities": np.asarray(found)[[row[key] for key in keys]],
    }


def _training(state: Any) -> TrainingLabels | None:
    """The count :func:`dump` stored with a fit, from the parsed state (None: not recorded,
    a verdict of no calibration, or counts that cannot be: an edited row)."""
    counted = state.get("training") if isinstance(state, dict) else None
    if not isinstance(counted, dict):
        return None
    try:  # an edited row may hold anything: Infinity, NaN, text, a list
        trained = Counter({str(name): int(n) for name, n in counted["trained"].items()})
        training = TrainingLabels(int(counted["labelled"]), trained, int(counted["unread"]))
    except (ValueError, OverflowError, TypeError, KeyError, AttributeError):
        return None
    if min(training.unread, *trained.values(), 0) < 0 or training.n_trained > training.labelled:
        return None
    return training


def labelled_digest(labelled: Iterable[tuple[tuple[str, str], str, bool, str]]) -> str:
    """A digest of every labelled text, from ``((kind, id), label, taught, text)``.

    Parameters
    ----------
    labelled
        Each labelled document's key, label, whether the label was taught, and its text.

    Returns
    -------
    str
        Hex digest of the sorted ``(key, label, taught, hash of the text)``: equal only when
        the same texts carry the same labels.
    """
    rows = sorted(
        (kind, key, label, taught, hashlib.sha256(text.encode()).hexdigest())
        for (kind, key), label, taught, text in labelled
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\x1f".join(map(str, row)).encode() + b"\x1e")
    return digest.hexdigest()


def dump_verdict(reason: str, languages: Iterable[str], labelled: str, minimum: int) -> str:
    """JSON text of the verdict that the labels give no calibration: why, the languages the
    model read, the :func:`labelled_digest` and the ``minimum`` it was reached with (see the
    module notes)."""
    return json.dumps(
        {
            "format": FORMAT,
            "none": reason,
            "languages": sorted(languages),
            "labelled": labelled,
            "minimum": minimum,
        }
    )


def _classifier(coef: Any, intercept: Any, classes: Any, penalty: float = 1.0) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=penalty)
    model.coef_, model.intercept_, model.classes_ = coef, intercept, classes
    return model


def load(text: str) -> CalibratedSentiment | None:
    """The calibration :func:`dump` wrote, or None for a state of another format."""
    return _loaded(json.loads(text))


@dataclass(frozen=True)
class _Arrays:
    """A stored fit's arrays, decoded and checked."""

    adjustment: PriorAdjustment
    head: tuple[Any, ...] | None  # coef, intercept, classes (None: no head)
    tfidf: tuple[list[str], Any, Any, Any, Any] | None  # terms, idf, coef, intercept, classes
    #: The labelled texts' out-of-sample TF-IDF probabilities by text key (None: a fit
    #: without the stacked TF-IDF model, or stored before they were, 2026-12-07).
    labelled: tuple[dict[bytes, int], Any] | None = None


@dataclass(frozen=True)
class _Decoded:
    """A stored fit's state, its scalars decoded and checked: everything but the scikit-learn
    objects, which :func:`_built` makes from it (importing scikit-learn costs about a CPU
    second), and the arrays, decoded when first asked for (:attr:`arrays`): a page or a report
    that describes the fit reads its scalars only, and decoding the arrays of a stacked TF-IDF
    model on 11,399 labels (327,000 terms, an 11.6 MB state) cost 0.2 CPU s (chanscope2)."""

    name: str
    n_labels: int
    parameters: Mapping[str, Any]  # CalibratedSentiment's, typed
    scalars: Mapping[str, Any]
    #: The arrays' ``.npz`` archive as stored (base64 text).
    packed: str = field(repr=False)

    @cached_property
    def arrays(self) -> _Arrays:
        """The fit's arrays, decoded and checked.

        Raises
        ------
        ValueError, KeyError, TypeError, IndexError, OSError, EOFError
            For damaged arrays (:func:`stored` asks for them before it returns, unless the
            caller only describes the fit).
        """
        return _decoded_arrays(_arrays(self.packed))


def _decoded(data: Any) -> _Decoded | None:
    """The parsed JSON's fit, its scalars decoded and checked (None: a state of another
    format); its arrays are decoded when first asked for (:attr:`_Decoded.arrays`).

    Raises
    ------
    ValueError, KeyError, TypeError, AttributeError
        For a damaged state: here, where :func:`stored` refits it, not when the fit is built.
    """
    if data.get("format") != FORMAT:
        return None
    scalars, packed = data["scalars"], data["arrays"]
    if not isinstance(packed, str):
        raise TypeError("the arrays are not an archive's text")
    # The kinds it reads, checked here (an edited row may hold anything): words and counts.
    scalars["kinds_"] = {str(kind): int(n) for kind, n in dict(scalars["kinds_"]).items()}
    if "sources_" in scalars:
        scalars["sources_"] = {
            str(kind): {str(source): int(n) for source, n in dict(counts).items()}
            for kind, counts in dict(scalars["sources_"]).items()
        }
    parameters = {
        "taught_weight": float(scalars["taught_weight"]),
        "text_model": str(scalars["text_model"]),
        "folds": int(scalars["folds"]),
        "random_state": int(scalars["random_state"]),
    }
    name, n_labels = str(scalars["name_"]), int(scalars["n_labels_"])
    return _Decoded(name, n_labels, parameters, scalars, packed)


def _decoded_arrays(arrays: Mapping[str, Any]) -> _Arrays:
    """:class:`_Arrays` of a fit's decoded archive."""
    adjustment = PriorAdjustment(
        float(arrays["adjustment_temperature"][0]), arrays["adjustment_bias"]
    )
    head = tfidf = None
    if "head_coef" in arrays:
        head = (arrays["head_coef"], arrays["head_intercept"], arrays["head_classes"])
    if "tfidf_coef" in arrays:
        tfidf = (
            _terms(arrays),
            arrays["tfidf_idf"],
            arrays["tfidf_coef"],
            arrays["tfidf_intercept"],
            arrays["tfidf_classes"],
        )
    labelled = _labelled(arrays) if tfidf is not None else None
    return _Arrays(adjustment, head, tfidf, labelled)


def _labelled(arrays: Mapping[str, Any]) -> tuple[dict[bytes, int], Any] | None:
    """The out-of-sample probabilities :func:`_labelled_arrays` stored (None: stored before
    they were); ``ValueError`` when the two arrays do not fit together (a damaged row)."""
    if "tfidf_labelled_keys" not in arrays:
        return None
    packed = arrays["tfidf_labelled_keys"].tobytes()
    found = np.asarray(arrays["tfidf_labelled_probabilities"], dtype=np.float64)
    classes = len(arrays["tfidf_classes"])
    if found.ndim != 2 or found.shape[1] != classes or len(packed) != TEXT_KEY_BYTES * len(found):
        raise ValueError("the labelled texts' probabilities do not fit their keys")
    keys = (packed[at : at + TEXT_KEY_BYTES] for at in range(0, len(packed), TEXT_KEY_BYTES))
    return {key: row for row, key in enumerate(keys)}, found


def _built(decoded: _Decoded) -> CalibratedSentiment:
    """The calibration of a :func:`_decoded` state."""
    calibrated = CalibratedSentiment(**decoded.parameters)
    for name, value in decoded.scalars.items():
        setattr(calibrated, name, tuple(value) if name == "classes_" else value)
    arrays = decoded.arrays
    calibrated.adjustment_ = arrays.adjustment
    calibrated.head_ = None if arrays.head is None else _classifier(*arrays.head)
    calibrated.tfidf_ = None
    if arrays.labelled is not None:
        calibrated._labelled_tfidf = arrays.labelled
    if arrays.tfidf is not None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        terms, idf, *classifier = arrays.tfidf
        template = tfidf_model().steps[0][1]
        vocabulary = {word: i for i, word in enumerate(terms)}
        vectorizer = TfidfVectorizer(**{**template.get_params(), "vocabulary": vocabulary})
        vectorizer.idf_ = idf
        calibrated.tfidf_ = make_pipeline(vectorizer, _classifier(*classifier))
    return calibrated


def _loaded(data: Any) -> CalibratedSentiment | None:
    """:func:`load` of the parsed JSON."""
    decoded = _decoded(data)
    return None if decoded is None else _built(decoded)


def _terms(arrays: Mapping[str, Any]) -> list[str]:
    """The stacked TF-IDF model's terms in column order (rows stored before 2026-12-05 hold
    them as an array of strings)."""
    if "tfidf_terms" not in arrays:
        return [str(word) for word in arrays["tfidf_words"]]
    text = arrays["tfidf_terms"].tobytes().decode("utf-8")
    return text.split("\n") if text else []


# -- the table ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredCalibration:
    """A stored calibration row: the model it read, what it was fitted on, the fit itself.

    ``calibrated`` is None for a stored verdict that the labels give no calibration
    (:func:`store_verdict`): ``reason`` says why, ``languages`` are those the model read then,
    ``labelled`` the :func:`labelled_digest` and ``minimum`` the least count of labels it was
    reached with (a verdict stored before they were recorded has ``""`` and 0: judged again).
    ``training`` is what the fit counted of the labels that trained the shipped model (None:
    not recorded, as in a row stored before 2026-12-06, or a verdict).

    The fit's scalars are decoded and checked when the row is read (its arrays too, unless it
    was read to be described: :func:`stored`'s ``describe``), and the fit is built when
    ``calibrated`` is first asked for: its ``name`` and ``n_labels`` are known before, so a run
    that keeps the fit and has nothing to read never imports scikit-learn (about a CPU second).
    """

    base_model: str
    labels: LabelSummary
    fit: _Decoded | None
    reason: str = ""
    languages: tuple[str, ...] = ()
    labelled: str = ""
    minimum: int = 0
    training: TrainingLabels | None = None

    @property
    def name(self) -> str | None:
        """The fitted calibration's model name (its ``name_``; None: a verdict)."""
        return None if self.fit is None else self.fit.name

    @property
    def n_labels(self) -> int:
        """How many labels the calibration was fitted on (its ``n_labels_``; 0: a verdict)."""
        return 0 if self.fit is None else self.fit.n_labels

    @cached_property
    def calibrated(self) -> CalibratedSentiment | None:
        """The fitted calibration (None: a verdict of no calibration)."""
        return None if self.fit is None else _built(self.fit)

    @property
    def kinds(self) -> dict[str, int]:
        """The kinds of text the fit was fitted on, with their labels (empty: every kind, or a
        verdict); known without building the fit (see
        :meth:`~advocacy.text.calibration.CalibratedSentiment.reads_kind`)."""
        return {} if self.fit is None else dict(self.fit.scalars.get("kinds_", {}))

    @property
    def sources(self) -> dict[str, dict[str, int]]:
        """The sources of each kind the fit was fitted on, with their labels (empty: not
        recorded, as by a fit stored before they were, or a verdict); known without building
        the fit (see :meth:`~advocacy.text.calibration.CalibratedSentiment.reads_text`)."""
        if self.fit is None:
            return {}
        return {kind: dict(n) for kind, n in self.fit.scalars.get("sources_", {}).items()}

    @property
    def summary(self) -> CalibratedSentiment | None:
        """The fit's recorded numbers (method, cross-validation, labels, kinds) as attributes,
        without building it: what :func:`~.calibration_report.calibration_report` and
        :func:`~.calibration_report.recall_warning` read, for a page or a report that only
        describes the calibration (building it imports scikit-learn: about a CPU second).
        None: a verdict."""
        from types import SimpleNamespace

        if self.fit is None:
            return None
        scalars = dict(self.fit.scalars)
        scalars["classes_"] = tuple(scalars.get("classes_", ()))  # as the built fit holds them
        return SimpleNamespace(**scalars)  # type: ignore[return-value]

    @property
    def warning(self) -> str | None:
        """The fit's known weakness (:func:`~.calibration_report.recall_warning` of its
        stored cross-validation), read without building the fit (None: none, or a verdict)."""
        from advocacy.text.calibration_report import recall_warning

        summary = self.summary
        return None if summary is None else recall_warning(summary)


def stored(db: Database, model: str, *, describe: bool = False) -> StoredCalibration | None:
    """The stored calibration of the ``text_model`` setting ``model``, if any and readable.

    Parameters
    ----------
    db
        The workspace's database.
    model
        The ``text_model`` setting value.
    describe
        Whether the caller only describes the fit (a page, a report: its name, labels and
        recorded numbers): its arrays are then decoded only if it is built, not here (0.2 CPU
        s of a stacked TF-IDF model on 11,399 labels). Otherwise they are decoded and checked
        here, so that damaged arrays give None (the caller refits), never an error later.

    Returns
    -------
    StoredCalibration or None
        The row; None when none is stored, it is of another format, or it is damaged.
    """
    row = db.fetchone(
        "SELECT base_model, format, labels, state FROM text_calibration WHERE model = ?",
        [model],
    )
    if row is None or int(row[1]) != FORMAT:
        return None
    try:
        labels = LabelSummary.from_json(str(row[2]))
        state = json.loads(str(row[3]))  # once: a fit's state is megabytes
        verdict = _verdict(state)
        if verdict is not None:
            return StoredCalibration(str(row[0]), labels, None, *verdict)
        fit = _decoded(state)
        training = _training(state)
        if fit is not None and not describe:
            fit.arrays  # noqa: B018 (decoded and checked here: damaged arrays are refitted)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, EOFError):
        # A damaged row (JSON, base64 or archive) is refitted, never trusted or fatal.
        return None
    if fit is None:
        return None
    if labels.kinds is None:
        # Stored before the labels' kinds and sources were (2026-12-07): the fit's own, so a
        # platform edited since is noticed (a fit of before sources were recorded reads
        # every platform: refitted once if it should not).
        labels = replace(
            labels, kinds=fit.scalars["kinds_"], sources=fit.scalars.get("sources_", {})
        )
    return StoredCalibration(str(row[0]), labels, fit, training=training)


def stored_training(db: Database, model: str) -> TrainingLabels | None:
    """What the stored calibration of ``model`` counted, when it was fitted, of the labels
    that trained the shipped model; the fit itself is not loaded.

    Parameters
    ----------
    db
        The workspace's database.
    model
        The ``text_model`` setting value.

    Returns
    -------
    TrainingLabels or None
        The count; None when it was not recorded (a calibration stored before 2026-12-06), when
        no calibration is stored, or when the row cannot be read.
    """
    row = db.fetchone("SELECT format, state FROM text_calibration WHERE model = ?", [model])
    if row is None or int(row[0]) != FORMAT:
        return None
    try:
        return _training(json.loads(str(row[1])))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _verdict(data: Any) -> tuple[str, tuple[str, ...], str, int] | None:
    """The reason, languages, labelled texts' digest and minimum of a stored verdict of no
    calibration, from the parsed state (None: a fit)."""
    if not isinstance(data, dict) or "none" not in data:
        return None
    languages = tuple(str(code) for code in data["languages"])
    return str(data["none"]), languages, str(data.get("labelled", "")), int(data.get("minimum", 0))


def store(
    db: Database,
    model: str,
    base_model: str,
    labels: LabelSummary,
    calibrated: CalibratedSentiment,
    now: datetime,
    *,
    training: TrainingLabels,
) -> None:
    """Keep ``calibrated`` as the calibration of ``model`` (replacing the one kept before),
    with ``training``: what the fit counted of its labels that trained the shipped model
    (:func:`~advocacy.text.calibration_report.count_training_labels`)."""
    _replace(db, model, base_model, labels, dump(calibrated, training=training), now)


def store_verdict(
    db: Database,
    model: str,
    base_model: str,
    labels: LabelSummary,
    reason: str,
    languages: Iterable[str],
    now: datetime,
    *,
    labelled: str,
    minimum: int,
) -> None:
    """Keep the verdict that the labels give ``model`` no calibration, in place of the
    calibration kept before.

    Parameters
    ----------
    db, model, base_model
        The workspace, the ``text_model`` setting value and the name of the reading it corrects.
    labels
        The labels' summary (as for :func:`store`).
    reason
        Why there is no calibration (fewer than ``minimum`` labels on texts in ``languages``,
        those the model reads).
    languages
        The languages the model reads.
    now
        When the verdict was reached.
    labelled
        :func:`labelled_digest` of every labelled text.
    minimum
        The least count of readable labels a calibration needed.
    """
    state = dump_verdict(reason, languages, labelled, minimum)
    _replace(db, model, base_model, labels, state, now)


def _replace(
    db: Database, model: str, base_model: str, labels: LabelSummary, state: str, now: datetime
) -> None:
    with db.transaction():
        db.execute("DELETE FROM text_calibration WHERE model = ?", [model])
        db.execute(
            "INSERT INTO text_calibration (model, base_model, format, labels, state, fitted_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [model, base_model, FORMAT, labels.to_json(), state, now],
        )


def forget(db: Database) -> None:
    """Drop every stored calibration (the next run refits)."""
    db.execute("DELETE FROM text_calibration")
