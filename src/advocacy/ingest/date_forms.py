"""The ways people write dates, as anchored regular expressions and small SQL builders.

:mod:`advocacy.ingest.dates` reads a column with them. Every pattern is anchored and RE2 (what
DuckDB runs) matches in linear time, so no value, however long or hostile, makes a pattern slow;
values longer than :data:`MAX_LENGTH` are not tried at all.

DuckDB's strptime reads a 2-digit year with ``%Y`` as the year 21 AD, so numeric and month-name
dates are taken apart here (year, month, day and time of day, packed into one text) and put
together with ``make_date``; strptime is left to times of day and declared formats.
"""

from __future__ import annotations

#: Longest text tried as a date; anything longer is reported as not a date without parsing.
MAX_LENGTH = 100
#: Largest UTC offset anywhere (Kiribati, +14:00), in minutes.
MAX_OFFSET_MINUTES = 14 * 60
#: Excel's last serial day number (9999-12-31).
MAX_EXCEL_SERIAL = 2_958_465
#: Packs the parts of a value into one text column (no date holds this control character).
SEPARATOR = "\x1f"

# A UTC offset after a time (and AM/PM), optionally a "(zone comment)" and Twitter's year.
_TIME = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?"
_ZONE = r"z|(?:utc|gmt|ut)(?:\s*[+-]\d{1,2}(?::?\d\d)?)?|[+-]\d\d(?::?\d\d)?"
OFFSET_SPLIT = rf"(?i)^(.*?{_TIME})\s*({_ZONE})(?:\s*\([^()]{{0,40}}\))?(\s+\d{{4}})?$"
# With a declared format holding %z, the offset is whatever ends the value (or precedes a year).
DECLARED_SPLIT = rf"(?i)^(.*?)\s*({_ZONE})(?:\s*\([^()]{{0,40}}\))?(\s+\d{{4}})?$"
WEEKDAY = r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
NUMBER = r"^\d+(?:\.\d+)?$"
CLOCK = r"^\d{1,2}:\d\d(?::\d\d(?:[.,]\d{1,9})?)?$"
AM_PM = r"(?i)[ap]\.?m\.?$"
AM_PM_LAYOUTS = ("%I:%M:%S %p", "%I:%M %p", "%I %p", "%I:%M:%S.%f %p")
# Ends in a zone name (EST, CEST, Europe/Berlin), which is not read.
ZONE_NAME = r"(?i)\d\s*(?:[a-z]{3,5}|[a-z]+/[a-z_]+)$"

