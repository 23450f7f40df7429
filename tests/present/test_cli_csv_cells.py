"""Every CSV the CLI writes neutralises cells a spreadsheet would run: ``--format csv`` listings,
``survey links`` (a mailing file of customers' names) and ``retention predict --out``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

import advocacy
from advocacy.present.cli.main import app

runner = CliRunner()
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_listings_neutralise_formulas(tmp_path: Path) -> None:
    data = tmp_path / "answers.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "nps", "comment"])
        writer.writerows([f"R{n}", payload, "x"] for n, payload in enumerate(PAYLOADS))
    db = str(tmp_path / "ws.duckdb")
    with advocacy.open(db) as ws:
        assert ws.import_file(data, kind="responses").rows_quarantined == len(PAYLOADS)
    listed = invoke("quarantine", "list", "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(listed, newline="")))
    assert sorted(row["value"] for row in rows) == sorted("'" + p for p in PAYLOADS)


@pytest.fixture
def survey_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "test-key-not-for-production")
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://survey.example.com/")


def test_survey_links_neutralise_customer_names(survey_settings: None, tmp_path: Path) -> None:
    db = str(tmp_path / "ws.duckdb")
    with advocacy.open(db) as ws:
        for number, payload in enumerate(PAYLOADS):
            ws.db.execute(
                "INSERT INTO customers (customer_id, name, email, segment) VALUES (?, ?, ?, ?)",
                [f"C{number}", payload, f"{payload}@example.com", "smb"],
            )
    out = tmp_path / "links.csv"
    invoke("surveys", "links", "--segment", "smb", "--out", str(out), "--db", db)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["name"] for row in rows) == sorted("'" + p for p in PAYLOADS)
    assert all(row["url"].startswith("https://survey.example.com/s/") for row in rows)


def test_retention_predictions_neutralise_customer_ids(tmp_path: Path) -> None:
    source = tmp_path / "transactions.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transaction_id", "customer_id", "occurred_at", "amount"])
        start = dt.date(2024, 1, 1)
        for customer in range(40):
            name = PAYLOADS[customer % len(PAYLOADS)] + f" #{customer}"
            # Gaps of 10-89 days: some customers stop, which the purchase model must see
            # (orders every three months exactly, nobody leaving, send BG/NBD to an edge).
            gap = 10 + (customer * 17) % 80
            for order in range(1 + customer % 4):
                day = start + dt.timedelta(days=(customer * 7) % 27 + order * gap)
                writer.writerow([f"T{customer}-{order}", name, day.isoformat(), "20"])
    db = str(tmp_path / "ws.duckdb")
    with advocacy.open(db) as ws:
        ws.import_file(source, kind="transactions")
    out = tmp_path / "predicted.csv"
    invoke("retention", "predict", "--horizon", "52", "--out", str(out), "--db", db)
    with out.open(newline="", encoding="utf-8") as handle:
        ids = [row["customer_id"] for row in csv.DictReader(handle)]
    assert len(ids) == 40
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in ids)
    assert "'" + PAYLOADS[0] + " #0" in ids
