"""A workspace opened with its own settings uses them in the closed loop, whatever the environment.

The environment here names another address, signing key, link validity, contact guard, time
zone and minimum sample, and switches e-mail, webhooks and teams off; the workspace is opened
with ``advocacy.open(url, settings=Settings(...))`` saying otherwise. Everything the loop hands
a person (survey links, the contact guard, case notices, the case e-mail and its links, who may
own a case, a plan's verdict) follows the workspace's settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.access import add_user
from advocacy.loop.cases.rule_format import parse_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.loop.surveys.signing import LinkError, verify_link
from advocacy.settings import Settings
from advocacy.workspace import Workspace
from loop.test_notify import Mailbox, mailbox  # noqa: F401 - a real SMTP server, a fixture

OURS = "https://cx.example"
KEY = "the-workspace-key-" + "k" * 24
HOOK = "http://127.0.0.1:9/workspace-hook"  # never delivered here: its queued payload is checked
RULES = """\
- {id: detractor, name: Detractor, trigger: nps_at_most, params: {threshold: 6},
   routes: [{unit: North, owner: hal}], due_hours: 48}
"""
#: The environment of the process: every value the workspace's settings contradict.
ENVIRONMENT = {
    "ADVOCACY_PUBLIC_URL": "https://env.example",
    "ADVOCACY_SECRET_KEY": "the-environment-key-" + "e" * 24,
    "ADVOCACY_SURVEY_LINK_DAYS": "30",
    "ADVOCACY_CONTACT_GUARD_DAYS": "90",
    "ADVOCACY_CASE_TEAMS": "",
    "ADVOCACY_SMTP_HOST": "",
    "ADVOCACY_WEBHOOK_URLS": "",
    "ADVOCACY_TIMEZONE": "UTC",
    "ADVOCACY_MIN_N": "1",
}


@pytest.fixture
def ws(
    duckdb_url: str,
    mailbox: Mailbox,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[Workspace]:
    monkeypatch.chdir(tmp_path)  # no stray advocacy.toml
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    settings = Settings(
        public_url=OURS + "/",
        secret_key=KEY,
        survey_link_days=3,
        contact_guard_days=7,
        case_teams="returns desk",
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        smtp_starttls=False,
        smtp_from="loop@cx.example",
        webhook_urls=HOOK,
        timezone="Europe/Berlin",
        min_n=1000,
    )
    with advocacy.open(duckdb_url, settings=settings) as workspace:
        assert workspace.settings.public_url == OURS + "/"  # not the environment's
        yield workspace


def _ago(days: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat()


def test_survey_links_point_at_the_workspace_and_follow_its_guard(ws: Workspace) -> None:
    for customer in ("C1", "C2", "C3"):
        ws.db.execute(
            "INSERT INTO customers (customer_id, segment, is_stub) VALUES (?, 'smb', false)",
            [customer],
        )
    ws.write_records(
        "responses",
        [
            # Ten days ago: outside the workspace's 7-day guard, inside the environment's 90.
            {"response_id": "r-c2", "customer_id": "C2", "nps": 8, "submitted_at": _ago(10)},
            {"response_id": "r-c3", "customer_id": "C3", "nps": 8, "submitted_at": _ago(2)},
        ],
    )
    result = ws.surveys.links(segment="smb")
    assert result.guard_days == 7
    assert [link["customer_id"] for link in result.links] == ["C1", "C2"]
    assert [(skipped.customer_id, skipped.reason) for skipped in result.skipped] == [
        ("C3", "responded")
    ]
    for link in result.links:
        assert link["url"] == f"{OURS}/s/{link['token']}"
        assert link["expires_at"] - link["created_at"] <= dt.timedelta(days=3)
        assert link["expires_at"] - link["created_at"] > dt.timedelta(days=3, seconds=-2)
        claims = verify_link(link["token"], secret=KEY)
        assert claims.customer_id == link["customer_id"]
        with pytest.raises(LinkError, match="signature does not match"):
            verify_link(link["token"], secret=ENVIRONMENT["ADVOCACY_SECRET_KEY"])
        # The form behind the link opens with the workspace's key.
        assert ws.surveys.form(link["token"]).customer_id == link["customer_id"]
    assert ws.surveys.anonymous_link("default") == f"{OURS}/s/open/default"


def test_cases_notify_and_email_with_the_workspace_settings(
    ws: Workspace,
    mailbox: Mailbox,  # noqa: F811 - the fixture imported above
) -> None:
    add_user(ws.db, "hal", role="case-handler", units="North", password="a long password 1234",
             email="hal@cx.example")  # fmt: skip
    replace_rules(ws.db, parse_rules(RULES), actor="ada")
    # A time without a zone is read in the workspace's zone (Berlin: UTC+1 in March).
    ws.write_records(
        "responses",
        [{"response_id": "r1", "customer_id": "C1", "unit": "North", "nps": 2,
          "submitted_at": "2026-03-01T10:00:00", "comment": "Nobody called back."}],
    )  # fmt: skip
    stored = ws.db.fetchone("SELECT submitted_at FROM responses WHERE response_id = 'r1'")
    assert stored is not None
    assert stored[0].astimezone(dt.UTC) == dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    (case,) = ws.cases.open_for("responses", ["r1"])
    queued = {message.channel: message for message in ws.outbox.messages()}
    assert set(queued) == {"email", "webhook"}  # the environment has both off
    assert queued["webhook"].destination == HOOK
    assert queued["webhook"].payload["url"] == f"{OURS}/cases/{case.case_id}"

    report = ws.outbox.deliver()
    assert report.delivered == 1  # the e-mail; the webhook's address answers nothing
    [(recipients, mail)] = mailbox.received
    assert recipients == ["hal@cx.example"] and mail["From"] == "loop@cx.example"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    page = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for body in (text, page):
        assert f"{OURS}/cases/{case.case_id}" in body and "env.example" not in body

    # A team of the workspace's settings may own the case; the environment lists none.
    assert ws.cases.work(case.case_id, "assign", owner="returns desk").owner == "returns desk"
    resolved = ws.cases.work(case.case_id, "resolve", follow_up=True)
    follow_up = ws.cases.get(resolved.case_id).events[-1].detail
    assert follow_up["url"].startswith(f"{OURS}/s/")
    token = follow_up["url"].rsplit("/", 1)[1]
    expires = dt.datetime.fromisoformat(follow_up["expires_at"])
    assert verify_link(token, secret=KEY).expires_at == expires
    assert expires - resolved.resolved_at <= dt.timedelta(days=3)  # type: ignore[operator]


def test_a_plan_is_judged_with_the_workspace_minimum(ws: Workspace) -> None:
    start = dt.date.today() - dt.timedelta(days=20)
    answers = [
        {"response_id": f"{when}-{i}", "nps": score, "submitted_at": stamp}
        for when, stamp, scores in (
            ("before", _ago(40), [0] * 40 + [10] * 20),
            ("after", _ago(10), [10] * 50 + [0] * 10),
        )
        for i, score in enumerate(scores)
    ]
    ws.write_records("responses", answers)
    plan = ws.plans.add(
        "culture:career paths", metric="nps", title="Career ladders", starts_on=start,
        baseline_days=30,
    )  # fmt: skip
    progress = ws.plans.progress(plan)
    assert (progress.baseline.n, progress.current.n) == (60, 60)
    # 60 answers since the start are fewer than the workspace's min_n of 1000 (the
    # environment's 1 would give a verdict).
    assert progress.verdict == "too early"
