"""``advocacy export TABLE``: what came in goes out unchanged, spreadsheets cannot run it, and
importing the export into a fresh workspace gives back the same records (DuckDB and PostgreSQL).
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import advocacy
from advocacy.ingest.readers import read_file
from advocacy.ingest.spreadsheet_cells import TRIGGERS, restore
from advocacy.present.cli.main import app

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
HOSTILE = [
    *FORMULAS,
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "she said \"hi\", then 'bye'; a,b",
    "'leading quote",
    "'=already neutral",
    "''@twice",
    "line one\nline two\r\nline three\rfour",
    "مرحبا بالعالم — 你好，世界 — Привет — 👍🏽 \u202eevil",
    "_x000D_ is not a carriage return",
    # What the old default redaction changed (issue 16): a handle, Portuguese "nothing", a place.
    "@SouthwestAir thanks for nothing",
    "Nada",
    "Flew from Mount Hagen, call me on +44 20 7946 0958 or jane.doe@example.com",
    "long " * 4_999 + "long",
]
#: Source columns no canonical field takes: they go to attrs, names and all.
ODD_COLUMNS = ["=cmd|' /C calc'!A0", "Store code", "notes, free"]


runner = CliRunner()


def advocacy_cli(*args: str) -> str:
    """Run a command in-process through Typer's runner; return its standard output."""
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def write_sources(folder: Path) -> tuple[Path, Path]:
    """A customers file and a responses file with a hostile text in every text field."""
    customers = folder / "customers.csv"
    with customers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "name", "email", "segment", "first_seen", *ODD_COLUMNS])
        for number, text in enumerate(HOSTILE):
            writer.writerow(
                [
                    f"C{number:03d}",
                    text,
                    f"c{number}@example.com",
                    text,
                    f"2023-0{1 + number % 9}-15 08:30:00+02:00",
                    text,
                    f"00{number}",
                    "" if number % 3 else text,
                ]
            )
    responses = folder / "responses.csv"
    with responses.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "response_id",
                "customer_id",
                "submitted_at",
                "nps",
                "csat",
                "weight",
                "unit",
                "comment",
                *ODD_COLUMNS,
            ]
        )
        for number, text in enumerate(HOSTILE):
            writer.writerow(
                [
                    f"R{number:03d}",
                    f"C{(number * 7) % (len(HOSTILE) + 4):03d}",  # some are stubs
                    f"2024-0{1 + number % 9}-{10 + number}T1{number % 10}:05:09Z",
                    str(number % 11),
                    "" if number % 4 == 0 else str(1 + (number % 9) / 2),
                    "0.333333" if number % 2 else "",
                    text,
                    text,
                    HOSTILE[-1 - number],
                    f"0{number}",
                    "",
                ]
            )
    return customers, responses


def stored(url: str, table: str) -> list[dict[str, Any]]:
    """Every column but ``source`` (which import wrote the row), ``attrs`` as parsed JSON."""
    with advocacy.open(url) as ws:
        rows = ws.table(table).to_pyarrow().to_pylist()
    out = []
    for row in rows:
        row.pop("source")
        attrs = row["attrs"]
        row["attrs"] = json.loads(attrs) if isinstance(attrs, str) else attrs
        out.append(row)
    key = f"{table[:-1]}_id" if table != "customers" else "customer_id"
    return sorted(out, key=lambda row: str(row[key]))


