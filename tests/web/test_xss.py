"""Cross-site scripting (#15.9): hostile text in every field a user can write stays text.

One workspace (the small demo) gets the payloads below in every text field reachable through
the API, file imports, the hosted survey, the taxonomy and the CLI (:mod:`web.planted`). Each
role signs in to Debian's Chromium and opens every page the app renders (enumerated from its
routes, so a new page is covered without touching this test), once plainly and once with every
query parameter set to the payloads. On each page no element carrying ``data-xss`` may exist,
``window.__xss`` must stay undefined, and wherever a planted value is shown it must read exactly
as it was typed. The browser ignores the Content-Security-Policy here (``bypass_csp``), so
escaping alone has to hold: the CSP is a second line, tested in ``test_security_headers``.
The written HTML report and the case e-mails are checked the same way.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import yaml
from fastapi.responses import HTMLResponse
from fastapi.routing import iter_route_contexts
from typer.testing import CliRunner

import advocacy
from advocacy.access.masking import MASK
from advocacy.loop.cases.store import get_case
from advocacy.loop.notify.case_notifications import case_notice
from advocacy.loop.notify.digest import owner_digest
from advocacy.loop.notify.email import render_html
from advocacy.loop.notify.outbox import Message
from advocacy.present.cli.main import app as cli
from advocacy.present.web import create_app
from support.live_server import serving
from web.planted import FREE_TEXT_FIELDS, PERSONAL_FIELDS, Planted, plant
from web.site import PASSWORD, USERS, ensure_user
from web.test_browser import chromium

__all__ = ["chromium"]  # a fixture shared with test_browser

PAYLOADS = (
    '<img src=x onerror="window.__xss=1" data-xss>',
    "<svg onload=window.__xss=1 data-xss>",
    "<script data-xss>window.__xss=1</script>",
    '<form action="https://evil.example" data-xss><button>go</button></form>',
    '"><b data-xss>',
    "{{7*7}}",
)
#: Every payload in one text, so one workspace carries them all in every field.
PAYLOAD = " ".join(PAYLOADS)
#: A piece of a payload seen anywhere but inside a whole payload means the text was altered.
MARKERS = ("data-xss", "__xss", "{{7*7}}", "evil.example")
#: An id for not-found pages, which repeat it: no '/' in it, or no route would match.
HOSTILE_ID = PAYLOADS[0] + PAYLOADS[4] + PAYLOADS[5]
#: What masking leaves in a viewer's text: "[email]", "[phone]", ... or the mask itself.
REDACTED = re.compile(r"\[[a-z ]+\]|" + re.escape(MASK))
#: Pages that show no planted value to a role (every other page must show one, as typed):
#: sign-in and the API reference show none; viewers have no coaching pages and only admins
#: the admin pages. (The advocates page now holds its tables' first 250 rows, paged in the
#: browser: the planted customer is among them.)
#: (A case handler's units, planted too, head every page they see.)
SHOWS_NOTHING_PLANTED = {
    "/login": {"admin", "analyst", "case-handler", "viewer"},
    "/api/docs": {"admin", "analyst", "viewer"},
    "/coaching": {"viewer"},
    "/coaching/{employee_id}": {"viewer"},
    "/admin/users": {"analyst", "case-handler", "viewer"},
    "/admin/tokens": {"analyst", "case-handler", "viewer"},
    "/admin/audit": {"analyst", "case-handler", "viewer"},
    # A blank upload form (refused to roles that may not import); tests/web/test_imports.py and
    # test_import_browser.py plant markup in an uploaded file's name and cells.
    "/import": {"admin", "analyst", "case-handler", "viewer"},
    # A blank form to open cases over stored evidence (refused to roles that may not);
    # tests/web/test_open_cases_page.py plants markup in its day.
    "/cases/open": {"admin", "analyst", "case-handler", "viewer"},
    # This workspace has no ask campaign and no ask link: tests/web/test_ask_pages.py and
    # test_asks_browser.py plant markup in a campaign's name, message and a friend's name.
    "/advocates/asks": {"admin", "analyst", "viewer"},
    "/r/{token}": {"admin", "analyst", "case-handler", "viewer"},
    "/r/{token}/share": {"admin", "analyst", "case-handler", "viewer"},
}

#: Everything a page shows as text: text nodes (charts' SVG and scripts aside), form values,
#: labels and the title; and whether anything planted came alive.
PAGE_STATE = """() => {
  const strings = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('svg, script, style')) strings.push(node.data);
  }
  for (const field of document.querySelectorAll('input, textarea, select')) {
    strings.push(field.value);
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const name of ['aria-label', 'title', 'placeholder']) {
      if (element.hasAttribute(name)) strings.push(element.getAttribute(name));
    }
  }
  return {
    injected: [...document.querySelectorAll('[data-xss]')].map(e => e.outerHTML.slice(0, 120)),
    ran: typeof window.__xss !== 'undefined',
    strings: strings,
  };
}"""


@dataclass
class XssSite:
    url: str
    planted: Planted
    folder: Path


@dataclass
class Seen:
    """What one page showed: injected elements, whether a script ran, the planted text."""

    route: str  # the route's path, e.g. /cases/{case_id}
    url: str
    injected: list[str]
    ran: bool
    altered: list[str]  # texts holding a piece of a payload that is not a whole payload
    shown: bool  # a planted value appears, exactly as typed


def _texts(text: str) -> list[str]:
    """The strings in ``text``: itself, or each string of it when it is a YAML document
    (the rules editor shows the rules as YAML, which folds long values over lines)."""
    if not text.startswith("rules:"):
        return [text]
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            found.append(node)

    walk(yaml.safe_load(text))
    return found


def check(
    route: str, url: str, state: dict[str, Any], *, typed: str = PAYLOAD, masked: bool = False
) -> Seen:
    """Judge a page's ``state`` (:data:`PAGE_STATE`) against the text ``typed`` into it."""
    texts = [piece for text in state["strings"] for piece in _texts(text)]
    altered = []
    for text in texts:
        rest = text.replace(typed, "")
        if any(marker in rest for marker in MARKERS) and not (masked and REDACTED.search(text)):
            altered.append(text[:200])
    shown = any(typed in text for text in texts)
    return Seen(route, url, state["injected"], state["ran"], altered, shown)


