"""``advocacy metrics scores``: experience scores with intervals and tests, on any slice and period.

A thin layer over ``ws.metrics.scores`` (or, with ``--engine spark``, the same
library call on Spark over Parquet tables); this module only parses options and renders rows.
``advocacy metrics`` was this command; given only options it still runs it, with a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from advocacy import display
from advocacy.namespaces.metrics import METRICS, PERIODS
from advocacy.present.cli.aliases import defaulting_to
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
from advocacy.present.cli.output import Column, emit_rows, field, print_table
from advocacy.records import plain
from advocacy.settings import Settings, current_settings

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


def _p(value: Any) -> str:
    if display.missing(value):
        return ""
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def _score(row: Mapping[str, Any]) -> str:
    """The score beside its interval, to the precision the interval supports ("19 [9, 28]")."""
    suffix = "%" if METRICS[str(row["metric"])].kind == "share" else ""
    return display.estimate(row["score"], row["ci_low"], row["ci_high"], suffix=suffix)


def _change(row: Mapping[str, Any]) -> str:
    return display.signed(row["change"], display.digits_for(row["ci_low"], row["ci_high"]))


def _metric(row: Mapping[str, Any]) -> str:
    metric = METRICS[str(row["metric"])]
    return metric.label or metric.name


def _mark_periods(
    rows: list[dict[str, Any]],
    frame: pd.DataFrame,
    period: str | None,
    settings: Settings,
    min_n: int | None,
    data_end: dt.date | None,
) -> str:
    """Flag the rows of a period still under way or that the evidence stops inside
    ("incomplete period": today, in the workspace's time zone, is inside it, or the data end
    before its end) and name the latest complete period with at least ``min_n`` answers, the
    one a summary may report."""
    if period is None or "period" not in frame.columns or frame.empty:
        return ""
    from advocacy.namespaces.metrics import latest_complete, partial_note, period_status

    today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
    fewest = settings.min_n if min_n is None else min_n
    status = period_status(frame, period, today=today, min_n=fewest, data_end=data_end)
    for row, label in zip(rows, status, strict=True):
        if label == "incomplete":  # says more than "too few": the period is not over
            row["flag"] = "incomplete period"
    latest = latest_complete(frame, period, today=today, min_n=fewest, data_end=data_end)
    partial = partial_note(frame, period, today=today, data_end=data_end)
    suffix = f" ({partial})" if partial else ""
    if latest is None:
        return f"no complete {period} with at least {fewest} answers yet{suffix}"
    return f"latest complete {period}: {display.period_label(latest, period)}{suffix}"


def _without_nps(ws: Any) -> str:
    """When the workspace holds no NPS answer: the metrics it has, and how to ask for them
    (``no NPS answers; 6,123 CSAT answers: --metric csat``); else ``""``."""
    whole = ws.metrics.scores(["nps", "csat", "ces", "enps"], min_n=0)
    counts = {str(row["metric"]): int(row["n"]) for row in whole.to_dict("records")}
    if counts.get("nps", 0) > 0:
        return ""
    held = [(name, n) for name, n in counts.items() if n > 0]
    if not held:
        return ""  # no answers at all: the table and its flags say so
    from advocacy.namespaces.metrics import METRICS

    listed = "; ".join(f"{n:,} {METRICS[name].label.split(' (')[0]} answers" for name, n in held)
    options = " ".join(f"--metric {name}" for name, _ in held)
    return (
        f"no NPS answers in this workspace (NPS is the default metric); {listed}: "
        f"advocacy metrics scores {options}"
    )


def _data_end(ws: Any, names: list[str]) -> dt.date | None:
    """The day of the latest answer the metrics ``names`` read (the earliest such day when they
    read both customer and employee answers), or None."""
    from advocacy.namespaces.metrics import METRICS, data_end_day

    tables = {METRICS[name].table for name in names if name in METRICS}
    ends = [data_end_day(item.last) for item in ws.status().tables if item.table in tables]
    known = [end for end in ends if end is not None]
    return min(known) if known else None


def _view(frame: pd.DataFrame, period: str | None, confidence: float) -> list[Column]:
    """The table's columns: the slice and the estimate always; the change, p-value and n are
    left out first when the terminal is narrow (the verdict says what they add up to)."""
    view = [Column("metric", _metric)]
    for name in frame.columns:
        if name in _VALUE_COLUMNS or name == "metric":
            continue
        if name == "period":
            view.append(field(name, show=lambda value: display.period_label(value, period)))
        else:
            view.append(field(name))
    view.append(field("n", drop=3, numeric=True))
    view.append(Column(f"score [{confidence:.0%} interval]", _score, numeric=True))
    if "verdict" in frame.columns:
        view.append(Column("change", _change, drop=2, numeric=True))
        view.append(Column("p (adj.)", lambda row: _p(row["p_adjusted"]), drop=4, numeric=True))
        view.append(Column("verdict", lambda row: row["flag"] or row["verdict"] or ""))
    else:
        view.append(Column("flag", lambda row: row["flag"] or "", drop=1))
    return view


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
    ctx: typer.Context,
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
    settings = current_settings()
    undated = False  # answers in the slice, none of them dated (known on the workspace only)
    others = ""  # what to ask for when the workspace has no NPS answer and none was named
    data_end = None  # the day of the latest answer (known on the workspace only)
    if engine is Engine.spark:
        refuse_db_on_spark(ctx)
        data = spark_data(data)
        from advocacy.namespaces.metrics import parquet_metrics

        frame = parquet_metrics(data, names, master=spark_master, **options)
    else:
        with open_workspace(db) as ws:
            frame = ws.metrics.scores(names, **options)
            settings = ws.settings
            if period is not None:
                data_end = _data_end(ws, [name.strip().lower() for name in names])
            if not _split(metric):
                others = _without_nps(ws)
            if period is not None and frame.empty:
                # An empty period view: answers without dates, or no answers in the slice at all.
                whole = {**options, "period": None, "compare": None, "rolling": None}
                answered = ws.metrics.scores(names, **whole)
                undated = bool(len(answered)) and bool((answered["n"] > 0).any())
    rows = _records(frame)
    if output is OutputFormat.table:
        level = current_settings(confidence=confidence).confidence
        note = _mark_periods(rows, frame, period, settings, min_n, data_end)
        if period is not None and frame.empty and undated:
            # Answers without a date fall in no period: say so rather than print nothing.
            note = (
                f"no answer in this slice carries a date, so there is no {period} to score: "
                "import the answers' dates (submitted_at), or leave out --period"
            )
        if others:  # NPS by default, but there is none: say so instead of "too few"
            console.print(others, markup=False, highlight=False)
            return
        print_table(rows, _view(frame, period, level))
        if note:
            console.print(note, markup=False, highlight=False)
    elif output is OutputFormat.json:
        sys.stdout.write(json.dumps([plain(row) for row in rows], indent=2) + "\n")
    else:
        emit_rows(rows, output, columns=list(frame.columns))