@pytest.fixture
def second_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another empty workspace on the same engine as ``db_url``."""
    if db_url.startswith("postgresql"):
        server = request.getfixturevalue("postgres_server")
        url: str = server.create()
        yield url
        server.drop(url)
    else:
        yield str(tmp_path / "second.duckdb")


@pytest.mark.parametrize("output", ["csv", "xlsx", "json", "parquet"])
def test_export_then_import_into_a_fresh_workspace_gives_identical_rows(
    db_url: str, second_url: str, tmp_path: Path, output: str
) -> None:
    customers, responses = write_sources(tmp_path)
    with advocacy.open(db_url) as ws:
        assert ws.import_file(customers, kind="customers").rows_quarantined == 0
        loaded = ws.import_file(responses, kind="responses")
        assert loaded.rows_quarantined == 0 and loaded.stubs_created > 0
        for table in ("customers", "responses"):
            ws.export(table, out=tmp_path / f"out_{table}.{output}")
    with advocacy.open(second_url) as ws:
        again = ws.import_file(tmp_path / f"out_customers.{output}", kind="customers")
        assert again.source_format == "advocacy-export"
        assert any("stub" in note for note in again.notes)
        ws.import_file(tmp_path / f"out_responses.{output}", kind="responses")
    for table in ("customers", "responses"):
        first, second = stored(db_url, table), stored(second_url, table)
        assert len(first) == len(second) >= len(HOSTILE)
        for before, after in zip(first, second, strict=True):
            assert after == before
    # A CSV source is read as a spreadsheet: "''@twice" was stored as "'@twice" and came back so.
    comments = [row["comment"] for row in stored(second_url, "responses")]
    assert comments == [restore(text) for text in HOSTILE]
    assert "'@twice" in comments


def test_round_trip_through_the_cli_as_csv(db_url: str, second_url: str, tmp_path: Path) -> None:
    _, responses = write_sources(tmp_path)
    out = tmp_path / "exported.csv"
    for args in (
        ("import", str(responses), "--kind", "responses", "--db", db_url),
        ("export", "responses", "--format", "csv", "--out", str(out), "--db", db_url),
        ("import", str(out), "--kind", "responses", "--db", second_url),
    ):
        advocacy_cli(*args)
    assert stored(second_url, "responses") == stored(db_url, "responses")


@pytest.fixture(scope="module")
def hostile_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    customers, responses = write_sources(folder)
    url = str(folder / "ws.duckdb")
    taxonomy = folder / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n"
        + "".join(
            f"  - name: {json.dumps(name)}\n    keywords: [{keyword}]\n"
            for name, keyword in zip(FORMULAS[:4], ["long", "line", "script", "said"], strict=True)
        ),
        encoding="utf-8",
    )
    with advocacy.open(url) as ws:
        ws.import_file(customers, kind="customers")
        ws.import_file(responses, kind="responses")
        ws.text.assign_themes(taxonomy)
    return Path(url)


def assert_no_cell_runs(cells: list[Any]) -> None:
    texts = [cell for cell in cells if isinstance(cell, str)]
    running = [cell for cell in texts if cell.startswith(TRIGGERS)]
    assert running == [], running[:3]


@pytest.mark.parametrize("table", ["customers", "responses"])
def test_cli_csv_export_neutralises_formulas_and_keeps_numbers(
    hostile_workspace: Path, tmp_path: Path, table: str
) -> None:
    out = tmp_path / f"{table}.csv"
    advocacy_cli("export", table, "--out", str(out), "--db", str(hostile_workspace))
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert_no_cell_runs([cell for row in body for cell in row])
    column = "comment" if table == "responses" else "name"
    values = [row[header.index(column)] for row in body]
    for formula in FORMULAS:
        assert "'" + formula in values
    # Everything else as stored, personal data included (redaction is asked for, not a default).
    assert "@SouthwestAir thanks for nothing" not in values  # would run: it starts with @ ...
    assert "'@SouthwestAir thanks for nothing" in values  # ... so it is neutralised, not redacted
    assert "Nada" in values
    assert any("jane.doe@example.com" in value for value in values)
    if table == "responses":
        assert sorted(int(row[header.index("nps")]) for row in body) == sorted(
            number % 11 for number in range(len(HOSTILE))
        )


def assert_text_cells_never_formulas(path: Path) -> list[Any]:
    """No cell of the XLSX file at ``path`` is a formula (or an error value); a text that a
    spreadsheet would run is a text cell in the style Excel gives a typed ``'=...``, so it stays
    text when edited. Returns the cells."""
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        xml = "".join(archive.read(name).decode("utf-8") for name in sheets)
    assert "<f>" not in xml and "<f " not in xml
    cells = [cell for sheet in load_workbook(path) for row in sheet.iter_rows() for cell in row]
    assert {cell.data_type for cell in cells} <= {"s", "n", "d", "b"}  # never "f" or "e"
    runnable = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=+-@"]
    assert runnable and all(cell.quotePrefix for cell in runnable)
    return cells


@pytest.mark.parametrize("table", ["customers", "responses"])
def test_cli_xlsx_export_writes_text_cells_never_formulas(
    hostile_workspace: Path, tmp_path: Path, table: str
) -> None:
    out = tmp_path / f"{table}.xlsx"
    advocacy_cli("export", table, "--out", str(out), "--db", str(hostile_workspace))
    assert_text_cells_never_formulas(out)
    sheet = load_workbook(out).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    column = header.index("comment" if table == "responses" else "name")
    values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # Shown as written, with no stray apostrophe: a text cell cannot run.
    assert set(FORMULAS[:4]) <= set(values)
    assert "'" + FORMULAS[0] not in values
    assert "@SouthwestAir thanks for nothing" in values
    assert "'leading quote" in values
    # Only apostrophes the reader takes off gain one ("''@twice" was stored as "'@twice"), so
    # import gives back every text.
    assert "''@twice" in values and "=already neutral" in values
    read = read_file(out).rows.column(header[column]).to_pylist()
    assert "'@twice" in read and set(FORMULAS) <= set(read)
    if table == "responses":
        nps = [row[header.index("nps")] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert all(isinstance(value, int) for value in nps)


def test_redaction_is_asked_for_and_help_says_what_it_does(
    hostile_workspace: Path, tmp_path: Path
) -> None:
    helped = advocacy_cli("export", "--help")
    assert "--redact" in helped and "[email]" in helped
    out = tmp_path / "redacted.json"
    said = advocacy_cli(
        "export",
        "responses",
        "--redact",
        "--out",
        str(out),
        "--db",
        str(hostile_workspace),
    )
    assert "personal data redacted" in said
    rows = {row["response_id"]: row for row in json.loads(out.read_text(encoding="utf-8"))}
    text = rows[f"R{HOSTILE.index(HOSTILE[-2]):03d}"]["comment"]
    assert "jane.doe@example.com" not in text and "[email]" in text and "[phone]" in text
    attrs = json.loads(rows["R001"]["attrs"])  # its first odd column holds the e-mail text
    assert "[email]" in json.dumps(attrs) and "jane.doe" not in json.dumps(attrs)
    customers = tmp_path / "customers.csv"
    advocacy_cli(
        "export",
        "customers",
        "--redact",
        "--out",
        str(customers),
        "--db",
        str(hostile_workspace),
    )
    with customers.open(newline="", encoding="utf-8") as handle:
        people = list(csv.DictReader(handle))
    known = [row for row in people if row["is_stub"] == "false"]
    assert {row["email"] for row in known} == {"[email]"}
    assert {row["name"] for row in known} == {"[name]"}


@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_cli_analysis_export_neutralises_theme_names_and_writes_lists_as_text(
    hostile_workspace: Path, tmp_path: Path, output: str
) -> None:
    out = tmp_path / f"themes.{output}"
    advocacy_cli("export", "analysis", "themes", "--out", str(out), "--db", str(hostile_workspace))
    raw = read_file(out)  # reads as import would: the ' comes off again
    themes = {row["name"]: row for row in raw.rows.to_pylist()}
    assert set(FORMULAS[:4]) <= set(themes)
    assert themes[FORMULAS[0]]["keywords"] == "long"
    if output == "csv":
        with out.open(newline="", encoding="utf-8") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert_no_cell_runs([cell for cell in cells if not _number(cell)])
        assert "'" + FORMULAS[0] in cells
    else:
        cells = assert_text_cells_never_formulas(out)
        assert FORMULAS[0] in [cell.value for cell in cells]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
