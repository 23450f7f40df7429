"""Nothing personal reaches a viewer: names (a known customer's and a first name of the shipped
list), e-mail addresses and phone numbers planted in every free-text field a viewer can reach
appear on no page (in Chromium, against a real server) and in no API response or download,
while an analyst sees them. A case handler's pages in Chromium hold only their unit's evidence.

The texts go in through :func:`web.planted.plant` (every door a user has: imports, API writes,
the hosted survey, the taxonomy, the CLI's case work and plans): the personal fields get a name,
an e-mail or a phone number, the free-text fields (comments, mention and note texts, survey
answers, case notes, root cause, action taken, plan titles and descriptions, theme names, key
phrases and descriptions) a sentence holding all of them, and the labels (units, channels,
items) plain words a viewer may read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

import advocacy
from advocacy.access import add_user
from advocacy.analyses import ANALYSES
from advocacy.present.web import create_app
from support import require, require_module
from support.live_server import serving
from web.planted import FREE_TEXT_FIELDS, PERSONAL_FIELDS, Planted, plant
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
#: Free text beyond web.planted's list: labels people write that may name someone.
NAMED_LABELS = {
    "plans.title": f"Call {KNOWN}",
    "plans.api_title": f"Ring {KNOWN} back",
    "themes.name": f"{FIRST} and {KNOWN}",
    "themes.promoted_name": f"{KNOWN} at the desk",
    "themes.keyword": FIRST,
}
PERSONAL = {"email": EMAIL, "phone": PHONES[0], "referred_contact": EMAIL}
#: The viewer who is also the planted employee, so their coaching page quotes the feedback.
VIEWER_EMPLOYEE = "planted-employee"
SOUTH_TEXT = "south only evidence"


def text(field: str) -> str:
    """What :func:`plant` writes into ``field``."""
    if field == "responses.unit":
        return "North"
    if field in ("plans.driver", "response_items.item"):
        return "Prompt service"  # a plan's driver link names an item of the ratings
    if field in FREE_TEXT_FIELDS:
        return PLANTED
    if field in NAMED_LABELS:
        return NAMED_LABELS[field]
    if field in PERSONAL_FIELDS:
        return PERSONAL.get(field.split(".")[1], KNOWN)
    return "plain " + field.replace(".", " ").replace("_", " ")


@pytest.fixture(scope="module")
def planted(
    demo_directory: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Site, Planted]]:
    folder = tmp_path_factory.mktemp("viewer-site")
    site = prepare_site(demo_directory, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "viewer-test-key-" + "k" * 32)
        found = plant(site.url, text, folder=folder / "files")
        with advocacy.open(site.url) as ws:
            add_user(ws.db, VIEWER_EMPLOYEE, role="viewer", password=PASSWORD)
            # The planted customer answered in South too: the North handler must not see it.
            ws.write_records(
                "responses",
                [{"response_id": "planted-south", "customer_id": found.customer_id,
                  "unit": "South", "nps": 9, "submitted_at": "2026-06-01T10:00:00Z",
                  "comment": SOUTH_TEXT}],
                actor="test",
            )  # fmt: skip
        yield site, found


@pytest.fixture(scope="module")
def server(planted: tuple[Site, Planted]) -> Iterator[str]:
    """The app under uvicorn on a loopback port, in a thread (as ``advocacy serve`` runs it)."""
    site, _ = planted
    with serving(create_app(site.url), name="localhost") as url:
        yield url


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


def _api_paths(planted: Planted) -> list[str]:
    customer = planted.customer_id
    paths = [
        "/api/v1/me",
        "/api/v1/status",
        "/api/v1/metrics?by=unit",
        "/api/v1/customers?limit=500",
        f"/api/v1/customers?q={customer}",
        f"/api/v1/customers/{customer}",
        "/api/v1/cases?limit=5000",
        f"/api/v1/cases?customer_id={customer}",
        f"/api/v1/cases/{planted.case_id}",
        f"/api/v1/cases/{planted.open_case_id}",
        "/api/v1/cases/results",
        "/api/v1/rules",
        "/api/v1/surveys",
        "/api/v1/plans",
        *(f"/api/v1/plans/{plan_id}" for plan_id in planted.plan_ids),
    ]
    for name in ANALYSES:
        paths += [f"/api/v1/analyses/{name}?format={fmt}" for fmt in ("json", "csv", "xlsx")]
    return paths


def test_no_api_response_or_download_shows_a_viewer_personal_data(
    server: str, planted: tuple[Site, Planted]
) -> None:
    """Analyses the workspace has too little data for answer 422 with a reason: they show the
    viewer nothing, and are counted so the test cannot pass on refusals alone."""
    site, found = planted
    leaks: dict[str, list[str]] = {}
    answered, failed, refused = 0, [], []
    headers = {"Authorization": f"Bearer {site.tokens['viewer']}"}
    for path in _api_paths(found):
        # A fresh connection each time: a failing download may reset its own.
        try:
            response = httpx.get(server + path, headers=headers, timeout=60)
        except httpx.TransportError:
            failed.append(path)
            continue
        if response.status_code >= 500:
            failed.append(path)
        elif response.status_code == 422:
            refused.append(path)
        answered += response.status_code == 200
        seen = _leaks(_readable(response, path.rsplit("=", 1)[-1]))
        if seen:
            leaks[path] = seen
    assert leaks == {}
    assert failed == []
    assert all(path.startswith("/api/v1/analyses/") for path in refused), refused
    # Every route but the refused analyses answered: the checks read real answers.
    assert answered == len(_api_paths(found)) - len(refused) and len(refused) <= 4, refused


def test_an_analyst_sees_what_was_planted(server: str, planted: tuple[Site, Planted]) -> None:
    """The other side of the viewer test: the same routes show the analyst every value."""
    site, found = planted
    with httpx.Client(base_url=server, timeout=60) as client:
        headers = {"Authorization": f"Bearer {site.tokens['analyst']}"}

        def read(path: str) -> str:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.text)
            return response.text

        customer = read(f"/api/v1/customers/{found.customer_id}")
        case = read(f"/api/v1/cases/{found.case_id}")
        plan = read(f"/api/v1/plans/{found.plan_ids[-1]}")
        themes = read("/api/v1/analyses/themes")
    for answer in (customer, case, plan):
        assert _leaks(answer) == list(SECRETS), answer[:300]
    assert {KNOWN, FIRST} <= set(_leaks(themes))
    assert json.loads(case)["root_cause"] == PLANTED


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require(CHROMIUM.exists(), "Debian's chromium is not installed: apt-get install chromium")
    sync_api = require_module("playwright.sync_api", "pip install -e .[dev]")
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


def _pages(planted: Planted) -> list[str]:
    return [
        "/",
        "/explore",
        "/customers",
        f"/customers/{planted.customer_id}",
        "/cases",
        "/cases?status=",
        f"/cases/{planted.case_id}",
        f"/cases/{planted.open_case_id}",
        "/cases/rules",
        "/coaching",
        f"/coaching/{planted.employee_id}",
        "/text",
        "/advocates",
        "/gaps",
        "/people",
        "/plans",
        *(f"/plans/{plan_id}" for plan_id in planted.plan_ids),
    ]


def test_no_page_shows_a_viewer_personal_data(
    chromium: Any, server: str, planted: tuple[Site, Planted]
) -> None:
    _, found = planted
    assert found.employee_id == VIEWER_EMPLOYEE
    page = _signed_in(chromium, server, VIEWER_EMPLOYEE)
    leaks: dict[str, list[str]] = {}
    for path in _pages(found):
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        # What the viewer reads, and everything else the page holds (attributes, chart data).
        seen = _leaks(page.locator("body").inner_text() + page.content())
        if seen:
            leaks[path] = seen
    assert leaks == {}
    # The pages did show the planted records, masked: the viewer's own coaching feedback,
    # the customer's timeline and the case's root cause.
    page.goto(f"{server}/cases/{found.case_id}")
    assert "[name]" in page.locator("#case-root-cause").inner_text()
    page.goto(f"{server}/coaching/{found.employee_id}")
    assert "[email]" in page.locator("main").inner_text()
    page.goto(f"{server}/customers/{found.customer_id}")
    assert "[phone]" in page.locator("main").inner_text()
    page.context.close()


def test_the_same_pages_show_an_analyst_the_planted_values(
    chromium: Any, server: str, planted: tuple[Site, Planted]
) -> None:
    _, found = planted
    page = _signed_in(chromium, server, "ana")
    plan = found.plan_ids[-1]
    for path in (f"/customers/{found.customer_id}", f"/cases/{found.case_id}", f"/plans/{plan}"):
        page.goto(server + path)
        assert KNOWN in page.locator("main").inner_text(), path
    page.goto(f"{server}/text")
    assert KNOWN in page.locator("main").inner_text()
    page.context.close()


def test_a_handlers_customer_page_in_chromium_holds_only_their_unit(
    chromium: Any, server: str, planted: tuple[Site, Planted]
) -> None:
    _, found = planted
    page = _signed_in(chromium, server, "hal")
    page.goto(f"{server}/customers/{found.customer_id}")
    main = page.locator("main").inner_text()
    assert KNOWN in main and SOUTH_TEXT not in main
    assert "Only the evidence of your units is shown." in main
    analyst = _signed_in(chromium, server, "ana")
    analyst.goto(f"{server}/customers/{found.customer_id}")
    assert SOUTH_TEXT in analyst.locator("main").inner_text()
    analyst.context.close()
    page.context.close()
