"""Analyse a workspace's texts into the derived tables, incrementally, and teach it labels.

Documents are the free text of four kinds of record (:data:`DOCUMENT_SOURCES`). ``text_features``
holds one row per document with the hash of the text and the name of the model that labelled
it, so a re-run analyses only new or changed texts, or everything when the model changed (for
instance because new scored comments or taught labels re-calibrated it).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from advocacy.errors import InputError, UsageError
from advocacy.store.connection import Database
from advocacy.text.effort import effort
from advocacy.text.embeddings import default_embedder
from advocacy.text.emotion import emotions_from_ids
from advocacy.text.language import detect_language
from advocacy.text.sentiment import (
    SENTIMENTS,
    CalibratedSentiment,
    SentimentResult,
    label_from_scores,
    sentiment_from_ids,
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DocumentSource:
    """Where one kind of document lives."""

    table: str
    id_column: str
    text_column: str
    time_column: str


DOCUMENT_SOURCES: dict[str, DocumentSource] = {
    "response": DocumentSource("responses", "response_id", "comment", "submitted_at"),
    "mention": DocumentSource("mentions", "mention_id", "text", "posted_at"),
    "note": DocumentSource("notes", "note_id", "text", "taken_at"),
    "employee-response": DocumentSource(
        "employee_responses", "employee_response_id", "comment", "submitted_at"
    ),
}
#: Export table name -> document kind.
TABLE_KINDS = {source.table: kind for kind, source in DOCUMENT_SOURCES.items()}
#: Calibrate sentiment on the workspace when it has at least this many labelled comments.
MIN_CALIBRATION_LABELS = 200


def check_kinds(kinds: Sequence[str] | None) -> list[str]:
    chosen = list(kinds or DOCUMENT_SOURCES)
    for kind in chosen:
        if kind not in DOCUMENT_SOURCES:
            raise UsageError(
                f"unknown document kind {kind!r}",
                value=kind,
                fix="use one of: " + ", ".join(DOCUMENT_SOURCES),
            )
    return chosen


def load_documents(db: Database, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Every non-empty text: document_kind, document_id, text, at (and nps for responses)."""
    frames = []
    for kind in check_kinds(kinds):
        source = DOCUMENT_SOURCES[kind]
        nps = "nps" if kind == "response" else "CAST(NULL AS BIGINT)"
        rows = db.fetch_arrow(
            f"SELECT {source.id_column} AS document_id, {source.text_column} AS text, "
            f"{source.time_column} AS at, {nps} AS nps FROM {source.table} "
            f"WHERE {source.text_column} IS NOT NULL AND trim({source.text_column}) <> ''"
        ).to_pandas()
        rows.insert(0, "document_kind", kind)
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=["document_kind", "document_id", "text", "at", "nps"])
    combined: pd.DataFrame = pd.concat(frames, ignore_index=True)
    return combined


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def calibration(
    db: Database, *, minimum: int = MIN_CALIBRATION_LABELS
) -> CalibratedSentiment | None:
    """A sentiment head fitted on scored comments and taught labels, or None if too few."""
    scored = db.fetchall(
        "SELECT response_id, comment, nps, csat, csat_scale_min, csat_scale_max FROM responses "
        "WHERE comment IS NOT NULL AND trim(comment) <> '' "
        "AND (nps IS NOT NULL OR csat IS NOT NULL)"
    )
    texts: dict[tuple[str, str], tuple[str, str, bool]] = {}
    for response_id, comment, nps, csat, low, high in scored:
        label = label_from_scores(nps, csat, csat_min=low or 1, csat_max=high or 5)
        if label:
            texts[("response", str(response_id))] = (comment, label, False)
    documents = load_documents(db).set_index(["document_kind", "document_id"])["text"]
    for kind, document_id, label in db.fetchall(
        "SELECT document_kind, document_id, sentiment FROM text_labels WHERE sentiment IS NOT NULL"
    ):
        key = (str(kind), str(document_id))
        if key in documents.index:
            texts[key] = (str(documents.loc[key]), str(label), True)
    if len(texts) < minimum or len({label for _, label, _ in texts.values()}) < 2:
        return None
    ordered = sorted(texts.items())
    return CalibratedSentiment().fit(
        [text for _, (text, _, _) in ordered],
        [label for _, (_, label, _) in ordered],
        taught=[taught for _, (_, _, taught) in ordered],
    )


@dataclass(frozen=True)
class AnalyzeResult:
    """What ``advocacy text analyze`` did."""

    analysed: int
    unchanged: int
    model: str
    calibration_labels: int

    def summary(self) -> dict[str, Any]:
        return {
            "analysed": self.analysed,
            "unchanged": self.unchanged,
            "model": self.model,
            "calibration labels": self.calibration_labels,
        }


