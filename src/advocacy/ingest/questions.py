"""Recognise NPS, CSAT, CES, item ratings and free-text questions from wording and values.

Wording alone is not enough ("Would you recommend us?" may be yes/no) and values alone are
dangerous: a 0-10 column that does not ask about recommending is never NPS, because treating a
"rate our prices 0-10" item as NPS would publish a wrong headline number. Such columns become item
ratings and a note tells the user how to map them if they really are NPS.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.raw import Detection, ItemColumn

RECOMMEND = re.compile(
    r"recommend|empfehl|recommander|recommanderiez|recomendar|recomendar[ií]a|aanbevelen|"
    r"aanraden|raccomand|consiglier",
    re.IGNORECASE,
)
SATISFACTION = re.compile(r"satisf|zufrieden|tevreden|soddisf", re.IGNORECASE)
EFFORT = re.compile(
    r"\beas[ey]|easy|effort|difficult|einfach|aufwand|schwierig|facile|f[aá]cil|esfuerzo|"
    r"makkelijk|gemakkelijk|moeite|moeilijk",
    re.IGNORECASE,
)
EASE = re.compile(r"\beas[ey]|easy|einfach|facile|f[aá]cil|makkelijk|gemakkelijk", re.IGNORECASE)
RATING = re.compile(
    r"\brat(e|ing)\b|\bscore\b|agree|scale|how (good|well)|bewert|[ée]valu|valor|beoordeel|"
    r"\d+\s*(-|–|to|bis|à|a|tot)\s*\d+",
    re.IGNORECASE,
)
EXPLICIT_SCALE = re.compile(r"\b(0|1)\s*(?:-|–|to|bis|à|a|tot)\s*(5|7|10)\b")
COMMENT = re.compile(
    r"comment|why|reason|tell us|feedback|anything else|suggest|improve|warum|pourquoi|"
    r"por qu[eé]|waarom|text",
    re.IGNORECASE,
)
LEADING_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:[-–—:=.)]\s*\S.*)?$")
NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")
#: Verbal 5-point labels, lower case, mapped to 1-5 (high = satisfied / easy).
LABELS = {
    "very dissatisfied": 1,
    "dissatisfied": 2,
    "somewhat dissatisfied": 2,
    "neither satisfied nor dissatisfied": 3,
    "neutral": 3,
    "somewhat satisfied": 4,
    "satisfied": 4,
    "very satisfied": 5,
    "very difficult": 1,
    "difficult": 2,
    "neither easy nor difficult": 3,
    "easy": 4,
    "very easy": 5,
}


#: Distinct values profiled per column; free text beyond this is judged on a sample.
MAX_DISTINCT = 5000


@dataclass(frozen=True)
class Profile:
    """What a column's values look like, computed over its distinct values."""

    count: int  # non-empty values
    numeric_count: int  # values read as numbers (labels included)
    numbers: list[float]  # the distinct numbers seen
    distinct: int
    mean_length: float
    mean_words: float
    labelled: bool  # values carried labels ("10 - Extremely likely", "Very satisfied")
    conversions: dict[str, str]  # label -> number, for the labelled values

    @property
    def numeric(self) -> bool:
        return self.count > 0 and self.numeric_count == self.count

    @property
    def whole(self) -> bool:
        return self.numeric and all(value.is_integer() for value in self.numbers)

    def converted(self, column: pa.ChunkedArray) -> pa.ChunkedArray:
        """``column`` with labels replaced by their numbers, computed in Arrow."""
        labels = pa.array(list(self.conversions), pa.string())
        numbers = pa.array(list(self.conversions.values()), pa.string())
        index = pc.index_in(column, value_set=labels)
        return pc.coalesce(pc.take(numbers, index), column)


def _number(value: str) -> tuple[float | None, bool]:
    """The number a cell holds (reading labels), and whether it was a label."""
    match = LEADING_NUMBER.match(value)
    if match:
        return float(match.group(1).replace(",", ".")), not NUMBER.match(value)
    label = LABELS.get(value.strip().lower())
    return (None, False) if label is None else (float(label), True)


