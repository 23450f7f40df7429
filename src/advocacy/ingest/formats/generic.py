"""The generic adapter, and the assembly every survey adapter shares.

A plain file maps directly when its columns are already named as canonical fields
(``Submitted At``, ``submitted-at`` and ``submitted_at`` all match). For survey answers the
remaining columns are also read as questions, so a CSV with "How likely are you to recommend
us?" is recognised without a mapping file, and for posts, reviews and notes the column holding
what was written (and a mention's star rating) is recognised however it is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.answer_dates import pick_submitted_at
from advocacy.ingest.column_profile import no_answer_mask
from advocacy.ingest.email_identity import address_column, identify_by_email
from advocacy.ingest.headers import (
    first_line_is_text,
    first_row_is_data,
    second_row_labels,
    set_header_rows,
)
from advocacy.ingest.post_columns import PostColumns, post_columns
from advocacy.ingest.purchase_columns import purchase_columns
from advocacy.ingest.questions import scan_questions
from advocacy.ingest.raw import Adapted, Detection, RawTable
from advocacy.model import Kind

#: Kinds whose rows are survey answers, and the field their recommend question fills.
SURVEY_KINDS = {"responses": "nps", "employee-responses": "enps"}


def canonical_name(column: str) -> str:
    """A column name in the form canonical fields use: lower case, spaces and hyphens as ``_``."""
    return column.strip().lower().replace(" ", "_").replace("-", "_")


def canonical_columns(
    columns: Sequence[str], kind: Kind, taken: Mapping[str, str]
) -> dict[str, str]:
    """Map columns named exactly as ``kind``'s fields (ignoring case, spaces, hyphens).

    Parameters
    ----------
    columns
        Source column names.
    kind
        The kind imported.
    taken
        Fields already mapped, which keep their columns.

    Returns
    -------
    dict[str, str]
        Canonical field to source column for the newly matched fields.
    """
    used = set(taken.values())
    found: dict[str, str] = {}
    for column in columns:
        name = canonical_name(column)
        if (
            name in kind.field_names
            and name not in taken
            and name not in found
            and column not in used
        ):
            found[name] = column
    return found


def survey_adapted(
    kind: Kind,
    source_format: str,
    rows: pa.Table,
    first_data_row: int,
    *,
    fields: dict[str, str],
    questions: Sequence[str],
    wordings: Mapping[str, str] | None = None,
    detections: list[Detection] | None = None,
    notes: list[str] | None = None,
    need_rating_wording: bool = False,
) -> Adapted:
    """Build an :class:`Adapted` from known metadata fields plus recognised questions.

    Parameters
    ----------
    kind
        ``responses`` or ``employee-responses``.
    source_format
        Name of the adapter.
    rows
        The data rows only (extra header rows removed).
    first_data_row
        Spreadsheet row number of ``rows[0]``.
    fields
        Canonical fields already mapped from the tool's metadata columns.
    questions
        Columns to read as questions.
    wordings
        Question text per column, where it differs from the column name.
    detections, notes
        Detections and notes of the adapter, extended with those of the questions.
    need_rating_wording
        Whether a numeric question needs rating-like wording to become an item.

    Returns
    -------
    Adapted
        The mapping, before validation.
    """
    fields = dict(fields)
    fields.update(canonical_columns([c for c in rows.column_names if c in questions], kind, fields))
    remaining = [column for column in questions if column not in fields.values()]
    recommend = SURVEY_KINDS.get(kind.name, "nps")
    scan = scan_questions(
        rows,
        remaining,
        wordings=wordings,
        available=[
            name
            for name in (recommend, "csat", "ces", "comment", "title")
            if name in kind.field_names and name not in fields
        ],
        recommend_field=recommend,
        items=kind.name == "responses",
        need_rating_wording=need_rating_wording,
    )
    kept_notes: list[str] = []
    keyed_as: dict[str, str] = {}
    derived: dict[str, tuple[str, ...]] = {}
    for column, values in scan.replaced.items():
        unrated_before = set(rows.column_names)
        rows, note = _keep_unrated(rows, column)
        kept_notes += note
        if column in scan.as_written:
            # The version before kept this column in attrs: its rows stay keyed by the cells
            # as written under the question's own name, and the added columns out of the key.
            derived.update((name, ()) for name in rows.column_names if name not in unrated_before)
            written = f"{column} (as written)"
            while written in rows.column_names:
                written += "_"
            rows = rows.append_column(written, rows.column(column))
            keyed_as[column] = written
            derived[written] = (written,)
        index = rows.column_names.index(column)
        rows = rows.set_column(index, column, values)
    fields.update(scan.fields)
    return Adapted(
        kind=kind,
        source_format=source_format,
        rows=rows,
        first_data_row=first_data_row,
        fields=fields,
        constants=scan.constants,
        items=scan.items,
        detections=[*(detections or []), *scan.detections],
        notes=[*(notes or []), *scan.notes, *kept_notes],
        derived_columns=derived,
        keyed_as=keyed_as,
        beside_keyed=tuple(derived),
    )


def _keep_unrated(rows: pa.Table, column: str) -> tuple[pa.Table, list[str]]:
    """Keep the answers of a rating column that give no rating ("Don't know") in a column of
    their own, which goes to ``attrs``: the rating is empty for them, the answer is not lost."""
    original = rows.column(column).cast(pa.string())
    unrated = no_answer_mask(original)
    count = int(pc.sum(unrated.cast(pa.int64())).as_py() or 0)
    if not count:
        return rows, []
    written = sorted(str(value) for value in pc.unique(original.filter(unrated)).to_pylist())
    name = f"{column} (answer without a rating)"
    kept = pc.if_else(unrated, original, pa.scalar(None, pa.string()))
    quoted = ", ".join(repr(value) for value in written[:3])
    said = "1 answer" if count == 1 else f"{count:,} answers"
    give, them = ("gives", "it") if count == 1 else ("give", "them")
    return rows.append_column(name, kept), [
        f"column {column!r}: {said} ({quoted}) {give} no rating, so the rating is empty for "
        f"{them}; each is kept as written in attrs under {name!r}"
    ]


def detect(raw: RawTable) -> bool:
    """The generic adapter applies to any table."""
    return True


def adapt(raw: RawTable, kind: Kind) -> Adapted:
    """Map columns named as canonical fields; for survey kinds, recognise the other questions.

    Parameters
    ----------
    raw
        The file as read.
    kind
        The kind imported.

    Returns
    -------
    Adapted
        Source format ``generic``. For posts, reviews and notes, the text and a star rating are
        recognised in columns not named as fields (:mod:`advocacy.ingest.post_columns`). A
        second row of labels (``Response``, option names under a
        blank question cell) is read as part of the header, and a note says so.
    """
    notes: list[str] = []
    if second_row_labels(raw):
        raw = set_header_rows(raw, 2)
        notes.append(
            "the second row labels the columns rather than holding data: read as part of the "
            "header (names are 'Top - Label'); map with header_rows: 1 to read it as data"
        )
    elif first_row_is_data(raw):
        top = raw.header_cells[0]
        raw = set_header_rows(raw, 0)
        quoted = ", ".join(repr(str(cell)[:40]) for cell in top[:3])
        notes.append(
            f"the first line ({quoted}) is a record, not column names (a value of it recurs in "
            f"its column): read as data, columns named column_1..column_{len(raw.header)}; "
            "to read it as names, import with a mapping of header_rows: 1 that also maps each "
            "column to its field (a mapping turns this detection off)"
        )
    elif first_line_is_text(raw):
        top = raw.header_cells[0]
        raw = set_header_rows(raw, 0)
        notes.append(
            f"the first line ({str(top[0])[:40]!r}) is a text like the ones under it, not a "
            "column name (it has an @mention, a #hashtag or a link): read as the first record, "
            "the column named column_1; to read it as the name, import with a mapping of "
            "header_rows: 1 that maps the column to its field"
        )
    fields = canonical_columns(raw.rows.column_names, kind, {})
    detections = [
        Detection(column, name, f"column {column!r} is named as the canonical field {name!r}")
        for name, column in fields.items()
    ]
    if kind.name == "transactions":
        bought, why = purchase_columns(raw.rows.column_names, fields)
        fields.update(bought)
        detections.extend(why)
    if kind.name not in SURVEY_KINDS:
        unmapped = [column for column in raw.rows.column_names if column not in fields.values()]
        written = post_columns(raw.rows, unmapped, kind, fields)
        rows = raw.rows
        for column, values in written.replaced.items():
            rows = rows.set_column(rows.column_names.index(column), column, values)
        fields.update(written.fields)
        detections.extend(written.detections)
        notes.extend(written.notes)
        return Adapted(
            kind=kind,
            source_format="generic",
            rows=rows,
            first_data_row=raw.first_data_row,
            fields=fields,
            detections=detections,
            notes=notes,
        )
    others = [column for column in raw.rows.column_names if column not in fields.values()]
    # A column named like the response's id ("review_id", "submission_id") is not guessed as
    # the key: the version before keyed such rows by all they hold, so a re-import of a
    # cumulative export would load every row again (map it with --map to key by it).
    if "submitted_at" in kind.field_names and "submitted_at" not in fields:
        # "Date of response", "Date": when the answer was given, never when it was sent.
        when = PostColumns()
        pick_submitted_at(when, raw.rows, others)
        fields.update(when.fields)
        detections.extend(when.detections)
        notes.extend(when.notes)
        others = [column for column in others if column not in when.fields.values()]
    adapted = survey_adapted(
        kind,
        "generic",
        raw.rows,
        raw.first_data_row,
        fields=fields,
        questions=others,
        detections=detections,
        notes=notes,
        # Without a survey tool's structure, only question-like wording makes a rating an item.
        need_rating_wording=True,
    )
    email = address_column(others)
    if email is not None:
        identify_by_email(adapted, email, reason=f"column {email!r} is named as an e-mail address")
    return adapted
