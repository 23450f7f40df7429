"""Recognise when a survey answer was given (``submitted_at``) in a plain file.

A survey export may hold several dates: when the invitation was sent, when the respondent
answered, their date of birth, the order or the visit the survey asks about. Only the answer's
own date is ``submitted_at``. A column named like a date or like the answer ("Completed at")
every value of which is a date is ranked: one named like the answer ("Date of response",
"review_answer_timestamp", "Submitted") first, one that names no event ("Date", "Timestamp")
next, one named like the start ("Start date", "Created") last. One named like another event
("Date sent", "Invitation date", "Date of birth", "Order date", "Delivery date", "Visit date")
is never taken. Of two equally ranked columns neither is taken: which one is the answer's would
be a guess. Every column not taken stays in ``attrs`` with a note that names it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyarrow as pa

from advocacy.ingest.post_columns import WHEN, PostColumns, date_notes, date_share
from advocacy.ingest.raw import Detection

__all__ = ["ANSWERED", "NOT_ANSWERED", "STARTED", "pick_submitted_at"]

#: Names of the date the answer was given, ranked first.
ANSWERED = re.compile(r"answer|respon|submit|complet|finish|\bend|receiv|record|repl", re.I)
#: Names of when the respondent began, ranked last.
STARTED = re.compile(r"start|creat|open|begin", re.IGNORECASE)
#: Names of other events, never the answer's date.
NOT_ANSWERED = re.compile(
    r"birth|\bdob\b|\bborn\b|sent|send|invit|remind|order|deliver|ship|purchas|paid|payment|"
    r"visit|appoint|admi|discharg|expir|\bdue\b|estimat|approv|update|modif|export",
    re.IGNORECASE,
)


def _words(name: str) -> str:
    return re.sub(r"[_\-.]+", " ", name)


def pick_submitted_at(found: PostColumns, rows: pa.Table, columns: Sequence[str]) -> None:
    """Add to ``found`` the column of ``submitted_at``, or notes saying why none was taken.

    Parameters
    ----------
    found
        The fields, detections and notes gathered so far; extended in place.
    rows
        The data rows (string columns).
    columns
        Columns not yet mapped to a field.
    """
    field = "submitted_at"
    named = [
        column
        for column in columns
        if WHEN.search(_words(column)) or ANSWERED.search(_words(column))
    ]
    shares = {column: date_share(rows.column(column)) for column in named}
    dated = [column for column, share in shares.items() if share == 1.0]
    date_notes(found, rows, shares, field, any_dated=bool(dated))
    other = [column for column in dated if NOT_ANSWERED.search(_words(column))]
    for column in other:
        found.notes.append(
            f"column {column!r} holds dates, but its name says they are not when the answer "
            f"was given; kept in attrs (map it to {field} with --map if it is)"
        )
    ranks = {
        column: 0 if ANSWERED.search(_words(column)) else 2 if STARTED.search(column) else 1
        for column in dated
        if column not in other
    }
    if not ranks:
        return
    best = min(ranks.values())
    top = [column for column, rank in ranks.items() if rank == best]
    if len(top) > 1:
        listed = ", ".join(repr(column) for column in top)
        found.notes.append(
            f"columns {listed} all hold dates and none is named more like when the answer was "
            f"given; all kept in attrs, so {field} is empty (map one with --map)"
        )
        return
    chosen = top[0]
    found.fields[field] = chosen
    reason = "named like the answer's date" if best == 0 else "named like a date"
    found.detections.append(
        Detection(chosen, field, f"{chosen!r} is {reason} and every value in it is a date")
    )
    for column in ranks:
        if column != chosen:
            found.notes.append(
                f"column {column!r} holds dates too; {chosen!r} is named more like when the "
                f"answer was given, so {column!r} is kept in attrs"
            )
