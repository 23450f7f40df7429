"""Cases people can work (#19.5) on the web: the demo's owners sign in, owners are picked from a
list, a refused action keeps everything typed, and the workload by owner (page and API)."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.loop.cases.owners import unknown_owners
from web.site import PASSWORD, Site, bearer


def _signed_in(client: TestClient, username: str) -> TestClient:
    browser = TestClient(client.app, base_url="https://testserver")  # its own cookies
    browser.get("/login")
    answer = browser.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": browser.cookies.get("advocacy_login_csrf") or "",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, (username, answer.text[:300])
    return browser


def _csrf(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found, text[:500]
    return found[1]


def _north_case(client: TestClient, site: Site, rid: str) -> str:
    record = {"response_id": rid, "customer_id": f"CUST-{rid}", "nps": 1, "unit": "North",
              "submitted_at": "2026-06-30T10:00:00Z"}  # fmt: skip
    written = client.post("/api/v1/responses", json=[record], headers=bearer(site, "analyst"))
    assert written.status_code == 200, written.text
    (case,) = written.json()["cases"]
    return str(case["case_id"])


def test_every_owner_the_demo_rules_name_is_a_user_who_signs_in(
    client: TestClient, site: Site
) -> None:
    with advocacy.open(site.url) as ws:
        rules = ws.cases.rules()
        named = {route.owner for rule in rules for route in rule.routes}
        named |= {name for rule in rules for name in (rule.default_owner, rule.escalate_to) if name}
        assert unknown_owners(ws.db, named, settings=ws.settings) == []
    assert {"hal", "cara", "sami", "cole", "olu", "ana", "ada"} <= named
    for name in sorted(named):
        me = _signed_in(client, name).get("/cases?mine=true&status=open")
        assert me.status_code == 200
        assert "(unassigned)" not in me.text  # only their own cases listed


def test_owners_are_picked_from_a_list_of_who_may_work_the_case(
    client: TestClient, site: Site
) -> None:
    case_id = _north_case(client, site, "pick-1")
    page = _signed_in(client, "ana").get(f"/cases/{case_id}")
    picker = re.search(r'<select id="new-owner" name="owner">(.*?)</select>', page.text, re.S)
    assert picker, "no owner picker on the case page"
    options = re.findall(r'<option value="([^"]+)"( selected)?>', picker[1])
    names = [name for name, _ in options]
    assert {"hal", "ana", "ada"} <= set(names)
    assert not {"cara", "sami", "cole", "olu", "vic"} & set(names)  # other units; a viewer
    assert [name for name, chosen in options if chosen] == ["hal"]  # the owner now
    assert 'id="new-owner" name="owner" value' not in page.text  # no free-text box
    rules = _signed_in(client, "ana").get("/cases/rules").text
    listed = re.search(r'<p class="hint" id="rule-owners">(.*?)</p>', rules, re.S)
    assert listed, "the rules editor does not say who rules may name"
    named = set(re.findall(r"<code>([^<]+)</code>", listed[1]))
    assert {"hal", "cara", "ana", "ada"} <= named and "vic" not in named


def test_a_refused_action_keeps_everything_typed(client: TestClient, site: Site) -> None:
    case_id = _north_case(client, site, "keep-1")
    hal = _signed_in(client, "hal")
    page = hal.get(f"/cases/{case_id}")
    assert page.text.count("<form") == 2  # sign-out and the one case form
    typed = {"text": "Called <twice>, no answer", "root_cause": "stock promised but out"}
    refused = hal.post(
        f"/cases/{case_id}",
        data={"csrf_token": _csrf(page.text), "action": "close", "follow_up": "on", **typed},
        follow_redirects=False,
    )
    assert refused.status_code == 400
    assert "to close a case, give the action taken" in refused.text
    assert f">{html.escape(typed['text'], quote=False)}</textarea>" in refused.text
    assert f'value="{typed["root_cause"]}"' in refused.text
    assert re.search(r'id="follow-up"[^>]* checked', refused.text)
    done = hal.post(
        f"/cases/{case_id}",
        data={
            "csrf_token": _csrf(page.text),
            "action": "close",
            "action_taken": "voucher",
            **typed,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    case = client.get(f"/api/v1/cases/{case_id}", headers=bearer(site, "analyst")).json()
    assert (case["status"], case["root_cause"]) == ("closed", typed["root_cause"])
    assert case["events"][-1]["text"] == typed["text"]


@pytest.mark.parametrize("role", ["analyst", "case-handler"])
def test_the_workload_counts_each_owners_open_cases(
    client: TestClient, site: Site, role: str
) -> None:
    headers = bearer(site, role)
    rows = client.get("/api/v1/cases/workload", headers=headers).json()
    listed = client.get("/api/v1/cases?status=open&limit=5000", headers=headers).json()
    assert {row["owner"]: row["open"] for row in rows} == Counter(c["owner"] for c in listed)
    assert {row["owner"]: row["overdue"] for row in rows} == {
        owner: sum(1 for c in listed if c["owner"] == owner and c["overdue"])
        for owner in {c["owner"] for c in listed}
    }
    overdue = [row["overdue"] for row in rows]
    assert overdue == sorted(overdue, reverse=True)  # the most overdue first
    if role == "case-handler":
        assert {row["owner"] for row in rows} <= {"hal", "ana", "ada"}  # North's cases only
    page = client.get("/cases/workload", headers=headers)
    assert page.status_code == 200
    total = sum(row["open"] for row in rows)
    assert re.search(rf'<span class="kpi-value">{total:,}</span> open', page.text)


@pytest.mark.parametrize(
    ("sort", "label"),
    [
        ("priority", "least urgent first"),
        ("-priority", "most urgent first"),
        ("-owner", "by owner, last first"),
        ("owner", "by owner"),
        ("-opened_at", "by opened, last first"),
    ],
)
def test_the_case_list_says_the_order_it_shows(
    client: TestClient, site: Site, sort: str, label: str
) -> None:
    page = _signed_in(client, "ana").get(f"/cases?status=&cases_sort={sort}")
    assert page.status_code == 200
    caption = re.search(r"<caption>(.*?)</caption>", page.text, re.S)
    assert caption and caption[1].endswith(f", {label}"), caption
    chosen = re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', page.text)
    assert (sort, label) in chosen
