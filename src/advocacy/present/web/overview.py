"""What the overview dashboard shows: KPI tiles, a trend by any dimension, alerts and a heat map.

Every number comes from the workspace's analyses as the caller may read them
(:func:`advocacy.present.web.dashboards.scoped_metrics_batch`, ``ws.gaps.unit_ratings``), under
the global filters (:mod:`advocacy.present.web.filters`). "The latest period" is the latest
*complete* one with at least ``min_n`` answers (:func:`advocacy.metrics.periods.latest_complete`,
today in the workspace's time zone, and the day of the latest answer): one answer dated today
cannot become the headline, nor a quarter the data end two months into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from advocacy import display
from advocacy.errors import AdvocacyError, UsageError
from advocacy.namespaces.access import Principal, unit_limit
from advocacy.namespaces.metrics import (
    MetricsRequest,
    data_end_day,
    latest_complete,
    partial_note,
    period_end,
    period_status,
)
from advocacy.present.web.dashboards import scoped_metrics_batch, table_counts
from advocacy.present.web.derived import derived
from advocacy.present.web.filters import FILTER_DIMENSIONS, Filters
from advocacy.present.web.pages.customer_standing import HORIZON_WEEKS, purchase_predictions
from advocacy.present.web.state import WebState
from advocacy.report.section import ReportScope
from advocacy.report.sections.metrics import change_text
from advocacy.report.sections.review_ratings import RatingStanding, rating_standing
from advocacy.report.sections.summary import REVIEW_TILE

#: Metrics of the KPI tiles by period, in order; the eNPS tile follows, by survey wave.
TILE_METRICS = ("nps", "csat", "ces")
#: Metrics a trend or an alert can follow (customer metrics; eNPS comes in waves, see tiles).
TREND_METRICS = ("nps", "csat", "top-box", "ces")
#: Dimensions a trend can be broken down by ("" for none).
TREND_DIMENSIONS = ("", "unit", "segment", "touchpoint", "channel", "journey_stage", "region")
#: Periods the trend and the tiles can use.
TREND_PERIODS = ("month", "quarter")
#: What each metric is called on a tile, and what its scale means.
TITLES = {
    "nps": ("NPS", "-100 to 100"),
    "csat": ("CSAT", "% satisfied"),
    "top-box": ("Top box", "% very satisfied"),
    "ces": ("CES", "1-7, higher is easier"),
    "enps": ("eNPS", "-100 to 100, employees"),
}


def today_in(state: WebState) -> dt.date:
    """Today in the workspace's time zone (the ``timezone`` setting)."""
    return dt.datetime.now(ZoneInfo(state.ws.settings.timezone)).date()


@dataclass
class Tile:
    """One KPI: the latest complete period's score, its interval, change and verdict."""

    metric: str
    title: str
    scale: str
    score: float
    low: float | None
    high: float | None
    n: int
    period: dt.date | None
    period_label: str
    change: float | None = None
    verdict: str = ""
    direction: str = "no change"  # better, worse or no change (significant or not)
    significant: bool = False
    flag: str | None = None
    answers_link: str | None = None
    when: str = ""  # what the score covers: "the latest complete quarter", "the latest wave"
    against: str = ""  # what the change is against: "the quarter before", "the wave of ..."

    @property
    def estimate(self) -> str:
        return display.estimate(self.score, self.low, self.high)


@dataclass
class Alert:
    """A significant drop: a slice's latest complete period against the one before."""

    metric: str
    dimension: str
    value: str
    period_label: str
    score: float
    reference: float
    change: float
    p_adjusted: float
    link: str


@dataclass
class Trend:
    frame: pd.DataFrame  # period, slice, score, interval, n, status
    metric: str
    by: str
    period: str
    left_out: int = 0  # periods still under way or with too few answers


@dataclass(frozen=True)
class Purchases:
    """What a workspace's purchases say when it has no survey answers to score: how many bought,
    how many bought on more than one day, and how many repeat buyers are slipping away (the
    purchase model's, as the Advocates page lists them; None with ``problem`` when it cannot be
    fitted)."""

    buyers: int
    repeat: int
    slipping: int | None = None
    problem: str | None = None


#: The horizon (weeks) of the slipping-away list the overview counts: the shared predictions'.
SLIPPING_HORIZON = HORIZON_WEEKS


