"""``advocacy gaps drivers|ipa|servqual|targets|register|culture|culture-link`` and
``advocacy maturity``: which gaps matter, and how much.

Each ``gaps`` command calls the ``ws.gaps`` method of its name (``maturity``, one library
function on a questionnaire file, reads no workspace) and renders its result; nothing is computed
here. The old top-level names (``advocacy drivers``, ``ipa``, ``servqual``, ``culture`` and
``advocacy gaps`` for the register) still run, with a warning.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from advocacy import display
from advocacy.errors import UsageError
from advocacy.present.cli.aliases import defaulting_to, renamed
from advocacy.present.cli.app import app, console, open_workspace, refuse_db_on_spark
from advocacy.present.cli.options import (
    DataOption,
    DbOption,
    Engine,
    EngineOption,
    FormatOption,
    OutputFormat,
    SparkMasterOption,
    spark_data,
)
from advocacy.present.cli.output import Column, emit_rows, field, frame_records


class Method(StrEnum):
    lmg = "lmg"
    johnson = "johnson"


class Level(StrEnum):
    item = "item"
    dimension = "dimension"


class DriverLevel(StrEnum):
    item = "item"
    dimension = "dimension"
    theme = "theme"
    item_theme = "item+theme"
    dimension_theme = "dimension+theme"


class Crosshair(StrEnum):
    mean = "mean"
    median = "median"
    midpoint = "midpoint"


class Importance(StrEnum):
    auto = "auto"
    stated = "stated"
    derived = "derived"


gaps_app = typer.Typer(
    cls=defaulting_to("register"),  # `advocacy gaps [OPTIONS]` was the register
    help="Which gaps matter: key drivers, importance-performance, SERVQUAL, targets, the gap "
    "register, culture.",
    no_args_is_help=True,
)
app.add_typer(gaps_app, name="gaps")


def _note(output: OutputFormat, text: str) -> None:
    if output is OutputFormat.table:
        console.print(text, highlight=False)


def _drivers_view(columns: list[str], bootstrap: int) -> list[Column]:
    """Rank, driver and its share of R^2 beside the share's own interval; the raw weight (with
    its interval) and a theme's mentions go first when the terminal is narrow."""
    level = "" if bootstrap == 0 else " [95% interval]"
    view = [
        field("rank"),
        field("driver"),
        Column(
            f"share of R²{level}",
            lambda row: display.share_estimate(row["share"], row["share_low"], row["share_high"]),
            numeric=True,
        ),
        Column(
            f"raw weight{level}",
            lambda row: display.estimate(
                row["raw_weight"], row["raw_weight_low"], row["raw_weight_high"]
            ),
            drop=2,
            numeric=True,
        ),
    ]
    if "direction" in columns:  # an R² share has no sign: which way the driver pulls
        view.insert(3, field("direction", drop=4))
    if "mentions" in columns:
        view.insert(2, field("mentions", drop=1, numeric=True))
    if "kind" in columns:
        view.insert(2, field("kind", drop=3))
    return view


@gaps_app.command("drivers")
def drivers_command(
    ctx: typer.Context,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            help="nps, csat or ces (default: the workspace's own: NPS, else CSAT, else CES).",
        ),
    ] = None,
    method: Annotated[Method, typer.Option("--method", help="lmg or johnson.")] = Method.lmg,
    level: Annotated[
        DriverLevel,
        typer.Option(
            "--level",
            help="Drivers: rated items, dimensions, comment themes (mentioned or not), or "
            "ratings and themes together (item+theme, dimension+theme).",
        ),
    ] = DriverLevel.item,
    unit: Annotated[str | None, typer.Option("--unit", help="Only this unit's answers.")] = None,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", min=0, help="Bootstrap resamples for intervals.")
    ] = 200,
    max_themes: Annotated[
        int,
        typer.Option("--max-themes", min=1, help="With themes: the N most mentioned enter."),
    ] = 12,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    engine: EngineOption = Engine.workspace,
    data: DataOption = None,
    spark_master: SparkMasterOption = None,
) -> None:
    """Key drivers: each rated item's (or comment theme's) share of the outcome's R^2.

    With --engine spark the driver correlation matrix is computed by Spark over --data and the
    weights are fitted on it: the same weights, without bootstrap intervals.
    """
    if engine is Engine.spark:
        refuse_db_on_spark(ctx)
        data = spark_data(data)
        from advocacy.namespaces.gaps import parquet_drivers

        outcome = outcome or "nps"  # a folder of tables: NPS unless told
        frame = parquet_drivers(
            data,
            outcome=outcome,
            level=level.value,
            method=method.value,
            unit=unit,
            master=spark_master,
        )
        emit_rows(frame_records(frame), output, title=f"Key drivers of {outcome} ({method.value})")
        _note(output, f"R^2 = {frame.attrs['r_squared']:.3f}, n = {frame.attrs['n']}")
        return
    with open_workspace(db) as ws:
        frame = ws.gaps.drivers(
            outcome=outcome,
            level=level.value,
            method=method.value,
            unit=unit,
            n_bootstrap=bootstrap,
            max_themes=max_themes,
            random_state=seed,
        )
    rows = frame_records(frame)
    chosen = frame.attrs.get("outcome", outcome)
    emit_rows(
        rows,
        output,
        title=f"Key drivers of {chosen} ({method.value})",
        view=_drivers_view(list(frame.columns), bootstrap),
    )
    note = f"R^2 = {frame.attrs['r_squared']:.3f}, n = {frame.attrs['n']:,}"
    if outcome is None:
        note += f"; outcome {chosen}, the workspace's own (choose with --outcome)"
    if "without_comment" in frame.attrs:
        note += f"; {frame.attrs['without_comment']} answers without a comment left out"
    _note(output, note)