def analyse_texts(
    texts: Sequence[str], calibrated: CalibratedSentiment | None = None
) -> pd.DataFrame:
    """Language, sentiment, score, emotions (JSON), effort and cues for each text."""
    embedder = default_embedder()
    ids = embedder.token_ids(texts)
    vectors = embedder.embed_ids(ids)
    result: SentimentResult
    if calibrated is None:
        result = sentiment_from_ids(ids, vectors)
    else:
        result = calibrated.predict_features(calibrated.features_from(ids, vectors))
    found = emotions_from_ids(ids, vectors)
    efforts = [effort(text) for text in texts]
    return pd.DataFrame(
        {
            "language": [detect_language(text) for text in texts],
            "sentiment": result.labels,
            "sentiment_score": np.round(result.scores, 4),
            "emotions": [json.dumps(found.scores(i)) for i in range(len(texts))],
            "effort": [e.score for e in efforts],
            "effort_cues": [",".join(e.cues) for e in efforts],
            "model": f"{result.model}; {found.model}",
        }
    )


FEATURE_TYPES = {
    "document_kind": "TEXT",
    "document_id": "TEXT",
    "language": "TEXT",
    "sentiment": "TEXT",
    "sentiment_score": "DOUBLE PRECISION",
    "emotions": "JSON",
    "effort": "DOUBLE PRECISION",
    "effort_cues": "TEXT",
    "model": "TEXT",
    "text_hash": "TEXT",
    "analysed_at": "TIMESTAMPTZ",
}


def replace_rows(db: Database, table: str, frame: pd.DataFrame, types: dict[str, str]) -> None:
    """Delete ``table``'s rows for the documents in ``frame``, then insert ``frame``."""
    db.load_temporary("__text_rows", pa.Table.from_pandas(frame, preserve_index=False), types)
    db.execute(
        f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM __text_rows r WHERE "
        f"r.document_kind = {table}.document_kind AND r.document_id = {table}.document_id)"
    )
    columns = ", ".join(frame.columns)
    db.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM __text_rows")
    db.execute("DROP TABLE __text_rows")


