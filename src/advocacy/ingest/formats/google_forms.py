"""Google Forms response sheets exported as CSV: ``Timestamp`` first, then one column per question.

Google Forms gives no response id; the importer derives one from the content. A form that
collects addresses writes ``Email Address`` second: answers are tied to customers by it
(:mod:`advocacy.ingest.email_identity`).
"""

from __future__ import annotations

from advocacy.errors import UsageError
from advocacy.ingest.email_identity import address_column, identify_by_email
from advocacy.ingest.formats.generic import survey_adapted
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses", "employee-responses")
#: The first column's name in the form owner's language.
TIMESTAMPS = ("Timestamp", "Zeitstempel", "Horodateur", "Marca temporal", "Tijdstempel")


def detect(raw: RawTable) -> bool:
    """Recognise a first column named ``Timestamp`` (or its translation)."""
    return bool(raw.header) and raw.header[0] in TIMESTAMPS


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map a Google Forms export onto survey answers.

    Parameters
    ----------
    raw
        The export as read.
    kind
        ``responses`` or ``employee-responses`` (the recommend question becomes ``enps``).

    Returns
    -------
    Adapted
        Source format ``google-forms``.
    """
    if kind.name not in KINDS:
        raise UsageError(
            f"a Google Forms export holds survey answers, not {kind.name}",
            parameter="--kind",
            value=kind.name,
            fix="use --kind responses or --kind employee-responses, or --source generic",
        )
    timestamp = raw.header[0]
    email = address_column(raw.header[1:])
    questions = [column for column in raw.header[1:] if column != email]
    adapted = survey_adapted(
        kind,
        "google-forms",
        raw.rows,
        raw.first_data_row,
        fields={"submitted_at": timestamp},
        questions=questions,
        detections=[Detection(timestamp, "submitted_at", "Google Forms submission time")],
        notes=[
            "Google Forms gives no response id; ids are derived from each answer's content",
            "Google Forms timestamps are in the form owner's time zone",
        ],
        need_rating_wording=True,
    )
    if email is not None:
        identify_by_email(adapted, email, reason="Google Forms respondent e-mail")
    return adapted
