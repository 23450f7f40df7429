"""``advocacy plans``: action plans tied to a gap, driver, theme or culture attribute.

Thin commands over ``ws.plans`` (:class:`advocacy.namespaces.plans.PlansNamespace`): each plan's
baseline is frozen when it is added; ``show`` measures the metric since the start and says
whether it moved. The old ``advocacy plans gaps`` still runs, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from advocacy import display
from advocacy.namespaces.plans import EFFORTS, PLAN_METRICS, STATUSES
from advocacy.present.cli.aliases import AliasingGroup
from advocacy.present.cli.app import app, cli_actor, console, open_workspace
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import Column, emit_object, emit_rows, field

plans_app = typer.Typer(
    cls=AliasingGroup,  # runs the old `plans gaps`
    help="Action plans: what fixes which gap, and whether its metric moved.",
    no_args_is_help=True,
)
app.add_typer(plans_app, name="plans")

LIST_COLUMNS = (
    "plan_id",
    "title",
    "status",
    "metric",
    "scope",
    "starts_on",
    "baseline",
    "current",
    "change",
    "change_low",
    "change_high",
    "verdict",
    "target",
    "against_target",
)
OwnerOption = Annotated[str | None, typer.Option("--owner", help="Who owns the plan.")]
ResourcesOption = Annotated[
    str | None,
    typer.Option(
        "--resources",
        help="Resources needed, comma-separated: expertise, experience, time, objectivity, money.",
    ),
]
EffortOption = Annotated[
    str | None, typer.Option("--effort", help="Effort: " + ", ".join(EFFORTS) + ".")
]
DueOption = Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")]
TargetOption = Annotated[
    float | None, typer.Option("--target", help="The value of the metric the plan aims for.")
]


@plans_app.command("add")
def add(
    link: Annotated[
        str,
        typer.Option(
            "--link",
            help="What it fixes: gap:ID (see advocacy plans gap-suggestions), driver:NAME, "
            "theme:ID or culture:ATTRIBUTE.",
        ),
    ],
    title: Annotated[str | None, typer.Option("--title", help="What the plan does.")] = None,
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help="Metric to move: "
            + ", ".join(PLAN_METRICS)
            + " (a gap link suggests one when left out).",
        ),
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Measure in this unit.")] = None,
    touchpoint: Annotated[
        str | None, typer.Option("--touchpoint", help="Measure at this touchpoint.")
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option("--theme", help="Measure answers whose comment mentions this theme."),
    ] = None,
    owner: OwnerOption = None,
    resources: ResourcesOption = None,
    effort: EffortOption = None,
    starts: Annotated[
        str | None, typer.Option("--starts", help="Start date, YYYY-MM-DD (default today).")
    ] = None,
    due: DueOption = None,
    target: TargetOption = None,
    baseline_days: Annotated[
        int, typer.Option("--baseline-days", help="Days before the start the baseline covers.")
    ] = 90,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Add a plan; its metric's baseline is measured now and frozen."""
    where = {"unit": unit, "touchpoint": touchpoint, "theme": theme}
    chosen = {key: value for key, value in where.items() if value}
    with open_workspace(db) as ws:
        plan = ws.plans.add(
            link,
            metric=metric,
            title=title,
            metric_filter=chosen or None,
            owner=owner,
            resources=resources,
            effort=effort,
            starts_on=starts,
            due_on=due,
            target_value=target,
            baseline_days=baseline_days,
            actor=cli_actor(),
        )
        summary = ws.plans.summary(plan)
    emit_object(summary, output, title=f"plan {plan.plan_id}")


