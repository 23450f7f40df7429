"""Random tables through every reader, import, export, import again: nothing lost or merged.

Each example writes a table of interactions (with or without ids, repeated rows, extra columns
that land in ``attrs``, free text holding delimiters, quotes, line breaks, formula-like leading
characters and other scripts, dates in one of the styles people write) as CSV in any dialect,
encoding and line ending, as XLSX or as JSON lines; some rows carry one bad cell. It checks:

- every good row is stored, exactly as written (text byte for byte, numbers, instants and the
  UTC offset the file gave), and no two rows are merged, identical repeats without ids included;
- the bad rows, and only they, are quarantined, each naming its bad column and keeping the whole
  source record;
- ``advocacy export`` to CSV imported into a fresh workspace gives identical rows (the same
  keys, values, instants and offsets; a value read without an offset comes back with the offset
  its zone had, written by the export, in place of the zone's name).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advocacy

TEXT_FIELDS = ("channel", "outcome", "unit")
STORED = (
    "interaction_id, occurred_at, channel, outcome, unit, duration_seconds, attrs, "
    "time_offsets, record_hash"
)

# Free text: any script, quotes, delimiters, line breaks, leading formula characters. Latin-1
# letters are left to WESTERN (and mojibake to its own tests): a random 'Ã' next to a '©' is
# what the importer deliberately repairs as UTF-8 read as cp1252.
FREE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="".join(chr(code) for code in range(0x80, 0x300)),
        whitelist_characters="\n\r\t\",;|' =+-@",
    ),
    min_size=1,
    max_size=15,
)
WESTERN = st.lists(
    st.one_of(
        st.sampled_from(["café", "Größe", "niño", "don’t", "“fine”", "Zoë", "€ 12", "=1+2"]),
        st.from_regex(r"[A-Za-z0-9,;|\t\"' =+@-]{1,6}", fullmatch=True),
    ),
    min_size=1,
    max_size=4,
).map(" ".join)
#: What spreadsheet readers take one ``'`` off, as neutralised by an export (spreadsheet_cells).
NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def _cells(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Cells holding something besides spaces (a blank cell is an empty value by design), and
    not looking like a neutralised formula, which CSV and XLSX readers restore by design."""
    return strategy.filter(lambda text: text.strip() != "" and not NEUTRALISED.match(text))


OFFSETS = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)
MOMENTS = st.datetimes(
    min_value=datetime(2001, 9, 10), max_value=datetime(2060, 12, 31), timezones=OFFSETS
).map(lambda moment: moment.replace(microsecond=0))


def _offset(moment: datetime, colon: bool = True) -> str:
    minutes = int((moment.utcoffset() or timedelta(0)).total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}{':' if colon else ''}{rest:02d}"


