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

from advocacy.ingest.date_forms import (
    ACCEPTED,
    AM_PM,
    DAY_MONTH,
    DECLARED_SPLIT,
    MAX_EXCEL_SERIAL,
    MAX_LENGTH,
    MAX_OFFSET_MINUTES,
    NUMBER,
    OFFSET_SPLIT,
    SEPARATOR,
    WEEKDAY,
    ZONE_NAME,
    collapsed,
    date_parts,
    iso_offset,
    literal,
    matches,
    offset_text,
    packed,
    packed_clock,
    packed_date,
    part,
    starts_with_digit,
    time_of_day,
    zone_minutes,
    zone_parts,
)
from advocacy.ingest.date_rules import OFFSET_DIRECTIVES


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
    YEAR = 10


@dataclass(frozen=True)
class Possible:
    """Which kinds of value a column holds, from its evidence, so impossible checks are left out.

    Every check is a column of the validation table, and most columns can fail one or two ways.
    """

    day_month: bool = True  # numeric day/month dates
    contradictions: bool = True  # values that only read the other order
    numbers: bool = True

    def codes(self, reading: Reading) -> set[Bad]:
        """The codes a cell of ``reading``'s column can get."""
        codes = {Bad.OFFSET, Bad.YEAR, Bad.ZONE_NAME, Bad.OTHER}
        if reading.date_format is not None:
            return {Bad.OFFSET, Bad.YEAR, Bad.FORMAT}
        if self.day_month:
            codes.add(Bad.NO_SUCH_DATE)
        if self.day_month and self.contradictions:
            codes.add(Bad.CONVENTION)
        if self.numbers:
            codes.add(Bad.NUMBER)
            if reading.epoch is not None:
                codes.add(Bad.EPOCH_UNIT)
            if reading.excel_serials:
                codes.add(Bad.EXCEL_LEAP_DAY)
        return codes


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
    zone_given: str = "the timezone setting"  # where ``zone`` came from, for the notes
    possible: Possible = Possible()  # frozen, so one default can be shared


@dataclass
class ColumnSql:
    """SQL reading one date field: columns computed level by level, then value and checks."""

    levels: list[list[str]] = field(default_factory=list)
    text: str = "NULL"  # the column holding the cell's text
    value: str = "NULL"
    minutes: str | None = None  # TIMESTAMP fields: the offset written, in minutes (or NULL)
    checks: list[tuple[str, str]] = field(default_factory=list)


def column_sql(reading: Reading, text: str, index: int) -> ColumnSql:
    """The SQL that reads ``reading``'s field from SQL ``text``, the cell's trimmed text.

    Columns are named ``__d<index>_...``; ``levels`` lists them level by level, each level
    computed over the one before (the first over the raw rows). Checks are made only for the
    kinds of bad value the column's evidence says it can hold (``reading.possible``).
    """
    p = f"__d{index}_"
    sql = ColumnSql(levels=[[] for _ in range(LEVELS)])

    def add(level: int, name: str, expression: str) -> str:
        sql.levels[level].append(f"{expression} AS {p}{name}")
        return p + name

    t = add(0, "t", text)
    sql.text = t
    if reading.date_format is not None:
        read = _declared(reading.date_format, t, add)
    else:
        read = _general(reading, t, add)
    offset_ok = (
        f"({read.minutes} IS NULL OR (abs({read.minutes}) <= {MAX_OFFSET_MINUTES} "
        f"AND {read.zone_ok}))"
    )
    # Years 1-9999, a day in from either end so that no offset or zone takes an instant out.
    in_range = (
        f"({read.wall} BETWEEN TIMESTAMP '0001-01-02' AND TIMESTAMP '9999-12-30 23:59:59.999999')"
    )
    if reading.timestamp:
        if reading.session_zone:
            naive = f"CAST({read.wall} AS TIMESTAMPTZ)"
        else:
            naive = f"timezone({literal(reading.zone)}, {read.wall})"
        value = add(
            11,
            "value",
            f"CASE WHEN NOT {offset_ok} OR NOT {in_range} THEN NULL "
            f"WHEN {read.instant} IS NOT NULL THEN {read.instant} "
            f"WHEN {read.minutes} IS NOT NULL "
            f"THEN try(timezone('UTC', {read.wall} - to_minutes({read.minutes}))) "
            f"ELSE {naive} END",
        )
        sql.minutes = read.minutes
    else:
        value = add(
            11, "value", f"CASE WHEN {offset_ok} AND {in_range} THEN CAST({read.wall} AS DATE) END"
        )
    sql.value = value
    classify, codes = _classify(
        reading,
        t,
        value,
        offset_ok=offset_ok,
        out_of_range=f"{read.wall} IS NOT NULL AND NOT {in_range}",
        text=read.text,
        number=read.number,
    )
    bad = add(12, "bad", classify)
    told = reasons(reading)
    sql.checks = [(f"{bad} = {int(code)}", told[code]) for code in codes]
    return sql


