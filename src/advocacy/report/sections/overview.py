"""The report's first section: what evidence the workspace holds, and from when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from advocacy.report.section import ReportScope, Section, table_html

if TYPE_CHECKING:
    from advocacy.workspace import Workspace


def build(ws: Workspace, scope: ReportScope) -> Section:
    status = ws.status()
    rows = [
        {
            "table": item.table.replace("_", " "),
            "rows": item.rows,
            "from": item.first.date().isoformat() if item.first else None,
            "to": item.last.date().isoformat() if item.last else None,
        }
        for item in status.tables
        if item.rows
    ]
    if not rows:
        return Section.absent(
            "The evidence", "import data first: advocacy import FILE --kind responses"
        )
    body = Markup(
        "<p>The analyses below draw on this evidence. Every score carries its interval; "
        "changes are called real only when a test says so.</p>"
    ) + table_html(
        rows, [("table", "Evidence"), ("rows", "Records"), ("from", "From"), ("to", "To")]
    )
    if status.quarantined:
        body += Markup(
            "<p class='note'>{:,} imported rows failed validation and are held in "
            "quarantine (<code>advocacy quarantine list</code>).</p>"
        ).format(status.quarantined)
    return Section(title="The evidence", body=body)
