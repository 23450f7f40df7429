"""A revoked API token stops working promptly on a running server, on PostgreSQL.

The server trusts a token it found valid for ``RECHECK_EVERY`` (5 s) before asking the
database again. Revoked through the server itself (its API or admin page), the token is
refused by the very next request; revoked by another process (the CLI here, or another
server worker), within the bound.
"""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.access.recheck import RECHECK_EVERY
from advocacy.present.web import create_app


def test_a_token_revoked_through_the_server_is_refused_by_the_next_request(
    postgres_url: str,
) -> None:
    with advocacy.open(postgres_url) as ws:
        admin = {"Authorization": f"Bearer {create_token(ws.db, role='admin').secret}"}
        created = create_token(ws.db, role="analyst", name="etl")
    etl = {"Authorization": f"Bearer {created.secret}"}
    with TestClient(create_app(postgres_url), base_url="https://testserver") as client:
        for _ in range(3):  # found valid, then trusted
            assert client.get("/api/v1/me", headers=etl).json()["name"] == "etl"
        revoked = client.delete(f"/api/v1/tokens/{created.token.token_id}", headers=admin)
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        refused = client.get("/api/v1/me", headers=etl)
        assert refused.status_code == 401 and refused.json()["error"] == "AuthenticationError"
        written = client.post("/api/v1/responses", json=[{"response_id": "R1"}], headers=etl)
        assert written.status_code == 401


def test_a_token_revoked_by_another_process_is_refused_within_the_bound(
    postgres_url: str,
) -> None:
    with advocacy.open(postgres_url) as ws:
        secret = create_token(ws.db, role="analyst", name="etl").secret
    etl = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(postgres_url), base_url="https://testserver") as client:
        assert client.get("/api/v1/me", headers=etl).status_code == 200
        with advocacy.open(postgres_url) as cli:  # as `advocacy access revoke-token etl` does
            cli.access.revoke_token("etl", actor="cli")
        revoked_at = time.monotonic()
        while client.get("/api/v1/me", headers=etl).status_code == 200:
            assert time.monotonic() - revoked_at < RECHECK_EVERY.total_seconds() + 1, (
                "a revoked token still works past the bound"
            )
            time.sleep(0.1)
        refused = client.post("/api/v1/responses", json=[{"response_id": "R1"}], headers=etl)
        assert refused.status_code == 401
