"""A customer's page and a case's page show each text whole up to 20,000 characters and cut
beyond, with its length and where to read it whole: one customer with six pasted documents made
a 1.25 MB page (review4 item 8)."""

from __future__ import annotations

import csv
import html
from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.page_text import page_words

GIANT = "awful refund " * 16_000  # 208,000 characters


def test_the_customer_and_case_pages_cut_giant_texts_and_keep_long_ones_whole(
    tmp_path: Path,
) -> None:
    long_review = "The strap broke after a week and nobody answered. " * 300  # 15,000
    with (tmp_path / "r.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "customer_id", "submitted_at", "nps", "comment"])
        for number in range(6):
            writer.writerow([f"R{number}", "C1", f"2026-12-0{number + 1}", 1, GIANT + str(number)])
        writer.writerow(["R9", "C2", "2026-12-01", 1, long_review])
    url = str(tmp_path / "w.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(tmp_path / "r.csv", kind="responses", case_window_days=None)
        secret = create_token(ws.db, role="admin", name="t").secret
        case_id = next(case.case_id for case in ws.cases.list() if case.evidence_id == "R0")
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(url), base_url="https://testserver") as client:
        customer = client.get("/customers/C1", headers=headers)
        assert customer.status_code == 200
        assert len(customer.text) < 200_000  # was 1.25 MB
        said = page_words(customer.text)
        assert said.count("(cut: 208,001 characters in all)") == 6
        assert said.count("Read it whole: GET /api/v1/customers/C1") == 6
        whole = client.get("/customers/C2", headers=headers)
        assert long_review.strip() in html.unescape(whole.text)  # a long review stays whole
        assert "Read it whole" not in whole.text
        case = client.get(f"/cases/{case_id}", headers=headers)
        assert case.status_code == 200 and len(case.text) < 60_000  # was 212 KB
        assert f"Read it whole: GET /api/v1/cases/{case_id}" in page_words(case.text)
        api = client.get("/api/v1/customers/C1", headers=headers).text
        assert api.count(GIANT.strip()) == 6  # where it says the texts are whole
