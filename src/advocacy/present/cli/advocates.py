"""``advocacy advocates ladder|say-do|silent-promoters|referrals|behavior|fans-to-be``.

Thin layers over the ``ws.advocates`` methods of the same names; this module parses options and
renders rows. The old names ``advocacy referrals`` and ``advocacy advocates fans`` still run, with
a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from advocacy import display
from advocacy.present.cli.aliases import AliasingGroup
from advocacy.present.cli.app import app, console, open_workspace
from advocacy.present.cli.options import AsOfOption, DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import Column, emit_object, emit_rows, field, frame_records

if TYPE_CHECKING:
    from advocacy.namespaces.advocates import LadderRules
    from advocacy.workspace import Workspace

advocates_app = typer.Typer(
    cls=AliasingGroup,  # runs the old `advocates fans`
    help="Who advocates in deeds: the ladder, the say-do gap, silent promoters, fans-to-be.",
    no_args_is_help=True,
)
app.add_typer(advocates_app, name="advocates")


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


WindowOption = Annotated[
    int, typer.Option("--window-days", help="How far back referrals and reviews count.")
]
LimitOption = Annotated[int, typer.Option("--limit", help="Rows to show in a table.")]


def _rules(window_days: int, no_reviews: bool) -> LadderRules:
    from advocacy.namespaces.advocates import LadderRules

    return LadderRules(window_days=window_days, count_reviews=not no_reviews)


@advocates_app.command("ladder")
def ladder(
    customers: Annotated[
        bool, typer.Option("--customers", help="List every customer, not the counts per rung.")
    ] = False,
    as_of: AsOfOption = None,
    window_days: WindowOption = 365,
    no_reviews: Annotated[
        bool, typer.Option("--no-reviews", help="Count only referrals as advocacy.")
    ] = False,
    limit: LimitOption = 50,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Customers per rung of the advocacy ladder (or each customer with the reason)."""
    from advocacy.namespaces.advocates import ladder_counts

    with open_workspace(db) as ws:
        frame = ws.advocates.ladder(as_of=as_of, rules=_rules(window_days, no_reviews))
        empty = _why_no_one(ws, window_days) if frame.empty else None
    if empty and output is OutputFormat.table:
        console.print(f"note: {empty}", highlight=False)
    if not customers:
        view = [
            field("rung"),
            field("customers"),
            field("share", show=display.percent, numeric=True),
            field("at_risk", numeric=True),
        ]
        emit_rows(frame_records(ladder_counts(frame)), output, title="Advocacy ladder", view=view)
        return
    shown = frame.head(limit) if output is OutputFormat.table else frame
    emit_rows(frame_records(shown), output, title="Advocacy ladder by customer")


def _why_no_one(ws: Workspace, window_days: int) -> str:
    """Why the ladder places no one, from what the workspace holds."""
    answers = ws.table("responses")
    scored = answers.filter(answers.customer_id.notnull(), answers.nps.notnull()).count()
    mentions = ws.table("mentions")
    reviews = mentions.filter(mentions.customer_id.notnull()).count()
    referrals = ws.table("referrals").count()
    bought = ws.table("transactions").count()
    said = (
        f"{int(scored.execute()):,} NPS answers with a customer id, "
        f"{int(referrals.execute()):,} referrals and {int(reviews.execute()):,} reviews or posts "
        "with a customer id"
    )
    purchases = int(bought.execute())
    tail = (
        f"; its {purchases:,} purchases place no one (buying again is loyalty, not advocacy: "
        "see 'advocacy retention predict --sort value-at-risk' for who is slipping away)"
        if purchases
        else ""
    )
    return (
        f"no customer is on the ladder: it places customers by their NPS answers, referrals and "
        f"positive reviews in the {window_days} days to the as-of date, and the workspace "
        f"holds {said}{tail}"
    )


def _gap(row: Mapping[str, Any]) -> str:
    """The promoters who did not act, at the precision of the say-do share's interval."""
    low, high = row["say_do_low"], row["say_do_high"]
    digits = None if display.missing(low) else display.digits_for(100 * low, 100 * high)
    return display.percent(row["gap"], digits)


