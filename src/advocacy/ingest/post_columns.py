"""Recognise the text, star rating and date of posts, reviews and notes in a plain file.

A review export rarely names its columns ``text`` and ``rating``: it says "Review Text",
"review_comment_message", "Stars" or "review_score". For the kinds whose records are something
written (mentions, notes), a generic file's columns are read as survey columns are
(:mod:`advocacy.ingest.questions`): identifiers and yes/no flags are set aside. The text is
then, in order, a column named like the text of the post rather than a reply to it ("Developer
Reply Text") or its title, a column of varied free text, and of several the one with the
longest answers ("Review Text" over "Title"); a column named like the text counts even when its
answers are short ("Love it", "Never again"). Of the others, a mention's first column named like
a title ("Title", "review_comment_title", short answers too) is its title, read before the text
(:mod:`advocacy.ingest.title_columns`). A mention's rating is a numeric column named like
a star rating ("Rating", "Stars", "review_score", never "Sentiment Score" or "Response rate")
holding several values in steps of a half star up to at most 10, or a column of any name every
value of which says its stars in words ("4,0 von 5 Sternen", "5.0 out of 5 stars", "4/5"), read
as the number of stars (a note says so). When it was written (a
mention's ``posted_at``, a note's ``taken_at``) is a column named like a date, creation before
updates and replies ("at" alone, as app-store review scrapers name it, counts), every value of
which is written as a date; a date-named column that holds
anything else is left in ``attrs`` with a note. The record's id (a mention's ``mention_id``, a
note's ``note_id``) is a column named as the id of the post itself ("tweet_id", "review_id",
"reviewId", "id"), never of someone or something else ("user_id", "product_id"), whose every
row holds a value, no value repeats and every value is written like a platform's id (eight
characters or more, with a digit, not 1, 2, 3, ...): then the export carries the platform's id,
so a user can join the results to their own copy of the file. Row numbers stay in ``attrs``
(two files both numbered 1..N would otherwise overwrite each other's posts). Every decision is a
:class:`~advocacy.ingest.raw.Detection` giving its evidence; the rest stay in ``attrs``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest import date_forms
from advocacy.ingest.column_profile import Profile, profile
from advocacy.ingest.questions import identifier_evidence, is_free_text, text_evidence
from advocacy.ingest.raw import Detection
from advocacy.ingest.title_columns import TITLE, TITLE_FIELD, title_column, title_detection
from advocacy.model import Kind

__all__ = [
    "PostColumns",
    "date_notes",
    "date_share",
    "pick_record_id",
    "pick_written_at",
    "post_columns",
]

#: Column names that say they hold what was written.
WRITTEN = re.compile(
    r"review|comment|text|message|body|content|post|note|feedback|opinion|tweet|verbatim|"
    r"kommentar|bewertung|rezension|commentaire|avis|comentario|rese[nñ]a|mensagem|opmerking|ulasan",
    re.IGNORECASE,
)
#: Written columns that hold someone else's answer to the post, ranked last.
REPLY = re.compile(
    r"repl|respon|answer|antwort|r[ée]ponse|respuesta|resposta|developer|owner|merchant|"
    r"company|seller|agent|staff|management",
    re.IGNORECASE,
)
#: Column names that say they hold a star rating, the surest first.
STARS = re.compile(
    r"\brat(ed|ings?)\b|\bstars?\b|\bsterne\b|\bbewertung\b|\b[ée]toiles?\b|\bestrellas\b|"
    r"\bbintang\b|"
    r"\bpuntuaci[oó]n\b|\bnota\b|\bscores?\b|\bgrade\b",
    re.IGNORECASE,
)
#: Names of numbers that are no star rating, even when named "score".
NOT_STARS = re.compile(
    r"sentiment|polarity|confidence|probab|likel|recommend|nps|helpful|useful|vote|like|"
    r"count|percent|rate\b",
    re.IGNORECASE,
)
#: The id fields of the written kinds.
WRITTEN_ID = ("mention_id", "note_id")
#: A rating written out with its scale: "4,0 von 5 Sternen", "5.0 out of 5 stars", "4/5".
STAR_PHRASE = re.compile(
    r"^\s*(\d{1,2}(?:[.,]\d)?)\s*(?:(?:von|out of|of|sur|de|dari|su)\s*\d{1,2}\s*"
    r"(?:sternen|sterne|stars?|[ée]toiles?|estrellas?|bintang|stelle)|/\s*\d{1,2})\s*$",
    re.IGNORECASE,
)
#: :data:`STAR_PHRASE` for Arrow (RE2), and its bare fraction ("4/5"), stars only under a
#: name that says so.
STAR_PHRASE_RE2 = "(?i)" + STAR_PHRASE.pattern
FRACTION = r"^\s*\d{1,2}(?:[.,]\d)?\s*/\s*\d{1,2}\s*$"
#: Column names that say they hold a date or time.
WHEN = re.compile(
    r"date|time|created|posted|published|submitted|datum|fecha|\bdata\b|^\s*at\s*$", re.I
)
#: Of those, names that say when it was written, ranked first ...
WRITTEN_WHEN = re.compile(r"post|publish|creat|writ|submit", re.IGNORECASE)
#: ... and names of later events, ranked last.
LATER_WHEN = re.compile(r"updat|modif|edit|repl|answer|respon|export|scrap|crawl|fetch", re.I)
#: The date forms the import reads (:mod:`advocacy.ingest.date_forms`), once a weekday in front
#: and a UTC offset after the time are set aside as the reader sets them aside: in numbers ...
NUMBER_FORMS = (date_forms.YEAR_FIRST, date_forms.DAY_MONTH)
#: ... and those that name the month, which count only when it is a month name
#: (:data:`MONTH_NAME`).
NAMED_FORMS = (date_forms.NAMED_DAY_FIRST, date_forms.NAMED_MONTH_FIRST, date_forms.CTIME)
#: A month's name or abbreviation, in English or a language of :data:`date_forms.LOCAL_MONTHS`.
MONTH_NAME = (
    r"(?i)(?:^|[\s\d.,\-])(?:"
    + "|".join(
        sorted(
            {*date_forms.MONTHS, *(name[:3] for name in date_forms.MONTHS), "sept"}
            | {name for local in date_forms.LOCAL_MONTHS for name in local},
            key=len,
            reverse=True,
        )
    )
    + r")\.?(?:[\s\d.,\-]|$)"
)
#: Column names that say they hold the id of the post, review or note itself.
POST_ID = re.compile(
    r"^(?:(?:tweet|post|review|comment|status|message|mention|note|feedback)[\s_.\-]?)?id$",
    re.IGNORECASE,
)
#: The fewest characters of a value taken as a platform's id of a post (shorter ones are
#: often row numbers, which two files share).
ID_LENGTH = 8
#: The field holding when a written kind's record was written.
WRITTEN_AT = {"mentions": "posted_at", "notes": "taken_at"}


@dataclass
class PostColumns:
    """Fields found for a written kind, with the evidence for each decision."""

    fields: dict[str, str] = field(default_factory=dict)
    detections: list[Detection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaced: dict[str, pa.ChunkedArray] = field(default_factory=dict)  # stars read as numbers


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
    >>> from advocacy.model import kind_for
    >>> rows = pa.table({"Title": ["Nice", "Meh", "Broken"],
    ...                  "Review Text": ["Fits well and the fabric is soft.",
    ...                                  "Runs small, had to send it back.",
    ...                                  "The zip broke on the second day."],
    ...                  "Stars": ["5", "2", "1"]})
    >>> post_columns(rows, rows.column_names, kind_for("mentions"), {}).fields
    {'text': 'Review Text', 'title': 'Title', 'rating': 'Stars'}
    """
    found = PostColumns()
    wants_text = "text" in kind.field_names and "text" not in taken
    wants_rating = "rating" in kind.field_names and "rating" not in taken
    wants_title = TITLE_FIELD in kind.field_names and TITLE_FIELD not in taken
    key = kind.key[0] if len(kind.key) == 1 else None
    if key in WRITTEN_ID and key not in taken:
        pick_record_id(found, rows, columns, key)
    when = WRITTEN_AT.get(kind.name)
    if when is not None and when not in taken:
        pick_written_at(found, rows, columns, when)
    free_text: list[tuple[str, Profile]] = []
    stars: list[tuple[str, Profile]] = []
    for column in columns:
        if column in found.fields.values():
            continue
        values = profile(rows.column(column))
        if identifier_evidence(column, column, values) is not None:
            continue
        if wants_rating and "rating" not in found.fields and _star_phrases(found, rows, column):
            continue
        if wants_text and (
            is_free_text(values, _words(column))
            or (_named_text(column, values, wants_title) and date_share(rows.column(column)) < 1.0)
        ):
            free_text.append((column, values))
        elif wants_rating and _star_rating(column, values):
            stars.append((column, values))
    if wants_text:
        _pick_text(found, free_text, wants_title=wants_title)
    if wants_rating and stars and "rating" not in found.fields:
        # A name that says "rating" or "stars" before one that says "score" or "grade".
        column, values = min(stars, key=lambda entry: _stars_rank(entry[0]))
        found.fields["rating"] = column
        found.detections.append(
            Detection(
                column,
                "rating",
                f"{column!r} is named like a star rating and holds {len(values.numbers)} values "
                f"from {min(values.numbers):g} to {max(values.numbers):g} ({values.count:,} "
                "answers)",
            )
        )
        found.notes.extend(values.stray_note(column, "rating column"))
    return found