#: Levels of columns one date field computes (see :func:`column_sql`).
LEVELS = 13
#: ``column_sql``'s way to add a column: (level, name, expression) -> the column's name.
_Add = Callable[[int, str, str], str]


@dataclass(frozen=True)
class _Read:
    """The columns a way of reading gives: wall clock, offset and what failed cells held."""

    wall: str  # TIMESTAMP: the wall-clock time written
    minutes: str  # INTEGER: the written offset east of UTC, NULL when none was written
    zone_ok: str = "TRUE"  # whether a written offset token is a real one
    instant: str = "CAST(NULL AS TIMESTAMPTZ)"  # the instant where DuckDB's cast gave it
    text: str = "NULL"  # the normalised text of a non-ISO value
    number: str = "NULL"  # the value when it is a plain number


def _split(t: str, pattern: str, condition: str, add: _Add) -> tuple[str, str, str, str]:
    """Columns: the value without its offset, the offset token, its minutes, and whether it is
    a real offset. Each intermediate is a column of its own, computed once."""
    rewritten = packed(t, pattern, "\\1\\3" + SEPARATOR + "\\2")  # wall (and year), zone
    split = add(
        2,
        "split",
        f"CASE WHEN {condition} THEN CASE WHEN {matches(t, pattern)} THEN {rewritten} "
        f"ELSE {t} || {literal(SEPARATOR)} END END",
    )
    zone = add(3, "zone", part(split, 2))
    parts = add(4, "zone_parts", f"CASE WHEN {zone} <> '' THEN {zone_parts(zone)} END")
    total, valid = zone_minutes(parts)
    minutes = add(5, "zone_minutes", f"CASE WHEN {parts} IS NOT NULL THEN {total} END")
    zone_ok = add(5, "zone_ok", f"CASE WHEN {parts} IS NOT NULL THEN {valid} ELSE TRUE END")
    head = add(3, "head", part(split, 1))
    return head, zone, minutes, zone_ok


def _declared(fmt: str, t: str, add: _Add) -> _Read:
    fits = f"length({t}) <= {MAX_LENGTH}"
    if OFFSET_DIRECTIVES.search(fmt) is None:
        wall = add(1, "wall", f"CASE WHEN {fits} THEN try_strptime({t}, {literal(fmt)}) END")
        return _Read(wall=wall, minutes="CAST(NULL AS INTEGER)", text=t)
    # Offsets are split off as everywhere else, so that they are kept, not just applied.
    head, zone, minutes, zone_ok = _split(t, DECLARED_SPLIT, fits, add)
    stripped = literal(OFFSET_DIRECTIVES.sub("", fmt))
    wall = add(6, "wall", f"CASE WHEN {zone} <> '' THEN try_strptime({head}, {stripped}) END")
    return _Read(wall=wall, minutes=minutes, zone_ok=zone_ok, text=t)