def purchases(state: WebState) -> Purchases:
    """Buyers, repeat buyers and those slipping away (cached per data generation; the slipping
    list is read from the predictions the Advocates and customer pages share, so the purchase
    models are fitted once for the three)."""

    buyers, repeat = state.cached(("overview-buyers",), state.ws.retention.buyers)
    try:
        predicted = purchase_predictions(state)
    except AdvocacyError as error:
        return Purchases(buyers, repeat, problem=error.message)
    slipping = state.ws.retention.slipping_away(horizon=SLIPPING_HORIZON, predicted=predicted)
    return Purchases(buyers, repeat, slipping=len(slipping))


def review_standing(state: WebState, filters: Filters) -> RatingStanding | None:
    """The reviews' rating as the report's summary shows it (latest complete quarter, or every
    review), within the filters' dates (cached per data generation and dates)."""
    scope = ReportScope(since=filters.since, until=filters.until)
    key = ("overview-reviews", filters.since, filters.until)
    standing: RatingStanding | None = state.cached(key, lambda: rating_standing(state.ws, scope))
    return standing


@dataclass(frozen=True)
class ReviewTile:
    """A tile of the reviews' rating as the overview shows it (the KPI tiles' parts)."""

    title: str
    scale: str
    score: str
    interval: str
    change: str
    period: str


def review_tiles(standing: RatingStanding, *, alpha: float, min_n: int) -> list[ReviewTile]:
    """The mean rating and the top-two share of ``standing``, named and worded as the report's
    summary tiles are (:func:`advocacy.report.sections.summary.rating_tiles`): a change against
    the quarter before is beyond chance when its Holm-adjusted p-value is below ``alpha``."""
    low, top = display.number(standing.low, 0), display.number(standing.top, 0)
    if standing.quarter is not None:
        when = display.period_label(standing.quarter, "quarter")
    else:
        when = "every review" if standing.dated else "every review, undated"
    with_text = "reviews with text" if standing.quarantined else "reviews"
    tiles = []
    for title, scale, result, change, metric in (
        (REVIEW_TILE, f"{low}-{top}", standing.mean, standing.mean_change, "ces"),
        (
            f"Reviews rated {display.number(standing.top - 1, 0)}-{top}",
            "% of rated reviews",
            standing.top_two,
            standing.top_two_change,
            "csat",
        ),
    ):
        suffix = "%" if metric == "csat" else ""
        text = display.estimate(result.score, result.ci_low, result.ci_high, suffix=suffix)
        score, _, interval = text.partition(" [")
        if change is not None and standing.quarter is not None:
            # change_text reads a share's change in points (as CSAT's), a mean's as CES's.
            row: dict[Hashable, Any] = {
                "change": change.change,
                "p_adjusted": change.p_adjusted,
                "verdict": "",
            }
            earlier = pd.Timestamp(standing.quarter) - pd.DateOffset(months=3)
            moved = f"Against {display.period_label(earlier, 'quarter')}: "
            moved += change_text(metric, row, alpha)
        elif standing.quarter is not None:
            moved = "No earlier quarter to compare with"
        elif standing.dated:
            moved = f"No quarter holds {min_n} rated reviews: no trend"
        else:
            moved = "No dates: no trend"
        tiles.append(
            ReviewTile(
                title,
                scale,
                score,
                interval.rstrip("]").replace(", ", " to "),
                moved,
                f"{when} · {display.number(result.n)} {with_text}",
            )
        )
    return tiles


@dataclass
class Dashboard:
    filters: Filters
    period: str
    tiles: list[Tile] = field(default_factory=list)
    trend: Trend | None = None
    alerts: list[Alert] = field(default_factory=list)
    heat: pd.DataFrame | None = None
    heat_problem: str | None = None
    waves: pd.DataFrame | None = None  # eNPS per survey wave (employee surveys come in waves)
    counts: dict[str, int] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    today: dt.date | None = None
    min_n: int = 30
    purchases: Purchases | None = None  # shown when there are purchases but no survey answers
    # Shown when reviews carry ratings but no one answered a survey: the rating's tiles, and
    # the rated reviews without text that quarantine holds and the tiles leave out.
    reviews: list[ReviewTile] = field(default_factory=list)
    reviews_quarantined: int = 0

    @property
    def heat_thin(self) -> bool:
        """Whether every cell of the heat map has fewer than ``min_n`` ratings (so none can be
        told apart from the other units, and the map is all white)."""
        heat = self.heat
        if heat is None or heat.empty or "flag" not in heat.columns:
            return False
        return bool(heat["flag"].notna().all())


