"""Header rows: none, one, or several combined into one name per column.

Readers take the first row as the header. A mapping may say otherwise (``header_rows: 0`` for a
file without one, ``2`` or more for survey exports whose second row labels the options), and
survey-tool adapters recognise a second row of labels on their own. Several rows combine into one
name per column, top row first, joined by `` - ``: a blank cell in an upper row belongs to the
group of the cell to its left (SurveyMonkey leaves the question blank over each of its options),
so ``Which films have you seen?`` over ``Star Wars: Episode I`` names the column
``Which films have you seen? - Star Wars: Episode I``. The rows are kept as they were in
:attr:`RawTable.header_cells`, so nothing of a header is lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.errors import InputError
from advocacy.ingest.raw import RawTable
from advocacy.ingest.word_count import word_count

__all__ = [
    "ANSWER_LABELS",
    "POST_MARK",
    "combine_header",
    "first_line_is_text",
    "first_row_is_data",
    "header_notes",
    "looks_like_data",
    "post_marked",
    "second_row_labels",
    "set_header_rows",
    "unique_header",
]

#: Labels that say "the answer to the question above" rather than naming an option; a question
#: with a single column is named by the question alone.
ANSWER_LABELS = ("Response", "Open-Ended Response")
#: Share of a column's data rows that must be filled for an empty label over it to be telling.
FILLED_SHARE = 0.9
#: A header cell longer than this that reads as a sentence (not a question) looks like data.
LONG_TEXT = 80
#: Longer cells are never numbers, dates or e-mails (and never reach a regular expression).
MAX_VALUE_CHARS = 320
_SAMPLE = 1_000
_NUMBER = re.compile(r"[-+]?(\d+([.,]\d+)*|\d*[.,]\d+)%?")
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?.*)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def unique_header(names: Sequence[object]) -> list[str]:
    """Strip header names, name blank ones ``column_N`` and number repeats ``"Q1 (2)"``.

    Parameters
    ----------
    names
        Header cells as read (``None`` for empty cells).

    Returns
    -------
    list[str]
        As many unique names as ``names``.
    """
    stripped = ["" if name is None else str(name).strip() for name in names]
    stripped = [name or f"column_{index + 1}" for index, name in enumerate(stripped)]
    originals = set(stripped)
    result: list[str] = []
    used: set[str] = set()
    for name in stripped:
        candidate, number = name, 1
        # Skip numbered names that appear literally elsewhere in the header, so those keep theirs.
        while candidate in used or (number > 1 and candidate in originals):
            number += 1
            candidate = f"{name} ({number})"
        used.add(candidate)
        result.append(candidate)
    return result


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def combine_header(rows: Sequence[Sequence[str | None]]) -> list[str]:
    """One unique name per column from header rows, top row first.

    Parameters
    ----------
    rows
        The header rows as the file has them (None or blank for an empty cell).

    Returns
    -------
    list[str]
        Names joined by `` - `` from every row's non-blank cell (repeats dropped); a blank cell
        in an upper row takes the cell to its left when a lower row names the column and the
        row above groups the two columns together. ``Response`` and ``Open-Ended Response``
        under a question with one column leave the question's name alone. Columns blank in
        every row are ``column_N``; repeated names are numbered, as :func:`unique_header` does.
    """
    width = max((len(row) for row in rows), default=0)
    grid = [
        [_text(row[index]) if index < len(row) else "" for index in range(width)] for row in rows
    ]
    filled = [list(row) for row in grid]
    carried = [[False] * width for _ in grid]
    for level in range(len(grid) - 1):
        for column in range(1, width):
            named_below = any(grid[lower][column] for lower in range(level + 1, len(grid)))
            same_group = level == 0 or carried[level - 1][column]
            if not grid[level][column] and named_below and same_group:
                filled[level][column] = filled[level][column - 1]
                carried[level][column] = bool(filled[level][column])
    # The question is the row above the last: a column alone in its group there is a question
    # with one column.
    level = max(len(grid) - 2, 0)
    names = []
    for column in range(width):
        parts: list[str] = []
        for level in range(len(grid)):
            part = filled[level][column]
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        alone = not carried[level][column] and not (
            column + 1 < width and carried[level][column + 1]
        )
        if len(parts) > 1 and parts[-1] in ANSWER_LABELS and alone:
            parts.pop()
        names.append(" - ".join(parts))
    return unique_header(names)


def set_header_rows(raw: RawTable, count: int) -> RawTable:
    """``raw`` read again with ``count`` header rows instead of one.

    Parameters
    ----------
    raw
        A CSV or XLSX file as read (its first row taken as the header).
    count
        0 (no header: columns are ``column_1``..``column_N`` and the first row is data), 1 (as
        read) or more (the first ``count`` rows combine, see :func:`combine_header`).

    Returns
    -------
    RawTable
        The same cells with the header and first data row moved.

    Raises
    ------
    InputError
        For a JSON or Parquet file (their names are keys, not rows), or a file with fewer rows
        than ``count``.
    """
    if count == 1:
        return raw
    if not raw.header_cells:
        raise InputError(
            f"header_rows applies to CSV and Excel files; a {raw.file_format} file names its "
            "columns by its keys",
            file=raw.path,
            value=str(count),
            fix="remove header_rows from the mapping",
        )
    top = raw.header_cells[0]
    if count == 0:
        header = [f"column_{index + 1}" for index in range(len(raw.header))]
        first = pa.table(
            {
                name: pa.array([top[index] if index < len(top) else None], pa.string())
                for index, name in enumerate(header)
            }
        )
        return replace(
            raw,
            header=header,
            rows=pa.concat_tables([first, raw.rows.rename_columns(header)]),
            first_data_row=raw.first_data_row - 1,
            header_cells=[],
        )
    extra = count - 1
    if raw.rows.num_rows < extra:
        raise InputError(
            f"header_rows is {count} but the file has only {raw.rows.num_rows + 1} row(s)",
            file=raw.path,
            value=str(count),
            fix="set header_rows to the number of rows the header takes",
        )
    labels = [list(record.values()) for record in raw.rows.slice(0, extra).to_pylist()]
    cells = [list(top), *labels]
    header = combine_header(cells)
    return replace(
        raw,
        header=header,
        rows=raw.rows.slice(extra).rename_columns(header),
        first_data_row=raw.first_data_row + extra,
        header_cells=cells,
    )


def looks_like_data(cell: str) -> bool:
    """Whether a cell reads as a value (number, date, e-mail) rather than a name."""
    text = cell.strip()
    if len(text) > MAX_VALUE_CHARS:
        return False
    return bool(_NUMBER.fullmatch(text) or _DATE.fullmatch(text) or _EMAIL.fullmatch(text))


def _long_sentence(cell: str) -> bool:
    text = cell.strip()
    return len(text) > LONG_TEXT and "?" not in text and not text.endswith((":", ")"))


#: Times a header cell must recur as a value of its own column for the header to be a record,
#: within this many first rows.
RECURRING = 2
RECURRING_WITHIN = 1_000
#: Words that make a cell prose rather than a name, for a first line read as a record.
PROSE_WORDS = 3
#: A question over prose is like its column when at least one value in this many is a question.
QUESTIONS_AMONG = 4
#: A cell written like an id (six or more letters, digits, ``_`` or ``-``, no space) ...
_ID_SHAPE = re.compile(r"[A-Za-z0-9_\-]{6,64}")
#: ... is like its column when this share of the values are ids of its length.
ID_SHAPED = 0.9


def first_row_is_data(raw: RawTable) -> bool:
    """Whether the file has no header: its first line is a record like the others.

    It is when a cell of the first line recurs at least :data:`RECURRING` times as a value of
    its own column (a label such as ``positive`` in a file of ``text<TAB>label`` lines, as
    IndoNLU's SmSA is written), every other cell is written like the values under it (a sentence
    over sentences, a number over numbers, a question only over questions: a checkbox column
    named by its option, whose cells repeat its name, is still a header beside an id or open
    questions), and the first line does not come back whole as a data row (a file of several
    exports pasted together repeats its header). Reading such a line as names would drop a
    record without a word.

    Parameters
    ----------
    raw
        A CSV or XLSX file as read (its first row taken as the header).

    Returns
    -------
    bool
        True when the first line should be read as data (``header_rows: 0``).
    """
    if not raw.header_cells or raw.rows.num_rows < RECURRING or len(raw.header) < 2:
        return False
    top = [_text(cell) for cell in raw.header_cells[0]]
    if len(top) != len(raw.header) or not all(top):
        return False
    # A label recurs within the first rows; reading them alone keeps big files cheap.
    first = raw.rows.slice(0, RECURRING_WITHIN)
    recurring = False
    for name, cell in zip(raw.header, top, strict=True):
        column = pc.utf8_trim_whitespace(first.column(name))
        times = int(pc.sum(pc.equal(column, cell).cast(pa.int64())).as_py() or 0)
        if times >= RECURRING:
            recurring = True
        elif not _like_its_column(cell, [str(value) for value in pc.drop_null(column).to_pylist()]):
            # A name over values of another shape ("Respondent ID" over numbers): a header.
            return False
    if not recurring:
        return False
    matches = [
        pc.fill_null(pc.equal(pc.utf8_trim_whitespace(raw.rows.column(name)), cell), False)
        for name, cell in zip(raw.header, top, strict=True)
    ]
    repeated = matches[0]
    for match in matches[1:]:
        repeated = pc.and_(repeated, match)
    return not pc.any(repeated).as_py()


#: Marks of a post's running text that no column name carries: an @mention, a #hashtag (a word
#: after the sign, so "# of visits" or "Comment #2" is no mark) or a link.
POST_MARK = re.compile(r"(?<![\w@])@\w|(?<![\w&#])#[^\W\d_]|\bhttps?://|\bwww\.\w")
#: Words after which a mark names what a file holds ("Mentions of @acme", "Tweets tagged
#: #acmefail", "Reviews from www.trustpilot.com"): a column's name, not a post's text, when the
#: cell is as short as a name (:data:`NAME_WORDS`, :data:`NAME_CHARS`). Not everyday words that
#: precede marks in posts as often ("to", "with", "at", "via": "Flying to #NYC with @delta").
NAMING_WORDS = frozenset({"about", "from", "mentioning", "of", "tagged"})
#: The most words and characters of a cell that names what a file holds by a mark of a post:
#: a longer cell with such a mark is a post ("Flying to #NYC with @delta today, ...").
NAME_WORDS = 6
NAME_CHARS = 50


def post_marked(cell: str) -> bool:
    """Whether ``cell`` carries a mark of a post that is not part of a name.

    A mark (:data:`POST_MARK`) is part of a name only in a cell as short as a name, right after
    a naming word (:data:`NAMING_WORDS`; other marks and "and" / "or" may come between: "Posts
    about @acme and @acmehelp"). Of TweetEval's 19,336 tweets, 7 would pass for names so.

    Parameters
    ----------
    cell
        A cell of a file's first line.

    Returns
    -------
    bool
        True when the cell reads as a post's text rather than a column's name.
    """
    named = len(cell.strip()) <= NAME_CHARS and len(cell.split()) <= NAME_WORDS
    for mark in POST_MARK.finditer(cell):
        if not named:
            return True
        words = [word.strip(",;:!.'\"()").lower() for word in cell[: mark.start()].split()]
        words = [word for word in words if word[:1] not in "@#" and word not in {"and", "or", "&"}]
        if not words or words[-1] not in NAMING_WORDS:
            return True
    return False


def first_line_is_text(raw: RawTable) -> bool:
    """Whether a one-column file's first line is a text like those under it, not their name.

    A file of one text per line without a header (TweetEval's ``test_text.txt``) gives no label
    to recur (:func:`first_row_is_data`). Its first line is a record when it is written like the
    texts under it (three words or more over texts of three words or more), does not end as a
    name or a question does (``:``, ``?``, ``)``: a first text ending so stays the name), and
    carries a mark of a post: an @mention, a #hashtag or a link, not right after a word by which
    a name says what the file holds ("Mentions of @acme", "Tweets tagged #acmefail",
    :data:`NAMING_WORDS`). A survey question over its answers, however long, stays the column's
    name; so does a sentence without such a mark (the import then says it may be a record,
    :func:`header_notes`).

    Parameters
    ----------
    raw
        A CSV or XLSX file as read (its first row taken as the header).

    Returns
    -------
    bool
        True when the first line should be read as data (``header_rows: 0``).
    """
    if len(raw.header_cells) != 1 or len(raw.header) != 1 or raw.rows.num_rows < RECURRING:
        return False
    cells = raw.header_cells[0]
    cell = _text(cells[0]) if len(cells) == 1 else ""
    if not cell or cell.endswith((":", "?", ")")) or not post_marked(cell[:MAX_VALUE_CHARS]):
        return False
    values = pc.drop_null(raw.rows.column(0).slice(0, RECURRING_WITHIN).cast(pa.string()))
    return _like_its_column(cell, [str(value) for value in values.to_pylist()])


def _like_its_column(cell: str, values: list[str]) -> bool:
    """Whether ``cell`` is written like the values under it: a number over numbers, a date over
    dates, an id over ids of its length, words (three or more) over words, a question only over
    questions.

    An open question ("What did you like about your visit?") heads prose answers: it is prose
    too, so it is like its column only when a share of its values are questions as well.
    """
    filled = [value for value in values if value.strip()]
    if not filled:
        return False
    if looks_like_data(cell):
        return sum(looks_like_data(value) for value in filled) * 2 >= len(filled)
    if _ID_SHAPE.fullmatch(cell):
        # An id among ids of one length ("edgurhb" over "ee84bjg"): no name is written so.
        shaped = sum(
            len(value) == len(cell) and bool(_ID_SHAPE.fullmatch(value)) for value in filled
        )
        return shaped >= ID_SHAPED * len(filled)
    words = sorted(word_count(value) for value in filled)
    if word_count(cell) < PROSE_WORDS or words[len(words) // 2] < PROSE_WORDS:
        return False
    if cell.strip().endswith("?"):
        asked = sum(value.strip().endswith("?") for value in filled)
        return asked * QUESTIONS_AMONG >= len(filled)
    return True


def second_row_labels(raw: RawTable) -> bool:
    """Whether the first data row is a second header row of labels (SurveyMonkey's shape).

    It is when none of its cells is a number, a date or an e-mail, it leaves the first column
    empty where the data fill it (the respondent's id), and it either says ``Response`` /
    ``Open-Ended Response`` or names every column whose top header cell is blank.
    """
    if not raw.header_cells or raw.rows.num_rows < 2 or not raw.header:
        return False
    labels = [_text(value) for value in raw.rows.slice(0, 1).to_pylist()[0].values()]
    named = [label for label in labels if label]
    if not named or labels[0] or any(looks_like_data(label) for label in named):
        return False
    first = raw.rows.column(0).slice(1, _SAMPLE)
    if first.null_count > (1 - FILLED_SHARE) * len(first):
        return False
    if any(label in ANSWER_LABELS for label in named):
        return True
    top = raw.header_cells[0]
    blanks = [index for index in range(len(labels)) if index >= len(top) or not _text(top[index])]
    return bool(blanks) and all(labels[index] for index in blanks)


def header_notes(cells: Sequence[str | None], rows: pa.Table | None = None) -> list[str]:
    """A note when a header row looks like data, so a user can say the file has no header.

    Parameters
    ----------
    cells
        One header row as the file has it.
    rows
        The rows under it. A file of one column (a text per line, as TweetEval's are) gives no
        label to recur (:func:`first_row_is_data`), so its header stays the header; when the
        header is a sentence written like the texts under it, the note says so.

    Returns
    -------
    list[str]
        Empty, or one note quoting the data-like cells.
    """
    named = [_text(cell) for cell in cells if _text(cell)]
    if len(cells) == 1 and len(named) == 1 and rows is not None and rows.num_rows:
        cell = named[0]
        values = pc.drop_null(rows.column(0).slice(0, RECURRING_WITHIN).cast(pa.string()))
        if not cell.endswith((":", "?")) and _like_its_column(cell, values.to_pylist()):
            quoted = repr(cell[:40] + ("..." if len(cell) > 40 else ""))
            return [
                f"the file's one column is named {quoted}, a sentence written like the texts "
                "under it: if the file has no header, import it with a mapping that says "
                "header_rows: 0 and maps the text (columns: {text: column_1}), so its first line "
                "is kept as a record"
            ]
    values = [cell for cell in named if looks_like_data(cell)]
    sentences = [cell for cell in named if _long_sentence(cell)]
    # Survey questions make long headers ("Please rate..."), so a sentence alone is no sign.
    if not values or 2 * (len(values) + len(sentences)) < len(named):
        return []
    quoted = ", ".join(
        repr(cell[:40] + ("..." if len(cell) > 40 else "")) for cell in [*values, *sentences][:3]
    )
    return [
        f"the header row looks like data ({quoted}): if the file has no header, import it with "
        "a mapping that says header_rows: 0, so its first line is kept as a record"
    ]
