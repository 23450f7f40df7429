"""Hosted surveys: signed links, the contact guard, links for mailing and idempotent answers.

Every test that touches the database runs on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import advocacy
from advocacy.errors import NotFoundError, UsageError, ValidationError
from advocacy.loop.cases.rule_store import ensure_default_rules
from advocacy.loop.surveys.contact_guard import ContactGuardError
from advocacy.loop.surveys.definitions import (
    DEFAULT_SURVEY,
    ensure_default_survey,
    get_survey,
    list_surveys,
    load_survey_file,
    save_survey,
)
from advocacy.loop.surveys.forms import survey_form
from advocacy.loop.surveys.invitations import anonymous_link, invite, links_for_segment
from advocacy.loop.surveys.signing import (
    LinkClaims,
    LinkError,
    LinkExpiredError,
    check_form_nonce,
    form_nonce,
    sign_link,
    verify_link,
)
from advocacy.loop.surveys.submissions import SubmissionResult, SubmissionWriter, submit
from advocacy.present.cli.main import app
from advocacy.workspace import Workspace

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SECRET = "test-key-not-for-production"
CUSTOMERS = [
    ("C1", "Ann Able", "ann@example.com", "smb"),
    ("C2", "Bob Brook", "bob@example.com", "smb"),
    ("C3", "Cy Crane", None, "smb"),
    ("C4", "Di Dale", "di@example.com", "enterprise"),
]


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", SECRET)
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://survey.example.com/")
    monkeypatch.setenv("ADVOCACY_CONTACT_GUARD_DAYS", "30")


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        for row in CUSTOMERS:
            workspace.db.execute(
                "INSERT INTO customers (customer_id, name, email, segment, is_stub) "
                "VALUES (?, ?, ?, ?, false)",
                list(row),
            )
        yield workspace


def test_a_signed_link_round_trips_and_refuses_tampering_and_expiry() -> None:
    claims = LinkClaims("inv-1", "default", "C1", NOW + timedelta(days=30))
    token = sign_link(claims, secret=SECRET)
    assert verify_link(token, secret=SECRET, now=NOW) == claims
    body, _, signature = token.partition(".")
    forged = sign_link(
        LinkClaims("inv-1", "default", "C2", NOW + timedelta(days=30)), secret=SECRET
    )
    # Someone else's customer id spliced into a good signature is refused.
    with pytest.raises(LinkError, match="signature does not match"):
        verify_link(forged.partition(".")[0] + "." + signature, secret=SECRET, now=NOW)
    with pytest.raises(LinkError, match="signature does not match"):
        verify_link(body + "." + signature[:-2] + "AA", secret=SECRET, now=NOW)
    with pytest.raises(LinkError, match="incomplete"):
        verify_link(body, secret=SECRET, now=NOW)
    with pytest.raises(LinkExpiredError, match="expired on 2026-04-01"):
        verify_link(token, secret=SECRET, now=NOW + timedelta(days=31))
    with pytest.raises(LinkError, match="signature does not match"):
        verify_link(token, now=NOW, secret="another-key")


def test_links_need_a_secret_key_and_say_which_variable() -> None:
    with pytest.raises(UsageError, match="secret key") as raised:
        sign_link(LinkClaims("inv-1", "default", None, NOW), secret="")
    assert "ADVOCACY_SECRET_KEY" in str(raised.value)


def test_a_form_nonce_belongs_to_its_form_and_goes_stale() -> None:
    nonce = form_nonce("open:default", secret=SECRET, now=NOW)
    assert check_form_nonce(nonce, "open:default", secret=SECRET, now=NOW) == nonce.split(".")[0]
    with pytest.raises(LinkError):
        check_form_nonce(nonce, "open:other", secret=SECRET, now=NOW)
    with pytest.raises(LinkError, match="security field is missing"):
        check_form_nonce("", "open:default", secret=SECRET, now=NOW)
    with pytest.raises(LinkExpiredError):
        check_form_nonce(nonce, "open:default", secret=SECRET, now=NOW + timedelta(days=3))


def test_the_default_survey_exists_once(ws: Workspace) -> None:
    first = ensure_default_survey(ws.db, now=NOW)
    again = ensure_default_survey(ws.db, now=NOW + timedelta(days=1))
    assert first == again and first.survey_id == "default" and first.nps_question
    assert [survey.survey_id for survey in list_surveys(ws.db)] == ["default"]
    assert (
        anonymous_link(ws.db, "default", settings=ws.settings)
        == "https://survey.example.com/s/open/default"
    )


def _stored_surveys_and_audit(ws: Workspace) -> tuple[int, int]:
    surveys = ws.db.fetchone("SELECT count(*) FROM surveys")
    audit = ws.db.fetchone("SELECT count(*) FROM audit_log")
    assert surveys is not None and audit is not None
    return int(surveys[0]), int(audit[0])


def test_reading_the_default_survey_writes_nothing_until_an_invitation_uses_it(
    ws: Workspace,
) -> None:
    before = _stored_surveys_and_audit(ws)
    built_in = get_survey(ws.db, "default")
    assert built_in.title == DEFAULT_SURVEY["title"] and built_in.created_at is None
    assert [survey.survey_id for survey in list_surveys(ws.db)] == ["default"]
    assert (
        anonymous_link(ws.db, "default", settings=ws.settings)
        == "https://survey.example.com/s/open/default"
    )
    form = survey_form(
        ws.db, token_or_survey="default", anonymous=True, now=NOW, secret=ws.settings.secret_key
    )
    assert form.survey == built_in and not form.already_answered
    assert _stored_surveys_and_audit(ws) == before and before[0] == 0

    invite(ws.db, survey_id="default", customer_id="C1", now=NOW, settings=ws.settings)
    stored = get_survey(ws.db, "default")
    assert stored.created_at == NOW and stored.updated_at == NOW
    assert stored.nps_question == DEFAULT_SURVEY["nps_question"]
    assert _stored_surveys_and_audit(ws)[0] == 1
    assert [survey.survey_id for survey in list_surveys(ws.db)] == ["default"]


def test_an_anonymous_answer_to_the_built_in_default_survey_stores_its_wording(
    ws: Workspace,
) -> None:
    nonce = form_nonce("open:default", now=NOW, secret=ws.settings.secret_key)
    submit(
        ws.db,
        token_or_survey="default",
        anonymous=True,
        nonce=nonce,
        answers={"nps": "9"},
        now=NOW,
        settings=ws.settings,
    )
    stored = get_survey(ws.db, "default")
    assert stored.created_at == NOW and stored.title == DEFAULT_SURVEY["title"]


def test_a_survey_from_yaml_hides_the_questions_it_leaves_out(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "support.yaml"
    path.write_text(
        "survey_id: after-support\ntitle: How was our help?\ncompany: Lamp & Co\n"
        "csat_question: How satisfied are you with the help you got?\n"
        "comment_prompt: Anything we should know?\ntouchpoint: support\nunit: North\n",
        encoding="utf-8",
    )
    survey = save_survey(ws.db, load_survey_file(path), actor="ana", now=NOW)
    assert (survey.nps_question, survey.ces_question) == (None, None)
    assert survey.csat_question and survey.unit == "North" and not survey.anonymous_allowed
    with pytest.raises(UsageError, match="anonymous"):
        anonymous_link(ws.db, "after-support", settings=ws.settings)
    actions = ws.db.fetchall("SELECT actor, action, target FROM audit_log ORDER BY occurred_at")
    assert ("ana", "survey.create", "after-support") in actions
    path.write_text("survey_id: x\ntitle: T\nnps_question: Q\ncolour: blue\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 4: colour: unknown key") as raised:
        load_survey_file(path)
    assert raised.value.file == str(path) and "use one of: survey_id, title" in str(raised.value)
    with pytest.raises(NotFoundError, match="after-support"):
        get_survey(ws.db, "no-such-survey")


def test_the_guard_skips_customers_contacted_recently(ws: Workspace) -> None:
    invite(
        ws.db,
        survey_id="default",
        customer_id="C1",
        now=NOW - timedelta(days=10),
        settings=ws.settings,
    )
    ws.write_records(
        "responses",
        [{"response_id": "r-old", "customer_id": "C2", "submitted_at": "2026-02-20T10:00:00Z"}],
    )
    ws.write_records(  # answered long ago: no longer protected
        "responses",
        [{"response_id": "r-older", "customer_id": "C3", "submitted_at": "2025-11-01T10:00:00Z"}],
    )
    result = links_for_segment(
        ws.db, survey_id="default", segment="smb", now=NOW, actor="ana", settings=ws.settings
    )
    assert [link["customer_id"] for link in result.links] == ["C3"]
    assert {(s.customer_id, s.reason) for s in result.skipped} == {
        ("C1", "invited"),
        ("C2", "responded"),
    }
    assert result.skipped_by_reason == {"invited": 1, "responded": 1}
    [link] = result.links
    assert link["url"].startswith("https://survey.example.com/s/") and link["name"] == "Cy Crane"
    assert verify_link(link["token"], now=NOW, secret=ws.settings.secret_key).customer_id == "C3"
    # A single invitation is refused with the reason; a case's follow-up is not.
    with pytest.raises(ContactGuardError, match="within the 30-day contact guard"):
        invite(
            ws.db,
            survey_id="default",
            customer_id="C3",
            now=NOW + timedelta(days=1),
            settings=ws.settings,
        )
    follow_up = invite(
        ws.db,
        survey_id="default",
        customer_id="C3",
        purpose="follow-up",
        case_id="case-1",
        now=NOW + timedelta(days=1),
        settings=ws.settings,
    )
    assert follow_up.case_id == "case-1" and follow_up.expires_at > NOW + timedelta(days=29)


def test_links_command_writes_a_csv_and_reports_skips(db_url: str, tmp_path: Path) -> None:
    with advocacy.open(db_url) as ws:
        for row in CUSTOMERS:
            ws.db.execute(
                "INSERT INTO customers (customer_id, name, email, segment) VALUES (?, ?, ?, ?)",
                list(row),
            )
        invite(ws.db, survey_id="default", customer_id="C2", settings=ws.settings)
    out = tmp_path / "links.csv"
    args = ["surveys", "links", "--segment", "smb", "--out", str(out), "--db", db_url]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"wrote 2 link(s) to {out}; skipped 1 customer(s) contacted within 30 days" in (
        result.output
    )
    assert "(1 invited)" in result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["customer_id"], row["name"], row["email"]) for row in rows] == [
        ("C1", "Ann Able", "ann@example.com"),
        ("C3", "Cy Crane", ""),
    ]
    assert all(row["url"].startswith("https://survey.example.com/s/") for row in rows)
    listed = CliRunner().invoke(app, ["surveys", "list", "--format", "csv", "--db", db_url])
    assert listed.output.splitlines()[1].startswith("default,How did we do?,"), listed.output
    anonymous = CliRunner().invoke(app, ["surveys", "anonymous-link", "--db", db_url])
    assert anonymous.output.strip() == "https://survey.example.com/s/open/default"


def test_an_answer_is_stored_once_and_a_detractor_opens_a_case(ws: Workspace) -> None:
    ensure_default_rules(ws.db)
    invitation = invite(ws.db, survey_id="default", customer_id="C1", now=NOW, settings=ws.settings)
    answers = {"nps": "3", "csat": "2", "comment": "Three weeks for a refund."}
    first = submit(
        ws.db, token_or_survey=invitation.token, answers=answers, now=NOW, settings=ws.settings
    )
    assert first.response_id == "web-" + invitation.invitation_id and not first.already_answered
    assert [case.evidence_id for case in first.cases] == [first.response_id]
    again = submit(
        ws.db, token_or_survey=invitation.token, answers=answers, now=NOW, settings=ws.settings
    )
    assert again.already_answered and again.cases == ()
    stored = ws.db.fetchall(
        "SELECT customer_id, survey, channel, nps, csat, comment FROM responses "
        "WHERE response_id = ?",
        [first.response_id],
    )
    assert stored == [("C1", "default", "web-survey", 3, 2.0, "Three weeks for a refund.")]
    assert ws.db.fetchone("SELECT count(*) FROM cases")[0] == 1  # type: ignore[index]
    marked = ws.db.fetchone(
        "SELECT response_id, responded_at FROM survey_invitations WHERE invitation_id = ?",
        [invitation.invitation_id],
    )
    assert marked is not None and marked[0] == first.response_id and marked[1] is not None


def test_bad_answers_and_links_are_refused_with_the_fix(ws: Workspace) -> None:
    invitation = invite(ws.db, survey_id="default", customer_id="C4", now=NOW, settings=ws.settings)
    with pytest.raises(ValidationError, match="NPS must be a whole number from 0 to 10") as bad:
        submit(
            ws.db,
            token_or_survey=invitation.token,
            answers={"nps": "11"},
            now=NOW,
            settings=ws.settings,
        )
    assert bad.value.column == "nps" and bad.value.value == "11" and bad.value.fix
    with pytest.raises(ValidationError, match="without an answer"):
        submit(
            ws.db,
            token_or_survey=invitation.token,
            answers={"nps": " "},
            now=NOW,
            settings=ws.settings,
        )
    with pytest.raises(LinkExpiredError):
        submit(
            ws.db,
            token_or_survey=invitation.token,
            answers={"nps": "9"},
            now=NOW + timedelta(days=31),
            settings=ws.settings,
        )
    assert ws.db.fetchone("SELECT count(*) FROM responses")[0] == 0  # type: ignore[index]


def test_the_anonymous_link_takes_each_form_once(ws: Workspace) -> None:
    nonce = form_nonce("open:default", now=NOW, secret=ws.settings.secret_key)
    answers = {"nps": "10", "comment": "Lovely lamps."}
    first = submit(
        ws.db,
        token_or_survey="default",
        anonymous=True,
        nonce=nonce,
        answers=answers,
        now=NOW,
        settings=ws.settings,
    )
    again = submit(
        ws.db,
        token_or_survey="default",
        anonymous=True,
        nonce=nonce,
        answers=answers,
        now=NOW,
        settings=ws.settings,
    )
    assert first.customer_id is None and again.already_answered
    assert again.response_id == first.response_id
    with pytest.raises(LinkError):
        submit(
            ws.db,
            token_or_survey="default",
            anonymous=True,
            answers=answers,
            now=NOW,
            settings=ws.settings,
        )
    assert ws.db.fetchone("SELECT count(*) FROM responses")[0] == 1  # type: ignore[index]


def test_the_writer_commits_in_batches_and_one_bad_answer_loses_nothing(ws: Workspace) -> None:
    import threading

    ensure_default_rules(ws.db)
    writer = SubmissionWriter(
        ws.db, threading.Lock(), max_batch=10, max_wait=0.2, settings=ws.settings
    )
    tokens = [
        invite(
            ws.db, survey_id="default", customer_id=customer, now=NOW, settings=ws.settings
        ).token
        for customer in ("C1", "C2", "C3")
    ]
    good = [
        writer.prepare(token_or_survey=token, answers={"nps": str(score)}, now=NOW)
        for token, score in zip(tokens, (1, 8, 10), strict=True)
    ]
    # Checked answers cannot break a batch, so forge one that write_records refuses.
    bad = replace(good[0], response_id="web-bad", invitation_id=None, record={
        **good[0].record, "response_id": "web-bad", "nps": 99, "invitation_id": None,
    })  # fmt: skip
    futures = [writer.put(item) for item in (good[0], bad, good[1], good[2])]
    outcomes = [future.exception(timeout=60) or future.result() for future in futures]
    writer.stop()
    assert isinstance(outcomes[1], ValidationError)
    stored = ws.db.fetchall("SELECT customer_id, nps FROM responses ORDER BY customer_id")
    assert stored == [("C1", 1), ("C2", 8), ("C3", 10)]
    answered = [outcomes[0], outcomes[2], outcomes[3]]
    results = [outcome for outcome in answered if isinstance(outcome, SubmissionResult)]
    assert [len(result.cases) for result in results] == [1, 0, 0]
    assert (writer.batches, writer.committed) == (1, 3)  # one batch, retried one by one
