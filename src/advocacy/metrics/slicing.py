"""Slice responses by dimension and period and aggregate sufficient statistics in the database.

Every metric is an Ibis expression: the database (DuckDB, PostgreSQL or Spark) scans the
responses once and returns, per slice, only counts and sums (responses, detractors, promoters,
top-box answers, sums of ratings and of their squares, and the same weighted). Those sums are
additive, so rolling windows, period-over-period references and the rest of the company are
derived from the small aggregated frame without another scan; :mod:`advocacy.metrics.rows`
finishes them into scores, intervals and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ibis
import pandas as pd

from advocacy.errors import UsageError
from advocacy.metrics.catalogue import (
    PERIODS,
    MetricDefinition,
)

TableSource = Callable[[str], Any]

RESPONSE_DIMENSIONS = ("unit", "channel", "touchpoint", "journey_stage", "survey")
CUSTOMER_DIMENSIONS = ("segment", "region", "value_tier")
ATTRIBUTE_PREFIX = "attrs."
MISSING_LABEL = "(not set)"


def check_dimension(name: str, table: str) -> str:
    """Return the dimension ``name`` if ``table``'s metrics can be sliced by it, else raise."""
    if table == "employee_responses":
        if name != "unit":
            raise UsageError(
                f"eNPS cannot be sliced by {name!r}: employee answers carry only a unit",
                value=name,
                parameter="--by",
                fix="slice eNPS by unit, or ask for eNPS separately",
            )
        return name
    key = name[len(ATTRIBUTE_PREFIX) :]
    # Characters a JSON path cannot take as they are (DuckDB refused '\\' and '*' with a 500).
    attribute = (
        name.startswith(ATTRIBUTE_PREFIX)
        and bool(key)
        and not set(key) & set("'[]\"\\*")
        and not any(ord(character) < 32 or ord(character) == 127 for character in key)
    )
    if name in RESPONSE_DIMENSIONS or name in CUSTOMER_DIMENSIONS or attribute:
        return name
    raise UsageError(
        f"unknown dimension {name!r}",
        value=name,
        parameter="--by",
        fix="use one of: "
        + ", ".join(RESPONSE_DIMENSIONS + CUSTOMER_DIMENSIONS)
        + ", or attrs.KEY for a key of the customers' attrs (KEY without quotes, brackets, "
        "backslashes, asterisks or control characters)",
    )


#: The most values a filter may hold per dimension (a URL can carry any number).
MAX_FILTER_VALUES = 50


def check_filters(where: Mapping[str, Sequence[str]] | None, table: str) -> dict[str, list[str]]:
    """``where`` (dimension -> values to keep) checked for ``table``; empty lists are dropped.

    >>> check_filters({"unit": ["North"], "channel": []}, "responses")
    {'unit': ['North']}
    """
    chosen: dict[str, list[str]] = {}
    for name, values in (where or {}).items():
        kept = list(dict.fromkeys(str(value) for value in values))
        if not kept:
            continue
        check_dimension(name, table)
        if len(kept) > MAX_FILTER_VALUES:
            raise UsageError(
                f"too many values to filter {name!r} by ({len(kept)})",
                value=len(kept),
                parameter="--where",
                fix=f"keep at most {MAX_FILTER_VALUES} values per dimension",
            )
        chosen[name] = kept
    return chosen


def check_period(period: str | None) -> str | None:
    if period is None or period in PERIODS:
        return period
    raise UsageError(
        f"unknown period {period!r}",
        value=period,
        parameter="--period",
        fix="use one of: " + ", ".join(PERIODS),
    )


def as_date(value: str | dt.date | None, parameter: str) -> dt.date | None:
    """``value`` as a date (ISO strings such as ``2024-03-01`` are parsed)."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(
            f"cannot read {value!r} as a date",
            value=value,
            parameter=parameter,
            fix="write dates as YYYY-MM-DD",
        ) from None


# -- expressions ---------------------------------------------------------------------------------
@ibis.udf.scalar.builtin  # type: ignore[untyped-decorator]
def get_json_object(json_text: str, path: str) -> str:  # type: ignore[empty-body]
    """Spark's built-in JSON path lookup (JSON text columns, as read from Parquet)."""


@ibis.udf.scalar.builtin(name="epoch_us")  # type: ignore[untyped-decorator]
def _epoch_microseconds(value: dt.datetime) -> int:  # type: ignore[empty-body]
    """DuckDB's microseconds since 1970-01-01 UTC of a timestamp with time zone."""


