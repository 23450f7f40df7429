"""Exports of workspace tables: the stored records as they came in, plus text analytics columns.

By default nothing is changed: an export, imported into another workspace, gives back the same
records (see :mod:`advocacy.ingest.formats.advocacy_export`). Redaction of personal data is
asked for (``redact=True``, ``advocacy export --redact``), never a side effect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from advocacy.ingest.formats.advocacy_export import TEXT_ANALYSIS_COLUMNS
from advocacy.text.attribute_redaction import redact_attributes
from advocacy.text.documents import DOCUMENT_SOURCES, TABLE_KINDS

if TYPE_CHECKING:
    from advocacy.text.pii import Redactor

#: Columns that hold personal data as a whole, and what ``redact`` puts in their place.
PERSONAL_COLUMNS = {
    "name": "[name]",
    "email": "[email]",
    "phone": "[phone]",
    "author": "[name]",
    "interviewer": "[name]",
    "referred_contact": "[contact]",
}
#: ``sentiment_reason`` of a record whose text is empty, and of one not analysed yet.
NO_TEXT = "no text"
NOT_ANALYSED = "not analysed"
#: Columns of JSON objects whose text values may hold anything (unmapped source columns).
JSON_COLUMNS = ("attrs", "record")


def _normal(table_name: str) -> str:
    return table_name.strip().lower().replace("-", "_")


def export_columns(ws: Any, table_name: str) -> Any:
    """``table_name`` as an Ibis table with the text columns appended.

    The table's own columns come first, unchanged; then ``sentiment``, ``sentiment_score``,
    ``emotions`` (JSON text), ``effort``, ``themes`` (theme names joined by "; "),
    ``analysed_language`` (the language the analysis read the text in), ``sentiment_reason``
    (why sentiment is empty: ``language not supported``, ``no content`` for a non-answer,
    :data:`NO_TEXT` for an empty text, :data:`NOT_ANALYSED` before ``text analyze`` read
    it) and ``complaint``
    (the model's complaint probability, empty when it gives none). Tables that hold no
    documents are returned unchanged.

    Parameters
    ----------
    ws
        The workspace.
    table_name
        A canonical table (``responses``, ``mentions``, ...) or a ledger table.

    Returns
    -------
    ibis.Table
        The table with the text columns appended, not yet run.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> export_columns(ws, "responses").columns  # doctest: +SKIP
    """
    normal = _normal(table_name)
    table = ws.table(normal)
    kind = TABLE_KINDS.get(normal)
    if kind is None:
        return table
    import ibis

    backend = ws.db.ibis
    source = DOCUMENT_SOURCES[kind]
    features = backend.table("text_features")
    features = features.filter(features.document_kind == kind).select(
        __document_id=features.document_id,
        sentiment=features.sentiment,
        sentiment_score=features.sentiment_score,
        emotions=features.emotions.cast("string"),
        effort=features.effort,
        analysed_language=features.language,
        sentiment_reason=features.sentiment_reason,
        complaint=features.complaint,
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
    # Every row says why it has no sentiment: the analysis's reason, else no text to read or
    # not analysed yet (a user joining the export to their own labels sees each row's fate).
    text = joined[source.text_column]
    reason = ibis.cases(
        (joined.__document_id.notnull(), joined.sentiment_reason),
        (text.isnull() | (text.strip() == ""), ibis.literal(NO_TEXT)),
        else_=ibis.literal(NOT_ANALYSED),
    )
    joined = joined.mutate(sentiment_reason=reason)
    return joined.select(*table.columns, *TEXT_ANALYSIS_COLUMNS)


def export_table(ws: Any, table_name: str, *, redact: bool = False) -> pa.Table:
    """:func:`export_columns` materialised: the stored values, unless ``redact``.

    Parameters
    ----------
    ws
        The workspace.
    table_name
        A canonical table (``responses``, ``customers``, ...) or a ledger table.
    redact
        Replace personal data before it leaves the workspace: free text, unmapped source
        columns (``attrs``) and quarantined values go through the workspace's
        :class:`~advocacy.text.pii.Redactor`
        (e-mails, phones, card numbers and names, including the workspace's known customer,
        employee and author names, become ``[email]``, ``[phone]``, ``[card]``, ``[name]``);
        whole personal columns (:data:`PERSONAL_COLUMNS`) become a placeholder, and so do
        unmapped columns named for respondent data (IP address, position, street address and
        postcode, date of birth, user name and handle, recipient name, e-mail and reference,
        custom data: :func:`~advocacy.text.attribute_redaction.personal_key_mask`); IP
        addresses inside any text or value become ``[ip]``.

    Returns
    -------
    pyarrow.Table
        One row per record.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> table = export_table(ws, "responses", redact=True)  # doctest: +SKIP
    """
    table = export_columns(ws, table_name).to_pyarrow()
    if not redact:
        return table
    from advocacy.text.pii import Redactor

    redactor = Redactor.for_workspace(ws.db)
    return redact_table(table, redactor=redactor, text_columns=_text_columns(table_name))


def _text_columns(table_name: str) -> tuple[str, ...]:
    normal = _normal(table_name)
    kind = TABLE_KINDS.get(normal)
    if kind is not None:
        source = DOCUMENT_SOURCES[kind]
        # A title is free text too: "Refund for Jane Doe, 07700 900123" is redacted as a text is.
        return (source.text_column, *((source.title_column,) if source.title_column else ()))
    return ("value",) if normal == "quarantine" else ()


def redact_table(
    table: pa.Table, *, redactor: Redactor, text_columns: tuple[str, ...] = ()
) -> pa.Table:
    """``table`` with personal data replaced (see :func:`export_table`'s ``redact``)."""
    for index, column in enumerate(table.column_names):
        values = table.column(index).to_pylist()
        if column in PERSONAL_COLUMNS:
            mask = PERSONAL_COLUMNS[column]
            cleaned: list[Any] = [None if value is None else mask for value in values]
        elif column in text_columns:
            cleaned = [None if value is None else redactor.redact(value) for value in values]
        elif column in JSON_COLUMNS:
            cleaned = [redact_attributes(value, redactor) for value in values]
        else:
            continue
        table = table.set_column(index, column, pa.array(cleaned, type=pa.string()))
    return table