def _named_text(column: str, values: Profile, title: bool = False) -> bool:
    """A column named like the text (or, when ``title``, like a title), of words rather than
    numbers or codes (short answers too)."""
    name = _words(column)
    return (
        bool(WRITTEN.search(name) or (title and TITLE.search(name) and not REPLY.search(name)))
        and values.numeric_count <= 0.2 * values.count
        and values.codes < 0.5
    )


def _star_rating(column: str, values: Profile) -> bool:
    numbers = values.numbers
    return (
        # A star column with a stray word ("drei") is still the rating
        # (:attr:`~advocacy.ingest.column_profile.Profile.mostly_numeric`).
        values.mostly_numeric
        and len(numbers) >= 2
        and min(numbers) >= 0
        and 1 < max(numbers) <= 10
        and all(float(2 * number).is_integer() for number in numbers)
        and values.two_way() is None
        and bool(STARS.search(_words(column)))
        and not NOT_STARS.search(_words(column))
    )


def _star_phrases(found: PostColumns, rows: pa.Table, column: str) -> bool:
    """Take ``column`` as the rating when every value says its stars in words ("4 von 5 Sternen").

    The values become their numbers of stars (in :attr:`PostColumns.replaced`); a column of
    phrases naming more than one scale, or a scale above 10, is not read, nor a column of bare
    fractions ("3/5") unless its name says stars or rating (a helpfulness share is none).
    """
    values = pc.utf8_trim_whitespace(rows.column(column).cast(pa.string()))
    present = pc.drop_null(values).filter(pc.not_equal(pc.drop_null(values), ""))
    if len(present) < 2:
        return False
    # Checked in Arrow first: a column of texts is never turned into Python objects.
    if not pc.all(pc.less_equal(pc.utf8_length(present), 40)).as_py():
        return False
    if not pc.all(pc.match_substring_regex(present, STAR_PHRASE_RE2)).as_py():
        return False
    fraction = pc.any(pc.match_substring_regex(present, FRACTION)).as_py()
    if fraction and not (STARS.search(_words(column)) and not NOT_STARS.search(_words(column))):
        # "3/5" says no more than a share ("3 of 5 found it helpful") unless named as stars.
        return False
    scales, numbers = set(), set()
    for value in pc.unique(present).to_pylist():
        match = STAR_PHRASE.match(str(value)) if len(str(value)) <= 40 else None
        if match is None:
            return False
        numbers.add(float(match.group(1).replace(",", ".")))
        scales.add(int(re.findall(r"\d+", str(value)[match.end(1) :])[0]))
    if len(scales) != 1 or not 1 < max(scales) <= 10 or max(numbers) > max(scales):
        return False
    stars = pc.extract_regex(values, r"^\s*(?P<stars>\d{1,2}(?:[.,]\d)?)")
    found.replaced[column] = pc.replace_substring(pc.struct_field(stars, "stars"), ",", ".")
    found.fields["rating"] = column
    found.detections.append(
        Detection(
            column,
            "rating",
            f"every value of {column!r} says its stars out of {max(scales)} in words (such as "
            f"{str(present[0])!r}); read as the number of stars",
        )
    )
    found.notes.append(
        f"column {column!r}: ratings written as phrases ({str(present[0])!r}) are stored as "
        f"their number of stars out of {max(scales)}"
    )
    return True