@advocates_app.command("say-do")
def say_do(
    by: Annotated[
        str | None, typer.Option("--by", help="Slice: a responses column or segment/region.")
    ] = None,
    period: Annotated[Period | None, typer.Option("--period", help="Group by period.")] = None,
    window_days: Annotated[
        int, typer.Option("--window-days", help="Days after the answer that a deed counts.")
    ] = 90,
    as_of: AsOfOption = None,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Share of promoter answers followed by a referral or positive review, with intervals."""
    with open_workspace(db) as ws:
        frame = ws.advocates.say_do(
            by=by, period=period.value if period else None, window_days=window_days, as_of=as_of
        )
    chosen = period.value if period else None
    view = [field(by)] if by else []
    if chosen:
        view.append(field("period", show=lambda value: display.period_label(value, chosen)))
    view += [
        field("promoters", "promoter answers"),
        field("advocated", drop=2),
        field("referred", drop=3),
        Column(
            "say-do [95% interval]",
            lambda row: display.share_estimate(
                row["say_do"], row["say_do_low"], row["say_do_high"]
            ),
            numeric=True,
        ),
        Column("gap", _gap, drop=1, numeric=True),
    ]
    emit_rows(
        frame_records(frame), output, title=f"Say-do gap ({window_days}-day window)", view=view
    )


@advocates_app.command("silent-promoters")
def silent(
    as_of: AsOfOption = None,
    window_days: WindowOption = 365,
    limit: LimitOption = 50,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Promoters who have not referred anyone or reviewed us: ready to be asked."""
    with open_workspace(db) as ws:
        frame = ws.advocates.silent_promoters(
            as_of=as_of, rules=_rules(window_days, no_reviews=False)
        )
    if output is OutputFormat.table:
        if frame.empty:
            console.print(
                "no silent promoters: no customer with a customer id gave a promoter answer "
                f"(NPS {_rules(window_days, False).promoter_min}-10) in the {window_days} days "
                "to the as-of "
                "date without referring or reviewing since",
                highlight=False,
            )
            return
        brief = frame.head(limit).assign(answered=frame["responded_at"].dt.date)
        columns = [c for c in ("customer_id", "name", "segment", "nps", "answered") if c in brief]
        emit_rows(frame_records(brief[columns]), output, title=f"Silent promoters ({len(frame)})")
        return
    emit_rows(frame_records(frame), output, title=f"Silent promoters ({len(frame)})")


@advocates_app.command("fans-to-be")
def fans(
    horizon_days: Annotated[
        int, typer.Option("--horizon-days", help="Days ahead the model predicts advocacy.")
    ] = 90,
    as_of: AsOfOption = None,
    limit: LimitOption = 50,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Non-advocates most likely to become advocates, with their top reasons."""
    with open_workspace(db) as ws:
        result = ws.advocates.fans_to_be(horizon_days=horizon_days, as_of=as_of)
    shown = result.scores.head(limit) if output is OutputFormat.table else result.scores
    if output is OutputFormat.table:
        console.print(
            f"held-out AUC {result.auc:.3f}, top-decile lift {result.top_decile_lift:.2f}x "
            f"(base rate {result.base_rate:.1%}, {result.n_test} customers)",
            highlight=False,
        )
    emit_rows(frame_records(shown), output, title="Fans-to-be")


@advocates_app.command("behavior")
def behavior(
    window_days: Annotated[
        int, typer.Option("--window-days", help="Days after the answer that behaviour counts.")
    ] = 180,
    as_of: AsOfOption = None,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Retention, repeat purchase, referral rate and spend of promoters, passives, detractors."""
    with open_workspace(db) as ws:
        frame = ws.advocates.behavior(window_days=window_days, as_of=as_of)
    emit_rows(frame_records(frame), output, title="What each NPS band goes on to do")


@advocates_app.command("referrals")
def referrals(
    by: Annotated[
        str | None,
        typer.Option("--by", help="Group by a referral column (channel, referrer_id, ...)."),
    ] = None,
    flagged: Annotated[
        bool, typer.Option("--flagged", help="List referrals with fraud signals instead.")
    ] = False,
    limit: LimitOption = 50,
    db: DbOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Referral conversion, value of referred customers, fraud signals and earned growth."""
    from advocacy.namespaces.advocates import referral_report

    with open_workspace(db) as ws:
        report = referral_report(
            ws.table("referrals"),
            ws.table("customers"),
            ws.table("transactions"),
            by=by,
            flagged=flagged,
        )
    if flagged:
        emit_rows(frame_records(report.table), output, title="Flagged")
        return
    frame = report.table
    shown = frame.head(limit) if output is OutputFormat.table else frame
    if output is OutputFormat.json:
        emit_object({"rows": frame_records(shown), "earned_growth": report.earned_growth}, output)
        return
    emit_rows(frame_records(shown), output, title="Referrals")
    if output is OutputFormat.table:
        emit_object(report.earned_growth, output, title="Earned growth")