def _numbers(reading: Reading, number: str) -> tuple[str, str]:
    """SQL for the wall clock of an epoch (UTC) and of an Excel day number, as the column reads."""
    integer = f"length(split_part({number}, '.', 1))"
    epoch = "CAST(NULL AS TIMESTAMP)"
    if reading.epoch is not None:
        digits, scale = (10, 1_000_000) if reading.epoch == "seconds" else (13, 1_000)
        epoch = (
            f"CASE WHEN {integer} = {digits} THEN make_timestamp("
            f"TRY_CAST(round(TRY_CAST({number} AS DOUBLE) * {scale}) AS BIGINT)) END"
        )
    serial = "CAST(NULL AS TIMESTAMP)"
    if reading.excel_serials:
        days = f"TRY_CAST({number} AS DOUBLE)"
        # Excel counts 1900-01-01 as day 1 and, like Lotus 1-2-3, has a 29 February 1900.
        serial = (
            f"CASE WHEN {integer} <= 7 AND {days} >= 1 AND {days} < {MAX_EXCEL_SERIAL + 1} "
            f"AND floor({days}) <> 60 THEN CASE WHEN {days} < 60 THEN TIMESTAMP '1899-12-31' "
            f"ELSE TIMESTAMP '1899-12-30' END + "
            f"to_milliseconds(TRY_CAST(round({days} * 86400000) AS BIGINT)) END"
        )
    return epoch, serial


def _general(reading: Reading, t: str, add: _Add) -> _Read:
    # ISO 8601 through DuckDB's casts: the TIMESTAMP cast gives the wall clock (ignoring any
    # offset, and failing on zone names, which are not read), the TIMESTAMPTZ cast the instant.
    # Their difference is the offset, for values that end in one.
    iso = add(
        1,
        "iso",
        f"CASE WHEN {starts_with_digit(t)} AND length({t}) <= 40 "
        f"THEN TRY_CAST({t} AS TIMESTAMP) END",
    )
    offset = add(2, "iso_offset", f"CASE WHEN {iso} IS NOT NULL THEN {iso_offset(t)} END")
    # Without an offset the TIMESTAMPTZ cast applies the session's zone: right for that zone.
    instant_if = f"{iso} IS NOT NULL" if reading.session_zone else offset
    instant = add(3, "instant", f"CASE WHEN {instant_if} THEN TRY_CAST({t} AS TIMESTAMPTZ) END")
    # Everything else: the offset split off, the rest normalised and taken apart by shape, each
    # step only on the rows that need it (CASE), so ISO rows cost none of it.
    fits = f"{iso} IS NULL AND length({t}) <= {MAX_LENGTH}"
    head, zone, zone_offset, zone_ok = _split(t, OFFSET_SPLIT, fits, add)
    spaced = add(4, "spaced", f"CASE WHEN {head} IS NOT NULL THEN {collapsed(head)} END")
    x = add(
        5,
        "x",
        f"CASE WHEN {starts_with_digit(spaced)} THEN {spaced} "
        f"ELSE regexp_replace({spaced}, {literal(WEEKDAY)}, '') END",
    )
    # "2015-02-24 11:35:52" once its " -0800" is off: DuckDB's cast again.
    quick = add(
        6,
        "quick",
        f"CASE WHEN {zone} <> '' AND {x} LIKE '____-%' THEN TRY_CAST({x} AS TIMESTAMP) END",
    )
    number = add(
        6,
        "number",
        f"CASE WHEN {x} IS NOT NULL AND {zone} = '' AND {starts_with_digit(x)} "
        f"AND length({x}) <= 30 AND {matches(x, NUMBER)} THEN {x} END",
    )
    parts = add(
        7,
        "parts",
        # Of the plain numbers, only 20240531 (and 20240531140000) are dates by shape.
        f"CASE WHEN {x} IS NOT NULL AND {quick} IS NULL "
        f"AND ({number} IS NULL OR length({number}) IN (8, 14)) "
        f"THEN {date_parts(x, day_first=reading.day_first)} END",
    )
    epoch, serial = _numbers(reading, number)
    epoch_wall = add(7, "epoch", epoch)
    year_text, month_text, day_text = (
        add(8, name, part(parts, index)) for name, index in (("year", 1), ("month", 2), ("day", 3))
    )
    clock = add(8, "clock", packed_clock(parts))
    day = add(9, "date", packed_date(year_text, month_text, day_text))
    time = add(9, "time", time_of_day(clock))
    slow = f"COALESCE({quick}, {day} + {time}, {serial})"
    wall = add(
        10, "wall", f"COALESCE({iso}, {epoch_wall}, CASE WHEN {x} IS NOT NULL THEN {slow} END)"
    )
    minutes = add(
        10,
        "minutes",
        # An offset with seconds (+05:30:15) is no offset a store keeps whole: past the bound,
        # so the cell is quarantined rather than cut to +05:30 (which can change its date).
        f"CASE WHEN {offset} AND (epoch_us({iso}) - epoch_us({instant})) % 60000000 <> 0 "
        f"THEN {MAX_OFFSET_MINUTES + 1} "
        f"WHEN {offset} THEN TRY_CAST((epoch_us({iso}) - epoch_us({instant})) "
        "// 60000000 AS INTEGER) "
        f"WHEN {epoch_wall} IS NOT NULL THEN 0 ELSE {zone_offset} END",
    )
    if not reading.timestamp:
        instant = "CAST(NULL AS TIMESTAMPTZ)"  # a date keeps the day written, whatever the offset
    return _Read(
        wall=wall, minutes=minutes, zone_ok=zone_ok, instant=instant, text=x, number=number
    )


