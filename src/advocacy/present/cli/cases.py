"""``advocacy cases``: the case rules, and working the cases they open.

Thin commands over ``ws.cases`` (:class:`advocacy.namespaces.cases.CasesNamespace`); every change
lands in the audit log and the case's timeline. The old ``advocacy rules list|export|load`` still
run, with a warning.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from advocacy import display
from advocacy.errors import UsageError, WorkspaceError
from advocacy.namespaces.cases import CASES_AT_ONCE, OPEN_PAGE
from advocacy.present.cli.app import app, console, open_workspace
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import Column, emit_object, emit_rows, field
from advocacy.present.cli.progress import stage_progress

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

cases_app = typer.Typer(
    help="Case rules (what opens a case and who owns it), the cases they open, and working them.",
    no_args_is_help=True,
)
app.add_typer(cases_app, name="cases")

CaseId = Annotated[str, typer.Argument(help="The case id (advocacy cases list).")]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who acts, for the timeline and audit log (default: $USER)."),
]
TextOption = Annotated[str | None, typer.Option("--text", help="A note for the timeline.")]

LIST_COLUMNS = (
    "case_id", "status", "owner", "rule", "customer_id", "unit", "priority", "opened_at",
    "due_at", "overdue",
)  # fmt: skip
WORKLOAD_COLUMNS = (
    "owner", "open", "new", "overdue", "due_soon", "oldest_opened_at", "next_due_at",
)  # fmt: skip
RESULT_COLUMNS = (
    "cases", "open", "overdue", "hours_to_contact_median", "hours_to_contact_p90",
    "closed_in_time_share", "closed_in_time_low", "closed_in_time_high", "recovered",
    "recovery_eligible", "recovery_rate", "recovery_low", "recovery_high",
)  # fmt: skip


def _actor(actor: str | None) -> str:
    return actor or os.environ.get("USER") or "cli"


NO_RULES = (
    "No case rules: this workspace opens no cases. Load the shipped ones with advocacy cases "
    "load-rules --shipped (or a rules file of your own: advocacy cases load-rules FILE)."
)
VOLUME_COLUMNS = ("rule_id", "would_open", "has_case", "checked", "share", "kind", "enabled")


def _say_if_no_rules(ws: Any) -> None:
    """Say plainly that nothing opens cases when the workspace has no enabled rule."""
    if not any(rule.enabled for rule in ws.cases.rules()):
        console.print(NO_RULES, markup=False, soft_wrap=True)


@cases_app.command("rules")
def rules_list(db: DbOption = None, output: FormatOption = OutputFormat.table) -> None:
    """List the case rules."""
    with open_workspace(db) as ws:
        rules = ws.cases.rules()
    rows = [
        {
            "rule_id": rule.rule_id,
            "name": rule.name,
            "trigger": rule.trigger,
            "routes": ", ".join(f"{r.field}={r.value}->{r.owner}" for r in rule.routes),
            "default_owner": rule.default_owner,
            "due_hours": rule.due_hours,
            "escalate_after_hours": rule.escalate_after_hours,
            "priority": rule.priority,
            "enabled": rule.enabled,
        }
        for rule in rules
    ]
    emit_rows(rows, output, title="Case rules")
    if output is OutputFormat.table and not any(rule.enabled for rule in rules):
        console.print(NO_RULES, markup=False, soft_wrap=True)


@cases_app.command("export-rules")
def rules_export(
    out: Annotated[Path, typer.Option("--out", help="YAML file to write.")],
    db: DbOption = None,
) -> None:
    """Write the case rules as YAML (edit it, then advocacy cases load-rules)."""
    with open_workspace(db) as ws:
        text = ws.cases.rules_text()
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}", markup=False)


@cases_app.command("load-rules")
def rules_load(
    path: Annotated[
        Path | None, typer.Argument(help="YAML rules file (or --shipped).", show_default=False)
    ] = None,
    shipped: Annotated[
        bool,
        typer.Option("--shipped", help="Load the rules advocacy ships (a new workspace has them)."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check the rules and count what they would open; store nothing."
        ),
    ] = False,
    actor: ActorOption = None,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Validate a YAML rules file and replace the case rules with it.

    Then count, for each rule on its own, how many of the latest 5,000 stored responses and
    of the latest 5,000 mentions it would open a case on (the sweep rule: customers now), so a
    rule that would flood the case queue shows before evidence arrives. Evidence that already
    has a case opens no other: the rule's hits on it are counted apart ("has a case").
    """
    if (path is None) == (not shipped):
        raise typer.BadParameter(
            "give a rules file or --shipped (not both)", param_hint="PATH / --shipped"
        )
    with open_workspace(db) as ws:
        rules = ws.cases.check_rules(path)
        if not dry_run:
            rules = (
                ws.cases.load_shipped_rules(actor=_actor(actor))
                if path is None
                else ws.cases.load_rules(path, actor=_actor(actor))
            )
        volumes = ws.cases.rule_volumes(rules)
    rows = [volume.to_dict() for volume in volumes]
    if output is not OutputFormat.table:
        emit_rows(rows, output, columns=VOLUME_COLUMNS)
        return
    verb = "checked (nothing stored)" if dry_run else "loaded"
    console.print(f"{verb} {len(rules)} rule(s)", markup=False)
    emit_rows(
        rows,
        output,
        title="What each rule would open on the latest stored evidence",
        columns=VOLUME_COLUMNS,
        view=[
            field("rule_id", "rule"),
            field("would_open", "opens"),
            field("has_case", "has a case", drop=3),
            field("checked", "of"),
            field("share", show=display.percent),
            field("kind", "reads", drop=1),
            field("enabled", "on", drop=2),
        ],
    )


