"""Pages cheap to serve once their figures are cached (issue #20.3), without showing less.

The topic pages send one page of each table (the server sorts and pages it, the page and order
in the URL); every row of the analysis is still reachable, in the order asked, and as a CSV.
The plans page keeps each plan's progress like the other aggregates, yet shows a changed plan
at once. What a page builds from a cached result is rebuilt when the result is replaced.
"""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from advocacy.present.web import create_app
from advocacy.present.web.derived import derived
from advocacy.present.web.pages.routes import TIMELINE_EVENTS
from advocacy.present.web.pages.topics import PAGE_ROWS
from web.site import Site, bearer, prepare_site


class _Table(HTMLParser):
    """The head and body cells (texts) of the table inside ``<section id=...>``, and the
    links of its section (sorting headings, pager)."""

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section
        self.inside = False
        self.depth = 0
        self.cell: list[str] | None = None
        self.heads: list[str] = []
        self.rows: list[list[str]] = []
        self.links: dict[str, str] = {}  # link text -> href
        self.link: str | None = None
        self.link_text: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "section" and named.get("id") == self.section:
            self.inside, self.depth = True, 0
        if not self.inside:
            return
        if tag == "section":
            self.depth += 1
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "a":
            self.link, self.link_text = named.get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "section":
            self.depth -= 1
            self.inside = self.depth > 0
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            text = "".join(self.cell).strip()
            (self.rows[-1] if self.in_body else self.heads).append(text)
            self.cell = None
        elif tag == "a" and self.link is not None:
            self.links["".join(self.link_text).strip()] = self.link
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.cell is not None:
            self.cell.append(data)
        if self.inside and self.link is not None:
            self.link_text.append(data)


def _table(page: str, section: str) -> _Table:
    parsed = _Table(section)
    parsed.feed(page)
    assert parsed.heads, f"no table in section {section}"
    return parsed


def _number(text: str) -> float | None:
    return float(text.replace("\u2212", "-").replace(",", "")) if text not in ("", "–") else None


def _analyst(site: Site) -> dict[str, str]:
    return bearer(site, "analyst")


def test_the_ladder_is_shown_a_page_at_a_time_every_customer_once_in_the_order_asked(
    client: TestClient, site: Site
) -> None:
    whole = client.get("/api/v1/analyses/ladder?format=csv", headers=_analyst(site))
    assert whole.status_code == 200
    ladder = list(csv.DictReader(io.StringIO(whole.text)))
    assert len(ladder) > 2 * PAGE_ROWS  # several pages
    seen: list[str] = []
    scores: list[float | None] = []
    link = "/advocates?ladder_sort=-nps"
    while link:
        page = client.get(link, headers=_analyst(site))
        assert page.status_code == 200
        table = _table(page.text, "table-ladder")
        assert 0 < len(table.rows) <= PAGE_ROWS
        ids, nps = table.heads.index("customer id"), table.heads.index("nps")
        seen += [row[ids] for row in table.rows]
        scores += [_number(row[nps]) for row in table.rows]
        following = table.links.get("Next")
        link = html.unescape(following) if following else ""
        assert not link or "ladder_sort=-nps" in link  # the order holds from page to page
    assert sorted(seen) == sorted(row["customer_id"] for row in ladder)  # each once, none lost
    known = [score for score in scores if score is not None]
    assert known == sorted(known, reverse=True)  # the whole ladder sorted, not each page
    assert scores[len(known) :] == [None] * (len(scores) - len(known))  # no answer: last


def test_a_long_customer_history_shows_its_newest_events_and_counts_them_all(
    demo_directory: Path, tmp_path: Path
) -> None:
    """The customer page shows the newest TIMELINE_EVENTS events, counts every event, and
    names the API route that gives them all (on a copy of its own: it writes)."""
    site = prepare_site(demo_directory, tmp_path)
    with TestClient(create_app(site.url), base_url="https://testserver") as client:
        _long_history(client, site)