@gaps_app.command("ipa")
def ipa_command(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    importance: Annotated[
        Importance, typer.Option("--importance", help="Stated, derived (LMG) or auto.")
    ] = Importance.auto,
    crosshair: Annotated[
        Crosshair,
        typer.Option("--crosshair", help="Where to split: data mean, median or scale midpoint."),
    ] = Crosshair.mean,
    level: Annotated[Level, typer.Option("--level", help="Per item or dimension.")] = Level.item,
) -> None:
    """Importance-performance quadrants (points on a crosshair count as high)."""
    with open_workspace(db) as ws:
        result = ws.gaps.ipa(
            importance=importance.value, crosshair=crosshair.value, level=level.value
        )
    show = display.share_estimate if result.importance_source == "derived" else display.estimate
    view = [
        field("item"),
        field("quadrant"),
        Column(
            "importance [95% interval]",
            lambda row: show(row["importance"], row["importance_low"], row["importance_high"]),
            numeric=True,
        ),
        field("performance", show=lambda value: display.number(value, 2), numeric=True),
    ]
    emit_rows(
        frame_records(result.frame), output, title="Importance-performance analysis", view=view
    )
    _note(
        output,
        f"crosshairs ({result.crosshair}): importance {result.importance_crosshair:.3f}, "
        f"performance {result.performance_crosshair:.2f}; {result.tie_rule}",
    )


@gaps_app.command("servqual")
def servqual_command(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    items: Annotated[bool, typer.Option("--items", help="Show item gaps, not dimensions.")] = False,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="Write the 22-item instrument as CSV to this file."),
    ] = None,
) -> None:
    """SERVQUAL gaps (perception - expectation) by dimension or item, and overall."""
    from advocacy.namespaces.gaps import servqual_items

    if template is not None:
        servqual_items().to_csv(template, index=False)
        console.print(f"wrote the 22-item SERVQUAL instrument to {template}")
        return
    with open_workspace(db) as ws:
        result = ws.gaps.servqual()
    if items:
        emit_rows(frame_records(result.items), output, title="SERVQUAL item gaps")
        return
    if output is OutputFormat.table:
        emit_rows(frame_records(result.dimensions), output, title="SERVQUAL dimension gaps")
        emit_rows(frame_records(result.overall), output, title="Overall")
        return
    rows = [{"level": "dimension", **row} for row in frame_records(result.dimensions)]
    rows += [
        {"level": "overall", "dimension": row.pop("measure"), **row}
        for row in frame_records(result.overall)
    ]
    columns = [
        "level",
        "dimension",
        "items",
        "expectation",
        "perception",
        "gap",
        "ci_low",
        "ci_high",
        "n",
        "weight",
    ]
    emit_rows(rows, output, columns=columns)