@pytest.fixture(scope="module")
def xss_site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[XssSite]:
    folder = tmp_path_factory.mktemp("xss")
    url = str(folder / "advocacy.duckdb")
    shutil.copy(demo_directory / "advocacy.duckdb", url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "xss-test-key-" + "k" * 32)
        planted = plant(url, PAYLOAD, folder=folder / "files")
        with advocacy.open(url) as ws:
            for role, name in USERS.items():
                units = ("North", planted.unit) if role == "case-handler" else None
                ensure_user(ws, name, role=role, units=units)
        yield XssSite(url, planted, folder)


@pytest.fixture(scope="module")
def xss_server(xss_site: XssSite) -> Iterator[str]:
    with serving(create_app(xss_site.url), name="localhost") as url:
        yield url


def html_pages() -> list[tuple[str, list[str]]]:
    """Every GET route that renders a page: its path and its query parameters."""
    pages = []
    for route in iter_route_contexts(create_app(":memory:").routes):
        response_class = getattr(route, "response_class", None)
        if "GET" not in (route.methods or ()) or not (
            isinstance(response_class, type) and issubclass(response_class, HTMLResponse)
        ):
            continue
        query = [parameter.alias for parameter in route.dependant.query_params]
        pages.append((str(route.path), query))
    return pages


def page_urls(planted: Planted) -> list[tuple[str, str, str]]:
    """(route, url, text typed) of every page: its path filled with planted records, plainly
    and with every query parameter hostile; and not-found pages that repeat a hostile id."""
    ids = {
        "customer_id": [planted.customer_id],
        "case_id": [planted.case_id, planted.open_case_id],
        "plan_id": planted.plan_ids,
        "employee_id": [planted.employee_id],
        "survey_id": [planted.survey_id],
        "token": [planted.signed_path.removeprefix("/s/")],
    }
    urls = []
    for path, query in html_pages():
        filled = [path]
        for name in re.findall(r"{(\w+)}", path):
            assert name in ids, f"page {path} takes {{{name}}}: give this test a planted id for it"
            filled = [
                url.replace(f"{{{name}}}", quote(value, safe=""))
                for url in filled
                for value in ids[name]
            ]
        for url in filled:
            urls.append((path, url, PAYLOAD))
            if query:
                hostile = urlencode(dict.fromkeys(query, PAYLOAD))
                urls.append((path + "?", f"{url}?{hostile}", PAYLOAD))
    for path in ("/customers/{customer_id}", "/cases/{case_id}", "/plans/{plan_id}"):
        url = re.sub(r"{\w+}", quote(HOSTILE_ID, safe=""), path)
        urls.append((path + " (not found)", url, HOSTILE_ID))
    return urls


