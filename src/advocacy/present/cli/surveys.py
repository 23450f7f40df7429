"""``advocacy surveys``: hosted surveys, their signed links for mailing, and the anonymous link.

Thin commands over ``ws.surveys`` (:class:`advocacy.namespaces.surveys.SurveysNamespace`), named
after its methods; links need ``ADVOCACY_SECRET_KEY``. The old ``advocacy survey
create|list|links|anonymous-link`` still run, with a warning.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from advocacy.present.cli.app import app, cli_actor, open_workspace, say
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import emit_rows

surveys_app = typer.Typer(help="Hosted surveys and their signed links.", no_args_is_help=True)
app.add_typer(surveys_app, name="surveys")

SurveyOption = Annotated[str, typer.Option("--survey", help="Survey id.")]
LINK_COLUMNS = ("customer_id", "name", "email", "url", "expires_at")


@surveys_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="Survey definition (YAML).")],
    db: DbOption = None,
) -> None:
    """Create a survey from a YAML file, or replace the survey with the same survey_id.

    Keys: survey_id, title, company, intro, nps_question, csat_question, ces_question,
    comment_prompt, thanks, touchpoint, unit, channel, anonymous_allowed, active. Leave a
    question out to hide it.
    """
    with open_workspace(db) as ws:
        survey = ws.surveys.load(file, actor=cli_actor())
    say(f"saved survey {survey.survey_id} ({survey.title})")


@surveys_app.command("list")
def list_command(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List the surveys and which questions each asks."""
    with open_workspace(db) as ws:
        surveys = ws.surveys.list()
    rows = [
        {
            "survey_id": survey.survey_id,
            "title": survey.title,
            "asks": ", ".join(
                name
                for name, question in (
                    ("NPS", survey.nps_question),
                    ("CSAT", survey.csat_question),
                    ("CES", survey.ces_question),
                    ("comment", survey.comment_prompt),
                )
                if question
            ),
            "anonymous": survey.anonymous_allowed,
            "active": survey.active,
            "updated_at": survey.updated_at,
        }
        for survey in surveys
    ]
    columns = ["survey_id", "title", "asks", "anonymous", "active", "updated_at"]
    emit_rows(rows, output, columns=columns)


@surveys_app.command("links")
def links(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write the links to.")],
    survey: SurveyOption = "default",
    segment: Annotated[
        str | None, typer.Option("--segment", help="Only customers of this segment.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only customers with evidence in this unit.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Create signed links for mailing: a CSV of customer_id, name, email, url, expires_at.

    Customers invited or answering within contact_guard_days are skipped (and counted).
    """
    from advocacy.exports import neutralize

    with open_workspace(db) as ws:
        result = ws.surveys.links(survey, segment=segment, unit=unit, actor=cli_actor())
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(LINK_COLUMNS)
        for link in result.links:
            writer.writerow(
                [
                    link["expires_at"].isoformat()
                    if name == "expires_at"
                    else neutralize(link[name] or "")  # names are the customers' own text
                    for name in LINK_COLUMNS
                ]
            )
    reasons = ", ".join(f"{count} {why}" for why, count in sorted(result.skipped_by_reason.items()))
    say(
        f"wrote {len(result.links)} link(s) to {out}; skipped {len(result.skipped)} customer(s) "
        f"contacted within {result.guard_days} days" + (f" ({reasons})" if reasons else "")
    )


@surveys_app.command("anonymous-link")
def anonymous(survey: SurveyOption = "default", db: DbOption = None) -> None:
    """Print the survey's anonymous link (anyone may answer; no customer is recorded)."""
    with open_workspace(db) as ws:
        say(ws.surveys.anonymous_link(survey))
