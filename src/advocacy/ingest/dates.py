"""Dates and times as people write them, read in vectorised SQL by the validation database.

Read forms (each with or without a time, seconds, fractions and AM/PM):

- ISO 8601 and its common variants: ``2024-05-31``, ``2024-05-31T14:00:00.5Z``, offsets as
  ``+02:00``, ``+0200``, ``+02``, after a space (``2015-02-24 11:35:52 -0800``), ``UTC``/``GMT``;
- e-mail (RFC 2822) and Twitter forms: ``Tue, 31 Oct 2017 22:10:47 +0000``,
  ``Tue Oct 31 22:10:47 +0000 2017``; Google Forms' ``2020/09/15 10:57:26 AM GMT+2``;
- month names: ``31 Oct 2017``, ``31-Oct-17``, ``October 31, 2017 10:00 PM``;
- numeric dates with ``/``, ``-`` or ``.`` and 2- or 4-digit years, day or month first as the
  column says (:mod:`advocacy.ingest.date_columns` decides that for the whole column);
- Unix epochs in seconds (10 digits) or milliseconds (13), and Excel serial day numbers in
  ``.xlsx`` files, again decided per column;
- anything else through a mapping's ``date_format`` (DuckDB's strptime).

Every value is split into its wall-clock time and its UTC offset. The instant is the wall clock
minus the offset, or, without an offset, the wall clock in the column's zone; the offset (or the
zone's name, for values that had none) is what ``time_offsets`` keeps so that exports can write
the value back as it came. ISO values take DuckDB's own casts; the regular expressions of the
other forms run only on the rows that need them. DuckDB's strptime reads a 2-digit year with
``%Y`` as the year 21 AD, so numeric and month-name dates are taken apart by regular expressions
(RE2: linear time) and put together with ``make_date``; strptime is left to time-of-day parts
and declared formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum

from advocacy.ingest.date_rules import OFFSET_DIRECTIVES

#: Longest text tried as a date; anything longer is reported as not a date without parsing.
MAX_LENGTH = 100
#: Largest UTC offset anywhere (Kiribati, +14:00), in minutes.
MAX_OFFSET_MINUTES = 14 * 60
#: Excel's last serial day number (9999-12-31).
MAX_EXCEL_SERIAL = 2_958_465

# A UTC offset after a time (and AM/PM), optionally a "(zone comment)" and Twitter's year.
_TIME = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?"
_ZONE = r"z|(?:utc|gmt|ut)(?:\s*[+-]\d{1,2}(?::?\d\d)?)?|[+-]\d\d(?::?\d\d)?"
OFFSET_SPLIT = rf"(?i)^(.*?{_TIME})\s*({_ZONE})(?:\s*\([^()]{{0,40}}\))?(\s+\d{{4}})?$"
# With a declared format holding %z, the offset is whatever ends the value (or precedes a year).
DECLARED_SPLIT = rf"(?i)^(.*?)\s*({_ZONE})(?:\s*\([^()]{{0,40}}\))?(\s+\d{{4}})?$"
OFFSET_TAIL = rf"(?i){_TIME}\s*(?:{_ZONE})(?:\s*\([^()]{{0,40}}\))?(?:\s+\d{{4}})?$"
WEEKDAY = r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
NUMBER = r"^\d+(?:\.\d+)?$"
# The shapes of dates that are not ISO: (regex, field names), all anchored and linear.
DAY_MONTH = r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:[ T,]+(.+))?$"
YEAR_FIRST = r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?:[ T,]+(.+))?$"
COMPACT = r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2}))?$"
NAMED_DAY_FIRST = (
    r"(?i)^(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]{3,9})\.?,?[ -](\d{4}|\d{2})(?:[ T,]+(.+))?$"
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
CLOCK = r"^\d{1,2}:\d\d(?::\d\d(?:[.,]\d{1,9})?)?$"
AM_PM_LAYOUTS = ("%I:%M:%S %p", "%I:%M %p", "%I %p", "%I:%M:%S.%f %p")

#: What the reasons say is read, so a user knows what to write instead.
ACCEPTED = (
    "the forms read are ISO 8601 (2024-05-31 14:00:00+02:00, with T or a space, offsets such as Z, "
    "+0200 or ' -0800'), e-mail and Twitter forms (Fri, 31 May 2024 14:00:00 +0200; "
    "Fri May 31 14:00:00 +0000 2024), month names (31 May 2024, May 31, 2024 2:00 PM), "
    "day/month/year numbers (31/05/2024, 31.05.24), Unix epochs of 10 or 13 digits and Excel "
    "date numbers in .xlsx files; declare any other layout with date_format in a mapping"
)


class Bad(IntEnum):
    """Why a cell is not a date, as the classification column holds it (0: it is fine)."""

    OK = 0
    OFFSET = 1
    FORMAT = 2
    CONVENTION = 3
    NO_SUCH_DATE = 4
    EPOCH_UNIT = 5
    NUMBER = 6
    EXCEL_LEAP_DAY = 7
    ZONE_NAME = 8
    OTHER = 9


@dataclass(frozen=True)
class Reading:
    """How one date field's values are read: decided once for its whole column.

    ``zone`` is the IANA zone of values without an offset; ``session_zone`` says that it is
    the validation session's zone, which a plain cast applies. ``epoch`` is ``seconds``,
    ``milliseconds`` or ``None``; ``convention`` and ``epoch_reason`` are the column's evidence,
    told in the reasons of values that contradict it.
    """

    field: str
    label: str
    timestamp: bool
    zone: str
    session_zone: bool = True
    date_format: str | None = None
    day_first: bool = False
    convention: str = ""
    epoch: str | None = None
    epoch_reason: str = ""
    excel_serials: bool = False
    source_file: str = "the mapping"


@dataclass
class ColumnSql:
    """SQL reading one date field: columns computed level by level, then value and checks."""

    levels: list[list[str]] = field(default_factory=list)
    value: str = "NULL"
    offset_text: str | None = None  # TIMESTAMP fields: "+hh:mm", the zone name, or NULL
    checks: list[tuple[str, str]] = field(default_factory=list)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_literal(value) for value in values) + "]"


def _offset_texts() -> str:
    # Offsets are whole quarter hours in practice: look their text up instead of formatting it.
    texts = []
    for quarter in range(-MAX_OFFSET_MINUTES // 15, MAX_OFFSET_MINUTES // 15 + 1):
        minutes = abs(quarter) * 15
        texts.append(f"{'-' if quarter < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}")
    return _list(texts)


OFFSET_TEXTS = _offset_texts()


def offset_text(minutes: str) -> str:
    """SQL for ``+hh:mm`` of an offset given as SQL ``minutes`` east of UTC."""
    sign = f"CASE WHEN {minutes} < 0 THEN '-' ELSE '+' END"
    return (
        f"CASE WHEN {minutes} % 15 = 0 "
        f"THEN {OFFSET_TEXTS}[({minutes} + {MAX_OFFSET_MINUTES}) // 15 + 1] "
        f"ELSE printf('%s%02d:%02d', {sign}, abs({minutes}) // 60, abs({minutes}) % 60) END"
    )


def iso_offset_test(text: str) -> str:
    """SQL: whether ISO text ``text`` ends in a UTC offset (``Z``, ``UTC``, ``+02:00``, ...)."""
    return (
        f"(NOT (right({text}, 1) BETWEEN '0' AND '9') "
        f"OR (substr({text}, -6, 1) IN ('+', '-') AND substr({text}, -3, 1) = ':') "
        f"OR (substr({text}, -5, 1) IN ('+', '-') AND length({text}) > 10) "
        f"OR (substr({text}, -3, 1) IN ('+', '-') AND substr({text}, -6, 1) = ':'))"
    )


def _zone_minutes(zone: str) -> tuple[str, str]:
    """SQL for the minutes east of UTC of a zone token (``Z``, ``GMT+2``, ``-0800``), and
    whether the token is a real offset (minutes below 60, at most 14 hours)."""
    rest = f"regexp_replace(upper({zone}), '^(UTC|GMT|UT|Z)\\s*', '')"
    digits = f"replace(substr({rest}, 2), ':', '')"
    hours = (
        f"CAST(CASE WHEN length({digits}) <= 2 THEN {digits} "
        f"ELSE left({digits}, length({digits}) - 2) END AS INTEGER)"
    )
    minutes = f"CASE WHEN length({digits}) <= 2 THEN 0 ELSE CAST(right({digits}, 2) AS INTEGER) END"
    sign = f"CASE WHEN left({rest}, 1) = '-' THEN -1 ELSE 1 END"
    total = f"CASE WHEN {rest} = '' THEN 0 ELSE {sign} * ({hours} * 60 + {minutes}) END"
    valid = f"({rest} = '' OR ({minutes} < 60 AND {hours} <= 14))"
    return total, valid


def _time_of_day(text: str) -> str:
    """SQL for the TIME in ``text`` ('' or NULL: midnight), NULL when it is no time of day."""
    am_pm = f"upper(regexp_replace({text}, '(?i)\\s*([ap])\\.?m\\.?$', ' \\1M'))"
    return (
        f"CASE WHEN {text} IS NULL OR {text} = '' THEN TIME '00:00:00' "
        f"WHEN regexp_matches({text}, '(?i)[ap]\\.?m\\.?$') "
        f"THEN CAST(try_strptime({am_pm}, {_list(AM_PM_LAYOUTS)}) AS TIME) "
        f"WHEN regexp_matches({text}, {_literal(CLOCK)}) "
        f"THEN TRY_CAST(replace({text}, ',', '.') AS TIME) END"
    )


def _month_number(name: str) -> str:
    full = _list(MONTHS)
    short = _list(tuple(month[:3] for month in MONTHS))
    return (
        f"CASE WHEN list_contains({full}, lower({name})) OR list_contains({short}, lower({name})) "
        f"OR lower({name}) = 'sept' THEN list_position({short}, lower(left({name}, 3))) END"
    )


def _year(text: str) -> str:
    # Two-digit years pivot as POSIX strptime's %y does: 69-99 are 1900s, 00-68 are 2000s.
    number = f"CAST({text} AS INTEGER)"
    return (
        f"CASE WHEN length({text}) = 2 THEN {number} + "
        f"CASE WHEN {number} >= 69 THEN 1900 ELSE 2000 END ELSE {number} END"
    )


def _extract(text: str, pattern: str, names: tuple[str, ...], guard: str = "TRUE") -> str:
    pattern_sql = _literal(pattern)
    return (
        f"CASE WHEN {guard} AND regexp_matches({text}, {pattern_sql}) "
        f"THEN regexp_extract({text}, {pattern_sql}, {_list(names)}) END"
    )


def column_sql(reading: Reading, source: str, index: int) -> ColumnSql:
    """The SQL that reads ``reading``'s field from SQL ``source`` (a column or a literal).

    Columns are named ``__d<index>_...``; ``levels`` lists them level by level, each level
    computed over the one before (the first over the raw rows).
    """
    p = f"__d{index}_"
    sql = ColumnSql(levels=[[] for _ in range(9)])

    def add(level: int, name: str, expression: str) -> str:
        sql.levels[level].append(f"{expression} AS {p}{name}")
        return p + name

    t = add(0, "t", f"NULLIF(trim(CAST({source} AS VARCHAR)), '')")
    fits = f"length({t}) <= {MAX_LENGTH}"
    if reading.date_format is not None:
        wall, minutes, zone_ok, shapes = _declared(reading.date_format, t, fits, add)
        iso_instant = None
    else:
        wall, minutes, zone_ok, iso_instant, shapes = _general(reading, t, fits, add)
    offset_ok = f"({minutes} IS NULL OR (abs({minutes}) <= {MAX_OFFSET_MINUTES} AND {zone_ok}))"
    if reading.timestamp:
        if reading.session_zone:
            naive = f"CAST({wall} AS TIMESTAMPTZ)"
        else:
            naive = f"timezone({_literal(reading.zone)}, {wall})"
        explicit = f"timezone('UTC', {wall} - to_minutes({minutes}))"
        if iso_instant is not None:
            explicit = f"COALESCE({iso_instant}, {explicit})"
        value = add(
            7,
            "value",
            f"CASE WHEN NOT {offset_ok} THEN NULL WHEN {minutes} IS NOT NULL THEN {explicit} "
            f"ELSE {naive} END",
        )
        sql.offset_text = (
            f"CASE WHEN {value} IS NULL THEN NULL WHEN {minutes} IS NOT NULL "
            f"THEN {offset_text(minutes)} ELSE {_literal(reading.zone)} END"
        )
    else:
        value = add(7, "value", f"CASE WHEN {offset_ok} THEN CAST({wall} AS DATE) END")
    sql.value = value
    bad = add(8, "bad", _classify(reading, t, fits, value, offset_ok, shapes))
    sql.checks = [
        (f"{bad} = {int(code)}", reason)
        for code, reason in reasons(reading).items()
        if code is not Bad.OK
    ]
    return sql


#: ``column_sql``'s way to add a column: (level, name, expression) -> the column's name.
_Add = Callable[[int, str, str], str]


@dataclass(frozen=True)
class _Shapes:
    """Columns the classification of a bad value looks at (NULL where not computed)."""

    day_month: str = "NULL"
    number: str = "NULL"
    text: str = "NULL"


def _declared(fmt: str, t: str, fits: str, add: _Add) -> tuple[str, str, str, _Shapes]:
    if OFFSET_DIRECTIVES.search(fmt) is None:
        wall = add(1, "wall", f"CASE WHEN {fits} THEN try_strptime({t}, {_literal(fmt)}) END")
        return wall, "CAST(NULL AS INTEGER)", "TRUE", _Shapes(text=t)
    # Offsets are split off as everywhere else, so that they are kept, not just applied.
    split = add(
        1,
        "split",
        f"CASE WHEN {fits} THEN regexp_extract({t}, {_literal(DECLARED_SPLIT)}, "
        "['wall', 'zone', 'year']) END",
    )
    stripped = OFFSET_DIRECTIVES.sub("", fmt)
    wall = add(
        2,
        "wall",
        f"CASE WHEN {split}.zone <> '' THEN try_strptime({split}.wall || {split}.year, "
        f"{_literal(stripped)}) END",
    )
    total, valid = _zone_minutes(f"{split}.zone")
    minutes = add(2, "minutes", f"CASE WHEN {split}.zone <> '' THEN {total} END")
    zone_ok = add(2, "zone_ok", f"CASE WHEN {split}.zone <> '' THEN {valid} ELSE TRUE END")
    return wall, minutes, zone_ok, _Shapes(text=t)


def _general(
    reading: Reading, t: str, fits: str, add: _Add
) -> tuple[str, str, str, str | None, _Shapes]:
    # Level 1: ISO through DuckDB's casts (the wall clock ignores the offset; the instant
    # applies it), everything else split into wall-clock text and offset token.
    iso = add(
        1,
        "iso",
        f"CASE WHEN length({t}) <= 40 AND left({t}, 1) BETWEEN '0' AND '9' "
        f"THEN TRY_CAST({t} AS TIMESTAMP) END",
    )
    split = add(
        2,
        "split",
        f"CASE WHEN {fits} AND {iso} IS NULL "
        f"THEN regexp_extract({t}, {_literal(OFFSET_SPLIT)}, ['wall', 'zone', 'year']) END",
    )
    # Level 2: the instant of ISO values with an offset; the normalised text of the rest.
    instant = add(
        2,
        "instant",
        f"CASE WHEN {iso} IS NOT NULL AND {iso_offset_test(t)} "
        f"THEN TRY_CAST({t} AS TIMESTAMPTZ) END",
    )
    base = f"CASE WHEN {split}.zone <> '' THEN {split}.wall || {split}.year ELSE {t} END"
    x = add(
        3,
        "x",
        f"CASE WHEN {split} IS NOT NULL THEN "
        f"regexp_replace(regexp_replace({base}, '\\s+', ' ', 'g'), {_literal(WEEKDAY)}, '') END",
    )
    total, valid = _zone_minutes(f"{split}.zone")
    zone_minutes = add(3, "zone_minutes", f"CASE WHEN {split}.zone <> '' THEN {total} END")
    zone_ok = add(3, "zone_ok", f"CASE WHEN {split}.zone <> '' THEN {valid} ELSE TRUE END")
    # Level 4: the shapes of non-ISO dates, each tried only where its first character fits.
    digit = f"left({x}, 1) BETWEEN '0' AND '9'"
    letter = f"NOT ({digit})"
    day_month = add(4, "dm", _extract(x, DAY_MONTH, ("a", "b", "y", "time"), digit))
    year_first = add(4, "ymd", _extract(x, YEAR_FIRST, ("y", "m", "d", "time"), digit))
    compact = add(4, "compact", _extract(x, COMPACT, ("y", "m", "d", "hh", "mm", "ss"), digit))
    named_day = add(4, "nd", _extract(x, NAMED_DAY_FIRST, ("d", "mon", "y", "time"), digit))
    named_month = add(4, "nm", _extract(x, NAMED_MONTH_FIRST, ("mon", "d", "y", "time"), letter))
    ctime = add(4, "ct", _extract(x, CTIME, ("mon", "d", "time", "y"), letter))
    number = add(
        4,
        "number",
        f"CASE WHEN {digit} AND {split}.zone = '' AND regexp_matches({x}, {_literal(NUMBER)}) "
        f"AND length({x}) <= 30 THEN {x} END",
    )
    first, second = (f"{day_month}.a", f"{day_month}.b")
    day_part, month_part = (first, second) if reading.day_first else (second, first)
    day = (
        f"COALESCE({day_part}, {year_first}.d, {compact}.d, {named_day}.d, {named_month}.d, "
        f"{ctime}.d)"
    )
    month = (
        f"COALESCE(CAST({month_part} AS INTEGER), CAST({year_first}.m AS INTEGER), "
        f"CAST({compact}.m AS INTEGER), {_month_number(f'{named_day}.mon')}, "
        f"{_month_number(f'{named_month}.mon')}, {_month_number(f'{ctime}.mon')})"
    )
    year = _year(
        f"COALESCE({day_month}.y, {year_first}.y, {compact}.y, {named_day}.y, {named_month}.y, "
        f"{ctime}.y)"
    )
    clock = (
        f"COALESCE({day_month}.time, {year_first}.time, "
        f"CASE WHEN {compact}.hh <> '' THEN {compact}.hh || ':' || {compact}.mm || ':' || "
        f"{compact}.ss END, {named_day}.time, {named_month}.time, {ctime}.time)"
    )
    # Levels 5 and 6: walls from each way of writing, and the offset that goes with them.
    integer = f"split_part({number}, '.', 1)"
    epoch = "NULL"
    if reading.epoch is not None:
        digits, scale = (10, 1_000_000) if reading.epoch == "seconds" else (13, 1_000)
        epoch = (
            f"CASE WHEN length({integer}) = {digits} "
            f"THEN make_timestamp(CAST(round(CAST({number} AS DOUBLE) * {scale}) AS BIGINT)) END"
        )
    serial = "NULL"
    if reading.excel_serials:
        days = f"CAST({number} AS DOUBLE)"
        serial = (
            f"CASE WHEN length({integer}) <= 7 AND {days} >= 1 AND {days} < {MAX_EXCEL_SERIAL + 1} "
            f"AND floor({days}) <> 60 THEN CASE WHEN {days} < 60 THEN TIMESTAMP '1899-12-31' "
            f"ELSE TIMESTAMP '1899-12-30' END + "
            f"to_milliseconds(CAST(round({days} * 86400000) AS BIGINT)) END"
        )
    epoch_wall = add(5, "epoch", epoch)
    slow = (
        f"CASE WHEN {split} IS NOT NULL THEN COALESCE("
        f"CASE WHEN {split}.zone <> '' AND {digit} THEN TRY_CAST({x} AS TIMESTAMP) END, "
        f"try(make_date({year}, {month}, CAST({day} AS INTEGER))) + {_time_of_day(clock)}, "
        f"{serial}) END"
    )
    wall = add(6, "wall", f"COALESCE({iso}, {epoch_wall}, {slow})")
    minutes = add(
        6,
        "minutes",
        f"CASE WHEN {instant} IS NOT NULL "
        f"THEN CAST((epoch_us({iso}) - epoch_us({instant})) // 60000000 AS INTEGER) "
        f"WHEN {epoch_wall} IS NOT NULL THEN 0 ELSE {zone_minutes} END",
    )
    return wall, minutes, zone_ok, instant, _Shapes(day_month=day_month, number=number, text=x)


def _classify(
    reading: Reading, t: str, fits: str, value: str, offset_ok: str, shapes: _Shapes
) -> str:
    """SQL for the :class:`Bad` code of a cell, worked out only for cells that failed."""
    whens = [
        f"WHEN NOT {fits} THEN {int(Bad.OTHER)}",
        f"WHEN NOT {offset_ok} THEN {int(Bad.OFFSET)}",
    ]
    if reading.date_format is not None:
        whens.append(f"ELSE {int(Bad.FORMAT)}")
        return f"CASE WHEN {t} IS NULL OR {value} IS NOT NULL THEN 0 {' '.join(whens)} END"
    first = f"TRY_CAST({shapes.day_month}.a AS INTEGER)"
    second = f"TRY_CAST({shapes.day_month}.b AS INTEGER)"
    contradicts = (
        f"{second} > 12 AND {first} BETWEEN 1 AND 12"
        if reading.day_first
        else f"{first} > 12 AND {second} BETWEEN 1 AND 12"
    )
    integer = f"length(split_part({shapes.number}, '.', 1))"
    whens += [
        f"WHEN {shapes.day_month} IS NOT NULL AND {contradicts} THEN {int(Bad.CONVENTION)}",
        f"WHEN {shapes.day_month} IS NOT NULL THEN {int(Bad.NO_SUCH_DATE)}",
    ]
    if reading.epoch is not None:
        whens.append(
            f"WHEN {shapes.number} IS NOT NULL AND {integer} IN (10, 13) THEN {int(Bad.EPOCH_UNIT)}"
        )
    if reading.excel_serials:
        whens.append(
            f"WHEN {shapes.number} IS NOT NULL AND floor(CAST({shapes.number} AS DOUBLE)) = 60 "
            f"THEN {int(Bad.EXCEL_LEAP_DAY)}"
        )
    whens += [
        f"WHEN {shapes.number} IS NOT NULL THEN {int(Bad.NUMBER)}",
        f"WHEN regexp_matches({shapes.text}, '(?i)\\d\\s*(?:[a-z]{{3,5}}|[a-z]+/[a-z_]+)$') "
        f"AND NOT regexp_matches({shapes.text}, '(?i)[ap]\\.?m\\.?$') THEN {int(Bad.ZONE_NAME)}",
        f"ELSE {int(Bad.OTHER)}",
    ]
    return f"CASE WHEN {t} IS NULL OR {value} IS NOT NULL THEN 0 {' '.join(whens)} END"


def reasons(reading: Reading) -> dict[Bad, str]:
    """The quarantine reason of each :class:`Bad` code for ``reading``'s column.

    Each says what was found and what is read instead; all begin "not a date".
    """
    what = "not a date and time" if reading.timestamp else "not a date"
    order = "day-first" if reading.day_first else "month-first"
    other = "month-first" if reading.day_first else "day-first"
    epoch_digits = "10 digits (seconds)" if reading.epoch == "seconds" else "13 (milliseconds)"
    hours = MAX_OFFSET_MINUTES // 60
    return {
        Bad.OK: "",
        Bad.OFFSET: (
            f"{what}: its UTC offset is not a real one (offsets run from -{hours}:00 to "
            f"+{hours}:00, with minutes below 60)"
        ),
        Bad.FORMAT: (
            f"{what}: does not match the date_format {reading.date_format!r} declared in "
            f"{reading.source_file}; correct the value or the format"
        ),
        Bad.CONVENTION: (
            f"{what} in this column's {reading.convention}: the value only reads {other}; "
            "correct it, or declare day_first in a mapping"
        ),
        Bad.NO_SUCH_DATE: (
            f"{what}: day/month/year numbers with no such day when read {order}, the column's order"
        ),
        Bad.EPOCH_UNIT: (
            f"{what}: the column holds Unix epochs of {epoch_digits}{reading.epoch_reason}, "
            "and this number has the other length"
        ),
        Bad.NUMBER: (
            f"{what}: a number of the wrong size; Unix epochs have 10 digits (seconds) or 13 "
            "(milliseconds), and numbers are read as Excel day numbers in .xlsx files only"
        ),
        Bad.EXCEL_LEAP_DAY: (
            f"{what}: Excel's day number 60 is 29 February 1900, a day that never existed"
        ),
        Bad.ZONE_NAME: (
            f"{what}: it ends in a time zone name, which is not read (names such as EST are "
            "ambiguous); write a UTC offset such as -05:00, or drop the name and declare "
            "timezone in a mapping"
        ),
        Bad.OTHER: f"{what}; {ACCEPTED}",
    }


def time_offsets_sql(offsets: list[tuple[str, str]]) -> str:
    """SQL for the ``time_offsets`` JSON of a row: ``{field: "+hh:mm" or zone name}``.

    ``offsets`` pairs each timestamp field with its :attr:`ColumnSql.offset_text`. Field names
    and zone names hold no quotes or backslashes, so the JSON is written as text, keys in model
    order; NULL when no field has a value.
    """
    if not offsets:
        return "CAST(NULL AS VARCHAR)"
    members = [
        f"CASE WHEN {text} IS NOT NULL THEN '\"{name}\":\"' || {text} || '\"' END"
        for name, text in offsets
    ]
    joined = f"concat_ws(',', {', '.join(members)})"
    return f"CASE WHEN {joined} <> '' THEN '{{' || {joined} || '}}' END"


__all__ = [
    "ACCEPTED",
    "Bad",
    "ColumnSql",
    "Reading",
    "column_sql",
    "iso_offset_test",
    "reasons",
    "time_offsets_sql",
]