def analyze_workspace(
    db: Database,
    *,
    kinds: Sequence[str] | None = None,
    calibrate: bool | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> AnalyzeResult:
    """Analyse new and changed texts into ``text_features``.

    ``calibrate`` None uses a workspace calibration when there are enough labelled comments,
    True requires one, False uses the shipped model only.
    """
    stamp = now or datetime.now(UTC)
    # Forced calibration accepts any usable number of labels; automatic needs enough of them.
    minimum = 10 if calibrate else MIN_CALIBRATION_LABELS
    calibrated = None if calibrate is False else calibration(db, minimum=minimum)
    if calibrate and calibrated is None:
        raise UsageError(
            "calibration needs at least 10 comments with NPS/CSAT or taught labels, "
            "in at least two sentiment classes",
            fix="import scored comments or teach labels (advocacy text teach FILE)",
        )
    documents = load_documents(db, kinds)
    documents["text_hash"] = [text_hash(str(text)) for text in documents["text"]]
    probe = analyse_texts(["probe"], calibrated)
    model = str(probe["model"].iloc[0])
    existing = pd.DataFrame(
        db.fetchall("SELECT document_kind, document_id, text_hash, model FROM text_features"),
        columns=["document_kind", "document_id", "old_hash", "old_model"],
    )
    merged = documents.merge(existing, on=["document_kind", "document_id"], how="left")
    stale = merged[(merged["old_hash"] != merged["text_hash"]) | (merged["old_model"] != model)]
    total = len(stale)
    for start in range(0, total, batch_size):
        chunk = stale.iloc[start : start + batch_size]
        features = analyse_texts([str(t) for t in chunk["text"]], calibrated)
        frame = pd.concat(
            [chunk[["document_kind", "document_id"]].reset_index(drop=True).astype(str), features],
            axis=1,
        )
        frame["text_hash"] = chunk["text_hash"].to_numpy()
        frame["analysed_at"] = stamp
        with db.transaction():
            replace_rows(db, "text_features", frame, FEATURE_TYPES)
        if progress is not None:
            progress("analysing texts", min(start + batch_size, total), total)
    return AnalyzeResult(
        total, len(documents) - total, model, 0 if calibrated is None else calibrated.n_labels_
    )


@dataclass(frozen=True)
class TeachResult:
    """Labels stored by ``advocacy text teach``."""

    sentiment_labels: int
    theme_labels: int
    unknown_documents: int


def teach(db: Database, path: str | Path, *, now: datetime | None = None) -> TeachResult:
    """Store user labels from a CSV with document_id, kind, and sentiment and/or theme.

    A document's new label replaces its old one. Unknown documents are refused with their row.
    """
    file = Path(path)
    if not file.exists():
        raise InputError(f"no file {str(file)!r}", file=str(file), fix="check the path")
    with file.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    header = set(rows[0]) if rows else set()
    if not {"document_id", "kind"} <= header or not header & {"sentiment", "theme"}:
        raise InputError(
            "a teach file needs columns document_id, kind and sentiment and/or theme",
            file=str(file),
            value=sorted(header),
            fix="add the missing columns to the CSV header",
        )
    known = {
        (k, str(i))
        for k, i in load_documents(db)[["document_kind", "document_id"]].itertuples(index=False)
    }
    records = []
    for number, row in enumerate(rows, start=2):
        kind = (row.get("kind") or "").strip().lower()
        check_kinds([kind])
        label = (row.get("sentiment") or "").strip().lower() or None
        if label is not None and label not in SENTIMENTS:
            raise InputError(
                f"unknown sentiment {label!r}",
                file=str(file),
                row=number,
                column="sentiment",
                value=label,
                fix="use negative, neutral or positive",
            )
        document_id = (row.get("document_id") or "").strip()
        if (kind, document_id) not in known:
            raise InputError(
                f"no {kind} with id {document_id!r} and text in the workspace",
                file=str(file),
                row=number,
                column="document_id",
                value=document_id,
                fix="use the id the document was imported with",
            )
        theme = (row.get("theme") or "").strip() or None
        records.append((kind, document_id, label, theme))
    frame = pd.DataFrame(records, columns=["document_kind", "document_id", "sentiment", "theme"])
    frame["source"] = str(file.name)
    frame["taught_at"] = now or datetime.now(UTC)
    types = {c: "TEXT" for c in frame.columns} | {"taught_at": "TIMESTAMPTZ"}
    with db.transaction():
        replace_rows(db, "text_labels", frame, types)
    return TeachResult(int(frame["sentiment"].notna().sum()), int(frame["theme"].notna().sum()), 0)


def export_columns(ws: Any, table_name: str) -> Any:
    """``table_name`` as an Ibis table with the text columns appended.

    Adds ``sentiment``, ``sentiment_score``, ``emotions`` (JSON text), ``effort``, ``themes``
    (theme names joined by "; ") and ``language`` (the analysed language where the record has
    none). Tables that hold no documents are returned unchanged.
    """
    normal = table_name.strip().lower().replace("-", "_")
    table = ws.table(normal)
    kind = TABLE_KINDS.get(normal)
    if kind is None:
        return table
    backend = ws.db.ibis
    source = DOCUMENT_SOURCES[kind]
    features = backend.table("text_features")
    features = features.filter(features.document_kind == kind).select(
        __document_id=features.document_id,
        sentiment=features.sentiment,
        sentiment_score=features.sentiment_score,
        emotions=features.emotions.cast("string"),
        effort=features.effort,
        __language=features.language,
    )
    links, themes = backend.table("document_themes"), backend.table("themes")
    named = links.filter(links.document_kind == kind).join(
        themes, links.theme_id == themes.theme_id
    )
    grouped = named.group_by(__theme_document=named.document_id).aggregate(
        themes=named.name.group_concat("; ")
    )
    key = table[source.id_column]
    joined = table.left_join(features, key == features.__document_id).left_join(
        grouped, key == grouped.__theme_document
    )
    language = (
        joined.language.fill_null(joined.__language)
        if "language" in table.columns
        else joined.__language
    )
    keep = [c for c in table.columns if c != "language"]
    return joined.select(
        *keep,
        "sentiment",
        "sentiment_score",
        "emotions",
        "effort",
        "themes",
        language=language,
    )


def known_names(db: Database) -> list[str]:
    """Customer and employee names and mention authors: redacted wherever they appear in text."""
    names: list[str] = []
    for sql in (
        "SELECT DISTINCT name FROM customers WHERE name IS NOT NULL",
        "SELECT DISTINCT name FROM employees WHERE name IS NOT NULL",
        "SELECT DISTINCT author FROM mentions WHERE author IS NOT NULL",
    ):
        names.extend(str(row[0]) for row in db.fetchall(sql))
    return names


def export_table(ws: Any, table_name: str, *, redact_text: bool = True) -> pa.Table:
    """:func:`export_columns` materialised, with the document text PII-redacted.

    The original text stays in the workspace; exports carry ``[email]``, ``[phone]``,
    ``[card]`` and ``[name]`` in its place (see :func:`advocacy.text.pii.redact`).
    """
    from advocacy.text.pii import redact

    table = export_columns(ws, table_name).to_pyarrow()
    kind = TABLE_KINDS.get(table_name.strip().lower().replace("-", "_"))
    if kind is None or not redact_text:
        return table
    column = DOCUMENT_SOURCES[kind].text_column
    names = known_names(ws.db)
    cleaned = [redact(value, names=names) for value in table.column(column).to_pylist()]
    index = table.schema.get_field_index(column)
    return table.set_column(index, column, pa.array(cleaned, type=pa.string()))
