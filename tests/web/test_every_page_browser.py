"""Every page of the web app in Debian's Chromium, on a desktop (1440x900) and a phone (390x844).

Each page the app serves (every GET route outside ``/api/v1``, found from the app itself, so a
new page is visited without editing this file) is opened by a signed-in admin; the case pages
also by North's case handler, who works cases on a phone. On each the test checks that nothing
is wider than the viewport (the page never scrolls sideways; a wide table may scroll inside its
own box, except on the case pages, where nothing may leave the screen), that its charts were
drawn, that the navigation stays on one line (a strip that scrolls sideways on a phone) and
that the console stayed free of errors. Screenshots land in
``test-artifacts/web/pages/<viewport>/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.loop.asks.links import member_token
from advocacy.loop.surveys.invitations import invite
from advocacy.present.web import create_app
from support.live_server import serving
from web.site import PASSWORD, Site, prepare_site
from web.test_authorization import flattened
from web.test_browser import chromium  # noqa: F401 - a fixture

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web" / "pages"
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
#: GET routes that are no page: the API, its document, the chart bundle, static files.
NOT_PAGES = ("/api/v1/", "/openapi.json", "/vendor/", "/static", "/a/")
# (``/a/{token}/{target}`` only redirects: tests/web/test_ask_pages.py follows it.)
#: Pages a case handler works on, where not even a table may run off the screen.
CASE_PAGES = ("/cases",)
CUSTOMER = "PAGES-0001"
#: Pages visited again under the global filters (a filtered page grows chips and notes).
FILTERED = {
    "/answers (filtered)": "/answers?unit=North&metric=nps&commented=1&since=2025-01-01",
    "/text (filtered)": "/text?unit=North&since=2025-01-01",
    "/advocates (filtered)": "/advocates?segment=household",
    "/gaps (filtered)": "/gaps?unit=North&channel=email",
    "/cases (sorted, page 2)": "/cases?status=&cases_sort=-due_at&cases_page=2",
}

#: Elements wider than the viewport or reaching past its right edge, as "tag#id.class: box";
#: those inside a box that scrolls or clips sideways do not count (the box itself is checked),
#: except, with ``strict``, in the page's main part. Whether the page as a whole scrolls
#: sideways comes first.
OVERFLOW = """strict => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const whole = document.documentElement.scrollWidth;
  if (whole > width + 1) found.push(`the page scrolls sideways: ${whole} > ${width}`);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ?
      '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.width <= width + 1 && box.right <= width + 1) continue;
    if (box.right <= 0) continue;  // moved off-screen on purpose (skip link, a table's head)
    let held = false;
    const loose = !strict || !el.closest('main');  // strict: inside the page's main part
    for (let up = el.parentElement; loose && up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) {
        held = true;
        break;
      }
    }
    if (!held) found.push(`${name(el)}: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return found.slice(0, 8);
}"""


#: How many lines the main navigation's links take (0 without it: signed out).
NAV_LINES = """() => new Set([...document.querySelectorAll('nav.main li')]
  .map(item => Math.round(item.getBoundingClientRect().top))).size"""


@pytest.fixture(scope="module", autouse=True)
def signing_key() -> Iterator[None]:
    """Survey links are signed: a key in the server's environment before it starts."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "every-page-test-key-" + "k" * 20)
        yield


@pytest.fixture(scope="module")
def pages_site(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare_site(demo_directory, tmp_path_factory.mktemp("pages-site"))


@pytest.fixture(scope="module")
def server(pages_site: Site) -> Iterator[str]:
    with serving(create_app(pages_site.url), name="localhost") as url:
        yield url


def _samples(site: Site) -> dict[str, str]:
    """A value for each path parameter of a page: records the demo has (or gets here)."""
    with advocacy.open(site.url) as ws:
        ws.db.execute(
            "INSERT INTO customers (customer_id, name, is_stub) VALUES (?, 'Pat Pages', false)",
            [CUSTOMER],
        )
        link = invite(ws.db, survey_id="default", customer_id=CUSTOMER, settings=ws.settings)
        case = ws.db.fetchone(
            "SELECT case_id FROM cases WHERE unit = 'North' AND status IN ('new', 'contacted') "
            "ORDER BY opened_at DESC LIMIT 1"
        )
        plan = ws.db.fetchone(
            "SELECT initiative_id FROM initiatives ORDER BY initiative_id LIMIT 1"
        )
        member = ws.db.fetchone(
            "SELECT campaign_id, customer_id FROM ask_members "
            "WHERE arm = 'ask' AND asked_at IS NOT NULL ORDER BY customer_id LIMIT 1"
        )
        assert member is not None, "the demo's ask campaign has asked members"
        campaign = ws.asks.get(str(member[0]))
        # Signed as if asked now: the demo asked long ago and its links have expired.
        now = datetime.now(UTC)
        ask_token = member_token(campaign, str(member[1]), settings=ws.settings, asked_at=now)
    assert case is not None and plan is not None, "the demo has open North cases and plans"
    return {
        "/r/{token}": ask_token,  # a referral page's token is an ask member's, not a survey's
        "{customer_id}": site.north_customer,
        "{employee_id}": site.north_employee,
        "{case_id}": str(case[0]),
        "{plan_id}": str(plan[0]),
        "{survey_id}": "default",
        "{token}": link.token,
    }


def page_addresses(app: Any, site: Site) -> dict[str, str]:
    """Every page of ``app``, route path -> the address visited."""
    samples = _samples(site)
    found: dict[str, str] = {}
    for route in flattened(list(app.routes)):
        if "GET" not in (getattr(route, "methods", None) or ()):
            continue
        if route.path.startswith(NOT_PAGES) or route.path.endswith(".csv"):
            continue  # (a .csv route is a download: tests/web/test_dashboard_browser.py)
        address = route.path
        if address.startswith("/r/{token}"):
            address = address.replace("/r/{token}", "/r/" + samples["/r/{token}"])
        for name, value in samples.items():
            address = address.replace(name, value)
        assert "{" not in address, f"no sample for the page {route.path}: add one to _samples"
        found[route.path] = address
    return found


@pytest.fixture(scope="module")
def addresses(pages_site: Site) -> dict[str, str]:
    return page_addresses(create_app(pages_site.url), pages_site)


class Tab:
    """A browser tab at one viewport that records console errors."""

    def __init__(self, browser: Any, server: str, viewport: str) -> None:
        width, height = VIEWPORTS[viewport]
        self.viewport = viewport
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.server = server

    def sign_in(self, username: str) -> None:
        self.page.goto(self.server + "/login")
        self.page.get_by_label("User name").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(self.server + "/")

    def check(self, address: str, shot: str, *, strict: bool) -> list[str]:
        """Open ``address``; return what is wrong with it (empty when nothing is)."""
        self.errors.clear()
        answer = self.page.goto(self.server + address)
        problems = (
            [] if answer is not None and answer.ok else [f"answered {answer and answer.status}"]
        )
        self.page.wait_for_load_state("load")
        if self.page.locator("div.vega").count():
            self.page.wait_for_function(
                "[...document.querySelectorAll('div.vega')].every(d => d.dataset.rendered)",
                timeout=20_000,
            )
        problems += self.page.evaluate(OVERFLOW, strict)
        lines = self.page.evaluate(NAV_LINES)
        if lines > 1:
            problems.append(f"the navigation wraps to {lines} lines")
        folder = ARTIFACTS / self.viewport
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{shot}.png"), full_page=True)
        problems += [f"console: {error}" for error in self.errors]
        return problems

    def close(self) -> None:
        self.context.close()


def _shot_name(path: str) -> str:
    name = path.strip("/").replace("/", "-").replace("{", "").replace("}", "")
    return name or "overview"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_fits_the_screen_without_console_errors(
    chromium: Any,  # noqa: F811
    server: str,
    pages_site: Site,
    viewport: str,
    addresses: dict[str, str],
) -> None:
    addresses = dict(addresses)
    assert {"/", "/cases", "/cases/{case_id}", "/cases/workload", "/api/docs"} <= set(addresses)
    wrong: dict[str, list[str]] = {}
    signed_out = Tab(chromium, server, viewport)
    for path in ("/login", "/s/open/{survey_id}", "/s/{token}"):
        wrong[path] = signed_out.check(addresses.pop(path), _shot_name(path), strict=False)
    signed_out.close()
    admin = Tab(chromium, server, viewport)
    admin.sign_in("ada")
    for path, address in sorted(addresses.items()):
        strict = path.startswith(CASE_PAGES)
        wrong[path] = admin.check(address, _shot_name(path), strict=strict)
    for path, address in FILTERED.items():
        shot = _shot_name(path.split(" ")[0]) + "-filtered"
        wrong[path] = admin.check(address, shot, strict=path.startswith(CASE_PAGES))
    admin.close()
    handler = Tab(chromium, server, viewport)
    handler.sign_in("hal")
    for path in ("/cases", "/cases/workload", "/cases/{case_id}"):
        wrong[f"{path} (hal)"] = handler.check(
            addresses[path], _shot_name(path) + "-handler", strict=True
        )
    handler.close()
    wrong = {path: found for path, found in wrong.items() if found}
    assert not wrong, "\n".join(f"{path}: {'; '.join(found)}" for path, found in wrong.items())


def test_the_checks_catch_a_wrapping_nav_and_a_wide_element(chromium: Any) -> None:  # noqa: F811
    """The page checks above can fail: a wrapped nav and content wider than a phone are seen."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    items = "".join(f"<li style='display:inline-block;width:90px'>link {i}</li>" for i in range(9))
    page.set_content(
        f"<nav class='main'><ul style='margin:0;padding:0'>{items}</ul></nav><main>"
        "<div style='overflow-x:auto'><table id='wide' style='width:600px'><tr><td>x</td></tr>"
        "</table></div></main>"
    )
    assert page.evaluate(NAV_LINES) == 3
    assert page.evaluate(OVERFLOW, False) == []  # the table scrolls inside its own box
    assert page.evaluate(OVERFLOW, True)[:1] == ["table#wide: 8..608"]  # not on a case page
    page.set_content("<main><p style='width:500px'>too wide</p></main>")
    assert page.evaluate(OVERFLOW, False) == ["the page scrolls sideways: 508 > 390", "p: 8..508"]
    context.close()