@cases_app.command("open")
def cases_open(
    since: Annotated[
        datetime,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            help="Check the evidence dated from this day (YYYY-MM-DD, from its midnight in the "
            "workspace's time zone, the timezone setting, as import reads times).",
        ),
    ],
    until: Annotated[
        datetime | None,
        typer.Option(
            "--until",
            formats=["%Y-%m-%d"],
            help="Last day to check (YYYY-MM-DD, in the workspace's time zone; included).",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="responses or mentions (repeatable; default both)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Say what each rule would open; open nothing."),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help=f"Open the cases even when there are more than {CASES_AT_ONCE:,} (without it, "
            "such a backfill asks first on a terminal and is refused elsewhere, with the count).",
        ),
    ] = False,
    include_undated: Annotated[
        bool,
        typer.Option(
            "--include-undated",
            help="Check the evidence without a date too (an import opens no case on it).",
        ),
    ] = False,
    actor: ActorOption = None,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Run the enabled case rules over evidence already stored (a backfill an import left out).

    An import opens cases only on dated evidence of the last --case-window-days; this opens
    them over the dates you choose. Evidence that already has a case opens none; the cases open
    now. Evidence without a date (its age unknown) is checked only with --include-undated, and
    counted either way. Every case is chosen before any opens: --dry-run shows what each rule
    would open, and more than 500 cases open only when you confirm (or pass --yes). The end
    says what each rule opened. With advocacy serve running on a DuckDB workspace, open them on
    the web instead: the Cases page's "Open cases over stored evidence" (/cases/open).
    """
    kinds = list(dict.fromkeys(kind or ("responses", "mentions")))
    for name in kinds:
        if name not in ("responses", "mentions"):
            raise typer.BadParameter(
                f"case rules run on responses or mentions, not {name!r}", param_hint="--kind"
            )
    if until is not None and until < since:
        raise typer.BadParameter(
            f"--until {until:%Y-%m-%d} is before --since {since:%Y-%m-%d}: give the same day "
            "or a later one, or leave --until out",
            param_hint="--until",
        )
    show = output is OutputFormat.table
    with _open_for_backfill(db) as ws, contextlib.ExitStack() as bar:
        progress = bar.enter_context(stage_progress("kinds", show=show))

        def ask(refusal: UsageError) -> bool:
            """Asked above the bound: only a person at a terminal answers, after the bar."""
            if not (show and sys.stdin.isatty() and console.is_terminal):
                return False
            bar.close()  # the bar's redraws would wipe the question
            asked = refusal.message.removesuffix("; nothing was opened")  # not yet: we ask
            console.print(asked, markup=False, highlight=False, soft_wrap=True)
            if refusal.fix:
                console.print(f"(to avoid the question: {refusal.fix})", markup=False,
                              highlight=False, soft_wrap=True)  # fmt: skip
            if not typer.confirm("Open them all?", default=False):
                console.print("nothing was opened", markup=False)
                raise typer.Exit(1)
            return True

        found = ws.cases.open(
            since=since,  # naive: a day in the workspace's time zone
            until=None if until is None else until + timedelta(days=1),
            kinds=kinds,
            actor=_actor(actor),
            dry_run=dry_run,
            at_most=None if yes or dry_run else CASES_AT_ONCE,
            progress=progress,
            confirm=ask,
            include_undated=include_undated,
        )
        bar.close()
        rules = ws.cases.rules()
    opened = "would_open" if dry_run else "opened"
    rows = [
        {"kind": name, "checked": result.checked, opened: len(result.cases),
         "undated": result.undated,
         "by_rule": ", ".join(f"{rule} {count:,}" for rule, count in result.by_rule().items())}
        for name, result in found.items()
    ]  # fmt: skip
    emit_rows(
        rows,
        output,
        title="Cases that would open (nothing written)" if dry_run else "Cases opened",
        columns=["kind", "checked", opened, "undated", "by_rule"],
    )
    if not show:
        return
    console.print(_opened_sentence(found, dry_run=dry_run), markup=False, soft_wrap=True)
    for name, result in found.items():
        if result.undated:
            console.print(_undated_sentence(name, result), markup=False, soft_wrap=True)
    if not any(rule.enabled for rule in rules):
        console.print(NO_RULES, markup=False, soft_wrap=True)


def _open_for_backfill(db: str | None) -> Workspace:
    """The workspace, or a refusal naming the web page when a server holds the DuckDB file."""
    try:
        return open_workspace(db)
    except WorkspaceError as error:
        if "in use by another process" not in error.message:
            raise
        raise WorkspaceError(
            error.message,
            value=error.value,
            fix=f"when that process is advocacy serve, open the cases on its web page "
            f'{OPEN_PAGE} (the Cases page\'s "Open cases over stored evidence", as an admin or '
            "analyst): it runs the same rules with the same bound; otherwise stop the other "
            "process",
        ) from None


def _opened_sentence(found: Mapping[str, Any], *, dry_run: bool) -> str:
    """The backfill in one line: how many cases opened (or would), per rule, over what."""
    total = sum(len(result.cases) for result in found.values())
    checked = sum(result.checked for result in found.values())
    counts: dict[str, int] = {}
    for result in found.values():
        for rule, count in result.by_rule().items():
            counts[rule] = counts.get(rule, 0) + count
    by_rule = ", ".join(f"{rule} {count:,}" for rule, count in counts.items())
    verb = "would open" if dry_run else "opened"
    line = f"{verb} {total:,} case{'' if total == 1 else 's'}"
    line += f" ({by_rule})" if by_rule else ""
    line += f" over {checked:,} records"
    if not dry_run:
        return line
    # Over the bound, a run without --dry-run asks first, and off a terminal it is refused
    # without --yes: the hint names it.
    over = total > CASES_AT_ONCE
    return line + (
        "; nothing was written (to open them: the same command without --dry-run"
        + (", with --yes)" if over else ")")
    )


def _undated_sentence(kind: str, result: Any) -> str:
    """What a backfill did with the evidence that has no date (``BulkCases``)."""
    if result.undated_checked:
        return f"{result.undated:,} {kind} without a date were checked (--include-undated)"
    return (
        f"{result.undated:,} {kind} without a date were not checked: their age is unknown "
        "(--include-undated checks them)"
    )


@cases_app.command("list")
def cases_list(
    customer: Annotated[str | None, typer.Option("--customer", help="Only this customer.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="open, new, contacted, resolved or closed.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many cases.")] = 500,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List cases, newest first."""
    with open_workspace(db) as ws:
        cases = ws.cases.list(customer_id=customer, status=status, owner=owner, limit=limit)
        emit_rows([case.to_dict() for case in cases], output, title="Cases", columns=LIST_COLUMNS)
        if not cases and output is OutputFormat.table:
            _say_if_no_rules(ws)