def _classify(
    reading: Reading,
    t: str,
    value: str,
    *,
    offset_ok: str,
    out_of_range: str,
    text: str,
    number: str,
) -> tuple[str, list[Bad]]:
    """SQL for the :class:`Bad` code of a cell (worked out only for cells that failed), and
    every code it can give, so that each has its check.

    Only the kinds the column's evidence makes possible are told apart; anything else is
    ``OTHER`` (``FORMAT`` under a declared format), so no failed cell goes without a check.
    """
    possible = reading.possible.codes(reading)
    fallback = Bad.FORMAT if reading.date_format is not None else Bad.OTHER
    shape = f"regexp_extract({text}, {literal(DAY_MONTH)}, ['a', 'b'])"
    first, second = f"TRY_CAST({shape}.a AS INTEGER)", f"TRY_CAST({shape}.b AS INTEGER)"
    contradicts = (
        f"{second} > 12 AND {first} BETWEEN 1 AND 12"
        if reading.day_first
        else f"{first} > 12 AND {second} BETWEEN 1 AND 12"
    )
    integer = f"length(split_part({number}, '.', 1))"
    branches = [
        (Bad.OTHER, f"length({t}) > {MAX_LENGTH}"),
        (Bad.OFFSET, f"NOT {offset_ok}"),
        (Bad.YEAR, out_of_range),
        (Bad.CONVENTION, f"{matches(text, DAY_MONTH)} AND {contradicts}"),
        (Bad.NO_SUCH_DATE, matches(text, DAY_MONTH)),
        (Bad.EPOCH_UNIT, f"{number} IS NOT NULL AND {integer} IN (10, 13)"),
        (
            Bad.EXCEL_LEAP_DAY,
            f"{number} IS NOT NULL AND floor(TRY_CAST({number} AS DOUBLE)) = 60",
        ),
        (Bad.NUMBER, f"{number} IS NOT NULL"),
        (
            Bad.ZONE_NAME,
            f"{matches(text, ZONE_NAME)} AND NOT {matches(text, AM_PM)}",
        ),
    ]
    chosen = [(code, condition) for code, condition in branches if code in possible]
    whens = " ".join(f"WHEN {condition} THEN {int(code)}" for code, condition in chosen)
    sql = (
        f"CASE WHEN {t} IS NULL OR {value} IS NOT NULL THEN {int(Bad.OK)} {whens} "
        f"ELSE {int(fallback)} END"
    )
    return sql, sorted({code for code, _ in chosen} | {fallback})


