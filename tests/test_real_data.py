"""Real files from ../shared/data through the importer, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import advocacy

CDNOW_MAPPING = """\
kind: transactions
columns:
  customer_id: customer_id
  occurred_at: date
  amount: dollar_value
  quantity: number_of_cds
constants:
  currency: USD
"""

CLOTHING_MAPPING = """\
kind: responses
columns:
  response_id: column_1
  comment: Review Text
  csat: Rating
constants:
  survey: product reviews
  csat_scale_min: "1"
  csat_scale_max: "5"
"""


def test_cdnow_purchases_import_as_transactions(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "cdnow" / "CDNOW_master.txt"
    lines = source.read_text(encoding="ascii").split()[4:]  # blank-separated, after the header
    expected_total = sum(Decimal(value) for value in lines[3::4])
    expected_customers = len(set(lines[0::4]))
    mapping = tmp_path / "cdnow.yaml"
    mapping.write_text(CDNOW_MAPPING, encoding="utf-8")
    with advocacy.open(db_url) as ws:
        result = ws.import_file(source, kind="transactions", mapping=mapping)
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (69_659,) * 2 + (
            0,
        )
        assert result.stubs_created == expected_customers == 23_570
        transactions = ws.table("transactions")
        total = transactions.amount.sum().execute()
        first = ws.db.fetchall(
            "SELECT customer_id, CAST(min(occurred_at) AS DATE) FROM transactions "
            "WHERE customer_id = '00001' GROUP BY customer_id"
        )
        again = ws.import_file(source, kind="transactions", mapping=mapping)
    assert abs(total - float(expected_total)) < 0.01
    assert str(first[0][1]) == "1997-01-01"  # leading zeros of ids kept; YYYYMMDD dates read
    assert (again.rows_loaded, again.rows_unchanged) == (0, 69_659)


def test_clothing_reviews_import_as_responses_with_a_mapping(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "reviews.yaml"
    mapping.write_text(CLOTHING_MAPPING, encoding="utf-8")
    source = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with advocacy.open(db_url) as ws:
        result = ws.import_file(source, kind="responses", mapping=mapping)
        assert (result.rows_loaded, result.rows_quarantined) == (1_000, 0)
        responses = ws.table("responses")
        row = responses.filter(responses.response_id == "1").execute().to_dict("records")[0]
        ratings = responses.csat.value_counts().execute()
    assert row["comment"].startswith("Love this dress!")
    attrs = row["attrs"] if isinstance(row["attrs"], dict) else json.loads(row["attrs"])
    # Unmapped columns are kept, including the stated recommendation.
    assert attrs["Recommended IND"] == "1" and attrs["Department Name"] == "Dresses"
    assert set(ratings["csat"]) <= {1.0, 2.0, 3.0, 4.0, 5.0}


def test_both_qualtrics_exports_import_with_questions_detected(
    db_url: str, shared_data: Path
) -> None:
    folder = shared_data / "qualtrics-exports"
    with advocacy.open(db_url) as ws:
        for name, source_format in [
            ("qualtRics_sample.csv", "qualtrics"),
            ("qualtRics_sample_legacy.csv", "qualtrics-legacy"),
        ]:
            result = ws.import_file(folder / name, kind="responses")
            assert result.source_format == source_format
            detected = {item["column"]: item["field"] for item in result.detected}
            assert detected["Q2"] == "comment" and detected["Q1"] == "attrs"
            assert result.rows_quarantined == 0
        rows = ws.table("responses").execute().to_dict("records")
    # The same response in both exports is one record, not two.
    assert len(rows) == 1
    assert rows[0]["response_id"] == "R_2YPOQ602ER1jkf1"
    assert rows[0]["comment"] == "Hello World!"