@cases_app.command("workload")
def cases_workload(
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Only this unit's cases (repeatable).")
    ] = None,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Open cases by owner: open, not yet contacted, overdue and due within a day, most overdue
    first (the unassigned as owner "(nobody)")."""
    with open_workspace(db) as ws:
        loads = ws.cases.workload(units=unit)
    rows = [{**load.to_dict(), "owner": load.owner or "(nobody)"} for load in loads]
    emit_rows(rows, output, title="Workload", columns=WORKLOAD_COLUMNS)


@cases_app.command("show")
def cases_show(
    case_id: CaseId, db: DbOption = None, output: FormatOption = OutputFormat.table
) -> None:
    """Show a case with its evidence and timeline."""
    with open_workspace(db) as ws:
        detail = ws.cases.get(case_id).to_dict()
    if output is OutputFormat.json:
        emit_object(detail, output)
        return
    events = detail.pop("events")
    evidence = detail.pop("evidence")
    emit_object(detail, output, title=f"Case {case_id}")
    emit_object(evidence, output, title="Evidence")
    emit_rows(
        events,
        output,
        title="Timeline",
        columns=["occurred_at", "actor", "kind", "from_status", "to_status", "text"],
    )


def _work(db: str | None, case_id: str, action: str, actor: str | None, **fields: Any) -> None:
    with open_workspace(db) as ws:
        case = ws.cases.work(case_id, action, actor=_actor(actor), **fields)
    console.print(f"{case.case_id}: {case.status}, owner {case.owner or '-'}", markup=False)


@cases_app.command("contact")
def cases_contact(
    case_id: CaseId, text: TextOption = None, actor: ActorOption = None, db: DbOption = None
) -> None:
    """Record a contact with the customer."""
    _work(db, case_id, "contact", actor, text=text)


@cases_app.command("note")
def cases_note(
    case_id: CaseId,
    text: Annotated[str, typer.Option("--text", help="The note.")],
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Add a note to the case's timeline."""
    _work(db, case_id, "note", actor, text=text)


