"""``ws.outbox``: the outbox listed, delivered, retried and the digest queued through the facade."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import NotFoundError
from advocacy.loop.notify.outbox import enqueue
from advocacy.workspace import Workspace


def closed_port() -> int:
    """A loopback port nothing listens on: every webhook sent there fails."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def ws(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Workspace]:
    monkeypatch.chdir(tmp_path)  # no stray advocacy.toml
    monkeypatch.setenv("ADVOCACY_SMTP_HOST", "")
    monkeypatch.setenv("ADVOCACY_WEBHOOK_SECRET", "test-webhook-secret")
    monkeypatch.setenv("ADVOCACY_WEBHOOK_URLS", f"http://127.0.0.1:{closed_port()}/hook")
    with advocacy.open(db_url) as workspace:
        yield workspace


def test_the_outbox_is_listed_delivered_and_retried_through_the_workspace(ws: Workspace) -> None:
    [message_id] = enqueue(
        ws.db, event="case.closed", subject="Closed", payload={"case": "K-1"}, settings=ws.settings
    )
    [pending] = ws.outbox.messages(state="pending")
    assert (pending.message_id, pending.attempts) == (message_id, 0)

    report = ws.outbox.deliver()
    assert (report.attempted, report.delivered, report.failed) == (1, 0, 1)
    assert ws.outbox.messages(state="delivered") == []
    [tried] = ws.outbox.messages()
    assert tried.attempts == 1 and tried.last_error

    revived = ws.outbox.retry(message_id, actor="ada")
    assert revived.attempts == 0 and revived.state == "pending"
    assert [(entry.action, entry.actor) for entry in ws.access.audit(limit=1)] == [
        ("outbox.retry", "ada")
    ]
    with pytest.raises(NotFoundError):
        ws.outbox.retry("no-such-message")


def test_the_digest_is_queued_once_a_day_through_the_workspace(ws: Workspace) -> None:
    report = ws.outbox.queue_digest()
    assert report.day == datetime.now(UTC).date()
    assert (report.emails, report.already_sent) == (0, 0)  # no case owner has an address


def test_the_worker_is_returned_unstarted_with_the_interval_asked_for(ws: Workspace) -> None:
    worker = ws.outbox.worker(interval=2.5)
    assert worker.interval == 2.5 and worker.db is ws.db and worker.last_report is None
