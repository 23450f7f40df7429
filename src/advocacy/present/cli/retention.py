"""``advocacy retention``: purchase models on the workspace's transactions.

``fit`` prints a fitted model's parameters (by the paper's names) and log-likelihood; ``predict``
writes per-customer probability alive, expected purchases, expected spend, lifetime value, spend
so far (net of refunds, which are set apart and counted) and value at risk, with 95% intervals
of the estimates (``*_low``/``*_high``, a seeded parametric bootstrap), in the order
``--sort`` chooses
(:data:`advocacy.retention.slipping.SORTS`).
A thin layer over ``ws.retention.fit``, ``ws.retention.predict`` and
``ws.retention.churn``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from advocacy.present.cli.app import app, console, error_console, open_workspace, refuse_db_on_spark
from advocacy.present.cli.options import (
    AsOfOption,
    DataOption,
    DbOption,
    Engine,
    EngineOption,
    FormatOption,
    OutputFormat,
    SparkMasterOption,
    spark_folders,
)
from advocacy.present.cli.output import emit_object, emit_rows

retention_app = typer.Typer(
    help="Who is slipping away: BG/NBD, Gamma-Gamma and lifetime value on transactions.",
    no_args_is_help=True,
)
app.add_typer(retention_app, name="retention")


#: Columns shown on screen by ``predict`` (files get every column).
SCREEN_COLUMNS = (
    "customer_id", "frequency", "probability_alive", "expected_purchases", "expected_spend",
    "lifetime_value", "value_at_risk",
)  # fmt: skip


class SortName(StrEnum):
    value = "value"
    value_at_risk = "value-at-risk"
    p_active = "p-active"
    spend = "spend"


class ModelName(StrEnum):
    bg_nbd = "bg-nbd"
    gamma_gamma = "gamma-gamma"


class TimeUnit(StrEnum):
    day = "day"
    week = "week"
    month = "month"


CalibrationOption = Annotated[
    str | None,
    typer.Option(
        "--calibration-end",
        help="Last day (YYYY-MM-DD) of the data the models learn from; default the last purchase "
        "day (refunds after it still count in spend so far).",
    ),
]
TimeUnitOption = Annotated[
    TimeUnit, typer.Option("--time-unit", help="Unit of recency, T and the horizon.")
]


@retention_app.command("fit")
def fit(
    model: Annotated[
        ModelName, typer.Option("--model", help="bg-nbd (purchases) or gamma-gamma (spend).")
    ] = ModelName.bg_nbd,
    calibration_end: CalibrationOption = None,
    time_unit: TimeUnitOption = TimeUnit.week,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Fit a purchase or spend model and print its parameters and log-likelihood."""
    with open_workspace(db) as ws:
        fitted = ws.retention.fit(
            model=model.value, calibration_end=calibration_end, time_unit=time_unit.value
        )
    summary = fitted.summary()
    if output is OutputFormat.json:
        emit_object(summary, output)
        return
    flat = {"model": summary["model"]}
    flat.update({name: round(value, 4) for name, value in summary["parameters"].items()})
    flat["log_likelihood"] = round(summary["log_likelihood"], 2)
    flat["n_customers"] = summary["n_customers"]
    flat["time_unit"] = summary["time_unit"]
    emit_object(flat, output, title=f"{summary['model']} fit")


