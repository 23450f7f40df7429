"""SurveyMonkey CSV exports ("All responses data"), old and new.

Exports since about 2016 start ``Respondent ID, Collector ID, Start Date, End Date, IP Address,
...``; older ones (2014-2015) start ``RespondentID`` and may carry ``CollectorID``, ``StartDate``
and ``EndDate`` or no collector columns at all. The "expanded" layout has two header rows: the
first has the question text, blank over the extra columns of a multiple-choice or matrix
question, the second says ``Response``, ``Open-Ended Response`` or the option label of each
column. The "condensed" or flattened layout has one row of ``Question - Option`` names. Both read
the same way: one name per column (see :mod:`advocacy.ingest.headers`), options kept in attrs.
"""

from __future__ import annotations

from advocacy.errors import UsageError
from advocacy.ingest.email_identity import address_column, identify_by_email
from advocacy.ingest.formats.generic import survey_adapted
from advocacy.ingest.headers import ANSWER_LABELS, second_row_labels, set_header_rows
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses",)
RESPONDENT = ("Respondent ID", "RespondentID")
COLLECTOR = ("Collector ID", "CollectorID")
#: Metadata columns SurveyMonkey adds, in the spellings of both eras; the rest are questions.
METADATA = {
    "respondent id",
    "respondentid",
    "collector id",
    "collectorid",
    "start date",
    "startdate",
    "end date",
    "enddate",
    "ip address",
    "ipaddress",
    "email address",
    "emailaddress",
    "first name",
    "firstname",
    "last name",
    "lastname",
}
END_DATES = ("End Date", "EndDate")


def detect(raw: RawTable) -> bool:
    """Recognise a respondent id first, or a respondent id with a collector id anywhere."""
    header = set(raw.header)
    if not raw.header or not header & set(RESPONDENT):
        return False
    return raw.header[0] in RESPONDENT or bool(header & set(COLLECTOR))


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map a SurveyMonkey export onto survey answers.

    Parameters
    ----------
    raw
        The export as read; with two header rows, the second is the first row.
    kind
        ``responses``.

    Returns
    -------
    Adapted
        Source format ``surveymonkey``.
    """
    if kind.name not in KINDS:
        raise UsageError(
            f"a SurveyMonkey export holds survey answers, not {kind.name}",
            parameter="--kind",
            value=kind.name,
            fix="use --kind responses, or --source generic",
        )
    notes = ["SurveyMonkey dates are in the time zone of the account that exported them"]
    if second_row_labels(raw):
        raw = set_header_rows(raw, 2)
        notes.append(
            "the second row labels each column (Response, Open-Ended Response or an option): "
            "read as part of the header, so columns are named 'Question - Option'"
        )
    # Question text per column: the top header cell, or the one to its left when blank.
    wordings: dict[str, str] = {}
    question = ""
    top = raw.header_cells[0] if raw.header_cells else raw.header
    for index, name in enumerate(raw.header):
        cell = top[index] if index < len(top) else None
        question = (cell or "").strip() or question or name
        wordings[name] = question
    fields: dict[str, str] = {}
    detections: list[Detection] = []
    respondent = next((name for name in RESPONDENT if name in raw.header), None)
    if respondent is not None:
        fields["response_id"] = respondent
        detections.append(Detection(respondent, "response_id", "SurveyMonkey respondent id"))
    ended = next((name for name in END_DATES if name in raw.header), None)
    if ended is not None:
        fields["submitted_at"] = ended
        detections.append(Detection(ended, "submitted_at", "SurveyMonkey completion time"))
    # With a label row, option columns (one per choice) are kept in attrs under their names;
    # the columns labelled as the answer to a question are read as questions.
    labels = raw.header_cells[1] if len(raw.header_cells) > 1 else [None] * len(raw.header)
    questions = [
        name
        for name, label in zip(raw.header, labels, strict=True)
        if name.lower() not in METADATA
        and not name.startswith("Custom Data")
        and (not (label or "").strip() or (label or "").strip() in ANSWER_LABELS)
    ]
    adapted = survey_adapted(
        kind,
        "surveymonkey",
        raw.rows,
        raw.first_data_row,
        fields=fields,
        questions=questions,
        wordings=wordings,
        detections=detections,
        notes=notes,
        need_rating_wording=True,
    )
    # The respondent's address, written when the collector is an e-mail invitation.
    email = address_column(raw.header)
    if email is not None:
        identify_by_email(adapted, email, reason="SurveyMonkey respondent e-mail")
    return adapted
