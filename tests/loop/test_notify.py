"""Notifications against real receivers: an SMTP server (aiosmtpd) and an HTTP server on loopback.

Covers the outbox's promises: e-mails reach the right person with a case link and no customer
contact details; webhooks are signed and verifiable; a receiver that was down gets the message
exactly once after it comes back; messages given up are kept and can be retried; the daily
digest is queued once per day.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

import advocacy
from advocacy.access import add_user, audit_entries, create_token
from advocacy.loop.notify.delivery import deliver_due
from advocacy.loop.notify.digest import enqueue_daily_digest
from advocacy.loop.notify.outbox import (
    BACKOFF_CAP,
    DeliveryError,
    backoff,
    enqueue,
    get_message,
    list_messages,
    pending,
    retry,
)
from advocacy.loop.notify.webhooks import sign, verify_signature
from advocacy.present.cli.main import app as cli_app
from advocacy.present.web import create_app
from advocacy.settings import Settings
from advocacy.workspace import Workspace

SECRET = "test-webhook-secret"
PUBLIC_URL = "https://cx.example.test"
PASSWORD = "correct horse battery staple"
CASE = {
    "case_id": "K-1001",
    "customer_id": "C00042",
    "customer_email": "jane.doe@example.com",
    "rule": "Detractor (NPS 0-6)",
    "status": "new",
    "owner": "hal",
    "unit": "North",
    "due_at": "2026-03-16T12:00:00+00:00",
    "comment": "Waited an hour. Call me on +44 20 7946 0958 or mail jane.doe@example.com",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- a real SMTP server ------------------------------------------------------------------------
@dataclass
class Mailbox:
    port: int
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


# -- a real webhook receiver -------------------------------------------------------------------
@dataclass
class Receiver:
    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/advocacy"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                valid = verify_signature(
                    SECRET,
                    self.headers["X-Advocacy-Timestamp"],
                    body,
                    self.headers["X-Advocacy-Signature"],
                )
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "valid": valid}
                )
                self.send_response(204 if valid else 401)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver on a free port, not yet listening: call ``start()``."""
    found = Receiver(free_port())
    yield found
    found.stop()


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Settings]:
    """Set notification settings through the environment, as a deployment would.

    Returns the settings the environment now gives, for the loop functions that take them
    (a server or a command started afterwards reads the same).
    """
    monkeypatch.chdir(tmp_path)  # no stray advocacy.toml
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("ADVOCACY_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("ADVOCACY_SMTP_HOST", "")
    monkeypatch.setenv("ADVOCACY_WEBHOOK_URLS", "")

    def configure(*, smtp_port: int | None = None, webhooks: str = "", **others: Any) -> Settings:
        if smtp_port is not None:
            monkeypatch.setenv("ADVOCACY_SMTP_HOST", "127.0.0.1")
            monkeypatch.setenv("ADVOCACY_SMTP_PORT", str(smtp_port))
            monkeypatch.setenv("ADVOCACY_SMTP_STARTTLS", "false")
            monkeypatch.setenv("ADVOCACY_SMTP_FROM", "cx-team@example.test")
        monkeypatch.setenv("ADVOCACY_WEBHOOK_URLS", webhooks)
        for name, value in others.items():
            monkeypatch.setenv("ADVOCACY_" + name.upper(), str(value))
        return Settings.load()

    return configure


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- e-mail ------------------------------------------------------------------------------------
def test_case_email_reaches_the_owner_with_a_link_and_no_contact_details(
    ws: Workspace, mailbox: Mailbox, settings: Callable[..., Settings]
) -> None:
    configured = settings(smtp_port=mailbox.port)
    [message_id] = enqueue(
        ws.db,
        event="case.opened",
        subject="[advocacy] New case K-1001 (detractor, North)",
        payload=CASE,
        emails=["hal@example.test"],
        settings=configured,
    )
    report = deliver_due(ws.db, settings=configured)
    assert (report.attempted, report.delivered, report.failed) == (1, 1, 0)
    [(recipients, mail)] = mailbox.received
    assert recipients == ["hal@example.test"]
    assert mail["Subject"] == "[advocacy] New case K-1001 (detractor, North)"
    assert mail["From"] == "cx-team@example.test"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    page = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for body in (text, page):
        assert f"{PUBLIC_URL}/cases/K-1001" in body
        assert "C00042" in body
        assert "Waited an hour" in body
        assert "jane.doe@example.com" not in body
        assert "7946" not in body
    delivered = get_message(ws.db, message_id)
    assert delivered.state == "delivered" and delivered.attempts == 1
    assert pending(ws.db) == []


def test_no_channel_configured_queues_nothing(
    ws: Workspace, settings: Callable[..., Settings]
) -> None:
    configured = settings()
    assert (
        enqueue(
            ws.db,
            event="case.opened",
            subject="x",
            payload=CASE,
            emails=["a@b.c"],
            settings=configured,
        )
        == []
    )
    assert list_messages(ws.db) == []


def test_smtp_server_down_is_a_recorded_failure(
    ws: Workspace, settings: Callable[..., Settings]
) -> None:
    configured = settings(smtp_port=free_port())
    [message_id] = enqueue(
        ws.db, event="case.opened", subject="s", payload=CASE, emails=["h@x.y"], settings=configured
    )
    report = deliver_due(ws.db, rng=random.Random(1), settings=configured)
    assert (report.delivered, report.failed) == (0, 1)
    failed = get_message(ws.db, message_id)
    assert failed.state == "pending" and failed.attempts == 1
    assert "cannot send e-mail through 127.0.0.1" in (failed.last_error or "")


# -- webhooks ----------------------------------------------------------------------------------
def test_webhook_is_signed_and_the_signature_verifies(
    ws: Workspace, receiver: Receiver, settings: Callable[..., Settings]
) -> None:
    configured = settings(webhooks=receiver.url)
    receiver.start()
    [message_id] = enqueue(
        ws.db, event="case.escalated", subject="Escalated", payload=CASE, settings=configured
    )
    report = deliver_due(ws.db, settings=configured)
    assert report.delivered == 1
    [request] = receiver.requests
    assert request["valid"] is True
    headers = request["headers"]
    assert headers["X-Advocacy-Event"] == "case.escalated"
    assert headers["X-Advocacy-Delivery"] == message_id
    document = json.loads(request["body"])
    assert document["event"] == "case.escalated" and document["delivery"] == message_id
    assert document["data"]["case_id"] == "K-1001"
    # Webhooks leave the company too: no contact details, free text redacted.
    assert "customer_email" not in document["data"]
    assert "jane.doe@example.com" not in request["body"].decode()
    assert "7946 0958" not in document["data"]["comment"]
    assert document["data"]["comment"].startswith("Waited an hour.")

    timestamp, body = headers["X-Advocacy-Timestamp"], request["body"]
    signature = headers["X-Advocacy-Signature"]
    assert signature == sign(SECRET, timestamp, body)
    assert not verify_signature(SECRET, timestamp, body.replace(b"K-1001", b"K-1002"), signature)
    assert not verify_signature("another secret", timestamp, body, signature)
    assert not verify_signature(SECRET, timestamp, body, "sha256=été")
    assert not verify_signature(SECRET, "yesterday", body, signature)
    late = dt.datetime.fromtimestamp(int(timestamp), dt.UTC) + dt.timedelta(minutes=6)
    assert not verify_signature(SECRET, timestamp, body, signature, now=late)
    assert verify_signature(SECRET, timestamp, body.decode(), signature)


def test_queued_text_is_redacted_with_the_workspaces_own_people(
    ws: Workspace, settings: Callable[..., Settings], tmp_path: Path
) -> None:
    configured = settings(webhooks="http://127.0.0.1:9/hook")
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nC9,Xerxo Quillibrand\n", encoding="utf-8")
    ws.import_file(customers, kind="customers")
    payload = {**CASE, "comment": "Xerxo Quillibrand said the parcel was late"}
    [message_id] = enqueue(
        ws.db, event="case.opened", subject="Opened", payload=payload, settings=configured
    )
    queued = json.dumps(get_message(ws.db, message_id).payload)
    assert "Quillibrand" not in queued and "Xerxo" not in queued
    assert "said the parcel was late" in queued


def test_receiver_down_then_up_gets_the_message_exactly_once(
    ws: Workspace, receiver: Receiver, settings: Callable[..., Settings]
) -> None:
    configured = settings(webhooks=receiver.url)  # nothing listens there yet
    start = _now()
    [message_id] = enqueue(
        ws.db, event="case.opened", subject="New", payload=CASE, now=start, settings=configured
    )
    first = deliver_due(ws.db, now=start, rng=random.Random(7), settings=configured)
    assert (first.attempted, first.failed) == (1, 1)
    waiting = get_message(ws.db, message_id)
    assert waiting.state == "pending" and waiting.attempts == 1
    assert waiting.next_attempt_at > start
    assert waiting.last_error and "unreachable" in waiting.last_error
    assert deliver_due(ws.db, now=start, settings=configured).attempted == 0  # not due yet

    receiver.start()
    later = waiting.next_attempt_at + dt.timedelta(seconds=1)
    second = deliver_due(ws.db, now=later, rng=random.Random(7), settings=configured)
    assert (second.attempted, second.delivered) == (1, 1)
    assert deliver_due(ws.db, now=later + dt.timedelta(hours=2), settings=configured).attempted == 0
    assert len(receiver.requests) == 1 and receiver.requests[0]["valid"]
    assert receiver.requests[0]["headers"]["X-Advocacy-Delivery"] == message_id
    done = get_message(ws.db, message_id)
    assert done.state == "delivered" and done.attempts == 2 and done.last_error is None


def test_gives_up_after_max_attempts_keeps_the_row_and_retry_revives_it(
    ws: Workspace, receiver: Receiver, settings: Callable[..., Settings]
) -> None:
    configured = settings(webhooks=receiver.url, notify_max_attempts=3)
    moment = _now()
    [message_id] = enqueue(
        ws.db, event="case.closed", subject="Closed", payload=CASE, now=moment, settings=configured
    )
    rng = random.Random(11)
    for attempt in range(1, 4):
        report = deliver_due(ws.db, now=moment, rng=rng, settings=configured)
        assert report.attempted == 1
        message = get_message(ws.db, message_id)
        assert message.attempts == attempt
        moment = message.next_attempt_at + dt.timedelta(seconds=1)
    assert report.gave_up == 1
    given_up = get_message(ws.db, message_id)
    assert given_up.state == "failed" and given_up.gave_up_at is not None
    assert deliver_due(ws.db, now=moment + dt.timedelta(days=1), settings=configured).attempted == 0
    assert [m.message_id for m in list_messages(ws.db, state="failed")] == [message_id]

    receiver.start()
    revived = retry(ws.db, message_id, actor="ada", now=_now())
    assert revived.state == "pending" and revived.attempts == 0
    assert any(e.action == "outbox.retry" and e.target == message_id for e in audit_entries(ws.db))
    assert deliver_due(ws.db, settings=configured).delivered == 1
    assert get_message(ws.db, message_id).state == "delivered"


def test_backoff_grows_exponentially_with_full_jitter_up_to_an_hour() -> None:
    rng = random.Random(5)
    ceilings = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    for attempts, ceiling in enumerate(ceilings, start=1):
        draws = [backoff(attempts, rng).total_seconds() for _ in range(200)]
        assert min(draws) >= 1.0 and max(draws) <= ceiling
        assert max(draws) > 0.8 * ceiling and min(draws) < 0.2 * ceiling  # spread: full jitter
    assert backoff(500, rng) <= BACKOFF_CAP


# -- the daily digest --------------------------------------------------------------------------
def _insert_case(ws: Workspace, case_id: str, now: dt.datetime, **values: Any) -> None:
    row = {
        "case_id": case_id,
        "rule_id": "detractor",
        "customer_id": "C" + case_id,
        "evidence_kind": "responses",
        "evidence_id": "r-" + case_id,
        "unit": "North",
        "owner": "hal",
        "status": "new",
        "opened_at": now - dt.timedelta(days=3),
        "due_at": now + dt.timedelta(days=1),
        "escalation_level": 0,
        "updated_at": now,
        **values,
    }
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    ws.db.execute(f"INSERT INTO cases ({names}) VALUES ({marks})", list(row.values()))


def test_daily_digest_is_queued_once_per_day_and_lists_the_owner_cases(
    ws: Workspace,
    mailbox: Mailbox,
    receiver: Receiver,
    settings: Callable[..., Settings],
) -> None:
    configured = settings(smtp_port=mailbox.port, webhooks=receiver.url)
    receiver.start()
    # An hour ago but not before midnight: "30 minutes later" stays today (the test once crossed
    # midnight) and nothing is dated in the future.
    real = _now()
    now = max(real.replace(hour=0, minute=0, second=0, microsecond=0), real - dt.timedelta(hours=1))
    add_user(ws.db, "hal", role="case-handler", units="North", password=PASSWORD, email="h@x.io")
    add_user(ws.db, "ada", role="admin", password=PASSWORD, email="ada@x.io")  # owns no case
    _insert_case(ws, "K1", now, due_at=now - dt.timedelta(hours=5))  # overdue
    _insert_case(ws, "K2", now, escalated_at=now - dt.timedelta(hours=2), escalation_level=1)
    _insert_case(ws, "K3", now, status="closed", closed_at=now - dt.timedelta(hours=1))

    first = enqueue_daily_digest(ws.db, now=now, settings=configured)
    assert (first.emails, first.webhooks, first.already_sent) == (1, 1, 0)
    again = enqueue_daily_digest(ws.db, now=now + dt.timedelta(minutes=30), settings=configured)
    assert (again.emails, again.webhooks, again.already_sent) == (0, 0, 2)
    assert len(list_messages(ws.db)) == 2

    # Delivered now: the webhook's signature carries the time, and the receiver checks it.
    assert deliver_due(ws.db, now=real, settings=configured).delivered == 2
    [(recipients, mail)] = mailbox.received
    assert recipients == ["h@x.io"]
    assert mail["Subject"] == f"[advocacy] Daily digest {now.date().isoformat()}"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Overdue (1)" in text and "Newly escalated (1)" in text and "Open (2)" in text
    assert f"{PUBLIC_URL}/cases/K1" in text and f"{PUBLIC_URL}/cases/K2" in text
    assert "/cases/K3" not in text
    [hook] = receiver.requests
    document = json.loads(hook["body"])
    assert document["event"] == "digest.daily" and hook["valid"]
    assert document["data"]["headline"] == {
        "by_status": {"closed": 1, "new": 2},
        "open": 2,
        "overdue": 1,
    }

    tomorrow = enqueue_daily_digest(ws.db, now=now + dt.timedelta(days=1), settings=configured)
    assert (tomorrow.emails, tomorrow.webhooks) == (1, 1)


# -- the server and the CLI --------------------------------------------------------------------
def test_server_delivers_in_the_background_and_lists_the_outbox_to_admins(
    duckdb_url: str, receiver: Receiver, settings: Callable[..., Settings]
) -> None:
    settings(webhooks=receiver.url)
    receiver.start()
    with advocacy.open(duckdb_url) as workspace:
        [message_id] = enqueue(
            workspace.db,
            event="case.opened",
            subject="New",
            payload=CASE,
            settings=workspace.settings,
        )
        admin = create_token(workspace.db, role="admin").secret
        analyst = create_token(workspace.db, role="analyst").secret
    with TestClient(create_app(duckdb_url), base_url="https://testserver") as client:
        deadline = time.monotonic() + 15
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [r["headers"]["X-Advocacy-Delivery"] for r in receiver.requests] == [message_id]
        assert receiver.requests[0]["valid"]
        listed = client.get(
            "/api/v1/outbox?state=delivered", headers={"Authorization": f"Bearer {admin}"}
        )
        assert listed.status_code == 200
        [row] = listed.json()
        assert row["message_id"] == message_id and row["state"] == "delivered"
        assert "payload" not in row and SECRET not in listed.text
        denied = client.get("/api/v1/outbox", headers={"Authorization": f"Bearer {analyst}"})
        assert denied.status_code == 403


def _cli(*args: str, cwd: Path) -> Result:
    del cwd  # the settings fixture already changed into the test's folder
    return CliRunner().invoke(cli_app, list(args), env={"COLUMNS": "200"})


def test_cli_users_email_test_email_list_and_retry(
    tmp_path: Path, mailbox: Mailbox, receiver: Receiver, settings: Callable[..., Settings]
) -> None:
    settings(smtp_port=mailbox.port, webhooks=receiver.url, notify_max_attempts=1)
    db = str(tmp_path / "ws.duckdb")
    added = _cli(
        "--create", "access", "add-user", "hal", "--role", "analyst", "--password", PASSWORD,
        "--email", "hal@example.test", "--db", db, cwd=tmp_path,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    changed = _cli("access", "set-email", "hal", "hal@cx.example.test", "--db", db, cwd=tmp_path)
    assert "hal: hal@cx.example.test" in changed.stdout
    listed = _cli("access", "users", "--format", "json", "--db", db, cwd=tmp_path)
    assert json.loads(listed.stdout)[0]["email"] == "hal@cx.example.test"

    sent = _cli("outbox", "test-email", "someone@example.test", cwd=tmp_path)
    assert sent.exit_code == 0, sent.output
    assert mailbox.received[-1][0] == ["someone@example.test"]

    with advocacy.open(db) as workspace:  # the receiver is down: one attempt, then given up
        [message_id] = enqueue(
            workspace.db,
            event="case.opened",
            subject="New",
            payload=CASE,
            settings=workspace.settings,
        )
    delivered = _cli("outbox", "deliver", "--format", "json", "--db", db, cwd=tmp_path)
    assert json.loads(delivered.stdout)["gave_up"] == 1
    failed = _cli("outbox", "messages", "--failed", "--format", "json", "--db", db, cwd=tmp_path)
    [row] = json.loads(failed.stdout)
    assert row["message_id"] == message_id and "unreachable" in row["last_error"]

    receiver.start()
    retried = _cli("outbox", "retry", message_id, "--db", db, cwd=tmp_path)
    assert retried.exit_code == 0, retried.output
    delivered = _cli("outbox", "deliver", "--format", "json", "--db", db, cwd=tmp_path)
    assert json.loads(delivered.stdout)["delivered"] == 1
    assert len(receiver.requests) == 1

    settings(smtp_port=free_port(), webhooks=receiver.url)
    refused = _cli("outbox", "test-email", "someone@example.test", cwd=tmp_path)
    assert refused.exit_code == DeliveryError.exit_code
    assert refused.stderr.startswith("error: cannot send e-mail through 127.0.0.1")
