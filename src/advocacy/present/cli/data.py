"""Commands that bring data in and look at it: import, status, quarantine, export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from advocacy.namespaces.cases import CASES_AT_ONCE, cases_sentences
from advocacy.present.cli.app import app, console, open_workspace
from advocacy.present.cli.options import DbOption, FormatOption, OutputFormat
from advocacy.present.cli.output import Column, emit_object, emit_rows, field
from advocacy.present.cli.preview import preview_table
from advocacy.present.cli.progress import stage_progress


class Source(StrEnum):
    auto = "auto"
    advocacy_export = "advocacy-export"
    qualtrics = "qualtrics"
    surveymonkey = "surveymonkey"
    typeform = "typeform"
    google_forms = "google-forms"
    delighted = "delighted"
    generic = "generic"


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV/TSV, XLSX, JSON, JSONL or Parquet file.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="What the rows are: customers, responses, interactions, mentions, notes, "
            "referrals, transactions, employees, employee-responses, targets.",
        ),
    ],
    source: Annotated[
        Source, typer.Option("--source", help="Survey tool that exported the file.")
    ] = Source.auto,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--map", help="Mapping YAML: canonical field -> column (keys: docs/import.md)."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Validate and count only, and show the first rows as they would be stored.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject the file on any bad row.")
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            help="Import through a running advocacy serve at this address (e.g. "
            "http://127.0.0.1:8000) instead of opening the workspace: the way in while the "
            "server holds a DuckDB workspace. Needs --token.",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="ADVOCACY_TOKEN",
            show_envvar=True,
            help="API token of an analyst or admin, for --server.",
        ),
    ] = None,
    cases: Annotated[
        bool,
        typer.Option(
            "--cases/--no-cases",
            help="Run the enabled case rules over the responses and mentions imported, in the "
            "import's transaction (advocacy cases rules lists them).",
        ),
    ] = True,
    case_window_days: Annotated[
        int,
        typer.Option(
            "--case-window-days",
            min=0,
            help="Only evidence dated within this many days before now may open a case; older "
            "evidence (history loaded in bulk) opens none and is counted. Undated evidence "
            "counts as new. Open cases over older evidence with advocacy cases open --since.",
        ),
    ] = 30,
    all_cases: Annotated[
        bool,
        typer.Option(
            "--all-cases",
            help="Open every case the rules choose, even more than 500 (without it, an import "
            "that would open more opens none and counts them).",
        ),
    ] = False,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Import a file of customer evidence (all-or-nothing, idempotent; bad rows quarantined).

    The enabled case rules run over the responses and mentions written (those dated within
    --case-window-days), and the summary says how many cases they opened.
    """
    if server is not None:
        if not token:
            raise typer.BadParameter(
                "--server needs an API token: pass --token or set ADVOCACY_TOKEN",
                param_hint="--token",
            )
        from advocacy.present.cli.server_import import import_through_server  # httpx: only here

        summary, cells = import_through_server(
            server,
            token,
            file,
            kind=kind,
            source=source.value,
            mapping=mapping,
            dry_run=dry_run,
            strict=strict,
            cases=cases,
            case_window_days=case_window_days,
            all_cases=all_cases,
        )
        _print_import(summary, cells, output=output)
        return
    with (
        open_workspace(db, create=True) as ws,
        stage_progress("rows", show=output is OutputFormat.table) as progress,
    ):
        # The rows and the cases they open commit together, in the import's transaction.
        result = ws.import_file(
            file,
            kind=kind,
            source=source.value,
            mapping=mapping,
            dry_run=dry_run,
            strict=strict,
            progress=progress,
            cases=cases,
            case_window_days=case_window_days,
            cases_at_once=None if all_cases else CASES_AT_ONCE,
        )
    quarantined = [
        {"row": e.row_number, "column": e.column, "value": e.value, "reason": e.reason,
         "fix": e.fix}
        for e in result.quarantine[:10]
    ]  # fmt: skip
    _print_import(result.summary(), quarantined, output=output)


