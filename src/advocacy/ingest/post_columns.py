"""Recognise the text and the star rating of posts, reviews and notes in a plain file.

A review export rarely names its columns ``text`` and ``rating``: it says "Review Text",
"review_comment_message", "Stars" or "review_score". For the kinds whose records are something
written (mentions, notes), a generic file's columns are read as survey columns are
(:mod:`advocacy.ingest.questions`): identifiers and yes/no flags are set aside, and of the columns
holding varied free text the text is the one whose name says it is the text of the post, then
the one with the longest answers ("Review Text" over "Title"). A mention's rating is a numeric
column named like a rating ("Rating", "Stars", "review_score") whose values lie on a 0-10 scale,
and when it was written (a mention's ``posted_at``, a note's ``taken_at``) is a column named like
a date ("Date", "review_creation_date") every value of which is written as a date. Every
decision is a :class:`~advocacy.ingest.raw.Detection` giving its evidence; the rest stay in
``attrs``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.column_profile import Profile, profile
from advocacy.ingest.questions import identifier_evidence, is_free_text, text_evidence
from advocacy.ingest.raw import Detection
from advocacy.model import Kind

__all__ = ["PostColumns", "post_columns"]

#: Column names that say they hold what was written.
WRITTEN = re.compile(
    r"review|comment|text|message|body|content|post|note|feedback|opinion|tweet|"
    r"kommentar|bewertung|commentaire|avis|comentario|rese[nñ]a|mensagem|opmerking|ulasan",
    re.IGNORECASE,
)
#: Column names that say they hold a star rating.
STARS = re.compile(
    r"\brat(e|ed|ing)s?\b|\bstars?\b|\bscores?\b|\bgrade\b|\bsterne\b|\b[ée]toiles?\b|"
    r"\bestrellas\b|\bnota\b|\bpuntuaci[oó]n\b|\bbintang\b",
    re.IGNORECASE,
)

#: Column names that say they hold a date or time.
WHEN = re.compile(r"date|time|created|posted|published|submitted|datum|fecha|\bdata\b", re.I)
#: Of those, names that say when it was written (creation, not an answer or an update).
WRITTEN_WHEN = re.compile(r"post|publish|creat|writ|submit", re.IGNORECASE)
#: A value written as a date: 2024-01-05, 05/01/2024, 5.1.24, with or without a time.
DATE_VALUE = r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\S*)?\s*$"
#: The field holding when a written kind's record was written.
WRITTEN_AT = {"mentions": "posted_at", "notes": "taken_at"}


@dataclass
class PostColumns:
    """Fields found for a written kind, with the evidence for each decision."""

    fields: dict[str, str] = field(default_factory=dict)
    detections: list[Detection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _words(name: str) -> str:
    """A column name with ``_``, ``-`` and ``.`` as spaces, so ``review_score`` reads as words."""
    return re.sub(r"[_\-.]+", " ", name)


def post_columns(
    rows: pa.Table, columns: Sequence[str], kind: Kind, taken: Mapping[str, str]
) -> PostColumns:
    """The ``text`` (and, for mentions, ``rating``) columns of a file of ``kind``.

        Parameters
        ----------
        rows
            The data rows (string columns).
        columns
            Columns not yet mapped to a field.
        kind
            The kind imported; only fields it has and ``taken`` lacks are looked for.
        taken
            Fields already mapped (by name or by a mapping file), which are never replaced.

        Returns
        -------
        PostColumns
            The fields found, a detection per column looked at and a note when several columns
            hold free text.

        Examples
        --------
        >>> import pyarrow as pa
    import pyarrow.compute as pc
        >>> from advocacy.model import kind_for
        >>> rows = pa.table({"Title": ["Nice", "Meh", "Broken"],
        ...                  "Review Text": ["Fits well and the fabric is soft.",
        ...                                  "Runs small, had to send it back.",
        ...                                  "The zip broke on the second day."],
        ...                  "Stars": ["5", "2", "1"]})
        >>> post_columns(rows, rows.column_names, kind_for("mentions"), {}).fields
        {'text': 'Review Text', 'rating': 'Stars'}
    """
    found = PostColumns()
    wants_text = "text" in kind.field_names and "text" not in taken
    wants_rating = "rating" in kind.field_names and "rating" not in taken
    when = WRITTEN_AT.get(kind.name)
    if when is not None and when not in taken:
        _pick_when(found, rows, columns, when)
    if not (wants_text or wants_rating):
        return found
    free_text: list[tuple[str, Profile]] = []
    for column in columns:
        if column in found.fields.values():
            continue
        values = profile(rows.column(column))
        if identifier_evidence(column, column, values) is not None:
            continue
        if wants_text and is_free_text(values, _words(column)):
            free_text.append((column, values))
        elif wants_rating and "rating" not in found.fields and _star_rating(column, values):
            found.fields["rating"] = column
            low, high = min(values.numbers), max(values.numbers)
            found.detections.append(
                Detection(
                    column,
                    "rating",
                    f"{column!r} is named like a rating and holds numbers from {low:g} to "
                    f"{high:g} ({values.count:,} answers)",
                )
            )
    if wants_text:
        _pick_text(found, free_text)
    return found


def _star_rating(column: str, values: Profile) -> bool:
    return (
        values.numeric
        and bool(values.numbers)
        and min(values.numbers) >= 0
        and max(values.numbers) <= 10
        and values.two_way() is None
        and bool(STARS.search(_words(column)))
    )


def _pick_text(found: PostColumns, free_text: list[tuple[str, Profile]]) -> None:
    """The text is the free-text column named like one, then the one with the longest answers."""
    ranked = sorted(
        free_text,
        key=lambda entry: (not WRITTEN.search(entry[0]), -entry[1].mean_length),
    )
    for index, (column, values) in enumerate(ranked):
        if index == 0:
            found.fields["text"] = column
            hint = "; its name says it holds what was written" if WRITTEN.search(column) else ""
            found.detections.append(
                Detection(
                    column,
                    "text",
                    f"{column!r} holds varied free text ({text_evidence(values)}, "
                    f"{values.mean_length:.0f} characters on average){hint}",
                )
            )
        else:
            found.detections.append(
                Detection(
                    column,
                    "attrs",
                    f"{column!r} holds free text ({text_evidence(values)}); kept in attrs",
                )
            )
    if len(ranked) > 1:
        others = ", ".join(repr(column) for column, _ in ranked[1:])
        found.notes.append(
            f"several free-text columns: {ranked[0][0]!r} is the text (named like the text "
            f"first, then the longest answers), {others} kept in attrs; map another with --map"
        )


def _pick_when(found: PostColumns, rows: pa.Table, columns: Sequence[str], field: str) -> None:
    """The first column named like a date, every value of which is a date; creation first."""
    dated = [
        column
        for column in columns
        if WHEN.search(_words(column)) and _all_dates(rows.column(column))
    ]
    if not dated:
        return
    chosen = sorted(dated, key=lambda column: not WRITTEN_WHEN.search(column))[0]
    found.fields[field] = chosen
    found.detections.append(
        Detection(chosen, field, f"{chosen!r} is named like a date and every value in it is a date")
    )


def _all_dates(column: pa.ChunkedArray) -> bool:
    values = pc.drop_null(pc.utf8_trim_whitespace(column.cast(pa.string())))
    values = values.filter(pc.not_equal(values, ""))
    if len(values) == 0:
        return False
    return bool(pc.all(pc.match_substring_regex(values, DATE_VALUE)).as_py())
