"""The workspace's themes: discover and store them, assign a taxonomy (promoting a discovered
one is :mod:`advocacy.text.theme_promotion`'s).

``themes`` holds both kinds (``origin`` discovered or curated); ``document_themes`` links
documents to them. Discovery replaces the previous discovered themes; assigning a taxonomy
replaces the previous curated assignments; labels users taught (``advocacy text teach``) are
added as assignments with origin ``taught`` and survive both. A theme taught often enough that a
classifier on the embeddings beats keywords and meaning on the taught documents
(:mod:`advocacy.text.theme_classifier`) tags every other document as well, with origin
``learned``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advocacy.errors import UsageError
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.documents import (
    check_kinds,
    load_documents,
)
from advocacy.text.theme_listing import (
    EMERGING_COLUMNS,
    NO_CONTENT,
    OUTCOME_COLUMNS,
    OUTCOMES,
    ThemeListing,
    list_themes,
)

if TYPE_CHECKING:
    from advocacy.text.taxonomy import Taxonomy
    from advocacy.text.taxonomy_store import ChosenTaxonomy
    from advocacy.text.theme_classifier import ThemeClassifier
    from advocacy.text.theme_sentences import ThemeReading
    from advocacy.text.themes import DiscoveredTheme

# Listing themes (the text page, ``advocacy text themes``) imports only what it reads: the
# models, the taxonomy's reading and the non-answer rules (whose patterns compile on import)
# are imported by the functions that discover and assign themes. The listing itself lives in
# advocacy.text.theme_listing; its names stay importable from here.

__all__ = [
    "EMERGING_COLUMNS",
    "FEATURE_COLUMNS",
    "NO_CONTENT",
    "OUTCOMES",
    "OUTCOME_COLUMNS",
    "ThemeListing",
    "assign_taxonomy",
    "discover",
    "document_languages",
    "list_themes",
    "stored_features",
    "theme_members",
    "themes_summary",
]

THEME_TYPES = {
    "theme_id": "TEXT",
    "name": "TEXT",
    "description": "TEXT",
    "keywords": "JSON",
    "examples": "JSON",
    "parent": "TEXT",
    "origin": "TEXT",
    "size": "BIGINT",
    "sentiment_mix": "JSON",
    "quotes": "JSON",
    "model": "TEXT",
    "created_at": "TIMESTAMPTZ",
}
LINK_TYPES = {
    "document_kind": "TEXT",
    "document_id": "TEXT",
    "theme_id": "TEXT",
    "score": "DOUBLE PRECISION",
    "origin": "TEXT",
    "model": "TEXT",
    "assigned_at": "TIMESTAMPTZ",
}


def _sentiments(db: Database, documents: pd.DataFrame) -> list[str]:
    rows = pd.DataFrame(
        db.fetchall("SELECT document_kind, document_id, sentiment FROM text_features"),
        columns=["document_kind", "document_id", "sentiment"],
    )
    merged = documents.merge(rows, on=["document_kind", "document_id"], how="left")
    return [str(s) if isinstance(s, str) else "unknown" for s in merged["sentiment"]]


def _replace(db: Database, origin: str, themes: pd.DataFrame, links: pd.DataFrame) -> None:
    import pyarrow as pa

    with db.transaction():
        db.execute("DELETE FROM document_themes WHERE origin = ?", [origin])
        db.execute("DELETE FROM themes WHERE origin = ?", [origin])
        for table, frame, types in (
            ("themes", themes, THEME_TYPES),
            ("document_themes", links, LINK_TYPES),
        ):
            if len(frame):
                db.load_temporary(
                    "__theme_rows", pa.Table.from_pandas(frame, preserve_index=False), types
                )
                columns = ", ".join(frame.columns)
                db.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM __theme_rows")
                db.execute("DROP TABLE __theme_rows")


def discover(
    db: Database,
    *,
    kinds: Sequence[str] | None = None,
    n_themes: int | None = None,
    random_state: int = 0,
    now: datetime | None = None,
) -> list[DiscoveredTheme]:
    """Discover themes in the workspace's texts and store them (quotes are PII-redacted).

    Non-answers join no theme. The stored quotes start with the theme's central quote.
    """
    from advocacy.text.embeddings import default_embedder
    from advocacy.text.pii import Redactor
    from advocacy.text.theme_names import shorten
    from advocacy.text.themes import discover_themes

    stamp = now or datetime.now(UTC)
    documents = load_documents(db, kinds)
    texts = [str(t) for t in documents["text"]]
    embedder = default_embedder()
    redactor = Redactor.for_workspace(db)  # the workspace's people too; refused if unreadable
    found = discover_themes(
        texts,
        embedder.embed(texts),
        n_themes=n_themes,
        sentiments=_sentiments(db, documents),
        languages=document_languages(db, documents),
        random_state=random_state,
        redact=redactor.redact,  # no theme is named after a person the workspace knows
    )
    for theme in found:
        theme.quotes = [redactor.redact(q) for q in theme.quotes]
        # Shortened after redaction, so that a cut never splits a name the redactor must see.
        theme.quote = shorten(theme.quotes[0]) if theme.quotes else ""
    themes = pd.DataFrame(
        {
            "theme_id": [t.theme_id for t in found],
            "name": [t.label for t in found],
            "description": [None] * len(found),
            "keywords": [json.dumps(t.key_phrases) for t in found],
            "examples": [json.dumps([]) for _ in found],
            "parent": [None] * len(found),
            "origin": "discovered",
            "size": [t.size for t in found],
            "sentiment_mix": [json.dumps(t.sentiment_mix) for t in found],
            "quotes": [json.dumps(t.quotes) for t in found],
            "model": embedder.name,
            "created_at": stamp,
        }
    )
    members = [(t.theme_id, int(i)) for t in found for i in t.members]
    links = pd.DataFrame(
        {
            "document_kind": [str(documents["document_kind"].iloc[i]) for _, i in members],
            "document_id": [str(documents["document_id"].iloc[i]) for _, i in members],
            "theme_id": [theme_id for theme_id, _ in members],
            "score": 1.0,
            "origin": "discovered",
            "model": embedder.name,
            "assigned_at": stamp,
        }
    )
    _replace(db, "discovered", themes, links)
    return found


#: The stages :func:`assign_taxonomy` tells its ``progress``: the whole step, the texts read,
#: and the step after reading (scoring every text against the themes, writing the rows).
ASSIGNING, READING, STORING = (
    "assigning themes",
    "reading texts for themes",
    "scoring and storing the themes",
)


def assign_taxonomy(
    db: Database,
    taxonomy: Taxonomy | str | Path | ChosenTaxonomy,
    *,
    kinds: Sequence[str] | None = None,
    threshold: float | None = None,
    now: datetime | None = None,
    workers: int = 1,
    read: ThemeReading | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    documents: pd.DataFrame | None = None,
    detected: Mapping[tuple[str, str], str | None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """Assign every text to the taxonomy's themes (multi-label); return counts per theme:
    its size and how its texts came to it (:func:`~advocacy.text.theme_evidence.theme_evidence`:
    by a written keyword or by meaning alone, with the range of meaning's scores).

    The texts' sentences are cut, embedded and searched for keywords in pieces on ``workers``
    processes (:func:`~advocacy.text.theme_sentences.theme_reading`: the same numbers for any
    count) while this process imports the self-training's scikit-learn and reads the
    workspace's identities for the quotes' redaction. ``threshold`` None is
    :data:`~advocacy.text.taxonomy.DEFAULT_THRESHOLD` (a
    :class:`~advocacy.text.taxonomy_store.ChosenTaxonomy` brings its own). Assigned to every
    kind of text (``kinds`` None), the taxonomy is remembered for the next ``text analyze``
    (:mod:`advocacy.text.taxonomy_store`). Each document's reading is kept in the workspace
    (:mod:`advocacy.text.theme_reading_store`): only the documents that are new, changed, of
    another language or read by another embedder are read, with the rows of reading every
    text. ``read`` is the theme reading of the first documents, when read already with their
    stored languages (``text analyze --taxonomy`` reads them on the workers that read the
    documents): it is not read again. A reading of other texts (a document written since,
    another writer's) is not used, so the rows never depend on it. ``progress`` is called
    with (stage, done, total): the step ``assigning themes`` (0 of 1, then 1 of 1 when the
    rows are written) and, when texts are read, ``reading texts for themes`` with the texts
    read so far of those to read, as the workers finish each piece, then the step ``scoring
    and storing the themes``. ``documents`` are the documents of ``kinds`` as
    :func:`~advocacy.text.documents.load_documents` gives them, when loaded already (``text
    analyze --taxonomy`` loaded them before analysing, and nothing it wrote changes them; a
    ``text_hash`` column beside is used); None loads them here. ``meanwhile`` is the
    caller's own work, run once while the workers read (before the rows are written: ``text
    analyze --taxonomy`` writes its last batch's analysis then), and ``detected`` the
    languages that analysis detected, by (kind, id), used instead of those stored (none is
    queried when every document's is given).
    """
    from advocacy.text.embeddings import default_embedder
    from advocacy.text.pii import Redactor
    from advocacy.text.taxonomy import assign_themes
    from advocacy.text.taxonomy_store import ChosenTaxonomy, chosen_taxonomy, remember
    from advocacy.text.theme_assignment import carry_to_parents
    from advocacy.text.theme_classifier import prepare_self_training
    from advocacy.text.theme_evidence import EVIDENCE_COLUMNS, theme_evidence
    from advocacy.text.theme_reading_store import keep_readings, reading_with_kept
    from advocacy.text.theme_sentences import theme_reading
    from advocacy.text.workers import reap

    if isinstance(taxonomy, ChosenTaxonomy):
        if threshold is not None and threshold != taxonomy.threshold:
            raise UsageError(
                f"threshold {threshold} given beside a chosen taxonomy's {taxonomy.threshold}",
                value=threshold,
                parameter="threshold",
                fix="give the threshold to chosen_taxonomy, or give the taxonomy itself",
            )
        given = taxonomy
    else:
        given = chosen_taxonomy(taxonomy, threshold)
    chosen, threshold = given.taxonomy, given.threshold
    if progress is not None:
        progress(ASSIGNING, 0, 1)
    stamp = now or datetime.now(UTC)
    if documents is None:
        documents = load_documents(db, kinds)
    # tolist: one conversion of the column, not a Python object per step of its iterator.
    texts = [str(t) for t in documents["text"].tolist()]
    embedder = default_embedder()
    languages = document_languages(db, documents, detected)
    redactors: list[Redactor] = []

    def while_reading() -> None:
        if meanwhile is not None:
            meanwhile()
        prepare_self_training()
        redactors.append(Redactor.for_workspace(db))

    def read_texts(positions: list[int]) -> ThemeReading:
        def texts_read(done: int) -> None:
            if progress is not None:
                progress(READING, done, len(positions))

        return theme_reading(
            [texts[at] for at in positions],
            chosen,
            embedder=embedder,
            languages=[languages[at] for at in positions],
            workers=workers,
            meanwhile=while_reading,
            progress=texts_read if progress is not None and positions else None,
            keep=True,  # each piece's kept columns built by the worker that reads it
        )

    # Only the documents no kept reading serves are read (other texts' sentences in ``read``
    # would give their themes to these documents: it serves only when its texts are these).
    reading, kept = reading_with_kept(
        db,
        documents,
        texts,
        languages,
        chosen,
        embedder=embedder,
        read=read_texts,
        first=read,
        kinds=None if kinds is None else check_kinds(kinds),
    )
    if progress is not None:
        progress(STORING, 0, 1)
    embeddings = reading.embeddings
    own = assign_themes(
        texts,
        chosen,
        embedder=embedder,
        embeddings=embeddings,
        threshold=threshold,
        languages=languages,
        reading=reading,
        parents=False,
    )
    # A parent's own evidence is counted apart from what its sub-themes carry up to it.
    scores = carry_to_parents(own.copy(), chosen)
    redactor = redactors[0]
    ids = [f"curated:{t.name}" for t in chosen.themes]
    themes = pd.DataFrame(
        {
            "theme_id": ids,
            "name": chosen.names,
            "description": [t.description or None for t in chosen.themes],
            "keywords": [json.dumps(list(t.keywords)) for t in chosen.themes],
            "examples": [json.dumps(list(t.examples)) for t in chosen.themes],
            "parent": [t.parent for t in chosen.themes],
            "origin": "curated",
            "size": (scores > 0).sum(axis=0).astype(int),
            "sentiment_mix": [None] * len(ids),
            "quotes": [
                json.dumps(
                    [
                        redactor.redact(texts[i])
                        for i in np.argsort(-scores[:, c])[:3]
                        if scores[i, c] > 0
                    ]
                )
                for c in range(len(ids))
            ],
            "model": f"{embedder.name}; threshold {threshold}",
            "created_at": stamp,
        }
    )
    rows, columns = np.nonzero(scores)
    links = pd.DataFrame(
        {
            "document_kind": documents["document_kind"].to_numpy()[rows].astype(str),
            "document_id": documents["document_id"].to_numpy()[rows].astype(str),
            "theme_id": np.asarray(ids, dtype=object)[columns],
            "score": scores[rows, columns],
            "origin": "curated",
            "model": f"{embedder.name}; threshold {threshold}",
            "assigned_at": stamp,
        }
    )
    with db.transaction():  # the readings kept with the themes they gave, or neither
        keep_readings(db, kept, stamp)
        _replace(db, "curated", themes, links)
    _apply_taught(db, stamp, documents, embeddings, scores, chosen, model=embedder.name)
    if kinds is None:  # what a later text analyze assigns again, to every text
        remember(db, given, stamp)
    reap()  # the workers exited while the rows were written: their CPU counts here
    if progress is not None:
        progress(STORING, 1, 1)
        progress(ASSIGNING, 1, 1)
    evidence = theme_evidence(scores, chosen.names, own=own)[list(EVIDENCE_COLUMNS)]
    return pd.concat([themes[["theme_id", "name", "parent", "size"]], evidence], axis=1)


def document_languages(
    db: Database,
    documents: pd.DataFrame,
    detected: Mapping[tuple[str, str], str | None] | None = None,
) -> list[str | None]:
    """Each document's language as ``text analyze`` detected it (None: unknown or not analysed):
    ``detected``'s (by kind and id) where it has one, else the stored one."""
    if detected:
        keys = list(
            zip(
                documents["document_kind"].astype(str).tolist(),
                documents["document_id"].astype(str).tolist(),
                strict=True,
            )
        )
        if all(key in detected for key in keys):  # a first run: every document just analysed
            return [detected[key] for key in keys]
        stored = document_languages(db, documents)
        return [detected.get(key, language) for key, language in zip(keys, stored, strict=True)]
    rows = pd.DataFrame(
        db.fetchall("SELECT document_kind, document_id, language FROM text_features"),
        columns=["document_kind", "document_id", "language"],
    )
    wanted = documents[["document_kind", "document_id"]].astype(str)
    merged = wanted.merge(rows.astype({"document_id": str}), on=list(wanted.columns), how="left")
    return [value if isinstance(value, str) else None for value in merged["language"]]


def _apply_taught(
    db: Database,
    stamp: datetime,
    documents: pd.DataFrame,
    embeddings: np.ndarray[Any, Any],
    scores: np.ndarray[Any, Any],
    taxonomy: Taxonomy,
    *,
    model: str,
) -> ThemeClassifier | None:
    """Link documents to the themes users taught for them, and to the themes learnt from those.

    Taught themes are matched to the taxonomy by name. Returns the fitted classifier (None when
    no document of the taxonomy's themes was taught).
    """
    from advocacy.text.non_answers import non_answer_mask
    from advocacy.text.theme_classifier import DECISION_THRESHOLD, ThemeClassifier

    with db.transaction():
        db.execute("DELETE FROM document_themes WHERE origin IN ('taught', 'learned')")
        db.execute(
            "INSERT INTO document_themes (document_kind, document_id, theme_id, score, origin, "
            "model, assigned_at) SELECT l.document_kind, l.document_id, t.theme_id, 1.0, 'taught', "
            "'user', ? FROM text_labels l "
            "JOIN themes t ON t.name = l.theme AND t.origin = 'curated' "
            "WHERE l.theme IS NOT NULL",
            [stamp],
        )
    taught = pd.DataFrame(
        db.fetchall(
            "SELECT document_kind, document_id, theme FROM text_labels WHERE theme IS NOT NULL"
        ),
        columns=["document_kind", "document_id", "theme"],
    )
    taught = taught[taught["theme"].isin(taxonomy.names)]
    if taught.empty:  # the usual case: no look-up of every document's position
        return None
    keys = documents[["document_kind", "document_id"]].astype(str).reset_index(drop=True)
    position = {tuple(key): i for i, key in enumerate(keys.itertuples(index=False))}
    rows = [
        position.get((str(k), str(i)))
        for k, i in zip(taught["document_kind"], taught["document_id"], strict=True)
    ]
    taught = taught.assign(row=pd.Series(rows, index=taught.index, dtype=object)).dropna(
        subset=["row"]
    )
    if taught.empty:
        return None
    at = taught["row"].astype(int).to_numpy()
    column = {name: c for c, name in enumerate(taxonomy.names)}
    baseline = {name: scores[at, c] > 0 for name, c in column.items()}
    classifier = ThemeClassifier().fit(embeddings[at], list(taught["theme"]), baseline=baseline)
    if not classifier.themes_:
        return classifier
    probability = classifier.predict_proba(embeddings)
    probability[non_answer_mask([str(t) for t in documents["text"]])] = 0.0
    already = {(int(r), str(theme)) for r, theme in zip(at, taught["theme"], strict=True)}
    found = [
        (int(r), theme, float(probability[r, c]))
        for c, theme in enumerate(classifier.themes_)
        for r in np.flatnonzero(probability[:, c] >= DECISION_THRESHOLD)
        if (int(r), theme) not in already
    ]
    links = pd.DataFrame(
        {
            "document_kind": [str(keys.iloc[r, 0]) for r, _, _ in found],
            "document_id": [str(keys.iloc[r, 1]) for r, _, _ in found],
            "theme_id": [f"curated:{theme}" for _, theme, _ in found],
            "score": [value for _, _, value in found],
            "origin": "learned",
            "model": f"{model}; logistic regression on {len(taught)} taught themes",
            "assigned_at": stamp,
        }
    )
    _replace(db, "learned", pd.DataFrame(columns=list(THEME_TYPES)), links)
    return classifier


def themes_summary(found: Sequence[DiscoveredTheme]) -> list[dict[str, Any]]:
    """Rows for display: id, label, size, sentiment mix and one quote."""
    return [
        {
            "theme_id": t.theme_id,
            "label": t.label,
            "size": t.size,
            "sentiment": ", ".join(f"{k} {v:.0%}" for k, v in t.sentiment_mix.items()),
            "quote": t.quote,
        }
        for t in found
    ]


#: Columns of :func:`stored_features`.
FEATURE_COLUMNS = [
    "document_kind",
    "document_id",
    "sentiment",
    "sentiment_score",
    "emotions",
    "effort",
]


def stored_features(db: Database) -> pd.DataFrame:
    """The stored text features of every document (:data:`FEATURE_COLUMNS`), read through
    Ibis so that a Parquet source on Spark answers as the workspace does."""
    features = steady_table(db, "text_features")
    frame: pd.DataFrame = features.select(*FEATURE_COLUMNS).to_pandas()
    return frame.assign(document_id=frame["document_id"].astype(str))


def theme_members(db: Database) -> list[tuple[str, str, str]]:
    """(theme id, document kind, document id) of every stored assignment, by theme, the most
    confident first (then by document id)."""
    if "document_themes" not in db.ibis.list_tables():
        return []
    links = steady_table(db, "document_themes")
    ordered = links.order_by(
        [links.theme_id, links.score.desc(nulls_first=False), links.document_id]
    )
    rows = ordered.select("theme_id", "document_kind", "document_id").to_pyarrow().to_pylist()
    return [(str(r["theme_id"]), str(r["document_kind"]), str(r["document_id"])) for r in rows]
