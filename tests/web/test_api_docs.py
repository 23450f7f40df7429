"""``/api/docs`` is a page of our own, built from the OpenAPI document: no script, no CDN, the
Content Security Policy as strict as on every page (#19.5: it was blank, the CSP blocking
Swagger UI's CDN)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from advocacy.present.web.app import SECURITY_HEADERS
from advocacy.present.web.pages.api_docs import reference, type_text
from web.site import Site, bearer


def test_the_api_reference_lists_every_operation_without_a_script(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    main = page.text.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    assert "<script" not in main  # the reference needs no script of its own
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from elsewhere
    document = client.get("/openapi.json").json()
    for path, item in document["paths"].items():
        for method in item:
            assert f'<code class="api-path">{path}</code>' in page.text, (method, path)
    # The body of working a case, field by field, with what is required.
    events = re.search(r'id="post-api-v1-cases-case_id-events">(.*?)</article>', page.text, re.S)
    assert events, "the case events operation is missing"
    rows = re.findall(r"<code>(\w+)</code></td><td[^>]*>(\w+)</td><td[^>]*>([^<]+)</td>", events[1])
    assert ("case_id", "path", "string") in rows
    assert ("action", "body", "string") in rows and ("root_cause", "body", "string or null") in rows
    # What a quarantined cell carries, as `advocacy quarantine list` shows it: with its fix.
    quarantine = document["paths"]["/api/v1/imports/{import_id}/quarantine"]["get"]
    assert "reason and fix" in quarantine["summary"]


def test_the_reference_is_open_and_shows_the_navigation_when_signed_in(
    client: TestClient, site: Site
) -> None:
    assert 'aria-label="Main"' not in client.get("/api/docs").text
    signed_in = client.get("/api/docs", headers=bearer(site, "analyst")).text
    assert 'aria-label="Main"' in signed_in and ">ana <small" in signed_in


def test_schema_types_read_as_words() -> None:
    assert type_text({"type": "array", "items": {"type": "integer"}}) == "list of integer"
    assert type_text({"anyOf": [{"type": "string"}, {"type": "null"}]}) == "string or null"
    assert type_text({"$ref": "#/components/schemas/NewPlan"}) == "NewPlan"
    assert type_text({"type": "string", "enum": ["open", "closed"]}) == "one of open, closed"
    groups = reference({"paths": {"/x": {"get": {"summary": "X"}}}})
    assert [(group.tag, [op.anchor for op in group.operations]) for group in groups] == [
        ("general", ["get-x"])
    ]


def test_the_reference_says_live_writes_open_cases_without_the_import_bounds(
    client: TestClient,
) -> None:
    """Review7 item 2: a write of responses opens its cases whatever their date and number,
    unlike an import (window, 500 bound); the reference says so where the write is."""
    page = " ".join(client.get("/api/docs").text.split())
    write = re.search(r'id="post-api-v1-responses">(.*?)</article>', page, re.S)
    assert write, "the responses write is missing"
    assert "Neither the case window nor the 500-case bound of imports applies" in write[1]
    notes = re.search(r'id="post-api-v1-notes">(.*?)</article>', page, re.S)
    assert notes and "case window" not in notes[1]  # notes open no case
