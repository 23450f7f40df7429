"""Validate mapped rows against the canonical model, vectorised in an in-process DuckDB.

Every canonical field becomes a typed SQL expression plus an error condition with a reason, so a
million rows validate in one pass and every bad cell is reported with its row, column and value.
The same pass derives stable ids for sources that have none, the ``attrs`` JSON of unmapped
columns and a content hash that tells real updates from repeats, all independent of the target
database so a workspace gives the same ids on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.ingest.date_columns import read_date_columns, zone_notes
from advocacy.ingest.dates import (
    ColumnSql,
    Reading,
    column_sql,
    offset_entry,
    time_offsets_sql,
    utc_text,
)
from advocacy.ingest.missing_text import EMPTY_REASON, TEXT_FIELD, missing_text_notes
from advocacy.ingest.raw import Adapted, ItemColumn
from advocacy.ingest.reason_fixes import split_fix, with_fix
from advocacy.ingest.spreadsheet_cells import XLSX_CUT_NOTE
from advocacy.ingest.target_values import (
    MEAN_LOOKALIKES,
    METRIC_RANGES,
    METRIC_SPACE_CODES,
    PERCENT_SIGN_TEXT,
    fraction_note,
    is_fraction,
    lookalike_text,
    metric_name,
    percent_fix,
    percent_sql,
    range_text,
    score_fraction_note,
)
from advocacy.ingest.title_columns import text_from_titles
from advocacy.model import TIME_OFFSETS, WHOLE_RECORD, Field, FieldType, Kind


def cut_reason(table: str) -> str:
    """Why a text cell ending in an XLSX export's cut note is refused (review27 #15), with the
    export that holds the whole text."""
    return with_fix(
        "was cut to fit an Excel cell by an XLSX export (it ends in the note saying so): the "
        "rest of the text is not in the file, and importing it would store the cut text in "
        "place of the whole one",
        f"import the CSV, JSON or Parquet export for the whole text (advocacy export {table} "
        f"--out {table}.csv); to keep the cut text, delete the note at the end of the cell",
    )


#: What an empty required cell's reason says, without its fix (as a :class:`BadCell` holds it).
EMPTY_REASON_SAID = split_fix(EMPTY_REASON)[0]

ROW = "_row"
CONTENT = "__content"  # digest of a row's source text, for rows whose key is derived
#: Keys derived from a whole record start with this letter; earlier versions derived keys
#: starting with ``h`` from a few fields only, and those rows keep them.
DERIVED_KEY_PREFIX = "k"
#: What to do with rows of one file that share a key but differ: quarantine them all (the
#: default), or keep the first or the last of them and set the others aside.
ON_CONFLICT = ("quarantine", "first", "last")
DEFAULT_SCALES = {"csat": (1, 5), "ces": (1, 7)}
#: The reason of a cell that should hold a number and does not.
NOT_A_NUMBER = with_fix(
    "not a number", "write a number such as 4, 4.5 or 4,5 (a currency sign may stay), no words"
)


class BadCell(NamedTuple):
    """One reason a row was quarantined (a tuple: a file can have a million of them)."""

    row: int
    column: str
    value: str | None
    reason: str  # what is wrong, which may quote the user's value
    fix: str  # what to do: ours, kept apart where the check knows it (never the user's text)


@dataclass
class Validated:
    """The outcome of validation: typed good rows, their item rows, and the bad cells."""

    rows: pa.Table  # canonical typed columns + attrs + record_hash + _row
    items: pa.Table | None
    bad_cells: list[BadCell] = field(default_factory=list)
    # Records of bad rows found after the checks (conflicts); flagged rows' are bad_record_json.
    bad_records: dict[int, dict[str, str | None]] = field(default_factory=dict)
    duplicates: int = 0  # repeated rows identical to the one loaded
    superseded: list[int] = field(default_factory=list)  # rows on_conflict first/last set aside
    derived_keys: int = 0  # good rows whose key was derived from their content

    # Per bad row: its record as JSON text (as stored in quarantine), and its key where the
    # source gave one (so a later import that loads the fixed record can resolve the entry).
    bad_record_json: dict[int, str] = field(default_factory=dict)
    bad_keys: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how date columns were read, and why


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def is_identifier(kind: Kind, item: Field) -> bool:
    """Whether ``item`` holds ids (a key, a reference or a ``*_id`` column): one rule for the
    full validation and the plain writes' (:mod:`advocacy.ingest.plain_validation`)."""
    return item.name in kind.key or item.reference is not None or item.name.endswith("_id")


def _text(source: str) -> str:
    """SQL for a cell's text without surrounding spaces; NULL when that leaves nothing.

    DuckDB's trim() handles Unicode spaces and costs several times a copy, so it runs only on
    cells that can need it: an ASCII cell that neither starts nor ends with a space is its own
    trim (the same result, a tenth of the time on a million rows).
    """
    value = f"CAST({source} AS VARCHAR)"
    return (
        f"NULLIF(CASE WHEN length({value}) = strlen({value}) AND NOT prefix({value}, ' ') "
        f"AND NOT suffix({value}, ' ') THEN {value} ELSE trim({value}) END, '')"
    )


