"""Google Forms response sheets exported as CSV: ``Timestamp`` first, then one column per question.

Google Forms gives no response id; the importer derives one from the content.
"""

from __future__ import annotations

from advocacy.errors import UsageError
from advocacy.ingest.formats.generic import survey_adapted
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses", "employee-responses")
#: The first column's name in the form owner's language.
TIMESTAMPS = ("Timestamp", "Zeitstempel", "Horodateur", "Marca temporal", "Tijdstempel")
EMAILS = ("Email Address", "Email address", "E-Mail-Adresse", "Adresse e-mail")


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
    questions = [column for column in raw.header[1:] if column not in EMAILS]
    return survey_adapted(
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
