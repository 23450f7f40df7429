"""Pages and API writes on threads apart (issue #20.3): with every page slot taken by pages in
progress, an API write is still answered, and the pages waiting get their turn afterwards."""

from __future__ import annotations

import threading
import uuid

import httpx
from fastapi.testclient import TestClient

from advocacy.present.web import create_app
from advocacy.present.web.slots import page_slots
from web.site import Site, bearer


def test_an_api_write_is_answered_while_every_page_slot_is_taken(site: Site) -> None:
    with TestClient(create_app(site.url), base_url="https://testserver") as client:
        assert client.portal is not None
        slots = client.app.state.page_slots  # type: ignore[attr-defined]
        taken = page_slots(client.app.state.web.ws.settings.pool_size)  # type: ignore[attr-defined]
        assert slots.value == taken
        for _ in range(taken):  # as many pages in progress as may be
            client.portal.call(slots.acquire)
        pages: list[httpx.Response] = []
        reader = threading.Thread(
            target=lambda: pages.append(client.get("/", headers=bearer(site, "analyst")))
        )
        try:
            reader.start()
            response_id = f"slots-{uuid.uuid4().hex[:8]}"
            record = [{"response_id": response_id, "nps": 9, "submitted_at": "2026-01-02T10:00Z"}]
            answer = client.post("/api/v1/responses", json=record, headers=bearer(site, "analyst"))
            assert answer.status_code == 200, answer.text
            assert answer.json()["inserted"] == 1
            reader.join(1.0)
            assert not pages, "a page must wait for a free slot"
        finally:
            for _ in range(taken):
                client.portal.call(slots.release)
        reader.join(120)
        assert pages and pages[0].status_code == 200
        # Static files never wait for a page slot either.
        for _ in range(taken):
            client.portal.call(slots.acquire)
        try:
            assert client.get("/static/style.css").status_code == 200
        finally:
            for _ in range(taken):
                client.portal.call(slots.release)
