"""Phone numbers in free text, national and international, told apart from other numbers.

Found: international forms (``+44 20 7946 0958``, ``+49 (0)30 1234567``, ``0049 30 1234567``:
8 to 15 digits after the prefix, as E.164 allows), national forms with a trunk ``0``
(``07700900123``, ``07700 900 123``, ``030 1234567``, ``030/1234567``, ``01 23 45 67 89``: 9 to
12 digits), an area code in brackets (``(555) 123-4567``, ``(11) 91234-5678``) and the North
American 3-3-4 grouping (``555-123-4567``, ``555.123.4567``, ``1-555-123-4567``). A bare run of
ten digits without a leading zero is an order number unless a phone word ("call", "tel",
"mobile", ...) stands just before it.

Left alone: dates (``03/04/2021``, ``2021-03-04``), times, prices, years, ranges, decimals
(``0.123456789``), version numbers and addresses, and national numbers right after "order",
"invoice", "ref" (:data:`advocacy.text.pii.vocabulary.REFERENCE_WORDS`) or ``#``. A number
beside a phone number ("room 2 07700 900123") stays; two phone numbers in a row both go.

The candidate pattern starts only where a number can start, holds at least eight digits (a
bounded look-ahead), and runs over digit groups joined by one separator each, with possessive
digit runs and a bounded number of groups: so it costs a bounded number of steps per character
whatever the input. Which candidates are phone numbers is then decided in Python from their
digit groups.

References
----------
ITU-T E.164 (2010). The international public telecommunication numbering plan.
"""

from __future__ import annotations

import re

from advocacy.text.pii.vocabulary import PHONE_WORDS, REFERENCE_WORDS

PHONE_LABEL = "[phone]"
#: One separator between digit groups: a space, dot, slash or dash, or a bracket with one.
_SEPARATOR = r"(?:[ ./-]|\)[ .-]?|[ .-]?\()"
#: Phone candidates start only where a number can (``+``, ``00``, a trunk ``0``, an area code
#: in brackets, a North American area code and separator, or ten bare digits) and hold at
#: least eight digits within single separators (a bounded look-ahead, so runs of "+1 " or
#: "1 " are not candidates at all); then they run over digit groups joined by one separator
#: each. Digit runs are possessive and the group count is bounded, so a failed candidate costs
#: a bounded number of steps per character.
PHONE = re.compile(
    r"(?<![\w+./#-])"
    r"(?=\+ ?\d|\(\+\d|00[1-9]|0\d|\(0\d|\(\d{2,5}\)|[2-9]\d\d[ .-]\d|1[ .-][2-9]\d\d[ .-]\d"
    r"|[2-9]\d{9}(?!\d))"
    r"(?=\(?\+?(?:[ ()./-]{0,2}\d){8})"
    r"(?:\+ ?|\(\+?)?"
    # A run of seven or more digits is a whole number ("07700900123"); shorter groups chain, up
    # to six in all, the last of any length ("030 1234567", "+33 1 23 45 67 89").
    rf"(?:\d{{7,}}+|\d{{1,6}}+(?:{_SEPARATOR}\d{{1,6}}+(?!\d)){{0,4}}(?:{_SEPARATOR}\d++)?)\)?"
    r"(?![\w]|[.:/-]?\d)"
)
#: "+44 (0)20 ...": the bracketed trunk zero of international numbers, dropped before counting.
_TRUNK = re.compile(r"\(0\)")
_DIGIT_GROUP = re.compile(r"\d++")
#: Deletes everything :data:`PHONE` allows around digits.
_NOT_DIGITS = str.maketrans("", "", " ()./-+")
_WORD = re.compile(r"[^\W\d_]++")
#: Characters before a number that :data:`PHONE_WORDS` and :data:`REFERENCE_WORDS` look at.
LOOK_BACK = 32
#: Three numeric groups that read as a date: 03/04/2021, 2021-03-04, 4.3.21.
_DATE = re.compile(r"(?:\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([./-])\d{1,2}\2\d{1,2})(?!\d)")


def _words_before(text: str, start: int) -> list[str]:
    """The last words (lower case) of the current line in the :data:`LOOK_BACK` characters."""
    before = text[max(0, start - LOOK_BACK) : start]
    if not _WORD.search(before):
        return []
    return [word.lower() for word in _WORD.findall(before.rsplit("\n", 1)[-1])]