def _number(text: str) -> str:
    # Accept "4,5" (decimal comma), "1,234.50" (thousands) and a leading/trailing currency sign.
    cleaned = f"regexp_replace({text}, '^[$€£¥]\\s*|\\s*[$€£¥]$', '', 'g')"
    normal = (
        f"CASE WHEN regexp_matches({cleaned}, '^-?\\d+,\\d+$') THEN replace({cleaned}, ',', '.') "
        f"WHEN regexp_matches({cleaned}, '^-?\\d{{1,3}}(,\\d{{3}})+(\\.\\d+)?$') "
        f"THEN replace({cleaned}, ',', '') ELSE {cleaned} END"
    )
    # "NaN", "inf" and "Infinity" cast to doubles but are no number anyone gave: NULL, so the
    # row goes to quarantine with one reason, "not a number" (review22 item 6).
    number = f"TRY_CAST({normal} AS DOUBLE)"
    return f"CASE WHEN isfinite({number}) THEN {number} END"


def field_expressions(
    kind: Kind,
    item: Field,
    source: str,
    *,
    dates: ColumnSql | None = None,
    text_of: Callable[[str], str] = _text,
    number_of: Callable[[str], str] = _number,
) -> tuple[str, list[tuple[str, str]]]:
    """SQL for ``item``'s typed value from ``source``, and (condition, reason) error checks.

    Date and timestamp fields are read by ``dates`` (:func:`advocacy.ingest.dates.column_sql`,
    whose columns the plan computes first); without it the field is absent and NULL.
    ``text_of`` and ``number_of`` give the SQL of a cell's trimmed text and of that text's
    number: by default the expressions themselves, in a plan the columns computing each once.
    """
    text = text_of(source)
    checks: list[tuple[str, str]] = []
    if item.type is FieldType.TEXT:
        value = f"CASE WHEN {text} IS NOT NULL THEN CAST({source} AS VARCHAR) END"  # as written
        # A text an XLSX export cut to fit a cell: stored, it would replace the whole text.
        checks.append((f"suffix({text}, {literal(XLSX_CUT_NOTE.strip())})", cut_reason(kind.table)))
        if is_identifier(kind, item):
            checks.append(
                (
                    f"regexp_matches({text}, '^\\d(\\.\\d+)?[eE]\\+?\\d+$')",
                    "id looks like a spreadsheet's scientific notation and has lost digits; "
                    "fix: re-export with the column formatted as text",
                )
            )
            value = f"regexp_replace({text}, '^(\\d+)\\.0+$', '\\1')"
        if item.choices:
            value = f"lower({text})"
            allowed = ", ".join(literal(choice) for choice in item.choices)
            choices = ", ".join(item.choices)
            checks.append(
                (
                    f"{value} NOT IN ({allowed})",
                    with_fix(f"must be one of {choices}", f"write one of {choices} (any case)"),
                )
            )
    elif item.type in (FieldType.INTEGER, FieldType.FLOAT):
        number = number_of(text)
        checks.append((f"{number} IS NULL", NOT_A_NUMBER))
        if item.type is FieldType.INTEGER:
            checks.append(
                (
                    f"{number} <> floor({number})",
                    with_fix("must be a whole number", "write it without decimals, such as 7"),
                )
            )
            # NaN, infinities and 1e300 read as numbers but fit no integer column.
            checks.append(
                (
                    f"(NOT isfinite({number}) OR abs({number}) >= 1e18)",
                    with_fix(
                        "must be a whole number of at most 18 digits",
                        "write the number itself (an id belongs in a text field)",
                    ),
                )
            )
            value = f"TRY_CAST({number} AS BIGINT)"
        else:
            value = number
        low, high = item.minimum, item.maximum
        if low is not None and high is not None:
            checks.append(
                (
                    f"({number} < {low} OR {number} > {high})",
                    with_fix(
                        f"must be between {low:g} and {high:g}",
                        f"write a value from {low:g} to {high:g}, or map this column to the "
                        "field it holds",
                    ),
                )
            )
        elif low is not None:
            checks.append(
                (
                    f"{number} < {low}",
                    with_fix(f"must be at least {low:g}", f"write {low:g} or more"),
                )
            )
    elif item.type in (FieldType.TIMESTAMP, FieldType.DATE):
        sql_type = "TIMESTAMPTZ" if item.type is FieldType.TIMESTAMP else "DATE"
        value = f"CAST(NULL AS {sql_type})" if dates is None else dates.value
        if dates is not None:
            text = dates.text  # computed once, before the values
            checks.extend(dates.checks)
    elif item.type is FieldType.BOOLEAN:
        value = (
            f"CASE WHEN lower({text}) IN ('true','t','yes','y','1') THEN TRUE "
            f"WHEN lower({text}) IN ('false','f','no','n','0') THEN FALSE END"
        )
        checks.append(
            (f"{value} IS NULL", with_fix("not true/false", "write true, false, yes, no, 1 or 0"))
        )
    else:
        value = text
    # A check only applies where the cell has a value: empty cells are NULL, not errors.
    guarded = [(f"({text} IS NOT NULL AND ({condition}))", reason) for condition, reason in checks]
    if item.required:
        guarded.append((f"({text} IS NULL)", EMPTY_REASON))
    return value, guarded