def _stars_rank(column: str) -> int:
    match = STARS.search(_words(column))
    return 1 if match is None or match.group(0).lower().startswith(("score", "grade")) else 0


def _pick_text(
    found: PostColumns, free_text: list[tuple[str, Profile]], *, wants_title: bool = False
) -> None:
    """The text: named like the post's text (not a reply, not a title), then the longest; and
    when ``wants_title``, of the others, the first named like a title (not a reply) is the
    title (:func:`~advocacy.ingest.title_columns.title_column`)."""

    def rank(entry: tuple[str, Profile]) -> tuple[bool, bool, bool, float]:
        name = _words(entry[0])
        return (
            bool(REPLY.search(name)),
            bool(TITLE.search(name)),
            not WRITTEN.search(name),
            -entry[1].mean_length,
        )

    ranked = sorted(free_text, key=rank)
    title = (
        title_column([column for column, _ in ranked[1:] if not REPLY.search(_words(column))])
        if wants_title
        else None
    )
    for index, (column, values) in enumerate(ranked):
        evidence = text_evidence(values) if values.count else "every cell empty"
        if index == 0:
            found.fields["text"] = column
            hint = "; its name says it holds what was written" if WRITTEN.search(column) else ""
            length = f", {values.mean_length:.0f} characters on average" if values.count else ""
            found.detections.append(
                Detection(column, "text", f"{column!r} holds free text ({evidence}{length}){hint}")
            )
        elif column == title:
            found.fields[TITLE_FIELD] = column
            found.detections.append(title_detection(column, evidence))
        else:
            found.detections.append(
                Detection(
                    column, "attrs", f"{column!r} holds free text ({evidence}); kept in attrs"
                )
            )
    kept = [column for column, _ in ranked[1:] if column != title]
    if kept:
        others = ", ".join(repr(column) for column in kept)
        titled = f", {title!r} its title" if title else ""
        found.notes.append(
            f"several free-text columns: {ranked[0][0]!r} is the text (named like the post's "
            f"text, not a reply or title, then the longest answers){titled}, {others} kept in "
            "attrs; map another with --map"
        )


