"""Which reading made each stored sentiment: the workspace's calibration or the model alone.

``advocacy text analyze`` reads a text's sentiment through the workspace's calibration when the
calibration reads its kind of text (:mod:`~advocacy.text.calibration_kinds`), else by the shipped
model alone, and records which in the reading's ``model`` (``text_features.model``,
``text_sentences.model``): a calibrated reading's sentiment model carries
:data:`CALIBRATED_MARK` and the calibration's digest (:class:`~advocacy.text.calibration.
CalibratedSentiment`'s ``name_``, as ``real-sentiment-e5-v13+workspace-7a894a73``). A reading of an
older sentiment model is read again by the next ``text analyze``
(:func:`~advocacy.text.model_names.read_by_current_model`).

The CLI's ``text analyze`` and the report said which reading made how many texts and what the
calibration is worth (its known weakness included); the web said neither (session 23's last
note). :func:`stored_readings` gives a reader of stored sentiments (the web's text page and its
API) both, from the stored rows and the stored calibration, never fitting anything; and
:func:`readings_of` which reading made the sentiment of given texts (a quote's).

Reading the names loads no model, and this module imports none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from advocacy.text.calibration_kinds import source_key, texts_of
from advocacy.text.model_names import read_by_current_model

if TYPE_CHECKING:
    from advocacy.store.connection import Database

__all__ = [
    "CALIBRATED_MARK",
    "HOW_TO_CALIBRATE",
    "NOT_READ",
    "READINGS",
    "READING_WORDS",
    "READ_BY_CALIBRATION",
    "READ_BY_MODEL_ALONE",
    "READ_BY_OLDER_MODEL",
    "SentimentReadings",
    "StoredReadingRows",
    "counted_readings",
    "reading_of",
    "readings_of",
    "readings_words",
    "stored_reading_rows",
    "stored_readings",
]

#: What a calibrated reading's sentiment model name carries after the model's own name
#: (``CalibratedSentiment.name_``: ``<model>+workspace-<digest>``).
CALIBRATED_MARK = "+workspace-"
#: A sentiment read through the workspace's calibration.
READ_BY_CALIBRATION = "calibration"
#: A sentiment read by the shipped model alone (no calibration, or one that does not read the
#: text's kind).
READ_BY_MODEL_ALONE = "model alone"
#: A sentiment read by an older sentiment model (calibrated or not): the next ``text analyze``
#: reads it again.
READ_BY_OLDER_MODEL = "older model"
#: A stored text with no sentiment (a language the model does not read, or no content).
NOT_READ = "not read"
#: The readings, in the order they are told.
READINGS = (READ_BY_CALIBRATION, READ_BY_MODEL_ALONE, READ_BY_OLDER_MODEL)

#: A reading in a reader's words ("as the model alone reads it").
READING_WORDS: Mapping[str, str] = MappingProxyType(
    {
        READ_BY_CALIBRATION: "the calibration",
        READ_BY_MODEL_ALONE: "the model alone",
        READ_BY_OLDER_MODEL: "an older model",
    }
)

#: How a workspace gets a calibration, told where there is none (review24 item 4: a workspace
#: read but never taught was told of "the workspace's calibration", and not how to get one).
HOW_TO_CALIBRATE = (
    "The next advocacy text analyze fits one from labelled texts in a language the model reads: "
    "labels taught with advocacy text teach FILE, or comments imported with a score (an NPS, "
    "CSAT, CES or a rating)"
)

#: Keys per query of :func:`readings_of` (well under any engine's limit of parameters).
_CHUNK = 500


def reading_of(stored: str | None) -> str | None:
    """Which reading made a stored sentiment, from the ``model`` stored with it.

    Parameters
    ----------
    stored
        A ``text_features`` (or ``text_sentences``) row's ``model``: the sentiment model's name,
        with :data:`CALIBRATED_MARK` and a digest when a calibration read it, then ``;`` and
        the emotion model and effort cues (a sentence's model is the sentiment model alone).

    Returns
    -------
    str or None
        :data:`READ_BY_CALIBRATION`, :data:`READ_BY_MODEL_ALONE` or, for a reading of an older
        sentiment model, :data:`READ_BY_OLDER_MODEL`; None when nothing is recorded.

    Examples
    --------
    The current model's name comes from :mod:`~advocacy.text.model_names`, so that the examples
    still hold after its next version (a written "e5-v8" read as an older model once v9 came):

    >>> from advocacy.text.model_names import EFFORT_CUES, EMOTION_MODEL, SENTIMENT_MODEL
    >>> reading_of(f"{SENTIMENT_MODEL}+workspace-7a894a73; {EMOTION_MODEL}; {EFFORT_CUES}")
    'calibration'
    >>> reading_of(f"{SENTIMENT_MODEL}; {EMOTION_MODEL}; {EFFORT_CUES}")
    'model alone'
    >>> reading_of("real-sentiment-e5-v6+workspace-0a1b2c; real-emotion-e5-v2")
    'older model'
    """
    if not isinstance(stored, str) or not stored.strip():
        return None
    if not read_by_current_model(stored):
        return READ_BY_OLDER_MODEL
    sentiment = stored.split(";", 1)[0]
    return READ_BY_CALIBRATION if CALIBRATED_MARK in sentiment else READ_BY_MODEL_ALONE


def readings_words(readings: Mapping[str, int]) -> str:
    """Which reading made how many of some texts' sentiments (a theme's), in words.

    Parameters
    ----------
    readings
        Reading (:data:`READINGS`) -> texts, as ``ws.text.themes``' ``sentiment_readings``.

    Returns
    -------
    str
        As "Sentiment read by the calibration for 40, by the model alone for 12 texts"; ""
        when no reading made any.

    Examples
    --------
    >>> readings_words({"calibration": 40, "model alone": 12})
    'Sentiment read by the calibration for 40, by the model alone for 12 texts'
    >>> readings_words({"model alone": 1})
    'Sentiment read by the model alone for 1 text'
    """
    said = [
        (READING_WORDS[name], int(readings[name]))
        for name in READINGS
        if int(readings.get(name, 0) or 0) > 0
    ]
    if not said:
        return ""
    only = sum(count for _, count in said) == 1
    made = ", ".join(f"by {words} for {count:,}" for words, count in said)
    return f"Sentiment read {made} text{'' if only else 's'}"


@dataclass(frozen=True)
class SentimentReadings:
    """How many stored sentiments each reading made, by kind of text, and what the calibration
    the readings were made with is worth.

    Attributes
    ----------
    counts
        Kind of text (``response``, ``mention``, ...) -> reading (:data:`READINGS`, and
        :data:`NOT_READ` for texts with no sentiment) -> stored texts.
    calibration
        :func:`~advocacy.text.calibration_report.kept_calibration_report` of the stored
        calibration, field by field: empty when none is stored (no text read yet, or none
        fitted: no labelled texts), only ``calibration`` ("none: ...") for a stored verdict of
        no calibration (:meth:`calibration_note` says which, in words).
    warnings
        What a reader of the sentiments must see: the calibration's known weakness (a class
        it finds markedly fewer of than the model alone), and a warning that most of its
        labelled texts trained the shipped model.
    """

    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    calibration: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: Kind of text that names its source (a mention's platform) -> reading -> source
    #: (:func:`~.calibration_kinds.source_key`) -> stored texts: a calibration reads only the
    #: platforms it has enough labels of, and a reader sees which (empty: not counted).
    sources: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        """Texts per reading (with :data:`NOT_READ`), over every kind, in the order told."""
        found = {name: 0 for name in (*READINGS, NOT_READ)}
        for readings in self.counts.values():
            for name, count in readings.items():
                found[name] = found.get(name, 0) + int(count)
        return found

    @property
    def fitted(self) -> bool:
        """Whether the readings were made with a fitted calibration stored (not a verdict of
        none, nor nothing stored)."""
        said = str(self.calibration.get("calibration", ""))
        return bool(said) and not said.startswith("none")

    def calibration_note(self) -> str:
        """One sentence: which texts the calibration reads, or that there is none and how to
        get one.

        Returns
        -------
        str
            With a fitted calibration, that it reads only the kinds of text it has enough
            labels of; without one, why (no labelled texts, or the stored verdict's reason) and
            :data:`HOW_TO_CALIBRATE`; "" when no text has been read yet.

        Examples
        --------
        >>> SentimentReadings({"response": {"model alone": 90}}).calibration_note()
        'No calibration: none has been fitted (it needs labelled texts), so sentiment is read by the model alone. The next advocacy text analyze fits one from labelled texts in a language the model reads: labels taught with advocacy text teach FILE, or comments imported with a score (an NPS, CSAT, CES or a rating).'
        >>> stored = "none: none: 5 labelled texts in languages the model does not read (de 5)"
        >>> SentimentReadings({"response": {"model alone": 2}}, {"calibration": stored}
        ...                   ).calibration_note()
        'No calibration: 5 labelled texts in languages the model does not read (de 5), so sentiment is read by the model alone. The next advocacy text analyze fits one from labelled texts in a language the model reads: labels taught with advocacy text teach FILE, or comments imported with a score (an NPS, CSAT, CES or a rating).'
        >>> SentimentReadings({"response": {"calibration": 8}},
        ...                   {"calibration": "prior adjusted"}).calibration_note()
        "The workspace's calibration reads only the kinds of text it has enough labels of; the others are read by the model alone."
        >>> SentimentReadings().calibration_note()
        ''
        """  # noqa: E501
        if not sum(self.totals().values()):
            return ""
        if self.fitted:
            # Within mentions too: a user's tweets read by the model alone beside reviews read
            # by the calibration are told why.
            within = ", and within mentions the platforms," if self.sources else ""
            return (
                f"The workspace's calibration reads only the kinds of text{within} it has "
                "enough labels of; the others are read by the model alone."
            )
        why = str(self.calibration.get("calibration", "")).strip()
        while why.startswith("none"):  # a stored verdict's reason may carry its own "none: "
            why = why.removeprefix("none").lstrip(":; ").strip()
        why = why or "none has been fitted (it needs labelled texts)"
        return (
            f"No calibration: {why}, so sentiment is read by the model alone. {HOW_TO_CALIBRATE}."
        )

    def summary(self) -> str:
        """One sentence: how many stored sentiments each reading made, of which kinds.

        Returns
        -------
        str
            As "Sentiment of 11 stored texts: 8 read by the workspace's calibration (8
            response texts), 3 read by the model alone (3 mention texts)."; "No text has been
            read for sentiment yet." when none has.

        Examples
        --------
        >>> SentimentReadings({"response": {"calibration": 8, "not read": 1},
        ...                    "mention": {"model alone": 3}}).summary()
        "Sentiment of 12 stored texts: 8 read by the workspace's calibration (8 response texts), 3 read by the model alone (3 mention texts); 1 not read (a language the model does not read, or no content)."
        >>> SentimentReadings({"response": {"model alone": 1}}).summary()
        'Sentiment of 1 stored text: 1 read by the model alone (1 response text).'
        """  # noqa: E501
        totals = self.totals()
        if not sum(totals.values()):
            return "No text has been read for sentiment yet."
        words = {
            READ_BY_CALIBRATION: "read by the workspace's calibration",
            READ_BY_MODEL_ALONE: "read by the model alone",
            READ_BY_OLDER_MODEL: "read by an older model",
        }
        said = []
        for name in READINGS:
            if totals[name]:
                kinds = ", ".join(
                    said
                    for kind, readings in self.counts.items()
                    if readings.get(name)
                    for said in texts_of(
                        kind, int(readings[name]), self.sources.get(kind, {}).get(name)
                    )
                )
                said.append(f"{totals[name]:,} {words[name]} ({kinds})")
        stored = sum(totals.values())
        sentence = f"Sentiment of {stored:,} stored text{'' if stored == 1 else 's'}: "
        sentence += ", ".join(said)
        if totals[NOT_READ]:
            sentence += (
                f"{'; ' if said else ''}{totals[NOT_READ]:,} not read (a language the model "
                "does not read, or no content)"
            )
        if totals[READ_BY_OLDER_MODEL]:
            sentence += ". The next advocacy text analyze reads those of an older model again"
        return sentence + "."


@dataclass(frozen=True)
class StoredReadingRows:
    """The stored sentiments counted by kind and model, and by source and model for a kind that
    names its source (a mention's platform): what :func:`counted_readings` counts, fetched once
    (:func:`stored_reading_rows`) for every reading a page names (review26 item 7: the text
    page ran the same queries twice)."""

    #: ``(document_kind, model, sentiment is null, count)``.
    by_kind: tuple[tuple[str, str | None, bool, int], ...]
    #: Kind -> ``(source, model, count)`` of its texts with a sentiment (source None: the
    #: text's record is gone).
    by_source: Mapping[str, tuple[tuple[str | None, str | None, int], ...]]


def stored_reading_rows(db: Database) -> StoredReadingRows:
    """The stored sentiments of the workspace, counted for :func:`counted_readings`.

    Parameters
    ----------
    db
        The workspace's database.

    Returns
    -------
    StoredReadingRows
        The counts by kind and model, and by source and model for the kinds that name one.
    """
    from advocacy.text.documents import DOCUMENT_SOURCES

    by_kind = tuple(
        (str(kind), model, bool(unread), int(n))
        for kind, model, unread, n in db.fetchall(
            "SELECT document_kind, model, sentiment IS NULL, COUNT(*) FROM text_features "
            "GROUP BY 1, 2, 3 ORDER BY 1"
        )
    )
    kinds = {kind for kind, _, _, _ in by_kind}
    by_source: dict[str, tuple[tuple[str | None, str | None, int], ...]] = {}
    for kind, known in DOCUMENT_SOURCES.items():
        if known.source_column is None or kind not in kinds:
            continue
        by_source[kind] = tuple(
            (source, model, int(n))
            for source, model, n in db.fetchall(
                f"SELECT CAST(d.{known.source_column} AS TEXT), f.model, COUNT(*) "
                f"FROM text_features f LEFT JOIN {known.table} d "
                f"ON CAST(d.{known.id_column} AS TEXT) = f.document_id "
                "WHERE f.document_kind = ? AND f.sentiment IS NOT NULL GROUP BY 1, 2",
                [kind],
            )
        )
    return StoredReadingRows(by_kind, MappingProxyType(by_source))


def counted_readings(
    rows: StoredReadingRows, reading: Callable[[str | None], str | None] | None = None
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, dict[str, int]]]]:
    """How many stored texts each reading made, by kind and, for a kind that names its source
    (a mention's platform), by source.

    Parameters
    ----------
    rows
        The workspace's stored sentiments, counted (:func:`stored_reading_rows`).
    reading
        The reading of a stored ``model`` (None: :func:`reading_of`); a model it gives None
        is not counted. Texts without a sentiment are :data:`NOT_READ` whatever it says.

    Returns
    -------
    tuple
        :attr:`SentimentReadings.counts` and :attr:`SentimentReadings.sources` (texts without
        a sentiment are not counted by source; a text whose record is gone names no source;
        a kind none of whose texts names one is left out).
    """
    read = reading_of if reading is None else reading
    counts: dict[str, dict[str, int]] = {}
    for kind, model, unread, n in rows.by_kind:
        name = NOT_READ if unread else read(model)
        if name is None:
            continue
        readings = counts.setdefault(kind, {})
        readings[name] = readings.get(name, 0) + n
    sources: dict[str, dict[str, dict[str, int]]] = {}
    for kind, counted in rows.by_source.items():
        if kind not in counts:
            continue
        for source, model, n in counted:
            name = read(model)
            if name is None:
                continue
            of_reading = sources.setdefault(kind, {}).setdefault(name, {})
            key = source_key(source)
            of_reading[key] = of_reading.get(key, 0) + n
    # A kind none of whose texts names a source (mentions imported without a platform) has
    # nothing to tell apart.
    named = {
        kind: readings
        for kind, readings in sources.items()
        if any(source for counted in readings.values() for source in counted)
    }
    return counts, named


def stored_readings(db: Database, model: str) -> SentimentReadings:
    """How many stored sentiments each reading made, and what the stored calibration is worth.

    Read only: the calibration is the one ``text analyze`` stored for ``model``, never fitted
    here (:func:`~advocacy.text.calibration_report.kept_calibration_report`).

    Parameters
    ----------
    db
        The workspace's database.
    model
        The ``text_model`` setting value.

    Returns
    -------
    SentimentReadings
        The counts by kind and reading, the calibration's report, and its warnings.
    """
    from advocacy.text.calibration_report import kept_calibration_report

    rows = stored_reading_rows(db)
    report = kept_calibration_report(db, model, rows)
    said = [report.get("warning", "")]
    trained = report.get("trained the shipped model", "")
    if trained.startswith("Warning: "):
        said.append(trained.removeprefix("Warning: "))
    warnings = tuple(
        f"{text[0].upper()}{text[1:]}{'' if text.endswith('.') else '.'}" for text in said if text
    )
    counts, sources = counted_readings(rows)
    return SentimentReadings(counts, report, warnings, sources)


def readings_of(
    db: Database, documents: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str | None]:
    """Which reading made the stored sentiment of each document.

    Parameters
    ----------
    db
        The workspace's database.
    documents
        ``(document_kind, document_id)`` pairs, as a quote names its text.

    Returns
    -------
    dict
        Each pair found in ``text_features`` -> :func:`reading_of` its model (None: no model
        recorded); pairs not stored are left out.
    """
    keys = sorted({(str(kind), str(key)) for kind, key in documents})
    found: dict[tuple[str, str], str | None] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        ids = sorted({key for _, key in chunk})
        marks = ", ".join("?" for _ in ids)
        rows = db.fetchall(
            "SELECT document_kind, document_id, model FROM text_features "
            f"WHERE document_id IN ({marks})",
            ids,
        )
        wanted = set(chunk)
        for kind, key, stored in rows:
            pair = (str(kind), str(key))
            if pair in wanted:
                found[pair] = reading_of(stored)
    return found
