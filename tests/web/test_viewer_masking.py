"""Nothing personal reaches a viewer: names (a known customer's and a first name of the shipped
list), e-mail addresses and phone numbers planted in every free-text field a viewer can reach
appear on no page (in Chromium, against a real server) and in no API response or download,
while an analyst sees them. A case handler's pages in Chromium hold only their unit's evidence.

The planting is this module's own (tests/web/planted.py, which plants markup for the XSS test,
was not on its branch yet): the library's own writes (imports, record writes, case work, plans)
put the texts into customers, responses (a comment), mentions (text and author), notes (text
and interviewer), case events (contact and note texts), a case's root cause and action taken,
a plan's title and description, and a discovered theme's name, key phrases and quotes.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import uvicorn

import advocacy
from advocacy.loop.case_opening import open_cases_for
from advocacy.loop.casework import work_case
from advocacy.loop.plans import add_plan
from advocacy.loop.rules import Rule
from advocacy.present.analyses import ANALYSES
from advocacy.present.web import create_app
from support import require
from web.site import PASSWORD, Site, prepare_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

#: A customer's full name the workspace knows (no first name of the shipped list), a shipped
#: first name, an e-mail address and phone numbers in international and national forms.
KNOWN = "Quillon Zarembski"
FIRST = "Priya"
EMAIL = "quillon.z@example.org"
PHONES = ("+44 20 7946 0958", "07700900123")
PLANTED = f"{FIRST} said {KNOWN} is on {PHONES[0]} or {PHONES[1]}, mail {EMAIL}"
#: What must never reach a viewer (the pieces of each planted value).
SECRETS = (KNOWN, "Quillon", "Zarembski", FIRST, EMAIL, "7946 0958", PHONES[1])
CUSTOMER, VIEWER_EMPLOYEE = "planted-viewer", "vic"
NOW = datetime(2026, 6, 25, 12, 0, tzinfo=UTC)


def _import(ws: Any, folder: Path, kind: str, rows: list[dict[str, Any]]) -> None:
    path = folder / f"planted-{kind}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert ws.import_file(path, kind=kind, strict=True).rows_loaded == len(rows)


def plant(url: str, folder: Path) -> dict[str, str]:
    """Write :data:`PLANTED` everywhere a viewer can read free text; return ids to open."""
    ids: dict[str, str] = {}
    at = "2026-06-20T10:00:00Z"
    with advocacy.open(url) as ws:
        _import(ws, folder, "customers", [
            {"customer_id": CUSTOMER, "name": KNOWN, "email": EMAIL, "phone": PHONES[0],
             "segment": "household", "region": "North"},
        ])  # fmt: skip
        # The viewer ("vic") is an employee of North: their coaching page quotes their feedback.
        _import(ws, folder, "employees", [
            {"employee_id": VIEWER_EMPLOYEE, "name": "Vic Torres", "unit": "North",
             "email": "vic@staff.example"},
        ])  # fmt: skip
        ws.write_records("responses", [
            {"response_id": "planted-r", "customer_id": CUSTOMER, "unit": "North", "nps": 1,
             "submitted_at": at, "employee_id": VIEWER_EMPLOYEE, "comment": PLANTED},
            {"response_id": "planted-r-south", "customer_id": CUSTOMER, "unit": "South",
             "nps": 9, "submitted_at": at, "comment": "south only evidence"},
        ], actor="test")  # fmt: skip
        ws.write_records("mentions", [
            {"mention_id": "planted-m", "customer_id": CUSTOMER, "unit": "North",
             "author": KNOWN, "platform": "trustpilot", "posted_at": at, "text": PLANTED},
        ], actor="test")  # fmt: skip
        ws.write_records("notes", [
            {"note_id": "planted-n", "customer_id": CUSTOMER, "taken_at": at,
             "interviewer": KNOWN, "text": PLANTED},
        ], actor="test")  # fmt: skip
        rule = Rule("planted-rule", "Planted detractor", "nps_at_most", params={"threshold": 6})
        (case,) = open_cases_for(ws.db, "responses", ["planted-r"], rules=[rule], now=NOW)
        ids["case"] = case.case_id
        work_case(ws.db, case.case_id, "contact", actor="ana", text=PLANTED, now=NOW)
        work_case(ws.db, case.case_id, "note", actor="ana", text=PLANTED, now=NOW)
        work_case(
            ws.db, case.case_id, "close", actor="ana", root_cause=PLANTED, action_taken=PLANTED,
            text=PLANTED, now=NOW,
        )  # fmt: skip
        plan = add_plan(
            ws.db, link="culture:Career paths", metric="enps", title=f"Call {KNOWN}",
            description=PLANTED, metric_filter={"unit": "North"}, actor="ana",
        )  # fmt: skip
        ids["plan"] = plan.plan_id
        # A discovered theme whose key phrases picked up the customer's names (the case).
        ws.db.execute(
            "INSERT INTO themes (theme_id, name, keywords, examples, origin, size, quotes, model, "
            "created_at) VALUES (?, ?, ?, '[]', 'discovered', 1, ?, 'test', ?)",
            [
                "discovered-planted",
                f"{FIRST.lower()}, {FIRST}, {KNOWN}",
                json.dumps([FIRST, KNOWN, EMAIL]),
                json.dumps([PLANTED]),
                NOW,
            ],
        )
        ws.db.execute(
            "INSERT INTO document_themes (document_kind, document_id, theme_id, score, origin, "
            "model, assigned_at) VALUES ('response', 'planted-r', 'discovered-planted', 1, "
            "'discovered', 'test', ?)",
            [NOW],
        )
    return ids


@pytest.fixture(scope="module")
def planted(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, dict]:
    folder = tmp_path_factory.mktemp("viewer-site")
    site = prepare_site(demo_directory, folder)
    return site, plant(site.url, folder)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(planted: tuple[Site, dict]) -> Iterator[str]:
    """The app under uvicorn on a loopback port, in a thread (as ``advocacy serve`` runs it)."""
    site, _ = planted
    port = _free_port()
    config = uvicorn.Config(create_app(site.url), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _readable(response: httpx.Response, fmt: str) -> str:
    """What a user gets out of a response: its text, or every cell of a workbook."""
    if fmt != "xlsx" or response.status_code != 200:
        return response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(
        repr(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
    )


def _api_paths(ids: dict[str, str]) -> list[str]:
    paths = [
        "/api/v1/me",
        "/api/v1/status",
        "/api/v1/metrics?by=unit",
        "/api/v1/customers?limit=500",
        f"/api/v1/customers?q={CUSTOMER}",
        f"/api/v1/customers/{CUSTOMER}",
        "/api/v1/cases?limit=5000",
        f"/api/v1/cases?customer_id={CUSTOMER}",
        f"/api/v1/cases/{ids['case']}",
        "/api/v1/cases/results",
        "/api/v1/rules",
        "/api/v1/surveys",
        "/api/v1/plans",
        f"/api/v1/plans/{ids['plan']}",
    ]
    for name in ANALYSES:
        paths += [f"/api/v1/analyses/{name}?format={fmt}" for fmt in ("json", "csv", "xlsx")]
    return paths


#: CSV downloads of analyses with list columns fail with a 500 on this branch (issue #15, item 7:
#: "every known 500 becomes a 4xx", another change): they show the viewer nothing, and once they
#: answer, they are checked like every other download.
FAILING_DOWNLOADS = {"/api/v1/analyses/themes?format=csv", "/api/v1/analyses/gaps?format=csv"}


def test_no_api_response_or_download_shows_a_viewer_personal_data(
    server: str, planted: tuple[Site, dict]
) -> None:
    site, ids = planted
    leaks: dict[str, list[str]] = {}
    answered = 0
    headers = {"Authorization": f"Bearer {site.tokens['viewer']}"}
    for path in _api_paths(ids):
        # A fresh connection each time: a failing download may reset its own.
        try:
            response = httpx.get(server + path, headers=headers, timeout=60)
        except httpx.TransportError:
            assert path in FAILING_DOWNLOADS, path
            continue
        assert response.status_code < 500 or path in FAILING_DOWNLOADS, (path, response.text)
        answered += response.status_code == 200
        found = _leaks(_readable(response, path.rsplit("=", 1)[-1]))
        if found:
            leaks[path] = found
    assert leaks == {}
    # The checks read real answers, not refusals: every analysis in JSON and XLSX at least.
    assert answered >= len(ANALYSES) * 2 + 12


def test_an_analyst_sees_what_was_planted(server: str, planted: tuple[Site, dict]) -> None:
    """The other side of the viewer test: the same routes show the analyst every value."""
    site, ids = planted
    with httpx.Client(base_url=server, timeout=60) as client:
        headers = {"Authorization": f"Bearer {site.tokens['analyst']}"}

        def text(path: str) -> str:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.text)
            return response.text

        customer = text(f"/api/v1/customers/{CUSTOMER}")
        case = text(f"/api/v1/cases/{ids['case']}")
        plan = text(f"/api/v1/plans/{ids['plan']}")
        themes = text("/api/v1/analyses/themes")
    for found in (customer, case, plan):
        assert _leaks(found) == list(SECRETS), found[:300]
    assert {KNOWN, FIRST, EMAIL} <= set(_leaks(themes))
    assert json.loads(case)["root_cause"] == PLANTED


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require(CHROMIUM.exists(), "Debian's chromium is not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _signed_in(chromium: Any, server: str, username: str) -> Any:
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server + "/")
    return page


def _pages(ids: dict[str, str]) -> list[str]:
    return [
        "/",
        "/explore",
        "/customers",
        f"/customers/{CUSTOMER}",
        "/cases",
        "/cases?status=",
        f"/cases/{ids['case']}",
        "/cases/rules",
        "/coaching",
        f"/coaching/{VIEWER_EMPLOYEE}",
        "/text",
        "/advocates",
        "/gaps",
        "/people",
        "/plans",
        f"/plans/{ids['plan']}",
    ]


def test_no_page_shows_a_viewer_personal_data(
    chromium: Any, server: str, planted: tuple[Site, dict]
) -> None:
    _, ids = planted
    page = _signed_in(chromium, server, "vic")
    leaks: dict[str, list[str]] = {}
    for path in _pages(ids):
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        # What the viewer reads, and everything else the page holds (attributes, chart data).
        found = _leaks(page.locator("body").inner_text() + page.content())
        if found:
            leaks[path] = found
    assert leaks == {}
    # The pages did show the planted records, masked: the viewer's own coaching feedback,
    # the customer's timeline and the case's root cause.
    page.goto(f"{server}/cases/{ids['case']}")
    assert "[name]" in page.locator("#case-root-cause").inner_text()
    page.goto(f"{server}/coaching/{VIEWER_EMPLOYEE}")
    assert "[email]" in page.locator("main").inner_text()
    page.context.close()


def test_the_same_pages_show_an_analyst_the_planted_values(
    chromium: Any, server: str, planted: tuple[Site, dict]
) -> None:
    _, ids = planted
    page = _signed_in(chromium, server, "ana")
    for path in (f"/customers/{CUSTOMER}", f"/cases/{ids['case']}", f"/plans/{ids['plan']}"):
        page.goto(server + path)
        assert KNOWN in page.locator("main").inner_text(), path
    page.goto(f"{server}/text")
    assert KNOWN in page.locator("main").inner_text()
    page.context.close()


def test_a_handlers_customer_page_in_chromium_holds_only_their_unit(
    chromium: Any, server: str, planted: tuple[Site, dict]
) -> None:
    page = _signed_in(chromium, server, "hal")
    page.goto(f"{server}/customers/{CUSTOMER}")
    main = page.locator("main").inner_text()
    assert KNOWN in main and "south only evidence" not in main
    assert "planted-r-south" not in page.content()
    page.context.close()