def _twelve(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


@dataclass(frozen=True)
class Style:
    """How a column writes its dates; without an offset the wall clock is read as UTC."""

    write: Callable[[datetime], str]
    keeps_offset: bool
    epoch: bool = False  # the instant itself, with no offset to keep
    day_first: bool = False  # declared in a mapping (a column may never show a day above 12)


STYLES = {
    "iso": Style(lambda m: m.isoformat(), True),
    "iso space hhmm": Style(lambda m: f"{m:%Y-%m-%d %H:%M:%S} {_offset(m, False)}", True),
    "rfc 2822": Style(lambda m: f"{m:%a, %d %b %Y %H:%M:%S} {_offset(m, False)}", True),
    "twitter": Style(lambda m: f"{m:%a %b %d %H:%M:%S} {_offset(m, False)} {m:%Y}", True),
    "iso naive": Style(lambda m: f"{m:%Y-%m-%d %H:%M:%S}", False),
    "month first": Style(lambda m: f"{m.month}/{m.day}/{m:%Y} {_twelve(m)}", False),
    "day first": Style(lambda m: f"{m:%d/%m/%Y %H:%M:%S}", False, day_first=True),
    "epoch": Style(lambda m: str(int(m.timestamp())), False, epoch=True),
}
# One bad cell per bad row: a column and what is written there.
BAD_CELLS = [
    ("occurred_at", "not a date"),
    ("occurred_at", ""),  # required
    ("duration_seconds", "lots"),
    ("duration_seconds", "-3"),  # below the minimum of 0
]


@dataclass
class Table:
    header: list[str]
    rows: list[dict[str, str]]  # as written; "" is an empty cell
    moments: list[datetime]  # per row, the instant meant
    bad: dict[int, str]  # row index -> the bad column
    style: Style


@st.composite
def tables(draw: st.DrawFn, cell: st.SearchStrategy[str]) -> Table:
    style = STYLES[draw(st.sampled_from(sorted(STYLES)))]
    with_ids = draw(st.booleans())
    extra = draw(st.lists(st.from_regex(r"x_[a-z]{1,6}", fullmatch=True), max_size=2, unique=True))
    count = draw(st.integers(min_value=1, max_value=8))
    ids = draw(
        st.lists(
            st.from_regex(r"0?[0-9A-Z-]{1,10}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    header = [*(["interaction_id"] if with_ids else []), "occurred_at", *TEXT_FIELDS]
    header += ["duration_seconds", *extra]
    rows: list[dict[str, str]] = []
    moments: list[datetime] = []
    bad: dict[int, str] = {}
    for index in range(count):
        if rows and not with_ids and draw(st.booleans()):
            # Repeated rows of a file without ids are separate events (two equal purchases).
            rows.append(dict(rows[-1]))
            moments.append(moments[-1])
            if index - 1 in bad:
                bad[index] = bad[index - 1]
            continue
        moment = draw(MOMENTS)
        row = {"interaction_id": ids[index]} if with_ids else {}
        row["occurred_at"] = style.write(moment)
        row |= {name: draw(_cells(cell)) for name in TEXT_FIELDS}
        row["duration_seconds"] = repr(draw(st.floats(min_value=0, max_value=1e6)))
        row |= {name: draw(_cells(cell)) for name in extra}
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            column, value = draw(st.sampled_from(BAD_CELLS))
            row[column] = value
            bad[index] = column
        rows.append(row)
        moments.append(moment)
    return Table(header, rows, moments, bad, style)


def _write_csv(table: Table, path: Path, options: dict[str, Any]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=options["delimiter"],
        lineterminator=options["ending"],
        quoting=csv.QUOTE_ALL,
    )
    writer.writerow(table.header)
    writer.writerows([row[name] for name in table.header] for row in table.rows)
    path.write_bytes(buffer.getvalue().encode(options["encoding"]))


def _write_xlsx(table: Table, path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(table.header)
    for number, row in enumerate(table.rows, start=2):
        for column, name in enumerate(table.header, start=1):
            if row[name] != "":
                cell = sheet.cell(row=number, column=column)
                # As Excel writes a carriage return: XML reads a bare CR as a line feed.
                cell.value = row[name].replace("\r", "_x000D_")
                cell.data_type = "s"  # text as typed, never a formula
    book.save(path)


def _write_jsonl(table: Table, path: Path) -> None:
    lines = [json.dumps({name: row[name] or None for name in table.header}) for row in table.rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _import(path: Path, folder: Path, mapping: Path | None) -> tuple[Any, list[tuple[Any, ...]]]:
    folder.mkdir(exist_ok=True)
    url = str(folder / f"{path.stem}.duckdb")
    with advocacy.open(url) as ws:
        result = ws.import_file(path, kind="interactions", mapping=mapping)
        stored = ws.db.fetchall(f"SELECT {STORED} FROM interactions ORDER BY record_hash")
        quarantined = ws.quarantine()
        exported = folder / f"{path.stem}-export.csv"
        ws.export("interactions", out=exported)
    return (result, quarantined, exported), stored


def _expected_attrs(table: Table, row: dict[str, str]) -> dict[str, str]:
    known = {"interaction_id", "occurred_at", "duration_seconds", *TEXT_FIELDS}
    return {name: row[name] for name in table.header if name not in known}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    writer=st.sampled_from(["csv", "xlsx", "jsonl"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    ending=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_tables_import_export_and_import_again_unchanged(
    data: st.DataObject, writer: str, delimiter: str, ending: str, encoding: str
) -> None:
    western = writer == "csv" and encoding == "cp1252"
    table = data.draw(tables(WESTERN if western else FREE))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / f"interactions.{writer}"
        if writer == "csv":
            _write_csv(
                table, path, {"delimiter": delimiter, "ending": ending, "encoding": encoding}
            )
        else:
            {"xlsx": _write_xlsx, "jsonl": _write_jsonl}[writer](table, path)
        mapping = None
        if table.style.day_first:
            mapping = folder / "map.yaml"
            mapping.write_text("kind: interactions\nday_first: true\n", encoding="utf-8")
        (result, quarantined, exported), stored = _import(path, folder, mapping)

        # Bad rows, and only they, are quarantined, naming the column and keeping the record.
        good = [index for index in range(len(table.rows)) if index not in table.bad]
        first_row = 1 if writer == "jsonl" else 2  # the row a spreadsheet or editor shows
        assert result.rows_quarantined == len(table.bad)
        assert sorted((entry["row"], entry["column"]) for entry in quarantined) == sorted(
            (index + first_row, column) for index, column in table.bad.items()
        )
        for entry in quarantined:
            written = table.rows[entry["row"] - first_row]
            record = {key: value or "" for key, value in entry["record"].items()}
            assert record == written

        # Every good row stored as written; none merged.
        assert result.rows_loaded == len(good)
        assert len(stored) == len(good)
        expected = []
        for index in good:
            row, moment = table.rows[index], table.moments[index]
            exact = table.style.keeps_offset or table.style.epoch
            instant = moment if exact else moment.replace(tzinfo=UTC)
            expected.append(
                (
                    row.get("interaction_id"),
                    instant.astimezone(UTC),
                    *(row[name] for name in TEXT_FIELDS),
                    float(row["duration_seconds"]),
                    _expected_attrs(table, row),
                )
            )
        got = [
            (
                values[0] if "interaction_id" in table.header else None,
                values[1].astimezone(UTC),
                *values[2:6],
                json.loads(values[6]) if values[6] else {},
            )
            for values in stored
        ]
        assert sorted(got, key=repr) == sorted(expected, key=repr)
        # The offset the file gave is kept (none stored for UTC, the commonest).
        offsets = {
            _offset(table.moments[index])
            for index in good
            if table.style.keeps_offset and table.moments[index].utcoffset()
        }
        kept = {json.loads(values[7])["occurred_at"] for values in stored if values[7]}
        if table.style.keeps_offset:
            assert kept == offsets

        # Exported and imported into a fresh workspace: the same rows, instants and offsets. A
        # value read without an offset (here in UTC) was exported with the offset its zone had
        # then, which the fresh workspace keeps in place of the zone's name (none for +00:00),
        # so only such rows' offsets entry, and with it their hash, differ.
        (again, _, _), restored = _import(exported, folder / "again", None)
        assert again.rows_quarantined == 0
        assert len(restored) == len(stored)
        by_key = {values[:7]: values[7:] for values in restored}
        assert by_key.keys() == {values[:7] for values in stored}
        for values in stored:
            offsets, record_hash = by_key[values[:7]]
            if values[7] and json.loads(values[7])["occurred_at"] == "UTC":
                assert offsets is None
            else:
                assert (offsets, record_hash) == (values[7], values[8])
