"""Text enrichment on Spark: the workspace's text model over Parquet documents, written as Parquet.

``advocacy text analyze --engine spark --data DIR --out DIR`` reads the documents of
``DIR/<table>.parquet`` (responses' comments, mentions, notes, employee comments) and writes
``OUT/text_features.parquet``: the columns of the workspace's ``text_features`` table, from the
same model and the same calibration, so each row equals the one ``ws.text.analyze`` stores.

- The documents and the calibration's labelled comments are Ibis expressions
  (:func:`advocacy.text.documents.document_table`,
  :func:`advocacy.text.score_labels.calibrate_on_tables`), run by Spark.
- The calibration is fitted once, in the driver, on the labelled comments.
- The executors run the model on Arrow batches of documents (``mapInPandas``); each Python
  worker loads the shipped model once and keeps it.

Unlike the workspace, the run is not incremental: every document is analysed, and the
per-sentence rows (``text_sentences``) are not written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advocacy.errors import UsageError
from advocacy.metrics.engines import parquet_location, spark_dataframe, spark_session, spark_tables
from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.calibration_workspace import needs_calibration
from advocacy.text.documents import DOCUMENT_SOURCES, check_kinds, document_table, text_hash
from advocacy.text.enrich import FEATURE_TYPES, NOT_SUPPORTED, analyze_texts
from advocacy.text.non_answers import NO_CONTENT
from advocacy.text.score_labels import calibrate_on_tables
from advocacy.text.text_model import STATIC

FEATURES_FILE = "text_features.parquet"
#: Spark types of the workspace's ``text_features`` columns (emotions as JSON text).
_SPARK_TYPES = {
    "TEXT": "string",
    "JSON": "string",
    "DOUBLE PRECISION": "double",
    "TIMESTAMPTZ": "timestamp",
}
FEATURE_SCHEMA = ", ".join(f"{name} {_SPARK_TYPES[kind]}" for name, kind in FEATURE_TYPES.items())


@dataclass(frozen=True)
class ParquetAnalyzeResult:
    """What :func:`parquet_text_features` wrote and what it found."""

    path: Path
    analyzed: int
    model: str
    calibration_labels: int
    not_supported: dict[str, int] = field(default_factory=dict)
    non_answers: int = 0

    def summary(self) -> dict[str, Any]:
        """The run in plain values, named as ``advocacy text analyze`` names them."""
        return {
            "features": str(self.path),
            "analysed": self.analyzed,
            "model": self.model,
            "calibration labels": self.calibration_labels,
            "language not supported": sum(self.not_supported.values()),
            "not supported by language": dict(self.not_supported),
            "non-answers": self.non_answers,
        }


def _present_kinds(directory: Path, kinds: Sequence[str] | None) -> list[str]:
    """The kinds asked for; by default those whose table ``directory`` holds."""
    chosen = check_kinds(kinds)
    if kinds:
        return chosen
    present = [k for k in chosen if parquet_location(directory, DOCUMENT_SOURCES[k].table)]
    if not present:
        raise UsageError(
            f"no document table in {str(directory)!r}",
            value=str(directory),
            parameter="--data",
            fix="export responses (or mentions, notes, employee_responses) there as Parquet",
        )
    return present


def _features(calibrated: CalibratedSentiment | None, model: str, stamp: datetime) -> Any:
    """The function each executor runs on its batches of documents."""

    def analyze(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for documents in batches:
            if documents.empty:
                continue
            documents = documents.reset_index(drop=True)
            texts = [str(text) for text in documents["text"]]
            features = _read_by_kind(
                texts,
                documents["document_kind"],
                calibrated,
                model,
                sources=documents["document_source"],
            )
            keys = documents[["document_kind", "document_id"]]
            frame = pd.concat([keys, features], axis=1)
            frame["text_hash"] = [text_hash(text) for text in texts]
            frame["analysed_at"] = pd.Timestamp(stamp)
            yield frame[list(FEATURE_TYPES)]

    return analyze


def _read_by_kind(
    texts: list[str],
    kinds: pd.Series,
    calibrated: CalibratedSentiment | None,
    model: str,
    *,
    sources: pd.Series | None = None,
) -> pd.DataFrame:
    """:func:`analyze_texts` of ``texts``, in order: each through ``calibrated`` when it reads
    the text's kind and source (:meth:`CalibratedSentiment.reads_text`; ``sources`` None:
    none), else by the model alone, as ``ws.text.analyze`` reads them (a model with no
    sentiment head of its own reads every text through its calibration)."""
    every = calibrated is not None and needs_calibration(model)
    origins = [None] * len(kinds) if sources is None else sources.tolist()
    known: dict[tuple[str, Any], bool] = {}
    reads = np.zeros(len(kinds), dtype=bool)
    if calibrated is not None:
        for i, (kind, source) in enumerate(zip(kinds.astype(str), origins, strict=True)):
            key = (kind, None if pd.isna(source) else str(source))
            if key not in known:
                known[key] = every or calibrated.reads_text(*key)
            reads[i] = known[key]
    parts = []
    for through in (True, False):
        rows = np.flatnonzero(reads == through)
        if len(rows):
            read = analyze_texts(
                [texts[i] for i in rows], calibrated if through else None, model=model
            )
            parts.append(read.set_axis(rows))
    return pd.concat(parts).sort_index()


def folder_calibration(
    folder: Path, table: Any, *, documents: Any = None, model: str = STATIC
) -> CalibratedSentiment | None:
    """The calibration the Parquet tables in ``folder`` give (:func:`calibrate_on_tables` of
    its scored answers, rated mentions and taught labels), as ``text analyze --engine spark``
    reads with; None with no labelled comment.

    Parameters
    ----------
    folder
        The folder of ``<table>.parquet`` exports.
    table
        Looks a table of the folder up by name, as an Ibis table.
    documents
        :func:`~advocacy.text.documents.document_table` of the kinds read (None: of every
        kind whose table is in ``folder``).
    model
        The ``text_model`` setting value.

    Returns
    -------
    CalibratedSentiment or None
        The fitted calibration.
    """
    present = {
        name
        for name in ("responses", "response_items", "mentions", "text_labels")
        if parquet_location(folder, name)
    }
    if "responses" not in present:
        return None
    if documents is None:
        documents = document_table(table, _present_kinds(folder, None))
    return calibrate_on_tables(
        table("responses"),
        items=table("response_items") if "response_items" in present else None,
        mentions=table("mentions") if "mentions" in present else None,
        taught=table("text_labels") if "text_labels" in present else None,
        documents=documents,
        model=model,
    )


def parquet_text_features(
    directory: str | Path,
    out: str | Path,
    *,
    kinds: Sequence[str] | None = None,
    calibrate: bool | None = None,
    model: str = STATIC,
    master: str | None = None,
    session: Any = None,
    now: datetime | None = None,
) -> ParquetAnalyzeResult:
    """Analyse the Parquet documents in ``directory`` on Spark into ``OUT/text_features.parquet``.

    Parameters
    ----------
    directory
        Folder of ``<table>.parquet`` exports (see :func:`advocacy.metrics.engines.spark_tables`);
        ``text_labels.parquet`` there adds taught labels to the calibration.
    out
        Folder to write ``text_features.parquet`` into (replaced when it exists).
    kinds
        Document kinds (default: every kind whose table is in ``directory``).
    calibrate
        As for ``ws.text.analyze``: None calibrates when there is a labelled comment, True
        requires one, False uses the model's own heads.
    model
        The ``text_model`` setting value.
    master, session
        A Spark master URL for a new session, or the session to use.
    now
        The ``analysed_at`` stamp (default the current time).

    Returns
    -------
    ParquetAnalyzeResult
        Where the features are, how many documents, the model that labelled them, the
        calibration's labels and the unread documents by reason.

    Raises
    ------
    UsageError
        When ``calibrate`` is True and no comment has a score or a taught label, or the folder
        holds no document table.
    """
    folder = Path(directory).expanduser()
    chosen = _present_kinds(folder, kinds)
    session = session if session is not None else spark_session(master)
    table = spark_tables(folder, session=session)
    documents = document_table(table, chosen)
    calibrated = None
    if calibrate is not False:
        calibrated = folder_calibration(folder, table, documents=documents, model=model)
    if calibrate and calibrated is None:
        raise UsageError(
            "calibration needs at least one comment with a score (NPS, CSAT, CES or a rating) "
            "or a taught label",
            fix="export scored responses (or text_labels) to the --data folder",
        )
    label_model = str(analyze_texts(["probe"], calibrated, model=model)["model"].iloc[0])
    stamp = now or datetime.now(UTC)
    path = Path(out).expanduser() / FEATURES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = spark_dataframe(
        documents.select("document_kind", "document_id", "text", "document_source")
    )
    features = rows.mapInPandas(_features(calibrated, model, stamp), FEATURE_SCHEMA)
    features.write.mode("overwrite").parquet(str(path))
    counts = (
        session.read.parquet(str(path)).groupBy("sentiment_reason", "language").count().toPandas()
    )
    unread = counts[counts["sentiment_reason"] == NOT_SUPPORTED]
    not_supported = {
        str(code): int(n) for code, n in zip(unread["language"], unread["count"], strict=True)
    }
    return ParquetAnalyzeResult(
        path,
        int(counts["count"].sum()),
        label_model,
        0 if calibrated is None else calibrated.n_labels_,
        dict(sorted(not_supported.items(), key=lambda item: (-item[1], item[0]))),
        int(counts.loc[counts["sentiment_reason"] == NO_CONTENT, "count"].sum()),
    )