def _scale_checks(adapted: Adapted, values: dict[str, str]) -> list[tuple[str, str, str]]:
    """Range checks of CSAT/CES against their declared (or default) scales."""
    checks: list[tuple[str, str, str]] = []
    for score, (low, high) in DEFAULT_SCALES.items():
        if score not in values:
            continue
        low_sql = f"COALESCE({values[score + '_scale_min']}, {low})"
        high_sql = f"COALESCE({values[score + '_scale_max']}, {high})"
        values[score + "_scale_min"] = f"CASE WHEN {values[score]} IS NOT NULL THEN {low_sql} END"
        values[score + "_scale_max"] = f"CASE WHEN {values[score]} IS NOT NULL THEN {high_sql} END"
        checks.append(
            (
                score,
                f"({values[score]} < {low_sql} OR {values[score]} > {high_sql})",
                f"outside the declared {score.upper()} scale (default {low}-{high}); fix: declare "
                f"the scale with {score}_scale_min/{score}_scale_max columns or mapping constants",
            )
        )
    return checks


def _stripped_metric(text: str) -> str:
    """SQL of ``text`` without the whitespace around it that
    :func:`~advocacy.ingest.target_values.metric_name` strips (DuckDB and PostgreSQL alike;
    their ``trim`` alone leaves tabs and line breaks)."""
    spaces = " || ".join(f"chr({code})" for code in METRIC_SPACE_CODES)
    return f"trim(both {spaces} from {text})"


def _target_checks(values: dict[str, str]) -> list[tuple[str, str]]:
    """Range checks of a target's desired value against its metric (:mod:`.target_values`);
    ``values["metric"]`` is already stripped as the import stores it."""
    metric = f"replace(lower({values['metric']}), '_', '-')"
    desired = values["desired_value"]
    return [
        (
            f"({desired} IS NOT NULL AND {metric} = {literal(name)} "
            f"AND ({desired} < {low} OR {desired} > {high}))",
            with_fix("outside the range of the target's metric", range_text(name)),
        )
        for name, (low, high) in METRIC_RANGES.items()
    ] + [
        (
            f"({desired} IS NOT NULL AND {metric} = {literal(name)} "
            f"AND {desired} > {low} AND {desired} <= {high})",
            lookalike_text(name),
        )
        for name, (low, high, _) in MEAN_LOOKALIKES.items()
    ]


def _item_expressions(
    items: list[ItemColumn], text_of: Callable[[str], str], number_of: Callable[[str], str]
) -> tuple[list[str], list[tuple[str, str, str]]]:
    selects, checks = [], []
    for index, item in enumerate(items):
        text = text_of(quote(item.column))
        number = number_of(text)
        selects.append(f"{number} AS __item_{index}")
        checks.append((item.column, f"({text} IS NOT NULL AND {number} IS NULL)", NOT_A_NUMBER))
        if item.scale_min is not None and item.scale_max is not None:
            checks.append(
                (
                    item.column,
                    f"({number} < {item.scale_min} OR {number} > {item.scale_max})",
                    with_fix(
                        f"outside the item's scale {item.scale_min:g}-{item.scale_max:g}",
                        "correct the rating, or declare the item's scale in a mapping",
                    ),
                )
            )
    return selects, checks


def _any(flags: list[str]) -> str:
    return "(" + " OR ".join(flags) + ")" if flags else "FALSE"


