"""``advocacy metrics scores``: experience scores with intervals and tests, on any slice and period.

A thin layer over ``ws.metrics.scores`` (or, with ``--engine spark``, the same
library call on Spark over Parquet tables); this module only parses options and renders rows.
``advocacy metrics`` was this command; given only options it still runs it, with a warning.
"""

from __future__ import annotations

import json
import math
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

import advocacy
from advocacy.errors import UsageError
from advocacy.namespaces.metrics import METRICS, PERIODS
from advocacy.present.cli.aliases import defaulting_to
from advocacy.present.cli.app import app, console
from advocacy.present.cli.options import (
    DataOption,
    DbOption,
    Engine,
    EngineOption,
    FormatOption,
    OutputFormat,
    SparkMasterOption,
)
from advocacy.present.cli.output import emit_rows
from advocacy.records import plain
from advocacy.settings import current_settings

if TYPE_CHECKING:
    import pandas as pd

NPS_FIELDS = ("promoters", "passives", "detractors")


class Comparison(StrEnum):
    previous = "previous"
    rest = "rest"


class Interval(StrEnum):
    adjusted_wald = "adjusted-wald"
    wald = "wald"


class Correction(StrEnum):
    holm = "holm"
    bh = "bh"
    none = "none"


def _split(values: list[str] | None) -> list[str]:
    """Values given as repeated options and/or comma-separated lists, in order."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts; NPS counts only on NPS rows, missing values as None."""
    clean = frame.astype(object).where(frame.notna(), None)
    records: list[dict[str, Any]] = []
    for record in clean.to_dict(orient="records"):
        row = {str(key): value for key, value in record.items()}
        if METRICS[str(row["metric"])].kind != "nps":
            for name in NPS_FIELDS:
                row.pop(name, None)
        records.append(row)
    return records


def _number(value: Any, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{float(value):.{digits}f}"


def _p(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def _table(rows: list[dict[str, Any]], frame: pd.DataFrame, confidence: float) -> None:
    keys = [name for name in frame.columns if name not in _VALUE_COLUMNS]
    comparing = "verdict" in frame.columns
    table = Table(header_style="bold", show_lines=False)
    for name in keys:
        table.add_column(name.replace("_", " "))
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column(f"{confidence:.0%} interval", justify="center", no_wrap=True)
    if comparing:
        table.add_column("change", justify="right", no_wrap=True)
        table.add_column("p (adj.)", justify="right", no_wrap=True)
        table.add_column("verdict")
    else:
        table.add_column("flag")
    for row in rows:
        digits = 2 if METRICS[str(row["metric"])].kind == "mean" else 1
        interval = f"[{_number(row['ci_low'], digits)}, {_number(row['ci_high'], digits)}]"
        cells = [str(row[name]) if row[name] is not None else "" for name in keys]
        cells += [f"{int(row['n']):,}", _number(row["score"], digits), interval]
        if comparing:
            change = row["change"]
            sign = "+" if change is not None and change > 0 else ""
            cells += [sign + _number(change, digits), _p(row["p_adjusted"])]
            cells.append(row["flag"] or row["verdict"])
        else:
            cells.append(row["flag"] or "")
        style = "dim" if row["flag"] else None
        table.add_row(*cells, style=style)
    console.print(table)


_VALUE_COLUMNS = {
    "n",
    "score",
    "se",
    "ci_low",
    "ci_high",
    "flag",
    "promoters",
    "passives",
    "detractors",
    "n_effective",
    "reference_score",
    "change",
    "p_value",
    "p_adjusted",
    "verdict",
}


metrics_app = typer.Typer(
    cls=defaulting_to("scores"),  # `advocacy metrics [OPTIONS]` was the scores command
    help="Experience scores: NPS, CSAT, CES, top-box and eNPS with intervals and tests.",
    no_args_is_help=True,
)
app.add_typer(metrics_app, name="metrics")


@metrics_app.command("scores")
def scores_command(
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            help="Metrics, comma-separated or repeated: " + ", ".join(METRICS) + " (default nps).",
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            help="Slice by: unit, channel, touchpoint, journey_stage, survey, segment, region, "
            "value_tier or attrs.KEY (a customer attribute); repeat for several.",
        ),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="One of " + ", ".join(PERIODS) + ".")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First day to include (YYYY-MM-DD, UTC).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day to include (YYYY-MM-DD, UTC).")
    ] = None,
    compare: Annotated[
        Comparison | None,
        typer.Option(
            "--compare",
            help="Test each row against the previous period or the rest of the company.",
        ),
    ] = None,
    rolling: Annotated[
        int | None, typer.Option("--rolling", help="Score over the last N periods.", min=1)
    ] = None,
    weighted: Annotated[
        bool, typer.Option("--weighted", help="Use response weights (Kish effective n).")
    ] = False,
    confidence: Annotated[
        float | None, typer.Option("--confidence", help="Confidence level (default 0.95).")
    ] = None,
    min_n: Annotated[
        int | None,
        typer.Option("--min-n", help="Flag rows with fewer responses (default 30).", min=0),
    ] = None,
    interval: Annotated[
        Interval | None, typer.Option("--interval", help="NPS interval (default adjusted-wald).")
    ] = None,
    correction: Annotated[
        Correction | None,
        typer.Option("--correction", help="Multiple-comparison correction (default holm)."),
    ] = None,
    engine: EngineOption = Engine.workspace,
    data: DataOption = None,
    spark_master: SparkMasterOption = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """NPS, CSAT, CES, top-box and eNPS with intervals, flags and significance tests."""
    options: dict[str, Any] = {
        "by": _split(by),
        "period": period,
        "since": since,
        "until": until,
        "compare": None if compare is None else compare.value,
        "rolling": rolling,
        "weighted": weighted,
        "confidence": confidence,
        "min_n": min_n,
        "interval": None if interval is None else interval.value,
        "correction": None if correction is None else correction.value,
    }
    names = _split(metric) or ["nps"]
    if engine is Engine.spark:
        if data is None:
            raise UsageError(
                "--engine spark needs --data",
                parameter="--data",
                fix="--data DIR of Parquet tables",
            )
        from advocacy.namespaces.metrics import parquet_metrics

        frame = parquet_metrics(data, names, master=spark_master, **options)
    else:
        with advocacy.open(db) as ws:
            frame = ws.metrics.scores(names, **options)
    rows = _records(frame)
    if output is OutputFormat.table:
        level = current_settings(confidence=confidence).confidence
        _table(rows, frame, level)
    elif output is OutputFormat.json:
        sys.stdout.write(json.dumps([plain(row) for row in rows], indent=2) + "\n")
    else:
        emit_rows(rows, output, columns=list(frame.columns))
