"""What a column's values look like: numbers or labels, how varied, how long, code-like or prose.

Recognising questions (:mod:`advocacy.ingest.questions`) decides from this profile, together
with the wording, what a column holds. Only distinct values are read (up to
:data:`MAX_DISTINCT` of them, weighted by how often each occurs), so a million-row column
profiles in the time Arrow takes to count its values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.word_count import word_count

LEADING_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:[-–—:=.)]\s*\S.*)?$")
NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")
#: A code: letters, digits and joiners, no spaces, at least one digit ("C-000123", "R_2YPO8").
CODE = re.compile(r"^(?=[^\d]{0,40}\d)[\w\-.:/#]{1,64}$")
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
    # The likelihood to recommend of the NHS Friends and Family Test (before 2020).
    "extremely unlikely": 1,
    "very unlikely": 1,
    "unlikely": 2,
    "neither likely nor unlikely": 3,
    "likely": 4,
    "very likely": 5,
    "extremely likely": 5,
    # The NHS Friends and Family Test since 2020: "Overall, how was your experience?"
    "very poor": 1,
    "poor": 2,
    "neither good nor poor": 3,
    "good": 4,
    "very good": 5,
}
#: The labels of a 5-point verbal scale of quality; answers all from it make a column a rating
#: whatever its wording says.
QUALITY_LABELS = frozenset({"very poor", "poor", "neither good nor poor", "good", "very good"})
#: Answers beside a scale that say the respondent gave none ("Don't know", "N/A", "Not sure",
#: "Prefer not to say"), as survey tools write them in en de fr es pt it nl: no value. Written
#: by hand (no maintained library lists them); matched whole, after :func:`no_answer_key`.
#: "#N/A" is Excel's missing value and "NaN" what pandas and R write for an empty cell.
#: Words that answer the question ("No", "None", "Nothing") are not here: beside a 0-10 scale
#: they are a stray word, not a skipped question.
_NO_ANSWER_PHRASES = """
n/a | #n/a | na | #na | n.a. | n a | nan | not applicable | does not apply | doesn't apply |
don't know | dont know |
do not know | i don't know | i do not know | not sure | unsure | no answer | no response |
not answered | no opinion | can't say | cannot say | can't tell | prefer not to say |
prefer not to answer | rather not say | decline to answer | declined | refused | skip | skipped |
unknown | dk | idk |
weiß nicht | weiss nicht | keine angabe | keine angaben | k.a. | k. a. | trifft nicht zu |
nicht zutreffend | entfällt | keine meinung | kann ich nicht beurteilen | weiß ich nicht |
ne sait pas | je ne sais pas | ne sais pas | nsp | sans objet | non applicable | sans avis |
pas d'avis | ne se prononce pas | nspp | non concerné | non concernée |
no sé | no se | no sabe | ns/nc | ns | nc | no aplica | no procede | sin opinión |
prefiero no decirlo | prefiero no contestar | no contesta |
não sei | nao sei | não se aplica | nao se aplica | n/d | sem opinião | prefiro não dizer |
prefiro não responder | não sabe |
non so | non saprei | non applicabile | nessuna opinione | preferisco non rispondere |
weet niet | weet ik niet | n.v.t. | nvt | niet van toepassing | geen mening |
zeg ik liever niet | geen antwoord
"""
#: Cells longer than this are answers, never a no-answer (the longest phrase is 30 characters).
LONGEST_NO_ANSWER = 60


#: What :func:`no_answer_key` strips from both ends of a cell.
_AROUND = " .!?:;,"


def no_answer_key(value: str) -> str:
    """``value`` as :data:`NO_ANSWERS` holds it: lower case, one space between words, the
    typographic apostrophe as ``'`` and without dots, marks or spaces around it ("N/A." is
    "n/a")."""
    lowered = value.lower().replace("\u2019", "'")
    return " ".join(lowered.split()).strip(_AROUND)


#: The non-answers beside a scale that the version before 2026-12-07 read (trimmed, lower case).
KNOWN_BEFORE = frozenset({"don't know", "don\u2019t know", "dont know", "do not know"})
#: The non-answers beside a scale, as :func:`no_answer_key` writes them.
NO_ANSWERS = frozenset(
    no_answer_key(phrase) for phrase in _NO_ANSWER_PHRASES.split("|") if no_answer_key(phrase)
)
_NO_ANSWER_SET = pa.array(sorted(NO_ANSWERS), pa.string())


def no_answer_mask(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Per cell, whether it says the respondent gave no answer: one of :data:`NO_ANSWERS` (as
    :func:`no_answer_key` reads it), or punctuation alone ("-", "?", "..."), which a survey
    tool or a spreadsheet writes for a question skipped. Computed in Arrow, so the distinct
    values of a column of texts are judged without becoming Python strings; empty and null
    cells are False.
    """
    text = values.cast(pa.string())
    key = pc.utf8_lower(pc.replace_substring(text, "\u2019", "'"))
    key = pc.utf8_trim(pc.replace_substring_regex(key, r"[\s\p{Z}]+", " "), characters=_AROUND)
    known = pc.is_in(key, value_set=_NO_ANSWER_SET)
    marks = pc.match_substring_regex(text, r"^[\s\p{Z}\p{P}]*\p{P}[\s\p{Z}\p{P}]*$")
    short = pc.less_equal(pc.utf8_length(text), LONGEST_NO_ANSWER)
    return pc.fill_null(pc.and_(short, pc.or_(known, marks)), False)