@gaps_app.command("targets")
def targets_command(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Every target with its current value, gap to the desired value, interval and trend."""
    with open_workspace(db) as ws:
        frame = ws.gaps.targets()
    if frame.empty:
        raise UsageError(
            "no targets found", fix="import them first: advocacy import FILE --kind targets"
        )
    if output is not OutputFormat.table:
        emit_rows(frame_records(frame, 3), output, columns=list(frame.columns))
        return
    columns = [
        "target_id",
        "metric",
        "scope",
        "desired",
        "due",
        "current",
        "ci_low",
        "ci_high",
        "n",
        "gap",
        "trend",
        "status",
    ]
    rows = frame_records(frame, 2)
    for row in rows:
        row["due"] = str(row["due"])[:10] if row.get("due") is not None else None  # the day
    shown = [name for name in columns if name in frame.columns]
    emit_rows(rows, output, title="Targets", columns=shown)


@gaps_app.command("register")
def register_command(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the top N gaps.")] = None,
) -> None:
    """The gap register: every gap ranked by priority = 100 x impact x gap size / effort."""
    with open_workspace(db) as ws:
        frame = ws.gaps.register(top=top)
    if frame.empty:
        raise UsageError(
            "no gaps found", fix="import targets, SERVQUAL ratings or a culture survey first"
        )
    if output is not OutputFormat.table:
        emit_rows(frame_records(frame, 3), output, columns=list(frame.columns))
        return
    columns = [
        "rank",
        "subject",
        "scope",
        "current",
        "desired",
        "priority",
        "class",
        "effort",
        "resources",
    ]
    view = [field(name, drop=_REGISTER_DROPS.get(name, 0)) for name in columns]
    emit_rows(frame_records(frame, 2), output, title="Gap register", view=view)
    for rank, subject, causes in zip(
        frame["rank"], frame["subject"], frame["root_causes"], strict=True
    ):
        if causes:
            console.print(f"{rank}. {subject}: {causes}", highlight=False)
    console.print(
        "themes: over-represented among the gap's unhappy comments (lift = their share there / "
        "share among the other comments in scope)",
        highlight=False,
    )
    console.print(
        "priority = 100 x impact x gap size / effort; effort 1-2 = quick win", highlight=False
    )


#: Which register columns go first when the terminal is narrow (the highest first).
_REGISTER_DROPS = {"resources": 6, "desired": 5, "current": 4, "effort": 3, "class": 2, "scope": 1}

ByUnitOption = Annotated[bool, typer.Option("--by-unit", help="Gaps per unit.")]
MinGroupOption = Annotated[
    int, typer.Option("--min-group", min=5, help="Hide units with fewer respondents.")
]


@gaps_app.command("culture")
def culture_command(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    by_unit: ByUnitOption = False,
    min_group: MinGroupOption = 5,
) -> None:
    """Culture gaps (desired - current) and eNPS by unit."""
    with open_workspace(db) as ws:
        culture = ws.gaps.culture(min_group=min_group)
    if by_unit:
        emit_rows(frame_records(culture.units), output, title="Culture gaps by unit")
    else:
        emit_rows(frame_records(culture.items), output, title="Culture gaps")
        if output is OutputFormat.table:
            emit_rows(frame_records(culture.enps), output, title="eNPS by unit")
    _note(
        output,
        f"{culture.respondents} respondents; {culture.suppressed_units} units with fewer than "
        f"{culture.min_group} respondents not shown",
    )


@gaps_app.command("culture-link")
def culture_link_command(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    min_group: MinGroupOption = 5,
) -> None:
    """The unit-level link of eNPS with customer NPS: correlation and slope across units."""
    with open_workspace(db) as ws:
        result = ws.gaps.culture_link(min_group=min_group)
    emit_rows(frame_records(result.units), output, title="Units: employees and customers")
    _note(
        output,
        f"{result.n_units} units: r = {result.correlation:.2f} "
        f"[{result.correlation_ci[0]:.2f}, {result.correlation_ci[1]:.2f}], slope "
        f"{result.slope:.2f} NPS points per eNPS point [{result.slope_ci[0]:.2f}, "
        f"{result.slope_ci[1]:.2f}]. " + " ".join(result.notes),
    )


@renamed(app, "culture", new="gaps culture", by_option={"link": "gaps culture-link"})
def culture_alias(
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
    by_unit: ByUnitOption = False,
    link: Annotated[
        bool, typer.Option("--link", help="Unit-level link of eNPS with customer NPS.")
    ] = False,
    min_group: MinGroupOption = 5,
) -> None:
    """Culture gaps (desired - current), eNPS by unit, and the link to customer NPS."""
    # The old command's --link chose another analysis; it is `gaps culture-link` now.
    if link:
        culture_link_command(db=db, output=output, min_group=min_group)
    else:
        culture_command(db=db, output=output, by_unit=by_unit, min_group=min_group)


@app.command("maturity")
def maturity_command(
    answers: Annotated[
        Path | None, typer.Argument(help="The filled-in questionnaire (CSV).", exists=True)
    ] = None,
    output: FormatOption = OutputFormat.table,
    template: Annotated[
        Path | None, typer.Option("--template", help="Write the questionnaire to fill in.")
    ] = None,
) -> None:
    """Score the CX maturity questionnaire into a profile naming the weakest areas."""
    from advocacy.namespaces.gaps import (
        read_maturity_answers,
        score_maturity,
        write_maturity_template,
    )

    if template is not None:
        write_maturity_template(template)
        console.print(f"wrote the questionnaire to {template}: fill in the score column (1-5)")
        return
    if answers is None:
        raise UsageError(
            "give the filled-in questionnaire", fix="advocacy maturity --template FILE first"
        )
    profile = score_maturity(read_maturity_answers(answers))
    emit_rows(frame_records(profile.areas, 2), output, title="CX maturity profile")
    _note(
        output,
        f"overall {profile.overall:.2f} ({profile.level}); weakest: {', '.join(profile.weakest)}",
    )
