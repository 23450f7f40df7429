"""``advocacy asks``: campaigns that ask promoters to act, and the lift asking caused.

Thin commands over ``ws.asks`` (:class:`advocacy.namespaces.asks.AsksNamespace`), named after its
methods; links need ``ADVOCACY_SECRET_KEY`` and point at ``ADVOCACY_PUBLIC_URL``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from advocacy.present.cli.app import app, cli_actor, open_workspace, say
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import emit_rows

asks_app = typer.Typer(
    help="Ask promoters to refer, review or vouch, with a control group that shows the lift.",
    no_args_is_help=True,
)
app.add_typer(asks_app, name="asks")

CampaignArgument = Annotated[str, typer.Argument(help="Campaign id.")]
OUTCOME_COLUMNS = (
    "outcome", "ask_n", "ask_hits", "ask_rate", "control_n", "control_hits", "control_rate",
    "lift", "low", "high", "verdict",
)  # fmt: skip


@asks_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="Campaign definition (YAML).")],
    db: DbOption = None,
) -> None:
    """Add a campaign from a YAML file, or replace the campaign with the same id.

    Keys: id, name, audience {kind, segment, days, propensity_at_least, limit}, action (refer,
    review, reference, community), channel (email, links, survey-prompt), targets {name: url},
    message {subject, body}, guards {days_between_asks, detractor_days, contact_guard}, holdout,
    seed, final_n, window_days, link_days, reward {to, when, amount, currency}, active.
    """
    with open_workspace(db) as ws:
        campaign = ws.asks.add(file, actor=cli_actor())
    say(
        f"saved campaign {campaign.campaign_id} ({campaign.action} by {campaign.channel}); "
        f"holdout {campaign.holdout:.0%}, seed {campaign.seed}, final analysis at "
        f"{campaign.final_n} members"
    )


@asks_app.command("list")
def list_command(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List the campaigns: who they ask, for what, how, and their holdout."""
    with open_workspace(db) as ws:
        campaigns = ws.asks.list()
    rows = [
        {
            "campaign_id": c.campaign_id,
            "name": c.name,
            "audience": c.audience["kind"],
            "action": c.action,
            "channel": c.channel,
            "holdout": c.holdout,
            "final_n": c.final_n,
            "active": c.active,
        }
        for c in campaigns
    ]
    emit_rows(rows, output, columns=list(rows[0]) if rows else ["campaign_id"])


@asks_app.command("send")
def send(
    campaign: CampaignArgument,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="CSV of the links asked (channel links: for your mailing)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Ask the campaign's audience once: the guards first, then the random holdout.

    E-mail campaigns go through the outbox; link campaigns write the links to --out.
    """
    with open_workspace(db) as ws:
        result = ws.asks.send(campaign, actor=cli_actor())
    if out is not None:
        with out.open("w", newline="", encoding="utf-8") as handle:
            result.write_links(handle)
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(result.skipped_by_reason.items()))
    say(
        f"asked {len(result.asked)}, held out {len(result.control)} as control, left out "
        f"{len(result.skipped)}"
        + (f" ({reasons})" if reasons else "")
        + (f"; {result.messages} e-mail(s) queued" if result.channel == "email" else "")
        + (f"; links written to {out}" if out is not None else "")
    )


def _number(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    return value


@asks_app.command("results")
def results(
    campaign: CampaignArgument, output: FormatOption = OutputFormat.table, db: DbOption = None
) -> None:
    """Each outcome in the ask and control groups, the lift with its interval, and the verdict."""
    with open_workspace(db) as ws:
        found = ws.asks.results(campaign)
    rows = [
        {name: _number(row[name]) for name in OUTCOME_COLUMNS}
        for row in found.outcomes.to_dict("records")
    ]
    earned = found.earned
    rows.append(
        {
            "outcome": "earned revenue per member",
            "ask_n": found.members_ask,
            "ask_rate": _number(earned["ask_mean"]),
            "control_n": found.members_control,
            "control_rate": _number(earned["control_mean"]),
            "lift": _number(earned["difference"]),
            "low": _number(earned["low"]),
            "high": _number(earned["high"]),
            "verdict": earned["verdict"],
        }
    )
    title = (
        f"{found.campaign.name}: {found.look} look, {found.analysed} members "
        f"(final analysis at {found.campaign.final_n}); verdict on {found.primary}: "
        f"{found.verdict}"
    )
    emit_rows(rows, output, title=title, columns=OUTCOME_COLUMNS)


@asks_app.command("export-rewards")
def export_rewards(
    campaign: CampaignArgument,
    out: Annotated[Path, typer.Option("--out", help="CSV file for payment.")],
    db: DbOption = None,
) -> None:
    """Write the campaign's due rewards (fraud-checked, not exported before) for payment."""
    with open_workspace(db) as ws:
        count = ws.asks.export_rewards(campaign, out, actor=cli_actor())
    say(f"wrote {count} reward(s) to {out}")