def filter_options(state: WebState, principal: Principal) -> dict[str, list[str]]:
    """The values each filter offers: those found in the caller's answers, unfiltered."""
    requests = [MetricsRequest(("nps",), by=(name,)) for name in FILTER_DIMENSIONS]
    frames = scoped_metrics_batch(state, principal, requests)
    options: dict[str, list[str]] = derived(
        ("filter-options",),
        (frames,),
        lambda: {
            name: sorted({str(value) for value in frame[name].dropna()})
            for name, frame in zip(FILTER_DIMENSIONS, frames, strict=True)
        },
    )
    return options


def data_end(state: WebState) -> dt.date | None:
    """The day of the latest customer answer (``Workspace.status``, cached per generation)."""
    status = state.cached(("status",), state.ws.status)
    lasts = [item.last for item in status.tables if item.table == "responses"]
    return data_end_day(lasts[0]) if lasts else None


def _latest(
    frame: pd.DataFrame, period: str, today: dt.date, min_n: int, end: dt.date | None
) -> dt.date | None:
    return latest_complete(frame, period, today=today, min_n=min_n, data_end=end)


def _tiles(
    frame: pd.DataFrame,
    filters: Filters,
    period: str,
    today: dt.date,
    min_n: int,
    end: dt.date | None,
) -> list[Tile]:
    tiles = []
    for metric in dict.fromkeys(frame["metric"]):
        rows = frame[(frame["metric"] == metric) & (frame["n"] > 0)]
        if rows.empty:
            continue
        title, scale = TITLES.get(str(metric), (str(metric), ""))
        table_end = None if metric == "enps" else end  # employee answers come in waves
        latest = _latest(rows, period, today, min_n, table_end)
        few = latest is None
        if few:
            # No ended period holds min_n answers (a small unit, a narrow filter): show the
            # latest ended one, flagged, rather than nothing; one still under way never.
            latest = _latest(rows, period, today, 0, table_end)
        if latest is None:
            continue
        row = rows[rows["period"].map(str) == str(latest)].iloc[0]
        change = None if display.missing(row.get("change")) else float(row["change"])
        p = row.get("p_adjusted")
        significant = change is not None and not display.missing(p) and float(p) < 0.05
        end = period_end(latest, period) - dt.timedelta(days=1)
        link = None
        if metric != "enps":
            link = filters.between(latest, end).link("/answers", metric=metric)
        tiles.append(
            Tile(
                metric=str(metric),
                title=title,
                scale=scale,
                score=float(row["score"]),
                low=None if display.missing(row["ci_low"]) else float(row["ci_low"]),
                high=None if display.missing(row["ci_high"]) else float(row["ci_high"]),
                n=int(row["n"]),
                period=latest,
                period_label=display.period_label(latest, period),
                change=change,
                verdict="" if row.get("verdict") is None else str(row["verdict"]),
                direction=display.change_word(change) if change is not None else "no change",
                significant=significant,
                flag=f"fewer than {min_n} answers in every ended {period}: an example, not a "
                "verdict"
                if few
                else row.get("flag"),
                answers_link=link,
                when=_when(rows, period, today, table_end),
                against=f"the {period} before",
            )
        )
    return tiles


def _when(rows: pd.DataFrame, period: str, today: dt.date, end: dt.date | None) -> str:
    """``the latest complete quarter``, with ``(data end 2018-08-31: 2018 Q3 partial)`` when
    the evidence stops inside a later period."""
    partial = partial_note(rows, period, today=today, data_end=end)
    return f"the latest complete {period}" + (f" ({partial})" if partial else "")


def wave_tile(waves: pd.DataFrame, min_n: int) -> Tile | None:
    """The eNPS tile: the latest survey wave against the wave before (not the calendar period
    before, which a survey asked twice a year leaves empty), the waves named by their dates."""
    if waves.empty:
        return None
    row = waves.sort_values("start").iloc[-1]
    title, scale = TITLES["enps"]
    change = None if display.missing(row["change"]) else float(row["change"])
    p = row["p_adjusted"]
    reference = None if display.missing(row["reference_label"]) else str(row["reference_label"])
    return Tile(
        metric="enps",
        title=title,
        scale=scale,
        score=float(row["score"]),
        low=None if display.missing(row["ci_low"]) else float(row["ci_low"]),
        high=None if display.missing(row["ci_high"]) else float(row["ci_high"]),
        n=int(row["n"]),
        period=row["start"],
        period_label=f"Wave of {row['label']}",
        change=change,
        verdict=str(row["verdict"]),
        direction=display.change_word(change) if change is not None else "no change",
        significant=change is not None and not display.missing(p) and float(p) < 0.05,
        flag=None if row["flag"] is None else f"{row['flag']}: an example, not a verdict",
        when="the latest survey wave",
        against=f"the wave of {reference}" if reference else "",
    )


