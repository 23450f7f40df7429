"""Decide, once per column, how its dates are read: day or month first, epochs, time zone.

A file writes its dates one way throughout, so the evidence of the whole column decides, never
one row on its own: a column where any value puts a number above 12 first (``30/09/2021``) is
day-first, and then ``05/10/2021`` is 5 October; where any puts it second, month-first. When both
kinds are present the larger group names the convention and the values that only read the other
way are quarantined with a reason that gives the counts. With no evidence the column keeps
month-first, as US survey exports write it, and the import summary says so and how to declare
the order. Numbers are Unix epochs when they have 10 digits (seconds) or 13 (milliseconds), the
column's more common length winning, and Excel day numbers in ``.xlsx`` files.

One aggregate query over the whole file gathers the evidence of every date column before the
rows are read in chunks; its regular expressions run only on values that are not ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from advocacy.ingest.date_rules import DateRule, DateRules
from advocacy.ingest.dates import Possible, Reading
from advocacy.ingest.raw import Adapted
from advocacy.model import Field, FieldType

# The start of a numeric day/month date: its first two parts.
# Examples in notes and reasons show only this part: digits and separators, never other text.
_DAY_MONTH_HEAD = r"^((\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2}))(?:[ T,]|$)"
_NUMBER = r"^\d+(?:\.\d+)?$"


@dataclass(frozen=True)
class Evidence:
    """What a column's values say about how they are written."""

    values: int = 0
    day_first: int = 0  # first part above 12, second at most 12: only reads day-first
    day_first_example: str | None = None
    month_first: int = 0
    month_first_example: str | None = None
    ambiguous: int = 0  # both parts 1-12 and different: reads either way
    ambiguous_example: str | None = None
    epoch_seconds: int = 0  # numbers of 10 digits
    epoch_milliseconds: int = 0  # numbers of 13 digits
    small_numbers: int = 0  # up to 7 digits: Excel day numbers in an .xlsx
    numeric_dates: int = 0  # day/month/year numbers, whichever their order
    numbers: int = 0

    def possible(self, day_first: bool) -> Possible:
        """The kinds of bad value this column can hold, read day-first or not."""
        return Possible(
            day_month=self.numeric_dates > 0,
            contradictions=(self.month_first if day_first else self.day_first) > 0,
            numbers=self.numbers > 0,
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _digit(text: str, position: int) -> str:
    return f"substr({text}, {position}, 1) BETWEEN '0' AND '9'"


def _profile_columns(index: int, source: str) -> tuple[list[str], list[str], list[str]]:
    """Per-row text, per-row facts and aggregates of the ``index``-th date column."""
    t, dm, digits = (f"__p{index}_{name}" for name in ("t", "dm", "digits"))
    text = [f"{source} AS {t}"]
    # ISO 8601 (the common case) is neither a day/month date nor a number: a LIKE, far cheaper
    # than any regular expression, keeps those rows out of the expressions below.
    other = f"NOT ({t} LIKE '____-%') AND length({t}) <= 100"
    facts = [
        f"CASE WHEN {other} THEN regexp_extract({t}, {_literal(_DAY_MONTH_HEAD)}, "
        f"['head', 'a', 'b']) END AS {dm}",
        f"CASE WHEN {other} AND length({t}) <= 30 AND regexp_matches({t}, {_literal(_NUMBER)}) "
        f"THEN length(split_part({t}, '.', 1)) END AS {digits}",
    ]
    first, second = f"TRY_CAST({dm}.a AS INTEGER)", f"TRY_CAST({dm}.b AS INTEGER)"
    day = f"{first} > 12 AND {second} BETWEEN 1 AND 12"
    month = f"{second} > 12 AND {first} BETWEEN 1 AND 12"
    either = f"{first} BETWEEN 1 AND 12 AND {second} BETWEEN 1 AND 12 AND {first} <> {second}"
    aggregates = [
        f"count({t})",
        f"count(*) FILTER (WHERE {day})",
        f"min({dm}.head) FILTER (WHERE {day})",
        f"count(*) FILTER (WHERE {month})",
        f"min({dm}.head) FILTER (WHERE {month})",
        f"count(*) FILTER (WHERE {either})",
        f"min({dm}.head) FILTER (WHERE {either})",
        f"count(*) FILTER (WHERE {digits} = 10)",
        f"count(*) FILTER (WHERE {digits} = 13)",
        f"count(*) FILTER (WHERE {digits} <= 7)",
        f"count(*) FILTER (WHERE {dm}.a <> '')",
        f"count({digits})",
    ]
    return text, facts, aggregates


def gather_evidence(
    con: duckdb.DuckDBPyConnection, rows: pa.Table, texts: list[str]
) -> list[Evidence]:
    """The :class:`Evidence` of each SQL ``texts`` expression (a cell's trimmed text) over
    ``rows``, in one query."""
    if not texts:
        return []
    columns, facts, aggregates = [], [], []
    for index, source in enumerate(texts):
        text, fact, aggregate = _profile_columns(index, source)
        columns += text
        facts += fact
        aggregates += aggregate
    con.register("__date_rows", rows)
    try:
        sql = (
            f"SELECT {', '.join(aggregates)} FROM (SELECT *, {', '.join(facts)} FROM "
            f"(SELECT {', '.join(columns)} FROM __date_rows))"
        )
        found = con.execute(sql).fetchone() or ()
    finally:
        con.unregister("__date_rows")
    width = len(Evidence.__dataclass_fields__)
    return [Evidence(*found[start : start + width]) for start in range(0, len(found), width)]


def _numbers(count: int) -> str:
    return f"{count:,} number{'s' if count != 1 else ''}"


def _values(count: int) -> str:
    return f"{count:,} value{'s' if count != 1 else ''}"


def _counted(count: int, example: str | None) -> str:
    return f"{_values(count)} such as {example}"


def _order(
    field: Field, label: str, rule: DateRule, evidence: Evidence, source_file: str
) -> tuple[bool, str, list[str]]:
    """Day-first or not, the convention told in contradiction reasons, and notes."""
    notes: list[str] = []
    day, month = evidence.day_first, evidence.month_first
    day_text = _counted(day, evidence.day_first_example) + " put a day above 12 first"
    month_text = _counted(month, evidence.month_first_example) + " put a day above 12 second"
    declare = (
        f"declare the order in a mapping: 'dates: {{{field.name}: {{day_first: true}}}}' "
        "(or 'day_first: true' for every date field)"
    )
    if rule.day_first is not None:
        first = rule.day_first
        order = "day-first" if first else "month-first"
        against = month_text if first else day_text
        return first, f"{order} order declared in {source_file} ({against})", notes
    if day and month:
        first = day > month
        order = "day-first" if first else "month-first"
        convention = f"{order} order ({day_text}; {month_text})"
        notes.append(
            f"{label}: dates in both orders ({day_text}; {month_text}): read {order}, the more "
            f"common; the {min(day, month):,} that only read the other way are quarantined"
        )
        return first, convention, notes
    if day:
        notes.append(f"{label}: read day-first, because {day_text}" + _same_way(evidence, True))
        return True, f"day-first order ({day_text})", notes
    if month:
        said = f"{label}: read month-first, because {month_text}"
        notes.append(said + _same_way(evidence, False))
        return False, f"month-first order ({month_text})", notes
    if evidence.ambiguous:
        notes.append(
            f"{label}: day and month could not be told apart in "
            f"{_counted(evidence.ambiguous, evidence.ambiguous_example)}, both parts 12 or "
            f"below; {'it was' if evidence.ambiguous == 1 else 'they were'} read month-first; "
            f"if the file writes the day first, {declare}"
        )
    return False, "month-first order (the default)", notes


def _same_way(evidence: Evidence, day_first: bool) -> str:
    if not evidence.ambiguous:
        return ""
    order = "day-first" if day_first else "month-first"
    # One value "reads either way" and "was" read so; several "read" and "were".
    reads = "reads either way was" if evidence.ambiguous == 1 else "read either way were"
    counted = _counted(evidence.ambiguous, evidence.ambiguous_example)
    return f"; {counted} that {reads} read {order} too"


def decide(
    field: Field,
    label: str,
    evidence: Evidence,
    *,
    rules: DateRules,
    session_zone: str,
    excel_serials: bool,
) -> tuple[Reading, list[str]]:
    """How ``field`` (read from column ``label``) is read, and the notes that say why."""
    rule = rules.for_field(field.name)
    where = label if label == field.name else f"{field.name} (column {label!r})"
    notes: list[str] = []
    day_first, convention = False, ""
    if rule.date_format is None:
        day_first, convention, notes = _order(field, where, rule, evidence, rules.source)
    seconds, milliseconds = evidence.epoch_seconds, evidence.epoch_milliseconds
    epoch, epoch_reason, epochs = None, "", 0
    if rule.date_format is None and (seconds or milliseconds):
        epoch = "seconds" if seconds >= milliseconds else "milliseconds"
        epochs = max(seconds, milliseconds)
        if seconds and milliseconds:
            epoch_reason = f" ({epochs:,} of its {seconds + milliseconds:,} epoch-like numbers)"
        notes.append(f"{where}: read {_numbers(epochs)} as Unix epoch {epoch} (UTC)")
    serials = excel_serials and rule.date_format is None and evidence.small_numbers > 0
    if serials:
        notes.append(
            f"{where}: read {_numbers(evidence.small_numbers)} as Excel day numbers (1900 system)"
        )
    zone = rule.timezone or session_zone
    reading = Reading(
        field=field.name,
        label=label,
        timestamp=field.type is FieldType.TIMESTAMP,
        zone=zone,
        session_zone=zone == session_zone,
        zone_given=(
            f"the timezone in {rules.source}"
            if rule.timezone is not None
            else "the timezone setting, ADVOCACY_TIMEZONE"
        ),
        possible=evidence.possible(day_first),
        date_format=rule.date_format,
        day_first=day_first,
        convention=convention,
        epoch=epoch,
        epoch_reason=epoch_reason,
        excel_serials=serials,
        source_file=rules.source,
    )
    return reading, notes


def read_date_columns(
    con: duckdb.DuckDBPyConnection,
    rows: pa.Table,
    adapted: Adapted,
    *,
    session_zone: str,
    cell_text: Callable[[str], str],
) -> tuple[dict[str, Reading], list[str]]:
    """How each date field of ``adapted`` that has a source is read, and the notes to show.

    Parameters
    ----------
    con
        The validation database's connection (its session zone is ``session_zone``).
    rows
        All rows of the file, whose evidence decides.
    adapted
        The mapped rows: which column or constant holds each field, and the mapping's
        declarations (``adapted.dates``).
    session_zone
        The zone of values without an offset where the mapping declares none.
    cell_text
        SQL for a cell's trimmed text (NULL when empty) from a column or literal's SQL.
    """
    fields: list[tuple[Field, str, str]] = []
    for item in adapted.kind.fields:
        if item.type not in (FieldType.TIMESTAMP, FieldType.DATE):
            continue
        if item.name in adapted.fields:
            column = adapted.fields[item.name]
            fields.append((item, _quote(column), column))
        elif item.name in adapted.constants:
            fields.append((item, _literal(adapted.constants[item.name]), item.name))
    found = gather_evidence(con, rows, [cell_text(source) for _, source, _ in fields])
    readings: dict[str, Reading] = {}
    notes: list[str] = []
    for (item, _, label), evidence in zip(fields, found, strict=True):
        reading, said = decide(
            item,
            label,
            evidence,
            rules=adapted.dates,
            session_zone=session_zone,
            excel_serials=adapted.excel_serials,
        )
        readings[item.name] = reading
        notes += said
    return readings, notes


def zone_notes(
    con: duckdb.DuckDBPyConnection,
    table: str,
    readings: dict[str, Reading],
    offsets: dict[str, str],
) -> list[str]:
    """Notes saying in which zone each timestamp column's values without an offset were read.

    Counted in the validated ``table``, where ``offsets`` names, per timestamp field, the
    column of the offset written (NULL where none was).
    """
    stamps = [reading for reading in readings.values() if reading.field in offsets]
    if not stamps:
        return []
    counts = [
        f"count(*) FILTER (WHERE {_quote(reading.field)} IS NOT NULL "
        f"AND {offsets[reading.field]} IS NULL)"
        for reading in stamps
    ]
    found = con.execute(f"SELECT {', '.join(counts)} FROM {table}").fetchone() or ()
    notes = []
    for reading, count in zip(stamps, found, strict=True):
        if count:
            where = (
                reading.label
                if reading.label == reading.field
                else f"{reading.field} (column {reading.label!r})"
            )
            were, they = ("was", "it is") if count == 1 else ("were", "they are")
            notes.append(
                f"{where}: {_values(int(count))} without a UTC offset {were} read as "
                f"{reading.zone} time ({reading.zone_given}); declare 'timezone' in a mapping "
                f"if {they} another zone's"
            )
    return notes


__all__ = ["Evidence", "decide", "gather_evidence", "read_date_columns", "zone_notes"]