@cases_app.command("resolve")
def cases_resolve(
    case_id: CaseId,
    follow_up: Annotated[
        bool, typer.Option("--follow-up", help="Send the customer a follow-up re-survey link.")
    ] = False,
    text: TextOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Mark the case resolved, optionally sending a follow-up survey."""
    _work(db, case_id, "resolve", actor, text=text, follow_up=follow_up)


@cases_app.command("close")
def cases_close(
    case_id: CaseId,
    root_cause: Annotated[str, typer.Option("--root-cause", help="Why it happened (required).")],
    action_taken: Annotated[
        str, typer.Option("--action-taken", help="What was done about it (required).")
    ],
    text: TextOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Close the case with its root cause and the action taken."""
    _work(db, case_id, "close", actor, text=text, root_cause=root_cause, action_taken=action_taken)


@cases_app.command("reopen")
def cases_reopen(
    case_id: CaseId, text: TextOption = None, actor: ActorOption = None, db: DbOption = None
) -> None:
    """Take a resolved or closed case back to work."""
    _work(db, case_id, "reopen", actor, text=text)


@cases_app.command("assign")
def cases_assign(
    case_id: CaseId,
    owner: Annotated[str, typer.Option("--owner", help="User name of the new owner.")],
    text: TextOption = None,
    actor: ActorOption = None,
    db: DbOption = None,
) -> None:
    """Hand the case to another owner."""
    _work(db, case_id, "assign", actor, text=text, owner=owner)


@cases_app.command("sweep")
def cases_sweep(
    actor: ActorOption = None, db: DbOption = None, output: FormatOption = OutputFormat.table
) -> None:
    """Escalate overdue cases and run the sweep rules (schedule it, e.g. hourly)."""
    with open_workspace(db) as ws:
        result = ws.cases.sweep(actor=_actor(actor))
        if output is OutputFormat.table:
            _say_if_no_rules(ws)
    rows = [
        {"case_id": c.case_id, "change": "escalated", "owner": c.owner} for c in result.escalated
    ]
    rows += [{"case_id": c.case_id, "change": "opened", "owner": c.owner} for c in result.opened]
    emit_rows(rows, output, title="Sweep", columns=["case_id", "change", "owner"])


@cases_app.command("results")
def cases_results(
    by: Annotated[str | None, typer.Option("--by", help="Break down by owner or unit.")] = None,
    window_days: Annotated[
        int, typer.Option("--window-days", help="Days after a case a recovery counts.")
    ] = 90,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Time to first contact, share closed in time, recovery rate vs. customers with no case."""
    with open_workspace(db) as ws:
        results = ws.cases.results(window_days=window_days)
    rows = results.rows(by)
    key = by or "group"
    emit_rows(
        rows, output, title="Loop results", columns=[key, *RESULT_COLUMNS], view=_results_view(key)
    )
    if by is None and output is OutputFormat.table:
        console.print(recovery_sentence(results.comparison), markup=False, highlight=False)


def _results_view(key: str) -> list[Column]:
    """The loop's results: each share beside its own interval, as percentages."""

    def share(name: str, low: str, high: str) -> Callable[[Mapping[str, Any]], str]:
        return lambda row: display.share_estimate(row[name], row[low], row[high])

    return [
        field(key),
        field("cases"),
        field("open", drop=4),
        field("overdue", drop=3),
        field("hours_to_contact_median", "first contact (median h)", show=_hours, drop=2),
        field("hours_to_contact_p90", "first contact (90% within, h)", show=_hours, drop=5),
        Column(
            "closed in time [95% interval]",
            share("closed_in_time_share", "closed_in_time_low", "closed_in_time_high"),
            drop=1,
            numeric=True,
        ),
        Column(
            "recovered [95% interval]",
            share("recovery_rate", "recovery_low", "recovery_high"),
            numeric=True,
        ),
    ]


def _hours(value: Any) -> str:
    return display.number(value, 1)


def recovery_sentence(comparison: Mapping[str, Any]) -> str:
    """The recovery finding in one sentence: detractors with a case against comparable ones
    without, each share with its interval, and the difference with its own."""
    if not comparison or display.missing(comparison.get("case_rate")):
        return "Recovery: too few detractors answered again to compare."
    ours = display.share_estimate(
        comparison["case_rate"], comparison["case_low"], comparison["case_high"]
    )
    theirs = display.share_estimate(
        comparison["comparison_rate"], comparison["comparison_low"], comparison["comparison_high"]
    )
    low, high = comparison["difference_low"], comparison["difference_high"]
    digits = display.digits_for(100 * low, 100 * high) if not display.missing(low) else 0
    difference = (
        f"{display.signed(100 * comparison['difference'], digits)} points "
        f"[{display.signed(100 * low, digits)}, {display.signed(100 * high, digits)}]"
    )
    clear = not display.missing(low) and (low > 0 or high < 0)
    verdict = "a clear difference" if clear else "no clear difference"
    return (
        f"Recovery: {ours} of detractors with a case recovered (answered 7+ or 2 points higher, "
        f"or bought again; {comparison['cases_recovered']:,} of "
        f"{comparison['cases_eligible']:,}), {theirs} of comparable detractors without one "
        f"({comparison['comparison_recovered']:,} of {comparison['comparison_eligible']:,}): "
        f"{difference}, {verdict}."
    )
