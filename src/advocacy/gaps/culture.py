"""Culture and people: current-vs-desired culture gaps, eNPS, and their link to customers.

The employee survey rates nine attributes of a customer-centred culture twice, as things are
now (``current``) and as they should be (``desired``); each respondent's gap is
``desired - current`` (positive: the culture falls short). Results by unit are shown only for
units with at least ``min_group`` respondents (5 by default), so no small team's answers can be
singled out; suppressed units are counted, never shown.

The unit-level link asks whether units with happier, better-led teams have more loyal
customers: the Pearson correlation between each unit's eNPS (or mean culture gap) and its
customer NPS, with a Fisher-z interval, and the least-squares line with a t interval on its
slope. With a handful of units the intervals are wide; the number of units is always reported.

References
----------
.. [1] Heskett, J. L., Jones, T. O., Loveman, G. W., Sasser, W. E. & Schlesinger, L. A. (1994).
   Putting the service-profit chain to work. Harvard Business Review 72(2), 164-174.
.. [2] Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced from
   a small sample. Metron 1, 3-32.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advocacy.metrics import student_t
from advocacy.metrics.intervals import t_critical, t_interval, z_critical
from advocacy.metrics.scores import nps

#: The nine culture attributes of the employee survey, in the survey's order.
CULTURE_ATTRIBUTES: tuple[str, ...] = (
    "Clear vision and achievable mission",
    "Leaders who inspire",
    "Supervisors who coach rather than manage",
    "Employees working from their strengths",
    "Engaged workforce aligned to purpose",
    "Job-specific training",
    "Career paths",
    "Rewards and recognition",
    "Customers who become advocates",
)
MIN_GROUP = 5


@dataclass(frozen=True)
class CultureResult:
    """Culture gaps and eNPS overall and by unit (small units suppressed).

    Attributes
    ----------
    items
        Per attribute: current, desired, gap (desired - current), its interval and n.
    units
        The same per unit and attribute, for units with at least ``min_group`` respondents.
    enps
        Per unit (and ``"all"``): respondents, eNPS and its interval.
    min_group
        Smallest number of respondents for which a unit is shown.
    suppressed_units
        Units left out for having fewer respondents.
    respondents
        Employees who rated at least one attribute.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> result = culture_gaps(  # doctest: +SKIP
    ...     ws.table("employee_responses"), ws.table("employee_response_items")
    ... )
    >>> result.enps  # doctest: +SKIP
    """

    items: pd.DataFrame
    units: pd.DataFrame
    enps: pd.DataFrame
    min_group: int
    suppressed_units: int
    respondents: int


@dataclass(frozen=True)
class UnitLink:
    """How unit-level employee results line up with the same units' customer NPS.

    Attributes
    ----------
    units
        One row per unit with enough answers: the predictor and ``customer_nps``.
    predictor
        ``"enps"`` or ``"culture_gap"``.
    n_units
        Units in the estimate.
    correlation, correlation_ci
        Pearson's r across units and its Fisher z interval (NaN below four units).
    slope, slope_ci, intercept
        The regression of customer NPS on the predictor, with the slope's t interval.
    r_squared
        Share of the customer NPS variance across units the predictor accounts for.
    p_value
        Two-sided p-value of the slope.
    confidence
        Confidence level of the intervals.
    notes
        Warnings for the reader (too few units for an estimate or a finding).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> link = employee_customer_link(  # doctest: +SKIP
    ...     ws.table("employee_responses"),
    ...     ws.table("employee_response_items"),
    ...     ws.table("responses"),
    ... )
    >>> link.correlation, link.notes  # doctest: +SKIP
    """

    units: pd.DataFrame
    predictor: str
    n_units: int
    correlation: float
    correlation_ci: tuple[float, float]
    slope: float
    slope_ci: tuple[float, float]
    intercept: float
    r_squared: float
    p_value: float
    confidence: float
    notes: list[str] = field(default_factory=list)


def _ratings(answers: Any, items: Any) -> pd.DataFrame:
    """Per respondent and attribute: unit, current, desired, gap (desired - current)."""
    joined = items.join(answers.select("employee_response_id", "unit"), "employee_response_id")
    long = joined.select("employee_response_id", "unit", "item", "kind", "value").to_pandas()
    if long.empty:
        return pd.DataFrame(
            columns=["employee_response_id", "unit", "item", "current", "desired", "gap"]
        )
    wide = long.pivot_table(
        index=["employee_response_id", "unit", "item"],
        columns="kind",
        values="value",
        aggfunc="mean",
    ).reset_index()
    for kind in ("current", "desired"):
        if kind not in wide.columns:
            wide[kind] = np.nan
    wide["gap"] = wide.desired - wide.current
    return pd.DataFrame(wide)


def _mean_row(values: pd.Series, confidence: float) -> dict[str, float]:
    clean = values.dropna().to_numpy(dtype=np.float64)
    n = clean.size
    mean = float(clean.mean()) if n else float("nan")
    interval = t_interval(mean, float(clean.var(ddof=1)) if n > 1 else np.nan, n, confidence)
    return {"gap": mean, "ci_low": float(interval.low), "ci_high": float(interval.high)}


def culture_gaps(
    answers: Any, items: Any, *, min_group: int = MIN_GROUP, confidence: float = 0.95
) -> CultureResult:
    """Culture gaps per attribute, per unit and attribute, and eNPS per unit.

    Parameters
    ----------
    answers, items
        Ibis tables ``employee_responses`` and ``employee_response_items``.
    min_group
        Smallest number of respondents for which a unit's results are shown.
    confidence
        Confidence level of the intervals.

    Returns
    -------
    CultureResult
        ``items`` (attribute, current, desired, gap, interval, n), ``units`` (unit, attribute,
        ...) and ``enps`` (unit, respondents, enps, interval) for units with at least
        ``min_group`` respondents, plus ``"all"``; ``suppressed_units`` counts the rest.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> result = culture_gaps(  # doctest: +SKIP
    ...     ws.table("employee_responses"), ws.table("employee_response_items")
    ... )
    """
    ratings = _ratings(answers, items)
    scores = answers.select("employee_response_id", "unit", "enps").to_pandas()
    sizes = scores.groupby("unit").employee_response_id.nunique()
    shown = sorted(str(unit) for unit, size in sizes.items() if size >= min_group)
    order = {name: index for index, name in enumerate(CULTURE_ATTRIBUTES)}

    def by_item(frame: pd.DataFrame) -> list[dict[str, Any]]:
        rows = []
        for item, group in frame.groupby("item"):
            rows.append(
                {
                    "attribute": item,
                    "current": float(group.current.mean()),
                    "desired": float(group.desired.mean()),
                    **_mean_row(group.gap, confidence),
                    "n": int(group.gap.notna().sum()),
                }
            )
        return sorted(rows, key=lambda row: order.get(str(row["attribute"]), len(order)))

    items_frame = pd.DataFrame(by_item(ratings))
    unit_rows = [
        {"unit": unit, **row} for unit in shown for row in by_item(ratings[ratings.unit == unit])
    ]
    enps_rows = []
    for unit in [*shown, None]:
        values = scores.enps if unit is None else scores.loc[scores.unit == unit, "enps"]
        values = values.dropna()
        if values.empty:
            continue
        result = nps(values.to_numpy(dtype=np.float64), confidence=confidence)
        enps_rows.append(
            {
                "unit": "all" if unit is None else unit,
                "respondents": int(values.size),
                "enps": result.score,
                "ci_low": result.ci_low,
                "ci_high": result.ci_high,
            }
        )
    return CultureResult(
        items=items_frame,
        units=pd.DataFrame(unit_rows),
        enps=pd.DataFrame(enps_rows),
        min_group=min_group,
        suppressed_units=int((sizes < min_group).sum()),
        respondents=int(scores.employee_response_id.nunique()),
    )


def _unit_table(
    answers: Any, items: Any, responses: Any, min_group: int, min_customers: int
) -> pd.DataFrame:
    scores = answers.select("employee_response_id", "unit", "enps").to_pandas()
    ratings = _ratings(answers, items)
    employee = scores.groupby("unit").agg(
        respondents=("employee_response_id", "nunique"),
        enps=("enps", lambda s: nps(s.dropna().to_numpy(dtype=np.float64)).score),
    )
    employee["culture_gap"] = ratings.groupby("unit").gap.mean()
    answered = responses.filter(responses.nps.notnull() & responses.unit.notnull())
    customers = answered.select("unit", "nps").to_pandas()
    customer = customers.groupby("unit").agg(
        customers=("nps", "size"),
        customer_nps=("nps", lambda s: nps(s.to_numpy(dtype=np.float64)).score),
    )
    table = employee.join(customer, how="inner").reset_index()
    table = table[(table.respondents >= min_group) & (table.customers >= min_customers)]
    return pd.DataFrame(table.sort_values("unit").reset_index(drop=True))


def employee_customer_link(
    answers: Any,
    items: Any,
    responses: Any,
    *,
    predictor: str = "enps",
    min_group: int = MIN_GROUP,
    min_customers: int = 10,
    confidence: float = 0.95,
) -> UnitLink:
    """Correlation and regression of unit customer NPS on unit ``predictor``.

    Parameters
    ----------
    answers, items, responses
        Ibis tables ``employee_responses``, ``employee_response_items`` and ``responses``.
    predictor
        ``"enps"`` or ``"culture_gap"`` (the unit's mean desired-minus-current gap).
    min_group, min_customers
        Units with fewer employee respondents or customer answers are left out.
    confidence
        Confidence level of the correlation (Fisher z) and slope (t) intervals.

    Returns
    -------
    UnitLink
        One row per unit with both measures, the correlation and regression with their
        intervals, and notes on what was left out.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> link = employee_customer_link(  # doctest: +SKIP
    ...     ws.table("employee_responses"),
    ...     ws.table("employee_response_items"),
    ...     ws.table("responses"),
    ... )
    """
    table = _unit_table(answers, items, responses, min_group, min_customers)
    notes: list[str] = []
    n = len(table)
    x = table[predictor].to_numpy(dtype=np.float64) if n else np.array([])
    y = table.customer_nps.to_numpy(dtype=np.float64) if n else np.array([])
    nan2 = (float("nan"), float("nan"))
    if n < 3 or np.std(x) == 0 or np.std(y) == 0:
        notes.append(f"only {n} units have enough employee and customer answers: no estimate")
        return UnitLink(
            table,
            predictor,
            n,
            np.nan,
            nan2,
            np.nan,
            nan2,
            np.nan,
            np.nan,
            np.nan,
            confidence,
            notes,
        )
    r = float(np.corrcoef(x, y)[0, 1])
    if n > 3 and abs(r) < 1:
        half = z_critical(confidence) / np.sqrt(n - 3)
        r_ci = (float(np.tanh(np.arctanh(r) - half)), float(np.tanh(np.arctanh(r) + half)))
    else:
        r_ci = nan2
    # The least-squares line and the t test of its slope (as scipy.stats.linregress gives
    # them; importing scipy.stats costs a report ~50 MB and ~0.6 s).
    dx, dy = x - x.mean(), y - y.mean()
    slope = float(dx @ dy / (dx @ dx))
    stderr = float(np.sqrt(max(1.0 - r * r, 0.0) * (dy @ dy) / (dx @ dx) / (n - 2)))
    p_value = 2 * student_t.upper_tail(abs(slope) / stderr, n - 2) if stderr > 0 else 0.0
    critical = float(t_critical(confidence, n - 2))
    slope_ci = (slope - critical * stderr, slope + critical * stderr)
    if n < 10:
        notes.append(f"only {n} units support this link: read it as a hint, not a finding")
    return UnitLink(
        units=table,
        predictor=predictor,
        n_units=n,
        correlation=r,
        correlation_ci=r_ci,
        slope=slope,
        slope_ci=(float(slope_ci[0]), float(slope_ci[1])),
        intercept=float(y.mean() - slope * x.mean()),
        r_squared=r * r,
        p_value=p_value,
        confidence=confidence,
        notes=notes,
    )
