"""What readers and format adapters hand on: raw string tables and their canonical mapping.

Readers never guess types: every cell stays a string (``None`` for empty) so ids keep their
leading zeros and validation can name the exact bad value. Row numbers are spreadsheet row
numbers (the header is row 1), so users find the row in the file they opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from advocacy.ingest.date_rules import DateRules
from advocacy.model import Kind


def string_table(header: list[str], columns: list[list[str | None]]) -> pa.Table:
    """A table of string columns named by ``header``."""
    return pa.table(
        {name: pa.array(values, pa.string()) for name, values in zip(header, columns, strict=True)}
    )


@dataclass(frozen=True)
class BrokenRecord:
    """A record the CSV reader could not split into the header's columns, kept as its raw text."""

    row: int  # spreadsheet row number: the record takes one row, as a whole record would
    line: int  # physical line (1-based) where the record starts, for a text editor
    text: str  # the record's raw text, without its line terminator
    reason: str


@dataclass
class RawTable:
    """A file's content as read: a header and string-typed rows."""

    path: str
    file_format: str  # csv, tsv, xlsx, json, jsonl, parquet
    header: list[str]  # column names, made unique ("Q1", "Q1 (2)")
    rows: pa.Table  # one string column per header entry, named by it
    encoding: str | None = None
    delimiter: str | None = None
    first_data_row: int = 2  # spreadsheet row number of rows[0]
    # Row numbers (as above) of blank lines the reader skipped: later rows shift down by each.
    blank_rows: tuple[int, ...] = ()
    # Records that could not be split into columns (CSV only): they go to quarantine whole.
    broken: tuple[BrokenRecord, ...] = ()
    # The header rows exactly as the file has them (None for an empty cell), top row first;
    # empty for formats whose names are keys (JSON, Parquet).
    header_cells: list[list[str | None]] = field(default_factory=list)
    # What the reader noticed and the import summary should say.
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_rows(self) -> tuple[int, ...]:
        """Row numbers that hold no row of ``rows``: blank lines and broken records."""
        return tuple(sorted({*self.blank_rows, *(record.row for record in self.broken)}))


@dataclass(frozen=True)
class Detection:
    """A survey question recognised as a canonical field, and why."""

    column: str
    field: str  # canonical field, "item:<name>", or "attrs"
    reason: str


@dataclass
class ItemColumn:
    """A source column whose values become child item rows (attribute ratings)."""

    column: str
    item: str
    kind: str = "rating"  # perception | expectation | importance | rating (| current | desired)
    dimension: str | None = None
    scale_min: float | None = None
    scale_max: float | None = None


@dataclass
class Adapted:
    """A raw table mapped onto one kind of the canonical model, before validation.

    ``fields`` maps canonical field names to source column names in ``rows``; ``constants``
    gives fixed values; every column of ``rows`` not named in ``fields`` or ``items`` goes to
    ``attrs`` so nothing is lost.
    """

    kind: Kind
    # qualtrics, qualtrics-legacy, surveymonkey, typeform, google-forms, delighted, generic, mapping
    source_format: str
    rows: pa.Table
    first_data_row: int
    fields: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    items: list[ItemColumn] = field(default_factory=list)
    detections: list[Detection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blank_rows: tuple[int, ...] = ()  # the raw table's skipped blank lines
    on_conflict: str = "quarantine"  # rows sharing a key with different values: or first, last
    dates: DateRules = field(default_factory=DateRules)  # the mapping's date declarations
    excel_serials: bool = False  # numbers in date fields are Excel day numbers (an .xlsx)
    # Customer id -> the e-mail address it was derived from (advocacy.ingest.email_identity):
    # the importer keeps each as its customer's e-mail.
    contacts: dict[str, str] = field(default_factory=dict)
    # Columns computed from others (a customer id from an e-mail), each with the columns whose
    # values it carries whole: a row's derived key leaves the computed column out (its sources
    # are in it), and the columns it carries are not copied to attrs.
    derived_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A column of the file -> the column holding its cells as written, which keys a row without
    # an id in its place: a rating read with "N/A" made empty keys its rows as the version that
    # kept the whole column in attrs did, so a re-import updates them instead of adding them.
    keyed_as: dict[str, str] = field(default_factory=dict)
    # The columns computed beside a column of keyed_as (its cells as written, its non-answers),
    # which a quarantined row's record leaves out: it shows the file's cell as written instead.
    beside_keyed: tuple[str, ...] = ()

    @property
    def attrs_columns(self) -> list[str]:
        used = set(self.fields.values()) | {item.column for item in self.items}
        used.update(column for carried in self.derived_columns.values() for column in carried)
        return [name for name in self.rows.column_names if name not in used]