@plans_app.command("list")
def list_command(
    status: Annotated[
        str | None, typer.Option("--status", help="Only plans of: " + ", ".join(STATUSES) + ".")
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List plans with baseline, current value, movement and verdict."""
    with open_workspace(db) as ws:
        rows = ws.plans.summaries(status=status)
    if not rows and output is OutputFormat.table:
        console.print("no plans yet: add one with advocacy plans add --link gap:ID", markup=False)
        return
    emit_rows(rows, output, title="Action plans", columns=LIST_COLUMNS, view=_LIST_VIEW)


def _change(row: Mapping[str, Any]) -> str:
    low, high = row["change_low"], row["change_high"]
    digits = display.digits_for(low, high)
    if display.missing(low):
        return display.signed(row["change"], digits)
    return (
        f"{display.signed(row['change'], digits)} "
        f"[{display.signed(low, digits)}, {display.signed(high, digits)}]"
    )


def _baseline_to_current(row: Mapping[str, Any]) -> str:
    digits = display.digits_for(row["change_low"], row["change_high"])
    before, after = display.number(row["baseline"], digits), display.number(row["current"], digits)
    return f"{before} → {after}" if after else before


#: The plans table: what moved and the verdict first; dates and status leave first when narrow.
_LIST_VIEW = [
    field("plan_id", "plan"),
    field("title"),
    field("metric", drop=3),
    field("scope", drop=4),
    Column("baseline → now", _baseline_to_current, drop=2, numeric=True),
    Column("change [95% interval]", _change, drop=1, numeric=True),
    field("verdict"),
    field("against_target", "against target", drop=5),
    field("status", drop=6),
    field("starts_on", "starts", drop=7),
]


@plans_app.command("show")
def show(
    plan_id: Annotated[str, typer.Argument(help="The plan's id (see advocacy plans list).")],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Show one plan: baseline, current value, movement with its interval, and the verdict."""
    with open_workspace(db) as ws:
        progress = ws.plans.progress(plan_id)
        summary = ws.plans.summary(progress)
    plan = progress.plan
    summary.update(
        resources=", ".join(plan.resources),
        effort=plan.effort,
        better=progress.better,
        baseline_window=f"{progress.baseline.since} to {progress.baseline.until}",
        current_window=f"{progress.current.since} to {progress.current.until}",
        p_value=progress.movement.p_value,
    )
    if output is OutputFormat.table:  # JSON and CSV keep the number
        summary["p_value"] = display.p_value(summary["p_value"])
    emit_object(summary, output, title=f"plan {plan.plan_id}")


@plans_app.command("update")
def update(
    plan_id: Annotated[str, typer.Argument(help="The plan's id.")],
    status: Annotated[
        str | None, typer.Option("--status", help="New status: " + ", ".join(STATUSES) + ".")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    owner: OwnerOption = None,
    resources: ResourcesOption = None,
    effort: EffortOption = None,
    starts: Annotated[
        str | None,
        typer.Option("--starts", help="New start (planned plans only; re-measures the baseline)."),
    ] = None,
    due: DueOption = None,
    target: TargetOption = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Change a plan's status, owner, dates or target (audited)."""
    with open_workspace(db) as ws:
        plan = ws.plans.update(
            plan_id,
            status=status,
            title=title,
            owner=owner,
            resources=resources,
            effort=effort,
            starts_on=starts,
            due_on=due,
            target_value=target,
            actor=cli_actor(),
        )
        summary = ws.plans.summary(plan)
    emit_object(summary, output, title=f"plan {plan.plan_id}")


@plans_app.command("gap-suggestions")
def gap_suggestions(
    top: Annotated[int, typer.Option("--top", help="Show the first TOP gaps.")] = 10,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The gap register's ids and the plan each suggests (use them as --link gap:ID)."""
    with open_workspace(db) as ws:
        rows = ws.plans.gap_suggestions(top=top)
    for row in rows:
        row["metric_filter"] = "; ".join(f"{k}={v}" for k, v in row["metric_filter"].items())
    columns = ("gap_id", "rank", "priority", "metric", "metric_filter", "target_value", "effort")
    emit_rows(rows, output, title="Gaps to plan on", columns=columns)
