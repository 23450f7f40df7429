"""SurveyMonkey CSV exports ("All responses data", expanded columns).

Two header rows: the first has the question text, blank over the extra columns of a
multiple-choice question; the second says ``Response``, ``Open-Ended Response`` or the option
label of each column. Option columns (one per choice) are kept in attrs under readable names.
"""

from __future__ import annotations

from advocacy.errors import UsageError
from advocacy.ingest.formats.generic import survey_adapted
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses",)
METADATA = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
)
ANSWER_LABELS = ("Response", "Open-Ended Response")


def detect(raw: RawTable) -> bool:
    """Recognise the ``Respondent ID`` and ``Collector ID`` columns of a SurveyMonkey export."""
    return "Respondent ID" in raw.header and "Collector ID" in raw.header


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map a SurveyMonkey export onto survey answers.

    Parameters
    ----------
    raw
        The export as read; its second header row is the first row.
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
    labels = raw.rows.slice(0, 1).to_pylist()[0] if raw.rows.num_rows else {}
    names: list[str] = []
    wordings: dict[str, str] = {}
    answers: list[str] = []
    question = ""
    for index, column in enumerate(raw.header):
        label = labels.get(column)
        # The reader names a blank header cell "column_N": it continues the question before it.
        if column != f"column_{index + 1}" or not question:
            question = column
        if column in METADATA or column.startswith("Custom Data"):
            name = column
        elif label in ANSWER_LABELS or label is None:
            name = question
            answers.append(name)
        else:
            name = f"{question} - {label}"
        while name in names:
            name += " "
        names.append(name.rstrip() if name.rstrip() not in names else name)
        wordings[names[-1]] = question
    rows = raw.rows.slice(1).rename_columns(names)
    fields: dict[str, str] = {}
    detections: list[Detection] = []
    if "Respondent ID" in names:
        fields["response_id"] = "Respondent ID"
        detections.append(Detection("Respondent ID", "response_id", "SurveyMonkey respondent id"))
    if "End Date" in names:
        fields["submitted_at"] = "End Date"
        detections.append(Detection("End Date", "submitted_at", "SurveyMonkey completion time"))
    return survey_adapted(
        kind,
        "surveymonkey",
        rows,
        raw.first_data_row + 1,
        fields=fields,
        questions=[name for name in names if name in answers],
        wordings=wordings,
        detections=detections,
        notes=["SurveyMonkey dates are in the time zone of the account that exported them"],
        need_rating_wording=True,
    )