def profile(values: pa.ChunkedArray | pa.Array | Sequence[str | None]) -> Profile:
    """Profile a column's values: how many are numbers (after reading labels), how varied.

    Parameters
    ----------
    values
        The column's cells; a million rows profile quickly since only distinct values are read.

    Returns
    -------
    Profile
        Counts, the distinct numbers, and label conversions.
    """
    array = (
        values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, pa.string())
    )
    counted = pc.value_counts(pc.drop_null(array)).to_pylist()
    counted = [entry for entry in counted if entry["values"].strip()]
    count = sum(int(entry["counts"]) for entry in counted)
    sample = counted[:MAX_DISTINCT]
    weight = sum(int(entry["counts"]) for entry in sample) or 1
    numeric_count, numbers, labelled, conversions = 0, set(), False, {}
    length = words = 0.0
    for entry in sample:
        value, times = str(entry["values"]), int(entry["counts"])
        length += len(value) * times
        words += len(value.split()) * times
        number, is_label = _number(value)
        if number is None:
            continue
        numeric_count += times
        numbers.add(number)
        if is_label:
            labelled = True
            conversions[value] = f"{number:g}"
    if len(counted) > len(sample):
        # Scale the sample's count of numbers up to the whole column.
        numeric_count = round(numeric_count * count / weight)
    return Profile(
        count=count,
        numeric_count=numeric_count,
        numbers=sorted(numbers),
        distinct=len(counted),
        mean_length=length / weight,
        mean_words=words / weight,
        labelled=labelled,
        conversions=conversions,
    )


def scale_of(numbers: Sequence[float], wording: str) -> tuple[int, int] | None:
    """The rating scale the values come from (1-5, 1-7, 1-10 or 0-10), or None."""
    if not numbers or min(numbers) < 0 or max(numbers) > 10:
        return None
    explicit = EXPLICIT_SCALE.search(wording)
    if explicit:
        return int(explicit.group(1)), int(explicit.group(2))
    low, high = min(numbers), max(numbers)
    if low == 0:
        return 0, 10
    if high <= 5:
        return 1, 5
    return (1, 7) if high <= 7 else (1, 10)