# Non-ISO dates: pattern, and how its groups pack as year, month, day, time of day.
DAY_MONTH = r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:[ T,]+(.+))?$"
YEAR_FIRST = r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?:[ T,]+(.+))?$"
COMPACT = r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2}))?$"
NAMED_DAY_FIRST = (
    r"(?i)^(\d{1,2})(?:st|nd|rd|th|\.)?[ -](?:de )?([a-zà-ÿ]{3,10})\.?,?(?: de)?[ -](\d{4}|\d{2})"
    r"(?:[ T,]+(.+))?$"
)
NAMED_MONTH_FIRST = (
    r"(?i)^([a-z]{3,9})\.?[ -](\d{1,2})(?:st|nd|rd|th)?,? (\d{4}|\d{2})(?:[ T,]+(.+))?$"
)
CTIME = r"(?i)^([a-z]{3,9}) (\d{1,2}) (\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?) (\d{4})$"

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: Month names and their usual abbreviations in the languages reviews are written in
#: (German, French, Spanish, Portuguese, Italian, Dutch, Indonesian), month by month, read day
#: first ("3. März 2021", "3 de marzo de 2021", "3 Maret 2021"); English's are MONTHS.
LOCAL_MONTHS = (
    ("januar", "jän", "janvier", "janv", "enero", "ene", "janeiro", "gennaio", "gen",
     "januari"),
    ("februar", "février", "fevrier", "févr", "fevr", "fév", "fev", "febrero", "fevereiro",
     "febbraio", "februari"),
    ("märz", "mär", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt", "maret"),
    ("avril", "avr", "abril", "abr", "aprile"),
    ("mai", "mayo", "maio", "maggio", "mag", "mei"),
    ("juni", "juin", "junio", "junho", "giugno", "giu"),
    ("juli", "juillet", "juil", "julio", "julho", "luglio", "lug"),
    ("août", "aout", "agosto", "ago", "augustus", "agustus", "agu", "agt"),
    ("septembre", "septiembre", "setiembre", "setembro", "settembre", "set"),
    ("oktober", "okt", "octobre", "octubre", "outubro", "out", "ottobre", "ott"),
    ("novembre", "noviembre", "novembro"),
    ("dezember", "dez", "décembre", "decembre", "déc", "dec", "diciembre", "dic", "dezembro",
     "dicembre", "december", "desember", "des"),
)  # fmt: skip


def _local_month_names() -> tuple[list[str], list[int]]:
    """The names of LOCAL_MONTHS, with their months' numbers."""
    names: dict[str, int] = {}
    for number, local in enumerate(LOCAL_MONTHS, start=1):
        names |= dict.fromkeys(local, number)
    return list(names), list(names.values())


#: What the reasons say is read, so a user knows what to write instead.
ACCEPTED = (
    "the forms read are ISO 8601 (2024-05-31 14:00:00+02:00, with T or a space, offsets "
    "such as Z, +0200 or ' -0800'), e-mail and Twitter forms (Fri, 31 May 2024 14:00:00 +0200; "
    "Fri May 31 14:00:00 +0000 2024), month names (31 May 2024, May 31, 2024 2:00 PM; day "
    "first in German, French, Spanish, Portuguese, Italian, Dutch, Indonesian: 3. März 2024), "
    "day/month/year numbers (31/05/2024, 31.05.24), Unix epochs of 10 or 13 digits and Excel "
    "date numbers in .xlsx files; declare any other layout with date_format in a mapping"
)


def literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def string_list(values: tuple[str, ...] | list[str]) -> str:
    """A SQL list of string literals."""
    return "[" + ", ".join(literal(value) for value in values) + "]"


def iso_offset(text: str) -> str:
    """SQL: whether ``text``, which DuckDB casts to TIMESTAMP, ends in a UTC offset.

    Such a value is an ISO 8601 date and time, and the cast accepts no zone names but UTC and
    GMT; its date holds no '+', and a '-' after a ':' begins an offset. Byte searches, tried
    in turn (CASE) so that most values take one: a fifth of a regular expression's cost.
    """
    tests = [f"contains({text}, '+')", f"suffix({text}, 'Z')", f"{text} LIKE '%:%-%'"]
    tests += [f"suffix({text}, {literal(zone)})" for zone in ("z", "UTC", "utc", "GMT", "gmt")]
    return f"CASE {' '.join(f'WHEN {test} THEN TRUE' for test in tests)} ELSE FALSE END"


def starts_with_digit(text: str) -> str:
    """SQL: whether ``text`` starts with a digit (a byte comparison: left() counts characters)."""
    return f"({text} >= '0' AND {text} < ':')"


def matches(text: str, pattern: str) -> str:
    return f"regexp_matches({text}, {literal(pattern)})"


def packed(text: str, pattern: str, groups: str) -> str:
    """SQL: ``text`` rewritten by ``pattern`` as ``groups`` (``\\1`` ...) joined by SEPARATOR."""
    return f"regexp_replace({text}, {literal(pattern)}, {literal(groups)})"


def part(text: str, number: int) -> str:
    """SQL: the ``number``-th (from 1) part of a packed text."""
    return f"split_part({text}, {literal(SEPARATOR)}, {number})"


def _offset_texts() -> str:
    # Offsets are whole quarter hours in practice: look their text up instead of formatting it.
    texts = []
    for quarter in range(-MAX_OFFSET_MINUTES // 15, MAX_OFFSET_MINUTES // 15 + 1):
        minutes = abs(quarter) * 15
        texts.append(f"{'-' if quarter < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}")
    return string_list(texts)


_OFFSET_TEXTS = _offset_texts()


def offset_text(minutes: str) -> str:
    """SQL for ``+hh:mm`` of an offset given as SQL ``minutes`` east of UTC."""
    sign = f"CASE WHEN {minutes} < 0 THEN '-' ELSE '+' END"
    return (
        f"CASE WHEN {minutes} % 15 = 0 "
        f"THEN {_OFFSET_TEXTS}[({minutes} + {MAX_OFFSET_MINUTES}) // 15 + 1] "
        f"ELSE printf('%s%02d:%02d', {sign}, abs({minutes}) // 60, abs({minutes}) % 60) END"
    )


#: A zone token's parts: sign, hours and minutes ("Z", "UTC" and "GMT" alone have none).
ZONE_PARTS = r"(?i)^(?:z|utc|gmt|ut)?\s*(?:([+-])(\d{1,2}?):?(\d\d)?)?$"


def zone_parts(zone: str) -> str:
    """SQL: the sign, hours and minutes of a zone token (``Z``, ``GMT+2``, ``-0800``)."""
    return f"regexp_extract({zone}, {literal(ZONE_PARTS)}, ['sign', 'hours', 'minutes'])"


def zone_minutes(parts: str) -> tuple[str, str]:
    """SQL for the minutes east of UTC of :func:`zone_parts` ``parts``, and whether they make a
    real offset (minutes below 60, hours at most 14)."""
    hours = f"COALESCE(TRY_CAST({parts}.hours AS INTEGER), 0)"
    minutes = f"COALESCE(TRY_CAST({parts}.minutes AS INTEGER), 0)"
    sign = f"CASE WHEN {parts}.sign = '-' THEN -1 ELSE 1 END"
    return f"{sign} * ({hours} * 60 + {minutes})", f"({minutes} < 60 AND {hours} <= 14)"


def time_of_day(text: str) -> str:
    """SQL for the TIME in ``text`` ('' or NULL: midnight), NULL when it is no time of day."""
    am_pm = f"upper(regexp_replace({text}, '(?i)\\s*([ap])\\.?m\\.?$', ' \\1M'))"
    return (
        f"CASE WHEN {text} IS NULL OR {text} = '' THEN TIME '00:00:00' "
        f"WHEN {matches(text, AM_PM)} "
        f"THEN CAST(try_strptime({am_pm}, {string_list(AM_PM_LAYOUTS)}) AS TIME) "
        f"WHEN {matches(text, CLOCK)} THEN TRY_CAST(replace({text}, ',', '.') AS TIME) END"
    )


def month_number(text: str) -> str:
    """SQL for the month of ``text``: a number 1-12, or a month's name or abbreviation."""
    names = string_list(MONTHS)
    short = string_list(tuple(month[:3] for month in MONTHS))
    local, numbers = _local_month_names()
    listed = "[" + ", ".join(str(number) for number in numbers) + "]"
    name = f"lower({text})"
    # English first: a short list, the names most files use.
    return (
        f"CASE WHEN {starts_with_digit(text)} THEN TRY_CAST({text} AS INTEGER) "
        f"WHEN list_contains({names}, {name}) OR list_contains({short}, {name}) "
        f"OR {name} = 'sept' THEN list_position({short}, left({name}, 3)) "
        f"ELSE {listed}[list_position({string_list(local)}, {name})] END"
    )


def year(text: str) -> str:
    """SQL for a 4-digit year, or a 2-digit one pivoted as POSIX %y does (69-99: 1900s)."""
    number = f"TRY_CAST({text} AS INTEGER)"
    return (
        f"CASE WHEN length({text}) = 2 THEN {number} + "
        f"CASE WHEN {number} >= 69 THEN 1900 ELSE 2000 END ELSE {number} END"
    )


def date_parts(text: str, *, day_first: bool) -> str:
    """SQL packing a non-ISO date ``text`` as year, month, day and time of day (NULL: none).

    Numeric day/month dates are read day-first or month-first as ``day_first`` says; month
    names stand in the month's place.
    """
    s = SEPARATOR
    day_month = f"\\3{s}\\1{s}\\2{s}\\4" if not day_first else f"\\3{s}\\2{s}\\1{s}\\4"
    digit, letter = starts_with_digit(text), f"NOT {starts_with_digit(text)}"
    shapes = [
        (digit, DAY_MONTH, day_month),
        (digit, YEAR_FIRST, f"\\1{s}\\2{s}\\3{s}\\4"),
        (digit, COMPACT, f"\\1{s}\\2{s}\\3{s}\\4:\\5:\\6"),
        (digit, NAMED_DAY_FIRST, f"\\3{s}\\2{s}\\1{s}\\4"),
        (letter, NAMED_MONTH_FIRST, f"\\3{s}\\1{s}\\2{s}\\4"),
        (letter, CTIME, f"\\4{s}\\1{s}\\2{s}\\3"),
    ]
    whens = " ".join(
        f"WHEN {guard} AND {matches(text, pattern)} THEN {packed(text, pattern, groups)}"
        for guard, pattern, groups in shapes
    )
    return f"CASE {whens} END"


def packed_date(year_text: str, month_text: str, day_text: str) -> str:
    """SQL: the DATE of the year, month and day parts of :func:`date_parts` (NULL when there
    is no such day)."""
    return (
        f"try(make_date({year(year_text)}, {month_number(month_text)}, "
        f"TRY_CAST({day_text} AS INTEGER)))"
    )


def packed_clock(parts: str) -> str:
    """SQL: the time-of-day text of :func:`date_parts` ``parts`` ('' when none)."""
    return f"replace({part(parts, 4)}, '::', '')"


def collapsed(text: str) -> str:
    """SQL: ``text`` with runs of white space as one space (a regex only where there are any)."""
    runs = " OR ".join(
        f"contains({text}, {needle})" for needle in ("'  '", "chr(9)", "chr(10)", "chr(13)")
    )
    return f"CASE WHEN {runs} THEN regexp_replace({text}, '\\s+', ' ', 'g') ELSE {text} END"


__all__ = [
    "ACCEPTED",
    "AM_PM",
    "DAY_MONTH",
    "DECLARED_SPLIT",
    "MAX_EXCEL_SERIAL",
    "MAX_LENGTH",
    "MAX_OFFSET_MINUTES",
    "NUMBER",
    "OFFSET_SPLIT",
    "SEPARATOR",
    "WEEKDAY",
    "ZONE_NAME",
    "collapsed",
    "date_parts",
    "iso_offset",
    "literal",
    "matches",
    "month_number",
    "offset_text",
    "packed",
    "packed_clock",
    "packed_date",
    "part",
    "starts_with_digit",
    "string_list",
    "time_of_day",
    "year",
    "zone_minutes",
    "zone_parts",
]