class _Plan:
    """The SQL that types, checks and hashes one kind's rows."""

    def __init__(
        self, adapted: Adapted, readings: dict[str, Reading], *, session_zone: str = ""
    ) -> None:
        kind = adapted.kind
        self.adapted = adapted
        self.kind = kind
        self.session_zone = session_zone
        self.values: dict[str, str] = {}
        self.checks: list[tuple[str, str, str]] = []  # (user-facing column, condition, reason)
        self.levels: list[list[str]] = []  # columns computed before the values (dates)
        # Each cell's trimmed text and each text's number, computed once in columns before
        # the values: a field's checks repeat them, which made a statement of 100,000
        # characters whose planning cost ~100 ms however few the rows.
        self.texts: dict[str, str] = {}  # SQL of the source -> its text column
        self.numbers: dict[str, str] = {}  # SQL of a text -> its number column
        offsets: list[tuple[str, str, str]] = []  # (field, offset minutes, zone)
        dated = 0
        for item in kind.fields:
            if item.name in adapted.fields:
                source, label = quote(adapted.fields[item.name]), adapted.fields[item.name]
            elif item.name in adapted.constants:
                source, label = literal(adapted.constants[item.name]), item.name
            else:
                # Absent: NULL, though a required field must still be reported as missing.
                source, label = "CAST(NULL AS VARCHAR)", item.name
            dates = None
            if item.name in readings:
                dates = column_sql(readings[item.name], self.text_of(source), dated)
                dated += 1
                self._add_levels(dates.levels)
                if dates.minutes is not None:
                    offsets.append((item.name, dates.minutes, readings[item.name].zone))
            value, checks = field_expressions(
                kind, item, source, dates=dates, text_of=self.text_of, number_of=self.number_of
            )
            self.values[item.name] = value
            self.checks.extend((label, condition, reason) for condition, reason in checks)
        scale_checks = _scale_checks(adapted, self.values)
        for score, condition, reason in scale_checks:
            label = adapted.fields.get(score, score)
            self.checks.append((label, f"({condition})", reason))
        if kind.name == "targets":
            # The metric is stored, checked and read by the gaps as one name: stripped of all
            # the whitespace metric_name strips (a tab too), so "csat<TAB>" meets the checks.
            metric_label = adapted.fields.get("metric", "metric")
            stripped = f"NULLIF({_stripped_metric(self.values['metric'])}, '')"
            blank = f"({self.values['metric']} IS NOT NULL AND {stripped} IS NULL)"
            self.checks.append((metric_label, blank, EMPTY_REASON))
            self.values["metric"] = stripped
            label = adapted.fields.get("desired_value", "desired_value")
            self.checks.extend(
                (label, condition, reason) for condition, reason in _target_checks(self.values)
            )
            if "desired_value" in adapted.fields:  # "85%": say to write 85, and only that
                text = self.text_of(quote(adapted.fields["desired_value"]))
                percent = percent_sql(text)
                condition = f"({self.values['desired_value']} IS NULL AND {percent})"
                self.checks = [
                    (name, f"({check} AND NOT COALESCE({percent}, FALSE))", reason)
                    if name == label and reason == NOT_A_NUMBER
                    else (name, check, reason)
                    for name, check, reason in self.checks
                ]
                self.checks.append((label, condition, PERCENT_SIGN_TEXT))
        self.item_selects, item_checks = _item_expressions(
            adapted.items, self.text_of, self.number_of
        )
        self.checks.extend(item_checks)
        pairs = ", ".join(
            f"{{'k': {literal(name)}, 'v': {self.kept(quote(name))}}}"
            for name in adapted.attrs_columns
        )
        kept = f"list_filter([{pairs}], x -> x.v IS NOT NULL)" if pairs else None
        self.attrs = (
            f"CASE WHEN len({kept}) > 0 THEN CAST(to_json(map_from_entries({kept})) AS VARCHAR) END"
            if kept
            else "CAST(NULL AS VARCHAR)"
        )
        # Offsets travel as minutes in hidden columns; time_offsets_json() writes their text.
        self.offsets = [
            (name, minutes, f"__offset{index}", zone)
            for index, (name, minutes, zone) in enumerate(offsets)
        ]

    def text_of(self, source: str) -> str:
        """The column holding :func:`_text` of ``source``."""
        name = self.texts.get(source)
        if name is None:
            name = self.texts[source] = f"__t{len(self.texts)}"
        return name

    def number_of(self, text: str) -> str:
        """The column holding :func:`_number` of the text column ``text``."""
        name = self.numbers.get(text)
        if name is None:
            name = self.numbers[text] = f"__n{len(self.numbers)}"
        return name

    def kept(self, source: str) -> str:
        """SQL for a cell's text as written (spaces and all); NULL when it is blank.

        Text people wrote (comments, categories, unmapped columns) is stored exactly: only
        values that are read (ids, numbers, dates, choices) are trimmed.
        """
        return f"CASE WHEN {self.text_of(source)} IS NOT NULL THEN CAST({source} AS VARCHAR) END"

    def _add_levels(self, levels: list[list[str]]) -> None:
        while len(self.levels) < len(levels):
            self.levels.append([])
        for index, columns in enumerate(levels):
            self.levels[index].extend(columns)

    def _source(self) -> str:
        """``raw`` with the date columns computed over it, level by level."""
        texts = [f"{_text(source)} AS {name}" for source, name in self.texts.items()]
        numbers = [f"{_number(text)} AS {name}" for text, name in self.numbers.items()]
        source = "raw"
        for columns in [texts, numbers, *self.levels]:
            if columns:
                source = f"(SELECT *, {', '.join(columns)} FROM {source})"
        return source

    def select(self) -> str:
        columns = [f"{ROW}"]
        columns += [f"{value} AS {quote(name)}" for name, value in self.values.items()]
        columns.append(f"{self.attrs} AS attrs")
        columns += [f"{minutes} AS {hidden}" for _, minutes, hidden, _ in self.offsets]
        columns += self.item_selects
        if self.whole_record_key:
            # Only rows without an id need their content: others pay for one CASE.
            key = self.values[self.kind.key[0]]
            columns.append(
                f"CASE WHEN {key} IS NULL THEN md5({self.source_row()}) END AS {CONTENT}"
            )
        columns += [
            f"COALESCE({condition}, FALSE) AS __e{index}"
            for index, (_, condition, _) in enumerate(self.checks)
        ]
        return "SELECT " + ", ".join(columns) + " FROM " + self._source()

    def time_offsets_json(self) -> str:
        """SQL for ``time_offsets`` over the checked rows (their hidden offset columns)."""
        return time_offsets_sql(
            [
                (name, offset_entry(quote(name), hidden, zone))
                for name, _, hidden, zone in self.offsets
            ]
        )

    @property
    def hidden(self) -> list[str]:
        """Columns of the checked rows that are not part of the result."""
        return [hidden for _, _, hidden, _ in self.offsets]

    @property
    def flags(self) -> list[str]:
        return [f"__e{index}" for index in range(len(self.checks))]

    @property
    def whole_record_key(self) -> bool:
        """Whether rows without an id get a key derived from everything they hold."""
        return len(self.kind.key) == 1 and self.kind.derived_key == WHOLE_RECORD

    def source_row(self) -> str:
        """SQL for a text that differs whenever two rows of the source differ in any way.

        Every column of the file counts, by its name (mapped to a field, read as an item rating
        or kept in attrs), as do the mapping's constants, so two files never give one record.
        The text is read as the file has it, not as typed: a key then stays the same when a later
        version reads a date or picks a comment column differently. Empty cells count as absent,
        so a later export that adds an empty column keys its rows as before. Scale bounds are
        left out: they are detected from the values present, which widen as a survey collects
        answers. Each part is prefixed by its length, so no two different rows give one text.
        """

        def part(value: str) -> str:
            return f"{len(value.encode('utf-8'))}:{value}"

        cells = ", ".join(
            f"{{'k': {literal(part(name))}, "
            f"'v': {self.text_of(quote(self.adapted.keyed_as.get(name, name)))}}}"
            for name in sorted(self.adapted.rows.column_names)
            if name not in self.adapted.derived_columns
        )
        # Each column's text appears once in the SQL: wide exports plan quickly.
        parts = (
            [
                f"array_to_string(list_transform(list_filter([{cells}], x -> x.v IS NOT NULL), "
                "x -> x.k || CAST(strlen(x.v) AS VARCHAR) || ':' || x.v), '')"
            ]
            if cells
            else []
        )
        for name, value in sorted(self.adapted.constants.items()):
            if not name.endswith(("_scale_min", "_scale_max")):
                parts.append(literal(part("=" + name) + part(value)))
        return "concat(" + ", ".join(parts) + ")" if parts else "''"

    def key_and_hash(self) -> str:
        """SQL over table ``good`` that fills derived keys and adds ``record_hash``."""
        kind = self.kind

        stamps = {item.name for item in kind.fields if item.type is FieldType.TIMESTAMP}

        def canonical(name: str) -> str:
            if name in stamps and self.session_zone == "UTC":
                return f"COALESCE({utc_text(quote(name))}, '\u2205')"
            return f"COALESCE(CAST({quote(name)} AS VARCHAR), '\u2205')"

        keyed = "SELECT * FROM good"
        if self.whole_record_key:
            # Identical rows in one file are distinct events (two equal purchases on a day),
            # told apart by occurrence number, which stays the same when the file, or an
            # overlapping export, is imported again.
            key = kind.key[0]
            occurrence = (
                f"row_number() OVER (PARTITION BY {quote(key)} IS NULL, {CONTENT} ORDER BY {ROW})"
            )
            keyed = (
                f"SELECT * REPLACE (COALESCE({quote(key)}, {literal(DERIVED_KEY_PREFIX)} || "
                f"substr(md5({CONTENT} || '#' || CAST({occurrence} AS VARCHAR)), 1, 24)) "
                f"AS {quote(key)}) FROM good"
            )
        elif len(kind.key) == 1 and kind.derived_key:
            # A natural key of several fields: rows agreeing on them are one record (or a
            # conflict), so no occurrence number; '#1' keeps the ids earlier versions gave.
            key = kind.key[0]
            fields = ", ".join(canonical(name) for name in kind.derived_key)
            keyed = (
                f"SELECT * REPLACE (COALESCE({quote(key)}, 'h' || substr(md5("
                f"concat_ws(chr(31), {fields}) || '#1'), 1, 24)) AS {quote(key)}) FROM good"
            )
        always, when_present = kind.hashed_fields
        content = ", ".join(canonical(name) for name in [*always, "attrs"])
        exclude = f" EXCLUDE ({CONTENT})" if self.whole_record_key else ""
        # The source's UTC offsets are content too; concat_ws skips NULL, so rows without
        # timestamps keep the hash they had before offsets were kept, and rows without a
        # field added later (a title) the hash they had before it was.
        content += f", {self.time_offsets_json()}"
        content += "".join(f", CAST({quote(name)} AS VARCHAR)" for name in when_present)
        return (
            f"SELECT *{exclude}, md5(concat_ws(chr(31), {content})) AS record_hash FROM ({keyed})"
        )


