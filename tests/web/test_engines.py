"""The API on both engines: a small imported workspace served from DuckDB and from PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app

RESPONSES = """response_id,customer_id,submitted_at,unit,nps,comment
R1,C1,2026-01-05T10:00:00Z,North,10,Lovely staff
R2,C1,2026-02-05T10:00:00Z,North,9,
R3,C2,2026-01-06T10:00:00Z,South,3,Call me on +44 20 7946 0958 about the refund
R4,C3,2026-01-07T10:00:00Z,South,7,
"""
CUSTOMERS = """customer_id,name,email
C1,Ada Quill,ada@example.com
C2,Bo Lind,bo@example.com
C3,Cy Moss,cy@example.com
"""


def test_api_reads_and_writes_on_each_engine(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "responses.csv").write_text(RESPONSES, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    with advocacy.open(db_url) as ws:
        ws.import_file(tmp_path / "customers.csv", kind="customers")
        ws.import_file(tmp_path / "responses.csv", kind="responses")
        tokens = {
            role: create_token(ws.db, role=role, units=units).secret
            for role, units in (("analyst", None), ("viewer", None), ("case-handler", "North"))
        }
        with TestClient(create_app(workspace=ws), base_url="https://testserver") as client:

            def get(path: str, role: str) -> object:
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                return client.get(path, headers=headers)

            [row] = get("/api/v1/metrics", "analyst").json()  # type: ignore[attr-defined]
            # 2 promoters, 1 passive, 1 detractor of 4: NPS = 100 * (2 - 1) / 4.
            assert (row["n"], row["promoters"], row["detractors"], row["score"]) == (4, 2, 1, 25.0)
            handler = get("/api/v1/metrics", "case-handler").json()  # type: ignore[attr-defined]
            assert [(r["unit"], r["n"], r["score"]) for r in handler] == [("North", 2, 100.0)]
            assert get("/api/v1/customers/C2", "case-handler").status_code == 403  # type: ignore[attr-defined]
            viewer = get("/api/v1/customers/C2", "viewer").json()  # type: ignore[attr-defined]
            assert viewer["customer"]["name"] == "•••"
            comment = next(e["comment"] for e in viewer["events"] if e["kind"] == "response")
            assert "7946" not in comment and "refund" in comment

            note = [{"note_id": "N1", "customer_id": "C3", "text": "Sent a voucher"}]
            headers = {"Authorization": f"Bearer {tokens['analyst']}"}
            first = client.post("/api/v1/notes", json=note, headers=headers).json()
            again = client.post("/api/v1/notes", json=note, headers=headers).json()
            assert (first["inserted"], again["inserted"], again["unchanged"]) == (1, 0, 1)
            events = get("/api/v1/customers/C3", "analyst").json()["events"]  # type: ignore[attr-defined]
            assert [e["kind"] for e in events].count("note") == 1