def _print_import(
    summary: dict[str, Any], quarantined: list[dict[str, Any]], *, output: OutputFormat
) -> None:
    """What an import did: its summary as JSON, or counts, columns, notes and refused cells."""
    if output is not OutputFormat.table:
        emit_object(summary, OutputFormat.json)
        return
    dry_run = summary["dry_run"]
    verb = "would import" if dry_run else "imported"
    console.print(
        f"{verb} {summary['file']} as {summary['kind']} ({summary['source_format']}, "
        f"{summary['file_format']}"
        + (f", {summary['encoding']}" if summary["encoding"] else "")
        + ")",
        markup=False,
    )
    emit_rows(
        [
            {"rows": name.replace("rows_", ""), "count": summary[name]}
            for name in (
                "rows_read",
                "rows_loaded",
                "rows_updated",
                "rows_unchanged",
                "rows_quarantined",
            )
        ]
        + (
            [{"rows": "superseded (on_conflict)", "count": summary["rows_superseded"]}]
            if summary["rows_superseded"]
            else []
        )
        + [{"rows": "customer stubs created", "count": summary["stubs_created"]}]
        + (
            [{"rows": "customers merged (known by e-mail)", "count": summary["customers_merged"]}]
            if summary.get("customers_merged")
            else []
        ),
        OutputFormat.table,
    )
    if summary["detected"]:
        emit_rows(summary["detected"], OutputFormat.table, title="Columns recognised")
    for note in summary["notes"]:
        console.print(f"note: {note}", markup=False)
    if dry_run and summary["preview"]:
        console.print(preview_table(summary["preview"]))
    if summary.get("cases") is not None:
        for line in cases_sentences(summary["cases"]):
            console.print(line, markup=False, soft_wrap=True)
    if quarantined:
        emit_rows(
            [{**row, "value": _glimpse(row.get("value"))} for row in quarantined[:10]],
            OutputFormat.table,
            title=f"Quarantined (first {min(10, len(quarantined))} cells)",
            view=quarantine_view(["row", "column", "value", "reason", "fix"]),
        )
        console.print(
            "see all: advocacy quarantine list; fix and re-import: advocacy quarantine export"
        )


#: The order in which a narrow terminal leaves quarantine columns out (first to go last here):
#: the file, row and column say where, and the value and fix what to do before the reason.
_KEPT_LONGEST = ("file", "row", "column", "value", "fix", "reason", "status", "resolved_by")


def _as_written(value: Any) -> str:
    """A quarantined cell as the file wrote it: never read as a moment or a number."""
    return "" if value is None else str(value)


def quarantine_view(columns: list[str]) -> list[Column]:
    """The columns of a table of quarantined cells, ``value`` shown as written (a cell such as
    ``2020-01-01T00:00:00+14:30`` was refused for its offset: converting it to the workspace's
    zone would show a value the file never held)."""
    order = {name: index for index, name in enumerate(_KEPT_LONGEST)}
    return [
        field(
            name,
            show=_as_written if name == "value" else None,
            drop=0 if name in ("file", "row") else order.get(name, len(order)) + 1,
        )
        for name in columns
    ]


@app.command("status")
def status_command(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """Counts per table, date ranges and recent imports."""
    with open_workspace(db) as ws:
        status = ws.status()
    tables = [
        {
            "table": item.table,
            "rows": item.rows,
            "from": item.first.date().isoformat() if item.first else None,
            "to": item.last.date().isoformat() if item.last else None,
        }
        for item in status.tables
    ]
    if output is OutputFormat.json:
        emit_object(
            {
                "url": status.url,
                "schema_version": status.schema_version,
                "tables": tables,
                "quarantined_rows": status.quarantined,
                "quarantined_rows_resolved": status.quarantine_resolved,
                "stub_customers": status.stub_customers,
                "imports": status.imports,
            },
            output,
        )
        return
    emit_rows(tables, output, title=f"Workspace {status.url} (schema v{status.schema_version})")
    if output is OutputFormat.table:
        if status.imports:
            emit_rows(
                status.imports[:5],
                output,
                title="Recent imports",
                columns=[
                    "file",
                    "kind",
                    "rows_read",
                    "rows_loaded",
                    "rows_updated",
                    "rows_unchanged",
                    "rows_quarantined",
                    "finished_at",
                ],
            )
        console.print(
            f"{status.quarantined:,} quarantined rows open ({status.quarantine_resolved:,} "
            f"resolved by later imports); {status.stub_customers:,} customers known only by id "
            "(stubs awaiting a customers import)"
        )


quarantine_app = typer.Typer(
    help="Rows that failed validation, with reasons.", no_args_is_help=True
)
app.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def quarantine_list(
    import_id: Annotated[str | None, typer.Option("--import", help="Only this import.")] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all", help="Also cells a later import resolved (by loading the fixed record)."
        ),
    ] = False,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List open quarantined cells, each with its reason and fix.

    Each cell shows its file, row, column and value as the file wrote it. A cell stays open
    until an import loads its record: a fixed row of `quarantine export` imported again, the
    same file imported again, or a record with the same id. Cells quarantined before each kept
    its fix (workspaces before schema v15) show "not recorded".
    """
    with open_workspace(db) as ws:
        rows = ws.quarantine(import_id=import_id, include_resolved=show_all)
        status = ws.status() if output is OutputFormat.table else None
    columns = ["import_id", "file", "row", "column", "value", "reason", "fix"]
    if show_all:
        columns += ["status", "resolved_by"]
    emit_rows(rows, output, columns=columns, view=quarantine_view(columns))
    if status is not None:
        console.print(
            f"{status.quarantined:,} quarantined rows open, {status.quarantine_resolved:,} "
            "resolved by later imports" + ("" if show_all else " (--all lists them too)")
        )


@quarantine_app.command("export")
def quarantine_export(
    out: Annotated[Path, typer.Option("--out", help="File to write (csv, xlsx, json, parquet).")],
    import_id: Annotated[str | None, typer.Option("--import", help="Only this import.")] = None,
    db: DbOption = None,
) -> None:
    """Write open quarantined rows in their original columns, with reasons, to fix and re-import.

    The first five columns say which import and row each line is, why it was refused and the
    fix; leave them in: importing the corrected file marks those rows resolved.
    """
    with open_workspace(db) as ws:
        count = ws.export_quarantine(out, import_id=import_id)
    console.print(f"wrote {count:,} quarantined rows to {out}")


def _export_loop(
    out: Path, chosen: str | None, *, redact: bool, names: list[str] | None, db: str | None
) -> None:
    """``advocacy export loop --out DIR``: the closed loop's tables as Parquet in DIR."""
    if names:
        raise typer.BadParameter(
            "'loop' takes no names: it writes all six loop tables", param_hint="NAME"
        )
    if chosen not in (None, "parquet"):
        raise typer.BadParameter(
            "the loop's tables are written as Parquet, one file each, for a report on Spark",
            param_hint="--format",
        )
    if redact:
        raise typer.BadParameter(
            "the loop's tables leave as stored (a report over them shows the cases); share "
            "the folder only with people who may see the cases, or share a report instead",
            param_hint="--redact",
        )
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(
            f"{out} is a file; give the folder of the Parquet exports", param_hint="--out"
        )
    with open_workspace(db) as ws:
        written = ws.export_loop(out)
    for name, count in written.items():
        written_to = out / f"{name}.parquet"
        console.print(
            f"wrote {count:,} rows of {name} to {written_to}", markup=False, soft_wrap=True
        )


