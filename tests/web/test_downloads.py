"""API downloads (``/api/v1/analyses/NAME?format=csv|xlsx``): cells that would run as spreadsheet
formulas are neutralised, list columns become readable text, and viewers still get masked rows.

The demo workspace gets customers, answers, units and curated themes whose names and texts are
formula payloads (issue 15).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

import advocacy
from advocacy.ingest.spreadsheet_cells import TRIGGERS, unescape_xlsx_text
from web.site import Site, bearer, prepare_site

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
#: Theme names are stripped of surrounding blanks, so the tab and CR payloads cannot lead one.
THEME_PAYLOADS = PAYLOADS[:4]
#: Words no demo comment uses, so each planted theme quotes planted comments only.
KEYWORDS = ["quibbleflux", "snorkelwave", "trundlebox", "wobbletorque"]


def _plant(url: str, folder: Path) -> None:
    customers = folder / "planted_customers.csv"
    responses = folder / "planted_responses.csv"
    with customers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "name", "email", "segment"])
        for number, payload in enumerate(PAYLOADS):
            writer.writerow([f"H{number}", payload, f"h{number}@example.com", payload])
    with responses.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "customer_id", "submitted_at", "nps", "unit", "comment"])
        for number, payload in enumerate(PAYLOADS):
            for copy in range(6):  # enough answers per unit for a score
                writer.writerow(
                    [
                        f"H{number}-{copy}",
                        f"H{number}",
                        f"2026-06-2{copy}T10:00:00Z",
                        "10",
                        payload,
                        f"{payload} about my {KEYWORDS[number % len(KEYWORDS)]}",
                    ]
                )
    taxonomy = folder / "planted_taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n"
        + "".join(
            f"  - name: {json.dumps(name)}\n    keywords: [{keyword}]\n"
            for name, keyword in zip(THEME_PAYLOADS, KEYWORDS, strict=True)
        ),
        encoding="utf-8",
    )
    with advocacy.open(url) as ws:
        ws.import_file(customers, kind="customers")
        ws.import_file(responses, kind="responses")
        ws.text.assign_themes(taxonomy)


@pytest.fixture(scope="module")
def site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The demo with the payloads planted (overrides the conftest's ``site`` in this module)."""
    folder = tmp_path_factory.mktemp("downloads")
    prepared = prepare_site(demo_directory, folder)
    _plant(prepared.url, folder)
    return prepared


def download(client: TestClient, site: Site, name: str, output: str, role: str) -> bytes:
    response = client.get(f"/api/v1/analyses/{name}?format={output}", headers=bearer(site, role))
    assert response.status_code == 200, response.text
    return response.content


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def xlsx_rows(content: bytes) -> list[dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )
    assert "<f>" not in xml and "<f " not in xml, "a formula element in the workbook"
    sheet = load_workbook(io.BytesIO(content)).active
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type in "fe"]
    # A text cell never runs; one that would if typed in is in the style of a typed '=...,
    # so editing it keeps it text.
    runnable = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS)
    ]
    assert all(cell.quotePrefix for cell in runnable)
    # As Excel shows them: its _xHHHH_ escapes (a carriage return, say) decoded.
    values = [
        [unescape_xlsx_text(cell) if isinstance(cell, str) else cell for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def rows_of(content: bytes, output: str) -> list[dict[str, Any]]:
    return csv_rows(content) if output == "csv" else xlsx_rows(content)


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def shown_as(payload: str, output: str) -> str:
    """How a spreadsheet shows ``payload``: behind a ``'`` in a CSV, as it is in an XLSX text
    cell (which never runs, see :func:`xlsx_rows`)."""
    return "'" + payload if output == "csv" else payload


def assert_nothing_runs(rows: list[dict[str, Any]], output: str = "csv") -> None:
    """No CSV text cell starts as a formula (a CSV's negative numbers are numbers, not text);
    an XLSX's cells were checked as read (:func:`xlsx_rows`)."""
    if output == "xlsx":
        return
    cells = [value for row in rows for value in [*row.values(), *row.keys()]]
    running = [
        cell
        for cell in cells
        if isinstance(cell, str) and cell.startswith(TRIGGERS) and not _number(cell)
    ]
    assert running == [], running[:3]


@pytest.mark.parametrize("output", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("name", "column", "planted"),
    [
        ("themes", "name", THEME_PAYLOADS),
        ("scores-by-unit", "unit", PAYLOADS),
        ("silent-promoters", "name", PAYLOADS),
        ("silent-promoters", "segment", PAYLOADS),
    ],
)
def test_downloads_neutralise_formula_payloads(
    client: TestClient, site: Site, output: str, name: str, column: str, planted: list[str]
) -> None:
    rows = rows_of(download(client, site, name, output, "analyst"), output)
    assert_nothing_runs(rows, output)
    shown = {row[column] for row in rows}
    assert {shown_as(payload, output) for payload in planted} <= shown


@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_theme_quotes_with_formulas_are_neutralised_too(
    client: TestClient, site: Site, output: str
) -> None:
    rows = rows_of(download(client, site, "themes", output, "analyst"), output)
    planted = [row for row in rows if row["name"] == shown_as(THEME_PAYLOADS[0], output)]
    assert len(planted) == 1
    quotes = str(planted[0]["quotes"])
    assert PAYLOADS[0] in quotes
    assert quotes.startswith(tuple(shown_as(payload, output) for payload in PAYLOADS))


@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_numbers_stay_numbers(client: TestClient, site: Site, output: str) -> None:
    rows = rows_of(download(client, site, "scores-by-unit", output, "analyst"), output)
    changes = [row["change"] for row in rows if row["change"] not in (None, "")]
    negative = [change for change in changes if float(change) < 0]
    assert negative, "the demo has units below the rest"
    if output == "xlsx":
        assert all(isinstance(change, float) for change in changes)
    else:  # "-12.5" is a number in a CSV: no apostrophe in front of it
        assert all(not change.startswith("'") for change in negative)


@pytest.mark.parametrize("output", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("name", "column"),
    [("themes", "keywords"), ("themes", "sentiment_mix"), ("gaps", "root_cause_themes")],
)
def test_list_and_mapping_columns_download_as_readable_text(
    client: TestClient, site: Site, output: str, name: str, column: str
) -> None:
    as_json = client.get(f"/api/v1/analyses/{name}", headers=bearer(site, "analyst")).json()
    rows = rows_of(download(client, site, name, output, "analyst"), output)
    assert len(rows) == len(as_json)
    for row, record in zip(rows, as_json, strict=True):
        value, cell = record[column], row[column]
        if value in (None, [], {}):
            continue
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            assert cell.removeprefix("'") == "; ".join(value)
        else:
            assert json.loads(cell.removeprefix("'")) == value


@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_viewers_downloads_stay_masked(client: TestClient, site: Site, output: str) -> None:
    rows = rows_of(download(client, site, "silent-promoters", output, "viewer"), output)
    assert rows
    names = {row["name"] for row in rows}
    assert names == {"•••"}
    assert not {row["email"] for row in rows} - {"•••", None, ""}
