"""The workspace's themes: discover and store them, assign a taxonomy, list them with impact.

``themes`` holds both kinds (``origin`` discovered or curated); ``document_themes`` links
documents to them. Discovery replaces the previous discovered themes; assigning a taxonomy
replaces the previous curated assignments; labels users taught (``advocacy text teach``) are
added as assignments with origin ``taught`` and survive both. A theme taught often enough that a
classifier on the embeddings beats keywords and meaning on the taught documents
(:mod:`advocacy.text.theme_classifier`) tags every other document as well, with origin
``learned``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advocacy.errors import NotFoundError, UsageError
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.documents import (
    check_kinds,
    chosen_documents,
    document_table,
    load_documents,
    only_chosen,
    text_hash,
)
from advocacy.text.model_names import read_by_current_model

if TYPE_CHECKING:
    from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme
    from advocacy.text.taxonomy_store import ChosenTaxonomy
    from advocacy.text.theme_classifier import ThemeClassifier
    from advocacy.text.theme_sentences import ThemeReading
    from advocacy.text.themes import DiscoveredTheme

# Listing themes (the text page, ``advocacy text themes``) imports only what it reads: the
# models, the taxonomy's reading and the non-answer rules (whose patterns compile on import)
# are imported by the functions that discover and assign themes.

#: The ``sentiment_reason`` ``text analyze`` stores for a non-answer
#: (:data:`advocacy.text.non_answers.NO_CONTENT`, not imported: its rules compile on import).
NO_CONTENT = "no content"

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
        languages=_languages(db, documents),
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
    languages = _languages(db, documents, detected)
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


def _languages(
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
        stored = _languages(db, documents)
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


@dataclass(frozen=True)
class ThemeListing:
    """Themes with size, sentiment mix, quotes and NPS impact (when responses carry NPS)."""

    themes: pd.DataFrame


def list_themes(
    db: Database,
    *,
    origin: str | None = None,
    confidence: float = 0.95,
    within: str | None = None,
    today: date | None = None,
    min_n: int | None = None,
) -> pd.DataFrame:
    """Every stored theme with its size, sentiment mix, quotes and NPS impact.

    ``within`` is the SQL of a query of ``(document_kind, document_id)``: the documents to
    count (a filtered view). Sizes, sentiment mixes, NPS impacts and the emerging flags are
    then those of these documents, and themes none of them mention are left out.

    Without an NPS (fewer than 10 answers carry one), each theme's effect is on the survey's
    own outcome instead, CSAT else CES (:data:`OUTCOMES`), in ``outcome`` and
    :data:`OUTCOME_COLUMNS`. The change against the quarter before (:data:`EMERGING_COLUMNS`)
    is that of the latest complete quarter as of ``today`` with ``min_n`` texts
    (:func:`_emerging`).
    """
    # Read through Ibis, so the listing runs on any backend (a Parquet source on Spark too);
    # ``within`` is SQL, so a filtered listing needs a workspace database.
    import ibis

    from advocacy.text.themes import theme_impact

    table = functools.partial(steady_table, db)
    stored = table("themes")
    if origin is not None:
        stored = stored.filter(stored.origin == origin)
    themes: pd.DataFrame = stored.select(
        "theme_id", "name", "origin", "parent", "size", "keywords", "sentiment_mix", "quotes"
    ).to_pandas()
    if themes.empty:
        return themes
    chosen = chosen_documents(db, within)
    for column in ("keywords", "sentiment_mix", "quotes"):
        themes[column] = [json.loads(v) if isinstance(v, str) else v for v in themes[column]]
    answers = table("responses").filter(lambda t: t.nps.notnull())
    answers = answers.select(
        document_kind=ibis.literal("response"),
        document_id=answers.response_id.cast("string"),
        nps=answers.nps,
        comment=answers.comment,
    )
    responses = only_chosen(answers, chosen).select("document_id", "nps", "comment").to_pandas()
    assigned = only_chosen(table("document_themes"), chosen)
    links = (
        assigned.filter(assigned.document_kind == "response")
        .select("document_id", "theme_id")
        .to_pandas()
    )
    if chosen is not None:
        themes = _counted(assigned, themes)
    if len(responses) >= 10 and len(links):
        flags = _mentions([links["document_id"]], links["theme_id"])
        flags = flags.reindex(responses["document_id"].astype(str), fill_value=False)
        # Against the other commenters with content, themed or not (a taxonomy leaves some out).
        commented = _commented(table, responses)
        impact = theme_impact(
            responses["nps"].to_numpy(float), flags, commented=commented, confidence=confidence
        )
        impact = impact.rename(columns={"theme": "theme_id"})
        themes = themes.merge(impact, on="theme_id", how="left")
    else:  # no NPS: the survey's own outcome, CSAT else CES (audit4: a CSAT survey got none)
        themes = _outcome_impact(table, chosen, themes, links, confidence)
    mixes = _sentiment_mixes(db, chosen)
    themes["sentiment_mix"] = pd.Series(
        [
            mixes.get(theme_id, stored if isinstance(stored, dict) else {})
            for theme_id, stored in zip(themes["theme_id"], themes["sentiment_mix"], strict=True)
        ],
        index=themes.index,
        dtype=object,
    )
    themes = themes.merge(
        _emerging(db, chosen, today=today, min_n=min_n), on="theme_id", how="left"
    )
    return themes.sort_values(["origin", "size"], ascending=[True, False]).reset_index(drop=True)


#: The outcomes a theme is set against when the answers carry no NPS, first found first: the
#: metrics' own definitions (:data:`advocacy.metrics.catalogue.METRICS`), CSAT in its top two
#: boxes and CES in the easy third of its scale, each on the scale stored with the answer.
OUTCOMES = ("csat", "ces-easy")
#: The columns :func:`list_themes` adds for such an outcome (besides ``outcome``, its metric).
OUTCOME_COLUMNS = [
    "outcome_n_mentioning",
    "outcome_n_not",
    "outcome_mentioning",
    "outcome_not",
    "outcome_effect",
    "outcome_effect_low",
    "outcome_effect_high",
    "outcome_p_value",
]


def _outcome_impact(
    table: Any, chosen: Any, themes: pd.DataFrame, links: pd.DataFrame, confidence: float
) -> pd.DataFrame:
    """``themes`` with each theme's effect on the first of :data:`OUTCOMES` that at least 10
    of the (``chosen``) answers carry, in :data:`OUTCOME_COLUMNS` and ``outcome`` (the metric's
    name), from :func:`~advocacy.text.themes.theme_share_impact`; unchanged when none does or
    no answer is linked to a theme (``links``: ``document_id``, ``theme_id`` of the answers').
    Kept apart from the NPS columns, so that nothing shows a CSAT effect as an NPS one."""
    import ibis

    from advocacy.metrics.catalogue import METRICS
    from advocacy.metrics.slicing import _metric_parts
    from advocacy.text.themes import theme_share_impact

    answers = table("responses")
    if links.empty:
        return themes
    for name in OUTCOMES:
        valid, parts = _metric_parts(answers, METRICS[name])
        scored = answers.filter(valid).select(
            document_kind=ibis.literal("response"),
            document_id=answers.response_id.cast("string"),
            hit=parts["hits"].ifelse(1.0, 0.0),
            comment=answers.comment,
        )
        frame = only_chosen(scored, chosen).select("document_id", "hit", "comment").to_pandas()
        if len(frame) < 10:
            continue
        flags = _mentions([links["document_id"]], links["theme_id"])
        flags = flags.reindex(frame["document_id"].astype(str), fill_value=False)
        impact = theme_share_impact(
            frame["hit"].to_numpy(float),
            flags,
            commented=_commented(table, frame),
            confidence=confidence,
        )
        impact = impact.rename(
            columns={"theme": "theme_id", "share_mentioning": "mentioning", "share_not": "not"}
        )
        impact = impact.rename(
            columns={c: f"outcome_{c}" for c in impact.columns if c != "theme_id"}
        )
        impact.insert(1, "outcome", name)
        return themes.merge(impact, on="theme_id", how="left")
    return themes


def _mentions(keys: list[pd.Series], theme_ids: pd.Series) -> pd.DataFrame:
    """Whether each document (rows: its ``keys``, sorted) mentions each theme (columns: the
    ids, sorted): ``pd.crosstab(keys, theme_ids) > 0`` without crosstab's aggregation of every
    cell in Python (0.035 -> 0.005 CPU s on 3,000 reviews, warm)."""
    flags: pd.DataFrame = pd.get_dummies(theme_ids, dtype=bool).groupby(keys).max()
    flags.columns.name = theme_ids.name
    return flags


def _commented(table: Any, responses: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each answer of ``responses`` (``document_id``, ``comment``) says something, not
    "n/a" or "nothing": the verdict ``text analyze`` stored for a comment analysed as it reads
    now by the current model (its sentiment reason :data:`NO_CONTENT` or not), the non-answer
    rules (:func:`~advocacy.text.non_answers.non_answer_mask`) for any other (never analysed,
    changed since, or read by an older model, whose rules may have judged it otherwise until
    the next ``text analyze``). ``table`` looks a table up by name."""
    features = table("text_features")
    stored = (
        features.filter(features.document_kind == "response")
        .select("document_id", "text_hash", "sentiment_reason", "model")
        .to_pyarrow()
        .to_pylist()
    )
    verdicts = {
        str(row["document_id"]): (row["text_hash"], row["sentiment_reason"] == NO_CONTENT)
        for row in stored
        if read_by_current_model(row["model"])
    }
    comments = responses["comment"].tolist()
    commented = np.ones(len(comments), dtype=bool)
    unread = []
    for at, (document_id, comment) in enumerate(
        zip(responses["document_id"], comments, strict=True)
    ):
        verdict = verdicts.get(str(document_id))
        if verdict is not None and isinstance(comment, str) and text_hash(comment) == verdict[0]:
            commented[at] = not verdict[1]
        else:
            unread.append(at)
    if unread:
        from advocacy.text.non_answers import non_answer_mask

        commented[unread] = ~non_answer_mask([comments[at] for at in unread])
    return commented


def _counted(assigned: Any, themes: pd.DataFrame) -> pd.DataFrame:
    """``themes`` sized by the chosen documents linked to them (``assigned``: the document-theme
    links already kept to those documents); themes none of them mention are dropped."""
    sizes = (
        assigned.select("document_kind", "document_id", "theme_id")
        .distinct()
        .group_by("theme_id")
        .aggregate(n=lambda t: t.count())
        .to_pandas()
    )
    found = dict(zip(sizes["theme_id"].astype(str), sizes["n"].astype(int), strict=True))
    counted = themes.assign(size=[found.get(str(t), 0) for t in themes["theme_id"]])
    return counted[counted["size"] > 0].reset_index(drop=True)


def _sentiment_mixes(db: Database, chosen: Any = None) -> dict[str, dict[str, float]]:
    """Theme id -> share of its texts per sentiment, from the current text features (of the
    ``chosen`` documents when given, see :func:`~advocacy.text.documents.chosen_documents`)."""
    from advocacy.text.themes import NO_SENTIMENT

    links = only_chosen(steady_table(db, "document_themes"), chosen)
    features = steady_table(db, "text_features")
    joined = links.join(
        features,
        [
            links.document_kind == features.document_kind,
            links.document_id == features.document_id,
        ],
    )
    rows = [
        (row["theme_id"], row["sentiment"], int(row["n"]))
        for row in joined.group_by([joined.theme_id, joined.sentiment])
        .aggregate(n=joined.count())
        .to_pyarrow()
        .to_pylist()
    ]
    counts: dict[str, dict[str, int]] = {}
    for theme_id, label, count in rows:
        # A text with no sentiment (a non-answer, a language the model does not read).
        name = NO_SENTIMENT if label is None else str(label)
        counts.setdefault(str(theme_id), {})[name] = int(count)
    return {
        theme_id: {
            label: round(count / sum(found.values()), 3)
            for label, count in sorted(found.items(), key=lambda item: -item[1])
        }
        for theme_id, found in counts.items()
    }


#: The columns :func:`_emerging` gives each theme (besides ``theme_id``).
EMERGING_COLUMNS = ["quarter", "change_points", "change_low", "change_high", "emerging"]


def _emerging(
    db: Database, chosen: Any = None, *, today: date | None = None, min_n: int | None = None
) -> pd.DataFrame:
    """Per theme: its share of the texts (the ``chosen`` documents when given) in the latest
    complete quarter against the quarter before, in points with Newcombe's interval, and
    whether it rose beyond chance (:func:`~advocacy.text.themes.emerging_themes`, Holm).

    The quarter is the report's (:func:`advocacy.metrics.periods.latest_complete`): ended by
    ``today`` (UTC today when None), with texts up to its end and at least ``min_n`` of them
    (the settings' default when None); a quarter still under way would compare a few weeks
    with a whole quarter (audit4: Oct-Nov against Q3). ``quarter`` names it ("2026 Q3")."""
    from advocacy.display import period_label
    from advocacy.metrics.intervals import newcombe_difference
    from advocacy.metrics.periods import latest_complete
    from advocacy.text.themes import emerging_themes

    empty = pd.DataFrame(columns=["theme_id", *EMERGING_COLUMNS])
    documents = _dated(db)
    if chosen is not None:
        kept = chosen.to_pandas().drop_duplicates()
        documents = documents.astype({"document_id": str}).merge(
            kept, on=["document_kind", "document_id"]
        )
    at = pd.to_datetime(documents["at"], utc=True, errors="coerce")
    quarter = at.dt.tz_localize(None).dt.to_period("Q")
    if quarter.isna().all():
        return empty
    if min_n is None:
        from advocacy.settings import Settings

        min_n = int(Settings.model_fields["min_n"].default)
    counts = quarter.value_counts()
    latest = latest_complete(
        pd.DataFrame({"period": [q.start_time.date() for q in counts.index], "n": counts.values}),
        "quarter",
        today=today or datetime.now(UTC).date(),
        min_n=min_n,
        data_end=at.max().date(),
    )
    if latest is None:
        return empty
    latest_period = pd.Period(latest, "Q")
    documents = documents.assign(quarter=quarter, document_id=documents["document_id"].astype(str))
    links = (
        steady_table(db, "document_themes").select("document_kind", "document_id", "theme_id")
    ).to_pandas()
    if links.empty:
        return empty
    flags = _mentions([links["document_kind"], links["document_id"]], links["theme_id"])
    keyed = documents.set_index(["document_kind", "document_id"])
    flags = flags.reindex(keyed.index, fill_value=False)
    current = flags[(keyed["quarter"] == latest_period).to_numpy()]
    previous = flags[(keyed["quarter"] == latest_period - 1).to_numpy()]
    if current.empty or previous.empty:
        return empty
    table = emerging_themes(current, previous).rename(columns={"theme": "theme_id"})
    bounds = [
        newcombe_difference(
            int(current[theme].sum()), len(current), int(previous[theme].sum()), len(previous)
        )[1:]
        for theme in table["theme_id"]
    ]
    table["change_low"] = [100 * low for low, _ in bounds]
    table["change_high"] = [100 * high for _, high in bounds]
    table["quarter"] = period_label(latest, "quarter")
    return table[["theme_id", *EMERGING_COLUMNS]]


def _dated(db: Database) -> pd.DataFrame:
    """``document_kind``, ``document_id`` and ``at`` of every document
    :func:`~advocacy.text.documents.load_documents` returns, in its order, without the texts."""
    kinds = check_kinds(None)
    dated: pd.DataFrame = (
        document_table(functools.partial(steady_table, db), kinds)
        .select("document_kind", "document_id", "at")
        .to_pandas()
    )
    rank = dated["document_kind"].map({kind: i for i, kind in enumerate(kinds)})
    order = np.lexsort((dated["document_id"].astype(str).to_numpy(), rank.to_numpy()))
    return dated.iloc[order].reset_index(drop=True)


def promote_theme(
    db: Database, theme_id: str, taxonomy_path: str | Path, *, name: str | None = None
) -> TaxonomyTheme:
    """Add discovered theme ``theme_id`` to the taxonomy file (created if missing)."""
    from advocacy.text.taxonomy import (
        Taxonomy,
        TaxonomyTheme,
        load_taxonomy,
        promote,
        save_taxonomy,
    )

    row = db.fetchone(
        "SELECT name, keywords, quotes FROM themes WHERE theme_id = ? AND origin = 'discovered'",
        [theme_id],
    )
    if row is None:
        raise NotFoundError(
            f"no discovered theme {theme_id!r}",
            value=theme_id,
            fix="run advocacy text themes to see the discovered theme ids",
        )
    keywords: list[str] = json.loads(row[1]) if isinstance(row[1], str) else list(row[1] or [])
    quotes: list[str] = json.loads(row[2]) if isinstance(row[2], str) else list(row[2] or [])
    theme = TaxonomyTheme(
        name=name or str(row[0]).split(" / ")[0].strip().capitalize(),
        description=f"promoted from {theme_id}: {row[0]}",
        keywords=tuple(keywords[:3]),
        examples=tuple(quotes[:3]),
    )
    path = Path(taxonomy_path)
    current = load_taxonomy(path) if path.exists() else Taxonomy()
    save_taxonomy(promote(current, theme), path)
    return theme


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