def _child_rows(con: duckdb.DuckDBPyConnection, adapted: Adapted, child: Kind) -> pa.Table | None:
    """Unpivot item columns of the kept rows into child item rows."""
    if not adapted.items:
        return None
    parent_key = adapted.kind.key[0]
    has_dimension = "dimension" in child.field_names
    parts = []
    for index, item in enumerate(adapted.items):
        columns = [
            f"{quote(parent_key)} AS {quote(child.key[0])}",
            f"{literal(item.item)} AS item",
        ]
        if has_dimension:
            dimension = "NULL" if item.dimension is None else literal(item.dimension)
            columns.append(f"CAST({dimension} AS VARCHAR) AS dimension")
        columns += [
            f"{literal(item.kind)} AS kind",
            f"__item_{index} AS value",
            f"CAST({'NULL' if item.scale_min is None else item.scale_min} AS DOUBLE) AS scale_min",
            f"CAST({'NULL' if item.scale_max is None else item.scale_max} AS DOUBLE) AS scale_max",
            f"{ROW}",
        ]
        parts.append(f"SELECT {', '.join(columns)} FROM kept WHERE __item_{index} IS NOT NULL")
    union = " UNION ALL ".join(parts)
    content = ", ".join(
        f"COALESCE(CAST({quote(name)} AS VARCHAR), '')" for name in child.field_names
    )
    sql = (
        f"SELECT *, CAST(NULL AS VARCHAR) AS attrs, CAST(NULL AS VARCHAR) AS {TIME_OFFSETS}, "
        f"md5(concat_ws(chr(31), {content})) "
        f"AS record_hash FROM ({union})"
    )
    return con.execute(sql).to_arrow_table()