def _alerts(
    frame: pd.DataFrame,
    dimension: str,
    filters: Filters,
    period: str,
    today: dt.date,
    min_n: int,
    alpha: float,
    end: dt.date | None,
) -> list[Alert]:
    """Slices whose latest complete period fell significantly against the one before."""
    alerts: list[Alert] = []
    if frame.empty or "p_adjusted" not in frame.columns:
        return alerts
    for metric in dict.fromkeys(frame["metric"]):
        rows = frame[(frame["metric"] == metric) & (frame["n"] > 0)]
        latest = _latest(rows, period, today, min_n, end)
        if latest is None:
            continue
        current = rows[rows["period"].map(str) == str(latest)]
        end = period_end(latest, period) - dt.timedelta(days=1)
        for _, row in current.iterrows():
            p, change = row.get("p_adjusted"), row.get("change")
            if display.missing(p) or display.missing(change):
                continue
            if float(p) >= alpha or float(change) >= 0:
                continue  # every metric here reads higher-is-better (CES: higher is easier)
            value = str(row[dimension])
            alerts.append(
                Alert(
                    metric=str(metric),
                    dimension=dimension,
                    value=value,
                    period_label=display.period_label(latest, period),
                    score=float(row["score"]),
                    reference=float(row["reference_score"]),
                    change=float(change),
                    p_adjusted=float(p),
                    link=filters.narrowed(dimension, value)
                    .between(latest, end)
                    .link("/answers", metric=metric, commented="1"),
                )
            )
    return sorted(alerts, key=lambda alert: alert.p_adjusted)


