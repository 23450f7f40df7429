"""The report's advocates section: the ladder, the say-do gap, referral value, what advocacy is
worth, fans-to-be and who is slipping away.

Every part comes from one library call on the workspace; a part whose data is missing says so
in a note instead of failing the report. Lists of customers stop at five: the CLI and the web
app have the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from advocacy import display
from advocacy.advocates.referrals import earned_growth, referral_value_by_referrer
from advocacy.errors import AdvocacyError
from advocacy.report.section import ReportScope, Section, chart_svg, remembered, table_html

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "Advocates in deeds"


def _as_of(scope: ReportScope) -> Any:
    """The report's last day as a date: the namespace reads it as the end of that day in the
    workspace's time zone (:func:`advocacy.advocates.evidence.as_of_end`), not in UTC."""
    return scope.until


def _records(frame: Any) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _percent(value: float) -> str:
    return "-" if value != value else f"{100 * value:.0f}%"


def _ladder(ws: Workspace, scope: ReportScope) -> Markup:
    from advocacy.advocates.ladder import ladder_counts

    counts = ladder_counts(ws.advocates.ladder(as_of=_as_of(scope)))
    chart = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": _records(counts[["rung", "customers"]])},
        "width": 420,
        "height": {"step": 24},
        "mark": "bar",
        "encoding": {
            "x": {"field": "customers", "type": "quantitative", "title": "Customers"},
            "y": {
                "field": "rung",
                "type": "nominal",
                "sort": [str(rung) for rung in counts["rung"]],
                "title": None,
                "axis": {"labelLimit": 0},
            },
            "color": {"field": "rung", "type": "nominal", "legend": None},
        },
    }
    rows = _records(counts.assign(share=counts["share"].map(_percent)))
    return (
        Markup("<h3>The advocacy ladder</h3>")
        + chart_svg(chart, label="Customers on each rung of the advocacy ladder")
        + table_html(
            rows,
            [
                ("rung", "Rung"),
                ("customers", "Customers"),
                ("share", "Share"),
                ("at_risk", "At risk"),
            ],
        )
    )


def say_do_overall(ws: Workspace, as_of: Any = None) -> Any:
    """The company's say-do gap as of ``as_of`` (read once per report: the asks use it too)."""
    return remembered(("say-do", as_of), lambda: ws.advocates.say_do(as_of=as_of))


def _say_do(ws: Workspace, scope: ReportScope) -> Markup:
    overall = say_do_overall(ws, _as_of(scope))
    if overall.empty or int(overall["promoters"].sum()) == 0:
        return Markup("<p class='note'>No promoter answers by known customers yet.</p>")
    row = overall.iloc[0]
    by_unit = ws.advocates.say_do(by="unit", as_of=_as_of(scope))
    if scope.unit is not None:
        by_unit = by_unit[by_unit["unit"] == scope.unit]
    silent = ws.advocates.silent_promoters(as_of=_as_of(scope))
    text = Markup(
        "<h3>The say-do gap</h3><p>Of {n:,} promoter answers, {share} were followed by a "
        "referral or a positive review within 90 days (95% interval {low} to {high}): "
        "<strong>{gap}</strong> of promoters did not act. {silent:,} promoters have not referred "
        "or reviewed in the last year and are ready to be asked.</p>"
    ).format(
        n=int(row["promoters"]),
        share=_percent(row["say_do"]),
        low=_percent(row["say_do_low"]),
        high=_percent(row["say_do_high"]),
        gap=_percent(row["gap"]),
        silent=len(silent),
    )
    rows = [
        {**r, "say_do": display.share_estimate(r["say_do"], r["say_do_low"], r["say_do_high"])}
        for r in _records(by_unit)
    ]
    return text + table_html(
        rows,
        [
            ("unit", "Unit"),
            ("promoters", "Promoter answers"),
            ("advocated", "Acted"),
            ("say_do", "Say-do [interval]"),
        ],
    )


def _referrals(ws: Workspace) -> Markup:
    attributed = ws.advocates.referrals()
    if attributed.empty:
        return Markup(
            "<p class='note'>No referrals imported (advocacy import FILE --kind referrals).</p>"
        )
    growth = earned_growth(attributed, ws.table("transactions"))
    top = referral_value_by_referrer(attributed).head(5)
    converted = int(attributed["converted"].sum())
    flagged = int((attributed["fraud_signals"] != "").sum())
    value = attributed.loc[attributed["converted"], "referral_value"]
    text = Markup(
        "<h3>Referral value</h3><p>{n:,} referrals brought {c:,} customers ({rate}); a referred "
        "customer has been worth {mean:,.0f} on average so far. Referred customers earned "
        "<strong>{earned}</strong> of new customers' revenue (earned growth). {flagged:,} "
        "referrals carry a fraud signal (self-referral, shared contact, burst).</p>"
    ).format(
        n=len(attributed),
        c=converted,
        rate=_percent(converted / max(len(attributed), 1)),
        mean=float(value.mean()) if len(value) else 0.0,
        earned=_percent(growth["earned_growth"]),
        flagged=flagged,
    )
    money = top.assign(referral_value=top["referral_value"].map(lambda v: display.number(v, 0)))
    return text + table_html(
        _records(money),
        [
            ("referrer_id", "Top referrer"),
            ("referrals", "Referrals"),
            ("converted", "Converted"),
            ("referral_value", "Referral value"),
        ],
    )


