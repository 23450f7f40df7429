"""Exports of documents with their text analytics columns, the text PII-redacted."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from advocacy.text.documents import DOCUMENT_SOURCES, TABLE_KINDS, known_names


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