def is_no_answer(value: str) -> bool:
    """Whether a cell says the respondent gave no answer (:func:`no_answer_mask`).

    >>> [is_no_answer(cell) for cell in ("N/A.", "Not sure", "-", "7", "No", "")]
    [True, True, True, False, False, False]
    """
    return bool(no_answer_mask(pa.array([value], pa.string()))[0].as_py())


#: Distinct values profiled per column; free text beyond this is judged on a sample.
MAX_DISTINCT = 5000
#: Values longer than this are not codes; only the first characters are matched.
LONGEST_CODE = 64
#: Answers a rating needs before two distinct values mean a two-way choice, not a scale.
TWO_VALUES_AFTER = 20
#: A column of numbers may hold a few cells that are not (a typo, a stray word: "great" under
#: a 0-10 question): it stays a column of numbers when at least this share of its answers, of
#: at least :data:`MOSTLY_AFTER`, are numbers (no-answers such as "N/A" aside). Its other
#: cells go to quarantine by row, column and value rather than the whole column to attrs.
MOSTLY = 0.9
MOSTLY_AFTER = 10
#: Cells that are not numbers quoted in a note.
QUOTED = 3


@dataclass(frozen=True)
class Profile:
    """What a column's values look like, computed over its distinct values.

    Shares (``spaced``, ``codes``) are of the non-empty cells, weighted by how often each
    distinct value occurs.
    """

    count: int  # non-empty values
    numeric_count: int  # values read as numbers (labels included)
    numbers: list[float]  # the distinct numbers seen
    distinct: int
    mean_length: float
    mean_words: float
    labeled: bool  # values carried labels ("10 - Extremely likely", "Very satisfied")
    conversions: dict[str, str]  # label -> number, for the labelled values
    longest: int = 0  # length of the longest value
    spaced: float = 0.0  # share of values with a space inside
    codes: float = 0.0  # share of values that look like codes (see CODE)
    unanswered: int = 0  # cells that say no answer was given (see is_no_answer), not counted
    non_numbers: tuple[str, ...] = ()  # the commonest values that are not numbers

    @property
    def numeric(self) -> bool:
        """Every answer is a number (labels read)."""
        return self.count > 0 and self.numeric_count == self.count

    @property
    def mostly_numeric(self) -> bool:
        """Every answer is a number, or at least :data:`MOSTLY` of :data:`MOSTLY_AFTER` or more
        answers: a few stray cells do not make a rating something else."""
        if self.numeric:
            return True
        return self.count >= MOSTLY_AFTER and self.numeric_count >= MOSTLY * self.count

    @property
    def read_as_before(self) -> bool:
        """Whether the version before 2026-12-07 read this column's values as these numbers too:
        every answer a number or a label, and no non-answer but the "don't know" it knew
        (:data:`KNOWN_BEFORE`). It put any other column in ``attrs``, keying its rows by the
        cells as written; a re-import must key them as it did (see
        :attr:`advocacy.ingest.raw.Adapted.keyed_as`)."""
        return self.numeric and all(
            value.strip().lower() in KNOWN_BEFORE
            for value, number in self.conversions.items()
            if number == ""
        )

    @property
    def whole(self) -> bool:
        """Mostly numeric (:attr:`mostly_numeric`) and every number whole."""
        return self.mostly_numeric and all(value.is_integer() for value in self.numbers)

    def stray_note(self, column: str, what: str = "column") -> list[str]:
        """The note for a column read as numbers although some of its cells are not, naming
        them; none when every answer is a number."""
        strays = self.count - self.numeric_count
        if self.numeric or strays <= 0:
            return []
        quoted = ", ".join(repr(value) for value in self.non_numbers)
        if strays == 1:
            return [
                f"1 value of the {what} {column!r} is not a number ({quoted}): its row goes to "
                "quarantine, naming the value"
            ]
        return [
            f"{strays:,} values of the {what} {column!r} are not numbers (such as {quoted}): "
            "their rows go to quarantine, naming each value"
        ]

    @property
    def unique(self) -> bool:
        """Every non-empty value occurs once (two or more of them)."""
        return self.count >= 2 and self.distinct == self.count

    def two_way(self) -> str | None:
        """Why the column is a yes/no flag or a choice of two, not a rating; None if it is not.

        A column of only 0 and 1 is a flag (one-hot theme columns, "recommended: 1"). Other
        pairs count once there are enough answers for a rating to have spread further, except
        two neighbouring values at the top of a scale (9 and 10, 4 and 5), which is what a
        small survey of happy customers looks like.
        """
        if not self.mostly_numeric or len(self.numbers) > 2:
            return None
        if set(self.numbers) <= {0.0, 1.0}:
            return "holds only 0 and 1, a yes/no flag"
        if len(self.numbers) == 2 and self.count >= TWO_VALUES_AFTER:
            low, high = self.numbers
            if not (high - low == 1 and low >= 4):
                return (
                    f"holds only two values ({low:g} and {high:g}) in {self.count:,} answers, "
                    "a choice of two rather than a rating"
                )
        return None

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
        Counts, the distinct numbers, label conversions, and how code-like or prose-like the
        values are.
    """
    array = (
        values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, pa.string())
    )
    distinct_values = pc.value_counts(pc.drop_null(array))
    # "Don't know" beside a scale is no answer: it does not count, and reads as empty.
    skip = no_answer_mask(distinct_values.field("values"))
    unanswered = {
        str(value): "" for value in distinct_values.field("values").filter(skip).to_pylist()
    }
    skipped = int(pc.sum(distinct_values.field("counts").filter(skip)).as_py() or 0)
    counted = distinct_values.filter(pc.invert(skip)).to_pylist()
    counted = [entry for entry in counted if entry["values"].strip()]
    count = sum(int(entry["counts"]) for entry in counted)
    sample = counted[:MAX_DISTINCT]
    weight = sum(int(entry["counts"]) for entry in sample) or 1
    numeric_count, numbers, labelled, conversions = 0, set(), False, {}
    length = words = spaced = codes = 0.0
    longest = 0
    strays: list[str] = []
    for entry in sample:
        value, times = str(entry["values"]), int(entry["counts"])
        stripped = value.strip()
        length += len(value) * times
        words += word_count(value) * times
        longest = max(longest, len(value))
        if " " in stripped or "\t" in stripped or "\n" in stripped:
            spaced += times
        elif len(stripped) <= LONGEST_CODE and CODE.match(stripped):
            codes += times
        number, is_label = _number(value)
        if number is None:
            if len(strays) < QUOTED:
                strays.append(value if len(value) <= LONGEST_CODE else value[:LONGEST_CODE] + "…")
            continue
        numeric_count += times
        numbers.add(number)
        if is_label:
            labelled = True
            conversions[value] = f"{number:g}"
    if unanswered and numeric_count:
        labelled = True
        conversions.update(unanswered)
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
        labeled=labelled,
        conversions=conversions,
        longest=longest,
        spaced=spaced / weight,
        codes=codes / weight,
        unanswered=skipped,
        non_numbers=tuple(strays),
    )