@dataclass
class QuestionScan:
    """Canonical fields, items, detections and notes found among question columns."""

    fields: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    items: list[ItemColumn] = field(default_factory=list)
    detections: list[Detection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaced: dict[str, pa.ChunkedArray] = field(default_factory=dict)  # labels read as numbers


def _is_free_text(found: Profile, wording: str) -> bool:
    """Varied, non-numeric values that read like sentences (or answer a comment-like question).

    Short labels such as branch names are varied too, so they need more words to count as text.
    """
    if found.count == 0 or found.numeric_count > 0.2 * found.count:
        return False
    if found.distinct < 0.5 * found.count:
        return False
    return found.mean_words >= 3 or (bool(COMMENT.search(wording)) and found.mean_length >= 5)


def scan_questions(
    rows: pa.Table,
    columns: Sequence[str],
    *,
    wordings: Mapping[str, str] | None = None,
    available: Sequence[str] = ("nps", "csat", "ces", "comment"),
    recommend_field: str = "nps",
    items: bool = True,
    need_rating_wording: bool = True,
) -> QuestionScan:
    """Recognise NPS, CSAT, CES, item ratings and free text among ``columns`` of ``rows``.

    Parameters
    ----------
    rows
        The data rows (string columns).
    columns
        The question columns to look at.
    wordings
        Question text per column; the column name is used where missing.
    available
        Canonical fields that may still be filled (fields already mapped are left out).
    recommend_field
        ``"nps"`` for customers, ``"enps"`` for employee surveys.
    items
        Whether numeric rating questions may become :class:`ItemColumn` s.
    need_rating_wording
        Whether an item other than a 0-10 rating needs rating-like wording ("rate", "agree").

    Returns
    -------
    QuestionScan
        What was recognised, with a :class:`Detection` and reason for every decision.
    """
    scan = QuestionScan()
    wordings = wordings or {}
    free_text: list[str] = []
    for column in columns:
        wording = wordings.get(column) or column
        found = profile(rows.column(column))
        scale = scale_of(found.numbers, wording) if found.whole else None
        labels = " (values read from labels)" if found.labelled else ""
        quoted = f"{wording!r}" if wording == column else f"{column!r} ({wording!r})"

        def take(name: str, reason: str, *, column: str = column, found: Profile = found) -> None:
            scan.fields[name] = column
            scan.detections.append(Detection(column, name, reason))
            if found.labelled:
                scan.replaced[column] = found.converted(rows.column(column))

        if found.whole and scale is not None and RECOMMEND.search(wording):
            if max(found.numbers) <= 1:
                scan.detections.append(
                    Detection(
                        column,
                        "attrs",
                        f"{quoted} asks about recommending but holds yes/no "
                        "(0/1) answers, not a 0-10 rating",
                    )
                )
            elif recommend_field in available and recommend_field not in scan.fields:
                take(
                    recommend_field,
                    f"{quoted} asks how likely people are to recommend and holds "
                    f"0-10 values{labels}",
                )
            else:
                scan.notes.append(
                    f"column {column!r} is a second recommend question; kept as an item"
                )
                _item(scan, rows, column, wording, (0, 10), found, items)
        elif (
            found.whole
            and scale is not None
            and SATISFACTION.search(wording)
            and ("csat" in available and "csat" not in scan.fields)
        ):
            take(
                "csat", f"{quoted} asks about satisfaction on a {scale[0]}-{scale[1]} scale{labels}"
            )
            scan.constants.update(csat_scale_min=str(scale[0]), csat_scale_max=str(scale[1]))
        elif (
            found.whole
            and scale is not None
            and EFFORT.search(wording)
            and ("ces" in available and "ces" not in scan.fields)
        ):
            take(
                "ces",
                f"{quoted} asks about ease or effort on a {scale[0]}-{scale[1]} scale{labels}",
            )
            scan.constants.update(ces_scale_min=str(scale[0]), ces_scale_max=str(scale[1]))
            if not EASE.search(wording):
                scan.notes.append(
                    f"column {column!r} asks about effort or difficulty; advocacy stores CES with "
                    "high = easy, so check the direction of its scale"
                )
        elif found.whole and scale is not None and scale[1] == 10 and scale[0] == 0:
            scan.notes.append(
                f"column {column!r} holds 0-10 ratings but does not ask about recommending; not "
                "used as NPS; map it with --map if it is NPS"
            )
            _item(scan, rows, column, wording, scale, found, items)
        elif (
            found.whole
            and scale is not None
            and (not need_rating_wording or RATING.search(wording) or SATISFACTION.search(wording))
        ):
            _item(scan, rows, column, wording, scale, found, items)
        elif _is_free_text(found, wording):
            free_text.append(column)
        else:
            scan.detections.append(
                Detection(
                    column, "attrs", f"{quoted} is neither a rating nor free text; kept in attrs"
                )
            )
    _pick_comment(scan, free_text, wordings, available)
    return scan


def _item(
    scan: QuestionScan,
    rows: pa.Table,
    column: str,
    wording: str,
    scale: tuple[int, int],
    found: Profile,
    items: bool,
) -> None:
    if not items:
        scan.detections.append(
            Detection(
                column,
                "attrs",
                f"{wording!r} is a rating this kind has no items for; "
                "kept in attrs (map it with --map)",
            )
        )
        return
    name = wording if len(wording) <= 80 else column
    scan.items.append(ItemColumn(column, name, "rating", None, scale[0], scale[1]))
    scan.detections.append(
        Detection(column, f"item:{name}", f"{wording!r} holds {scale[0]}-{scale[1]} ratings")
    )
    if found.labelled:
        scan.replaced[column] = found.converted(rows.column(column))


def _pick_comment(
    scan: QuestionScan,
    free_text: list[str],
    wordings: Mapping[str, str],
    available: Sequence[str],
) -> None:
    """The first free-text question is the comment; the rest stay in attrs, with a note."""
    for index, column in enumerate(free_text):
        wording = wordings.get(column) or column
        hint = " and its wording asks for comments" if COMMENT.search(wording) else ""
        if index == 0 and "comment" in available and "comment" not in scan.fields:
            scan.fields["comment"] = column
            scan.detections.append(
                Detection(column, "comment", f"{wording!r} holds varied free text{hint}")
            )
        else:
            scan.detections.append(
                Detection(column, "attrs", f"{wording!r} holds free text; kept in attrs")
            )
    if len(free_text) > 1 and "comment" in scan.fields:
        others = ", ".join(repr(column) for column in free_text[1:])
        scan.notes.append(
            f"several free-text questions: {scan.fields['comment']!r} is the comment, "
            f"{others} kept in attrs"
        )
