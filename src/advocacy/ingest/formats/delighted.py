"""Delighted NPS survey exports: ``Response ID``, ``Score``, ``Comment``, ``Created At``, ...

Delighted's NPS survey asks the standard recommend question, so its ``Score`` column is NPS by
construction even though the export does not carry the question text.
"""

from __future__ import annotations

import pyarrow.compute as pc

from advocacy.errors import UsageError
from advocacy.ingest.formats.generic import canonical_columns
from advocacy.ingest.questions import profile
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

KINDS = ("responses",)


def _lookup(raw: RawTable, *names: str) -> str | None:
    lowered = {column.lower(): column for column in raw.header}
    return next((lowered[name.lower()] for name in names if name.lower() in lowered), None)


def detect(raw: RawTable) -> bool:
    """Recognise ``Response ID``, ``Score``, ``Comment`` and ``Created At`` together."""
    return all(
        _lookup(raw, name) is not None for name in ("Response ID", "Score", "Comment", "Created At")
    )


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map a Delighted export onto survey answers.

    Parameters
    ----------
    raw
        The export as read.
    kind
        ``responses``.

    Returns
    -------
    Adapted
        Source format ``delighted``.
    """
    if kind.name not in KINDS:
        raise UsageError(
            f"a Delighted export holds survey answers, not {kind.name}",
            parameter="--kind",
            value=kind.name,
            fix="use --kind responses, or --source generic",
        )
    known = {
        "response_id": (_lookup(raw, "Response ID"), "Delighted response id"),
        "nps": (
            _lookup(raw, "Score"),
            "Delighted NPS survey: its Score is the 0-10 answer to "
            "the recommend question by construction",
        ),
        "comment": (_lookup(raw, "Comment"), "Delighted's free-text follow-up answer"),
        "submitted_at": (_lookup(raw, "Created At"), "Delighted response time"),
    }
    fields = {name: column for name, (column, _) in known.items() if column is not None}
    detections = [
        Detection(column, name, reason)
        for name, (column, reason) in known.items()
        if column is not None
    ]
    notes = []
    scores = profile(raw.rows.column(fields["nps"])).numbers
    if scores and min(scores) >= 1 and max(scores) <= 5:
        notes.append(
            "every Score is between 1 and 5: if this is a Delighted CSAT survey, map Score to "
            "csat with --map"
        )
    person = _lookup(raw, "Person ID")
    if person is not None:
        notes.append(
            f"Delighted's {person!r} is kept in attrs; map it to customer_id with --map if it "
            "is your customer id"
        )
    rows = raw.rows
    created = fields.get("submitted_at")
    if created is not None:
        # "2026-09-01 10:12:44 -0700" keeps its offset but in a form the validator reads.
        index = rows.column_names.index(created)
        values = pc.replace_substring_regex(
            rows.column(created), r"\s+([+-]\d{2}):?(\d{2})$", r"\1:\2"
        )
        rows = rows.set_column(index, created, values)
    extra = canonical_columns(
        [column for column in raw.header if column not in fields.values()], kind, fields
    )
    fields.update(extra)
    return Adapted(
        kind=kind,
        source_format="delighted",
        rows=rows,
        first_data_row=raw.first_data_row,
        fields=fields,
        detections=detections,
        notes=notes,
    )