def _long_history(client: TestClient, site: Site) -> None:
    customer = site.north_customer
    records = [
        {
            "response_id": f"long-history-{number}",
            "customer_id": customer,
            "submitted_at": f"2031-01-01T{number // 60:02d}:{number % 60:02d}:00Z",
            "unit": "North",
            "nps": 9,
            "comment": f"answer number {number} <b>bold</b>",
        }
        for number in range(TIMELINE_EVENTS + 5)
    ]
    written = client.post("/api/v1/responses", json=records, headers=_analyst(site))
    assert written.status_code == 200, written.text
    everything = client.get(f"/api/v1/customers/{customer}", headers=_analyst(site)).json()
    total = len(everything["events"])
    assert total > TIMELINE_EVENTS
    page = client.get(f"/customers/{customer}", headers=_analyst(site))
    assert page.status_code == 200
    assert page.text.count('<li class="event') == TIMELINE_EVENTS
    assert f"The newest {TIMELINE_EVENTS} of {total:,} events" in page.text
    assert f"GET /api/v1/customers/{customer}" in page.text
    newest = f"answer number {TIMELINE_EVENTS + 4} &lt;b&gt;bold&lt;/b&gt;"
    assert newest in page.text and "answer number 4 &lt;b&gt;" not in page.text
    kinds: dict[str, int] = {}
    for event in everything["events"]:
        kinds[event["kind"]] = kinds.get(event["kind"], 0) + 1
    for kind, count in kinds.items():
        assert f'<span class="tag">{count} {kind}{"s" if count != 1 else ""}</span>' in page.text


def test_paging_keeps_the_filters_and_the_other_tables_order(
    client: TestClient, site: Site
) -> None:
    page = client.get(
        "/advocates?since=2000-01-01&say-do_sort=-promoters&ladder_page=2", headers=_analyst(site)
    )
    assert page.status_code == 200
    ladder = _table(page.text, "table-ladder")
    for name in ("Previous", "Next"):
        href = html.unescape(ladder.links[name])
        assert "since=2000-01-01" in href and "say-do_sort=-promoters" in href
    assert "ladder_page=3" in html.unescape(ladder.links["Next"])
    # A new order starts at the first page; the filter bar keeps the orders, not the pages.
    sort = html.unescape(ladder.links["rung"])
    assert "ladder_sort=rung" in sort and "ladder_page" not in sort
    assert '<input type="hidden" name="say-do_sort" value="-promoters">' in page.text
    assert 'name="ladder_page"' not in page.text


def test_nonsense_in_the_paging_parameters_shows_a_page_and_reflects_nothing(
    client: TestClient, site: Site
) -> None:
    planted = "<script>alert(1)</script>"
    for query in (
        f"ladder_sort={planted}&ladder_page=abc",
        "ladder_page=99999999&ladder_sort=-",
        "ladder_page=-3&ladder_sort=-customer_id",
        "ladder_page=1" + "0" * 40,
    ):
        page = client.get(f"/advocates?{query}", headers=_analyst(site))
        assert page.status_code == 200, query
        assert "<script>alert" not in page.text and "alert(1)" not in page.text
        table = _table(page.text, "table-ladder")
        assert 0 < len(table.rows) <= PAGE_ROWS
    last = _table(
        client.get("/advocates?ladder_page=99999999", headers=_analyst(site)).text, "table-ladder"
    )
    assert "Next" not in last.links or last.links["Next"] is None  # clamped to the last page
    descending = _table(
        client.get("/advocates?ladder_sort=-customer_id", headers=_analyst(site)).text,
        "table-ladder",
    )
    ids = [row[descending.heads.index("customer id")] for row in descending.rows]
    assert ids == sorted(ids, reverse=True)