@ibis.udf.scalar.builtin(name="make_timestamp")  # type: ignore[untyped-decorator]
def _timestamp_from_microseconds(value: int) -> dt.datetime:  # type: ignore[empty-body]
    """DuckDB's UTC timestamp (without time zone) from microseconds since the epoch."""


def _utc_time(t: Any) -> Any:
    """``submitted_at`` as a UTC wall-clock time, to cut days and periods from.

    Every connection runs in UTC, so the column itself would do; but DuckDB truncates and casts
    time-zone-aware timestamps through ICU calendars, about five times slower than the same work
    on plain microseconds, so on DuckDB we go through the epoch (same values, tested).
    """
    if ibis.get_backend(t).name == "duckdb":
        return _timestamp_from_microseconds(_epoch_microseconds(t.submitted_at))
    return t.submitted_at


def dated_table(t: Any, since: dt.date | None, until: dt.date | None) -> Any:
    """``t`` (answers with ``submitted_at``) keeping the answers of the days ``since`` to
    ``until`` (inclusive, UTC, as ``ws.metrics.scores`` counts them); None leaves a side open."""
    if since is None and until is None:
        return t
    day = _utc_time(t).date()
    if since is not None:
        t = t.filter(day >= since)
    if until is not None:
        t = t.filter(day <= until)
    return t


def _attribute(column: Any, key: str) -> Any:
    """The text of key ``key`` of a JSON column (numbers as their decimal text)."""
    if column.type().is_string():
        # JSON kept as text (Parquet exports read by Spark): the engine's own JSON path
        # function, rather than a Python UDF that fails on malformed text.
        path = f"$.{key}" if key.isidentifier() else f"$['{key}']"
        return get_json_object(column, path)
    value = column[key]
    return ibis.coalesce(value.str, value.int.cast("string"), value.float.cast("string"))


def _sliced_table(tables: TableSource, table: str, by: Sequence[str]) -> tuple[Any, list[Any]]:
    """The table to aggregate and the dimension expressions, joining customers when needed."""
    source = tables(table)
    customer_fields = [name for name in by if name not in RESPONSE_DIMENSIONS]
    if table == "employee_responses" or not customer_fields:
        return source, [source[name].fill_null(MISSING_LABEL).name(name) for name in by]
    customers = tables("customers")
    wanted = {"customer_id"} | {n for n in customer_fields if n in CUSTOMER_DIMENSIONS}
    columns = [customers[name].name(f"customer__{name}") for name in sorted(wanted)]
    if any(name.startswith(ATTRIBUTE_PREFIX) for name in customer_fields):
        columns.append(customers["attrs"].name("customer__attrs"))
    right = customers.select(*columns)
    joined = source.left_join(right, source.customer_id == right["customer__customer_id"])
    dimensions = []
    for name in by:
        if name in RESPONSE_DIMENSIONS:
            expression = joined[name]
        elif name in CUSTOMER_DIMENSIONS:
            expression = joined[f"customer__{name}"]
        else:
            expression = _attribute(joined["customer__attrs"], name[len(ATTRIBUTE_PREFIX) :])
        dimensions.append(expression.fill_null(MISSING_LABEL).name(name))
    return joined, dimensions


def filtered_table(
    tables: TableSource, table: str, where: Mapping[str, Sequence[str]] | None
) -> Any:
    """``table`` keeping only rows whose dimensions hold one of the values in ``where``.

    Customer dimensions (``segment``, ``attrs.KEY``...) are looked up through the customer;
    the result has ``table``'s own columns only, so it can stand in for the table anywhere.
    """
    filters = check_filters(where, table)
    source = tables(table)
    if not filters:
        return source
    names = list(filters)
    joined, expressions = _sliced_table(tables, table, names)
    for expression, name in zip(expressions, names, strict=True):
        joined = joined.filter(expression.isin(filters[name]))
    return joined.select(*source.columns)