def _glimpse(value: Any) -> Any:
    """A quarantined cell as the summary shows it: a long text by its start and end (a cut
    32,767-character comment would fill the terminal)."""
    if not isinstance(value, str) or len(value) <= 240:
        return value
    return f"{value[:100]} … {value[-100:]} ({len(value):,} characters)"


class TableFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"
    json = "json"


@app.command("export")
def export_command(
    table: Annotated[
        str,
        typer.Argument(
            metavar="TABLE",
            help="Table to export (responses, customers, ...), the word 'analysis' followed "
            "by analysis names (scores, scores-by-unit, ...; 'all' for every one in an XLSX), "
            "or the word 'loop': the closed loop's six tables as Parquet into the folder --out.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="NAME", help="Analyses to export (after 'analysis')."),
    ] = None,
    output: Annotated[
        TableFormat | None, typer.Option("--format", help="Default: from the file extension.")
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Replace personal data before writing: e-mails, phones, card numbers and "
            "names in free text and unmapped columns become [email], [phone], [card], [name]; "
            "name, email, phone, author, interviewer and referred-contact columns become a "
            "placeholder, and so do unmapped columns named for respondent data (IP address, "
            "latitude/longitude or geolocation, street address, postcode/ZIP, date of birth, "
            "user name or handle, recipient name, e-mail and reference, custom data; a "
            "'Mobile' or 'Cell' column only when it holds a phone number); IP addresses "
            "anywhere become [ip]. Dates, scores, other answers and ids are kept. Free-text "
            "redaction is a safeguard, not a guarantee: check the file before sharing it.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export a table, or analyses, as CSV, Parquet, XLSX (one sheet per analysis) or JSON.

    A table is written as stored, so importing the file (into this or another workspace) gives
    back the same records; tables of free text gain the text analysis columns. In CSV, a text
    that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
    gets a leading ' (import takes it off again); in XLSX every text is a text cell, which
    never runs, so it is written as it is. An Excel cell holds 32,767 characters: a longer text
    is cut with a note at its end, the summary names those cells, and importing the file
    refuses them (the stored text stays whole). Use --redact to share outside.

    'loop' writes the cases, case events, action plans and ask campaigns as stored (case notes
    included) to the folder --out, beside the evidence exported as Parquet, for a report with
    --engine spark --data on that folder.
    """
    chosen = None if output is None else output.value
    if table.strip().lower() == "loop":
        _export_loop(out, chosen, redact=redact, names=names, db=db)
        return
    if table.strip().lower() == "analysis":
        if redact:
            raise typer.BadParameter(
                "--redact applies to tables; analyses that list customers are exported as computed",
                param_hint="--redact",
            )
        if not names:
            raise typer.BadParameter(
                "name the analysis to export, e.g. advocacy export analysis scores --out s.csv "
                "(or: all --format xlsx)",
                param_hint="NAME",
            )
        with open_workspace(db) as ws:
            written = ws.export_analysis(names, out=out, format=chosen)
        for name, count in written.items():
            console.print(f"wrote {count:,} rows of {name} to {out}", markup=False, soft_wrap=True)
        return
    if names:
        raise typer.BadParameter(
            f"export takes one table; to export analyses write: advocacy export analysis "
            f"{' '.join(names)}",
            param_hint="TABLE",
        )
    notes: list[str] = []
    with open_workspace(db) as ws:
        count = ws.export(table, out=out, format=chosen, redact=redact, notes=notes)
    redacted = " (personal data redacted)" if redact else ""
    console.print(f"wrote {count:,} rows of {table} to {out}{redacted}", markup=False)
    for note in notes:
        console.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