def trend_frame(
    frame: pd.DataFrame,
    by: str,
    period: str,
    today: dt.date,
    min_n: int,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """A trend with each period's ``status`` (complete, incomplete, too few) and its label;
    ``end`` is the day of the latest answer (a period it falls inside is incomplete)."""
    frame = frame[frame["n"] > 0].copy()
    if frame.empty:
        return frame
    status = period_status(frame, period, today=today, min_n=min_n, data_end=end)
    frame["status"] = status.to_numpy()
    frame["label"] = [display.period_label(start, period) for start in frame["period"]]
    frame["slice"] = frame[by].astype(str) if by else "all"
    return frame.reset_index(drop=True)


def dashboard(
    state: WebState,
    principal: Principal,
    filters: Filters,
    *,
    metric: str = "nps",
    by: str = "",
    period: str = "quarter",
    today: dt.date | None = None,
) -> Dashboard:
    """The overview for ``principal`` under ``filters``: tiles, trend by ``by``, alerts, heat map.

    Raises
    ------
    UsageError
        For a trend metric, dimension or period the overview does not offer.
    """
    for value, allowed, parameter in (
        (metric, TREND_METRICS, "metric"),
        (by, TREND_DIMENSIONS, "by"),
        (period, TREND_PERIODS, "period"),
    ):
        if value not in allowed:
            raise UsageError(
                f"the overview cannot show {parameter} {value!r}",
                value=value,
                parameter=parameter,
                fix="use one of: " + ", ".join(item or "(none)" for item in allowed),
            )
    settings = state.ws.settings
    today = today or today_in(state)
    found = Dashboard(filters, period, today=today, min_n=settings.min_n)
    found.counts = table_counts(state)
    if not found.counts.get("responses") and not found.counts.get("employee_responses"):
        # No answers to score, but purchases say who buys again and who is slipping away
        # (customers across every unit: not for a user limited to some units).
        if found.counts.get("transactions") and not principal.limited_to_units:
            found.purchases = purchases(state)
        # Nor for reviews' ratings: they span every unit (review27 #16f: a workspace of
        # reviews only read "No survey answers yet" and nothing of its reviews).
        standing = None
        if found.counts.get("mentions") and not principal.limited_to_units:
            standing = review_standing(state, filters)
        if standing is not None:
            alpha = 1.0 - settings.confidence
            found.reviews = review_tiles(standing, alpha=alpha, min_n=settings.min_n)
            found.reviews_quarantined = standing.quarantined
        return found
    found.options = filter_options(state, principal)
    since, until = filters.since, filters.until
    unit_key: tuple[str, ...] = ("unit",) if principal.limited_to_units else ()
    trend_by = tuple(dict.fromkeys((*unit_key, by) if by else unit_key))
    alert_by = "unit" if principal.limited_to_units or by in ("", "unit") else by
    requests = [
        MetricsRequest(
            TILE_METRICS,
            period=period,
            compare="previous",
            since=since,
            until=until,
        ),
        MetricsRequest((metric,), by=trend_by, period=period, since=since, until=until),
        MetricsRequest(
            ("nps", "csat", "ces"),
            by=(alert_by,),
            period=period,
            compare="previous",
            since=since,
            until=until,
        ),
    ]
    tiles, trend, drops = scoped_metrics_batch(state, principal, requests, where=filters.where)
    if principal.limited_to_units:
        # A case handler's frames are broken down by unit: one tile per metric and unit
        # would crowd the page, so their tiles pool their units' answers (same evidence).
        tiles = _pooled(state, principal, filters, period)
    end = data_end(state)
    shape = (unit_limit(principal), filters.key, period, today, settings.min_n, end)
    # Built once per result (read-only: every reader gets the same tiles, trend and alerts).
    found.tiles = list(
        derived(
            ("tiles", *shape),
            (tiles,),
            lambda: _tiles(tiles, filters, period, today, settings.min_n, end),
        )
    )
    # Employee answers carry only a unit: eNPS under a segment or channel filter would be
    # the whole company's, so it is left out rather than shown as if filtered.
    if filters.only_units and found.counts.get("employee_responses"):
        found.waves = state.cached(
            ("enps-waves", principal.units, filters.key),
            lambda: state.ws.metrics.waves(
                "enps",
                since=since,
                until=until,
                where=filters.where,
                principal=principal,
            ),
        )
        staff = wave_tile(found.waves, settings.min_n)
        if staff is not None:
            found.tiles.append(staff)
    shown = derived(
        ("trend", *shape, metric, by),
        (trend,),
        lambda: trend_frame(trend, by, period, today, settings.min_n, end),
    )
    found.trend = Trend(
        shown,
        metric,
        by,
        period,
        left_out=0 if shown.empty else int((shown["status"] != "complete").sum()),
    )
    alpha = 1.0 - settings.confidence
    found.alerts = derived(
        ("alerts", *shape, alert_by, alpha),
        (drops,),
        lambda: _alerts(drops, alert_by, filters, period, today, settings.min_n, alpha, end),
    )
    if not principal.limited_to_units:
        # Each unit is compared with the other units: under a unit filter the chosen units are
        # shown against the rest, not against nothing (the other filters and the dates apply).
        others = {name: values for name, values in filters.where.items() if name != "unit"}
        try:
            heat: pd.DataFrame = state.cached(
                ("unit-ratings", filters.without("unit").key),
                lambda: state.ws.gaps.unit_ratings(
                    where=others, since=filters.since, until=filters.until
                ),
            )
        except AdvocacyError as error:
            found.heat_problem = error.message
        else:
            chosen = filters.where.get("unit")
            found.heat = (
                derived(("heat", filters.key), (heat,), lambda: heat[heat["unit"].isin(chosen)])
                if chosen
                else heat
            )
    return found


def _pooled(state: WebState, principal: Principal, filters: Filters, period: str) -> pd.DataFrame:
    """The tiles' frame for a unit-limited reader: their units' answers pooled."""
    metrics = TILE_METRICS
    key = ("pooled-tiles", principal.units, metrics, filters.key, period)
    frame: pd.DataFrame = state.cached(
        key,
        lambda: state.ws.metrics.scores(
            list(metrics),
            period=period,
            compare="previous",
            since=filters.since,
            until=filters.until,
            where=filters.where,
            principal=principal,
        ),
    )
    return frame


def heat_cells(heat: pd.DataFrame, filters: Filters) -> list[dict[str, Any]]:
    """The heat map's cells for the chart: text for people and a drill-down link each."""
    cells = []
    for row in heat.to_dict("records"):
        cells.append(
            {
                "unit": row["unit"],
                "driver": row["driver"],
                "mean": row["mean"],
                "difference": row["difference"] if row["significant"] else 0.0,
                "shown": display.estimate(row["mean"], row["ci_low"], row["ci_high"]),
                "against": display.signed(row["difference"], 2)
                + (
                    " (likely real)"
                    if row["significant"]
                    else " (too few answers to tell)"
                    if row.get("flag")
                    else " (not significant)"
                ),
                "n": int(row["n"]),
                "href": filters.narrowed("unit", str(row["unit"])).link("/answers"),
            }
        )
    return cells
