"""Typeform CSV exports: ``#`` (the response token), question columns, dates in UTC.

A form sent with the respondent's address as a hidden field (``email``) has it as a column of
that name: answers are tied to customers by it (:mod:`advocacy.ingest.email_identity`).
"""

from __future__ import annotations

import pyarrow.compute as pc

from advocacy.errors import UsageError
from advocacy.ingest.email_identity import address_column, identify_by_email
from advocacy.ingest.formats.generic import survey_adapted
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses",)
ID_COLUMNS = ("#", "Response ID", "Token", "token")
METADATA = {"Start Date (UTC)", "Submit Date (UTC)", "Stage Date (UTC)", "Network ID", "Tags"}


def detect(raw: RawTable) -> bool:
    """Recognise ``Submit Date (UTC)`` with ``#``/``Network ID``/``Start Date (UTC)``."""
    header = set(raw.header)
    return "Submit Date (UTC)" in header and bool(header & {"#", "Network ID", "Start Date (UTC)"})


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map a Typeform export onto survey answers.

    Parameters
    ----------
    raw
        The export as read.
    kind
        ``responses``.

    Returns
    -------
    Adapted
        Source format ``typeform``; submission times are marked as UTC.
    """
    if kind.name not in KINDS:
        raise UsageError(
            f"a Typeform export holds survey answers, not {kind.name}",
            parameter="--kind",
            value=kind.name,
            fix="use --kind responses, or --source generic",
        )
    rows = raw.rows
    fields: dict[str, str] = {}
    detections: list[Detection] = []
    identifier = next((name for name in ID_COLUMNS if name in raw.header), None)
    if identifier is not None:
        fields["response_id"] = identifier
        detections.append(Detection(identifier, "response_id", "Typeform response token"))
    submitted = "Submit Date (UTC)"
    if submitted in raw.header:
        # The export states UTC in the header only; say so in the values so the workspace's
        # time zone is not applied to them.
        index = rows.column_names.index(submitted)
        values = pc.binary_join_element_wise(rows.column(submitted), "+00:00", "")
        rows = rows.set_column(index, submitted, values)
        fields["submitted_at"] = submitted
        detections.append(Detection(submitted, "submitted_at", "Typeform submit time, in UTC"))
    email = address_column([name for name in rows.column_names if name not in fields.values()])
    questions = [
        column
        for column in rows.column_names
        if column not in METADATA and column not in fields.values() and column != email
    ]
    adapted = survey_adapted(
        kind,
        "typeform",
        rows,
        raw.first_data_row,
        fields=fields,
        questions=questions,
        detections=detections,
        need_rating_wording=True,
    )
    if email is not None:
        identify_by_email(adapted, email, reason="Typeform hidden field")
    return adapted