def row_numbers(first: int, count: int, blank_rows: Sequence[int] = ()) -> NDArray[np.int64]:
    """Spreadsheet row numbers of ``count`` data rows starting at row ``first``.

    Blank lines the reader skipped (``blank_rows``) take up a row number each, as they do in a
    spreadsheet, so the rows after them count on from there.
    """
    blanks = np.array(sorted(row for row in blank_rows if row >= first), dtype=np.int64)
    rank = np.arange(count, dtype=np.int64)
    numbers = first + rank
    while blanks.size:
        # A row's number is its rank plus the blank rows at or before it: iterate to a fixpoint.
        shifted = first + rank + np.searchsorted(blanks, numbers, side="right")
        if np.array_equal(shifted, numbers):
            break
        numbers = shifted
    return numbers


def validate(
    adapted: Adapted,
    *,
    timezone: str,
    child: Kind | None = None,
    chunk_rows: int = 200_000,
    progress: Callable[[int], None] | None = None,
) -> Validated:
    """Type, check and key every row of ``adapted``.

    Parameters
    ----------
    adapted
        Rows mapped onto a kind's canonical fields.
    timezone
        IANA zone assumed for timestamps that carry no offset.
    child
        The kind of the item rows (``response-items``) when ``adapted`` has item columns.
    chunk_rows
        Rows per validation pass; ``progress`` is called with the rows done after each pass.

    Returns
    -------
    Validated
        Good rows (last row wins among duplicates of a key), their items, and every bad cell.
    """
    con = _scratch_connection(small=adapted.rows.num_rows <= SMALL_ROWS)
    try:
        try:
            con.execute(f"SET SESSION TimeZone = {literal(timezone)}")
        except duckdb.Error:
            raise UsageError(
                f"unknown time zone {timezone!r}",
                value=timezone,
                parameter="timezone",
                fix="set ADVOCACY_TIMEZONE to an IANA name such as UTC or Europe/Berlin",
            ) from None
        adapted, title_notes = text_from_titles(adapted)
        result = _validate(con, adapted, child=child, chunk_rows=chunk_rows, progress=progress)
        result.notes[:0] = title_notes
        return result
    finally:
        con.close()  # drops its temporary tables


#: Rows up to which a validation runs on one thread: API writes and survey answers validate a
#: few rows at a time, and handing such small queries to DuckDB's worker threads cost a quarter
#: more CPU time (and more on a busy server) than running them on the caller's thread.
SMALL_ROWS = 10_000
_scratch: dict[bool, tuple[int, duckdb.DuckDBPyConnection]] = {}
_scratch_lock = threading.Lock()


def _scratch_connection(*, small: bool = False) -> duckdb.DuckDBPyConnection:
    """A new connection to this process's in-memory validation database (one single-threaded
    for ``small`` validations, one using every core for files).

    Opening a database costs about 7 ms and a connection to an open one about 0.3 ms, which
    matters to API writes and survey answers that validate a few rows at a time. Each call's
    tables are temporary, so they belong to its own connection and vanish when it closes; a
    forked child opens a database of its own.
    """
    with _scratch_lock:
        found = _scratch.get(small)
        if found is None or found[0] != os.getpid():
            database = duckdb.connect(config={"threads": 1} if small else {})
            found = _scratch[small] = (os.getpid(), database)
        return found[1].cursor()


def _resolve_keys(
    con: duckdb.DuckDBPyConnection, adapted: Adapted, rows: pa.Table, result: Validated
) -> None:
    """Keep one row per key in table ``kept``; resolve rows of the file that share a key.

    Identical repeats of a row are counted as duplicates. Rows that share a key but differ are
    a conflict: by default every one of them is quarantined with a reason naming the key and
    the other rows, because the file does not say which is right; ``on_conflict: first`` or
    ``last`` keeps that one and sets the others aside (``Validated.superseded``).
    """
    on_conflict = adapted.on_conflict
    if on_conflict not in ON_CONFLICT:
        raise UsageError(
            f"unknown on_conflict {on_conflict!r}",
            value=on_conflict,
            parameter="on_conflict",
            fix="use one of: " + ", ".join(ON_CONFLICT),
        )
    names = [quote(name) for name in adapted.kind.key]
    keys = ", ".join(names)
    # Most files repeat no key: find the keys given more than once first (a hash aggregate)
    # and rank only their rows, instead of sorting the whole file by key.
    con.execute(
        f"CREATE TEMP TABLE repeated AS SELECT {keys} FROM keyed GROUP BY ALL HAVING count(*) > 1"
    )
    counted = con.execute("SELECT count(*) FROM repeated").fetchone()
    if not counted or not counted[0]:
        con.execute("CREATE TEMP VIEW kept AS SELECT * FROM keyed")
        return
    match = " AND ".join(f"k.{name} IS NOT DISTINCT FROM r.{name}" for name in names)
    order = "DESC" if on_conflict == "last" else ""
    window = f"(PARTITION BY {keys} ORDER BY {ROW} {order})"
    con.execute(
        "CREATE TEMP TABLE ranked AS SELECT *, "
        f"row_number() OVER {window} AS __rank, "
        f"first_value(record_hash) OVER {window} AS __chosen, "
        f"min(record_hash) OVER (PARTITION BY {keys}) <> max(record_hash) OVER "
        f"(PARTITION BY {keys}) AS __conflict "
        f"FROM (SELECT k.* FROM keyed k SEMI JOIN repeated r ON {match})"
    )
    kept = "__rank = 1" + (" AND NOT __conflict" if on_conflict == "quarantine" else "")
    con.execute(
        f"CREATE TEMP TABLE kept AS SELECT k.* FROM keyed k ANTI JOIN repeated r ON {match} "
        "UNION ALL BY NAME SELECT * EXCLUDE (__rank, __chosen, __conflict) "
        f"FROM ranked WHERE {kept}"
    )
    repeats = "__rank > 1 AND record_hash = __chosen"
    if on_conflict == "quarantine":
        repeats += " AND NOT __conflict"
        _quarantine_conflicts(con, adapted, rows, result)
    else:
        result.superseded = [
            int(row[0])
            for row in con.execute(
                f"SELECT {ROW} FROM ranked WHERE __rank > 1 AND record_hash <> __chosen "
                f"ORDER BY {ROW}"
            ).fetchall()
        ]
    counted = con.execute(f"SELECT count(*) FROM ranked WHERE {repeats}").fetchone()
    result.duplicates = int(counted[0]) if counted else 0


