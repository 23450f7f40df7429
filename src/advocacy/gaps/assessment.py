"""The gap assessment of a workspace: each analysis of this layer, fed from the workspace tables.

The functions here only fetch the right Ibis tables and chain the estimators (drivers feed the
register's impact, SERVQUAL and culture feed its gaps); the ``Workspace`` methods, the CLI
commands and the report sections all call them, so the three always agree.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from advocacy.drivers.ipa import Crosshair, ImportancePerformance, importance_performance
from advocacy.drivers.relative_importance import relative_importance
from advocacy.drivers.respondents import driver_data, stated_importance
from advocacy.drivers.theme_drivers import MAX_THEMES, independent_drivers, theme_mentions
from advocacy.errors import UsageError
from advocacy.gaps.culture import CultureResult, UnitLink, culture_gaps, employee_customer_link
from advocacy.gaps.register import gap_register
from advocacy.gaps.servqual import ServqualResult, servqual_gaps
from advocacy.store.steady import steady_result

TableSource = Callable[[str], Any]
_CROSSHAIRS: dict[str, Crosshair] = {"mean": "mean", "median": "median", "midpoint": "midpoint"}
#: Driver levels of :func:`key_drivers`.
LEVELS: tuple[str, ...] = ("item", "dimension", "theme", "item+theme", "dimension+theme")


def _driver_data(
    responses: Any, items: Any, *, outcome: str = "nps", level: str, unit: str | None = None
) -> pd.DataFrame:
    """:func:`driver_data`, read once per report run for the same tables and options (the key
    drivers and importance-performance both read the item ratings). Callers share the frame, so
    none may change it."""
    key = ("driver_data", responses.op(), items.op(), outcome, level, unit)
    return steady_result(
        None,
        key,
        lambda: driver_data(responses, items, outcome=outcome, level=level, unit=unit),
    )


def _ratings(
    tables: TableSource, outcome: str, level: str, unit: str | None
) -> tuple[pd.DataFrame, list[str]]:
    data = _driver_data(
        tables("responses"), tables("response_items"), outcome=outcome, level=level, unit=unit
    )
    return data, list(data.attrs["drivers"])


def _with_themes(
    tables: TableSource, outcome: str, base: str, unit: str | None, max_themes: int
) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    mentions = theme_mentions(
        tables("responses"),
        tables("document_themes"),
        tables("themes"),
        outcome=outcome,
        unit=unit,
        max_themes=max_themes,
    )
    themes = list(mentions.attrs["drivers"])
    info = {
        "mentions": dict(mentions.attrs["mentions"]),
        "without_comment": int(mentions.attrs["without_comment"]),
        "themes_available": int(mentions.attrs["themes_available"]),
    }
    if not themes:
        raise UsageError(
            "no text theme is mentioned in enough comments of answers with an outcome",
            value=info["themes_available"],
            table="document_themes",
            fix="run `advocacy text analyze` and `advocacy text discover-themes` (or "
            "`text assign-themes`) on a workspace with survey comments",
        )
    if not base:
        return mentions, independent_drivers(mentions, [], themes), info
    ratings, rated = _ratings(tables, outcome, base, unit)
    data = ratings.merge(mentions[["response_id", *themes]], on="response_id", how="inner")
    return data, independent_drivers(data, rated, themes), info


#: The customer outcomes key drivers explain, in the order a workspace's own one is chosen.
OUTCOMES = ("nps", "csat", "ces")


def workspace_outcome(tables: TableSource) -> str:
    """The outcome the workspace's answers hold: NPS when any answer has one, else CSAT, else
    CES (a CSAT-only client's drivers explain CSAT); ``"nps"`` without answers.

    One scan of ``responses`` counts the three.
    """
    responses = tables("responses")
    counts = responses.aggregate(**{name: responses[name].count() for name in OUTCOMES})
    row = counts.to_pyarrow().to_pylist()[0]
    return next((name for name in OUTCOMES if int(row[name] or 0) > 0), "nps")


def _directions(data: Any, outcome: str, drivers: Sequence[str]) -> dict[str, str]:
    """Per driver, which way it goes with the outcome: ``raises`` when a higher rating (or a
    mention of the theme) goes with a higher outcome, ``lowers`` when with a lower one (the sign
    of their correlation; an importance share alone has no sign)."""
    frame = pd.DataFrame(data)
    target = pd.to_numeric(frame[outcome], errors="coerce")
    signs: dict[str, str] = {}
    for name in drivers:
        correlation = pd.to_numeric(frame[name], errors="coerce").corr(target)
        signs[name] = "" if pd.isna(correlation) else ("raises" if correlation > 0 else "lowers")
    return signs


def key_drivers(
    tables: TableSource,
    *,
    outcome: str | None = None,
    level: str = "item",
    method: str = "lmg",
    unit: str | None = None,
    n_bootstrap: int = 200,
    confidence: float = 0.95,
    max_themes: int = MAX_THEMES,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Relative importance of rated items, dimensions and text themes on ``outcome``.

    Parameters
    ----------
    tables
        A function returning the Ibis table of a name (``Workspace.table``).
    outcome
        ``nps``, ``csat`` or ``ces``; None for the workspace's own (:func:`workspace_outcome`:
        NPS, else CSAT, else CES).
    level
        Which drivers: ``"item"`` (each rated item), ``"dimension"`` (items averaged per
        dimension), ``"theme"`` (whether the respondent's comment mentions each text theme, 0/1),
        or ``"item+theme"`` / ``"dimension+theme"`` (ratings and themes in one model, so both are
        ranked on one R^2 scale). With themes only respondents who left a comment count.
    method
        ``"lmg"`` or ``"johnson"``.
    unit
        Keep only this unit's answers.
    n_bootstrap, confidence, random_state
        Bootstrap intervals of each weight (see ``relative_importance``).
    max_themes
        How many themes enter, most frequently mentioned first (12: LMG stays exact).

    Returns
    -------
    pandas.DataFrame
        ``driver``, ``share``, ``share_low``, ``share_high``, ``raw_weight``,
        ``raw_weight_low``, ``raw_weight_high``, ``rank``, ``direction`` (``raises`` or
        ``lowers``: which way the driver goes with the outcome); with themes also
        ``kind`` (rating or theme) and ``mentions`` (respondents whose comment names the theme). A
        theme's weight is the part of R^2 that goes with whether the theme is mentioned.
        ``frame.attrs``: ``outcome``, ``r_squared``, ``n`` (respondents used), and with themes
        ``without_comment`` (answers left out for having no comment) and ``themes_dropped``
        (frequent themes left out because they did not vary or repeated another driver).
    """
    if level not in LEVELS:
        raise UsageError(
            f"unknown driver level {level!r}",
            value=level,
            parameter="level",
            fix="use one of: " + ", ".join(LEVELS),
        )
    if outcome is None:
        outcome = workspace_outcome(tables)
    base, _, themed = level.partition("+")
    if base == "theme":
        base, themed = "", "theme"
    info: dict[str, Any] = {}
    if themed:
        data, drivers, info = _with_themes(tables, outcome, base, unit, max_themes)
    else:
        data, drivers = _ratings(tables, outcome, base, unit)
    if len(drivers) < 2:
        label = outcome.upper()
        raise UsageError(
            f"key drivers of {label} need at least two drivers (rated items or themes) joined "
            f"to answers with the outcome {label}",
            value=len(drivers),
            table="document_themes" if themed and not base else "response_items",
            fix="import response-items of kind rating or perception for answers with the "
            f"outcome {label}, or analyse comments into themes",
        )
    frame = relative_importance(
        data,
        outcome=outcome,
        drivers=drivers,
        method="johnson" if method == "johnson" else "lmg",
        n_bootstrap=n_bootstrap,
        confidence=confidence,
        random_state=random_state,
    )
    frame["direction"] = frame["driver"].map(_directions(data, outcome, drivers))
    frame.attrs["outcome"] = outcome
    if not themed:
        return frame
    mentions = info["mentions"]
    frame.insert(1, "kind", ["theme" if name in mentions else "rating" for name in frame.driver])
    frame["mentions"] = [mentions.get(name) for name in frame.driver]
    frame.attrs["without_comment"] = info["without_comment"]
    frame.attrs["themes_dropped"] = [name for name in mentions if name not in drivers]
    return frame


def ipa(
    tables: TableSource,
    *,
    importance: str = "auto",
    crosshair: str = "mean",
    level: str = "item",
    n_bootstrap: int = 100,
    confidence: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    derived: Callable[[], pd.DataFrame] | None = None,
) -> ImportancePerformance:
    """Importance-performance quadrants; importance stated (kind ``importance``) or derived.

    ``importance="auto"`` uses stated importance when the workspace has it for the items, and
    otherwise derives it as each item's LMG share of the NPS R^2. Each importance carries its
    interval (a t interval of the stated mean; a bootstrap interval of ``n_bootstrap``
    resamples of the derived share; none with ``n_bootstrap=0``), and an item whose interval
    includes the importance crosshair is ``"importance unclear"``, not put in a quadrant.
    ``derived``, when given, returns those key drivers (:func:`key_drivers` of ``tables`` at
    ``level`` with the same resamples, level and seed) already computed, instead of computing
    them again.
    """
    items = tables("response_items")
    data = _driver_data(tables("responses"), items, level=level)
    drivers = list(data.attrs["drivers"])
    performance = pd.DataFrame(
        {"item": drivers, "performance": [float(data[name].mean()) for name in drivers]}
    )
    scale_table = items.filter(items.kind.isin(["rating", "perception"]))
    bounds = scale_table.aggregate(
        low=scale_table.scale_min.min(), high=scale_table.scale_max.max()
    ).to_pandas()
    low, high = bounds.low.iloc[0], bounds.high.iloc[0]
    scale = (float(low), float(high)) if pd.notna(low) and pd.notna(high) else None
    stated = stated_importance(items, level=level, confidence=confidence)
    source = importance
    if importance == "auto":
        source = "stated" if set(drivers) <= set(stated.driver) and drivers else "derived"
    if source == "stated":
        weights = stated.rename(columns={"driver": "item"})
    else:
        # The shares' bootstrap intervals keep a driver whose share cannot be told from the
        # average out of the quadrants (drivers.ipa).
        if derived is None:
            shares = key_drivers(
                tables,
                level=level,
                n_bootstrap=n_bootstrap,
                confidence=confidence,
                random_state=random_state,
            )
        else:
            shares = derived()
        weights = shares.rename(
            columns={
                "driver": "item",
                "share": "importance",
                "share_low": "importance_low",
                "share_high": "importance_high",
            }
        )
    columns = ["item", "importance", "importance_low", "importance_high"]
    frame = performance.merge(weights[columns], on="item", how="inner")
    return importance_performance(
        frame,
        crosshair=_CROSSHAIRS.get(crosshair, "mean"),
        scale=scale,
        importance_source=source,
    )


def servqual(tables: TableSource, *, confidence: float = 0.95) -> ServqualResult:
    """SERVQUAL gaps from the workspace's expectation and perception ratings."""
    items = tables("response_items")
    return servqual_gaps(
        items.filter(items.kind.isin(["expectation", "perception", "importance"])),
        confidence=confidence,
    )


def culture(tables: TableSource, *, min_group: int = 5, confidence: float = 0.95) -> CultureResult:
    """Culture gaps and eNPS by unit, small units suppressed."""
    return culture_gaps(
        tables("employee_responses"),
        tables("employee_response_items"),
        min_group=min_group,
        confidence=confidence,
    )


def culture_link(
    tables: TableSource, *, predictor: str = "enps", min_group: int = 5, confidence: float = 0.95
) -> UnitLink:
    """The unit-level link between employee results and customer NPS."""
    return employee_customer_link(
        tables("employee_responses"),
        tables("employee_response_items"),
        tables("responses"),
        predictor=predictor,
        min_group=min_group,
        confidence=confidence,
    )


def _has_rows(tables: TableSource, name: str, where: Any = None) -> bool:
    table = tables(name)
    if where is not None:
        table = table.filter(where(table))
    return bool(table.count().to_pandas() > 0)


def once(tables: TableSource) -> TableSource:
    """``tables`` looking each table up once: an analysis that reads ``responses`` a dozen
    times then asks the database for its columns once, not a dozen times (Ibis tables are
    immutable expressions, so one can serve every query of the analysis)."""
    return functools.cache(tables)


def register(
    tables: TableSource,
    *,
    confidence: float = 0.95,
    random_state: int | None = 0,
    servqual_of: Callable[[], ServqualResult] | None = None,
    culture_of: Callable[[], CultureResult] | None = None,
) -> pd.DataFrame:
    """The gap register: targets, SERVQUAL dimensions and culture attributes, by priority.

    ``servqual_of`` and ``culture_of``, when given, return :func:`servqual` and
    :func:`culture` of ``tables`` at ``confidence`` (default group size) already computed; the
    register asks for them only when the workspace has expectations or culture answers.
    """
    tables = once(tables)
    quality = None
    shares: dict[str, float] = {}
    if _has_rows(tables, "response_items", lambda t: t.kind == "expectation"):
        quality = servqual(tables, confidence=confidence) if servqual_of is None else servqual_of()
        try:
            drivers = key_drivers(
                tables, level="dimension", n_bootstrap=0, random_state=random_state
            )
            shares = dict(zip(drivers.driver.astype(str), drivers.share.astype(float), strict=True))
        except UsageError:
            shares = {}
    people = None
    if _has_rows(tables, "employee_response_items"):
        people = culture(tables, confidence=confidence) if culture_of is None else culture_of()
    return gap_register(
        tables, servqual=quality, culture=people, driver_shares=shares, confidence=confidence
    )
