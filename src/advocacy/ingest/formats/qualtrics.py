"""Qualtrics CSV exports, modern (three header rows) and legacy (``V1, V2, ...`` plus a text row).

Modern exports carry column ids, then the question text (in the account's language), then
``{"ImportId":"QID1"}`` JSON. Legacy exports name metadata columns ``V1``..``V10`` and put their
real names (``ResponseID``, ``StartDate``, ...) and the question text in the second row. Dates are
in the Qualtrics account's time zone, which the export does not state.
"""

from __future__ import annotations

import re

from advocacy.errors import UsageError
from advocacy.ingest.email_identity import address_column, identify_by_email
from advocacy.ingest.formats.generic import survey_adapted
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses", "employee-responses")
#: Metadata columns Qualtrics adds; everything else is a question or embedded data.
METADATA = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "distributionchannel",
    "userlanguage",
    "responseset",
    "name",
    "emailaddress",
}
TIMEZONE_NOTE = (
    "Qualtrics dates are in the account's time zone, which the export does not state; set "
    "ADVOCACY_TIMEZONE to it"
)


def _row(raw: RawTable, index: int) -> dict[str, str | None]:
    if raw.rows.num_rows <= index:
        return {}
    record: dict[str, str | None] = raw.rows.slice(index, 1).to_pylist()[0]
    return record


def is_modern(raw: RawTable) -> bool:
    """Whether the third header row holds Qualtrics ``ImportId`` JSON."""
    ids = [value for value in _row(raw, 1).values() if value]
    return bool(ids) and sum('"ImportId"' in value for value in ids) >= 0.8 * len(ids)


def is_legacy(raw: RawTable) -> bool:
    """Whether the header is ``V1, V2, ...`` and the next row names ``ResponseID``."""
    return raw.header[:2] == ["V1", "V2"] and _row(raw, 0).get("V1") == "ResponseID"


def detect(raw: RawTable) -> bool:
    """Recognise a modern or legacy Qualtrics export."""
    return is_modern(raw) or is_legacy(raw)


def _find(columns: list[str], *names: str) -> str | None:
    lowered = {column.lower(): column for column in columns}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map a Qualtrics export onto survey answers.

    Parameters
    ----------
    raw
        The export as read (its extra header rows are the first rows).
    kind
        ``responses`` or ``employee-responses`` (the recommend question becomes ``enps``).

    Returns
    -------
    Adapted
        Source format ``qualtrics`` or ``qualtrics-legacy``.
    """
    if kind.name not in KINDS:
        raise UsageError(
            f"a Qualtrics export holds survey answers, not {kind.name}",
            parameter="--kind",
            value=kind.name,
            fix="use --kind responses or --kind employee-responses, or --source generic",
        )
    legacy = is_legacy(raw)
    texts = _row(raw, 0)
    rows = raw.rows.slice(1 if legacy else 2)
    first_data_row = raw.first_data_row + (1 if legacy else 2)
    wordings = {column: text for column, text in texts.items() if text}
    if legacy:
        # V1..V10 mean nothing to a user: name those columns as the text row does.
        names = [
            (texts.get(column) or column) if re.fullmatch(r"V\d+", column) else column
            for column in rows.column_names
        ]
        rows = rows.rename_columns(names)
        wordings = {new: wordings.get(old, new) for old, new in zip(raw.header, names, strict=True)}
    columns = rows.column_names
    fields: dict[str, str] = {}
    detections: list[Detection] = []

    def put(name: str, column: str | None, reason: str) -> None:
        if column is not None and name in kind.field_names:
            fields[name] = column
            detections.append(Detection(column, name, reason))

    put(
        "response_id" if kind.name == "responses" else "employee_response_id",
        _find(columns, "ResponseId", "ResponseID"),
        "Qualtrics response id",
    )
    submitted = _find(columns, "RecordedDate", "EndDate")
    put("submitted_at", submitted, f"Qualtrics {submitted} (account time zone)")
    external = _find(columns, "ExternalReference", "ExternalDataReference")
    if external is not None and rows.column(external).null_count < rows.num_rows:
        put(
            "customer_id" if kind.name == "responses" else "employee_id",
            external,
            "Qualtrics external reference, the id the survey was sent with",
        )
    put("language", _find(columns, "UserLanguage"), "Qualtrics survey language")
    questions = [
        column
        for column in columns
        if column.lower() not in METADATA
        and not column.startswith("Q_")
        and not column.endswith(" - Topics")
        and not (rows.column(column).null_count == rows.num_rows and column.startswith("column_"))
    ]
    adapted = survey_adapted(
        kind,
        "qualtrics-legacy" if legacy else "qualtrics",
        rows,
        first_data_row,
        fields=fields,
        questions=questions,
        wordings=wordings,
        detections=detections,
        notes=[TIMEZONE_NOTE],
        need_rating_wording=True,
    )
    email = address_column(columns)
    if email is not None:
        identify_by_email(adapted, email, reason="Qualtrics recipient e-mail")
    return adapted