#: Other rows named in a conflict's reason; more are counted, not listed.
LISTED_ROWS = 10
#: Characters of a conflicting key quoted in the reason (the cell keeps the whole value).
SHOWN_KEY = 80
#: The fix of rows sharing a key with different values (their reason quotes the key).
CONFLICT_FIX = "make the key unique, or choose with on_conflict: first|last in a mapping file"


def _quarantine_conflicts(
    con: duckdb.DuckDBPyConnection, adapted: Adapted, rows: pa.Table, result: Validated
) -> None:
    """Quarantine every row of every key that rows of the file give different values."""
    kind = adapted.kind
    keys = ", ".join(quote(name) for name in kind.key)
    groups = con.execute(
        f"SELECT {keys}, list({ROW} ORDER BY {ROW}) FROM ranked WHERE __conflict "
        f"GROUP BY ALL ORDER BY min({ROW})"
    ).fetchall()
    if not groups:
        return
    # The key as the user knows it: the file's columns, or the fields a key is derived from.
    names = (
        list(kind.derived_key)
        if kind.derived_key and not any(name in adapted.fields for name in kind.key)
        else list(kind.key)
    )
    label = ", ".join(adapted.fields.get(name, name) for name in names)
    numbers = pa.table({ROW: pa.array([n for *_, group in groups for n in group], pa.int64())})
    con.register("conflicting", numbers)
    con.register("raw", rows)
    records = con.execute(f"SELECT raw.* FROM raw JOIN conflicting USING ({ROW})").to_arrow_table()
    con.unregister("raw")
    con.unregister("conflicting")
    by_row = {int(record.pop(ROW)): record for record in records.to_pylist()}
    described = names != list(kind.key)
    for *values, group in groups:
        if described:
            first = by_row[group[0]]
            shown = [first.get(adapted.fields.get(name, name)) for name in names]
        else:
            shown = values
        value = " / ".join("" if item is None else str(item) for item in shown)
        named = value if len(value) <= SHOWN_KEY else value[: SHOWN_KEY - 1] + "…"
        others = len(group) - 1
        for number in group:
            # The first rows other than this one: linear in the group, however large it is.
            first = [other for other in group[: LISTED_ROWS + 1] if other != number]
            listed = ", ".join(str(other) for other in first[:LISTED_ROWS])
            if others > LISTED_ROWS:
                listed += f" and {others - LISTED_ROWS:,} more"
            result.bad_records[number] = by_row[number]
            result.bad_cells.append(
                BadCell(
                    number,
                    label,
                    value,
                    f"conflicting key: {label} {named!r} is also on row"
                    f"{'s' if others > 1 else ''} {listed} with different values, so none "
                    "of them was loaded",
                    CONFLICT_FIX,
                )
            )


def _record_key(plan: _Plan, table: str) -> str:
    """SQL over ``checked`` (as ``table``) for a row's key as text, NULL without one."""
    columns = [f"{table}.{quote(name)}" for name in plan.kind.key]
    if len(columns) == 1:
        return f"CAST({columns[0]} AS VARCHAR)"
    parts = ", ".join(f"CAST({column} AS VARCHAR)" for column in columns)
    present = " AND ".join(f"{column} IS NOT NULL" for column in columns)
    return f"CASE WHEN {present} THEN concat_ws(chr(31), {parts}) END"