def pick_record_id(
    found: PostColumns,
    rows: pa.Table,
    columns: Sequence[str],
    field: str,
    *,
    names: re.Pattern[str] = POST_ID,
    noun: str = "post",
) -> None:
    """Add to ``found`` a column named as the record's own id (``names``) whose every row
    holds a platform's id, unrepeated, as ``field``.

    A repeated or missing id would merge different records or leave some without their id, so
    such a column stays in ``attrs`` with a note (the records are then keyed by all they hold).
    So does an id a file may share with another file: short values ("1", "2", ...: row
    numbers) would make the second file's rows overwrite the first's. Only values of at
    least :data:`ID_LENGTH` characters that hold a digit and are no run of row numbers (a
    tweet's id, a review's UUID, "de_0100001") are taken. ``noun`` names the record in the
    detection and the notes ("post", "response").
    """
    for column in columns:
        if not names.match(column.strip()):
            continue
        values = pc.utf8_trim_whitespace(rows.column(column).cast(pa.string()))
        present = pc.drop_null(values).filter(pc.not_equal(pc.drop_null(values), ""))
        distinct = len(pc.unique(present))
        if len(present) != rows.num_rows or distinct != rows.num_rows:
            found.notes.append(
                f"column {column!r} is named like the {noun}'s id, but "
                f"{rows.num_rows - len(present):,} row(s) have none and "
                f"{len(present) - distinct:,} repeat another's; kept in attrs and the records "
                f"keyed by all they hold (map it to {field} with --map to key by it)"
            )
            continue
        local = _local_ids(present)
        if local is not None:
            found.notes.append(
                f"column {column!r} is named like the {noun}'s id, but its values look like row "
                f"numbers or other local ids ({local!r}: under {ID_LENGTH} characters, without a "
                f"digit, or counting 1, 2, 3), which another file may use for other {noun}s; "
                "kept in attrs and the records keyed by all they hold (map it to "
                f"{field} with --map if the ids are the platform's own)"
            )
            continue
        found.fields[field] = column
        found.detections.append(
            Detection(
                column,
                field,
                f"{column!r} is named like the {noun}'s own id and each of its "
                f"{rows.num_rows:,} rows holds a different value, written like a platform's id",
            )
        )
        return


def _local_ids(present: pa.ChunkedArray) -> str | None:
    """The first value showing that ``present`` may be a file's own numbering, or None.

    That is a value shorter than :data:`ID_LENGTH` or without a digit, or, when every value is
    a number, the values counting 0 or 1, 2, 3, ... (zero-padded row numbers).
    """
    short = present.filter(
        pc.or_(
            pc.less(pc.utf8_length(present), ID_LENGTH),
            pc.invert(pc.match_substring_regex(present, r"\d")),
        )
    )
    if len(short):
        return str(short[0].as_py())
    if len(present) and pc.all(pc.match_substring_regex(present, r"^\d{1,18}$")).as_py():
        numbers = present.cast(pa.int64())
        low, high = pc.min(numbers).as_py(), pc.max(numbers).as_py()
        if low <= 1 and high - low + 1 == len(present):
            return str(present[0].as_py())
    return None