def test_the_plans_page_shows_the_measured_progress_and_a_changed_plan_at_once(
    client: TestClient, site: Site
) -> None:
    measured = client.get("/api/v1/plans", headers=_analyst(site)).json()  # always fresh
    assert measured
    first = client.get("/plans", headers=_analyst(site)).text
    for plan in measured:
        row = re.search(
            rf'href="/plans/{re.escape(plan["plan_id"])}".*?</tr>', first, flags=re.DOTALL
        )
        assert row is not None, plan["plan_id"]
        assert f"(n={plan['current_n']})" in row.group(0)
        assert f"(n={plan['baseline_n']})" in row.group(0)
    chosen = measured[0]
    status = "dropped" if chosen["status"] != "dropped" else "done"
    changed = client.patch(
        f"/api/v1/plans/{chosen['plan_id']}", json={"status": status}, headers=_analyst(site)
    )
    assert changed.status_code == 200, changed.text
    again = client.get("/plans", headers=_analyst(site)).text
    row = re.search(
        rf'href="/plans/{re.escape(chosen["plan_id"])}".*?</tr>', again, flags=re.DOTALL
    )
    assert row is not None and f"<td>{status}</td>" in row.group(0)


def test_a_part_is_rebuilt_when_its_result_is_replaced() -> None:
    built: list[int] = []

    def build(value: Any) -> Any:
        built.append(1)
        return {"from": value}

    first, second = ["a result"], ["a result"]  # equal, yet another object
    one = derived(("test-part",), (first,), lambda: build(first))
    assert derived(("test-part",), (first,), lambda: build(first)) is one
    assert len(built) == 1
    other = derived(("test-part",), (second,), lambda: build(second))
    assert other is not one and other["from"] is second and len(built) == 2


def test_the_loop_results_are_kept_yet_show_a_worked_case_at_once(
    demo_directory: Path, tmp_path: Path
) -> None:
    """The case list's loop results are kept like the other aggregates (new evidence: the page
    shows them labelled with their age while they are refreshed), but a case worked through
    the server or from the library shows in them on the next view (on a copy: it writes)."""
    import advocacy

    site = prepare_site(demo_directory, tmp_path)
    with TestClient(create_app(site.url), base_url="https://testserver") as client:
        state = client.app.state.web  # type: ignore[attr-defined]
        state.clock = lambda: 1_000.0  # one minute all along: only the data moves
        first = client.get("/cases", headers=_analyst(site))
        assert first.status_code == 200
        contacted = _contacted(first.text)
        assert "Figures as of" not in first.text
        # A promoter, and two detractors whose answers the case rules open new cases for (the
        # demo's own new cases are few since the angry-mention rule asks for more evidence).
        written = client.post(
            "/api/v1/responses",
            json=[
                {"response_id": "kept-1", "customer_id": site.north_customer, "nps": 10},
                {"response_id": "kept-2", "customer_id": site.north_customer, "nps": 0},
                {"response_id": "kept-3", "customer_id": site.north_customer, "nps": 1},
            ],
            headers=_analyst(site),
        )
        assert written.status_code == 200, written.text
        kept = client.get("/cases", headers=_analyst(site))
        assert "Figures as of" in kept.text  # the kept results, labelled
        assert _contacted(kept.text) == contacted
        with advocacy.open(site.url) as ws:
            new = [case.case_id for case in ws.cases.list(status="new", limit=2)]
        assert len(new) == 2, "the detractors opened new cases"
        worked = client.post(
            f"/api/v1/cases/{new[0]}/events",
            json={"action": "contact", "text": "called back"},
            headers=_analyst(site),
        )
        assert worked.status_code == 200, worked.text
        assert _contacted(client.get("/cases", headers=_analyst(site)).text) == contacted + 1
        with advocacy.open(site.url) as ws:  # as the CLI would, beside the server
            ws.cases.work(new[1], "contact", text="called too", actor="ana")
        assert _contacted(client.get("/cases", headers=_analyst(site)).text) == contacted + 2


def _contacted(page: str) -> int:
    """The loop results' count of contacted cases on the case list page."""
    found = re.search(r"\(([\d,]+) contacted\)", page)
    assert found is not None, page[-3000:]
    return int(found.group(1).replace(",", ""))