def reasons(reading: Reading) -> dict[Bad, str]:
    """The quarantine reason of each :class:`Bad` code for ``reading``'s column.

    Each says what was found and, after "; fix: ", what to do (see
    :mod:`advocacy.ingest.reason_fixes`); all begin "not a date".
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
            f"+{hours}:00, in whole minutes below 60); fix: write it as +hh:mm"
        ),
        Bad.FORMAT: (
            f"{what}: does not match the date_format {reading.date_format!r} declared in "
            f"{reading.source_file}; fix: correct the value or the format"
        ),
        Bad.CONVENTION: (
            f"{what} in this column's {reading.convention}: the value only reads {other}; "
            "fix: correct it, or declare day_first in a mapping"
        ),
        Bad.NO_SUCH_DATE: (
            f"{what}: day/month/year numbers with no such day when read {order}, the column's "
            f"order; fix: correct the day, or write the date as year-month-day (2024-05-31)"
        ),
        Bad.EPOCH_UNIT: (
            f"{what}: the column holds Unix epochs of {epoch_digits}{reading.epoch_reason}, "
            "and this number has the other length; fix: write it with the column's length, or "
            "as a date (2024-05-31 14:00:00+00:00)"
        ),
        Bad.NUMBER: (
            f"{what}: a number of the wrong size; Unix epochs have 10 digits (seconds) or 13 "
            "(milliseconds), and numbers are read as Excel day numbers in .xlsx files only; fix: "
            "write it as a date (2024-05-31 14:00:00+00:00)"
        ),
        Bad.EXCEL_LEAP_DAY: (
            f"{what}: Excel's day number 60 is 29 February 1900, a day that never existed; "
            "fix: correct the date"
        ),
        Bad.ZONE_NAME: (
            f"{what}: it ends in a time zone name, which is not read (names such as EST are "
            "ambiguous); fix: write a UTC offset such as -05:00, or drop the name and declare "
            "timezone in a mapping"
        ),
        Bad.OTHER: f"{what}; fix: write it in one of the forms read ({ACCEPTED})",
        Bad.YEAR: f"{what}: its year is outside 1 to 9999; fix: correct the year",
    }


def utc_text(timestamp: str) -> str:
    """SQL: the text DuckDB gives a TIMESTAMPTZ ``timestamp`` in a UTC session, computed
    without ICU's calendar (the same bytes, ``2024-05-31 14:00:00.5+00``, for years 1-9999,
    at a third of the cost); hashes and derived keys render timestamps so."""
    return f"CAST(make_timestamp(epoch_us({timestamp})) AS VARCHAR) || '+00'"


def offset_entry(value: str, minutes: str, zone: str) -> str:
    """SQL for one field's ``time_offsets`` entry: the offset written (``+hh:mm``, from SQL
    ``minutes``), else the ``zone`` the value was read in; NULL without a ``value``, and NULL
    for an offset of +00:00, the one a timestamp without entry stands for (see
    :data:`advocacy.model.TIME_OFFSETS`), so that UTC data, the commonest, stores nothing.

    Validation carries the minutes, an integer, and writes this text only where it is needed
    (the hash and the result): a text column costs a million rows' worth of strings in every
    table the rows pass through.
    """
    return (
        f"CASE WHEN {value} IS NULL THEN NULL WHEN {minutes} IS NULL THEN {literal(zone)} "
        f"WHEN {minutes} = 0 THEN NULL ELSE {offset_text(minutes)} END"
    )


def time_offsets_sql(offsets: list[tuple[str, str]]) -> str:
    """SQL for the ``time_offsets`` JSON of a row: ``{field: "+hh:mm" or zone name}``.

    ``offsets`` pairs each timestamp field with its :func:`offset_entry`. Field names and zone
    names hold no quotes or backslashes, so the JSON is written as text, keys in model order;
    NULL when no field has a value.
    """
    if not offsets:
        return "CAST(NULL AS VARCHAR)"
    if len(offsets) == 1:
        [(name, text)] = offsets
        return f"'{{\"{name}\":\"' || {text} || '\"}}'"
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
    "Possible",
    "Reading",
    "column_sql",
    "offset_entry",
    "reasons",
    "time_offsets_sql",
    "utc_text",
]
