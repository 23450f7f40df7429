"""The slice explorer: one metric by up to three dimensions (or none), per period or not,
compared or not, under the global filters; drawn as a chart, listed as a table, or downloaded.

eNPS over time comes per survey wave (``ws.metrics.waves``), as on the overview: employees are
asked in bursts, so calendar periods between two surveys would be empty or hold a stray answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from advocacy.errors import UsageError
from advocacy.namespaces.access import Principal
from advocacy.present.web.dashboards import DIMENSIONS, scoped_metrics
from advocacy.present.web.derived import derived
from advocacy.present.web.filters import Filters
from advocacy.present.web.overview import data_end, today_in, trend_frame
from advocacy.present.web.state import WebState

#: The most dimensions one view slices by.
MAX_DIMENSIONS = 3
#: The ``by`` value that means "no breakdown".
NONE = "none"


@dataclass
class Exploration:
    metric: str
    by: list[str]
    period: str
    compare: str
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    waves: bool = False  # rows are survey waves (eNPS over time), not calendar periods


def chosen_dimensions(values: list[str]) -> list[str]:
    """The ``by`` values of a request as dimensions: ``none`` and blanks dropped, no repeats.

    Raises
    ------
    UsageError
        For an unknown dimension or more than :data:`MAX_DIMENSIONS`.
    """
    chosen = list(dict.fromkeys(value for value in values if value and value != NONE))
    for name in chosen:
        if name not in DIMENSIONS:
            raise UsageError(
                f"cannot slice by {name[:40]!r}",
                parameter="by",
                value=name[:40],
                fix="use none or " + ", ".join(DIMENSIONS),
            )
    if len(chosen) > MAX_DIMENSIONS:
        raise UsageError(
            f"too many dimensions ({len(chosen)})",
            parameter="by",
            value=len(chosen),
            fix=f"slice by at most {MAX_DIMENSIONS} at once",
        )
    return chosen


def explore(
    state: WebState,
    principal: Principal,
    filters: Filters,
    *,
    metric: str = "nps",
    by: list[str] | None = None,
    period: str = "",
    compare: str = "",
    today: dt.date | None = None,
) -> Exploration:
    """One metric by ``by`` (none, one or several dimensions), per ``period`` if given, under
    ``filters``; each row carries a ``slice`` label (its dimensions' values joined) and, per
    period, its ``status``."""
    dimensions = chosen_dimensions(by or [])
    if compare == "rest" and not dimensions:
        raise UsageError(
            "comparing with the rest needs a dimension",
            parameter="compare",
            value=compare,
            fix="pick a dimension, or compare with the previous period",
        )
    if metric == "enps" and period:
        frame = _waves(state, principal, filters, dimensions)
        return Exploration(metric, dimensions, period, compare, frame, waves=True)
    found = scoped_metrics(
        state,
        principal,
        metrics=metric,
        by=dimensions,
        period=period or None,
        compare=compare or None,
        since=filters.since,
        until=filters.until,
        where=filters.where,
    )
    keys = [name for name in found.columns if name in DIMENSIONS]
    day = (today or today_in(state)) if period else None
    # A period the answers stop inside is partial (hatched), as on the overview: the data
    # end, not only today, decides (Olist's answers end 2018-08-31: 2018 Q3 is partial).
    end = data_end(state) if period else None
    min_n = state.ws.settings.min_n
    frame = derived(  # once per cached result (read-only)
        ("explore", metric, tuple(keys), compare, period, day, end, min_n, filters.key),
        (found,),
        lambda: _sliced(found, keys, period, day, min_n, end),
    )
    return Exploration(metric, keys or dimensions, period, compare, frame)


def _sliced(
    frame: pd.DataFrame,
    keys: list[str],
    period: str,
    today: dt.date | None,
    min_n: int,
    end: dt.date | None,
) -> pd.DataFrame:
    """``frame`` with each row's ``slice`` label and, per ``period``, its status and label
    (a period the data end ``end`` falls inside is incomplete)."""
    if frame.empty:
        return frame
    frame = frame.copy()
    frame["slice"] = frame[keys].astype(str).agg(" · ".join, axis=1) if keys else "all answers"
    if period and today is not None:
        frame = trend_frame(frame, "slice", period, today, min_n, end)
    return frame


def _waves(
    state: WebState, principal: Principal, filters: Filters, dimensions: list[str]
) -> pd.DataFrame:
    """eNPS per survey wave under ``filters``, per unit when sliced by unit: each unit's waves
    named by the company's wave they fall in, so the units of one survey line up.

    Raises
    ------
    UsageError
        For a dimension other than the unit (employee answers carry only a unit).
    """
    if dimensions not in ([], ["unit"]):
        raise UsageError(
            "eNPS comes from employee answers, which carry only a unit",
            parameter="by",
            value=", ".join(dimensions),
            fix="slice eNPS by unit or none",
        )

    def waves(where: dict[str, list[str]]) -> pd.DataFrame:
        found: pd.DataFrame = state.cached(
            ("explore-waves", principal.units, repr(sorted(where.items())), filters.key),
            lambda: state.ws.metrics.waves(
                "enps",
                since=filters.since,
                until=filters.until,
                where={name: list(values) for name, values in where.items()},
                principal=principal,
            ),
        )
        return found.copy()

    company = waves(filters.where)
    if not dimensions:
        parts = [company.assign(slice="all answers")]
    else:
        units = scoped_metrics(
            state,
            principal,
            metrics="enps",
            by=["unit"],
            since=filters.since,
            until=filters.until,
            where=filters.where,
        )
        parts = []
        for unit in sorted(units["unit"].dropna().astype(str).unique()) if len(units) else []:
            own = waves({**filters.where, "unit": [unit]})
            labels = zip(own["start"], own["label"], strict=True)
            own["label"] = [_company_label(company, start, label) for start, label in labels]
            parts.append(own.assign(unit=unit, slice=unit))
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True)
    # What the table of scores reads: the metric and a period to sort the waves by.
    return frame.assign(metric="enps", period=frame["start"])


def _company_label(company: pd.DataFrame, start: object, own: str) -> str:
    """The label of the company's wave holding a unit's wave starting on ``start`` (its own
    label when none does)."""
    held = company[(company["start"] <= start) & (company["end"] >= start)]
    return str(held["label"].iloc[0]) if len(held) else own