def phone_number(candidate: str) -> bool:
    """Whether ``candidate`` (digit groups as :data:`PHONE` finds them) is a phone number.

    >>> [phone_number(x) for x in ("07700 900123", "2021-03-04", "(555) 123-4567", "0.123456")]
    [True, False, True, False]
    """
    digits = candidate.replace("(0)", "").translate(_NOT_DIGITS)
    count = len(digits)
    if count < 8 or count > 17:
        return False
    if candidate[0] == "+" or candidate.startswith("(+"):
        return count <= 15
    if digits[:2] == "00":
        return digits[2] != "0" and 10 <= count <= 17
    if _DATE.match(candidate):  # "03/04/2021 10 people": a date, then a number
        return False
    if digits[0] == "0":
        return 9 <= count <= 12
    if candidate[0] == "(":
        return 9 <= count <= 12 and ")" in candidate[:-1]
    # North American numbering: (1-)NXX-XXX-XXXX, the area code not starting with 0 or 1.
    groups = _DIGIT_GROUP.findall(candidate)
    lengths = [len(group) for group in groups]
    if lengths[-3:] != [3, 3, 4] or not (
        len(groups) == 3 or (lengths[:-3] == [1] and digits[0] == "1")
    ):
        return False
    return groups[-3][0] not in "01"


def _phone_in(candidate: str) -> tuple[int, int] | None:
    """Where in ``candidate`` a phone number is: the whole, or with digit groups cut off its ends.

    A quantity before a number ("room 2 07700 900123") or after it ("07700 900123 15 items")
    joins the candidate; windows of whole digit groups are tried, longest first, and only those
    with a plausible digit count are checked.
    """
    if phone_number(candidate):
        return 0, len(candidate)
    runs = [match.span() for match in _DIGIT_GROUP.finditer(candidate)]
    last = len(runs) - 1
    if last == 0:
        return None
    counts = [0]
    for start, end in runs:
        counts.append(counts[-1] + end - start)
    windows = [(0, end) for end in range(last - 1, -1, -1)]
    windows += [(start, last) for start in range(1, last + 1)]
    for first, final in windows:
        if not 8 <= counts[final + 1] - counts[first] <= 17:
            continue
        start = 0 if first == 0 else runs[first][0]
        if start and candidate[start - 1] in "+(":
            start -= 2 if candidate[start - 2 : start] == "(+" else 1
        end = len(candidate) if final == last else runs[final][1]
        if phone_number(candidate[start:end]):
            return start, end
    return None


def _brackets(candidate: str) -> tuple[str, str, str]:
    """``candidate`` as (opening, number, closing): brackets around the whole number, or one
    that closes what the text opened before it, are punctuation, not part of the number."""
    opening = closing = ""
    if candidate.endswith(")") and candidate.count(")") > candidate.count("("):
        candidate, closing = candidate[:-1], ")"
    if candidate.startswith("(") and candidate.endswith(")") and _closes_at_end(candidate):
        return "(", candidate[1:-1], ")" + closing
    return opening, candidate, closing


def _closes_at_end(candidate: str) -> bool:
    """Whether the bracket opening ``candidate`` is the one closing it."""
    depth = 0
    for index, char in enumerate(candidate):
        depth += 1 if char == "(" else -1 if char == ")" else 0
        if depth == 0:
            return index == len(candidate) - 1
    return False


def find_phones(text: str) -> str:
    """``text`` with phone numbers replaced by ``[phone]``."""

    def replace(match: re.Match[str]) -> str:
        opening, candidate, closing = _brackets(match.group(0))
        return opening + number(candidate, match.start() + len(opening)) + closing

    def number(candidate: str, at: int) -> str:
        found = _phone_in(candidate)
        if found is None:
            if len(candidate) == 10 and candidate.isdigit():
                words = _words_before(text, at)[-3:]
                if any(word in PHONE_WORDS for word in words):
                    return PHONE_LABEL
            return candidate
        start, end = found
        if start == 0 and not candidate.startswith(("+", "(+", "00")):
            words = _words_before(text, at)[-3:]
            if any(word in REFERENCE_WORDS for word in words) and not any(
                word in PHONE_WORDS for word in words
            ):
                return candidate
        # The rest of the candidate may hold another number ("07700 900123 07700 900124").
        rest = candidate[end:]
        return candidate[:start] + PHONE_LABEL + (find_phones(rest) if len(rest) > 8 else rest)

    return PHONE.sub(replace, text)