@retention_app.command("predict")
def predict(
    ctx: typer.Context,
    horizon: Annotated[
        float, typer.Option("--horizon", help="Time units ahead to predict (e.g. 52 weeks).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write all customers to this file (.csv, .parquet, .json)."),
    ] = None,
    calibration_end: CalibrationOption = None,
    time_unit: TimeUnitOption = TimeUnit.week,
    discount_rate: Annotated[
        float, typer.Option("--discount-rate", help="Discount rate per time unit for CLV.")
    ] = 0.0,
    margin: Annotated[
        float, typer.Option("--margin", help="Share of spend that is profit, for CLV.")
    ] = 1.0,
    top: Annotated[int, typer.Option("--top", help="Customers to show on screen.")] = 20,
    sort: Annotated[
        SortName,
        typer.Option(
            "--sort",
            help="Order: value (lifetime value), value-at-risk (spend over the horizon at the "
            "past pace, times the chance the customer has gone), p-active (lowest first) or "
            "spend (so far). The workspace engine only.",
        ),
    ] = SortName.value,
    engine: EngineOption = Engine.workspace,
    data: DataOption = None,
    spark_master: SparkMasterOption = None,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Per-customer probability alive, expected purchases, expected spend and lifetime value.

    P(active), expected purchases, lifetime value and value at risk carry *_low and *_high: the
    95% interval of the estimate from the fitted parameters' uncertainty (delta method), not
    the range of what one customer will do.

    With --engine spark, Spark summarises --data/transactions.parquet per customer, the models
    are fitted on that summary, and every customer's scores go to --out/retention_scores.parquet
    (--out is then a folder; without intervals).
    """
    import pyarrow as pa

    from advocacy.exports import ExportFormat, write_table
    from advocacy.namespaces.retention import (
        SORTS,
        sort_customers,
        usable_order,
        with_value_at_risk,
    )

    if engine is Engine.spark:
        refuse_db_on_spark(ctx)
        data, out = spark_folders(data, out, "retention_scores.parquet")
        from advocacy.namespaces.retention import parquet_retention_scores
        from advocacy.settings import current_settings

        scoring = parquet_retention_scores(
            data,
            out,
            horizon=horizon,
            calibration_end=calibration_end,
            time_unit=time_unit.value,
            discount_rate=discount_rate,
            margin=margin,
            master=spark_master,
            timezone=current_settings().timezone,
        )
        emit_object(scoring.summary(), output, title="Lifetime value on Spark")
        return
    with open_workspace(db) as ws:
        frame = ws.retention.predict(
            horizon=horizon,
            calibration_end=calibration_end,
            time_unit=time_unit.value,
            discount_rate=discount_rate,
            margin=margin,
        )
    refunds = int(frame.attrs.get("refunds", 0))
    no_value = str(frame.attrs.get("no_value", ""))
    interval = str(frame.attrs.get("interval", ""))
    frame = with_value_at_risk(frame, horizon=horizon)
    used, not_used = usable_order(frame, sort.value)
    frame = sort_customers(frame, used)
    order = SORTS[used][2]
    if refunds and (out is not None or output is OutputFormat.table):
        console.print(
            f"{refunds:,} refunds (negative amounts) set apart: not purchases; spend so far is "
            "net of them",
            highlight=False,
        )
    if no_value:
        error_console.print(
            f"P(active) and expected purchases from BG/NBD; {no_value}", highlight=False
        )
    if not_used:
        error_console.print(not_used, highlight=False)
    if interval and output is OutputFormat.table:
        console.print(
            f"Columns *_low and *_high (files, --format json or csv): {interval}",
            highlight=False,
        )
    if out is not None:
        suffix = out.suffix.lower()
        if suffix == ".parquet":
            frame.to_parquet(out, index=False)
        elif suffix == ".json":
            frame.to_json(out, orient="records", indent=2)
        else:
            write_table(pa.Table.from_pandas(frame, preserve_index=False), out, ExportFormat.csv)
        console.print(f"wrote {len(frame)} customers to {out}, by {order}", highlight=False)
        if output is OutputFormat.table:
            return
    shown = frame if output is not OutputFormat.table else frame.head(top)[list(SCREEN_COLUMNS)]
    emit_rows(
        shown.round(4).to_dict(orient="records"),
        output,
        title=f"Customers by {order}; values over {horizon:g} {time_unit.value}s",
    )


@retention_app.command("churn")
def churn(
    horizon_days: Annotated[
        int, typer.Option("--horizon-days", help="Days without a payment that count as churn.")
    ] = 90,
    active_days: Annotated[
        int, typer.Option("--active-days", help="A payment this recent makes a customer active.")
    ] = 90,
    as_of: AsOfOption = None,
    top: Annotated[int, typer.Option("--top", help="Customers to show on screen.")] = 20,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Subscription churn risk from feedback and interaction signals, with top reasons."""
    with open_workspace(db) as ws:
        result = ws.retention.churn(horizon_days=horizon_days, active_days=active_days, as_of=as_of)
    if output is OutputFormat.table:
        console.print(
            f"held-out AUC {result.auc:.3f}, top-decile lift {result.top_decile_lift:.2f}x "
            f"(base rate {result.base_rate:.1%}, {result.n_test} customers)",
            highlight=False,
        )
    shown = result.scores.head(top) if output is OutputFormat.table else result.scores
    emit_rows(shown.round(4).to_dict(orient="records"), output, title="Churn risk")
