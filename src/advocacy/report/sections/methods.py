"""The methods appendix: definitions, tests, models, sample sizes, data sources and import dates.

Everything here is read from the code and the workspace, not written by hand: the metric
definitions from :data:`advocacy.metrics.METRICS`, the settings in force, the row counts from
the workspace status and the files from the ``imports`` ledger, and what ``text analyze`` says of
the sentiment calibration it stored (with its warning, if any). Other sections' notes on their
own models appear in their sections; :data:`MODELS` lists the ones the appendix names, and
analyses append theirs as they join the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from advocacy.metrics import METRICS
from advocacy.report.section import ReportScope, Section, table_html
from advocacy.text.calibration_report import kept_calibration_report

if TYPE_CHECKING:
    from advocacy.settings import Settings
    from advocacy.workspace import Workspace

TITLE = "Methods and sources"

#: (what, method, reference) for each statistical method or model the report relies on.
MODELS: list[tuple[str, str, str]] = [
    (
        "NPS interval",
        "trinomial variance; adjusted-Wald interval (adds 0.75 detractors, 1.5 passives "
        "and 0.75 promoters before computing the bounds) or Wald",
        "Rocks (2016), The American Statistician 70(4)",
    ),
    ("Shares (CSAT, top-box)", "Wilson score interval", "Wilson (1927), JASA 22(158)"),
    ("Means (CES)", "Student's t interval", "Student (1908), Biometrika 6(1)"),
    (
        "Changes in NPS",
        "two-sample z on the difference of scores with trinomial variances",
        "Rocks (2016)",
    ),
    ("Changes in shares", "two-proportion z test", "Agresti (2013), Categorical Data Analysis"),
    ("Changes in means", "Welch's t test", "Welch (1947), Biometrika 34(1-2)"),
    (
        "Many slices at once",
        "Holm step-down or Benjamini-Hochberg false-discovery-rate correction",
        "Holm (1979); Benjamini & Hochberg (1995)",
    ),
    ("Survey weights", "Kish's effective sample size", "Kish (1965), Survey Sampling"),
]


def _definitions() -> Markup:
    rows = [
        {"metric": metric.name, "definition": metric.help, "table": metric.table}
        for metric in METRICS.values()
    ]
    return table_html(rows, [("metric", "Metric"), ("definition", "Definition"), ("table", "From")])


def _settings(settings: Settings) -> Markup:
    """The statistical settings the report's numbers were computed with (the workspace's own)."""
    return Markup(
        "<p>Intervals are {:.0%} intervals (setting <code>confidence</code>); the NPS interval "
        "is <code>{}</code>; changes across slices use the <code>{}</code> correction; a score "
        "on fewer than {} responses is flagged rather than interpreted (<code>min_n</code>). "
        "A change is reported as real only when its corrected p-value is below {:.2f} and both "
        "sides have enough responses.</p>"
    ).format(
        settings.confidence,
        settings.nps_interval,
        settings.correction,
        settings.min_n,
        1.0 - settings.confidence,
    )


def _samples(status: Any) -> list[dict[str, Any]]:
    return [
        {
            "table": item.table.replace("_", " "),
            "rows": item.rows,
            "from": item.first.date().isoformat() if item.first else None,
            "to": item.last.date().isoformat() if item.last else None,
        }
        for item in status.tables
        if item.rows
    ]


def import_ledger(ws: Workspace) -> list[dict[str, Any]]:
    """The files imported, newest first: file name, kind, rows loaded and when."""
    imports = ws.table("imports")
    data = (
        imports.select(
            "file", "kind", "rows_read", "rows_loaded", "rows_quarantined", "finished_at"
        )
        .order_by(imports.finished_at.desc())
        .to_pyarrow()
        .to_pylist()
    )
    return [
        {
            # Only the file's name: the folder it came from can itself identify a client.
            "file": Path(str(row["file"])).name,
            "kind": row["kind"],
            "read": row["rows_read"],
            "loaded": row["rows_loaded"],
            "quarantined": row["rows_quarantined"],
            "imported": row["finished_at"].strftime("%Y-%m-%d %H:%M UTC")
            if row["finished_at"]
            else "unfinished",
        }
        for row in data
    ]


def build(ws: Workspace, scope: ReportScope) -> Section:
    status = ws.status()
    samples = _samples(status)
    if not samples:
        return Section.absent(TITLE, "import data first: advocacy import FILE --kind responses")
    body = Markup("<h3>Definitions</h3>") + _definitions()
    body += Markup("<h3>Tests and models</h3>") + _settings(ws.settings)
    body += table_html(
        [{"what": what, "method": method, "reference": ref} for what, method, ref in MODELS],
        [("what", "Used for"), ("method", "Method"), ("reference", "Reference")],
    )
    calibration = (
        kept_calibration_report(ws.db, ws.settings.text_model)
        if ws.unavailable("text_calibration") is None
        else {}
    )
    if calibration:
        # What text analyze says of the calibration the readings were made with, warning
        # included: a reader of the report sees it, not only the one who ran the command.
        body += Markup("<h3>Sentiment calibration</h3>")
        body += table_html(
            [{"field": name, "value": value} for name, value in calibration.items()],
            [("field", "What"), ("value", "Cross-validated on the workspace's labels")],
        )
    body += Markup("<h3>Sample sizes</h3>")
    if scope.since or scope.until or scope.unit:
        body += Markup(
            "<p class='note'>Counts are for the whole workspace; each score above gives the "
            "responses it rests on within this report's scope.</p>"
        )
    body += table_html(
        samples, [("table", "Evidence"), ("rows", "Records"), ("from", "From"), ("to", "To")]
    )
    quarantined = status.quarantined
    if quarantined:
        body += Markup(
            "<p class='note'>{:,} imported rows failed validation and are held in "
            "quarantine (<code>advocacy quarantine list</code>).</p>"
        ).format(quarantined)
    ledger = import_ledger(ws)
    body += Markup("<h3>Data sources</h3>")
    if ledger:
        body += table_html(
            ledger,
            [
                ("file", "File"),
                ("kind", "Kind"),
                ("read", "Rows read"),
                ("loaded", "Loaded"),
                ("quarantined", "Quarantined"),
                ("imported", "Imported"),
            ],
        )
    elif ws.unavailable("imports") is not None:  # a folder of Parquet tables (on Spark)
        body += Markup("<p>The data was read from a folder of Parquet tables, not imported.</p>")
    else:
        body += Markup("<p>The data was written to the workspace directly, not imported.</p>")
    return Section(title=TITLE, body=body)