def _collect_bad_rows(
    con: duckdb.DuckDBPyConnection, plan: _Plan, rows: pa.Table, result: Validated
) -> None:
    """Every flagged cell as a :class:`BadCell`, and each bad row's record, JSON and key.

    Columnar throughout: the bad rows are taken from ``rows`` by position (rows are numbered in
    ascending order), their records written as JSON by DuckDB, and the flags unpivoted per
    check with Arrow, so a file with 100,000 bad rows costs no Python loop over its cells
    beyond making the result tuples. (Joining ``checked`` to the source rows in one query
    instead was twice as slow.)
    """
    flags = plan.flags
    bad = con.execute(
        f"SELECT {ROW}, {_record_key(plan, 'checked')} AS __key, {', '.join(flags)} "
        f"FROM checked WHERE {_any(flags)} ORDER BY {ROW}"
    ).to_arrow_table()
    if bad.num_rows == 0:
        return
    numbers = bad.column(ROW).to_numpy()
    positions = np.searchsorted(rows.column(ROW).to_numpy(), numbers)
    # A mask keeps the rows in order, chunk by chunk; take() would first join every chunk.
    keep = np.zeros(rows.num_rows, dtype=bool)
    keep[positions] = True
    records = rows.filter(pa.array(keep))
    names = [name for name in records.column_names if name != ROW]
    # The file's own cells: a rating read with "N/A" made empty shows the cell as written, and
    # the columns computed beside it stay out (a fixed export imports as the file did).
    adapted = plan.adapted
    shown = [name for name in names if name not in adapted.beside_keyed]
    pairs = ", ".join(
        f"{literal(name)}, {quote(adapted.keyed_as.get(name, name))}" for name in shown
    )
    con.register("bad_source", records)
    try:
        as_json = con.execute(
            f"SELECT CAST(json_object({pairs}) AS VARCHAR) FROM bad_source ORDER BY {ROW}"
        ).to_arrow_table()
    finally:
        con.unregister("bad_source")
    row_list = bad.column(ROW).to_pylist()
    result.bad_record_json.update(zip(row_list, as_json.column(0).to_pylist(), strict=True))
    result.bad_keys.update(
        (row, key)
        for row, key in zip(row_list, bad.column("__key").to_pylist(), strict=True)
        if key is not None
    )
    # No dict per row in bad_records: bad_record_json holds each record (see QuarantineEntry).
    records = records.select(names)
    parts = []
    for index, (label, _, text) in enumerate(plan.checks):
        flagged = pc.fill_null(bad.column(f"__e{index}"), False)
        count = pc.sum(flagged).as_py() or 0
        if not count:
            continue
        values = (
            records.column(label).filter(flagged)
            if label in names
            else pa.nulls(count, pa.string())
        ).cast(pa.string())
        reason, fix = split_fix(text)  # once per check: the text is ours
        fixes = (
            pa.array([percent_fix(value) for value in values.to_pylist()], pa.string())
            if text == PERCENT_SIGN_TEXT  # the fix names the cell's own number
            else pa.array([fix] * count, pa.string())
        )
        parts.append(
            pa.table(
                {
                    "row": bad.column(ROW).filter(flagged),
                    "column": pa.array([label] * count, pa.string()),
                    "value": values,
                    "reason": pa.array([reason] * count, pa.string()),
                    "fix": fixes,
                }
            )
        )
    cells = pa.concat_tables(parts).sort_by([("row", "ascending"), ("column", "ascending")])
    names = ["row", "column", "value", "reason", "fix"]
    columns = (cells.column(name).to_pylist() for name in names)
    result.bad_cells.extend(map(BadCell._make, zip(*columns, strict=True)))


def _validate(
    con: duckdb.DuckDBPyConnection,
    adapted: Adapted,
    *,
    child: Kind | None,
    chunk_rows: int,
    progress: Callable[[int], None] | None,
) -> Validated:
    rows = adapted.rows
    numbers = pa.array(row_numbers(adapted.first_data_row, rows.num_rows, adapted.blank_rows))
    rows = rows.append_column(ROW, numbers.cast(pa.int64()))
    zone = str(con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])
    readings, notes = read_date_columns(con, rows, adapted, session_zone=zone, cell_text=_text)
    plan = _Plan(adapted, readings, session_zone=zone)
    select = plan.select()
    for start in range(0, max(rows.num_rows, 1), chunk_rows):
        con.register("raw", rows.slice(start, chunk_rows))
        verb = "CREATE TEMP TABLE checked AS" if start == 0 else "INSERT INTO checked"
        con.execute(f"{verb} {select}")
        con.unregister("raw")
        if progress is not None:
            progress(min(start + chunk_rows, rows.num_rows))
    hidden = {name: column for name, _, column, _ in plan.offsets}
    notes += zone_notes(con, "checked", readings, hidden)
    result = Validated(rows=pa.table({}), items=None, notes=notes)
    flags = plan.flags
    if flags:
        _collect_bad_rows(con, plan, rows, result)
        text_column = adapted.fields.get(TEXT_FIELD)
        empty = sum(
            1
            for cell in result.bad_cells
            if cell.column == text_column and cell.reason == EMPTY_REASON_SAID
        )
        result.notes += missing_text_notes(adapted, empty)
    exclude = f" EXCLUDE ({', '.join(flags)})" if flags else ""
    con.execute(f"CREATE TEMP TABLE good AS SELECT *{exclude} FROM checked WHERE NOT {_any(flags)}")
    if plan.whole_record_key:
        counted = con.execute(f"SELECT count({CONTENT}) FROM good").fetchone()
        result.derived_keys = int(counted[0]) if counted else 0
    con.execute(f"CREATE TEMP TABLE keyed AS {plan.key_and_hash()}")
    _resolve_keys(con, adapted, rows, result)
    item_columns = [f"__item_{index}" for index in range(len(adapted.items))]
    if child is not None:
        result.items = _child_rows(con, adapted, child)
    drop = f" EXCLUDE ({', '.join(item_columns)})" if item_columns else ""
    names = [quote(name) for name in [*adapted.kind.field_names, "attrs"]]
    names += [f"{plan.time_offsets_json()} AS {TIME_OFFSETS}", "record_hash", ROW]
    result.rows = con.execute(
        f"SELECT {', '.join(names)} FROM (SELECT *{drop} FROM kept)"
    ).to_arrow_table()
    if adapted.kind.name == "targets":
        pairs = zip(
            result.rows.column("metric").to_pylist(),
            result.rows.column("desired_value").to_pylist(),
            strict=True,
        )
        read = [
            (metric_name(metric), value)
            for metric, value in pairs
            if metric is not None and value is not None
        ]
        result.notes += fraction_note([(m, v) for m, v in read if is_fraction(m, v)])
        result.notes += score_fraction_note(read)
    return result
