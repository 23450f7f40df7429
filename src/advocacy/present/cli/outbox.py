"""``advocacy outbox``: deliver the notification outbox, inspect and retry it, send digests.

Thin commands over ``ws.outbox`` (:class:`advocacy.namespaces.outbox.OutboxNamespace`), named
after its methods; the test commands call :mod:`advocacy.loop.notify.delivery` with the settings
alone. The web server delivers by itself when e-mail or webhooks are configured; ``outbox deliver
--watch`` does the same for a deployment without the server. The old ``advocacy notify ...``
still runs, with a warning.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from advocacy.present.cli.app import app, cli_actor, console, open_workspace
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import emit_object, emit_rows
from advocacy.settings import current_settings

if TYPE_CHECKING:
    from advocacy.namespaces.outbox import DeliveryReport, State

outbox_app = typer.Typer(
    help="Case notifications: the outbox of e-mails and signed webhooks.", no_args_is_help=True
)
app.add_typer(outbox_app, name="outbox")

_LIST_COLUMNS = [
    "message_id",
    "state",
    "channel",
    "destination",
    "event",
    "attempts",
    "next_attempt_at",
    "last_error",
]


@outbox_app.command("deliver")
def deliver(
    watch: Annotated[
        float | None,
        typer.Option(
            "--watch",
            min=1.0,
            metavar="SECONDS",
            help="Keep running, delivering every SECONDS, until interrupted.",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Send the messages that are due; failures are retried later with backoff.

    With --watch it keeps delivering, and queues each day's digest, like the web server does.
    """

    def show(report: DeliveryReport) -> None:
        if report.attempted:
            console.print(
                f"delivered {report.delivered}, failed {report.failed}, gave up {report.gave_up}",
                markup=False,
                highlight=False,
            )

    with open_workspace(db) as ws:
        if watch is None:
            emit_object(ws.outbox.deliver().to_dict(), output)
            return
        worker = ws.outbox.worker(interval=watch, on_report=show)
        worker.start()
        try:
            while True:
                time.sleep(1.0)
        except KeyboardInterrupt:
            worker.stop()


@outbox_app.command("messages")
def messages_command(
    failed: Annotated[
        bool, typer.Option("--failed", help="Only messages given up after too many attempts.")
    ] = False,
    pending_only: Annotated[
        bool, typer.Option("--pending", help="Only messages still waiting to be delivered.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Messages to show.")] = 100,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List outbox messages, newest first (all, or only --pending or --failed)."""
    if failed and pending_only:
        raise typer.BadParameter("give --failed or --pending, not both")
    state: State | None = "failed" if failed else "pending" if pending_only else None
    with open_workspace(db) as ws:
        messages = ws.outbox.messages(state=state, limit=limit)
    emit_rows([message.to_dict() for message in messages], output, columns=_LIST_COLUMNS)


@outbox_app.command("retry")
def retry_command(
    message_id: Annotated[str, typer.Argument(help="Id of the message (see outbox messages).")],
    db: DbOption = None,
) -> None:
    """Make a failed or pending message due now, with a fresh count of attempts."""
    with open_workspace(db) as ws:
        message = ws.outbox.retry(message_id, actor=cli_actor())
    console.print(
        f"{message.message_id} is due again (to {message.destination}); "
        "run advocacy outbox deliver",
        markup=False,
        highlight=False,
    )


@outbox_app.command("queue-digest")
def queue_digest(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """Queue today's digest for each case owner (once a day; run it from cron)."""
    with open_workspace(db) as ws:
        report = ws.outbox.queue_digest()
    emit_object(
        {
            "day": report.day.isoformat(),
            "emails": report.emails,
            "webhooks": report.webhooks,
            "already_sent": report.already_sent,
        },
        output,
    )


@outbox_app.command("test-email")
def test_email(
    address: Annotated[str, typer.Argument(help="Where to send the test e-mail.")],
) -> None:
    """Send one test e-mail now with the smtp_* settings, and report the server's answer."""
    from advocacy.namespaces.outbox import send_test_email

    send_test_email(address, settings=current_settings())
    console.print(f"sent a test e-mail to {address}", markup=False, highlight=False)


@outbox_app.command("test-webhook")
def test_webhook(output: FormatOption = OutputFormat.table) -> None:
    """POST one signed test event to each webhook URL now, and report each answer."""
    from advocacy.namespaces.outbox import send_test_webhooks

    outcomes = send_test_webhooks(settings=current_settings())
    emit_rows(outcomes, output, columns=["url", "ok", "status", "error"])
    if not all(outcome["ok"] for outcome in outcomes):
        raise typer.Exit(1)
