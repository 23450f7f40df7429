"""Recognise NPS, CSAT, CES, item ratings and free-text questions from wording and values.

Wording alone is not enough ("Would you recommend us?" may be yes/no) and values alone are
dangerous: a 0-10 column that does not ask about recommending is never NPS, because treating a
"rate our prices 0-10" item as NPS would publish a wrong headline number. Such columns become item
ratings and a note tells the user how to map them if they really are NPS.

Two kinds of column are set aside before any of that: identifiers (named like one, such as
"Comment ID", or holding unique short codes), whose codes could pass for comments and whose
numbers for scores; and yes/no flags (only 0 and 1, or two values among many answers), such
as one-hot theme columns, which are never NPS, CSAT or CES whatever their wording. Of the
free-text columns, the comment is the one asking for comments with the longest answers.
Every decision is a :class:`~advocacy.ingest.raw.Detection` whose reason gives the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pyarrow as pa

from advocacy.ingest.column_profile import QUALITY_LABELS, Profile, profile
from advocacy.ingest.raw import Detection, ItemColumn
from advocacy.ingest.title_columns import TITLE, TITLE_FIELD, title_column, title_detection

__all__ = [
    "Profile",
    "QuestionScan",
    "identifier_evidence",
    "is_free_text",
    "profile",
    "scale_of",
    "scan_questions",
    "text_evidence",
]

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
    r"comment|why|reason|tell us|feedback|anything else|suggest|improv|warum|pourquoi|"
    r"por qu[eé]|waarom|text|"
    # Asking what to do better or what was liked, in words of the respondent's own:
    # "What could we do better?", "How can we improve?", "What did you like most?".
    # Not "describe" or "explain": "Which best describes your role?" asks for a choice, so
    # those questions are the comment only by the length of their answers (review22 item 3).
    r"\bbetter\b|\b(?:what|how) (?:could|can|should|might) we\b|"
    r"\bin your own words|\blike(?:d)? (?:most|least|best)\b|\bdislike|"
    r"verbesser|\bbesser\b|am[ée]lior|\bmejor|\bmelhor|miglior|verbeter|\bbeter\b",
    re.IGNORECASE,
)
#: The write-in box of a multiple-choice question: free text, but not the comment.
WRITE_IN = re.compile(
    r"\bplease specify\b|\bother\b[\s\-–:(]*(?:please\s+)?specify|bitte angeben|"
    r"veuillez pr[ée]ciser|especifique",
    re.IGNORECASE,
)
#: Column names that say the column identifies something: "Comment ID", "order_no", "#",
#: "ResponseId", "Reference". Codes in them are never comments, and their numbers never scores.
ID_NAME = re.compile(
    r"(?:^|[\s_.\-/(])(?:ids?|uuid|guid|key|ref|reference|number|nr\.?|no\.|code|token|"
    r"identifier)\)?\s*$|^\s*#\s*$",
    re.IGNORECASE,
)
ID_NAME_CAMEL = re.compile(r"[a-z](?:Id|ID|Ids|IDs|Ref|Nr|Key|Uuid|UUID)$")  # "ResponseId"
#: Answers a column needs before unique code-like values mark it as an identifier.
IDS_AFTER = 3


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
    # Replaced columns whose rows are keyed by the cells as written (Profile.read_as_before).
    as_written: set[str] = field(default_factory=set)


def identifier_evidence(column: str, wording: str, found: Profile) -> str | None:
    """Why ``column`` identifies records rather than answering a question; None if it does not.

    An identifier is named like one ("Comment ID", "ResponseId", "#") or holds unique short
    codes without spaces ("C-000123"). Its values may be long enough to pass for text and
    numbers small enough to pass for scores, so it is kept in attrs before either is tried.
    """
    for name in dict.fromkeys((column, wording)):
        if ID_NAME.search(name) or ID_NAME_CAMEL.search(name):
            return "is named like an identifier" + (f" ({name!r})" if name != column else "")
    if (
        found.count >= IDS_AFTER
        and found.unique
        and found.numeric_count < found.count
        and found.codes >= 0.9
    ):
        return (
            f"holds {found.count:,} unique short codes without spaces (the longest "
            f"{found.longest} characters), an identifier"
        )
    return None


def is_free_text(found: Profile, wording: str) -> bool:
    """Varied, non-numeric values that read like sentences (or answer a comment-like question).

    Short labels such as branch names are varied too, so they need more words to count as text;
    one-word answers to a comment-like question count unless they look like codes.
    """
    if found.count == 0 or found.numeric_count > 0.2 * found.count:
        return False
    if found.distinct < 0.5 * found.count:
        return False
    if found.mean_words >= 3:
        return True
    return bool(COMMENT.search(wording)) and found.mean_length >= 5 and found.codes < 0.5


def _titled(found: Profile, wording: str) -> bool:
    """A column named like a title, of words rather than numbers or codes (short ones too:
    "Love it", "Péssimo"), varied enough not to be a category ("Subject": five school
    subjects)."""
    return (
        bool(TITLE.search(wording))
        and found.count > 0
        and found.distinct >= 0.2 * found.count
        and found.numeric_count <= 0.2 * found.count
        and found.codes < 0.5
    )


def text_evidence(found: Profile) -> str:
    """How many cells hold text, how varied and how long: the evidence that a column is free
    text.

    The count is of the cells with something written in them, "N/A" and "." included: as
    many as the texts the import stores from the column. Which of them are placeholders
    rather than answers is the text analysis's to judge (its non-answers, which ``text
    analyze`` counts), not the import's: a second, narrower count here ("2,556 answers"
    beside 2,562 stored texts and 15 non-answers) read as three numbers of one thing.
    """
    filled = found.count + found.unanswered
    return (
        f"{filled:,} filled cell{'s' if filled != 1 else ''}, "
        f"{found.distinct / max(found.count, 1):.0%} different, "
        f"{found.mean_words:.1f} words on average"
    )


def _unanswered(found: Profile) -> str:
    """How many cells said no answer was given ("N/A", "-"), which the other counts leave out."""
    if not found.unanswered:
        return ""
    cells = "1 cell says" if found.unanswered == 1 else f"{found.unanswered:,} cells say"
    return f"; {cells} no answer was given"


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
    free_text: list[tuple[str, Profile]] = []
    overall: list[tuple[str, str]] = []
    for column in columns:
        wording = wordings.get(column) or column
        found = profile(rows.column(column))
        scale = scale_of(found.numbers, wording) if found.whole else None
        # A label read as its number, not only a no-answer read as empty.
        labels = " (values read from labels)" if any(found.conversions.values()) else ""
        quoted = f"{wording!r}" if wording == column else f"{column!r} ({wording!r})"
        answers = f"{found.count:,} answer{'s' if found.count != 1 else ''}"
        if (strays := found.count - found.numeric_count) > 0:
            answers += f", {strays:,} of them not {'a number' if strays == 1 else 'numbers'}"
        answers += _unanswered(found)

        def take(name: str, reason: str, *, column: str = column, found: Profile = found) -> None:
            scan.fields[name] = column
            scan.detections.append(Detection(column, name, reason))
            scan.notes.extend(found.stray_note(column))
            if found.labeled:
                scan.replaced[column] = found.converted(rows.column(column))
                if not found.read_as_before:
                    scan.as_written.add(column)

        identifier = identifier_evidence(column, wording, found)
        two_way = found.two_way()
        if identifier is not None:
            scan.detections.append(
                Detection(
                    column,
                    "attrs",
                    f"{quoted} {identifier}, so never a comment or a score; kept in attrs",
                )
            )
        elif two_way is not None:
            if RECOMMEND.search(wording) and max(found.numbers) <= 1:
                reason = (
                    f"{quoted} asks about recommending but holds yes/no (0/1) answers, not a "
                    "0-10 rating"
                )
            else:
                reason = f"{quoted} {two_way}, so never NPS, CSAT or CES; kept in attrs"
            scan.detections.append(Detection(column, "attrs", reason))
        elif (
            found.whole
            and scale is not None
            and RECOMMEND.search(wording)
            and (five := _five_point(found, wording)) is not None
        ):
            _likelihood(scan, rows, column, wording, found, items, five)
        elif found.whole and scale is not None and RECOMMEND.search(wording):
            if recommend_field in available and recommend_field not in scan.fields:
                take(
                    recommend_field,
                    f"{quoted} asks how likely people are to recommend and holds "
                    f"0-10 values ({answers}){labels}",
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
                "csat",
                f"{quoted} asks about satisfaction and holds {scale[0]}-{scale[1]} ratings "
                f"({answers}){labels}",
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
                f"{quoted} asks about ease or effort and holds {scale[0]}-{scale[1]} ratings "
                f"({answers}){labels}",
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
            and _quality_words(found)
            and _shared_words(found)
            and not FFT_EXPERIENCE.search(wording)
        ):
            scan.notes.append(
                f"column {column!r} is answered only in words that both the Very good .. Very "
                "poor and the Excellent .. Poor scales use (Very good, Good, Poor), which give "
                "them different numbers; kept in attrs as written (map it with --map, giving "
                "each word its number)"
            )
            scan.detections.append(
                Detection(
                    column,
                    "attrs",
                    f"{quoted} holds quality words of an unknown 5-point scale; kept in attrs",
                )
            )
        elif found.whole and scale is not None and _quality_words(found):
            # "Very good" ... "Very poor" say it is a rating; asked "overall", it is the verdict.
            if OVERALL.search(wording) is not None:
                overall.append((column, wording))
            _item(scan, rows, column, wording, (1, 5), found, items)
        elif (
            found.whole
            and scale is not None
            and (not need_rating_wording or RATING.search(wording) or SATISFACTION.search(wording))
        ):
            _item(scan, rows, column, wording, scale, found, items)
        elif is_free_text(found, wording) and WRITE_IN.search(wording):
            scan.detections.append(
                Detection(
                    column,
                    "attrs",
                    f"{quoted} holds free text ({text_evidence(found)}) written in for a "
                    "choice ('please specify'), not the comment; kept in attrs",
                )
            )
        elif is_free_text(found, wording) or (TITLE_FIELD in available and _titled(found, wording)):
            free_text.append((column, found))
        else:
            scan.detections.append(
                Detection(
                    column, "attrs", f"{quoted} is neither a rating nor free text; kept in attrs"
                )
            )
    _pick_comment(scan, free_text, wordings, available)
    _name_overall(scan, overall)
    return scan


def _name_overall(scan: QuestionScan, overall: list[tuple[str, str]]) -> None:
    """Store the one question asking for the overall verdict in words as the item
    :data:`OVERALL_EXPERIENCE`; of several, none (which one is the verdict would be a guess)."""
    if len(overall) > 1:
        named = ", ".join(repr(wording) for _, wording in overall)
        scan.notes.append(
            f"several questions ask for an overall rating in words ({named}): each is stored "
            f"under its wording and none as the item {OVERALL_EXPERIENCE!r} that text "
            "calibration reads as the answer's verdict (map one with --map)"
        )
        return
    if not overall or not scan.items:
        return
    column, wording = overall[0]
    for index, item in enumerate(scan.items):
        if item.column == column:
            scan.items[index] = replace(item, item=OVERALL_EXPERIENCE)
    scan.detections = [
        Detection(column, f"item:{OVERALL_EXPERIENCE}", d.reason)
        if d.column == column and d.field.startswith("item:")
        else d
        for d in scan.detections
    ]
    scan.notes.append(
        f"column {column!r} ({wording!r}) rates the overall experience in words (very poor .. "
        f"very good): stored as the item {OVERALL_EXPERIENCE!r} (1-5), which text calibration "
        "reads as the answer's verdict"
    )


#: The item a 5-point likelihood to recommend is stored as; text calibration reads it as the
#: answer's overall verdict (:data:`advocacy.text.score_labels.OVERALL_RATING_ITEMS`).
LIKELY_TO_RECOMMEND = "likely to recommend"
#: Answers a recommend question needs before values that never pass 5 mean a 5-point scale.
FIVE_POINT_AFTER = 20


#: The Friends and Family Test's question since 2020, asked on the Very good .. Very poor scale.
FFT_EXPERIENCE = re.compile(r"\bexperience of (?:our|the) service\b", re.IGNORECASE)
#: The item an overall rating of the experience in words is stored as (the FFT since 2020);
#: text calibration reads it as the answer's verdict, like ``likely to recommend``.
OVERALL_EXPERIENCE = "overall experience"
#: Wording that asks for the overall verdict: "overall", or the Friends and Family Test's
#: "how was your experience of our service" (never any "experience of parking").
OVERALL = re.compile(
    rf"\boverall\b|insgesamt|gesamteindruck|{FFT_EXPERIENCE.pattern}", re.IGNORECASE
)


def _quality_words(found: Profile) -> bool:
    """Whether the answers are words of the very poor .. very good scale ("Don't know" aside)."""
    words = {label.strip().lower() for label, number in found.conversions.items() if number}
    return bool(words) and words <= QUALITY_LABELS and set(found.numbers) <= {1, 2, 3, 4, 5}


#: The words of the Very good .. Very poor scale that Excellent .. Poor also uses.
SHARED_QUALITY_WORDS = frozenset({"very good", "good", "poor"})


def _shared_words(found: Profile) -> bool:
    """Whether every quality word answered is one the Excellent .. Poor scale shares (so
    which scale was asked, and so each word's number, is unknown)."""
    words = {label.strip().lower() for label, number in found.conversions.items() if number}
    return words <= SHARED_QUALITY_WORDS


def _five_point(found: Profile, wording: str) -> str | None:
    """Why a recommend question is a 5-point scale rather than 0-10 NPS; None if it is not.

    Its answers are likelihood words ("Extremely likely" ... "Extremely unlikely", the NHS
    Friends and Family Test), or numbers that never pass 5 in :data:`FIVE_POINT_AFTER` or more
    answers (0-10 answers that all fall in 1-5 would be a survey of detractors only). A
    question whose wording states a scale up to 10 ("(0-10)") is never one.
    """
    if not found.numbers or min(found.numbers) < 1 or max(found.numbers) > 5:
        return None
    stated = EXPLICIT_SCALE.search(wording)
    if stated is not None and stated.group(2) == "10":
        return None
    words = [label for label in found.conversions if found.conversions[label]]
    if words and all("likely" in label.lower() for label in words):
        return "words"
    if not words and found.count >= FIVE_POINT_AFTER:
        return "numbers"
    return None


def _likelihood(
    scan: QuestionScan,
    rows: pa.Table,
    column: str,
    wording: str,
    found: Profile,
    items: bool,
    five: str,
) -> None:
    """A 5-point likelihood to recommend: an item rating, never NPS.

    In words, its direction is known (5 = extremely likely) and it is the item
    :data:`LIKELY_TO_RECOMMEND`; in numbers it is not (the Friends and Family Test codes
    1 = extremely likely), so it is an item under its own wording and a note asks to check.
    """
    if five == "words":
        scan.notes.append(
            f"column {column!r} asks about recommending on a 5-point scale of words, not 0-10: "
            f"stored as the item {LIKELY_TO_RECOMMEND!r} (1 = extremely unlikely, 5 = extremely "
            'likely), not as NPS; answers such as "Don\'t know" are stored as no rating'
        )
        _item(scan, rows, column, LIKELY_TO_RECOMMEND, (1, 5), found, items)
        return
    scan.notes.append(
        f"column {column!r} asks about recommending but its {found.count:,} answers are all "
        f"1-5, a 5-point scale rather than 0-10 NPS: stored as an item rating under its wording, "
        "not as NPS; check which end is best (the Friends and Family Test codes 1 = extremely "
        "likely) and map it with --map"
    )
    _item(scan, rows, column, wording, (1, 5), found, items)


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
    again = ""
    if name in {item.item for item in scan.items}:
        # An item rating is keyed by its record, item and kind: a wording asked twice (two
        # matrix rows, a repeated block) would give each record two ratings under one key.
        name = f"{wording} ({column})" if len(wording) + len(column) <= 77 else column
        again = "; the wording of an earlier item too, so named with its column"
    scan.items.append(ItemColumn(column, name, "rating", None, scale[0], scale[1]))
    scan.detections.append(
        Detection(column, f"item:{name}", f"{wording!r} holds {scale[0]}-{scale[1]} ratings{again}")
    )
    scan.notes.extend(found.stray_note(column))
    if found.labeled:
        scan.replaced[column] = found.converted(rows.column(column))
        if not found.read_as_before:
            scan.as_written.add(column)


def _pick_comment(
    scan: QuestionScan,
    free_text: list[tuple[str, Profile]],
    wordings: Mapping[str, str],
    available: Sequence[str],
) -> None:
    """The comment is the free-text column asking for comments with the longest answers.

    A question worded for comments ("Why?", "Anything else?") is preferred, then longer
    answers: a review's text over its title, a comment over a write-in "Other" option. When
    ``available`` holds ``title``, the first of the others named like a title is the
    answer's title (:func:`~advocacy.ingest.title_columns.title_column`). The rest stay in
    attrs, with a note.
    """
    ranked = sorted(
        free_text,
        key=lambda entry: (
            not COMMENT.search(wordings.get(entry[0]) or entry[0]),
            bool(TITLE.search(wordings.get(entry[0]) or entry[0])),
            -entry[1].mean_length,
        ),
    )
    chosen: str | None = None
    title = (
        title_column([wordings.get(column) or column for column, _ in ranked[1:]])
        if TITLE_FIELD in available and TITLE_FIELD not in scan.fields
        else None
    )
    for index, (column, found) in enumerate(ranked):
        wording = wordings.get(column) or column
        hint = "; its wording asks for comments" if COMMENT.search(wording) else ""
        evidence = text_evidence(found)
        if index > 0 and title is not None and wording == title:
            scan.fields[TITLE_FIELD] = column
            scan.detections.append(title_detection(column, evidence))
        elif index == 0 and "comment" in available and "comment" not in scan.fields:
            chosen = column
            scan.fields["comment"] = column
            scan.detections.append(
                Detection(
                    column,
                    "comment",
                    f"{wording!r} holds varied free text ({evidence}, "
                    f"{found.mean_length:.0f} characters on average){hint}",
                )
            )
        else:
            scan.detections.append(
                Detection(
                    column,
                    "attrs",
                    f"{wording!r} holds free text ({evidence}); kept in attrs",
                )
            )
    kept = [column for column, _ in ranked if column not in (chosen, scan.fields.get("title"))]
    if kept and chosen is not None:
        others = ", ".join(repr(column) for column in kept)
        titled = f", {scan.fields['title']!r} its title" if "title" in scan.fields else ""
        scan.notes.append(
            f"several free-text questions: {chosen!r} is the comment (comment-like wording "
            f"first, then the longest answers){titled}, {others} kept in attrs"
        )