def _behavior(ws: Workspace, scope: ReportScope) -> Markup:
    table = ws.advocates.behavior(as_of=_as_of(scope))
    wide = table.pivot(index="band", columns="outcome", values="value").reindex(
        ["promoter", "passive", "detractor"]
    )
    rows = [
        {
            "band": band,
            "retention": _percent(values["retention"]),
            "repeat": _percent(values["repeat_purchase"]),
            "referral": _percent(values["referral"]),
            "spend": display.number(values["spend"], 0),
        }
        for band, values in wide.iterrows()
    ]
    return Markup(
        "<h3>What advocacy is worth</h3><p>Within 180 days of answering, by NPS band "
        "(intervals in <code>advocacy advocates behavior</code>):</p>"
    ) + table_html(
        rows,
        [
            ("band", "Band"),
            ("retention", "Bought again"),
            ("repeat", "Bought twice or more"),
            ("referral", "Referred"),
            ("spend", "Mean spend"),
        ],
    )


def _fans(ws: Workspace, scope: ReportScope) -> Markup:
    result = ws.advocates.fans_to_be(as_of=_as_of(scope))
    top = result.scores.head(5)
    return Markup(
        "<h3>Fans-to-be</h3><p>Customers not yet advocating, most likely to start. Checked on "
        "held-out time: AUC {auc:.2f}, the top tenth became advocates {lift:.1f} times as "
        "often as average ({base} base rate).</p>"
    ).format(
        auc=result.auc, lift=result.top_decile_lift, base=_percent(result.base_rate)
    ) + table_html(
        _records(top.assign(propensity=top["propensity"].map(_percent))),
        [("customer_id", "Customer"), ("propensity", "Chance"), ("reasons", "Top reasons")],
    )


#: The horizon of the purchase model's values in the report, in weeks.
HORIZON_WEEKS = 52


def _between(value: float, low: Any, high: Any, shown: Callable[[float], str]) -> str:
    """``value`` with its interval in brackets, when it has one."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return shown(value)
    return f"{shown(value)} ({shown(low)}–{shown(high)})"


def _slipping(ws: Workspace) -> Markup:
    from advocacy.retention.slipping import slipping_away

    frame = ws.retention.predict(horizon=HORIZON_WEEKS)
    gone = slipping_away(frame, horizon=HORIZON_WEEKS)
    repeat = int((frame["frequency"] > 0).sum())
    top = gone.head(5)
    interval = str(frame.attrs.get("interval", ""))

    def bracketed(name: str, shown: Callable[[float], str]) -> list[str]:
        return [
            _between(row[name], row.get(f"{name}_low"), row.get(f"{name}_high"), shown)
            for _, row in top.iterrows()
        ]

    fallback = str(gone.attrs.get("order_fallback", ""))
    # No value at risk to rank by (every amount 0): the first in the order used instead.
    first = (
        Markup("The first of them ({fallback}; ").format(fallback=fallback)
        if fallback
        else Markup(
            "Those with the most at stake (value at risk: a year's spend at their past pace, "
            "times the chance they have gone; "
        )
    )
    return Markup(
        "<h3>Who is slipping away</h3><p>BG/NBD on the transactions: {n:,} of {repeat:,} "
        "repeat buyers are more likely gone than active. {first}"
        "<code>advocacy retention predict --horizon 52 --sort value-at-risk</code> lists them "
        "all){brackets}:</p>"
    ).format(
        n=len(gone),
        repeat=repeat,
        first=first,
        brackets=f"; in brackets, {interval}" if interval else "",
    ) + table_html(
        _records(
            top.assign(
                frequency=top["frequency"].astype(int),
                alive=bracketed("probability_alive", _percent),
                spend_so_far=top["spend_so_far"].map(lambda v: display.number(v, 0)),
                value_at_risk=bracketed("value_at_risk", lambda v: display.number(v, 0)),
            )
        ),
        [
            ("customer_id", "Customer"),
            ("frequency", "Repeat purchases"),
            ("spend_so_far", "Spend so far"),
            ("alive", "P(active)"),
            ("value_at_risk", "Value at risk"),
        ],
    )


def build(ws: Workspace, scope: ReportScope) -> Section:
    responses = ws.table("responses")
    answered = int(responses.filter(responses.customer_id.notnull()).count().execute()) > 0
    bought = int(ws.table("transactions").count().execute()) > 0
    if not answered and not bought:
        return Section.absent(
            TITLE, "import responses with customer ids, referrals and reviews to see advocates"
        )
    body = Markup()
    notes: list[str] = []
    parts: tuple[tuple[str, Callable[[], Markup]], ...] = (
        ("ladder", lambda: _ladder(ws, scope)),
        ("say-do gap", lambda: _say_do(ws, scope)),
        ("referrals", lambda: _referrals(ws)),
        ("behaviour", lambda: _behavior(ws, scope)),
        ("fans-to-be", lambda: _fans(ws, scope)),
        ("slipping away", lambda: _slipping(ws)),
    )
    if not answered:
        # Purchases only: who is slipping away needs nothing else; the rest needs answers.
        parts = parts[-1:]
        notes.append(
            "No survey answers with customer ids: the ladder, the say-do gap, what advocacy is "
            "worth and fans-to-be need them (import responses with customer ids, referrals and "
            "reviews)."
        )
    for name, part in parts:
        try:
            body += part()
        except (AdvocacyError, KeyError, ValueError) as error:
            notes.append(f"{name}: not shown ({error})")
    notes.append(
        "Ladder: 365-day window; advocates referred someone or posted a review rated 4+; "
        "champions' referrals converted. Say-do: 90 days after a promoter answer, Wilson "
        "intervals. Purchase model: BG/NBD (Fader, Hardie & Lee 2005)."
    )
    if scope.unit is not None:
        notes.append("The ladder, referrals and fans-to-be cover the whole company.")
    return Section(title=TITLE, body=body, notes=notes)