def _metric_parts(t: Any, metric: MetricDefinition) -> tuple[Any, dict[str, Any]]:
    """The validity mask of ``metric`` on ``t`` and its per-row parts (hits or values)."""
    if metric.kind == "nps":
        score = t.nps if metric.table == "responses" else t.enps
        return score.notnull(), {"det": score < 7, "pro": score >= 9}
    if metric.name in ("csat", "top-box", "csat-mean"):
        value, low, high = t.csat, t.csat_scale_min.fill_null(1), t.csat_scale_max.fill_null(5)
        span = 4.0
    else:
        value, low, high = t.ces, t.ces_scale_min.fill_null(1), t.ces_scale_max.fill_null(7)
        span = 6.0
    valid = value.notnull() & (high > low)
    if metric.name == "csat":
        return valid, {"hits": value >= high - 1}
    if metric.name == "top-box":
        return valid, {"hits": value >= high}
    if metric.name == "ces-easy":
        # The top third of the scale: 5-7 of 1-7, 4-5 of 1-5.
        return valid, {"hits": value * 3 >= low + high * 2}
    rescaled = 1.0 + span * (value - low).cast("float64") / (high - low).cast("float64")
    return valid, {"value": rescaled}


def _aggregates(t: Any, metric: MetricDefinition, weighted: bool) -> dict[str, Any]:
    valid, parts = _metric_parts(t, metric)
    prefix = metric.name
    out: dict[str, Any] = {f"{prefix}__n": valid.ifelse(1, 0).sum().cast("int64")}
    weight = t.weight.cast("float64").fill_null(1.0) if weighted else None
    if weight is not None:
        out[f"{prefix}__w"] = valid.ifelse(weight, 0.0).sum().cast("float64")
        out[f"{prefix}__w2"] = valid.ifelse(weight * weight, 0.0).sum().cast("float64")
    for part, expression in parts.items():
        if part == "value":
            for name, term in (("sum", expression), ("sum2", expression * expression)):
                out[f"{prefix}__{name}"] = valid.ifelse(term, 0.0).sum().cast("float64")
                if weight is not None:
                    weighted_term = valid.ifelse(term * weight, 0.0)
                    out[f"{prefix}__w{name}"] = weighted_term.sum().cast("float64")
            continue
        hit = valid & expression
        out[f"{prefix}__{part}"] = hit.ifelse(1, 0).sum().cast("int64")
        if weight is not None:
            out[f"{prefix}__w{part}"] = hit.ifelse(weight, 0.0).sum().cast("float64")
    return out


def aggregate_statistics(
    tables: TableSource,
    table: str,
    metrics: Sequence[MetricDefinition],
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    weighted: bool = False,
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Per-slice sufficient statistics of ``metrics`` over ``table``, computed in the database.

    Parameters
    ----------
    tables
        Returns the Ibis table of a given name (e.g. ``Workspace.table``).
    table
        ``responses`` or ``employee_responses``.
    metrics
        Metrics read from ``table``.
    by
        Dimensions to slice by (validated with :func:`check_dimension`).
    period
        ``day``, ``week`` (starting Monday), ``month``, ``quarter`` or ``year``, or None.
    since, until
        First and last day (inclusive, UTC) of answers to include.
    weighted
        Also sum the response weights (missing weights count as 1).
    where
        Keep only answers whose dimension (any name ``by`` takes) holds one of the values,
        ``{"unit": ["North", "Coast"]}``; ``(not set)`` keeps answers without one.

    Returns
    -------
    pandas.DataFrame
        One row per slice (and period, as the date the period starts): the ``by`` columns,
        ``period`` and ``<metric>__<statistic>`` columns of counts and sums.
    """
    for name in by:
        check_dimension(name, table)
    filters = check_filters(where, table)
    extra = [name for name in filters if name not in by]
    t, expressions = _sliced_table(tables, table, [*by, *extra])
    named = dict(zip([*by, *extra], expressions, strict=True))
    for name, values in filters.items():
        t = t.filter(named[name].isin(values))
    dimensions = expressions[: len(by)]
    moment = _utc_time(t)
    day = moment.date()
    if since is not None:
        t = t.filter(day >= since)
    if until is not None:
        t = t.filter(day <= until)
    keys = list(dimensions)
    if period is not None:
        keys.append(moment.truncate(PERIODS[period]).date().name("period"))
    aggregates: dict[str, Any] = {}
    for metric in metrics:
        aggregates.update(_aggregates(t, metric, weighted))
    expression = t.aggregate(**aggregates, by=keys) if keys else t.aggregate(**aggregates)
    frame: pd.DataFrame = expression.to_pandas()
    if period is not None:
        frame["period"] = pd.to_datetime(frame["period"]).dt.date
    for column in frame.columns:
        if "__" in column:
            frame[column] = pd.to_numeric(frame[column]).fillna(0)
    order = [*by, "period"] if period is not None else list(by)
    if order:
        frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
    return frame
