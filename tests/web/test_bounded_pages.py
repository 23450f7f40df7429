"""Pages stay bounded and honest at their edges (review7 items 3, 5 and 9): a customer with a
hundred giant answers, ``/answers?theme=`` past its survey answers and past its last page, and
absurd ``page`` or ``theme`` parameters (on DuckDB and PostgreSQL)."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.page_text import page_words


def test_a_customer_with_a_hundred_giant_answers_gets_a_page_under_1_5_mb(
    tmp_path: Path, db_url: str
) -> None:
    giant = "awful refund <i>x</i> " * 1400  # 29,400 characters, cut at 20,000 on the page
    with (tmp_path / "giant.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["response_id", "customer_id", "submitted_at", "nps", "comment"])
        for number in range(100):
            out.writerow([f"R{number}", "C1", f"2026-11-{number % 28 + 1:02d}", 1, giant])
    with advocacy.open(db_url) as ws:
        ws.import_file(tmp_path / "giant.csv", kind="responses", cases=False)
        token = create_token(ws.db, role="analyst", name="a").secret
    with TestClient(create_app(db_url), base_url="https://testserver") as client:
        page = client.get("/customers/C1", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    assert len(page.text.encode()) < 1_500_000  # 200 events of 20,000 characters made 4 MB
    assert "<i>x</i>" not in page.text
    said = page_words(page.text)
    assert "The newest 40 of 100 events" in said and "GET /api/v1/customers/C1" in said


def test_answers_of_a_theme_say_where_they_are_on_every_page(tmp_path: Path, db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        ws.write_records("mentions", [
            {"mention_id": f"M{n:03d}", "platform": "p", "text": f"late delivery number {n}",
             "posted_at": f"2026-11-{n % 28 + 1:02d}T12:00:00Z", "rating": 1.0}
            for n in range(120)
        ])  # fmt: skip
        ws.write_records("responses", [
            {"response_id": f"R{n}", "submitted_at": "2026-11-05T10:00:00Z", "nps": 3,
             "comment": f"delivery was late {n}"}
            for n in range(3)
        ])  # fmt: skip
        (tmp_path / "tax.yaml").write_text("themes:\n- name: Delivery\n  keywords: [delivery]\n")
        ws.text.assign_themes(tmp_path / "tax.yaml")
        token = create_token(ws.db, role="analyst", name="a").secret
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(
        create_app(db_url), base_url="https://testserver", raise_server_exceptions=False
    ) as client:
        pages = {
            page: client.get(
                "/answers", params={"theme": "curated:Delivery", "page": page}, headers=headers
            )
            for page in ("1", "2", "4", str(10**30))
        }
        giant = client.get("/answers", params={"theme": "A" * 60_000}, headers=headers)
    first, second, past = (page_words(pages[page].text) for page in ("1", "2", "4"))
    assert "delivery was late" in first and "No survey answers match" not in first
    # Page 2 holds mentions 51-100 only: the answers are on page 1, not missing.
    assert "No survey answers match" not in second
    assert "The 3 survey answers are on earlier pages" in second
    assert "late delivery number" in second and "Page 2 of 3" in second
    assert "Page 4 is past the last page (3)" in past and "Go to the first page" in past
    assert "late delivery number" not in past
    assert pages[str(10**30)].status_code == 400  # was a 500 (the database's offset overflowed)
    assert "fewer than 1,000,000 pages" in pages[str(10**30)].text
    assert giant.status_code == 400 and len(giant.text) < 5_000  # not echoed back