def new_page(browser: Any) -> Any:
    """A tab that ignores the Content-Security-Policy, so escaping alone must hold."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    return context.new_page()


def look(page: Any) -> dict[str, Any]:
    # Charts turn planted data into SVG: wait until vega has drawn them.
    page.wait_for_function(
        "[...document.querySelectorAll('div.vega')].every(d => d.dataset.rendered)",
        timeout=20_000,
    )
    state: dict[str, Any] = page.evaluate(PAGE_STATE)
    return state


def sign_in(page: Any, server: str, username: str) -> None:
    page.goto(server + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server + "/")


@pytest.fixture(scope="module")
def seen_by_role(chromium: Any, xss_server: str, xss_site: XssSite) -> dict[str, list[Seen]]:
    """Every page, as each role sees it (visited once for the tests below)."""
    urls = page_urls(xss_site.planted)
    seen: dict[str, list[Seen]] = {}
    for role, username in USERS.items():
        page = new_page(chromium)
        sign_in(page, xss_server, username)
        seen[role] = []
        for route, url, typed in urls:
            page.goto(xss_server + url)
            state = look(page)
            seen[role].append(check(route, url, state, typed=typed, masked=role == "viewer"))
        page.context.close()
    return seen


def _no_harm(pages: list[Seen]) -> None:
    assert [(s.url, s.injected) for s in pages if s.injected] == []
    assert [s.url for s in pages if s.ran] == []
    assert [(s.url, s.altered) for s in pages if s.altered] == []


def test_every_kind_of_page_is_enumerated_and_every_field_planted(xss_site: XssSite) -> None:
    routes = {path for path, _ in html_pages()}
    assert {"/", "/login", "/customers/{customer_id}", "/cases/{case_id}", "/plans/{plan_id}"} <= (
        routes
    )
    assert {"/admin/audit", "/admin/tokens", "/s/open/{survey_id}", "/s/{token}"} <= routes
    planted = xss_site.planted
    assert planted.refused == {}
    assert set(FREE_TEXT_FIELDS) | set(PERSONAL_FIELDS) <= set(planted.fields)
    assert len(planted.fields) >= 70
    assert all(PAYLOAD in text for text in planted.fields.values())


@pytest.mark.parametrize("role", list(USERS))
def test_no_planted_markup_comes_alive(role: str, seen_by_role: dict[str, list[Seen]]) -> None:
    _no_harm(seen_by_role[role])


@pytest.mark.parametrize("role", list(USERS))
def test_planted_text_reads_as_typed(role: str, seen_by_role: dict[str, list[Seen]]) -> None:
    plain = [s for s in seen_by_role[role] if not s.route.endswith(("?", ")"))]
    blank = sorted({s.route for s in plain if not s.shown})
    assert blank == sorted(r for r, roles in SHOWS_NOTHING_PLANTED.items() if role in roles)
    # A hostile id asked for is repeated, as typed, on the not-found page.
    assert all(s.shown for s in seen_by_role[role] if s.route.endswith("(not found)"))


#: Off-site values of sign-in's ``next`` (more, with control characters, in test_escaping).
HOSTILE_NEXT = ("https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "javascript:x")


def test_a_hostile_next_signs_in_to_the_overview(chromium: Any, xss_server: str) -> None:
    for target in HOSTILE_NEXT:
        page = new_page(chromium)
        page.goto(f"{xss_server}/login?{urlencode({'next': target})}")
        form_next = page.locator("input[name=next]").input_value()
        assert form_next == "/", target
        assert "evil" not in page.content() and page.evaluate(PAGE_STATE)["injected"] == []
        page.get_by_label("User name").fill("ana")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert page.url == xss_server + "/", target
        assert page.evaluate("typeof window.__xss") == "undefined"
        page.context.close()
    page = new_page(chromium)  # a same-site next is kept
    page.goto(f"{xss_server}/login?{urlencode({'next': '/explore?by=region'})}")
    page.get_by_label("User name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{xss_server}/explore?by=region")
    page.context.close()


def _sent_back(page: Any, what: str) -> Seen:
    """The page a form came back on, with its error, judged like any other."""
    assert page.get_by_role("alert").count() >= 1, f"{what}: no error shown"
    seen = check(what, page.url, look(page))
    assert seen.shown, f"{what}: the typed text was not given back"
    return seen


def test_forms_sent_back_with_an_error_keep_hostile_input_inert(
    chromium: Any, xss_server: str, xss_site: XssSite
) -> None:
    seen = []
    page = new_page(chromium)
    page.goto(xss_server + "/login")
    page.get_by_label("User name").fill(PAYLOAD)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    seen.append(_sent_back(page, "sign-in"))
    sign_in(page, xss_server, "ada")
    page.goto(f"{xss_server}/cases/{xss_site.planted.open_case_id}")
    page.get_by_label("Action taken (required)").fill(PAYLOAD)
    page.get_by_role("button", name="Close case").click()
    seen.append(_sent_back(page, "closing a case without a root cause"))
    page.goto(xss_server + "/admin/users")
    page.get_by_label("User name").fill(PAYLOAD)
    page.get_by_label("Units (case handlers only, comma-separated)").fill(PAYLOAD)
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Add user").click()
    seen.append(_sent_back(page, "a user name that cannot be one"))
    page.goto(xss_server + "/admin/tokens")
    page.get_by_label("Name (to recognise it by)").fill(PAYLOAD)
    page.get_by_label("Units (case handlers only, comma-separated)").fill(PAYLOAD)
    page.get_by_role("button", name="Create token").click()
    seen.append(_sent_back(page, "a viewer token with units"))
    page.goto(xss_server + "/plans")
    page.get_by_label("…or another link").fill("driver:" + PAYLOAD)
    page.get_by_label("Title (a gap suggests one)").fill(PAYLOAD)
    page.get_by_role("button", name="Create plan").click()
    seen.append(_sent_back(page, "a plan with no metric"))
    page.goto(xss_server + "/cases/rules")
    rules = f"rules:\n  - id: hostile\n    name: '{PAYLOAD}'\n    trigger: '{PAYLOAD}'\n"
    page.get_by_label("Rules (validated before saving").fill(rules)
    page.get_by_role("button", name="Validate and save").click()
    seen.append(_sent_back(page, "rules with an unknown trigger"))
    page.context.close()
    _no_harm(seen)


def test_the_anonymous_survey_answered_in_the_browser(
    chromium: Any, xss_server: str, xss_site: XssSite
) -> None:
    page = new_page(chromium)
    page.goto(f"{xss_server}/s/open/{xss_site.planted.survey_id}")
    assert page.locator("h1").inner_text() == PAYLOAD
    page.locator("label[for=nps-2]").click()
    page.locator("#comment").fill(PAYLOAD)
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()
    thanks = check("survey thanks", page.url, look(page))
    assert page.locator("h1").inner_text() == "Thank you"
    assert page.get_by_role("status").inner_text() == PAYLOAD  # the survey's own thanks text
    _no_harm([thanks])
    page.context.close()


def test_chart_tooltips_show_planted_values_as_text(chromium: Any, xss_server: str) -> None:
    page = new_page(chromium)
    sign_in(page, xss_server, "ana")
    page.goto(xss_server + "/explore?metric=nps&by=unit")
    look(page)
    tips = []
    for point in page.locator("div.vega g.mark-symbol path").all():
        point.hover()
        tip = page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible")
        tips.append(tip.inner_text())
        _no_harm([check("tooltip", page.url, page.evaluate(PAGE_STATE))])
    page.context.close()
    assert len(tips) >= 2 and any(PAYLOAD in tip for tip in tips), tips


def test_the_written_report(chromium: Any, xss_site: XssSite) -> None:
    seen = []
    unit = xss_site.planted.unit
    variants = (("whole", []), ("unit-redacted", ["--unit", unit, "--redact"]))
    for name, options in variants:
        out = xss_site.folder / f"report-{name}.html"
        result = CliRunner().invoke(
            cli, ["report", "--db", xss_site.url, "--out", str(out), "--title", PAYLOAD, *options]
        )
        assert result.exit_code == 0, result.output
        page = new_page(chromium)
        page.goto(out.as_uri())
        state = page.evaluate(PAGE_STATE)
        seen.append(check(f"report ({name})", out.as_uri(), state, masked="redacted" in name))
        # Planted values show beyond the title (document title and heading): units, themes...
        assert sum(PAYLOAD in text for text in state["strings"]) > 2, name
        assert page.locator("h1").inner_text() == PAYLOAD
        page.context.close()
    _no_harm(seen)


def test_case_emails(chromium: Any, xss_site: XssSite) -> None:
    now = datetime.now(UTC)
    with advocacy.open(xss_site.url) as ws:
        case = get_case(ws.db, xss_site.planted.open_case_id).case
        notice = case_notice(
            case,
            "case.opened",
            now=now,
            emails=["hal@example.test"],
            public_url=ws.settings.public_url,
        )
        digest = owner_digest(ws.db, PAYLOAD, now=now)
    digest["headline"] = {"by_status": {PAYLOAD: PAYLOAD}, "overdue": 3}
    messages = [(notice.event, notice.subject, notice.payload), ("digest.daily", PAYLOAD, digest)]
    page = new_page(chromium)
    seen = []
    for event, subject, payload in messages:
        message = Message(
            message_id="m-1", channel="email", destination="hal@example.test", event=event,
            subject=subject, payload=payload, created_at=now, attempts=0, next_attempt_at=now,
            delivered_at=None, last_error=None, gave_up_at=None,
        )  # fmt: skip
        page.set_content(render_html(message, public_url="https://advocacy.example"))
        seen.append(check(event, "e-mail", page.evaluate(PAGE_STATE)))
        assert seen[-1].shown, event
    page.context.close()
    _no_harm(seen)
