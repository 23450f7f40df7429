"""Purchases import without a mapping when their columns are named as order exports name them.

audit4 L1: the CDNOW master (``customer_id date number_of_cds dollar_value``) needed a YAML
mapping for ``date``, ``dollar_value`` and ``number_of_cds``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import AdvocacyError
from advocacy.ingest.purchase_columns import purchase_columns


def test_the_cdnow_master_imports_without_a_mapping(
    duckdb_url: str, shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "cdnow" / "CDNOW_master.txt"
    cells = source.read_text(encoding="ascii").split()[4:]  # blank-separated, after the header
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(source, kind="transactions")
        fields = {d["field"]: d["column"] for d in result.detected}
        total, cds, buyers = ws.db.fetchall(
            "SELECT sum(amount), sum(quantity), count(DISTINCT customer_id) FROM transactions"
        )[0]
        (day,) = ws.db.fetchall(
            "SELECT CAST(occurred_at AS DATE) FROM transactions WHERE customer_id = '03487' "
            "ORDER BY occurred_at DESC LIMIT 1"
        )[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (69_659, 69_659, 0)
    assert fields == {
        "customer_id": "customer_id",
        "occurred_at": "date",
        "amount": "dollar_value",
        "quantity": "number_of_cds",
    }
    assert abs(total - float(sum(Decimal(v) for v in cells[3::4]))) < 0.01
    assert cds == sum(int(v) for v in cells[2::4]) and buyers == len(set(cells[0::4])) == 23_570
    assert str(day) == "1998-06-30"


def test_names_are_chosen_by_the_documented_lists() -> None:
    found, why = purchase_columns(
        ["Customer ID", "Order Date", "Price", "Order Total", "Items", "Qty", "date"],
        {"customer_id": "Customer ID"},
    )
    # "order_date" comes before "date"; a unit price and a list of items are never taken
    assert found == {"occurred_at": "Order Date", "amount": "Order Total", "quantity": "Qty"}
    assert [d.field for d in why] == ["occurred_at", "amount", "quantity"]
    assert purchase_columns(["customer_id", "date", "amount"], {"amount": "amount"})[0] == {
        "occurred_at": "date"
    }


def test_a_unit_price_alone_is_no_amount(duckdb_url: str, tmp_path: Path) -> None:
    source = tmp_path / "orders.csv"
    source.write_text("CustomerID,InvoiceDate,Price\n007,2024-01-02,3.50\n", encoding="utf-8")
    with advocacy.open(duckdb_url) as ws, pytest.raises(AdvocacyError, match="'amount'"):
        ws.import_file(source, kind="transactions")