def pick_written_at(found: PostColumns, rows: pa.Table, columns: Sequence[str], field: str) -> None:
    """Add to ``found`` the column of ``field``: named like a date, every value a date.

    Of several, one named like the creation ("posted", "created") before one named like a
    later event ("updated", "replied"). A date-named column with other values gets a note.
    Survey answers rank their dates otherwise (:mod:`advocacy.ingest.answer_dates`).
    """
    shares = {
        column: date_share(rows.column(column)) for column in columns if WHEN.search(_words(column))
    }
    dated = [column for column, share in shares.items() if share == 1.0]
    date_notes(found, rows, shares, field, any_dated=bool(dated))
    if not dated:
        return
    chosen = min(
        dated,
        key=lambda column: (bool(LATER_WHEN.search(column)), not WRITTEN_WHEN.search(column)),
    )
    found.fields[field] = chosen
    found.detections.append(
        Detection(chosen, field, f"{chosen!r} is named like a date and every value in it is a date")
    )


def date_notes(
    found: PostColumns,
    rows: pa.Table,
    shares: Mapping[str, float],
    field: str,
    *,
    any_dated: bool,
) -> None:
    """Note each date-named column whose values are not all dates (it stays in ``attrs``).

    Parameters
    ----------
    found
        Extended in place with the notes.
    rows
        The data rows (string columns).
    shares
        Each date-named column's share of values written as dates (:func:`date_share`).
        A column of free text (most values longer than :data:`DATE_WORDS` words) is not named
        for holding no date.
    field
        The field looked for.
    any_dated
        Whether a column of dates was found; if not, columns none of whose values read as a
        date but some of which hold a number beside letters are named too.
    """
    for column, share in shares.items():
        if 0.5 <= share < 1.0:
            found.notes.append(
                f"column {column!r} is named like a date but {1 - share:.0%} of its values are "
                f"not written as dates; kept in attrs (map it to {field} with --map if it says "
                "when each was written: the other values then go to quarantine)"
            )
    if any_dated:
        return
    for column, share in shares.items():
        example = _dated_words(rows.column(column)) if share == 0 else None
        if example is not None and _prose(rows.column(column)):
            # Free text under a name that mentions a date (a tweet read as the header).
            continue
        if example is not None:
            found.notes.append(
                f"column {column!r} is named like a date but none of its values is written "
                f"in a form the import reads as a date (such as {example!r}); kept in attrs, "
                f"so {field} is empty"
            )


#: Words of a value above which a column is free text, never a date in words ("3. März 2021").
DATE_WORDS = 6


def _prose(column: pa.ChunkedArray) -> bool:
    """Whether most of the first values of ``column`` have more than :data:`DATE_WORDS` words."""
    values = [str(value) for value in pc.drop_null(column.cast(pa.string())).slice(0, 100)]
    return sum(len(value.split()) > DATE_WORDS for value in values) * 2 > len(values)


def _dated_words(column: pa.ChunkedArray) -> str | None:
    """The first value that holds a number beside letters ("3. März 2021"), or None."""
    values = pc.drop_null(column.cast(pa.string()))
    for value in values.slice(0, 100).to_pylist():
        text = str(value).strip()
        if (
            len(text) <= date_forms.MAX_LENGTH
            and re.search(r"\d", text)
            and re.search(r"[^\W\d_]", text)
        ):
            return text
    return None


def date_share(column: pa.ChunkedArray) -> float:
    """The share of a column's non-empty values written in a form the import reads as a date
    (0 when all are empty)."""
    values = pc.drop_null(pc.utf8_trim_whitespace(column.cast(pa.string())))
    values = values.filter(pc.not_equal(values, ""))
    total = len(values)
    if total == 0:
        return 0.0
    values = values.filter(pc.less_equal(pc.utf8_length(values), date_forms.MAX_LENGTH))
    values = pc.replace_substring_regex(values, date_forms.WEEKDAY, "")
    values = pc.replace_substring_regex(values, date_forms.OFFSET_SPLIT, r"\1\3")
    numbered = reduce(pc.or_, [pc.match_substring_regex(values, form) for form in NUMBER_FORMS])
    named = reduce(pc.or_, [pc.match_substring_regex(values, form) for form in NAMED_FORMS])
    # "3. Brumaire 2021" has the shape of "3. März 2021": only a month the import reads counts.
    named = pc.and_(named, pc.match_substring_regex(values, MONTH_NAME))
    dated = pc.or_(numbered, named)
    return float(pc.sum(dated.cast(pa.int64())).as_py() or 0) / total
