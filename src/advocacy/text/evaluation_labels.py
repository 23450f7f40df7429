"""The labels of a user's file for ``advocacy text evaluate``: which column, which scale, what is
left out.

The file is read as ``advocacy import`` reads it (:func:`advocacy.importer.read_as`). Its labels
are a column of ``negative``/``neutral``/``positive`` (any case; ``neg``/``neu``/``pos`` too),
found by the rule ``text teach`` uses too (:mod:`advocacy.ingest.label_columns`), or else the
rows' ratings read by the documented scale rule
(:func:`advocacy.text.scale_sentiment.scale_label`). Nothing is chosen silently, and one odd
value never refuses the whole file:

- Of several label columns, one named like true labels (``gold``, ``label``, ``annotation``,
  ``sentiment``; not like a vendor's or a model's prediction) is taken when it holds at least as
  many labels as every other; else the fullest, unless a column named like true labels holds
  fewer (then the file is refused, naming them: which is the truth is the user's call). A note
  names the column taken and those left aside.
- A label that is none of the three (``mixed``) is left out and counted by value, with the first
  row that holds it.
- An NPS is read on 0-10 (0-6 / 7-8 / 9-10), as the calibration reads it. Other ratings are read
  on ``--scale LOW-HIGH`` when given, else on the scale their range implies (as imported
  reviews' ratings: :func:`advocacy.text.mention_scales.mention_scales`), said in a note. A column
  of three values 0-2 (class ids, as TweetEval's) or a scale set by a few ratings far above the
  rest (one typo of 55 among 1-5 stars) is refused with the ``--scale`` that reads it.
- Without a column of labels or the rating import maps, one column named like true labels
  that holds numbers (TweetEval's ``label`` of 0/1/2) is read as ratings on ``--scale``, said in
  a note; without ``--scale`` the file is refused with the scale to give (a 0/1 complaint flag
  is no rating), and of several such columns, naming them.
- Records the reader could not split into the header's columns are counted as left out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advocacy.errors import InputError, UsageError
from advocacy.ingest.label_columns import (
    LABEL_SHARE,
    LISTED,
    NOT_A_LABEL,
    PREDICTED_NAME,
    SHOWN,
    TRUE_NAME,
    find_label_column,
    label_share,
    sentiment_label,
    values_by_count,
)
from advocacy.ingest.title_columns import TITLE_FIELD, titled_text
from advocacy.text.sentiment import SENTIMENTS

if TYPE_CHECKING:
    from advocacy.ingest.raw import Adapted

__all__ = [
    "LEFT_OUT_REASONS",
    "FileLabels",
    "file_labels",
    "parse_scale",
]

#: Why a row of the file is not scored (before it is read), in the order they are shown.
UNREADABLE = "unreadable record"
NO_LABEL = "no label"
UNKNOWN_LABEL = "unknown label"
OFF_SCALE = "rating off the scale"
NO_TEXT = "no text"
LEFT_OUT_REASONS = (UNREADABLE, NO_LABEL, UNKNOWN_LABEL, OFF_SCALE, NO_TEXT)
#: The kinds a file may be read as, and the field that holds their text.
TEXT_FIELDS = {"mentions": "text", "responses": "comment", "notes": "text"}
#: A column named as an NPS (read on 0-10 whatever its values).
NPS_NAME = re.compile(r"(?<![a-z])nps(?![a-z])", re.IGNORECASE)
#: Below this share of the ratings, values above a smaller scale's top do not set the scale.
FEW_ABOVE = 0.05


@dataclass(frozen=True)
class FileLabels:
    """The labelled rows of a file: texts, labels, and where the labels came from.

    Attributes
    ----------
    texts, labels
        One per row that has both, in file order (labels: negative, neutral or positive).
    source
        Where the labels came from, for people ("column 'gold'", "column 'Rating' as ratings
        1-5 (1-2 negative, 3 neutral, 4-5 positive)").
    rows
        The records of the file (unreadable ones included).
    left_out
        Records without a usable label or text, by reason (:data:`LEFT_OUT_REASONS`).
    distribution
        The labels the file gave, per sentiment (every row with a label, text or not).
    notes
        What was decided on the way: the column taken and those left aside, the scale guessed,
        the values that are not labels, the records that could not be read.
    """

    texts: list[str]
    labels: list[str]
    source: str
    rows: int
    left_out: dict[str, int] = field(default_factory=dict)
    distribution: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def parse_scale(scale: str | None) -> tuple[float, float] | None:
    """``"1-5"`` as ``(1.0, 5.0)``; None stays None.

    Raises
    ------
    UsageError
        For anything but two numbers, the lower first.
    """
    if scale is None:
        return None
    matched = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*", scale[:40])
    if matched is None or not float(matched[1]) < float(matched[2]):
        raise UsageError(
            f"cannot read the scale {scale[:40]!r}",
            value=scale[:40],
            parameter="scale",
            fix="give the lowest and highest rating as LOW-HIGH, as 1-5, 0-10 or 0-2",
        )
    return float(matched[1]), float(matched[2])


def file_labels(
    file: Path,
    *,
    kind: str = "mentions",
    labels: str | None = None,
    text: str | None = None,
    scale: str | None = None,
) -> FileLabels:
    """The labelled texts of a file, read as ``advocacy import --kind KIND`` reads it.

    Parameters
    ----------
    file
        A CSV/TSV, XLSX, JSON, JSONL or Parquet file.
    kind
        The kind it would be imported as: ``mentions`` (reviews, posts; a ``rating`` column
        gives labels), ``responses`` (survey answers; an ``nps`` column does) or ``notes``.
    labels
        The column holding the labels (negative/neutral/positive, or ratings); None: the
        column of sentiment labels (see the module), else the kind's rating or NPS.
    text
        The column holding the text; None: the one import detects.
    scale
        The ratings' scale as ``LOW-HIGH``; None: 0-10 for an NPS, else the one their range
        implies.

    Returns
    -------
    FileLabels
        The rows with both a text and a label, and how many were left out and why.

    Raises
    ------
    InputError
        For a missing or empty file, an unknown column, a file with no labels or no text
        column, several label columns none of which is clearly the truth, or ratings whose
        scale is unclear.
    UsageError
        For an unknown ``kind`` or an unreadable ``scale``.
    """
    from advocacy.importer import read_as
    from advocacy.ingest.label_columns import row_numbers

    if kind not in TEXT_FIELDS:
        raise UsageError(
            f"cannot evaluate on {kind!r} texts",
            value=kind,
            parameter="kind",
            fix="use one of: " + ", ".join(TEXT_FIELDS),
        )
    given_scale = parse_scale(scale)
    if not file.is_file():
        raise InputError(f"no file {str(file)!r}", file=str(file), fix="check the path")
    raw, adapted = read_as(file, kind)
    names = [str(name) for name in adapted.rows.column_names]
    shown = ", ".join(repr(name) for name in names[:12])
    for given, option in ((text, "--text"), (labels, "--labels")):
        if given is not None and given not in names:
            raise InputError(
                f"no column {given!r} in the file; its columns are {shown}",
                file=str(file),
                column=given,
                fix=f"name one of the file's columns with {option}",
            )
    if text is not None and text == labels:
        raise InputError(
            f"--text and --labels both name column {text!r}",
            file=str(file),
            column=text,
            fix="name the column of texts with --text and the column of labels with --labels",
        )
    count = adapted.rows.num_rows
    if not count:
        broken = _broken_lines(raw.broken)
        raise InputError(
            f"the file has no rows under its header{broken}",
            file=str(file),
            fix="give a file with a row per labelled text",
        )
    text_column = text if text is not None else adapted.fields.get(TEXT_FIELDS[kind])
    if text is not None and label_share(adapted.rows.column(text).to_pylist()) >= 0.5:
        raise InputError(
            f"column {text!r}, named with --text, holds sentiment labels, not texts; the "
            f"file's columns are {shown}",
            file=str(file),
            column=text,
            fix="name the column of texts with --text (or leave --text out: import finds it) "
            "and the labels with --labels",
        )
    if text_column is None:
        raise InputError(
            f"no column of the file holds the {kind}' text; its columns are {shown}",
            file=str(file),
            fix="name the text column with --text",
        )
    rows = list(row_numbers(adapted.first_data_row, count, raw.skipped_rows))
    notes: list[str] = []
    column = labels
    if column is None:
        found_column = find_label_column(adapted, file=str(file), text_column=text_column)
        column = found_column.column if found_column else None
        if found_column and found_column.note:
            notes.append(f"{found_column.note} (name another with --labels)")
    if column is not None and column == text_column:
        raise InputError(
            f"column {column!r} is the column of texts (import finds the texts there)",
            file=str(file),
            column=column,
            fix="name the label column with --labels, or the text column with --text",
        )
    if column is not None and label_share(adapted.rows.column(column).to_pylist()) >= 0.5:
        values = adapted.rows.column(column).to_pylist()
        found = [sentiment_label(value) for value in values]
        why = [None if label else (NO_LABEL if _blank(value) else UNKNOWN_LABEL)
               for label, value in zip(found, values, strict=True)]  # fmt: skip
        source = f"column {column!r}"
        unknown = NOT_A_LABEL
    else:
        column = column or _rating_column(adapted, kind)
        if column is None:
            # A column named like true labels that holds numbers (TweetEval's ``label`` of
            # class ids 0/1/2): read as ratings on the --scale given, never on a guessed one
            # (a 0/1 complaint flag is no rating), else refused with the scale to give.
            column = _numbered_label_column(adapted, text_column, file=str(file))
            if column is not None and given_scale is None:
                raise _scale_needed(adapted, column, file=str(file))
            if column is not None:
                notes.append(
                    f"column {column!r} is taken as the labels: it holds numbers, and no column "
                    "holds sentiment labels or a rating import maps (name another with --labels)"
                )
        if column is None:
            raise InputError(
                "no column holds sentiment labels (negative, neutral, positive) or ratings; "
                f"the file's columns are {shown}",
                file=str(file),
                fix="add a column of negative/neutral/positive labels, or name the label or "
                "rating column with --labels",
            )
        values = adapted.rows.column(column).to_pylist()
        nps = column == adapted.fields.get("nps") or bool(NPS_NAME.search(column))
        found, why, source, scale_note = _ratings(
            values, column, rows, nps=nps, scale=given_scale, file=str(file)
        )
        if scale_note:
            notes.append(scale_note)
        unknown = "not a rating"
    odd = _odd_values(values, why, rows)
    if odd:
        notes.append(f"left out as {unknown}: {odd}")
    off = why.count(OFF_SCALE)
    if off:
        notes.append(f"left out as off the scale: {off:,} rating(s)")
    if raw.broken:
        notes.append(
            f"{len(raw.broken):,} record(s) could not be split into the header's columns and "
            f"are left out{_broken_lines(raw.broken)}"
        )
    texts = adapted.rows.column(text_column).to_pylist()
    title_column = adapted.fields.get(TITLE_FIELD) if text is None else None
    if title_column is not None:
        # Read as the workspace reads an imported review: its title, then its text.
        titles = adapted.rows.column(title_column).to_pylist()
        texts = [titled_text(value, title) for value, title in zip(texts, titles, strict=True)]
    kept_texts, kept_labels = [], []
    left_out: Counter[str] = Counter({UNREADABLE: len(raw.broken)})
    for value, label, reason in zip(texts, found, why, strict=True):
        if label is None:
            left_out[reason or NO_LABEL] += 1
        elif _blank(value):
            left_out[NO_TEXT] += 1
        else:
            kept_texts.append(str(value))
            kept_labels.append(label)
    held = Counter(label for label in found if label is not None)
    return FileLabels(
        kept_texts,
        kept_labels,
        source,
        count + len(raw.broken),
        {reason: left_out[reason] for reason in LEFT_OUT_REASONS if left_out[reason]},
        {name: held[name] for name in SENTIMENTS},
        tuple(notes),
    )


def _blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def _rating_column(adapted: Adapted, kind: str) -> str | None:
    """The column import maps to the kind's rating: a mention's ``rating``, a response's
    ``nps``."""
    return adapted.fields.get({"mentions": "rating", "responses": "nps"}.get(kind, ""))


def _numbered_label_column(adapted: Adapted, text_column: str, *, file: str) -> str | None:
    """The column named like true labels (:data:`~advocacy.ingest.label_columns.TRUE_NAME`,
    not like a tool's prediction) most of whose values are numbers, if one; None if none.

    Raises
    ------
    InputError
        When several are: which is the truth is the user's call.
    """
    found = []
    for name in adapted.rows.column_names:
        name = str(name)
        if name == text_column or not TRUE_NAME.search(name) or PREDICTED_NAME.search(name):
            continue
        values = [value for value in adapted.rows.column(name).to_pylist() if not _blank(value)]
        numbers = sum(_number(value) is not None for value in values)
        if values and numbers >= LABEL_SHARE * len(values):
            found.append(name)
    if len(found) > 1:
        raise InputError(
            "no column holds sentiment labels (negative, neutral, positive), and several named "
            "like labels hold numbers: " + ", ".join(repr(name) for name in found[:LISTED]),
            file=file,
            fix="name the label column with --labels (and its scale with --scale LOW-HIGH)",
        )
    return found[0] if found else None


def _scale_needed(adapted: Adapted, column: str, *, file: str) -> InputError:
    """The error for a label-named column of numbers given without ``--scale``."""
    numbers = sorted(
        {n for n in map(_number, adapted.rows.column(column).to_pylist()) if n is not None}
    )
    values = ", ".join(f"{n:g}" for n in numbers[:LISTED])
    values += ", ..." if len(numbers) > LISTED else ""
    low, high = (f"{numbers[0]:g}", f"{numbers[-1]:g}") if numbers else ("LOW", "HIGH")
    fix = f"say their scale: --scale {low}-{high} reads them as ratings on it"
    if [f"{n:g}" for n in numbers] in (["0", "1", "2"], ["1", "2", "3"]):
        first, middle, last = (f"{n:g}" for n in numbers)
        fix = (
            f"if they are class ids, --scale {first}-{last} reads {first} negative, {middle} "
            f"neutral, {last} positive; if ratings, say their scale with --scale LOW-HIGH"
        )
    return InputError(
        "no column holds sentiment labels (negative, neutral, positive) or the rating import "
        f"maps, and column {column!r}, named like labels, holds numbers ({values}): class ids, "
        "flags or ratings, which cannot be told apart without their scale",
        file=file,
        column=column,
        fix=fix + "; or name the label column with --labels",
    )


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).strip()[:40].replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _ratings(
    values: Sequence[Any],
    column: str,
    rows: Sequence[int],
    *,
    nps: bool,
    scale: tuple[float, float] | None,
    file: str,
) -> tuple[list[str | None], list[str | None], str, str | None]:
    """Labels from a column of ratings, each row's reason when it has none, where the labels
    came from, and a note on a guessed scale."""
    from advocacy.text.scale_sentiment import scale_label

    numbers = [None if _blank(value) else _number(value) for value in values]
    given = [number for number in numbers if number is not None]
    filled = sum(not _blank(value) for value in values)
    if not given or len(given) < filled / 2:
        at = next(i for i, value in enumerate(values) if not _blank(value) and numbers[i] is None)
        raise InputError(
            f"column {column!r} holds neither sentiment labels (negative, neutral, positive) "
            f"nor ratings: of its {filled:,} values, {len(given):,} are numbers and "
            f"{sum(sentiment_label(value) is not None for value in values):,} labels",
            file=file,
            row=rows[at],
            column=column,
            value=str(values[at])[:SHOWN],
            fix="name the label or rating column with --labels",
        )
    note = None
    if scale is not None:
        low, high = scale
    elif nps:
        low, high = 0.0, 10.0
    else:
        low, high = _guessed_scale(given, numbers, column, rows, file)
        note = (
            f"the scale {low:g}-{high:g} is guessed from the ratings, which run "
            f"{min(given):g}-{max(given):g}; if they are on another scale, say it with --scale "
            "LOW-HIGH"
        )
    labels = [None if number is None else scale_label(number, low, high) for number in numbers]
    why = [
        None
        if label is not None
        else NO_LABEL
        if _blank(value)
        else UNKNOWN_LABEL
        if number is None
        else OFF_SCALE
        for label, number, value in zip(labels, numbers, values, strict=True)
    ]
    bands = {
        label: [v for v in range(int(low), int(high) + 1) if scale_label(v, low, high) == label]
        for label in SENTIMENTS
    }
    if high - low <= 10:
        rule = ", ".join(f"{_span(bands[label])} {label}" for label in SENTIMENTS if bands[label])
    else:
        rule = "from 90% of the scale positive, from 70% neutral, below negative"
    what = "NPS" if nps and scale is None else "ratings"
    return labels, why, f"column {column!r} as {what} {low:g}-{high:g} ({rule})", note


def _guessed_scale(
    given: list[float], numbers: list[float | None], column: str, rows: Sequence[int], file: str
) -> tuple[float, float]:
    """The scale imported reviews' ratings would be read on, refused where it misleads."""
    import ibis
    import pandas as pd

    from advocacy.text.mention_scales import MENTION_SCALE_TOPS, mention_scales
    from advocacy.text.scale_sentiment import scale_label

    scales = mention_scales(ibis.memtable(pd.DataFrame({"source": "file", "rating": given})))
    if "file" not in scales:
        raise InputError(
            f"the ratings of column {column!r} run from {min(given):g} to {max(given):g}, on "
            "no scale a rating is read on (0 or 1 up to 5, 7, 10 or 100)",
            file=file,
            column=column,
            fix="say the scale with --scale LOW-HIGH (ratings off it are left out), or give a "
            "column of negative/neutral/positive labels",
        )
    low, high = scales["file"]
    distinct = sorted(set(given))
    if distinct in ([0, 1, 2], [1, 2, 3]) and high - low > 2:
        first, middle, last = (f"{value:g}" for value in distinct)
        raise InputError(
            f"column {column!r} holds only the values {first}, {middle} and {last}: class ids "
            f"(as TweetEval's 0 negative, 1 neutral, 2 positive) rather than ratings on "
            f"{low:g}-{high:g}?",
            file=file,
            column=column,
            fix=f"--scale {first}-{last} reads {first} negative, {middle} neutral, {last} "
            f"positive; --scale {low:g}-{high:g} reads them as ratings on that scale",
        )
    smaller = [top for top in MENTION_SCALE_TOPS if top < high]
    if smaller:
        above = [value for value in given if value > smaller[-1]]
        if len(above) < FEW_ABOVE * len(given):
            rest = max(value for value in given if value <= smaller[-1])
            at = next(i for i, number in enumerate(numbers) if number == max(given))
            negative = sum(scale_label(value, low, high) == "negative" for value in given)
            raise InputError(
                f"{len(above):,} of the {len(given):,} ratings of column {column!r} lie above "
                f"{smaller[-1]:g} while the others run {min(given):g}-{rest:g}: on the scale "
                f"the largest implies, {low:g}-{high:g}, {negative:,} of the {len(given):,} "
                "would read negative",
                file=file,
                row=rows[at],
                column=column,
                value=f"{max(given):g}",
                fix="say the scale: "
                + _scales_offered(low, high, rest, len(above))
                + "; or correct the rating",
            )
    return low, high


def _scales_offered(low: float, high: float, rest: float, above: int) -> str:
    """The scales a file refused for filling its guessed scale poorly may be on: the smallest
    holding all but the few largest ratings (which it leaves out), and the one holding all."""
    from advocacy.text.mention_scales import MENTION_SCALE_TOPS

    fits = next(top for top in MENTION_SCALE_TOPS if rest <= top)
    return (
        f"--scale {low:g}-{fits:g} (the {above:,} rating(s) above {fits:g} left out and "
        f"counted) or --scale {low:g}-{high:g} (every rating read on it)"
    )


def _span(values: list[int]) -> str:
    return str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}"


def _odd_values(values: Sequence[Any], why: Sequence[str | None], rows: Sequence[int]) -> str:
    """The values left out as not labels, by count, each with the first row holding it."""
    odd = [(value, row) for value, reason, row in zip(values, why, rows, strict=True)
           if reason == UNKNOWN_LABEL]  # fmt: skip
    return values_by_count([value for value, _ in odd], [row for _, row in odd])


def _broken_lines(broken: Sequence[Any]) -> str:
    if not broken:
        return ""
    lines = ", ".join(str(record.line) for record in broken[:LISTED])
    more = len(broken) - LISTED
    return f" (line {lines}{f' and {more:,} more' if more > 0 else ''})"
